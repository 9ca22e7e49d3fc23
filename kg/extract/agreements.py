"""Agreements: the document signed, its parties, signatories, date, place, topics and
validity, gathered from the sentence that reports the signing and the sentences that
refer back to it ("ce document", "cette convention", "Les signataires étaient ...").

Only the main story counts: captions repeat it and teasers tell other stories.
"""
from __future__ import annotations

from dataclasses import dataclass, field


from ..models import COUNTRY, FIELD, ORGANIZATION, PERSON, PLACE, TECHNOLOGY, Agreement, Evidence, Mention, Sentence, Zone
from ..text import key, tidy, upper_first
from . import arguments as A
from . import dates as D
from . import patterns as P
from .entities import Context

GENERIC = "agreement"


@dataclass
class Draft:
    kind: str
    names: list[A.Named] = field(default_factory=list)  # each naming of the agreement in a sentence reporting the signing
    later: list[A.Named] = field(default_factory=list)  # namings that refer back to it ("le mémorandum ... convenu dans X")
    triggers: list[Sentence] = field(default_factory=list)
    references: list[Sentence] = field(default_factory=list)
    captions: list[Sentence] = field(default_factory=list)  # captions of the signing, which may name who signed

    @property
    def sentences(self) -> list[Sentence]:
        return sorted(set(self.triggers) | set(self.references), key=lambda s: s.start)


def in_main_story(sentence: Sentence) -> bool:
    return sentence.story == 0 and sentence.zone in (Zone.HEADLINE, Zone.BODY)


def drafts(ctx: Context) -> list[Draft]:
    """One draft per agreement the main story reports signed; later mentions refer back to it."""
    found: list[Draft] = []
    tree = ctx.tree
    for sentence in (s for s in ctx.parsed.sentences if in_main_story(s)):
        text = ctx.text[sentence.start:sentence.end]
        named = A.kinds_in(tree, sentence.start, sentence.end)
        signing = bool(A.predicates(tree, sentence.start, sentence.end, {n.head for n in named})) \
            and P.PLANNED.search(text) is None
        referred = P.REFERENCE.search(text) is not None
        for name in named:
            target = next((d for d in found if d.kind == name.kind or GENERIC in (name.kind, d.kind)), None)
            if target is not None and signing and not name.definite and counted(ctx, name) != counted(ctx, target.names[0]):
                target = None  # "quatre protocoles d'entente" after "un mémorandum": other agreements
            if target is not None and (name.definite or not signing or target.kind == name.kind):
                target.references.append(sentence)
                if signing and not name.definite:
                    target.triggers.append(sentence)
                    target.names.append(name)
                elif target.names and ctx.tree.word(name.head) == ctx.tree.word(target.names[0].head):
                    target.later.append(name)  # the same word, in the same number: "les accords" may be others
                continue
            if signing:
                found.append(Draft(name.kind, names=[name], triggers=[sentence]))
        if (referred or signing) and found and not named:
            found[-1].references.append(sentence)
    for sentence in (s for s in ctx.parsed.sentences if s.story == 0 and s.zone is Zone.CAPTION):
        # a caption of the signing ("X et Y ont signé le mémorandum. Photo: VNA") names who signed
        # an agreement the story reports; it starts none of its own
        named = A.kinds_in(tree, sentence.start, sentence.end)
        if not A.predicates(tree, sentence.start, sentence.end, {n.head for n in named}):
            continue
        for name in named:
            target = next((d for d in found if d.kind == name.kind), None)
            if target is not None and sentence not in target.captions:
                target.captions.append(sentence)
    return found


def counted(ctx: Context, name: A.Named) -> str | None:
    """The number a naming gives ("trois accords"), if any."""
    return ctx.tree.word(name.count) if name.count is not None else None


