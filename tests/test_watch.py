"""`kg build --watch`: a rebuild extracts only the articles that changed and writes the bytes
a fresh build of the same articles writes; a failed rebuild leaves the outputs as they were."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import kg.pipeline
from kg.cache import CACHE_DIR, ENTRY
from kg.errors import KgError
from kg.pipeline import build
from kg.vocab import OA
from kg.watch import Reads, Session, watch

OUTPUTS = ("kg.ttl", "kg.html")
SIGNING = ("\nLe Vietnam et le Japon ont signé un accord de coopération dans le domaine de l'énergie "
           "le 3 mars 2021 à Tokyo.\n")


@pytest.fixture
def sources(tmp_path: Path, repo: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(repo / "seeds", src)
    return src


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def fresh_build(sources: Path, out: Path) -> dict[str, bytes]:
    build([sources], out)
    return outputs(out)


def test_a_rebuild_extracts_the_changed_article_and_writes_what_a_fresh_build_writes(sources: Path,
                                                                                      tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = Session([sources], out)
    first = session.build()
    assert (first.articles, first.extracted) == (2, 2)
    changed, other = sorted(sources.glob("*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + SIGNING, encoding="utf-8")
    again = session.build()
    assert (again.articles, again.extracted, again.agreements) == (2, 1, first.agreements + 1)
    assert outputs(out) == fresh_build(sources, tmp_path / "fresh-1")
    other.unlink()
    third = session.build()
    assert (third.articles, third.extracted) == (1, 0)
    assert outputs(out) == fresh_build(sources, tmp_path / "fresh-2")
    assert session.build().unchanged


def test_the_disk_cache_keeps_the_articles_a_rebuild_found_in_memory(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    session = Session([sources], out)
    session.build()
    changed, _ = sorted(sources.glob("*.txt"))
    changed.write_text(changed.read_text(encoding="utf-8") + SIGNING, encoding="utf-8")
    assert session.build().extracted == 1  # the other article came from memory, not from the disk
    assert len(list((out / CACHE_DIR).rglob("*" + ENTRY))) == 2
    assert build([sources], out, use_cache=True).extracted == 0  # both entries still on disk, the old version's gone


def test_a_rebuild_reads_a_file_again_whatever_stayed_the_same(sources: Path, tmp_path: Path) -> None:
    path = sorted(sources.glob("*.txt"))[0]
    read = Reads()
    before = read(path, sources)
    read.forget_unasked()
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Vietnam", "Vietnan", 1), encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same modification time
    after = read(path, sources)
    assert after.text != before.text and "Vietnan" in after.text
    meta = path.with_name(path.stem + ".meta.json")
    meta.write_text('{"published": "2020-01-09"}', encoding="utf-8")  # a sidecar appears
    assert str(read(path, sources).meta.published) == "2020-01-09"


def test_a_rebuild_that_breaks_the_shapes_writes_nothing_and_the_next_one_builds(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    session = Session([sources], out)
    session.build()
    before = outputs(out)
    graph_of = kg.pipeline.graph_of
    monkeypatch.setattr(kg.pipeline, "graph_of",  # every evidence loses its quoted sentence (oa:exact is required)
                        lambda extractions, report=None, strict=False: [t for t in graph_of(extractions, report, strict)
                                                          if t[1].value != str(OA.exact)])
    changed = sorted(sources.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + SIGNING, encoding="utf-8")
    with pytest.raises(KgError, match="breaks ontology/shapes.ttl"):
        session.build()
    assert outputs(out) == before
    monkeypatch.setattr(kg.pipeline, "graph_of", graph_of)
    assert session.build().extracted == 0  # extracted by the failed build, kept
    assert outputs(out) == fresh_build(sources, tmp_path / "fresh")


def test_watch_rebuilds_when_an_article_changes_and_not_for_hidden_files(sources: Path, tmp_path: Path) -> None:
    session = Session([sources], tmp_path / "out")
    session.build()
    ready, stop = threading.Event(), threading.Event()
    outcomes: list = []
    thread = threading.Thread(target=watch, args=(session, lambda *outcome: outcomes.append(outcome), stop,
                                                  ready.set), daemon=True)
    thread.start()
    try:
        assert ready.wait(120)
        (sources / ".article.txt.swp").write_text("an editor's swap file", encoding="utf-8")
        time.sleep(1.5)
        assert outcomes == []
        changed = sorted(sources.glob("*.txt"))[0]
        changed.write_text(changed.read_text(encoding="utf-8") + SIGNING, encoding="utf-8")
        deadline = time.monotonic() + 60
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1)  # its own outputs do not set off another rebuild
        [(report, error, seconds)] = outcomes
        assert error is None and report.extracted == 1 and seconds > 0
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()


def test_kg_build_watch_prints_each_rebuild_and_stops_on_ctrl_c(sources: Path, tmp_path: Path) -> None:
    kg = Path(sys.executable).with_name("kg")
    # Ctrl-C as at a terminal, even when the tests themselves run in the background (where
    # the shell leaves SIGINT ignored, and a child would inherit that).
    proc = subprocess.Popen([str(kg), "build", str(sources), "--out", str(tmp_path / "out"), "--watch"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        for line in proc.stderr:
            if line.startswith("watching"):
                break
        changed = sorted(sources.glob("*.txt"))[0]
        changed.write_text(changed.read_text(encoding="utf-8") + SIGNING, encoding="utf-8")
        for line in proc.stdout:
            if line.startswith("rebuilt"):
                break
        assert "2 articles (1 extracted, 0 skipped)" in line
        proc.send_signal(signal.SIGINT)
        assert proc.wait(30) == 0
        assert "stopped" in proc.stderr.read()
    finally:
        proc.kill()
