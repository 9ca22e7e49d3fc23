"""Agreements: the document signed, its parties, signatories, date, place, topics and
validity, gathered from the sentence that reports the signing and the sentences that
refer back to it ("ce document", "cette convention", "Les signataires étaient ...").

Only the main story counts: captions repeat it and teasers tell other stories.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..models import COUNTRY, ORGANIZATION, PERSON, PLACE, TECHNOLOGY, Agreement, Evidence, Mention, Sentence, Zone
from ..text import fold, key, tidy, upper_first
from . import arguments as A
from . import dates as D
from . import patterns as P
from .entities import Context

KINDS: dict[str, str] = {fold(k): v for k, v in P.LEX["agreement_kinds"].items()}
GENERIC = "agreement"
INDEFINITE = regex.compile(r"(?:\b(?:un|une|des|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|plusieurs|\d+)|\bd['’])\s*$",
                           regex.IGNORECASE)
DEFINITE = regex.compile(r"(?:\b(?:ce|cet|cette|ces|le|la|les|du|au|aux)|\bl['’])\s*$", regex.IGNORECASE)
COUNT = regex.compile(r"\b(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|\d+)\s+$", regex.IGNORECASE)
TRAILING = regex.compile(r"(?:\s+(?:" + P.FUNCTION + r"))+$", regex.IGNORECASE)
LOCATIVE = regex.compile(r"(?<![\p{L}])(?:au|aux|en)\s+$")  # "la JICA au Vietnam": a place, not a party


@dataclass
class Draft:
    kind: str
    labels: list[str] = field(default_factory=list)
    phrases: list[tuple[int, int]] = field(default_factory=list)  # where each naming of the agreement is
    triggers: list[Sentence] = field(default_factory=list)
    references: list[Sentence] = field(default_factory=list)

    @property
    def sentences(self) -> list[Sentence]:
        return sorted(set(self.triggers) | set(self.references), key=lambda s: s.start)


def in_main_story(sentence: Sentence) -> bool:
    return sentence.story == 0 and sentence.zone in (Zone.HEADLINE, Zone.BODY)


def drafts(ctx: Context) -> list[Draft]:
    """One draft per agreement the main story reports signed; later mentions refer back to it."""
    found: list[Draft] = []
    for sentence in (s for s in ctx.parsed.sentences if in_main_story(s)):
        text = ctx.text[sentence.start:sentence.end]
        signing = P.SIGNING.search(text) is not None and P.PLANNED.search(text) is None
        referred = P.REFERENCE.search(text) is not None
        for m in P.AGREEMENT.finditer(text):
            kind = KINDS[fold(" ".join(m["kind"].split()))]
            before = text[:m.start()]
            definite = DEFINITE.search(before) is not None and INDEFINITE.search(before) is None
            target = next((d for d in found if d.kind == kind or GENERIC in (kind, d.kind)), None)
            if target is not None and (definite or not signing or target.kind == kind):
                target.references.append(sentence)
                if signing and not definite:
                    target.triggers.append(sentence)
                    target.labels.append(label(m, before))
                    target.phrases.append((sentence.start + m.start(), sentence.start + m.end()))
                continue
            if signing:
                found.append(Draft(kind, [label(m, before)], [(sentence.start + m.start(), sentence.start + m.end())],
                                   [sentence]))
        if (referred or signing) and found and not P.AGREEMENT.search(text):
            found[-1].references.append(sentence)
    return found


def label(m: regex.Match, before: str) -> str:
    """The agreement's name as the text gives it, with a count if one precedes it ("Trois accords de crédit ...")."""
    count = COUNT.search(before)
    phrase = TRAILING.sub("", tidy((count.group(1) + " " if count else "") + m.group()))
    return upper_first(phrase)


def mentions_in(mentions: list[Mention], start: int, end: int, types: tuple[str, ...]) -> list[Mention]:
    return [m for m in mentions if start <= m.start and m.end <= end and m.type in types]


