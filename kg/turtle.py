r"""A graph's triples as Oxigraph terms, sorted, and their Turtle: the same bytes for the same triples.

The build sorts its triples once (`sort_triples`): the SHACL check (kg.shapes) loads exactly
those, and Oxigraph's serializer writes them (`turtle`), a block per subject in IRI order, so
that a new article shows in a diff as new blocks and a new fact as a changed line.
`oxigraph_triples` turns rdflib triples into sorted Oxigraph ones.

    >>> from rdflib import Literal, URIRef
    >>> from kg.vocab import SDO, TYPE
    >>> a = URIRef("https://w3id.org/vjkg/resource/article/a")
    >>> triples = [(a, SDO.headline, Literal('Un "accord"')), (a, TYPE, SDO.NewsArticle)]
    >>> turtle(oxigraph_triples(triples), {"schema": str(SDO)}).decode().splitlines()
    ['@prefix schema: <https://schema.org/> .', '<https://w3id.org/vjkg/resource/article/a> a schema:NewsArticle ;', '\tschema:headline "Un \\"accord\\"" .']
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .errors import KgError
from .vocab import PREFIXES

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]  # terms shared between triples, not copied


def oxigraph_triples(triples: Iterable[tuple]) -> list[Triple]:
    """`triples` (rdflib terms) as triples of Oxigraph terms, each once, sorted (`sort_triples`)."""
    iris: dict[str, ox.NamedNode] = {}

    def iri(term: URIRef) -> ox.NamedNode:
        node = iris.get(term)
        if node is None:
            node = iris[term] = ox.NamedNode(str(term))
        return node

    def obj(term: URIRef | Literal) -> ox.NamedNode | ox.Literal:
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            return ox.Literal(str(term), datatype=iri(term.datatype) if term.datatype else None)
        if isinstance(term, BNode):
            raise KgError(f"the graph holds a blank node ({term}); every resource needs an IRI")
        return iri(term)

    try:
        return sort_triples((iri(s), iri(p), obj(o)) for s, p, o in triples)
    except ValueError as exc:  # an IRI or a language tag that RDF does not allow
        raise KgError(f"the graph holds a term that cannot be written as RDF: {exc}") from exc


def sort_triples(triples: Iterable[Triple]) -> list[Triple]:
    """`triples`, each once, by the text of their subject, predicate and object; those of the
    same texts (literals that differ by language or datatype only) in the order they came in."""
    return sorted(dict.fromkeys(triples), key=_order)


def _order(triple: Triple) -> tuple[str, str, str]:
    s, p, o = triple
    return s.value, p.value, o.value


def turtle(triples: list[Triple], prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """Turtle for `triples`, in their order, with the project's prefixes but for resources'
    (kgr:), whose local names hold a '/' that Turtle would escape."""
    return ox.serialize((ox.Triple(*t) for t in triples), format=ox.RdfFormat.TURTLE,
                        prefixes={name: str(ns) for name, ns in prefixes.items() if name != "kgr"})
