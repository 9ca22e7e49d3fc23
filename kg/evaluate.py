"""Score a built graph against gold annotations: precision, recall and F1 per category.

The gold format is the contract's ("Gold annotations"): one JSON file per article listing
its entities, agreements (with their slots) and roles. The rules are those of the shared
scorer (`eval/score.py`), so `kg evaluate` prints the same numbers:

- labels are compared after :func:`normalize` (no case, accents or punctuation);
- a node's category comes from its rdf:type, through rdfs:subClassOf in the graph, the
  most specific category winning (Agreement before Event before Person ...);
- the nodes scored for an article are those `prov:wasDerivedFrom` its article node (the
  node whose `dcterms:source` has the gold's file name);
- each gold agreement is aligned with the predicted agreement sharing most with it, then
  scored slot by slot (parties, signatories, place, topics, dates, validity, duration);
  topics also match when one phrase contains the other's words;
- `optional` items, `optional_*` lists and `*_optional` values are neither required nor
  counted against the extractor;
- a role whose organization is empty matches any membership of its person;
- evidence: every agreement and membership needs an annotation whose selectors quote the
  article text exactly (offsets checked when the articles' folder is given).
"""
from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node

from .errors import EvaluationError, GraphFileError
from .vocab import DCTERMS, KG, OA, ORG, PROV, RDF, RDFS, SDO, SKOS

__all__ = ["CATEGORIES", "Scores", "Tally", "check_fail_under", "evaluate", "format_scores", "gold_files",
           "load_graphs", "normalize"]

#: The score categories, in the order they are printed.
CATEGORIES: tuple[str, ...] = ("entities", "agreements", "roles", "evidence")

#: Entity type (as the gold writes it) -> the classes that give a node that type.
#: Most specific first: a node typed both kg:Agreement and schema:Event is an Agreement.
ENTITY_TYPES: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Agreement", (KG.Agreement,)),
    ("Event", (SDO.Event,)),
    ("Person", (SDO.Person, FOAF.Person)),
    ("Country", (SDO.Country,)),
    ("Organization", (SDO.Organization, SDO.GovernmentOrganization, SDO.NGO, SDO.Corporation,
                      SDO.NewsMediaOrganization, SDO.ResearchOrganization, SDO.EducationalOrganization,
                      ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, FOAF.Organization)),
    ("Technology", (KG.Technology,)),
    ("Place", (SDO.Place, SDO.City, SDO.AdministrativeArea)),
)
TYPE_RANK: dict[str, int] = {name: rank for rank, (name, _) in enumerate(ENTITY_TYPES)}

#: The properties whose values are a node's labels.
LABEL_PROPERTIES: tuple[URIRef, ...] = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SDO.name, SDO.alternateName,
                                        FOAF.name)

#: Words that do not make a topic phrase contentful on their own (French and English).
STOPWORDS: frozenset[str] = frozenset(
    "de des du la le les l d et en au aux a un une sur dans pour par "
    "the of and in on for to with its".split())


# --- labels ----------------------------------------------------------------------------

def normalize(text: object) -> str:
    """A label as compared: no accents, case or punctuation, single spaces.

    >>> normalize("Nguyễn Mạnh Hùng")
    'nguyen manh hung'
    >>> normalize("Ministère de l'Intérieur,  de l'Information")
    'ministere de l interieur de l information'
    """
    text = str(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in bare).split())


def normalized(labels: Iterable[object]) -> frozenset[str]:
    """The non-empty normalized forms of `labels`."""
    return frozenset(filter(None, map(normalize, labels)))


def contains_phrase(short: str, long: str) -> bool:
    """True when the words of `short` occur in a row inside `long` and one of them carries content.

    >>> contains_phrase("ville intelligente", "projets de ville intelligente")
    True
    >>> contains_phrase("de la", "cooperation de la jica")
    False
    """
    words, within = short.split(), long.split()
    if not any(len(w) >= 4 and w not in STOPWORDS for w in words):
        return False
    n = len(words)
    return any(within[i:i + n] == words for i in range(len(within) - n + 1))


def share_label(labels: frozenset[str], alternatives: frozenset[str]) -> bool:
    """Strict matching: the two sets have a normalized label in common."""
    return bool(labels & alternatives)


