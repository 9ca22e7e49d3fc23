"""The language of an article's text, where its sidecar does not give one.

Japanese and Chinese by their scripts; French, English and Vietnamese by the share of their
stop words (spaCy's own lists) among the text's words. No model, no download: a news article
has enough function words, a headline alone may not (then the answer is None).
"""
from __future__ import annotations

from functools import lru_cache

import regex

WORD = regex.compile(r"[\p{L}'’]+")
KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
HAN = regex.compile(r"\p{Han}")
LETTER = regex.compile(r"\p{L}")
MIN_WORDS = 20  # fewer words than this: too few to tell
MIN_SHARE = 0.15  # of the words, in the winning language's stop list
MIN_LEAD = 1.5  # the winner's share over the runner-up's


@lru_cache(maxsize=1)
def stop_words() -> dict[str, frozenset[str]]:
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.fr.stop_words import STOP_WORDS as FR
    from spacy.lang.vi.stop_words import STOP_WORDS as VI

    syllables = {s for w in VI for s in w.split("_") if s}  # Vietnamese stop words are syllables joined by "_"
    return {"fr": frozenset(FR), "en": frozenset(EN), "vi": frozenset(syllables)}


def detect(text: str) -> str | None:
    """The language tag of `text`, or None when it cannot tell.

    >>> detect("Le Japon et le Vietnam ont signé lundi à Hanoï un mémorandum de coopération dans le "
    ...        "domaine de l'information et de la communication, a annoncé le ministère, qui a précisé que "
    ...        "les deux parties coopéreront aussi dans la cybersécurité.")
    'fr'
    >>> detect("日本とベトナムは月曜日、ハノイで情報通信分野の協力覚書に署名した。")
    'ja'
    >>> detect("Vietnam and Japan")
    """
    letters = len(LETTER.findall(text))
    if letters and len(KANA.findall(text)) / letters > 0.05:
        return "ja"
    if letters and len(HAN.findall(text)) / letters > 0.3:
        return "zh"
    words = [w.lower().replace("’", "'") for w in WORD.findall(text)]
    if len(words) < MIN_WORDS:
        return None
    shares = sorted(((sum(w in stops for w in words) / len(words), lang) for lang, stops in stop_words().items()),
                    reverse=True)
    (best, lang), (second, _) = shares[0], shares[1]
    return lang if best >= MIN_SHARE and best >= MIN_LEAD * second else None
