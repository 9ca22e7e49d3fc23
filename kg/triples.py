"""The set of triples a build makes, with its evidence annotations held as records.

Nine triples in ten of a built graph describe evidence: each annotation is 13 triples over
four resources (the annotation, its target, a position selector and a quote selector), all
fixed by six values. `Triples` keeps one `Annotation` record for them: a tenth of the memory,
no rdflib term made per triple, and the Turtle writer (kg/turtle.py) renders the four blocks
from a template. Iterating a `Triples` gives every triple, the annotations' included, as
rdflib terms, so whatever reads triples reads it like any other graph.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from rdflib import Literal, URIRef

from .vocab import OA, RDF, XSD

Triple = tuple[URIRef, URIRef, URIRef | Literal]

A = RDF.type
ANNOTATION, DESCRIBING, SPECIFIC_RESOURCE = OA.Annotation, OA.describing, OA.SpecificResource
POSITION_SELECTOR, QUOTE_SELECTOR = OA.TextPositionSelector, OA.TextQuoteSelector
HAS_BODY, HAS_TARGET, MOTIVATED_BY = OA.hasBody, OA.hasTarget, OA.motivatedBy
HAS_SELECTOR, HAS_SOURCE, START, END, EXACT = OA.hasSelector, OA.hasSource, OA.start, OA.end, OA.exact
NON_NEGATIVE = XSD.nonNegativeInteger
PARTS = ("target", "position", "quote")  # the fragments of the annotation IRI that name its parts


def part(iri: str, name: str) -> str:
    """The IRI of a part of an annotation: its IRI, '#' and the part's name."""
    return f"{iri}#{name}"


class Annotation(NamedTuple):
    """An oa:Annotation whose body is described by the text from `start` to `end` of an article.

    IRIs are plain strings; the parts' IRIs are the annotation's with #target, #position and
    #quote (docs/graph-model.md).
    """

    iri: str
    body: str
    source: str  # the article's IRI
    start: int
    end: int
    exact: str  # the article's text from start to end

    def triples(self) -> Iterator[Triple]:
        ann = URIRef(self.iri)
        target, position, quote = (URIRef(part(self.iri, name)) for name in PARTS)
        yield from (
            (ann, A, ANNOTATION), (ann, HAS_BODY, URIRef(self.body)), (ann, MOTIVATED_BY, DESCRIBING),
            (ann, HAS_TARGET, target),
            (target, A, SPECIFIC_RESOURCE), (target, HAS_SOURCE, URIRef(self.source)),
            (target, HAS_SELECTOR, position), (target, HAS_SELECTOR, quote),
            (position, A, POSITION_SELECTOR),
            (position, START, Literal(str(self.start), datatype=NON_NEGATIVE)),
            (position, END, Literal(str(self.end), datatype=NON_NEGATIVE)),
            (quote, A, QUOTE_SELECTOR), (quote, EXACT, Literal(self.exact)),
        )


ANNOTATION_TRIPLES = 13


class Triples:
    """A set of triples that iterates in the order they were added, plus annotation records.

    Triples are added one subject's at a time, so this order walks memory in the order it was
    filled: at millions of triples, a set's hash order makes every step of writing them out a
    cache miss. Annotations are a set of records; only `annotate` adds them, and their triples
    are not also added one by one.
    """

    __slots__ = ("triples", "annotations")

    def __init__(self, triples: Iterable[Triple] = ()):
        self.triples: dict[Triple, None] = dict.fromkeys(triples)
        self.annotations: dict[Annotation, None] = {}

    def add(self, triple: Triple) -> None:
        self.triples[triple] = None

    def update(self, triples: Iterable[Triple]) -> None:
        self.triples.update(dict.fromkeys(triples))

    def annotate(self, annotation: Annotation) -> None:
        self.annotations[annotation] = None

    def __len__(self) -> int:
        """The number of triples, each record counting its 13 (two records with one IRI, which
        only a digest collision could make, share some and are counted twice)."""
        return len(self.triples) + ANNOTATION_TRIPLES * len(self.annotations)

    def __iter__(self) -> Iterator[Triple]:
        yield from self.triples
        for annotation in self.annotations:
            yield from annotation.triples()