def overlap_loosely(labels: frozenset[str], alternatives: frozenset[str]) -> bool:
    """Topic matching: two labels are equal, or one phrase contains the other's words."""
    return any(a == b or contains_phrase(a, b) or contains_phrase(b, a) for a in labels for b in alternatives)


# --- tallies ---------------------------------------------------------------------------

@dataclass
class Tally:
    """Counts for one category.

    `tp_pred` of the `n_pred` predicted items match the gold (precision); `tp_gold` of the
    `n_gold` required gold items are found (recall). `misses` and `extras` say which not.
    """

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        """Add `other`'s counts and lists to this tally."""
        self.tp_pred += other.tp_pred
        self.n_pred += other.n_pred
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold
        self.misses.extend(other.misses)
        self.extras.extend(other.extras)

    @property
    def precision(self) -> float:
        """Share of predictions that are right; 1 when nothing was predicted and nothing expected."""
        if self.n_pred:
            return self.tp_pred / self.n_pred
        return 0.0 if self.n_gold else 1.0

    @property
    def recall(self) -> float:
        """Share of required gold items found; 1 when the gold requires nothing."""
        return self.tp_gold / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """The tallies of one evaluation, and the gold articles the graph has no node for."""

    entities: Tally = field(default_factory=Tally)
    agreements: Tally = field(default_factory=Tally)
    roles: Tally = field(default_factory=Tally)
    evidence: Tally = field(default_factory=Tally)
    articles_without_node: list[str] = field(default_factory=list)

    def __getitem__(self, category: str) -> Tally:
        if category not in CATEGORIES:
            raise KeyError(category)
        tally: Tally = getattr(self, category)
        return tally

    def items(self) -> Iterator[tuple[str, Tally]]:
        """(category, tally) pairs in the printed order."""
        return ((name, self[name]) for name in CATEGORIES)

    def as_dict(self, verbose: bool = False) -> dict[str, Any]:
        """The JSON report: score.py's keys (precision, recall, f1 rounded to 3 places,
        articles_without_node) plus the counts, and the misses and extras when `verbose`."""
        report: dict[str, Any] = {}
        for name, t in self.items():
            entry: dict[str, Any] = {"precision": round(t.precision, 3), "recall": round(t.recall, 3),
                                     "f1": round(t.f1, 3), "tp_pred": t.tp_pred, "n_pred": t.n_pred,
                                     "tp_gold": t.tp_gold, "n_gold": t.n_gold}
            if verbose:
                entry["misses"] = list(t.misses)
                entry["extras"] = list(t.extras)
            report[name] = entry
        report["articles_without_node"] = list(self.articles_without_node)
        return report


# --- gold ------------------------------------------------------------------------------

@dataclass
class Alternatives:
    """One gold slot item: the labels any of which matches, and the item as written (for messages)."""

    written: list[str] | str
    labels: frozenset[str]


@dataclass
class GoldEntity:
    type: str
    label: str
    labels: frozenset[str]
    optional: bool


@dataclass
class GoldAgreement:
    label: str
    optional: bool
    items: dict[str, list[Alternatives]]   # JSON key (parties, optional_parties, ...) -> items
    values: dict[str, frozenset[str]]      # JSON key (date, date_optional, ...) -> accepted values


@dataclass
class GoldRole:
    person: list[str] | str
    person_labels: frozenset[str]
    organizations: list[frozenset[str]]    # empty: the text names none, any organization matches
    title: str
    optional: bool


@dataclass
class GoldArticle:
    path: Path
    article: str
    entities: list[GoldEntity]
    agreements: list[GoldAgreement]
    roles: list[GoldRole]


@dataclass(frozen=True)
class ItemSlot:
    """An agreement slot whose values are nodes, matched by label."""

    name: str
    prop: URIRef
    key: str
    optional_key: str | None = None
    loose: bool = False


@dataclass(frozen=True)
class ValueSlot:
    """An agreement slot whose value is a literal, matched by its lexical form."""

    name: str
    prop: URIRef
    key: str
    optional_key: str


