"""Tests for kg.validate and the ontology/shapes files."""
from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

# The repository has no packaging metadata yet: make `kg` importable under plain `pytest`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.iris import mint, part  # noqa: E402
from kg.validate import Report, Violation, ontology_dir, validate  # noqa: E402
# SDO and XSD are used through the module: as test-module globals they make pytest warn.
from kg import vocab  # noqa: E402
from kg.vocab import DCTERMS, KG, OA, ORG, OWL, PROV, RDF, RDFS  # noqa: E402

ARTICLE = mint("article", "000_c0f335d2a1b346a0")
PERSON = mint("person", "Nguyễn Mạnh Hùng")
ORGANIZATION = mint("organization", "JAXA")
AGREEMENT = mint("agreement", "jaxa-vnsc-2020")
MEMBERSHIP = mint("membership", "nguyen-manh-hung-mic-ministre")
ROLE = mint("role", "ministre de l'Information et de la Communication")
AGREEMENT_NOTE = mint("annotation", "a1")
MEMBERSHIP_NOTE = mint("annotation", "a2")
TEXT = "Le ministre Nguyễn Mạnh Hùng a signé un accord avec la JAXA."


def add_annotation(g: Graph, note: URIRef, body: URIRef, start: int = 0, end: int = len(TEXT)) -> None:
    """Evidence for `body`: annotation -> target -> article + position and quote selectors."""
    target, position, quote = part(note, "target"), part(note, "position"), part(note, "quote")
    g.add((note, RDF.type, OA.Annotation))
    g.add((note, OA.hasBody, body))
    g.add((note, OA.motivatedBy, OA.describing))
    g.add((note, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, ARTICLE))
    g.add((target, OA.hasSelector, position))
    g.add((target, OA.hasSelector, quote))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(start, datatype=vocab.XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(end, datatype=vocab.XSD.nonNegativeInteger)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(TEXT[start:end])))


