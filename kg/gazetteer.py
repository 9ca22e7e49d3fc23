"""The gazetteer kept as data in ontology/gazetteer.jsonl, and the lexicon of rule words.

Each gazetteer line is one known entity: id, type, labels by language, aliases,
acronyms, country, parent, broader concepts, Wikidata id. `Gazetteer.scan()` finds
every alias in a text, accent- and case-insensitively (acronyms case-sensitively),
returning offsets into the original text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from .errors import GazetteerError
from .resources import ontology_dir
from .text import fold, key

TYPES = {"Person", "Organization", "Country", "Place", "Technology"}
LANG_ORDER = ("fr", "en", "vi", "ja")


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    labels: dict[str, str]
    aliases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    broader: tuple[str, ...] = ()
    wikidata: str | None = None
    government: bool = False
    city: bool = False

    @property
    def label(self) -> str:
        """The canonical label: French first, then English, Vietnamese, Japanese."""
        return next(self.labels[lang] for lang in LANG_ORDER if lang in self.labels)

    @property
    def names(self) -> tuple[str, ...]:
        """Every written form, labels first."""
        return tuple(dict.fromkeys([*self.labels.values(), *self.aliases, *self.acronyms]))


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: Entry


@dataclass
class Gazetteer:
    entries: dict[str, Entry]
    _by_key: dict[str, list[Entry]] = field(default_factory=dict)
    _pattern: regex.Pattern | None = None
    _acronym_pattern: regex.Pattern | None = None

    def __post_init__(self) -> None:
        for entry in self.entries.values():
            for name in entry.names:
                bucket = self._by_key.setdefault(key(name), [])
                if entry not in bucket:
                    bucket.append(entry)
        words = sorted({fold(n) for k, es in self._by_key.items() if len(es) == 1
                        for n in es[0].names if n not in es[0].acronyms and not _is_acronym(n)},
                       key=lambda w: (-len(w), w))
        acronyms = sorted({n for es in self._by_key.values() if len(es) == 1
                           for n in es[0].names if n in es[0].acronyms or _is_acronym(n)},
                          key=lambda w: (-len(w), w))
        self._pattern = _alternation(words)
        self._acronym_pattern = _alternation(acronyms)

    def lookup(self, name: str, type_: str | None = None, country: str | None = None) -> Entry | None:
        """The one entry called `name` (of `type_`, in `country` when given), or None if unknown or ambiguous."""
        found = [e for e in self._by_key.get(key(name), []) if type_ is None or e.type == type_]
        if country is not None:
            found = [e for e in found if e.country in (country, None)] or []
        return found[0] if len(found) == 1 else None

    def scan(self, text: str) -> list[Hit]:
        """Every unambiguous alias in `text`, longest first where they overlap."""
        hits: list[Hit] = []
        for pattern, haystack in ((self._pattern, fold(text)), (self._acronym_pattern, text)):
            if pattern is None:
                continue
            for m in pattern.finditer(haystack, overlapped=False):
                entries = self._by_key.get(key(text[m.start():m.end()]), [])
                if len(entries) == 1:
                    hits.append(Hit(m.start(), m.end(), entries[0]))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for hit in hits:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name


def _alternation(words: list[str]) -> regex.Pattern | None:
    if not words:
        return None
    parts = [r"\s+".join(regex.escape(w) for w in word.split()) for word in words]
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(parts) + r")(?![\p{L}\p{N}]|-\p{L})")


def _entry(data: dict, where: str) -> Entry:
    try:
        entry = Entry(
            id=data["id"], type=data["type"], labels=dict(data["labels"]),
            aliases=tuple(data.get("aliases", ())), acronyms=tuple(data.get("acronyms", ())),
            country=data.get("country"), parent=data.get("parent"), broader=tuple(data.get("broader", ())),
            wikidata=data.get("wikidata"), government=bool(data.get("government")), city=bool(data.get("city")),
        )
    except (KeyError, TypeError) as exc:
        raise GazetteerError(f"{where}: missing or malformed field {exc}; each line needs id, type and labels") from exc
    if entry.type not in TYPES:
        raise GazetteerError(f"{where}: type {entry.type!r} is not one of {sorted(TYPES)}")
    if not entry.labels:
        raise GazetteerError(f"{where}: entry {entry.id!r} has no label")
    return entry


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    path = path or ontology_dir() / "gazetteer.jsonl"
    entries: dict[str, Entry] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        where = f"{path.name}:{number}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GazetteerError(f"{where}: not valid JSON ({exc.msg})") from exc
        entry = _entry(data, where)
        if entry.id in entries:
            raise GazetteerError(f"{where}: duplicate id {entry.id!r}")
        entries[entry.id] = entry
    for entry in entries.values():
        for ref in (entry.country, entry.parent, *entry.broader):
            if ref is not None and ref not in entries:
                raise GazetteerError(f"{path.name}: {entry.id!r} refers to unknown id {ref!r}")
    return Gazetteer(entries)


def load_lexicon(path: Path | None = None) -> dict:
    path = path or ontology_dir() / "lexicon.fr.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{path.name}: not valid JSON ({exc.msg})") from exc


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


@lru_cache(maxsize=1)
def default_lexicon() -> dict:
    return load_lexicon()