ITEM_SLOTS: tuple[ItemSlot, ...] = (
    ItemSlot("party", KG.party, "parties", "optional_parties"),
    ItemSlot("signatory", KG.signatory, "signatories"),
    ItemSlot("place", KG.signedAt, "place"),
    ItemSlot("topic", KG.topic, "topics", "optional_topics", loose=True),
)
VALUE_SLOTS: tuple[ValueSlot, ...] = (
    ValueSlot("signedOn", KG.signedOn, "date", "date_optional"),
    ValueSlot("validFrom", KG.validFrom, "valid_from", "valid_from_optional"),
    ValueSlot("validUntil", KG.validUntil, "valid_until", "valid_until_optional"),
    ValueSlot("duration", KG.duration, "duration", "duration_optional"),
)
#: The slots that decide which predicted agreement a gold agreement is aligned with.
ALIGNMENT_SLOTS: tuple[ItemSlot, ...] = tuple(s for s in ITEM_SLOTS if s.key in ("parties", "signatories", "topics"))
SLOT_PROPERTIES: tuple[URIRef, ...] = tuple(s.prop for s in (*ITEM_SLOTS, *VALUE_SLOTS))


class _GoldReader:
    """Turns one gold JSON document into Gold* objects, or says in one line what is wrong."""

    def __init__(self, path: Path):
        self.path = path

    def error(self, where: str, what: str) -> EvaluationError:
        return EvaluationError(f"{self.path}: {where}: {what} (see the contract's gold format)")

    def require(self, obj: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
        if key not in obj:
            raise self.error(where, f"missing {key!r}")
        if not isinstance(obj[key], kind):
            raise self.error(where, f"{key!r} has the wrong type")
        return obj[key]

    def records(self, doc: dict[str, Any], key: str, required: bool) -> list[dict[str, Any]]:
        items = self.require(doc, key, list, "top level") if required else doc.get(key, [])
        if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
            raise self.error(key, "expected a list of objects")
        return items

    def alternatives(self, raw: Any, where: str) -> list[Alternatives]:
        if not isinstance(raw, list):
            raise self.error(where, "expected a list of items")
        for item in raw:
            if not (isinstance(item, str) or isinstance(item, list) and all(isinstance(x, str) for x in item)):
                raise self.error(where, f"item {item!r} is neither a label nor a list of labels")
        return [Alternatives(item, normalized(item if isinstance(item, list) else [item])) for item in raw]

    def values(self, raw: Any, where: str) -> frozenset[str]:
        if isinstance(raw, (str, int)):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(x, (str, int)) for x in raw):
            raise self.error(where, "expected a list of values")
        return frozenset(str(x) for x in raw)

    def read(self, doc: Any) -> GoldArticle:
        if not isinstance(doc, dict):
            raise self.error("top level", "expected a JSON object")
        article = self.require(doc, "article", str, "top level")
        entities = []
        for i, e in enumerate(self.records(doc, "entities", required=True)):
            where = f"entities[{i}]"
            kind, label = self.require(e, "type", str, where), self.require(e, "label", str, where)
            if kind not in TYPE_RANK:
                raise self.error(where, f"unknown type {kind!r}; use one of {', '.join(TYPE_RANK)}")
            aliases = e.get("aliases", [])
            if not isinstance(aliases, list):
                raise self.error(where, "'aliases' has the wrong type")
            entities.append(GoldEntity(kind, label, normalized([label, *aliases]), bool(e.get("optional"))))
        agreements = []
        for i, a in enumerate(self.records(doc, "agreements", required=True)):
            where = f"agreements[{i}]"
            label = self.require(a, "label", str, where)
            item_keys = [k for s in ITEM_SLOTS for k in (s.key, s.optional_key) if k]
            value_keys = [k for s in VALUE_SLOTS for k in (s.key, s.optional_key)]
            items = {k: self.alternatives(a.get(k, []), f"{where}.{k}") for k in item_keys}
            values = {k: self.values(a.get(k, []), f"{where}.{k}") for k in value_keys}
            agreements.append(GoldAgreement(label, bool(a.get("optional")), items, values))
        roles = []
        for i, r in enumerate(self.records(doc, "roles", required=False)):
            where = f"roles[{i}]"
            person = self.require(r, "person", (list, str), where)
            if not person:
                raise self.error(where, "'person' is empty")
            organizations = self.alternatives(self.require(r, "organization", list, where), f"{where}.organization")
            title = self.require(r, "role", str, where)
            roles.append(GoldRole(person, normalized(person if isinstance(person, list) else [person]),
                                  [o.labels for o in organizations], title, bool(r.get("optional"))))
        return GoldArticle(self.path, article, entities, agreements, roles)


