"""Build benchmark: `kg build` on synthetic French corpora of growing size, stage by stage.

    python benchmarks/build_benchmark.py --sizes 100,1000,10000 [--jobs N] [--seed 0] [--json FILE]
        [--no-stages] [--no-floor] [--no-e2e] [--no-incremental]

For each size, a corpus of that many articles (about 500 words each, benchmarks/corpus.py)
is generated once and cached under benchmarks/.corpus/ (git-ignored). Then, each in a fresh
Python process so that peak memory is per size and per measurement:

1. stage by stage: kg's own functions in the order kg.pipeline.build runs them on one
   process (read_all, nlp.parse_many, extract, resolve, build_graph, then what build does
   with the graph, in its order: to_turtle, validate, render_html, write), each timed; the
   model load is timed on its own. Which functions build calls, and in which order, is read
   from its code (kg.pipeline.build and extract_graph), so the timing follows the pipeline as
   it changes;
2. the model floor: a bare `nlp.pipe` over the same paragraphs, with the pipeline
   kg.nlp.load() returns (same components) and kg.nlp.BATCH_SIZE, and nothing else;
3. end to end: kg.pipeline.build(...) as `kg build` calls it (no cache), with jobs=N when
   build takes a `jobs` parameter;
4. incremental (sizes up to 1,000 unless --incremental-max says otherwise): on a copy of the
   corpus, a build with the cache (every article extracted), then one article is changed (a
   sentence added) and the build runs again: it must extract that article only. Each build
   is a fresh process, timed from its start to its exit, as `kg build` would be; so is a
   cold build without the cache, the reference (same jobs).

It prints per size: articles, words, triples, seconds, articles/s, triples/s, peak memory
(ru_maxrss of the process and of its child processes), the share of each stage, the ratio
of the build to the bare nlp.pipe; then a summary table and the growth ratio
time(largest)/time(previous size). If a stage function's signature no longer matches what
this script calls, or build calls a function this script does not know, the stage-by-stage
run is skipped (the reason is printed) and only the end-to-end build is timed; if the two
runs give graphs of different sizes, that is printed too. Each measurement records the
commit of the kg code it ran. Not a test: figures depend on the machine.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import inspect
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS_DIR = HERE / ".corpus"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus as corpus_module  # noqa: E402

NLP_STAGE = "nlp.parse_many"
FIXED_STAGES = ("load model", "load gazetteer")  # paid once per build, whatever its size


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


class StageMismatch(Exception):
    """The pipeline no longer runs the stages, or calls them, as this script does."""


# What kg.pipeline.build does after extract_graph, by the name of the function it calls:
# (the stage's label, what it takes, what it gives). build's own order is kept.
GRAPH_STAGES = {
    "to_turtle": ("to_turtle", "graph", "turtle"),
    "check_turtle": ("validate (check_turtle)", "turtle", "check"),
    "validate": ("validate (pySHACL)", "graph", "check"),
    "render_html": ("render_html", "graph", "html"),
    "write_atomic": ("write", None, None),
}
# Functions build, extract_graph and the serial extraction path may call that are not stages.
NOT_STAGES = {"extract_graph", "read_all", "extract_all", "default_gazetteer", "resolve", "build_graph",
              "extract", "chunks", "extract_chunk", "_on_dask"}


def code_names(code) -> list[str]:
    """The global and attribute names a code object uses, its nested comprehensions' and
    functions' included, in order of first appearance."""
    out = list(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            out += [n for n in code_names(const) if n not in out]
    return out


def kg_functions(fn, namespace) -> list[str]:
    """The kg functions `fn` refers to by global name, in the order its code first names them."""
    out = []
    for name in code_names(fn.__code__):
        obj = getattr(namespace, name, None)
        if inspect.isfunction(obj) and (obj.__module__ or "").startswith("kg") and name not in out:
            out.append(name)
    return out


def stage_plan() -> dict:
    """kg's stage functions, in the order kg.pipeline.build runs them, checked against the calls
    made in measure_stages (names and arity). Raises StageMismatch where they differ."""
    import kg.pipeline as P
    from kg import nlp

    for name in ("build", "extract_graph", "read_all", "BuildReport"):
        if not hasattr(P, name):
            raise StageMismatch(f"kg.pipeline has no `{name}`")
    build_calls = kg_functions(P.build, P)
    unknown = [n for n in build_calls if n not in GRAPH_STAGES and n not in NOT_STAGES]
    if unknown:
        raise StageMismatch(f"kg.pipeline.build calls {', '.join(unknown)}, which this script does not time")
    if "extract_graph" not in build_calls:
        raise StageMismatch("kg.pipeline.build no longer calls extract_graph")
    graph_stages = [n for n in build_calls if n in GRAPH_STAGES]
    if "write_atomic" in graph_stages and not {"to_turtle", "render_html"} <= set(graph_stages):
        raise StageMismatch("kg.pipeline.build writes something else than to_turtle's and render_html's output")

    eg_calls = kg_functions(P.extract_graph, P)
    unknown = [n for n in eg_calls if n not in NOT_STAGES]
    if unknown:
        raise StageMismatch(f"kg.pipeline.extract_graph calls {', '.join(unknown)}, which this script does not time")
    for needed in ("read_all", "resolve", "build_graph"):
        if needed not in eg_calls:
            raise StageMismatch(f"kg.pipeline.extract_graph no longer calls {needed}")
    fns = {name: getattr(P, name) for name in ("read_all", "BuildReport", "resolve", "build_graph", "default_gazetteer")
           if hasattr(P, name)}
    if "extract_all" in eg_calls:  # the serial path: nlp.parse_many over all articles, then extract each
        runner = inspect.getmodule(P.extract_all)
        names = set(code_names(runner.extract_all.__code__))
        if not {"parse_many", "extract"} <= names:
            raise StageMismatch(f"{runner.__name__}.extract_all no longer runs nlp.parse_many then extract")
        fns["extract"] = runner.extract
        fns.setdefault("default_gazetteer", runner.default_gazetteer)
    elif "extract" in eg_calls:
        fns["extract"] = P.extract
    else:
        raise StageMismatch("kg.pipeline.extract_graph calls neither extract_all nor extract")
    if "default_gazetteer" not in fns:
        from kg.gazetteer import default_gazetteer
        fns["default_gazetteer"] = default_gazetteer
    fns["load"], fns["parse_many"] = nlp.load, nlp.parse_many
    for name in graph_stages:
        fns[name] = getattr(P, name)

    x = object()
    calls = {  # the calls measure_stages makes, with placeholders
        "read_all": (x, x, False), "load": (), "parse_many": (x,), "default_gazetteer": (),
        "extract": (x, x, x), "resolve": (x, x), "build_graph": (x, x, x), "to_turtle": (x,),
        "check_turtle": (x,), "validate": (x,), "render_html": (x,), "write_atomic": (x, x),
    }
    for name, args in calls.items():
        if name not in fns:
            continue
        try:
            inspect.signature(fns[name]).bind(*args)
        except TypeError as exc:
            raise StageMismatch(f"{name}{inspect.signature(fns[name])} no longer takes {len(args)} "
                                f"positional arguments as this script passes them ({exc})") from exc
        except ValueError:  # no signature to read: trust it
            pass
    return {"fns": fns, "graph_stages": graph_stages}


def measure_stages(sources: Path, out: Path) -> dict:
    plan = stage_plan()  # raises StageMismatch
    fns = plan["fns"]
    t = Timer()
    report = fns["BuildReport"]()
    with t("read_all"):
        articles = fns["read_all"]([sources], report, False)
    with t("load model"):
        fns["load"]()
    with t(NLP_STAGE):
        parsed = fns["parse_many"](articles)
    with t("load gazetteer"):
        gazetteer = fns["default_gazetteer"]()
    with t("extract"):
        extractions = [fns["extract"](a, p, gazetteer) for a, p in zip(articles, parsed)]
    with t("resolve"):
        resolved = fns["resolve"](extractions, gazetteer)
    with t("build_graph"):
        graph = fns["build_graph"](extractions, resolved, gazetteer)
    state: dict = {"graph": graph}
    for name in plan["graph_stages"]:
        label, takes, gives = GRAPH_STAGES[name]
        if name == "write_atomic":
            with t(label):
                fns[name](out / "kg.ttl", state["turtle"])
                fns[name](out / "kg.html", state["html"])
            continue
        with t(label):
            state[gives] = fns[name](state[takes])
    paragraphs = sum(len(a.segments) for a in articles)
    check = state.get("check")
    return {"ok": True, "stages": t.stages, "articles": len(articles), "paragraphs": paragraphs,
            "triples": len(graph), "conforms": bool(getattr(check, "conforms", True)),
            "ttl_bytes": len(state.get("turtle", "").encode()), "html_bytes": len(state.get("html", "").encode()),
            "skipped": len(report.skipped)}


def measure_floor(sources: Path) -> dict:
    """A bare nlp.pipe over the same paragraphs, same pipeline, same batch size."""
    from kg import nlp
    from kg.pipeline import BuildReport, read_all

    articles = read_all([sources], BuildReport(), False)
    texts = [a.text[s.start:s.end] for a in articles for s in a.segments]
    model = nlp.load()
    batch = getattr(nlp, "BATCH_SIZE", 64)
    log(f"  bare nlp.pipe over {len(texts):,} paragraphs ...")
    started = time.perf_counter()
    ents = 0
    for doc in model.pipe(texts, batch_size=batch):
        ents += len(doc.ents)
    seconds = time.perf_counter() - started
    return {"ok": True, "seconds": seconds, "paragraphs": len(texts), "entities": ents, "batch_size": batch,
            "components": list(model.pipe_names)}


def measure_e2e(sources: Path, out: Path, jobs: int | None) -> dict:
    import kg.pipeline as P

    params = inspect.signature(P.build).parameters
    kwargs: dict = {}
    if "jobs" in params and jobs:
        kwargs["jobs"] = jobs
    if "use_cache" in params:
        kwargs["use_cache"] = False  # a cold build: every article extracted
    log(f"  kg.pipeline.build({', '.join(f'{k}={v}' for k, v in kwargs.items())}) ...")
    started = time.perf_counter()
    report = P.build([sources], out, **kwargs)
    seconds = time.perf_counter() - started
    return {"ok": True, "seconds": seconds, "kwargs": kwargs, "articles": report.articles,
            "triples": report.triples, "has_jobs": "jobs" in params}


def measure_cached(sources: Path, out: Path, jobs: int | None) -> dict:
    """A build with the cache in `out` (kept between calls): the incremental measurement's builds."""
    import kg.pipeline as P

    kwargs: dict = {"use_cache": True}
    if jobs:
        kwargs["jobs"] = jobs
    started = time.perf_counter()
    report = P.build([sources], out, **kwargs)
    return {"ok": True, "seconds": time.perf_counter() - started, "extracted": report.extracted,
            "articles": report.articles, "triples": report.triples}


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
            if args.measure == "cached":
                result = measure_cached(sources, Path(args.out), args.jobs)
            elif args.measure == "stages":
                result = measure_stages(sources, out)
            elif args.measure == "floor":
                result = measure_floor(sources)
            else:
                result = measure_e2e(sources, out, args.jobs)
        except StageMismatch as exc:
            result = {"ok": False, "reason": str(exc)}
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


def run_child(measure: str, sources: Path, jobs: int | None, out: Path | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_file = Path(handle.name)
    try:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", measure, "--corpus", str(sources),
               "--result", str(result_file)]
        if jobs:
            cmd += ["--jobs", str(jobs)]
        if out is not None:
            cmd += ["--out", str(out)]
        busy0, ours0, started = busy_cpu_seconds(), children_cpu_seconds(), time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT)
        wall = time.perf_counter() - started
        busy1, ours1 = busy_cpu_seconds(), children_cpu_seconds()
        # CPU the rest of the machine used meanwhile: other work slows the measurement down
        others = max(0.0, (busy1 - busy0) - (ours1 - ours0)) if busy0 is not None and busy1 is not None else None
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
    e2e = {"ok": False, "reason": "skipped (--no-e2e)"}
    if not args.no_e2e or not stages.get("ok"):
        log(f"== {size:,} articles: kg.pipeline.build end to end")
        e2e = run_child("e2e", sources, build_jobs)
    incremental = {"ok": False, "reason": f"skipped (size above --incremental-max {args.incremental_max:,})"}
    if size <= args.incremental_max:
        log(f"== {size:,} articles: incremental rebuild")
        incremental = bench_incremental(sources, build_jobs)
    return {"size": size, "corpus": stats, "corpus_path": str(sources), "stages": stages, "floor": floor, "e2e": e2e,
            "incremental": incremental}


