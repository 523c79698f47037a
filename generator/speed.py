"""Speed tricks → one place, each with what it saves, and one switch that turns them all off.

makecase is mostly started for one case (`makecase 24/20`), where importing and tearing
down libraries costs more than the work. The tricks below win that time back. Each can be
switched off alone, and `MAKECASE_PLAIN=1` switches off all of them, so that a bug can be
bisected against plain Python (CI runs the test suite once that way):

    MAKECASE_PLAIN=1            every trick off
    MAKECASE_PLAIN=gc,exit      only these off

The gain of each is measured by `python bench/tricks.py` (`makecase 24/20` with one trick
off against all on, in alternating rounds in the same run, and a 60-case meeting for the trick
that works on large PDFs); the figures below are its medians of 11 rounds in one run on the
development machine (2 cores, Python 3.11, 01.12.2026 afternoon, a slow host: all on 0.66 s, all
off 1.06 s). A trick whose gain the bench no longer shows is removed: so went the
pydantic plugin search skipped through a private pydantic module (3 ms) and the Word templates'
inspection remembered between runs (no gain: the DOCX helper inspects them off the critical path).

Importing this module costs nothing: it imports only `os`, `sys` and `contextlib`.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

#: Each trick by name, with what it saves in `makecase 24/20` (bench/tricks.py).
TRICKS = {
    # Render DOCX and PDF in two forked helpers that import their library while this process
    # loads and composes the case (generator.render.forked). Saves 0.25 s of 0.66 s.
    "fork": "hjelpeprosesser for DOCX og PDF",
    # Pause the cyclic garbage collector while one command renders once, and freeze what is
    # left alive before it is switched on again. Saves 0.02 s alone; with "exit" 0.08 s (a
    # teardown with the collector on visits every object the libraries made). A batch worker
    # freezes what its warm-up imported, so the collector's passes go over each job's objects only.
    "gc": "søppeltømming på pause i en kjøring",
    # End the process with os._exit once output is flushed, instead of tearing down the
    # interpreter (freeing every object of pydantic, typst and python-docx). Saves 0.08 s alone;
    # with "gc" 0.08 s.
    "exit": "avslutt uten å rive ned tolken",
    # Run pikepdf's PDF/A validator on a large new PDF (a meeting package) in a second process
    # while this one runs makecase's own checks on it (generator.publish.gate), and every other PDF
    # once that process runs (the summons: this one then never imports the validator). Saves 2.1 s
    # of a 60-case meeting's first run, 8.4 s; nothing below a megabyte (0.00 s on 24/20).
    "parallel": "PDF/A-validatoren i en egen prosess for store PDF-er",
    # Judge each new PDF of `makecase SAK` in the PDF helper right after rendering it, with the
    # validator imported there (in a thread) while this process loads the case, where a new PDF is
    # likely (a PDF of the case in output/ without a verdict, or none: generator.publish.gate.
    # early_judge). Saves 0.21 s of a first run's 1.00 s (output/ emptied); a repeat run, which
    # finds every verdict, does not start it.
    "judge": "nye PDF-er kontrolleres i PDF-hjelperen",
}

_SETTING = os.environ.get("MAKECASE_PLAIN", "").strip()
_OFF = set(TRICKS) if _SETTING in ("1", "alle", "all") else {n.strip() for n in _SETTING.split(",") if n.strip()}


def on(trick: str) -> bool:
    """Whether a trick is in use (not switched off by MAKECASE_PLAIN)."""
    return trick not in _OFF


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a command renders once (trick "gc").

    Its passes over the freshly imported libraries cost time and free almost nothing in a
    process that ends right after. What the command left alive is then frozen (out of the
    collector's sight) before the collector is switched on again, or its first pass would go
    over all of it just before the process ends.
    """
    import gc

    was_enabled = on("gc") and gc.isenabled()
    if was_enabled:
        gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


#: What must be done before the process ends, however it ends (the validator's second process shut).
_AT_END: list = []


def at_end(task) -> None:
    """Have `task` run before `end_process` ends the process (os._exit runs no atexit handlers)."""
    _AT_END.append(task)


def end_process(status: int) -> None:
    """End the process with `status` once stdout and stderr are flushed (trick "exit")."""
    for task in _AT_END:
        task()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (makecase vis | head)
            pass
    if on("exit") and status != INTERRUPTED:
        os._exit(status)
    sys.exit(status)  # after Ctrl-C, the interpreter's own ending: a pool's semaphores are given back


#: The status of a command the user stopped with Ctrl-C (generator.cli.Interrupted).
INTERRUPTED = 130
