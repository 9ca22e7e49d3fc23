"""The view's tools for questions of time and place, in Chromium (as tests/test_browser.py):
the timeline, the country and party filters, a node's neighbourhood, labels apart at rest,
the CSV of what is shown, the panel cleared, the evidence marked."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.text import fold
from kg.vocab import KGR

from .test_browser import HUNG, MEMORANDUM, Browser, Loaded, browser, check_clean, load  # noqa: F401

CONVENTION = KGR["agreement/convention-de-cooperation-sur-le-partage-des-donnees-satellitaires-320d800a"]
SHOWN = "() => kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"


@pytest.fixture
def seeds_view(browser: Browser, built: Path) -> Iterator[Loaded]:  # noqa: F811
    loaded = load(browser, built / "kg.html")
    yield loaded
    loaded.page.context.close()


def neighbours(view: Loaded, iri: str) -> set[str]:
    return set(view.js("""id => { const out = new Set([id]);
        kgView.links.get(id).forEach(e => { out.add(e.from); out.add(e.to); }); return [...out]; }""", iri))


def test_brushing_2020_keeps_the_memorandum_and_its_neighbours(seeds_view: Loaded) -> None:
    assert seeds_view.js("kgView.brush(2020, 2021)") == [str(MEMORANDUM)]
    assert set(seeds_view.js(SHOWN)) == neighbours(seeds_view, str(MEMORANDUM))
    assert str(CONVENTION) not in seeds_view.js(SHOWN)
    seeds_view.js("kgView.brush(null)")
    assert len(seeds_view.js(SHOWN)) == seeds_view.js("kgView.nodes.length")
    check_clean(seeds_view)


def test_dragging_over_the_timeline_brushes_the_period(seeds_view: Loaded) -> None:
    page = seeds_view.page
    box = page.locator("#kg-timeline-chart").bounding_box()
    dots = seeds_view.js("""() => [...document.querySelectorAll('#kg-timeline-chart circle')]
        .map(c => [Number(c.getAttribute('cx')), c.textContent])""")
    assert sorted(title for _, title in dots)[0].startswith("Convention")  # 2017-09
    memo_x = next(x for x, title in dots if title.startswith("Mémorandum"))
    page.mouse.move(box["x"] + memo_x - 4, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + memo_x + 4, box["y"] + 20)
    page.mouse.up()
    assert str(MEMORANDUM) in seeds_view.js(SHOWN) and str(CONVENTION) not in seeds_view.js(SHOWN)


def test_no_two_labels_overlap_at_rest(seeds_view: Loaded) -> None:
    boxes = seeds_view.js("kgView.boxes()")
    assert len(boxes) == seeds_view.js("kgView.nodes.length")
    clashes = [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
               if a["box"]["left"] < b["box"]["right"] and b["box"]["left"] < a["box"]["right"]
               and a["box"]["top"] < b["box"]["bottom"] and b["box"]["top"] < a["box"]["bottom"]]
    assert clashes == []


def test_the_shown_nodes_export_as_csv(seeds_view: Loaded) -> None:
    seeds_view.js("kgView.brush(2020, 2021)")
    rows = list(csv.DictReader(io.StringIO(seeds_view.js("kgView.csv()"), newline="")))
    assert {r["id"] for r in rows} == set(seeds_view.js(SHOWN))
    memo = next(r for r in rows if r["id"] == str(MEMORANDUM))
    assert memo["type"] == "Agreement" and memo["date"] == "2020" and memo["articles"] == "000_c0f335d2a1b346a0.txt"
    with seeds_view.page.expect_download() as download:
        seeds_view.page.click("#kg-csv")
    assert download.value.suggested_filename == "kg-selection.csv"


def test_filters_by_country_and_by_party(seeds_view: Loaded) -> None:
    page = seeds_view.page
    page.select_option("#kg-party", label="Ministère de l'Information et de la Communication")
    shown = set(seeds_view.js(SHOWN))
    assert str(MEMORANDUM) in shown and str(CONVENTION) not in shown
    page.click("#kg-all")
    page.select_option("#kg-country", label="Japon")
    shown = set(seeds_view.js(SHOWN))
    assert str(KGR["person/takaichi-sanae"]) in shown and str(MEMORANDUM) in shown
    assert str(HUNG) not in shown
    check_clean(seeds_view)


def test_a_nodes_neighbourhood_on_demand(seeds_view: Loaded) -> None:
    seeds_view.js("id => kgView.select(id)", str(HUNG))
    seeds_view.page.click("#kg-hood")
    assert set(seeds_view.js(SHOWN)) == neighbours(seeds_view, str(HUNG))


def test_the_evidence_marks_the_name_and_the_panel_clears(seeds_view: Loaded) -> None:
    seeds_view.js("id => kgView.select(id)", str(HUNG))
    marks = seeds_view.js("() => [...document.querySelectorAll('#kg-panel mark')].map(m => m.textContent)")
    assert marks and {fold(m) for m in marks} == {"nguyen manh hung"}, marks  # however each sentence spells it
    seeds_view.page.click("#kg-close")
    assert seeds_view.page.inner_text("#kg-title") == "" and seeds_view.page.inner_text("#kg-msg") == ""
    assert seeds_view.js("document.getElementById('kg-body').childElementCount") == 0
