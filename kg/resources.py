"""Where the data files live: ontology/ and queries/ beside the package in a source
checkout, or inside it (kg/_data/) when installed from a wheel."""
from __future__ import annotations

from pathlib import Path

from .errors import KgError

_HERE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `name` ("ontology" or "queries")."""
    for candidate in (_HERE.parent / name, _HERE / "_data" / name):
        if candidate.is_dir():
            return candidate
    raise KgError(f"the {name}/ folder is missing from this installation; reinstall vjkg")


def ontology_dir() -> Path:
    return resource_dir("ontology")


def queries_dir() -> Path:
    return resource_dir("queries")
