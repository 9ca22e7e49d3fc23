"""Tests for kg.view.render_html: offline, deterministic, safe, complete."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

# The repository has no packaging metadata yet: make `kg` importable under plain `pytest`.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.view import render_html  # noqa: E402
# SDO and XSD are used through the module: as test-module globals they make pytest warn.
from kg import vocab  # noqa: E402
from kg.vocab import DCTERMS, KG, KGR, OA, ORG, PROV, RDF, RDFS, SKOS  # noqa: E402

EVIL = "</script><script>alert(1)</script> \"quotes\" & 'apostrophes'"


def annotate(g: Graph, name: str, body: URIRef, article: URIRef, sentence: str) -> None:
    ann = KGR[f"annotation/{name}"]
    target, quote = URIRef(ann + "#target"), URIRef(ann + "#quote")
    g.add((ann, RDF.type, OA.Annotation))
    g.add((ann, OA.hasBody, body))
    g.add((ann, OA.motivatedBy, OA.describing))
    g.add((ann, OA.hasTarget, target))
    g.add((target, RDF.type, OA.SpecificResource))
    g.add((target, OA.hasSource, article))
    g.add((target, OA.hasSelector, quote))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(sentence)))


def sample_graph(label: str = "Nguyễn Mạnh Hùng",
                 sentence: str = "M. Hùng a signé le mémorandum.") -> Graph:
    g = Graph()
    art = KGR["article/a1"]
    g.add((art, RDF.type, vocab.SDO.NewsArticle))
    g.add((art, vocab.SDO.headline, Literal("Le Vietnam et le Japon coopèrent")))
    g.add((art, DCTERMS.source, Literal("seeds/a1.txt")))
    viet, japan = KGR["country/vietnam"], KGR["country/japon"]
    for c, name in ((viet, "Vietnam"), (japan, "Japon")):
        g.add((c, RDF.type, vocab.SDO.Country))
        g.add((c, RDFS.label, Literal(name, lang="fr")))
        g.add((c, PROV.wasDerivedFrom, art))
    person, ministry = KGR["person/hung"], KGR["organization/mic"]
    g.add((person, RDF.type, vocab.SDO.Person))
    g.add((person, RDFS.label, Literal(label, lang="fr")))
    g.add((person, RDFS.label, Literal("Nguyen Manh Hung", lang="en")))
    g.add((person, SKOS.altLabel, Literal("M. Hùng", lang="fr")))
    g.add((person, vocab.SDO.nationality, viet))
    g.add((person, PROV.wasDerivedFrom, art))
    g.add((ministry, RDF.type, vocab.SDO.Organization))
    g.add((ministry, RDF.type, vocab.SDO.GovernmentOrganization))
    g.add((ministry, RDFS.label, Literal("Ministère de l'Information", lang="fr")))
    g.add((ministry, vocab.SDO.location, viet))
    hanoi, ai = KGR["place/hanoi"], KGR["technology/ia"]
    g.add((hanoi, RDF.type, vocab.SDO.Place))
    g.add((hanoi, RDF.type, vocab.SDO.City))
    g.add((hanoi, RDFS.label, Literal("Hanoï", lang="fr")))
    g.add((hanoi, vocab.SDO.containedInPlace, viet))
    g.add((ai, RDF.type, KG.Technology))
    g.add((ai, RDF.type, SKOS.Concept))
    g.add((ai, RDFS.label, Literal("intelligence artificielle", lang="fr")))
    g.add((ai, SKOS.broader, KGR["technology/numerique"]))  # a bare concept: not a node
    g.add((KGR["technology/numerique"], RDF.type, SKOS.Concept))
    agr = KGR["agreement/mou"]
    g.add((agr, RDF.type, KG.Agreement))
    g.add((agr, RDFS.label, Literal("Mémorandum de coopération", lang="fr")))
    g.add((agr, KG.party, ministry))
    g.add((agr, KG.party, japan))
    g.add((agr, KG.signatory, person))
    g.add((agr, KG.signedAt, hanoi))
    g.add((agr, KG.topic, ai))
    g.add((agr, KG.signedOn, Literal("2023-11-27", datatype=vocab.XSD.date)))
    g.add((agr, KG.duration, Literal("P5Y", datatype=vocab.XSD.duration)))
    g.add((agr, PROV.wasDerivedFrom, art))
    annotate(g, "agr", agr, art, "Le mémorandum a été signé à Hanoï.")
    annotate(g, "hung", person, art, sentence)
    membership, role = KGR["membership/hung-mic"], KGR["role/ministre"]
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.member, person))
    g.add((membership, ORG.organization, ministry))
    g.add((membership, ORG.role, role))
    g.add((role, RDF.type, ORG.Role))
    g.add((role, RDFS.label, Literal("ministre de l'Information", lang="fr")))
    annotate(g, "membership", membership, art, "Le ministre Nguyễn Mạnh Hùng a déclaré.")
    return g


def data_of(page: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "embedded JSON not found"
    return json.loads(match.group(1))


def node(data: dict[str, Any], iri: URIRef) -> dict[str, Any]:
    return next(n for n in data["nodes"] if n["id"] == str(iri))


def test_offline() -> None:
    page = render_html(sample_graph())
    attrs = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, re.I)
    assert not [a for a in attrs if a.lower().startswith(("http:", "https:", "//"))]
    assert not re.search(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=""", page, re.I)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?[^"'\s>]*cdn""", page, re.I)
    assert "vis.Network" in page and ".vis-network" in page  # the library itself is inline


