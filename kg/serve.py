"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (Starlette on uvicorn).

GET /sparql?query=... or POST (form-encoded `query=`, or an `application/sparql-query`
body); results negotiated with the Accept header: SPARQL JSON (default), XML, CSV, TSV,
and Turtle or N-Triples for CONSTRUCT/DESCRIBE. Updates and SERVICE are refused; a query is
bounded in length and nesting before it runs (kg.guard), and runs in a worker process with a
time, memory and result-size limit (kg.workers), on the graph file as it is when the query
comes (a rebuilt kg.ttl is loaded anew). Reads are open to every origin (CORS). GET / is a
query page that works offline: an editor, the named queries, results as a table.
"""
from __future__ import annotations

import errno
import json
import socket
from importlib import resources
from urllib.parse import parse_qs

from . import guard
from .errors import KgError, QueryError
from .guard import QueryRefused
from .sparql import named_queries
from .workers import Job, Workers

try:
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, PlainTextResponse, Response
    from starlette.routing import Route
except ImportError as exc:
    raise KgError("`kg serve` needs the optional server extra: `pip install 'vjkg[serve]'`") from exc

RESULTS = {  # media type -> results format (kg.sparql.FORMATS), first is the default
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPHS = {"text/turtle": "turtle", "application/n-triples": "n-triples"}
MAX_URL = 1_000_000  # bytes of a GET request's query string (a deep or long query, percent-encoded, gets a clear 400)
HEAD_ROOM = 64 * 1024  # what the HTTP parser may buffer beyond that (the request line's rest, the headers)
MAX_BODY = 1_000_000  # bytes of a POST body
READ_ONLY = "this endpoint is read-only: SPARQL updates are refused"


def negotiate(accept: str, offers: dict) -> str:
    """The first offered media type the Accept header admits (quality values respected); the default otherwise.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULTS)
    'application/sparql-results+xml'
    >>> negotiate("*/*", RESULTS)
    'application/sparql-results+json'
    """
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, *params = [x.strip() for x in part.split(";")]
        q = next((float(p[2:]) for p in params if p.startswith("q=") and p[2:].replace(".", "", 1).isdigit()), 1.0)
        ranked.append((-q, i, media.lower()))
    for _, _, media in sorted(ranked):
        if media in offers:
            return media
        if media in ("*/*", "application/*", "text/*"):
            break
    return next(iter(offers))


def run_query(workers: Workers, query: str, accept: str) -> Response:
    """The query, bounded (kg.guard) and run by a worker process (kg.workers), as an HTTP response."""
    results_media, graph_media = negotiate(accept, RESULTS), negotiate(accept, GRAPHS)
    try:
        guard.check(query)
        answer = workers.run(Job(query, results_format=RESULTS[results_media], graph_format=GRAPHS[graph_media]))
    except QueryRefused as exc:
        return PlainTextResponse(f"{exc}\n", status_code=exc.status)
    except QueryError as exc:
        return PlainTextResponse(f"{exc}\n", status_code=400)
    return Response(answer.body, media_type=graph_media if answer.kind == "graph" else results_media)


async def read_body(request: Request) -> bytes | None:
    """The request's body, or None when it is over MAX_BODY (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


def query_page() -> str:
    """The page at /: an editor, the named queries, results as a table; no file from elsewhere."""
    queries = {path.stem: path.read_text(encoding="utf-8") for path in named_queries()}
    data = json.dumps(queries, ensure_ascii=False).replace("<", "\\u003c")  # no "</script>" in the data
    return (resources.files(__package__) / "page" / "sparql.html").read_text(encoding="utf-8").replace("__QUERIES__", data)


def create_app(workers: Workers) -> Starlette:
    async def sparql(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        if len(request.url.query) > MAX_URL:
            return PlainTextResponse(f"the request URL is over {MAX_URL:,} bytes; POST long queries\n", status_code=414)
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                return PlainTextResponse(READ_ONLY + "\n", status_code=403)
            query = params.get("query")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return PlainTextResponse(READ_ONLY + "\n", status_code=403)
            body = await read_body(request)
            if body is None:
                return PlainTextResponse(f"the request body is over {MAX_BODY:,} bytes\n", status_code=413)
            if ctype == "application/sparql-query":
                query = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", errors="replace"))
                if "update" in form:
                    return PlainTextResponse(READ_ONLY + "\n", status_code=403)
                query = form.get("query", [None])[0]
            else:
                return PlainTextResponse("POST a form with query=... or an application/sparql-query body\n",
                                         status_code=415)
        if not query:
            return PlainTextResponse("missing the query parameter\n", status_code=400)
        return await run_in_threadpool(run_query, workers, str(query), accept)

    page = query_page()

    async def home(request: Request) -> Response:
        return HTMLResponse(page)

    # Reads from any origin (a browser SPARQL client, a notebook's JavaScript): the endpoint is
    # read-only and answers the same to everyone, so no origin is trusted with more than another.
    cors = Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                      allow_headers=["Accept", "Content-Type"], max_age=600)
    return Starlette(routes=[Route("/", home, methods=["GET"]), Route("/sparql", sparql, methods=["GET", "POST"])],
                     middleware=[cors])


def check_port(host: str, port: int) -> None:
    """A clear error now, rather than a banner and then uvicorn's traceback, when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            reason = "in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
            raise KgError(f"cannot listen on {host}:{port}: {reason}; pass another --port") from exc


def serve(workers: Workers, host: str = "127.0.0.1", port: int = 7878) -> None:
    import uvicorn

    try:
        uvicorn.run(create_app(workers), host=host, port=port, log_level="info",
                    h11_max_incomplete_event_size=MAX_URL + HEAD_ROOM)
    finally:
        workers.close()
