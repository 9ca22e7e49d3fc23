"""SHACL shapes checked at scale: the SHACL Core constraints ontology/shapes.ttl uses,
compiled to SPARQL and run on Oxigraph.

pySHACL (kg/validate.py) is the reference; it takes minutes on a graph of a million
triples. `kg build` checks its output with these queries instead; a test runs both on
the same graphs, broken in many ways, and requires the same violations.

Supported: sh:targetClass (with rdfs:subClassOf), sh:targetObjectsOf, property shapes
whose sh:path is an IRI or sh:inversePath, and sh:minCount, sh:maxCount, sh:class,
sh:datatype, sh:nodeKind (IRI, Literal), sh:in, sh:pattern, sh:lessThan, sh:or of
sh:class / sh:datatype, sh:qualifiedValueShape [sh:class] with qualified min/max counts.
A shape using anything else is refused, so the fast check never silently skips one.
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from .errors import KgError
from .resources import ontology_dir
from .triples import (ANNOTATION, DESCRIBING, END, EXACT, HAS_BODY, HAS_SELECTOR, HAS_SOURCE, HAS_TARGET,
                      MOTIVATED_BY, NON_NEGATIVE, PARTS, POSITION_SELECTOR, QUOTE_SELECTOR, SPECIFIC_RESOURCE,
                      START, A, Annotation, Triple, Triples, part)
from .turtle import block_runs, read_pieces
from .vocab import NEWS_ARTICLE, RDF, XSD

if TYPE_CHECKING:
    from .validate import Report

# Lexical forms of the datatypes the shapes name (what pySHACL accepts as well-typed).
TZ = r"(Z|[+-][0-9][0-9]:[0-9][0-9])?"
LEXICAL = {
    XSD.date: rf"^-?[0-9]{{4,}}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){TZ}$",
    XSD.gYearMonth: rf"^-?[0-9]{{4,}}-(0[1-9]|1[0-2]){TZ}$",
    XSD.gYear: rf"^-?[0-9]{{4,}}{TZ}$",
    XSD.gMonthDay: rf"^--(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]){TZ}$",
    XSD.duration: r"^-?P([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+(\\.[0-9]+)?S)?)?$",
    XSD.nonNegativeInteger: r"^\\+?[0-9]+$",
}
KNOWN = {SH.path, SH.name, SH.message, SH.description, SH.minCount, SH.maxCount, SH["class"], SH.datatype,
         SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.lessThan, SH["or"], SH.qualifiedValueShape,
         SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.severity, SH.order, SH.group}


FOCUS = "#FOCUS#"  # where a check's query chooses its focus nodes


@dataclass(frozen=True)
class Check:
    """The compiled constraints of one property shape: a SELECT returning ?this for each
    focus node that breaks any of them (a count other than none or one, and a qualified
    count, are Checks of their own).

    `template` is the query with FOCUS where the focus nodes are chosen: every node that
    `targets` selects (`query`), or only those of them among given nodes (`among`).
    """

    template: str
    targets: str
    path: str
    message: str
    parameters: frozenset[str] = frozenset()  # the IRIs of the SHACL parameters it checks (sh:minCount, ...)

    @property
    def query(self) -> str:
        # Not DISTINCT: a focus node met twice gives the same violations (every query groups by
        # ?this or is DISTINCT), and making the targets distinct first cost up to a third of a query.
        # A subquery all the same, so that the targets' variables stay apart from the check's.
        return self.template.replace(FOCUS, f"{{ SELECT ?this WHERE {{ {self.targets} }} }}")

    def among(self, nodes: list[str]) -> str:
        """The query restricted to the focus nodes among `nodes` (IRIs)."""
        values = " ".join(f"<{node}>" for node in nodes)
        return self.template.replace(FOCUS, f"{{ SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {values} }} "
                                            f"FILTER EXISTS {{ {self.targets} }} }} }}")


def _iri(node) -> str:
    return f"<{node}>"


def _literal(node: Literal) -> str:
    return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)) if node.datatype else None,
                      language=node.language).__str__()


# Oxigraph stores some derived integer types as xsd:integer: accept that spelling too.
LOADED_AS = {XSD.nonNegativeInteger: XSD.integer}


def _datatype_ok(var: str, datatype) -> str:
    names = " || ".join(f"datatype({var}) = {_iri(d)}" for d in (datatype, LOADED_AS.get(datatype)) if d is not None)
    test = f"isLiteral({var}) && ({names})"
    if datatype in LEXICAL:
        test += f' && REGEX(STR({var}), "{LEXICAL[datatype]}")'
    return f"({test})"


SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
RDF_TYPE = str(RDF.type)
PREFIX = b"@prefix"  # how the first block of a Turtle file kg.turtle wrote starts, when it declares prefixes


class Compiler:
    """Shapes -> SPARQL. `subclasses` maps a class IRI to the IRIs of its subclasses (direct
    or not) in the data and ontology: "instance of C" is then `?x a ?t` for ?t among C and
    those, which Oxigraph evaluates much faster than the path a/rdfs:subClassOf*. Without
    it, the path is written out."""

    def __init__(self, shapes: Graph, subclasses: dict[str, set[str]] | None = None):
        self.g = shapes
        self.subclasses = subclasses

    def instance_of(self, var: str, cls) -> str:
        if self.subclasses is None:
            return f"{var} a/<{SUBCLASS}>* {_iri(cls)}"
        types = sorted({str(cls)} | self.subclasses.get(str(cls), set()))
        if len(types) == 1:  # a fifth faster than through VALUES
            return f"{var} a {_iri(types[0])}"
        return f"VALUES ?type {{ {' '.join(map(_iri, types))} }} {var} a ?type"

    def class_ok(self, var: str, cls) -> str:
        return f"EXISTS {{ {self.instance_of(var, cls)} }}"

    def checks(self) -> list[Check]:
        out: list[Check] = []
        for shape in sorted(set(self.g.subjects(RDF.type, SH.NodeShape)), key=str):
            targets = self.targets(shape)
            if not targets:
                continue
            for prop in sorted(self.g.objects(shape, SH.property), key=lambda n: str(self.g.value(n, SH.name) or n)):
                out += self.property(targets, prop, shape)
        return out

    def targets(self, shape) -> str:
        parts = [f"{{ {self.instance_of('?this', c)} }}" for c in sorted(self.g.objects(shape, SH.targetClass), key=str)]
        parts += [f"{{ [] {_iri(p)} ?this }}" for p in sorted(self.g.objects(shape, SH.targetObjectsOf), key=str)]
        return " UNION ".join(parts)

    def property(self, targets: str, prop, shape) -> list[Check]:
        g = self.g
        unknown = {p for p in g.predicates(prop, None)} - KNOWN - {RDF.type}
        if unknown:
            raise KgError(f"shape {shape}: {sorted(unknown)} are not supported by the fast check; extend kg/shapes.py")
        path = g.value(prop, SH.path)
        if isinstance(path, BNode):
            inverse = g.value(path, SH.inversePath)
            if inverse is None or isinstance(inverse, BNode):
                raise KgError(f"shape {shape}: only IRI and inverse paths are supported by the fast check")
            step_to, shown = (lambda var: f"{var} {_iri(inverse)} ?this"), "^" + str(inverse)
        else:
            step_to, shown = (lambda var: f"?this {_iri(path)} {var}"), str(path)
        step = step_to("?v")
        message = str(g.value(prop, SH.message) or g.value(shape, SH.message) or "")
        parameters = frozenset(str(p) for p in g.predicates(prop, None))
        checks: list[Check] = []

        # A violation is (focus node, path, message), the same for every constraint of this
        # property shape: they go in one query, which tests a node at a time whether it breaks
        # any (`conditions`). Only a count other than none or one, and a qualified count, are
        # queries of their own, grouped by node.
        conditions: list[str] = []
        tests: list[str] = []  # on each value ?v

        def count(low: int | None, high: int | None) -> None:
            """The values number from `low` to `high`: distinct terms, as COUNT(DISTINCT ?v) counts them."""
            if low is not None and low > 1 or high is not None and high > 1:
                grouped(low, high)
                return
            if low == 1:
                conditions.append(f"NOT EXISTS {{ {step} }}")
            if high == 0:
                conditions.append(f"EXISTS {{ {step} }}")
            elif high == 1:
                conditions.append(f"EXISTS {{ {step} . {step_to('?w')} . FILTER (!sameTerm(?v, ?w)) }}")

        def grouped(low: int | None, high: int | None, conforming: str = "") -> None:
            """A query of its own: the values that pass the FILTER `conforming` number from `low` to `high`.
            (With a class test on each value, grouping is faster than testing a node at a time.)"""
            having = " || ".join(f"COUNT(DISTINCT ?v) {cmp} {n}" for cmp, n in (("<", low), (">", high)) if n is not None)
            if having:
                checks.append(Check(f"SELECT ?this WHERE {{ {FOCUS} OPTIONAL {{ {step} . {conforming} }} }} "
                                    f"GROUP BY ?this HAVING ({having})", targets, shown, message, parameters))

        def number(limit) -> int | None:
            n = g.value(prop, limit)
            return None if n is None else int(n)

        if (cls := g.value(prop, SH["class"])) is not None:
            tests.append(f"!{self.class_ok('?v', cls)}")
        if (dt := g.value(prop, SH.datatype)) is not None:
            tests.append(f"!{_datatype_ok('?v', dt)}")
        if (kind := g.value(prop, SH.nodeKind)) is not None:
            tests.append({SH.IRI: "!isIRI(?v)", SH.Literal: "!isLiteral(?v)"}[kind])
        if (allowed := g.value(prop, SH["in"])) is not None:
            terms = ", ".join(_literal(t) if isinstance(t, Literal) else _iri(t) for t in Collection(g, allowed))
            tests.append(f"?v NOT IN ({terms})")
        if (pattern := g.value(prop, SH.pattern)) is not None:
            flags = str(g.value(prop, SH.flags) or "")
            escaped = str(pattern).replace("\\", "\\\\").replace('"', '\\"')
            tests.append(f'isBlank(?v) || !REGEX(STR(?v), "{escaped}", "{flags}")')
        if (other := g.value(prop, SH.lessThan)) is not None:
            conditions.append(f"EXISTS {{ {step} . ?this {_iri(other)} ?w . FILTER (!(?v < ?w)) }}")
        if (alternatives := g.value(prop, SH["or"])) is not None:
            alt_tests = []
            for alt in Collection(g, alternatives):
                if (cls := g.value(alt, SH["class"])) is not None:
                    alt_tests.append(self.class_ok("?v", cls))
                elif (dt := g.value(alt, SH.datatype)) is not None:
                    alt_tests.append(_datatype_ok("?v", dt))
                else:
                    raise KgError(f"shape {shape}: sh:or members other than sh:class/sh:datatype are not supported")
            tests.append("!(" + " || ".join(alt_tests) + ")")
        if (qualified := g.value(prop, SH.qualifiedValueShape)) is not None:
            cls = g.value(qualified, SH["class"])
            if cls is None:
                raise KgError(f"shape {shape}: only sh:qualifiedValueShape [ sh:class C ] is supported")
            grouped(number(SH.qualifiedMinCount), number(SH.qualifiedMaxCount), f"FILTER ({self.class_ok('?v', cls)})")
        count(number(SH.minCount), number(SH.maxCount))
        if tests:
            conditions.append(f"EXISTS {{ {step} . FILTER ({' || '.join(f'({t})' for t in tests)}) }}")
        if conditions:
            checks.append(Check(f"SELECT DISTINCT ?this WHERE {{ {FOCUS} FILTER ({' || '.join(conditions)}) }}",
                                targets, shown, message, parameters))
        return checks


def compile_shapes(shapes_path: Path | None = None, subclasses: dict[str, set[str]] | None = None) -> list[Check]:
    shapes = Graph().parse(shapes_path or ontology_dir() / "shapes.ttl", format="turtle")
    return Compiler(shapes, subclasses).checks()


def subclass_closure(store: ox.Store) -> dict[str, set[str]]:
    """Each class named in an rdfs:subClassOf triple of `store` -> all its subclasses, however deep."""
    direct: dict[str, set[str]] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS), None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            direct.setdefault(quad.object.value, set()).add(quad.subject.value)
    closure: dict[str, set[str]] = {}
    for cls in direct:
        seen, todo = set(), [cls]
        while todo:
            for sub in direct.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = seen
    return closure


def check_turtle(turtle: str, shapes_path: Path | None = None):
    """Validate a Turtle document; returns a kg.validate.Report."""
    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return _check_store(store, shapes_path)


def check_path(path: Path, shapes_path: Path | None = None):
    """Validate a Turtle file, parsed as it is read (the text is never held whole); a kg.validate.Report."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return _check_store(store, shapes_path)


