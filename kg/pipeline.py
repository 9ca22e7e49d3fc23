"""build(): the explicit sequence of steps from article files to kg.ttl and kg.html.

read -> parse and extract (kg.runner; the cache in OUT/.cache) -> resolve -> graph -> check
-> write, one after the other. The only module that knows their order.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .articles import find_articles, read_article
from .cache import CACHE_DIR, ExtractionCache
from .errors import ArticleError, KgError
from .gazetteer import default_gazetteer
from .graph import RDF_TYPE, article_iri, build_graph
from .models import Article, Extraction
from .resolve import resolve
from .runner import extract_all
from .shapes import check_triples
from .turtle import Triple, sort_triples, turtle
from .view import render_html
from .vocab import KG, ORG, SDO

Progress = Callable[[str, int, int], None]  # (stage, done, total)
Reader = Callable[[Path, Path], Article]  # (file, root) -> the article, or ArticleError
TURTLE, PAGE = "kg.ttl", "kg.html"  # the outputs, in OUT
LOCK = ".lock"  # in OUT: held by the build writing there
# The languages whose articles are read, each with its rules (ontology/lexicon.<language>.json).
READ_LANGUAGES = ("fr", "en")
LANGUAGE_NAMES = {"vi": "Vietnamese", "ja": "Japanese", "zh": "Chinese", "ko": "Korean", "de": "German",
                  "es": "Spanish", "ru": "Russian", "th": "Thai"}
COUNTED = {"people": SDO.Person, "organizations": SDO.Organization, "countries": SDO.Country, "places": SDO.Place,
           "technologies": KG.Technology, "fields": KG.Field, "events": SDO.Event}


@dataclass
class BuildReport:
    articles: int = 0
    languages: Counter = field(default_factory=Counter)  # articles read, per language
    skipped: list[str] = field(default_factory=list)  # one line per skipped input
    warnings: list[str] = field(default_factory=list)  # read, with something worked around
    entities: Counter = field(default_factory=Counter)
    agreements: int = 0
    memberships: int = 0
    triples: int = 0
    extracted: int = 0  # articles extracted in this build (the others came from the cache)
    outputs: list[Path] = field(default_factory=list)
    unchanged: bool = False  # the outputs were already those of these articles, code and data: not rewritten
    stages: dict[str, float] = field(default_factory=dict)  # seconds each step took, in the order they ran

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[stage] = self.stages.get(stage, 0.0) + time.perf_counter() - start


def write_outputs(files: dict[Path, bytes]) -> None:
    """Write each file beside its path under a temporary name, then rename them all, back to
    back: readers see the old files or the new ones, never half of one; a failure leaves the
    old ones and no temporary file."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)  # as a plain open() would, not mkstemp's 0600
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename."""
    write_outputs({path: text.encode("utf-8")})


def read_all(sources: list[Path], report: BuildReport, strict: bool, read: Reader = read_article) -> list[Article]:
    """Every readable article, once; what cannot be read is reported in one line (or, under
    `strict`, stops the build)."""
    def problem(message: str, exc: KgError | None = None) -> None:
        if strict:
            raise exc or KgError(message)
        report.skipped.append(message)

    missing = [s for s in sources if not s.exists()]
    if missing:
        raise KgError(f"{missing[0]}: no such file or folder; pass article files or folders to `kg build`")
    articles: list[Article] = []
    seen: dict[str, str] = {}
    iris: dict[str, str] = {}
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
        iri = article_iri(article).value
        if iri in iris:  # "Accord Rail.txt" and "accord-rail.txt"
            clash = ArticleError(article.source, f"would have the same IRI as {iris[iri]} ({iri}); "
                                                 "rename one of the two")
            problem(str(clash), clash)
            continue
        iris[iri] = article.source
        language = article.meta.rules
        if language not in READ_LANGUAGES:
            unread = ArticleError(article.source, f"is in {LANGUAGE_NAMES.get(language, language)} ({language}), "
                                                  "a language kg has no rules for; skipped")
            problem(str(unread), unread)
            continue
        report.languages[language] += 1
        articles.append(article)
    return articles


def extract_articles(articles: list[Article], report: BuildReport, progress: Progress | None = None, jobs: int = 1,
                     scheduler: str | None = None, cache: ExtractionCache | None = None,
                     strict: bool = False) -> list[Extraction]:
    """The extraction of every article, in order: from the cache where it has one, else made now.
    An article whose extraction failed is reported in one line and left out (under `strict`, stops the build)."""
    known = {a.source: cache.get(a) for a in articles} if cache is not None else {}
    todo = [a for a in articles if known.get(a.source) is None]
    fresh: dict[str, Extraction] = {}
    for article, result in zip(todo, extract_all(todo, jobs=jobs, scheduler=scheduler, progress=progress)):
        if isinstance(result, ArticleError):
            if strict:
                raise result
            report.skipped.append(str(result))
        else:
            fresh[article.source] = result
    if cache is not None:
        for extraction in fresh.values():
            cache.put(extraction)
        cache.prune()
    report.extracted = len(fresh)
    return [ex for a in articles if (ex := known.get(a.source) or fresh.get(a.source)) is not None]


def graph_of(extractions: list[Extraction], report: BuildReport | None = None, strict: bool = False) -> list[Triple]:
    """The triples of `extractions`: their mentions resolved into entities, then the graph. An
    article whose facts cannot be written is reported in one line and left out (under
    `strict`, stops the build); the others are resolved and written again without it."""
    report = report or BuildReport()
    gazetteer = default_gazetteer()
    try:
        with report.timed("resolve"):
            resolved = resolve(extractions, gazetteer)
        with report.timed("graph"):
            return build_graph(extractions, resolved, gazetteer)
    except Exception:  # noqa: BLE001 - find the article at fault; if none alone is, the error is the build's
        failed = [error for ex in extractions if (error := unwritable(ex, gazetteer)) is not None]
        if not failed:
            raise
    for error in failed:
        if strict:
            raise failed[0]
        report.skipped.append(str(error))
    kept = [ex for ex in extractions if ex.article.source not in {e.path for e in failed}]
    return build_graph(kept, resolve(kept, gazetteer), gazetteer)


def unwritable(extraction: Extraction, gazetteer) -> ArticleError | None:
    """Why one article's facts cannot be written as triples, if they cannot."""
    try:
        build_graph([extraction], resolve([extraction], gazetteer), gazetteer)
    except Exception as exc:  # noqa: BLE001 - reported with the file
        return ArticleError(extraction.article.source, f"its facts cannot be written ({type(exc).__name__}: {exc}); "
                                                       "skipped, please report it with the file")
    return None


