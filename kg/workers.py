"""Queries run in worker processes, so that one can be stopped: the engine has no way to
cancel a query, but a process can be killed. Each worker loads the graph once and answers
queries one at a time; a query that outlives the time limit, outgrows the memory limit or
whose results outgrow the size limit ends in a QueryError, and its worker is replaced.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
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


def _work(conn, graph: str, limits: Limits) -> None:  # pragma: no cover - runs in the worker process
    import resource

    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    from .sparql import execute, load_store

    try:
        store = load_store(Path(graph))
    except KgError as exc:  # a missing or broken graph file: its one line goes back to the parent
        conn.send(("error", 500, str(exc)))
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


class Worker:
    def __init__(self, graph: Path, limits: Limits):
        self.conn, child = CONTEXT.Pipe()
        self.process = CONTEXT.Process(target=_work, args=(child, str(graph), limits), daemon=True)
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
    """A fixed number of workers; `run` waits for a free one (up to the time limit)."""

    def __init__(self, graph: Path, limits: Limits = Limits()):
        self.graph, self.limits = graph, limits
        self.free: queue.Queue[Worker] = queue.Queue()
        self.lock = threading.Lock()
        started = [Worker(graph, limits) for _ in range(limits.workers)]
        try:
            for worker in started:
                worker.ready(max(60.0, limits.seconds))
        except KgError:
            for worker in started:
                worker.stop()
            raise
        for worker in started:
            self.free.put(worker)

    def run(self, job: Job) -> Answer:
        try:
            worker = self.free.get(timeout=self.limits.seconds)
        except queue.Empty:
            raise QueryRefused(f"every query worker is busy; try again in {self.limits.seconds:.0f} s", 503) from None
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
        fresh = Worker(self.graph, self.limits)
        fresh.ready(max(60.0, self.limits.seconds))
        return fresh

    def close(self) -> None:
        while not self.free.empty():
            self.free.get_nowait().stop()
