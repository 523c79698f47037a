"""Documents → DOCX and PDF rendered in two forked helper processes (one case on the command line).

Most of a single `makecase 24/20` is importing libraries: pydantic to load, then
python-docx/docxtpl and typst to render. The helpers are forked before the case is
loaded, import their renderer and read the templates and fonts while the parent loads,
checks and composes, then each renders its format of every document at the same time as
the other. The parent gets the bytes back and publishes them as before, so a failure in
either helper still leaves nothing written.

Without fork (Windows), with one core, or in a process that already runs threads, its own or
a native library's (where forking is unsafe), `helpers` yields None and the caller renders
in-process.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import sys
import threading
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol

from generator import speed
from generator.errors import ProjectError
from generator.render.limits import RENDER_SECONDS
from generator.render import FORMATS

#: Modules this process (loading, composing) and a helper (rendering) both import. Imported
#: once, before the helpers are forked, they cost one process instead of two or three; this
#: process needs every one of them anyway (found with `python -X importtime`).
SHARED = ("generator.tree", "hashlib", "tempfile", "logging", "html.entities", "typing_extensions",
          "babel.dates", "importlib.resources", "base64", "unicodedata")

#: What a renderer returns: (output name, bytes) per document and format, in publishing order.
Rendered = list[tuple[str, bytes]]


def _warm(fmt: str, templates: Path) -> None:
    """Import a renderer and load what it reads on first use; errors wait for the real render."""
    if fmt == "pdf":
        from generator.render import pdf as render_pdf

        render_pdf.warm()
    else:
        from generator.render import docx as render_docx

        render_docx.warm(templates)


def _serve(fmt: str, templates: Path, requests, replies, judge: "Judge | None" = None) -> None:
    """The helper's life: warm up, render one request, reply, exit.

    A helper yields the processor to the parent (which loads the case on the critical path)
    and to the other helper: they share one core while the parent has the other.
    """
    os.nice(5)
    try:
        _warm(fmt, templates)
        if judge is not None:
            judge.warm()
    except Exception:  # noqa: BLE001 - the render meets the same error and reports it properly
        pass
    try:
        documents = pickle.load(requests)
    except EOFError:  # the parent finished (or failed) without rendering
        return
    from generator.render import render_document

    try:
        rendered = [render_document(document, fmt, templates) for document in documents]
        judged = [judge.judge(data) for data in rendered] if judge is not None else None
        data = pickle.dumps(("ok", rendered, judged))
    except Exception as err:  # noqa: BLE001 - sent to the parent, which raises it
        try:
            data = pickle.dumps(("error", err))
        except Exception:  # noqa: BLE001 - an exception that cannot cross the pipe
            data = pickle.dumps(("crash", traceback.format_exc()))
    replies.write(data)
    replies.flush()


class _Helper:
    """One forked process that renders one format."""

    def __init__(self, fmt: str, templates: Path, judge: "Judge | None" = None):
        self.fmt = fmt
        self.judge = judge
        request_read, request_write = os.pipe()
        reply_read, reply_write = os.pipe()
        parent = os.getpid()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: never returns into the caller's code
            status = 0
            die_with(parent)
            try:
                os.close(request_write)
                os.close(reply_read)
                with os.fdopen(request_read, "rb") as requests, os.fdopen(reply_write, "wb") as replies:
                    _serve(fmt, templates, requests, replies, judge)
            except BaseException:  # noqa: BLE001 - a broken pipe when the parent is gone
                status = 1
            finally:
                os._exit(status)
        os.close(request_read)
        os.close(reply_write)
        self.requests = os.fdopen(request_write, "wb")
        self.replies = os.fdopen(reply_read, "rb")

    def send(self, documents) -> None:
        pickle.dump(documents, self.requests)
        self.requests.close()

    def receive(self, documents: int = 1) -> list[bytes]:
        """Return the helper's rendering, waiting as long as `documents` may take (see limits)."""
        ready, _, _ = select.select([self.replies], [], [], RENDER_SECONDS * max(documents, 1) + 5)
        if not ready:
            self.close()
            raise ProjectError(f"{self.fmt.upper()}-en ble ikke ferdig på {RENDER_SECONDS:g} sekunder per dokument "
                               f"(en løkke i malen som ikke slutter?)")
        try:
            kind, value, *judged = pickle.load(self.replies)
        except EOFError:
            raise RuntimeError(f"{self.fmt}-prosessen stoppet uten svar") from None
        if kind == "error":
            raise value
        if kind == "crash":
            raise RuntimeError(f"{self.fmt}-prosessen feilet:\n{value}")
        if self.judge is not None and judged and judged[0] is not None:
            for data, passed in zip(value, judged[0]):
                self.judge.heard(data, passed)
        return value

    def close(self) -> None:
        for stream in (self.requests, self.replies):
            if not stream.closed:
                stream.close()
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid == 0:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


