"""Bounds a SPARQL query's text before the engine sees it: its length, how deeply its groups
nest (the engine's parser recurses, and a few thousand nested braces crash the process), and
no SERVICE (the engine would send HTTP requests wherever the query says).

A small scanner, not a parser: it skips strings, IRIs and comments, and counts brackets and
keywords in what is left.
"""
from __future__ import annotations

import regex

from .errors import QueryError

MAX_LENGTH = 100_000  # characters
MAX_DEPTH = 64  # nested { ( [
OPENING, CLOSING = "{([", "})]"
# What the scanner skips whole: long and short strings, IRIs, comments.
SKIPPED = regex.compile(r'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|$)|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*(?:\'\'\'|$)'
                        r'|"(?:[^"\\\n]|\\.)*(?:"|$)|\'(?:[^\'\\\n]|\\.)*(?:\'|$)'
                        r'|<[^<>"{}|^`\\\s]*>|#[^\n]*', regex.DOTALL)
# a variable, a prefixed name, or a keyword: only the last can be SERVICE
WORD = regex.compile(r"[?$][\p{L}\p{N}_]+|[\p{L}\p{N}_\-.]*:[\p{L}\p{N}_\-.%:]*|[\p{L}_][\p{L}\p{N}_]*")
OUTBOUND = {"SERVICE"}
NO_OUTBOUND = "this endpoint makes no outbound requests: SERVICE is refused"
# What opens a SPARQL Update operation: the graph is read-only.
UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
DECLARED = regex.compile(r"(?i)\bPREFIX\s+([\p{L}\p{N}_\-.]*):")


class QueryRefused(QueryError):
    """A query the endpoint does not run; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def check(query: str, max_length: int = MAX_LENGTH, max_depth: int = MAX_DEPTH) -> None:
    """Raise QueryRefused unless the query is short and shallow enough and asks for no SERVICE.

    >>> check("SELECT * WHERE { ?s ?p ?o }")
    >>> check("SELECT * WHERE " + "{" * 100 + "}" * 100)
    Traceback (most recent call last):
    ...
    kg.guard.QueryRefused: the query nests groups 100 deep; at most 64 are allowed
    >>> check('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    Traceback (most recent call last):
    ...
    kg.guard.QueryRefused: this endpoint makes no outbound requests: SERVICE is refused
    >>> check('SELECT ?service WHERE { ?service ex:service "SERVICE {{{" . ?s <http://x/service> ?o }')
    """
    depth = deepest = 0
    code = scanned(query)
    depth, deepest = _scan(code, depth, deepest)
    first = next((w.upper() for w in WORD.findall(DECLARED.sub(" ", code)) if w.upper() not in ("PREFIX", "BASE")
                  and not w.endswith(":")), "")
    if first in UPDATES:
        raise QueryRefused(f"the graph is read-only: {first} is an update; kg runs SELECT, ASK, CONSTRUCT and DESCRIBE", 403)
    if deepest > max_depth:
        raise QueryRefused(f"the query nests groups {deepest:,} deep; at most {max_depth} are allowed", 400)
    if len(query) > max_length:
        raise QueryRefused(f"the query is {len(query):,} characters long; at most {max_length:,} are allowed", 413)


def scanned(query: str) -> str:
    """The query without its strings, IRIs and comments (each left as a space)."""
    return SKIPPED.sub(" ", query)


def undeclared(query: str, known: set[str]) -> list[str]:
    """The prefixes the query uses that neither it nor `known` declares.

    >>> undeclared("PREFIX ex: <http://x/> SELECT * { ?s ex:p foo:bar }", {"rdfs"})
    ['foo']
    """
    code = scanned(query)
    declared = set(DECLARED.findall(code)) | known
    used = [w.split(":")[0] for w in WORD.findall(DECLARED.sub(" ", code)) if ":" in w and not w.startswith(("?", "$"))]
    return sorted({u for u in used if u not in declared})


def _scan(code: str, depth: int, deepest: int) -> tuple[int, int]:
    for word in WORD.findall(code):
        if word.upper() in OUTBOUND:
            raise QueryRefused(NO_OUTBOUND, 403)
    for ch in code:
        if ch in OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif ch in CLOSING:
            depth -= 1
    return depth, deepest
