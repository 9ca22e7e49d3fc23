"""The fast SHACL check (SPARQL on Oxigraph) finds exactly what pySHACL finds."""
from __future__ import annotations

import re

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

import pyoxigraph as ox

from kg import shapes
from kg.graph import load_graph, to_turtle
from kg.pipeline import BuildReport, extract_graph
from kg.shapes import Baseline, Checker, check_graph, check_path, check_since, check_turtle
from kg.triples import Annotation, Triples
from kg.turtle import write_turtle
from kg.validate import validate
from kg.vocab import DCTERMS, KG, OA, RDF, RDFS, SDO, XSD


@pytest.fixture(scope="module")
def seeds_graph(built: Path) -> Graph:
    return load_graph(built / "kg.ttl")


def both(graph: Graph, shapes_path: Path | None = None) -> tuple[set, set]:
    """The violations pySHACL and the fast check find in `graph`, as (focus node, path, message)."""
    slow = validate(graph, shapes_path)
    fast = check_turtle(to_turtle(graph), shapes_path)
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


def quote_twice(g: Graph) -> None:  # the same text, another term: two values, as SHACL counts them
    selector = first(g, OA.TextQuoteSelector)
    g.add((selector, OA.exact, Literal(str(g.value(selector, OA.exact)), lang="fr")))


def two_quote_selectors(g: Graph) -> None:
    target = first(g, OA.SpecificResource)
    other = sorted(g.subjects(RDF.type, OA.TextQuoteSelector), key=str)[1]
    g.add((target, OA.hasSelector, other))


def no_label(g: Graph) -> None:
    g.remove((first(g, SDO.Person), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None))


def duration_as_string(g: Graph) -> None:
    agreement = next(a for a in sorted(g.subjects(RDF.type, KG.Agreement), key=str) if g.value(a, KG.duration))
    g.set((agreement, KG.duration, Literal("two years")))


@pytest.mark.parametrize("breaker", [drop_evidence, bad_date, person_party, absolute_source, empty_span, unknown_kind,
                                     two_places, untyped_selector, quote_twice, two_quote_selectors, no_label,
                                     duration_as_string])
def test_same_violations_as_pyshacl(seeds_graph: Graph, breaker):
    g = Graph()
    for t in seeds_graph:
        g.add(t)
    breaker(g)
    slow, fast = both(g)
    assert slow and fast == slow


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
def test_counts_other_than_one_give_the_same_violations(tmp_path: Path, tags: int, notes: int, parts: int):
    shapes_path = tmp_path / "shapes.ttl"
    shapes_path.write_text(COUNTED, encoding="utf-8")
    ex = "https://example.org/"
    g = Graph()
    thing = URIRef(ex + "thing")
    g.add((thing, RDF.type, URIRef(ex + "Thing")))
    for i in range(tags):
        g.add((thing, URIRef(ex + "tag"), Literal(f"tag {i}")))
    for i in range(notes):
        g.add((thing, URIRef(ex + "note"), Literal(f"note {i}")))
    for i in range(parts):
        g.add((thing, URIRef(ex + "part"), URIRef(f"{ex}part{i}")))
    slow, fast = both(g, shapes_path)
    assert fast == slow
    assert len(fast) == (not 2 <= tags <= 3) + (notes > 0) + (parts != 1)


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


# A rebuild (`kg build --watch`) is checked by its difference from the last graph: the same
# verdict as checking the whole graph, over sequences of graphs that break and mend the shapes.

@pytest.fixture(scope="module")
def seeds_triples(built: Path, repo: Path) -> Triples:
    return extract_graph([repo / "seeds"], BuildReport())


def typed(graph: Triples, cls) -> list[URIRef]:
    return sorted((s for s, p, o in graph.triples if p == RDF.type and o == cls), key=str)


