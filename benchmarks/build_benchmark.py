"""Build benchmark: `kg build` on synthetic French corpora of growing size, stage by stage.

    python benchmarks/build_benchmark.py --sizes 100,1000,10000 [--jobs N] [--seed 0] [--json FILE]
        [--no-stages] [--no-floor] [--no-e2e] [--incremental-max N]

For each size, a corpus of that many articles (about 500 words each, benchmarks/corpus.py)
is generated once and cached under benchmarks/.corpus/ (git-ignored). Then, each in a fresh
Python process so that peak memory is per size and per measurement:

1. stage by stage: kg's own functions in the order kg.pipeline.build runs them, on one
   process (read_all, model load, nlp.parse_many, extract, resolve, build_graph, writing
   the Turtle, render_html, the SHACL check), each timed; where the build draws the view in a
   child process while it writes the Turtle and checks it, so does this, and the view's stage
   is the wait left after the check; where it checks the graph while the view is drawn, so
   does this, and the check's stage is the wait left after the view;
2. the model floor: spacy.load of the pipeline kg.nlp.load() returns (same components),
   then a bare `nlp.pipe` over the same paragraphs with kg.nlp.BATCH_SIZE, and nothing else;
   the ratio build / floor is printed with the model load on both sides and without it. The
   bare nlp.pipe also runs in the stage-by-stage process (a model of its own): the NLP stage
   runs in ten slices of the articles, each slice also given to the bare nlp.pipe, which goes
   first every other slice; the ratio is printed again from those sums. On a machine whose
   speed drifts between processes (a shared virtual machine), it is the steadier figure, and
   a process's second pass over the same paragraphs, the faster, favours neither side;
3. end to end: kg.pipeline.build(...) as `kg build` calls it (no cache), with jobs=N when
   build takes a `jobs` parameter; and, right after the model floor (so that the machine's
   speed drifts least between the two), with jobs=1, the build the floor's single process is
   compared with: the ratio of the two fresh processes is the issue's figure. Its CPU time,
   the child processes it waited for included, is printed beside it;
4. incremental (sizes up to 1,000 unless --incremental-max says otherwise): on a copy of the
   corpus, `kg build` with the cache (every article extracted), then one article is changed
   (a sentence added) and `kg build` runs again: it must extract that article only; three
   times, a different article each time, and the median is the figure. Each is the
   command a user runs, in a fresh process timed from its start to its exit; so is the
   reference, `kg build --no-cache` (same jobs). Then `kg build --watch` runs on the same
   corpus and cache, and five articles are changed one after the other, each timed from the
   write until the process prints that it has rebuilt.

It prints per size: articles, words, triples, seconds, articles/s, triples/s, peak memory
(ru_maxrss of the process and of its largest child process: an extraction worker, or the
view's, whose resident memory counts the pages it still shares with the build), the share of
each stage, the ratio of the build to the bare nlp.pipe; then a summary table and the growth ratio
time(largest)/time(previous size). If the stage-by-stage and end-to-end graphs differ in
size, the stages no longer mirror kg.pipeline.build and that is printed. Each measurement
records the commit of the kg code it ran. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import inspect
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS_DIR = HERE / ".corpus"
KG = Path(sys.executable).with_name("kg")  # the command the package installs beside this Python
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus as corpus_module  # noqa: E402

NLP_STAGE = "nlp.parse_many"


# --------------------------------------------------------------------------- the corpus


def corpus_path(size: int, seed: int) -> Path:
    gaz = hashlib.sha256(corpus_module.GAZETTEER.read_bytes()).hexdigest()[:8]
    return CORPUS_DIR / f"v{corpus_module.VERSION}-seed{seed}-gaz{gaz}-n{size}"


def ensure_corpus(size: int, seed: int) -> tuple[Path, dict]:
    """The cached corpus of `size` articles, generated first if missing (into a temporary
    folder renamed when complete, so an interrupted run leaves nothing half-written)."""
    final = corpus_path(size, seed)
    stats_file = final / "corpus.json"
    if stats_file.is_file():
        return final / "articles", json.loads(stats_file.read_text())
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=CORPUS_DIR))
    try:
        started = time.perf_counter()
        stats = corpus_module.generate(size, tmp / "articles", seed=seed, quiet=True)
        stats["generated_in_s"] = round(time.perf_counter() - started, 2)
        (tmp / "corpus.json").write_text(json.dumps(stats, indent=1) + "\n")
        if final.exists():
            shutil.rmtree(final)
        os.rename(tmp, final)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"generated {size:,} articles ({stats['words']:,} words, {stats['avg_words']:.0f} per article) "
        f"in {stats['generated_in_s']:.1f} s -> {final}")
    return final / "articles", stats


# --------------------------------------------------------------------------- measurements (child processes)


def peak_mb() -> dict:
    """Peak resident memory in MB of this process and of its (waited-for) child processes."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024  # KB on Linux, bytes on macOS
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale}


