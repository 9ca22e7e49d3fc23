"""kg/triples.py: a build's evidence annotations held as records are written and drawn
exactly as their triples would be, whatever shares their subjects or sorts among them."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Literal, Namespace, URIRef

from kg.graph import load_graph
from kg.pipeline import BuildReport, extract_graph
from kg.triples import ANNOTATION_TRIPLES, Annotation, Triples
from kg.turtle import write_turtle
from kg.view import render_html
from kg.vocab import OA, RDF, RDFS, XSD

from .test_turtle import HOSTILE_TEXTS, PFX, same_as_pyoxigraph

EX = Namespace("http://example.org/")
ANN = "http://example.org/ann/"
NAMES = ["x", "y", "0f", "x!", "x-1"]  # "x!" sorts among the parts of "x"
SUBJECTS = [ANN + name + tail for name in NAMES for tail in ("", "#target", "#position", "#quote", "!", "#q", "#zz", "-1")]
PREFIXES = [
    PFX,
    {**PFX, "an": ANN},  # annotation IRIs with a local name that may be prefixed
    {**PFX, "p": ANN + "x#"},  # the parts of ann/x are prefixed names
    {**PFX, "n": ANN + "x"},  # a namespace ending in a name character: each split is tried
]


def records(ann: str, body: int, start: int, text: str) -> Annotation:
    return Annotation(ann, str(EX[f"body{body}"]), str(EX.article), start, start + len(text), text)


annotations = st.builds(records, st.sampled_from([ANN + name for name in NAMES]), st.integers(0, 2),
                        st.integers(0, 3), st.sampled_from(HOSTILE_TEXTS[:40]))
others = st.tuples(st.sampled_from(SUBJECTS).map(URIRef), st.sampled_from([RDF.type, RDFS.label, OA.hasBody, OA.start]),
                   st.one_of(st.sampled_from(SUBJECTS).map(URIRef), st.sampled_from(HOSTILE_TEXTS[:20]).map(Literal)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(annotations, max_size=6), st.lists(others, max_size=6), st.sampled_from(PREFIXES))
@example([records(ANN + "x", 0, 0, "a"), records(ANN + "x", 1, 0, "a")], [], PFX)  # two records, one IRI
@example([records(ANN + "x", 0, 0, "a"), records(ANN + "x", 0, 0, "a")], [], PFX)  # one record twice
@example([records(ANN + "x", 0, 0, "a")], [(URIRef(ANN + "x#quote"), RDFS.label, Literal("b"))], PFX)  # a part shared
@example([records(ANN + "x", 0, 0, "a")], [(URIRef(ANN + "x!"), RDFS.label, Literal("b"))], PFX)  # a subject among the parts
@example([records(ANN + "x", 0, 0, "a"), records(ANN + "x!", 1, 2, "b")], [], PFX)  # a record among another's parts
@example([records(ANN + "x", 0, 0, ""), records(ANN + "x!", 0, 0, ""), records(ANN + "x!", 0, 0, " ")], [], PFX)
@example([records(ANN + "x", 0, 0, "a"), records(ANN + "y", 1, 2, "b")], [], PREFIXES[1])
@example([records(ANN + "x", 0, 0, "a")], [], PREFIXES[2])
@example([records(ANN + "x", 0, 0, "a")], [], PREFIXES[3])
def test_records_are_written_as_their_triples(anns: list[Annotation], triples: list[tuple], prefixes: dict) -> None:
    graph = Triples(triples)
    for ann in anns:
        graph.annotate(ann)
    expected = [*triples, *(t for ann in anns for t in ann.triples())]
    ttl = write_turtle(graph, prefixes)
    assert ttl == write_turtle(expected, prefixes)  # the general path, triple by triple
    same_as_pyoxigraph(set(expected), ttl)


def test_a_triples_iterates_and_counts_every_triple() -> None:
    ann = records(ANN + "x", 0, 5, "quoted")
    graph = Triples([(EX.s, RDF.type, EX.C)])
    graph.annotate(ann)
    graph.annotate(ann)
    triples = list(graph)
    assert len(graph) == len(triples) == len(set(triples)) == 1 + ANNOTATION_TRIPLES  # the same record once
    assert (URIRef(ANN + "x#position"), OA.start, Literal("5", datatype=XSD.nonNegativeInteger)) in triples
    assert (URIRef(ANN + "x#quote"), OA.exact, Literal("quoted")) in triples


def test_a_build_writes_and_draws_its_records_as_the_graph_read_back(built: Path, repo: Path) -> None:
    graph = extract_graph([repo / "seeds"], BuildReport())
    assert len(graph.annotations) > 20
    ttl = (built / "kg.ttl").read_text(encoding="utf-8")
    assert write_turtle(graph) == write_turtle(Triples(graph)) == write_turtle(list(graph)) == ttl
    read_back = load_graph(built / "kg.ttl")
    page = (built / "kg.html").read_text(encoding="utf-8")
    assert render_html(graph) == render_html(Triples(graph)) == render_html(read_back) == page
    assert {(t.subject, t.predicate, t.object) for t in ox.parse(ttl, format=ox.RdfFormat.TURTLE)} == {
        (t.subject, t.predicate, t.object) for t in ox.parse(write_turtle(read_back), format=ox.RdfFormat.TURTLE)}
