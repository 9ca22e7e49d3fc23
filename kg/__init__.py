"""vjkg: a knowledge graph of Vietnam–Japan cooperation built from news articles.

The command line is `kg`. From Python (a notebook, a script):

    import kg
    report = kg.build(["seeds"], "graphs")          # what `kg build seeds --out graphs` does
    graph = kg.load("graphs/kg.ttl")                # the graph, ready to query
    rows = kg.query(graph, "signatories")           # a named query of queries/, or SPARQL text
    rows = kg.query(graph, "evidence", label="nguyen manh hung")  # ?label bound, case and accents aside
    rows[0]["agreement"]                            # each row a dict of strings (None where unbound)
    rows.frame()                                    # a pandas DataFrame, when pandas is installed

Each function imports what it needs when called: `import kg` stays cheap.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Union

if TYPE_CHECKING:
    import pyoxigraph

    from .pipeline import BuildReport

PathLike = Union[str, Path]


class Rows(list):
    """The rows of a SELECT (a dict per row), True or False for an ASK."""

    def __init__(self, variables: list[str], rows: list[dict]):
        super().__init__(rows)
        self.variables = variables

    def frame(self):
        """The rows as a pandas DataFrame (pandas is not a dependency of vjkg: `pip install pandas`)."""
        try:
            import pandas
        except ImportError as exc:
            raise ImportError("Rows.frame() needs pandas: pip install pandas") from exc
        return pandas.DataFrame(list(self), columns=self.variables)

    def _repr_html_(self) -> str | None:  # a notebook shows the rows as a table
        try:
            return self.frame()._repr_html_()
        except ImportError:
            return None


def build(sources: list[PathLike] | PathLike, out: PathLike = "graphs", **options) -> BuildReport:
    """Build out/kg.ttl and out/kg.html from article files and folders; options as kg.pipeline.build's."""
    from .pipeline import build as run_build

    paths = [Path(sources)] if isinstance(sources, (str, Path)) else [Path(s) for s in sources]
    return run_build(paths, Path(out), **options)


def load(path: PathLike = "graphs/kg.ttl") -> pyoxigraph.Store:
    """A built graph in an in-memory Oxigraph store."""
    from .sparql import load_store

    return load_store(Path(path))


def query(graph: pyoxigraph.Store, text_or_name: str, **bindings: str) -> Rows | bool:
    """Run a named query of queries/ or SPARQL text on a loaded graph; each keyword binds a
    variable (a value written <...> is an IRI, anything else text)."""
    import pyoxigraph as ox

    from .sparql import run

    results = run(graph, text_or_name, bindings)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    if isinstance(results, ox.QueryTriples):
        raise ValueError("kg.query returns the rows of SELECT and ASK; run a CONSTRUCT with `kg query`")
    variables = [v.value for v in results.variables]
    rows = [{name: (None if solution[name] is None else solution[name].value) for name in variables}
            for solution in results]
    return Rows(variables, rows)


__all__ = ["Rows", "build", "load", "query"]