class Timer:
    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def __call__(self, name: str):
        log(f"  {name} ...")
        started = time.perf_counter()
        yield
        self.stages.append((name, time.perf_counter() - started))


def measure_stages(sources: Path, out: Path) -> dict:
    """kg.pipeline.build's steps, one after the other as it runs them (one process, no cache),
    each timed. The triple count is compared with the end-to-end build's by the parent."""
    from kg import nlp
    from kg.gazetteer import default_gazetteer
    from kg.graph import build_graph
    from kg.memory import gc_paused
    from kg.aside import AVAILABLE, Aside
    from kg import pipeline, shapes
    from kg.pipeline import VIEW_ASIDE, BuildReport, Staged, read_all
    from kg.resolve import resolve
    from kg.extract import extract
    from kg.turtle import turtle_chunks
    from kg.view import render_html

    def checking(graph, path: Path):
        """The whole check as the build runs it: its part in Python done now, and what is left (Oxigraph's
        part) returned as a function (kg.shapes.graph_check); in code before that, all of it in the
        function: the graph checked from memory, or the kg.ttl read back (as a file it wrote, where
        check_path knows of that)."""
        if hasattr(shapes, "graph_check"):
            return shapes.graph_check(graph)
        if hasattr(shapes, "check_graph"):
            return lambda: shapes.check_graph(graph)
        written = {"written": True} if "written" in inspect.signature(shapes.check_path).parameters else {}
        return lambda: shapes.check_path(path, **written)

    alongside = getattr(pipeline, "CHECK_ALONGSIDE", None)  # in code before check_graph: up to so many triples

    t = Timer()
    report = BuildReport()
    with t("read_all"):
        articles = read_all([sources], report, False)
    with t("load model"):
        nlp.load()
    # The NLP stage runs slice by slice, each slice also given to a bare nlp.pipe of a second
    # model (its own vocabulary, so that it does not find the strings the build's has met),
    # taking turns at going first: a machine whose speed drifts, and the second pass over the
    # same paragraphs being the faster, weigh alike on both sides.
    log(f"  {NLP_STAGE}, slice by slice, each slice also through a bare nlp.pipe ...")
    parsed, nlp_seconds, bare_seconds = interleaved(articles, nlp.load(), nlp.load.__wrapped__())
    t.stages.append((NLP_STAGE, nlp_seconds))
    with t("load gazetteer"):
        gazetteer = default_gazetteer()
    with t("extract"), gc_paused():  # as kg.runner.extract_chunk
        extractions = [extract(a, p, gazetteer) for a, p in zip(articles, parsed)]
    del parsed
    with gc_paused():
        with t("resolve"):
            resolved = resolve(extractions, gazetteer)
        with t("build_graph"):
            graph = build_graph(extractions, resolved, gazetteer)
    del extractions, resolved
    triples = len(graph)

    def write_turtle(ttl: Staged) -> None:
        with t("write Turtle"):
            for chunk in turtle_chunks(graph):
                ttl.write(chunk)
            ttl.sync()

    with gc_paused(), Staged(out / "kg.ttl") as ttl, Staged(out / "kg.html") as page:
        if AVAILABLE and triples <= VIEW_ASIDE:
            # As the build does up to VIEW_ASIDE triples (on Linux): the view is drawn in a child process
            # forked before the Turtle is written; the Turtle and the check run here meanwhile,
            # and the view's stage is only the wait for the child once the check is done.
            with Aside(lambda: render_html(graph), page.handle.fileno(), "drawing the view") as drawing:
                write_turtle(ttl)
                with t("validate"):
                    verdict = checking(graph, ttl.tmp)()
                with t("render_html"):
                    drawing.wait()
            del graph
        else:
            write_turtle(ttl)
            # As the build does: the check's part in Python first ("validate"), then the rest in a
            # thread while the view is drawn, whose stage is only the wait for it once the view is
            # done ("validate, after the view").
            with ThreadPoolExecutor(max_workers=1) as background:
                pending = None
                if alongside is None or triples <= alongside:
                    with t("validate"):
                        pending = background.submit(checking(graph, ttl.tmp))
                with t("render_html"):
                    page.write(render_html(graph))
                if pending is not None:
                    del graph
                with t("validate, after the view"):
                    verdict = pending.result() if pending is not None else checking(graph, ttl.tmp)()
        page.sync()
        ttl.commit()
        page.commit()
    paragraphs = sum(len(a.segments) for a in articles)
    return {"ok": True, "stages": t.stages, "bare_pipe_seconds": bare_seconds, "articles": len(articles), "paragraphs": paragraphs,
            "triples": triples, "conforms": verdict.conforms, "ttl_bytes": (out / "kg.ttl").stat().st_size,
            "html_bytes": (out / "kg.html").stat().st_size, "skipped": len(report.skipped)}


