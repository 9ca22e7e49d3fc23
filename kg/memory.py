"""Pausing Python's cyclic garbage collector while big, acyclic structures are built."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for a while: with millions of triples in memory, each
    full pass of the collector walks them all and frees nothing (triples, terms and the
    view's data hold no cycles), which made building the graph grow faster than linearly."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
