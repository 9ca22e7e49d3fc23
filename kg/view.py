"""render_html(graph) -> str: an offline, interactive, deterministic view of the graph.

Nodes are the entities (persons, organizations, countries, places, technologies, events,
agreements) and the articles, coloured and shaped by type and sized by degree; edges are
the properties between them, labelled, and memberships drawn as person -> organization
edges labelled with the role. The page has a search box (any label, accents ignored),
filters by type and by article, and a side panel with the clicked node's facts and the
sentences they come from.

The page's data is built straight from one pass over the triples (pyvis and networkx
objects are slow at thousands of nodes) and embedded as JSON that cannot close its
<script>: nodes carry their labels, literal facts and evidence; edges are compact
[from, to, property, label, tooltip] rows over node numbers, which the page expands, and
from which the side panel lists a node's links. vis-network's JS and CSS (from the pyvis
package) are inlined, and a Content-Security-Policy forbids the page any request. Small
graphs are laid out by vis-network's physics, then frozen; above BIG_GRAPH nodes the
positions come from `grouped_layout` and physics is off. The page writes data into the
document only as text. Everything is sorted: the same graph gives the same bytes.
"""
from __future__ import annotations

import importlib.util
import json
import math
import re
import webbrowser
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple

from jinja2 import Environment
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .memory import gc_paused
from .text import fold
from .triples import Triples
from .vocab import (DCTERMS, DERIVED_FROM, HEADLINE, KG, LABEL, NEWS_ARTICLE, OA, ORG, OWL, PROV, RDF, RDFS, SDO,
                    SKOS)


class Kind(NamedTuple):
    cls: URIRef
    name: str
    colour: str
    shape: str
    symbol: str  # the legend's picture of `shape`


# Priority order: a resource with several of these types is drawn as the first one.
KINDS = (
    Kind(KG.Agreement, "Agreement", "#e6194b", "star", "★"),
    Kind(SDO.Event, "Event", "#f58231", "triangle", "▲"),
    Kind(KG.Technology, "Technology", "#3cb44b", "hexagon", "⬢"),
    Kind(SDO.Person, "Person", "#4363d8", "dot", "●"),
    Kind(SDO.Country, "Country", "#911eb4", "diamond", "◆"),
    Kind(SDO.Organization, "Organization", "#17a2b8", "square", "■"),
    Kind(SDO.Place, "Place", "#f032e6", "triangleDown", "▼"),
    Kind(SDO.NewsArticle, "Article", "#9a9a9a", "dot", "◌"),  # a hollow, dashed dot
)


class Prop(NamedTuple):
    key: str  # the property's IRI, or MEMBERSHIP
    edge: str  # the edge's label
    facts: str  # the panel's heading for the values, on the subject's side
    inverse: str  # ... and on the object's side ("" when the values are never nodes)
    style: dict[str, Any] | None = None  # edge options other than the defaults


MEMBERSHIP = "membership"
AGREEMENT_EDGE = {"width": 1.5, "color": {"color": "rgba(230,25,75,0.55)"}}
MEMBERSHIP_EDGE = {"width": 1.5, "color": {"color": "rgba(67,99,216,0.6)"}}
ARTICLE_EDGE = {"dashes": True, "color": {"color": "#d4d4d4"}, "font": {"color": "#999999", "size": 8}}
# In the side panel's order: an agreement's record reads top down; articles come last.
PROPS = (
    Prop(str(KG.agreementKind), "kind", "Kind", ""),
    Prop(str(KG.signedOn), "signed on", "Signed on", ""),
    Prop(str(KG.signedAt), "signed at", "Signed at", "Place of signing of", AGREEMENT_EDGE),
    Prop(str(KG.party), "party", "Parties", "Party to", AGREEMENT_EDGE),
    Prop(str(KG.signatory), "signatory", "Signatories", "Signed", AGREEMENT_EDGE),
    Prop(str(KG.topic), "topic", "Topics", "Topic of", AGREEMENT_EDGE),
    Prop(str(KG.validFrom), "valid from", "Valid from", ""),
    Prop(str(KG.validUntil), "valid until", "Valid until", ""),
    Prop(str(KG.duration), "duration", "Duration", ""),
    Prop(str(SDO.startDate), "start date", "Start date", ""),
    Prop(str(SDO.nationality), "nationality", "Nationality", "Nationals"),
    Prop(MEMBERSHIP, "member", "Memberships", "Members", MEMBERSHIP_EDGE),
    Prop(str(SDO.location), "location", "Location", "Location of"),
    Prop(str(SDO.parentOrganization), "parent organization", "Parent organization", "Sub-organizations"),
    Prop(str(SDO.containedInPlace), "contained in", "Contained in", "Contains"),
    Prop(str(SKOS.broader), "broader", "Broader", "Narrower"),
    Prop(str(SDO.datePublished), "published", "Published", ""),
    Prop(str(SDO.publisher), "publisher", "Publisher", ""),
    Prop(str(DCTERMS.source), "source", "Source", ""),
    Prop(str(SDO.url), "url", "URL", ""),
    Prop(str(SDO.inLanguage), "language", "Language", ""),
    Prop(str(OWL.sameAs), "same as", "Same as", ""),
    Prop(str(PROV.wasDerivedFrom), "derived from", "Articles", "Mentions", ARTICLE_EDGE),
)
LAST = str(DERIVED_FROM)  # listed after every other fact in the panel
LABELS = (RDFS.label, SKOS.prefLabel, SKOS.altLabel)  # all searched and shown
NAMED = (*LABELS, HEADLINE)  # every text a node is known by
LABEL_FALLBACKS = (LABEL, SKOS.prefLabel, HEADLINE, KG.roleTitle)  # what `pick_label` falls back on, in order
UNSHOWN = {RDF.type, *LABELS, HEADLINE, SKOS.inScheme}  # never listed among a node's facts

