"""End-to-end tests of kg.pipeline.build on seeds/: deterministic, valid, traceable, offline, atomic."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from rdflib import BNode, Graph, URIRef

import kg.pipeline
from kg.errors import ArticleError, KgError
from kg.graph import load_graph
from kg.pipeline import build, write_atomic
from kg.validate import validate
# SDO is used through the module: as a test-module global it makes pytest warn.
from kg import vocab
from kg.vocab import DCTERMS, KG, KGR, OA, RDF

SEED_FILES = ("000_c0f335d2a1b346a0.txt", "003_3c35ac1535cd0762.txt")
OUTPUTS = ("kg.ttl", "kg.html")
ENTITY_CLASSES = (vocab.SDO.Person, vocab.SDO.Organization, vocab.SDO.Country, vocab.SDO.Place,
                  KG.Technology, vocab.SDO.Event, KG.Agreement)


@pytest.fixture(scope="module")
def graph(built: Path) -> Graph:
    return load_graph(built / "kg.ttl")


@pytest.fixture(scope="module")
def rebuilt(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A second build, in another process with another hash seed, into another folder."""
    out = tmp_path_factory.mktemp("rebuilt")
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(repo / "seeds"), "--out", str(out)],
                   cwd=repo, env={**os.environ, "PYTHONHASHSEED": "12345"}, check=True, capture_output=True)
    return out


def article_text(repo: Path, source: str) -> str:
    """The article as the pipeline reads it: UTF-8 bytes, no newline translation."""
    return (repo / "seeds" / source).read_bytes().decode("utf-8")


# --- determinism and committed outputs -------------------------------------------------

@pytest.mark.parametrize("name", OUTPUTS)
def test_two_builds_are_byte_identical(built: Path, rebuilt: Path, name: str) -> None:
    assert (built / name).read_bytes() == (rebuilt / name).read_bytes()


@pytest.mark.parametrize("name", OUTPUTS)
def test_committed_outputs_are_not_stale(built: Path, repo: Path, name: str) -> None:
    committed = repo / "graphs" / name
    assert committed.read_bytes() == (built / name).read_bytes(), \
        f"graphs/{name} differs from a fresh build: run `make build` and commit it"


# --- the Turtle ------------------------------------------------------------------------

def test_turtle_parses_the_same_with_pyoxigraph_and_rdflib(built: Path) -> None:
    path = built / "kg.ttl"
    oxi = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    rdf = Graph().parse(path, format="turtle")
    assert len(oxi) == len(rdf) > 1000


def test_no_blank_nodes(graph: Graph) -> None:
    """Blank nodes would make the Turtle differ between builds (docs/graph-model.md)."""
    assert not [t for t in graph if any(isinstance(term, BNode) for term in t)]


def test_built_graph_conforms_to_the_shapes(graph: Graph) -> None:
    report = validate(graph)
    assert report.conforms, report.summary()


# --- provenance ------------------------------------------------------------------------

def test_every_quote_is_the_article_text_at_its_offsets(graph: Graph, repo: Path) -> None:
    quotes = list(graph.subjects(RDF.type, OA.TextQuoteSelector))
    assert len(quotes) > 50
    for quote in quotes:
        (target,) = graph.subjects(OA.hasSelector, quote)
        (article,) = graph.objects(target, OA.hasSource)
        (source,) = graph.objects(article, DCTERMS.source)
        positions = [s for s in graph.objects(target, OA.hasSelector) if (s, RDF.type, OA.TextPositionSelector) in graph]
        assert len(positions) == 1, target
        start, end = graph.value(positions[0], OA.start).toPython(), graph.value(positions[0], OA.end).toPython()
        exact = str(graph.value(quote, OA.exact))
        assert 0 <= start < end
        assert exact == article_text(repo, str(source))[start:end], (quote, start, end)


def test_every_annotation_targets_an_article_of_the_build(graph: Graph) -> None:
    articles = set(graph.subjects(RDF.type, vocab.SDO.NewsArticle))
    annotations = set(graph.subjects(RDF.type, OA.Annotation))
    assert annotations
    for ann in annotations:
        (target,) = graph.objects(ann, OA.hasTarget)
        assert set(graph.objects(target, OA.hasSource)) <= articles


