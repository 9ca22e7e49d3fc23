"""render_html(graph) -> str: an offline, interactive, deterministic view of the graph.

Nodes are the entities (persons, organizations, countries, places, technologies, events,
agreements) and the articles; memberships become labelled person -> organization edges.
Node and edge data are built with networkx and pyvis, then rendered with our own small
template (pyvis' template pulls Bootstrap from a CDN) into which vis-network's JS and CSS
are inlined, so the page needs no network. Everything is sorted and the layout seeded:
the same graph gives the same bytes. Tooltips are plain text (vis-network 9 shows a
string title as text); all data travels as JSON that cannot close its <script>.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

import networkx as nx
from jinja2 import Environment
from markupsafe import Markup
from pyvis.network import Network
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .text import fold
from .vocab import DCTERMS, KG, OA, ORG, PROV, RDF, RDFS, SDO, SKOS


class Kind(NamedTuple):
    cls: URIRef
    name: str
    colour: str
    shape: str


# Priority order: a resource with several of these types is drawn as the first one.
KINDS = (
    Kind(KG.Agreement, "Agreement", "#e6194b", "star"),
    Kind(SDO.Event, "Event", "#f58231", "triangle"),
    Kind(KG.Technology, "Technology", "#3cb44b", "hexagon"),
    Kind(SDO.Person, "Person", "#4363d8", "dot"),
    Kind(SDO.Country, "Country", "#911eb4", "diamond"),
    Kind(SDO.Organization, "Organization", "#17a2b8", "square"),
    Kind(SDO.Place, "Place", "#f032e6", "triangleDown"),
    Kind(SDO.NewsArticle, "Article", "#9a9a9a", "dot"),
)
EDGE_LABELS = {
    KG.party: "party", KG.signatory: "signatory", KG.signedAt: "signed at", KG.topic: "topic",
    SDO.location: "location", SDO.parentOrganization: "parent organization",
    SDO.nationality: "nationality", SDO.containedInPlace: "contained in",
    SKOS.broader: "broader", PROV.wasDerivedFrom: "derived from",
}
DETAILS = (  # shown in tooltips when present
    (KG.agreementKind, "Kind"), (KG.signedOn, "Signed on"), (KG.validFrom, "Valid from"),
    (KG.validUntil, "Valid until"), (KG.duration, "Duration"), (SDO.startDate, "Start date"),
    (DCTERMS.source, "Source"), (SDO.datePublished, "Published"), (SDO.publisher, "Publisher"),
)
MAX_EVIDENCE = 8
MAX_LABEL = 60
BIG_GRAPH = 1000
SEED = 42
VIS_DIR = "templates/lib/vis-9.1.2"


def render_html(graph: Graph) -> str:
    """The whole page as a string; the caller writes it."""
    kinds = _node_kinds(graph)
    nxg = nx.MultiDiGraph()
    for node in sorted(kinds):
        _add_node(nxg, graph, node, kinds[node])
    for u, v, label, title in _edges(graph, kinds):
        nxg.add_edge(u, v, label=label, title=title)
    big = nxg.number_of_nodes() > BIG_GRAPH
    positions = _positions(nxg, kinds) if big else {}

    net = Network(directed=True)
    for node_id, attrs in nxg.nodes(data=True):
        extra = {"x": positions[node_id][0], "y": positions[node_id][1]} if big else {}
        size = round(8 + 4 * math.sqrt(nxg.degree(node_id)), 1)
        net.add_node(node_id, size=min(size, 48.0), **attrs, **extra)
    for i, (u, v, attrs) in enumerate(nxg.edges(data=True)):
        net.add_edge(u, v, id=f"e{i}", **attrs)
    net.options = _options(big)
    nodes, edges, _, _, _, options = net.get_network_data()
    data = {"nodes": nodes, "edges": edges, "options": json.loads(options)}

    counts = Counter(kinds.values())
    legend = [(kind, counts[kind]) for kind in KINDS if counts[kind]]
    return _template().render(
        heading=f"Vietnam–Japan cooperation graph: {len(nodes)} nodes, {len(edges)} edges",
        legend=legend, data=Markup(script_json(data)),
        css=Markup(_vis_file("vis-network.css", "style")),
        js=Markup(_vis_file("vis-network.min.js", "script")),
    )


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>`, `&` or line separators left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _node_kinds(graph: Graph) -> dict[URIRef, Kind]:
    kinds: dict[URIRef, Kind] = {}
    for kind in KINDS:
        for s in graph.subjects(RDF.type, kind.cls):
            if isinstance(s, URIRef):
                kinds.setdefault(s, kind)
    return kinds


def _add_node(nxg: nx.MultiDiGraph, graph: Graph, node: URIRef, kind: Kind) -> None:
    label = label_of(graph, node)
    alts = sorted({str(o) for o in graph.objects(node, SKOS.altLabel)} - {label})
    lines = [f"{kind.name}: {label}"]
    if alts:
        lines.append("Also: " + "; ".join(alts))
    for prop, name in DETAILS:
        values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal))
        if values:
            lines.append(f"{name}: {', '.join(values)}")
    lines += _evidence_lines(graph, node)
    short = label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"
    nxg.add_node(str(node), label=short, title="\n".join(lines), shape=kind.shape,
                 color=kind.colour, kind=kind.name,
                 search="\n".join(fold(t).strip() for t in [label, *alts]))


def label_of(graph: Graph, node: Node) -> str:
    """rdfs:label @fr, else @en, else any (smallest when several), else a fallback."""
    labels = [o for o in graph.objects(node, RDFS.label) if isinstance(o, Literal)]
    for lang in ("fr", "en"):
        tagged = sorted(str(o) for o in labels if (o.language or "").lower().split("-")[0] == lang)
        if tagged:
            return tagged[0]
    for prop in (RDFS.label, SKOS.prefLabel, SDO.headline, KG.roleTitle):
        values = sorted(str(o) for o in graph.objects(node, prop) if isinstance(o, Literal))
        if values:
            return values[0]
    return str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _evidence_lines(graph: Graph, body: Node) -> list[str]:
    """The sentences annotations attach to `body`, with their article's source."""
    found: set[tuple[str, str]] = set()
    for ann in graph.subjects(OA.hasBody, body):
        for target in graph.objects(ann, OA.hasTarget):
            sources = sorted({str(src) for article in graph.objects(target, OA.hasSource)
                              for src in graph.objects(article, DCTERMS.source)})
            for selector in graph.objects(target, OA.hasSelector):
                for exact in graph.objects(selector, OA.exact):
                    found.add((str(exact), ", ".join(sources)))
    if not found:
        return []
    lines = ["Evidence:"]
    for sentence, source in sorted(found)[:MAX_EVIDENCE]:
        lines.append(f"• “{sentence}”" + (f" ({source})" if source else ""))
    if len(found) > MAX_EVIDENCE:
        lines.append(f"… and {len(found) - MAX_EVIDENCE} more")
    return lines


