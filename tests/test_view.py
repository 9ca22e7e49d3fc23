"""Tests for kg.view: the page's data, offline, deterministic, safe, complete, fast; `open_in_browser`.

The graphs are built with rdflib, then handed to render_html as Oxigraph triples (`oxigraph_triples`)."""
from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

# The repository has no packaging metadata yet: make `kg` importable under plain `pytest`.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import kg.view  # noqa: E402
from kg.turtle import oxigraph_triples  # noqa: E402
from kg.view import BIG_GRAPH, label_of, open_in_browser, render_html  # noqa: E402
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


def edges_of(data: dict[str, Any]) -> list[dict[str, str]]:
    """The edges as the page expands them from their [from, to, property, label, tooltip] rows."""
    nodes, props = data["nodes"], data["props"]
    return [{"from": nodes[f]["id"], "to": nodes[t]["id"], "label": label or props[p]["edge"], "title": title,
             "prop": props[p]} for f, t, p, label, title in data["edges"]]


def facts(data: dict[str, Any], iri: URIRef) -> dict[str, list[str]]:
    """The node's own (non-link) values by the panel's heading."""
    return {data["props"][p]["facts"]: values for p, values in node(data, iri)["facts"]}


def short_triples(data: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(e["from"].rsplit("/", 1)[-1], e["label"], e["to"].rsplit("/", 1)[-1]) for e in edges_of(data)}


# --- offline and deterministic ---------------------------------------------------------

def test_offline() -> None:
    page = render_html(oxigraph_triples(sample_graph()))
    attrs = re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, re.I)
    assert not [a for a in attrs if a.lower().startswith(("http:", "https:", "//"))]
    assert not re.search(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=""", page, re.I)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?[^"'\s>]*cdn""", page, re.I)
    assert "vis.Network" in page and ".vis-network" in page  # the library itself is inline


def test_content_security_policy_forbids_requests() -> None:
    page = render_html(oxigraph_triples(sample_graph()))
    policy = re.search(r'<meta http-equiv="Content-Security-Policy"\s+content="([^"]*)">', page).group(1)
    assert "default-src 'none'" in policy
    assert "connect-src" not in policy and "http" not in policy  # nothing re-allowed


def test_vis_library_inlined_intact() -> None:
    page = render_html(oxigraph_triples(sample_graph()))
    lib = resources.files("pyvis") / "templates/lib/vis-9.1.2"
    for name in ("vis-network.min.js", "vis-network.css"):
        assert lib.joinpath(name).read_text(encoding="utf-8") in page


