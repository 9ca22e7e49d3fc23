"""Names in a language read without a parse (English): a name is a run of capitalised words
joined by a few lower-case links ("Ministry of Information and Communications"). What a run
is comes from its words: a title ("Deputy Director General") splits it into a body, the title
and a person; a head noun ("Agency", "Prefecture", "Summit") gives its type; an honorific
("Mr.") or a family name makes it a person. The words come from
ontology/lexicon.<language>.json: this code knows none of them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import regex

from ..gazetteer import default_lexicon
from ..models import COUNTRY, EVENT, ORGANIZATION, PLACE
from ..text import fold, key, tidy
from .entities import Context, gaz_mention, make, org_ref, person
from .patterns import alternation

CAP = r"\p{Lu}[\p{L}\p{M}\d]*(?:-[\p{L}\p{M}\d]+)*"
NUMBER = r"\d+(?![\d,.]\d)"
GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # a line may break inside a name
NAME_WORD = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}?[\p{Ll}\p{M}]+)?")
ACRONYM = regex.compile(r"\p{Lu}[\p{Lu}\d&]*\p{Lu}[\p{Lu}\d&]*|\p{Lu}\p{Ll}?\p{Lu}\p{L}*")  # "JAXA", "MoLISA", "MoU"
ACRONYM_AFTER = regex.compile(r"\s*\(\s*(?P<acr>\p{Lu}[\p{L}\d&]{1,9})\s*\)")
NAME_SIZES = (2, 4)


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str
    link: str  # the lower-case words between it and the word before ("of the"), folded


class Words:
    """The patterns of one language's capitalised names."""

    def __init__(self, lex: dict):
        self.lex = lex
        links = alternation(lex["name_links"])
        self.run = regex.compile(
            rf"(?<![\p{{L}}\p{{N}}])(?:{CAP})(?:(?:{GAP}(?:(?:{links}){GAP})?|[ \t]*,{GAP}(?:(?:{links}){GAP})?)(?:{CAP})|{GAP}{NUMBER})*")
        self.word = regex.compile(rf"{CAP}|{NUMBER}")
        self.honorific = regex.compile(
            rf"(?<![\p{{L}}])(?:{alternation(lex['honorifics'])})(?:\s+|(?=\p{{Lu}}))(?:(?:{alternation(lex['honorifics'])})\s+)*$")
        self.stops = set(lex["not_name_start"])
        self.calendar = set(lex["months"]) | set(lex["weekdays"])
        self.nationalities = {fold(k): v for k, v in lex["nationalities"].items()}
        self.nationality_word = regex.compile(rf"(?<![\p{{L}}])(?:{alternation(lex['nationalities'])})(?![\p{{L}}])")
        self.surnames = {fold(s) for s in lex["vietnamese_surnames"]}
        self.titles = sorted((tuple(t.split()) for t in lex["title_nouns"]), key=len, reverse=True)
        self.title_words = {word for title in self.titles for word in title}
        self.modifiers = set(lex["title_modifiers"])
        self.org_heads = set(lex["org_heads"])
        self.government_heads = set(lex["government_heads"])
        self.place_heads = {tuple(h.split()) for h in lex["place_heads"]}
        self.event_kinds = set(lex["event_kinds"])
        self.ministry_titles = set(lex["ministry_titles"])
        self.government_titles = lex["government_titles"]
        self.and_word = fold(lex["and_word"])  # what joins the items of a list
        self.of_word = lex["of_word"]  # what opens a complement: "Ministry of Health"
        self.of_links = {fold(w) for w in lex["name_links"] if not w.startswith(self.and_word)}

    def title_at(self, words: list[Word], i: int) -> int:
        """The end of a title that starts at words[i] ("Deputy Director General"), or i."""
        j = i
        while j < len(words) and words[j].text in self.modifiers and (j == i or not words[j].link):
            j += 1
        for title in self.titles:
            if tuple(w.text for w in words[j:j + len(title)]) == title \
                    and not any(w.link for w in words[j + 1:j + len(title)]) and (j == i or not words[j].link):
                k = j + len(title)
                while k < len(words) and words[k].text in self.modifiers and not words[k].link:
                    k += 1
                return k
        return i


