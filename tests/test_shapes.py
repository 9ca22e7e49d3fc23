"""The fast SHACL check (SPARQL on Oxigraph) finds exactly what pySHACL finds."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.graph import load_graph, to_turtle
from kg.shapes import check_turtle
from kg.validate import validate
from kg.vocab import DCTERMS, KG, OA, RDF, SDO, XSD


@pytest.fixture(scope="module")
def seeds_graph(built: Path) -> Graph:
    return load_graph(built / "kg.ttl")


def both(graph: Graph) -> tuple[set, set]:
    slow = validate(graph)
    fast = check_turtle(to_turtle(graph))
    key = lambda r: {(v.focus_node, v.path, v.message) for v in r.violations}  # noqa: E731
    assert slow.conforms == fast.conforms
    return key(slow), key(fast)


def first(graph: Graph, cls) -> URIRef:
    return sorted(graph.subjects(RDF.type, cls), key=str)[0]


def drop_evidence(g: Graph) -> None:
    agreement = first(g, KG.Agreement)
    for ann in list(g.subjects(OA.hasBody, agreement)):
        g.remove((ann, None, None))


def bad_date(g: Graph) -> None:
    agreement = first(g, KG.Agreement)
    g.set((agreement, KG.signedOn, Literal("2020-13-45", datatype=XSD.date)))


def person_party(g: Graph) -> None:
    g.add((first(g, KG.Agreement), KG.party, first(g, SDO.Person)))


def absolute_source(g: Graph) -> None:
    article = first(g, SDO.NewsArticle)
    g.set((article, DCTERMS.source, Literal("/home/user/a.txt")))


def empty_span(g: Graph) -> None:
    selector = first(g, OA.TextPositionSelector)
    g.set((selector, OA.end, g.value(selector, OA.start)))


def unknown_kind(g: Graph) -> None:
    g.set((first(g, KG.Agreement), KG.agreementKind, Literal("bogus")))


def two_places(g: Graph) -> None:
    g.add((first(g, KG.Agreement), KG.signedAt, URIRef("https://w3id.org/vjkg/resource/place/tokyo")))


def untyped_selector(g: Graph) -> None:
    g.remove((first(g, OA.TextQuoteSelector), RDF.type, OA.TextQuoteSelector))


def no_label(g: Graph) -> None:
    g.remove((first(g, SDO.Person), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))


def duration_as_string(g: Graph) -> None:
    agreement = next(a for a in sorted(g.subjects(RDF.type, KG.Agreement), key=str) if g.value(a, KG.duration))
    g.set((agreement, KG.duration, Literal("two years")))


@pytest.mark.parametrize("breaker", [drop_evidence, bad_date, person_party, absolute_source, empty_span, unknown_kind,
                                     two_places, untyped_selector, no_label, duration_as_string])
def test_same_violations_as_pyshacl(seeds_graph: Graph, breaker):
    g = Graph()
    for t in seeds_graph:
        g.add(t)
    breaker(g)
    slow, fast = both(g)
    assert slow and fast == slow


def test_the_seeds_graph_conforms_for_both(seeds_graph: Graph):
    assert both(seeds_graph) == (set(), set())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_deletions_give_the_same_violations(seeds_graph: Graph, data):
    triples = sorted(seeds_graph, key=lambda t: tuple(map(str, t)))
    dropped = set(data.draw(st.lists(st.sampled_from(triples), min_size=1, max_size=25)))
    g = Graph()
    for t in triples:
        if t not in dropped:
            g.add(t)
    slow, fast = both(g)
    assert fast == slow
