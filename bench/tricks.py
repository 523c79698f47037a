"""What each speed trick of generator.speed saves in `makecase 24/20` on this machine (not a test).

    python bench/tricks.py [--runs 15]

Runs `makecase 24/20` in the sample project with every trick on, with each trick off alone
(MAKECASE_PLAIN=<trick>) and with all off (MAKECASE_PLAIN=1), in rounds that take each
setting once in turn, so that the machine's drift falls on all alike; prints the median wall
time of each setting and what the trick saves (its setting's median minus all-on's).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.speed import TRICKS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    settings = {"alle på": "", **{f"uten {name}": name for name in TRICKS}, "alle av": "1"}
    times: dict[str, list[float]] = {name: [] for name in settings}
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for folder in ("cases", "templates"):
            shutil.copytree(REPO / folder, project / folder)
        command = [sys.executable, "-m", "generator", "24/20"]
        subprocess.run(command, cwd=project, check=True, capture_output=True)  # verdicts and bytecode in place
        for _ in range(args.runs):
            for name, plain in settings.items():
                env = {**os.environ, "MAKECASE_PLAIN": plain}
                start = time.perf_counter()
                subprocess.run(command, cwd=project, check=True, capture_output=True, env=env)
                times[name].append(time.perf_counter() - start)
    base = statistics.median(times["alle på"])
    print(f"{'innstilling':<14} {'median':>8} {'sparer':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<14} {median:7.3f}s {median - base:+7.3f}s")


if __name__ == "__main__":
    main()
