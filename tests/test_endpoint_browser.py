"""`kg serve` from a browser: a page on another origin reads the endpoint (CORS, with and
without a preflight), and the query page at / runs a named query with no request elsewhere.
Skipped or required as tests/test_browser.py is (Debian's chromium, driven by Playwright)."""
from __future__ import annotations

import functools
import http.server
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_serve import serving
from .test_browser import VIEWPORT, Browser, browser  # noqa: F401 - the module's fixture, and its skip rules

CLIENT = """<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>client</title></head><body><script>
window.ask = async (endpoint) => {
  const query = "SELECT ?a WHERE { ?a a <https://w3id.org/vjkg/ontology#Agreement> }";
  const get = await fetch(endpoint + "?query=" + encodeURIComponent(query),
                          { headers: { "Accept": "application/sparql-results+json" } });
  const post = await fetch(endpoint, { method: "POST", body: query,  // not a simple request: preflighted
                                       headers: { "Content-Type": "application/sparql-query" } });
  return [get.status, (await get.json()).results.bindings.length, post.status,
          (await post.json()).results.bindings.length];
};
</script></body></html>"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    graph = tmp_path_factory.mktemp("served") / "kg.ttl"
    shutil.copyfile(built / "kg.ttl", graph)
    with serving(graph) as url:
        yield url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def other_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("client")
    (folder / "client.html").write_text(CLIENT, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/client.html"
    server.shutdown()


def test_a_page_on_another_origin_reads_the_endpoint(browser: Browser, endpoint: str,  # noqa: F811
                                                      other_origin: str) -> None:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(other_origin)
    assert page.evaluate("(endpoint) => window.ask(endpoint)", f"{endpoint}/sparql") == [200, 2, 200, 2]
    assert errors == []


def test_the_query_page_runs_a_named_query_with_no_request_elsewhere(browser: Browser,  # noqa: F811
                                                                      endpoint: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{endpoint}/")
    page.select_option("#named", "signatories")
    assert "kg:signatory" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("#results table")
    assert page.locator("#results tbody tr").count() == 2
    assert "Takaichi Sanae" in page.inner_text("#results")
    assert page.inner_text("#status") == "2 row(s)"
    assert all(url.startswith(endpoint) for url in requests), requests
