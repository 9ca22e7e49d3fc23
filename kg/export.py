"""The built graph in other formats: JSON-LD with a context, N-Triples, GraphML and GEXF."""
from __future__ import annotations

import io
import json

import networkx as nx
import regex
from rdflib import Graph, Literal, URIRef

from .vocab import PREFIXES, RDF, RDFS

FORMATS = ("jsonld", "nt", "graphml", "gexf")
SUFFIX = {"jsonld": "kg.jsonld", "nt": "kg.nt", "graphml": "kg.graphml", "gexf": "kg.gexf"}


def to_jsonld(graph: Graph) -> str:
    """Compact JSON-LD with the project's prefixes as its @context."""
    context = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
    data = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple per line, sorted so that the file diffs cleanly."""
    lines = xml_text(graph.serialize(format="nt")).splitlines()  # control characters as \uXXXX, as in kg.ttl
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def local_name(iri: str) -> str:
    """The last part of an IRI.

    >>> local_name("https://w3id.org/vjkg/ontology#signatory")
    'signatory'
    """
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


NOT_IN_XML = regex.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\p{Cs}]")  # XML 1.0 has no way to write them


def xml_text(text: str) -> str:
    r"""Text GraphML and GEXF can hold: a control character written as its escape, as N-Triples does.

    >>> xml_text("Hà Nội\x07!")
    'Hà Nội\\u0007!'
    """
    return NOT_IN_XML.sub(lambda m: f"\\u{ord(m[0]):04X}", text)


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Typed resources as nodes (label, types), links between them as edges keyed by property."""
    typed = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef)}
    links = sorted((s, p, o) for s, p, o in graph if s in typed and o in typed and p != RDF.type)
    used = sorted({s for s, _, _ in links} | {o for _, _, o in links}, key=str)
    out = nx.MultiDiGraph()
    for node in used:
        label = graph.value(node, RDFS.label) or Literal(local_name(str(node)))
        types = " ".join(sorted(local_name(str(t)) for t in graph.objects(node, RDF.type)))
        out.add_node(xml_text(str(node)), label=xml_text(str(label)), type=types)
    for s, p, o in links:
        out.add_edge(xml_text(str(s)), xml_text(str(o)), key=local_name(str(p)), property=local_name(str(p)))
    return out


def to_graphml(graph: Graph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def to_gexf(graph: Graph) -> str:
    buffer = io.BytesIO()
    nx.write_gexf(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def export(graph: Graph, fmt: str) -> str:
    return {"jsonld": to_jsonld, "nt": to_ntriples, "graphml": to_graphml, "gexf": to_gexf}[fmt](graph)
