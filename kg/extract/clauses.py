"""Agreements in a language read without a parse (English), from the words of the sentence
that reports a signing: an agreement's kind ("memorandum of understanding") and a signing
verb ("signed", "inked"), or a verb that signs with an agreement as its object ("reached an
agreement"). In that sentence:

- the parties and signatories are the bodies, countries and people it names, but not those a
  witness marker introduces ("in the presence of"), nor those inside the agreement's topic, nor
  a country or a place where it happened ("in Vietnam");
- the topics are the phrase a topic marker opens after the kind ("on cooperation in X, Y and Z"),
  up to a party marker, a verb or the end of the clause, cut into its items;
- the date is the first one the sentence gives, the place the first "in PLACE".

A later sentence that names the kind with a definite article refers back to it. The words come
from ontology/lexicon.<language>.json; this code knows none of them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import regex

from ..gazetteer import default_lexicon
from ..models import COUNTRY, FIELD, ORGANIZATION, PERSON, PLACE, TECHNOLOGY, Agreement, Evidence, Membership, Mention, Sentence
from ..text import key, tidy, upper_first
from . import dates as D
from .agreements import in_main_story, mentions_in, unique
from .entities import Context
from .patterns import alternation

MAX_TOPIC_WORDS = 8
MAX_TOPICS = 16


def phrases(items, flags: int = regex.IGNORECASE) -> regex.Pattern:
    """Any of the phrases, as whole words."""
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + alternation(items) + r")(?![\p{L}\p{N}])", flags)


class Words:
    """The patterns of one language's signing sentences."""

    def __init__(self, lex: dict):
        kinds = lex["agreement_kinds"]
        self.kinds = kinds
        acronyms = [k for k in kinds if any(c.isupper() for c in k)]  # "MoU", "LOI": as written
        self.kind = phrases([k for k in kinds if k not in acronyms])
        self.acronym_kind = phrases(acronyms, 0)
        self.verb = phrases(lex["signing_verbs"])
        self.with_object = phrases(lex["signing_with_object"])
        self.planned = phrases(lex["planned_signing"])
        self.witness = phrases(lex["witness_markers"] + lex["frame_markers"])
        self.nationalities = {w.lower() for w in lex["nationalities"]}
        self.of_word = lex["name_links"][0]
        self.signing_noun = phrases(lex["signing_nouns"])
        self.pointing = regex.compile(r"(?<![\p{L}])(?:" + alternation(lex["pointing_counts"]) + r")\s+(?P<noun>\p{L}+?)s\b",
                                      regex.IGNORECASE)
        self.topic = regex.compile(r"\s*(?:\(\s*[^()]{1,12}\)\s*)?" + r"(?:{})\s+".format(alternation(lex["topic_markers"])),
                                   regex.IGNORECASE)
        self.stop = phrases(lex["clause_stops"])
        self.definite = {w.lower() for w in lex["definite_determiners"]}
        self.articles = phrases(lex["articles"])
        self.place_marker = phrases(lex["place_markers"])
        self.party_marker = phrases(lex["party_markers"])
        self.and_word = lex["name_links"][2]
        self.markers = {x.lower() for x in lex["topic_markers"] + lex["place_markers"] if " " not in x}
        self.list_opener = regex.compile(r"(?:" + alternation(lex["list_openers"]) + r")\s*:?\s*", regex.IGNORECASE)
        self.pointing_words = {x.lower() for x in lex["pointing_words"]}
        self.item_break = regex.compile(rf"\s*(?:[,;:]\s*(?:{self.and_word}\s+)?|\s+{self.and_word}\s+)", regex.IGNORECASE)

    def kinds_in(self, text: str) -> list[regex.Match]:
        return sorted([*self.kind.finditer(text), *self.acronym_kind.finditer(text)], key=lambda m: m.start())

    def kind_of(self, m: regex.Match) -> str:
        words = " ".join(m.group().split())
        return self.kinds.get(words) or self.kinds.get(words.lower()) or next(
            v for k, v in self.kinds.items() if k.lower() == words.lower())


@lru_cache(maxsize=None)
def words_of(language: str) -> Words:
    return Words(default_lexicon(language))


