"""Roles in a language read without a parse (English): a title inside a run of capitalised
words, with the body it is of and the person who holds it.

    Minister of Information and Communications Nguyen Manh Hung   title, complement, name
    DPJ Administration Committee Chair Shunichi Mizuoka           body, title, name
    Science and Technology Minister Hoang Van Phong               portfolio, title, name
    Takaichi Sanae - Minister of Home Affairs and Communications  name, separator, title
    Nguyen Thi Lan, VNUA's President                               name, separator, possessor, title

The body is a body named in the complement or before the title; a ministry for a minister's
portfolio; a government for a head of government whose nationality the text gives. A role
whose body the text does not give is left out. The words come from ontology/lexicon.<lang>.json.
"""
from __future__ import annotations

import regex

from ..models import COUNTRY, ORGANIZATION, PERSON, Evidence, Membership, Mention
from ..text import tidy
from .capitals import (ACRONYM, NAME_SIZES, NAME_WORD, Word, Words, is_head, name_tail, organization, span_text, trim,
                       unlinked)
from .entities import Context, gaz_mention, make, org_ref, person

SEPARATOR = regex.compile(r"\s*(?:[,_]|\s[-–—]|[-–—]\s)\s*")  # "NAME, Title", "NAME - Title", "NAME_Title"
POSSESSIVE = regex.compile(r"\s*['’]s\s+")


def find_titled(ctx: Context, runs: list[list[Word]], w: Words) -> list[Membership]:
    memberships = []
    for n, raw in enumerate(runs):
        run, adjective = trim(raw, w)
        i = next((i for i in range(len(run)) if w.title_at(run, i) > i), None)
        sentence = ctx.sentence_at(raw[0].start)
        if i is None or sentence is None:
            continue
        j = w.title_at(run, i)
        pre, title, post = run[:i], run[i:j], run[j:]
        cut = name_tail(post, w) if post else None
        complement = post[:cut] if cut is not None else post
        if complement and complement[0].link not in w.of_links:
            complement = []
        who, possessor = None, None
        if cut is not None:
            who = person(ctx, post[cut].start, post[-1].end, adjective)
        elif not pre:
            who, possessor = named_before(ctx, runs, n, adjective, w)
        noun = " ".join(t.text for t in title if t.text not in w.modifiers) or title[-1].text
        org = body(ctx, noun, title, pre, complement, adjective, w) or possessor  # named even with no holder
        if who is None or who.type != PERSON:
            continue
        if org is not None and raw[0].start <= org.start and org.end <= raw[-1].end:
            ctx.titled.add((org.start, org.end))  # "Minister of Health X": X's body, not one that acts
        if org is None:
            continue
        label = span_text(ctx, [(pre or title)[0], (complement or title)[-1]])
        evidence = Evidence(ctx.article.source, sentence.start, sentence.end, ctx.text[sentence.start:sentence.end])
        memberships.append(Membership(person=who.ref, organization=org.ref, role=label,
                                      title=span_text(ctx, title), evidence=evidence))
    return memberships


def named_before(ctx: Context, runs: list[list[Word]], n: int, adjective: str | None,
                 w: Words) -> tuple[Mention | None, Mention | None]:
    """The person a title follows ("NAME, Title"), and the body a possessive gives ("NAME, VNUA's Title")."""
    possessor = None
    at = runs[n][0].start
    for back in (1, 2):
        if n - back < 0:
            break
        prev = runs[n - back]
        between = ctx.text[prev[-1].end:at]
        if back == 1 and POSSESSIVE.fullmatch(between):
            found = ctx.at(prev[0].start, prev[-1].end, (ORGANIZATION,))
            possessor = found[0] if found else ctx.acronyms.get(span_text(ctx, prev))
            at = prev[0].start
            continue
        if not SEPARATOR.fullmatch(between):
            break
        name, _ = trim(prev, w)
        if NAME_SIZES[0] <= len(name) <= NAME_SIZES[1] and all(NAME_WORD.fullmatch(x.text) and not is_head(x.text, w)
                                                                and not x.link for x in name[1:]) \
                and NAME_WORD.fullmatch(name[0].text):
            return person(ctx, name[0].start, name[-1].end, adjective), possessor
        break
    return None, None


