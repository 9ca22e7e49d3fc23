"""Run extraction over many articles: in this process, in N processes, on a Dask cluster, or
(a rebuild's few) in a standby child that loaded the model while the build read the cache.

Extraction is a pure function of one article, so the work splits into chunks of articles
run anywhere; the results come back in the articles' order, so the graph is the same
bytes however the work was spread.
"""
from __future__ import annotations

import os
import pickle
import signal
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TYPE_CHECKING, Callable

from . import nlp
from .aside import AVAILABLE as FORKS
from .aside import fork
from .cache import ExtractionCache
from .errors import KgError
from .gazetteer import Gazetteer, default_gazetteer
from .memory import frozen_after_pauses, gc_paused
from .models import Article, Extraction

if TYPE_CHECKING:  # spaCy is imported when the model is loaded
    from spacy.language import Language

Progress = Callable[[str, int, int], None]
# At most this many articles in a chunk (about five seconds of one core here): with a few big
# chunks, a corpus of thousands ends with one worker busy on its last chunk and the others idle.
CHUNK_ARTICLES = 100
# The smallest chunk the processes are given, towards the end (about half a second of one core).
LAST_CHUNK = 10
# Below this many articles per worker, starting processes (each loads the model) costs more than it saves.
MIN_PER_WORKER = 32


def loaded() -> tuple[Language, Gazetteer]:
    """The model and the gazetteer, the extractors imported too: once per process. What they
    make lives as long as the process (spaCy's import and the model, about a second), and the
    collector's passes over it while it is made (0.09 s) find nothing: it is paused meanwhile."""
    with gc_paused():
        model, gazetteer = nlp.load(), default_gazetteer()
        from . import extract  # noqa: F401 - not at the top: a standby child forks before this import
    return model, gazetteer


def extract_chunk(articles: list[Article], progress: Callable[[int, int], None] | None = None) -> list[Extraction]:
    """Parse and extract a list of articles (the unit of work sent to a worker, or all of them
    in this process); `progress(done, total)` as paragraphs are parsed."""
    if not articles:
        return []
    model, gazetteer = loaded()
    from .extract import extract

    parsed = nlp.parse_many(articles, model, progress=progress)
    # Extraction makes no reference cycles (tested), while the collector's passes over the
    # parsed articles held cost 5-10 % of it with thousands of them.
    with gc_paused():
        return [extract(a, p, gazetteer) for a, p in zip(articles, parsed)]


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


class Standby:
    """A child process forked as a rebuild starts, that loads the NLP model (spaCy's import and
    the pipeline: a second or two) while this process reads the articles and finds most of
    them in the cache; `extract` then hands it those the cache lacks. This process never loads
    the model at all. Leaving a `with` block without asking anything kills the child.

    Only where `kg.aside` can fork (Linux); `standby` gives None elsewhere.
    """

    def __init__(self) -> None:
        requests, self.requests = os.pipe()
        self.answers, answers = os.pipe()

        def child() -> None:
            os.close(self.requests)
            os.close(self.answers)
            with frozen_after_pauses():  # it ends once it has answered
                _serve(requests, answers)

        self.pid, self.done = fork(child), False
        os.close(requests)
        os.close(answers)

    def extract(self, articles: list[Article],
                progress: Callable[[int, int], None] | None = None) -> list[Extraction]:
        """The extractions of `articles`, made by the child (once: it then exits);
        `progress(done, total)` as it parses."""
        self.done = True
        try:
            answer = self._ask(articles, progress)
        except BaseException:  # e.g. Ctrl-C: no child left behind
            self._stop()
            raise
        _, status = os.waitpid(self.pid, 0)
        if answer is None:
            code = os.waitstatus_to_exitcode(status)
            raise KgError("extraction failed in its child process: "
                          + (f"killed by signal {-code}" if code < 0 else f"it ended without an answer (exit code {code})"))
        if answer[0] == "raised":
            raise answer[1]
        return answer[1]

    def _ask(self, articles: list[Article], progress: Callable[[int, int], None] | None) -> tuple | None:
        """Send the articles, pass the progress on, and return the last message (None if there was none)."""
        try:
            with os.fdopen(self.requests, "wb") as requests:
                self.requests = -1
                pickle.dump(articles, requests, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:  # it died: what it left unsaid says why
            pass
        with os.fdopen(self.answers, "rb") as answers:
            self.answers = -1
            try:
                while (answer := pickle.load(answers))[0] == "progress":
                    if progress is not None:
                        progress(*answer[1:])
            except (EOFError, pickle.UnpicklingError):  # it ended without answering
                return None
        return answer

    def _stop(self) -> None:
        """Close the pipes still open, kill the child and reap it."""
        for fd in (self.requests, self.answers):
            if fd >= 0:
                os.close(fd)
        self.requests = self.answers = -1
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):  # pragma: no cover - already reaped
            pass

    def __enter__(self) -> "Standby":
        return self

    def __exit__(self, *exc) -> None:
        if not self.done:
            self.done = True
            self._stop()