def breakages(graph: Triples) -> tuple[list, list[Annotation]]:
    """Triples and records that break the shapes (or, for the subclass axiom, mend a break)."""
    agreement, person, article = typed(graph, KG.Agreement)[0], typed(graph, SDO.Person)[0], typed(graph, SDO.NewsArticle)[0]
    organization = typed(graph, SDO.Organization)[0]
    triples = [
        (agreement, KG.party, person),  # a value of the wrong class
        (agreement, KG.signedOn, Literal("2020-13-45", datatype=XSD.date)),
        (agreement, KG.signedAt, URIRef("https://w3id.org/vjkg/resource/place/nowhere")),  # untyped, and one too many
        (person, RDF.type, KG.Agreement),  # a type added: the person is now checked as an agreement
        (organization, RDF.type, SDO.Person),  # ... and its neighbours see a person
        (SDO.Person, RDFS.subClassOf, SDO.Organization),  # a person may now be a party
    ]
    some = sorted(graph.annotations)[0]
    records = [Annotation(f"{article}/annotation/broken", str(agreement), str(article), 5, 5, ""),  # an empty span
               Annotation(f"{article}/annotation/astray", str(person), str(person), 0, 4, "Le V"),  # source: no article
               Annotation(f"{article}/annotation/negative", str(person), str(article), -3, 4, "Le V"),
               Annotation(f"{article}/annotation/text", str(person), str(article), "0", 4, "Le V"),  # not an int
               some._replace(body=str(person)),  # a second record with the IRI of another: two bodies
               Annotation(f"{article}/annotation/about-a-record", some.iri, str(article), 0, 4, "Le V")]
    triples.append((URIRef(some.iri + "#quote"), OA.exact, Literal("another quote")))  # a record's node named elsewhere
    return triples, records


def a_variant(graph: Triples, data, step: int) -> Triples:
    """`graph` with a few triples and records dropped and some that break the shapes added, as Hypothesis draws them."""
    base, records = list(graph.triples), sorted(graph.annotations)
    bad, bad_records = breakages(graph)
    dropped = set(data.draw(st.lists(st.sampled_from(base), max_size=8), label=f"dropped {step}"))
    dropped_records = set(data.draw(st.lists(st.sampled_from(records), max_size=3), label=f"dropped records {step}"))
    added = data.draw(st.lists(st.sampled_from(bad), unique=True), label=f"added {step}")
    added_records = data.draw(st.lists(st.sampled_from(bad_records), unique=True), label=f"added records {step}")
    variant = Triples([t for t in base if t not in dropped] + added)
    for record in records + added_records:
        if record not in dropped_records:
            variant.annotate(record)
    return variant


def with_a_person_party(graph: Triples, records: bool = True) -> tuple[tuple, Triples]:
    """The first breakage (a person as an agreement's party) and `graph` with it added (and
    without its annotation records unless `records`)."""
    (bad_party, *_), _ = breakages(graph)
    broken = Triples(list(graph.triples) + [bad_party])
    for record in graph.annotations if records else ():
        broken.annotate(record)
    return bad_party, broken


def ground(store: ox.Store) -> set:
    """The quads of a store that hold no blank node (the ontology's bnodes get new labels on each load)."""
    return {q for q in store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.predicate, q.object))}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_rebuild_checked_by_its_difference_gets_the_whole_graphs_verdict(seeds_triples: Triples, tmp_path: Path,
                                                                           data) -> None:
    checker = Checker()
    for step in range(4):
        graph = a_variant(seeds_triples, data, step)
        ttl = tmp_path / "kg.ttl"
        ttl.write_text(write_turtle(graph), encoding="utf-8")
        incremental = checker.check(ttl, graph)
        whole = check_path(ttl)
        assert incremental == whole
        fresh = ox.Store()
        fresh.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
        fresh.load(path=str(repo_ontology()), format=ox.RdfFormat.TURTLE)
        assert ground(checker.store) == ground(fresh)


# A build checks its graph from memory, most annotation records left out of Oxigraph.

@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_graph_checked_from_memory_gets_its_files_verdict(seeds_triples: Triples, tmp_path: Path, data) -> None:
    graph = a_variant(seeds_triples, data, 0)
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(write_turtle(graph), encoding="utf-8")
    assert check_graph(graph) == check_path(ttl)