def test_deterministic_across_hash_seeds() -> None:
    assert render_html(oxigraph_triples(sample_graph())) == render_html(oxigraph_triples(sample_graph()))
    code = "import sys, tests.test_view as t; sys.stdout.write(t.render_html(t.oxigraph_triples(t.sample_graph())))"
    pages = [subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")]
    assert pages[0] == pages[1]


def test_the_order_of_the_triples_does_not_matter() -> None:
    triples = oxigraph_triples(sample_graph())
    assert render_html(iter(triples[::-1])) == render_html(triples)  # any iterable, read once


# --- nodes and edges -------------------------------------------------------------------

def test_nodes_are_entities_and_articles() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    # article, 2 countries, person, ministry, place, technology, agreement
    assert len(data["nodes"]) == 8
    ids = {n["id"] for n in data["nodes"]}
    assert str(KGR["technology/numerique"]) not in ids  # bare skos:Concept
    assert not any("/membership/" in i or "/role/" in i or "/annotation/" in i for i in ids)
    assert node(data, KGR["person/hung"])["label"] == "Nguyễn Mạnh Hùng"  # @fr preferred
    assert node(data, KGR["organization/mic"])["group"] == "Organization"
    assert node(data, KGR["place/hanoi"])["group"] == "Place"  # schema:City too: drawn as a place


def test_types_have_their_own_colour_and_shape() -> None:
    groups = data_of(render_html(oxigraph_triples(sample_graph())))["options"]["groups"]
    names = ("Agreement", "Event", "Technology", "Field", "Person", "Country", "Organization", "Place", "Article")
    assert set(groups) == set(names)
    looks = {(json.dumps(g.get("color"), sort_keys=True), g["shape"]) for g in groups.values()}
    assert len(looks) == len(names)
    assert len({json.dumps(g.get("color"), sort_keys=True) for g in groups.values()}) == len(names)
    assert groups["Organization"]["shape"] == "square" and groups["Agreement"]["shape"] == "star"


def test_size_grows_with_degree() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    sizes = {n["id"].rsplit("/", 1)[-1]: n["size"] for n in data["nodes"]}
    assert sizes["mou"] > sizes["hung"] > sizes["ia"]  # 6 edges, 4, 2
    assert all(8 <= s <= 48 for s in sizes.values())


def test_property_edges() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    triples = short_triples(data)
    assert {("mou", "party", "mic"), ("mou", "party", "japon"), ("mou", "signatory", "hung"),
            ("mou", "signed at", "hanoi"), ("mou", "topic", "ia"), ("hung", "derived from", "a1"),
            ("hung", "nationality", "vietnam"), ("hanoi", "contained in", "vietnam")} <= triples
    assert not any(t == "numerique" for _, _, t in triples)
    assert len(data["edges"]) == len({tuple(row) for row in data["edges"]})


def test_agreement_edges_stand_out() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    styles = {e["label"]: e["prop"].get("style") for e in edges_of(data)}
    for label in ("party", "signatory", "signed at", "topic"):
        assert styles[label] == kg.view.EDGE_STYLES["agreement"]
    assert styles["derived from"]["dashes"] is True
    assert styles["nationality"] is None


def test_membership_is_labelled_edge() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    edges = [e for e in edges_of(data)
             if e["from"] == str(KGR["person/hung"]) and e["to"] == str(KGR["organization/mic"])]
    assert [e["label"] for e in edges] == ["ministre de l'Information"]
    assert edges[0]["prop"]["member"] is True
    assert "Le ministre Nguyễn Mạnh Hùng a déclaré." in edges[0]["title"]


def test_unknown_property_keeps_its_own_label() -> None:
    g = sample_graph()
    g.add((KGR["organization/mic"], URIRef("https://example.org/ns#partnerOf"), KGR["country/japon"]))
    data = data_of(render_html(oxigraph_triples(g)))
    assert ("mic", "partnerOf", "japon") in short_triples(data)


# --- what the panel, the search and the filters read -----------------------------------

def test_panel_data_labels_facts_and_evidence() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    person = node(data, KGR["person/hung"])
    assert person["labels"][0] == "Nguyễn Mạnh Hùng"
    assert {"Nguyen Manh Hung", "M. Hùng"} <= set(person["labels"][1:])
    sentences = {sentence: data["articles"][article]["source"] for sentence, article in person["evidence"]}
    assert sentences == {"M. Hùng a signé le mémorandum.": "seeds/a1.txt",  # its own annotation
                         "Le ministre Nguyễn Mạnh Hùng a déclaré.": "seeds/a1.txt"}  # its membership's
    agreement = facts(data, KGR["agreement/mou"])
    assert agreement["Signed on"] == ["2023-11-27"] and agreement["Duration"] == ["P5Y"]
    assert facts(data, KGR["technology/ia"])["Broader"] == ["numerique"]  # a concept that is not a node
    assert data["articles"] == [{"id": str(KGR["article/a1"]), "headline": "Le Vietnam et le Japon coopèrent",
                                 "source": "seeds/a1.txt"}]


def test_panel_headings_for_both_ends_of_a_link() -> None:
    props = {p["edge"]: p for p in data_of(render_html(oxigraph_triples(sample_graph())))["props"]}
    assert (props["party"]["facts"], props["party"]["inverse"]) == ("Parties", "Party to")
    assert (props["signatory"]["facts"], props["signatory"]["inverse"]) == ("Signatories", "Signed")
    assert (props["member"]["facts"], props["member"]["inverse"]) == ("Memberships", "Members")
    assert props["derived from"]["last"] is True


def test_evidence_is_capped() -> None:
    g = sample_graph()
    for i in range(kg.view.MAX_EVIDENCE + 3):
        annotate(g, f"extra{i}", KGR["person/hung"], KGR["article/a1"], f"Phrase numéro {i:02d}.")
    person = node(data_of(render_html(oxigraph_triples(g))), KGR["person/hung"])
    assert len(person["evidence"]) == kg.view.MAX_EVIDENCE
    assert person["more"] == 5


def test_nodes_know_their_articles() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    assert node(data, KGR["person/hung"])["articles"] == [0]
    assert node(data, KGR["article/a1"])["articles"] == [0]
    assert node(data, KGR["organization/mic"])["articles"] == []  # no prov:wasDerivedFrom


def test_search_keys_are_accent_free() -> None:
    person = node(data_of(render_html(oxigraph_triples(sample_graph()))), KGR["person/hung"])
    keys = person["search"].split("\n")
    assert "nguyen manh hung" in keys and "m. hung" in keys


def test_label_of_reads_an_rdflib_graph_as_the_view_does() -> None:
    g = sample_graph()
    g.add((KGR["person/en"], RDFS.label, Literal("Only English", lang="en-GB")))
    g.add((KGR["person/en"], RDFS.label, Literal("Sans langue")))
    g.add((KGR["role/pref"], SKOS.prefLabel, Literal("préféré")))
    g.add((KGR["role/title"], KG.roleTitle, Literal("conseiller")))
    assert label_of(g, KGR["person/hung"]) == "Nguyễn Mạnh Hùng"  # @fr first
    assert label_of(g, KGR["person/en"]) == "Only English"  # then @en, whatever its region
    assert label_of(g, KGR["article/a1"]) == "Le Vietnam et le Japon coopèrent"  # a headline
    assert [label_of(g, KGR[n]) for n in ("role/pref", "role/title")] == ["préféré", "conseiller"]
    assert label_of(g, URIRef("https://example.org/ns#thing")) == "thing"  # the IRI's last part
    data = data_of(render_html(oxigraph_triples(g)))
    assert all(n["labels"][0] == label_of(g, URIRef(n["id"])) for n in data["nodes"])


def test_legend_lists_present_types() -> None:
    page = render_html(oxigraph_triples(sample_graph()))
    legend = re.search(r'<ul id="kg-legend">(.*?)</ul>', page, re.S).group(1)
    for name in ("Agreement", "Technology", "Person", "Country", "Organization", "Place", "Article"):
        assert f'value="{name}"' in legend  # one filter checkbox per type
    assert "Event" not in legend


# --- safety ----------------------------------------------------------------------------

def test_xss_safe() -> None:
    page = render_html(oxigraph_triples(sample_graph(label=EVIL, sentence=EVIL)))
    assert "<script>alert(1)" not in page
    assert "alert(1)</script>" not in page
    data = data_of(page)
    person = node(data, KGR["person/hung"])
    assert person["labels"][0] == EVIL
    assert [EVIL, 0] in person["evidence"]


def test_page_writes_data_as_text_only() -> None:
    """The page's own script never hands data to an HTML parser."""
    script = render_html(oxigraph_triples(sample_graph())).rsplit("<script>", 1)[1]
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script


# --- big graphs ------------------------------------------------------------------------

def test_big_graph_has_fixed_positions_without_physics() -> None:
    g = Graph()
    for i in range(BIG_GRAPH + 1):
        g.add((KGR[f"person/p{i:04d}"], RDF.type, vocab.SDO.Person))
        g.add((KGR[f"person/p{i:04d}"], RDFS.label, Literal(f"Personne {i}", lang="fr")))
    data = data_of(render_html(oxigraph_triples(g)))
    assert data["options"]["physics"]["enabled"] is False
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == BIG_GRAPH + 1


def test_small_graph_settles_with_physics() -> None:
    data = data_of(render_html(oxigraph_triples(sample_graph())))
    assert data["options"]["physics"]["enabled"] is True
    assert not any("x" in n for n in data["nodes"])


def big_graph(articles: int = 60, per_article: int = 20) -> Graph:
    """Articles, each with persons only it mentions; a shared country every person is from."""
    g = Graph()
    country = KGR["country/vietnam"]
    g.add((country, RDF.type, vocab.SDO.Country))
    for a in range(articles):
        article = KGR[f"article/a{a:03d}"]
        g.add((article, RDF.type, vocab.SDO.NewsArticle))
        g.add((country, PROV.wasDerivedFrom, article))
        for p in range(per_article):
            person = KGR[f"person/a{a:03d}-p{p:02d}"]
            g.add((person, RDF.type, vocab.SDO.Person))
            g.add((person, PROV.wasDerivedFrom, article))
            g.add((person, vocab.SDO.nationality, country))
    return g


def test_grouped_layout_keeps_an_article_with_its_own_nodes() -> None:
    data = data_of(render_html(oxigraph_triples(big_graph())))
    pos = {n["id"].rsplit("/", 1)[-1]: (n["x"], n["y"]) for n in data["nodes"]}
    assert len(pos) > BIG_GRAPH and len(set(pos.values())) == len(pos)
    assert pos["vietnam"] == (0, 0)  # shared by every article: the centre
    for a in ("a000", "a031", "a059"):
        own = [math.dist(pos[a], pos[f"{a}-p{p:02d}"]) for p in range(20)]
        others = [math.dist(pos[a], pos[f"{b}-p00"]) for b in ("a000", "a031", "a059") if b != a]
        assert max(own) < min(others)


def test_five_thousand_nodes_render_quickly() -> None:
    """Guards against slow paths (pyvis, networkx layouts, per-node rdflib lookups)."""
    from benchmarks.synthetic import synthetic_graph

    triples = oxigraph_triples(synthetic_graph(5000))  # as `kg build` hands them over
    start = time.perf_counter()
    page = render_html(triples)
    seconds = time.perf_counter() - start
    data = data_of(page)
    assert len(data["nodes"]) > 5000 and data["options"]["physics"]["enabled"] is False
    assert seconds < 15, f"render_html took {seconds:.1f} s for {len(data['nodes'])} nodes"


# --- opening the page ------------------------------------------------------------------

def test_open_in_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(kg.view.webbrowser, "open", lambda url: opened.append(url) or True)
    page = tmp_path / "kg view.html"
    page.write_text("<!DOCTYPE html>", encoding="utf-8")
    assert open_in_browser(page) is True
    assert opened == [page.resolve().as_uri()] and opened[0].startswith("file://")


def test_open_in_browser_without_a_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_browser(url: str) -> bool:
        raise kg.view.webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(kg.view.webbrowser, "open", no_browser)
    assert open_in_browser(tmp_path / "kg.html") is False
    monkeypatch.setattr(kg.view.webbrowser, "open", lambda url: False)
    assert open_in_browser(tmp_path / "kg.html") is False


def test_a_huge_graph_first_draws_its_most_connected_nodes_within_both_limits(monkeypatch):
    from benchmarks.synthetic import synthetic_graph
    from kg import layout

    graph = synthetic_graph(300)
    monkeypatch.setattr(layout, "DRAW_LIMIT", 10_000)
    assert data_of(render_html(oxigraph_triples(graph)))["drawn"] is None  # under the limit: everything is drawn
    monkeypatch.setattr(layout, "DRAW_LIMIT", 100)
    monkeypatch.setattr(layout, "DRAW_EDGE_LIMIT", 150)
    data = data_of(render_html(oxigraph_triples(graph)))
    drawn = set(data["drawn"])
    among = [e for e in data["edges"] if e[0] in drawn and e[1] in drawn]
    assert 0 < len(drawn) <= 100 and len(among) <= 150
    sizes = sorted((n["size"] for n in data["nodes"]), reverse=True)
    assert min(data["nodes"][i]["size"] for i in drawn) >= sizes[len(drawn) - 1]
    assert data == data_of(render_html(oxigraph_triples(graph)))  # deterministic


@pytest.mark.parametrize("url, linked", [("https://example.org/news/1", True), ("javascript:alert(1)", False),
                                         ("data:text/html,<b>x</b>", False)])
def test_an_article_links_to_its_web_address_only(url: str, linked: bool) -> None:
    g = sample_graph()
    g.add((KGR["article/a1"], vocab.SDO.url, Literal(url, datatype=vocab.XSD.anyURI)))
    [article] = data_of(render_html(oxigraph_triples(g)))["articles"]
    assert article.get("url") == (url if linked else None)
