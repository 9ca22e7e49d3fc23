"""A read-only SPARQL 1.1 Protocol endpoint over the built graph (Starlette on uvicorn).

GET /sparql?query=... or POST (form-encoded `query=`, or an `application/sparql-query`
body); results negotiated with the Accept header: SPARQL JSON (default), XML, CSV, TSV,
and Turtle or N-Triples for CONSTRUCT/DESCRIBE. Updates are refused.
"""
from __future__ import annotations

from urllib.parse import parse_qs

import pyoxigraph as ox

from .errors import KgError
from .vocab import PREFIXES

try:
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route
except ImportError as exc:
    raise KgError("`kg serve` needs the optional server extra: `pip install 'vjkg[serve]'`") from exc

RESULTS = {  # media type -> results format, first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
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


def run_query(store: ox.Store, query: str, accept: str) -> Response:
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    try:
        results = store.query(query, prefixes=prefixes)
    except SyntaxError as exc:
        message = READ_ONLY if _looks_like_update(query) else f"malformed query: {exc}"
        return PlainTextResponse(message + "\n", status_code=403 if _looks_like_update(query) else 400)
    except (RuntimeError, ValueError, OSError) as exc:
        return PlainTextResponse(f"query failed: {exc}\n", status_code=400)
    if isinstance(results, ox.QueryTriples):
        media = negotiate(accept, GRAPHS)
        return Response(ox.serialize(results, format=GRAPHS[media]), media_type=media)
    media = negotiate(accept, RESULTS)
    return Response(results.serialize(format=RESULTS[media]), media_type=media)


def _looks_like_update(text: str) -> bool:
    words = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"}
    return any(word.upper().strip("{") in words for word in text.split())


def create_app(store: ox.Store) -> Starlette:
    async def sparql(request: Request) -> Response:
        accept = request.headers.get("accept", "")
        if request.method == "GET":
            params = request.query_params
            if "update" in params:
                return PlainTextResponse(READ_ONLY + "\n", status_code=403)
            query = params.get("query")
        else:
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                return PlainTextResponse(READ_ONLY + "\n", status_code=403)
            if ctype == "application/sparql-query":
                query = (await request.body()).decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs((await request.body()).decode("utf-8", errors="replace"))
                if "update" in form:
                    return PlainTextResponse(READ_ONLY + "\n", status_code=403)
                query = form.get("query", [None])[0]
            else:
                return PlainTextResponse("POST a form with query=... or an application/sparql-query body\n",
                                         status_code=415)
        if not query:
            return PlainTextResponse("missing the query parameter\n", status_code=400)
        return await run_in_threadpool(run_query, store, str(query), accept)

    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"])])


def serve(store: ox.Store, host: str = "127.0.0.1", port: int = 7878) -> None:
    import uvicorn

    uvicorn.run(create_app(store), host=host, port=port, log_level="info")