def count(triples: list[Triple], report: BuildReport) -> None:
    """The report's counts: triples, entities by type, agreements, memberships."""
    typed = Counter(o.value for _, p, o in triples if p == RDF_TYPE)
    report.triples = len(triples)
    for name, cls in COUNTED.items():
        report.entities[name] = typed[str(cls)]
    report.agreements = typed[str(KG.Agreement)]
    report.memberships = typed[str(ORG.Membership)]


def build(sources: list[Path], out: Path, strict: bool = False, check: bool = True,
          progress: Progress | None = None, jobs: int = 1, scheduler: str | None = None,
          use_cache: bool = False, *, cache: ExtractionCache | None = None,
          read: Reader = read_article, waiting: Callable[[str], None] | None = None) -> BuildReport:
    """Read `sources`, extract (in `jobs` processes, or on the Dask cluster at `scheduler`;
    reusing out/.cache when `use_cache`), resolve, check against the shapes, and write
    out/kg.ttl and out/kg.html. `kg build --watch` passes a `cache` and a `read`er that
    remember what the last build read and extracted (kg.watch). One build at a time writes
    into `out`: another waits for it (`waiting` is told why)."""
    with holding(out, waiting):
        return _build(sources, out, strict, check, progress, jobs, scheduler, use_cache, cache, read)


@contextmanager
def holding(out: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """An exclusive lock on out/.lock for as long as the block runs (released if the process dies).
    A folder made for it is removed again if the block fails before writing anything there."""
    made = not out.exists()
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open(out / LOCK, "a")  # noqa: SIM115 - held open for the lock's life
    except OSError as exc:
        raise KgError(f"{out}: cannot write there ({exc.strerror or exc}); pass another --out") from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(f"another build is writing into {out}; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    except BaseException:
        if made and [p.name for p in out.iterdir()] == [LOCK]:
            (out / LOCK).unlink()
            out.rmdir()
        raise
    finally:
        handle.close()  # closing releases the lock


def _build(sources: list[Path], out: Path, strict: bool, check: bool, progress: Progress | None, jobs: int,
           scheduler: str | None, use_cache: bool, cache: ExtractionCache | None, read: Reader) -> BuildReport:
    report = BuildReport()
    if cache is None and use_cache:
        cache = ExtractionCache(out / CACHE_DIR)
    with report.timed("read"):
        articles = read_all(sources, report, strict, read)
    report.articles = len(articles)
    if not articles:  # an empty or mistyped folder must not replace a good graph with an empty one
        skipped = f" ({len(report.skipped)} file{'s' * (len(report.skipped) != 1)} skipped)" if report.skipped else ""
        raise KgError(f"{', '.join(str(s) for s in sources)}: no article was read{skipped}; nothing was written, "
                      f"the outputs in {out} are left as they were")
    with report.timed("extract"):
        extractions = extract_articles(articles, report, progress, jobs, scheduler, cache, strict)
    key = cache.outputs_key(articles, check) if cache is not None else None
    recorded = cache.recorded_outputs(key, out) if cache is not None and not report.extracted else None
    if recorded is not None:  # the same articles, code and data as the build that wrote these very files
        report.triples, report.agreements, report.memberships = (recorded[k] for k in ("triples", "agreements",
                                                                                           "memberships"))
        report.entities = Counter(recorded["entities"])
        report.outputs, report.unchanged = [out / TURTLE, out / PAGE], True
        return report
    triples = graph_of(extractions, report, strict)
    with report.timed("sort"):
        triples = sort_triples(triples)
        count(triples, report)
    if check:
        with report.timed("check"):
            result = check_triples(triples)
        if not result.conforms:
            raise KgError("the built graph breaks ontology/shapes.ttl; nothing was written:\n" + result.summary())
    with report.timed("turtle"):
        text = turtle(triples)
    with report.timed("view"):
        page = render_html(triples).encode("utf-8")
    with report.timed("write"):
        for stale in out.glob(".kg.*.tmp"):  # left by a build that was killed while writing
            stale.unlink(missing_ok=True)
        try:
            write_outputs({out / TURTLE: text, out / PAGE: page})
        except OSError as exc:
            raise KgError(f"{out}: cannot write the outputs there ({exc.strerror or exc}); the previous ones are "
                          "left as they were") from exc
    report.outputs = [out / TURTLE, out / PAGE]
    if cache is not None:
        cache.record_outputs(key, out, [TURTLE, PAGE], {
            "triples": report.triples, "agreements": report.agreements, "memberships": report.memberships,
            "entities": dict(report.entities)})
    return report