MAX_EVIDENCE = 10  # sentences per node in the panel
MAX_VALUES = 40  # values per fact in the panel (the page caps links the same way)
MAX_LABEL = 60  # characters of a label drawn on the canvas
BIG_GRAPH = 500  # above this many nodes: positions computed here, no physics
# Above this many nodes the page first draws only this many, the most connected; a node found
# by search, reached by a link in the panel or in the chosen article is drawn when asked for.
# (vis-network draws about 5,000 nodes in 2 s; 34,000 nodes and 290,000 edges took 27 s.)
DRAW_LIMIT = 3000
DRAW_EDGE_LIMIT = 12000  # ... and stops before the edges among them pass this many (each redraw draws them all)
# Physics steps before freezing: about 1.5 s in headless chromium at BIG_GRAPH nodes.
ITERATIONS = ((100, 300), (BIG_GRAPH, 150))  # (up to this many nodes, steps)
SEED = 42
VIS_DIR = "templates/lib/vis-9.1.2"
NODE_SPACING = 28.0  # canvas units between neighbouring nodes in grouped_layout
GROUP_GAP = 120.0  # canvas units between groups in grouped_layout
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


# --- reading the graph -------------------------------------------------------------------

class Index:
    """The triples grouped by subject and property, the subjects by type and the evidence
    by body, from one pass over the graph (rdflib lookups one at a time, and rdflib's
    namespace attributes, are slow at thousands of nodes). The annotation records of a
    kg.triples.Triples are read as they are, without making their triples."""

    def __init__(self, graph: Graph | Triples | Iterable[tuple[Node, Node, Node]]):
        self.out: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in graph.triples if isinstance(graph, Triples) else graph:  # nothing else per triple
            self.out[s][p].append(o)
        self.typed: dict[Node, list[Node]] = defaultdict(list)
        rdf_type = RDF.type
        for s, props in self.out.items():
            for cls in props.get(rdf_type, ()):
                self.typed[cls].append(s)
        # body IRI as text -> (article IRI, start, sentence) of each annotation describing it
        self.evidence: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
        self.read_evidence()
        for ann in graph.annotations if isinstance(graph, Triples) else ():
            self.evidence[ann.body].add((ann.source, ann.start, ann.exact))
        self._labels: dict[Node, str] = {}

    def read_evidence(self) -> None:
        """`evidence` from the annotations' triples (those not held as records)."""
        has_body, has_target, has_source = OA.hasBody, OA.hasTarget, OA.hasSource
        has_selector, start, exact = OA.hasSelector, OA.start, OA.exact
        for ann, props in self.out.items():
            bodies = props.get(has_body)
            if not bodies:
                continue
            for target in props.get(has_target, ()):
                article = min((str(a) for a in self.values(target, has_source)), default="")
                selectors = self.values(target, has_selector)
                starts = [int(o) for sel in selectors for o in self.values(sel, start) if str(o).isdigit()]
                found = {(article, min(starts, default=0), text) for sel in selectors for text in self.texts(sel, exact)}
                for body in bodies:
                    self.evidence[str(body)] |= found

    def values(self, s: Node, p: Node) -> list[Node]:
        props = self.out.get(s)
        return props.get(p, []) if props else []

    def texts(self, s: Node, p: Node) -> list[str]:
        """The literal values of `p` on `s`, sorted."""
        return sorted(str(o) for o in self.values(s, p) if isinstance(o, Literal))

    def label(self, node: Node) -> str:
        """The label shown for `node` (see `pick_label`)."""
        if node not in self._labels:
            self._labels[node] = pick_label(node, lambda p: self.values(node, p))
        return self._labels[node]

    def all_labels(self, node: Node) -> list[str]:
        """The shown label first, then every other label, alternative label and headline."""
        first = self.label(node)
        others = {text for prop in NAMED for text in self.texts(node, prop)}
        return [first, *sorted(others - {first})]


