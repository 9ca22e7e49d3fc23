"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (Starlette on uvicorn).

GET /sparql?query=... or POST (form-encoded `query=`, or an `application/sparql-query`
body); results negotiated with the Accept header: SPARQL JSON (default), XML, CSV, TSV,
and Turtle or N-Triples for CONSTRUCT/DESCRIBE. Updates and SERVICE are refused; a query is
bounded in length and nesting before it runs (kg.guard), and runs in a worker process with a
time, memory and result-size limit (kg.workers).
"""
from __future__ import annotations

from urllib.parse import parse_qs

from . import guard
from .errors import KgError, QueryError
from .guard import QueryRefused
from .workers import Job, Workers

try:
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
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
        update = _looks_like_update(query)
        return PlainTextResponse((READ_ONLY if update else str(exc)) + "\n", status_code=403 if update else 400)
    return Response(answer.body, media_type=graph_media if answer.kind == "graph" else results_media)


def _looks_like_update(text: str) -> bool:
    words = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
    return any(word.upper().strip("{") in words for word in text.split())


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

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"])])


def serve(workers: Workers, host: str = "127.0.0.1", port: int = 7878) -> None:
    import uvicorn

    try:
        uvicorn.run(create_app(workers), host=host, port=port, log_level="info",
                    h11_max_incomplete_event_size=MAX_URL + HEAD_ROOM)
    finally:
        workers.close()
