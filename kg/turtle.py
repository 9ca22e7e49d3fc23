"""A graph's triples as Oxigraph terms, sorted, and their Turtle: the same bytes for the same triples.

The build sorts its triples once (`sort_triples`): the SHACL check (kg.shapes) loads exactly
those, and `turtle` writes them, a block per subject in IRI order, a line per value, so that a
new fact shows in a diff as a line and a new article as blocks. Terms are written in
Oxigraph's N-Triples form (its escaping), names shortened by prefix. `oxigraph_triples` turns
rdflib triples into sorted Oxigraph ones.

    >>> from rdflib import Literal, URIRef
    >>> from kg.vocab import SDO, TYPE
    >>> a = URIRef("https://w3id.org/vjkg/resource/article/a")
    >>> triples = [(a, SDO.headline, Literal('Un "accord"')), (a, TYPE, SDO.NewsArticle)]
    >>> print(turtle(oxigraph_triples(triples), {"schema": str(SDO)}).decode())
    @prefix schema: <https://schema.org/> .
    <BLANKLINE>
    <https://w3id.org/vjkg/resource/article/a> a schema:NewsArticle ;
        schema:headline "Un \\"accord\\"" .
    <BLANKLINE>
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from itertools import groupby

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .errors import KgError
from .vocab import PREFIXES, TYPE

Term = ox.NamedNode | ox.Literal
RDF_TYPE = ox.NamedNode(TYPE)
LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a local name that needs no escaping in Turtle


def oxigraph_triples(triples: Iterable[tuple]) -> list[ox.Triple]:
    """`triples` (rdflib terms) as Oxigraph triples, each once, sorted (`sort_triples`)."""
    iris: dict[str, ox.NamedNode] = {}

    def iri(term: URIRef) -> ox.NamedNode:
        node = iris.get(term)
        if node is None:
            node = iris[term] = ox.NamedNode(str(term))
        return node

    def obj(term: URIRef | Literal) -> Term:
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            return ox.Literal(str(term), datatype=iri(term.datatype) if term.datatype else None)
        if isinstance(term, BNode):
            raise KgError(f"the graph holds a blank node ({term}); every resource needs an IRI")
        return iri(term)

    try:
        return sort_triples(ox.Triple(iri(s), iri(p), obj(o)) for s, p, o in triples)
    except ValueError as exc:  # an IRI or a language tag that RDF does not allow
        raise KgError(f"the graph holds a term that cannot be written as RDF: {exc}") from exc


def sort_triples(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """`triples`, each once, by the text of their subject, predicate (rdf:type first), object and
    language tag; literals that differ by datatype only stay in the order they came in."""
    return sorted(dict.fromkeys(triples), key=_order)


def _order(triple: ox.Triple) -> tuple[str, str, str, str]:
    p, o = triple.predicate, triple.object
    return triple.subject.value, "" if p == RDF_TYPE else p.value, o.value, getattr(o, "language", None) or ""


def turtle(triples: list[ox.Triple], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Turtle for `triples`, in their order: one block per run of a subject, one line per value."""
    spaces = sorted(((str(ns), name) for name, ns in prefixes.items()), key=lambda item: -len(item[0]))
    names: dict[str, str] = {}

    def name(iri: str) -> str:
        text = names.get(iri)
        if text is None:
            text = f"<{iri}>"
            for ns, prefix in spaces:
                if iri.startswith(ns) and LOCAL_NAME.fullmatch(iri[len(ns):]):
                    text = f"{prefix}:{iri[len(ns):]}"
                    break
            names[iri] = text
        return text

    def value(term: Term) -> str:
        if isinstance(term, ox.NamedNode):
            return name(term.value)
        text = str(term)
        if term.datatype is not None and text.endswith(">"):
            text = text[:text.rindex("^^") + 2] + name(term.datatype.value)
        return text

    header = [f"@prefix {prefix}: <{ns}> ." for prefix, ns in sorted((p, str(n)) for p, n in prefixes.items())]
    blocks = ["\n".join(header)]
    rdf_type = str(TYPE)
    for subject, block in groupby(triples, key=lambda t: t.subject):
        statements = []
        for predicate, values in groupby(block, key=lambda t: t.predicate):
            verb = "a" if predicate.value == rdf_type else name(predicate.value)
            statements.append(f"{verb} " + ",\n        ".join(value(t.object) for t in values))
        blocks.append(name(subject.value) + " " + " ;\n    ".join(statements) + " .")
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
