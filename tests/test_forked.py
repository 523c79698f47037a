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


class DescribeJudgingInTheHelper:
    """Speed trick «judge»: where a new PDF is likely, the PDF helper judges each PDF it renders."""

    RUN = """
from generator.cli import main_group
try:
    main_group(["24/20"], prog_name="makecase")
except SystemExit as end:
    assert end.code in (0, None), end.code
print("pikepdf.pdfa" in sys.modules, len(list(Path("output/.makecase-cache").glob("pdf-*.ok"))))
"""

    def it_judges_a_first_runs_pdfs_in_the_helper_and_keeps_the_verdicts(self, fresh):
        # the parent never imports the validator, yet both PDFs' verdicts are kept
        assert fresh(self.RUN).split()[-2:] == ["False", "2"]

    def it_judges_nothing_early_when_every_pdf_has_its_verdict(self, fresh):
        out = fresh(self.RUN + """
from generator.publish import gate
output = folder.output
print(gate.early_judge(output, "24-20-") is None, gate.early_judge(output, "23-20-") is None)
for entry in (output / ".makecase-cache").glob("pdf-*.ok"):
    entry.unlink()
print(gate.early_judge(output, "24-20-") is None)
""")
        assert out.split()[-3:] == ["True", "False", "False"]  # 23/20: none made yet; 24/20: verdicts gone

    def it_judges_again_here_what_the_helper_did_not_pass(self, fresh):
        out = fresh("""
from generator.publish import gate
class Doubting(gate.EarlyJudge):
    def judge(self, data):
        return False
with forked.helpers(folder.templates, judge=Doubting()) as renderer:
    rendered = renderer(documents("24/20"), folder.templates)
print("pikepdf.pdfa" in sys.modules)
from generator.cache import Verdicts
print(all(gate.problems(name, data, Verdicts(folder.output)) == [] for name, data in rendered))
print("pikepdf.pdfa" in sys.modules)
""")
        assert out.split() == ["False", "True", "True"]
