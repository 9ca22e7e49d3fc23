"""The fast SHACL check (kg.shapes: the shapes compiled to SPARQL, run on Oxigraph) finds
exactly what pySHACL (kg.validate) finds."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH

from kg.errors import GraphFileError, KgError
from kg.resources import ontology_dir
from kg.shapes import check_file, check_store, compile_shapes
from kg.validate import validate
from kg.vocab import DCTERMS, KG, KGR, OA, RDF, RDFS, SDO, SKOS, XSD

SEEDS_GRAPH = Path(__file__).resolve().parent.parent / "graphs" / "kg.ttl"  # what `kg build` made of seeds/
EX = "https://example.org/"


@pytest.fixture(scope="module")
def seeds_graph() -> Graph:
    return Graph().parse(SEEDS_GRAPH, format="turtle")


def store_of(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def both(graph: Graph, shapes_path: Path | None = None) -> tuple[set, set]:
    """The violations pySHACL and the fast check find in `graph`, as (focus node, path, message, severity)."""
    slow = validate(graph, shapes_path)
    fast = check_store(store_of(graph), shapes_path)
    key = lambda r: {(v.focus_node, v.path, v.message, v.severity) for v in r.violations}  # noqa: E731
    assert slow.conforms == fast.conforms
    return key(slow), key(fast)


def copy(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g


def first(graph: Graph, cls) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls), key=str)[0]


def drop_evidence(g: Graph) -> None:
    agreement = first(g, KG.Agreement)
    for ann in list(g.subjects(OA.hasBody, agreement)):
        g.remove((ann, None, None))


def bad_date(g: Graph) -> None:
    g.set((first(g, KG.Agreement), KG.signedOn, Literal("2020-13-45", datatype=XSD.date)))


def date_as_string(g: Graph) -> None:
    g.set((first(g, KG.Agreement), KG.signedOn, Literal("2020-12-25")))


def person_party(g: Graph) -> None:
    g.add((first(g, KG.Agreement), KG.party, first(g, SDO.Person)))


def absolute_source(g: Graph) -> None:
    g.set((first(g, SDO.NewsArticle), DCTERMS.source, Literal("/home/user/a.txt")))


def no_headline(g: Graph) -> None:
    g.remove((first(g, SDO.NewsArticle), SDO.headline, None))


def empty_span(g: Graph) -> None:
    selector = first(g, OA.TextPositionSelector)
    g.set((selector, OA.end, g.value(selector, OA.start)))


def negative_start(g: Graph) -> None:
    g.set((first(g, OA.TextPositionSelector), OA.start, Literal("-3", datatype=XSD.nonNegativeInteger)))


def unknown_kind(g: Graph) -> None:
    g.set((first(g, KG.Agreement), KG.agreementKind, Literal("bogus")))


def two_places(g: Graph) -> None:
    g.add((first(g, KG.Agreement), KG.signedAt, URIRef("https://w3id.org/vjkg/resource/place/tokyo")))


def untyped_selector(g: Graph) -> None:
    g.remove((first(g, OA.TextQuoteSelector), RDF.type, OA.TextQuoteSelector))


def quote_twice(g: Graph) -> None:  # the same text, another term: two values, as SHACL counts them
    selector = first(g, OA.TextQuoteSelector)
    g.add((selector, OA.exact, Literal(str(g.value(selector, OA.exact)), lang="fr")))


def two_quote_selectors(g: Graph) -> None:
    other = sorted(g.subjects(RDF.type, OA.TextQuoteSelector), key=str)[1]
    g.add((first(g, OA.SpecificResource), OA.hasSelector, other))


def no_label(g: Graph) -> None:
    g.remove((first(g, SDO.Person), RDFS.label, None))


def duration_as_string(g: Graph) -> None:
    agreement = next(a for a in sorted(g.subjects(RDF.type, KG.Agreement), key=str) if g.value(a, KG.duration))
    g.set((agreement, KG.duration, Literal("two years")))


def literal_body(g: Graph) -> None:  # a literal where an IRI is required
    g.set((first(g, OA.Annotation), OA.hasBody, Literal("not an IRI")))


def unknown_class(g: Graph) -> None:  # a party of a class the shapes and the ontology do not know
    party = URIRef(EX + "spaceship")
    g.add((party, RDF.type, URIRef(EX + "Spaceship")))
    g.add((first(g, KG.Agreement), KG.party, party))


def subclass_in_the_data(g: Graph) -> None:
    """A party whose only type is a subclass of schema:Organization the data declares: a good
    party, and an organization (an extracted entity) without label nor provenance."""
    firm = URIRef(EX + "firm")
    g.add((URIRef(EX + "Firm"), RDFS.subClassOf, SDO.Organization))
    g.add((firm, RDF.type, URIRef(EX + "Firm")))
    g.add((first(g, KG.Agreement), KG.party, firm))


BREAKERS = [drop_evidence, bad_date, date_as_string, person_party, absolute_source, no_headline, empty_span,
            negative_start, unknown_kind, two_places, untyped_selector, quote_twice, two_quote_selectors, no_label,
            duration_as_string, literal_body, unknown_class, subclass_in_the_data]


def test_the_seeds_graph_conforms_for_both(seeds_graph: Graph) -> None:
    assert both(seeds_graph) == (set(), set())


@pytest.mark.parametrize("breaker", BREAKERS)
def test_same_violations_as_pyshacl(seeds_graph: Graph, breaker) -> None:
    g = copy(seeds_graph)
    breaker(g)
    slow, fast = both(g)
    assert slow and fast == slow


def test_a_subclass_axiom_in_the_data_mends_a_break(seeds_graph: Graph) -> None:
    g = copy(seeds_graph)
    person_party(g)
    g.add((SDO.Person, RDFS.subClassOf, SDO.Organization))  # a person may now be a party
    assert both(g) == (set(), set())


def test_the_ontologys_subclass_axioms_count(tmp_path: Path) -> None:
    """kg:Technology is a skos:Concept by ontology/kg.ttl only, which is not in the store."""
    shapes_path = tmp_path / "shapes.ttl"
    shapes_path.write_text(f"""@prefix sh: <{SH}> .
