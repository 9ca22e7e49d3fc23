"""Counts a user asks of a built graph: entities by type, best-connected entities,
agreements per year, articles per publisher."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from .vocab import PREFIXES

ENTITY_TYPES = {
    "schema:Person": "people", "schema:Organization": "organizations", "schema:Country": "countries",
    "schema:Place": "places", "kg:Technology": "technologies", "kg:Field": "fields", "schema:Event": "events",
    "kg:Agreement": "agreements", "org:Membership": "memberships", "schema:NewsArticle": "articles",
}
TOP = 10


@dataclass(frozen=True)
class Stats:
    types: dict[str, int]
    top_degree: list[tuple[str, int]]  # (label, number of facts linking it to other entities)
    agreements_per_year: dict[str, int]  # "unknown" when the text gives no year
    articles_per_publisher: dict[str, int]
    triples: int


def _select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    results = store.query(query, prefixes=prefixes)
    names = [v.value for v in results.variables]
    return [tuple("" if row[n] is None else row[n].value for n in names) for row in results]


def stats(store: ox.Store) -> Stats:
    types = {name: 0 for name in ENTITY_TYPES.values()}
    for cls, name in ENTITY_TYPES.items():
        (count,), = _select(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {cls} }}")
        types[name] = int(count)
    degree = _select(store, """
        SELECT ?label (COUNT(*) AS ?n) WHERE {
          { ?e ?p ?o } UNION { ?o ?p ?e }
          FILTER EXISTS { ?o rdfs:label [] }
          FILTER(?p NOT IN (prov:wasDerivedFrom, oa:hasBody, rdf:type))
          ?e rdfs:label ?label . FILTER(lang(?label) = "fr" || lang(?label) = "")
          FILTER NOT EXISTS { ?e a schema:NewsArticle }
        } GROUP BY ?e ?label ORDER BY DESC(?n) ?label LIMIT %d""" % TOP)
    years: Counter = Counter()
    for (value,) in _select(store, "SELECT ?d WHERE { ?a a kg:Agreement OPTIONAL { ?a kg:signedOn ?d } }"):
        years[value[:4] if value[:4].isdigit() else "unknown"] += 1
    publishers = Counter(p or "unknown" for (p,) in _select(
        store, "SELECT ?p WHERE { ?a a schema:NewsArticle OPTIONAL { ?a schema:publisher ?p } }"))
    return Stats(types=types, top_degree=[(label, int(n)) for label, n in degree],
                 agreements_per_year=dict(sorted(years.items())),
                 articles_per_publisher=dict(sorted(publishers.items())), triples=len(store))