def gold_files(paths: Iterable[Path]) -> list[Path]:
    """The gold JSON files named by `paths`: files as given, folders as their `*.json`, sorted."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                raise EvaluationError(f"{path}: no gold .json files in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise EvaluationError(f"{path}: no such gold file or folder")
    if not files:
        raise EvaluationError("no gold annotations given; pass --gold FILE_OR_FOLDER")
    return files


def load_gold(path: Path) -> GoldArticle:
    """Read one gold file; EvaluationError in one line when it is not the contract's format."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise EvaluationError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read ({exc.strerror})") from exc
    return _GoldReader(path).read(doc)


# --- the graph under test --------------------------------------------------------------

class _GraphIndex:
    """The predicted graph, indexed for scoring: node types, articles, labels."""

    def __init__(self, graph: Graph):
        self.graph = graph
        class_type = self._class_types()
        self.type: dict[Node, str] = {}
        for node, cls in graph.subject_objects(RDF.type):
            kind = class_type.get(cls)
            if kind is not None and (node not in self.type or TYPE_RANK[kind] < TYPE_RANK[self.type[node]]):
                self.type[node] = kind
        self.articles: dict[str, set[Node]] = defaultdict(set)  # file name -> article nodes
        for article, source in graph.subject_objects(DCTERMS.source):
            self.articles[Path(str(source)).name].add(article)
        self._labels: dict[Node, frozenset[str]] = {}

    def _class_types(self) -> dict[Node, str]:
        """Every class the entity types' classes subsume (rdfs:subClassOf in the graph) -> its
        entity type; a class reachable from two types belongs to the more specific one."""
        found: dict[Node, str] = {}
        for kind, classes in ENTITY_TYPES:
            stack: list[Node] = list(classes)
            while stack:
                cls = stack.pop()
                if cls not in found:
                    found[cls] = kind
                    stack.extend(self.graph.subjects(RDFS.subClassOf, cls))
        return found

    def labels(self, node: Node) -> frozenset[str]:
        if node not in self._labels:
            self._labels[node] = normalized(o for p in LABEL_PROPERTIES for o in self.graph.objects(node, p))
        return self._labels[node]

    def values(self, node: Node, prop: URIRef) -> list[Node]:
        return list(self.graph.objects(node, prop))

    def value_labels(self, node: Node, prop: URIRef) -> list[frozenset[str]]:
        """One label set per value of `prop` on `node`."""
        return [self.labels(v) for v in self.graph.objects(node, prop)]

    def derived_from(self, article: str) -> set[Node]:
        """The nodes `prov:wasDerivedFrom` the article node(s) of file name `article`."""
        return {s for a in self.articles.get(article, ()) for s in self.graph.subjects(PROV.wasDerivedFrom, a)}

    def memberships(self) -> Iterator[Node]:
        return self.graph.subjects(RDF.type, ORG.Membership)

    def is_membership(self, node: Node) -> bool:
        return (node, RDF.type, ORG.Membership) in self.graph


# --- slot scoring ----------------------------------------------------------------------

def score_items(values: list[frozenset[str]], required: list[Alternatives], optional: list[Alternatives],
                slot: str, loose: bool = False) -> Tally:
    """Score predicted values (one label set each) against gold items.

    A value is right when it matches any required or optional item; a required item is
    found when any value matches it (several values may find the same item).
    """
    matches = overlap_loosely if loose else share_label
    found = [False] * len(required)
    t = Tally(n_pred=len(values), n_gold=len(required))
    for labels in values:
        hits = [i for i, item in enumerate(required) if matches(labels, item.labels)]
        for i in hits:
            found[i] = True
        if hits or any(matches(labels, item.labels) for item in optional):
            t.tp_pred += 1
        else:
            t.extras.append(f"{slot}: {sorted(labels)[:1]}")
    t.tp_gold = sum(found)
    t.misses.extend(f"{slot}: {item.written}" for item, hit in zip(required, found) if not hit)
    return t


