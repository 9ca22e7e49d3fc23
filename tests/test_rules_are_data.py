"""The words of a language live in ontology/lexicon.<lang>.json: the extractors in kg/extract/
hold the mechanism only, so that adding a language adds data, not code."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parents[1]
# Universal Dependencies and part-of-speech labels are the parse's vocabulary, the same in
# every language, even where they spell a French word ("AUX").
UD = {"AUX", "DET", "ADP", "NOUN", "PROPN", "VERB", "ADJ", "PRON", "NUM", "PUNCT", "CCONJ", "SCONJ", "SPACE", "PER",
      "ORG", "LOC", "MISC"}


def lexicon_words() -> set[str]:
    """The French words of the lexicon: its lists, the keys of its tables (their values are
    identifiers: a kind, a country, a number) and its single words. Its own keys are names."""
    data = json.loads((ROOT / "ontology" / "lexicon.fr.json").read_text(encoding="utf-8"))
    phrases: list[str] = []
    for name, value in data.items():
        if name.startswith("_") or name == "abbreviations":  # where sentences do not end ("M."): read by kg/nlp.py
            continue
        phrases += [value] if isinstance(value, str) else list(value)
    return {w.casefold() for phrase in phrases for w in regex.findall(r"\p{L}{2,}", phrase)}


def string_constants(path: Path) -> list[tuple[int, str]]:
    """The string literals of a module, docstrings left out (they explain, they are no rule)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_french_word_in_the_rules():
    french = lexicon_words()
    assert {"ministère", "signer", "entre", "de"} <= french
    found = []
    for path in sorted((ROOT / "kg" / "extract").glob("*.py")):
        for line, text in string_constants(path):
            words = {w for w in regex.findall(r"\p{L}{2,}", text) if w not in UD}
            hits = sorted(w for w in words if w.casefold() in french)
            if hits:
                found.append(f"{path.relative_to(ROOT)}:{line}: {hits} in {text[:60]!r}")
    assert not found, "words of a language written in the rules:\n" + "\n".join(found)