def test_sources_are_relative_paths_of_the_seed_files(graph: Graph) -> None:
    sources = sorted(str(s) for s in graph.objects(None, DCTERMS.source))
    assert sources == sorted(SEED_FILES)
    for source in sources:
        assert not source.startswith(("/", "\\")), source
        assert not re.match(r"^[A-Za-z]:", source), source
        assert ".." not in Path(source).parts


# --- the HTML view ---------------------------------------------------------------------

def embedded_data(page: str) -> dict[str, Any]:
    """The JSON that kg/view.py embeds in <script type="application/json" id="kg-data">."""
    match = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert match, "no embedded kg-data JSON"
    return json.loads(match.group(1))


def test_html_is_offline(built: Path) -> None:
    page = (built / "kg.html").read_text(encoding="utf-8")
    for attribute in ("src", "href"):
        for quote in "\"'":
            assert f"{attribute}={quote}http" not in page
            assert f"{attribute}={quote}//" not in page


@pytest.mark.parametrize("cls", ENTITY_CLASSES, ids=lambda c: str(c).rsplit("/", 1)[-1].rsplit("#", 1)[-1])
def test_html_has_a_node_for_every_entity(built: Path, graph: Graph, cls: URIRef) -> None:
    nodes = {n["id"]: n for n in embedded_data((built / "kg.html").read_text(encoding="utf-8"))["nodes"]}
    entities = {str(s) for s in graph.subjects(RDF.type, cls)}
    assert entities, f"the seeds should give at least one {cls}"
    assert entities <= set(nodes), sorted(entities - set(nodes))


def test_html_labels_and_edges(built: Path) -> None:
    data = embedded_data((built / "kg.html").read_text(encoding="utf-8"))
    nodes = {n["id"].removeprefix(str(KGR)): n for n in data["nodes"]}
    assert nodes["person/nguyen-manh-hung"]["label"] == "Nguyễn Mạnh Hùng"
    assert nodes["person/nguyen-manh-hung"]["group"] == "Person"
    assert nodes["place/hanoi"]["label"] == "Hanoï"
    # edges are [from, to, property, label, tooltip] rows over node numbers; "" label: the property's
    ids = [n["id"].removeprefix(str(KGR)) for n in data["nodes"]]
    edges = {(ids[f], label or data["props"][p]["edge"], ids[t]) for f, t, p, label, _ in data["edges"]}
    assert ("person/nguyen-manh-hung", "ministre de l'Information et de la Communication",
            "organization/vn-mic") in edges
    assert ("person/takaichi-sanae", "ministre de l'Intérieur, de l'Information et de la Communication",
            "organization/jp-mic") in edges


# --- atomic writes ---------------------------------------------------------------------

def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "kg.ttl"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new ✓\n")
    assert target.read_bytes() == "new ✓\n".encode("utf-8")
    assert list(tmp_path.iterdir()) == [target]


