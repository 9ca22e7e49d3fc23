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
from ..models import COUNTRY, FIELD, Zone, ORGANIZATION, PERSON, PLACE, TECHNOLOGY, Agreement, Evidence, Membership, Mention, Sentence
from ..text import key, tidy, upper_first
from . import dates as D
from .agreements import GENERIC, in_main_story, mentions_in, unique, validity
from .entities import Context
from .patterns import alternation

CAPITALISED_BEFORE = regex.compile(r"(?:\p{Lu}[\p{L}\-]*\s+(?:\p{Ll}{2,3}\s+)?)+$")  # "Science and Technology Cooperation "
MAX_TOPIC_WORDS = 8
DATE_LINE = 60  # characters: a line this short that opens with a date dates the page
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
        self.of_word = lex["of_word"]
        self.signing_noun = phrases(lex["signing_nouns"])
        self.pointing = regex.compile(r"(?<![\p{L}])(?:" + alternation(lex["pointing_counts"]) + r")\s+(?P<noun>\p{L}+?)s\b",
                                      regex.IGNORECASE)
        self.topic = regex.compile(r"\s*(?:\(\s*[^()]{1,12}\)\s*)?" + r"(?:{})\s+".format(alternation(lex["topic_markers"])),
                                   regex.IGNORECASE)
        self.stop = phrases(lex["clause_stops"])
        self.strong_topic = regex.compile(r"\s(?:" + alternation(lex["strong_topic_markers"]) + r")\s+", regex.IGNORECASE)
        self.definite = {w.lower() for w in lex["definite_determiners"]}
        self.indefinite = {w.lower() for w in lex["indefinite_determiners"]}
        self.articles = phrases(lex["articles"])
        self.place_marker = phrases(lex["place_markers"])
        self.party_marker = phrases(lex["party_markers"])
        self.and_word = lex["and_word"]
        self.markers = {x.lower() for x in lex["topic_markers"] + lex["place_markers"] if " " not in x}
        self.content_opener = regex.compile(r"\s*(?:" + alternation(lex["content_openers"]) + r")(?![\p{L}])\s*,?\s*",
                                            regex.IGNORECASE)
        self.reference = phrases(lex["agreement_references"])
        self.sequel = regex.compile(r"\s*(?:" + alternation(lex["sequel_openers"]) + r")(?![\p{L}])", regex.IGNORECASE)
        self.parties_subject = regex.compile(r"\s*(?:" + alternation(lex["continuing_subjects"]) + r")\s", regex.IGNORECASE)
        self.content_marker = regex.compile(r"(?<![\p{L}])(?:" + alternation(lex["content_markers"]) + r")\s+", regex.IGNORECASE)
        self.semicolon = regex.compile(rf"\s*;\s*(?:{self.and_word}\s+)?", regex.IGNORECASE)
        self.listing = regex.compile(r"(?<=[\s,])(?:" + alternation(lex["list_openers"]) + r")\s*:?\s+", regex.IGNORECASE)
        self.list_opener = regex.compile(r"(?:" + alternation(lex["list_openers"]) + r")\s*:?\s*", regex.IGNORECASE)
        self.pointing_words = {x.lower() for x in lex["pointing_words"]}
        self.item_break = regex.compile(rf"\s*(?:[,;:]\s*(?:{self.and_word}\s+)?|\s+{self.and_word}\s+)", regex.IGNORECASE)

    def verbs_in(self, text: str) -> list[regex.Match]:
        """The signing verbs of a text, not the nouns they make ("the signing ceremony")."""
        nouns = [(n.start(), n.end()) for n in self.signing_noun.finditer(text)]
        return [v for v in self.verb.finditer(text) if not any(a <= v.start() < b for a, b in nouns)]

    def kinds_in(self, text: str) -> list[regex.Match]:
        """The kinds named in a text; an acronym in brackets after a kind ("memorandum of
        understanding (MoU)") is the same naming."""
        spelt = list(self.kind.finditer(text))
        acronyms = [a for a in self.acronym_kind.finditer(text)
                    if not any(0 < a.start() - k.end() <= 3 and "(" in text[k.end():a.start()] for k in spelt)]
        return sorted(spelt + acronyms, key=lambda m: m.start())

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

    def about(self, offset: int) -> bool:
        """Whether the offset lies in the agreement's topic phrase ("on cooperation in X")."""
        return self.topic is not None and self.topic[0] <= offset < self.topic[1]


