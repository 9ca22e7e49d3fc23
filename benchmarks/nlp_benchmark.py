"""What the extraction costs over the model, and how many articles a build reads per second.

    python benchmarks/nlp_benchmark.py [--size 300] [--jobs 2] [--seed 0] [--rounds 3]

On a synthetic corpus of French articles of about 500 words (benchmarks/corpus.py, kept in
benchmarks/.corpus/), in this process:

- model: `nlp.pipe` over the articles' paragraphs, with the components the build loads, and
  nothing else;
- extraction: kg.runner.extract_chunk over the same articles, which runs the same pipeline
  (after splitting glued words) and then every rule;

each the best of --rounds, and their ratio. Then `kg build SOURCES --jobs N --no-cache` in a
fresh process, timed from start to exit (loading the model included): articles per second.
Not a test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
from build_benchmark import ensure_corpus  # noqa: E402

from kg import nlp, runner  # noqa: E402
from kg.articles import read_article  # noqa: E402


def best(rounds: int, run) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300, help="articles in the corpus (default 300)")
    parser.add_argument("--jobs", type=int, default=2, help="kg build --jobs (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each in-process measure (default 3)")
    args = parser.parse_args(argv)
    sources, stats = ensure_corpus(args.size, args.seed)
    files = sorted(p for p in sources.iterdir() if p.suffix == ".txt")
    articles = [read_article(p, sources) for p in files]
    paragraphs = [a.text[s.start:s.end] for a in articles for s in a.segments]
    model = nlp.load()
    print(f"nlp benchmark: {len(articles):,} articles, {stats['words']:,} words, {len(paragraphs):,} paragraphs; "
          f"pipeline {', '.join(model.pipe_names)}; {os.cpu_count()} CPUs")
    list(model.pipe(paragraphs[:64]))  # warm up
    bare = best(args.rounds, lambda: list(model.pipe(paragraphs, batch_size=nlp.BATCH_SIZE)))
    full = best(args.rounds, lambda: runner.extract_chunk(articles))
    print(f"  model alone (nlp.pipe)         {bare:7.2f} s  {len(articles) / bare:6.1f} articles/s")
    print(f"  model and extraction           {full:7.2f} s  {len(articles) / full:6.1f} articles/s")
    print(f"  extraction over the model      {full / bare:7.2f}x")
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(sources), "--out", out, "--no-cache",
                               "--jobs", str(args.jobs)], capture_output=True, text=True, cwd=HERE.parent)
        seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(done.stderr[-2000:])
    extracted = int(re.search(r"articles extracted\s+(\d+)", done.stdout).group(1))
    print(f"  kg build --jobs {args.jobs} --no-cache   {seconds:7.2f} s  {extracted / seconds:6.1f} articles/s "
          f"({extracted:,} articles, start to exit)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
