"""Build benchmark: `kg build` on synthetic French corpora, end to end and rebuilding.

    python benchmarks/build_benchmark.py [--sizes 100,1000] [--jobs N] [--seed 0] [--repeat R]
                                         [--compare PATH] [--json FILE]

For each size, a corpus of that many articles (benchmarks/corpus.py, about 500 words each)
is generated once and kept in benchmarks/.corpus/ (git-ignored). Then, every build a fresh
process of the code measured (PYTHONPATH set to its checkout, this virtualenv's Python):

- end to end: `kg build SOURCES --out TMP --jobs N --no-cache`, wall time, articles/s, and
  the peak resident memory of the process and of its largest child process (getrusage);
- stages: kg.pipeline.build() called in a process, its BuildReport.stages (seconds per stage,
  in the order the build ran them) shown as shares of the build, where the code reports them;
- rebuilds, on a copy of the corpus: `kg build` filling the cache, then after one article
  changed (a sentence appended; three times, a different article each time, the median is the
  figure), then with nothing changed.

With --compare PATH the same runs are made with the code at PATH too, taking turns (this
checkout, then PATH, then PATH, then this checkout ...) so that a machine whose speed drifts
slows both alike, and the ratios new/old are printed. Not a test: the figures depend on the
machine, and compare only roughly from one run to another.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS_DIR = HERE / ".corpus"
REBUILDS = 3
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

# `kg build` in a fresh process, which writes its peak RSS and its largest child's to $KG_BENCH_PEAK as it
# ends (by returning, raising SystemExit, or os._exit, which the kg command of some versions calls).
KG = """
import json, os, resource
pid, exit_now = os.getpid(), os._exit
def peak():
    if os.getpid() == pid:  # not in a forked child
        usage = {who: resource.getrusage(getattr(resource, "RUSAGE_" + who.upper())).ru_maxrss
                 for who in ("self", "children")}
        with open(os.environ["KG_BENCH_PEAK"], "w") as f:
            json.dump(usage, f)
def exit_after_peak(code):
    peak()
    exit_now(code)
os._exit = exit_after_peak
try:
    from kg.cli import main
    main()
finally:
    peak()
"""
# kg.pipeline.build() in a process: its wall time and what its report says, as JSON on the last line.
BUILD = """
import inspect, json, sys, time
from pathlib import Path
from kg.pipeline import build
sources, out, jobs = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
options = {k: v for k, v in {"jobs": jobs, "use_cache": False}.items() if k in inspect.signature(build).parameters}
started = time.perf_counter()
report = build([sources], out, **options)
seconds = time.perf_counter() - started
stages = getattr(report, "stages", None)
print(json.dumps({"seconds": seconds, "articles": report.articles, "triples": report.triples,
                  "stages": {str(k): float(v) for k, v in dict(stages).items()} if stages else None}))
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ensure_corpus(size: int, seed: int) -> tuple[Path, dict]:
    """The corpus of `size` articles, generated once (into a temporary folder, renamed when complete)."""
    made_by = b"".join(p.read_bytes() for p in (HERE / "corpus.py", corpus.TEMPLATES, corpus.GAZETTEER))
    final = CORPUS_DIR / f"n{size}-seed{seed}-{hashlib.sha256(made_by).hexdigest()[:10]}"
    if not (final / "corpus.json").is_file():
        CORPUS_DIR.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=CORPUS_DIR))
        stats = corpus.generate(size, tmp / "articles", seed=seed, quiet=True)
        (tmp / "corpus.json").write_text(json.dumps(stats) + "\n")
        shutil.rmtree(final, ignore_errors=True)
        os.rename(tmp, final)
        log(f"generated {size:,} articles ({stats['words']:,} words) -> {final}")
    return final / "articles", json.loads((final / "corpus.json").read_text())