def score_value(values: list[Node], required: frozenset[str], optional: frozenset[str], slot: str) -> Tally:
    """Score a single-valued literal slot: right when a value's lexical form is an accepted one.

    An optional value, when the gold requires none, counts as one right prediction.
    """
    forms = [str(v) for v in values]
    if not required and any(f in optional for f in forms):
        return Tally(tp_pred=1, n_pred=1)
    ok = any(f in required for f in forms)
    t = Tally(n_pred=int(bool(forms)), n_gold=int(bool(required)))
    if forms:
        t.tp_pred = int(ok)
        if not ok:
            t.extras.append(f"{slot}: {forms}")
    if required:
        t.tp_gold = int(ok)
        if not ok:
            t.misses.append(f"{slot}: {sorted(required)}")
    return t


# --- categories ------------------------------------------------------------------------

def score_entities(index: _GraphIndex, nodes: set[Node], gold: GoldArticle, aligned: dict[Node, str]) -> Tally:
    """Each typed node must match a gold entity of its type (one node per entity).

    `aligned` maps agreement nodes to the gold agreement label they were aligned with: an
    agreement's label is the extractor's wording and need not match the gold's.
    """
    t = Tally(n_gold=sum(not e.optional for e in gold.entities))
    claimed: dict[int, Node] = {}
    for node in sorted(nodes, key=str):
        kind = index.type.get(node)
        if kind is None:
            continue
        labels = index.labels(node)
        if node in aligned:
            labels = labels | normalized([aligned[node]])
        t.n_pred += 1
        match = next((i for i, e in enumerate(gold.entities) if e.type == kind and labels & e.labels), None)
        if match is None:
            other = next((e.type for e in gold.entities if labels & e.labels), None)
            why = f" (gold says {other})" if other else ""
            t.extras.append(f"{kind}: {sorted(labels)[:2]}{why}")
        elif match in claimed:
            t.extras.append(f"{kind}: duplicate node for {gold.entities[match].label!r}: {node}")
        else:
            claimed[match] = node
            t.tp_pred += 1
    for i, e in enumerate(gold.entities):
        if e.optional:
            continue
        if i in claimed:
            t.tp_gold += 1
        else:
            t.misses.append(f"{e.type}: {e.label}")
    return t


def _alignment(index: _GraphIndex, node: Node, agreement: GoldAgreement) -> int:
    """How much a predicted agreement shares with a gold one: 2 for the label, 1 per party,
    signatory and topic found (strictly)."""
    score = 2 * bool(index.labels(node) & normalized([agreement.label]))
    for slot in ALIGNMENT_SLOTS:
        score += score_items(index.value_labels(node, slot.prop), agreement.items[slot.key], [], slot.name).tp_gold
    return score


def _slot_tallies(index: _GraphIndex, node: Node, agreement: GoldAgreement) -> list[Tally]:
    tallies = [score_items(index.value_labels(node, s.prop), agreement.items[s.key],
                           agreement.items[s.optional_key] if s.optional_key else [], s.name, s.loose)
               for s in ITEM_SLOTS]
    tallies += [score_value(index.values(node, s.prop), agreement.values[s.key], agreement.values[s.optional_key],
                            s.name)
                for s in VALUE_SLOTS]
    return tallies


def _required_slots(agreement: GoldAgreement) -> int:
    """The number of slot values the gold requires of an agreement."""
    return (sum(len(agreement.items[s.key]) for s in ITEM_SLOTS)
            + sum(bool(agreement.values[s.key]) for s in VALUE_SLOTS))


