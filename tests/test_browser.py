"""The graph view in a real browser: Debian's chromium driven by Playwright, every request
that is not file: or data: blocked and recorded.

Skipped (with the reason) when /usr/bin/chromium is missing, unless VJKG_REQUIRE_BROWSER is
set, as .ci/run does after installing chromium: then a missing browser fails the tests.
VJKG_CHROMIUM names another chromium binary. The screenshot goes to the test's temporary
folder, and also to VJKG_SCREENSHOT when set (`make screenshot` writes docs/kg-view.png).
"""
from __future__ import annotations

import math
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal

from kg.graph import as_graph
from kg.pipeline import BuildReport, extract_articles, graph_of, read_all
from kg.turtle import oxigraph_triples
from kg.view import render_html
from kg.vocab import KG, KGR, OA, PROV, RDF, RDFS, SDO

CHROMIUM = Path(os.environ.get("VJKG_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = bool(os.environ.get("VJKG_REQUIRE_BROWSER"))
# Headless, and no background connections (this machine's network refuses them anyway).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}
NODE_CLASSES = (SDO.Person, SDO.Organization, SDO.Country, SDO.Place, KG.Technology, KG.Field, SDO.Event, KG.Agreement,
                SDO.NewsArticle)
MEMORANDUM = KGR["agreement/memorandum-de-cooperation-dans-le-domaine-de-l-information-et-de-la-communicatio-973e13a3"]
HUNG = KGR["person/nguyen-manh-hung"]

if not CHROMIUM.is_file() and not REQUIRED:
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium; .ci/run does, and sets VJKG_REQUIRE_BROWSER=1)",
                allow_module_level=True)
if REQUIRED:
    assert CHROMIUM.is_file(), f"VJKG_REQUIRE_BROWSER is set but {CHROMIUM} is missing"