class Code:
    """A checkout of the project, run with this virtualenv's Python."""

    def __init__(self, label: str, path: Path):
        self.label, self.path = label, path.resolve()
        self.env = {**os.environ, "PYTHONPATH": str(self.path), "COLUMNS": "200"}
        git = ["git", "-C", str(self.path)]
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "kg"], capture_output=True, text=True).stdout
        self.version = (head or "unknown") + ("+changes" if dirty.strip() else "")

    def run(self, code: str, *args: str) -> tuple[subprocess.CompletedProcess, float]:
        started = time.perf_counter()  # cwd: the checkout, first on the child's sys.path
        proc = subprocess.run([sys.executable, "-c", code, *args], cwd=self.path, env=self.env, capture_output=True,
                              text=True)
        if proc.returncode != 0:
            sys.exit(f"{self.label} ({self.path}) failed: {' '.join(args)}\n{proc.stderr[-3000:]}")
        return proc, time.perf_counter() - started

    def kg_build(self, sources: Path, out: Path, jobs: int, *options: str) -> dict:
        """`kg build` as a user runs it, timed from start to exit."""
        with tempfile.NamedTemporaryFile(suffix=".json") as peak:
            self.env["KG_BENCH_PEAK"] = peak.name
            proc, seconds = self.run(KG, "build", str(sources), "--out", str(out), "--jobs", str(jobs), *options)
            kb = json.loads(Path(peak.name).read_text() or "{}")
        extracted = re.search(r"articles extracted\s+(\d+)", proc.stdout)
        unit = 1024 * (1024 if sys.platform == "darwin" else 1)  # ru_maxrss: bytes on macOS, KB elsewhere
        return {"seconds": seconds, "extracted": int(extracted.group(1)) if extracted else None,
                "peak_mb": kb.get("self", 0) / unit, "children_peak_mb": kb.get("children", 0) / unit}

    def stages(self, sources: Path, out: Path, jobs: int) -> dict:
        proc, _ = self.run(BUILD, str(sources), str(out), str(jobs))
        return json.loads(proc.stdout.strip().splitlines()[-1])


def in_turns(codes: list[Code], rounds: int = 1):
    """(round, code) for every code in every round, the order reversed every other round: A B, B A, A B ..."""
    for n in range(rounds):
        yield from ((n, code) for code in (codes if n % 2 == 0 else codes[::-1]))