def test_each_breakage_alone_checked_from_memory_gets_its_files_verdict(seeds_triples: Triples, tmp_path: Path) -> None:
    triples, records = breakages(seeds_triples)
    ttl = tmp_path / "kg.ttl"
    for added, record in [*((t, None) for t in triples), *((None, r) for r in records)]:
        graph = Triples([*seeds_triples.triples, *([added] if added else [])])
        for kept in [*seeds_triples.annotations, *([record] if record else [])]:
            graph.annotate(kept)
        ttl.write_text(write_turtle(graph), encoding="utf-8")
        assert check_graph(graph) == check_path(ttl), (added, record)


def test_records_that_conform_are_loaded_as_two_triples(seeds_triples: Triples,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    real = shapes._violations
    monkeypatch.setattr(shapes, "_violations", lambda store, checks, among=None: sizes.append(len(store)) or
                        real(store, checks, among))
    assert check_graph(seeds_triples).conforms
    ontology = ox.Store()
    ontology.load(path=str(repo_ontology()), format=ox.RdfFormat.TURTLE)
    assert max(sizes) == len(ontology) + len(seeds_triples.triples) + 2 * len(seeds_triples.annotations)


# Shapes that make a record's other triples matter: every triple is then loaded.
CITED = """
shapes:CitedArticle a sh:NodeShape ; sh:targetClass schema:NewsArticle ;
    sh:property [ sh:path [ sh:inversePath oa:hasSource ] ; sh:minCount 1 ; sh:message "evidence comes from it" ] .
"""
SHORT_QUOTES = """
shapes:ShortQuote a sh:NodeShape ; sh:targetClass oa:TextQuoteSelector ;
    sh:property [ sh:path oa:exact ; sh:pattern "^.{0,40}$" ; sh:message "a short quote" ] .
"""
FROM_AN_EVENT = """
shapes:EventTarget a sh:NodeShape ; sh:targetObjectsOf oa:hasTarget ;
    sh:property [ sh:path oa:hasSource ; sh:class schema:Event ; sh:message "evidence from an event" ] .
"""


@pytest.mark.parametrize("extra, conforms", [(CITED, True), (SHORT_QUOTES, False), (FROM_AN_EVENT, False)])
def test_shapes_that_read_more_of_a_record_get_every_triple_loaded(seeds_triples: Triples, tmp_path: Path,
                                                                    extra: str, conforms: bool) -> None:
    shapes_path, ttl = tmp_path / "shapes.ttl", tmp_path / "kg.ttl"
    shipped = (repo_ontology().parent / "shapes.ttl").read_text(encoding="utf-8")
    shapes_path.write_text(shipped + extra, encoding="utf-8")
    ttl.write_text(write_turtle(seeds_triples), encoding="utf-8")
    report = check_graph(seeds_triples, shapes_path)
    assert report.conforms == conforms
    assert report == check_path(ttl, shapes_path)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_new_run_checked_against_the_last_file_gets_the_whole_graphs_verdict(seeds_triples: Triples,
                                                                               tmp_path: Path, data) -> None:
    previous = tmp_path / "previous.ttl"
    previous.write_text(write_turtle(seeds_triples), encoding="utf-8")
    found = frozenset(check_path(previous).violations)
    for step in range(3):
        graph = a_variant(seeds_triples, data, step)
        ttl = tmp_path / f"kg{step}.ttl"
        ttl.write_text(write_turtle(graph), encoding="utf-8")
        # The last file read in pieces of some size: a block can straddle two of them.
        since = check_since(Baseline(previous, piece=data.draw(st.sampled_from([1 << 20, 4096, 97]))), ttl, graph,
                            found=found)
        assert since == check_path(ttl)
        previous, found = ttl, frozenset(since.violations)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks=st.lists(st.text(st.sampled_from("ab\n é"), min_size=1).map(lambda t: re.sub("\n+", "\n", t).strip("\n"))
                       .filter(bool), max_size=30, unique=True),
       piece=st.integers(1, 40), data=st.data())
def test_the_last_files_blocks_are_found_again_by_their_hash(tmp_path: Path, blocks: list[str], piece: int,
                                                             data) -> None:
    path = tmp_path / "last.ttl"
    path.write_bytes(b"\n\n".join(block.encode() for block in blocks) + b"\n")  # as kg.turtle writes them
    baseline = Baseline(path, piece=piece)
    assert baseline.hashes == {hash(block.encode()) for block in blocks}
    wanted = [block.encode() for block in data.draw(st.lists(st.sampled_from(blocks), unique=True) if blocks
                                                   else st.just([]))]
    assert list(baseline.blocks({hash(block) for block in wanted})) == [b.encode() for b in blocks if b.encode() in wanted]


