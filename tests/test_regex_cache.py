"""The disk cache of compiled patterns: the same pattern objects as re's compiler makes, or none at all."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import regex_cache
from kg.regex_cache import MIN_SIZE, cached_compile, compile_cache

pytestmark = pytest.mark.skipif(not regex_cache.SUPPORTED, reason="not CPython: nothing is cached")

WORDS = ["porte-monnaie", "entr'abat", "faux-vampire", "saut-de-ski", "Saint-Jean-de-Luz", "pet-en-l'air",
         "anti-japonais", "Hô-Chi-Minh-Ville", "co-signataire", "après-midi", "ALOS-2", "e-mail", "ScanSAR",
         "chef-d'œuvre", "sous-secrétaire", "vice-ministre", "Nguyễn", "-", "", "a-b-c", "ÉTATS-UNIS",
         "rendez-vous", "micro-onde", "grand'mère", "pique-niquer", "zig-zaguer", "yo-yo", "ß-ß", "İ-i"]


@pytest.fixture(scope="module")
def token_match() -> str:
    from spacy.lang.fr.tokenizer_exceptions import TOKEN_MATCH  # noqa: PLC0415 - the pattern under test

    return TOKEN_MATCH.__self__.pattern


def same_pattern(a: re.Pattern, b: re.Pattern, texts: list[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in texts:
        ma, mb = a.match(text), b.match(text)
        assert (ma and ma.span()) == (mb and mb.span()), text


def test_the_french_tokenizer_pattern_read_back_is_the_pattern_re_compiles(token_match: str, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    fresh = regex_cache._original(token_match, 0)
    cold = cached_compile(token_match, 0, tmp_path)
    assert len(list(tmp_path.iterdir())) == 1
    monkeypatch.setattr(regex_cache, "_compile_recording", lambda *a: pytest.fail("compiled again instead of read back"))
    warm = cached_compile(token_match, 0, tmp_path)
    texts = WORDS + [w.upper() for w in WORDS] + [w.title() for w in WORDS]
    same_pattern(cold, fresh, texts)
    same_pattern(warm, fresh, texts)


ALTERNATIVES = "|".join(f"(?P<g{i}>{w})" if i % 7 == 0 else f"(?:{w}[a-zé]*)" for i, w in
                        enumerate(sorted({re.escape(w) for w in WORDS if w} | {f"mot{i}" for i in range(300)})))
BIG = "(?iu)^(?:" + ALTERNATIVES + ")$"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), min_size=1, max_size=3))
def test_any_text_matches_alike(tmp_path_factory: pytest.TempPathFactory, pieces: list[str]):
    folder = tmp_path_factory.getbasetemp() / "alike"
    assert len(BIG) >= MIN_SIZE
    fresh, cached = regex_cache._original(BIG, 0), cached_compile(BIG, 0, folder)
    again = cached_compile(BIG, 0, folder)
    text = "".join(pieces)
    for pattern in (cached, again):
        m, f = pattern.match(text), fresh.match(text)
        assert (m and (m.span(), m.groupdict())) == (f and (f.span(), f.groupdict()))
        assert [x.span() for x in pattern.finditer(text)] == [x.span() for x in fresh.finditer(text)]
    assert cached.groupindex == fresh.groupindex


def test_a_damaged_or_foreign_file_is_compiled_again_and_rewritten(tmp_path: Path):
    cached_compile(BIG, 0, tmp_path)
    entry, = tmp_path.iterdir()
    good = entry.read_bytes()
    for damaged in (good[:100], b"", good[:-1] + bytes([good[-1] ^ 1]), b"\x00" * 32 + b"junk"):
        entry.write_bytes(damaged)
        same_pattern(cached_compile(BIG, 0, tmp_path), regex_cache._original(BIG, 0), WORDS)
        assert entry.read_bytes() == good


def test_small_patterns_and_bad_patterns_are_left_to_re(tmp_path: Path):
    cached_compile("[a-z]+-[a-z]+", 0, tmp_path)
    assert not list(tmp_path.iterdir())
    with pytest.raises(re.error):
        cached_compile("(" + "a" * MIN_SIZE, 0, tmp_path)
    assert not list(tmp_path.iterdir())


def test_an_unwritable_folder_only_costs_the_compile(tmp_path: Path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    same_pattern(cached_compile(BIG, 0, blocked / "regex"), regex_cache._original(BIG, 0), WORDS)


def test_what_is_recorded_is_what_re_hands_to_its_engine(tmp_path: Path):
    compiled, arguments = regex_cache._compile_recording(BIG, 0)
    assert re._compiler._sre is regex_cache._sre  # put back
    flags, code = arguments[0], arguments[1]
    assert flags == compiled.flags and all(type(op) is int for op in code)
    same_pattern(regex_cache._sre.compile(BIG, *arguments), compiled, WORDS)


def test_no_absolute_cache_folder_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("KG_CACHE_DIR", "XDG_CACHE_HOME", "HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(regex_cache.os.path, "expanduser", lambda path: path)  # no home folder to expand to
    monkeypatch.chdir(tmp_path)
    assert regex_cache.cache_dir() is None
    with compile_cache():
        assert re._compiler.compile is regex_cache._original
        same_pattern(re.compile(BIG + "(?#no home)"), regex_cache._original(BIG + "(?#no home)", 0), WORDS)
    assert not list(tmp_path.iterdir())  # no "~" folder where the build runs
    monkeypatch.setenv("KG_CACHE_DIR", "relative/folder")
    assert regex_cache.cache_dir() is None
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "abs"))
    assert regex_cache.cache_dir().parent == tmp_path / "abs" / "regex"


def test_the_block_puts_re_back_as_it_was(tmp_path: Path):
    before = re._compiler.compile
    with pytest.raises(KeyError), compile_cache(tmp_path):
        assert re._compiler.compile is not before
        raise KeyError("inside")
    assert re._compiler.compile is before


SCRIPT = """
import json, sys, time
start = time.perf_counter()
from kg.nlp import load
nlp = load()
seconds = time.perf_counter() - start
doc = nlp("Le porte-monnaie de l'entr'abat à Saint-Jean-de-Luz : M. Nguyễn Mạnh Hùng a signé avec la JAXA à Hanoï.")
print(json.dumps({"tokens": [t.text for t in doc], "ents": [(e.start_char, e.end_char, e.label_) for e in doc.ents],
                  "seconds": seconds}))
"""


def test_the_model_loads_through_the_cache_and_tokenizes_alike(tmp_path: Path):
    env = {**os.environ, "KG_CACHE_DIR": str(tmp_path)}
    runs = [json.loads(subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                                      check=True).stdout) for _ in range(2)]
    assert list((tmp_path / "regex").glob("*/*"))  # the French tokenizer's patterns were kept
    assert runs[0]["tokens"] == runs[1]["tokens"] and runs[0]["ents"] == runs[1]["ents"]
    assert "porte-monnaie" in runs[0]["tokens"] and "entr'abat" in runs[0]["tokens"]  # TOKEN_MATCH at work
