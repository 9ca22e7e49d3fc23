"""Rebuild the graph whenever an article changes: `kg build --watch`.

A `Session` is a build kept in memory. Its first build is an ordinary one; after it, the
spaCy model stays loaded, every article read and every extraction made are remembered, and
A rebuild then reads again only the files that changed and extracts only the articles whose
text changed; resolution, the check, kg.ttl and kg.html are made again from every
extraction, so the outputs are the bytes a fresh `kg build` would write.
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from .articles import read_article, sidecar_of
from .cache import ExtractionCache, article_key
from .errors import KgError
from .models import Article, Extraction
from .pipeline import CACHE_DIR, BuildReport, Progress, build

Signature = tuple[int, int, int, int]  # a file's size, inode, modification and change times (ns)


def signature(path: Path) -> Signature | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns


class Reads:
    """`read_article`, remembered: a file is read again when it or its sidecar changed (size,
    inode, modification or change time), or changed so lately that a second change within
    the file system's clock step could go unseen. Articles no build asked for are forgotten."""

    RECENT_NS = 2_000_000_000

    def __init__(self) -> None:
        self.known: dict[tuple[Path, Path], tuple[tuple, Article]] = {}
        self.asked: dict[tuple[Path, Path], tuple[tuple, Article]] = {}

    def __call__(self, path: Path, root: Path) -> Article:
        stamp = (signature(path), signature(sidecar_of(path)))
        hit = self.known.get((path, root))
        if hit is not None and hit[0] == stamp:
            self.asked[path, root] = hit
            return hit[1]
        article = read_article(path, root)  # what cannot be read is not remembered: it is reported every build
        settled = time.time_ns() - self.RECENT_NS
        if stamp[0] is not None and all(s is None or s[2] < settled and s[3] < settled for s in stamp):
            self.asked[path, root] = (stamp, article)
        return article

    def forget_unasked(self) -> None:
        self.known, self.asked = self.asked, {}


class Remembered:
    """The extractions of the last build, in memory, in front of the cache on disk (if any):
    what kg.pipeline.build asks of a kg.cache.ExtractionCache. The record of the outputs is
    kept on disk only; without a disk cache, every build writes them."""

    def __init__(self, disk: ExtractionCache | None):
        self.disk = disk
        self.known: dict[str, Extraction] = {}
        self.used: dict[str, Extraction] = {}

    def get(self, article: Article) -> Extraction | None:
        key = article_key(article)  # the article's path, text and metadata: all its extraction depends on
        extraction = self.known.get(key)
        if extraction is None and self.disk is not None:
            extraction = self.disk.get(article)
        if extraction is not None:
            self.used[key] = extraction
        return extraction

    def put(self, extraction: Extraction) -> None:
        self.used[article_key(extraction.article)] = extraction
        if self.disk is not None:
            self.disk.put(extraction)

    def prune(self) -> None:
        """Keep only what this build used, in memory and on disk (where the articles found in
        memory were not asked for)."""
        self.known, self.used = self.used, {}
        if self.disk is not None:
            self.disk.prune(keep=self.known)

    def outputs_key(self, articles: list[Article], check: bool) -> str | None:
        return self.disk.outputs_key(articles, check) if self.disk is not None else None

    def recorded_outputs(self, key: str | None, out: Path) -> dict | None:
        return self.disk.recorded_outputs(key, out) if self.disk is not None and key is not None else None

    def record_outputs(self, key: str | None, out: Path, names: list[str], report: dict) -> None:
        if self.disk is not None and key is not None:
            self.disk.record_outputs(key, out, names, report)


class Session:
    """Builds of the same sources into the same folder, each reusing what the last one made."""

    def __init__(self, sources: list[Path], out: Path, strict: bool = False, check: bool = True, jobs: int = 1,
                 scheduler: str | None = None, use_cache: bool = True):
        self.sources, self.out, self.strict, self.check = sources, out, strict, check
        self.jobs, self.scheduler = jobs, scheduler
        self.extractions = Remembered(ExtractionCache(out / CACHE_DIR) if use_cache else None)
        self.reads = Reads()

    def build(self, progress: Progress | None = None) -> BuildReport:
        """Build out/kg.ttl and out/kg.html from the sources as they are now."""
        try:
            return build(self.sources, self.out, self.strict, self.check, progress, self.jobs, self.scheduler,
                         cache=self.extractions, read=self.reads)
        finally:
            self.reads.forget_unasked()


def changes(session: Session, stop: threading.Event | None = None) -> Iterator[set[str]]:
    """The paths of files that changed under the session's sources, a set at a time (edits
    close together come as one), the first as soon as the watcher is in place (empty if
    nothing changed), until `stop` is set; Ctrl-C raises KeyboardInterrupt. Hidden
    files and folders (editors' swap files) and the build's own folder are not sources."""
    import watchfiles

    def under(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder + os.sep)

    out = os.path.realpath(session.out)
    sources = [os.path.realpath(s) for s in session.sources]

    def relevant(_change: object, path: str) -> bool:
        real = os.path.realpath(path)
        if under(real, out):
            return False
        for source in sources:
            if under(real, source):
                return not any(part.startswith(".") for part in Path(os.path.relpath(real, source)).parts)
        return False  # beside a source file, in its folder

    folders = sorted({s if os.path.isdir(s) else os.path.dirname(s) for s in sources})  # a file is replaced on save
    watching = False
    for found in watchfiles.watch(*folders, watch_filter=relevant, debounce=1600, step=50, stop_event=stop,
                                  rust_timeout=500, yield_on_timeout=True):
        if found or not watching:  # the first set, even empty, once the watcher is in place
            watching = True
            yield {path for _, path in found}


Outcome = Callable[[BuildReport | None, KgError | None, float], None]  # (report, error, seconds)


def watch(session: Session, outcome: Outcome, stop: threading.Event | None = None,
          ready: Callable[[], None] | None = None) -> None:
    """Rebuild whenever a source changes, telling `outcome` how each rebuild went, until `stop`
    is set. A build that fails (an unreadable article under --strict, a graph breaking the
    shapes) leaves the outputs as they were, and the next change is built as usual."""
    if session.scheduler is None:  # the articles that change are extracted here, not in workers
        from . import nlp

        nlp.load()
    first = True
    for _ in changes(session, stop):
        start = time.perf_counter()
        try:
            report = session.build()
        except KgError as exc:
            outcome(None, exc, time.perf_counter() - start)
        else:
            if not (first and report.unchanged):  # once watching, a catch-up build: what changed before is not missed
                outcome(report, None, time.perf_counter() - start)
        if first and ready is not None:
            ready()
        first = False