def load_written(store: ox.Store, path: Path) -> None:
    """Load into `store` a Turtle file kg.turtle wrote. The writer has checked every IRI and
    language tag it wrote, so Oxigraph is told not to check them again (lenient): the same
    triples, read about a tenth faster (docs/scale.md). Any other file is read strictly."""
    store.load(path=str(path), format=ox.RdfFormat.TURTLE, lenient=True)


# What an annotation record (kg.triples.Annotation) writes besides "<iri> a oa:Annotation ;
# oa:hasBody <body>": its other predicates, classes and values.
RECORD_ONLY = frozenset(map(str, (MOTIVATED_BY, DESCRIBING, HAS_TARGET, SPECIFIC_RESOURCE, HAS_SOURCE, HAS_SELECTOR,
                                  POSITION_SELECTOR, QUOTE_SELECTOR, START, END, EXACT, NON_NEGATIVE)))
# What the checks about a record's nodes choose their focus nodes by.
RECORD_TARGETS = frozenset(map(str, (ANNOTATION, HAS_TARGET, SPECIFIC_RESOURCE, POSITION_SELECTOR, QUOTE_SELECTOR)))
BY_VALUE = frozenset(map(str, (SH["in"], SH.pattern)))  # the parameters that test a value, not its type


def check_graph(graph: Triples, shapes_path: Path | None = None):
    """The verdict on a graph a build made (a kg.validate.Report): the same as `check_path` on
    its Turtle, with most of its annotation records left out of Oxigraph.

    Nine triples in ten of a build are annotation records, and loading triples is most of what
    a check costs (at 10,000 articles, 14 s of 21). A record's 13 triples are fixed by its six
    values, so when nothing else in the graph names its nodes, whether the shapes about them
    hold depends on those values only: they do when its span is a non-empty range of
    non-negative integers and its source an article (`_conforming`). Such a record is loaded
    as the two of its triples that other nodes' checks read (its type and oa:hasBody: an
    agreement needs evidence), and what the checks about records then say of its annotation
    node is dropped. Every other record, and every other triple, is loaded as it is.

    That holds while the shapes about records ask for what `_conforming` checks, and while
    no other shape reads a record's other triples: `_records_apart` makes sure of both (or
    every triple is loaded), and the tests compare the verdict with check_path's.
    """
    return graph_check(graph, shapes_path)()


