"""Score a graph against gold annotations (the contract's format): precision, recall and F1 of entities,
agreement slots, roles and evidence, by the rules and in the lines of `eval/score.py` (less `--events`)."""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from rdflib import BNode, FOAF, Graph, URIRef
from rdflib.term import Node

from .errors import EvaluationError, GraphFileError
from .graph import load_graph
from .vocab import DCTERMS, KG, OA, ORG, PROV, RDF, RDFS, SDO, SKOS

Gold = dict[str, Any]  # one gold file, as checked by gold_problem
CATEGORIES = ("entities", "agreements", "roles", "evidence")  # in the printed order
#: Entity type (as the gold writes it) -> the classes that give a node that type; most specific first.
ENTITY_TYPES = (("Agreement", (KG.Agreement,)), ("Event", (SDO.Event,)), ("Person", (SDO.Person, FOAF.Person)),
                ("Country", (SDO.Country,)), ("Organization", (SDO.Organization, SDO.GovernmentOrganization, SDO.NGO,
                 SDO.Corporation, SDO.NewsMediaOrganization, SDO.ResearchOrganization, SDO.EducationalOrganization,
                 ORG.Organization, ORG.FormalOrganization, ORG.OrganizationalUnit, FOAF.Organization)),
                ("Technology", (KG.Technology,)), ("Place", (SDO.Place, SDO.City, SDO.AdministrativeArea)))
LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, SDO.name, SDO.alternateName, FOAF.name)
STOPWORDS = frozenset("de des du la le les l d et en au aux a un une sur dans pour par "
                      "the of and in on for to with its".split())  # words that give a topic phrase no content
#: An agreement slot: name in messages, property, gold key, key of optional items, and how values match (score_slot).
Slot = NamedTuple("Slot", [("name", str), ("prop", URIRef), ("key", str), ("optional_key", str), ("match", str)])
SLOTS = (Slot("party", KG.party, "parties", "optional_parties", "label"),
         Slot("signatory", KG.signatory, "signatories", "", "label"), Slot("place", KG.signedAt, "place", "", "label"),
         Slot("topic", KG.topic, "topics", "optional_topics", "loose"),
         *(Slot(name, prop, key, key + "_optional", "literal") for name, prop, key in (
             ("signedOn", KG.signedOn, "date"), ("validFrom", KG.validFrom, "valid_from"),
             ("validUntil", KG.validUntil, "valid_until"), ("duration", KG.duration, "duration"))))

def normalized(labels: Any) -> frozenset[str]:
    """Labels (a list of them, or one) as compared: no accents, case or punctuation; empty ones dropped."""
    forms = set()
    for label in labels if isinstance(labels, list) else [labels]:
        text = unicodedata.normalize("NFKD", str(label).replace("đ", "d").replace("Đ", "D"))
        bare = "".join(c for c in text if not unicodedata.combining(c)).lower()
        forms.add(" ".join("".join(c if c.isalnum() else " " for c in bare).split()))
    return frozenset(forms - {""})

def overlap_loosely(labels: frozenset[str], alts: frozenset[str]) -> bool:
    """Two labels are equal, or the words of one occur in a row in the other, one of them carrying content."""
    def contains(short: str, long: str) -> bool:
        words, within = short.split(), long.split()
        return any(len(w) >= 4 and w not in STOPWORDS for w in words) and any(
            within[i:i + len(words)] == words for i in range(len(within) - len(words) + 1))
    return any(a == b or contains(a, b) or contains(b, a) for a in labels for b in alts)

@dataclass(frozen=True)
class Tally:
    """`tp_pred` of the `n_pred` predictions are right, `tp_gold` of the `n_gold` required gold items found."""

    tp_pred: int = 0
    n_pred: int = 0
    tp_gold: int = 0
    n_gold: int = 0
    misses: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.tp_pred + other.tp_pred, self.n_pred + other.n_pred, self.tp_gold + other.tp_gold,
                     self.n_gold + other.n_gold, self.misses + other.misses, self.extras + other.extras)

    def prf(self) -> tuple[float, float, float]:
        """Precision (1 when nothing is predicted and nothing required), recall and F1."""
        p = self.tp_pred / self.n_pred if self.n_pred else float(not self.n_gold)
        r = self.tp_gold / self.n_gold if self.n_gold else 1.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

