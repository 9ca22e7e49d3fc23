"""render_html(triples) -> str: an offline, interactive, deterministic view of the graph.

Nodes are the entities and the articles, coloured and shaped by type, sized by degree; edges
are the properties between them, and memberships (person -> organization, labelled with the
role). The Oxigraph triples are read in one pass into the page's data (nodes with their labels,
facts and evidence; edges as [from, to, property, label, tooltip] rows over node numbers),
embedded as JSON that cannot close its <script>. The page (kg/page/: template, CSS, JavaScript,
and view.json, the look of each type and property) and vis-network (from pyvis) are inlined:
one file that requests nothing. kg.layout lays out big graphs. Same triples, same bytes.
"""
from __future__ import annotations

import importlib.util
import json
import math
import re
import webbrowser
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterable, NamedTuple

import pyoxigraph as ox
from jinja2 import Environment
from markupsafe import Markup
from rdflib import Graph, Literal, URIRef

from . import vocab
from .layout import BIG_GRAPH, first_drawn, grouped_layout, vis_options
from .text import fold
from .vocab import DCTERMS, KG, OA, ORG, OWL, PROV, RDFS, SDO, SKOS

Term = ox.NamedNode | ox.Literal | ox.BlankNode
# source and target node IRIs (edges sort fast), Prop key, label (the role of a membership; "" for
# the property's label), tooltip ("" for none)
Edge = tuple[str, str, str, str, str]
iri = attrgetter("value")  # a node's IRI (a literal's text): what nodes are sorted by
PAGE = resources.files(__package__) / "page"  # the page's template, CSS, JavaScript and view.json


def oxi(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))


class Kind(NamedTuple):
    cls: ox.NamedNode
    name: str
    colour: str
    shape: str
    symbol: str  # the legend's picture of `shape`
    group: dict[str, Any] | None = None  # vis-network's look, when not just `shape` and `colour`


class Prop(NamedTuple):
    key: str  # the property's IRI, or MEMBERSHIP
    edge: str  # the edge's label
    facts: str  # the panel's heading for the values, on the subject's side
    inverse: str  # ... and on the object's side ("" when the values are never nodes)
    style: dict[str, Any] | None = None  # edge options other than the defaults


MEMBERSHIP = "membership"
NAMESPACES = {"kg": KG, "schema": SDO, "skos": SKOS, "dcterms": DCTERMS, "owl": OWL, "prov": PROV}


def read_look() -> tuple[tuple[Kind, ...], tuple[Prop, ...], dict[str, dict[str, Any]]]:
    """kg/page/view.json: the kinds in priority order (a resource with several of these types is
    drawn as the first one), the edge styles, and the properties in the side panel's order (an
    agreement's record reads top down; articles come last). Terms are prefixed names of the
    vocabulary (a misspelt one fails here)."""
    look = json.loads((PAGE / "view.json").read_text(encoding="utf-8"))

    def term(name: str) -> str:  # a prefixed name's IRI (MEMBERSHIP stays as it is)
        prefix, _, local = name.partition(":")
        return str(NAMESPACES[prefix][local]) if local else name

    kinds = tuple(Kind(**{**k, "cls": ox.NamedNode(term(k["cls"]))}) for k in look["kinds"])
    props = tuple(Prop(**{**p, "key": term(p["key"]), "style": look["edge_styles"].get(p.get("style"))})
                  for p in look["props"])
    return kinds, props, look["edge_styles"]


KINDS, PROPS, EDGE_STYLES = read_look()
# Oxigraph terms of the vocabulary, made once: compared with the triples' terms.
TYPE, DERIVED_FROM, HEADLINE, NEWS_ARTICLE, SOURCE = map(oxi, (
    vocab.TYPE, vocab.DERIVED_FROM, vocab.HEADLINE, vocab.NEWS_ARTICLE, DCTERMS.source))
HAS_BODY, HAS_TARGET, HAS_SOURCE, HAS_SELECTOR, START, EXACT = map(oxi, (
    OA.hasBody, OA.hasTarget, OA.hasSource, OA.hasSelector, OA.start, OA.exact))
MEMBERSHIP_CLASS, MEMBER, ORGANIZATION, ROLE, ROLE_TITLE = map(oxi, (
    ORG.Membership, ORG.member, ORG.organization, ORG.role, KG.roleTitle))
LAST = DERIVED_FROM.value  # listed after every other fact in the panel
NAMED = tuple(map(oxi, (RDFS.label, SKOS.prefLabel, SKOS.altLabel, vocab.HEADLINE)))  # all searched and shown
# What `pick_label` reads, in order (rdflib terms for `label_of`, Oxigraph terms for the view).
LABEL_PROPS = (vocab.LABEL, SKOS.prefLabel, vocab.HEADLINE, KG.roleTitle)
OX_LABEL_PROPS = tuple(map(oxi, LABEL_PROPS))
UNSHOWN = {TYPE.value, *(p.value for p in NAMED), str(SKOS.inScheme)}  # never listed among a node's facts

