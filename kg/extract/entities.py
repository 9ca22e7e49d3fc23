"""Find the entities an article names: gazetteer hits, rule-built organizations, people,
places, technologies and events. The spaCy model proposes names; rules and the
gazetteer confirm them; an unconfirmed proposal is dropped rather than guessed.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from functools import lru_cache

import regex

from ..gazetteer import Entry, Gazetteer, default_lexicon
from ..models import COUNTRY, EVENT, FIELD, ORGANIZATION, PERSON, PLACE, TECHNOLOGY, Article, Mention, Sentence
from ..nlp import NerSpan, Parsed
from ..text import fold, key, tidy, upper_first
from . import dates as D
from . import patterns as P
from .syntax import Tree

SURNAMES = {fold(s) for s in P.LEX["vietnamese_surnames"]}
NATIONALITIES: dict[str, str] = {fold(k): v for k, v in P.LEX["nationalities"].items()}

MINISTRIES_PLURAL = {fold(w) for w in P.LEX["ministry_heads_plural"]}


@dataclass
class Context:
    """One article under extraction: its text, sentences, NER spans and the mentions found so far."""

    article: Article
    parsed: Parsed
    gazetteer: Gazetteer
    mentions: list[Mention] = field(default_factory=list)
    acronyms: dict[str, Mention] = field(default_factory=dict)
    titled: set[tuple[int, int]] = field(default_factory=set)  # where a body is named in a person's title
    _starts: list[int] = field(default_factory=list)
    tree: Tree = field(init=False)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.parsed.sentences]
        self.tree = Tree(self.article.text, self.parsed.tokens)

    @property
    def language(self) -> str:
        """The language whose rules read the article: "fr", "en"."""
        return self.article.meta.rules

    @property
    def dates(self) -> D.Words:
        return D.words(self.language)

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_at(self, offset: int) -> Sentence | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.parsed.sentences[i].end:
            return self.parsed.sentences[i]
        return None

    def add(self, mention: Mention | None) -> Mention | None:
        if mention is not None:
            self.mentions.append(mention)
        return mention

    def at(self, start: int, end: int, types: tuple[str, ...] | None = None) -> list[Mention]:
        return [m for m in self.mentions if m.start < end and start < m.end and (types is None or m.type in types)]


def person_ref(name: str) -> str:
    """People are the same whatever the order of their names or the accents.

    >>> person_ref("Takaichi Sanae") == person_ref("Sanae Takaichi")
    True
    >>> person_ref("Nguyên Manh Hùng") == person_ref("Nguyễn Mạnh Hùng")
    True
    """
    return "person:" + " ".join(sorted(key(name).split()))


def org_ref(label: str, country: str | None) -> str:
    return f"org:{key(label)}@{country or ''}"


def gaz_mention(ctx: Context, entry: Entry, start: int, end: int, sentence: Sentence, **extra) -> Mention:
    return Mention(type=entry.type, start=start, end=end, text=ctx.text[start:end], ref="gaz:" + entry.id,
                   label=entry.label, sentence=sentence, country=entry.country, government=entry.government, **extra)


def make(ctx: Context, type_: str, start: int, end: int, label: str, ref: str, **extra) -> Mention | None:
    sentence = ctx.sentence_at(start)
    if sentence is None or end > sentence.end:
        return None
    return Mention(type=type_, start=start, end=end, text=ctx.text[start:end], ref=ref, label=label,
                   sentence=sentence, **extra)


def nationality(word: str | None) -> str | None:
    return NATIONALITIES.get(fold(word)) if word else None


# --- organizations -----------------------------------------------------------------------

def country_of_phrase(ctx: Context, phrase: str) -> tuple[str, str | None]:
    """Split a closing "du Japon" / "du Vietnam" off a portfolio: (portfolio, country id)."""
    m = P.CLOSING_COUNTRY.search(phrase)
    if m:
        entry = ctx.gazetteer.lookup(m["country"], "Country")
        if entry is not None:
            return phrase[:m.start()].rstrip(" ,"), entry.id
    return phrase, None


def ministry(ctx: Context, start: int, end: int, portfolio: str, adjective: str | None,
             surface: str | None = None) -> Mention | None:
    """A ministry from its portfolio ("de l'Information et de la Communication") and nationality."""
    portfolio, country = country_of_phrase(ctx, tidy(portfolio))
    country = nationality(adjective) or country
    label = f"{P.LEX['ministry_label']} {portfolio}"
    entry = ctx.gazetteer.lookup(label, ORGANIZATION, country)
    aliases = tuple(a for a in {tidy(surface or ""), label} if a)
    if entry is not None and (country is None or entry.country == country):
        sentence = ctx.sentence_at(start)
        return gaz_mention(ctx, entry, start, end, sentence, aliases=aliases) if sentence else None
    if country is None:
        same = [m for m in ctx.mentions if m.type == ORGANIZATION and key(m.label) == key(label) and m.country]
        if len({m.country for m in same}) == 1:
            return replace(same[0], start=start, end=end, text=ctx.text[start:end],
                           sentence=ctx.sentence_at(start) or same[0].sentence, aliases=aliases)
    return make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country,
                government=True, aliases=aliases)


def find_ministries(ctx: Context) -> None:
    for m in P.MINISTRY.finditer(ctx.text):
        plural = fold(m["head"]) in MINISTRIES_PLURAL  # "les ministères de X ; de Y": one per portfolio
        parts = P.PORTFOLIOS_APART.split(m["portfolio"]) if plural else [m["portfolio"]]
        pos = m.start("portfolio")
        for part in parts:
            at = ctx.text.index(part, pos)
            pos = at + len(part)
            start = m.start() if part is parts[0] else at
            surface = f"{P.LEX['ministry_label'].lower()} {m['adj'] + ' ' if m['adj'] else ''}{part}"
            ctx.add(ministry(ctx, start, at + len(part), part, m["adj"], surface))


def named_end(ctx: Context, phrase: str) -> int | None:
    """Where a head-noun phrase with no acronym ends as a name, if it is one: at its last country
    ("... du Vietnam"); a capitalised one else at the proper name it is named after ("Université
    de Tokuyama") or at its nationality ("Parti communiste vietnamien"). In lower case, only a
    public body closed by its country is a name ("l'ambassade du Japon")."""
    country = max((c.end() for c in P.COUNTRY_COMPLEMENT.finditer(phrase)
                   if ctx.gazetteer.lookup(c["country"], COUNTRY) is not None), default=None)
    if not phrase[0].isupper():
        return country if phrase.split()[0].capitalize() in P.LEX["government_heads"] else None
    if country is not None:
        return country
    name = max((c.end() for c in P.NAME_COMPLEMENT.finditer(phrase)), default=None)
    return name if name is not None else max((w.end() for w in P.NATIONALITY_WORD.finditer(phrase)), default=None)


def find_organizations(ctx: Context) -> None:
    """Capitalised head-noun phrases confirmed by an acronym in parentheses, or ending at a
    country's name or at the proper name they are named after."""
    for m in P.ORG_PHRASE.finditer(ctx.text):
        start, end, phrase = m.start("org"), m.end("org"), m["org"]
        after = P.ACRONYM_DEF.match(ctx.text, end)
        if after is None:
            keep = named_end(ctx, phrase)
            if keep is None:
                continue
            end = start + keep
            phrase = phrase[:keep]
        label = upper_first(tidy(phrase))
        _, country = country_of_phrase(ctx, label)
        country = country or next((nationality(w) for w in label.split() if nationality(w)), None)
        entry = ctx.gazetteer.lookup(label, ORGANIZATION)
        sentence = ctx.sentence_at(start)
        if sentence is None:
            continue
        aliases = (tidy(phrase),)
        if after is not None:
            aliases += tuple(a for a in (after["acr"], tidy(after["exp"] or "")) if a)
            if entry is None:
                entry = ctx.gazetteer.lookup(after["acr"], ORGANIZATION, country)
        government = phrase.split()[0].capitalize() in P.LEX["government_heads"]
        if entry is not None:
            mention = gaz_mention(ctx, entry, start, end, sentence, aliases=aliases)
        else:
            mention = make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country,
                           government=government, aliases=aliases)
        ctx.add(mention)
        if mention is not None and after is not None:
            ctx.acronyms[after["acr"]] = mention


