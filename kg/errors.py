"""One error tree: every message says what is wrong and what to do."""
from __future__ import annotations


class KgError(Exception):
    """Base of every error the library raises on purpose."""


class ArticleError(KgError):
    """An article that cannot be read; the build skips it (or stops under --strict)."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self):  # sent back from a worker process as it was made
        return type(self), (self.path, self.reason)


class GazetteerError(KgError):
    """A malformed gazetteer or lexicon file in ontology/."""


class QueryError(KgError):
    """A SPARQL query that cannot be read, parsed or run."""


class GraphFileError(KgError):
    """A graph file that is missing or does not parse."""


class EvaluationError(KgError):
    """Gold annotations, a sources folder or a --fail-under bound that `kg evaluate` cannot use."""
