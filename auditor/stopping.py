"""Stopping a run cleanly: SIGTERM (and SIGHUP) as an exception, a closed pipe as a known status.

Why: Python dies at once on SIGTERM, without running ``finally`` blocks, so a parallel audit left
its worker processes running and its hidden part files (``.rtw-audit-part-*.tmp``, as large as the
report) on disk, and ``-o`` left its temporary file. Raised as ``Terminated`` instead, the same
clean-up that Ctrl-C already gets runs: workers are terminated, part and temporary files removed.

A closed output pipe (``rtw-audit check logs/ | head``) used to exit 0, which a script reads as "no
violations". The result is unknown when the reader stops early (the rest was never audited), so the
run exits ``PIPE_CLOSED`` (141: what a shell reports for a program stopped by SIGPIPE), never 0.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

#: Exit status after the reader of standard output went away (128 + SIGPIPE, as shells report it).
PIPE_CLOSED = 128 + 13

_CAUGHT = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s is not None)


class Terminated(SystemExit):
    """The run was asked to stop by a signal; ``code`` is 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)
        self.signum = signum


class _State:
    deferring = 0
    pending: int | None = None


@contextmanager
def deferred_stop() -> Iterator[None]:
    """Within the block a SIGTERM or SIGHUP waits; it is raised as ``Terminated`` when the block
    ends. Why: starting a worker is fork + remembering it; a stop between the two would leave an
    unremembered worker running after the run is gone."""
    _State.deferring += 1
    try:
        yield
    finally:
        _State.deferring -= 1
        if not _State.deferring and _State.pending is not None:
            signum, _State.pending = _State.pending, None
            raise Terminated(signum)


@contextmanager
def signals_as_exit() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise ``Terminated`` in this process, so every
    ``finally`` runs. A process forked inside the block (a worker) keeps the default action: the
    handler it inherits puts that back and re-sends the signal to itself, so ``terminate()`` still
    stops it at once. Outside the main thread (where handlers cannot be set) this does nothing."""
    owner = os.getpid()

    def handler(signum, frame):  # noqa: ARG001 - the signal module's signature
        if os.getpid() != owner:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if _State.deferring:
            _State.pending = signum
            return
        raise Terminated(signum)

    previous = {}
    try:
        for signum in _CAUGHT:
            previous[signum] = signal.signal(signum, handler)
    except ValueError:  # not the main thread
        for signum, old in previous.items():
            signal.signal(signum, old)
        previous = {}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def pipe_closed() -> int:
    """After a BrokenPipeError on standard output: point it at the null device (so the interpreter's
    last flush does not fail again with a traceback) and return ``PIPE_CLOSED``."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests): nothing to flush
        pass
    return PIPE_CLOSED


__all__ = ["PIPE_CLOSED", "Terminated", "deferred_stop", "signals_as_exit", "pipe_closed"]