def test_vis_library_inlined_intact() -> None:
    page = render_html(sample_graph())
    lib = resources.files("pyvis") / "templates/lib/vis-9.1.2"
    for name in ("vis-network.min.js", "vis-network.css"):
        assert lib.joinpath(name).read_text(encoding="utf-8") in page


def test_deterministic_across_hash_seeds() -> None:
    assert render_html(sample_graph()) == render_html(sample_graph())
    code = "import sys, tests.test_view as t, kg.view as v; sys.stdout.write(v.render_html(t.sample_graph()))"
    pages = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert pages[0] == pages[1]


def test_nodes_are_entities_and_articles() -> None:
    data = data_of(render_html(sample_graph()))
    # article, 2 countries, person, ministry, place, technology, agreement
    assert len(data["nodes"]) == 8
    ids = {n["id"] for n in data["nodes"]}
    assert str(KGR["technology/numerique"]) not in ids  # bare skos:Concept
    assert not any("/membership/" in i or "/role/" in i or "/annotation/" in i for i in ids)
    assert node(data, KGR["person/hung"])["label"] == "Nguyễn Mạnh Hùng"  # @fr preferred
    assert node(data, KGR["organization/mic"])["shape"] == "square"


def test_property_edges() -> None:
    data = data_of(render_html(sample_graph()))
    triples = {(e["from"].rsplit("/", 1)[-1], e["label"], e["to"].rsplit("/", 1)[-1]) for e in data["edges"]}
    assert {("mou", "party", "mic"), ("mou", "party", "japon"), ("mou", "signatory", "hung"),
            ("mou", "signed at", "hanoi"), ("mou", "topic", "ia"), ("hung", "derived from", "a1"),
            ("hung", "nationality", "vietnam"), ("hanoi", "contained in", "vietnam")} <= triples
    assert not any(t == "numerique" for _, _, t in triples)
    assert len({e["id"] for e in data["edges"]}) == len(data["edges"])


def test_membership_is_labelled_edge() -> None:
    data = data_of(render_html(sample_graph()))
    edges = [e for e in data["edges"]
             if e["from"] == str(KGR["person/hung"]) and e["to"] == str(KGR["organization/mic"])]
    assert [e["label"] for e in edges] == ["ministre de l'Information"]
    assert "Le ministre Nguyễn Mạnh Hùng a déclaré." in edges[0]["title"]


def test_tooltip_has_type_alt_labels_and_evidence() -> None:
    data = data_of(render_html(sample_graph()))
    title = node(data, KGR["person/hung"])["title"]
    assert title.startswith("Person: Nguyễn Mạnh Hùng")
    assert "M. Hùng" in title and "M. Hùng a signé le mémorandum." in title and "seeds/a1.txt" in title
    agreement = node(data, KGR["agreement/mou"])["title"]
    assert "Signed on: 2023-11-27" in agreement and "Duration: P5Y" in agreement
    assert "Le mémorandum a été signé à Hanoï." in agreement


def test_xss_safe() -> None:
    page = render_html(sample_graph(label=EVIL, sentence=EVIL))
    assert "<script>alert(1)" not in page
    assert "alert(1)</script>" not in page
    person = node(data_of(page), KGR["person/hung"])
    assert person["label"] == EVIL
    assert EVIL in person["title"]


def test_legend_lists_present_types() -> None:
    page = render_html(sample_graph())
    legend = re.search(r'<ul id="kg-legend">(.*?)</ul>', page, re.S).group(1)
    for name in ("Agreement", "Technology", "Person", "Country", "Organization", "Place", "Article"):
        assert name in legend
    assert "Event" not in legend


def test_search_keys_are_accent_free() -> None:
    person = node(data_of(render_html(sample_graph())), KGR["person/hung"])
    assert "nguyen manh hung" in person["search"].split("\n")


def test_big_graph_has_fixed_positions_without_physics() -> None:
    g = Graph()
    for i in range(1001):
        g.add((KGR[f"person/p{i:04d}"], RDF.type, vocab.SDO.Person))
        g.add((KGR[f"person/p{i:04d}"], RDFS.label, Literal(f"Personne {i}", lang="fr")))
    data = data_of(render_html(g))
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 1001
