"""A cache of extractions, so that a rebuild re-reads only the articles that changed.

An entry is keyed by the article (its path, text and metadata); the cache folder is
named after a fingerprint of everything extraction depends on: the extraction code, the
gazetteer and lexicon, the spaCy model. Change any of them and every article is
extracted again. After a build the cache holds the entries of that build's articles only,
not every version of every article it was ever given.

The folder also records the last build's outputs (outputs.json): a key made of every
article's key, the whole package's code and data and the check option, and the hashes of
kg.ttl and kg.html. A build with the same key whose outputs are still those bytes has
nothing to do.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .models import Article, Extraction
from .resources import ontology_dir

PACKAGE = Path(__file__).resolve().parent
CODE = ("articles.py", "gazetteer.py", "models.py", "nlp.py", "text.py", "resources.py")
DATA = ("gazetteer.jsonl", "places.jsonl", "lexicon.fr.json", "lexicon.en.json")
CACHE_DIR = ".cache"  # in a build's OUT folder
OUTPUTS_RECORD = "outputs.json"  # the last build's outputs: what they were made from, their hashes
ENTRY = ".pickle"  # an extraction's file: its article's key, then this


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_replacing(path: Path, data: bytes) -> None:
    """`data` into `path` through a temporary file beside it, then a rename: a reader sees the
    old file or the new one, never half of one, and a failed write leaves no temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _holds(record: dict, path: Path) -> bool:
    """Whether the file at `path` still has the hash `record` gives for its name."""
    try:
        return _sha256(path) == record["files"][path.name]
    except (OSError, KeyError, TypeError):
        return False


def _installed(distribution: str, name: str | None = None) -> bytes:
    """'NAME==VERSION' of an installed distribution, or NAME alone (NAME: the distribution's by default)."""
    from importlib.metadata import PackageNotFoundError, version

    name = name or distribution
    try:
        return f"{name}=={version(distribution)}".encode()
    except PackageNotFoundError:
        return name.encode()


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the extraction code, its data and the NLP model's name and version."""
    from .nlp import MODEL

    h = hashlib.sha256()
    files = [PACKAGE / name for name in CODE] + sorted((PACKAGE / "extract").glob("*.py"))
    files += [ontology_dir() / name for name in DATA]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    h.update(_installed(MODEL.replace("_", "-"), MODEL))
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def build_fingerprint() -> str:
    """A hash of everything that makes the outputs from the extractions: every module of the
    package, every file of ontology/ and the versions of the libraries that write or check them."""
    h = hashlib.sha256(fingerprint().encode())
    files = sorted(PACKAGE.rglob("*.py")) + sorted(p for p in ontology_dir().rglob("*") if p.is_file())
    for path in files:
        h.update(str(path.relative_to(path.parent.parent)).encode() + b"\0" + path.read_bytes() + b"\0")
    for package in ("rdflib", "pyoxigraph", "pyvis", "jinja2"):
        h.update(_installed(package))
    return h.hexdigest()[:20]


def article_key(article: Article) -> str:
    h = hashlib.sha256()
    for part in (article.source, article.text, repr(article.meta)):
        h.update(part.encode("utf-8", errors="surrogatepass") + b"\0")
    return h.hexdigest()


class ExtractionCache:
    """Pickled extractions under FOLDER/<fingerprint>/; entries of older fingerprints are removed."""

    def __init__(self, folder: Path):
        self.root = folder
        self.folder = folder / fingerprint()
        self.hits = 0
        self.used: set[str] = set()  # the keys asked for or stored since the last prune

    def get(self, article: Article) -> Extraction | None:
        key = article_key(article)
        self.used.add(key)
        try:
            with (self.folder / f"{key}{ENTRY}").open("rb") as handle:
                extraction = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        if not isinstance(extraction, Extraction) or extraction.article != article:
            return None
        self.hits += 1
        return extraction

    def put(self, extraction: Extraction) -> None:
        key = article_key(extraction.article)
        self.used.add(key)
        write_replacing(self.folder / f"{key}{ENTRY}", pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL))

    def outputs_key(self, articles: list[Article], check: bool) -> str:
        """What a build's outputs depend on: the code and data, the check, every article."""
        h = hashlib.sha256(f"{build_fingerprint()} check={check}\n".encode())
        for article in articles:
            h.update(article_key(article).encode() + b"\n")
        return h.hexdigest()

    def recorded_outputs(self, key: str, out: Path) -> dict | None:
        """The report of the build recorded under `key`, if out/ still holds exactly its outputs."""
        record = self._last_record()
        if record is None or record.get("key") != key or not isinstance(record.get("files"), dict):
            return None
        return record.get("report") if all(_holds(record, out / name) for name in record["files"]) else None

    def record_outputs(self, key: str, out: Path, names: list[str], report: dict) -> None:
        record = {"key": key, "files": {name: _sha256(out / name) for name in names}, "report": report}
        write_replacing(self.folder / OUTPUTS_RECORD, json.dumps(record, sort_keys=True).encode("utf-8"))

    def _last_record(self) -> dict | None:
        """The record of the last build's outputs, or None where there is none that reads."""
        try:
            record = json.loads((self.folder / OUTPUTS_RECORD).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return record if isinstance(record, dict) else None

    def prune(self, keep: Iterable[str] | None = None) -> None:
        """Remove the entries made under other fingerprints (older code or data), and the
        entries of this one that are not in `keep` (article keys; by default those asked for or
        stored since the last prune): the cache holds the articles of the last build, not
        every version of every article it ever saw."""
        keep = self.used if keep is None else set(keep)
        self.used = set()
        if not self.root.is_dir():
            return
        for other in self.root.iterdir():
            if other.is_dir() and other != self.folder:
                shutil.rmtree(other, ignore_errors=True)
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return
        for entry in entries:
            if entry.name.endswith(ENTRY) and entry.name[:-len(ENTRY)] not in keep:
                try:
                    os.unlink(entry.path)
                except OSError:  # gone meanwhile, or not ours to remove: looked up in vain at worst
                    pass
