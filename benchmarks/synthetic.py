"""synthetic_graph(entities, seed) -> Graph: a large graph shaped like the ones `kg build` writes.

Articles; persons with Vietnamese and Japanese names (diacritics included), nationalities
and memberships (role, organization); organizations with a country and sometimes a parent;
countries; places in countries; technologies with broader concepts; events; agreements
with kind, parties, signatories, date, place, topics and validity. Every entity is derived
from one to three articles and has an annotation (a sentence with offsets) for its first
mention in each; every agreement and membership has one too. The same arguments give the
same graph.
"""
from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef

from kg.iris import mint
from kg.vocab import DCTERMS, KG, OA, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương")
MIDDLE = ("Văn", "Thị", "Mạnh", "Đức", "Minh", "Quốc", "Hữu", "Thanh", "Xuân", "Ngọc")
GIVEN = ("Hùng", "Lan", "Dũng", "Hương", "Tuấn", "Hà", "Phúc", "Thảo", "Long", "Anh", "Khoa", "Trang")
JP_FAMILY = ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi")
JP_GIVEN = ("Haruto", "Yui", "Sanae", "Kenji", "Aiko", "Hiroshi", "Yuki", "Taro", "Emi", "Shinzo")
ORG_HEADS = ("Ministère", "Agence", "Institut", "Université", "Banque", "Centre", "Académie", "Société")
FIELDS = ("l'Information", "la Communication", "l'Espace", "l'Énergie", "la Santé", "l'Agriculture",
          "l'Éducation", "la Construction", "l'Environnement", "la Finance", "la Défense", "la Culture")
TECH = ("5G", "intelligence artificielle", "satellites", "cybersécurité", "semi-conducteurs", "robotique",
        "énergie solaire", "hydrogène", "télédétection", "chaîne de blocs", "biotechnologie", "métro")
KINDS = ("memorandum", "convention", "agreement", "protocol", "loan agreement", "letter of intent")
KIND_FR = {"memorandum": "Mémorandum", "convention": "Convention", "agreement": "Accord",
           "protocol": "Protocole d'accord", "loan agreement": "Accord de prêt",
           "letter of intent": "Lettre d'intention"}

# Shares of the entities by type (the rest are persons).
SHARES = {"organization": 0.24, "agreement": 0.20, "technology": 0.08, "place": 0.06, "event": 0.05}
COUNTRIES = 12
WORDS_PER_ARTICLE = 20  # entities per article, roughly


class _Maker:
    def __init__(self, seed: int):
        self.g = Graph()
        self.rng = random.Random(seed)
        self.annotations = 0

    def add(self, s: URIRef, p: URIRef, o) -> None:
        self.g.add((s, p, o))

    def annotate(self, body: URIRef, article: URIRef, sentence: str) -> None:
        self.annotations += 1
        ann = mint("annotation", f"synthetic-{self.annotations}")
        target, position, quote = (URIRef(f"{ann}#{frag}") for frag in ("target", "position", "quote"))
        start = self.rng.randrange(0, 4000)
        for s, p, o in (
            (ann, RDF.type, OA.Annotation), (ann, OA.hasBody, body), (ann, OA.motivatedBy, OA.describing),
            (ann, OA.hasTarget, target), (target, RDF.type, OA.SpecificResource),
            (target, OA.hasSource, article), (target, OA.hasSelector, position),
            (target, OA.hasSelector, quote), (position, RDF.type, OA.TextPositionSelector),
            (position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)),
            (position, OA.end, Literal(start + len(sentence), datatype=XSD.nonNegativeInteger)),
            (quote, RDF.type, OA.TextQuoteSelector), (quote, OA.exact, Literal(sentence)),
        ):
            self.add(s, p, o)

    def entity(self, iri: URIRef, classes: tuple[URIRef, ...], label: str, articles: list[URIRef]) -> None:
        for cls in classes:
            self.add(iri, RDF.type, cls)
        self.add(iri, RDFS.label, Literal(label, lang="fr"))
        for article in articles:
            self.add(iri, PROV.wasDerivedFrom, article)
            self.annotate(iri, article, f"Selon l'article, {label} a participé à la coopération entre "
                                        f"le Vietnam et le Japon dans plusieurs domaines.")