@dataclass(frozen=True)
class Scores:
    """The tally of each category (in CATEGORIES' order), and the gold articles the graph has no node for."""

    tallies: dict[str, Tally]
    articles_without_node: tuple[str, ...] = ()

    def as_dict(self, verbose: bool = False) -> dict[str, Any]:
        """The --json report: score.py's keys and the counts, with the misses and extras when `verbose`."""
        return {name: dict(zip(("precision", "recall", "f1"), (round(x, 3) for x in t.prf())))
                | {key: value for key, value in asdict(t).items() if verbose or key not in ("misses", "extras")}
                for name, t in self.tallies.items()} | {"articles_without_node": list(self.articles_without_node)}

#: The keys each kind of gold record must give, and the keys whose value must be a list.
REQUIRED = {"entities": ("type", "label"), "agreements": ("label",), "roles": ("person", "role")}
LISTS = ("aliases", "person", "organization", *(key for s in SLOTS for key in (s.key, s.optional_key) if key))

def gold_problem(doc: Any) -> str | None:
    """What keeps `doc` from being a gold file in the contract's format, or None."""
    if not isinstance(doc, dict) or not isinstance(doc.get("article"), str):
        return "expected a JSON object whose 'article' is the article's file name"
    for kind, required in REQUIRED.items():
        records = doc.get(kind, [] if kind == "roles" else None)
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            return f"{kind!r} should be a list of objects"
        for i, record in enumerate(records):
            if missing := [key for key in required if not record.get(key)]:
                return f"{kind}[{i}]: {missing[0]!r} is missing or empty"
            if wrong := [key for key in LISTS if not isinstance(record.get(key, []), list)]:
                return f"{kind}[{i}]: {wrong[0]!r} should be a list"
            if kind == "entities" and record["type"] not in dict(ENTITY_TYPES):
                return f"{kind}[{i}]: unknown type {record['type']!r}; use one of {', '.join(dict(ENTITY_TYPES))}"
    return None

def load_golds(paths: Iterable[Path]) -> list[Gold]:
    """The gold files named by `paths` (files, or folders of `*.json` read in name order), checked."""
    files = [f for p in paths for f in (sorted(p.glob("*.json")) if p.is_dir() else [p])]
    if not files:
        raise EvaluationError("no gold annotations: pass --gold with gold .json files or a folder holding some")
    golds = []
    for path in files:
        try:
            gold = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # missing, not UTF-8, not JSON: a one-line message each
            raise EvaluationError(f"{path}: cannot read this gold file as UTF-8 JSON ({exc})") from exc
        if problem := gold_problem(gold):
            raise EvaluationError(f"{path}: {problem} (see the contract's gold format)")
        golds.append(gold)
    return golds

