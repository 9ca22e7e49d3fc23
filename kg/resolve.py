"""Merge mentions from every article into one entity per real thing.

Gazetteer entities are merged by id; people by their name's words in any order and
without accents ("Takaichi Sanae" = "Sanae Takaichi", "Nguyên Manh Hùng" = "Nguyễn
Mạnh Hùng"); organizations by name and country, so that two ministries both called
"MIC" stay two. An organization named without its country joins the one same-named
organization whose country is known, if there is exactly one.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .gazetteer import Entry, Gazetteer
from .models import COUNTRY, ORGANIZATION, Evidence, Extraction
from .text import plain


@dataclass
class Entity:
    ref: str
    type: str
    labels: dict[str, str]  # language ("" for none) -> label
    alt_labels: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    evidence: dict[str, Evidence] = field(default_factory=dict)  # first mention per article
    country: str | None = None  # ref
    parent: str | None = None  # ref
    government: bool = False
    entry: Entry | None = None

    @property
    def label(self) -> str:
        for lang in ("fr", "en", "", "vi", "ja"):
            if lang in self.labels:
                return self.labels[lang]
        return next(iter(self.labels.values()))


@dataclass
class Resolved:
    entities: dict[str, Entity]
    alias: dict[str, str]  # mention ref -> entity ref

    def ref(self, mention_ref: str) -> str:
        return self.alias.get(mention_ref, mention_ref)


def _richness(label: str) -> tuple[int, int, str]:
    """Prefer the variant with the most diacritics (the fullest spelling), then the most common."""
    return (sum(not c.isascii() for c in label), len(label), label)


def resolve(extractions: list[Extraction], gazetteer: Gazetteer) -> Resolved:
    alias = _aliases(_organizations(extractions))
    return _chosen(_run(sorted(extractions, key=lambda e: e.article.source), alias, gazetteer), alias)


@dataclass
class _Run:
    """What the mentions of the articles (in source order) say of each entity, before its labels are chosen."""

    entities: dict[str, Entity]
    labels: dict[str, Counter]  # ref -> how often each proposed label was met
    languages: dict[str, dict[str, str]]  # ref -> label -> the language of the first article that proposed it


def _run(extractions: list[Extraction], alias: dict[str, str], gazetteer: Gazetteer) -> _Run:
    """The entities the mentions of `extractions` (in source order) make, refs read through `alias`."""
    seen_labels: dict[str, Counter] = defaultdict(Counter)
    languages: dict[str, dict[str, str]] = defaultdict(dict)
    entities: dict[str, Entity] = {}
    spaced: dict[str, str] = {}  # a name as written -> with its runs of white space made one space
    for ex in extractions:
        source, text = ex.article.source, ex.article.text
        for m in ex.mentions:
            ref = alias.get(m.ref, m.ref)
            entity = entities.get(ref)
            if entity is None:
                entry = gazetteer.entries.get(ref[4:]) if ref.startswith("gaz:") else None
                labels = dict(entry.labels) if entry else {}
                entity = entities[ref] = Entity(ref=ref, type=m.type, labels=labels, entry=entry,
                                                government=m.government or bool(entry and entry.government))
                if entry is not None:
                    entity.alt_labels |= set(entry.aliases) | set(entry.acronyms)
                    entity.country = "gaz:" + entry.country if entry.country else None
                    entity.parent = "gaz:" + entry.parent if entry.parent else None
            entity.sources.add(source)
            if source not in entity.evidence:  # its first mention in this article
                start, end = m.sentence.start, m.sentence.end
                entity.evidence[source] = Evidence(source, start, end, text[start:end])
            for variant in (m.text, *m.aliases):
                variant = spaced.get(variant) or spaced.setdefault(variant, " ".join(variant.split()))
                if variant and not (m.type == COUNTRY and variant[:1].islower()):  # "vietnamien" names no country
                    entity.alt_labels.add(variant)
            seen_labels[ref][m.label] += 1
            languages[ref].setdefault(m.label, ex.article.meta.language_tag)
            if m.country and entity.country is None:
                entity.country = "gaz:" + m.country
            if m.parent and entity.parent is None:
                entity.parent = alias.get(m.parent, m.parent)
    return _Run(entities, seen_labels, languages)


def _chosen(run: _Run, alias: dict[str, str]) -> Resolved:
    """The run's entities with their labels chosen: the gazetteer's, else, in each language the
    articles are in, the label proposed most often (a person's: the fullest spelling, in none)."""
    entities = run.entities
    for ref, entity in entities.items():
        if entity.entry is None:
            counts = run.labels[ref]
            if entity.type == "Person":
                entity.labels = {"": max(counts, key=_richness)}
            else:
                entity.labels = {}
                for lang in sorted(set(run.languages[ref].values())):
                    said = [lab for lab in counts if run.languages[ref][lab] == lang]
                    entity.labels[lang] = max(said, key=lambda lab: (counts[lab], _richness(lab)))
        if entity.type == "Person":
            entity.alt_labels.add(plain(entity.label))  # the spelling of a keyboard without diacritics
        entity.alt_labels -= set(entity.labels.values())
    return Resolved(entities, alias)


def _organizations(extractions: Iterable[Extraction]) -> set[str]:
    """The refs of the organizations mentioned."""
    return {m.ref for ex in extractions for m in ex.mentions if m.type == ORGANIZATION}


def _aliases(orgs: set[str]) -> dict[str, str]:
    """Of these organization refs, the countryless ones that name exactly one known-country organization."""
    by_name: dict[str, set[str]] = defaultdict(set)
    for ref in orgs:
        if ref.startswith("org:"):
            name, _, country = ref[4:].rpartition("@")
            if country:
                by_name[name].add(ref)
    alias = {}
    for ref in orgs:
        if ref.startswith("org:") and ref.endswith("@"):
            targets = by_name.get(ref[4:-1], set())
            if len(targets) == 1:
                alias[ref] = next(iter(targets))
    return alias