def score_agreements(index: _GraphIndex, nodes: set[Node], gold: GoldArticle) -> tuple[Tally, dict[Node, str]]:
    """Align gold agreements with predicted ones (greedily, in gold order), score their slots.

    Returns the tally and the alignment (agreement node -> gold label). A gold agreement
    left unaligned misses all its required slots; a predicted agreement left unaligned
    makes every one of its slot values a false positive.
    """
    total = Tally()
    free = sorted((n for n in nodes if index.type.get(n) == "Agreement"), key=str)
    aligned: dict[Node, str] = {}
    for agreement in gold.agreements:
        best = max(free, key=lambda n: _alignment(index, n, agreement), default=None)
        if best is None or _alignment(index, best, agreement) == 0:
            if not agreement.optional:
                total.n_gold += _required_slots(agreement)
                total.misses.append(f"agreement not found: {agreement.label}")
            continue
        free.remove(best)
        aligned[best] = agreement.label
        for t in _slot_tallies(index, best, agreement):
            if agreement.optional:  # its values may be right, none is required
                t.n_gold = t.tp_gold = 0
                t.misses = []
            total.add(t)
    for node in free:
        n_values = sum(len(index.values(node, p)) for p in SLOT_PROPERTIES)
        total.n_pred += n_values
        total.extras.append(f"agreement not in gold: {sorted(index.labels(node))[:1]} ({n_values} values)")
    return total, aligned


def score_roles(index: _GraphIndex, nodes: set[Node], gold: GoldArticle) -> Tally:
    """Each membership must match a gold role: same person, and one of its organizations
    (any organization when the gold names none)."""
    t = Tally(n_gold=sum(not r.optional for r in gold.roles))
    found: set[int] = set()
    for m in sorted((n for n in nodes if index.is_membership(n)), key=str):
        people = index.value_labels(m, ORG.member)
        orgs = index.value_labels(m, ORG.organization)
        t.n_pred += 1
        match = next((i for i, r in enumerate(gold.roles)
                      if any(p & r.person_labels for p in people)
                      and (not r.organizations or any(o & alt for o in orgs for alt in r.organizations))), None)
        if match is None:
            t.extras.append(f"membership: {[sorted(p)[:1] for p in people]} in {[sorted(o)[:1] for o in orgs]}")
        else:
            t.tp_pred += 1
            found.add(match)
    for i, r in enumerate(gold.roles):
        if r.optional:
            continue
        if i in found:
            t.tp_gold += 1
        else:
            t.misses.append(f"role: {r.person[0]} / {r.title}")
    return t


class _ArticleTexts:
    """Article texts under a sources folder, found by file name and read once."""

    def __init__(self, root: Path):
        self.root = root
        self._texts: dict[str, str | None] = {}

    def get(self, name: str) -> str | None:
        if name not in self._texts:
            path = next(iter(self.root.rglob(name)), None)
            try:
                self._texts[name] = path.read_text(encoding="utf-8") if path else None
            except (OSError, UnicodeDecodeError) as exc:
                raise EvaluationError(f"{path}: cannot read the article text ({exc})") from exc
        return self._texts[name]


def _quote(graph: Graph, target: Node) -> tuple[int, int, str] | None:
    """The (start, end, exact) an annotation target's selectors give, or None if incomplete.
    When several selectors give the same field, the last one read wins."""
    start = end = exact = None
    for selector in graph.objects(target, OA.hasSelector):
        first, last = graph.value(selector, OA.start), graph.value(selector, OA.end)
        if first is not None:
            try:
                start, end = int(first), int(last)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                start = end = None
        quote = graph.value(selector, OA.exact)
        if quote is not None:
            exact = str(quote)
    if start is None or end is None or exact is None:
        return None
    return start, end, exact


def _has_evidence(graph: Graph, fact: Node, texts: _ArticleTexts | None) -> bool:
    for annotation in graph.subjects(OA.hasBody, fact):
        for target in graph.objects(annotation, OA.hasTarget):
            source = graph.value(target, OA.hasSource)
            quote = _quote(graph, target)
            if source is None or quote is None:
                continue
            if texts is None:
                return True
            path = graph.value(source, DCTERMS.source)
            if path is None:
                continue
            start, end, exact = quote
            text = texts.get(Path(str(path)).name)
            if text is not None and text[start:end] == exact:
                return True
    return False


