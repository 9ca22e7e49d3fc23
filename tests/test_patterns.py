"""kg/extract/patterns.py: the rules anchored on their first words find exactly what the
patterns find when tried at every position, whatever the case, spacing or Unicode."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.extract import patterns as P

ANCHORED = {"ORG_PHRASE": "org_heads"}
# Characters whose case folding is special: several characters (ß, ligatures, İ), another
# letter (ſ, the Kelvin sign, final sigma), or none at all.
ODD = ["ß", "ẞ", "ﬁ", "ﬀ", "İ", "ı", "ſ", "\u212a", "ς", "Σ", "ŉ", "ǰ", "\u0301", "’", "'", "-", "\u00a0", "\n", "\t"]
WORDS = ["de", "du", "la", "l'", "d’", "et", "le", "Vietnam", "Japon", "Nguyễn", "Mạnh", "Hùng", "Takaichi", "Sanae",
         "(JAXA)", "(VNSC - Vietnam National Space Center)", "vietnamien", "japonaise", "spatiale", "national", ",", ".",
         "entre", "signé", "le 9 janvier", "Information", "Communication"]


def phrases() -> list[str]:
    return sorted({p for key in ANCHORED.values() for p in P.LEX[key]})


def cased(word: str, how: int) -> str:
    return (word, word.upper(), word.lower(), word.title(), word.swapcase())[how]


pieces = st.one_of(
    st.builds(cased, st.sampled_from(phrases()), st.integers(0, 4)),
    st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=3),
)
texts = st.lists(st.tuples(pieces, st.sampled_from([" ", "", "  ", "\n", "-", "’"])), max_size=14).map(
    lambda parts: "".join(p + sep for p, sep in parts))


def found(matches) -> list:
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.mark.parametrize("name", sorted(ANCHORED))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts)
@example(text="le vice-ministre Nguyễn Văn A et le ministre Takaichi Sanae")
@example(text="Straße: Agence Spatiale du Japon (JAXA)")  # folding lengthens the text: the pattern's own finditer
@example(text="ſecrétaire général Tran Van B")  # ſ folds to s
@example(text="l’INSTITUT de recherche du Vietnam (IRV) et le Mémorandum d'accord")
def test_anchored_patterns_find_what_the_pattern_finds(name: str, text: str) -> None:
    anchored = getattr(P, name)
    assert found(anchored.finditer(text)) == found(anchored.pattern.finditer(text))
    first, plain = anchored.search(text), anchored.pattern.search(text)
    assert (first and first.span()) == (plain and plain.span())


@pytest.fixture(scope="module")
def articles(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The seeds and 80 articles of the benchmark's synthetic corpus."""
    from benchmarks.corpus import generate

    folder = tmp_path_factory.mktemp("corpus")
    generate(80, folder)
    return [f.read_text(encoding="utf-8") for d in (repo / "seeds", folder) for f in sorted(d.glob("*.txt"))]


@pytest.mark.parametrize("name", sorted(ANCHORED))
def test_anchored_patterns_on_articles(name: str, articles: list[str]) -> None:
    anchored = getattr(P, name)
    total = 0
    for text in articles:
        got = found(anchored.finditer(text))
        assert got == found(anchored.pattern.finditer(text))
        total += len(got)
    assert total > 0


def test_a_phrase_without_a_first_word_is_refused() -> None:
    with pytest.raises(ValueError, match="no first word"):
        P.Anchored(P.ORG_PHRASE.pattern, ["Agence", " "])


def test_no_character_matches_an_anchor_letter_without_folding_to_it() -> None:
    """What the anchored search relies on: a character that a rule's case-insensitive words
    match in place of a letter of their first words folds to that letter (or to several
    characters, where the pattern's own finditer runs), in the regex module's tables."""
    letters = sorted({c for key in ANCHORED.values() for phrase in P.LEX[key] for c in P.anchor_of(phrase)})
    same_letter = regex.compile("(?i:[" + "".join(map(regex.escape, letters)) + "])", regex.V1)
    odd = [hex(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF
           and same_letter.fullmatch(chr(cp)) and len(chr(cp).casefold()) == 1 and chr(cp).casefold() not in letters]
    assert odd == []