def find_acronym_uses(ctx: Context) -> None:
    """Acronyms defined earlier in the article, reused alone ("la JICA", "le VNSC")."""
    if not ctx.acronyms:
        return
    pattern = regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(map(regex.escape, sorted(ctx.acronyms))) + r")(?![\p{L}\p{N}])")
    for m in pattern.finditer(ctx.text):
        if ctx.at(m.start(), m.end()):
            continue
        target = ctx.acronyms[m.group()]
        sentence = ctx.sentence_at(m.start())
        if sentence is not None:
            ctx.add(replace(target, start=m.start(), end=m.end(), text=m.group(), sentence=sentence, aliases=()))


def find_parents(ctx: Context) -> list[tuple[str, str]]:
    """(child ref, parent ref) where an organization is followed by "de/du ... <organization>"."""
    orgs = sorted((m for m in ctx.mentions if m.type == ORGANIZATION), key=lambda m: m.start)
    pairs = []
    for child in orgs:
        end = child.end
        acr = P.ACRONYM_DEF.match(ctx.text, end)
        if acr:
            end = acr.end()
        link = P.OF.match(ctx.text[end:end + 12])
        if not link:
            continue
        at = end + link.end()
        parent = next((o for o in orgs if o.start == at and o.ref != child.ref), None)
        if parent is not None:
            pairs.append((child.ref, parent.ref))
    return pairs


