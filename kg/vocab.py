"""Namespaces and terms: the only module where an ontology IRI is written."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

__all__ = ["ALT_LABEL", "DCTERMS", "DERIVED_FROM", "HEADLINE", "KG", "KGR", "LABEL", "NEWS_ARTICLE", "OA", "ORG", "OWL",
           "PREFIXES", "PROV", "RDF", "RDFS", "SDO", "SKOS", "TYPE", "XSD"]


class KG(DefinedNamespace):
    """This project's ontology (ontology/kg.ttl)."""

    _NS = Namespace("https://w3id.org/vjkg/ontology#")
    _fail = True

    Agreement: URIRef
    Technology: URIRef
    Field: URIRef
    party: URIRef
    signatory: URIRef
    signedOn: URIRef
    signedAt: URIRef
    topic: URIRef
    validFrom: URIRef
    validUntil: URIRef
    duration: URIRef
    agreementKind: URIRef
    roleTitle: URIRef


class OA(DefinedNamespace):
    """W3C Web Annotation vocabulary (the terms used for evidence)."""

    _NS = Namespace("http://www.w3.org/ns/oa#")
    _fail = True

    Annotation: URIRef
    SpecificResource: URIRef
    TextPositionSelector: URIRef
    TextQuoteSelector: URIRef
    hasBody: URIRef
    hasTarget: URIRef
    hasSource: URIRef
    hasSelector: URIRef
    start: URIRef
    end: URIRef
    exact: URIRef
    motivatedBy: URIRef
    describing: URIRef


KGR = Namespace("https://w3id.org/vjkg/resource/")

# The terms written or read for every node or triple, made once: an rdflib DefinedNamespace
# makes a new URIRef at each attribute access.
TYPE, LABEL, ALT_LABEL, DERIVED_FROM = RDF.type, RDFS.label, SKOS.altLabel, PROV.wasDerivedFrom
HEADLINE, NEWS_ARTICLE = SDO.headline, SDO.NewsArticle

PREFIXES: dict[str, Namespace] = {
    "kg": Namespace(str(KG._NS)),
    "kgr": KGR,
    "schema": Namespace(str(SDO._NS)),
    "org": Namespace(str(ORG._NS)),
    "prov": Namespace(str(PROV._NS)),
    "oa": Namespace(str(OA._NS)),
    "dcterms": Namespace(str(DCTERMS._NS)),
    "skos": Namespace(str(SKOS._NS)),
    "owl": Namespace(str(OWL._NS)),
    "xsd": Namespace(str(XSD._NS)),
    "rdfs": Namespace(str(RDFS._NS)),
    "rdf": Namespace(str(RDF._NS)),
}
