"""The built graph in other formats: JSON-LD with a context, N-Triples, GraphML and GEXF."""
from __future__ import annotations

import io
import json

import networkx as nx
import regex
from rdflib import Graph, URIRef
from rdflib.extras.external_graph_libs import rdflib_to_networkx_multidigraph

from .vocab import KG, ORG, OWL, PREFIXES, RDF, RDFS, SDO

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


# What a node is, for Gephi or Cytoscape: an entity or an article. Annotations, selectors,
# memberships and roles are not nodes (a membership is a person -> organization edge).
NODE_TYPES = {SDO.Person: "Person", SDO.Organization: "Organization", SDO.Country: "Country", SDO.Place: "Place",
              KG.Technology: "Technology", KG.Field: "Field", SDO.Event: "Event", KG.Agreement: "Agreement",
              SDO.NewsArticle: "Article"}
LANGUAGES = ("fr", "en", "")  # which label a node shows: the French one first, as the view does
COUNTRY_OF = (SDO.location, SDO.nationality, SDO.containedInPlace)
WIKIDATA = "http://www.wikidata.org/entity/"


def label_of(graph: Graph, node) -> str:
    labels = sorted(graph.objects(node, RDFS.label), key=lambda lab: (
        LANGUAGES.index(lab.language or "") if (lab.language or "") in LANGUAGES else len(LANGUAGES), str(lab)))
    headline = graph.value(node, SDO.headline)  # an article's
    return str(labels[0]) if labels else str(headline) if headline is not None else local_name(str(node))


def attributes(graph: Graph, node, kind: str) -> dict[str, str]:
    """A node's attributes: type, label, country, Wikidata id; an agreement's kind, date and
    place; an article's URL and date. Only those the graph gives."""
    found = {"type": kind, "label": label_of(graph, node)}
    country = next((o for p in COUNTRY_OF for o in sorted(graph.objects(node, p))), None)
    same = sorted(str(o) for o in graph.objects(node, OWL.sameAs) if str(o).startswith(WIKIDATA))
    values = {
        "country": label_of(graph, country) if country is not None else None,
        "wikidata": same[0][len(WIKIDATA):] if same else None,
        "kind": graph.value(node, KG.agreementKind),
        "signedOn": graph.value(node, KG.signedOn),
        "signedAt": label_of(graph, graph.value(node, KG.signedAt)) if graph.value(node, KG.signedAt) else None,
        "url": graph.value(node, SDO.url),
        "published": graph.value(node, SDO.datePublished),
    }
    found.update({name: str(value) for name, value in values.items() if value is not None})
    return {name: xml_text(value) for name, value in found.items()}


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Entities and articles as typed nodes with their attributes; the links between them as
    edges labelled by property, and each membership as a person -> organization edge with its role."""
    kinds = {}
    for cls, kind in NODE_TYPES.items():
        for node in graph.subjects(RDF.type, cls):
            if isinstance(node, URIRef) and (node not in kinds or kind != "Organization"):
                kinds[node] = kind  # a government organization is an organization; a concept its own kind
    links = Graph()
    for s, p, o in graph:
        if s in kinds and o in kinds and p != RDF.type:
            links.add((s, p, o))
    roles = {}
    for membership in graph.subjects(RDF.type, ORG.Membership):
        person, body = graph.value(membership, ORG.member), graph.value(membership, ORG.organization)
        if person in kinds and body in kinds:
            links.add((person, ORG.memberOf, body))
            role = graph.value(membership, ORG.role)
            roles.setdefault((person, body), set()).add(label_of(graph, role) if role is not None else "")

    def edge(s, p, o) -> dict:
        attrs = {"key": local_name(str(p)), "property": local_name(str(p)), "label": local_name(str(p))}
        if p == ORG.memberOf:
            attrs["role"] = xml_text("; ".join(sorted(roles[(s, o)])))
        return attrs

    linked = rdflib_to_networkx_multidigraph(links, edge_attrs=edge)
    out = nx.MultiDiGraph()  # nodes and edges in a fixed order: the same bytes every time
    for node in sorted(kinds, key=str):
        out.add_node(xml_text(str(node)), **attributes(graph, node, kinds[node]))
    for s, o, k, attrs in sorted(linked.edges(keys=True, data=True), key=lambda e: (str(e[0]), str(e[1]), e[2])):
        out.add_edge(xml_text(str(s)), xml_text(str(o)), key=k, **attrs)
    return out


def to_graphml(graph: Graph) -> str:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


TODAY = regex.compile(r' lastmodifieddate="[^"]*"')  # networkx writes the day of the export: two exports would differ


def to_gexf(graph: Graph) -> str:
    buffer = io.BytesIO()
    nx.write_gexf(to_networkx(graph), buffer, encoding="utf-8")
    return TODAY.sub("", buffer.getvalue().decode("utf-8"), count=1)


def export(graph: Graph, fmt: str) -> str:
    return {"jsonld": to_jsonld, "nt": to_ntriples, "graphml": to_graphml, "gexf": to_gexf}[fmt](graph)
