"""Check a built graph against the SHACL shapes in ontology/shapes.ttl.

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from .resources import ontology_dir
from .vocab import PREFIXES, RDF

__all__ = ["Report", "Violation", "ontology_dir", "validate"]

@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result, as plain strings."""

    focus_node: str
    path: str
    message: str
    severity: str


@dataclass(frozen=True)
class Report:
    """The outcome of `validate`: `conforms` and the results, sorted."""

    conforms: bool
    violations: tuple[Violation, ...]

    def summary(self) -> str:
        """One line per result: `<focus node>  <path>  <message>`."""
        return "\n".join(f"{v.focus_node}  {v.path or '-'}  {v.message}" for v in self.violations)


def validate(data: Graph, shapes_path: Path | None = None) -> Report:
    """Validate `data` against `shapes_path` (default: ontology/shapes.ttl).

    The ontology (ontology/kg.ttl) is mixed in so that `sh:class` sees its
    `rdfs:subClassOf` axioms; no other inference is done. Warnings and infos are
    reported but do not make the graph non-conforming. Never raises on violations.
    """
    import pyshacl  # a quarter of a second to import: not paid by builds, whose check (kg/shapes.py) only needs Report

    shapes = Graph().parse(shapes_path or ontology_dir() / "shapes.ttl", format="turtle")
    ontology = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    return Report(conforms=bool(conforms), violations=_violations(cast(Graph, results)))


def _violations(results: Graph) -> tuple[Violation, ...]:
    """Read every `sh:result` of a SHACL validation report graph."""
    found: set[Violation] = set()
    for result in results.objects(None, SH.result):
        found.add(Violation(
            focus_node=_text(results.value(result, SH.focusNode)),
            path=_path(results, results.value(result, SH.resultPath)),
            message=_text(results.value(result, SH.resultMessage)),
            severity=_local_name(results.value(result, SH.resultSeverity)),
        ))
    return tuple(sorted(found))


def _text(node: Node | None) -> str:
    """A node as a user-facing string: the IRI or the literal's lexical form."""
    return "" if node is None else str(node)


def _local_name(node: Node | None) -> str:
    """`sh:Violation` -> "Violation"."""
    return _text(node).rsplit("#", 1)[-1]


def _qname(node: Node) -> str:
    """A prefixed name when one of the project prefixes applies, else `<IRI>`."""
    text = str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return node.n3() if isinstance(node, (URIRef, Literal)) else text


_UNARY = {SH.inversePath: "^{}", SH.zeroOrMorePath: "{}*", SH.oneOrMorePath: "{}+", SH.zeroOrOnePath: "{}?"}


def _path(graph: Graph, path: Node | None) -> str:
    """A SHACL property path in SPARQL syntax, e.g. `^oa:hasBody`."""
    if path is None:
        return ""
    if not isinstance(path, BNode):
        return _qname(path)
    for predicate, template in _UNARY.items():
        inner = graph.value(path, predicate)
        if inner is not None:
            return template.format(_group(graph, inner))
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_group(graph, p) for p in Collection(graph, alternatives)) + ")"
    if graph.value(path, RDF.first) is not None:
        return "/".join(_group(graph, p) for p in Collection(graph, path))
    return str(path)


def _group(graph: Graph, path: Node) -> str:
    """`_path`, parenthesised when it is a sequence."""
    text = _path(graph, path)
    return f"({text})" if isinstance(path, BNode) and graph.value(path, RDF.first) is not None else text
