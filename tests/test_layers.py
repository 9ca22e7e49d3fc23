"""The package's shape: data flows one way, cli -> pipeline -> steps -> models/vocab/errors.

A module may import only from modules below it (or beside it, among the steps), and no
import goes round in a circle.
"""
from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
# Lower numbers sit higher in the flow; every module not named here is a step (2). "kg" is the
# package's Python API (kg.build, kg.load, kg.query), an entry point like the command line.
LAYERS = {"kg": 0, "kg.cli": 0, "kg.watch": 1, "kg.pipeline": 1, "kg.models": 3, "kg.vocab": 3, "kg.errors": 3, "kg.text": 3,
          "kg.resources": 3}
STEP = 2


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Each module of kg -> the modules of kg it imports (at the top or inside a function)."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1])
                if node.module:
                    targets.add(f"{base}.{node.module}")
                else:
                    targets.update(f"{base}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kg"):
                targets.add(node.module)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name.startswith("kg"))
        found[name] = {t for t in targets if t != name}
    return found


def layer(module: str) -> int:
    return LAYERS.get(module, STEP)


def test_no_import_circle() -> None:
    try:
        list(TopologicalSorter(imports()).static_order())
    except CycleError as exc:
        pytest.fail(f"an import circle: {' -> '.join(exc.args[1])}")


def test_no_module_imports_from_a_module_above_it() -> None:
    upward = [f"{module} imports {target}" for module, targets in imports().items() for target in targets
              if target in imports() and layer(target) < layer(module)]
    assert not upward


def test_the_modules_a_reader_holds_in_mind_are_short() -> None:
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert not long, "split these modules: " + ", ".join(f"{m} ({n} lines)" for m, n in sorted(long.items()))