WHEN = (oxi(KG.signedOn), oxi(KG.validFrom))
YEAR_FIRST = re.compile(r"\d{4}")  # "2020", "2020-01", "2020-01-09"; not "--01-09"
URL = oxi(SDO.url)
WEB = re.compile(r"https?://", re.IGNORECASE)  # the only links the page makes to an article
MAX_EVIDENCE = 10  # sentences per node in the panel
MAX_VALUES = 40  # values per fact in the panel (the page caps links the same way)
MAX_LABEL = 60  # characters of a label drawn on the canvas
VIS_DIR = "templates/lib/vis-9.1.2"  # in the pyvis package


# --- reading the graph -------------------------------------------------------------------

class Index:
    """The triples grouped by subject and property, the subjects by type and the evidence
    by body, from one pass over the triples (Oxigraph terms: fast to hash and compare)."""

    def __init__(self, triples: Iterable[tuple]):
        self.out: dict[Term, dict[ox.NamedNode, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for s, p, o in triples:  # nothing else per triple
            self.out[s][p].append(o)
        self.typed: dict[Term, list[Term]] = defaultdict(list)
        for s, props in self.out.items():
            for cls in props.get(TYPE, ()):
                self.typed[cls].append(s)
        # body IRI -> (article IRI, start, sentence) of each annotation describing it
        self.evidence: dict[str, set[tuple[str, int, str]]] = defaultdict(set)
        self.read_evidence()
        self._labels: dict[Term, str] = {}

    def read_evidence(self) -> None:
        """`evidence` from the annotations: an oa:hasBody, targets with a source and selectors."""
        for ann, props in self.out.items():
            bodies = props.get(HAS_BODY)
            if not bodies:
                continue
            for target in props.get(HAS_TARGET, ()):
                about = self.out.get(target, {})
                article = min((a.value for a in about.get(HAS_SOURCE, ())), default="")
                selectors = [self.out.get(sel, {}) for sel in about.get(HAS_SELECTOR, ())]
                starts = [int(o.value) for sel in selectors for o in sel.get(START, ()) if o.value.isdigit()]
                found = {(article, min(starts, default=0), o.value)
                         for sel in selectors for o in sel.get(EXACT, ()) if isinstance(o, ox.Literal)}
                for body in bodies:
                    self.evidence[body.value] |= found

    def values(self, s: Term, p: ox.NamedNode) -> list[Term]:
        return self.out.get(s, {}).get(p, [])

    def texts(self, s: Term, p: ox.NamedNode) -> list[str]:
        """The literal values of `p` on `s`, sorted."""
        return sorted(o.value for o in self.values(s, p) if isinstance(o, ox.Literal))

    def label(self, node: Term) -> str:
        """The label shown for `node` (see `pick_label`)."""
        if node not in self._labels:
            self._labels[node] = pick_label(node.value, [[(o.value, o.language or "") for o in self.values(node, p)
                                                          if isinstance(o, ox.Literal)] for p in OX_LABEL_PROPS])
        return self._labels[node]

    def all_labels(self, node: Term) -> list[str]:
        """The shown label first, then every other label, alternative label and headline."""
        first = self.label(node)
        others = {text for prop in NAMED for text in self.texts(node, prop)}
        return [first, *sorted(others - {first})]


def pick_label(iri: str, literals: list[list[tuple[str, str]]]) -> str:
    """rdfs:label @fr, else @en, else any (smallest when several), else skos:prefLabel,
    schema:headline or kg:roleTitle, else the IRI's last part. `literals`: the node's literal
    values of each of LABEL_PROPS, as (text, language tag or "") pairs."""
    for lang in ("fr", "en"):
        tagged = [text for text, language in literals[0] if language.lower().split("-")[0] == lang]
        if tagged:
            return min(tagged)
    for values in literals:
        if values:
            return min(text for text, _ in values)
    return iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def label_of(graph: Graph, node: URIRef) -> str:
    """The label the view shows for `node`, read from an rdflib `graph` directly."""
    return pick_label(str(node), [[(str(o), o.language or "") for o in graph.objects(node, p)
                                   if isinstance(o, Literal)] for p in LABEL_PROPS])


def node_kinds(index: Index) -> dict[ox.NamedNode, Kind]:
    """Every node of the view, with the kind it is drawn as."""
    kinds: dict[ox.NamedNode, Kind] = {}
    for kind in KINDS:
        for s in sorted(index.typed.get(kind.cls, ()), key=iri):
            if isinstance(s, ox.NamedNode):
                kinds.setdefault(s, kind)
    return kinds


# --- what the page shows -------------------------------------------------------------------

class View:
    """What the page shows, read from the triples."""

    def __init__(self, triples: Iterable[tuple]):
        self.index = index = Index(triples)
        self.kinds = kinds = node_kinds(index)
        articles = sorted((n for n, k in kinds.items() if k.cls == NEWS_ARTICLE),
                          key=lambda a: (index.texts(a, SOURCE), a.value))
        self.articles = {a.value: i for i, a in enumerate(articles)}  # article IRI -> number, by source path
        self.prop_list = [*PROPS, *extra_props(index, kinds)]
        self.props = {p.key: i for i, p in enumerate(self.prop_list)}  # Prop key -> its number
        self.edges = sorted({*property_edges(index, kinds), *membership_edges(index, kinds)})
        self.degree = Counter(node for source, target, *_ in self.edges for node in (source, target))  # by IRI

    def node_record(self, node: ox.NamedNode) -> dict[str, Any]:
        """One node: what vis-network draws, and what the search, filters and panel need."""
        index, kind = self.index, self.kinds[node]
        labels = index.all_labels(node)
        keys = dict.fromkeys(" ".join(fold(text).split()) for text in labels)
        own = [node] if kind.cls == NEWS_ARTICLE else index.values(node, DERIVED_FROM)
        evidence = sorted({(self.articles.get(article, -1), start, sentence)
                           for article, start, sentence in index.evidence.get(node.value, ())})
        record: dict[str, Any] = {
            "id": node.value,
            "label": short(labels[0]),
            "group": kind.name,
            "size": node_size(self.degree[node.value]),
            "labels": labels,
            "search": "\n".join(k for k in keys if k),
            "articles": sorted({self.articles[a.value] for a in own if a.value in self.articles}),
            "facts": self.literal_facts(node),
            "evidence": [[sentence, article] for article, _, sentence in evidence[:MAX_EVIDENCE]],
        }
        if len(evidence) > MAX_EVIDENCE:
            record["more"] = len(evidence) - MAX_EVIDENCE
        when = next((d for p in WHEN for d in index.texts(node, p) if YEAR_FIRST.match(d)), None)
        if when is not None:  # an agreement's place on the timeline: signed, else in force from, with a year
            record["when"] = when
        return record

    def literal_facts(self, node: ox.NamedNode) -> list[list[Any]]:
        """[property number, [texts]] for the node's values that are not nodes (dates, kinds,
        sources, outside IRIs ...); the page adds the links from the edges."""
        facts, index = [], self.index
        for p, objects in index.out[node].items():
            number = self.props.get(p.value)
            texts = [index.label(o) if o in index.out else o.value for o in objects if o not in self.kinds]
            if number is not None and texts:
                facts.append([number, capped(sorted(set(texts)))])
        return sorted(facts)


def extra_props(index: Index, kinds: dict[ox.NamedNode, Kind]) -> list[Prop]:
    """Properties of nodes that PROPS does not name, labelled by their local name."""
    known = {p.key for p in PROPS} | UNSHOWN
    found = {p for s in kinds for p in index.out[s] if p.value not in known}
    return [Prop(p.value, index.label(p), index.label(p), f"{index.label(p)} (of)")
            for p in sorted(found, key=lambda p: (index.label(p), p.value))]


def property_edges(index: Index, kinds: dict[ox.NamedNode, Kind]) -> list[Edge]:
    """An edge for each triple between two nodes (labelled with the property's label)."""
    return [(s.value, o.value, p.value, "", "")
            for s in kinds for p, objects in index.out[s].items() if p != TYPE
            for o in objects if o in kinds]


def membership_edges(index: Index, kinds: dict[ox.NamedNode, Kind]) -> list[Edge]:
    """person -> organization, labelled with the role; the tooltip quotes the evidence, which
    is also added to the evidence of both ends."""
    edges = []
    for membership in sorted(index.typed.get(MEMBERSHIP_CLASS, ()), key=iri):
        roles = sorted(index.label(r) for r in index.values(membership, ROLE))
        role = "; ".join(roles or index.texts(membership, ROLE_TITLE)) or "member"
        evidence = frozenset(index.evidence.get(membership.value, ()))
        quotes = [f"“{sentence}”" for _, _, sentence in sorted(evidence)[:3]]
        for person in sorted(index.values(membership, MEMBER), key=iri):
            for org in sorted(index.values(membership, ORGANIZATION), key=iri):
                if person in kinds and org in kinds:
                    head = f"{index.label(person)}: {role}, {index.label(org)}"
                    edges.append((person.value, org.value, MEMBERSHIP, role, "\n".join([head, *quotes])))
                    index.evidence[person.value] |= evidence
                    index.evidence[org.value] |= evidence
    return edges


# --- the page's data -----------------------------------------------------------------------

def capped(values: list[str]) -> list[str]:
    return values if len(values) <= MAX_VALUES else [*values[:MAX_VALUES], f"… and {len(values) - MAX_VALUES} more"]


def short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1].rstrip() + "…"


def node_size(degree: int) -> float:
    return min(round(8 + 4 * math.sqrt(degree), 1), 48.0)


def page_data(view: View) -> dict[str, Any]:
    """The JSON the page reads: nodes, edges as [from, to, property, label, tooltip] rows
    over node numbers, properties, articles and vis-network's options."""
    big = len(view.kinds) > BIG_GRAPH
    order = sorted(view.kinds, key=iri)
    number = {node.value: i for i, node in enumerate(order)}
    nodes = [view.node_record(n) for n in order]
    if big:  # fixed positions: a node mentioned by one article only is grouped with it
        ids = list(view.articles)
        positions = grouped_layout({n["id"]: ids[n["articles"][0]] if len(n["articles"]) == 1 else "" for n in nodes},
                                   view.degree)
        for n in nodes:
            n["x"], n["y"] = positions[n["id"]]
    return {
        "drawn": first_drawn(list(number), view.edges, view.degree),
        "nodes": nodes,
        "edges": [[number[s], number[t], view.props[p], label, title] for s, t, p, label, title in view.edges],
        "props": [prop_record(p, big) for p in view.prop_list],
        "articles": [article_record(view, a) for a in view.articles],
        "options": vis_options(len(order), {k.name: k.group or {"shape": k.shape, "color": k.colour} for k in KINDS}),
        "big": big,
    }


def article_record(view: View, article: str) -> dict[str, Any]:
    node = ox.NamedNode(article)
    record = {"id": article, "headline": view.index.label(node), "source": ", ".join(view.index.texts(node, SOURCE))}
    url = next((u for u in view.index.texts(node, URL) if WEB.match(u)), None)
    if url is not None:  # the panel links to it; a javascript: or data: address is no link
        record["url"] = url
    return record


def prop_record(prop: Prop, big: bool) -> dict[str, Any]:
    record = {"edge": prop.edge, "facts": prop.facts, "inverse": prop.inverse, "last": prop.key == LAST,
              "member": prop.key == MEMBERSHIP, "key": prop.key}
    if prop.style:  # dashed lines take twice as long to draw: none in big graphs
        record["style"] = {k: v for k, v in prop.style.items() if not (big and k == "dashes")}
    return record


# --- the page ------------------------------------------------------------------------------

def render_html(triples: Iterable[tuple]) -> str:
    """The whole page as a string; the caller writes it. `triples`: Oxigraph triples, each once
    (`kg.turtle.oxigraph_triples` makes them from rdflib's)."""
    return page(View(triples))


def page(view: View) -> str:
    """The template filled in: heading, legend and the page's data."""
    data = page_data(view)
    counts = Counter(kind.name for kind in view.kinds.values())
    return _template().render(
        heading=f"Vietnam–Japan cooperation graph: {len(data['nodes'])} nodes, {len(data['edges'])} edges",
        legend=[(kind, counts[kind.name]) for kind in KINDS if counts[kind.name]],
        data=Markup(script_json(data)),
    )


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `<`, `>`, `&` or line separators left raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def open_in_browser(path: Path) -> bool:
    """Open the page in the user's web browser; False when there is none to open it."""
    try:
        return bool(webbrowser.open(Path(path).resolve().as_uri()))
    except webbrowser.Error:
        return False


@lru_cache(maxsize=1)
def _template() -> Any:
    env = Environment(autoescape=True, keep_trailing_newline=True)
    vis = vis_folder()
    env.globals.update(page_file=lambda name: inlined(PAGE / name), vis_file=lambda name: inlined(vis / name))
    return env.from_string((PAGE / "view.html.j2").read_text(encoding="utf-8"))


def vis_folder() -> Path:
    """vis-network's files in the pyvis package, found without importing it (that imports
    networkx and more: 0.3 s for two data files)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the pyvis package is not installed; run the README's build command")
    return Path(next(iter(spec.submodule_search_locations))) / VIS_DIR


@lru_cache(maxsize=None)
def inlined(path: Path) -> Markup:
    """A file of kg/page/ or of vis-network made unable to close the <style> (a .css file) or
    <script> (any other) it goes in."""
    element = "style" if path.name.endswith(".css") else "script"
    return Markup(re.sub(f"</({element})", r"<\\/\1", path.read_text(encoding="utf-8"), flags=re.I))
