"""build(): the explicit sequence of steps from article files to kg.ttl and kg.html."""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Generic, NamedTuple, TypeVar

from .articles import find_articles, read_article
from .aside import aside
from .cache import CACHE_DIR, ExtractionCache
from .errors import ArticleError, KgError
from .gazetteer import default_gazetteer
from .graph import Builder, build_graph
from .memory import frozen_after_pauses, gc_paused
from .models import Article, Extraction
from .resolve import Resolution, resolve
from .runner import Standby, elsewhere, extract_all, standby
from .shapes import Baseline, Checker, check_since, graph_check
from .triples import A, Triples
from .turtle import turtle_chunks
from .validate import Report
from .view import render_html
from .vocab import KG, ORG, SDO

Progress = Callable[[str, int, int], None]  # (stage, done, total)
T = TypeVar("T")
TURTLE, PAGE = "kg.ttl", "kg.html"  # the outputs, in OUT
# Up to this many triples, the view is drawn in a child process forked from the build's
# (kg.aside), on the other core, while the build writes the Turtle and checks it. The child
# shares the graph's memory but copies the pages it touches; above this, the view is drawn
# here, so that a big graph is not held twice.
VIEW_ASIDE = 1_500_000


@dataclass
class BuildReport:
    articles: int = 0
    skipped: list[str] = field(default_factory=list)  # one line per skipped input
    warnings: list[str] = field(default_factory=list)  # read, with something worked around
    entities: Counter = field(default_factory=Counter)
    agreements: int = 0
    memberships: int = 0
    triples: int = 0
    extracted: int = 0  # articles extracted in this build (the others came from the cache)
    outputs: list[Path] = field(default_factory=list)
    unchanged: bool = False  # the outputs were already those of these articles, code and data: not rewritten


class Staged:
    """A text file written beside `path` under a temporary name, renamed over `path` by `commit`.

    Readers see the old file or the new one, never half of it; leaving the `with` block
    without committing removes the temporary file.
    """

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> "Staged":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        self.tmp = Path(tmp)
        self.committed = False
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # as a plain open() would, not mkstemp's 0600
            self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        except BaseException:
            os.close(fd)
            self.tmp.unlink(missing_ok=True)
            raise
        return self

    def write(self, text: str) -> None:
        self.handle.write(text)

    def sync(self) -> None:
        """Flush to the disk (the temporary file is complete and can be read back)."""
        self.handle.flush()
        os.fsync(self.handle.fileno())

    def finish(self) -> None:
        """Flush, sync and close: all that `commit` has left to do is the rename."""
        if not self.handle.closed:
            self.sync()
            self.handle.close()

    def commit(self) -> None:
        self.finish()
        os.replace(self.tmp, self.path)
        self.committed = True

    def __exit__(self, *exc) -> None:
        if not self.committed:
            self.handle.close()
            self.tmp.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, then rename: readers see the old or the new file, never half."""
    with Staged(path) as staged:
        staged.write(text)
        staged.commit()


Reader = Callable[[Path, Path], Article]  # (file, root) -> the article, or ArticleError


def read_all(sources: list[Path], report: BuildReport, strict: bool, read: Reader = read_article) -> list[Article]:
    """Every readable article, once; what cannot be read is reported in one line (or, under
    `strict`, stops the build)."""
    def problem(message: str, exc: KgError | None = None) -> None:
        if strict:
            raise exc or KgError(message)
        report.skipped.append(message)

    articles: list[Article] = []
    seen: dict[str, str] = {}
    pairs, problems = find_articles(sources)
    for message in problems:
        problem(message)
    for path, root in pairs:
        try:
            article = read(path, root)
        except ArticleError as exc:
            problem(str(exc), exc)
            continue
        for note in article.notes:
            if strict:
                raise KgError(note)
            report.warnings.append(note)
        digest = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        if digest in seen:
            duplicate = ArticleError(article.source, f"same text as {seen[digest]}; skipped as a duplicate, "
                                                     "remove one of the two")
            problem(str(duplicate), duplicate)
            continue
        seen[digest] = article.source
        articles.append(article)
    return articles


def extract_articles(sources: list[Path], report: BuildReport, strict: bool = False,
                     progress: Progress | None = None, jobs: int = 1, scheduler: str | None = None,
                     cache: ExtractionCache | None = None, read: Reader = read_article,
                     meanwhile: Callable[[list[Article], dict[str, Extraction]], None] | None = None,
                     waiting: Standby | None = None) -> tuple[list[Article], list[Extraction]]:
    """Every readable article and its extraction (from the cache where it has one).

    `meanwhile(articles, known)`, if given, is called when the articles left to extract are
    extracted by other processes, before they are, with every article and the extractions
    found in the cache by source: it starts work of its own while this process waits (not
    while it extracts: a thread of its own would slow the extraction down by more than it
    saves). `waiting` is a standby child already started (see `build`).
    """
    missing = [s for s in sources if not s.exists()]
    if missing:
        raise KgError(f"{missing[0]}: no such file or folder; pass article files or folders to `kg build`")
    # A rebuild: the model loads in a child process while the articles are read and looked up.
    waiting = waiting or standby(cache, scheduler)
    with waiting or nullcontext():
        with gc_paused():  # thousands of articles and cached extractions: acyclic, and the collector's
            articles = read_all(sources, report, strict, read)  # passes over them grew faster than linearly
            report.articles = len(articles)
            known = {a.source: cache.get(a) for a in articles} if cache else {}
        todo = [a for a in articles if known.get(a.source) is None]
        if meanwhile is not None and elsewhere(len(todo), jobs, scheduler, waiting):
            meanwhile(articles, {source: ex for source, ex in known.items() if ex is not None})
        fresh = {ex.article.source: ex for ex in extract_all(todo, jobs=jobs, scheduler=scheduler, progress=progress,
                                                             standby=waiting)}
    if cache is not None:
        for extraction in fresh.values():
            cache.put(extraction)
        cache.prune()
    report.extracted = len(fresh)
    return articles, [known.get(a.source) or fresh[a.source] for a in articles]


class Ahead(Generic[T]):
    """`make()`, made in `thread` from `start()` on (while this process would wait), or here
    when `result()` is first asked for without a start."""

    def __init__(self, make: Callable[[], T]):
        self.make: Callable[[], T] = make
        self.future: Future | None = None

    def start(self, thread: ThreadPoolExecutor) -> None:
        if self.future is None:
            self.future = thread.submit(self.make)

    def result(self) -> T:
        return self.future.result() if self.future is not None else self.make()


def _baseline(cache: ExtractionCache, path: Path) -> Baseline | None:
    """The last build's `path`, read for a check by difference, if that build checked it (kg.cache)."""
    checked = cache.checked_output(path)
    try:
        return Baseline(checked) if checked is not None else None
    except OSError:  # gone meanwhile: the graph is checked whole
        return None


