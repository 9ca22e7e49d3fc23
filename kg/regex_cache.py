"""Compiled regular expressions kept on disk, for the patterns spaCy compiles as it loads.

spaCy's French tokenizer compiles, on import, one case-insensitive pattern of about 2,000
alternatives over Unicode letter classes (TOKEN_MATCH, 1.2 MB of compiled code): Python's
`re` compiler, written in Python, takes about 3.5 s of the model's 4.5 s load, in every
process that loads the model. What it produces, the code array `_sre.compile` takes, is a
pure function of the pattern, the flags and the Python build; `compile_cache()` keeps it
in a file the first time and hands it straight to `_sre.compile` afterwards, as .pyc files
do for modules. The pattern objects are the same either way (tests/test_regex_cache.py).

Only patterns of at least MIN_SIZE characters are kept. The cache is in $KG_CACHE_DIR, else
$XDG_CACHE_HOME/vjkg, else ~/.cache/vjkg, under a folder named after the Python build; a
file that is missing, unreadable, damaged or from another build is ignored (and rewritten),
and where the `re` internals this relies on are not those of CPython 3.11 to 3.13, nothing
is cached: patterns compile as usual.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MIN_SIZE = 2000
SUPPORTED = sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)

if SUPPORTED:
    import _sre
    from re import _compiler, _parser


def cache_dir() -> Path:
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "vjkg")
    build = hashlib.sha256(f"{sys.implementation.cache_tag}\0{sys.version}".encode()).hexdigest()[:16]
    return Path(base) / "regex" / build


def _arguments(pattern: str, flags: int) -> tuple:
    """What re's compiler passes to _sre.compile after the pattern (as CPython 3.11-3.13's
    re._compiler.compile computes it), in types marshal can write."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _read(path: Path) -> tuple | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        arguments = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    return arguments if isinstance(arguments, tuple) and len(arguments) == 5 else None


def _write(path: Path, arguments: tuple) -> None:
    payload = marshal.dumps(arguments)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, path)  # another process writing the same entry writes the same bytes
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the next load compiles again


def cached_compile(pattern, flags: int = 0, folder: Path | None = None) -> re.Pattern:
    """re's internal compile, through the disk cache for patterns of MIN_SIZE characters or more."""
    if not SUPPORTED or not isinstance(pattern, str) or len(pattern) < MIN_SIZE or flags & re.DEBUG:
        return _original(pattern, flags)
    folder = folder or cache_dir()
    path = folder / hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()
    arguments = _read(path)
    if arguments is not None:
        try:
            return _sre.compile(pattern, *arguments)
        except (TypeError, ValueError, RuntimeError, OverflowError):  # RuntimeError: "invalid SRE code"
            pass
    try:
        arguments = _arguments(pattern, flags)
        compiled = _sre.compile(pattern, *arguments)
    except re.error:
        raise
    except Exception:  # these internals differ from what this module knows: compile as re does
        return _original(pattern, flags)
    _write(path, arguments)
    return compiled


_original = _compiler.compile if SUPPORTED else re.compile


@contextmanager
def compile_cache(folder: Path | None = None) -> Iterator[None]:
    """Within the block, re.compile (and everything built on it) goes through the disk cache."""
    if not SUPPORTED:
        yield
        return
    folder = folder or cache_dir()
    _compiler.compile = lambda pattern, flags=0: cached_compile(pattern, flags, folder)
    try:
        yield
    finally:
        _compiler.compile = _original