def word_before(ctx: Context, offset: int, floor: int) -> str:
    """The word right before `offset` (not before `floor`), or ""."""
    return (ctx.text[max(floor, offset - 12):offset].split() or [""])[-1]


def signing(ctx: Context, sentence: Sentence, w: Words) -> tuple[regex.Match, regex.Match] | None:
    """The agreement named in a sentence reporting its signing, and the signing verb."""
    text = ctx.text[sentence.start:sentence.end]
    if w.planned.search(text):
        return None
    kinds = w.kinds_in(text)
    verbs = w.verbs_in(text) + [v for v in w.with_object.finditer(text) if any(0 <= k.start() - v.end() < 30 for k in kinds)]
    if not kinds or not verbs:
        return None
    verb = verbs[0]
    kind = min(kinds, key=lambda k: abs(k.start() - verb.start()))
    return kind, verb


def topic_span(ctx: Context, sentence: Sentence, after: regex.Match, w: Words,
               after_parties: bool = False) -> tuple[int, int] | None:
    """The phrase a topic marker opens right after the agreement's kind, up to a clause stop; or,
    with `after_parties`, the one a strong topic marker ("concerning") opens after what follows
    the verb ("signed an agreement with JAXA concerning X")."""
    at = sentence.start + after.end()
    if after_parties:
        m = w.strong_topic.search(ctx.text, at, sentence.end)
        if m is None or w.stop.search(ctx.text, at, m.start()) and not w.party_marker.search(ctx.text, at, m.start()):
            return None
    else:
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


def definite(text: str, kind: regex.Match, w: Words) -> bool:
    """Whether a determiner that points back opens the kind's phrase ("the cooperation agreement", "this MoU")."""
    for word in reversed(text[:kind.start()].split()[-3:]):
        if word.lower() in w.definite:
            return True
        if not word.isalpha() or word.lower() in w.indefinite:
            return False
    return False


def named(ctx: Context, sentence: Sentence, kind: regex.Match) -> int:
    """Where the agreement's name starts: a capitalised name ends with the kind ("the Science and
    Technology Cooperation Agreement"), else the kind itself."""
    at = sentence.start + kind.start()
    if not ctx.text[at:at + 1].isupper():
        return at
    run = CAPITALISED_BEFORE.search(ctx.text, sentence.start, at)
    return run.start() if run else at


def drafts(ctx: Context, w: Words) -> list[Draft]:
    found: list[Draft] = []
    for sentence in (s for s in ctx.parsed.sentences if in_main_story(s)):
        hit = signing(ctx, sentence, w)
        text = ctx.text[sentence.start:sentence.end]
        kinds = w.kinds_in(text)
        if hit is None:
            if found and (not kinds and w.signing_noun.search(text)  # "At the signing ceremony in Hanoi, ..."
                          or w.reference.search(text) or any(definite(text, k, w) for k in kinds)):
                found[-1].references.append(sentence)
            continue
        kind, verb = hit
        same = next((d for d in found if d.kind == w.kind_of(kind) or GENERIC in (d.kind, w.kind_of(kind))), None)
        if definite(text, kind, w) and same is not None:
            same.references.append(sentence)  # "The document was signed by X and Y": who, for the one named before
            continue
        direct = topic_span(ctx, sentence, kind, w)
        topic = direct or topic_span(ctx, sentence, verb, w, after_parties=True)
        start = named(ctx, sentence, kind)
        end = direct[1] if direct else sentence.start + kind.end()
        found.append(Draft(w.kind_of(kind), upper_first(tidy(ctx.text[start:end])), sentence, start, topic))
    # "Vietnam, Japan ink ICT pact" heads the story that reports it: a headline line, one sentence
    # with no full stop (an article without one has its first sentence or paragraph for headline,
    # which reports for itself)
    headline = [x for x in ctx.parsed.sentences if x.zone is Zone.HEADLINE]
    titled = len(headline) == 1 and not ctx.text[headline[0].start:headline[0].end].rstrip().endswith((".", "!", "?"))
    told = [d for d in found if not titled or d.trigger is not headline[0]]
    if told and len(told) < len(found):
        told[0].references.extend(d.trigger for d in found if d not in told)
        return told
    return found