<{EX}S> a sh:NodeShape ; sh:targetClass <{EX}T> ;
    sh:property [ sh:path <{EX}about> ; sh:class <{SKOS}Concept> ; sh:message "about a concept" ] .
""", encoding="utf-8")
    g = Graph()
    g.add((URIRef(EX + "x"), RDF.type, URIRef(EX + "T")))
    g.add((URIRef(EX + "x"), URIRef(EX + "about"), URIRef(EX + "ai")))
    g.add((URIRef(EX + "ai"), RDF.type, KG.Technology))
    assert both(g, shapes_path) == (set(), set())
    g.remove((URIRef(EX + "ai"), RDF.type, KG.Technology))
    slow, fast = both(g, shapes_path)
    assert slow and fast == slow


def test_the_ontology_holds_nothing_else_the_shapes_read() -> None:
    """check_store leaves ontology/kg.ttl out of the store and reads only its rdfs:subClassOf
    triples: that is pySHACL's verdict while the ontology says nothing of the data's nodes, has
    no instance of a class the shapes name, and no triple that makes a focus node or points to one."""
    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    pointing = {o for p in (SH.inversePath, SH.targetObjectsOf) for o in shapes.objects(None, p)}
    classes = {o for p in (SH.targetClass, SH["class"]) for o in shapes.objects(None, p)}
    classes |= {s for c in classes for s in ontology.transitive_subjects(RDFS.subClassOf, c)}
    assert pointing and len(classes) > 10
    assert not [t for t in ontology if t[1] in pointing]
    assert not [t for t in ontology.triples((None, RDF.type, None)) if t[2] in classes]
    assert not [t for t in ontology if str(t[0]).startswith(str(KGR))]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_deletions_give_the_same_violations(seeds_graph: Graph, data) -> None:
    triples = sorted(seeds_graph, key=lambda t: tuple(map(str, t)))
    dropped = set(data.draw(st.lists(st.sampled_from(triples), min_size=1, max_size=25)))
    g = Graph()
    for t in triples:
        if t not in dropped:
            g.add(t)
    slow, fast = both(g)
    assert fast == slow


COUNTED = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Counted a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:tag ; sh:minCount 2 ; sh:maxCount 3 ; sh:message "two or three tags" ] ,
                [ sh:path ex:note ; sh:maxCount 0 ; sh:message "no note" ] ,
                [ sh:path ex:part ; sh:minCount 1 ; sh:maxCount 1 ; sh:message "exactly one part" ] .
"""


@pytest.mark.parametrize("tags", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("notes", [0, 1])
@pytest.mark.parametrize("parts", [0, 1, 2])
def test_counts_other_than_one_give_the_same_violations(tmp_path: Path, tags: int, notes: int, parts: int) -> None:
    shapes_path = tmp_path / "shapes.ttl"
    shapes_path.write_text(COUNTED, encoding="utf-8")
    g = Graph()
    thing = URIRef(EX + "thing")
    g.add((thing, RDF.type, URIRef(EX + "Thing")))
    for i in range(tags):
        g.add((thing, URIRef(EX + "tag"), Literal(f"tag {i}")))
    for i in range(notes):
        g.add((thing, URIRef(EX + "note"), Literal(f"note {i}")))
    for i in range(parts):
        g.add((thing, URIRef(EX + "part"), URIRef(f"{EX}part{i}")))
    slow, fast = both(g, shapes_path)
    assert fast == slow
    assert len(fast) == (not 2 <= tags <= 3) + (notes > 0) + (parts != 1)


ORDERED = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Ordered a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:message "start before end" ] ,
                [ sh:path ex:note ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "a note, if you can" ] .
