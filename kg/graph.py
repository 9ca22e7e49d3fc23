"""Resolved entities and facts -> triples with provenance; Turtle in.

No blank nodes: annotations, targets and selectors get minted IRIs, so the Turtle is
the same bytes for the same input.

`build_graph` gives the triples as tuples of Oxigraph terms, in the order they
were made: a build checks them on Oxigraph and writes them out (kg.turtle, kg.view), and
Oxigraph's terms are several times cheaper to make, hash and compare than rdflib's, for the
hundreds of thousands of triples of a thousand articles. `as_graph` makes an rdflib Graph of
them where rdflib's API is wanted.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .errors import GraphFileError
from .gazetteer import Gazetteer
from .iris import annotation_iri, digest, mint, part
from .models import (AGREEMENT, COUNTRY, EVENT, FIELD, ORGANIZATION, PERSON, PLACE, TECHNOLOGY, Agreement, Article, DateValue,
                     Evidence, Extraction, published_parts)
from .merge import merged
from .resolve import Entity, Resolved
from .turtle import Triple
from .vocab import ALT_LABEL, DCTERMS, DERIVED_FROM, KG, LABEL, OA, ORG, OWL, PREFIXES, SDO, SKOS, TYPE, XSD

Term = ox.NamedNode | ox.Literal

KIND = {PERSON: "person", ORGANIZATION: "organization", COUNTRY: "country", PLACE: "place",
        TECHNOLOGY: "technology", FIELD: "field", EVENT: "event", AGREEMENT: "agreement"}
CLASSES = {PERSON: (SDO.Person,), ORGANIZATION: (SDO.Organization,), COUNTRY: (SDO.Country,), PLACE: (SDO.Place,),
           TECHNOLOGY: (KG.Technology, SKOS.Concept), FIELD: (KG.Field, SKOS.Concept), EVENT: (SDO.Event,), AGREEMENT: (KG.Agreement,)}
DATATYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear, "gMonthDay": XSD.gMonthDay}
SCHEME = ox.NamedNode(mint("scheme", "technologies"))
WIKIDATA = "http://www.wikidata.org/entity/"


def as_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib Graph holding `triples`, with the project's prefixes bound."""
    nt = ox.serialize((ox.Triple(*t) for t in triples), format=ox.RdfFormat.N_TRIPLES)
    return new_graph().parse(data=nt, format="nt")


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def text(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang or None)


def typed(value: str, datatype: URIRef) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(datatype))


def date_literal(value: DateValue) -> ox.Literal:
    return typed(value.lexical, DATATYPES[value.datatype])


def node(term: Term | str) -> Term:
    """An Oxigraph term for `term`: itself, or the IRI it spells (a vocabulary term, a minted IRI)."""
    return term if isinstance(term, (ox.NamedNode, ox.Literal)) else ox.NamedNode(term)


# The terms of an evidence annotation, nine triples in ten of a graph, made once.
RDF_TYPE, BODY, MOTIVATED_BY, DESCRIBING, HAS_TARGET, SPECIFIC_RESOURCE, HAS_SOURCE, HAS_SELECTOR, POSITION, START, END, \
    QUOTE, EXACT, ANNOTATION = map(ox.NamedNode, (
        TYPE, OA.hasBody, OA.motivatedBy, OA.describing, OA.hasTarget, OA.SpecificResource, OA.hasSource,
        OA.hasSelector, OA.TextPositionSelector, OA.start, OA.end, OA.TextQuoteSelector, OA.exact, OA.Annotation))
COUNT = ox.NamedNode(XSD.nonNegativeInteger)


def article_iri(article: Article) -> ox.NamedNode:
    """From the article's path under its sources folder, so a/news.txt and b/news.txt stay two."""
    return ox.NamedNode(mint("article", article.source.rsplit(".", 1)[0]))


def entity_iri(entity: Entity) -> ox.NamedNode:
    kind = KIND[entity.type]
    if entity.entry is not None:
        return ox.NamedNode(mint(kind, entity.entry.id))
    name = entity.label
    if entity.type == ORGANIZATION and entity.country and entity.country.startswith("gaz:"):
        country = entity.country[4:]
        if country.replace("-", " ") not in name.lower():
            name = f"{name} {country}"
    return ox.NamedNode(mint(kind, name))


class Triples(list):
    """Triples in the order they were made; `add` takes a vocabulary term or a minted IRI where
    an Oxigraph term is wanted."""

    def add(self, triple: tuple) -> None:
        s, p, o = triple
        self.append((node(s), node(p), node(o)))