def bench_size(size: int, codes: list[Code], args: argparse.Namespace) -> dict:
    sources, stats = ensure_corpus(size, args.seed)
    runs = {code.label: {"e2e": [], "rebuilds": []} for code in codes}
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        tmp = Path(tmp)
        for n, code in in_turns(codes, args.repeat):
            log(f"{size:,} articles, {code.label}: kg build --no-cache ({n + 1}/{args.repeat})")
            run = code.kg_build(sources, tmp / f"e2e-{code.label}-{n}", args.jobs, "--no-cache")
            runs[code.label]["e2e"].append(run)
        for _, code in in_turns(codes):
            log(f"{size:,} articles, {code.label}: kg.pipeline.build() for its stages")
            runs[code.label]["stages"] = code.stages(sources, tmp / f"stages-{code.label}", args.jobs)
        copies = {code.label: tmp / f"rebuild-{code.label}" for code in codes}  # each code its corpus and cache

        def rebuild(code: Code) -> dict:
            return code.kg_build(copies[code.label] / "articles", copies[code.label] / "out", args.jobs)

        for _, code in in_turns(codes):
            log(f"{size:,} articles, {code.label}: kg build filling the cache")
            shutil.copytree(sources, copies[code.label] / "articles")
            runs[code.label]["cold"] = rebuild(code)
        names = sorted(p.name for p in sources.glob("*.txt"))
        for n, code in in_turns(codes, REBUILDS):
            changed = copies[code.label] / "articles" / names[len(names) * (n + 1) // (REBUILDS + 1)]
            with changed.open("a", encoding="utf-8") as f:
                f.write(f"\nLes deux parties se retrouveront en {2030 + n} pour faire le point.\n")
            log(f"{size:,} articles, {code.label}: kg build after {changed.name} changed")
            runs[code.label]["rebuilds"].append({**rebuild(code), "changed": changed.name})
        for _, code in in_turns(codes):
            log(f"{size:,} articles, {code.label}: kg build, nothing changed")
            runs[code.label]["unchanged"] = rebuild(code)
    for r in runs.values():
        r["e2e_seconds"] = statistics.median(run["seconds"] for run in r["e2e"])
        r["rebuild_seconds"] = statistics.median(run["seconds"] for run in r["rebuilds"])
    return {"size": size, "corpus": stats, "corpus_path": str(sources), "runs": runs}


# --------------------------------------------------------------------------- printing


def table(rows: list[list[str]]) -> None:
    """The first column left-aligned, the others right-aligned; the first row is the header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  " + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))


def ratio(values: list) -> list[str]:
    """The new/old column: [] without --compare."""
    if len(values) < 2:
        return []
    new, old = values
    return [f"{new / old:.2f}x" if new and old else "-"]


def seconds(value: float) -> str:
    return f"{value:,.2f} s"


def print_size(result: dict, codes: list[Code], args: argparse.Namespace) -> None:
    size, stats = result["size"], result["corpus"]
    runs = [result["runs"][code.label] for code in codes]
    labels = [code.label for code in codes]
    print(f"\n== {size:,} articles: {stats['words']:,} words ({stats['avg_words']:.0f} per article), "
          f"{stats['sidecars']:,} sidecars")

    def row(name: str, values: list, fmt=seconds, compared: bool = True) -> list[str]:
        return [name, *(fmt(v) for v in values), *(ratio(values) if compared else [""] * (len(values) - 1))]

    e2e, rebuild = [r["e2e_seconds"] for r in runs], [r["rebuild_seconds"] for r in runs]
    unchanged = [r["unchanged"]["seconds"] for r in runs]
    megabytes = lambda mb: f"{mb:,.0f} MB" if mb else "none"  # noqa: E731
    share = lambda part: f"{part:.1%}"  # noqa: E731
    median = f" (median of {args.repeat})" if args.repeat > 1 else ""
    table([["", *labels] + (["new/old"] if len(codes) > 1 else []),
           row(f"end to end, kg build --no-cache --jobs {args.jobs}{median}", e2e),
           row("  articles/s", [size / s for s in e2e], lambda v: f"{v:,.1f}", compared=False),
           row("  peak RSS of the process", [max(e["peak_mb"] for e in r["e2e"]) for r in runs], megabytes),
           row("  peak RSS of its largest child", [max(e["children_peak_mb"] for e in r["e2e"]) for r in runs],
               megabytes),
           row("kg build filling the cache", [r["cold"]["seconds"] for r in runs]),
           row(f"one article changed (median of {REBUILDS})", rebuild),
           row("  of end to end", [a / b for a, b in zip(rebuild, e2e)], share, compared=False),
           row("nothing changed", unchanged),
           row("  of end to end", [a / b for a, b in zip(unchanged, e2e)], share, compared=False)])
    for label, r in zip(labels, runs):
        extracted = [x["extracted"] for x in r["rebuilds"]] + [r["unchanged"]["extracted"]]
        if extracted != [1] * REBUILDS + [0]:
            print(f"  NOTE {label}: articles extracted by the rebuilds {extracted} (expected 1 each time, then 0)")

    built = [r["stages"] for r in runs]
    print(f"  in a process, kg.pipeline.build(jobs={args.jobs}): "
          + "; ".join(f"{label} {seconds(b['seconds'])}, {b['triples']:,} triples" for label, b in zip(labels, built)))
    names = list(dict.fromkeys(name for b in built for name in b["stages"] or {}))
    if not names:
        print("  stages: not reported (this code's BuildReport has no `stages`)")
        return
    rows = [["stage", *(f"{label} {what}" for label in labels for what in ("s", "share"))]
            + (["new/old"] if len(codes) > 1 else [])]
    for name in [*names, "not in a stage", "total"]:
        values = [stage_seconds(b, name) for b in built]
        cells = [cell for v, b in zip(values, built)
                 for cell in ((f"{v:.2f}", share(v / b["seconds"])) if v is not None else ("-", "-"))]
        rows.append([name, *cells, *ratio(values)])
    table(rows)


def stage_seconds(built: dict, name: str) -> float | None:
    """Seconds of a stage of an in-process build; 'not in a stage': the rest of its wall time."""
    stages = built["stages"]
    if name == "total":
        return built["seconds"]
    if not stages:
        return None
    return max(0.0, built["seconds"] - sum(stages.values())) if name == "not in a stage" else stages.get(name)


def print_summary(results: list[dict], codes: list[Code]) -> None:
    if len(results) < 2:
        return
    last, prev = results[-1], results[-2]
    growth = [last["runs"][c.label]["e2e_seconds"] / prev["runs"][c.label]["e2e_seconds"] for c in codes]
    print(f"\n== end to end, from {prev['size']:,} to {last['size']:,} articles ({last['size'] / prev['size']:g}x): "
          + "; ".join(f"{c.label} {g:.2f}x" for c, g in zip(codes, growth)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated corpus sizes (default 100,1000)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kg build --jobs (default: CPU count)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed")
    parser.add_argument("--repeat", type=int, help="end-to-end builds per code (default 1, 2 with --compare)")
    parser.add_argument("--compare", type=Path, metavar="PATH", help="also measure the code of this checkout (old)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every figure to this JSON file")
    args = parser.parse_args(argv)
    args.repeat = args.repeat or (2 if args.compare else 1)
    codes = [Code("new", ROOT)] + ([Code("old", args.compare)] if args.compare else [])
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(f"build benchmark: sizes {', '.join(f'{s:,}' for s in sizes)}; --jobs {args.jobs}; {os.cpu_count()} CPUs, "
          f"load {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for code in codes:
        print(f"  {code.label}: {code.path} ({code.version})")
    results = []
    for size in sizes:
        results.append(bench_size(size, codes, args))
        print_size(results[-1], codes, args)
        sys.stdout.flush()
    print_summary(results, codes)
    print(f"\nload at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if args.json:
        meta = {"jobs": args.jobs, "seed": args.seed, "repeat": args.repeat, "cpus": os.cpu_count(),
                "codes": {c.label: {"path": str(c.path), "version": c.version} for c in codes}}
        args.json.write_text(json.dumps({"meta": meta, "sizes": results}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
