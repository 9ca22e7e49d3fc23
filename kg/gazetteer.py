"""The gazetteer kept as data in ontology/gazetteer.jsonl, and the lexicon of rule words.

Each gazetteer line is one known entity: id, type, labels by language, aliases,
acronyms, country, parent, broader concepts, Wikidata id. `Gazetteer.scan()` finds
every alias in a text, accent- and case-insensitively (acronyms case-sensitively),
returning offsets into the original text.

The scan is one pass of an Aho-Corasick automaton (pyahocorasick) over the folded text with
its whitespace runs collapsed: its cost does not grow with the number of names, where a
regular expression of thousands of alternatives was the costliest step of extraction.
"""
from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import ahocorasick
import regex

from .errors import GazetteerError
from .resources import ontology_dir
from .text import fold, key

TYPES = {"Person", "Organization", "Country", "Place", "Technology"}
SPACING = regex.compile(r"\s{2,}|[^\S ]")  # a whitespace run other than one plain space
# What a name may not touch, by the regex module's Unicode tables (newer than unicodedata's):
# a letter or digit before it; after it, a letter, a digit, or a hyphen that goes on into a word.
GLUED_BEFORE = regex.compile(r"[\p{L}\p{N}]")
GLUED_AFTER = regex.compile(r"[\p{L}\p{N}]|-\p{L}")
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
    _words: ahocorasick.Automaton | None = None  # folded names, matched in folded text
    _acronyms: ahocorasick.Automaton | None = None  # acronyms, matched as written

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
        self._words = _automaton(words)
        self._acronyms = _automaton(acronyms)

    def lookup(self, name: str, type_: str | None = None, country: str | None = None) -> Entry | None:
        """The one entry called `name` (of `type_`, in `country` when given), or None if unknown or ambiguous."""
        found = [e for e in self._by_key.get(key(name), []) if type_ is None or e.type == type_]
        if country is not None:
            found = [e for e in found if e.country in (country, None)] or []
        return found[0] if len(found) == 1 else None

    def scan(self, text: str) -> list[Hit]:
        """Every unambiguous alias in `text`, longest first where they overlap.

        A name matches where it is not glued to a letter or digit on either side, nor followed
        by a hyphen and a letter ("Japon-Vietnam" is not "Japon"); the words of a name may be
        separated by any run of whitespace.
        """
        hits: list[Hit] = []
        spaced, original = _one_space(text)
        for automaton, haystack in ((self._words, fold(spaced)), (self._acronyms, spaced)):
            if automaton is None:
                continue
            for start, end in _leftmost_longest(automaton, haystack, original):
                entries = self._by_key.get(key(text[start:end]), [])
                if len(entries) == 1:
                    hits.append(Hit(start, end, entries[0]))
        hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
        kept: list[Hit] = []
        for hit in hits:
            if not kept or hit.start >= kept[-1].end:
                kept.append(hit)
        return kept


def _automaton(words: list[str]) -> ahocorasick.Automaton | None:
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for word in words:
        spaced = " ".join(word.split())
        automaton.add_word(spaced, len(spaced))
    automaton.make_automaton()
    return automaton


def _one_space(text: str) -> tuple[str, Callable[[int], int]]:
    """`text` with each whitespace run made one space (folding keeps every character where it
    is, so the folded text has the same runs), and the map from an offset in it back to `text`."""
    runs = [m.span() for m in SPACING.finditer(text)]
    if not runs:
        return text, lambda i: i
    parts, at, positions, shifts, removed = [], 0, [], [0], 0
    for s, e in runs:
        parts.append(text[at:s])
        parts.append(" ")
        positions.append(s - removed)  # where the run's space lands in the copy
        removed += e - s - 1
        shifts.append(removed)
        at = e
    parts.append(text[at:])

    def original(i: int) -> int:  # offset in `text` of the copy's offset i (never a run's space)
        return i + shifts[bisect_left(positions, i)]

    return "".join(parts), original


def _leftmost_longest(automaton: ahocorasick.Automaton, haystack: str,
                      original: Callable[[int], int]) -> list[tuple[int, int]]:
    """(start, end) of the names found in `haystack`, as offsets `original` maps back, each
    standing alone (see `Gazetteer.scan`), left to right without overlap, the longest where
    several start at the same place."""
    size = len(haystack)
    found = []
    for last, length in automaton.iter(haystack):
        start = last - length + 1
        if start > 0 and GLUED_BEFORE.match(haystack, start - 1):
            continue
        after = last + 1
        if after < size and GLUED_AFTER.match(haystack, after):
            continue
        found.append((start, after))
    found.sort(key=lambda m: (m[0], -m[1]))
    out: list[tuple[int, int]] = []
    end = 0
    for start, stop in found:
        if start >= end:
            out.append((original(start), original(stop - 1) + 1))
            end = stop
    return out


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name


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


GAZETTEERS = ("gazetteer.jsonl", "places.jsonl")  # hand-kept, then made by scripts/make_places.py


def load_gazetteer(*paths: Path) -> Gazetteer:
    """The entries of `paths` (by default ontology/'s GAZETTEERS), one id each."""
    entries: dict[str, Entry] = {}
    for path in paths or [ontology_dir() / name for name in GAZETTEERS]:
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
                raise GazetteerError(f"{entry.id!r} refers to unknown id {ref!r}")
    return Gazetteer(entries)


def load_lexicon(path: Path | None = None) -> dict:
    path = path or ontology_dir() / "lexicon.fr.json"
    if not path.is_file():
        raise GazetteerError(f"{path.name} is missing from ontology/; reinstall vjkg")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise GazetteerError(f"{path.name}: not valid JSON ({exc.msg})") from exc


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return load_gazetteer()


@lru_cache(maxsize=None)
def default_lexicon(language: str = "fr") -> dict:
    """The words of one language's rules: ontology/lexicon.<language>.json."""
    return load_lexicon(ontology_dir() / f"lexicon.{language}.json")