class Builder:
    """Adds articles, entities and facts to one set of triples (`g`, with Graph's `add`)."""

    def __init__(self, gazetteer: Gazetteer):
        self.g = Triples()
        self.gazetteer = gazetteer
        self.iris: dict[str, ox.NamedNode] = {}
        self.articles: dict[str, ox.NamedNode] = {}
        self.agreed: list[tuple[ox.NamedNode, Agreement]] = []  # agreements whose links to entities are still to add
        self.agreement_iris: dict[tuple[str, int], ox.NamedNode] = {}  # (article, index) -> its merged node

    def facts(self, extraction: Extraction) -> None:
        """What an article gives whatever the articles around it: its node, and its agreements
        but for their links to entities (`links`, once resolved)."""
        self.article(extraction.article)
        self.agreements(extraction)

    def article(self, article: Article) -> None:
        iri = self.articles[article.source] = article_iri(article)
        g, meta = self.g, article.meta
        g.add((iri, TYPE, SDO.NewsArticle))
        g.add((iri, SDO.headline, text(article.headline)))
        g.add((iri, DCTERMS.source, text(article.source)))
        g.add((iri, SDO.inLanguage, text(meta.language_tag)))
        if meta.publisher:
            g.add((iri, SDO.publisher, text(meta.publisher)))
        if meta.url:
            g.add((iri, SDO.url, typed(meta.url, XSD.anyURI)))
        if meta.published:
            year, month, day = published_parts(meta.published)
            if year is not None:
                lexical, dtype = ((f"{year:04d}-{month:02d}-{day:02d}", "date") if day else
                                  (f"{year:04d}-{month:02d}", "gYearMonth") if month else (f"{year:04d}", "gYear"))
                g.add((iri, SDO.datePublished, date_literal(DateValue(lexical, dtype))))

    def evidence(self, body: ox.NamedNode, ev: Evidence) -> None:
        """An oa:Annotation of `body` whose target is the article's text from ev.start to ev.end;
        its parts' IRIs are its own with #target, #position and #quote (docs/graph-model.md)."""
        iri = annotation_iri(body.value, ev.source, ev.start, ev.end)
        ann = ox.NamedNode(iri)
        target, position, quote = (ox.NamedNode(part(iri, name)) for name in ("target", "position", "quote"))
        for s, p, o in ((ann, RDF_TYPE, ANNOTATION), (ann, BODY, body), (ann, MOTIVATED_BY, DESCRIBING),
                        (ann, HAS_TARGET, target), (target, RDF_TYPE, SPECIFIC_RESOURCE),
                        (target, HAS_SOURCE, self.articles[ev.source]), (target, HAS_SELECTOR, position),
                        (target, HAS_SELECTOR, quote), (position, RDF_TYPE, POSITION),
                        (position, START, ox.Literal(str(ev.start), datatype=COUNT)),
                        (position, END, ox.Literal(str(ev.end), datatype=COUNT)),
                        (quote, RDF_TYPE, QUOTE), (quote, EXACT, ox.Literal(ev.exact))):
            self.g.append((s, p, o))

    def derived(self, iri: ox.NamedNode, sources) -> None:
        add, articles = self.g.add, self.articles
        for source in sources:
            add((iri, DERIVED_FROM, articles[source]))

    def entities(self, resolved: Resolved) -> None:
        for ref, entity in resolved.entities.items():
            self.iris[ref] = entity_iri(entity)
        for ref in sorted(resolved.entities):
            self.entity(resolved.entities[ref], resolved)

    def entity(self, entity: Entity, resolved: Resolved) -> None:
        g, iri = self.g, self.iris[entity.ref]
        for cls in CLASSES[entity.type]:
            g.add((iri, TYPE, cls))
        if entity.government:
            g.add((iri, TYPE, SDO.GovernmentOrganization))
        entry = entity.entry
        if entry is not None and entry.city:
            g.add((iri, TYPE, SDO.City))
        if entity.type == PERSON:
            g.add((iri, LABEL, text(entity.label)))
            for lang, label in entity.labels.items():
                if label != entity.label:
                    g.add((iri, ALT_LABEL, text(label, lang)))
        else:
            for lang, label in entity.labels.items():
                g.add((iri, LABEL, text(label, lang)))
        for alt in entity.alt_labels:
            g.add((iri, ALT_LABEL, text(alt)))
        self.derived(iri, entity.sources)
        for ev in entity.evidence.values():
            self.evidence(iri, ev)
        if entry is not None and entry.wikidata:
            g.add((iri, OWL.sameAs, WIKIDATA + entry.wikidata))
        # Only to a country the articles mention: every node in the graph has its provenance.
        country = self.iris.get(entity.country) if entity.country else None
        prop = {PERSON: SDO.nationality, ORGANIZATION: SDO.location, PLACE: SDO.containedInPlace}.get(entity.type)
        if country is not None and prop is not None and country != iri:
            g.add((iri, prop, country))
        parent = self.iris.get(resolved.ref(entity.parent)) if entity.parent else None
        if parent is not None and parent != iri:
            g.add((iri, SDO.parentOrganization, parent))
        if entity.type in (TECHNOLOGY, FIELD):
            if entity.type == TECHNOLOGY:
                g.add((iri, SKOS.inScheme, SCHEME))
            for lang, label in entity.labels.items():
                g.add((iri, SKOS.prefLabel, text(label, lang)))
            if entry is not None:
                self.broader(iri, entry.broader)

    def broader(self, iri: ox.NamedNode, broader: tuple[str, ...]) -> None:
        """skos:broader up the scheme; concepts never mentioned are plain skos:Concepts (no provenance)."""
        for parent_id in broader:
            parent = ox.NamedNode(mint("technology", parent_id))
            self.g.add((iri, SKOS.broader, parent))
            entry = self.gazetteer.entries[parent_id]
            self.g.add((parent, TYPE, SKOS.Concept))
            self.g.add((parent, SKOS.inScheme, SCHEME))
            for lang, label in entry.labels.items():
                self.g.add((parent, SKOS.prefLabel, text(label, lang)))
            self.broader(parent, self.gazetteer.entries[parent_id].broader)

    def memberships(self, extractions: list[Extraction], resolved: Resolved) -> None:
        grouped: dict[tuple[str, str, str], list] = defaultdict(list)
        language: dict[str, str] = {}  # a role's words are in the language of the article that gave them
        for ex in extractions:
            for ms in ex.memberships:
                grouped[(resolved.ref(ms.person), resolved.ref(ms.organization), ms.role)].append(ms)
                language.setdefault(ms.evidence.source, ex.article.meta.language_tag)
        for (person, org, role), items in sorted(grouped.items()):
            tag = language[items[0].evidence.source]
            p, o = self.iris[person], self.iris[org]
            iri = ox.NamedNode(mint("membership", f"{p.value.rsplit('/', 1)[-1]} {o.value.rsplit('/', 1)[-1]} {role}"))
            role_iri = ox.NamedNode(mint("role", role))
            g = self.g
            g.add((iri, TYPE, ORG.Membership))
            g.add((iri, ORG.member, p))
            g.add((iri, ORG.organization, o))
            g.add((iri, ORG.role, role_iri))
            g.add((iri, KG.roleTitle, text(items[0].title, tag)))
            g.add((role_iri, TYPE, ORG.Role))
            g.add((role_iri, LABEL, text(role, tag)))
            self.derived(iri, {ms.evidence.source for ms in items})
            for ev in sorted({ms.evidence for ms in items}, key=lambda e: (e.source, e.start)):
                self.evidence(iri, ev)

    def agreements(self, extraction: Extraction) -> None:
        g = self.g
        source = extraction.article.source
        for index, ag in enumerate(extraction.agreements):
            iri = self.agreement_iris.get((source, index)) or agreement_iri(source, ag)
            g.add((iri, TYPE, KG.Agreement))
            g.add((iri, LABEL, text(ag.label, extraction.article.meta.language_tag)))
            g.add((iri, KG.agreementKind, text(ag.kind)))
            for prop, value in ((KG.signedOn, ag.signed_on), (KG.validFrom, ag.valid_from), (KG.validUntil, ag.valid_until)):
                if value is not None:
                    g.add((iri, prop, date_literal(value)))
            if ag.duration:
                g.add((iri, KG.duration, typed(ag.duration, XSD.duration)))
            self.derived(iri, {source})
            for ev in ag.evidence:
                self.evidence(iri, ev)
            self.agreed.append((iri, ag))

    def links(self, resolved: Resolved) -> None:
        """The agreements' parties, signatories, topics and places, as resolved."""
        g, iris, ref = self.g, self.iris, resolved.ref
        for iri, ag in self.agreed:
            for prop, refs in ((KG.party, ag.parties), (KG.signatory, ag.signatories), (KG.topic, ag.topics)):
                for r in refs:
                    g.add((iri, prop, iris[ref(r)]))
            if ag.signed_at:
                g.add((iri, KG.signedAt, iris[ref(ag.signed_at)]))
        self.agreed = []

    def events(self, extraction: Extraction, resolved: Resolved) -> None:
        for ev in extraction.events:
            iri = self.iris[resolved.ref(ev.ref)]
            if ev.start_date is not None:
                self.g.add((iri, SDO.startDate, date_literal(ev.start_date)))
            if ev.location is not None:
                self.g.add((iri, SDO.location, self.iris[resolved.ref(ev.location)]))


def agreement_iri(source: str, ag: Agreement) -> ox.NamedNode:
    return ox.NamedNode(mint("agreement", f"{ag.label} {digest(source, ag.evidence[0].start)}"))


def build_graph(extractions: list[Extraction], resolved: Resolved, gazetteer: Gazetteer) -> list[Triple]:
    """The triples of `extractions`, resolved as `resolved`, in the order they were made (some
    more than once: kg.turtle.sort_triples keeps one of each). The reports of one agreement in
    several articles make one node (kg.merge), named after the first."""
    b = Builder(gazetteer)
    given = {(ex.article.source, i): ag for ex in extractions for i, ag in enumerate(ex.agreements)}
    b.agreement_iris = {key: agreement_iri(first[0], given[first]) for key, first in merged(extractions, resolved).items()}
    for ex in extractions:
        b.facts(ex)
    b.entities(resolved)
    b.memberships(extractions, resolved)
    b.links(resolved)
    for ex in extractions:
        b.events(ex, resolved)
    return b.g


def load_graph(path: Path) -> Graph:
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run `kg build` first or pass --graph")
    g = new_graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many parser-specific types
        raise GraphFileError(f"{path}: not valid Turtle ({exc})") from exc
    return g
