"""kg.aside: text made in a forked child, written to an open file, errors passed back."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.aside import Aside
from kg.errors import KgError

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this system")


def test_the_child_writes_the_whole_text_to_the_file(tmp_path: Path) -> None:
    text = "Hà Nội ✓ " * 200_000  # more than a pipe or one write takes at once
    with (tmp_path / "out.txt").open("wb") as handle, Aside(lambda: text, handle.fileno(), "writing") as child:
        child.wait()
    assert (tmp_path / "out.txt").read_bytes() == text.encode("utf-8")


def test_the_child_sees_memory_as_it_was_at_the_fork(tmp_path: Path) -> None:
    seen = ["before"]
    with (tmp_path / "out.txt").open("wb") as handle, Aside(lambda: seen[0], handle.fileno(), "writing") as child:
        seen[0] = "after"
        child.wait()
    assert (tmp_path / "out.txt").read_text() == "before"


def test_an_error_in_the_child_is_raised_in_the_parent(tmp_path: Path) -> None:
    def fails() -> str:
        raise ValueError("bad term <x>")

    with (tmp_path / "out.txt").open("wb") as handle, Aside(fails, handle.fileno(), "drawing") as child:
        with pytest.raises(KgError, match=r"drawing failed in its child process: ValueError: bad term <x>"):
            child.wait()
    assert (tmp_path / "out.txt").read_bytes() == b""


def test_leaving_without_waiting_kills_and_reaps_the_child(tmp_path: Path) -> None:
    def slow() -> str:
        time.sleep(60)
        return "late"

    start = time.monotonic()
    with (tmp_path / "out.txt").open("wb") as handle:
        with pytest.raises(RuntimeError), Aside(slow, handle.fileno(), "waiting") as child:
            raise RuntimeError("the parent gave up")
    assert time.monotonic() - start < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped: no zombie left
    assert (tmp_path / "out.txt").read_bytes() == b""


PARENT = """
import sys, time
from pathlib import Path
from kg.aside import Aside

def slow():
    time.sleep(60)
    return "late"

with open(sys.argv[1], "wb") as handle:
    child = Aside(slow, handle.fileno(), "waiting")
    print(child.pid, flush=True)
    time.sleep(60)
"""


def gone(pid: int) -> bool:
    """No such process, or only its exit status left (a zombie its new parent has not reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_the_child_dies_with_its_parent(tmp_path: Path) -> None:
    """A build killed while its view is drawn leaves no process behind."""
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path / "out.txt")], stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        child = int(parent.stdout.readline())
        assert not gone(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 10
        while not gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gone(child)
    finally:
        parent.kill()
        parent.stdout.close()
