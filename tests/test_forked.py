"""The forked helpers of a single run: the same bytes as rendering in process, errors carried over.

A helper may only be forked from a process that runs no other thread, and typst starts a
thread pool on its first compile: in the test process, which has compiled plenty, the helpers
rightly refuse. So each of these runs in a fresh interpreter, as `makecase 24/20` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from generator.render import forked
from generator.folder import ProjectFolder

#: Loads and composes a case in a fresh process; the probes below use it.
PRELUDE = """
import os, sys
from pathlib import Path
from generator import compose
from generator.render import forked
from generator.check.rules import check_case
from generator.load import load_case
from generator.folder import ProjectFolder
from generator.render import render_all
from generator.domain.values import Saksnummer
folder = ProjectFolder(Path.cwd())
def documents(number):
    org, mappe = load_case(folder, Saksnummer.parse(number))
    return compose.case_documents(org, mappe, check_case(mappe), compose.Utgave(org.malform))
"""


@pytest.fixture
def fresh(project):
    """Return a function that runs a probe in a fresh interpreter in the project folder; its output."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        pytest.skip("the helpers need fork and two cores")

    def run(code: str) -> str:
        # these test the helpers themselves: with the trick on, also when the suite runs plain
        env = {**os.environ, "MAKECASE_PLAIN": ""}
        done = subprocess.run([sys.executable, "-c", PRELUDE + code], cwd=project, capture_output=True, text=True,
                              timeout=120, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run


def it_renders_the_same_bytes_as_the_process_itself(fresh):
    out = fresh("""
with forked.helpers(folder.templates) as renderer:
    assert renderer is not None
    helped = renderer(documents("23/20"), folder.templates)
assert render_all(documents("23/20"), folder.templates) == helped
print(" ".join(name for name, _ in helped))
""")
    assert out.split() == [
        "23-20-saksframlegg.docx", "23-20-saksframlegg.pdf", "23-20-vedlegg-1-tekst.docx",
        "23-20-vedlegg-1-tekst.pdf", "23-20-vedlegg-2-samarbeidsavtale.docx", "23-20-vedlegg-2-samarbeidsavtale.pdf",
    ]


def it_raises_a_helpers_error_in_the_parent(fresh, project):
    (project / "templates" / "vedlegg.docx").write_bytes(b"ikke en docx")
    out = fresh("""
from generator.errors import ProjectError
with forked.helpers(folder.templates) as renderer:
    assert renderer is not None
    try:
        renderer(documents("24/20"), folder.templates)
    except ProjectError as err:
        print(err.format_message())
""")
    assert "Malen templates/vedlegg.docx kan ikke leses som et Word-dokument" in out


def it_leaves_no_helper_behind(fresh):
    out = fresh("""
with forked.helpers(folder.templates) as renderer:
    pids = renderer.pids
for pid in pids:
    try:
        os.waitpid(pid, os.WNOHANG)
        print("left", pid)
    except ChildProcessError:
        print("gone")
""")
    assert out.split() == ["gone", "gone"]


def it_renders_in_process_once_typst_has_started_its_threads(fresh):
    out = fresh("""
render_all(documents("22/20") or documents("24/20")[:1], folder.templates)
with forked.helpers(folder.templates) as renderer:
    print(renderer is None, forked._threads() > 1)
""")
    assert out.split() == ["True", "True"]


def it_renders_in_process_where_threads_run(project):
    sleeper = threading.Thread(target=time.sleep, args=(2,), daemon=True)
    sleeper.start()
    folder = ProjectFolder(project)
    with forked.helpers(folder.templates) as renderer:
        assert renderer is None  # forking a process with threads could deadlock
