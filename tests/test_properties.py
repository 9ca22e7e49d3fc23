"""Property-based tests: hostile and random text through the reader, the extractors, the graph and the date parser.

Strategies and checks are in tests/hostile.py (arbitrary Unicode with RTL and zero-width
marks, combining accents and odd line breaks; French news-like text built from fragments of
real articles mixed with quotes, markup and Turtle/SPARQL specials). Example counts are kept
moderate so the file runs in CI in well under a minute; `make fuzz` (benchmarks/fuzz.py) runs
the reader and the date parser for far longer. A failure a property finds becomes an explicit
test in tests/test_regressions.py.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.articles import read_article, segment
from kg.errors import ArticleError
from kg.nlp import load
from kg.turtle import oxigraph_triples, turtle
from kg.vocab import OA

from .extraction import run_many
from .hostile import (DURATION, SUFFIXES, check_dates, check_query, check_read, check_read_with_sidecar,
                      check_segments, file_bytes, file_names, news_text, published, sidecar, sparql_query,
                      unicode_text, valid_xsd)

# One spaCy pipeline for every example (kg.nlp.load is cached), loaded before the first one.
load()

PROPERTY = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

any_text = st.one_of(unicode_text(), news_text())
# An article has a headline: something on a line but whitespace and byte-order marks
# (what read_article accepts; tests/extraction.py's article() needs one).
article_text = any_text.filter(lambda t: t.replace("\ufeff", "").strip() != "")
IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`]")


# --- segment ------------------------------------------------------------------------------

@PROPERTY
@given(any_text)
def test_segments_are_ordered_stripped_lines_within_the_text(text: str) -> None:
    check_segments(text, segment(text))


# --- extraction and the graph ---------------------------------------------------------------

def check_extraction(text: str, extraction) -> None:
    """Every offset quotes the article: mentions, their sentences, memberships' and agreements' evidence."""
    for m in extraction.mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start:m.end] == m.text, m
        s = m.sentence
        assert 0 <= s.start <= m.start and m.end <= s.end <= len(text), (m, s)
        sentence = text[s.start:s.end]
        assert sentence and sentence == sentence.strip(), s
    evidence = [ms.evidence for ms in extraction.memberships]
    evidence += [ev for ag in extraction.agreements for ev in ag.evidence]
    for ev in evidence:
        assert ev.source == extraction.article.source
        assert 0 <= ev.start < ev.end <= len(text), ev
        assert text[ev.start:ev.end] == ev.exact, ev
    for ag in extraction.agreements:
        for value in (ag.signed_on, ag.valid_from, ag.valid_until):
            assert value is None or valid_xsd(value), (ag, value)
        assert ag.duration is None or DURATION.fullmatch(ag.duration), ag


def check_graph(graph: Graph, texts: dict[str, str]) -> None:
    """Valid IRIs; Turtle that pyoxigraph and rdflib read back whole; every quote round-trips at its offsets."""
    for term in {t for triple in graph for t in triple if isinstance(t, URIRef)}:
        assert not IRI_FORBIDDEN.search(term), term
        pyoxigraph.NamedNode(str(term))  # raises ValueError on an invalid IRI
    ttl = turtle(oxigraph_triples(graph)).decode("utf-8")
    oxi = list(pyoxigraph.parse(ttl, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(oxi) == len(graph)
    assert len(Graph().parse(data=ttl, format="turtle")) == len(graph)

    def values(prop) -> dict[str, str]:
        node = pyoxigraph.NamedNode(str(prop))
        return {t.subject.value: t.object.value for t in oxi if t.predicate == node}

    exact = values(OA.exact)
    assert set(exact.items()) == {(str(s), str(o)) for s, o in graph.subject_objects(OA.exact) if isinstance(o, Literal)}
    starts, ends, sources = values(OA.start), values(OA.end), values(OA.hasSource)
    source_of = {iri: str(graph.value(URIRef(iri), URIRef("http://purl.org/dc/terms/source"))) for iri in set(sources.values())}
    for quote, value in exact.items():
        annotation = quote.rsplit("#", 1)[0]
        text = texts[source_of[sources[annotation + "#target"]]]
        start, end = int(starts[annotation + "#position"]), int(ends[annotation + "#position"])
        assert text[start:end] == value, (quote, start, end, value)


@PROPERTY
@given(article_text)
def test_extraction_offsets_quote_the_text_and_the_graph_round_trips(text: str) -> None:
    extractions, resolved, graph = run_many({"test.txt": text})
    (extraction,) = extractions
    check_extraction(text, extraction)
    for entity in resolved.entities.values():
        for ev in entity.evidence.values():
            assert text[ev.start:ev.end] == ev.exact, ev
    check_graph(graph, {"test.txt": text})


@settings(PROPERTY, max_examples=40)
@given(st.lists(news_text(max_parts=6).filter(lambda t: t.replace("\ufeff", "").strip() != ""), min_size=2, max_size=3))
def test_several_articles_resolve_into_one_valid_graph(texts: list[str]) -> None:
    sources = {f"a{i}.txt": text for i, text in enumerate(texts)}
    extractions, _, graph = run_many(sources)
    for ex in extractions:
        check_extraction(sources[ex.article.source], ex)
    check_graph(graph, sources)


# --- dates ----------------------------------------------------------------------------------

@PROPERTY
@given(any_text, published())
def test_dates_periods_durations_and_datelines_are_xsd_valid(text: str, pub: str | None) -> None:
    check_dates(text, pub)


# --- reading files --------------------------------------------------------------------------

@PROPERTY
@given(file_bytes(), st.sampled_from(SUFFIXES))
def test_read_article_returns_an_article_or_raises_article_error(tmp_path: Path, raw: bytes, suffix: str) -> None:
    check_read(tmp_path, raw, suffix)


@settings(PROPERTY, max_examples=50)
@given(st.binary(max_size=200),
       st.one_of(st.binary(max_size=100),
                 st.dictionaries(st.sampled_from(("url", "publisher", "published", "language", "x")),
                                 st.one_of(st.none(), st.integers(), unicode_text(20), published(), st.lists(st.none())))
                 .map(lambda d: json.dumps(d).encode("utf-8")),
                 st.sampled_from((b"[]", b"null", b"\"x\"", b"[" * 50 + b"]" * 50, b"\xef\xbb\xbf{}"))))
def test_read_article_with_any_sidecar_returns_an_article_or_raises_article_error(tmp_path: Path, raw: bytes,
                                                                                  meta: bytes) -> None:
    assume(raw.strip())
    path = tmp_path / "article.txt"
    path.write_bytes(raw)
    (tmp_path / "article.meta.json").write_bytes(meta)
    try:
        read_article(path, tmp_path)
    except ArticleError:
        pass


# --- queries, sidecars and file names ----------------------------------------------------------

@pytest.fixture(scope="module")
def query_workers(built: Path):
    from kg.workers import Limits, Workers

    workers = Workers(built / "kg.ttl", Limits(seconds=1.0, memory_mb=1024, workers=1))
    yield workers
    workers.close()


@settings(PROPERTY, max_examples=150)
@given(sparql_query())
def test_a_query_is_refused_answered_or_an_error_and_its_worker_lives(query_workers, query: str) -> None:
    check_query(query_workers, query)


@settings(PROPERTY, max_examples=100)
@given(file_names, sidecar())
def test_any_file_name_and_sidecar_make_an_article_rdf_can_hold(tmp_path: Path, name: str, meta: bytes) -> None:
    check_read_with_sidecar(tmp_path, name, meta)
