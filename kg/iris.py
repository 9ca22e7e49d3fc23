"""mint(kind, name) -> IRI: the only place a resource IRI is made."""
from __future__ import annotations

import hashlib
import re

from rdflib import URIRef

from .text import key
from .vocab import KGR

KINDS = frozenset({
    "article", "person", "organization", "country", "place", "technology", "field", "event",
    "agreement", "membership", "role", "annotation", "scheme",
})
MAX_SLUG = 80
BASE = str(KGR)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slug(name: str) -> str:
    """ASCII, lower-case, hyphenated; long names keep a short hash so they stay unique.

    >>> slug("Nguyễn Mạnh Hùng")
    'nguyen-manh-hung'
    >>> slug("Ministère de l'Intérieur, de l'Information et de la Communication")
    'ministere-de-l-interieur-de-l-information-et-de-la-communication'
    >>> slug("???")
    'x-2d86c2a6'
    >>> slug("6aec555e")
    '6aec555e'
    """
    if len(name) <= MAX_SLUG and SLUG.fullmatch(name):  # already one (a digest, say): the steps below keep it
        return name
    text = "-".join(key(name).encode("ascii", "ignore").decode("ascii").split())
    if not text:
        return "x-" + digest(name)
    if len(text) > MAX_SLUG:
        text = text[:MAX_SLUG].rstrip("-") + "-" + digest(name)
    return text


def digest(*parts: object, size: int = 8) -> str:
    """A short, stable hash of `parts`.

    >>> digest("a", 1)
    '6aec555e'
    """
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:size]


def mint(kind: str, name: str) -> URIRef:
    """The IRI of a resource of `kind` whose canonical name (or key) is `name`.

    >>> mint("person", "Nguyễn Mạnh Hùng")
    rdflib.term.URIRef('https://w3id.org/vjkg/resource/person/nguyen-manh-hung')
    >>> mint("organization", "JAXA")
    rdflib.term.URIRef('https://w3id.org/vjkg/resource/organization/jaxa')
    """
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {sorted(KINDS)}")
    return URIRef(f"{BASE}{kind}/{slug(name)}")


def annotation_iri(*parts: object) -> str:
    """The IRI of the evidence annotation keyed by `parts`, as plain text: mint("annotation",
    digest(*parts, size=16)), whose slug is the digest itself.

    >>> annotation_iri("a", 1) == str(mint("annotation", digest("a", 1, size=16)))
    True
    """
    return f"{BASE}annotation/{digest(*parts, size=16)}"


def part(iri: str, fragment: str) -> URIRef:
    """A sub-resource of a minted IRI (an annotation's target or selector).

    >>> part(mint("annotation", "a"), "target")
    rdflib.term.URIRef('https://w3id.org/vjkg/resource/annotation/a#target')
    """
    return URIRef(f"{iri}#{fragment}")