def minimal_graph() -> Graph:
    """A small graph in the shape of docs/graph-model.md that conforms to the shapes."""
    g = Graph()
    g.add((ARTICLE, RDF.type, vocab.SDO.NewsArticle))
    g.add((ARTICLE, vocab.SDO.headline, Literal("Le Vietnam et le Japon coopèrent dans l'espace")))
    g.add((ARTICLE, DCTERMS.source, Literal("seeds/000_c0f335d2a1b346a0.txt")))
    g.add((ARTICLE, vocab.SDO.inLanguage, Literal("fr")))
    g.add((ARTICLE, vocab.SDO.datePublished, Literal("2020-01-09", datatype=vocab.XSD.date)))

    g.add((PERSON, RDF.type, vocab.SDO.Person))
    g.add((PERSON, RDFS.label, Literal("Nguyễn Mạnh Hùng", lang="fr")))
    g.add((PERSON, PROV.wasDerivedFrom, ARTICLE))

    g.add((ORGANIZATION, RDF.type, vocab.SDO.Organization))
    g.add((ORGANIZATION, RDF.type, vocab.SDO.GovernmentOrganization))
    g.add((ORGANIZATION, RDFS.label, Literal("JAXA", lang="fr")))
    g.add((ORGANIZATION, PROV.wasDerivedFrom, ARTICLE))
    g.add((ORGANIZATION, OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q208454")))

    g.add((AGREEMENT, RDF.type, KG.Agreement))
    g.add((AGREEMENT, RDFS.label, Literal("accord JAXA", lang="fr")))
    g.add((AGREEMENT, KG.agreementKind, Literal("agreement")))
    g.add((AGREEMENT, KG.party, ORGANIZATION))
    g.add((AGREEMENT, KG.signatory, PERSON))
    g.add((AGREEMENT, KG.signedOn, Literal("2020-01", datatype=vocab.XSD.gYearMonth)))
    g.add((AGREEMENT, KG.duration, Literal("P5Y", datatype=vocab.XSD.duration)))
    g.add((AGREEMENT, PROV.wasDerivedFrom, ARTICLE))
    add_annotation(g, AGREEMENT_NOTE, AGREEMENT)

    g.add((ROLE, RDF.type, ORG.Role))
    g.add((ROLE, RDFS.label, Literal("ministre de l'Information et de la Communication", lang="fr")))
    g.add((ROLE, KG.roleTitle, Literal("ministre")))
    g.add((MEMBERSHIP, RDF.type, ORG.Membership))
    g.add((MEMBERSHIP, ORG.member, PERSON))
    g.add((MEMBERSHIP, ORG.organization, ORGANIZATION))
    g.add((MEMBERSHIP, ORG.role, ROLE))
    g.add((MEMBERSHIP, PROV.wasDerivedFrom, ARTICLE))
    add_annotation(g, MEMBERSHIP_NOTE, MEMBERSHIP, 0, 28)
    return g


def test_minimal_graph_conforms() -> None:
    report = validate(minimal_graph())
    assert report.conforms, report.summary()
    assert report.violations == ()
    assert report.summary() == ""


def drop_agreement_evidence(g: Graph) -> None:
    g.remove((AGREEMENT_NOTE, OA.hasBody, AGREEMENT))
    g.add((AGREEMENT_NOTE, OA.hasBody, PERSON))


def wrong_date_type(g: Graph) -> None:
    g.set((AGREEMENT, KG.signedOn, Literal("2020-13-45", datatype=vocab.XSD.string)))


def no_membership_organization(g: Graph) -> None:
    g.remove((MEMBERSHIP, ORG.organization, None))


def absolute_source(g: Graph) -> None:
    g.set((ARTICLE, DCTERMS.source, Literal("/home/x.txt")))


def empty_span(g: Graph) -> None:
    position = part(AGREEMENT_NOTE, "position")
    g.set((position, OA.start, Literal(10, datatype=vocab.XSD.nonNegativeInteger)))
    g.set((position, OA.end, Literal(10, datatype=vocab.XSD.nonNegativeInteger)))


def party_is_a_person(g: Graph) -> None:
    g.add((AGREEMENT, KG.party, PERSON))


def missing_quote_selector(g: Graph) -> None:
    g.remove((part(MEMBERSHIP_NOTE, "target"), OA.hasSelector, part(MEMBERSHIP_NOTE, "quote")))


@pytest.mark.parametrize(
    ("break_graph", "focus", "path", "words"),
    [
        pytest.param(drop_agreement_evidence, AGREEMENT, "^oa:hasBody", "evidence", id="agreement-without-evidence"),
        pytest.param(wrong_date_type, AGREEMENT, "kg:signedOn", "kg:signedOn", id="signed-on-wrong-datatype"),
        pytest.param(no_membership_organization, MEMBERSHIP, "org:organization", "org:organization",
                     id="membership-without-organization"),
        pytest.param(absolute_source, ARTICLE, "dcterms:source", "relative", id="absolute-source"),
        pytest.param(empty_span, part(AGREEMENT_NOTE, "position"), "oa:start", "smaller than its oa:end", id="start-not-before-end"),
        pytest.param(party_is_a_person, AGREEMENT, "kg:party", "schema:Organization", id="party-is-a-person"),
        pytest.param(missing_quote_selector, part(MEMBERSHIP_NOTE, "target"), "oa:hasSelector",
                     "oa:TextQuoteSelector", id="missing-quote-selector"),
    ],
)
def test_violation(break_graph: Callable[[Graph], None], focus: URIRef, path: str, words: str) -> None:
    g = minimal_graph()
    break_graph(g)
    report = validate(g)
    assert not report.conforms
    matching = [v for v in report.violations if v.focus_node == str(focus) and v.path == path]
    assert matching, report.summary()
    assert any(words in v.message for v in matching), report.summary()
    assert all(v.severity == "Violation" for v in matching)
    assert f"{focus}  {path}  " in report.summary()


def test_validate_does_not_change_the_data() -> None:
    g = minimal_graph()
    before = len(g)
    validate(g)
    assert len(g) == before


def test_report_is_sorted_and_frozen() -> None:
    g = minimal_graph()
    no_membership_organization(g)
    absolute_source(g)
    report = validate(g)
    assert list(report.violations) == sorted(report.violations)
    assert len(report.summary().splitlines()) == len(report.violations)
    with pytest.raises(AttributeError):
        report.conforms = True  # type: ignore[misc]
    assert isinstance(report, Report) and all(isinstance(v, Violation) for v in report.violations)


def test_ontology_parses_with_rdflib_and_pyoxigraph() -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    path = ontology_dir() / "kg.ttl"
    g = Graph().parse(path, format="turtle")
    quads = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(g) > 0


def test_shapes_parse_with_pyoxigraph() -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    assert list(pyoxigraph.parse(path=str(ontology_dir() / "shapes.ttl"), format=pyoxigraph.RdfFormat.TURTLE))


TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
KG_TERMS = sorted(KG.__annotations__)


@pytest.mark.parametrize("name", KG_TERMS)
def test_every_kg_term_is_declared(name: str) -> None:
    g = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    term = KG[name]
    assert set(g.objects(term, RDF.type)) & TERM_TYPES, f"{name} is not declared in kg.ttl"
    languages = {label.language for label in g.objects(term, RDFS.label) if isinstance(label, Literal)}
    assert {"en", "fr"} <= languages, f"{name} needs rdfs:label @en and @fr"
    comments = {c.language for c in g.objects(term, RDFS.comment) if isinstance(c, Literal)}
    assert "en" in comments, f"{name} needs an rdfs:comment @en"
