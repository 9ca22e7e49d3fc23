"""Compiled regular expressions kept on disk, for the patterns spaCy compiles as it loads.

spaCy's French tokenizer compiles, on import, one case-insensitive pattern of about 2,000
alternatives over Unicode letter classes (TOKEN_MATCH, 1.2 MB of compiled code): Python's
`re` compiler, written in Python, takes about 3.5 s of the model's 4.5 s load, in every
process that loads the model. What the compiler hands to `_sre.compile` at the end (flags,
code array, groups) is a pure function of the pattern, the flags and the Python build;
`compile_cache()` records it in a file the first time and hands it straight to
`_sre.compile` afterwards, as .pyc files do for modules. The pattern objects are the same
either way (tests/test_regex_cache.py).

The arguments are recorded as the compiler passes them, whatever it computed them from: this
relies only on re's compiler calling `_sre.compile` through its module global `_sre`, as
CPython's has since `sre_compile`. Only patterns of at least MIN_SIZE characters are kept. The
cache is in $KG_CACHE_DIR, else $XDG_CACHE_HOME/vjkg, else ~/.cache/vjkg, under a folder named
after the Python build; a file that is missing, unreadable, damaged or written by another
build is ignored (and rewritten). Elsewhere than on CPython, nothing is cached.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .cache import write_replacing

MIN_SIZE = 2000
SUPPORTED = sys.implementation.name == "cpython" and hasattr(re, "_compiler") and hasattr(re._compiler, "_sre")

if SUPPORTED:
    import _sre
    from re import _compiler


def cache_dir() -> Path | None:
    """The folder for this Python build's entries; None when no absolute one is set (no home
    folder, say): then nothing is cached, rather than a folder made wherever the build runs."""
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "vjkg")
    if not os.path.isabs(base):
        return None
    build = hashlib.sha256(f"{sys.implementation.cache_tag}\0{sys.version}".encode()).hexdigest()[:16]
    return Path(base) / "regex" / build


class _Recorder:
    """Stands for the _sre module while re's compiler runs: keeps what it passes to compile."""

    def __init__(self) -> None:
        self.arguments: tuple | None = None

    def compile(self, pattern, *arguments):
        self.arguments = arguments
        return _sre.compile(pattern, *arguments)

    def __getattr__(self, name: str):
        return getattr(_sre, name)


def _marshallable(value):
    """The compiler's values as marshal can write them: its opcodes are int subclasses."""
    if isinstance(value, list):
        return [_marshallable(v) for v in value]
    if isinstance(value, int) and type(value) is not int and not isinstance(value, bool):
        return int(value)
    return value


def _compile_recording(pattern: str, flags: int) -> tuple[re.Pattern, tuple | None]:
    """re's own compile, and the arguments it handed to _sre.compile (None if it did not)."""
    recorder = _Recorder()
    _compiler._sre = recorder
    try:
        compiled = _original(pattern, flags)
    finally:
        _compiler._sre = _sre
    arguments = recorder.arguments
    return compiled, (tuple(_marshallable(a) for a in arguments) if arguments is not None else None)


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
    return arguments if isinstance(arguments, tuple) else None


def _write(path: Path, arguments: tuple) -> None:
    try:
        payload = marshal.dumps(arguments)
    except ValueError:  # a value marshal cannot write: not kept
        return
    try:
        write_replacing(path, hashlib.sha256(payload).digest() + payload)  # another process writes the same bytes
    except OSError:
        pass  # a read-only or full disk: the next load compiles again


def cached_compile(pattern, flags: int = 0, folder: Path | None = None) -> re.Pattern:
    """re's internal compile, through the disk cache for patterns of MIN_SIZE characters or more."""
    if not SUPPORTED:
        return re.compile(pattern, flags)
    if not isinstance(pattern, str) or len(pattern) < MIN_SIZE or flags & re.DEBUG:
        return _original(pattern, flags)
    folder = folder or cache_dir()
    if folder is None:
        return _original(pattern, flags)
    path = folder / hashlib.sha256(f"{flags}\0{pattern}".encode("utf-8", "surrogatepass")).hexdigest()
    arguments = _read(path)
    if arguments is not None:
        try:
            return _sre.compile(pattern, *arguments)
        except (TypeError, ValueError, RuntimeError, OverflowError):  # RuntimeError: "invalid SRE code"
            pass
    compiled, arguments = _compile_recording(pattern, flags)
    if arguments is not None:
        _write(path, arguments)
    return compiled


_original = _compiler.compile if SUPPORTED else None


@contextmanager
def compile_cache(folder: Path | None = None) -> Iterator[None]:
    """Within the block, re.compile (and everything built on it) goes through the disk cache."""
    folder = folder or cache_dir()
    if not SUPPORTED or folder is None:
        yield
        return
    _compiler.compile = lambda pattern, flags=0: cached_compile(pattern, flags, folder)
    try:
        yield
    finally:
        _compiler.compile = _original