def label(ctx: Context, name: A.Named) -> str:
    """The agreement's name as the text gives it, with a count if one precedes it ("Trois accords de crédit ...")."""
    words = ([name.count] if name.count is not None else []) + name.words
    return upper_first(tidy(A.phrase_text(ctx.tree, words)))


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
        tree.marker(tree.head(p.start, p.end) or 0) in A.LOCATIVE_MARKERS  # "la JICA au Japon": where, not who
        or p.text[:1].islower()  # "la partie japonaise"
        or ctx.text[p.start - 1:p.start] == "(" and ctx.text[p.end:p.end + 1] == ")"))]  # "la préfecture de Nagano (Japon)"
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
    phrase holds ("un accord ... de faire escale à Cam Ranh" was not signed there), unless it
    closes the agreement's field ("un accord sur la santé à Tokyo")."""
    tree = ctx.tree
    for sentence in draft.triggers:
        for m in mentions_in(mentions, sentence.start, sentence.end, (PLACE,)):
            head = tree.head(m.start, m.end)
            if head is None or m.start in excluded or tree.marker(head) not in A.PLACE_MARKERS:
                continue
            up = tree.ancestors(head)
            heads = [up.index(n.head) for n in draft.names if n.head in up]
            if not heads:
                return m
            # inside the agreement's phrase: where it was signed only when it closes the field the
            # name gives ("un accord sur la santé à Tokyo"), not in a clause of it ("autorisant les escales à X")
            in_clause = any(tree.tokens[a].pos == "VERB" for a in up[:min(heads)])
            if not in_clause and any(f.end <= m.start <= f.end + 4 for f in fields):
                return m
    return None


def signing_date(ctx: Context, sentences: list[Sentence]) -> D.DateValue | None:
    for sentence in sentences:
        text = ctx.text[sentence.start:sentence.end]
        elsewhere = [(m.start(), m.end() + 40) for m in ctx.dates.valid_from.finditer(text)]
        elsewhere += [(m.start(), m.end()) for m in ctx.dates.dateline.finditer(text)]  # when the story was filed
        for found in D.find_dates(text, ctx.article.meta.published, ctx.language):
            if not any(a <= found.start < b for a, b in elsewhere):
                return found.value
    return None


def validity(ctx: Context, sentences: list[Sentence]) -> tuple[D.DateValue | None, D.DateValue | None, str | None]:
    start = until = None
    duration = None
    for sentence in sentences:
        text = ctx.text[sentence.start:sentence.end]
        period = D.find_period(text, ctx.language)
        if period and start is None:
            start, until = period
        start = start or D.find_valid_from(text, ctx.article.meta.published, ctx.language)
        duration = duration or D.find_duration(text, ctx.language)
    if until is None and start is not None and duration is not None:
        until = D.add_duration(start, duration)
    return start, until, duration


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
                fields.append(Mention(type=FIELD, start=f_start, end=f_end, text=ctx.text[f_start:f_end],
                                      ref="field:" + key(name), label=name, sentence=sentence))
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
        heads = [n.head for n in draft.names]
        fields = find_fields(ctx, heads + [n.head for n in draft.later], mentions)
        new_mentions += fields
        parties: list[Mention] = []
        people: list[Mention] = []
        for sentence in draft.sentences:
            if A.predicates(ctx.tree, sentence.start, sentence.end, set(heads)) or sentence in draft.triggers:
                p, s = parties_and_signatories(ctx, mentions, sentence, excluded, set(heads))
                parties += p
                people += s
        told = list(draft.sentences)
        for caption in draft.captions:  # evidence only where it tells who signed and the story does not
            p, s = parties_and_signatories(ctx, mentions, caption, excluded, set(heads))
            known = {m.ref for m in parties + people}
            if any(m.ref not in known for m in p + s):
                parties += p
                people += s
                told.append(caption)
        headline = [s for s in ctx.parsed.sentences if s.zone is Zone.HEADLINE]
        scope = draft.sentences + (headline if len(found) == 1 else [])
        topics = [m for s in scope for m in mentions_in(mentions, s.start, s.end, (TECHNOLOGY,))] + fields
        valid_from, valid_until, duration = validity(ctx, draft.sentences)
        place = signing_place(ctx, mentions, draft, excluded, fields)
        agreements.append(Agreement(
            label=max((label(ctx, n) for n in draft.names), key=lambda x: (len(x.split()), x)),
            kind=draft.kind,
            parties=unique(parties),
            signatories=unique(people),
            topics=unique(topics),
            signed_on=signing_date(ctx, draft.triggers),
            signed_at=place.ref if place else None,
            valid_from=valid_from,
            valid_until=valid_until,
            duration=duration,
            evidence=tuple(Evidence(ctx.article.source, s.start, s.end, ctx.text[s.start:s.end])
                           for s in sorted(told, key=lambda s: s.start)),
        ))
    return agreements, new_mentions