def parties_and_signatories(ctx: Context, mentions: list[Mention], sentence: Sentence, excluded: set[int],
                            heads: set[int]) -> tuple[list[Mention], list[Mention]]:
    """The bodies and the people among the arguments of the sentence's signing predicates."""
    tree = ctx.tree
    named: set[int] = set()
    for phrase in A.signers(tree, sentence.start, sentence.end, heads):
        named.update(phrase)
    found = [m for m in mentions_in(mentions, sentence.start, sentence.end, (ORGANIZATION, COUNTRY, PERSON))
             if tree.head(m.start, m.end) in named]
    parties = [p for p in found if p.type != PERSON and p.start not in excluded and not (p.type == COUNTRY and (
        LOCATIVE.search(ctx.text, max(0, p.start - 6), p.start) or p.text[:1].islower()))]  # "au Japon"; "la partie japonaise"
    return parties, [m for m in found if m.type == PERSON]


def excluded_starts(ctx: Context, mentions: list[Mention], parents: list[tuple[str, str]]) -> set[int]:
    """Mentions that are not parties even inside a party clause: datelines, and parent
    organizations named right after their child ("le VNSC de l'Académie ...")."""
    out: set[int] = set()
    for seg in ctx.article.segments:
        d = P.DATELINE.match(ctx.text, seg.start, seg.end)
        if d:
            out |= {m.start for m in mentions if d.start() <= m.start < d.end()}
    parent_refs = {p for _, p in parents}
    child_refs = {c for c, _ in parents}
    ordered = sorted(mentions, key=lambda m: m.start)
    for i, m in enumerate(ordered):
        if m.ref in parent_refs and any(o.ref in child_refs and o.end <= m.start and m.start - o.end < 80
                                       for o in ordered[max(0, i - 3):i]):
            out.add(m.start)
    return out


def signing_place(ctx: Context, mentions: list[Mention], draft: Draft, excluded: set[int],
                  fields: list[Mention]) -> Mention | None:
    """The first place "à PLACE" in a sentence reporting the signing, but not one the agreement's
    own name holds ("un accord ... de faire escale à Cam Ranh" was not signed there), unless it
    closes the agreement's field ("un accord sur la santé à Tokyo")."""
    for sentence in draft.triggers:
        for m in mentions_in(mentions, sentence.start, sentence.end, (PLACE,)):
            closes_field = any(f.end <= m.start <= f.end + 4 and P.AT_END.search(ctx.text, f.end, m.start) for f in fields)
            named = any(start < m.end and m.start < end for start, end in draft.phrases) and not closes_field
            if m.start not in excluded and not named and P.AT_END.search(ctx.text[max(0, m.start - 4):m.start]):
                return m
    return None


def signing_date(ctx: Context, sentences: list[Sentence]) -> D.DateValue | None:
    for sentence in sentences:
        text = ctx.text[sentence.start:sentence.end]
        elsewhere = [(m.start(), m.end() + 40) for m in D.VALID_FROM.finditer(text)]
        elsewhere += [(m.start(), m.end()) for m in D.DATELINE_DATE.finditer(text)]  # when the story was filed
        for found in D.find_dates(text, ctx.article.meta.published):
            if not any(a <= found.start < b for a, b in elsewhere):
                return found.value
    return None


def validity(ctx: Context, sentences: list[Sentence]) -> tuple[D.DateValue | None, D.DateValue | None, str | None]:
    start = until = None
    duration = None
    for sentence in sentences:
        text = ctx.text[sentence.start:sentence.end]
        period = D.find_period(text)
        if period and start is None:
            start, until = period
        start = start or D.find_valid_from(text, ctx.article.meta.published)
        duration = duration or D.find_duration(text)
    if until is None and start is not None and duration is not None:
        until = D.add_duration(start, duration)
    return start, until, duration