def _edges(graph: Graph, kinds: dict[URIRef, Kind]) -> list[tuple[str, str, str, str]]:
    """(from, to, label, title), sorted: property edges between nodes, then memberships."""
    edges: set[tuple[str, str, str, str]] = set()
    for s, p, o in graph:
        if s in kinds and o in kinds and p != RDF.type:
            label = EDGE_LABELS.get(p) or label_of(graph, p)
            edges.add((str(s), str(o), label, f"{label_of(graph, s)} → {label} → {label_of(graph, o)}"))
    for membership in graph.subjects(RDF.type, ORG.Membership):
        roles = sorted(label_of(graph, r) for r in graph.objects(membership, ORG.role))
        titles = sorted(str(t) for t in graph.objects(membership, KG.roleTitle))
        role = "; ".join(roles or titles) or "member"
        evidence = _evidence_lines(graph, membership)
        for person in graph.objects(membership, ORG.member):
            for org in graph.objects(membership, ORG.organization):
                if person in kinds and org in kinds:
                    head = f"{label_of(graph, person)}: {role}, {label_of(graph, org)}"
                    edges.add((str(person), str(org), role, "\n".join([head, *evidence])))
    return sorted(edges)


def _positions(nxg: nx.MultiDiGraph, kinds: dict[URIRef, Kind]) -> dict[str, tuple[int, int]]:
    """Fixed positions for big graphs: one ring per type (no physics, no randomness)."""
    rings = [sorted((n for n in nxg if kinds[URIRef(n)] == k),
                    key=lambda n: (nxg.nodes[n]["search"], n)) for k in KINDS]
    rings = [ring for ring in rings if ring]
    pos = nx.shell_layout(nxg, nlist=rings, scale=12 * max(len(r) for r in rings))
    return {n: (round(float(x)), round(float(y))) for n, (x, y) in pos.items()}