# --- gazetteer, places, technologies, events ---------------------------------------------

def find_gazetteer(ctx: Context) -> None:
    for hit in ctx.gazetteer.scan(ctx.text):
        sentence = ctx.sentence_at(hit.start)
        if sentence is not None and hit.end <= sentence.end:
            ctx.add(gaz_mention(ctx, hit.entry, hit.start, hit.end, sentence))


def find_demonyms(ctx: Context, words: regex.Pattern = P.NATIONALITY_WORD,
                  countries: dict[str, str] = NATIONALITIES) -> None:
    """A nationality adjective names its country ("les travailleurs vietnamiens": Vietnam),
    unless it is part of a longer name (a ministry, a party), which wins the overlap. `words`
    finds the adjectives, `countries` maps each, folded, to its country (French by default)."""
    for m in words.finditer(ctx.text):
        entry = ctx.gazetteer.entries.get(countries.get(fold(m.group()), ""))
        sentence = ctx.sentence_at(m.start())
        if entry is not None and entry.type == COUNTRY and sentence is not None:
            ctx.add(gaz_mention(ctx, entry, m.start(), m.end(), sentence))


def place_mention(ctx: Context, start: int, end: int) -> Mention | None:
    name = ctx.text[start:end]
    entry = ctx.gazetteer.lookup(name)
    sentence = ctx.sentence_at(start)
    if sentence is None:
        return None
    if entry is not None:
        return gaz_mention(ctx, entry, start, end, sentence) if entry.type in (PLACE, COUNTRY) else None
    return make(ctx, PLACE, start, end, tidy(name), "place:" + key(name))


def find_places(ctx: Context) -> None:
    """The dateline ("Hanoï (VNA) -") and "à X" where the model also sees a location."""
    for seg in ctx.article.segments:
        m = P.DATELINE.match(ctx.text, seg.start, seg.end)
        if m:
            ctx.add(place_mention(ctx, m.start("place"), m.end("place")))
    locations = {(n.start, n.end) for n in ctx.parsed.ner if n.label == "LOC"}
    for m in P.AT_PLACE.finditer(ctx.text):
        if (m.start("place"), m.end("place")) in locations and not ctx.at(m.start("place"), m.end("place")):
            ctx.add(place_mention(ctx, m.start("place"), m.end("place")))


def find_technologies(ctx: Context) -> None:
    """ "la technologie X", "le satellite X", "le programme X": a named thing after its kind."""
    for m in P.TECH_NAMED.finditer(ctx.text):
        start, end = m.start("name"), m.end("name")
        if ctx.at(start, end):
            continue
        name = m["name"]
        if not any(c.isupper() or c.isdigit() for c in name[1:]) and len(name.split()) == 1 and not name.isupper():
            continue  # an ordinary capitalised word, not a product name
        ctx.add(make(ctx, TECHNOLOGY, start, end, tidy(name), "tech:" + key(name)))


