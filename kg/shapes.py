"""The SHACL shapes of ontology/shapes.ttl compiled to SPARQL and run on Oxigraph.

pySHACL (kg/validate.py) is the reference; the tests run both on the same graphs, broken
in many ways, and require the same violations. `kg build` puts the triples it is about to
write in one pyoxigraph Store and calls `check_store`; `kg validate --fast` calls `check_file`.

As pySHACL does with ontology/kg.ttl (kg.validate), "instance of C" follows rdfs:subClassOf
as the ontology and the data state it. The ontology is not loaded into the store: besides
its rdfs:subClassOf triples it holds no triple the shapes read (a test makes sure of that).

Supported: node shapes with sh:targetClass and sh:targetObjectsOf; property shapes whose
sh:path is an IRI or sh:inversePath, with sh:minCount, sh:maxCount, sh:class, sh:datatype,
sh:nodeKind (IRI, Literal), sh:in, sh:pattern (sh:flags), sh:lessThan, sh:or of sh:class /
sh:datatype, sh:qualifiedValueShape [sh:class] with qualified min/max counts, sh:severity.
A shapes graph using anything else is refused (KgError), so no constraint is silently skipped.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH

from .errors import GraphFileError, KgError
from .resources import ontology_dir
from .validate import Report, Violation, _qname
from .vocab import RDF, XSD

__all__ = ["Check", "Compiler", "check_file", "check_store", "check_triples", "compile_shapes", "subclass_closure"]

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
# Oxigraph stores some derived integer types as xsd:integer: accept that spelling too.
LOADED_AS = {XSD.nonNegativeInteger: XSD.integer}
# The predicates a property shape / a node shape may have; any other is refused.
DESCRIBING = {RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description, SH.message, SH.severity, SH.order, SH.group}
KNOWN = DESCRIBING | {SH.path, SH.minCount, SH.maxCount, SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern,
                      SH.flags, SH.lessThan, SH["or"], SH.qualifiedValueShape, SH.qualifiedMinCount,
                      SH.qualifiedMaxCount}
NODE_KNOWN = DESCRIBING | {SH.targetClass, SH.targetObjectsOf, SH.property}
TARGETS = {SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.target}
SUBCLASS = str(RDFS.subClassOf)


@dataclass(frozen=True)
class Check:
    """The compiled constraints of one property shape: a SELECT returning ?this for each focus
    node that breaks any of them (a count other than none or one, and a qualified count, are
    Checks of their own). `path` is as pySHACL reports it (`kg:party`, `^oa:hasBody`)."""

    query: str
    path: str
    message: str
    severity: str = "Violation"


def _iri(node) -> str:
    return f"<{node}>"


def _literal(node: Literal) -> str:
    return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)) if node.datatype else None,
                          language=node.language))


def _names(iris) -> str:
    """IRIs as people write them in a shapes file: `sh:minLength, ex:p`."""
    return ", ".join(sorted(f"sh:{i[len(str(SH)):]}" if str(i).startswith(str(SH)) else _qname(i) for i in iris))


def _datatype_ok(var: str, datatype) -> str:
    names = " || ".join(f"datatype({var}) = {_iri(d)}" for d in (datatype, LOADED_AS.get(datatype)) if d is not None)
    test = f"isLiteral({var}) && ({names})"
    if datatype in LEXICAL:
        test += f' && REGEX(STR({var}), "{LEXICAL[datatype]}")'
    return f"({test})"


class Compiler:
    """Shapes -> SPARQL. `subclasses` maps a class IRI to the IRIs of all its subclasses (direct
    or not): "instance of C" is `?x a ?t` for ?t among C and those, which Oxigraph evaluates
    much faster than the path a/rdfs:subClassOf*."""

    def __init__(self, shapes: Graph, subclasses: dict[str, set[str]] | None = None):
        self.g = shapes
        self.subclasses = subclasses or {}

    def instance_of(self, var: str, cls) -> str:
        types = sorted({str(cls)} | self.subclasses.get(str(cls), set()))
        if len(types) == 1:  # a fifth faster than through VALUES
            return f"{var} a {_iri(types[0])}"
        return f"VALUES ?type {{ {' '.join(map(_iri, types))} }} {var} a ?type"

    def class_ok(self, var: str, cls) -> str:
        return f"EXISTS {{ {self.instance_of(var, cls)} }}"

    def refuse(self, shape, what: str) -> NoReturn:
        raise KgError(f"shape {shape} uses {what}, which the fast check (kg/shapes.py) does not support; extend it")

    def only(self, node, allowed: set, shape, what: str) -> list[tuple]:
        """The one (parameter, value) of a shape `node` nested in a parameter, among `allowed`."""
        pairs = [(p, o) for p, o in self.g.predicate_objects(node) if p != RDF.type]
        if len(pairs) != 1 or pairs[0][0] not in allowed:
            self.refuse(shape, f"{what} other than [ {' or '.join(_names(allowed).split(', '))} X ]")
        return pairs

    def checks(self) -> list[Check]:
        g, out = self.g, []
        node_shapes = set(g.subjects(RDF.type, SH.NodeShape))
        for shape in {s for target in TARGETS for s in g.subjects(target, None)} - node_shapes:
            self.refuse(shape, "targets on a shape that is not an sh:NodeShape")
        for shape in sorted(node_shapes, key=str):
            if unknown := set(g.predicates(shape, None)) - NODE_KNOWN:
                self.refuse(shape, f"{_names(unknown)} on a node shape")
            if set(g.objects(shape, RDF.type)) & {RDFS.Class, URIRef("http://www.w3.org/2002/07/owl#Class")}:
                self.refuse(shape, "an implicit class target (a shape that is a class)")
            parts = [f"{{ {self.instance_of('?this', c)} }}" for c in sorted(g.objects(shape, SH.targetClass), key=str)]
            parts += [f"{{ [] {_iri(p)} ?this }}" for p in sorted(g.objects(shape, SH.targetObjectsOf), key=str)]
            if parts:
                for prop in sorted(g.objects(shape, SH.property), key=lambda n: str(g.value(n, SH.name) or n)):
                    out += self.property(" UNION ".join(parts), prop, shape)
        return out

    def property(self, targets: str, prop, shape) -> list[Check]:
        g = self.g
        if unknown := set(g.predicates(prop, None)) - KNOWN:
            self.refuse(shape, f"{_names(unknown)}")
        if repeated := {p for p in KNOWN - DESCRIBING if len(set(g.objects(prop, p))) > 1}:
            self.refuse(shape, f"several values of {_names(repeated)} in one property shape")
        path = g.value(prop, SH.path)
        if isinstance(path, BNode):
            inverse = g.value(path, SH.inversePath)
            if inverse is None or isinstance(inverse, BNode) or len(set(g.predicates(path, None))) != 1:
                self.refuse(shape, "a path other than an IRI or the sh:inversePath of one")
            step_to, shown = (lambda var: f"{var} {_iri(inverse)} ?this"), "^" + _qname(inverse)
        elif isinstance(path, URIRef):
            step_to, shown = (lambda var: f"?this {_iri(path)} {var}"), _qname(path)
        else:
            self.refuse(shape, "a property shape without an IRI sh:path")
        step = step_to("?v")
        message = str(g.value(prop, SH.message) or g.value(shape, SH.message) or "")
        severity = str(g.value(prop, SH.severity) or SH.Violation).rsplit("#", 1)[-1]
        focus = f"{{ SELECT ?this WHERE {{ {targets} }} }}"  # a subquery: its variables stay apart from the check's
        checks: list[Check] = []
        # Every constraint of this shape gives the same violation (focus node, path, message): they
        # go in one query, which tests a node at a time whether it breaks any (`conditions`). Only a
        # count other than none or one, and a qualified count, are queries of their own, grouped by node.
        conditions: list[str] = []
        tests: list[str] = []  # on each value ?v

        def grouped(low: int | None, high: int | None, conforming: str = "") -> None:
            """The values that pass the FILTER `conforming` number from `low` to `high` (distinct terms)."""
            bounds = (("<", low), (">", high))
            having = " || ".join(f"COUNT(DISTINCT ?v) {cmp} {n}" for cmp, n in bounds if n is not None)
            if having:
                checks.append(Check(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {step} . {conforming} }} }} "
                                    f"GROUP BY ?this HAVING ({having})", shown, message, severity))

        def count(low: int | None, high: int | None) -> None:
            if low is not None and low > 1 or high is not None and high > 1:
                return grouped(low, high)
            if low == 1:
                conditions.append(f"NOT EXISTS {{ {step} }}")
            if high == 0:
                conditions.append(f"EXISTS {{ {step} }}")
            elif high == 1:
                conditions.append(f"EXISTS {{ {step} . {step_to('?w')} . FILTER (!sameTerm(?v, ?w)) }}")

        def number(limit) -> int | None:
            n = g.value(prop, limit)
            return None if n is None else int(n)

        if (cls := g.value(prop, SH["class"])) is not None:
            tests.append(f"!{self.class_ok('?v', cls)}")
        if (dt := g.value(prop, SH.datatype)) is not None:
            tests.append(f"!{_datatype_ok('?v', dt)}")
        if (kind := g.value(prop, SH.nodeKind)) is not None:
            if kind not in (SH.IRI, SH.Literal):
                self.refuse(shape, f"sh:nodeKind {_names([kind])}")
            tests.append({SH.IRI: "!isIRI(?v)", SH.Literal: "!isLiteral(?v)"}[kind])
        if (allowed := g.value(prop, SH["in"])) is not None:
            terms = ", ".join(_literal(t) if isinstance(t, Literal) else _iri(t) for t in Collection(g, allowed))
            tests.append(f"?v NOT IN ({terms})")
        if (pattern := g.value(prop, SH.pattern)) is not None:
            flags = str(g.value(prop, SH.flags) or "")
            escaped = str(pattern).replace("\\", "\\\\").replace('"', '\\"')
            tests.append(f'isBlank(?v) || !REGEX(STR(?v), "{escaped}", "{flags}")')
        if (other := g.value(prop, SH.lessThan)) is not None:
            # Values that do not compare break it too; IRIs compare as their text, as in pySHACL.
            v, w = (f"IF(isIRI({x}), STR({x}), {x})" for x in ("?v", "?w"))
            conditions.append(f"EXISTS {{ {step} . ?this {_iri(other)} ?w . FILTER (!COALESCE({v} < {w}, false)) }}")
        if (alternatives := g.value(prop, SH["or"])) is not None:
            alt_tests = []
            for alt in Collection(g, alternatives):
                (parameter, value), = self.only(alt, {SH["class"], SH.datatype}, shape, "sh:or members")
                alt_tests.append(self.class_ok("?v", value) if parameter == SH["class"] else _datatype_ok("?v", value))
            tests.append("!(" + " || ".join(alt_tests) + ")")
        if (qualified := g.value(prop, SH.qualifiedValueShape)) is not None:
            (_, cls), = self.only(qualified, {SH["class"]}, shape, "sh:qualifiedValueShape")
            grouped(number(SH.qualifiedMinCount), number(SH.qualifiedMaxCount), f"FILTER ({self.class_ok('?v', cls)})")
        count(number(SH.minCount), number(SH.maxCount))
        if tests:
            conditions.append(f"EXISTS {{ {step} . FILTER ({' || '.join(f'({t})' for t in tests)}) }}")
        if conditions:
            checks.append(Check(f"SELECT DISTINCT ?this WHERE {{ {focus} FILTER ({' || '.join(conditions)}) }}",
                                shown, message, severity))
        return checks


def compile_shapes(shapes_path: Path | None = None, subclasses: dict[str, set[str]] | None = None) -> list[Check]:
    """The Checks of a shapes file (default: ontology/shapes.ttl); a KgError if it uses anything unsupported."""
    shapes = Graph().parse(shapes_path or ontology_dir() / "shapes.ttl", format="turtle")
    return Compiler(shapes, subclasses).checks()


def subclass_closure(*sources: ox.Store | Path) -> dict[str, set[str]]:
    """Each class named in an rdfs:subClassOf triple of `sources` (the default graph of a store,
    or a Turtle file) -> all its subclasses, however deep."""
    direct: dict[str, set[str]] = {}
    predicate = ox.NamedNode(SUBCLASS)
    for source in sources:
        if isinstance(source, ox.Store):
            quads = source.quads_for_pattern(None, predicate, None, ox.DefaultGraph())
        else:
            quads = (t for t in ox.parse(path=str(source), format=ox.RdfFormat.TURTLE) if t.predicate == predicate)
        for quad in quads:
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


def check_store(store: ox.Store, shapes_path: Path | None = None) -> Report:
    """The shapes' verdict on the default graph of `store` (the data only, as it will be
    written), with the rdfs:subClassOf axioms of ontology/kg.ttl and of the data. The store is
    only read. Warnings and infos are reported but do not make the graph non-conforming."""
    checks = compile_shapes(shapes_path, subclass_closure(ontology_dir() / "kg.ttl", store))

    def violations(check: Check) -> list[Violation]:
        return [Violation(focus_node=row["this"].value, path=check.path, message=check.message, severity=check.severity)
                for row in store.query(check.query)]

    found = {v for check in checks for v in violations(check)}
    return Report(conforms=not any(v.severity == "Violation" for v in found), violations=tuple(sorted(found)))


def check_triples(triples: Iterable[tuple], shapes_path: Path | None = None) -> Report:
    """`check_store` on a store of `triples` ((subject, predicate, object) of Oxigraph terms),
    freed once checked."""
    store = ox.Store()
    store.extend(ox.Quad(s, p, o) for s, p, o in triples)
    return check_store(store, shapes_path)


def check_file(path: Path, shapes_path: Path | None = None) -> Report:
    """`check_store` on a Turtle file; a missing or unparsable file is a GraphFileError."""
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run `kg build` first or pass its path")
    store = ox.Store()
    try:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"{path}: not valid Turtle ({exc})") from exc
    return check_store(store, shapes_path)