def test_write_atomic_keeps_the_old_file_when_the_write_fails(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kg.ttl"
    target.write_text("old content", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kg.pipeline.os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, "new content")
    assert target.read_text(encoding="utf-8") == "old content"
    assert list(tmp_path.iterdir()) == [target], "the temporary file was left behind"


def test_a_graph_that_breaks_the_shapes_is_not_written(built: Path, repo: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graphs"
    shutil.copytree(built, out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    graph_of = kg.pipeline.graph_of

    def without_quotes(extractions, report=None, strict=False):  # every evidence loses its oa:exact (a required one)
        return [t for t in graph_of(extractions, report, strict) if t[1].value != str(OA.exact)]

    monkeypatch.setattr(kg.pipeline, "graph_of", without_quotes)
    with pytest.raises(KgError, match="breaks ontology/shapes.ttl"):
        build([repo / "seeds"], out)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in built.iterdir()), "a temporary file was left"


def test_a_view_that_fails_stops_the_build_and_writes_nothing(built: Path, repo: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graphs"
    shutil.copytree(built, out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}

    def broken(graph):
        raise MemoryError("no room for the view")

    monkeypatch.setattr(kg.pipeline, "render_html", broken)
    with pytest.raises(MemoryError, match="no room for the view"):
        build([repo / "seeds"], out)
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in built.iterdir()), "a temporary file was left"


def test_the_report_times_every_step_in_the_order_they_ran(repo: Path, tmp_path: Path) -> None:
    report = build([repo / "seeds"], tmp_path)
    assert list(report.stages) == ["read", "extract", "resolve", "graph", "sort", "check", "turtle", "view", "write"]
    assert all(seconds >= 0 for seconds in report.stages.values())


# --- bad inputs ------------------------------------------------------------------------

BAD_FILES = {
    "b_binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "PNG image"),
    "c_empty.txt": (b"", "empty"),
    "d_latin1.txt": ("Le Vietnam et le Japon coopèrent à Hanoï.".encode("latin-1"), "UTF-8"),
}


@pytest.fixture
def messy(repo: Path, tmp_path: Path) -> Path:
    """One good article, its duplicate under another name, and three unreadable files."""
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(repo / "seeds" / SEED_FILES[1], folder / "a_article.txt")
    for name, (content, _) in BAD_FILES.items():
        (folder / name).write_bytes(content)
    shutil.copy(repo / "seeds" / SEED_FILES[1], folder / "e_copy.txt")
    return folder


def test_bad_files_are_skipped_with_a_reason(messy: Path, tmp_path: Path) -> None:
    report = build([messy], tmp_path / "out")
    assert report.articles == 1
    assert report.agreements == 1
    assert len(report.skipped) == len(BAD_FILES) + 1
    for name, (_, reason) in BAD_FILES.items():
        lines = [line for line in report.skipped if line.startswith(name + ":")]
        assert len(lines) == 1 and reason in lines[0], report.skipped
    (duplicate,) = [line for line in report.skipped if line.startswith("e_copy.txt:")]
    assert "duplicate" in duplicate and "a_article.txt" in duplicate
    g = load_graph(tmp_path / "out" / "kg.ttl")
    assert [str(s) for s in g.objects(None, DCTERMS.source)] == ["a_article.txt"]


@pytest.mark.parametrize("name", [*BAD_FILES, "e_copy.txt"])
def test_strict_build_stops_at_a_bad_file(messy: Path, tmp_path: Path, name: str) -> None:
    for other in set(BAD_FILES) - {name}:
        (messy / other).unlink()
    if name != "e_copy.txt":
        (messy / "e_copy.txt").unlink()
    out = tmp_path / "out"
    with pytest.raises(ArticleError) as caught:
        build([messy], out, strict=True)
    assert caught.value.path == name
    assert (BAD_FILES[name][1] if name in BAD_FILES else "same text as a_article.txt") in caught.value.reason
    assert not (out / "kg.ttl").exists() and not (out / "kg.html").exists()


def test_same_file_name_in_two_folders_gives_two_articles(tmp_path: Path) -> None:
    for folder, text in (("a", "Accord sur le rail\n\nLa JICA finance le rail."), ("b", "Pont à Hanoï\n\nLa JICA finance un pont.")):
        (tmp_path / "src" / folder).mkdir(parents=True)
        (tmp_path / "src" / folder / "news.txt").write_text(text, encoding="utf-8")
    report = build([tmp_path / "src"], tmp_path / "out")
    g = load_graph(tmp_path / "out" / "kg.ttl")
    sources = sorted(str(s) for s in g.objects(None, DCTERMS.source))
    assert report.articles == 2 and sources == ["a/news.txt", "b/news.txt"]
    assert len(set(g.subjects(DCTERMS.source, None))) == 2


def test_a_build_checks_its_graph_without_loading_pyshacl(repo: Path, tmp_path: Path) -> None:
    """The build's check runs on Oxigraph; pySHACL, a quarter of a second to import, is for `kg validate`."""
    script = ("import sys; from pathlib import Path; from kg.pipeline import build; "
              f"report = build([Path({str(repo / 'seeds')!r})], Path({str(tmp_path)!r})); "
              "print(report.triples, 'pyshacl' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], cwd=repo, check=True, capture_output=True, text=True)
    triples, loaded = done.stdout.split()
    assert int(triples) > 0 and (tmp_path / "kg.ttl").is_file()
    assert loaded == "False"
