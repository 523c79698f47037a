"""generator.speed: every trick can be switched off, plain mode gives the same files, and the one
private library internal a trick relies on is still where it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

PROBE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from generator.commands.pipeline import check\n"
    "from generator.folder import ProjectFolder\n"
    f"project, violations = check(ProjectFolder(Path({str(REPO)!r})))\n"
    "assert len(project.saker) == 3, 'the sample cases were not validated'\n"
    "print('importlib.metadata' in sys.modules)\n"
)


def _python(code: str, plain: str = "") -> str:
    env = {**os.environ, "MAKECASE_PLAIN": plain}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def it_validates_without_looking_for_pydantic_plugins_unless_switched_off():
    assert _python(PROBE) == "False"
    assert _python(PROBE, plain="plugins") == "True"
    assert _python(PROBE, plain="1") == "True"


def it_finds_pydantics_plugin_loader_where_the_trick_replaces_it():
    """The trick replaces pydantic.plugin._loader, a private module: if pydantic moves it, this fails
    (and setup.cfg's pin on pydantic's minor version must not be widened before it passes)."""
    code = "from pydantic.plugin import _loader; print(callable(_loader.get_plugins))"
    assert _python(code) == "True"


def it_switches_tricks_off_by_name_or_all_at_once():
    code = "from generator import speed; print(sorted(t for t in speed.TRICKS if not speed.on(t)))"
    assert _python(code) == "[]"
    assert _python(code, plain="gc, exit") == "['exit', 'gc']"
    assert _python(code, plain="1") == str(sorted(["fork", "gc", "exit", "plugins"]))


def it_makes_the_same_files_in_plain_python(project):
    files = {}
    for plain in ("", "1"):
        env = {**os.environ, "MAKECASE_PLAIN": plain}
        done = subprocess.run([sys.executable, "-m", "generator", "24/20"], cwd=project, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        files[plain] = {p.name: p.read_bytes() for p in (project / "output").iterdir() if p.is_file()}
    assert files[""] == files["1"] and len(files[""]) == 4