def _serve(requests: int, answers: int) -> None:
    """The standby child's work: load, read the articles asked for, then answer with pickled
    messages: ("progress", done, total) as it parses, and last ("extracted", the extractions)
    or ("raised", the exception), e.g. a KgError for a missing model."""
    failure: BaseException | None = None
    try:
        loaded()  # now, while the parent reads, rather than once it asks
    except Exception as exc:  # noqa: BLE001 - passed back to the parent when it asks
        failure = exc
    with os.fdopen(requests, "rb") as handle:
        request = handle.read()
    if not request:  # the parent went on without asking
        return
    with os.fdopen(answers, "wb") as handle:
        def progress(done: int, total: int) -> None:
            pickle.dump(("progress", done, total), handle)
            handle.flush()

        try:
            if failure is not None:
                raise failure
            answer = ("extracted", extract_chunk(pickle.loads(request), progress))
        except Exception as exc:  # noqa: BLE001
            answer = ("raised", exc)
        try:
            data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text
            data = pickle.dumps(("raised", KgError(f"{type(answer[1]).__name__}: {answer[1]}")))
        handle.write(data)


def standby(cache: ExtractionCache | None, scheduler: str | None = None) -> Standby | None:
    """A `Standby` for a rebuild: where a build of this code and data filled `cache`, the
    extraction is not sent to a Dask cluster (`scheduler`) and this system can fork; else None."""
    return Standby() if FORKS and cache is not None and scheduler is None and cache.warm() else None


def _workers(articles: int, jobs: int) -> int:
    return min(jobs, articles // MIN_PER_WORKER)


def elsewhere(articles: int, jobs: int = 1, scheduler: str | None = None, standby: Standby | None = None) -> bool:
    """Whether `extract_all` extracts this many articles in other processes, this one waiting meanwhile."""
    return articles > 0 and (bool(scheduler) or _workers(articles, jobs) > 1 or standby is not None)


def extract_all(articles: list[Article], jobs: int = 1, scheduler: str | None = None,
                progress: Progress | None = None, standby: Standby | None = None) -> list[Extraction]:
    """The extractions of `articles`, in order: on the Dask cluster at `scheduler`, in `jobs`
    processes when there are enough articles for each, else by `standby` if there is one, else here."""
    if not articles:
        return []
    if scheduler:
        return _on_dask(articles, scheduler)
    jobs = _workers(len(articles), jobs)
    if jobs <= 1:
        parse_progress = (lambda done, total: progress("parsing and extracting", done, total)) if progress else None
        if standby is not None:
            return standby.extract(articles, parse_progress)
        return extract_chunk(articles, parse_progress)
    work = shrinking(articles, jobs)
    results: list[Extraction] = []
    # This process only gathers the extractions (acyclic): the collector's passes over the
    # thousands already gathered would cost more than the gathering.
    with gc_paused(), ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        for part in pool.map(extract_chunk, work):
            results.extend(part)
            if progress:
                progress(f"extracting on {jobs} processes", len(results), len(articles))
    return results


def _on_dask(articles: list[Article], scheduler: str) -> list[Extraction]:
    """A dask.bag of the same chunks as `--jobs`, computed on the cluster whose scheduler is at `scheduler`."""
    try:
        import dask.bag as db
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - dask is a declared dependency
        raise KgError("Dask is not installed; `pip install dask distributed`") from exc
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise KgError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one or check the address") from exc
    with client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        work = shrinking(articles, workers)
        bag = db.from_sequence(work, npartitions=len(work))  # one chunk a partition, in order
        return list(bag.map(extract_chunk).flatten().compute(scheduler=client.get))
