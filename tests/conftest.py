"""Shared fixtures: a throw-away copy of the project folder and a CLI runner inside it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main_group

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a fresh project folder holding copies of the sample cases and templates."""
    root = tmp_path / "prosjekt"
    root.mkdir()
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.fixture(scope="session")
def built_output(tmp_path_factory) -> Path:
    """Return output/ as `makecase bygg --alle` leaves it for the sample project, built once per test process."""
    root = tmp_path_factory.mktemp("bygget") / "prosjekt"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "templates", root / "templates")
    result = CliRunner().invoke(main_group, ["--mappe", str(root), "bygg", "--alle", "-j", "1"], prog_name="makecase")
    assert result.exit_code == 0, result.output
    return root / "output"


@pytest.fixture
def built(project: Path, built_output: Path) -> Path:
    """Return a fresh project that `makecase bygg --alle` has built (its output/ a copy of one build
    of the sample: the same files, state and verdicts a build here would leave)."""
    shutil.copytree(built_output, project / "output", symlinks=True)
    return project


@pytest.fixture
def run(project: Path, monkeypatch: pytest.MonkeyPatch):
    """Return a function that runs makecase with arguments inside the project folder."""
    monkeypatch.chdir(project)

    def invoke(*args: str):
        return CliRunner().invoke(main_group, list(args), prog_name="makecase")

    return invoke


def output_files(root: Path) -> list[str]:
    """Return the names of every file under output/ but the render cache (empty if there is no output/)."""
    folder = root / "output"
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and ".makecase-cache" not in p.parts)


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    """Change a text file in place: replace `old` (which must be there) with `new`."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


SEED_22_20 = ("sak: 22/20\ntittel: Referatsaker\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n"
              "    møtedato: 18.08.2020\n    utvalgssak: 22/20\n")


def without_referater(project: Path) -> None:
    """Make 22/20 what the seed has: Referatsaker with no text and no vedlegg (the sample gives
    it a PDF vedlegg), a case that is only its title on the saksliste."""
    (project / "cases" / "2020" / "22-20.yaml").write_text(SEED_22_20, encoding="utf-8")
