"""What each speed trick of generator.speed saves on this machine (not a test).

    python bench/tricks.py [--runs 15]

Runs `makecase 24/20` in the sample project with every trick on, with each trick off alone
(MAKECASE_PLAIN=<trick>), with gc and exit off together (they save most together), and with all
off (MAKECASE_PLAIN=1), in rounds that take each
setting once in turn, so that the machine's drift falls on all alike; prints the median wall
time of each setting and what the trick saves (its setting's median minus all-on's). Two tricks
work only where a PDF is new, so each is also measured on first runs (no remembered verdicts), on
and off in turn: «judge» on `makecase 24/20` with output/ emptied, «parallel» (large PDFs only) on
a meeting of 60 synthetic cases.
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
    settings = {"alle på": "", **{f"uten {name}": name for name in TRICKS}, "uten gc og exit": "gc,exit", "alle av": "1"}
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
    first = _first_runs_with_and_without("judge", max(5, args.runs), _sample_project, ["24/20"], "output")
    print(f"24/20 første gang: {first['på']:.3f}s, uten judge {first['av']:.3f}s (sparer {first['av'] - first['på']:+.3f}s)")
    meeting = _first_runs_with_and_without("parallel", max(3, args.runs // 3), _meeting_project, ["møte", "2021-01-01"],
                                           "output/.makecase-cache")
    print(f"møte med 60 saker, første gang: {meeting['på']:.2f}s, uten parallel {meeting['av']:.2f}s "
          f"(sparer {meeting['av'] - meeting['på']:+.2f}s)")


def _sample_project(target: Path) -> Path:
    for folder in ("cases", "templates"):
        shutil.copytree(REPO / folder, target / folder)
    return target


def _meeting_project(target: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    from run import synthetic_project  # noqa: E402 - the bench's own projects

    return synthetic_project(target, 60, per_meeting=60)


def _first_runs_with_and_without(trick: str, runs: int, make_project, args: list[str], forget: str) -> dict[str, float]:
    """Return the median first run of makecase `args` with a trick on and off, in turn; before each
    run the folder `forget` (the output, or only its remembered verdicts) is removed."""
    times: dict[str, list[float]] = {"på": [], "av": []}
    with tempfile.TemporaryDirectory() as tmp:
        project = make_project(Path(tmp) / "prosjekt")
        command = [sys.executable, "-m", "generator", *args]
        subprocess.run(command, cwd=project, check=True, capture_output=True)
        for _ in range(runs):
            for name, plain in (("på", ""), ("av", trick)):
                shutil.rmtree(project / forget, ignore_errors=True)
                start = time.perf_counter()
                subprocess.run(command, cwd=project, check=True, capture_output=True, env={**os.environ, "MAKECASE_PLAIN": plain})
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}

if __name__ == "__main__":
    main()
