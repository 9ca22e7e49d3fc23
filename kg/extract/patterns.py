"""The regular expressions of the French rules, built once from ontology/lexicon.fr.json.

Every regex the extractors use is a named constant here; the words come from data.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

import ahocorasick
import regex

from ..gazetteer import default_lexicon

LEX = default_lexicon()
APOS = "['’‘]"


def anchor_of(phrase: str) -> str:
    """Where a match of `phrase` starts, casefolded: its first word, up to an apostrophe."""
    return regex.split(rf"\s|{APOS}", phrase.strip())[0].casefold()


class Anchored:
    """A pattern each match of which starts where one of the first words of `phrases` starts,
    in any case: `finditer` and `search` try it only there, found by one Aho-Corasick pass
    over the casefolded text, and give the pattern's own matches (tested). The big
    case-insensitive alternations the rules start with are slow to try at every position.

    Where casefolding changes the text's length (ß, ligatures, İ), character positions in
    the folded text are not the text's: the pattern's own finditer runs.
    """

    def __init__(self, pattern: regex.Pattern, phrases: Iterable[str]):
        self.pattern = pattern
        self.automaton = ahocorasick.Automaton()
        for anchor in set(map(anchor_of, phrases)):
            if not anchor:
                raise ValueError(f"a phrase of {pattern.pattern[:60]!r}... has no first word to anchor it")
            self.automaton.add_word(anchor, len(anchor))
        self.automaton.make_automaton()

    def finditer(self, text: str) -> Iterator[regex.Match]:
        folded = text.casefold()
        if len(folded) != len(text):
            yield from self.pattern.finditer(text)
            return
        match, end = self.pattern.match, 0
        for start in sorted({last - size + 1 for last, size in self.automaton.iter(folded)}):
            if start >= end:  # matches do not overlap, as the pattern's finditer gives them
                m = match(text, start)
                if m is not None:
                    end = m.end()
                    yield m

    def search(self, text: str) -> regex.Match | None:
        return next(self.finditer(text), None)


def alternation(items) -> str:
    """An alternation of phrases, longest first, spaces matching any whitespace."""
    ordered = sorted(set(items), key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(regex.escape(part).replace("'", APOS) for part in w.split()) for w in ordered)


NATIONALITY = alternation(LEX["nationalities"])
def spaced(items) -> str:
    """An alternation of words each with the space after it: none needed after an apostrophe ("l'Agence")."""
    return "(?:" + "|".join(alternation([w]) + (r"\s*" if w.endswith("'") else r"\s+")
                            for w in sorted(items, key=len, reverse=True)) + ")"


# "de la", "de l'", "des", "du", "d'", "de": the articles a complement starts with.
DE = spaced(LEX["complement_articles"])
FUNCTION = f"(?:{alternation(LEX['function_words'])})"
AND = f"(?:{alternation(LEX['conjunctions'])})"
CAP = r"\p{Lu}[\p{L}\p{M}'’\-]*"
LOW = rf"(?!{FUNCTION}\b)\p{{Ll}}[\p{{Ll}}\p{{M}}\-]*(?![\p{{Lu}}])"  # not "auVietnam": two words run together
# "des Affaires sociales", "de l'Information", "du Travail": one item of a ministry's portfolio.
ITEM = rf"{DE}(?:{CAP}|{LOW})(?:\s+{LOW}){{0,2}}"
PORTFOLIO = rf"{ITEM}(?:(?:\s*,\s*|\s+{AND}\s+|\s*,\s*{AND}\s+){ITEM})*"
PORTFOLIO_LIST = rf"{PORTFOLIO}(?:\s*;\s*(?:{AND}\s+)?{PORTFOLIO})*"

# A personal name: two to four capitalised words ("Nguyễn Mạnh Hùng", "Takaichi Sanae").
NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}?[\p{Ll}\p{M}]+)?"
NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{1,3}}"

HONORIFIC_BEFORE = rf"(?:{alternation(LEX['honorifics'])})\.?\s+"  # "M. ", "Dr " before a name
MINISTRY = regex.compile(
    rf"\b(?P<head>(?i:{alternation(LEX['ministry_heads'])}))(?:\s+(?P<adj>{NATIONALITY}))?\s+(?P<portfolio>{PORTFOLIO_LIST})", regex.V1)
HONORIFIC = regex.compile(rf"(?<![\p{{L}}])(?:{alternation(LEX['honorifics'])})\s+(?P<name>{NAME})", regex.V1)

ORG_HEAD = alternation(LEX["org_heads"])
LINK = rf"(?:{alternation(LEX['name_links'])})\s+{spaced(LEX['articles'])}?"  # "Institut de recherche sur les télécommunications"
# "Centre spatial national du Vietnam", "l'agence japonaise d'exploration spatiale": a head noun,
# adjectives, complements. Confirmed only when an acronym follows or a country closes it.
ORG_PHRASE = Anchored(regex.compile(
    rf"(?<![\p{{L}}])(?P<org>(?i:{ORG_HEAD})(?:\s+{LOW})*(?:(?:\s+{AND})?\s+(?:{DE}|{LINK})(?:{CAP}(?:[ \t-]+{CAP}){{0,3}}|{LOW})(?:\s+{LOW}){{0,2}}){{0,6}})",
    regex.V1), LEX["org_heads"])
ACRONYM_DEF = regex.compile(
    r"\s*\(\s*(?P<acr>\p{Lu}[\p{Lu}\d&]{1,9})\s*(?:[-–—,:]\s*(?P<exp>[^()\n]{3,100}?))?\s*\)")
ACRONYM = r"\p{Lu}[\p{Lu}\d&]{1,9}"
# "... du Japon" closing a portfolio or an organization's name; "de" opening a parent's name.
CLOSING_COUNTRY = regex.compile(rf"(?:^|,\s*|\s+)(?:{DE})(?P<country>{CAP}(?:\s+{CAP})?)\s*$")
COUNTRY_COMPLEMENT = regex.compile(rf"\s{DE}(?P<country>{CAP})(?=\s|$)")
NATIONALITY_WORD = regex.compile(rf"(?<![\p{{L}}])(?:{NATIONALITY})(?![\p{{L}}])", regex.V1)
NAME_COMPLEMENT = regex.compile(rf"\s{DE}{CAP}(?:[ \t-]+{CAP}){{0,3}}(?=\s|$)")  # "Université de Tokuyama"
OF = regex.compile(rf"\s*{DE}")
PORTFOLIOS_APART = regex.compile(rf"\s*;\s*(?:{AND}\s+)?")  # "des Finances ; et de l'Industrie"
# "Hanoï (VNA) - ": the dateline opening a story.
DATELINE = regex.compile(r"(?P<place>\p{Lu}[\p{L}\p{M}'’\- ]{1,40}?)\s*\((?P<agency>\p{Lu}{2,6}(?:/\p{Lu}{2,6})?)\)\s*[-–—]")
AT_PLACE = regex.compile(rf"(?<![\p{{L}}])(?:{alternation(LEX['place_markers'])})\s+(?P<place>{CAP}(?:[ \t-]+{CAP}){{0,3}})", regex.V1)

TECH_HEAD = alternation(LEX["technology_heads"])
# "la centrale de NAME", "les aéroports de NAME et de NAME": what follows names a place or a work
_CAPS = r"\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*)*"
AFTER_PLACE_HEAD = regex.compile(
    rf"(?<![\p{{L}}])(?i:{alternation(LEX['place_heads'])})s?(?:\s+\p{{Ll}}+)*"
    rf"(?:\s+{DE}\s*{_CAPS}\s*(?:,|{AND}))*\s+{DE}\s*$", regex.V1)
LEADING_HONORIFIC = regex.compile(rf"(?:{HONORIFIC_BEFORE})+", regex.V1)
TECH_NAMED = regex.compile(
    rf"(?<![\p{{L}}])(?i:{TECH_HEAD})s?\s+(?P<name>[\p{{Lu}}\d][\p{{L}}\d\-]*(?:\s+[\p{{Lu}}\d][\p{{L}}\d\-]*){{0,2}})", regex.V1)

EVENT_KIND = alternation(LEX["event_kinds"])
EVENT_NAMED = regex.compile(
    rf"(?<![\p{{L}}])(?i:{EVENT_KIND})\s+(?P<name>[\p{{Lu}}\d][\p{{L}}\d\-]*(?:\s+[\p{{Lu}}\d][\p{{L}}\d\-]*){{0,5}})"
    rf"(?:\s*\((?:{alternation(LEX['former_name_markers'])})\s+(?P<former>[^()]{{2,60}})\))?", regex.V1)

# "l'accord pourrait être signé en juin": a signing to come, which gives the agreement no date nor signatories
PLANNED = regex.compile(rf"(?<![\p{{L}}])(?i:{alternation(LEX['planned_signing'])})(?![\p{{L}}])", regex.V1)
REFERENCE = regex.compile(rf"(?<![\p{{L}}])(?i:{alternation(LEX['agreement_references'])})(?![\p{{L}}])", regex.V1)
