"""Diff, statistics and exports of a built graph."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
from rdflib import Graph, URIRef

from kg.diff import diff, format_diff
from kg.export import FORMATS, export, to_networkx
from kg.graph import load_graph
from kg.pipeline import build
from kg.sparql import load_store
from kg.stats import stats
from kg.vocab import DCTERMS, KG, OA, PROV, RDF, SDO

REMOVED = "003_3c35ac1535cd0762.txt"


@pytest.fixture(scope="module")
def full(built: Path) -> Graph:
    return load_graph(built / "kg.ttl")


@pytest.fixture(scope="module")
def without_one(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Graph:
    src = tmp_path_factory.mktemp("one")
    shutil.copy(repo / "seeds" / "000_c0f335d2a1b346a0.txt", src)
    out = tmp_path_factory.mktemp("one-out")
    build([src], out)
    return load_graph(out / "kg.ttl")


def test_diff_lists_exactly_the_removed_articles_facts(full: Graph, without_one: Graph):
    d = diff(without_one, full)
    assert not d.removed, sorted(d.removed)[:5]
    article = next(a for a in full.subjects(DCTERMS.source, None) if str(full.value(a, DCTERMS.source)) == REMOVED)
    from_article = set(full.subjects(PROV.wasDerivedFrom, article)) | {article}
    targets = set(full.subjects(OA.hasSource, article))
    annotations = set(full.subjects(OA.hasTarget, None)) & {a for t in targets for a in full.subjects(OA.hasTarget, t)}
    parts = targets | {sel for t in targets for sel in full.objects(t, OA.hasSelector)}
    linked = {o for s in from_article for o in full.objects(s, None) if isinstance(o, URIRef)}
    allowed = from_article | annotations | parts | linked
    stray = {s for s, _, _ in d.added} - allowed
    assert not stray, sorted(stray)[:5]
    # and every fact of that article is there: its agreement, its membership, its evidence
    assert any(p == RDF.type and o == KG.Agreement for _, p, o in d.added)
    assert (article, RDF.type, SDO.NewsArticle) in d.added


def test_diff_report_is_grouped_and_readable(full: Graph, without_one: Graph):
    text = format_diff(diff(without_one, full), without_one, full)
    lines = text.splitlines()
    assert lines[0].endswith("0 removed, " + lines[0].split(", ")[-1])
    assert "kgr:organization/jaxa  (Agence japonaise d'exploration aérospatiale)" in lines
    assert "  + prov:wasDerivedFrom kgr:article/003-3c35ac1535cd0762" in text
    assert format_diff(diff(full, full), full, full).startswith("0 triple(s) added, 0 removed")


def test_stats(built: Path):
    s = stats(load_store(built / "kg.ttl"))
    assert s.types["agreements"] == 2 and s.types["people"] == 4 and s.types["articles"] == 2
    assert s.agreements_per_year == {"unknown": 2}  # neither seed gives a signing year
    assert s.articles_per_publisher == {"unknown": 2}
    assert s.top_degree[0][0].startswith("Mémorandum de coopération")
    assert [n for _, n in s.top_degree] == sorted((n for _, n in s.top_degree), reverse=True)


@pytest.mark.parametrize("fmt", FORMATS)
def test_exports_are_deterministic_and_parse(full: Graph, fmt: str, tmp_path: Path):
    text = export(full, fmt)
    assert text == export(full, fmt)
    path = tmp_path / f"kg.{fmt}"
    path.write_text(text, encoding="utf-8")
    if fmt == "jsonld":
        data = json.loads(text)
        assert data["@context"]["schema"] == "https://schema.org/"
        assert len(Graph().parse(path, format="json-ld")) == len(full)
    elif fmt == "nt":
        assert len(list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES))) == len(full)
        assert text.splitlines() == sorted(text.splitlines())
    elif fmt == "graphml":
        g = nx.read_graphml(path)
        assert g.number_of_nodes() == to_networkx(full).number_of_nodes()
    else:
        g = nx.read_gexf(path)
        assert g.number_of_nodes() == to_networkx(full).number_of_nodes()


def test_networkx_view_keeps_entities_and_labelled_links(full: Graph):
    g = to_networkx(full)
    hung = "https://w3id.org/vjkg/resource/person/nguyen-manh-hung"
    assert g.nodes[hung]["label"] == "Nguyễn Mạnh Hùng" and g.nodes[hung]["type"] == "Person"
    assert any(d["property"] == "signatory" for _, v, d in g.in_edges(hung, data=True))


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_gephi_exports_hold_entities_and_articles_typed_with_memberships_as_edges(full: Graph, fmt: str, read,
                                                                                  tmp_path: Path):
    first, again = export(full, fmt), export(full, fmt)
    assert first == again and "lastmodifieddate" not in first  # the same bytes every time, whatever the day
    path = tmp_path / f"kg.{fmt}"
    path.write_text(first, encoding="utf-8")
    g = read(path)
    types = {d["type"] for _, d in g.nodes(data=True)}
    assert types <= {"Person", "Organization", "Country", "Place", "Technology", "Field", "Event", "Agreement",
                     "Article"} and {"Person", "Agreement", "Article"} <= types
    assert not [n for n in g if "/annotation/" in n or "/membership/" in n or "/role/" in n or "#" in n]
    hung = "https://w3id.org/vjkg/resource/person/nguyen-manh-hung"
    roles = {d["role"] for _, _, d in g.out_edges(hung, data=True) if d.get("property") == "memberOf"}
    assert "ministre de l'Information et de la Communication" in roles
    memo = next(d for _, d in g.nodes(data=True) if d["type"] == "Agreement" and d.get("signedOn"))
    assert memo["kind"] == "memorandum" and memo["signedAt"] == "Hanoï" and memo["signedOn"] == "--01-09"
    japan = next(d for _, d in g.nodes(data=True) if d["label"] == "Japon")
    assert japan["type"] == "Country" and japan["wikidata"] == "Q17"
    assert all(d.get("label") for _, _, d in g.edges(data=True))


def test_every_shipped_query_gives_the_same_rows_on_oxigraph_and_rdflib(built: Path, full: Graph):
    from rdflib import Literal as RLiteral, Variable as RVariable

    from kg.sparql import execute, named_queries, table_of
    from kg.workers import Job

    bindings = {"agreements-by-topic": {"topic": "télécommunications"}, "evidence": {"label": "Nguyen Manh Hung"}}
    store = load_store(built / "kg.ttl")
    for path in named_queries():
        binds = bindings.get(path.stem, {})
        ours = table_of(execute(store, Job(path.stem, tuple(binds.items())))[1])
        theirs = full.query(path.read_text(encoding="utf-8"),
                            initBindings={RVariable(k): RLiteral(v) for k, v in binds.items()})
        def canonical(cell: str) -> str:  # GROUP_CONCAT's order is left to the engine
            return " | ".join(sorted(cell.split(" | ")))

        rows = sorted(tuple(canonical("" if row[v] is None else str(row[v])) for v in ours.variables) for row in theirs)
        assert sorted(tuple(map(canonical, row)) for row in ours.rows) == rows, path.stem
        assert ours.rows, path.stem


def test_cli_diff_stats_and_export(built: Path, without_one: Graph, tmp_path: Path):
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    old = tmp_path / "old.ttl"
    old.write_text(without_one.serialize(format="turtle"), encoding="utf-8")
    result = runner.invoke(app, ["diff", str(old), str(built / "kg.ttl"), "--exit-code"])
    assert result.exit_code == 1 and "0 removed" in result.stdout.splitlines()[0]
    assert runner.invoke(app, ["diff", str(built / "kg.ttl"), str(built / "kg.ttl"), "--exit-code"]).exit_code == 0
    result = runner.invoke(app, ["stats", str(built / "kg.ttl")])
    assert result.exit_code == 0 and "agreements per signing year:" in result.stdout
    result = runner.invoke(app, ["export", "jsonld", "nt", "gexf", "--graph", str(built / "kg.ttl"), "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("kg.*")) == ["kg.gexf", "kg.jsonld", "kg.nt"]
    assert runner.invoke(app, ["export", "pdf", "--graph", str(built / "kg.ttl")]).exit_code == 1