def topics(ctx: Context, draft: Draft, mentions: list[Mention], w: Words) -> tuple[list[Mention], list[Mention]]:
    """The known technologies in the topic phrase and in the sentences that set out what the
    agreement provides ("Accordingly, they will ..."), and a field for each other item of them."""
    spans = [(draft.topic, False)] if draft.topic else []
    spans += [(span, True) for span in contents(ctx, draft, w)]
    known, fields = [], []
    for (begin, end), content in spans:
        known += [m for m in mentions if begin <= m.start and m.end <= end and m.type in (TECHNOLOGY, FIELD)]
        fields += items(ctx, begin, end, draft.trigger, mentions, w, content)
    return known, fields


def contents(ctx: Context, draft: Draft, w: Words) -> list[tuple[int, int]]:
    """What the sentences right after the signing say the parties will do: one that a content
    opener starts ("Accordingly, ...", "Under the agreement, ..."), and the next ones as long as
    their subject is the parties ("They will also ...")."""
    out: list[tuple[int, int]] = []
    after = [x for x in ctx.parsed.sentences if x.start > draft.trigger.start and in_main_story(x)]
    for x in after[:3]:
        opener = w.content_opener.match(ctx.text, x.start, x.end)
        if opener is None and not (out and w.parties_subject.match(ctx.text, x.start, x.end)):
            break
        out.append((opener.end() if opener else x.start, x.end))
    return out


def items(ctx: Context, begin: int, end: int, sentence: Sentence, mentions: list[Mention], w: Words,
          content: bool) -> list[Mention]:
    """A field for each item of a list of topics that names no known entity."""
    fields = []
    listed = w.listing.search(ctx.text, begin, end)  # "..., such as A, B and C": the items are what it lists
    if listed is not None:
        begin = listed.end()
    pos = begin
    breaks = [b for b in (w.semicolon if content and ";" in ctx.text[begin:end] else w.item_break).finditer(ctx.text, begin, end)]
    if not any("," in b.group() or ";" in b.group() for b in breaks):  # "information and communication": one item
        breaks = []
    for cut in [*breaks, None][:MAX_TOPICS]:
        stop = cut.start() if cut else end
        item_start = pos
        pos = cut.end() if cut else end
        if content:  # "they will strengthen their affiliation in X": what follows the last marker
            marked = [m.end() for m in w.content_marker.finditer(ctx.text, item_start, stop)]
            if marked and len(ctx.text[item_start:stop].split()) > MAX_TOPIC_WORDS // 2:
                item_start = marked[-1]
        for lead in (w.list_opener, w.articles):  # "including: X", "the X"
            m = lead.match(ctx.text, item_start, stop)
            if m is not None and (m.end() == stop or ctx.text[m.end() - 1].isspace() or ctx.text[m.end() - 1] == ":"):
                item_start = m.end()
        item = ctx.text[item_start:stop].strip().rstrip(".")
        if not item or len(item.split()) > MAX_TOPIC_WORDS or any(item_start <= m.start < stop for m in mentions) \
                or item.split()[0].lower() in w.pointing_words:  # "and other fields"
            continue
        fields.append(Mention(type=FIELD, start=item_start, end=item_start + len(item), text=item,
                              ref="field:" + key(item), label=item, sentence=ctx.sentence_at(item_start) or sentence))
    return fields