@dataclass
class Draft:
    kind: str
    label: str
    trigger: Sentence
    start: int  # where the agreement's name starts, in the text
    topic: tuple[int, int] | None  # the span of its topic phrase
    references: list[Sentence] = field(default_factory=list)


def signing(ctx: Context, sentence: Sentence, w: Words) -> tuple[regex.Match, regex.Match] | None:
    """The agreement named in a sentence reporting its signing, and the signing verb."""
    text = ctx.text[sentence.start:sentence.end]
    if w.planned.search(text):
        return None
    kinds = w.kinds_in(text)
    verbs = [*w.verb.finditer(text)] + [v for v in w.with_object.finditer(text)
                                         if any(0 <= k.start() - v.end() < 30 for k in kinds)]
    if not kinds or not verbs:
        return None
    verb = verbs[0]
    kind = min(kinds, key=lambda k: abs(k.start() - verb.start()))
    return kind, verb


def topic_span(ctx: Context, sentence: Sentence, kind: regex.Match, w: Words) -> tuple[int, int] | None:
    """The phrase a topic marker opens right after the agreement's kind, up to a clause stop."""
    at = sentence.start + kind.end()
    m = w.topic.match(ctx.text, at, sentence.end)
    if m is None:
        return None
    begin = m.end()
    stop = w.stop.search(ctx.text, begin, sentence.end)
    end = stop.start() if stop else sentence.end
    end = min([end] + [p.start() - 1 for p in w.place_marker.finditer(ctx.text, begin, end)
                       if ctx.text[p.end() + 1:p.end() + 2].isupper()])
    dated = D.first_date_at(ctx.text[begin:end], ctx.language)  # "an agreement on Thursday": when, not what
    if dated is not None:
        end = begin + dated
    text = ctx.text[begin:end].rstrip(" ,.;:")
    if dated is not None:
        text = text[:text.rfind(" ")] if text.split()[-1:] and text.split()[-1].lower() in w.markers else text
    return (begin, begin + len(text)) if text else None


def drafts(ctx: Context, w: Words) -> list[Draft]:
    found: list[Draft] = []
    for sentence in (s for s in ctx.parsed.sentences if in_main_story(s)):
        hit = signing(ctx, sentence, w)
        text = ctx.text[sentence.start:sentence.end]
        if hit is None:
            named = w.kinds_in(text)
            if found and not named and w.signing_noun.search(text):  # "At the signing ceremony in Hanoi, ..."
                found[-1].references.append(sentence)
            elif found and named and any(text[:k.start()].split()[-1:] and text[:k.start()].split()[-1].lower() in w.definite
                                       for k in named):
                found[-1].references.append(sentence)
            continue
        kind, _ = hit
        before = text[:kind.start()].split()[-1:]
        definite = bool(before) and before[0].lower() in w.definite
        same = next((d for d in found if d.kind == w.kind_of(kind)), None)
        if definite and same is not None:
            same.references.append(sentence)
            continue
        topic = topic_span(ctx, sentence, kind, w)
        start = sentence.start + kind.start()
        end = topic[1] if topic else sentence.start + kind.end()
        found.append(Draft(w.kind_of(kind), upper_first(tidy(ctx.text[start:end])), sentence, start, topic))
    return found


def topics(ctx: Context, draft: Draft, mentions: list[Mention], w: Words) -> tuple[list[Mention], list[Mention]]:
    """The known technologies in the topic phrase, and a field for each other item of it."""
    if draft.topic is None:
        return [], []
    begin, end = draft.topic
    known = [m for m in mentions if begin <= m.start and m.end <= end and m.type in (TECHNOLOGY, FIELD)]
    fields = []
    pos = begin
    breaks = [b for b in w.item_break.finditer(ctx.text, begin, end)]
    if not any("," in b.group() or ";" in b.group() for b in breaks):  # "information and communication": one item
        breaks = []
    for cut in [*breaks, None][:MAX_TOPICS]:
        stop = cut.start() if cut else end
        item_start = pos
        for lead in (w.list_opener, w.articles):  # "including: X", "the X"
            m = lead.match(ctx.text, item_start, stop)
            if m is not None and (m.end() == stop or ctx.text[m.end() - 1].isspace() or ctx.text[m.end() - 1] == ":"):
                item_start = m.end()
        item = ctx.text[item_start:stop].strip()
        pos = cut.end() if cut else end
        if not item or len(item.split()) > MAX_TOPIC_WORDS or any(item_start <= m.start < stop for m in mentions) \
                or item.split()[0].lower() in w.pointing_words:  # "and other fields"
            continue
        fields.append(Mention(type=FIELD, start=item_start, end=item_start + len(item), text=item,
                              ref="field:" + key(item), label=item, sentence=draft.trigger))
    return known, fields