def body(ctx: Context, noun: str, title: list[Word], pre: list[Word], complement: list[Word], adjective: str | None,
         w: Words) -> Mention | None:
    """The body a title is of: named in its complement or before it, a minister's ministry, a
    head of government's government."""
    if complement:
        named = bodies(ctx, complement, adjective, w)
        if named is not None:
            return named
        if noun in w.ministry_titles:
            return ministry(ctx, complement, adjective, w)
    if pre:
        named = bodies(ctx, pre, adjective, w)
        if named is not None:
            return named
        if noun in w.ministry_titles and all(not x.text.isupper() for x in pre):
            return ministry(ctx, pre, adjective, w)
    if noun in w.government_titles and adjective is not None and not complement and not pre:
        # "Japanese Prime Minister NAME": the government of the country the text names
        country = ctx.gazetteer.entries.get(adjective)
        name = country.labels.get(ctx.language) if country is not None else None
        entry = ctx.gazetteer.lookup(f"{w.government_titles[noun]} {w.of_word} {name}", ORGANIZATION) \
            if name else None
        sentence = ctx.sentence_at(title[0].start)
        if entry is not None and sentence is not None:
            return ctx.add(gaz_mention(ctx, entry, title[0].start, title[-1].end, sentence))
    return None


def bodies(ctx: Context, words: list[Word], adjective: str | None, w: Words) -> Mention | None:
    """The body named in words: one already found there, a known acronym, or a head-noun phrase
    (from its first head noun's phrase: "of Science and Technology of Japan Cabinet Office" -> the Cabinet Office)."""
    found = ctx.at(words[0].start, words[-1].end, (ORGANIZATION,))
    if found:
        return min(found, key=lambda m: m.start)
    if len(words) == 1 and words[0].text in ctx.acronyms:
        return ctx.acronyms[words[0].text]
    if len(words) == 1 and ACRONYM.fullmatch(words[0].text) and ctx.gazetteer.lookup(words[0].text) is None:
        return organization(ctx, words, adjective, w)  # "DPJ President": a body known by its acronym
    segments: list[list[Word]] = [[]]
    for x in words:
        if x.link in w.of_links and segments[-1]:
            segments.append([])
        segments[-1].append(x)
    for k, segment in enumerate(segments):
        if any(x.text in w.org_heads for x in segment):
            rest = [x for s in segments[k:] for x in s]
            return organization(ctx, [unlinked(rest[0]), *rest[1:]], adjective, w)
    return None


def ministry(ctx: Context, portfolio: list[Word], adjective: str | None, w: Words) -> Mention | None:
    """The ministry of a minister's portfolio ("of Health", "Science and Technology")."""
    country = adjective
    if len(portfolio) > 1 and portfolio[-1].link in w.of_links:  # "... of Japan"
        entry = ctx.gazetteer.lookup(portfolio[-1].text, COUNTRY)
        if entry is not None:
            country, portfolio = entry.id, portfolio[:-1]
    text = tidy(ctx.text[portfolio[0].start:portfolio[-1].end])
    label = f"{w.lex['ministry_label']} {w.of_word} {text}"
    entry = ctx.gazetteer.lookup(label, ORGANIZATION, country)
    sentence = ctx.sentence_at(portfolio[0].start)
    if sentence is None:
        return None
    start, end = portfolio[0].start, portfolio[-1].end
    if entry is not None and (country is None or entry.country == country):
        return ctx.add(gaz_mention(ctx, entry, start, end, sentence, aliases=(label,)))
    if country is None:
        return None  # "Minister of Health" of no country the text gives: no body to name
    return ctx.add(make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country,
                        government=True, aliases=(label,)))
