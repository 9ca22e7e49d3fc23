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
    types: dict[str, int]  # "agreement reports": an agreement per article that reports it
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
    # one label per entity (the French one, else the first): an entity named in two languages counts once
    degree = _select(store, """
        SELECT (COALESCE(MIN(?fr), MIN(?any)) AS ?label) ?n WHERE {
          { SELECT ?e (COUNT(*) AS ?n) WHERE {
              { ?e ?p ?o } UNION { ?o ?p ?e }
              FILTER EXISTS { ?o rdfs:label [] }
              FILTER EXISTS { ?e rdfs:label [] }
              FILTER(?p NOT IN (prov:wasDerivedFrom, oa:hasBody, rdf:type))
              FILTER NOT EXISTS { ?e a schema:NewsArticle }
            } GROUP BY ?e }
          ?e rdfs:label ?any . OPTIONAL { ?e rdfs:label ?fr FILTER(lang(?fr) = "fr") }
        } GROUP BY ?e ?n ORDER BY DESC(?n) ?label LIMIT %d""" % TOP)
    years: Counter = Counter()  # an agreement once, whatever the reports merged into it say
    for (value,) in _select(store, """SELECT (MIN(?y) AS ?year) WHERE { ?a a kg:Agreement
            OPTIONAL { ?a kg:signedOn ?d BIND(IF(REGEX(STR(?d), "^[0-9]{4}"), SUBSTR(STR(?d), 1, 4), ?unbound) AS ?y) }
            } GROUP BY ?a"""):
        years[value or "unknown"] += 1
    (reports,), = _select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Agreement ; prov:wasDerivedFrom ?article }")
    types["agreement reports"] = int(reports)  # agreements count after merging; the articles reporting them
    publishers = Counter(p or "unknown" for (p,) in _select(
        store, "SELECT ?p WHERE { ?a a schema:NewsArticle OPTIONAL { ?a schema:publisher ?p } }"))
    return Stats(types=types, top_degree=[(label, int(n)) for label, n in degree],
                 agreements_per_year=dict(sorted(years.items())),
                 articles_per_publisher=dict(sorted(publishers.items())), triples=len(store))
