"""The `kg` command: parse options, call one library function, print."""
from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any, Optional

import typer
from typer.core import TyperGroup
from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)
from rich.text import Text
from rich.table import Table

from .errors import KgError
from .workers import Job, Limits, Workers

out = Console()
err = Console(stderr=True)
FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle")


def print_error(exc: KgError, after: str = "") -> None:
    err.print(f"[red]error:[/red] {escape(str(exc))}{escape(after)}", markup=True, highlight=False, soft_wrap=True)


class Commands(TyperGroup):
    """The one place where the library's errors become an exit code: one line on stderr, exit 1."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KgError as exc:
            print_error(exc)
            raise typer.Exit(1) from None


app = typer.Typer(cls=Commands, add_completion=False, no_args_is_help=True,
                  help="Build, query and check a knowledge graph of Vietnam–Japan cooperation from news articles.")


class RateColumn(ProgressColumn):
    """Articles per second, once there is a rate to show."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:.1f}/s" if task.speed else "", style="progress.data.speed")


@app.command()
def build(
    sources: Optional[list[Path]] = typer.Argument(None, help="Article files or folders (default: seeds/)."),
    out_dir: Path = typer.Option(Path("graphs"), "--out", help="Folder for kg.ttl and kg.html."),
    strict: bool = typer.Option(False, help="Stop at the first unreadable article instead of skipping it."),
    check: bool = typer.Option(True, help="Validate the graph against ontology/shapes.ttl before writing."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Extract in this many processes (same output as 1)."),
    dask: Optional[str] = typer.Option(None, "--dask", metavar="SCHEDULER_ADDRESS",
                                       help="Extract on the Dask cluster at this address (e.g. tcp://10.0.0.5:8786)."),
    cache: bool = typer.Option(True, help="Reuse extractions of unchanged articles from OUT/.cache."),
    watch: bool = typer.Option(False, "--watch", help="Then stay running: rebuild as soon as an article changes "
                                                       "(Ctrl-C to stop)."),
) -> None:
    """Read articles, extract entities and facts, write graphs/kg.ttl and graphs/kg.html."""
    from .pipeline import build as run_build

    sources = sources or [Path("seeds")]
    session = None
    if watch:
        from .watch import Session

        session = Session(sources, out_dir, strict=strict, check=check, jobs=jobs, scheduler=dask, use_cache=cache)
    # on a terminal only: rich draws nothing when stderr is a file or a CI log
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
                  RateColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True) as progress:
        task = progress.add_task("extracting", total=None)

        def tick(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total, refresh=True)

        try:
            if session is not None:
                report = session.build(progress=tick)
            else:
                report = run_build(sources, out_dir, strict=strict, check=check, progress=tick,
                                   jobs=jobs, scheduler=dask, use_cache=cache,
                                   waiting=lambda why: err.print(why, highlight=False, markup=False))
        except KgError as exc:
            if session is None:
                raise
            progress.stop()
            report = None
            print_error(exc)
    if report is not None:
        print_report(report, cache)
    if session is not None:
        watch_session(session)


def print_notes(report) -> None:
    """The build's skipped articles and warnings, one line each, on stderr."""
    for line in report.skipped:
        err.print(f"[yellow]skipped[/yellow] {escape(line)}", highlight=False, soft_wrap=True)
    for line in report.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(line)}", highlight=False, soft_wrap=True)


def print_report(report, cache: bool) -> None:
    print_notes(report)
    summary = Table(title="kg build", show_header=False, box=None)
    summary.add_row("articles read", str(report.articles) + (
        f" ({', '.join(f'{n} {lang}' for lang, n in sorted(report.languages.items()))})" if report.languages else ""))
    summary.add_row("articles skipped", str(len(report.skipped)))
    summary.add_row("articles extracted", f"{report.extracted} (the others from the cache)" if cache else str(report.extracted))
    for name, count in sorted(report.entities.items()):
        summary.add_row(name, str(count))
    summary.add_row("agreements", str(report.agreements))
    summary.add_row("memberships", str(report.memberships))
    summary.add_row("triples", str(report.triples))
    summary.add_row("unchanged" if report.unchanged else "written", ", ".join(str(p) for p in report.outputs)
                    + (" (already built from these articles, code and data)" if report.unchanged else ""))
    out.print(summary)


def watch_session(session) -> None:
    """Rebuild on every change, one line each, until Ctrl-C."""
    from .watch import watch

    def outcome(report, error: KgError | None, seconds: float) -> None:
        if error is not None:
            print_error(error, f" (after {seconds:.2f} s; the outputs are as they were)")
            return
        print_notes(report)
        what = "unchanged" if report.unchanged else "rebuilt"
        out.print(f"{what} in {seconds:.2f} s: {report.articles} articles ({report.extracted} extracted, "
                  f"{len(report.skipped)} skipped), {report.triples:,} triples", highlight=False, soft_wrap=True)

    def ready() -> None:
        names = ", ".join(str(s) for s in session.sources)
        err.print(f"watching {names} (Ctrl-C to stop)", highlight=False, soft_wrap=True)

    try:
        watch(session, outcome, ready=ready)
    except KeyboardInterrupt:
        err.print("stopped", highlight=False)


