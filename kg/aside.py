"""Text made in a child process forked from this one, written straight to an open file.

The child sees this process's memory as it was at the fork (a graph of hundreds of
thousands of triples is not copied, let alone pickled), makes its text on the other core
while this process goes on, and exits. Only on Linux: where `os.fork` does not exist
(Windows), or where forking a process that has loaded the system's frameworks is unsafe
(macOS, whose Python starts its worker processes afresh for that reason), `aside` gives a
context whose value is None, and the caller does the work itself.
"""
from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable
from contextlib import nullcontext

from .errors import KgError

MAX_MESSAGE = 4000  # bytes of the child's error message passed back
PR_SET_PDEATHSIG = 1  # linux/prctl.h
AVAILABLE = sys.platform.startswith("linux") and hasattr(os, "fork")


class Aside:
    """`make()`'s text, UTF-8, written to the file descriptor `fd` by a forked child.

    `wait()` returns once the child has written it all, or raises KgError with the child's
    error. Leaving a `with` block without waiting kills the child.
    """

    def __init__(self, make: Callable[[], str], fd: int, what: str):
        self.what = what
        self.done = False
        errors, report = os.pipe()

        def child() -> None:
            os.close(errors)
            try:
                data = memoryview(make().encode("utf-8"))
                while data:
                    data = data[os.write(fd, data):]
            except BaseException as exc:  # noqa: BLE001 - passed back to the parent, whatever it is
                try:
                    os.write(report, f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")[:MAX_MESSAGE])
                except BaseException:  # noqa: BLE001
                    pass
                raise

        pid = fork(child)
        os.close(report)
        self.pid, self.errors = pid, os.fdopen(errors, "rb")

    def wait(self) -> None:
        with self.errors:
            message = self.errors.read()  # to the end of the pipe: until the child has exited
        _, status = os.waitpid(self.pid, 0)
        self.done = True
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            why = message.decode("utf-8", "replace") or (f"killed by signal {-code}" if code < 0 else f"exit code {code}")
            raise KgError(f"{self.what} failed in its child process: {why}")

    def __enter__(self) -> "Aside":
        return self

    def __exit__(self, *exc) -> None:
        if not self.done:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except ChildProcessError:  # pragma: no cover - already reaped
                pass
            self.errors.close()
            self.done = True


def fork(child: Callable[[], None]) -> int:
    """Fork a child process that runs `child()` and exits: 0 if it returned, 1 if it raised.
    It dies with this process (`die_with`) and never returns here: no atexit handlers, no
    flushing of this process's buffers. Returns the child's pid."""
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            die_with(parent)
            child()
            code = 0
        finally:
            os._exit(code)
    return pid


def die_with(parent: int) -> None:
    """Have the kernel kill this process when its parent dies, so that a build killed while
    the view is drawn leaves no child behind drawing on. Best effort: without prctl, the
    child ends when its drawing does."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no prctl in this C library
        pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def aside(make: Callable[[], str], fd: int, what: str) -> Aside | nullcontext[None]:
    """An `Aside`; where it is not AVAILABLE, a context whose value is None."""
    if not AVAILABLE:  # pragma: no cover - not Linux
        return nullcontext()
    return Aside(make, fd, what)
