"""Shared fixtures: the repository root and one build of seeds/ per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.pipeline import build

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (the folder holding kg/, seeds/, queries/, ontology/)."""
    return REPO


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding kg.ttl and kg.html built from seeds/: built once, spaCy is slow to load."""
    out = tmp_path_factory.mktemp("built")
    report = build([SEEDS], out)
    assert report.articles == 2 and not report.skipped, report
    return out