@lru_cache(maxsize=None)
def words_of(language: str) -> Words:
    return Words(default_lexicon(language))


def runs(ctx: Context, w: Words) -> list[list[Word]]:
    """Every run of capitalised words in the article, cut into its words, each with the link before it."""
    out = []
    for m in w.run.finditer(ctx.text):
        parts, last = [], None
        for word in w.word.finditer(m.group()):
            between = " ".join(fold(m.group()[last:word.start()]).replace(",", " , ").split()) if last is not None else ""
            parts.append(Word(m.start() + word.start(), m.start() + word.end(), word.group(), between))
            last = word.end()
        out += split_lists(parts, w)
    return out


def split_lists(run: list[Word], w: Words) -> list[list[Word]]:
    """A run cut where "and" or a comma joins two names ("Vietnam and Japan", "Petrolimex and the
    JCCP", "Hung and Minister X"), not inside a complement ("Ministry of Science and Technology",
    "Department of Labor, Tourism, and Trade") nor a portfolio before a title ("Science and
    Technology Minister")."""
    parts: list[list[Word]] = [[]]
    for i, word in enumerate(run):
        links = word.link.split()
        listed = bool(links) and (links[0] in (",", w.and_word))
        if i and fold(word.text) in w.calendar:  # "... Health on February 12": a date ends the name
            parts.append([])
            continue
        if not parts[-1]:
            parts[-1].append(unlinked(word))
            continue
        if i and listed and (links[-1] not in (",", w.and_word)  # "and the JCCP": a name of its own
                             or opens_name(run[i:], w) or ACRONYM.fullmatch(word.text)
                             or not (complement(parts[-1], w) or titled_ahead(parts[-1], run[i:], w))):
            parts.append([unlinked(word)])
        else:
            parts[-1].append(word)
    return [p for p in parts if p]


def opens_name(rest: list[Word], w: Words) -> bool:
    """Whether a title, a nationality or a family name opens these words: another name begins."""
    first = rest[0].text
    return w.title_at(rest, 0) > 0 or fold(first) in w.nationalities or fold(first) in w.surnames


def complement(part: list[Word], w: Words) -> bool:
    """Whether the words so far open a complement ("... of Science") that "and" may go on."""
    return any(word.link in w.of_links for word in part[1:])


def titled_ahead(part: list[Word], rest: list[Word], w: Words) -> bool:
    """ "Science and Technology Minister": a title close after "and" joins the portfolio to it."""
    return any(w.title_at(rest, k) > k for k in range(1, min(3, len(rest)))) \
        and not any(w.title_at(part, k) > k for k in range(len(part)))


def name_tail(run: list[Word], w: Words) -> int | None:
    """Where the person's name that ends a run starts ("Minister of Health Le Quang Cuong"):
    at a family name among the last words, else the last two words; None if they are no name."""
    size = 0
    while size < min(len(run), NAME_SIZES[1]) and not (size and run[-size].link) and NAME_WORD.fullmatch(run[-size - 1].text) \
            and not is_head(run[-size - 1].text, w):
        size += 1
    if size < NAME_SIZES[0]:
        return None
    tail = run[-size:]
    at = next((i for i, word in enumerate(tail[:-1]) if fold(word.text) in w.surnames), None)
    if at is not None:
        return len(run) - size + at
    return len(run) - NAME_SIZES[0] if len(run) > NAME_SIZES[0] or size == len(run) else None


def is_head(word: str, w: Words) -> bool:
    return word in w.org_heads or word in w.event_kinds or (word,) in w.place_heads or word in w.stops \
        or word in w.modifiers or word in w.title_words


def span_text(ctx: Context, words: list[Word]) -> str:
    return tidy(ctx.text[words[0].start:words[-1].end])


def has_honorific(ctx: Context, start: int, w: Words) -> bool:
    return w.honorific.search(ctx.text, max(0, start - 30), start) is not None


