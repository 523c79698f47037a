"""A document being rendered → stopped when it takes longer than its time limit.

A template can hold a loop that never ends (a Jinja loop in a Word template, a typst loop in a
PDF template); a caseworker then gets a message naming the template instead of a command that
hangs. The clock is SIGALRM, so it stops Python code (Jinja) in the main thread; typst's own
code cannot be interrupted that way, and the parent of a forked helper waits for its reply
only as long (see generator.render.forked).
"""

from __future__ import annotations

import os
import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from generator.errors import ProjectError

def _seconds(text: str, default: float = 60) -> float:
    try:
        return float(text) if float(text) > 0 else default
    except ValueError:
        return default


#: Seconds one document may take: a large document renders in well under a second. The IT
#: person may set another limit in the environment (MAKECASE_TIDSGRENSE=120).
RENDER_SECONDS = _seconds(os.environ.get("MAKECASE_TIDSGRENSE", ""))


@contextmanager
def time_limit(seconds: float, message: str) -> Iterator[None]:
    """Raise ProjectError(message) if the block runs longer than `seconds` (where a clock can be
    set: the main thread of a POSIX process; elsewhere the block runs unlimited)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise ProjectError(message)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
