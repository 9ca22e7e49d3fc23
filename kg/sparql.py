"""SPARQL over the built graph: a query given inline, as a file, or by the name of a
file in queries/; values bound as terms (SEP-0007 substitutions), never spliced into text.

Runs on Oxigraph (pyoxigraph), loaded from the Turtle file.
"""
from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import regex

from . import guard
from .errors import GraphFileError, QueryError
from .resources import queries_dir
from .text import key
from .vocab import PREFIXES

FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
           "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}


NAME = regex.compile(r"[A-Za-z][\w-]*")


def query_text(query: str) -> str:
    """The SPARQL text of `query`: a .rq/.sparql path, a name in queries/, or the query itself."""
    stripped = query.strip()
    candidates = [Path(stripped)] if stripped.endswith((".rq", ".sparql")) else []
    if "\n" not in stripped and " " not in stripped and stripped:
        candidates.append(queries_dir() / f"{stripped}.rq")
    for path in candidates:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    if stripped.endswith((".rq", ".sparql")):
        raise QueryError(f"{stripped}: no such query file")
    if NAME.fullmatch(stripped) and stripped.upper() not in KEYWORDS:
        names = [p.stem for p in named_queries()]
        near = difflib.get_close_matches(stripped, names, n=1, cutoff=0.5)
        hint = f"did you mean {near[0]!r}?" if near else f"the named queries are {', '.join(names)}"
        raise QueryError(f"no query named {stripped!r} in queries/; {hint}")
    return query


KEYWORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def load_store(graph: Path) -> ox.Store:
    if not graph.is_file():
        raise GraphFileError(f"{graph}: no such graph file; run `kg build` first or pass --graph")
    store = ox.Store()
    try:
        store.load(path=str(graph), format=ox.RdfFormat.TURTLE)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphFileError(f"{graph}: not valid Turtle ({exc})") from exc
    return store


def term(value: str) -> ox.NamedNode | ox.Literal:
    """A binding from the command line: <iri> is an IRI, anything else a plain literal.

    >>> term("<https://w3id.org/vjkg/resource/person/nguyen-manh-hung>")
    <NamedNode value=https://w3id.org/vjkg/resource/person/nguyen-manh-hung>
    >>> term('Nguyễn "X" <b>')
    <Literal value=Nguyễn "X" <b> datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>
    """
    if value.startswith("<") and value.endswith(">") and " " not in value:
        return ox.NamedNode(value[1:-1])
    return ox.Literal(value)


@dataclass(frozen=True)
class Table:
    variables: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def run(store: ox.Store, query: str, bindings: dict[str, str] | None = None):
    """The query's results, in this process: for trusted queries. `kg query` and `kg serve` go
    through kg.workers, which bound the time, memory and size a query takes."""
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    bindings = dict(bindings or {})
    if LABEL in bindings and not isinstance(term(bindings[LABEL]), ox.NamedNode):
        bindings[LABEL] = spelt(store, bindings[LABEL])
    substitutions = {ox.Variable(k): term(v) for k, v in bindings.items()}
    text = query_text(query)
    guard.check(text)
    try:
        return store.query(text, prefixes=prefixes, substitutions=substitutions or None)
    except SyntaxError as exc:
        missing = guard.undeclared(text, set(prefixes))
        if missing:
            raise QueryError(f"the query uses the prefix {missing[0]}: without declaring it; add "
                             f"PREFIX {missing[0]}: <...> at its top") from exc
        raise QueryError(f"the query does not parse: {exc}") from exc
    except (RuntimeError, ValueError, OSError) as exc:
        raise QueryError(f"the query cannot run: {exc}") from exc


LABEL = "label"  # a bound ?label matches any label of the graph written the same way, but for case and accents
LABELS = "SELECT DISTINCT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label>|<http://www.w3.org/2004/02/skos/core#altLabel> ?l }"


def spelt(store: ox.Store, label: str) -> str:
    """The graph's own spelling of a label given without its case or accents ("nguyen manh hung"
    -> "Nguyễn Mạnh Hùng"), as the view's search finds it; the label itself if none."""
    wanted = key(label)
    found = sorted({row["l"].value for row in store.query(LABELS) if key(row["l"].value) == wanted})
    return label if label in found or not found else found[0]


def named_queries() -> list[Path]:
    return sorted(queries_dir().glob("*.rq"))


GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "n-triples": ox.RdfFormat.N_TRIPLES}


def execute(store: ox.Store, job) -> tuple[str, bytes]:
    """Run a kg.workers.Job: ("results", SELECT/ASK results) or ("graph", CONSTRUCT/DESCRIBE triples), serialized."""
    results = run(store, job.query, dict(job.bindings))
    try:
        if isinstance(results, ox.QueryTriples):  # with the graph's prefixes
            turtle = job.graph_format == "turtle"
            # not the resources' namespace: their paths would need escaping ("kgr:person\/...")
            prefixes = {p: str(ns) for p, ns in PREFIXES.items() if p != "kgr"} if turtle else None
            return "graph", ox.serialize(results, format=GRAPH_FORMATS[job.graph_format], prefixes=prefixes)
        if job.results_format not in FORMATS:
            raise QueryError(f"SELECT and ASK results come as {', '.join(FORMATS)} or a table; "
                             f"{job.results_format} is for CONSTRUCT")
        out = io.BytesIO()
        results.serialize(out, FORMATS[job.results_format])
        return "results", out.getvalue()
    except (RuntimeError, ValueError, OSError) as exc:
        raise QueryError(f"the query cannot run: {exc}") from exc


def table_of(body: bytes) -> Table:
    """SPARQL JSON results as plain strings, for display."""
    import json

    data = json.loads(body)
    if "boolean" in data:
        return Table(("result",), ((str(data["boolean"]).lower(),),))
    names = tuple(data["head"]["vars"])
    return Table(names, tuple(tuple(row.get(n, {}).get("value", "") for n in names)
                              for row in data["results"]["bindings"]))
