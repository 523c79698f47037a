"""generator.speed: every trick can be switched off, and plain mode gives the same files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _python(code: str, plain: str = "") -> str:
    env = {**os.environ, "MAKECASE_PLAIN": plain}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def it_switches_tricks_off_by_name_or_all_at_once():
    code = "from generator import speed; print(sorted(t for t in speed.TRICKS if not speed.on(t)))"
    assert _python(code) == "[]"
    assert _python(code, plain="gc, exit") == "['exit', 'gc']"
    assert _python(code, plain="1") == str(sorted(["fork", "gc", "exit", "parallel", "judge"]))


def it_makes_the_same_files_in_plain_python(project):
    files = {}
    for plain in ("", "1"):
        env = {**os.environ, "MAKECASE_PLAIN": plain}
        done = subprocess.run([sys.executable, "-m", "generator", "24/20"], cwd=project, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        files[plain] = {p.name: p.read_bytes() for p in (project / "output").iterdir() if p.is_file()}
    assert files[""] == files["1"] and len(files[""]) == 4


def it_leaves_each_trick_undone_when_switched_off(tmp_path):
    """Plain mode is plain: no helpers, no judge in the PDF helper, the collector never paused (a
    developer's review: the only other test would pass if the switch were ignored)."""
    code = (
        "import gc, pathlib\n"
        "from generator import speed\n"
        "from generator.publish import gate\n"
        "from generator.render import forked\n"
        f"out = pathlib.Path({str(tmp_path)!r})\n"
        "with forked.helpers(out) as renderer:\n"
        "    helpers = renderer is not None\n"
        "with speed.gc_paused():\n"
        "    paused = not gc.isenabled()\n"
        "print(helpers, gate.early_judge(out, '24-20-') is not None, paused)\n"
    )
    assert _python(code) == "True True True"
    assert _python(code, plain="1") == "False False False"
