"""The gazetteer scan: names found where they stand alone, longest first, offsets into the text.

`reference_scan` is the rule written as one regular expression (the scan's first form);
the Aho-Corasick scan must find exactly the same hits on real and hostile text.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.gazetteer import Gazetteer, Hit, default_gazetteer, load_gazetteer
from kg.text import fold, key

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def alternation(words: list[str]) -> regex.Pattern | None:
    if not words:
        return None
    parts = [r"\s+".join(regex.escape(w) for w in word.split()) for word in words]
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(parts) + r")(?![\p{L}\p{N}]|-\p{L})")


def reference_scan(gaz: Gazetteer, text: str) -> list[Hit]:
    words = sorted({fold(n) for es in gaz._by_key.values() if len(es) == 1 for n in es[0].names
                    if n not in es[0].acronyms and not _acronym(n)}, key=lambda w: (-len(w), w))
    acronyms = sorted({n for es in gaz._by_key.values() if len(es) == 1 for n in es[0].names
                       if n in es[0].acronyms or _acronym(n)}, key=lambda w: (-len(w), w))
    hits = []
    for pattern, haystack in ((alternation(words), fold(text)), (alternation(acronyms), text)):
        if pattern is None:
            continue
        for m in pattern.finditer(haystack):
            entries = gaz._by_key.get(key(text[m.start():m.end()]), [])
            if len(entries) == 1:
                hits.append(Hit(m.start(), m.end(), entries[0]))
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    for hit in hits:
        if not kept or hit.start >= kept[-1].end:
            kept.append(hit)
    return kept


def _acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and " " not in name


def found(hits: list[Hit], text: str) -> list[tuple[str, str]]:
    return [(text[h.start:h.end], h.entry.id) for h in hits]


def test_names_are_found_across_accents_case_and_line_breaks():
    gaz = default_gazetteer()
    text = "Le ministre a reçu l'agence JAXA à HANOÏ puis à Hô\n  Chi  Minh-Ville, avec la Jica."
    got = {span for span, _ in found(gaz.scan(text), text)}
    assert {"JAXA", "HANOÏ"} <= got
    assert any(span.startswith("Hô\n") for span in got)  # whitespace runs inside a name
    for hit in gaz.scan(text):
        assert key(text[hit.start:hit.end]) in {key(n) for n in hit.entry.names}


def test_a_name_glued_to_a_letter_or_a_hyphenated_word_is_not_a_name():
    gaz = default_gazetteer()
    for text in ("XJAXA", "JAXAs", "Japon-Vietnam", "2Japon"):
        assert not [h for h in gaz.scan(text) if text[h.start:h.end].lower().startswith(("jaxa", "japon"))], text
    assert found(gaz.scan("Japon."), "Japon.")[0][0] == "Japon"


def test_same_hits_as_the_regular_expression_on_every_corpus_article():
    paths = sorted(CORPUS.glob("*/articles/*")) + sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*"))
    if not paths:
        pytest.skip("no corpus beside the repository")
    gaz = default_gazetteer()
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert found(gaz.scan(text), text) == found(reference_scan(gaz, text), text), path.name


NAMES = ["Japon", "JAXA", "Hô Chi Minh-Ville", "Hanoï", "Nguyễn Mạnh Hùng", "VNSC", "ALOS-2", "Banque mondiale"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(NAMES), st.sampled_from([" ", "  ", "\n", "\t\n ", "-", "x", "é", "2", ".",
                                                                    "’", "\u00a0", "ß", "İ", "\u200b"]),
                          st.text(max_size=4)), max_size=30))
@example(["Japon", "\U00018d80"])  # a letter in recent Unicode, unassigned in Python 3.11's tables
@example(["JAXA", "\u00b2"])  # a superscript digit
def test_same_hits_as_the_regular_expression_on_hostile_text(pieces):
    text = "".join(pieces)
    gaz = default_gazetteer()
    assert found(gaz.scan(text), text) == found(reference_scan(gaz, text), text)


def test_a_small_gazetteer_finds_the_longest_name(tmp_path: Path):
    path = tmp_path / "g.jsonl"
    path.write_text('{"id": "jp", "type": "Country", "labels": {"fr": "Japon"}}\n'
                    '{"id": "bj", "type": "Organization", "labels": {"fr": "Banque du Japon"}}\n'
                    '{"id": "bm", "type": "Organization", "labels": {"fr": "Banque mondiale"}, "acronyms": ["BM"]}\n',
                    encoding="utf-8")
    gaz = load_gazetteer(path)
    text = "La Banque du  Japon et la BM, au Japon; pas la bm."
    assert found(gaz.scan(text), text) == [("Banque du  Japon", "bj"), ("BM", "bm"), ("Japon", "jp")]
    assert found(gaz.scan(text), text) == found(reference_scan(gaz, text), text)


# --- provinces and prefectures (ontology/places.jsonl, made by scripts/make_places.py) ------

@pytest.mark.parametrize(("name", "country"), [
    ("Lai Châu", "vietnam"), ("Vinh Phuc", "vietnam"), ("Bà Rịa–Vũng Tàu", "vietnam"),
    ("Fukuoka", "japan"), ("Hokkaido", "japan"), ("Okinawa", "japan"),
])
def test_provinces_and_prefectures_are_places_of_their_country(name: str, country: str) -> None:
    entry = default_gazetteer().lookup(name)
    assert entry is not None and entry.type == "Place" and entry.country == country


@pytest.mark.parametrize(("name", "expected"), [("Ukraine", "ukraine"), ("Kazakhstan", "kazakhstan"),
                                               ("Hoa Kỳ", "united-states"), ("ミャンマー", "myanmar")])
def test_countries_in_every_language_of_the_graph(name: str, expected: str) -> None:
    entry = default_gazetteer().lookup(name)
    assert entry is not None and entry.type == "Country" and entry.id == expected


def test_a_country_named_by_a_common_word_is_left_out() -> None:
    text = "La réunion des ministres a eu lieu avec une grenade sur la table."
    assert not [hit for hit in default_gazetteer().scan(text) if hit.entry.type == "Country"]


def test_a_city_the_hand_kept_gazetteer_knows_is_not_made_again() -> None:
    gaz = default_gazetteer()
    assert gaz.lookup("Hanoi").id == "hanoi"
    assert gaz.lookup("Hồ Chí Minh") is None or gaz.lookup("Hồ Chí Minh").type != "Place"  # also a person's name


def test_the_generated_places_are_what_the_script_makes(repo: Path, tmp_path: Path) -> None:
    pytest.importorskip("pycountry")
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "repo"
    shutil.copytree(repo / "scripts", copy / "scripts")
    shutil.copytree(repo / "ontology", copy / "ontology")
    shutil.copytree(repo / "kg", copy / "kg")
    (copy / "ontology" / "places.jsonl").unlink()
    subprocess.run([sys.executable, str(copy / "scripts" / "make_places.py")], check=True, capture_output=True)
    assert (copy / "ontology" / "places.jsonl").read_bytes() == (repo / "ontology" / "places.jsonl").read_bytes()
