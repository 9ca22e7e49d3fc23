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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from .errors import KgError
from .resources import ontology_dir
from .vocab import RDF, XSD

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


@dataclass(frozen=True)
class Check:
    """One compiled constraint: a SELECT returning ?this (and ?v) for each violation."""

    query: str
    path: str
    message: str


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
        types = " ".join(_iri(c) for c in sorted({str(cls)} | self.subclasses.get(str(cls), set())))
        return f"VALUES ?type {{ {types} }} {var} a ?type"

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
            step, shown = f"?v {_iri(inverse)} ?this", "^" + str(inverse)
        else:
            step, shown = f"?this {_iri(path)} ?v", str(path)
        message = str(g.value(prop, SH.message) or g.value(shape, SH.message) or "")
        focus = f"{{ SELECT DISTINCT ?this WHERE {{ {targets} }} }}"
        checks: list[Check] = []

        # A violation is (focus node, path, message), the same for every constraint of this
        # property shape: its counts go in one query, its value tests in another.
        counts: list[str] = []
        tests: list[str] = []

        def count(having: str, value_filter: str) -> None:
            checks.append(Check(f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ {step} . {value_filter} }} }} "
                                f"GROUP BY ?this HAVING ({having})", shown, message))

        def values(condition: str, extra: str = "") -> None:
            checks.append(Check(f"SELECT DISTINCT ?this ?v WHERE {{ {focus} {step} . {extra} FILTER ({condition}) }}",
                                shown, message))

        if (n := g.value(prop, SH.minCount)) is not None:
            counts.append(f"COUNT(DISTINCT ?v) < {int(n)}")
        if (n := g.value(prop, SH.maxCount)) is not None:
            counts.append(f"COUNT(DISTINCT ?v) > {int(n)}")
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
            values("!(?v < ?w)", f"?this {_iri(other)} ?w .")
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
            conforming = f"FILTER ({self.class_ok('?v', cls)})"
            limits = [f"COUNT(DISTINCT ?v) {cmp} {int(n)}" for cmp, n in
                      (("<", g.value(prop, SH.qualifiedMinCount)), (">", g.value(prop, SH.qualifiedMaxCount)))
                      if n is not None]
            if limits:
                count(" || ".join(limits), conforming)
        if counts:
            count(" || ".join(counts), "")
        if tests:
            values(" || ".join(f"({t})" for t in tests))
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


def _check_store(store: ox.Store, shapes_path: Path | None):
    from .validate import Report, Violation, _qname  # one Report type for both engines

    store.load(path=str(ontology_dir() / "kg.ttl"), format=ox.RdfFormat.TURTLE)

    def violations(check: Check) -> list[Violation]:
        path = _qname(URIRef(check.path)) if not check.path.startswith("^") else "^" + _qname(URIRef(check.path[1:]))
        return [Violation(focus_node=row["this"].value, path=path, message=check.message, severity="Violation")
                for row in store.query(check.query)]

    # Oxigraph evaluates a query without holding the GIL: the queries run side by side.
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        checks = compile_shapes(shapes_path, subclass_closure(store))
        found = {v for found in pool.map(violations, checks) for v in found}
    return Report(conforms=not found, violations=tuple(sorted(found)))


def check_file(path: Path, shapes_path: Path | None = None):
    """Validate a Turtle file; a missing or unparsable file is a GraphFileError."""
    from .errors import GraphFileError

    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file; run `kg build` first or pass its path")
    try:
        return check_path(path, shapes_path)
    except (SyntaxError, UnicodeDecodeError) as exc:
        raise GraphFileError(f"{path}: not valid Turtle ({exc})") from exc