def score_evidence(index: _GraphIndex, sources: Path | None) -> Tally:
    """Every agreement and membership in the graph needs an annotation whose selectors
    quote its article: `text[start:end] == exact` when `sources` is given, else only present."""
    facts = {n for n, kind in index.type.items() if kind == "Agreement"} | set(index.memberships())
    texts = _ArticleTexts(sources) if sources is not None else None
    t = Tally()
    for fact in sorted(facts, key=str):
        ok = _has_evidence(index.graph, fact, texts)
        t.n_pred += 1
        t.n_gold += 1
        t.tp_pred += ok
        t.tp_gold += ok
        if not ok:
            t.misses.append(f"no exact evidence for {fact}")
    return t


# --- entry points ----------------------------------------------------------------------

def load_graphs(graph: Path, extra: Iterable[Path] = ()) -> Graph:
    """The graph in `graph`, with the triples of `extra` Turtle files (e.g. an ontology's
    class hierarchy) merged in; GraphFileError when a file is missing or not Turtle."""
    from .graph import load_graph

    try:
        merged = load_graph(graph)
        for path in extra:
            merged += load_graph(path)
    except GraphFileError as exc:  # the Turtle parser's message spans lines: keep it to one
        raise GraphFileError(" ".join(str(exc).split())) from exc
    return merged


def evaluate(graph: Graph, gold_paths: list[Path], sources: Path | None = None) -> Scores:
    """Score `graph` against the gold files in `gold_paths` (files or folders of `*.json`).

    `sources` is the folder holding the articles: evidence offsets are then checked against
    their text; without it an annotation with a source, offsets and a quote is enough.
    """
    if sources is not None and not sources.is_dir():
        raise EvaluationError(f"{sources}: no such sources folder")
    golds = [load_gold(path) for path in gold_files(gold_paths)]
    index = _GraphIndex(graph)
    scores = Scores()
    for gold in golds:
        if gold.article not in index.articles:
            scores.articles_without_node.append(gold.article)
        nodes = index.derived_from(gold.article)
        agreements, aligned = score_agreements(index, nodes, gold)
        scores.entities.add(score_entities(index, nodes, gold, aligned))
        scores.agreements.add(agreements)
        scores.roles.add(score_roles(index, nodes, gold))
    scores.evidence = score_evidence(index, sources)
    return scores


def format_scores(scores: Scores, verbose: bool = False) -> str:
    """One line per category (the shared scorer's format), each followed by its misses and
    extras when `verbose`, then the gold articles the graph has no article node for."""
    lines = []
    for name, t in scores.items():
        lines.append(f"{name:<11} precision {t.precision:.3f}  recall {t.recall:.3f}  F1 {t.f1:.3f}   "
                     f"(pred {t.tp_pred}/{t.n_pred}, gold {t.tp_gold}/{t.n_gold})")
        if verbose:
            lines += [f"    miss  {m}" for m in t.misses]
            lines += [f"    extra {e}" for e in t.extras]
    if scores.articles_without_node:
        lines.append(f"articles with no schema:NewsArticle node: {scores.articles_without_node}")
    return "\n".join(lines)


def parse_fail_under(spec: str) -> list[tuple[str, str]]:
    """`"entities=0.9,evidence=1"` -> [("entities", "0.9"), ("evidence", "1")].

    >>> parse_fail_under("entities=0.9, evidence=1")
    [('entities', '0.9'), ('evidence', '1')]
    """
    bounds = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, sep, bound = (s.strip() for s in part.partition("="))
        if not sep or key not in CATEGORIES:
            raise EvaluationError(f"fail-under {part!r}: write CATEGORY=BOUND with CATEGORY one of "
                                  f"{', '.join(CATEGORIES)}")
        try:
            float(bound)
        except ValueError:
            raise EvaluationError(f"fail-under {part!r}: {bound!r} is not a number") from None
        bounds.append((key, bound))
    return bounds


def check_fail_under(scores: Scores, spec: str) -> list[str]:
    """The bounds of `spec` ("entities=0.9,agreements=0.8") that an F1 falls short of, each
    as "entities F1 0.850 < 0.9"; empty when all are met."""
    return [f"{key} F1 {scores[key].f1:.3f} < {bound}"
            for key, bound in parse_fail_under(spec) if scores[key].f1 < float(bound)]
