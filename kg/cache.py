"""A cache of extractions, so that a rebuild re-reads only the articles that changed.

An entry is keyed by the article (its path, text and metadata); the cache folder is
named after a fingerprint of everything extraction depends on: the extraction code, the
gazetteer and lexicon, the spaCy model. Change any of them and every article is
extracted again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from .models import Article, Extraction
from .resources import ontology_dir

PACKAGE = Path(__file__).resolve().parent
CODE = ("articles.py", "gazetteer.py", "models.py", "nlp.py", "text.py", "resources.py")
DATA = ("gazetteer.jsonl", "lexicon.fr.json")


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A hash of the extraction code, its data and the NLP model's name and version."""
    from importlib.metadata import PackageNotFoundError, version

    from .nlp import MODEL

    h = hashlib.sha256()
    files = [PACKAGE / name for name in CODE] + sorted((PACKAGE / "extract").glob("*.py"))
    files += [ontology_dir() / name for name in DATA]
    for path in files:
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    try:
        h.update(f"{MODEL}=={version(MODEL.replace('_', '-'))}".encode())
    except PackageNotFoundError:
        h.update(MODEL.encode())
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

    def get(self, article: Article) -> Extraction | None:
        path = self.folder / f"{article_key(article)}.pickle"
        try:
            with path.open("rb") as handle:
                extraction = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None
        if not isinstance(extraction, Extraction) or extraction.article != article:
            return None
        self.hits += 1
        return extraction

    def put(self, extraction: Extraction) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(extraction, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / f"{article_key(extraction.article)}.pickle")

    def prune(self) -> None:
        """Remove the entries made under other fingerprints (older code or data)."""
        if self.root.is_dir():
            for other in self.root.iterdir():
                if other.is_dir() and other != self.folder:
                    shutil.rmtree(other, ignore_errors=True)
