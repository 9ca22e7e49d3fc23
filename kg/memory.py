"""Pausing Python's cyclic garbage collector while big, acyclic structures are built."""
from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_freezing = False  # within `frozen_after_pauses`
_pauses = 0  # gc_paused blocks under way, in every thread
_before: tuple[bool, tuple[int, ...]] = (gc.isenabled(), gc.get_threshold())  # as the first pause found the collector
_lock = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection for a while: with millions of triples in memory, each
    full pass of the collector walks them all and frees nothing (triples, terms and the
    view's data hold no cycles), which made building the graph grow faster than linearly.

    Within `frozen_after_pauses`, what is alive when the pause ends is frozen (gc.freeze)
    rather than left to the collector. The first threshold is zeroed as well, which stops the
    automatic passes even if a library turns the collector back on meanwhile (srsly does, after
    reading each of the model's msgpack files); both are restored at the end. Pauses nest, in
    one thread or several: the collector is as it was once the last of them ends."""
    global _pauses, _before
    with _lock:
        if _pauses == 0:
            _before = gc.isenabled(), gc.get_threshold()
        _pauses += 1
        gc.disable()
        gc.set_threshold(0, *_before[1][1:])
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            enabled, thresholds = _before
            if _pauses:  # another pause goes on
                gc.disable()
                gc.set_threshold(0, *thresholds[1:])
            else:
                gc.set_threshold(*thresholds)
                if enabled:
                    if _freezing:
                        gc.freeze()
                    gc.enable()
                else:
                    gc.disable()


@contextmanager
def frozen_after_pauses() -> Iterator[None]:
    """For a build: the objects a paused step leaves alive are frozen when it ends (gc.freeze),
    instead of being walked by the collector's next pass, which visits every object made while
    it was paused (0.1 s after reading 1,000 cached extractions, 0.7 s after drawing the view of
    10,000 articles). They are refcounted as ever, only exempt from cycle detection until the
    outermost block ends, which unfreezes them: a process that goes on (`--watch`, a test)
    hands them back to the collector's oldest generation."""
    global _freezing
    outer, _freezing = _freezing, True
    try:
        yield
    finally:
        _freezing = outer
        if not outer:
            gc.unfreeze()