def pick_label(node: Node, values: Callable[[Node], Iterable[Node]]) -> str:
    """rdfs:label @fr, else @en, else any (smallest when several), else skos:prefLabel,
    schema:headline or kg:roleTitle, else the IRI's last part. `values(p)`: the node's values of p."""
    labels = [o for o in values(LABEL) if isinstance(o, Literal)]
    for lang in ("fr", "en"):
        tagged = sorted(str(o) for o in labels if (o.language or "").lower().split("-")[0] == lang)
        if tagged:
            return tagged[0]
    for prop in LABEL_FALLBACKS:
        texts = sorted(str(o) for o in values(prop) if isinstance(o, Literal))
        if texts:
            return texts[0]
    return str(node).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def label_of(graph: Graph, node: Node) -> str:
    """The label the view shows for `node`, read from `graph` directly."""
    return pick_label(node, lambda p: graph.objects(node, p))


def node_kinds(index: Index) -> dict[URIRef, Kind]:
    """Every node of the view, with the kind it is drawn as."""
    kinds: dict[URIRef, Kind] = {}
    for kind in KINDS:
        for s in sorted(index.typed.get(kind.cls, ()), key=str):
            if isinstance(s, URIRef):
                kinds.setdefault(s, kind)
    return kinds


def evidence_of(index: Index, annotated: Node) -> set[tuple[str, int, str]]:
    """(article IRI, start offset, sentence) of every annotation whose body is `annotated`."""
    return index.evidence.get(str(annotated), set())


# --- what the page shows -------------------------------------------------------------------

class Edge(NamedTuple):
    source: str  # node IRIs as text: edges sort fast
    target: str
    prop: str  # a Prop key
    label: str  # the role of a membership; "" for the property's label
    title: str  # "" for no tooltip


class Membership(NamedTuple):
    person: URIRef
    organization: URIRef
    role: str
    evidence: frozenset[tuple[str, int, str]]


@dataclass
class View:
    """What the page shows, read from the graph."""

    index: Index
    kinds: dict[URIRef, Kind]
    articles: dict[str, int]  # article IRI -> its number, in the order of the source paths
    props: dict[str, int]  # Prop key -> its number in `prop_list`
    prop_list: list[Prop]
    edges: list[Edge]
    memberships: dict[URIRef, list[Membership]]  # by person and by organization
    degree: Counter  # by node IRI as text


def read_view(graph: Graph | Triples | Iterable[tuple[Node, Node, Node]]) -> View:
    index = Index(graph)
    kinds = node_kinds(index)
    articles = sorted((n for n, k in kinds.items() if k.cls == NEWS_ARTICLE),
                      key=lambda a: (index.texts(a, DCTERMS.source), str(a)))
    prop_list = [*PROPS, *extra_props(index, kinds)]
    memberships = memberships_of(index, kinds)
    edges = sorted({*property_edges(index, kinds), *membership_edges(index, memberships)})
    by_node: dict[URIRef, list[Membership]] = defaultdict(list)
    for m in memberships:
        by_node[m.person].append(m)
        by_node[m.organization].append(m)
    degree: Counter = Counter()
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    return View(index, kinds, {str(a): i for i, a in enumerate(articles)},
                {p.key: i for i, p in enumerate(prop_list)}, prop_list, edges, by_node, degree)


def extra_props(index: Index, kinds: dict[URIRef, Kind]) -> list[Prop]:
    """Properties of nodes that PROPS does not name, labelled by their local name."""
    known = {p.key for p in PROPS} | {str(p) for p in UNSHOWN}
    found = {p for s in kinds for p in index.out[s] if str(p) not in known}
    return [Prop(str(p), index.label(p), index.label(p), f"{index.label(p)} (of)")
            for p in sorted(found, key=lambda p: (index.label(p), str(p)))]


def memberships_of(index: Index, kinds: dict[URIRef, Kind]) -> list[Membership]:
    found = []
    for membership in sorted(index.typed.get(ORG.Membership, ()), key=str):
        roles = sorted(index.label(r) for r in index.values(membership, ORG.role))
        role = "; ".join(roles or index.texts(membership, KG.roleTitle)) or "member"
        evidence = frozenset(evidence_of(index, membership))
        for person in sorted(index.values(membership, ORG.member), key=str):
            for org in sorted(index.values(membership, ORG.organization), key=str):
                if person in kinds and org in kinds:
                    found.append(Membership(person, org, role, evidence))
    return found


def property_edges(index: Index, kinds: dict[URIRef, Kind]) -> list[Edge]:
    """An edge for each triple between two nodes (labelled with the property's label)."""
    rdf_type = RDF.type
    return [Edge(str(s), str(o), str(p), "", "")
            for s in kinds for p, objects in index.out[s].items() if p != rdf_type
            for o in objects if o in kinds]


def membership_edges(index: Index, memberships: list[Membership]) -> list[Edge]:
    """person -> organization, labelled with the role; the tooltip quotes the evidence."""
    edges = []
    for m in memberships:
        head = f"{index.label(m.person)}: {m.role}, {index.label(m.organization)}"
        quotes = [f"“{sentence}”" for _, _, sentence in sorted(m.evidence)[:3]]
        edges.append(Edge(str(m.person), str(m.organization), MEMBERSHIP, m.role, "\n".join([head, *quotes])))
    return edges