def parties(ctx: Context, draft: Draft, mentions: list[Mention], w: Words) -> list[Mention]:
    """The bodies, countries and people of the signing sentence that are not witnesses, topics or places."""
    s = draft.trigger
    # a witness or a frame ("in the presence of X", "during X's visit"), up to the next comma
    aside = [(m.start(), (ctx.text.find(",", m.end(), s.end) + 1 or s.end)) for m in w.witness.finditer(ctx.text, s.start, s.end)]
    out = []
    for m in mentions_in(mentions, s.start, s.end, (ORGANIZATION, COUNTRY, PERSON)):
        if any(a <= m.start < b for a, b in aside):
            continue
        if draft.topic and draft.topic[0] <= m.start < draft.topic[1]:
            continue
        before = ctx.text[max(s.start, m.start - 12):m.start].split()[-1:]
        if m.type == COUNTRY and (before and (w.place_marker.fullmatch(before[0]) or before[0].lower() == w.of_word)
                                  or m.text.lower() in w.nationalities  # "the Vietnamese Ministry": whose, not who
                                  or ctx.text[m.end:m.end + 2] in ("’s", "'s")):
            continue
        out.append(m)
    return out


def pointed(ctx: Context, draft: Draft, mentions: list[Mention], memberships: list[Membership],
            w: Words) -> tuple[list[Mention], list[Mention]]:
    """ "the two Ministers signed": the people of the article who hold that title, and their bodies."""
    s = draft.trigger
    m = w.pointing.search(ctx.text, s.start, draft.start)
    if m is None:
        return [], []
    noun = m["noun"].lower()
    holders = [ms for ms in memberships if ms.title.split()[-1].lower() == noun]
    by_ref = {x.ref: x for x in mentions}
    people = [by_ref[ms.person] for ms in holders if ms.person in by_ref]
    bodies = [by_ref[ms.organization] for ms in holders if ms.organization in by_ref]
    return (people, bodies) if len(unique(people)) >= 2 else ([], [])


def find_agreements(ctx: Context, mentions: list[Mention],
                    memberships: list[Membership]) -> tuple[list[Agreement], list[Mention]]:
    w = words_of(ctx.language)
    agreements, new = [], []
    for draft in drafts(ctx, w):
        s = draft.trigger
        found = parties(ctx, draft, mentions, w)
        people = [m for m in found if m.type == PERSON]
        bodies = [m for m in found if m.type != PERSON]
        if not people and not bodies:
            people, bodies = pointed(ctx, draft, mentions, memberships, w)
        known, fields = topics(ctx, draft, mentions, w)
        new += fields
        text = ctx.text[s.start:s.end]
        dates = [d for d in D.find_dates(text, ctx.article.meta.published, ctx.language)
                 if not (draft.topic and draft.topic[0] <= s.start + d.start < draft.topic[1])]
        ceremonies = [r for r in draft.references if w.signing_noun.search(ctx.text, r.start, r.end)]
        places = [m for x in [s, *ceremonies] for m in mentions_in(mentions, x.start, x.end, (PLACE,))
                  if w.place_marker.fullmatch((ctx.text[max(x.start, m.start - 12):m.start].split() or [""])[-1])
                  and not (draft.topic and draft.topic[0] <= m.start < draft.topic[1])]
        told = sorted({s, *draft.references}, key=lambda x: x.start)
        agreements.append(Agreement(
            label=draft.label,
            kind=draft.kind,
            parties=unique(bodies),
            signatories=unique(people),
            topics=unique(known + fields),
            signed_on=dates[0].value if dates else None,
            signed_at=places[0].ref if places else None,
            valid_from=None,
            valid_until=None,
            duration=D.find_duration(text, ctx.language),
            evidence=tuple(Evidence(ctx.article.source, x.start, x.end, ctx.text[x.start:x.end]) for x in told),
        ))
    return agreements, new
