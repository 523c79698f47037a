"""Speed tricks → one place, each with what it saves, and one switch that turns them all off.

makecase is mostly started for one case (`makecase 24/20`), where importing and tearing
down libraries costs more than the work. The tricks below win that time back. Each can be
switched off alone, and `MAKECASE_PLAIN=1` switches off all of them, so that a bug can be
bisected against plain Python (CI runs the test suite once that way):

    MAKECASE_PLAIN=1            every trick off
    MAKECASE_PLAIN=gc,exit      only these off

The gain of each is measured by `python bench/tricks.py` (`makecase 24/20` with one trick
off against all on, in alternating blocks in the same run); the figures below are its
medians on the development machine (2 cores, Python 3.11, 30.11.2026; all on 0.39 s, all
off 0.63 s). A trick whose gain the bench no longer shows is removed.

Importing this module costs nothing: it imports only `os` and `sys`.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

#: Each trick by name, with what it saves in `makecase 24/20` (bench/tricks.py).
TRICKS = {
    # Render DOCX and PDF in two forked helpers that import their library while this process
    # loads and composes the case (generator.render.forked). Saves 0.12 s of 0.52 s.
    "fork": "hjelpeprosesser for DOCX og PDF",
    # Pause the cyclic garbage collector while one command renders once, and freeze what is
    # left alive before it is switched on again. Saves 0.024 s.
    "gc": "søppeltømming på pause i en kjøring",
    # End the process with os._exit once output is flushed, instead of tearing down the
    # interpreter (freeing every object of pydantic, typst and python-docx). Saves 0.023 s.
    "exit": "avslutt uten å rive ned tolken",
    # Tell pydantic, before it is imported, that there are no plugins: its plugin search
    # imports importlib.metadata and reads every installed distribution. Saves 0.021 s.
    "plugins": "ingen pydantic-tillegg",
}

_SETTING = os.environ.get("MAKECASE_PLAIN", "").strip()
_OFF = set(TRICKS) if _SETTING in ("1", "alle", "all") else {n.strip() for n in _SETTING.split(",") if n.strip()}


def on(trick: str) -> bool:
    """Whether a trick is in use (not switched off by MAKECASE_PLAIN)."""
    return trick not in _OFF


def skip_pydantic_plugins() -> None:
    """Give pydantic an empty plugin registry before it is imported (trick "plugins").

    pydantic 2 looks for plugins through `pydantic.plugin._loader.get_plugins()` when it builds
    its first validator; PYDANTIC_DISABLE_PLUGINS skips the search but not the import of
    importlib.metadata it needs. There is no public hook that avoids that import, so this
    reaches into a private module: setup.cfg pins pydantic's minor version, and
    tests/test_speed.py fails if the module moves. Plugins are hooks that observe validation
    (logfire and the like); one installed for another program has no business in makecase.
    """
    loader = "pydantic.plugin._loader"
    if not on("plugins") or loader in sys.modules or "pydantic" in sys.modules:
        return
    import types

    registry = types.ModuleType(loader, "No pydantic plugins for makecase (see generator.speed).")
    registry.get_plugins = lambda: ()
    sys.modules[loader] = registry


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


def end_process(status: int) -> None:
    """End the process with `status` once stdout and stderr are flushed (trick "exit")."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (makecase vis | head)
            pass
    if on("exit"):
        os._exit(status)
    sys.exit(status)
