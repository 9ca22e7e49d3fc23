"""Who signed and what about, read from the parse of the sentence that reports a signing.

A signing predicate is found by its lemma (a verb such as "signer", or a noun such as
"signature"); its arguments are its subject, object and agent, and the nominals it or the
agreement's noun introduce with a party marker ("entre X et Y", "avec Y", "par Y"), each
with the words coordinated with it. What an agreement is about is the agreement noun's
complement introduced by a topic marker ("sur", "dans le domaine de"), or by a predicate
such as "portant sur". The words come from ontology/lexicon.<lang>.json.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..gazetteer import default_lexicon
from ..text import fold
from .syntax import Tree

LEX = default_lexicon()
SIGNING_LEMMAS = {fold(w) for w in LEX["signing_lemmas"]}
SIGNING_WITH_OBJECT = {fold(w) for w in LEX["signing_with_object"]}
SIGNING_NOUNS = {fold(w) for w in LEX["signing_nouns"]}
SIGNATORY_NOUNS = {fold(w) for w in LEX["signatory_nouns"]}
PREDICATE_NOUNS = SIGNING_NOUNS | SIGNATORY_NOUNS
PARTY_MARKERS = {fold(w) for w in LEX["party_markers"]}
TOPIC_MARKERS = {fold(w) for w in LEX["topic_markers"]}
TOPIC_PREDICATES = {fold(w) for w in LEX["topic_predicates"]}
DOMAIN_NOUNS = {fold(w) for w in LEX["domain_nouns"]}
FRAME_NOUNS = {fold(w) for w in LEX["frame_nouns"]}
DOMAIN_MARKERS = {fold(w) for w in LEX["domain_markers"]}  # "en matière de X": only before a domain noun
ANY_MARKER = TOPIC_MARKERS | DOMAIN_MARKERS | PARTY_MARKERS  # what sets a complement apart from the agreement's name
COMPLEMENT_MARKERS = {fold(w) for w in LEX["complement_markers"]} | {""}
PLACE_MARKERS = {fold(w) for w in LEX["place_markers"]}
LOCATIVE_MARKERS = {fold(w) for w in LEX["post_markers"]}
NUMBERS = {fold(w) for w in LEX["numbers"]}
INDEFINITE = {fold(w) for w in LEX["indefinite_determiners"]}
DEFINITE = {fold(w) for w in LEX["definite_determiners"]}
NAME_STOPS = {fold(w) for w in LEX["name_stops"]} | {fold(w) for w in LEX["weekdays"]}
MAX_NAME_WORDS = 14
PREDICATE_POS = ("VERB", "AUX", "ADJ")
BREAKS = (";", "-", "–", "—", ",")
TRAILING_POS = ("ADP", "DET", "CCONJ", "SCONJ", "PUNCT", "PRON", "AUX")
POINTING = {fold(w) for w in LEX["pointing_words"]}
LEADING = ("case", "det", "advmod", "punct", "cc", "nummod")  # what opens a phrase: "sur l'", "notamment"
NOMINAL_POS = ("NOUN", "PROPN", "PRON", "NUM", "X")


def kind_words(phrase: str) -> tuple[str, ...]:
    """ "protocole d'accord" -> ("protocole", "d'", "accord"): words as the tokenizer cuts them."""
    return tuple(w for part in fold(phrase).split() for w in regex.split(r"(?<=')", part) if w)


KINDS: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first word -> (words, kind), longest first
for _words, _kind in sorted(((kind_words(p), k) for p, k in LEX["agreement_kinds"].items()), key=lambda x: -len(x[0])):
    KINDS.setdefault(_words[0], []).append((_words, _kind))


@dataclass(frozen=True)
class Named:
    """An agreement named in the text: its kind, the noun that heads it, and the words of its name."""

    kind: str
    head: int
    words: list[int]
    count: int | None  # "trois accords": the token of the number
    definite: bool  # "le mémorandum", "ce document": one named before


def kinds_in(tree: Tree, start: int, end: int) -> list[Named]:
    """The agreements named in [start, end), longest kind first ("protocole d'accord" before "protocole")."""
    out: list[Named] = []
    tokens = [i for i in tree.within(start, end) if tree.tokens[i].pos != "SPACE"]
    n = 0
    while n < len(tokens):
        first = tokens[n]
        candidates = KINDS.get(tree.word(first), []) + KINDS.get(tree.lemma(first), [])
        found = next(((words, kind) for words, kind in sorted(candidates, key=lambda c: -len(c[0]))
                      if len(words) <= len(tokens) - n
                      and all(tree.word(tokens[n + k]) == w for k, w in enumerate(words) if k)), None)
        if found is None or tree.tokens[first].pos not in ("NOUN", "PROPN", "X", "VERB", "ADJ"):
            n += 1
            continue
        span = tokens[n:n + len(found[0])]
        before = first - 1 if first else None
        count = before if before is not None and (tree.tokens[before].pos == "NUM" or tree.word(before) in NUMBERS) \
            and tree.word(before) not in INDEFINITE else None
        definite = before is not None and tree.word(before) in DEFINITE
        out.append(Named(found[1], first, name_words(tree, span, end), count, definite))
        n += len(found[0])
    return out


def name_words(tree: Tree, span: list[int], end: int) -> list[int]:
    """The kind and what follows it as part of the agreement's name ("mémorandum de coopération
    dans le domaine de X"), up to a verb, a clause break, a party ("entre", "avec"), an agent,
    a time or a witness."""
    words = list(span)
    j = span[-1] + 1
    while j < len(tree.tokens) and tree.tokens[j].start < end and len(words) < len(span) + MAX_NAME_WORDS:
        t = tree.tokens[j]
        if t.pos in ("VERB", "AUX", "PRON", "SCONJ") or (t.pos == "PUNCT" and tree.word(j) not in ("-", "'")) \
                or tree.word(j) in NAME_STOPS or t.pos == "SPACE" and "\n" in tree.text[t.start:t.end]:
            break
        words.append(j)
        j += 1
    while len(words) > len(span) and tree.tokens[words[-1]].pos in TRAILING_POS:
        words.pop()
    return words


def predicates(tree: Tree, start: int, end: int, agreements: set[int] = frozenset()) -> list[int]:
    """The signing predicates of a sentence: verbs by lemma, signing nouns, and verbs that sign
    only with an agreement as their object ("échanger un mémorandum")."""
    out = []
    for i in tree.within(start, end):
        pos, lemma = tree.tokens[i].pos, tree.lemma(i)
        if (pos in PREDICATE_POS and lemma in SIGNING_LEMMAS) or (pos == "NOUN" and lemma in PREDICATE_NOUNS) \
                or (pos == "VERB" and lemma in SIGNING_WITH_OBJECT and set(tree.children(i, "obj")) & agreements):
            out.append(i)
    return out


def marked_parties(tree: Tree, i: int, deep: bool = False) -> list[int]:
    """The nominals under i that a party marker introduces, with their conjuncts: i's own
    complements, or (deep) any in its phrase, where a parser may attach "entre X et Y" to
    the last noun of a long name rather than to the agreement."""
    under = tree.subtree(i)[1:] if deep else tree.children(i, "obl", "nmod")
    return [c for k in under if tree.dep(k).split(":")[0] in ("obl", "nmod") and tree.marker(k) in PARTY_MARKERS
            for c in coordinated(tree, k)]


def coordinated(tree: Tree, k: int) -> list[int]:
    """k and its conjuncts; where the parser hung the second of "entre X et Y" on the noun
    before X, the conjuncts of that noun which follow X."""
    own = tree.conjuncts(k)
    if len(own) > 1:
        return own
    return own + [c for c in tree.children(tree.tokens[k].head, "conj") if c > k]


def with_first_conjunct(tree: Tree, k: int) -> list[int]:
    """k and its conjuncts; where "X, et Y ont signé" reaches the parser as Y alone (X hung on
    a word before it), X too: the nominal phrase that ends right before the conjunction
    opening Y, taken up to its highest head that no preposition introduces."""
    own = tree.conjuncts(k)
    cc = tree.subtree(k)[0]
    if tree.tokens[cc].pos != "CCONJ":
        cc -= 1
        while cc >= 0 and tree.dep(cc) == "punct":
            cc -= 1
    if len(own) > 1 or cc < 1 or tree.tokens[cc].pos != "CCONJ":
        return own
    j = cc - 1
    while j >= 0 and tree.tokens[j].pos == "PUNCT":
        j -= 1
    if j < 0 or tree.tokens[j].pos not in NOMINAL_POS:
        return own
    for up in tree.ancestors(j):
        if tree.tokens[up].pos not in NOMINAL_POS or tree.marker(up) or tree.subtree(up)[-1] >= cc:
            break
        j = up
    return [j, *own]


def signers(tree: Tree, start: int, end: int, agreements: set[int]) -> list[list[int]]:
    """The phrases (token lists) that name who signed in the sentence [start, end).

    `agreements` are the heads of the agreement nouns: when one of them is an argument
    ("un mémorandum ... a été signé"), only its party complements count, not its topic.
    """
    phrases: list[list[int]] = []
    for p in predicates(tree, start, end, agreements):
        if tree.tokens[p].pos == "NOUN" and tree.lemma(p) in SIGNATORY_NOUNS:
            # "les signataires étaient X et Y": what the signatories are said to be
            head = tree.tokens[p].head
            roots = tree.conjuncts(head) if tree.dep(p).startswith("nsubj") and tree.children(head, "cop") else []
        elif tree.tokens[p].pos == "NOUN":
            roots = marked_parties(tree, p)
        else:
            roots = [c for k in tree.children(p, "nsubj", "obj", "iobj") for c in with_first_conjunct(tree, k)]
            roots += [c for k in tree.children(p, "obl") if tree.dep(k) == "obl:agent" for c in tree.conjuncts(k)]
            roots += marked_parties(tree, p)
            # a name or a title the parser took for a second predicate: "par le ministre X, NAME, et la ministre Y"
            roots += [k for k in tree.children(p, "conj") if tree.tokens[k].pos in ("NOUN", "PROPN")]
        for r in roots:
            if r in agreements or tree.tokens[r].pos not in NOMINAL_POS:
                continue
            phrases.append(tree.own(r))
    for a in agreements:
        if start <= tree.tokens[a].start < end:
            phrases += [tree.own(r) for r in marked_parties(tree, a, deep=True)]
    return [continued(tree, phrase, end) for phrase in phrases]


def continued(tree: Tree, phrase: list[int], end: int) -> list[int]:
    """A list the parser broke at a semicolon or a dash ("les ministères de la Justice ; des
    Affaires étrangères ; ..."): the verbless fragments that follow the phrase belong to it."""
    phrase = list(phrase)
    nxt = phrase[-1] + 1
    while nxt < len(tree.tokens) and tree.tokens[nxt].start < end:
        if tree.tokens[nxt].pos == "PUNCT" and tree.word(nxt) in BREAKS:
            nxt += 1
            continue
        if tree.tokens[nxt].pos == "PROPN" and nxt not in phrase:  # "le président de la JICA, NAME": its name
            while nxt < len(tree.tokens) and tree.tokens[nxt].start < end and (
                    tree.tokens[nxt].pos == "PROPN" or tree.dep(nxt).startswith("flat")):
                phrase.append(nxt)
                nxt += 1
            continue
        root = tree.ancestors(nxt)[-1] if tree.ancestors(nxt) else nxt
        fragment = tree.subtree(root)
        if root in phrase or fragment[0] != nxt or tree.tokens[root].pos not in NOMINAL_POS or tree.tokens[root].head != root:
            break
        phrase += fragment
        nxt = fragment[-1] + 1
    return phrase


def topics(tree: Tree, agreement: int) -> list[list[int]]:
    """The phrases that say what the agreement headed by `agreement` is about, one per conjunct,
    without the marker and determiner that open them. The marker may hang on any noun of the
    agreement's name ("un protocole d'accord de coopération sur X"); what follows a topic with
    another marker ("sous les yeux de", "en présence de") or as a relative clause is not part of it."""
    under = tree.subtree(agreement)[1:]
    marked = {k for k in under if tree.dep(k).split(":")[0] in ("nmod", "obl") and tree.marker(k) in ANY_MARKER}
    roots = [k for k in marked if (tree.marker(k) in TOPIC_MARKERS or tree.marker(k) in DOMAIN_MARKERS
                                   and tree.lemma(k) in DOMAIN_NOUNS) and not marked & set(tree.ancestors(k))]
    for k in tree.children(agreement, "acl", "amod"):
        if tree.lemma(k) in TOPIC_PREDICATES:  # "portant sur X", "relatif à X", "concernant X"
            roots += [j for j in tree.children(k, "obl", "obj", "nmod")]
        elif tree.tokens[k].pos == "VERB" and tree.dep(k) == "acl":  # "un accord autorisant X", "convenu dans X"
            roots += [j for j in tree.children(k, "obj") if tree.tokens[j].pos in ("NOUN", "PROPN")]
            roots += [j for j in tree.children(k, "obl") if tree.marker(j) in TOPIC_MARKERS]
    for k in under:  # "..., laquelle prévoit X": a relative clause on the agreement's name
        if tree.dep(k) == "acl:relcl" and tree.lemma(k) in TOPIC_PREDICATES:
            roots += [j for j in tree.children(k, "obj") if tree.tokens[j].pos in ("NOUN", "PROPN")]
    head = tree.tokens[agreement].head  # "ont signé un mémorandum sur X" with "sur X" hung on the verb
    roots += [k for k in tree.children(head, "obl") if tree.marker(k) in TOPIC_MARKERS and head != agreement
              and tree.subtree(k)[0] == tree.subtree(agreement)[-1] + 1]
    roots += [k for r in roots for k in stray_items(tree, r)]
    roots = [r for r in roots if tree.lemma(r) not in FRAME_NOUNS]  # "dans le cadre de la visite": when, not what
    out = []
    for r in sorted(set(roots)):
        field = tree.lemma(r) in DOMAIN_NOUNS  # "dans le domaine de X et de Y": the field X et Y, as one
        if field:
            inner = tree.children(r, "nmod")
            if not inner:
                continue
            also = [c for c in tree.children(r, "conj") if c > inner[0]]  # Y hung on "domaine"
            r = inner[0]
        for c in [r] if field else tree.conjuncts(r):
            ends = ("acl:relcl", "appos", "parataxis") if field else ("conj", "acl:relcl", "appos", "parataxis")
            apart = [j for j in tree.subtree(c)[1:] if tree.dep(j) in ends
                     or (tree.dep(j).split(":")[0] in ("nmod", "obl") and tree.marker(j) not in COMPLEMENT_MARKERS)]
            phrase = tree.subtree(c, without=apart) + ([j for y in also for j in tree.subtree(y)] if field else [])
            out.append([j for j in sorted(phrase)
                        if not (tree.tokens[j].start < tree.tokens[c].start and tree.dep(j) in LEADING)
                        and not (tree.tokens[j].head == c and tree.dep(j) in ("cc", "punct") and not field)])
    return out


def stray_items(tree: Tree, r: int) -> list[int]:
    """More items of the list r opens, which the parser hung on the verb: "dans la formation,
    les échanges de X, et l'aide de Y" with "les échanges" taken for a second object."""
    j = tree.subtree(r)[-1] + 1
    while j < len(tree.tokens) and tree.word(j) == ",":
        j += 1
    if j >= len(tree.tokens):
        return []
    a = j
    while tree.tokens[a].head != a and tree.subtree(tree.tokens[a].head)[0] >= j:
        a = tree.tokens[a].head
    if tree.tokens[a].pos != "NOUN" or tree.marker(a) or tree.dep(a) not in ("obj", "conj"):
        return []
    return tree.conjuncts(a)


def field_words(tree: Tree, phrase: list[int]) -> list[int]:
    """A topic's words: without what opens a coordinated word ("X et du Y" -> "X et Y") and
    without the function words a cut left at its end."""
    conj = {j for j in phrase if tree.dep(j) == "conj"}
    words = [j for j in phrase if not (tree.dep(j) in ("case", "det") and tree.tokens[j].head in conj)]
    while words and tree.tokens[words[-1]].pos in TRAILING_POS:
        words.pop()
    return words


def points_back(tree: Tree, words: list[int]) -> bool:
    """ "ce programme", "leur coopération": a phrase that refers to something named before."""
    head = next((j for j in words if tree.tokens[j].head not in words or tree.tokens[j].head == j), words[0])
    return tree.tokens[head].pos == "PRON" or any(
        tree.dep(k) == "det" and (tree.lemma(k) in POINTING or tree.word(k) in POINTING) for k in words)


def phrase_text(tree: Tree, words: list[int]) -> str:
    """The words, spaced as in the text where they follow each other, by one space where words
    were left out or where the page had lost it ("del'Environnement" -> "de l'Environnement")."""
    out = ""
    for n, j in enumerate(words):
        if n:
            before = tree.tokens[words[n - 1]]
            gap = tree.text[before.end:tree.tokens[j].start] if j == words[n - 1] + 1 else " "
            glued = not gap and tree.text[before.end - 1].isalpha() and tree.text[tree.tokens[j].start].isalpha()
            out += " " if glued else gap
        out += tree.text[tree.tokens[j].start:tree.tokens[j].end]
    return " ".join(out.split())
