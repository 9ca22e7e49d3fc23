"""The Python API a notebook uses: kg.build, kg.load, kg.query."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import kg


def test_build_load_and_query_a_named_query_with_a_binding(built: Path) -> None:
    graph = kg.load(built / "kg.ttl")
    rows = kg.query(graph, "signatories")
    assert rows.variables == ["agreement", "signatory", "signedOn", "place"]
    assert {r["signatory"] for r in rows} == {"Nguyễn Mạnh Hùng", "Takaichi Sanae"}
    loose = kg.query(graph, "evidence", label="nguyen manh hung")
    assert loose and loose == kg.query(graph, "evidence", label="Nguyen Manh Hung")
    assert kg.query(graph, "ASK { ?a a kg:Agreement }") is True


def test_build_writes_the_graph(repo: Path, tmp_path: Path) -> None:
    report = kg.build(repo / "seeds", tmp_path)
    assert report.articles == 2 and (tmp_path / "kg.ttl").is_file()


def test_rows_become_a_data_frame_when_pandas_is_there(built: Path) -> None:
    pandas = pytest.importorskip("pandas")
    frame = kg.query(kg.load(built / "kg.ttl"), "signatories").frame()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns)[:2] == ["agreement", "signatory"]


def test_importing_kg_loads_no_model() -> None:
    code = "import sys, kg; print(any(m.startswith(('spacy', 'pyoxigraph', 'rdflib')) for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
