"""People with their roles, read from the parse: a name and the title noun it is tied to
("le ministre vietnamien de X, NAME", "NAME, vice-ministre de X", "son homologue japonais
NAME"). A role becomes an org:Membership only when the text names (or, for a head of
government or an envoy, implies) the organization. The words come from ontology/."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..gazetteer import default_lexicon
from ..models import ORGANIZATION, Evidence, Membership, Mention
from ..text import fold, key, tidy
from . import arguments as A
from .entities import (Context, country_of_phrase, gaz_mention, make, ministry, name_start, nationality, org_ref,
                       person)
from .syntax import Tree

LEX = default_lexicon()
# words a title writes with a capital ("Premier ministre"), as the lexicon's titles spell them
CAPITALISED = {fold(w): w for title in LEX["government_titles"] for w in title.split() if w[:1].isupper()}
TITLE_NOUNS = {fold(w) for w in LEX["title_nouns"]}
# what may follow a title noun as part of the title: "général", "adjoint", "d'État"
TITLE_MODIFIER = regex.compile(r"\s*(?:" + "|".join(regex.escape(fold(w)) for w in sorted(
    LEX["title_modifiers"], key=len, reverse=True)) + r")(?![\p{L}])")
COUNTERPARTS = {fold(w) for w in LEX["counterpart"]}
TITLE_WORDS = TITLE_NOUNS | COUNTERPARTS
FORMER = sorted((fold(w) for w in LEX["former"]), key=len, reverse=True)
HONORIFICS = {fold(w).rstrip(".") for w in LEX["honorifics"]}
POSSESSIVES = {fold(w) for w in LEX["possessives"]}
MINISTRY_TITLES = {fold(t) for t in LEX["ministry_titles"]}
GOVERNMENT_TITLES = {fold(t) for t in LEX["government_titles"]}
ENVOY_TITLES_POST = {fold(t): body for t, body in LEX["envoy_titles"].items()}  # the title -> its post's body
ENVOY_TITLES = set(ENVOY_TITLES_POST)
MIN_SQUEEZED = 10  # characters of a body's name, for it to be recognised with its spaces lost
TIES = ("appos", "nmod", "flat", "flat:name", "dep", "conj", "obl", "obl:mod", "nsubj")  # a name to the title before it


@dataclass(frozen=True)
class Role:
    title: str
    portfolio: str | None


@dataclass(frozen=True)
class Titled:
    """A title phrase as the text gives it: each part a (start, end) span or None."""

    title: tuple[int, int]
    adjective: tuple[int, int] | None
    portfolio: tuple[int, int] | None
    post: tuple[int, int] | None
    counterpart: bool


def title_text(raw: str) -> str:
    """ "Premier Ministre" -> "Premier ministre"; "Ministre" -> "ministre"."""
    return " ".join(CAPITALISED.get(fold(w), w.lower()) for w in tidy(raw).split())


def is_title(tree: Tree, i: int) -> bool:
    return tree.tokens[i].pos in ("NOUN", "PROPN", "ADJ") and (tree.word(i) in TITLE_WORDS
                                                               or tree.lemma(i) in TITLE_WORDS)


def title_of(tree: Tree, first: int, last: int) -> tuple[int, bool] | None:
    """The title noun tied to the name whose tokens are first..last, and whether it comes before the name."""
    j = first - 1
    while j >= 0 and tree.word(j).rstrip(".") in HONORIFICS:  # "M. NAME"
        j -= 1
    if j >= 0 and tree.word(j) == ",":
        j -= 1
    for a in [j, *tree.ancestors(j)] if j >= 0 else []:
        if tree.tokens[a].pos not in ("NOUN", "PROPN", "ADJ", "NUM") or tree.tokens[a].start > tree.tokens[first].start:
            break
        if is_title(tree, a):  # "le ministre japonais de X, NAME", "le président du Comité de Y NAME"
            return a, True
    inside = range(first, last + 1)
    head = next((i for i in inside if tree.tokens[i].head not in inside), first)
    up = tree.tokens[head].head
    if up not in inside and is_title(tree, up) and tree.dep(head) in TIES:  # "le ministre NAME"
        return up, up < first
    after = [k for k in tree.children(head, "appos", "nmod", "acl") if k > last and is_title(tree, k)]
    if after:  # "NAME, vice-ministre des Finances"
        return after[0], False
    j = last + 1
    if j < len(tree.tokens) and tree.word(j) == ",":
        j += 1
    while j < len(tree.tokens) and tree.dep(j) == "det":
        j += 1
    if j < len(tree.tokens) and is_title(tree, j):  # "NAME, directeur de X"
        return j, False
    return None


def possessive(tree: Tree, t: int) -> bool:
    return any(tree.dep(k) == "det" and tree.lemma(k) in POSSESSIVES for k in tree.children(t))


def possessor(tree: Tree, t: int) -> int | None:
    """The title with a possessive that t is, or that t is set beside: "sa gouverneure NAME",
    "son président, le ministre NAME"."""
    if possessive(tree, t):
        return t
    k = min([t, *(c for c in tree.children(t, "det", "amod") if c < t)]) - 1
    if k >= 0 and tree.word(k) == ",":
        k -= 1
    return k if k >= 0 and is_title(tree, k) and possessive(tree, k) else None


def titled(tree: Tree, t: int, first: int, last: int, before: bool) -> Titled:
    """Split the phrase of title noun t into title, nationality, portfolio and post."""
    if before:  # everything from the title to the name
        span = list(range(t, first))
        while span and (tree.tokens[span[-1]].pos == "PUNCT" or tree.word(span[-1]).rstrip(".") in HONORIFICS):
            if tree.word(span[-1]) == ")":  # "(JICA)": the acronym the organization's name gives
                while span and tree.word(span[-1]) != "(":
                    span.pop()
            span.pop()
    else:  # the title's own words after the name, up to a break
        span = []
        for k in tree.subtree(t):
            if k < t:
                continue
            if span and k != span[-1] + 1 or tree.dep(k) in ("acl:relcl", "parataxis"):
                break
            span.append(k)
        while span and tree.tokens[span[-1]].pos == "PUNCT":
            span.pop()
    opening = [k for k in tree.children(t) if k < t and tree.dep(k) == "amod"]  # "Premier ministre"
    start = tree.tokens[min(opening + [t])].start
    end_title = t
    rest = [k for k in span if k > t and tree.tokens[k].pos != "SPACE"]
    folded = fold(tree.text[tree.tokens[t].end:tree.tokens[rest[-1]].end]) if rest else ""
    mod = TITLE_MODIFIER.match(folded)
    if mod is not None:  # "directeur général", "secrétaire d'État"
        while rest and tree.tokens[rest[0]].end <= tree.tokens[t].end + mod.end():
            end_title = rest.pop(0)
    adjective = None
    for at in (0, -1):  # "le ministre japonais de X", "le ministre de X vietnamien"
        if rest and nationality(tree.text[tree.tokens[rest[at]].start:tree.tokens[rest[at]].end]):
            adjective = (tree.tokens[rest[at]].start, tree.tokens[rest[at]].end)
            rest.pop(at)
            break
    portfolio = post = None
    cut = next((n for n, k in enumerate(rest) if tree.word(k) in A.LOCATIVE_MARKERS), len(rest))
    if cut and tree.word(rest[0]) in A.COMPLEMENT_MARKERS:
        portfolio = (tree.tokens[rest[0]].start, tree.tokens[rest[cut - 1]].end)
    if cut < len(rest):
        post = (tree.tokens[rest[cut]].start, tree.tokens[rest[-1]].end)
    counterpart = tree.word(t) in COUNTERPARTS or tree.lemma(t) in COUNTERPARTS
    return Titled((start, tree.tokens[end_title].end), adjective, portfolio, post, counterpart)


def government(ctx: Context, start: int, end: int, adjective: str | None, country: str | None) -> Mention | None:
    """The government a head of government belongs to, from the nationality the text gives."""
    entry = ctx.gazetteer.lookup(f"{LEX['government_word']} {adjective.lower()}", ORGANIZATION, country) if adjective else None
    if entry is None and country is not None:
        entry = next((e for e in ctx.gazetteer.entries.values() if e.type == ORGANIZATION and e.country == country
                      and e.government and fold(e.label).startswith(fold(LEX["government_word"]) + " ")), None)
    sentence = ctx.sentence_at(start)
    if entry is not None and sentence is not None:
        return ctx.add(gaz_mention(ctx, entry, start, end, sentence))
    if adjective:
        label = f"{LEX['government_word'].capitalize()} {adjective.lower()}"
        return ctx.add(make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country, government=True))
    return None


def envoy_post(ctx: Context, start: int, end: int, title: str, portfolio: str, post: str | None) -> Mention | None:
    """ "ambassadeur du Japon au Vietnam" -> the Embassy of Japan in Vietnam."""
    _, country = country_of_phrase(ctx, tidy(portfolio))
    if country is None:
        return None
    label = f"{ENVOY_TITLES_POST[title]} {tidy(portfolio)}" + (f" {tidy(post)}" if post else "")
    return ctx.add(make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country, government=True))


def organization_for(ctx: Context, title: str, adjective: str | None, portfolio: str | None, post: str | None,
                     start: int, end: int) -> Mention | None:
    country = nationality(adjective)
    folded = plain_title(title)
    if folded in MINISTRY_TITLES and portfolio:
        return ctx.add(ministry(ctx, start, end, portfolio, adjective))
    if folded in GOVERNMENT_TITLES:
        if portfolio:
            _, country = country_of_phrase(ctx, tidy(portfolio))
        return government(ctx, start, end, adjective, country) if (adjective or country) else None
    if folded in ENVOY_TITLES and portfolio:
        return envoy_post(ctx, start, end, folded, portfolio, post)
    if portfolio:  # what the title is of: the first body named in its complement
        named = [m for m in ctx.at(start, end, (ORGANIZATION,)) if m.start > start]
        return min(named, key=lambda m: m.start) if named else named_before(ctx, portfolio, country, start)
    return None


def named_before(ctx: Context, phrase: str, country: str | None, start: int) -> Mention | None:
    """The body named elsewhere in the article that `phrase` ends with, spaces aside (pages lose
    spaces: "de géographiedu Japon"), or, for "du département" (+ a nationality), the one body
    named before whose name starts with that noun (and is of that country)."""
    squeezed = key(phrase).replace(" ", "")
    found = [m for m in ctx.mentions if m.type == ORGANIZATION and len(key(m.label)) >= MIN_SQUEEZED
             and squeezed.endswith(key(m.label).replace(" ", ""))]
    if found:
        return max(found, key=lambda m: (len(m.label), -m.start))
    words = key(phrase).split()
    if len(words) != 2:  # a marker and a noun: "du département"
        return None
    earlier = {m.ref: m for m in ctx.mentions if m.type == ORGANIZATION and m.start < start
               and key(m.label).split()[0] == words[1] and (country is None or m.country == country)}
    return next(iter(earlier.values())) if len(earlier) == 1 else None


def plain_title(title: str) -> str:
    """The title without a "former" before it, folded: "ex-Premier ministre" -> "premier ministre"."""
    folded = fold(title)
    former = next((f for f in FORMER if folded.startswith(f)), "")
    return folded[len(former):].strip()


def role_label(ctx: Context, title: str, portfolio: str | None, post: str | None) -> str:
    if not portfolio or plain_title(title) in GOVERNMENT_TITLES:
        return title
    if plain_title(title) in MINISTRY_TITLES:
        portfolio, _ = country_of_phrase(ctx, tidy(portfolio))
    return " ".join(x for x in (title, tidy(portfolio), tidy(post or "")) if x)


def names(ctx: Context) -> list[tuple[int, int]]:
    """Where names may be: the model's PER spans (an honorific before one left out), and runs
    of two to four proper nouns it did not tag."""
    tree = ctx.tree
    spans = []
    for span in ctx.parsed.ner:
        if span.label == "PER":
            end = span.end
            while end > span.start and not ctx.text[end - 1].isalnum():  # "Tran Van Thuan," as the model may end it
                end -= 1
            spans.append((name_start(ctx, span), end))
    words: list[tuple[int, int, bool]] = []  # (start, end, proper): tokens with no space between make one word
    for t in tree.tokens:
        if words and words[-1][1] == t.start and (t.pos != "PUNCT" or ctx.text[t.start:t.end] == "-"):  # "Min-ho"
            words[-1] = (words[-1][0], t.end, words[-1][2])
        else:
            words.append((t.start, t.end, t.pos in ("PROPN", "X") and ctx.text[t.start].isupper()))
    run: list[tuple[int, int, bool]] = []
    for word in [*words, (0, 0, False)]:
        if word[2]:
            run.append(word)
            continue
        if 2 <= len(run) <= 4:
            span = (run[0][0], run[-1][1])
            if not any(s < span[1] and span[0] < e for s, e in spans):
                spans.append(span)
        run = []
    return sorted(set(spans))


def find_roles(ctx: Context) -> list[Membership]:
    memberships: list[Membership] = []
    last_role: dict[int, Role] = {}
    tree = ctx.tree
    for start, end in names(ctx):
        inside = tree.within(start, end)
        sentence = ctx.sentence_at(start)
        if not inside or sentence is None:
            continue
        found = title_of(tree, inside[0], inside[-1])
        if found is None:
            continue
        t, before = found
        phrase = titled(tree, t, inside[0], inside[-1], before)
        text = lambda span: A.phrase_text(tree, list(tree.within(*span))) if span else None  # noqa: E731
        adjective = text(phrase.adjective)
        if phrase.counterpart:  # "son homologue japonais NAME": the role of the first person, another country
            role = last_role.get(sentence.start)
            who = person(ctx, start, end, nationality(adjective))
            if role is None or who is None or adjective is None:
                continue
            title, portfolio, post = role.title, role.portfolio, None
            org_start, org_end = tree.tokens[t].start, start
        else:
            who = person(ctx, start, end, nationality(adjective))
            if who is None:
                continue
            title, portfolio, post = title_text(text(phrase.title)), text(phrase.portfolio), text(phrase.post)
            org_start = phrase.title[0]
            org_end = max(s[1] for s in (phrase.title, phrase.adjective, phrase.portfolio, phrase.post) if s)
            last_role[sentence.start] = Role(title, portfolio)
        org = organization_for(ctx, title, adjective, portfolio, post, org_start, org_end)
        holder = possessor(tree, t) if org is None else None
        if holder is not None:  # "son président, le ministre NAME", "sa gouverneure NAME": of the body named just before
            before = [o for o in ctx.mentions if o.type == ORGANIZATION and sentence.start <= o.start
                      and o.end <= tree.tokens[holder].start]
            org = max(before, key=lambda o: o.end) if before else None
            title = title_text(ctx.text[tree.tokens[holder].start:tree.tokens[holder].end])
            portfolio = post = None
        if org is None:
            continue
        label = role_label(ctx, title, portfolio, post)
        if portfolio and phrase.portfolio and plain_title(title) not in MINISTRY_TITLES | GOVERNMENT_TITLES | ENVOY_TITLES:
            # of any other body: the title and what it is of, as the text words it, up to the body's name
            label = f"{title} {tidy(ctx.text[phrase.title[1]:max(org.end, phrase.portfolio[1])])}"
        evidence = Evidence(ctx.article.source, sentence.start, sentence.end, ctx.text[sentence.start:sentence.end])
        memberships.append(Membership(person=who.ref, organization=org.ref, role=label, title=title, evidence=evidence))
    return memberships