def find_events(ctx: Context) -> list[Mention]:
    events = []
    for m in P.EVENT_NAMED.finditer(ctx.text):
        start, end = m.start("name"), m.end("name")
        if any(o.start <= start and end <= o.end for o in ctx.at(start, end, (PERSON, COUNTRY, PLACE, ORGANIZATION))):
            continue  # the "name" is only a person, country, place or organization
        name = tidy(m["name"])
        aliases = (tidy(m["former"]),) if m["former"] else ()
        mention = ctx.add(make(ctx, EVENT, start, end, name, "event:" + key(name), aliases=aliases))
        if mention is not None:
            events.append(mention)
    return events


# --- people ------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def not_name_start(language: str) -> frozenset[str]:
    """Capitalised words that open a sentence, not a name."""
    return frozenset(default_lexicon(language)["not_name_start"])


def plausible_name(name: str, language: str = "fr") -> bool:
    words = name.split()
    return 2 <= len(words) <= 4 and words[0] not in not_name_start(language)


def person(ctx: Context, start: int, end: int, country: str | None = None) -> Mention | None:
    """A person at text[start:end]; the gazetteer's entry when it knows the name."""
    name = ctx.text[start:end]
    if not plausible_name(name, ctx.language) or ctx.at(start, end, (ORGANIZATION, COUNTRY, PLACE, TECHNOLOGY, FIELD, EVENT)):
        return None
    existing = next((m for m in ctx.mentions if m.type == PERSON and m.start == start and m.end == end), None)
    if existing is not None:
        return existing
    entry = ctx.gazetteer.lookup(name, PERSON)
    sentence = ctx.sentence_at(start)
    if sentence is None:
        return None
    if entry is not None:
        return ctx.add(gaz_mention(ctx, entry, start, end, sentence))
    fuller = _named_in_full(ctx, name)
    if fuller is not None:  # "Binh Minh" after "Pham Binh Minh": the given names alone, as Vietnamese news does
        return ctx.add(make(ctx, PERSON, start, end, fuller.label, fuller.ref, country=fuller.country))
    return ctx.add(make(ctx, PERSON, start, end, tidy(name), person_ref(name), country=country))


def _named_in_full(ctx: Context, name: str) -> Mention | None:
    """The one person already found whose name ends with `name`'s two or more words, if any."""
    words = key(name).split()
    if len(words) < 2:
        return None
    fuller = {m.ref: m for m in ctx.mentions
              if m.type == PERSON and len(key(m.text).split()) > len(words) and key(m.text).split()[-len(words):] == words}
    return next(iter(fuller.values())) if len(fuller) == 1 else None


def name_start(ctx: Context, span: NerSpan) -> int:
    """Where the name in a model's PER span starts: "M. Gen Nakatani" is Gen Nakatani."""
    honorific = P.LEADING_HONORIFIC.match(ctx.text, span.start, span.end)
    return honorific.end() if honorific else span.start


def find_confirmed_people(ctx: Context) -> None:
    """Names the model tags PER, kept when an honorific, a Vietnamese family name or an
    earlier confirmed mention of the same person vouches for them, or when they are a given
    name and a family name (two capitalised words or more) that no place head noun introduces
    ("la centrale de Pha Lai")."""
    known = {m.ref for m in ctx.mentions if m.type == PERSON}
    for m in P.HONORIFIC.finditer(ctx.text):
        person(ctx, m.start("name"), m.end("name"))
    for span in ctx.parsed.ner:
        if span.label != "PER":
            continue
        span = replace(span, start=name_start(ctx, span))
        name = ctx.text[span.start:span.end]
        words = name.split()
        if not words or not plausible_name(name, ctx.language) or not all(w[:1].isupper() for w in words):
            continue
        introduced = P.AFTER_PLACE_HEAD.search(ctx.text, max(0, span.start - 80), span.start) is not None
        if fold(words[0]) in SURNAMES or person_ref(name) in known or (len(words) >= 2 and not introduced):
            person(ctx, span.start, span.end)
