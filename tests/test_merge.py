"""One node per real agreement: reports of the same signing in several articles merge, in
French and English, and nothing else does (sentences written for these tests)."""
from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Graph

from kg.graph import load_graph
from kg.merge import dates_agree, dates_tie
from kg.models import DateValue
from kg.pipeline import build
from kg.vocab import KG, OA, PROV, RDF

MEMO_EN = ("Vietnam and Japan sign ICT pact\n\n"
           "Minister of Information and Communications Nguyen Manh Hung and Minister of Internal Affairs and "
           "Communications Takaichi Sanae signed a memorandum of cooperation on 5G and e-government in Hanoi on "
           "January 9, 2020.\n")


def agreements(graph: Graph) -> list:
    return sorted(graph.subjects(RDF.type, KG.Agreement), key=str)


def test_the_seed_memorandum_and_its_english_report_are_one_node(repo: Path, tmp_path: Path) -> None:
    sources = tmp_path / "articles"
    shutil.copytree(repo / "seeds", sources)
    (sources / "ict-en.txt").write_text(MEMO_EN, encoding="utf-8")
    (sources / "ict-en.meta.json").write_text('{"language": "en", "published": "2020-01-10"}', encoding="utf-8")
    build([sources], tmp_path / "out")
    graph = load_graph(tmp_path / "out" / "kg.ttl")
    memo = [a for a in agreements(graph) if (a, KG.agreementKind, None) in graph
            and str(graph.value(a, KG.agreementKind)) == "memorandum"]
    assert len(memo) == 1 and len(agreements(graph)) == 2  # its headline ("sign ICT pact") is the same one
    [node] = memo
    articles = {str(a).rsplit("/", 1)[-1] for a in graph.objects(node, PROV.wasDerivedFrom)}
    assert articles == {"000-c0f335d2a1b346a0", "ict-en"}
    quotes = {str(graph.value(sel, OA.exact)) for ann in graph.subjects(OA.hasBody, node)
              for target in graph.objects(ann, OA.hasTarget) for sel in graph.objects(target, OA.hasSelector)
              if graph.value(sel, OA.exact) is not None}
    assert any("Takaichi Sanae signed a memorandum" in q for q in quotes) and any("mémorandum" in q for q in quotes)
    assert {str(d) for d in graph.objects(node, KG.signedOn)} == {"--01-09", "2020-01-09"}  # each report's own
    signatories = {str(s).rsplit("/", 1)[-1] for s in graph.objects(node, KG.signatory)}
    assert signatories == {"nguyen-manh-hung", "takaichi-sanae"}
    assert {label.language for label in graph.objects(node, None) if getattr(label, "language", None)} >= {"fr", "en"}


def test_two_agreements_of_one_occasion_with_different_parties_stay_two(tmp_path: Path) -> None:
    sources = tmp_path / "articles"
    sources.mkdir()
    (sources / "a.txt").write_text(
        "Loans\n\nThe Japan International Cooperation Agency (JICA) and the Ministry of Finance signed a loan "
        "agreement on railways in Hanoi on March 3, 2021.\n", encoding="utf-8")
    (sources / "b.txt").write_text(
        "Loans\n\nThe Japan International Cooperation Agency (JICA) and the Ministry of Transport signed a loan "
        "agreement on seaports in Hanoi on March 3, 2021.\n", encoding="utf-8")
    for name in ("a", "b"):
        (sources / f"{name}.meta.json").write_text('{"language": "en"}', encoding="utf-8")
    build([sources], tmp_path / "out")
    assert len(agreements(load_graph(tmp_path / "out" / "kg.ttl"))) == 2


def test_one_ministry_with_two_prefectures_on_one_day_makes_two_memoranda(tmp_path: Path) -> None:
    sources = tmp_path / "articles"
    sources.mkdir()
    for name, prefecture in (("a", "Aichi"), ("b", "Shizuoka")):
        (sources / f"{name}.txt").write_text(
            f"Labour\n\nThe Ministry of Labour, Invalids and Social Affairs (MoLISA) and Japan's {prefecture} "
            "prefecture signed a memorandum of understanding (MoU) on nursing care in Hanoi on May 4, 2022.\n",
            encoding="utf-8")
        (sources / f"{name}.meta.json").write_text('{"language": "en"}', encoding="utf-8")
    build([sources], tmp_path / "out")
    assert len(agreements(load_graph(tmp_path / "out" / "kg.ttl"))) == 2


def test_the_same_articles_in_any_order_and_any_jobs_give_the_same_bytes(repo: Path, tmp_path: Path,
                                                                         monkeypatch) -> None:
    from kg import runner

    monkeypatch.setattr(runner, "MIN_PER_WORKER", 1)  # three articles: two processes all the same
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        folder.mkdir()
    shutil.copy(repo / "seeds" / "000_c0f335d2a1b346a0.txt", one)
    shutil.copy(repo / "seeds" / "003_3c35ac1535cd0762.txt", two)
    (two / "ict-en.txt").write_text(MEMO_EN, encoding="utf-8")
    build([one, two], tmp_path / "ab")
    build([two, one], tmp_path / "ba", jobs=2)
    assert (tmp_path / "ab" / "kg.ttl").read_bytes() == (tmp_path / "ba" / "kg.ttl").read_bytes()


def test_dates_agree_at_the_precision_both_give() -> None:
    d = DateValue
    assert dates_agree(d("2020-01-09", "date"), d("--01-09", "gMonthDay"))
    assert dates_agree(d("2017-11", "gYearMonth"), None)
    assert not dates_agree(d("2017-09-18", "date"), d("2017-11", "gYearMonth"))
    assert dates_tie(d("2020-01-09", "date"), d("--01-09", "gMonthDay"))
    assert not dates_tie(d("2020", "gYear"), d("2020-01-09", "date"))  # a year alone ties nothing
