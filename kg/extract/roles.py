"""People with their roles: "le ministre vietnamien de X, NAME", "NAME, vice-ministre de X",
"son homologue japonais NAME". A role becomes an org:Membership only when the text
names (or, for a head of government, implies) the organization."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..models import ORGANIZATION, Evidence, Membership, Mention
from ..text import fold, tidy
from . import patterns as P
from .entities import Context, country_of_phrase, gaz_mention, make, ministry, nationality, org_ref, person

MINISTRY_TITLES = {fold(t) for t in P.LEX["ministry_titles"]}
GOVERNMENT_TITLES = {fold(t) for t in P.LEX["government_titles"]}
GLUED_POST = regex.compile(r"^(au|aux|en)(?=\p{Lu})")  # "auVietnam"
ENVOY_TITLES = {"ambassadeur", "ambassadrice", "consul general", "consule generale"}


@dataclass(frozen=True)
class Role:
    title: str
    portfolio: str | None


def title_text(raw: str) -> str:
    """ "Premier Ministre" -> "Premier ministre"; "Ministre" -> "ministre"."""
    words = tidy(raw).split()
    out = [w.lower() for w in words]
    if fold(words[0]) == "premier":
        out[0] = "Premier"
    return " ".join(out)


def unglue(post: str) -> str:
    """ "auVietnam" -> "au Vietnam": a space the page lost.

    >>> unglue("auVietnam")
    'au Vietnam'
    """
    return GLUED_POST.sub(r"\1 ", tidy(post))


def government(ctx: Context, start: int, end: int, adjective: str | None, country: str | None) -> Mention | None:
    """The government a head of government belongs to, from the nationality the text gives."""
    names = [f"gouvernement {adjective.lower()}"] if adjective else []
    entry = next((e for e in (ctx.gazetteer.lookup(n, ORGANIZATION, country) for n in names) if e), None)
    if entry is None and country is not None:
        entry = next((e for e in ctx.gazetteer.entries.values()
                      if e.type == ORGANIZATION and e.country == country and fold(e.label).startswith("gouvernement ")), None)
    sentence = ctx.sentence_at(start)
    if entry is not None and sentence is not None:
        return ctx.add(gaz_mention(ctx, entry, start, end, sentence))
    if adjective:
        label = f"Gouvernement {adjective.lower()}"
        return ctx.add(make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country, government=True))
    return None


def envoy_post(ctx: Context, start: int, end: int, title: str, portfolio: str, post: str | None) -> Mention | None:
    """ "ambassadeur du Japon au Vietnam" -> the Embassy of Japan in Vietnam."""
    _, country = country_of_phrase(ctx, tidy(portfolio))
    if country is None:
        return None
    head = "Ambassade" if title.startswith("ambassad") else "Consulat général"
    label = f"{head} {tidy(portfolio)}" + (f" {unglue(post)}" if post else "")
    return ctx.add(make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country, government=True))


def organization_for(ctx: Context, title: str, adjective: str | None, portfolio: str | None, post: str | None,
                     start: int, end: int) -> Mention | None:
    country = nationality(adjective)
    folded = fold(title)
    if folded in MINISTRY_TITLES and portfolio:
        return ctx.add(ministry(ctx, start, end, portfolio, adjective))
    if folded in GOVERNMENT_TITLES:
        if portfolio:
            _, country = country_of_phrase(ctx, tidy(portfolio))
        return government(ctx, start, end, adjective, country) if (adjective or country) else None
    if folded in ENVOY_TITLES and portfolio:
        return envoy_post(ctx, start, end, folded, portfolio, post)
    if portfolio:
        named = [m for m in ctx.at(end - len(portfolio), end, (ORGANIZATION,))]
        return named[0] if named else None
    return None


def role_label(title: str, portfolio: str | None, post: str | None, ctx: Context) -> str:
    if not portfolio or fold(title) in GOVERNMENT_TITLES:
        return title
    if fold(title) in MINISTRY_TITLES:
        portfolio, _ = country_of_phrase(ctx, tidy(portfolio))
    return " ".join(x for x in (title, tidy(portfolio), unglue(post or "")) if x)


def find_roles(ctx: Context) -> list[Membership]:
    memberships: list[Membership] = []
    last_role: dict[int, Role] = {}

    def record(name_start: int, name_end: int, raw_title: str, adjective: str | None, portfolio: str | None,
               post: str | None, org_start: int, org_end: int) -> None:
        title = title_text(raw_title)
        who = person(ctx, name_start, name_end, nationality(adjective))
        if who is None:
            return
        org = organization_for(ctx, title, adjective, portfolio, post, org_start, org_end)
        sentence = ctx.sentence_at(name_start)
        if sentence is not None:
            last_role[sentence.start] = Role(title, portfolio)
        if org is None or sentence is None:
            return
        evidence = Evidence(ctx.article.source, sentence.start, sentence.end, ctx.text[sentence.start:sentence.end])
        memberships.append(Membership(person=who.ref, organization=org.ref, role=role_label(title, portfolio, post, ctx),
                                      title=title, evidence=evidence))

    for m in P.TITLE_THEN_NAME.finditer(ctx.text):
        org_end = max(m.end(g) for g in ("title", "adj", "portfolio", "post") if m[g])
        record(m.start("name"), m.end("name"), m["title"], m["adj"], m["portfolio"], m["post"], m.start("title"), org_end)
    for m in P.NAME_THEN_TITLE.finditer(ctx.text):
        org_end = max(m.end(g) for g in ("title", "adj", "portfolio") if m[g])
        record(m.start("name"), m.end("name"), m["title"], m["adj"], m["portfolio"], None, m.start("title"), org_end)
    recorded = {(ms.person, ms.evidence.start) for ms in memberships}
    for m in P.TITLE_APPOSITION.finditer(ctx.text):
        named = [o for o in ctx.at(m.start("rest"), m.end("rest"), (ORGANIZATION,)) if o.end <= m.end("rest")]
        who = person(ctx, m.start("name"), m.end("name"))
        sentence = ctx.sentence_at(m.start())
        if who is None or not named or sentence is None or (who.ref, sentence.start) in recorded:
            continue
        org = min(named, key=lambda o: o.start)  # what the title is of: the first body named after it
        before = title_text(m["title"] + m["rest"][:org.start - m.start("rest")])
        role = before + ("" if before.endswith(("'", "’")) else " ") + ctx.text[org.start:org.end]
        evidence = Evidence(ctx.article.source, sentence.start, sentence.end, ctx.text[sentence.start:sentence.end])
        memberships.append(Membership(person=who.ref, organization=org.ref, role=tidy(role),
                                      title=title_text(m["title"]), evidence=evidence))
    for m in P.POSSESSIVE_TITLE.finditer(ctx.text):
        sentence = ctx.sentence_at(m.start())
        before = [o for o in ctx.mentions if o.type == ORGANIZATION and sentence is not None
                  and sentence.start <= o.start and o.end <= m.start()]
        who = person(ctx, m.start("name"), m.end("name"))
        if who is None or not before or sentence is None:
            continue
        org = max(before, key=lambda o: o.end)
        title = title_text(m["title"])
        evidence = Evidence(ctx.article.source, sentence.start, sentence.end, ctx.text[sentence.start:sentence.end])
        memberships.append(Membership(person=who.ref, organization=org.ref, role=title, title=title, evidence=evidence))
    for m in P.COUNTERPART.finditer(ctx.text):
        sentence = ctx.sentence_at(m.start())
        role = last_role.get(sentence.start) if sentence else None
        if role is not None and m["adj"]:
            record(m.start("name"), m.end("name"), role.title, m["adj"], role.portfolio, None, m.start(), m.start("name"))
        else:
            person(ctx, m.start("name"), m.end("name"), nationality(m["adj"]))
    return memberships