@app.command()
def query(
    sparql: str = typer.Argument(..., help="SPARQL text, a .rq/.sparql file, the name of a query in queries/, "
                                             "or - to read it from standard input."),
    graph: Path = typer.Option(Path("graphs/kg.ttl"), help="The Turtle file to query."),
    fmt: str = typer.Option("table", "--format", help="table, csv, tsv, json or xml (W3C results formats); turtle for CONSTRUCT."),
    bind: Optional[list[str]] = typer.Option(None, help="VAR=VALUE bound in the query (VALUE as <iri> or text); repeatable."),
    timeout: float = typer.Option(Limits.seconds, min=0.1, help="Seconds the query may run before it is stopped."),
) -> None:
    """Run a SPARQL 1.1 SELECT, ASK or CONSTRUCT query against the built graph."""
    from . import sparql as q

    if fmt not in FORMATS:
        raise KgError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    bindings = {}
    for item in bind or []:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise KgError(f"--bind {item!r}: write it as VAR=VALUE")
        bindings[name.lstrip("?$")] = value
    from .guard import check

    text = sys.stdin.read() if sparql == "-" else q.query_text(sparql)
    check(text)
    pool = Workers(graph, Limits(seconds=timeout, workers=1))
    try:
        answer = pool.run(Job(text, tuple(bindings.items()), results_format="json" if fmt == "table" else fmt))
    finally:
        pool.close()
    if fmt != "table" or answer.kind == "graph":
        typer.echo(answer.body.decode("utf-8"), nl=False)
        return
    table = q.table_of(answer.body)
    view = Table(*table.variables)
    for column, values in zip(view.columns, zip(*table.rows)):  # a long cell wraps, a short column keeps its words whole
        column.min_width = min(max(len(w) for v in values + (column.header,) for w in (v.split() or [""])), 24)
        column.overflow = "fold"
    for row in table.rows:
        view.add_row(*row)
    out.print(view, highlight=False, markup=False)
    err.print(f"{len(table.rows)} row(s)")


@app.command()
def validate(
    graph: Path = typer.Argument(Path("graphs/kg.ttl"), help="The Turtle file to check."),
    fast: bool = typer.Option(False, "--fast", help="Check with the shapes compiled to SPARQL (large graphs)."),
) -> None:
    """Check a graph against the SHACL shapes in ontology/shapes.ttl (pySHACL); exit 1 on any violation."""
    from .graph import load_graph
    from .shapes import check_file
    from .validate import validate as run_validate

    report = check_file(graph) if fast else run_validate(load_graph(graph))
    if report.conforms:
        out.print(f"{graph}: conforms to ontology/shapes.ttl")
        return
    typer.echo(report.summary())  # plain lines: one per violation, greppable
    raise typer.Exit(1)


@app.command()
def evaluate(
    gold: Optional[list[Path]] = typer.Option(
        None, "--gold", help="Gold JSON file, or folder of them, in the contract's format; repeatable."),
    more_gold: Optional[list[Path]] = typer.Argument(
        None, metavar="gold", help="More gold files or folders (so that `--gold gold/*.json` works)."),
    graph: Path = typer.Option(Path("graphs/kg.ttl"), help="The Turtle file to score."),
    sources: Optional[Path] = typer.Option(
        None, help="Folder holding the articles: evidence offsets are checked against their text."),
    ontology: Optional[list[Path]] = typer.Option(
        None, help="Turtle file merged into the graph first (a class hierarchy); repeatable."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="List every miss and extra."),
    fail_under: str = typer.Option(
        "", help="Exit 1 when an F1 is below its bound, e.g. entities=0.9,agreements=0.8,roles=0.8,evidence=1."),
) -> None:
    """Score a built graph against gold annotations: precision, recall and F1 per category."""
    import json

    from . import evaluate as ev

    scores = ev.evaluate(ev.load_graphs(graph, ontology or []), [*(gold or []), *(more_gold or [])], sources)
    failed = ev.check_fail_under(scores, fail_under)
    if as_json:
        typer.echo(json.dumps(scores.as_dict(verbose), indent=2, ensure_ascii=False))
    else:
        typer.echo(ev.format_scores(scores, verbose))
    if failed:
        typer.echo("FAIL: " + "; ".join(failed), err=as_json)  # keep --json output parseable
        raise typer.Exit(1)