def parties(ctx: Context, draft: Draft, s: Sentence, mentions: list[Mention], w: Words) -> list[Mention]:
    """The bodies, countries and people of a sentence reporting the signing that are not
    witnesses, topics or places."""
    # a witness or a frame ("in the presence of X", "during X's visit"), up to the next comma
    aside = [(m.start(), (ctx.text.find(",", m.end(), s.end) + 1 or s.end)) for m in w.witness.finditer(ctx.text, s.start, s.end)]
    out = []
    for m in mentions_in(mentions, s.start, s.end, (ORGANIZATION, COUNTRY, PERSON)):
        if any(a <= m.start < b for a, b in aside):
            continue
        if draft.about(m.start) or (m.start, m.end) in ctx.titled:
            continue
        before = word_before(ctx, m.start, s.start)
        if m.type == COUNTRY and (before and (w.place_marker.fullmatch(before) or before.lower() == w.of_word)
                                  or any(p.end <= m.start < p.end + 3 for p in mentions if p.type == PLACE)  # "Miyazaki, Japan"
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


def earlier_day(ctx: Context, sentence: Sentence) -> list[D.Found]:
    """The day the story gives before the signing ("On January 9, 2020, X received Y. ... After
    the meeting, they signed ..."): the first full date of an earlier sentence of the story, not
    a line that only dates the page ("January 10, 2020 | 10:08 am")."""
    for x in (x for x in ctx.parsed.sentences if x.end <= sentence.start and in_main_story(x)):
        found = [f for f in D.find_dates(ctx.text[x.start:x.end], ctx.article.meta.published, ctx.language)
                 if f.value.datatype == "date" and not (f.start < 3 and x.end - x.start < DATE_LINE)]
        if found:
            return found[:1]
    return []


def signed_by(ctx: Context, sentence: Sentence, w: Words) -> bool:
    """Whether a sentence that refers back to an agreement says who signed it ("The document was signed by X")."""
    text = ctx.text[sentence.start:sentence.end]
    named = [*w.reference.finditer(text), *w.kinds_in(text)]
    return any(0 <= v.start() - n.end() <= 30 or 0 <= n.start() - v.end() <= 30 for v in w.verbs_in(text) for n in named)


def find_agreements(ctx: Context, mentions: list[Mention],
                    memberships: list[Membership]) -> tuple[list[Agreement], list[Mention]]:
    w = words_of(ctx.language)
    agreements, new = [], []
    for draft in drafts(ctx, w):
        s = draft.trigger
        found = [m for x in [s, *draft.references] if x is s or signed_by(ctx, x, w)
                 for m in parties(ctx, draft, x, mentions, w)]
        people = [m for m in found if m.type == PERSON]
        bodies = [m for m in found if m.type != PERSON]
        if not people and not bodies:
            people, bodies = pointed(ctx, draft, mentions, memberships, w)
        known, fields = topics(ctx, draft, mentions, w)
        new += fields
        text = ctx.text[s.start:s.end]
        dates = [d for d in D.find_dates(text, ctx.article.meta.published, ctx.language) if not draft.about(s.start + d.start)]
        ceremonies = [r for r in draft.references if w.signing_noun.search(ctx.text, r.start, r.end)]
        places = [m for x in [s, *ceremonies] for m in mentions_in(mentions, x.start, x.end, (PLACE,))
                  if w.place_marker.fullmatch(word_before(ctx, m.start, x.start)) and not draft.about(m.start)]
        told = sorted({s, *draft.references}, key=lambda x: x.start)
        valid_from, valid_until, duration = validity(ctx, told)
        if not dates and w.sequel.match(ctx.text, s.start, s.end):  # "After the meeting, ...": the meeting's day
            dates = earlier_day(ctx, s)
        agreements.append(Agreement(
            label=draft.label,
            kind=draft.kind,
            parties=unique(bodies),
            signatories=unique(people),
            topics=unique(known + fields),
            signed_on=dates[0].value if dates else None,
            signed_at=places[0].ref if places else None,
            valid_from=valid_from,
            valid_until=valid_until,
            duration=duration,
            evidence=tuple(Evidence(ctx.article.source, x.start, x.end, ctx.text[x.start:x.end]) for x in told),
        ))
    return agreements, new