class Begun(NamedTuple):
    """The graph begun on the articles found in the cache, while the others are extracted."""

    resolution: Resolution
    builder: Builder  # given the known articles' facts


def _begin(articles: list[Article], known: dict[str, Extraction]) -> Begun:
    gazetteer = default_gazetteer()
    with gc_paused():
        builder = Builder(gazetteer)
        for article in articles:
            if article.source in known:
                builder.facts(known[article.source])
        return Begun(Resolution([a.source for a in articles], known, gazetteer), builder)


def graph_of(extractions: list[Extraction], begun: Ahead[Begun] | None = None) -> Triples:
    """The graph of `extractions`: made from scratch, or by finishing what was `begun` on some of them."""
    gazetteer = default_gazetteer()
    started = begun.result() if begun is not None else None  # before pausing: its thread may pause too
    with gc_paused():
        if started is None:
            return build_graph(extractions, resolve(extractions, gazetteer), gazetteer)
        return build_graph(extractions, started.resolution.finish(extractions), gazetteer, started.builder)


def extract_graph(sources: list[Path], report: BuildReport, strict: bool = False,
                  progress: Progress | None = None, jobs: int = 1, scheduler: str | None = None,
                  cache: ExtractionCache | None = None) -> Triples:
    _, extractions = extract_articles(sources, report, strict, progress, jobs, scheduler, cache)
    return graph_of(extractions)


