"""Run extraction over many articles: in this process, in N processes, or on a Dask cluster.

Extraction is a pure function of one article, so the work splits into chunks of articles
run anywhere; the results come back in the articles' order, so the graph is the same
bytes however the work was spread.
"""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Callable

from . import nlp
from .errors import ArticleError, KgError
from .extract import extract
from .gazetteer import Gazetteer, default_gazetteer
from .models import Article, Extraction

Progress = Callable[[str, int, int], None]
# At most this many articles in a chunk (about five seconds of one core here): with a few big
# chunks, a corpus of thousands ends with one worker busy on its last chunk and the others idle.
CHUNK_ARTICLES = 100
# The smallest chunk the processes are given, towards the end (about half a second of one core).
LAST_CHUNK = 10
# Below this many articles per worker, starting processes (each loads the model) costs more than it saves.
MIN_PER_WORKER = 32


def extract_chunk(articles: list[Article],
                  progress: Callable[[int, int], None] | None = None) -> list[Extraction | ArticleError]:
    """Parse and extract a list of articles (the unit of work sent to a worker, or all of them
    in this process); `progress(done, total)` as articles are parsed. An article whose
    parsing or extraction fails gives an ArticleError in its place: the others go on."""
    if not articles:
        return []
    gazetteer = default_gazetteer()  # the model and the gazetteer load once per process
    try:
        parsed: list[nlp.Parsed | ArticleError] = list(nlp.parse_many(articles, progress=progress))
    except KgError:  # no model: nothing can be parsed
        raise
    except Exception:  # noqa: BLE001 - one article the model cannot read: find it, parse the others
        parsed = [_parse_one(a) for a in articles]
    return [p if isinstance(p, ArticleError) else _extract_one(a, p, gazetteer) for a, p in zip(articles, parsed)]


def _parse_one(article: Article) -> nlp.Parsed | ArticleError:
    try:
        return nlp.parse_many([article])[0]
    except Exception as exc:  # noqa: BLE001 - reported with the file, the build goes on
        return ArticleError(article.source, f"could not be parsed ({type(exc).__name__}: {exc}); "
                                            "skipped, please report it with the file")


def _extract_one(article: Article, parsed: nlp.Parsed, gazetteer: Gazetteer) -> Extraction | ArticleError:
    try:
        return extract(article, parsed, gazetteer)
    except Exception as exc:  # noqa: BLE001 - a text no rule foresaw: that article is reported, not the build lost
        return ArticleError(article.source, f"could not be extracted ({type(exc).__name__}: {exc}); "
                                            "skipped, please report it with the file")


def shrinking(articles: list[Article], workers: int) -> list[list[Article]]:
    """Contiguous slices in order, smaller towards the end: each takes 1 / (2 x workers) of
    the articles left, at most CHUNK_ARTICLES and at least LAST_CHUNK. A worker handed the
    same number of articles as another can still finish seconds earlier (articles differ in
    length, cores in speed); with the last chunks small, it waits at most for a small one.

    >>> [len(c) for c in shrinking(list(range(1000)), 2)]
    [100, 100, 100, 100, 100, 100, 100, 75, 57, 42, 32, 24, 18, 13, 10, 10, 10, 9]
    >>> [len(c) for c in shrinking(list(range(20)), 2)]
    [10, 10]
    """
    out, start = [], 0
    while start < len(articles):
        left = len(articles) - start
        size = min(CHUNK_ARTICLES, max(LAST_CHUNK, -(-left // (2 * workers))))
        out.append(articles[start:start + size])
        start += size
    return out


def _workers(articles: int, jobs: int) -> int:
    return min(jobs, articles // MIN_PER_WORKER)


def extract_all(articles: list[Article], jobs: int = 1, scheduler: str | None = None,
                progress: Progress | None = None) -> list[Extraction | ArticleError]:
    """The extractions of `articles` (or the error of one that failed), in order: on the Dask
    cluster at `scheduler`, in `jobs` processes when there are enough articles for each, else here."""
    if not articles:
        return []
    if scheduler:
        return _on_dask(articles, scheduler)
    jobs = _workers(len(articles), jobs)
    if jobs <= 1:
        parse_progress = (lambda done, total: progress("parsing and extracting", done, total)) if progress else None
        return extract_chunk(articles, parse_progress)
    work = shrinking(articles, jobs)
    results: list[Extraction | ArticleError] = []
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        for part in pool.map(extract_chunk, work):
            results.extend(part)
            if progress:
                progress(f"extracting on {jobs} processes", len(results), len(articles))
    return results


def _on_dask(articles: list[Article], scheduler: str) -> list[Extraction | ArticleError]:
    """A dask.bag of the same chunks as `--jobs`, computed on the cluster whose scheduler is at `scheduler`."""
    try:
        import dask.bag as db
        from distributed import Client
    except ImportError as exc:
        raise KgError("--dask needs the optional Dask extra: `pip install 'vjkg[dask]'`") from exc
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise KgError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one or check the address") from exc
    with client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        work = shrinking(articles, workers)
        bag = db.from_sequence(work, npartitions=len(work))  # one chunk a partition, in order
        return list(bag.map(extract_chunk).flatten().compute(scheduler=client.get))