# --- the page's data -----------------------------------------------------------------------

def node_record(view: View, node: URIRef, position: tuple[int, int] | None) -> dict[str, Any]:
    """One node: what vis-network draws, and what the search, filters and panel need."""
    index, kind = view.index, view.kinds[node]
    labels = index.all_labels(node)
    keys = dict.fromkeys(" ".join(fold(text).split()) for text in labels)
    own = [node] if kind.cls == NEWS_ARTICLE else index.values(node, DERIVED_FROM)
    evidence = evidence_rows(view, node)
    record: dict[str, Any] = {
        "id": str(node),
        "label": short(labels[0]),
        "group": kind.name,
        "size": node_size(view.degree[str(node)]),
        "labels": labels,
        "search": "\n".join(k for k in keys if k),
        "articles": sorted({view.articles[str(a)] for a in own if str(a) in view.articles}),
        "facts": literal_facts(view, node),
        "evidence": [[sentence, article] for article, _, sentence in evidence[:MAX_EVIDENCE]],
    }
    if len(evidence) > MAX_EVIDENCE:
        record["more"] = len(evidence) - MAX_EVIDENCE
    if position is not None:
        record["x"], record["y"] = position
    return record


def literal_facts(view: View, node: URIRef) -> list[list[Any]]:
    """[property number, [texts]] for the node's values that are not nodes (dates, kinds,
    sources, outside IRIs ...); the page adds the links from the edges."""
    facts = []
    for p, objects in view.index.out[node].items():
        number = view.props.get(str(p))
        texts = [str(o) if isinstance(o, Literal) or o not in view.index.out else view.index.label(o)
                 for o in objects if o not in view.kinds]
        if number is not None and texts:
            facts.append([number, capped(sorted(set(texts)))])
    return sorted(facts)


def capped(values: list[str]) -> list[str]:
    return values if len(values) <= MAX_VALUES else [*values[:MAX_VALUES], f"… and {len(values) - MAX_VALUES} more"]


def evidence_rows(view: View, node: URIRef) -> list[tuple[int, int, str]]:
    """(article number or -1, start, sentence): the node's annotations and its memberships'."""
    found = set(evidence_of(view.index, node))
    for m in view.memberships.get(node, ()):
        found |= m.evidence
    return sorted({(view.articles.get(article, -1), start, sentence) for article, start, sentence in found})


def short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def node_size(degree: int) -> float:
    return min(round(8 + 4 * math.sqrt(degree), 1), 48.0)


def page_data(view: View) -> dict[str, Any]:
    """The JSON the page reads: nodes, edges as [from, to, property, label, tooltip] rows
    over node numbers, properties, articles and vis-network's options."""
    big = len(view.kinds) > BIG_GRAPH
    positions = grouped_layout(view) if big else {}
    order = sorted(view.kinds, key=str)
    number = {str(node): i for i, node in enumerate(order)}
    index = view.index
    drawn = first_drawn(view, order) if len(order) > DRAW_LIMIT else None
    return {
        "drawn": drawn,
        "nodes": [node_record(view, n, positions.get(n)) for n in order],
        "edges": [[number[e.source], number[e.target], view.props[e.prop], e.label, e.title] for e in view.edges],
        "props": [prop_record(p, big) for p in view.prop_list],
        "articles": [{"id": a, "headline": index.label(URIRef(a)),
                      "source": ", ".join(index.texts(URIRef(a), DCTERMS.source))} for a in view.articles],
        "options": vis_options(len(order)),
        "big": big,
    }


