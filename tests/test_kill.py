"""Killing kg build at any moment leaves the previous kg.ttl and kg.html intact."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from kg.pipeline import build

# Runs a build whose first output write stops right before its rename: the moment a kill hurts most.
SLOW_WRITER = """
import os, sys, time
from pathlib import Path
import kg.pipeline as pipeline

marker = Path(sys.argv[3])
real_fsync = os.fsync

def fsync(fd):
    real_fsync(fd)
    marker.write_text("writing")
    time.sleep(60)

pipeline.os.fsync = fsync
pipeline.build([Path(sys.argv[1])], Path(sys.argv[2]))
"""


@pytest.fixture
def previous(repo: Path, tmp_path: Path) -> tuple[Path, bytes, bytes]:
    out = tmp_path / "out"
    build([repo / "seeds"], out)
    return out, (out / "kg.ttl").read_bytes(), (out / "kg.html").read_bytes()


def other_sources(tmp_path: Path) -> Path:
    src = tmp_path / "new"
    src.mkdir()
    (src / "rail.txt").write_text("Accord rail\n\nUn accord sur le rail a été signé à Hanoï entre le Vietnam et la JICA.",
                                  encoding="utf-8")
    return src


def assert_intact(out: Path, ttl: bytes, html: bytes) -> None:
    assert (out / "kg.ttl").read_bytes() == ttl
    assert (out / "kg.html").read_bytes() == html
    assert list(pyoxigraph.parse(path=str(out / "kg.ttl"), format=pyoxigraph.RdfFormat.TURTLE))


def test_kill_during_serialization(previous, tmp_path: Path):
    out, ttl, html = previous
    marker = tmp_path / "marker"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(other_sources(tmp_path)), str(out), str(marker)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, "the build ended before writing"
            assert time.monotonic() < deadline, "the build never reached its write"
            time.sleep(0.05)
        assert any(out.glob(".kg.ttl.*.tmp")), "the new kg.ttl is half-way: written, not yet renamed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert_intact(out, ttl, html)
    # the next build clears the dead build's temporary file and writes normally
    build([tmp_path / "new"], out)
    assert not list(out.glob(".*.tmp"))
    assert (out / "kg.ttl").read_bytes() != ttl


@pytest.mark.parametrize("delay", [0.5, 2.0, 4.0])
def test_kill_at_other_moments(previous, tmp_path: Path, delay: float):
    out, ttl, html = previous
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(other_sources(tmp_path)), "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    pair = ((out / "kg.ttl").read_bytes(), (out / "kg.html").read_bytes())
    if proc.returncode == 0 or pair != (ttl, html):  # the kill came after the outputs were replaced, or never
        fresh = tmp_path / "fresh"
        build([tmp_path / "new"], fresh)
        assert pair == ((fresh / "kg.ttl").read_bytes(), (fresh / "kg.html").read_bytes()), \
            "the outputs are neither the previous build's nor the new build's, both whole"
    else:
        assert_intact(out, ttl, html)