def _options(big: bool) -> dict[str, Any]:
    return {
        "layout": {"randomSeed": SEED, "improvedLayout": not big},
        "physics": {"enabled": not big, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": True, "iterations": 300}},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "nodes": {"font": {"size": 12}, "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                  "color": {"color": "#b0b0b0", "highlight": "#333333"},
                  "font": {"size": 9, "align": "middle", "color": "#555555"}},
    }


@lru_cache(maxsize=None)
def _vis_file(name: str, element: str) -> str:
    """A vis-network file from pyvis' package, made unable to close its <element>."""
    text = (resources.files("pyvis") / VIS_DIR / name).read_text(encoding="utf-8")
    return re.sub(f"</({element})", r"<\\/\1", text, flags=re.I)


@lru_cache(maxsize=1)
def _template() -> Any:
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(PAGE)


PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ heading }}</title>
<style>{{ css }}</style>
<style>
html, body { margin: 0; height: 100%; font-family: sans-serif; }
#kg-graph { position: absolute; top: 0; bottom: 0; left: 0; right: 0; }
#kg-panel { position: absolute; top: 8px; left: 8px; z-index: 10; background: #fffe;
  border: 1px solid #ccc; border-radius: 4px; padding: 8px; font-size: 13px; max-width: 320px; }
#kg-panel h1 { font-size: 14px; margin: 0 0 6px; }
#kg-legend { list-style: none; margin: 6px 0 0; padding: 0; }
.kg-swatch { display: inline-block; width: 11px; height: 11px; margin-right: 6px; }
div.vis-tooltip { white-space: pre-wrap; max-width: 480px; font-size: 12px; }
</style>
</head>
<body>
<div id="kg-graph"></div>
<div id="kg-panel">
<h1>{{ heading }}</h1>
<form id="kg-search"><input id="kg-q" type="search" placeholder="Find a node by label">
<button type="submit">Find</button> <span id="kg-msg"></span></form>
<ul id="kg-legend">
{% for kind, count in legend %}<li><span class="kg-swatch" style="background: {{ kind.colour }}"></span>
{{- kind.name }} ({{ kind.shape }}): {{ count }}</li>
{% endfor %}</ul>
</div>
<script>{{ js }}</script>
<script type="application/json" id="kg-data">{{ data }}</script>
<script>
(function () {
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var network = new vis.Network(document.getElementById("kg-graph"),
    {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}, data.options);
  function norm(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u0111\u0110]/g, "d")
      .replace(/[\u2019\u2018`\u00b4]/g, "'").toLowerCase().trim();
  }
  document.getElementById("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    var q = norm(document.getElementById("kg-q").value), msg = document.getElementById("kg-msg");
    if (!q) { return; }
    var keys = function (n) { return n.search.split("\n"); };
    var hit = data.nodes.find(function (n) { return keys(n).indexOf(q) >= 0; }) ||
      data.nodes.find(function (n) { return n.search.indexOf(q) >= 0; });
    msg.textContent = hit ? "" : "no match";
    if (hit) {
      network.selectNodes([hit.id]);
      network.focus(hit.id, {scale: 1.5, animation: true});
    }
  });
})();
</script>
</body>
</html>
"""
