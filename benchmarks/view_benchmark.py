"""How fast the graph view is on a big synthetic graph (a benchmark, not a test).

    .venv/bin/python benchmarks/view_benchmark.py [--entities 5000] [--runs 3] [--keep page.html]
    .venv/bin/python benchmarks/view_benchmark.py --page OUT/kg.html [--runs 3]

Builds a synthetic graph shaped like ours (benchmarks/synthetic.py), turns it into Oxigraph
triples as `kg build` does (kg.turtle.oxigraph_triples, not timed), times render_html on them,
then loads the page in headless chromium (Debian's /usr/bin/chromium through Playwright,
every request but file: and data: blocked) and measures the time to interactive: from
navigation start until the view is drawn (`kgView.ready`) and a search plus selection
round trip has been drawn. Prints the figures and PASS or FAIL against the 5 s budget
(exit status 1 on FAIL). Figures are medians over --runs page loads. With --page, the page
of a real build is loaded instead (render_html is then not timed).
"""
from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import synthetic_graph  # noqa: E402
from kg.turtle import oxigraph_triples  # noqa: E402
from kg.view import render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
BUDGET = 5.0  # seconds from navigation start to interactive
QUERY = "nguyen"  # matches hundreds of synthetic persons: the search ranks them all

ROUND_TRIP = """async (query) => {
  while (!(window.kgView && kgView.ready)) { await new Promise(r => setTimeout(r, 2)); }
  const start = performance.now();
  const drawn = new Promise(r => kgView.network.once("afterDrawing", r));
  const id = kgView.search(query);
  await drawn;
  const done = performance.now();
  const frameStart = performance.now();
  const frame = new Promise(r => kgView.network.once("afterDrawing", r));
  kgView.network.redraw();
  await frame;
  return {ready: kgView.readyAt, roundTrip: done - start, interactive: done, id: id,
          selected: kgView.network.getSelectedNodes(), panel: document.getElementById("kg-title").textContent,
          frame: performance.now() - frameStart, nodes: kgView.network.body.nodeIndices.length};
}"""


def load_once(browser, page_path: Path) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    blocked, failed, errors = [], [], []

    def route(request_route) -> None:
        if request_route.request.url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_path.as_uri(), wait_until="commit", timeout=120_000)
    result = page.evaluate(ROUND_TRIP, QUERY)
    context.close()
    result.update(blocked=blocked, failed=failed, errors=errors)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=5000, help="entity nodes (articles come on top)")
    parser.add_argument("--runs", type=int, default=3, help="page loads; medians are printed")
    parser.add_argument("--keep", type=Path, help="also write the page here")
    parser.add_argument("--page", type=Path, help="load this page (a kg build's kg.html) instead of a synthetic one")
    args = parser.parse_args()

    renders = []
    if args.page:
        html, triples = args.page.read_text(encoding="utf-8"), "-"
    else:
        graph = oxigraph_triples(synthetic_graph(args.entities))  # as `kg build` hands them to the view
        render_html([])  # templates and vis-network files loaded once, as in a build
        for _ in range(args.runs):
            start = time.perf_counter()
            html = render_html(graph)
            renders.append(time.perf_counter() - start)
        triples = len(graph)
    data = json.loads(re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S).group(1))
    with tempfile.TemporaryDirectory() as folder:
        page_path = Path(folder) / "kg.html"
        page_path.write_text(html, encoding="utf-8")
        if args.keep:
            args.keep.write_text(html, encoding="utf-8")
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            runs = [load_once(browser, page_path) for _ in range(args.runs)]
            browser.close()

    problems = [f"{k}: {r[k]}" for r in runs for k in ("blocked", "failed", "errors") if r[k]]
    problems += [f"search selected {r['selected']}, not [{r['id']}]" for r in runs if r["selected"] != [r["id"]]]
    first = len(data["drawn"]) if data.get("drawn") else len(data["nodes"])  # a huge graph draws the most connected
    problems += [f"{r['nodes']} nodes drawn, {first} expected" for r in runs if not first <= r["nodes"] <= first + 1]
    interactive = statistics.median(r["interactive"] for r in runs) / 1000
    print(f"triples            {triples}")
    print(f"nodes              {len(data['nodes'])} ({first} drawn at first)")
    print(f"edges              {len(data['edges'])}")
    print(f"html size          {len(html.encode('utf-8')) / 1e6:.1f} MB")
    if renders:
        print(f"render_html        {statistics.median(renders):.2f} s")
    print(f"drawn (ready)      {statistics.median(r['ready'] for r in runs) / 1000:.2f} s after navigation start")
    print(f"search + select    {statistics.median(r['roundTrip'] for r in runs):.0f} ms "
          f"(query {QUERY!r}, selected {runs[0]['panel']!r})")
    print(f"one full redraw    {statistics.median(r['frame'] for r in runs):.0f} ms")
    each = ", ".join(f"{r['interactive'] / 1000:.2f}" for r in runs)
    print(f"time to interactive {interactive:.2f} s (median of {len(runs)} loads: {each})")
    for problem in problems:
        print(f"problem: {problem}")
    ok = interactive < BUDGET and not problems
    print(f"{'PASS' if ok else 'FAIL'}: time to interactive {interactive:.2f} s, budget {BUDGET:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