def kind_head(ctx: Context, start: int) -> int | None:
    """The token that heads the agreement's kind in a naming found at `start`."""
    m = P.AGREEMENT.pattern.match(ctx.text, start)
    return ctx.tree.head(start, m.end("kind")) if m else None


def find_fields(ctx: Context, heads: list[int], mentions: list[Mention]) -> list[Mention]:
    """The fields an agreement is about, as its name says: "... sur l'envoi de travailleurs
    à qualification spécifique" -> "envoi de travailleurs à qualification spécifique".
    Skipped where the phrase already names a known technology, or only points back ("ce programme")."""
    fields = []
    tree = ctx.tree
    for head in heads:
        for phrase in A.topics(tree, head):
            # the field stops where a body, a person or a place is named: "sur l'aide non-remboursable du
            # gouvernement japonais", "sur la santé à Tokyo"
            end = tree.tokens[phrase[-1]].end
            cut = min((o.start for o in mentions if o.type in (ORGANIZATION, PERSON, PLACE, COUNTRY)
                       and tree.tokens[phrase[0]].start < o.end and o.start < end), default=end)
            words = A.field_words(tree, [j for j in phrase if tree.tokens[j].start < cut])
            if not words or A.points_back(tree, words) or len(words) > 12:
                continue
            f_start, f_end = tree.tokens[words[0]].start, tree.tokens[words[-1]].end
            if any(o.start < f_end and f_start < o.end for o in mentions if o.type == TECHNOLOGY):
                continue
            name = A.phrase_text(tree, words)
            # portfolio style "Agriculture et Développement rural" -> common nouns; names and acronyms stay
            name = " ".join(w.lower() if w[1:].islower() and ctx.gazetteer.lookup(w) is None else w for w in name.split())
            sentence = ctx.sentence_at(f_start)
            if sentence is not None:
                fields.append(Mention(type=TECHNOLOGY, start=f_start, end=f_end, text=ctx.text[f_start:f_end],
                                      ref="tech:" + key(name), label=name, sentence=sentence))
    return fields


def unique(mentions: list[Mention]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.ref for m in mentions))


def find_agreements(ctx: Context, mentions: list[Mention],
                    parents: list[tuple[str, str]]) -> tuple[list[Agreement], list[Mention]]:
    """The agreements of the main story, and the fields of cooperation their names give."""
    found = drafts(ctx)
    excluded = excluded_starts(ctx, mentions, parents)
    agreements = []
    new_mentions: list[Mention] = []
    for draft in found:
        heads = [h for h in (kind_head(ctx, start) for start, _ in draft.phrases) if h is not None]
        fields = find_fields(ctx, heads, mentions)
        new_mentions += fields
        parties: list[Mention] = []
        people: list[Mention] = []
        for sentence in draft.sentences:
            if P.SIGNING.search(ctx.text, sentence.start, sentence.end) or sentence in draft.triggers:
                p, s = parties_and_signatories(ctx, mentions, sentence, excluded, set(heads))
                parties += p
                people += s
        headline = [s for s in ctx.parsed.sentences if s.zone is Zone.HEADLINE]
        scope = draft.sentences + (headline if len(found) == 1 else [])
        topics = [m for s in scope for m in mentions_in(mentions, s.start, s.end, (TECHNOLOGY,))] + fields
        valid_from, valid_until, duration = validity(ctx, draft.sentences)
        place = signing_place(ctx, mentions, draft, excluded, fields)
        agreements.append(Agreement(
            label=max(draft.labels, key=lambda x: (len(x.split()), x)),
            kind=draft.kind,
            parties=unique(parties),
            signatories=unique(people),
            topics=unique(topics),
            signed_on=signing_date(ctx, draft.triggers),
            signed_at=place.ref if place else None,
            valid_from=valid_from,
            valid_until=valid_until,
            duration=duration,
            evidence=tuple(Evidence(ctx.article.source, s.start, s.end, ctx.text[s.start:s.end]) for s in draft.sentences),
        ))
    return agreements, new_mentions
