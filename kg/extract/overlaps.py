"""Mentions of one article made consistent: overlapping mentions reduced to the longest, and
one person's misspelt names merged."""
from __future__ import annotations

import bisect
from dataclasses import replace

from ..models import PERSON, Mention
from ..text import edit_distance, key
from .entities import Context


def merge_misspelt(ctx: Context) -> dict[str, str]:
    """ "Saka Takaichi" after "Takaichi Sanae": same family name and a given name a typo
    away, in one article: one person, the later spelling kept as an alias."""
    seen: dict[str, Mention] = {}
    alias: dict[str, str] = {}
    for m in sorted((m for m in ctx.mentions if m.type == PERSON), key=lambda m: m.start):
        if m.ref in seen or m.ref in alias:
            continue
        words = set(key(m.text).split())
        matches = [ref for ref, other in seen.items()
                   if _same_person(words, set(key(other.text).split()) | set(key(other.label).split()))]
        if len(matches) == 1 and not m.ref.startswith("gaz:"):
            alias[m.ref] = matches[0]
        else:
            seen[m.ref] = m
    for i, m in enumerate(ctx.mentions):
        if m.ref in alias:
            target = seen[alias[m.ref]]
            ctx.mentions[i] = replace(m, ref=target.ref, label=target.label, country=target.country)
    return alias


def _same_person(a: set[str], b: set[str]) -> bool:
    shared = {w for w in a & b if len(w) >= 4}
    rest_a, rest_b = a - shared, b - shared
    if not (len(shared) == 1 and len(rest_a) == 1 and len(rest_b) == 1):
        return False
    a_word, b_word = next(iter(rest_a)), next(iter(rest_b))
    return a_word[0] == b_word[0] and edit_distance(a_word, b_word) <= 2


def resolve_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping mentions; at equal length, the first found."""
    order = sorted(range(len(mentions)), key=lambda i: (-(mentions[i].end - mentions[i].start), i))
    starts: list[int] = []  # kept spans, sorted by start; they never overlap one another
    ends: list[int] = []
    kept: list[Mention] = []
    for i in order:
        m = mentions[i]
        at = bisect.bisect_left(starts, m.start)
        if (at < len(starts) and starts[at] < m.end) or (at > 0 and ends[at - 1] > m.start):
            continue
        starts.insert(at, m.start)
        ends.insert(at, m.end)
        kept.insert(at, m)
    return kept
