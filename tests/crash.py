"""makecase runs that die at a chosen file-system change, for the all-or-nothing tests.

A kill at a random moment lands wherever the clock puts it: most rounds hit the same slow
step, a round may miss the run altogether, and each costs a fresh interpreter. Here a run
counts every change makecase makes to the disk (rename, replace, unlink, rmdir, mkdir, fsync,
chmod, link) and ends with `os._exit` just before the n-th one: no `finally`, no clean-up, no
flush, as under SIGKILL, at a place the test chose and can name.

The runs are forked from a small server process (this file run as a script) that has imported
makecase but never typeset: typst's compiler starts threads, and a process that has them
cannot be forked safely, so the test process itself cannot be the one that forks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: The calls that change what is on disk.
CHANGES = ("replace", "rename", "unlink", "rmdir", "mkdir", "fsync", "chmod", "link")
DIED = -1


class Crasher:
    """A server that forks a makecase run per request (see the module docstring)."""

    def __init__(self) -> None:
        self.server = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       text=True, cwd=Path(__file__).parent)

    def run(self, project: Path, args: list[str], at: int | None) -> int:
        """Run makecase with `args` in `project`, dying just before change number `at` (1-based;
        None: never). Return how many changes it made when it ran to its end, or DIED."""
        self.server.stdin.write(json.dumps({"cwd": str(project), "args": args, "at": at}) + "\n")
        self.server.stdin.flush()
        answer = json.loads(self.server.stdout.readline())
        assert answer["exit"] in (0, 137), f"makecase {' '.join(args)}: {answer}"
        return DIED if answer["exit"] == 137 else answer["changes"]

    def points(self, project: Path, args: list[str], count: int) -> list[int]:
        """Run `args` once to its end; return `count` of its changes spread evenly over it, first and
        last included."""
        total = self.run(project, args, None)
        assert total > 1, f"makecase {' '.join(args)} changed nothing on disk"
        step = (total - 1) / (count - 1)
        return sorted({1 + round(i * step) for i in range(count)})

    def close(self) -> None:
        self.server.stdin.close()
        self.server.wait(timeout=10)


def _serve() -> None:
    from click.testing import CliRunner

    import importlib

    from generator.cli import main_group

    for module in ("generator.render.docx", "generator.render.pdf", "generator.verify.pdf", "pikepdf.pdfa"):
        importlib.import_module(module)  # once, here, not in every forked run

    for line in sys.stdin:
        request = json.loads(line)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(reader)
            os.chdir(request["cwd"])
            made = _count_changes(request["at"])
            result = CliRunner().invoke(main_group, request["args"], prog_name="makecase")
            report = {"exit": result.exit_code, "changes": made(), "output": result.output[-2000:]}
            os.write(writer, json.dumps(report).encode())
            os._exit(0)
        os.close(writer)
        with os.fdopen(reader, "rb") as stream:
            report = stream.read()
        _, status = os.waitpid(pid, 0)
        answer = json.loads(report) if report else {"exit": os.waitstatus_to_exitcode(status)}
        print(json.dumps(answer), flush=True)


def _count_changes(at: int | None):
    """Wrap the os calls that change the disk so that this process dies before change `at`;
    return a function giving the count so far."""
    me, made = os.getpid(), 0

    def counted(function):
        def change(*args, **kwargs):
            nonlocal made
            if os.getpid() == me:  # not in the helpers makecase forks itself
                made += 1
                if made == at:
                    os._exit(137)
            return function(*args, **kwargs)
        return change

    for name in CHANGES:
        setattr(os, name, counted(getattr(os, name)))
    return lambda: made


if __name__ == "__main__":
    _serve()