@frozen_after_pauses()  # what a step leaves alive after pausing the collector stays out of its passes
def build(sources: list[Path], out: Path, strict: bool = False, check: bool = True,
          progress: Progress | None = None, jobs: int = 1, scheduler: str | None = None,
          use_cache: bool = False, *, cache: ExtractionCache | None = None, read: Reader = read_article,
          checker: Checker | None = None, waiting: Standby | None = None) -> BuildReport:
    """Read `sources`, extract (in `jobs` processes, or on the Dask cluster at `scheduler`;
    reusing out/.cache when `use_cache`), resolve, validate, write out/kg.ttl and out/kg.html.

    A build kept in memory between runs (kg.watch.Session) passes its own `cache` of
    extractions, its `read`er and its `checker`, which checks a graph by its difference from
    the last one it checked. `kg build` passes the standby child it started, `waiting`, if the
    cache was warm (see kg.runner.Standby): it forks it before importing this module.
    """
    report = BuildReport()
    if cache is None and use_cache:
        cache = ExtractionCache(out / CACHE_DIR)
    # While the articles that changed are extracted, this process begins the graph with those
    # found in the cache (their resolution, their facts), then reads the last build's kg.ttl,
    # when it was checked: this graph is checked by its difference from it.
    previous = Ahead(lambda: _baseline(cache, out / TURTLE)) if cache is not None and check and checker is None else None
    begun: Ahead[Begun] | None = None
    meanwhile = ThreadPoolExecutor(max_workers=1)  # one job after the other

    def start(articles: list[Article], known: dict[str, Extraction]) -> None:
        nonlocal begun
        if known:
            begun = Ahead(lambda: _begin(articles, known))
            begun.start(meanwhile)
        if previous is not None:
            previous.start(meanwhile)

    try:
        articles, extractions = extract_articles(sources, report, strict, progress, jobs, scheduler, cache, read,
                                                 meanwhile=start, waiting=waiting)
    finally:
        meanwhile.shutdown(wait=False)  # its thread ends once its jobs are done
    key = cache.outputs_key(articles, check) if cache is not None else None
    recorded = cache.recorded_outputs(key, out) if cache is not None and not report.extracted else None
    if recorded is not None:  # the same articles, code and data as the build that wrote these very files
        report.triples, report.agreements, report.memberships = (recorded[k] for k in ("triples", "agreements",
                                                                                           "memberships"))
        report.entities = Counter(recorded["entities"])
        report.outputs, report.unchanged = [out / TURTLE, out / PAGE], True
        if checker is not None and check and checker.last is None:  # it starts from these outputs, checked when written
            checker.check(out / TURTLE, graph_of(extractions))
        return report
    del articles
    graph = graph_of(extractions, begun)
    del extractions
    for stale in out.glob(".kg.*.tmp"):  # left by a build that was killed while writing
        stale.unlink(missing_ok=True)
    report.triples = len(graph)
    typed = Counter(o for _, p, o in graph.triples if p == A)  # a subject is typed once per class (never an annotation)
    for cls, name in ((SDO.Person, "people"), (SDO.Organization, "organizations"), (SDO.Country, "countries"),
                      (SDO.Place, "places"), (KG.Technology, "technologies"), (SDO.Event, "events")):
        report.entities[name] = typed[cls]
    report.agreements = typed[KG.Agreement]
    report.memberships = typed[ORG.Membership]
    baseline = previous.result() if previous is not None else None
    with gc_paused(), Staged(out / TURTLE) as ttl, Staged(out / PAGE) as page, \
            ThreadPoolExecutor(max_workers=1) as background, \
            (aside(lambda: render_html(graph), page.handle.fileno(), "drawing the view")
             if len(graph) <= VIEW_ASIDE else nullcontext()) as drawing:
        for chunk in turtle_chunks(graph):  # streamed: the text is never held whole
            ttl.write(chunk)
        ttl.sync()
        # The shapes compiled to SPARQL (the same verdict as pySHACL, tested) run on Oxigraph,
        # which loads and queries without holding the GIL: with the view drawn in a child
        # process, the check runs here meanwhile; drawn here, the check runs alongside. A graph
        # is checked whole from memory (kg.shapes.graph_check: its part in Python first, so
        # that Oxigraph's part runs while the view is drawn), or by its difference from the
        # last one checked (in memory under --watch, or the last kg.ttl): then only the nodes
        # near what changed are queried, on a small store.
        def checking(graph: Triples) -> Callable[[], Report]:
            if checker is not None:
                return lambda: checker.check(ttl.tmp, graph)
            if baseline is not None:
                return lambda: check_since(baseline, ttl.tmp, graph)
            return graph_check(graph)

        if drawing is not None:
            result = checking(graph)() if check else None
            drawing.wait()
        else:
            checked = background.submit(checking(graph)) if check else None
            page.write(render_html(graph))
            del graph
            result = checked.result() if checked is not None else None
        if result is not None and not result.conforms:
            raise KgError("the built graph breaks ontology/shapes.ttl; nothing was written:\n" + result.summary())
        page.sync()
        ttl.finish()
        page.finish()
        ttl.commit()  # two renames back to back: the outputs change together, as near as two files can
        page.commit()
    report.outputs = [out / TURTLE, out / PAGE]
    if cache is not None:
        cache.record_outputs(key, out, [TURTLE, PAGE], {
            "triples": report.triples, "agreements": report.agreements, "memberships": report.memberships,
            "entities": dict(report.entities)}, checked=check)
    return report
