"""The SPARQL endpoint, end to end with a real SPARQL client over HTTP."""
from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import uvicorn
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.query import load_store
from kg.serve import create_app


@pytest.fixture(scope="module")
def endpoint(built: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(load_store(built / "kg.ttl")), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/sparql"
    server.should_exit = True
    thread.join(timeout=5)


def client(url: str, query: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setMethod(method)
    sparql.setReturnFormat(JSON)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_select(endpoint: str, method: str):
    result = client(endpoint, """
        PREFIX kg: <https://w3id.org/vjkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name WHERE { ?a a kg:Agreement ; kg:signatory/rdfs:label ?name } ORDER BY ?name""", method).queryAndConvert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Nguyễn Mạnh Hùng", "Takaichi Sanae"]


def test_ask(endpoint: str):
    result = client(endpoint, "ASK { ?p a <https://schema.org/Person> }").queryAndConvert()
    assert result["boolean"] is True


def test_update_is_refused(endpoint: str):
    sparql = SPARQLWrapper(endpoint, updateEndpoint=endpoint)
    sparql.setQuery('INSERT DATA { <urn:a> <urn:b> "c" }')
    sparql.setMethod("POST")
    with pytest.raises(urllib.error.HTTPError) as info:  # SPARQLWrapper passes a 403 through as is
        sparql.query()
    assert info.value.code == 403
    assert "read-only" in info.value.read().decode("utf-8")
    count = client(endpoint, "ASK { <urn:a> <urn:b> ?c }").queryAndConvert()
    assert count["boolean"] is False


def test_malformed_query_gives_400_with_a_message(endpoint: str):
    with pytest.raises(QueryBadFormed) as info:
        client(endpoint, "SELECT ?x WHERE { ?x ").queryAndConvert()
    assert "malformed query" in str(info.value)
    # and the server is still up
    assert client(endpoint, "ASK { ?s ?p ?o }").queryAndConvert()["boolean"] is True


@pytest.mark.parametrize("accept, media, start", [
    ("text/csv", "text/csv", "name\r\n"),
    ("text/tab-separated-values", "text/tab-separated-values", "?name\n"),
    ("application/sparql-results+xml", "application/sparql-results+xml", "<?xml"),
])
def test_content_negotiation(endpoint: str, accept: str, media: str, start: str):
    query = urllib.parse.quote("SELECT ?name WHERE { ?p a <https://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name }")
    request = urllib.request.Request(f"{endpoint}?query={query}", headers={"Accept": accept})
    with urllib.request.urlopen(request) as response:
        assert response.headers["content-type"].startswith(media)
        assert response.read().decode("utf-8").startswith(start)


def test_construct_as_turtle(endpoint: str):
    query = urllib.parse.quote("CONSTRUCT { ?p a <https://schema.org/Person> } WHERE { ?p a <https://schema.org/Person> }")
    request = urllib.request.Request(f"{endpoint}?query={query}", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request) as response:
        assert response.headers["content-type"].startswith("text/turtle")
        assert b"nguyen-manh-hung" in response.read()


def test_update_parameter_on_get_is_refused(endpoint: str):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(f"{endpoint}?update=CLEAR%20ALL")
    assert info.value.code == 403