def first_drawn(view: View, order: list[URIRef]) -> list[int]:
    """The numbers of the nodes a huge graph draws at first: the most connected, by degree
    then IRI, up to DRAW_LIMIT nodes and DRAW_EDGE_LIMIT edges among them."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for edge in view.edges:
        neighbours[edge.source].append(edge.target)
        if edge.target != edge.source:
            neighbours[edge.target].append(edge.source)
    chosen: set[str] = set()
    edges = 0
    for node in sorted(order, key=lambda n: (-view.degree[str(n)], str(n))):
        key = str(node)
        new = sum(1 for other in neighbours[key] if other in chosen or other == key)
        if len(chosen) == DRAW_LIMIT or edges + new > DRAW_EDGE_LIMIT:
            break
        chosen.add(key)
        edges += new
    return [i for i, node in enumerate(order) if str(node) in chosen]


def prop_record(prop: Prop, big: bool) -> dict[str, Any]:
    record = {"edge": prop.edge, "facts": prop.facts, "inverse": prop.inverse, "last": prop.key == LAST,
              "member": prop.key == MEMBERSHIP}
    if prop.style:  # dashed lines take twice as long to draw: none in big graphs
        record["style"] = {k: v for k, v in prop.style.items() if not (big and k == "dashes")}
    return record


def vis_options(count: int) -> dict[str, Any]:
    big = count > BIG_GRAPH
    iterations = next((steps for most, steps in ITERATIONS if count <= most), 0)
    groups: dict[str, Any] = {kind.name: {"shape": kind.shape, "color": kind.colour} for kind in KINDS}
    groups["Article"] = {"shape": "dot", "color": {"background": "#eeeeee", "border": "#9a9a9a"},
                         "shapeProperties": {"borderDashes": [3, 3]}}
    return {
        "groups": groups,
        "layout": {"randomSeed": SEED, "improvedLayout": not big},
        "physics": {"enabled": not big, "solver": "forceAtlas2Based",
                    "stabilization": {"enabled": not big, "iterations": iterations, "fit": True}},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big},
        "nodes": {"font": {"size": 12}, "borderWidth": 1},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}, "smooth": False,
                  "color": {"color": "#b0b0b0", "highlight": "#333333", "hover": "#333333"},
                  "font": {"size": 9, "align": "middle", "color": "#555555"}},
    }


# --- the layout of big graphs --------------------------------------------------------------

def grouped_layout(view: View) -> dict[URIRef, tuple[int, int]]:
    """Fixed positions in O(nodes): each article with the nodes only it mentions forms a
    group; the nodes several articles (or none) mention form the central group. Each group
    is a sunflower (Vogel's spiral) with its hubs in the middle; the groups are packed on
    rings around the centre, biggest first. No physics, no randomness."""
    groups: dict[str, list[URIRef]] = defaultdict(list)
    for node, kind in view.kinds.items():
        groups[home_of(view, node, kind)].append(node)
    for home, members in groups.items():
        members.sort(key=lambda n: (str(n) != home, -view.degree[str(n)], str(n)))  # the article, then hubs
    order = sorted(groups, key=lambda g: (g != "", -len(groups[g]), g))
    centres = pack([sunflower_radius(len(groups[g])) for g in order])
    positions: dict[URIRef, tuple[int, int]] = {}
    for group, (cx, cy) in zip(order, centres):
        for i, node in enumerate(groups[group]):
            r, a = NODE_SPACING * math.sqrt(i), i * GOLDEN_ANGLE
            positions[node] = (round(cx + r * math.cos(a)), round(cy + r * math.sin(a)))
    return positions


def home_of(view: View, node: URIRef, kind: Kind) -> str:
    """The article whose group the node joins ("" for the central group)."""
    if kind.cls == NEWS_ARTICLE:
        return str(node)
    sources = {str(a) for a in view.index.values(node, DERIVED_FROM)} & view.articles.keys()
    return sources.pop() if len(sources) == 1 else ""


def sunflower_radius(count: int) -> float:
    return NODE_SPACING * math.sqrt(max(count - 1, 0)) + NODE_SPACING / 2


def pack(radii: list[float]) -> list[tuple[float, float]]:
    """Centres for circles of `radii` (largest first after the first): the first at the
    origin, the others side by side on rings around it, each ring clear of the one inside."""
    if not radii:
        return []
    centres = [(0.0, 0.0)]
    inner, i = radii[0], 1
    while i < len(radii):
        ring = inner + GROUP_GAP + radii[i]

        def width(r: float) -> float:  # the angle a circle of radius r takes on the ring
            return 2 * math.asin(min(1.0, (r + GROUP_GAP / 2) / ring))

        start, used = i, 0.0
        while i < len(radii) and (i == start or used + width(radii[i]) <= 2 * math.pi):
            used += width(radii[i])
            i += 1
        spare, angle = max(0.0, 2 * math.pi - used) / (i - start), 0.0
        for r in radii[start:i]:
            a = angle + (width(r) + spare) / 2
            centres.append((ring * math.cos(a), ring * math.sin(a)))
            angle += width(r) + spare
        inner = ring + radii[start]
    return centres


# --- the page ------------------------------------------------------------------------------

def render_html(graph: Graph | Triples | Iterable[tuple[Node, Node, Node]]) -> str:
    """The whole page as a string; the caller writes it. `graph`: an rdflib Graph, a Triples or any iterable of triples."""
    with gc_paused():
        view = read_view(graph)
        data = page_data(view)
    counts = Counter(kind.name for kind in view.kinds.values())
    return _template().render(
        heading=f"Vietnam–Japan cooperation graph: {len(data['nodes'])} nodes, {len(data['edges'])} edges",
        legend=[(kind, counts[kind.name]) for kind in KINDS if counts[kind.name]],
        data=Markup(script_json(data)),
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


def open_in_browser(path: Path) -> bool:
    """Open the page in the user's web browser; False when there is none to open it."""
    try:
        return bool(webbrowser.open(Path(path).resolve().as_uri()))
    except webbrowser.Error:
        return False


@lru_cache(maxsize=None)
def _vis_file(name: str, element: str) -> str:
    """A vis-network file from pyvis' package, made unable to close its <element>."""
    text = (_package_dir("pyvis") / VIS_DIR / name).read_text(encoding="utf-8")
    return re.sub(f"</({element})", r"<\\/\1", text, flags=re.I)


def _package_dir(name: str) -> Path:
    """An installed package's folder, found without importing the package (importing pyvis
    imports networkx and more: 0.3 s for two data files)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {name} package is not installed; run the README's build command")
    return Path(next(iter(spec.submodule_search_locations)))


@lru_cache(maxsize=1)
def _template() -> Any:
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(PAGE)


PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ heading }}</title>
<style>{{ css }}</style>
<style>
html, body { margin: 0; height: 100%; font: 13px/1.4 system-ui, sans-serif; color: #222; }
#kg-graph { position: absolute; inset: 0; }
.kg-box { position: absolute; top: 8px; z-index: 10; background: #fffffff0; border: 1px solid #ccc;
  border-radius: 6px; padding: 8px 10px; max-height: calc(100% - 36px); overflow: auto; box-shadow: 0 1px 4px #0002; }
#kg-controls { left: 8px; width: 300px; }
#kg-panel { right: 8px; width: 380px; }
#kg-panel[hidden] { display: none; }
h1 { font-size: 14px; margin: 0 0 6px; }
h2 { font-size: 15px; margin: 2px 24px 6px 0; overflow-wrap: anywhere; }
h3 { font-size: 13px; margin: 10px 0 4px; }
#kg-search { display: flex; gap: 4px; }
#kg-q { flex: 1; min-width: 0; }
#kg-msg { color: #555; min-height: 1.2em; }
#kg-results { margin: 2px 0 6px; padding-left: 20px; }
fieldset { border: 1px solid #ddd; margin: 6px 0; padding: 4px 8px; }
#kg-legend { list-style: none; margin: 0; padding: 0; }
.kg-symbol { display: inline-block; width: 1.2em; text-align: center; }
#kg-article { width: 100%; margin-top: 2px; }
#kg-shown { color: #555; margin-top: 4px; }
#kg-close { position: absolute; top: 6px; right: 6px; }
#kg-kind { color: #555; }
dl { margin: 0; }
dt { font-weight: 600; margin-top: 6px; }
dd { margin: 0 0 0 12px; overflow-wrap: anywhere; }
dd ul { margin: 0; padding: 0; list-style: none; }
blockquote { margin: 6px 0; padding-left: 8px; border-left: 3px solid #ccc; overflow-wrap: anywhere; }
blockquote cite { display: block; color: #555; font-style: normal; font-size: 12px; }
.kg-link { color: #1a5fb4; text-decoration: none; }
.kg-link:hover { text-decoration: underline; }
div.vis-tooltip { white-space: pre-wrap; max-width: 480px; font-size: 12px; }
</style>
</head>
<body>
<div id="kg-graph"></div>
<aside id="kg-controls" class="kg-box">
<h1>{{ heading }}</h1>
<form id="kg-search" role="search">
<input id="kg-q" type="search" placeholder="Find a node by any of its labels" autocomplete="off" aria-label="Search">
<button type="submit">Find</button></form>
<div id="kg-msg" aria-live="polite"></div>
<ol id="kg-results"></ol>
<fieldset><legend>Types</legend>
<ul id="kg-legend">
{% for kind, count in legend %}<li><label><input type="checkbox" class="kg-kind" value="{{ kind.name }}" checked>
<span class="kg-symbol" style="color: {{ kind.colour }}">{{ kind.symbol }}</span> {{ kind.name }} ({{ count }})</label></li>
{% endfor %}</ul></fieldset>
<label for="kg-article">Article</label>
<select id="kg-article"><option value="">All articles</option></select>
<div id="kg-shown"></div>
<div><button type="button" id="kg-all">Show all</button> Click a node for its facts and evidence.</div>
</aside>
<aside id="kg-panel" class="kg-box" hidden aria-live="polite">
<button type="button" id="kg-close" aria-label="Close">×</button>
<div id="kg-kind"></div>
<h2 id="kg-title"></h2>
<div id="kg-body"></div>
</aside>
<script>{{ js }}</script>
<script type="application/json" id="kg-data">{{ data }}</script>
<script>
{% raw %}(function () {
  "use strict";
  var MAX_RESULTS = 10, MAX_VALUES = 40;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };

  // Nodes as embedded; edges expanded from [from, to, property, label, tooltip] rows.
  var byId = new Map(), links = new Map();
  data.nodes.forEach(function (n) {
    n.title = n.group + ": " + n.labels[0];
    byId.set(n.id, n);
    links.set(n.id, []);
  });
  var edgeList = data.edges.map(function (row, i) {
    var prop = data.props[row[2]], e = {id: "e" + i, from: data.nodes[row[0]].id, to: data.nodes[row[1]].id,
      prop: row[2], label: row[3] || prop.edge};
    if (row[4]) { e.title = row[4]; }
    if (prop.style) { Object.assign(e, prop.style); }
    links.get(e.from).push(e);
    if (e.to !== e.from) { links.get(e.to).push(e); }
    return e;
  });
  // Nodes in the drawing: all of them, or in a huge graph the most connected (data.drawn)
  // until others are asked for (bringIn).
  var present = new Set((data.drawn ? data.drawn.map(function (i) { return data.nodes[i]; }) : data.nodes)
    .map(function (n) { return n.id; }));
  var nodes = new vis.DataSet(data.nodes.filter(function (n) { return present.has(n.id); }));
  var edges = new vis.DataSet(edgeList.filter(function (e) { return present.has(e.from) && present.has(e.to); }));
  function bringIn(ids) {
    var fresh = ids.filter(function (id) { return byId.has(id) && !present.has(id); });
    if (!fresh.length) { return false; }
    fresh.forEach(function (id) { present.add(id); });
    nodes.add(fresh.map(function (id) { return byId.get(id); }));
    var added = new Set(), list = [];
    fresh.forEach(function (id) {
      links.get(id).forEach(function (e) {
        if (!added.has(e.id) && present.has(e.from) && present.has(e.to) && edges.get(e.id) === null) {
          added.add(e.id);
          list.push(e);
        }
      });
    });
    edges.add(list);
    return true;
  }
  var network = new vis.Network($("kg-graph"), {nodes: nodes, edges: edges}, data.options);
  var hidden = new Set();
  var kindBoxes = Array.prototype.slice.call(document.querySelectorAll("input.kg-kind"));
  var view = window.kgView = {network: network, nodes: nodes, edges: edges, data: data, ready: false,
    selected: null, search: search, matches: matches, select: select, factsOf: factsOf,
    applyFilters: applyFilters, showAll: showAll, present: present};

  // Ready once drawn; a small graph first settles under physics, which is then switched off.
  function markReady() {
    view.readyAt = performance.now();  // milliseconds since navigation start
    view.ready = true;
    document.documentElement.setAttribute("data-kg-ready", "true");
  }
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
  }

  // Data goes into the page as text only.
  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (className) { e.className = className; }
    return e;
  }
  function link(text, id) {
    var a = el("a", text, "kg-link");
    a.href = "#";
    a.addEventListener("click", function (ev) { ev.preventDefault(); select(id); });
    return a;
  }

  // The same folding as kg.text.fold: no accents, one apostrophe, lower case; spaces collapsed.
  function norm(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[\u0111\u0110]/g, "d").replace(/[\u00f8\u00d8]/g, "o").replace(/[\u0142\u0141]/g, "l")
      .replace(/[\u2019\u2018`\u00b4\u02bc\u2032]/g, "'").toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  // Search: a whole label first, then a label's start, then anywhere in a label; hubs first.
  var keys = data.nodes.map(function (n) { return {id: n.id, keys: n.search.split("\n"), size: n.size}; });
  function matches(text) {
    var q = norm(text), found = [];
    if (!q) { return found; }
    keys.forEach(function (entry) {
      var rank = 3;
      entry.keys.forEach(function (k) {
        var at = k.indexOf(q);
        if (at >= 0) { rank = Math.min(rank, k.length === q.length ? 0 : at === 0 ? 1 : 2); }
      });
      if (rank < 3) { found.push({id: entry.id, rank: rank, size: entry.size}); }
    });
    found.sort(function (a, b) {
      return a.rank - b.rank || b.size - a.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    return found.map(function (f) { return f.id; });
  }
  function search(text) {
    var ids = matches(text), list = $("kg-results");
    list.replaceChildren();
    $("kg-msg").textContent = !norm(text) ? "" : ids.length === 0 ? "No node matches." : ids.length === 1 ? "1 match." :
      ids.length + " matches" + (ids.length > MAX_RESULTS ? ", the first " + MAX_RESULTS + ":" : ":");
    if (ids.length > 1) {
      ids.slice(0, MAX_RESULTS).forEach(function (id) {
        var n = byId.get(id), item = el("li");
        item.append(link(n.labels[0], id), " (" + n.group + ")");
        list.appendChild(item);
      });
    }
    if (ids.length) { select(ids[0]); }
    return ids.length ? ids[0] : null;
  }
  $("kg-search").addEventListener("submit", function (ev) {
    ev.preventDefault();
    search($("kg-q").value);
  });

  // Filters: a node shows when its type is ticked and it comes from the chosen article.
  data.articles.forEach(function (a, i) {
    var option = el("option", a.headline + (a.source ? " (" + a.source + ")" : ""));
    option.value = String(i);
    $("kg-article").appendChild(option);
  });
  function applyFilters() {
    var kinds = new Set(kindBoxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
    var article = $("kg-article").value === "" ? -1 : Number($("kg-article").value), changes = [];
    if (article >= 0 && data.drawn) {
      bringIn(data.nodes.filter(function (n) { return n.articles.indexOf(article) >= 0; })
        .map(function (n) { return n.id; }));
    }
    data.nodes.forEach(function (n) {
      if (!present.has(n.id)) { return; }
      var hide = !kinds.has(n.group) || (article >= 0 && n.articles.indexOf(article) < 0);
      if (hide !== hidden.has(n.id)) {
        changes.push({id: n.id, hidden: hide});
        if (hide) { hidden.add(n.id); } else { hidden.delete(n.id); }
      }
    });
    if (changes.length) { nodes.update(changes); }
    $("kg-shown").textContent = "Showing " + (present.size - hidden.size) + " of " + data.nodes.length + " nodes" +
      (present.size < data.nodes.length ? " (the most connected; search, a link or an article draws others)." : ".");
  }
  function showAll() {
    kindBoxes.forEach(function (b) { b.checked = true; });
    $("kg-article").value = "";
    applyFilters();
  }
  kindBoxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  $("kg-article").addEventListener("change", function () {
    applyFilters();
    var shown = data.nodes.filter(function (n) { return present.has(n.id) && !hidden.has(n.id); })
      .map(function (n) { return n.id; });
    if (shown.length) { network.fit({nodes: shown, animation: false}); }
  });
  $("kg-all").addEventListener("click", showAll);
  applyFilters();

  // A node's facts: its own values, then its links (out, then in), articles last.
  function factsOf(id) {
    var n = byId.get(id), out = new Map(), into = new Map(), facts = [];
    function add(map, prop, value) {
      if (!map.has(prop)) { map.set(prop, []); }
      map.get(prop).push(value);
    }
    n.facts.forEach(function (f) { f[1].forEach(function (v) { add(out, f[0], v); }); });
    links.get(id).forEach(function (e) {  // a membership shows its role beside the name
      var member = data.props[e.prop].member, to = byId.get(e.to).labels[0], from = byId.get(e.from).labels[0];
      if (e.from === id) { add(out, e.prop, [member ? e.label + ", " + to : to, e.to]); }
      if (e.to === id) { add(into, e.prop, [member ? from + " (" + e.label + ")" : from, e.from]); }
    });
    function collect(map, inverse, last) {
      data.props.forEach(function (prop, i) {
        if (map.has(i) && prop.last === last) {
          facts.push([inverse ? prop.inverse || prop.edge + " (of)" : prop.facts, sortValues(map.get(i))]);
        }
      });
    }
    collect(out, false, false);
    collect(into, true, false);
    collect(out, false, true);
    collect(into, true, true);
    return facts;
  }
  function sortValues(values) {
    var seen = new Set(), unique = values.filter(function (v) {
      var key = JSON.stringify(v);
      return seen.has(key) ? false : (seen.add(key), true);
    });
    unique.sort(function (a, b) {
      var x = typeof a === "string" ? a : a[0], y = typeof b === "string" ? b : b[0];
      return x < y ? -1 : x > y ? 1 : 0;
    });
    return unique.length <= MAX_VALUES ? unique :
      unique.slice(0, MAX_VALUES).concat(["\u2026 and " + (unique.length - MAX_VALUES) + " more"]);
  }

  // The side panel: the node's labels, facts (links to other nodes) and evidence sentences.
  function select(id) {
    if (!byId.has(id)) { return false; }
    if (bringIn([id])) { applyFilters(); }  // a node of a kind filtered out is then hidden: shown below
    if (hidden.has(id)) { showAll(); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1),  // each frame of a big graph is slow to draw
      animation: data.big ? false : {duration: 300, easingFunction: "easeInOutQuad"}});
    showPanel(id);
    return true;
  }
  function showPanel(id) {
    var n = byId.get(id), body = $("kg-body"), facts = el("dl");
    view.selected = id;
    $("kg-kind").textContent = n.group;
    $("kg-title").textContent = n.labels[0];
    body.replaceChildren();
    if (n.labels.length > 1) { addFact(facts, "Also known as", n.labels.slice(1)); }
    factsOf(id).forEach(function (f) { addFact(facts, f[0], f[1]); });
    body.appendChild(facts);
    if (n.evidence.length) {
      body.appendChild(el("h3", "Evidence"));
      n.evidence.forEach(function (row) {
        var quote = el("blockquote"), cite = el("cite"), a = data.articles[row[1]];
        quote.appendChild(el("span", "\u201c" + row[0] + "\u201d"));
        if (a) { cite.append("\u2014 ", link(a.headline, a.id), a.source ? " (" + a.source + ")" : ""); }
        quote.appendChild(cite);
        body.appendChild(quote);
      });
      if (n.more) { body.appendChild(el("p", "\u2026 and " + n.more + " more sentences.")); }
    }
    $("kg-panel").hidden = false;
  }
  function addFact(list, heading, values) {
    var dd = el("dd"), items = el("ul");
    values.forEach(function (v) {
      var item = el("li");
      if (typeof v === "string") { item.textContent = v; } else { item.appendChild(link(v[0], v[1])); }
      items.appendChild(item);
    });
    dd.appendChild(items);
    list.append(el("dt", heading), dd);
  }
  function hidePanel() {
    $("kg-panel").hidden = true;
    view.selected = null;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); } else { hidePanel(); }
  });
  $("kg-close").addEventListener("click", function () { network.unselectAll(); hidePanel(); });
})();{% endraw %}
</script>
</body>
</html>
"""
