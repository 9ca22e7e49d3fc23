"""A long fuzzing run of the article reader, the date parser and the query guards (not part of `make test`).

    .venv/bin/python benchmarks/fuzz.py [--examples 20000] [--only reader,segment,dates] [--seed N]
    make fuzz

Runs Hypothesis at a high example count, with no example database and no deadline, on:

- reader:  kg.articles.read_article on random bytes (anything, UTF-8 text, French news-like
           text, text behind a byte-order mark, NUL bytes or a file signature) written to a file
           in a temporary folder under a random suffix; it must return an Article whose segments
           are sound or raise ArticleError, nothing else;
- segment: kg.articles.segment on random text; segments in order, within the text, each a
           non-empty stripped line;
- dates:   find_dates, find_period, find_duration, find_valid_from and dateline_date on random
           text with a random publication date (valid, partial, impossible or garbage); no
           exception, every value a valid xsd lexical form;
- query:   random text, SPARQL-shaped queries (nested groups, OPTIONAL, UNION, FILTER with
           functions, VALUES, SERVICE), nesting thousands deep and huge literals, through
           kg.guard and a kg.workers worker on the seeds' graph: refused, answered or a
           QueryError, and the worker never dies;
- sidecar: any file name (not UTF-8 included) with any .meta.json (odd values, not an object,
           not JSON): read or refused with an ArticleError, and its source and language make
           valid RDF literals.

The strategies and checks are tests/hostile.py's, the property tests' own. Prints, per target,
the examples run, the time taken and the crashes found; on a crash it prints Hypothesis's
minimal failing example and the traceback, and exits 1. A crash found here becomes a test in
tests/test_regressions.py.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.articles import segment  # noqa: E402
from tests.hostile import (SUFFIXES, check_dates, check_query, check_read, check_read_with_sidecar,  # noqa: E402
                           check_segments, file_bytes, file_names, news_text, published, sidecar, sparql_query,
                           unicode_text)

TARGETS = ("reader", "segment", "dates", "query", "sidecar")
GRAPH = ROOT / "graphs" / "kg.ttl"  # the seeds' graph, committed


def fuzz(name: str, examples: int, seed_value: int | None, folder: Path) -> tuple[int, float, int, str | None]:
    """Run one target: (test cases run, seconds, distinct crashes, the failure report or None)."""
    count = 0
    config = settings(max_examples=examples, database=None, deadline=None, derandomize=False,
                      suppress_health_check=list(HealthCheck),
                      phases=(Phase.generate, Phase.shrink, Phase.explain), print_blob=True)
    text = st.one_of(unicode_text(400), news_text(max_parts=20))

    if name == "reader":
        @config
        @given(file_bytes(), st.sampled_from(SUFFIXES))
        def target(raw: bytes, suffix: str) -> None:
            nonlocal count
            count += 1
            check_read(folder, raw, suffix)
    elif name == "query":
        from kg.workers import Limits, Workers

        workers = Workers(GRAPH, Limits(seconds=2.0, memory_mb=1024, workers=1))

        @config
        @given(sparql_query())
        def target(query: str) -> None:
            nonlocal count
            count += 1
            check_query(workers, query)
    elif name == "sidecar":
        @config
        @given(file_names, sidecar())
        def target(file_name: str, meta: bytes) -> None:
            nonlocal count
            count += 1
            check_read_with_sidecar(folder, file_name, meta)
    elif name == "segment":
        @config
        @given(text)
        def target(t: str) -> None:
            nonlocal count
            count += 1
            check_segments(t, segment(t))
    else:
        @config
        @given(text, published())
        def target(t: str, pub: str | None) -> None:
            nonlocal count
            count += 1
            check_dates(t, pub)

    if seed_value is not None:
        target = seed(seed_value)(target)
    started = time.perf_counter()
    failure, crashes = None, 0
    try:
        target()
    except Exception as exc:  # noqa: BLE001 - a fuzzer reports whatever escapes
        # Hypothesis raises one minimal example per distinct failure (an ExceptionGroup for several).
        crashes = len(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else 1
        failure = "".join(traceback.format_exception(exc))
    return count, time.perf_counter() - started, crashes, failure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=20000, help="examples per target (default 20000)")
    parser.add_argument("--only", default=",".join(TARGETS), help=f"comma-separated targets among {', '.join(TARGETS)}")
    parser.add_argument("--seed", type=int, default=None, help="a fixed seed, to repeat a run")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose among {', '.join(TARGETS)}")

    crashes = 0
    total_examples, total_seconds = 0, 0.0
    with tempfile.TemporaryDirectory(prefix="kg-fuzz-") as tmp:  # noqa: SIM117
        for name in names:
            count, seconds, found, failure = fuzz(name, args.examples, args.seed, Path(tmp))
            total_examples += count
            total_seconds += seconds
            crashes += found
            print(f"{name:8} {count:>8,} examples  {seconds:8.1f} s  {found} crashes  {'CRASH' if found else 'ok'}",
                  flush=True)
            if failure is not None:
                print(f"--- {name}: minimal failing example and traceback ---\n{failure}", flush=True)
    print(f"{'total':8} {total_examples:>8,} examples  {total_seconds:8.1f} s  {crashes} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