@contextmanager
def ctrl_c_here_only():
    """Start processes that ignore Ctrl-C, so that only this process hears it and ends them: a
    pool's workers, a fork server (which would otherwise hear it while it imports what it
    preloads) or a spawned validator then print no traceback of their own.

    An ignored signal stays ignored through fork and exec. Meanwhile Ctrl-C is blocked here, not
    ignored: one pressed while the processes start is delivered to this process right after.
    """
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    from multiprocessing import resource_tracker

    # started first: starting it unblocks SIGINT here, which would lose a Ctrl-C pressed meanwhile
    resource_tracker.ensure_running()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def die_with(parent: int) -> None:
    """Make a helper end when its parent does (Linux: PR_SET_PDEATHSIG), so a killed makecase
    leaves no helper rendering on."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the helper still ends at the end of its pipe
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)


def _threads() -> int:
    """Return how many threads this process runs, those of native libraries included: typst
    starts a thread pool on its first compile, and a child forked after that waits forever for
    threads it does not have."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:  # no /proc (macOS): Python's own threads, and typst's once it has compiled
        render_pdf = sys.modules.get("generator.render.pdf")
        return threading.active_count() + (1 if render_pdf is not None and render_pdf.compiled() else 0)


def _can_fork() -> bool:
    return speed.on("fork") and hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and _threads() == 1


class Judge(Protocol):
    """What the PDF helper may do with each PDF it renders before sending it (speed trick "judge"):
    judge it there, so that the parent has the verdict with the bytes (see generator.publish.gate)."""

    def warm(self) -> None:
        """Import what judging needs (while the parent loads the case)."""

    def judge(self, data: bytes) -> bool:
        """Whether a PDF passes, judged in the helper; the answer crosses to the parent."""

    def heard(self, data: bytes, passed: bool) -> None:
        """Take the helper's answer for these bytes, in the parent."""


@contextmanager
def helpers(templates: Path, formats: tuple[str, ...] = FORMATS, judge: Judge | None = None) -> Iterator[Callable | None]:
    """Start one helper per format; yield a function rendering documents with them (None: render here).
    `judge` has the PDF helper judge each PDF it renders, right after rendering it."""
    if not _can_fork():
        yield None
        return
    for name in SHARED:
        importlib.import_module(name)
    started: list[_Helper] = []
    try:
        for fmt in formats:
            started.append(_Helper(fmt, templates, judge if fmt == "pdf" else None))

        def render_all(documents, _templates: Path | None = None) -> Rendered:
            documents = list(documents)
            for helper in started:
                helper.send(documents)
            by_format = {helper.fmt: helper.receive(len(documents)) for helper in started}
            return [
                (f"{document.name}.{fmt}", by_format[fmt][index])
                for index, document in enumerate(documents) for fmt in formats
            ]

        render_all.pids = [helper.pid for helper in started]
        yield render_all
    finally:
        for helper in started:
            helper.close()
