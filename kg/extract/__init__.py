"""Extraction: one article (with its NLP parse) -> mentions and facts. A pure function."""
from __future__ import annotations

from dataclasses import replace

from ..gazetteer import Gazetteer, default_gazetteer
from ..models import EVENT, PLACE, Article, Event, Extraction, Mention
from ..nlp import TOKENIZED, Parsed
from . import capitals as C
from . import clauses
from . import dates as D
from .agreements import find_agreements, mentions_in
from .arguments import PLACE_MARKERS
from .entities import (Context, find_acronym_uses, find_confirmed_people, find_demonyms, find_events, find_gazetteer,
                       find_ministries, find_organizations, find_parents, find_places, find_technologies)
from .overlaps import merge_misspelt, resolve_overlaps
from .roles import find_roles
from .titles import find_titled

def extract(article: Article, parsed: Parsed, gazetteer: Gazetteer | None = None) -> Extraction:
    if article.meta.published is None:
        dated = D.dateline_date(article.text, article.meta.rules)
        if dated is not None:  # the text dates itself: as good as the sidecar
            article = replace(article, meta=replace(article.meta, published=dated))
    ctx = Context(article, parsed, gazetteer or default_gazetteer())
    if ctx.language in TOKENIZED:
        return read_by_capitals(ctx)
    find_organizations(ctx)
    find_ministries(ctx)
    find_gazetteer(ctx)
    find_demonyms(ctx)
    ctx.mentions = resolve_overlaps(ctx.mentions)
    find_acronym_uses(ctx)
    memberships = find_roles(ctx)
    find_confirmed_people(ctx)
    find_places(ctx)
    find_technologies(ctx)
    event_mentions = find_events(ctx)
    renamed = merge_misspelt(ctx)
    memberships = [replace(ms, person=renamed.get(ms.person, ms.person)) for ms in memberships]
    mentions = resolve_overlaps(ctx.mentions)
    ctx.mentions = mentions
    parents = find_parents(ctx)
    parent_of = dict(parents)
    mentions = [replace(m, parent=parent_of.get(m.ref)) if m.ref in parent_of else m for m in mentions]
    kept = {m.ref for m in mentions}
    memberships = [ms for ms in memberships if ms.person in kept and ms.organization in kept]
    agreements, fields = find_agreements(ctx, mentions, parents)
    mentions = sorted(mentions + [f for f in fields if not any(f.span.overlaps(m.span) for m in mentions)],
                      key=lambda m: (m.start, m.end))
    kept = {m.ref for m in mentions}  # a topic whose words another mention took is not an entity of its own
    agreements = [replace(ag, topics=tuple(t for t in ag.topics if t in kept)) for ag in agreements]
    events = [event_facts(ctx, m, mentions) for m in event_mentions if m in mentions]
    return Extraction(article, tuple(mentions), tuple(memberships), tuple(agreements), tuple(events))


def read_by_capitals(ctx: Context) -> Extraction:
    """A language read without a parse: names by their capitals, facts by marker words."""
    words = C.words_of(ctx.language)
    runs = C.runs(ctx, words)
    find_gazetteer(ctx)
    for run in runs:
        C.classify(ctx, run, words)
    find_demonyms(ctx, words.nationality_word, words.nationalities)
    ctx.mentions = resolve_overlaps(ctx.mentions)
    find_acronym_uses(ctx)
    memberships = find_titled(ctx, runs, words)
    renamed = merge_misspelt(ctx)
    memberships = [replace(ms, person=renamed.get(ms.person, ms.person)) for ms in memberships]
    mentions = resolve_overlaps(ctx.mentions)
    ctx.mentions = mentions
    kept = {m.ref for m in mentions}
    memberships = [ms for ms in memberships if ms.person in kept and ms.organization in kept]
    agreements, fields = clauses.find_agreements(ctx, mentions, memberships)
    mentions = sorted(mentions + [f for f in fields if not any(f.span.overlaps(m.span) for m in mentions)],
                      key=lambda m: (m.start, m.end))
    kept = {m.ref for m in mentions}
    agreements = [replace(ag, topics=tuple(t for t in ag.topics if t in kept)) for ag in agreements]
    events = [event_facts(ctx, m, mentions) for m in mentions if m.type == EVENT]
    return Extraction(ctx.article, tuple(mentions), tuple(memberships), tuple(agreements), tuple(events))


def event_facts(ctx: Context, event: Mention, mentions: list[Mention]) -> Event:
    """The date and place given right after an event's name ("... en septembre 2020 à Hanoi")."""
    window_end = min(event.sentence.end, event.end + 90)
    window = ctx.text[event.end:window_end]
    dates = D.find_dates(window, ctx.article.meta.published, ctx.language)
    places = [m for m in mentions_in(mentions, event.end, window_end, (PLACE,))
              if ctx.tree.marker(ctx.tree.head(m.start, m.end) or 0) in PLACE_MARKERS]
    return Event(event.ref, dates[0].value if dates else None, places[0].ref if places else None)


__all__ = ["extract"]
