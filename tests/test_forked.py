"""The forked helpers of a single run: the same bytes as rendering in process, errors carried over."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from generator import compose, forked
from generator.check import check_case
from generator.errors import ProjectError
from generator.load import load_case
from generator.project import ProjectFolder
from generator.render import render_all
from generator.values import Saksnummer


def documents(folder: ProjectFolder, number: str):
    org, mappe = load_case(folder, Saksnummer.parse(number))
    return compose.case_documents(org, mappe, check_case(mappe), compose.Utgave(org.malform))


@pytest.fixture
def folder(project) -> ProjectFolder:
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        pytest.skip("the helpers need fork and two cores")
    return ProjectFolder(project)


def it_renders_the_same_bytes_as_the_process_itself(folder):
    wanted = render_all(documents(folder, "23/20"), folder.templates)
    with forked.helpers(folder.templates, folder.output) as renderer:
        assert renderer is not None
        assert renderer(documents(folder, "23/20"), folder.templates) == wanted
    assert [name for name, _ in wanted] == [
        "23-20-saksframlegg.docx", "23-20-saksframlegg.pdf", "23-20-vedlegg-1-tekst.docx",
        "23-20-vedlegg-1-tekst.pdf", "23-20-vedlegg-2-samarbeidsavtale.docx", "23-20-vedlegg-2-samarbeidsavtale.pdf",
    ]


def it_raises_a_helpers_error_in_the_parent(folder):
    (folder.templates / "vedlegg.docx").write_bytes(b"ikke en docx")
    with forked.helpers(folder.templates, folder.output) as renderer:
        with pytest.raises(ProjectError, match="Malen templates/vedlegg.docx kan ikke leses som et Word-dokument"):
            renderer(documents(folder, "24/20"), folder.templates)


def it_leaves_no_helper_behind(folder):
    with forked.helpers(folder.templates, folder.output) as renderer:
        assert renderer is not None
        pids = renderer.pids
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def it_renders_in_process_where_threads_run(folder):
    sleeper = threading.Thread(target=time.sleep, args=(2,), daemon=True)
    sleeper.start()
    with forked.helpers(folder.templates, folder.output) as renderer:
        assert renderer is None  # forking a process with threads could deadlock


#: Runs a PDF helper's life in a fresh process, its request sent at once or after a while;
#: prints which faces only some documents need it had read by the time it replied.
SERVE = """
import os, pickle, sys, threading, time
from pathlib import Path
from generator import forked, render_pdf
requests, send = os.pipe()
replies, reply = os.pipe()
def request():
    time.sleep(float(sys.argv[1]))
    os.write(send, pickle.dumps([]))
    os.close(send)
threading.Thread(target=request).start()
with os.fdopen(requests, "rb") as inbox, os.fdopen(reply, "wb") as outbox:
    forked._serve("pdf", Path("templates"), Path("output"), inbox, outbox)
assert pickle.loads(os.read(replies, 1 << 16)) == ("ok", [])
print(render_pdf._fallback.cache_info().currsize, render_pdf._italic.cache_info().currsize)
"""


@pytest.mark.parametrize("delay, read", [(0.0, "0 0"), (1.0, "1 1")])
def it_reads_the_faces_some_documents_need_while_it_waits_for_the_request(delay, read, project):
    done = subprocess.run([sys.executable, "-c", SERVE, str(delay)], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == read.split()