@app.command()
def view(
    page: Path = typer.Argument(Path("graphs/kg.html"), help="The page `kg build` wrote."),
    print_path: bool = typer.Option(False, "--print-path", help="Print the page's path instead of opening it."),
) -> None:
    """Open the graph view (graphs/kg.html) in your web browser; print its path where there is none."""
    from .view import open_in_browser

    if not page.is_file():
        raise KgError(f"{page}: no such file; `kg build` writes graphs/kg.html")
    if print_path or not open_in_browser(page):
        typer.echo(str(page.resolve()))
    else:
        err.print(f"opened {page} in your web browser", highlight=False, soft_wrap=True)


@app.command()
def serve(
    graph: Path = typer.Option(Path("graphs/kg.ttl"), help="The Turtle file to serve."),
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(7878, help="TCP port."),
    timeout: float = typer.Option(Limits.seconds, min=0.1, help="Seconds a query may run before it is stopped."),
    max_results_mb: float = typer.Option(Limits.result_bytes / 1e6, min=0.001, help="Largest response, in MB."),
    memory_mb: int = typer.Option(Limits.memory_mb, min=64, help="Memory of each query worker, graph included."),
    workers: int = typer.Option(Limits.workers, min=1, help="Queries run at once; more wait for a free worker."),
) -> None:
    """Serve the graph as a read-only SPARQL 1.1 Protocol endpoint at http://HOST:PORT/sparql."""
    from .serve import check_port
    from .serve import serve as run_server

    check_port(host, port)
    pool = Workers(graph, Limits(timeout, int(max_results_mb * 1e6), memory_mb, workers))
    err.print(f"SPARQL endpoint: http://{host}:{port}/sparql, a query page at http://{host}:{port}/ ({graph}, "
              f"{workers} worker(s), {timeout:g} s per query, reloaded when the file changes); Ctrl-C stops it",
              highlight=False)
    run_server(pool, host=host, port=port)


@app.command()
def stats(graph: Path = typer.Argument(Path("graphs/kg.ttl"), help="The Turtle file to describe.")) -> None:
    """Counts by type, best-connected entities, agreements per year, articles per publisher."""
    from .sparql import load_store
    from .stats import stats as compute

    result = compute(load_store(graph))
    for title, rows in (("entities by type", result.types.items()),
                        ("best-connected entities", result.top_degree),
                        ("agreements per signing year", result.agreements_per_year.items()),
                        ("articles per publisher", result.articles_per_publisher.items())):
        out.print(f"{title}:", highlight=False, markup=False)
        table = Table(show_header=False, box=None)
        for name, count in rows:
            table.add_row(str(name), str(count))
        out.print(table, highlight=False, markup=False)
    out.print(f"triples: {result.triples:,}")


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The earlier graph (Turtle)."),
    new: Path = typer.Argument(..., help="The later graph (Turtle)."),
    exit_code: bool = typer.Option(False, "--exit-code", help="Exit 1 when the graphs differ."),
) -> None:
    """The facts added (+) and removed (-) from OLD to NEW, grouped by subject."""
    from .diff import diff as compute, format_diff
    from .graph import load_graph

    before, after = load_graph(old), load_graph(new)
    result = compute(before, after)
    typer.echo(format_diff(result, before, after), nl=False)
    if exit_code and not result.empty:
        raise typer.Exit(1)


@app.command()
def export(
    formats: list[str] = typer.Argument(..., help="One or more of: jsonld, nt, graphml, gexf."),
    graph: Path = typer.Option(Path("graphs/kg.ttl"), help="The Turtle file to export."),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="Folder to write into (default: beside the graph)."),
) -> None:
    """Write the graph as JSON-LD (with a context), N-Triples, GraphML or GEXF next to kg.ttl."""
    from .export import FORMATS, SUFFIX, export as convert
    from .graph import load_graph
    from .pipeline import write_atomic

    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise KgError(f"unknown export format {unknown[0]!r}; use {', '.join(FORMATS)}")
    g = load_graph(graph)
    folder = out_dir or graph.parent
    texts = {fmt: convert(g, fmt) for fmt in formats}  # every format made before any is written
    for fmt, content in texts.items():
        path = folder / SUFFIX[fmt]
        write_atomic(path, content)
        out.print(f"wrote {path}", highlight=False)


@app.command("queries")
def list_queries() -> None:
    """List the named queries shipped in queries/."""
    from .sparql import named_queries

    for path in named_queries():
        first = next((line[1:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")), "")
        out.print(f"{path.stem:<24} {first}", highlight=False, markup=False)


def main() -> None:
    """The `kg` command."""
    # A build holds hundreds of thousands of small objects, none in a cycle: with the default
    # thresholds the collector walks them again and again (at 1,000 articles, 1.2 s of a rebuild's
    # graph, cache reading and view; benchmarks/build_benchmark.py).
    gc.set_threshold(100_000, 50, 100)
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