def interleaved(articles: list, model, floor_model, slices: int = 10) -> tuple[list, float, float]:
    """kg.nlp.parse_many over `articles`, in `slices` runs, each followed or preceded (in
    turn) by a bare nlp.pipe of `floor_model` over the same paragraphs: (what parse_many
    gave for all articles, its seconds, the bare pipes' seconds)."""
    from kg import nlp

    parsed, nlp_seconds, bare_seconds = [], 0.0, 0.0
    step = max(1, -(-len(articles) // slices))
    for turn, start in enumerate(range(0, len(articles), step)):
        part = articles[start:start + step]
        for side in ("nlp", "bare") if turn % 2 == 0 else ("bare", "nlp"):
            if side == "bare":
                bare_seconds += bare_pipe(floor_model, paragraph_texts(part))[0]
            else:
                started = time.perf_counter()
                parsed.extend(nlp.parse_many(part, model))
                nlp_seconds += time.perf_counter() - started
    return parsed, nlp_seconds, bare_seconds


def measure_floor(sources: Path) -> dict:
    """A bare nlp.pipe over the same paragraphs, same pipeline, same batch size."""
    from kg import nlp
    from kg.pipeline import BuildReport, read_all

    texts = paragraph_texts(read_all([sources], BuildReport(), False))
    started = time.perf_counter()
    model = nlp.load()
    load_seconds = time.perf_counter() - started
    log(f"  bare nlp.pipe over {len(texts):,} paragraphs ...")
    seconds, ents = bare_pipe(model, texts)
    return {"ok": True, "seconds": seconds, "load_seconds": load_seconds, "paragraphs": len(texts), "entities": ents,
            "batch_size": getattr(nlp, "BATCH_SIZE", 64), "components": list(model.pipe_names)}


def paragraph_texts(articles: list) -> list[str]:
    """The texts kg.nlp.parse_many gives the model: every paragraph of every article."""
    return [a.text[s.start:s.end] for a in articles for s in a.segments]


def bare_pipe(model, texts: list[str]) -> tuple[float, int]:
    """Seconds for `model.pipe` over `texts` with kg's batch size and nothing else, and the entities found."""
    from kg import nlp

    started = time.perf_counter()
    ents = sum(len(doc.ents) for doc in model.pipe(texts, batch_size=getattr(nlp, "BATCH_SIZE", 64)))
    return time.perf_counter() - started, ents


def measure_e2e(sources: Path, out: Path, jobs: int | None) -> dict:
    import kg.pipeline as P

    params = inspect.signature(P.build).parameters
    kwargs: dict = {}
    if "jobs" in params and jobs:
        kwargs["jobs"] = jobs
    if "use_cache" in params:
        kwargs["use_cache"] = False  # a cold build: every article extracted
    log(f"  kg.pipeline.build({', '.join(f'{k}={v}' for k, v in kwargs.items())}) ...")
    finished: dict[str, float] = {}  # what the build reports progress on -> when it was done

    def progress(what: str, done: int, total: int) -> None:
        if done >= total:
            finished.setdefault(what, time.perf_counter() - started)

    watch = {"progress": progress} if "progress" in params else {}
    started, cpu = time.perf_counter(), cpu_seconds()
    report = P.build([sources], out, **kwargs, **watch)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    return {"ok": True, "seconds": seconds, "cpu_seconds": cpu, "kwargs": kwargs, "finished": finished,
            "articles": report.articles, "triples": report.triples, "has_jobs": "jobs" in params,
            "view_aside": (getattr(sys.modules.get("kg.aside"), "AVAILABLE", False)  # drawn in a child process
                           and report.triples <= getattr(P, "VIEW_ASIDE", -1))}


def cpu_seconds() -> float:
    """CPU time of this process and of the child processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def kg_version() -> str:
    """The commit of the kg code measured, '+dirty' when kg/ has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "kg", "ontology"], cwd=ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def child(args: argparse.Namespace) -> int:
    sources = Path(args.corpus)
    result: dict
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        out = Path(tmp) / "out"
        try:
            if args.measure == "stages":
                result = measure_stages(sources, out)
            elif args.measure == "floor":
                result = measure_floor(sources)
            else:
                result = measure_e2e(sources, out, args.jobs)
        except Exception as exc:  # reported by the parent, which goes on with the other measurements
            result = {"ok": False, "reason": f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"}
    result["peak_mb"] = peak_mb()
    result["kg_version"] = kg_version()
    Path(args.result).write_text(json.dumps(result))
    return 0


# --------------------------------------------------------------------------- the parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def busy_cpu_seconds() -> float | None:
    """CPU time used by the whole machine so far (Linux /proc/stat), or None elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
        return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return None


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], **options) -> tuple[subprocess.CompletedProcess, float, float | None]:
    """`cmd` run to its end (`options` as subprocess.run's): the process, its wall time, and the
    CPU seconds the rest of the machine used meanwhile (other work slows the measurement down)."""
    busy0, ours0, started = busy_cpu_seconds(), children_cpu_seconds(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, **options)
    wall = time.perf_counter() - started
    busy1, ours1 = busy_cpu_seconds(), children_cpu_seconds()
    others = max(0.0, (busy1 - busy0) - (ours1 - ours0)) if busy0 is not None and busy1 is not None else None
    return proc, wall, others


def run_child(measure: str, sources: Path, jobs: int | None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_file = Path(handle.name)
    try:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", measure, "--corpus", str(sources),
               "--result", str(result_file)]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        proc, wall, others = run_timed(cmd)
        if proc.returncode != 0 or not result_file.stat().st_size:
            return {"ok": False, "reason": f"the measuring process exited with {proc.returncode}", "wall": wall}
        result = json.loads(result_file.read_text())
        result["wall"] = wall
        result["others_cpu_s"] = others
        return result
    finally:
        result_file.unlink(missing_ok=True)


def fmt_s(seconds: float) -> str:
    return f"{seconds:,.1f}" if seconds >= 10 else f"{seconds:,.2f}"


def bench_size(size: int, args: argparse.Namespace, build_jobs: int | None) -> dict:
    sources, stats = ensure_corpus(size, args.seed)
    stages = {"ok": False, "reason": "skipped (--no-stages)"}
    if not args.no_stages:
        log(f"== {size:,} articles: stage by stage")
        stages = run_child("stages", sources, None)
    floor = {"ok": False, "reason": "skipped (--no-floor)"}
    if not args.no_floor:
        log(f"== {size:,} articles: bare nlp.pipe")
        floor = run_child("floor", sources, None)
    one = {"ok": False, "reason": "not run (no model floor, or no --jobs, or --no-e2e)"}
    if floor.get("ok") and build_jobs and build_jobs != 1 and not args.no_e2e:
        log(f"== {size:,} articles: kg.pipeline.build end to end, jobs=1")
        one = run_child("e2e", sources, 1)
    e2e = {"ok": False, "reason": "skipped (--no-e2e)"}
    if not args.no_e2e or not stages.get("ok"):
        log(f"== {size:,} articles: kg.pipeline.build end to end")
        e2e = run_child("e2e", sources, build_jobs)
    incremental = {"ok": False, "reason": f"skipped (size above --incremental-max {args.incremental_max:,})"}
    if size <= args.incremental_max:
        log(f"== {size:,} articles: incremental rebuild")
        incremental = bench_incremental(sources, build_jobs)
    return {"size": size, "corpus": stats, "corpus_path": str(sources), "stages": stages, "floor": floor, "e2e": e2e,
            "e2e_one": one if build_jobs != 1 else e2e,
            "incremental": incremental}


def kg_build(sources: Path, out: Path, jobs: int | None, *options: str) -> list[str]:
    """The `kg build` command line for `sources` into `out`."""
    return [str(KG), "build", str(sources), "--out", str(out), *options] + (["--jobs", str(jobs)] if jobs else [])


def run_kg(sources: Path, out: Path, jobs: int | None, *options: str) -> dict:
    """`kg build` as a user runs it, in a fresh process, timed from its start to its exit."""
    proc, wall, others = run_timed(kg_build(sources, out, jobs, *options), capture_output=True, text=True,
                                   env={**os.environ, "COLUMNS": "200"})
    extracted = re.search(r"articles extracted\s+(\d+)", proc.stdout)
    if proc.returncode != 0 or extracted is None:
        return {"ok": False, "reason": f"kg build exited with {proc.returncode}: {proc.stderr.strip()[-300:]}"}
    return {"ok": True, "wall": wall, "extracted": int(extracted.group(1)), "others_cpu_s": others}


REBUILDS = 3  # articles changed one after the other, each followed by a new `kg build`


def bench_incremental(sources: Path, jobs: int | None) -> dict:
    """`kg build` on a copy of the corpus: without the cache (the reference), then filling
    the cache, then after one article changed (REBUILDS times, a different article each time),
    then with nothing changed; each a fresh process timed from its start to its exit. Then
    `kg build --watch`."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-inc-") as tmp:
        copy, out = Path(tmp) / "articles", Path(tmp) / "out"
        shutil.copytree(sources, copy)
        full = run_kg(copy, Path(tmp) / "cold", jobs, "--no-cache")
        first = run_kg(copy, out, jobs)
        if not (full.get("ok") and first.get("ok")):
            return {"ok": False, "reason": full.get("reason") or first.get("reason")}
        files = sorted(copy.glob("*.txt"))
        rebuilds = []
        for n in range(1, REBUILDS + 1):
            changed = files[len(files) * n // (REBUILDS + 1)]
            text = changed.read_text(encoding="utf-8")
            changed.write_text(text.rstrip("\n") + " La coopération se poursuivra l'an prochain.\n", encoding="utf-8")
            rebuilds.append({**run_kg(copy, out, jobs), "changed": changed.name})
        unchanged = run_kg(copy, out, jobs)
        watched = run_watch(copy, out, jobs)
    failed = next((r for r in (*rebuilds, unchanged) if not r.get("ok")), None)
    if failed is not None:
        return {"ok": False, "reason": failed.get("reason")}
    return {"ok": True, "full": full, "first": first, "rebuilds": rebuilds, "unchanged": unchanged, "watch": watched}


WATCH_EDITS = 5


def run_watch(sources: Path, out: Path, jobs: int | None) -> dict:
    """`kg build --watch` on the corpus (its cache filled): once it is watching, change one
    article at a time, WATCH_EDITS times, each timed from the write until the process prints
    that it has rebuilt (the outputs are written by then)."""
    import queue
    import threading

    cmd = kg_build(sources, out, jobs, "--watch")
    lines: queue.Queue = queue.Queue()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})

    def pump(stream) -> None:
        for line in stream:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=pump, args=(stream,), daemon=True).start()

    def wait_for(prefix: str, timeout: float = 600) -> str | None:
        deadline = time.perf_counter() + timeout
        while (left := deadline - time.perf_counter()) > 0:
            try:
                line = lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                return None
            if line.startswith(prefix):
                return line
            if line.startswith("error"):
                log(f"  kg build --watch: {line}")
        return None

    try:
        if wait_for("watching") is None:
            return {"ok": False, "reason": "kg build --watch did not start watching"}
        files = sorted(sources.glob("*.txt"))
        edits = []
        for i in range(WATCH_EDITS):
            changed = files[(i + 1) * len(files) // (WATCH_EDITS + 1)]
            text = changed.read_text(encoding="utf-8")
            time.sleep(0.5)
            started = time.perf_counter()
            changed.write_text(text.rstrip("\n") + f" Les deux pays ont tenu {i + 2} réunions.\n", encoding="utf-8")
            line = wait_for("rebuilt")
            if line is None:
                return {"ok": False, "reason": "kg build --watch did not rebuild"}
            edits.append({"seconds": time.perf_counter() - started, "line": line, "changed": changed.name})
        status = Path(f"/proc/{proc.pid}/status")
        peak = next((int(l.split()[1]) / 1024 for l in status.read_text().splitlines() if l.startswith("VmHWM")), None) \
            if status.exists() else None
        return {"ok": True, "edits": edits, "peak_mb": peak}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def middle(ordered: list[float]) -> float:
    """The median of a sorted list (the upper one of the two middle values when their number is even)."""
    return ordered[len(ordered) // 2]


def stage_total(stages: dict) -> float:
    return sum(s for _, s in stages["stages"])


def floor_total(floor: dict) -> float:
    """The model floor's seconds: the model load and the bare nlp.pipe, in their own process."""
    return floor["seconds"] + floor["load_seconds"]


def floor_ratios(stages: dict, bare: float, bare_load: float) -> str:
    """The build's stage total against a bare nlp.pipe of `bare` seconds after a model load of `bare_load`."""
    total, load = stage_total(stages), dict(stages["stages"]).get("load model", 0.0)
    return (f"build / (model load + bare nlp.pipe): {total / (bare + bare_load):.2f}x; without the model load on "
            f"either side: {(total - load) / bare:.2f}x; nlp.parse_many / bare nlp.pipe: "
            f"{dict(stages['stages'])[NLP_STAGE] / bare:.2f}x")


def print_size(r: dict) -> None:
    size, corpus, stages, floor, e2e = r["size"], r["corpus"], r["stages"], r["floor"], r["e2e"]
    one = r.get("e2e_one", {})
    print(f"\n== {size:,} articles: {corpus['words']:,} words ({corpus['avg_words']:.0f} per article), "
          f"{corpus['sidecars']:,} sidecars; corpus {r['corpus_path']}")
    busy = [f"{label} {m['others_cpu_s'] / m['wall']:.0%}" for label, m in
            (("stage by stage", stages), ("nlp.pipe", floor), ("end to end", e2e), ("end to end, jobs=1", one))
            if m.get("others_cpu_s") is not None and m.get("wall") and m["others_cpu_s"] > 0.1 * m["wall"]]
    if busy:
        print(f"WARNING: other processes kept the machine busy during the measurements (their CPU time, as a share "
              f"of one core, over each measurement: {', '.join(busy)}; {os.cpu_count()} CPUs): "
              f"these figures are slower than on a quiet machine")
    versions = {m.get("kg_version") for m in (stages, floor, e2e, one) if m.get("kg_version")}
    print(f"kg code: {', '.join(sorted(versions))}"
          + ("  (WARNING: the code changed between the measurements of this size)" if len(versions) > 1 else ""))
    if stages.get("ok"):
        total = stage_total(stages)
        print(f"stage by stage (kg's functions in kg.pipeline.build's order, one process):")
        print(f"  {'stage':<24} {'seconds':>9} {'share':>7}")
        for name, seconds in stages["stages"]:
            print(f"  {name:<24} {fmt_s(seconds):>9} {seconds / total:>7.1%}")
        print(f"  {'total':<24} {fmt_s(total):>9} {1:>7.0%}")
        besides = sorted(((s, n) for n, s in stages["stages"] if n not in (NLP_STAGE, "load model")),
                         reverse=True)[:3]
        print("  besides NLP: " + ", ".join(f"{n} {s / total:.1%}" for s, n in besides))
        peak = stages["peak_mb"]
        print(f"  {stages['articles']:,} articles, {stages['paragraphs']:,} paragraphs, {stages['triples']:,} triples"
              f"{'' if stages['conforms'] else ' (the graph does NOT conform to the shapes)'}; "
              f"{stages['articles'] / total:,.1f} articles/s, {stages['triples'] / total:,.0f} triples/s; "
              f"peak RSS {peak['self']:,.0f} MB (child processes {peak['children']:,.0f} MB); "
              f"kg.ttl {stages['ttl_bytes'] / 1e6:,.1f} MB, kg.html {stages['html_bytes'] / 1e6:,.1f} MB")
    else:
        print(f"stage by stage: not run ({stages.get('reason')}); timing kg.pipeline.build end to end only")
    if floor.get("ok"):
        print(f"model floor: bare nlp.pipe over the same {floor['paragraphs']:,} paragraphs "
              f"(components {', '.join(floor['components'])}; batch {floor['batch_size']}): "
              f"{fmt_s(floor['seconds'])} s, peak RSS {floor['peak_mb']['self']:,.0f} MB")
        print(f"  model load (spacy.load): {fmt_s(floor['load_seconds'])} s")
        if stages.get("ok"):
            print(f"  {floor_ratios(stages, floor['seconds'], floor['load_seconds'])} "
                  f"(the issue wants build / nlp.pipe <= 1.25)")
        if stages.get("ok") and stages.get("bare_pipe_seconds"):
            bare = stages["bare_pipe_seconds"]
            print(f"  the same in the stage-by-stage process (bare nlp.pipe {fmt_s(bare)} s, slice by slice with the "
                  f"build's, each going first in turn; the steadier figure): "
                  f"{floor_ratios(stages, bare, dict(stages['stages']).get('load model', 0.0))}")
        if one.get("ok"):
            print(f"  end to end, jobs=1, a fresh process: {fmt_s(one['seconds'])} s (CPU {fmt_s(one['cpu_seconds'])} s, "
                  f"the processes it started included) / (model load + bare nlp.pipe, a fresh process): "
                  f"{one['seconds'] / floor_total(floor):.2f}x (the issue wants <= 1.25)")
            parsed = one.get("finished", {}).get("parsing and extracting")
            if parsed:
                print(f"    its articles read, the model loaded and every paragraph parsed at {fmt_s(parsed)} s; "
                      f"extraction, the graph and the outputs took the other {fmt_s(one['seconds'] - parsed)} s")
        if e2e.get("ok") and e2e["kwargs"].get("jobs", 1) != 1:
            print(f"  end to end (jobs={e2e['kwargs']['jobs']}) / (model load + bare nlp.pipe on one process): "
                  f"{e2e['seconds'] / floor_total(floor):.2f}x")
    else:
        print(f"model floor: not measured ({floor.get('reason')})")
    if e2e.get("ok"):
        call = ", ".join(f"{k}={v}" for k, v in e2e["kwargs"].items())
        peak = e2e["peak_mb"]
        jobs = e2e["kwargs"].get("jobs", 1)
        children = (jobs if jobs > 1 else 0) + e2e.get("view_aside", False)  # extraction workers, the view's
        print(f"end to end: kg.pipeline.build({call}): {fmt_s(e2e['seconds'])} s, "
              f"{e2e['articles'] / e2e['seconds']:,.1f} articles/s, {e2e['triples'] / e2e['seconds']:,.0f} triples/s, "
              f"peak RSS {peak['self']:,.0f} MB (largest child process {peak['children']:,.0f} MB; all together at "
              f"most {peak['self'] + children * peak['children']:,.0f} MB, pages shared with the view's counted twice)")
        if stages.get("ok") and e2e["triples"] != stages["triples"]:
            print(f"  NOTE: the stage-by-stage graph has {stages['triples']:,} triples, kg.pipeline.build's "
                  f"{e2e['triples']:,}: the pipeline no longer runs these stages as this script does, so trust "
                  f"the end-to-end figures")
    else:
        print(f"end to end: not measured ({e2e.get('reason')})")
    inc = r.get("incremental", {})
    if inc.get("ok"):
        full, first, rebuilds, unchanged = inc["full"], inc["first"], inc["rebuilds"], inc["unchanged"]
        print(f"incremental (each `kg build` a fresh process, wall time from start to exit; jobs as end to end):")
        print(f"  full build, --no-cache:           {fmt_s(full['wall']):>7} s")
        print(f"  full build, filling the cache:    {fmt_s(first['wall']):>7} s  ({first['extracted']:,} extracted)")
        for again in rebuilds:
            print(f"  after changing {again['changed']}: {fmt_s(again['wall']):>7} s  ({again['extracted']:,} extracted)  "
                  f"= {again['wall'] / full['wall']:.1%} of the full build")
        seconds = sorted(again["wall"] for again in rebuilds)
        median = middle(seconds)
        print(f"  one article changed, {len(seconds)} times: median {fmt_s(median)} s = {median / full['wall']:.1%} of "
              f"the full build (the issue wants < 10%), the slowest {seconds[-1] / full['wall']:.1%}")
        print(f"  nothing changed:                  {fmt_s(unchanged['wall']):>7} s  ({unchanged['extracted']:,} extracted)"
              f"  = {unchanged['wall'] / full['wall']:.1%}")
        watched = inc.get("watch", {})
        if watched.get("ok"):
            seconds = sorted(e["seconds"] for e in watched["edits"])
            median = middle(seconds)
            peak = f", peak memory {watched['peak_mb']:,.0f} MB" if watched.get("peak_mb") else ""
            print(f"  kg build --watch, one article changed at a time, from the write until it printed that it "
                  f"rebuilt ({len(seconds)} edits{peak}):")
            print(f"    {', '.join(fmt_s(x) for x in seconds)} s; median {fmt_s(median)} s = "
                  f"{median / full['wall']:.1%} of the full build, the slowest {seconds[-1] / full['wall']:.1%}")
            for edit in watched["edits"]:
                print(f"      {edit['changed']}: {edit['line']}")
        elif watched:
            print(f"  kg build --watch: not measured ({watched.get('reason')})")
    elif inc:
        print(f"incremental: not measured ({inc.get('reason')})")


def headline_seconds(r: dict) -> tuple[float | None, str]:
    if r["stages"].get("ok"):
        return stage_total(r["stages"]), "stage total"
    if r["e2e"].get("ok"):
        return r["e2e"]["seconds"], "end to end"
    return None, "-"


def print_summary(results: list[dict], build_jobs: int | None) -> None:
    print("\n== summary (seconds: stage-by-stage total on one process, model load included; "
          "peak: the stage-by-stage process; /floor: that total / (model load + bare nlp.pipe, a fresh process); "
          "e2e(1)/floor: kg.pipeline.build with jobs=1, a fresh process, / the same)")
    e2e_head = f"e2e{'(jobs=' + str(build_jobs) + ')' if build_jobs else ''} s"
    print(f"{'articles':>8} {'words':>10} {'triples':>10} {'seconds':>9} {'art/s':>7} {'triples/s':>9} "
          f"{'peak MB':>8} {'NLP':>6} {'/floor':>9} {'e2e(1)/floor':>13} {e2e_head:>13}")
    for r in results:
        seconds, _ = headline_seconds(r)
        st, fl, e2e = r["stages"], r["floor"], r["e2e"]
        triples = st.get("triples") or e2e.get("triples") or 0
        peak = (st if st.get("ok") else e2e).get("peak_mb", {}).get("self", 0)
        nlp_share = f"{dict(st['stages'])[NLP_STAGE] / seconds:.0%}" if st.get("ok") else "-"
        ratio = f"{seconds / floor_total(fl):.2f}x" if fl.get("ok") and seconds else "-"
        e2e_s = fmt_s(e2e["seconds"]) if e2e.get("ok") else "-"
        one = r.get("e2e_one", {})
        one_ratio = f"{one['seconds'] / floor_total(fl):.2f}x" if fl.get("ok") and one.get("ok") else "-"
        print(f"{r['size']:>8,} {r['corpus']['words']:>10,} {triples:>10,} "
              f"{fmt_s(seconds) if seconds else '-':>9} {r['size'] / seconds if seconds else 0:>7.1f} "
              f"{triples / seconds if seconds else 0:>9,.0f} {peak:>8,.0f} {nlp_share:>6} {ratio:>9} {one_ratio:>13} {e2e_s:>13}")
    versions = {m.get("kg_version") for r in results for m in (r["stages"], r["floor"], r["e2e"], r.get("e2e_one", {}))
                if m.get("kg_version")}
    if len(versions) > 1:
        print(f"WARNING: the kg code changed during the run ({', '.join(sorted(versions))}): the sizes are not comparable")
    if len(results) >= 2:
        last, prev = results[-1], results[-2]
        growths = []  # (how the time was taken, time(last) / time(prev))
        if last["e2e"].get("ok") and prev["e2e"].get("ok"):
            growths.append((f"end to end, as kg build runs{f' with --jobs {build_jobs}' if build_jobs else ''}",
                            last["e2e"]["seconds"] / prev["e2e"]["seconds"]))
        if last["stages"].get("ok") and prev["stages"].get("ok"):
            growths.append(("stage by stage on one process", stage_total(last["stages"]) / stage_total(prev["stages"])))
        if growths:
            print(f"growth: time({last['size']:,}) / time({prev['size']:,}) = "
                  + "; ".join(f"{g:.2f} {how}" for how, g in growths)
                  + f" ({last['size'] / prev['size']:g}x the articles; the issue wants time(10000)/time(1000) <= 11)")
        if growths and last["floor"].get("ok") and prev["floor"].get("ok"):
            # The same texts through the bare model: whatever the machine's speed did between the
            # two sizes shows here too, so the build's growth over the model's is the pipeline's own.
            model = last["floor"]["seconds"] / prev["floor"]["seconds"]
            print(f"  the bare nlp.pipe over the same texts grew {model:.2f}x in this run; the build's growth over "
                  "the model's: " + "; ".join(f"{g / model:.2f} {how}" for how, g in growths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (default 100,1000)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="jobs= for the end-to-end kg.pipeline.build, where build takes it (default: CPU count)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-stages", action="store_true", help="skip the stage-by-stage run")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare nlp.pipe measurement")
    parser.add_argument("--incremental-max", type=int, default=1000,
                        help="measure incremental rebuilds for sizes up to this (default 1000)")
    parser.add_argument("--no-e2e", action="store_true", help="skip the end-to-end build (unless stage by stage fails)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    # internal: one measurement in a fresh process
    parser.add_argument("--measure", choices=("stages", "floor", "e2e"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        return child(args)

    import kg.pipeline as P

    has_jobs = "jobs" in inspect.signature(P.build).parameters
    build_jobs = (args.jobs or os.cpu_count() or 1) if has_jobs else None
    if args.jobs and not has_jobs:
        log("kg.pipeline.build takes no `jobs` parameter: --jobs ignored, the end-to-end build runs as is")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    results = []
    for size in sizes:
        results.append(bench_size(size, args, build_jobs))
        print_size(results[-1])
        sys.stdout.flush()
    print_summary(results, build_jobs)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
