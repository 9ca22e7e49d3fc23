"""write_turtle(triples, prefixes) -> str: deterministic, readable Turtle, fast.

The same set of triples gives the same bytes whatever the insertion order, the
iteration order or PYTHONHASHSEED. Only IRIs and literals (no blank nodes: see
docs/graph-model.md); anything else raises ValueError.

Order
    * ``@prefix`` lines for the prefixes the body uses, by prefix name, then a blank line;
    * subjects by IRI (code point order of the IRI string), one block each, blank lines between;
    * in a subject: rdf:type first (written ``a``), then the other predicates by IRI;
    * under a predicate: IRIs before literals; IRIs by IRI; literals by lexical form, then
      datatype IRI (none for plain, xsd:string and language-tagged literals), then language tag;
    * a triple given twice is written once (so are "x" and "x"^^xsd:string, "x"@EN and "x"@en).

Terms
    * an IRI is ``prefix:local`` when it is a namespace of `prefixes` (the longest that fits)
      followed by a local part matching ``[A-Za-z_][A-Za-z0-9_-]*``; otherwise ``<IRI>``.
      IRIs must be absolute and free of the characters IRIREF forbids (space, controls,
      ``<>"{}|^`\\``): ValueError otherwise, nothing is %-encoded or escaped;
    * a literal is ``"lexical"`` (plain or xsd:string), ``"lexical"@lang`` (tag in lower case)
      or ``"lexical"^^datatype`` for every other datatype, xsd:integer included: no bare
      numbers or booleans, so what is read back is exactly what was written;
    * in a lexical form ``\\``, ``"``, line feed, carriage return and tab become ``\\\\ \\" \\n \\r \\t``,
      the other controls U+0000-U+001F and U+007F become ``\\uXXXX``; every other character,
      non-ASCII included, is written as is (the text is meant to be encoded as UTF-8).
      Lone surrogates cannot be encoded: ValueError.

Speed: each distinct term is checked and formatted once (dict caches, IRIs checked all at once
at the end); per triple there are a few dict look-ups, and sorting happens per subject. A plain
rdflib Graph alone on its in-memory store is written from the store's subject -> predicate ->
object index, already grouped (a look-up per subject and per predicate, not per triple), rather
than by iterating the graph, which alone costs more than the writing (rdflib builds each triple
through generators and context bookkeeping). Any other
iterable is grouped by subject here. The annotation records of a kg.triples.Triples (nine
triples in ten of a build) are written from a template, four blocks at a time, with no look-up
per triple. benchmarks/turtle_benchmark.py has the figures.
"""
from __future__ import annotations

import re
from collections.abc import Container, Iterable, Iterator, Mapping
from itertools import chain, filterfalse, islice, repeat
from operator import attrgetter, itemgetter, methodcaller
from pathlib import Path
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from . import triples as t
from .memory import gc_paused
from .triples import PARTS, Annotation, Triples, part
from .vocab import PREFIXES