try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
    if REQUIRED:
        raise
    pytest.skip("the playwright package is not installed (it is in requirements.lock)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@dataclass
class Loaded:
    """A page with the view loaded, and everything that went wrong on the way."""

    page: Page
    blocked: list[str] = field(default_factory=list)  # requests to anything but file: or data:
    failed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and uncaught exceptions
    dialogs: list[str] = field(default_factory=list)  # alert(), confirm() ...

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def panel(self) -> str:
        return self.page.inner_text("#kg-panel")


def load(browser: Browser, html: Path) -> Loaded:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    page = context.new_page()
    loaded = Loaded(page)

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            loaded.blocked.append(url)
            request_route.abort()

    context.route("**/*", route)
    page.on("requestfailed", lambda request: loaded.failed.append(f"{request.url}: {request.failure}"))
    page.on("console", lambda message: message.type == "error" and loaded.errors.append(message.text))
    page.on("pageerror", lambda error: loaded.errors.append(str(error)))
    page.on("dialog", lambda dialog: (loaded.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(html.resolve().as_uri())
    page.wait_for_function("() => window.kgView && window.kgView.ready", timeout=30_000)  # a function: CSP forbids eval
    return loaded


def check_clean(loaded: Loaded) -> None:
    assert loaded.blocked == [] and loaded.failed == [], (loaded.blocked, loaded.failed)
    assert loaded.errors == [] and loaded.dialogs == [], (loaded.errors, loaded.dialogs)


@pytest.fixture
def seeds_view(browser: Browser, built: Path) -> Iterator[Loaded]:
    """graphs/kg.html as `kg build` writes it from seeds/ (built afresh, into a temporary folder)."""
    loaded = load(browser, built / "kg.html")
    yield loaded
    loaded.page.context.close()


def wait_focused(loaded: Loaded, iri: str) -> None:
    """Until the view is centred on the node (focus() animates)."""
    loaded.page.wait_for_function(
        """id => { const n = kgView.network, p = n.getPosition(id), v = n.getViewPosition();
                   return Math.hypot(p.x - v.x, p.y - v.y) < 1; }""", arg=iri, timeout=5_000)


def click_node(loaded: Loaded, iri: str) -> None:
    """A real mouse click on the node, once the view is centred on it (away from both boxes)."""
    loaded.js("id => kgView.network.moveTo({position: kgView.network.getPosition(id), scale: 1.2})", iri)
    box = loaded.page.locator("#kg-graph").bounding_box()
    dom = loaded.js("id => kgView.network.canvasToDOM(kgView.network.getPosition(id))", iri)
    loaded.page.mouse.click(box["x"] + dom["x"], box["y"] + dom["y"])


def test_the_harness_catches_requests(browser: Browser, tmp_path: Path) -> None:
    """A page without the view's Content-Security-Policy: its request is blocked and recorded."""
    probe = tmp_path / "probe.html"
    probe.write_text('<!DOCTYPE html><img src="https://example.org/x.png"><script>window.kgView = {ready: true}'
                     '</script>', encoding="utf-8")
    loaded = load(browser, probe)
    loaded.page.wait_for_load_state("load")
    assert loaded.blocked == ["https://example.org/x.png"]
    assert loaded.failed and "example.org" in loaded.failed[0]
    loaded.page.context.close()


# --- the seeds' graph ------------------------------------------------------------------

def test_page_loads_offline_without_errors(seeds_view: Loaded) -> None:
    check_clean(seeds_view)
    assert seeds_view.page.title().startswith("Vietnam–Japan cooperation graph")


def test_every_entity_and_article_is_drawn(seeds_view: Loaded, built: Path) -> None:
    graph = Graph().parse(built / "kg.ttl", format="turtle")
    expected = {s for cls in NODE_CLASSES for s in graph.subjects(RDF.type, cls)}
    assert len(expected) > 30
    in_dataset = seeds_view.js("kgView.nodes.getIds()")
    assert sorted(in_dataset) == sorted(str(s) for s in expected)
    assert seeds_view.js("kgView.network.body.nodeIndices.length") == len(expected)
    on_canvas = seeds_view.js("""() => { const n = kgView.network, c = n.canvas.frame.canvas;
        const ids = n.body.nodeIndices, inside = ids.filter(id => {
          const p = n.canvasToDOM(n.getPosition(id));
          return p.x >= 0 && p.y >= 0 && p.x <= c.clientWidth && p.y <= c.clientHeight; });
        return inside.length; }""")
    assert on_canvas == len(expected), "after settling, the view should fit every node"
    assert seeds_view.js("kgView.network.physics.physicsEnabled") is False  # frozen after stabilizing


def test_search_without_accents_selects_and_focuses_the_person(seeds_view: Loaded) -> None:
    page = seeds_view.page
    page.fill("#kg-q", "Nguyen Manh Hung")
    page.press("#kg-q", "Enter")
    assert seeds_view.js("kgView.network.getSelectedNodes()") == [str(HUNG)]
    wait_focused(seeds_view, str(HUNG))
    assert page.inner_text("#kg-title") == "Nguyễn Mạnh Hùng"
    assert page.inner_text("#kg-msg") == "1 match."
    check_clean(seeds_view)


def test_search_by_an_alternative_label_and_by_part_of_a_label(seeds_view: Loaded) -> None:
    assert seeds_view.js("kgView.search('nguyên manh hùng')") == str(HUNG)  # an altLabel, other accents
    assert seeds_view.js("kgView.search('HANOI')") == str(KGR["place/hanoi"])
    assert seeds_view.js("kgView.search('takaichi')") == str(KGR["person/takaichi-sanae"])
    assert seeds_view.js("kgView.search('no such thing anywhere')") is None
    assert seeds_view.page.inner_text("#kg-msg") == "No node matches."


def test_clicking_the_memorandum_shows_its_whole_record(seeds_view: Loaded) -> None:
    click_node(seeds_view, str(MEMORANDUM))
    assert seeds_view.js("kgView.network.getSelectedNodes()") == [str(MEMORANDUM)]
    panel = seeds_view.panel()
    facts = seeds_view.js("id => Object.fromEntries(kgView.factsOf(id).map(f => "
                          "[f[0], f[1].map(v => typeof v === 'string' ? v : v[0])]))", str(MEMORANDUM))
    assert facts["Kind"] == ["memorandum"]
    assert facts["Signed on"] == ["--01-09"]
    assert facts["Signed at"] == ["Hanoï"]
    assert facts["Parties"] == ["Japon", "Ministère de l'Information et de la Communication",
                                "Ministère de l'Intérieur et des Communications", "Vietnam"]
    assert facts["Signatories"] == ["Nguyễn Mạnh Hùng", "Takaichi Sanae"]
    assert "5G" in facts["Topics"]
    for heading, values in facts.items():
        assert heading in panel and all(v in panel for v in values)
    assert "Evidence" in panel and "000_c0f335d2a1b346a0.txt" in panel
    check_clean(seeds_view)


def test_links_in_the_panel_select_the_linked_node(seeds_view: Loaded) -> None:
    seeds_view.js("id => kgView.select(id)", str(MEMORANDUM))
    seeds_view.page.locator("#kg-panel a", has_text="Takaichi Sanae").first.click()
    assert seeds_view.js("kgView.network.getSelectedNodes()") == [str(KGR["person/takaichi-sanae"])]
    panel = seeds_view.panel()
    assert "Memberships" in panel and "Signed" in panel and "Mémorandum de coopération" in panel


def test_filters_by_type_and_by_article(seeds_view: Loaded) -> None:
    page, total = seeds_view.page, seeds_view.js("kgView.nodes.length")
    shown = "() => kgView.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
    page.uncheck("input.kg-kind[value='Technology']")
    assert not any("/technology/" in i for i in seeds_view.js(shown))
    assert len(seeds_view.js(shown)) == total - 16  # the seeds' technologies
    page.check("input.kg-kind[value='Technology']")
    page.select_option("#kg-article", label="Vietnam et Japon signent une convention sur le partage des données "
                                            "satellitaires (003_3c35ac1535cd0762.txt)")
    ids = seeds_view.js(shown)
    assert str(KGR["article/003-3c35ac1535cd0762"]) in ids and str(MEMORANDUM) not in ids
    assert str(KGR["agreement/convention-de-cooperation-sur-le-partage-des-donnees-satellitaires-320d800a"]) in ids
    assert page.inner_text("#kg-shown") == f"Showing {len(ids)} of {total} nodes."
    seeds_view.js("id => kgView.select(id)", str(MEMORANDUM))  # a hidden node: the filters are reset
    assert len(seeds_view.js(shown)) == total
    check_clean(seeds_view)


def test_screenshot_for_the_readme(seeds_view: Loaded, tmp_path: Path) -> None:
    seeds_view.js("id => kgView.select(id)", str(MEMORANDUM))
    wait_focused(seeds_view, str(MEMORANDUM))
    seeds_view.js("() => kgView.network.fit({animation: false})")
    path = tmp_path / "kg-view.png"
    seeds_view.page.screenshot(path=str(path))
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 800)
    if os.environ.get("VJKG_SCREENSHOT"):
        shutil.copyfile(path, os.environ["VJKG_SCREENSHOT"])


# --- hostile text ----------------------------------------------------------------------

EVIL_HEADLINE = 'Le Vietnam et le Japon <script>alert(1)</script> signent un "accord" <img src=x onerror=alert(2)>'
EVIL_BODY = (
    "Hanoï, le 9 janvier - Le ministre vietnamien de l'Information et de la Communication, Nguyễn Mạnh Hùng, "
    "et la ministre japonaise de l'Intérieur, Takaichi Sanae, ont signé un mémorandum de coopération "
    "<script>alert(1)</script> dans le domaine des \"télécommunications\" <img src=x onerror=alert(2)>."
)
EVIL_NAME = 'Jean "Le Chat" O\'Brien </script><script>alert(3)</script>'


@pytest.fixture
def evil_view(browser: Browser, tmp_path: Path) -> Iterator[Loaded]:
    """A graph read from an article full of markup, plus a person whose name is."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "evil.txt").write_text(f"{EVIL_HEADLINE}\n\n{EVIL_BODY}\n", encoding="utf-8")
    report = BuildReport()
    graph = as_graph(graph_of(extract_articles(read_all([tmp_path / "src"], report, strict=False), report)))
    article = next(graph.subjects(RDF.type, SDO.NewsArticle))
    person = KGR["person/evil"]
    graph.add((person, RDF.type, SDO.Person))
    graph.add((person, RDFS.label, Literal(EVIL_NAME, lang="fr")))
    graph.add((person, PROV.wasDerivedFrom, article))
    annotation = KGR["annotation/evil"]
    graph.add((annotation, OA.hasBody, person))
    graph.add((annotation, OA.hasTarget, KGR["annotation/evil#target"]))
    graph.add((KGR["annotation/evil#target"], OA.hasSource, article))
    graph.add((KGR["annotation/evil#target"], OA.hasSelector, KGR["annotation/evil#quote"]))
    graph.add((KGR["annotation/evil#quote"], OA.exact, Literal(EVIL_BODY)))
    html = tmp_path / "kg.html"
    html.write_text(render_html(oxigraph_triples(graph)), encoding="utf-8")
    loaded = load(browser, html)
    yield loaded
    loaded.page.context.close()


def test_markup_in_articles_and_names_stays_text(evil_view: Loaded) -> None:
    page = evil_view.page
    page.fill("#kg-q", 'jean "le chat" o\'brien')
    page.press("#kg-q", "Enter")
    assert evil_view.js("kgView.network.getSelectedNodes()") == [str(KGR["person/evil"])]
    assert page.inner_text("#kg-title") == EVIL_NAME
    panel = evil_view.panel()
    assert EVIL_HEADLINE in panel  # the article, among the person's articles and as the evidence's source
    assert EVIL_BODY in panel  # the evidence sentence
    (memorandum,) = evil_view.js("kgView.data.nodes.filter(n => n.labels[0].startsWith('Mémorandum'))")
    assert "<script>alert" in memorandum["labels"][0]  # the extractor kept the markup in the name
    evil_view.js("id => kgView.select(id)", memorandum["id"])
    assert page.inner_text("#kg-title") == memorandum["labels"][0]
    assert EVIL_HEADLINE in page.inner_text("#kg-article")  # the article filter's option
    assert page.locator("#kg-panel script, #kg-panel img, #kg-controls img").count() == 0
    check_clean(evil_view)


def test_tooltips_show_markup_as_text(evil_view: Loaded) -> None:
    person = str(KGR["person/evil"])
    evil_view.js("id => kgView.network.moveTo({position: kgView.network.getPosition(id), scale: 1.5})", person)
    box = evil_view.page.locator("#kg-graph").bounding_box()
    dom = evil_view.js("id => kgView.network.canvasToDOM(kgView.network.getPosition(id))", person)
    evil_view.page.mouse.move(box["x"] + dom["x"], box["y"] + dom["y"])
    evil_view.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert evil_view.page.inner_text("div.vis-tooltip") == f"Person: {EVIL_NAME}"
    assert evil_view.page.locator("div.vis-tooltip *").count() == 0
    check_clean(evil_view)


@contextmanager
def synthetic_view(browser: Browser, tmp_path: Path) -> Iterator[Loaded]:
    """The view of a synthetic graph of 600 entities and their articles, as render_html makes it now."""
    from benchmarks.synthetic import synthetic_graph

    html = tmp_path / "synthetic.html"
    html.write_text(render_html(oxigraph_triples(synthetic_graph(600))), encoding="utf-8")
    loaded = load(browser, html)
    try:
        yield loaded
    finally:
        loaded.page.context.close()


def test_the_layout_is_positions_not_physics_for_a_big_graph(browser: Browser, tmp_path: Path) -> None:
    with synthetic_view(browser, tmp_path) as loaded:
        check_clean(loaded)
        count = loaded.js("kgView.nodes.length")
        assert count > 600 and loaded.js("kgView.network.body.nodeIndices.length") == count
        assert loaded.js("kgView.network.physics.physicsEnabled") is False
        first = loaded.js("kgView.data.nodes[0]")
        position = loaded.js("id => kgView.network.getPosition(id)", first["id"])
        assert math.isclose(position["x"], first["x"]) and math.isclose(position["y"], first["y"])
        found = loaded.js("kgView.search('nguyen')")
        assert found and loaded.js("kgView.network.getSelectedNodes()") == [found]


def test_a_huge_graph_draws_its_most_connected_nodes_and_the_rest_on_demand(browser: Browser, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import layout

    monkeypatch.setattr(layout, "DRAW_LIMIT", 150)
    with synthetic_view(browser, tmp_path) as loaded:
        check_clean(loaded)
        data = loaded.js("kgView.data")
        assert len(data["nodes"]) > 600 and len(data["drawn"]) == 150
        assert loaded.js("kgView.network.body.nodeIndices.length") == 150
        assert loaded.js("kgView.edges.length") == sum(1 for e in data["edges"] if e[0] in data["drawn"] and e[1] in data["drawn"])
        drawn = {data["nodes"][i]["id"] for i in data["drawn"]}
        degrees = sorted((n["size"] for n in data["nodes"]), reverse=True)
        assert min(n["size"] for n in data["nodes"] if n["id"] in drawn) >= degrees[149]  # the most connected
        # a node not drawn, found by search and selected: drawn, selected, its panel shown
        other = next(n for n in data["nodes"] if n["id"] not in drawn and n["group"] == "Person")
        assert other["id"] in loaded.js("label => kgView.matches(label)", other["labels"][0])
        assert loaded.js("id => kgView.select(id)", other["id"]) is True
        assert loaded.js("kgView.network.getSelectedNodes()") == [other["id"]]
        assert loaded.js("id => kgView.nodes.get(id) !== null", other["id"])
        assert loaded.js("kgView.network.body.nodeIndices.length") == 151
        assert other["labels"][0] in loaded.panel()
        assert "of %d nodes" % len(data["nodes"]) in loaded.page.inner_text("#kg-shown")
        # an article brings in every node it mentions
        loaded.page.select_option("#kg-article", "3")
        of_article = {n["id"] for n in data["nodes"] if 3 in n["articles"]}
        assert of_article <= set(loaded.js("kgView.nodes.getIds()"))
        check_clean(loaded)
