"""Queries run in worker processes, so that one can be stopped: the engine has no way to
cancel a query, but a process can be killed. Each worker loads the graph once and answers
queries one at a time; a query that outlives the time limit, outgrows the memory limit or
whose results outgrow the size limit ends in a QueryError, and its worker is replaced.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .errors import GraphFileError, KgError, QueryError
from .guard import QueryRefused

CONTEXT = mp.get_context("spawn")  # a fresh interpreter: no threads or locks of the parent's inherited


@dataclass(frozen=True)
class Limits:
    seconds: float = 30.0  # per query
    result_bytes: int = 50_000_000  # serialized results
    memory_mb: int = 2048  # per worker process, the graph included
    workers: int = 2  # queries run at once


@dataclass(frozen=True)
class Job:
    query: str
    bindings: tuple[tuple[str, str], ...] = ()
    results_format: str = "json"  # json, xml, csv, tsv: SELECT and ASK
    graph_format: str = "turtle"  # turtle, n-triples: CONSTRUCT and DESCRIBE


@dataclass(frozen=True)
class Answer:
    kind: str  # "results" (SELECT, ASK) or "graph" (CONSTRUCT, DESCRIBE)
    body: bytes


def _work(conn, graph: str, limits: Limits, name: str) -> None:  # pragma: no cover - runs in the worker process
    import resource

    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from .sparql import execute, load_store

    try:
        store = load_store(Path(graph))
    except KgError as exc:  # a missing or broken graph file: its one line goes back to the parent
        conn.send(("error", 500, str(exc).replace(graph, name)))
        return
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        try:
            kind, body = execute(store, job)
            if len(body) > limits.result_bytes:
                conn.send(("error", 413, f"the results are {len(body):,} bytes; at most {limits.result_bytes:,} "
                                         "are sent: ask for fewer (LIMIT)"))
            else:
                conn.send(("ok", kind, body))
        except QueryError as exc:
            conn.send(("error", getattr(exc, "status", 400), str(exc)))
        except MemoryError:
            conn.send(("error", 507, f"the query needs more than the {limits.memory_mb:,} MB allowed"))
        except Exception as exc:  # noqa: BLE001 - whatever the engine raises is this query's, not the worker's end
            conn.send(("error", 500, f"the query failed: {type(exc).__name__}: {exc}"))


def stamp(graph: Path) -> tuple[int, int, int] | None:
    """What tells one version of the graph file from the next: a build replaces it whole (a new
    inode), an editor may write it in place (a new time and size)."""
    try:
        st = graph.stat()
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class Worker:
    def __init__(self, snapshot: Path, limits: Limits, version: int, name: Path):
        self.version = version  # which copy of the graph file it serves
        self.conn, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=_work, args=(child, str(snapshot), limits, str(name)), daemon=True)
        self.process.start()
        child.close()

    def ready(self, seconds: float) -> None:
        if not self.conn.poll(seconds):
            self.stop()
            raise QueryError(f"the query worker did not load the graph within {seconds:.0f} s")
        try:
            message = self.conn.recv()
        except EOFError:
            message = ("error", 500, f"the query worker stopped while loading the graph (exit {self.process.exitcode})")
        if message[0] != "ready":
            self.stop()
            raise GraphFileError(message[2])

    def stop(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class Workers:
    """A fixed number of workers; `run` waits for a free one (up to the time limit).

    Workers load a copy of the graph file, taken when it changes (a rebuilt kg.ttl): every query
    after the change runs on the new version, a worker loading it when it is next used; a version
    that does not load leaves the last good one served."""

    def __init__(self, graph: Path, limits: Limits = Limits()):
        self.graph, self.limits = graph, limits
        self.free: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        self.folder = Path(tempfile.mkdtemp(prefix="kg-graph-"))
        self.version, self.stamp = 0, stamp(graph)
        self.broken: set[tuple[int, int, int]] = set()  # versions of the graph file that did not load
        try:
            self.snapshot = self._copy(0)
            started = [self._start() for _ in range(limits.workers)]
        except (KgError, OSError) as exc:
            self._remove()
            raise exc if isinstance(exc, KgError) else GraphFileError(f"{graph}: cannot read it ({exc})") from exc
        try:
            for worker in started:
                worker.ready(max(60.0, limits.seconds))
        except KgError:
            for worker in started:
                worker.stop()
            self._remove()
            raise
        for worker in started:
            self.free.put(worker)

    def _copy(self, version: int) -> Path:
        if not self.graph.is_file():
            raise GraphFileError(f"{self.graph}: no such graph file; run `kg build` first or pass --graph")
        path = self.folder / f"{version}.ttl"
        shutil.copyfile(self.graph, path)
        return path

    def _start(self) -> Worker:
        return Worker(self.snapshot, self.limits, self.version, self.graph)

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _follow(self) -> Worker | None:
        """Take a copy of the graph file if it changed since the last one, and serve it if it
        loads: the worker that loaded it, ready for the query."""
        now = stamp(self.graph)
        if now is None or now == self.stamp or now in self.broken:
            return None
        try:
            candidate = self._copy(self.version + 1)
            trial = Worker(candidate, self.limits, self.version + 1, self.graph)
            trial.ready(max(60.0, self.limits.seconds))
        except (KgError, OSError):
            self.broken.add(now)
            return None
        self.snapshot.unlink(missing_ok=True)
        self.version, self.stamp, self.snapshot = self.version + 1, now, candidate
        return trial

    def run(self, job: Job) -> Answer:
        try:
            worker = self.free.get(timeout=self.limits.seconds)
        except queue.Empty:
            raise QueryRefused(f"every query worker is busy; try again in {self.limits.seconds:.0f} s", 503) from None
        with self.lock:
            fresh = self._follow()
            if worker.version != self.version:
                worker.stop()
                worker = fresh or self._start()
                if fresh is None:
                    worker.ready(max(60.0, self.limits.seconds))
        try:
            worker.conn.send(job)
            if not worker.conn.poll(self.limits.seconds):
                raise QueryRefused(f"the query ran past the time limit of {self.limits.seconds:g} s and was stopped",
                                   504)
            message = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            worker = self._replace(worker)
            raise QueryRefused(f"the query stopped its worker (most likely over the {self.limits.memory_mb:,} MB "
                               "memory limit)", 507) from None
        except QueryRefused:
            worker = self._replace(worker)
            raise
        finally:
            self.free.put(worker)
        if message[0] == "error":
            raise QueryRefused(message[2], message[1])
        return Answer(message[1], message[2])

    def _replace(self, worker: Worker) -> Worker:
        worker.stop()
        fresh = self._start()
        fresh.ready(max(60.0, self.limits.seconds))
        return fresh

    def close(self) -> None:
        while not self.free.empty():
            self.free.get_nowait().stop()
        self._remove()
