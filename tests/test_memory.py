"""Pausing the cyclic garbage collector, and freezing what a pause leaves alive in a one-shot build."""
from __future__ import annotations

import gc

import pytest

from kg.memory import frozen_after_pauses, gc_paused


@pytest.fixture(autouse=True)
def collector_on():
    thresholds = gc.get_threshold()
    assert gc.isenabled() and gc.get_freeze_count() == 0 and thresholds[0] > 0
    yield
    # nothing left frozen or paused for the next test
    assert gc.isenabled() and gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds


def made_in_a_pause() -> list[list]:
    with gc_paused():
        assert not gc.isenabled()
        return [[] for _ in range(10_000)]


def walked(obj: object) -> bool:
    """Whether the collector's passes visit `obj`: it is in one of its three generations."""
    return any(o is obj for generation in (0, 1, 2) for o in gc.get_objects(generation=generation))


def test_a_pause_ends_with_the_collector_on_and_nothing_frozen():
    kept = made_in_a_pause()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert walked(kept[0])


def test_in_a_one_shot_build_what_a_pause_leaves_alive_is_frozen_until_the_build_ends():
    with frozen_after_pauses():
        kept = made_in_a_pause()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(kept)  # the lists, and whatever else was alive
        assert not walked(kept[0])
        gc.collect()
        assert not walked(kept[-1]) and len(kept) == 10_000  # a full collection left them alone
    assert gc.get_freeze_count() == 0 and walked(kept[0])  # handed back to the collector


def test_a_pause_that_raises_still_restores_the_collector_and_the_build_unfreezes():
    with pytest.raises(ValueError), frozen_after_pauses():
        with gc_paused():
            raise ValueError("stop")
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_pause_inside_a_pause_leaves_the_collector_paused():
    with gc_paused():
        with gc_paused():
            gc.enable()  # a library, inside the inner pause
        assert not gc.isenabled() and gc.get_threshold()[0] == 0
    assert gc.isenabled()


def test_a_library_turning_the_collector_on_does_not_end_the_pause():
    passes = []

    def record(phase: str, info: dict) -> None:
        passes.append(phase)

    gc.callbacks.append(record)
    try:
        with gc_paused():
            gc.enable()  # as srsly does after reading msgpack
            kept = [[] for _ in range(100_000)]
            assert passes == []
    finally:
        gc.callbacks.remove(record)
    assert len(kept) == 100_000


def test_a_build_within_a_build_leaves_the_freezing_to_the_outer_one():
    @frozen_after_pauses()
    def inner() -> list[list]:
        return made_in_a_pause()

    with frozen_after_pauses():
        first = inner()
        assert not walked(first[0])  # the inner block ended, the outer goes on: still frozen
        second = made_in_a_pause()
        assert not walked(second[0])
    assert walked(first[0]) and walked(second[0])


def test_pauses_in_two_threads_that_end_crosswise_leave_the_collector_as_it_was():
    import threading

    began, go_on = threading.Event(), threading.Event()

    def in_a_thread() -> None:
        with gc_paused():
            began.set()
            go_on.wait(10)

    thread = threading.Thread(target=in_a_thread)
    thread.start()
    began.wait(10)
    with gc_paused():  # begins while the thread's pause goes on...
        go_on.set()
        thread.join(10)  # ...which ends first
        assert not gc.isenabled() and gc.get_threshold()[0] == 0, "this pause still goes on"
    assert gc.isenabled()  # and the fixture checks the thresholds