__all__ = ["write_turtle"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Absolute IRI (scheme ':' ...) with none of the characters IRIREF excludes; UCHAR escapes are not produced.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
IRI = re.compile(SCHEME.pattern + r'[^\x00-\x20<>"{}|^`\\]*')
FORBIDDEN_IN_IRI = re.compile(r'[\x00-\x09\x0b-\x20<>"{}|^`\\]')  # as IRI's, but for the line feed that joins them
NOT_ABSOLUTE = re.compile(rf"\n(?!{SCHEME.pattern})")  # a line feed leads the search: a fast scan for it
LANGTAG = re.compile(r"[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
PREFIX_NAME = re.compile(r"(?:[A-Za-z](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)?")  # PN_PREFIX, conservative; '' is ':'
LOCAL_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
LOCAL_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")

ESCAPES = {code: f"\\u{code:04X}" for code in range(0x20)}
ESCAPES.update({0x7F: "\\u007F", ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
NEEDS_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\\ud800-\udfff]')
SURROGATE = re.compile("[\ud800-\udfff]")

# The IRIs an annotation's blocks write besides its own (kg/triples.py), as strings.
ANNOTATION, DESCRIBING, SPECIFIC_RESOURCE = str(t.ANNOTATION), str(t.DESCRIBING), str(t.SPECIFIC_RESOURCE)
POSITION_SELECTOR, QUOTE_SELECTOR = str(t.POSITION_SELECTOR), str(t.QUOTE_SELECTOR)
HAS_BODY, HAS_TARGET, MOTIVATED_BY = str(t.HAS_BODY), str(t.HAS_TARGET), str(t.MOTIVATED_BY)
HAS_SELECTOR, HAS_SOURCE, START, END, EXACT = str(t.HAS_SELECTOR), str(t.HAS_SOURCE), str(t.START), str(t.END), str(t.EXACT)
NON_NEGATIVE = str(t.NON_NEGATIVE)
TEMPLATE_TERMS = (ANNOTATION, DESCRIBING, SPECIFIC_RESOURCE, POSITION_SELECTOR, QUOTE_SELECTOR, HAS_BODY, HAS_TARGET,
                  MOTIVATED_BY, HAS_SELECTOR, HAS_SOURCE, START, END, EXACT, NON_NEGATIVE)

ANNOTATION_IRI, BODY, SOURCE = attrgetter("iri"), attrgetter("body"), attrgetter("source")

OBJECTS = ",\n        "
PREDICATES = " ;\n    "


def escape(lexical: str) -> str:
    r"""A literal's lexical form as the inside of a Turtle "..." string.

    >>> print(escape('say "hi"\\n\tnow\x00é'))
    say \"hi\"\\n\tnow\u0000é
    """
    if not NEEDS_ESCAPE.search(lexical):
        return lexical
    if SURROGATE.search(lexical):
        raise ValueError(f"literal {lexical!r} holds a lone surrogate, which UTF-8 (and RDF) cannot carry")
    return lexical.translate(ESCAPES)


def _bad_term(term: object, position: str) -> ValueError:
    kind = type(term).__name__
    return ValueError(f"cannot write a {kind} as a {position} in Turtle: {term!r} "
                      "(only IRIs, and literals as objects; the graph has no blank nodes)")


class _Writer:
    """The caches for one document: each distinct term is checked and formatted once.

    Caches are plain dicts read with `cache.get(key) or make(key)` in the loops: a hit costs
    one C call, a miss one Python call (a dict subclass with __missing__ costs two).
    """

    def __init__(self, prefixes: Mapping[str, str]):
        namespaces: dict[str, str] = {}
        for name, ns in sorted(((str(k), str(v)) for k, v in prefixes.items()), reverse=True):
            if not PREFIX_NAME.fullmatch(name):
                raise ValueError(f"prefix {name!r} is not a valid Turtle prefix name")
            if not IRI.fullmatch(ns):
                raise ValueError(f"namespace {ns!r} of prefix {name!r} is not an absolute IRI that Turtle can write")
            namespaces[ns] = name  # the smallest prefix name wins for a namespace bound twice
        self.namespaces = namespaces
        # If no namespace ends with a character a local part may hold, the only split is where the
        # trailing run of such characters starts.
        self.single_split = not any(ns[-1] in LOCAL_CHARS for ns in namespaces)
        self.used: set[str] = set()
        self.iris: dict[str, str] = {}                   # IRI -> its text
        self.predicates: dict[str, tuple] = {}           # IRI -> (sort key, text, " text ", " ;\n    text ")
        self.iri_objects: dict[str, tuple] = {}          # IRI -> (0, IRI, '', '', text)
        self.plain: dict[str, tuple] = {}                # lexical -> (1, lexical, '', '', text)
        self.typed: dict[tuple[str, str], tuple] = {}    # (lexical, datatype) -> (1, lexical, datatype, '', text)
        self.tagged: dict[tuple[str, str], tuple] = {}   # (lexical, tag as given) -> (1, lexical, '', tag, text)
        self.template: dict[str, str] = {}               # IRI -> its text, for the annotation blocks
        self.segments: tuple[str, ...] = ()              # made by make_segments
        self.bare: list[str] = []                        # annotations' IRIs, written <IRI> but not kept in `iris`

    def iri(self, iri: str) -> str:
        """The text of an IRI, made and cached (checked in check_iris, all at once)."""
        text = self.iris[iri] = self.text(iri)
        return text

    def text(self, iri: str) -> str:
        """The text of an IRI: prefix:local (the prefix is then used) or <IRI>."""
        head = iri.rstrip(LOCAL_CHARS)  # the local part lies within what follows
        start = len(head)
        if self.single_split:  # one look-up, for most IRIs in vain
            name = self.namespaces.get(head)
            if name is None or start == len(iri) or iri[start] not in LOCAL_FIRST:
                return f"<{iri}>"
            self.used.add(name)
            return f"{name}:{iri[start:]}"
        text = None
        for k in range(len(iri) - 1, start - 1, -1):
            if k < len(iri) and iri[k] in LOCAL_FIRST:
                name = self.namespaces.get(iri[:k])
                if name is not None:
                    self.used.add(name)
                    text = f"{name}:{iri[k:]}"
                    break
        return text or f"<{iri}>"

    def predicate(self, iri: str) -> tuple[str, str, str, str]:
        """(sort key, text, its head as a block's first predicate, its head after another)."""
        key, text = ("", "a") if iri == RDF_TYPE else (iri, self.iris.get(iri) or self.iri(iri))
        entry = self.predicates[iri] = (key, text, f" {text} ", f"{PREDICATES}{text} ")
        return entry

    def iri_object(self, iri: str) -> tuple:
        entry = self.iri_objects[iri] = (0, iri, "", "", self.iris.get(iri) or self.iri(iri))
        return entry

    def literal(self, term) -> tuple:
        """(1, lexical, datatype, language, text) for a literal; IRIs of a URIRef subclass pass here too."""
        if not isinstance(term, Literal):
            if isinstance(term, URIRef):
                return self.iri_objects.get(str(term)) or self.iri_object(str(term))
            raise _bad_term(term, "object")
        lexical = str(term)
        lang = term.language
        if lang:
            key = (lexical, lang)
            entry = self.tagged.get(key)
            if entry is None:
                if not LANGTAG.fullmatch(lang):
                    raise ValueError(f"language tag {lang!r} of literal {lexical!r} is not a valid BCP 47 tag")
                lang = lang.lower()
                entry = self.tagged[key] = (1, lexical, "", lang, f'"{escape(lexical)}"@{lang}')
            return entry
        datatype = term.datatype
        if datatype is None or str(datatype) == XSD_STRING:  # a URIRef never == a str: compare the strings
            return self.plain.get(lexical) or self.plain_literal(lexical)
        key = (lexical, str(datatype))
        entry = self.typed.get(key)
        if entry is None:
            text = self.iris.get(key[1]) or self.iri(key[1])
            entry = self.typed[key] = (1, lexical, key[1], "", f'"{escape(lexical)}"^^{text}')
        return entry

    def chunks(self, triples: Iterable, annotations: Iterable[Annotation] = (), size: int = 4096) -> Iterator[str]:
        """Turtle for any iterable of triples and of annotation records, in pieces of about
        `size` subject blocks.

        Each term is looked up as it comes, then grouped by subject (`group`, or
        `group_store` for a store's index); what is grouped and sorted is the cache entries:
        (predicate entry, object entry) pairs, which sort as the document orders them.
        Annotation records are then placed among the subjects (`place`) and their blocks
        written from a template. Every IRI is checked (ValueError) before the first piece; a
        subject's triples are dropped once its block is made, so the text is never held whole.
        """
        iri_get, iri = self.iris.get, self.iri
        records = self.records(annotations)
        if records:  # the terms every block writes, known before the header
            self.template = {term: iri_get(term) or iri(term) for term in TEMPLATE_TERMS}
        index = self.group_store(triples.spo) if type(triples) is _StoreIndex else self.group(triples)
        order = self.place(records, index)
        self.check_iris()
        if not index:
            return
        header = self.header()
        if header:
            yield header
        batch: list[str] = []
        append = batch.append
        first = not header
        block, blocks = self.annotation_block, self.annotation_blocks
        for subject in order:
            items = index.pop(subject)
            if first:
                first = False
            else:
                append("\n")  # a blank line between blocks
            if type(items) is tuple:
                append(block(*items) if items[0] is not None else blocks(items[1]))
            elif len(items) == 1:
                (p_entry, o_entry), = items
                append(f"{iri_get(subject)}{p_entry[2]}{o_entry[4]} .\n")
            else:
                items.sort()
                parts = [iri_get(subject)]
                add = parts.append
                last_p = last_o = None
                for p_entry, o_entry in items:
                    if p_entry is last_p:  # one entry per predicate IRI: identity is equality
                        if o_entry == last_o:  # the same triple again (or "x" and "x"^^xsd:string)
                            continue
                        add(OBJECTS)
                    else:
                        add(p_entry[3])
                        last_p = p_entry
                    add(o_entry[4])
                    last_o = o_entry
                parts[1] = items[0][0][2]  # the first predicate follows the subject
                add(" .\n")
                append("".join(parts))
            if len(batch) >= 2 * size:
                yield "".join(batch)
                batch.clear()
        if batch:
            yield "".join(batch)

    def group(self, triples: Iterable) -> dict[str, list]:
        """Subject IRI -> its (predicate entry, object entry) items, for any iterable of triples."""
        predicate_get, predicate = self.predicates.get, self.predicate
        object_get, iri_object, literal = self.iri_objects.get, self.iri_object, self.literal
        plain_get, plain_literal = self.plain.get, self.plain_literal
        iri_get, iri = self.iris.get, self.iri
        index: dict[str, list] = {}
        get = index.get
        last_s = last_p = items = p_entry = None  # triples usually come a subject at a time: skip the look-ups
        for s, p, o in triples:
            if p is not last_p:
                if type(p) is not URIRef and not isinstance(p, URIRef):
                    raise _bad_term(p, "predicate")
                last_p = p
                p = str(p)
                p_entry = predicate_get(p) or predicate(p)
            if type(o) is URIRef:
                o = str(o)
                item = (p_entry, object_get(o) or iri_object(o))
            elif type(o) is Literal and o.language is None and o.datatype is None:
                o = str(o)
                item = (p_entry, plain_get(o) or plain_literal(o))
            else:
                item = (p_entry, literal(o))
            if s is last_s:
                items.append(item)
                continue
            if type(s) is not URIRef and not isinstance(s, URIRef):
                raise _bad_term(s, "subject")
            last_s = s
            s = str(s)
            items = get(s)
            if items is None:
                items = index[s] = [item]
                iri_get(s) or iri(s)  # every prefix used is known before the header
            else:
                items.append(item)
        return index

    def group_store(self, spo: dict) -> dict[str, list]:
        """As `group`, from a store's subject -> predicate -> objects index: a look-up per
        subject and per predicate rather than per triple. A subject or predicate whose triples
        were all removed may be left with nothing under it: it is not in the graph."""
        predicate_get, predicate = self.predicates.get, self.predicate
        object_get, iri_object, literal = self.iri_objects.get, self.iri_object, self.literal
        plain_get, plain_literal = self.plain.get, self.plain_literal
        iri_get, iri = self.iris.get, self.iri
        index: dict[str, list] = {}
        for s, by_predicate in spo.items():
            items: list[tuple] = []
            append = items.append
            for p, objects in by_predicate.items():
                if not objects:
                    continue
                if type(p) is not URIRef and not isinstance(p, URIRef):
                    raise _bad_term(p, "predicate")
                p = str(p)
                p_entry = predicate_get(p) or predicate(p)
                for o in objects:
                    if type(o) is URIRef:
                        o = str(o)
                        append((p_entry, object_get(o) or iri_object(o)))
                    elif type(o) is Literal and o.language is None and o.datatype is None:
                        o = str(o)
                        append((p_entry, plain_get(o) or plain_literal(o)))
                    else:
                        append((p_entry, literal(o)))
            if items:
                if type(s) is not URIRef and not isinstance(s, URIRef):
                    raise _bad_term(s, "subject")
                s = str(s)
                held = index.get(s)
                if held is None:
                    index[s] = items
                    iri_get(s) or iri(s)
                else:  # another term with the same IRI (a URIRef subclass)
                    held += items
        return index

    def records(self, annotations: Iterable[Annotation]) -> dict[str, list[Annotation]]:
        """IRI -> the distinct records with that IRI, each checked, and the text of their
        bodies' and sources' IRIs made. Column by column: no Python step per record where the
        IRIs are all distinct, as a Triples' records' are but for a digest collision."""
        anns = list(annotations)
        if set(map(type, anns)) - {Annotation}:
            raise TypeError(f"not an Annotation record: {next(a for a in anns if type(a) is not Annotation)!r}")
        iris = list(map(ANNOTATION_IRI, anns))
        if "#" in "".join(iris):
            raise ValueError(f"annotation IRI {next(i for i in iris if '#' in i)!r} has a fragment already: "
                             "its parts' IRIs would hold two '#'")
        records = dict(zip(iris, map(list, zip(anns))))
        if len(records) < len(anns):
            records = {}
            for ann in anns:
                held = records.setdefault(ann.iri, [])
                if ann not in held:
                    held.append(ann)
        for term in filterfalse(self.iris.__contains__, dict.fromkeys(chain(map(BODY, anns), map(SOURCE, anns)))):
            self.iri(term)
        return records

    def place(self, records: dict[str, list[Annotation]], index: dict[str, list | tuple]) -> list[str]:
        """Put the annotations in `index` and return its subjects in order.

        An annotation is one entry, (None, record), whose four blocks are written together,
        where that gives the same text as writing each block in its place: its IRI and its
        parts' are written <IRI>, no other record has its IRI, and no other subject sorts among
        them. Otherwise each part is an entry of its own, (part number, record), joined with
        any triples of that subject.
        """
        namespaces, bare = self.namespaces, self.bare
        split = []
        if (self.single_split and sum(map(len, records.values())) == len(records) and index.keys().isdisjoint(records)
                and not any(ns[:-1] in records for ns in namespaces if ns[-1] == "#")
                and namespaces.keys().isdisjoint(map(methodcaller("rstrip", LOCAL_CHARS), records))):
            # What the loop below finds, all at once: one record per IRI, none a subject of
            # `index`, none whose IRI and '#' are a namespace, and no IRI with a prefixed name.
            index.update(zip(records, zip(repeat(None), map(itemgetter(0), records.values()))))
            bare.extend(records)
            records = {}
        for iri, held in records.items():
            # With a single split (see __init__), a part's text could only be prefixed by a
            # namespace that is the IRI and '#'.
            if (len(held) == 1 and iri not in index and self.single_split and iri + "#" not in namespaces
                    and self.text(iri)[0] == "<"):
                index[iri] = (None, held[0])
                bare.append(iri)
            else:
                split.extend(held)
        while True:
            for ann in split:
                self.place_parts(ann, index)
            order = sorted(index)
            # A subject among an annotation's parts (sorting after it, not after its last part,
            # part(a, "target")): the parts are written one by one, and the order made again.
            split = [index.pop(a)[1] for a, b in zip(order, islice(order, 1, None))
                     if b <= a + "#target" and type(index[a]) is tuple and index[a][0] is None]
            if not split:
                return order

    def place_parts(self, ann: Annotation, index: dict[str, list | tuple]) -> None:
        """An entry per part of `ann`: (part number, record), or its triples joined to those of the subject."""
        for number, subject in enumerate((ann.iri, *(part(ann.iri, name) for name in PARTS))):
            held = index.get(subject)
            if held is None:
                index[subject] = (number, ann)
                self.iris.get(subject) or self.iri(subject)
            elif type(held) is tuple and held[0] is None:  # another annotation's entry: placed part by part too
                del index[subject]
                self.place_parts(held[1], index)
                index[subject] = self.spill(subject, index[subject]) + self.spill(subject, (number, ann))
            elif held != (number, ann):  # (the same record twice is written once)
                index[subject] = self.spill(subject, held) + self.spill(subject, (number, ann))

    def spill(self, subject: str, held: list | tuple) -> list:
        """The (predicate entry, object entry) items of `subject`: `held` as is, or the triples
        of the annotation part `held` stands for."""
        if type(held) is not tuple:
            return held
        items = []
        for s, p, o in held[1].triples():
            if str(s) == subject:
                p = str(p)
                items.append((self.predicates.get(p) or self.predicate(p), self.literal(o)))
        return items

    def annotation_blocks(self, ann: Annotation) -> str:
        """The four blocks of `ann`, in order, its IRI and its parts' written <IRI>: as the
        general path writes them (predicates by IRI, rdf:type first, a lone object after its
        predicate), and as `annotation_block` does one by one."""
        a = ann.iri
        quote = self.plain.get(ann.exact) or self.plain_literal(ann.exact)
        s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 = self.segments or self.make_segments()
        return (f"<{a}{s0}{self.iris[ann.body]}{s1}{a}{s2}{a}{s3}{ann.end}{s4}{ann.start}{s5}{a}{s6}{quote[4]}{s7}"
                f"{a}{s8}{a}{s9}{a}{s10}{self.iris[ann.source]} .\n")

    def make_segments(self) -> tuple[str, ...]:
        """The text between the values in `annotation_blocks`."""
        t = self.template
        self.segments = (
            f"> a {t[ANNOTATION]}{PREDICATES}{t[HAS_BODY]} ", f"{PREDICATES}{t[HAS_TARGET]} <",
            f"#target>{PREDICATES}{t[MOTIVATED_BY]} {t[DESCRIBING]} .\n\n<",
            f'#position> a {t[POSITION_SELECTOR]}{PREDICATES}{t[END]} "', f'"^^{t[NON_NEGATIVE]}{PREDICATES}{t[START]} "',
            f'"^^{t[NON_NEGATIVE]} .\n\n<', f"#quote> a {t[QUOTE_SELECTOR]}{PREDICATES}{t[EXACT]} ", " .\n\n<",
            f"#target> a {t[SPECIFIC_RESOURCE]}{PREDICATES}{t[HAS_SELECTOR]} <", f"#position>{OBJECTS}<",
            f"#quote>{PREDICATES}{t[HAS_SOURCE]} ")
        return self.segments

    def annotation_block(self, number: int, ann: Annotation) -> str:
        """The block of part `number` of `ann` (0: the annotation, then PARTS), each IRI written as `iri` made it."""
        text, t = self.iris, self.template
        if number == 0:
            return (f"{text[ann.iri]} a {t[ANNOTATION]}{PREDICATES}{t[HAS_BODY]} {text[ann.body]}{PREDICATES}"
                    f"{t[HAS_TARGET]} {text[part(ann.iri, 'target')]}{PREDICATES}{t[MOTIVATED_BY]} {t[DESCRIBING]} .\n")
        if number == 1:
            return (f"{text[part(ann.iri, 'target')]} a {t[SPECIFIC_RESOURCE]}{PREDICATES}{t[HAS_SELECTOR]} "
                    f"{text[part(ann.iri, 'position')]}{OBJECTS}{text[part(ann.iri, 'quote')]}{PREDICATES}"
                    f"{t[HAS_SOURCE]} {text[ann.source]} .\n")
        if number == 2:
            return (f'{text[part(ann.iri, "position")]} a {t[POSITION_SELECTOR]}{PREDICATES}{t[END]} "{ann.end}"^^'
                    f'{t[NON_NEGATIVE]}{PREDICATES}{t[START]} "{ann.start}"^^{t[NON_NEGATIVE]} .\n')
        quote = self.plain.get(ann.exact) or self.plain_literal(ann.exact)
        return f"{text[part(ann.iri, 'quote')]} a {t[QUOTE_SELECTOR]}{PREDICATES}{t[EXACT]} {quote[4]} .\n"

    def plain_literal(self, lexical: str) -> tuple:
        entry = self.plain[lexical] = (1, lexical, "", "", f'"{escape(lexical)}"')
        return entry

    def check_iris(self) -> None:
        """Every IRI written is absolute and has no character IRIREF forbids: regex scans over them all, joined."""
        iris = [*self.iris, *self.bare]  # an annotation's parts are valid if it is: '#' and a name follow its IRI
        text = "\n".join(iris)
        if (FORBIDDEN_IN_IRI.search(text) or not SCHEME.match(text) or NOT_ABSOLUTE.search(text)
                or text.count("\n") != max(len(iris) - 1, 0)):
            for iri in iris:
                if not IRI.fullmatch(iri):
                    raise ValueError(f"IRI {iri!r} is not absolute or holds characters Turtle does not allow in <...>")

    def header(self) -> str:
        """The @prefix lines of the namespaces used so far, by prefix name."""
        return "".join(f"@prefix {name}: <{ns}> .\n"
                       for name, ns in sorted((name, ns) for ns, name in self.namespaces.items() if name in self.used))


def _store_index(graph: Graph):
    """The subject -> predicate -> {object: 1} index of a plain Graph that is alone on its in-memory store, else None.

    Walking it gives the triples already grouped, and is several times faster than iterating
    the graph (each triple of which goes through generators and context bookkeeping).
    rdflib does not expose it: the name is checked, and any doubt falls back to iterating.
    """
    store = graph.store
    if type(graph) is not Graph or type(store) is not Memory:
        return None
    index = getattr(store, "_Memory__spo", None)
    if type(index) is not dict or len(store) != len(graph):  # other graphs' triples share the index
        return None
    return index


class _StoreIndex(NamedTuple):
    """A store's subject -> predicate -> objects index, for `_Writer.group_store`."""

    spo: dict


def _grouped(graph: Graph) -> Iterable[tuple] | _StoreIndex:
    """A Graph's triples, a subject's together: its store's index where `_store_index` finds one."""
    index = _store_index(graph)
    return graph if index is None else _StoreIndex(index)


def turtle_chunks(triples: Graph | Triples | Iterable[tuple], prefixes: Mapping[str, str] = PREFIXES) -> Iterator[str]:
    """The Turtle for `triples` in pieces to write as they come: the whole text is never in
    memory. Garbage collection is paused meanwhile: millions of small tuples and strs would set
    off full collections, none of which frees anything."""
    with gc_paused():
        writer = _Writer(prefixes)
        if isinstance(triples, Triples):
            pieces = writer.chunks(triples.triples, triples.annotations)
        else:
            pieces = writer.chunks(_grouped(triples) if isinstance(triples, Graph) else triples)
        del writer  # its caches go with `pieces`, before the collector is back: it need not walk them
        yield from pieces


def block_runs(pieces: Iterable[bytes], split: Container[int] | None = None) -> Iterator[list[bytes]]:
    """The blocks of a text this module wrote, encoded, from its pieces in order (as a file is
    read): lists of consecutive blocks, one a piece, the last block in a list of its own. The
    @prefix lines are the first block, when there are any; then each subject has its block. The
    blank lines between blocks are left out. With `split`, only the pieces whose number (from
    0) is in it give their blocks; the others give an empty list.

    A block never holds a blank line (a literal's line feeds are escaped), so the same triples
    give the same blocks wherever the pieces were cut.

    >>> list(block_runs([b"@prefix a: <x:> .\\n", b"\\na:s a:p a:o .\\n\\na:t", b" a:p a:o .\\n"]))
    [[], [b'@prefix a: <x:> .', b'a:s a:p a:o .'], [], [b'a:t a:p a:o .']]
    >>> list(block_runs([b"@prefix a: <x:> .\\n", b"\\na:s a:p a:o .\\n\\na:t", b" a:p a:o .\\n"], split={0}))
    [[], [], [], [b'a:t a:p a:o .']]
    """
    carry = b""
    for number, piece in enumerate(pieces):
        text = carry + piece
        if split is not None and number not in split:  # only the block it leaves unfinished is kept
            cut = text.rfind(b"\n\n")
            carry = text[cut + 2:] if cut >= 0 else text
            yield []
            continue
        run = text.split(b"\n\n")
        carry = run.pop()
        yield run
    carry = carry.rstrip(b"\n")
    if carry:
        yield [carry]


def read_pieces(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The bytes of the file at `path`, in pieces of `size`."""
    with path.open("rb") as handle:
        yield from iter(lambda: handle.read(size), b"")


def write_turtle(triples: Graph | Triples | Iterable[tuple], prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Turtle for `triples` (an rdflib Graph, a kg.triples.Triples, or any iterable of (subject,
    predicate, object) rdflib terms).

    `prefixes` maps prefix names to namespace IRIs; only those used are declared. Duplicate
    triples are written once. See the module docstring for the order and the term forms.
    """
    return "".join(turtle_chunks(triples, prefixes))