def test_a_new_run_checks_only_the_nodes_near_the_change(seeds_triples: Triples, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    previous, ttl = tmp_path / "previous.ttl", tmp_path / "kg.ttl"
    previous.write_text(write_turtle(seeds_triples), encoding="utf-8")
    bad_party, broken = with_a_person_party(seeds_triples)
    ttl.write_text(write_turtle(broken), encoding="utf-8")
    asked: list = []
    real = shapes._violations
    monkeypatch.setattr(shapes, "_violations", lambda store, checks, among=None: asked.append((among, len(store))) or
                        real(store, checks, among))
    report = check_since(previous, ttl, broken)
    assert {v.focus_node for v in report.violations} == {str(bad_party[0])}
    (among, size), = asked
    assert among == sorted({str(bad_party[0]), str(bad_party[2])})
    assert size < len(broken) / 2  # a store of the neighbourhood (and the ontology), not of the graph
    assert check_since(ttl, ttl, broken, found=frozenset(report.violations)) == report  # nothing changed


def test_a_new_run_with_too_much_changed_checks_the_whole_graph(seeds_triples: Triples, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    previous, ttl = tmp_path / "previous.ttl", tmp_path / "kg.ttl"
    previous.write_text(write_turtle(seeds_triples), encoding="utf-8")
    _, broken = with_a_person_party(seeds_triples, records=False)
    ttl.write_text(write_turtle(broken), encoding="utf-8")  # every annotation record gone: hundreds of blocks
    monkeypatch.setattr(Checker, "WHOLE", 10)
    whole = []
    real = shapes.check_graph
    monkeypatch.setattr(shapes, "check_graph", lambda *args: whole.append(args) or real(*args))
    report = check_since(previous, ttl, broken)
    assert len(whole) == 1
    assert report == check_path(ttl) and not report.conforms


def test_the_builds_own_file_is_read_leniently_and_any_other_strictly(seeds_triples: Triples, tmp_path: Path) -> None:
    """`kg build --watch` reads the kg.ttl it wrote without Oxigraph's IRI checks, which the
    writer made: the same store. `kg validate` on any other file still refuses a bad IRI."""
    from kg.errors import GraphFileError

    ttl, bad = tmp_path / "kg.ttl", tmp_path / "bad.ttl"
    ttl.write_text(write_turtle(seeds_triples), encoding="utf-8")
    strict, lenient = ox.Store(), ox.Store()
    strict.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    shapes.load_written(lenient, ttl)
    assert ground(lenient) == ground(strict) and len(lenient) == len(seeds_triples)
    bad.write_text('<http://example.org/a b> <http://example.org/p> "x" .\n', encoding="utf-8")
    shapes.load_written(ox.Store(), bad)  # not checked again: the writer never writes such an IRI
    with pytest.raises(SyntaxError):
        check_path(bad)
    with pytest.raises(GraphFileError, match="not valid Turtle"):
        shapes.check_file(bad)


def repo_ontology() -> Path:
    from kg.resources import ontology_dir

    return ontology_dir() / "kg.ttl"


def test_a_checker_touches_only_what_changed_and_finds_a_break_there(seeds_triples: Triples, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    checker = Checker()
    ttl = tmp_path / "kg.ttl"
    ttl.write_text(write_turtle(seeds_triples), encoding="utf-8")
    assert checker.check(ttl, seeds_triples).conforms
    asked: list = []
    real = shapes._violations
    monkeypatch.setattr(shapes, "_violations", lambda store, checks, among=None: asked.append(among) or
                        real(store, checks, among))
    bad_party, broken = with_a_person_party(seeds_triples)
    report = checker.check(ttl, broken)  # the file is not read again: it still holds the graph before
    assert not report.conforms
    assert {v.focus_node for v in report.violations} == {str(bad_party[0])}
    assert asked == [sorted({str(bad_party[0]), str(bad_party[2])})]