def synthetic_graph(entities: int = 5000, seed: int = 7) -> Graph:
    """About `entities` entity nodes (articles come on top), shaped like a `kg build` graph."""
    m = _Maker(seed)
    rng = m.rng
    n_articles = max(1, entities // WORDS_PER_ARTICLE)
    articles = [mint("article", f"synthetic-{i:05d}") for i in range(n_articles)]
    for i, article in enumerate(articles):
        m.add(article, RDF.type, SDO.NewsArticle)
        headline = f"Vietnam et Japon: coopération n°{i} dans le domaine de {rng.choice(FIELDS)}"
        m.add(article, SDO.headline, Literal(headline))
        m.add(article, DCTERMS.source, Literal(f"synthetic/{i:05d}.txt"))
        m.add(article, SDO.inLanguage, Literal("fr"))

    def sources() -> list[URIRef]:
        first = rng.randrange(n_articles)
        extra = rng.sample(articles, min(n_articles, rng.choice((0, 0, 0, 1, 2))))
        return sorted({articles[first], *extra})

    countries = []
    for i in range(COUNTRIES):
        iri = mint("country", f"country-{i}")
        name = ("Vietnam", "Japon")[i] if i < 2 else f"Pays {i}"
        m.entity(iri, (SDO.Country,), name, rng.sample(articles, min(n_articles, 40 if i < 2 else 3)))
        countries.append(iri)
    counts = {kind: int(entities * share) for kind, share in SHARES.items()}
    counts["person"] = entities - COUNTRIES - sum(counts.values())

    places = []
    for i in range(counts["place"]):
        iri = mint("place", f"place-{i}")
        m.entity(iri, (SDO.Place, SDO.City), f"Ville {i}", sources())
        m.add(iri, SDO.containedInPlace, rng.choice(countries[:2]) if rng.random() < 0.8 else rng.choice(countries))
        places.append(iri)
    techs = []
    for i in range(counts["technology"]):
        iri = mint("technology", f"technology-{i}")
        m.entity(iri, (KG.Technology, SKOS.Concept), f"{TECH[i % len(TECH)]} {i}", sources())
        if techs and rng.random() < 0.5:
            m.add(iri, SKOS.broader, rng.choice(techs))
        techs.append(iri)
    orgs = []
    for i in range(counts["organization"]):
        iri = mint("organization", f"organization-{i}")
        country = rng.choice(countries[:2]) if rng.random() < 0.85 else rng.choice(countries)
        m.entity(iri, (SDO.Organization,), f"{rng.choice(ORG_HEADS)} de {rng.choice(FIELDS)} n°{i}", sources())
        m.add(iri, SDO.location, country)
        if orgs and rng.random() < 0.2:
            m.add(iri, SDO.parentOrganization, rng.choice(orgs))
        orgs.append(iri)
    persons = []
    for i in range(counts["person"]):
        iri = mint("person", f"person-{i}")
        japanese = rng.random() < 0.4
        name = (f"{rng.choice(JP_FAMILY)} {rng.choice(JP_GIVEN)}" if japanese else
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}")
        arts = sources()
        m.entity(iri, (SDO.Person,), f"{name} {i}", arts)
        m.add(iri, SDO.nationality, countries[1] if japanese else countries[0])
        for j in range(rng.choice((1, 1, 2))):
            org = rng.choice(orgs)
            role = mint("role", f"role-{i % 50}")
            m.add(role, RDF.type, ORG.Role)
            m.add(role, RDFS.label, Literal(f"ministre {i % 50}", lang="fr"))
            membership = mint("membership", f"membership-{i}-{j}")
            for p, o in ((RDF.type, ORG.Membership), (ORG.member, iri), (ORG.organization, org),
                         (ORG.role, role), (PROV.wasDerivedFrom, arts[0])):
                m.add(membership, p, o)
            m.annotate(membership, arts[0], f"{name}, ministre {i % 50}, a rencontré la délégation.")
        persons.append(iri)
    for i in range(counts["event"]):
        iri = mint("event", f"event-{i}")
        m.entity(iri, (SDO.Event,), f"Forum de coopération {i}", sources())
        m.add(iri, SDO.location, rng.choice(places))
        m.add(iri, SDO.startDate, Literal(f"20{rng.randrange(10, 25)}-{rng.randrange(1, 13):02d}",
                                          datatype=XSD.gYearMonth))
    for i in range(counts["agreement"]):
        iri = mint("agreement", f"agreement-{i}")
        kind = rng.choice(KINDS)
        arts = sources()
        m.entity(iri, (KG.Agreement,), f"{KIND_FR[kind]} de coopération n°{i}", arts)
        m.add(iri, KG.agreementKind, Literal(kind))
        for party in rng.sample(orgs, 2) + rng.sample(countries[:2], rng.choice((0, 1, 2))):
            m.add(iri, KG.party, party)
        for signatory in rng.sample(persons, 2):
            m.add(iri, KG.signatory, signatory)
        m.add(iri, KG.signedAt, rng.choice(places))
        year = rng.randrange(2010, 2025)
        m.add(iri, KG.signedOn, Literal(f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
                                        datatype=XSD.date))
        for topic in rng.sample(techs, rng.choice((1, 2, 3))):
            m.add(iri, KG.topic, topic)
        if rng.random() < 0.4:
            m.add(iri, KG.validFrom, Literal(str(year), datatype=XSD.gYear))
            m.add(iri, KG.validUntil, Literal(str(year + 3), datatype=XSD.gYear))
            m.add(iri, KG.duration, Literal("P3Y", datatype=XSD.duration))
    return m.g