"""


@pytest.mark.parametrize("start, end", [("1", "5"), ("5", "1"), ('"a"', "5"), ("1", '"2"'), ("1", "1.5"),
                                        ("ex:a", "ex:b"), ("ex:b", "ex:a"),
                                        ('"2020-01-01"^^xsd:date', '"2021-01-01"^^xsd:date')])
@pytest.mark.parametrize("note", [True, False])
def test_less_than_and_warnings_give_the_same_verdict(tmp_path: Path, start: str, end: str, note: bool) -> None:
    """Values that do not compare break sh:lessThan; a warning does not make the graph non-conforming."""
    shapes_path = tmp_path / "shapes.ttl"
    shapes_path.write_text(ORDERED, encoding="utf-8")
    g = Graph().parse(data=f"""@prefix ex: <{EX}> . @prefix xsd: <{XSD}> .
ex:x a ex:Thing ; ex:start {start} ; ex:end {end} {'; ex:note "n"' if note else ''} .""", format="turtle")
    slow, fast = both(g, shapes_path)
    assert fast == slow


def test_the_store_is_only_read(seeds_graph: Graph) -> None:
    g = copy(seeds_graph)
    person_party(g)
    store = store_of(g)
    before = set(store)
    assert not check_store(store).conforms
    assert set(store) == before and not list(store.named_graphs())


def test_check_file_reads_a_turtle_file(seeds_graph: Graph, tmp_path: Path) -> None:
    assert check_file(SEEDS_GRAPH).conforms
    g = copy(seeds_graph)
    no_label(g)
    path = tmp_path / "kg.ttl"
    g.serialize(path, format="turtle")
    report = check_file(path)
    assert not report.conforms and report == validate(g)
    bad = tmp_path / "bad.ttl"
    bad.write_text('<http://example.org/a b> <http://example.org/p> "x" .\n', encoding="utf-8")
    with pytest.raises(GraphFileError, match="not valid Turtle"):
        check_file(bad)
    with pytest.raises(GraphFileError, match="no such graph file"):
        check_file(tmp_path / "missing.ttl")


SHAPE = f"""@prefix sh: <{SH}> . @prefix ex: <{EX}> . @prefix xsd: <{XSD}> .
ex:S a sh:NodeShape ; sh:targetClass ex:T ;
    sh:property [ sh:path ex:p ; sh:message "m" ; %s ] .
"""


@pytest.mark.parametrize("shapes, words", [
    (SHAPE % "sh:node ex:Other", "sh:node"),
    (SHAPE % "sh:hasValue ex:v", "sh:hasValue"),
    (SHAPE % "sh:minLength 3", "sh:minLength"),
    (SHAPE % "sh:nodeKind sh:BlankNode", "nodeKind"),
    (SHAPE % "sh:class ex:A, ex:B", "several values"),
    (SHAPE % "sh:or ( [ sh:node ex:Other ] [ sh:class ex:A ] )", "sh:or members"),
    (SHAPE % "sh:qualifiedValueShape [ sh:datatype xsd:string ] ; sh:qualifiedMinCount 1", "qualifiedValueShape"),
    (SHAPE.replace("sh:path ex:p", "sh:path ( ex:p ex:q )") % "sh:minCount 1", "a path other than"),
    (SHAPE.replace("sh:targetClass ex:T", "sh:targetNode ex:x") % "sh:minCount 1", "targetNode"),
    (SHAPE.replace("sh:targetClass ex:T ;", "sh:targetClass ex:T ; sh:closed true ;") % "sh:minCount 1", "closed"),
    (f"@prefix sh: <{SH}> . @prefix ex: <{EX}> . ex:P a sh:PropertyShape ; sh:targetClass ex:T ; sh:path ex:p ; "
     "sh:minCount 1 .", "not an sh:NodeShape"),
])
def test_an_unsupported_shape_is_refused(tmp_path: Path, shapes: str, words: str) -> None:
    shapes_path = tmp_path / "shapes.ttl"
    shapes_path.write_text(shapes, encoding="utf-8")
    with pytest.raises(KgError, match="which the fast check .* does not support") as caught:
        compile_shapes(shapes_path)
    assert words in str(caught.value)
    with pytest.raises(KgError, match="which the fast check .* does not support"):
        check_store(ox.Store(), shapes_path)


def test_the_shipped_shapes_compile() -> None:
    assert len(compile_shapes()) >= 25