@dataclass(frozen=True)
class Predicted:
    """The graph under test, indexed (each typed node's category, each article file name's nodes)."""

    graph: Graph
    category: dict[Node, str]
    articles: dict[str, set[Node]]

    @staticmethod
    def index(graph: Graph) -> Predicted:
        category: dict[Node, str] = {}
        for name, classes in reversed(ENTITY_TYPES):  # the most specific type last, so that it wins
            for cls in {sub for c in classes for sub in graph.transitive_subjects(RDFS.subClassOf, c)}:
                category.update((node, name) for node in graph.subjects(RDF.type, cls))
        articles: dict[str, set[Node]] = {}
        for article, source in graph.subject_objects(DCTERMS.source):
            articles.setdefault(Path(str(source)).name, set()).add(article)
        return Predicted(graph, category, articles)

    def labels(self, node: Node) -> frozenset[str]:
        return normalized([o for p in LABEL_PROPERTIES for o in self.graph.objects(node, p)])

    def score_slot(self, node: Node, slot: Slot, required: list[Any], optional: list[Any]) -> Tally:
        """Values right when matching a gold item (a label in common, or `loose`ly); a literal by its form."""
        if slot.match == "literal":
            forms, accepted = [str(v) for v in self.graph.objects(node, slot.prop)], {str(x) for x in required}
            if not accepted and any(f in {str(x) for x in optional} for f in forms):
                return Tally(tp_pred=1, n_pred=1)
            ok = any(f in accepted for f in forms)
            return Tally(int(ok), int(bool(forms)), int(ok), int(bool(accepted)),
                         (f"{slot.name}: {sorted(accepted)}",) if accepted and not ok else (),
                         (f"{slot.name}: {forms}",) if forms and not ok else ())
        meets = overlap_loosely if slot.match == "loose" else (lambda labels, alts: bool(labels & alts))
        values = [self.labels(value) for value in self.graph.objects(node, slot.prop)]
        found = [any(meets(v, normalized(item)) for v in values) for item in required]
        right = [any(meets(v, normalized(item)) for item in required + optional) for v in values]
        return Tally(sum(right), len(values), sum(found), len(required),
                     tuple(f"{slot.name}: {item}" for item, hit in zip(required, found) if not hit),
                     tuple(f"{slot.name}: {sorted(v)[:1]}" for v, ok in zip(values, right) if not ok))

    def score_entities(self, nodes: set[Node], gold: Gold, aligned: dict[Node, str]) -> Tally:
        """Each typed node must match a gold entity of its type (an aligned agreement also by its gold label)."""
        entities, claimed, extras = gold["entities"], set(), []
        typed = [(node, self.category[node]) for node in sorted(nodes, key=str) if node in self.category]
        for node, kind in typed:
            labels = self.labels(node) | normalized([aligned[node]] if node in aligned else [])
            same = [i for i, e in enumerate(entities) if labels & normalized([e["label"], *e.get("aliases", [])])]
            match = next((i for i in same if entities[i]["type"] == kind), None)
            if match is None:
                why = f" (gold says {entities[same[0]]['type']})" if same else ""
                extras.append(f"{kind}: {sorted(labels)[:2]}{why}")
            elif match in claimed:
                extras.append(f"{kind}: duplicate node for {entities[match]['label']!r}: {node}")
            claimed.add(match)
        due = [(i, e) for i, e in enumerate(entities) if not e.get("optional")]
        misses = tuple(f"{e['type']}: {e['label']}" for i, e in due if i not in claimed)
        return Tally(len(typed) - len(extras), len(typed), len(due) - len(misses), len(due), misses, tuple(extras))

    def alignment(self, node: Node, record: Gold) -> int:
        """2 for the gold label (else 1 for a loosely overlapping one), 1 per party, signatory, topic found."""
        labels, label = self.labels(node), normalized(record["label"])
        return (2 if labels & label else int(overlap_loosely(labels, label))) + sum(
            self.score_slot(node, s._replace(match="label"), record.get(s.key, []), []).tp_gold
            for s in SLOTS if s.key in ("parties", "signatories", "topics"))

    def score_agreements(self, nodes: set[Node], gold: Gold) -> tuple[Tally, dict[Node, str]]:
        """Align each gold agreement with the free node sharing most with it, score its slots; and the alignment."""
        free, aligned, total = sorted((n for n in nodes if self.category.get(n) == "Agreement"), key=str), {}, Tally()
        for record in gold["agreements"]:
            best = max(free, key=lambda n: self.alignment(n, record), default=None)
            if best is not None and self.alignment(best, record) > 0:
                free.remove(best)
                aligned[best] = record["label"]
            node = best if best in aligned else BNode()  # an agreement not found is scored as one with no value
            t = sum((self.score_slot(node, s, record.get(s.key, []), record.get(s.optional_key, [])) for s in SLOTS),
                    Tally())
            if record.get("optional"):
                t = replace(t, tp_gold=0, n_gold=0, misses=())
            elif node not in aligned:
                t = replace(t, misses=(f"agreement not found: {record['label']}",))
            total += t
        for node in free:  # every value of an agreement the gold does not know is an extra
            n = sum(1 for s in SLOTS for _ in self.graph.objects(node, s.prop))
            total += Tally(n_pred=n, extras=(f"agreement not in gold: {sorted(self.labels(node))[:1]} ({n} values)",))
        return total, aligned

    def score_roles(self, nodes: set[Node], gold: Gold) -> Tally:
        """Each membership must match a gold role: its person, and one of its organizations if it names any."""
        roles, found, extras = gold.get("roles", []), set(), []
        memberships = sorted((n for n in nodes if (n, RDF.type, ORG.Membership) in self.graph), key=str)
        for m in memberships:
            people = [self.labels(person) for person in self.graph.objects(m, ORG.member)]
            orgs = [self.labels(org) for org in self.graph.objects(m, ORG.organization)]
            match = next((i for i, r in enumerate(roles) if any(p & normalized(r["person"]) for p in people) and (
                not r.get("organization") or any(o & normalized(a) for o in orgs for a in r["organization"]))), None)
            if match is None:
                extras.append(f"membership: {[sorted(p)[:1] for p in people]} in {[sorted(o)[:1] for o in orgs]}")
            found.add(match)
        due = [(i, r) for i, r in enumerate(roles) if not r.get("optional")]
        misses = tuple(f"role: {r['person'][0]} / {r['role']}" for i, r in due if i not in found)
        return Tally(len(memberships) - len(extras), len(memberships), len(due) - len(misses), len(due), misses,
                     tuple(extras))

    def quotes(self, target: Node, sources: Path | None, texts: dict[str, str | None]) -> bool:
        """A target with a source, offsets and a quote that is its article's text there (when `sources`)."""
        g, source = self.graph, self.graph.value(target, OA.hasSource)
        fields = {p: str(o) for s in g.objects(target, OA.hasSelector) for p, o in g.predicate_objects(s)}
        start, end, exact = fields.get(OA.start), fields.get(OA.end, ""), fields.get(OA.exact)
        if source is None or start is None or exact is None or sources is None:
            return None not in (source, start, exact)
        if (path := g.value(source, DCTERMS.source)) is None:
            return False
        if (name := Path(str(path)).name) not in texts:
            found = next(sources.rglob(name), None)
            texts[name] = found.read_text(encoding="utf-8", errors="replace") if found else None
        text = texts[name]
        return text is not None and start.isdigit() and end.isdigit() and text[int(start):int(end)] == exact

    def score_evidence(self, sources: Path | None) -> Tally:
        """Every agreement and membership needs an annotation target that `quotes` its article."""
        g, texts, total = self.graph, {}, Tally()
        facts = {n for n, c in self.category.items() if c == "Agreement"} | set(g.subjects(RDF.type, ORG.Membership))
        for fact in sorted(facts, key=str):
            ok = any(self.quotes(target, sources, texts)
                     for annotation in g.subjects(OA.hasBody, fact) for target in g.objects(annotation, OA.hasTarget))
            total += Tally(int(ok), 1, int(ok), 1, () if ok else (f"no exact evidence for {fact}",))
        return total