def bench_incremental(sources: Path, jobs: int | None) -> dict:
    """Full build without cache, then with the cache, then after one article changed: three
    fresh processes on a copy of the corpus, each timed from start to exit."""
    with tempfile.TemporaryDirectory(prefix="kg-bench-inc-") as tmp:
        copy, out = Path(tmp) / "articles", Path(tmp) / "out"
        shutil.copytree(sources, copy)
        full = run_child("e2e", copy, jobs)
        first = run_child("cached", copy, jobs, out)
        if not (full.get("ok") and first.get("ok")):
            return {"ok": False, "reason": full.get("reason") or first.get("reason")}
        changed = sorted(copy.glob("*.txt"))[len(list(copy.glob("*.txt"))) // 2]
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text.rstrip("\n") + " La coopération se poursuivra l'an prochain.\n", encoding="utf-8")
        again = run_child("cached", copy, jobs, out)
        unchanged = run_child("cached", copy, jobs, out)
    if not (again.get("ok") and unchanged.get("ok")):
        return {"ok": False, "reason": again.get("reason") or unchanged.get("reason")}
    return {"ok": True, "full": full, "first": first, "again": again, "unchanged": unchanged, "changed": changed.name}


def stage_total(stages: dict) -> float:
    return sum(s for _, s in stages["stages"])


