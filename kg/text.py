"""Text normalisation shared by matching, resolution and IRIs.

`fold` keeps one output character per input character, so an offset found in the
folded text is an offset in the original text.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

_APOSTROPHES = "’‘`´ʼ′"
_SPECIAL = {"đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}


def fold_char(ch: str) -> str:
    if ch in _APOSTROPHES:
        return "'"
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    low = base.lower()
    return low if len(low) == 1 else base


_FOLDED: dict[int, str] = {}  # code point -> its folded character, filled as characters are met


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes; same length as `text`.

    >>> fold("Nguyễn Mạnh Hùng à Hanoï, l’Agence")
    "nguyen manh hung a hanoi, l'agence"
    """
    new = [c for c in set(text) if ord(c) not in _FOLDED]
    if new:
        _FOLDED.update({ord(c): fold_char(c) for c in new})
    return text.translate(_FOLDED)


@lru_cache(maxsize=1 << 16)  # called on names, which repeat across sentences and articles
def key(text: str) -> str:
    """A comparison key: folded, punctuation dropped, spaces collapsed.

    >>> key("Ministère de l’Information  et de la Communication")
    'ministere de l information et de la communication'
    """
    folded = fold(text)
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def tidy(text: str) -> str:
    """A label as shown: typographic apostrophes made plain, whitespace collapsed.

    >>> tidy("l’agence  japonaise\\n d’exploration")
    "l'agence japonaise d'exploration"
    """
    for a in _APOSTROPHES:
        text = text.replace(a, "'")
    return " ".join(text.split())


def upper_first(text: str) -> str:
    """Capitalise the first letter only.

    >>> upper_first("mémorandum de coopération")
    'Mémorandum de coopération'
    """
    return text[:1].upper() + text[1:]


def plain(text: str) -> str:
    """The text without diacritics, case kept.

    >>> plain("Nguyễn Mạnh Hùng, Đà Nẵng")
    'Nguyen Manh Hung, Da Nang'
    """
    out = []
    for ch in text:
        if ch in _SPECIAL:
            out.append(_SPECIAL[ch].upper() if ch.isupper() else _SPECIAL[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance.

    >>> edit_distance("saka", "sanae")
    2
    """
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]