def load_graphs(graph: Path, extra: Iterable[Path] = ()) -> Graph:
    """The graph in `graph` with the `extra` Turtle files (a class hierarchy) merged in."""
    try:
        merged = load_graph(graph)
        for path in extra:
            merged += load_graph(path)
    except GraphFileError as exc:  # the Turtle parser's message spans lines: keep it to one
        raise GraphFileError(" ".join(str(exc).split())) from exc
    return merged

def evaluate(graph: Graph, gold_paths: list[Path], sources: Path | None = None) -> Scores:
    """Score `graph` against gold files or folders; check evidence against the articles in `sources`."""
    if sources is not None and not sources.is_dir():
        raise EvaluationError(f"{sources}: no such sources folder; pass the folder holding the articles")
    golds, pred = load_golds(gold_paths), Predicted.index(graph)
    entities = agreements = roles = Tally()
    for gold in golds:
        nodes = {s for a in pred.articles.get(gold["article"], ()) for s in graph.subjects(PROV.wasDerivedFrom, a)}
        found, aligned = pred.score_agreements(nodes, gold)
        entities, agreements = entities + pred.score_entities(nodes, gold, aligned), agreements + found
        roles += pred.score_roles(nodes, gold)
    tallies = dict(zip(CATEGORIES, (entities, agreements, roles, pred.score_evidence(sources))))
    return Scores(tallies, tuple(gold["article"] for gold in golds if gold["article"] not in pred.articles))

def format_scores(scores: Scores, verbose: bool = False) -> str:
    """score.py's lines: a category's scores (and misses and extras), the gold articles with no node."""
    lines = []
    for name, t in scores.tallies.items():
        p, r, f = t.prf()
        lines.append(f"{name:<11} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}   "
                     f"(pred {t.tp_pred}/{t.n_pred}, gold {t.tp_gold}/{t.n_gold})")
        lines += [f"    miss  {m}" for m in t.misses] + [f"    extra {e}" for e in t.extras] if verbose else []
    if scores.articles_without_node:
        lines.append(f"articles with no schema:NewsArticle node: {list(scores.articles_without_node)}")
    return "\n".join(lines)

def check_fail_under(scores: Scores, spec: str) -> list[str]:
    """The bounds of `spec` ("entities=0.9,evidence=1") an F1 falls short of, as "entities F1 0.850 < 0.9"."""
    failed = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, _, bound = (s.strip() for s in part.partition("="))
        if key not in CATEGORIES or not bound.replace(".", "", 1).isdigit():
            raise EvaluationError(f"--fail-under {part!r}: write CATEGORY=NUMBER, CATEGORY one of {CATEGORIES}")
        if (f1 := scores.tallies[key].prf()[2]) < float(bound):
            failed.append(f"{key} F1 {f1:.3f} < {bound}")
    return failed
