"""The dependency parse of one article, walked by index: heads, children, subtrees, conjuncts.

Relations are Universal Dependencies labels (nsubj, obj, obl:agent, nmod, appos, conj, case),
the same in every language spaCy parses; the words a rule looks for come from ontology/.
"""
from __future__ import annotations

import bisect
from collections.abc import Iterable

from ..nlp import Token
from ..text import fold

ARGUMENT_OF_CLAUSE = ("nsubj", "obj", "iobj", "obl", "ccomp", "xcomp")
NAME_PARTS = ("flat", "flat:name", "flat:foreign", "compound")


class Tree:
    """Tokens with their children; every question takes token indexes or character offsets."""

    def __init__(self, text: str, tokens: tuple[Token, ...]):
        self.text = text
        self.tokens = tokens
        self.starts = [t.start for t in tokens]
        # each token's word and lemma, folded (lower case, no accents), as the rules compare them
        folded = fold(text)  # of the same length as the text
        self.words = [folded[t.start:t.end] for t in tokens]
        lemmas: dict[str, str] = {}
        self.lemmas = [lemmas.get(t.lemma) or lemmas.setdefault(t.lemma, fold(t.lemma)) for t in tokens]
        self.kids: list[list[int]] = [[] for _ in tokens]
        for i, t in enumerate(tokens):
            if t.head != i:
                self.kids[t.head].append(i)

    def within(self, start: int, end: int) -> range:
        """The tokens that lie inside [start, end)."""
        return range(bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end))

    def head(self, start: int, end: int) -> int | None:
        """The token of a span whose head lies outside it: what the span is, to the parse."""
        inside = self.within(start, end)
        return next((i for i in inside if self.tokens[i].head not in inside or self.tokens[i].head == i), None)

    def lemma(self, i: int) -> str:
        return self.lemmas[i]

    def dep(self, i: int) -> str:
        return self.tokens[i].dep

    def children(self, i: int, *deps: str) -> list[int]:
        """Children of i whose relation is one of deps, or a subtype of one ("obl" takes "obl:agent")."""
        return [k for k in self.kids[i] if not deps or self.tokens[k].dep in deps
                or self.tokens[k].dep.split(":")[0] in deps]

    def subtree(self, i: int, without: Iterable[int] = ()) -> list[int]:
        """i and every token below it, in text order, leaving out the branches under `without`."""
        skip, out, todo = set(without), [], [i]
        while todo:
            j = todo.pop()
            out.append(j)
            todo.extend(k for k in self.kids[j] if k not in skip)
        return sorted(out)

    def extent(self, indexes: list[int]) -> tuple[int, int]:
        return self.tokens[indexes[0]].start, self.tokens[indexes[-1]].end

    def conjuncts(self, i: int) -> list[int]:
        """i and the words coordinated with it ("le Japon et le Vietnam", "A, B et C")."""
        out, todo = [], [i]
        while todo:
            j = todo.pop()
            out.append(j)
            todo.extend(self.children(j, "conj"))
        return sorted(out)

    def own(self, i: int) -> list[int]:
        """i's phrase without the words coordinated with it, nor the commas and conjunctions between."""
        conj = self.children(i, "conj")
        phrase = self.subtree(i, without=conj)
        return [j for j in phrase if j == i or self.tokens[j].dep not in ("cc", "punct") or self.tokens[j].head != i
                or self.tokens[j].start < self.tokens[i].start]

    def marker(self, i: int) -> str:
        """The preposition(s) that introduce a nominal ("entre", "avec", "par"), folded, in order.
        Their words, not their lemmas: a lemmatizer may take a preposition for a verb's form."""
        return " ".join(self.word(k) for k in self.children(i, "case"))

    def word(self, i: int) -> str:
        return self.words[i]

    def ancestors(self, i: int) -> list[int]:
        out = []
        while self.tokens[i].head != i and len(out) < len(self.tokens):
            i = self.tokens[i].head
            out.append(i)
        return out
