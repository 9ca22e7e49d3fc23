"""Frozen dataclasses that flow through the pipeline: Article → Mention → Entity / Fact."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum

ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


class Zone(str, Enum):
    """Where a stretch of text sits on the page."""

    HEADLINE = "headline"
    BODY = "body"
    CAPTION = "caption"  # photo captions, credits, repeated headline blocks
    TEASER = "teaser"  # related stories after "Voir plus" or after the closing byline


DEFAULT_LANGUAGE = "fr"


@dataclass(frozen=True)
class Meta:
    url: str | None = None
    publisher: str | None = None
    published: str | None = None  # ISO date, year-month or year, as given
    language: str | None = None  # a BCP 47 tag; read_article fills it in from the text when no sidecar gives it

    @property
    def language_tag(self) -> str:
        """The language, French (the seeds') where none is known."""
        return self.language or DEFAULT_LANGUAGE

    @property
    def rules(self) -> str:
        """The primary language subtag, which names the rules that read the article: "fr", "en"."""
        return self.language_tag.split("-")[0].lower()


def published_parts(published: str | None) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of an ISO publication date (Meta.published) as far as it goes.

    >>> published_parts("2019-07")
    (2019, 7, None)
    >>> published_parts(None)
    (None, None, None)
    >>> published_parts("2019-02-30"), published_parts("2019-13-01"), published_parts("0000-01-01")
    ((2019, 2, None), (2019, None, None), (None, None, None))
    """
    if not published:
        return None, None, None
    m = ISO_DATE.match(published.strip())
    if not m:
        return None, None, None
    year, month, day = (int(g) if g else None for g in m.groups())
    # Only as far as the parts make a real date: "2019-13-45" fixes the year, not a month.
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None, None, None
    if month is not None and not 1 <= month <= 12:
        return year, None, None
    if day is not None:
        try:
            dt.date(year, month, day)
        except ValueError:
            return year, month, None
    return year, month, day


@dataclass(frozen=True)
class Segment:
    """A paragraph of an article: offsets into Article.text, its zone and story.

    Story 0 is the main article; each teaser paragraph is a story of its own, so
    no fact ever joins text from two stories.
    """

    start: int
    end: int
    zone: Zone
    story: int


@dataclass(frozen=True)
class Article:
    source: str  # path relative to the SOURCES folder it was found under
    text: str
    headline: str
    segments: tuple[Segment, ...]
    meta: Meta = field(default_factory=Meta)
    notes: tuple[str, ...] = ()  # what the reader noticed and worked around, one line each


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    story: int
    zone: Zone

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


# Entity types, as the contract names them.
PERSON = "Person"
ORGANIZATION = "Organization"
COUNTRY = "Country"
PLACE = "Place"
TECHNOLOGY = "Technology"
FIELD = "Field"  # a field of cooperation an agreement is about, not a technology
EVENT = "Event"
AGREEMENT = "Agreement"
ENTITY_TYPES = (PERSON, ORGANIZATION, COUNTRY, PLACE, TECHNOLOGY, FIELD, EVENT)


@dataclass(frozen=True)
class Mention:
    """A stretch of text naming an entity.

    `ref` is the resolution key the extractor proposes: a gazetteer id ("gaz:jaxa")
    when the gazetteer knows the entity, else a key built from the name.
    """

    type: str
    start: int
    end: int
    text: str
    ref: str
    label: str  # the canonical label proposed for a new entity
    sentence: Sentence
    country: str | None = None  # gazetteer id of the entity's country, when the text gives it
    aliases: tuple[str, ...] = ()  # other names the text gives (acronym, expansion)
    parent: str | None = None  # ref of a parent organization named right after
    government: bool = False  # a ministry, agency or government office

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class DateValue:
    """A date as far as the text fixes it: `lexical` in the xsd type `datatype`."""

    lexical: str
    datatype: str  # "date", "gYearMonth", "gYear", "gMonthDay"


@dataclass(frozen=True)
class Evidence:
    source: str  # Article.source
    start: int
    end: int
    exact: str


@dataclass(frozen=True)
class Membership:
    person: str  # mention ref
    organization: str  # mention ref
    role: str  # role label, e.g. "ministre de l'Information et de la Communication"
    title: str  # the title word, e.g. "ministre"
    evidence: Evidence


@dataclass(frozen=True)
class Agreement:
    label: str
    kind: str
    parties: tuple[str, ...]
    signatories: tuple[str, ...]
    topics: tuple[str, ...]
    signed_on: DateValue | None
    signed_at: str | None
    valid_from: DateValue | None
    valid_until: DateValue | None
    duration: str | None
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Event:
    ref: str
    start_date: DateValue | None
    location: str | None


@dataclass(frozen=True)
class Extraction:
    """Everything read from one article: a pure function of the article's text."""

    article: Article
    mentions: tuple[Mention, ...]
    memberships: tuple[Membership, ...]
    agreements: tuple[Agreement, ...]
    events: tuple[Event, ...]
