"""Words per second of extraction, per language: is an English article read as fast as a French one?

    python benchmarks/language_benchmark.py FOLDER [FOLDER ...] [--rounds 3]

Reads every article of the folders, groups them by language, and times
kg.runner.extract_chunk (the pipeline and every rule, as a build runs them in one process)
on each group, the best of --rounds after a first run that loads the models. Prints words,
seconds and words per second per language, and each language's rate over French's.
Not a test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from kg import runner  # noqa: E402
from kg.articles import read_article  # noqa: E402
from kg.models import Article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    groups: dict[str, list[Article]] = defaultdict(list)
    for folder in args.folders:
        for path in sorted(folder.glob("*.txt")):
            article = read_article(path, folder)
            groups[article.meta.rules].append(article)
    rates = {}
    for language, articles in sorted(groups.items()):
        words = sum(len(a.text.split()) for a in articles)
        runner.extract_chunk(articles)  # load the models
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            runner.extract_chunk(articles)
            times.append(time.perf_counter() - started)
        rates[language] = words / min(times)
        print(f"{language}: {len(articles)} articles, {words} words, {min(times):.3f} s, {rates[language]:,.0f} words/s")
    if "fr" in rates:
        for language, rate in rates.items():
            print(f"{language} / fr: {rate / rates['fr']:.2f}x")


if __name__ == "__main__":
    main()
