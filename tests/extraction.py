"""Helpers for extraction tests: run the real pipeline on a text written for the test."""
from __future__ import annotations

from kg.articles import headline, segment
from kg.extract import extract
from kg.gazetteer import default_gazetteer
from kg.graph import as_graph, build_graph
from kg.models import Article, Extraction, Meta
from kg.nlp import parse_many
from kg.resolve import resolve


def article(text: str, published: str | None = None, source: str = "test.txt") -> Article:
    return Article(source=source, text=text, headline=headline(text), segments=segment(text),
                   meta=Meta(published=published))


def run(text: str, published: str | None = None, source: str = "test.txt") -> Extraction:
    a = article(text, published, source)
    return extract(a, parse_many([a])[0], default_gazetteer())


def run_many(texts: dict[str, str]):
    """Extract several articles and resolve them together: (extractions, resolved, graph)."""
    articles = [article(text, source=name) for name, text in texts.items()]
    extractions = [extract(a, p, default_gazetteer()) for a, p in zip(articles, parse_many(articles))]
    resolved = resolve(extractions, default_gazetteer())
    return extractions, resolved, as_graph(build_graph(extractions, resolved, default_gazetteer()))


def labels(extraction: Extraction, type_: str) -> set[str]:
    return {m.label for m in extraction.mentions if m.type == type_}


def texts(extraction: Extraction, type_: str) -> set[str]:
    return {m.text for m in extraction.mentions if m.type == type_}


def label_of(extraction: Extraction, ref: str) -> str:
    return next(m.label for m in extraction.mentions if m.ref == ref)