def trim(run: list[Word], w: Words) -> tuple[list[Word], str | None]:
    """The run without the sentence words that open it ("The", "On") and without a nationality
    before its name ("Vietnamese"), which is returned."""
    while run and (run[0].text in w.stops or run[0].text.rstrip(".") in w.lex["honorifics"]):
        run = from_second(run)
    adjective = None
    if len(run) > 1 and fold(run[0].text) in w.nationalities:
        adjective = w.nationalities[fold(run[0].text)]
        run = from_second(run)
    return run, adjective


def unlinked(word: Word) -> Word:
    """The word as the first of a name: no link before it."""
    return replace(word, link="")


def from_second(run: list[Word]) -> list[Word]:
    """The run without its first word."""
    return [unlinked(run[1]), *run[2:]] if len(run) > 1 else []


def organization(ctx: Context, words: list[Word], country: str | None, w: Words):
    """An organization named by words: the gazetteer's, one already found there, or a new one."""
    start, end = words[0].start, words[-1].end
    found = ctx.at(start, end, (ORGANIZATION,))
    if found:
        return max(found, key=lambda m: m.end - m.start)
    label = span_text(ctx, words)
    if label in ctx.acronyms:
        return ctx.acronyms[label]
    closing = None
    if len(words) > 1 and words[-1].link in w.of_links:  # "... Group of Japan": whose, not its name
        closing = ctx.gazetteer.lookup(words[-1].text, COUNTRY)
        country = country or (closing.id if closing is not None else None)
    entry = ctx.gazetteer.lookup(label, ORGANIZATION, country)
    sentence = ctx.sentence_at(start)
    if sentence is None:
        return None
    after = ACRONYM_AFTER.match(ctx.text, end)
    aliases = (label,) + ((after["acr"],) if after else ())
    if entry is not None:
        mention = gaz_mention(ctx, entry, start, end, sentence, aliases=aliases)
    else:
        if closing is not None and ctx.gazetteer.lookup(label, ORGANIZATION) is None:
            label = span_text(ctx, words[:-1])
        government = words[0].text in w.government_heads
        mention = make(ctx, ORGANIZATION, start, end, label, org_ref(label, country), country=country,
                       government=government, aliases=aliases)
    ctx.add(mention)
    if mention is not None and after is not None:
        ctx.acronyms[after["acr"]] = mention
    return mention


def classify(ctx: Context, run: list[Word], w: Words) -> None:
    """A run with no title: an organization, a place, an event or a person, by its words."""
    run, adjective = trim(run, w)
    if not run or any(w.title_at(run, i) > i for i in range(len(run))):
        return  # a title's run: the roles read it
    start, end = run[0].start, run[-1].end
    texts = [x.text for x in run]
    if any(t in w.org_heads for t in texts[1:] if t not in w.lex["honorifics"]) or (texts[0] in w.org_heads and len(run) > 1):
        organization(ctx, run, adjective, w)
        return
    after = ctx.text[end:end + 20].split()[:1]
    if (tuple(texts[-1:]) in w.place_heads and len(run) > 1) or (after and (after[0],) in w.place_heads):
        if not any(m.start <= start and end <= m.end for m in ctx.at(start, end, (COUNTRY, PLACE, ORGANIZATION))):
            stop = end if tuple(texts[-1:]) in w.place_heads else end + ctx.text[end:].index(after[0]) + len(after[0])
            ctx.add(make(ctx, PLACE, start, stop, tidy(ctx.text[start:stop]), "place:" + key(ctx.text[start:stop])))
        return
    if any(t in w.event_kinds for t in texts) and len(run) > 1:
        label = span_text(ctx, run)
        ctx.add(make(ctx, EVENT, start, end, label, "event:" + key(label)))
        return
    if all(NAME_WORD.fullmatch(t) for t in texts) and NAME_SIZES[0] <= len(run) <= NAME_SIZES[1] \
            and (has_honorific(ctx, start, w) or fold(texts[0]) in w.surnames) and not any(is_head(t, w) for t in texts):
        person(ctx, start, end, adjective)

