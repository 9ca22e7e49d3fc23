"""The SPARQL endpoint, end to end with a real SPARQL client over HTTP."""
from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from kg.serve import HEAD_ROOM, MAX_URL, create_app
from kg.workers import Limits, Workers

LIMITS = Limits(seconds=0.5, result_bytes=2_000_000, memory_mb=512, workers=2)
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint(built: Path):
    with serving(built / "kg.ttl") as url:
        yield url


@contextmanager
def serving(graph: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    workers = Workers(graph, LIMITS)
    server = uvicorn.Server(uvicorn.Config(create_app(workers), host="127.0.0.1", port=port, log_level="warning",
                                           h11_max_incomplete_event_size=MAX_URL + HEAD_ROOM))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/sparql"
    server.should_exit = True
    thread.join(timeout=5)
    workers.close()


def get(url: str, query: str) -> tuple[int, str]:
    """(status, body) of a GET with the query."""
    try:
        with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode({'query': query})}", timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def post(url: str, query: str) -> tuple[int, str]:
    request = urllib.request.Request(url, data=query.encode(), headers={"Content-Type": "application/sparql-query"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_deeply_nested_queries_get_400_and_the_server_keeps_serving(endpoint: str):
    for depth in (2_500, 100_000):
        for send in (get, post):
            status, body = send(endpoint, "SELECT * WHERE " + "{" * depth + "}" * depth)
            assert status == 400 and f"{depth:,} deep" in body, body
    assert get(endpoint, "ASK { ?s ?p ?o }") == (200, '{"head":{},"boolean":true}')


def test_service_is_refused_and_no_request_leaves(endpoint: str):
    connections = []
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.0)
        port = listener.getsockname()[1]
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
                      f"select * {{ service silent <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"):
            status, body = get(endpoint, query)
            assert status == 403 and "no outbound requests" in body
        try:
            connections.append(listener.accept())
        except TimeoutError:
            pass
    assert not connections


def test_a_runaway_query_is_stopped_at_the_time_limit_and_others_are_answered(endpoint: str):
    started = time.perf_counter()
    status, body = get(endpoint, CARTESIAN)
    assert status in (504, 507) and ("time limit" in body or "memory" in body), body
    assert time.perf_counter() - started < LIMITS.seconds + 5
    for _ in range(40):
        assert get(endpoint, CARTESIAN)[0] in (504, 507)
    started = time.perf_counter()
    assert get(endpoint, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")[0] == 200
    assert time.perf_counter() - started < 1.0


def test_results_over_the_size_limit_are_refused(endpoint: str):
    status, body = get(endpoint, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 200000")
    assert status in (413, 504, 507) and body


def test_oversized_requests_get_413_and_414(endpoint: str):
    import http.client

    parts = urllib.parse.urlsplit(endpoint)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.putrequest("POST", parts.path)
    connection.putheader("Content-Type", "application/sparql-query")
    connection.putheader("Content-Length", "5000000")
    connection.endheaders()  # the body is never sent: the declared length is enough to refuse it
    assert connection.getresponse().status == 413
    assert get(endpoint, "#" + "x" * (MAX_URL + 1_000))[0] == 414


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
    assert "the query does not parse" in str(info.value)
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


def test_a_cors_preflight_and_a_cross_origin_read_are_allowed(endpoint: str):
    preflight = urllib.request.Request(endpoint, method="OPTIONS", headers={
        "Origin": "http://127.0.0.1:9", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    with urllib.request.urlopen(preflight, timeout=30) as r:
        assert r.status == 200
        assert r.headers["Access-Control-Allow-Origin"] == "*"
        assert "POST" in r.headers["Access-Control-Allow-Methods"]
    request = urllib.request.Request(f"{endpoint}?{urllib.parse.urlencode({'query': 'ASK {}'})}",
                                     headers={"Origin": "http://127.0.0.1:9"})
    with urllib.request.urlopen(request, timeout=30) as r:
        assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_the_query_page_holds_the_named_queries(endpoint: str):
    with urllib.request.urlopen(endpoint.removesuffix("sparql"), timeout=30) as r:
        page = r.read().decode()
    assert r.headers["content-type"].startswith("text/html")
    assert '"signatories"' in page and "</script>" not in page.split('id="queries"')[1].split("</script>")[0]


def test_a_rebuilt_graph_file_is_seen_by_the_next_query(built: Path, tmp_path: Path):
    graph = tmp_path / "kg.ttl"
    shutil.copyfile(built / "kg.ttl", graph)
    count = "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kg:Agreement }"
    with serving(graph) as url:
        assert json.loads(get(url, count)[1])["results"]["bindings"][0]["n"]["value"] == "2"
        fresh = tmp_path / "new.ttl"
        fresh.write_text("@prefix kg: <https://w3id.org/vjkg/ontology#> .\n<urn:x:a> a kg:Agreement .\n",
                         encoding="utf-8")
        os.replace(fresh, graph)  # as kg build writes it: whole, at once
        assert json.loads(get(url, count)[1])["results"]["bindings"][0]["n"]["value"] == "1"
        graph.write_text("not turtle", encoding="utf-8")  # a broken file: the last good graph stays served
        assert json.loads(get(url, count)[1])["results"]["bindings"][0]["n"]["value"] == "1"


def test_a_busy_port_is_one_line_before_any_banner(built: Path):
    from typer.testing import CliRunner

    from kg.cli import app
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--graph", str(built / "kg.ttl"), "--port", str(port)],
                                    env={"COLUMNS": "200"})
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.strip()] == [
        f"error: cannot listen on 127.0.0.1:{port}: in use; pass another --port"]