def print_size(r: dict) -> None:
    size, corpus, stages, floor, e2e = r["size"], r["corpus"], r["stages"], r["floor"], r["e2e"]
    print(f"\n== {size:,} articles: {corpus['words']:,} words ({corpus['avg_words']:.0f} per article), "
          f"{corpus['sidecars']:,} sidecars; corpus {r['corpus_path']}")
    busy = [f"{label} {m['others_cpu_s'] / m['wall']:.0%}" for label, m in
            (("stage by stage", stages), ("nlp.pipe", floor), ("end to end", e2e))
            if m.get("others_cpu_s") is not None and m.get("wall") and m["others_cpu_s"] > 0.1 * m["wall"]]
    if busy:
        print(f"WARNING: other processes kept the machine busy during the measurements (their CPU time, as a share "
              f"of one core, over each measurement: {', '.join(busy)}; {os.cpu_count()} CPUs): "
              f"these figures are slower than on a quiet machine")
    versions = {m.get("kg_version") for m in (stages, floor, e2e) if m.get("kg_version")}
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
        if stages.get("ok"):
            load = dict(stages["stages"]).get("load model", 0.0)
            print(f"  build / bare nlp.pipe: {stage_total(stages) / floor['seconds']:.2f}x "
                  f"({(stage_total(stages) - load) / floor['seconds']:.2f}x without the model load); "
                  f"nlp.parse_many / bare nlp.pipe: {dict(stages['stages'])[NLP_STAGE] / floor['seconds']:.2f}x")
        if e2e.get("ok"):
            print(f"  end to end / bare nlp.pipe: {e2e['seconds'] / floor['seconds']:.2f}x")
    else:
        print(f"model floor: not measured ({floor.get('reason')})")
    if e2e.get("ok"):
        call = ", ".join(f"{k}={v}" for k, v in e2e["kwargs"].items())
        peak = e2e["peak_mb"]
        workers = e2e["kwargs"].get("jobs", 1) if peak["children"] else 0
        print(f"end to end: kg.pipeline.build({call}): {fmt_s(e2e['seconds'])} s, "
              f"{e2e['articles'] / e2e['seconds']:,.1f} articles/s, {e2e['triples'] / e2e['seconds']:,.0f} triples/s, "
              f"peak RSS {peak['self']:,.0f} MB (child processes {peak['children']:,.0f} MB each; all together at "
              f"most {peak['self'] + workers * peak['children']:,.0f} MB)")
        if stages.get("ok") and e2e["triples"] != stages["triples"]:
            print(f"  NOTE: the stage-by-stage graph has {stages['triples']:,} triples, kg.pipeline.build's "
                  f"{e2e['triples']:,}: the pipeline no longer runs these stages as this script does, so trust "
                  f"the end-to-end figures")
    else:
        print(f"end to end: not measured ({e2e.get('reason')})")
    inc = r.get("incremental", {})
    if inc.get("ok"):
        full, first, again, unchanged = inc["full"], inc["first"], inc["again"], inc["unchanged"]
        print(f"incremental (each build a fresh process, wall time from start to exit; jobs as end to end):")
        print(f"  full build, no cache:             {fmt_s(full['wall']):>7} s")
        print(f"  full build, filling the cache:    {fmt_s(first['wall']):>7} s  ({first['extracted']:,} extracted)")
        print(f"  after changing {inc['changed']}: {fmt_s(again['wall']):>7} s  ({again['extracted']:,} extracted)  "
              f"= {again['wall'] / full['wall']:.1%} of the full build (the issue wants < 10%)")
        print(f"  nothing changed:                  {fmt_s(unchanged['wall']):>7} s  ({unchanged['extracted']:,} extracted)"
              f"  = {unchanged['wall'] / full['wall']:.1%}")
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
          "peak: the stage-by-stage process)")
    e2e_head = f"e2e{'(jobs=' + str(build_jobs) + ')' if build_jobs else ''} s"
    print(f"{'articles':>8} {'words':>10} {'triples':>10} {'seconds':>9} {'art/s':>7} {'triples/s':>9} "
          f"{'peak MB':>8} {'NLP':>6} {'/nlp.pipe':>9} {e2e_head:>13}")
    for r in results:
        seconds, _ = headline_seconds(r)
        st, fl, e2e = r["stages"], r["floor"], r["e2e"]
        triples = st.get("triples") or e2e.get("triples") or 0
        peak = (st if st.get("ok") else e2e).get("peak_mb", {}).get("self", 0)
        nlp_share = f"{dict(st['stages'])[NLP_STAGE] / seconds:.0%}" if st.get("ok") else "-"
        ratio = f"{seconds / fl['seconds']:.2f}x" if fl.get("ok") and seconds else "-"
        e2e_s = fmt_s(e2e["seconds"]) if e2e.get("ok") else "-"
        print(f"{r['size']:>8,} {r['corpus']['words']:>10,} {triples:>10,} "
              f"{fmt_s(seconds) if seconds else '-':>9} {r['size'] / seconds if seconds else 0:>7.1f} "
              f"{triples / seconds if seconds else 0:>9,.0f} {peak:>8,.0f} {nlp_share:>6} {ratio:>9} {e2e_s:>13}")
    versions = {m.get("kg_version") for r in results for m in (r["stages"], r["floor"], r["e2e"]) if m.get("kg_version")}
    if len(versions) > 1:
        print(f"WARNING: the kg code changed during the run ({', '.join(sorted(versions))}): the sizes are not comparable")
    if len(results) >= 2:
        last, prev = results[-1], results[-2]
        a, kind = headline_seconds(last)
        b, _ = headline_seconds(prev)
        if a and b:
            factor = last["size"] / prev["size"]
            print(f"growth: time({last['size']:,}) / time({prev['size']:,}) = {a / b:.2f} ({kind}; "
                  f"{factor:g}x the articles; the issue wants time(10000)/time(1000) <= 11)")
        if last["e2e"].get("ok") and prev["e2e"].get("ok"):
            print(f"growth end to end: {last['e2e']['seconds'] / prev['e2e']['seconds']:.2f}")


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
    parser.add_argument("--measure", choices=("stages", "floor", "e2e", "cached"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
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