def graph_check(graph: Triples, shapes_path: Path | None = None) -> Callable[[], Report]:
    """`check_graph` in two steps: what runs in Python (choosing the records left out, making
    Oxigraph's terms) is done now, and what Oxigraph does, loading and querying without the
    GIL, is returned as a function that gives the verdict. `kg build` calls it before it draws
    the view, and runs the function alongside."""
    from .validate import Report

    store = ox.Store()
    store.load(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    checks = compile_shapes(shapes_path, subclass_closure(store))
    terms = _Terms()
    quads = terms.quads(graph.triples)
    named = {str(term) for term in terms.made}  # every IRI the triples besides the records name
    subclassed = SUBCLASS in named  # "instance of" may then change everywhere
    others, of_records = _split(checks)
    conforming: set[Annotation] = set()
    if graph.annotations and not subclassed and _records_apart(others, of_records):
        conforming = _conforming(graph, named)
    quads += _record_quads(graph.annotations, conforming, terms)
    left_out = {record.iri for record in conforming}

    def verdict() -> Report:
        store.extend(quads)
        split = _split(compile_shapes(shapes_path, subclass_closure(store))) if subclassed else (others, of_records)
        found = _violations(store, split[0])
        found |= {v for v in _violations(store, split[1]) if v.focus_node not in left_out}
        return Report(conforms=not found, violations=tuple(sorted(found)))

    return verdict


def _split(checks: list[Check]) -> tuple[list[Check], list[Check]]:
    """The checks about other nodes, and those about the kinds of node a record makes (by how
    they choose their focus nodes)."""
    about_records = [any(f"<{iri}>" in check.targets for iri in RECORD_TARGETS) for check in checks]
    return ([check for check, about in zip(checks, about_records) if not about],
            [check for check, about in zip(checks, about_records) if about])


def _records_apart(others: list[Check], of_records: list[Check]) -> bool:
    """Whether a record that `_conforming` passes conforms, and loading only its type and
    oa:hasBody leaves the other checks' verdicts as they were: no check about other nodes
    reads what a record's other triples say, and the checks about records find nothing wrong
    with a record of the values `_conforming` passes (a shape asking more of records would)."""
    if any(f"<{iri}>" in check.template or f"<{iri}>" in check.targets for check in others for iri in RECORD_ONLY):
        return False
    if any(check.parameters & BY_VALUE for check in of_records):
        return False  # what a record's values must be, beyond their type: one sample cannot speak for them all
    article = "urn:kg:check:article"
    record = Annotation("urn:kg:check:annotation", "urn:kg:check:body", article, 0, 1, "x")
    terms = _Terms()
    store = ox.Store()
    store.extend(terms.quads([(URIRef(article), A, NEWS_ARTICLE), *record.triples()]))
    nodes = [record.iri, *(part(record.iri, name) for name in PARTS)]
    return not _violations(store, of_records, nodes)


def _conforming(graph: Triples, named: set[str]) -> set[Annotation]:
    """The records of `graph` that conform to the shapes about records whatever else the graph
    holds: nothing else names any of their four nodes (the IRIs in `named`, that the other
    triples name, nor another record), their values are of the types a record's triples are
    made from (IRIs and the quote str, positions int), their span is a non-empty range of
    non-negative integers and their source an article."""
    named = named | {iri for record in graph.annotations for iri in (record.body, record.source)}
    # A part's IRI is its record's, "#" and its name: a record is named when its IRI or a part's is.
    named.update([base for base, _, name in (iri.rpartition("#") for iri in named) if name in PARTS])
    iris = Counter(record.iri for record in graph.annotations)
    articles: dict[str, bool] = {}

    def article(source: str) -> bool:
        known = articles.get(source)
        if known is None:
            known = articles[source] = (URIRef(source), A, NEWS_ARTICLE) in graph.triples
        return known

    return {record for record in graph.annotations
            if type(record.iri) is str and type(record.body) is str and type(record.source) is str
            and type(record.start) is int and type(record.end) is int and type(record.exact) is str
            and 0 <= record.start < record.end and article(record.source)
            and iris[record.iri] == 1 and record.iri not in named}


class _Terms:
    """Oxigraph's terms for rdflib's: an IRI met again is converted once (`made` holds them all)."""

    def __init__(self) -> None:
        self.made: dict[URIRef, ox.NamedNode] = {}

    def node(self, term: URIRef) -> ox.NamedNode:
        converted = self.made.get(term)
        if converted is None:
            converted = self.made[term] = ox.NamedNode(str(term))
        return converted

    def quads(self, triples: Iterable[Triple]) -> list[ox.Quad]:
        return [_quad(triple, self.node) for triple in triples]


def _record_quads(records: Iterable[Annotation], conforming: set[Annotation], terms: _Terms) -> list[ox.Quad]:
    """Oxigraph's quads for `records`: of one in `conforming` only its type and oa:hasBody."""
    kind, body, annotation = terms.node(A), terms.node(HAS_BODY), terms.node(ANNOTATION)
    quads = []
    for record in records:
        if record in conforming:
            iri = ox.NamedNode(record.iri)
            quads.append(ox.Quad(iri, kind, annotation))
            quads.append(ox.Quad(iri, body, ox.NamedNode(record.body)))
        else:
            quads.extend(terms.quads(record.triples()))
    return quads


def _check_store(store: ox.Store, shapes_path: Path | None):
    from .validate import Report  # one Report type for both engines

    store.load(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)
    found = _violations(store, compile_shapes(shapes_path, subclass_closure(store)))
    return Report(conforms=not found, violations=tuple(sorted(found)))


def _violations(store: ox.Store, checks: list[Check], among: list[str] | None = None) -> set:
    """The violations `checks` find in `store`: of every focus node, or of those among `among`."""
    from .validate import Violation, _qname

    def violations(check: Check) -> list[Violation]:
        path = _qname(URIRef(check.path)) if not check.path.startswith("^") else "^" + _qname(URIRef(check.path[1:]))
        query = check.query if among is None else check.among(among)
        return [Violation(focus_node=row["this"].value, path=path, message=check.message, severity="Violation")
                for row in store.query(query)]

    # Oxigraph evaluates a query without holding the GIL: the queries run side by side.
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        return {v for found in pool.map(violations, checks) for v in found}


def _named(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _quad(triple: Triple, node: Callable[[URIRef], ox.NamedNode] = _named) -> ox.Quad:
    s, p, o = triple
    if isinstance(o, Literal):
        obj = ox.Literal(str(o), datatype=node(o.datatype) if o.datatype else None, language=o.language)
    else:
        obj = node(o)
    return ox.Quad(node(s), node(p), obj)


def differences(old: Triples, new: Triples) -> tuple[list[Triple], list[Triple]]:
    """The triples of `new` not in `old`, and those of `old` not in `new`."""
    def only(a: Triples, b: Triples) -> list[Triple]:
        found = list(a.triples.keys() - b.triples.keys())
        for record in a.annotations.keys() - b.annotations.keys():
            found.extend(record.triples())
        return found
    return only(new, old), only(old, new)


class Checker:
    """The shapes' verdict on a graph built again and again with small changes (`kg build --watch`).

    The first graph is read from its Turtle file into Oxigraph and checked whole, as
    `check_path` does, and the store is kept. A later graph is checked by applying its
    difference from the last to the store and querying only the nodes the difference can
    touch; the verdict on every other node stays what it was.

    Why that is enough: every constraint `Compiler` supports is about one focus node: whether
    it is a target (its types, or a triple pointing to it), its values one step away (its own
    triples, or those pointing to it for an inverse path), those values' types, and for
    sh:lessThan another of its own values. So a triple added or removed can change the
    verdict on its subject and its object; a type added or removed, also on every node one
    step from its subject. A change to rdfs:subClassOf changes what "instance of" means:
    then every node is checked again.
    """

    WHOLE = 20_000  # above this many touched nodes, every node of the (updated) store is checked

    def __init__(self, shapes_path: Path | None = None):
        self.shapes_path = shapes_path
        self.store: ox.Store | None = None
        self.last: Triples | None = None
        self.checks: list[Check] = []
        self.found: set = set()
        self.ontology = 0  # triples of ontology/kg.ttl in the store

    def check(self, path: Path, graph: Triples):
        """The verdict on `graph`, whose Turtle is at `path`; a kg.validate.Report."""
        from .validate import Report

        try:
            if self.store is None or self.last is None:
                self._whole(path)
            else:
                self._changed(self.last, graph)
            if len(self.store) != self.ontology + len(graph):  # what a digest collision between records would do
                self._whole(path)
        except BaseException:
            self.store = self.last = None  # half updated: start again from the file next time
            raise
        self.last = graph
        return Report(conforms=not self.found, violations=tuple(sorted(self.found)))

    def _whole(self, path: Path) -> None:
        store = ox.Store()
        store.load(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)
        self.ontology = len(store)
        load_written(store, path)
        self.store = store
        self.checks = compile_shapes(self.shapes_path, subclass_closure(store))
        self.found = _violations(store, self.checks)

    def _changed(self, old: Triples, new: Triples) -> None:
        store = self.store
        added, removed = differences(old, new)
        for triple in removed:
            store.remove(_quad(triple))
        store.extend(_quad(triple) for triple in added)

        def links(nodes: set[str]) -> set[str]:
            found: set[str] = set()
            for node in map(ox.NamedNode, nodes):
                found.update(q.object.value for q in store.quads_for_pattern(node, None, None)
                             if isinstance(q.object, ox.NamedNode))
                found.update(q.subject.value for q in store.quads_for_pattern(None, None, node))
            return found

        touched = _touched(((str(s), str(p), str(o) if isinstance(o, URIRef) else None) for s, p, o in added + removed),
                           links)
        if touched is not None and len(touched) <= self.WHOLE:
            self.found = {v for v in self.found if v.focus_node not in touched}
            self.found |= _violations(store, self.checks, sorted(touched)) if touched else set()
            return
        self.checks = compile_shapes(self.shapes_path, subclass_closure(store))
        self.found = _violations(store, self.checks)


def _touched(changes: Iterable[tuple[str, str, str | None]], links: Callable[[set[str]], set[str]]) -> set[str] | None:
    """The nodes whose verdict a change of these (subject, predicate, IRI object or None)
    triples can change (see Checker): their subjects and IRI objects, and for a type added or
    removed, the nodes one step from its subject (`links`). None when rdfs:subClassOf changed:
    then every node can change."""
    touched: set[str] = set()
    typed: set[str] = set()
    for s, p, o in changes:
        touched.add(s)
        if o is not None:
            touched.add(o)
        if p == RDF_TYPE:
            typed.add(s)
        elif p == SUBCLASS:
            return None
    return touched | links(typed) if typed else touched


def _links(graph: Triples, nodes: set[str]) -> set[str]:
    """The IRIs one triple away from a node of `nodes`, either way."""
    found: set[str] = set()
    for s, _, o in graph.triples:
        if not isinstance(o, URIRef):
            continue
        s, o = str(s), str(o)
        if s in nodes:
            found.add(o)
        if o in nodes:
            found.add(s)
    parts = _parts(nodes)
    for ann in graph.annotations:  # the links of kg.triples.Annotation.triples
        iri, named = ann.iri, parts.get(ann.iri, ())
        if iri in nodes:
            found.update((ann.body, part(iri, "target")))
        if "target" in named:
            found.update((iri, ann.source, part(iri, "position"), part(iri, "quote")))
        if "position" in named or "quote" in named:
            found.add(part(iri, "target"))
        if ann.body in nodes:
            found.add(iri)
        if ann.source in nodes:
            found.add(part(iri, "target"))
    return found


def _parts(nodes: set[str]) -> dict[str, set[str]]:
    """The annotation parts among `nodes`: annotation IRI -> the names of its parts there."""
    found: dict[str, set[str]] = {}
    for node in nodes:
        base, _, name = node.rpartition("#")
        if name in PARTS:
            found.setdefault(base, set()).add(name)
    return found


def _around(graph: Triples, subjects: set[str], objects: set[str]) -> Iterator[Triple]:
    """The triples of `graph` whose subject is in `subjects` or whose IRI object is in `objects`
    (every triple of an annotation record that has one)."""
    for triple in graph.triples:
        s, _, o = triple
        if str(s) in subjects or (isinstance(o, URIRef) and str(o) in objects):
            yield triple
    parts = _parts(subjects)
    for ann in graph.annotations:
        if ann.iri in subjects or ann.iri in parts or ann.body in objects or ann.source in objects:
            yield from ann.triples()


class Baseline:
    """A Turtle file kg.turtle wrote, read for a check by difference (check_since): the hashes
    of its blocks. Reading them is a pass over the file, which a build makes while it waits for
    the articles that changed to be extracted."""

    def __init__(self, path: Path, piece: int = 1 << 20):
        self.path, self.piece = path, piece
        self.runs = [tuple(map(hash, run)) for run in block_runs(read_pieces(path, piece))]  # each piece's blocks'
        self.hashes: set[int] = set().union(*self.runs)

    def blocks(self, wanted: set[int]) -> Iterator[bytes]:
        """The blocks of the file whose hash is in `wanted`, read again: only the pieces that
        hold one are split."""
        holding = {number for number, hashes in enumerate(self.runs) if not wanted.isdisjoint(hashes)}
        for run in block_runs(read_pieces(self.path, self.piece), split=holding):
            yield from (block for block in run if hash(block) in wanted)


def check_since(previous: Path | Baseline, path: Path, graph: Triples, shapes_path: Path | None = None,
                found: frozenset = frozenset()):
    """The verdict on `graph`, whose Turtle is at `path`, knowing that the Turtle at `previous`
    (a path, or a Baseline read from it) was checked and had the violations `found` (a
    kg.validate.Report).

    This is how a new `kg build` run checks its graph when a few articles changed since the last
    build: both files are kg.turtle's, in which the same triples make the same subject block,
    so the triples of the blocks found in one file and not the other are the difference. The
    nodes it can touch (see Checker) are checked on a store holding only what their checks
    read: their triples, the triples pointing to them, and every triple of the nodes one step
    away (their types). The graph is checked whole (check_graph) above Checker.WHOLE changed
    blocks or touched nodes, when a block does not parse, or when the graph holds an
    rdfs:subClassOf triple (which changes what every "instance of" means, and which the small
    store might lack).
    """
    from .validate import Report

    baseline = previous if isinstance(previous, Baseline) else Baseline(previous)
    (header, added), (old_header, removed) = _block_difference(baseline, path)
    if len(added) + len(removed) > Checker.WHOLE:
        return check_graph(graph, shapes_path)
    try:
        new, old = _parsed(header, added), _parsed(old_header, removed)
    except SyntaxError:
        return check_graph(graph, shapes_path)
    changes = ((q.subject.value, q.predicate.value, q.object.value if isinstance(q.object, ox.NamedNode) else None)
               for q in new ^ old)
    touched = _touched(changes, lambda nodes: _links(graph, nodes))
    if touched is None or len(touched) > Checker.WHOLE or (touched and any(str(p) == SUBCLASS for _, p, _ in graph.triples)):
        return check_graph(graph, shapes_path)
    violations = {v for v in found if v.focus_node not in touched}
    if touched:
        store = ox.Store()
        store.extend(map(_quad, _around(graph, touched | _links(graph, touched), touched)))
        store.load(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)
        violations |= _violations(store, compile_shapes(shapes_path, subclass_closure(store)), sorted(touched))
    return Report(conforms=not violations, violations=tuple(sorted(violations)))


def _block_difference(old: Baseline, new: Path) -> tuple[tuple[bytes, list[bytes]], tuple[bytes, list[bytes]]]:
    """Of two Turtle files kg.turtle wrote: the @prefix lines of `new` and its subject blocks
    not in `old`, then the same of `old`. Blocks are told apart by their hash: two different
    blocks with the same 64 bits would hide one change."""
    def header(run: list[bytes], last: bytes) -> bytes:  # only the first block can start so
        return run[0] if run and run[0].startswith(PREFIX) else last

    before = old.hashes
    after: set[int] = set()
    new_header, added = b"", []
    for run in block_runs(read_pieces(new)):
        new_header = header(run, new_header)
        keys = list(map(hash, run))
        after.update(keys)
        if not before.issuperset(keys):
            added += [block for block, key in zip(run, keys) if key not in before and not block.startswith(PREFIX)]
    gone = before - after
    old_header, removed = b"", []
    if gone:
        first = next((run[0] for run in old.runs if run), None)  # the @prefix lines, if any
        for block in old.blocks(gone if first is None else gone | {first}):
            if block.startswith(PREFIX):
                old_header = block
            else:
                removed.append(block)
    return (new_header, added), (old_header, removed)


def _parsed(header: bytes, texts: list[bytes]) -> set:
    """The triples of these blocks, read with these @prefix lines, as Oxigraph quads."""
    if not texts:
        return set()
    return set(ox.parse(input=b"\n\n".join([header, *texts]), format=ox.RdfFormat.TURTLE))


def check_file(path: Path, shapes_path: Path | None = None):
    """Validate a Turtle file; a missing or unparsable file is a GraphFileError."""
    from .errors import GraphFileError

    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run `kg build` first or pass its path")
    try:
        return check_path(path, shapes_path)
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"{path}: not valid Turtle ({exc})") from exc
