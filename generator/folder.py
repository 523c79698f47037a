"""A working folder → the makecase project it is in, and where things are there (cases/, templates/, output/)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ProjectError

CASES = "cases"
TEMPLATES = "templates"
OUTPUT = "output"
ORGANISASJON = "organisasjon.yaml"
TILSKUDDSORDNINGER = "tilskuddsordninger.yaml"
MOTER = "moter"
VEDLEGG = "vedlegg"
LOVKRAV = "lovkrav"


@dataclass(frozen=True)
class ProjectFolder:
    """The project folder and the paths makecase reads and writes in it."""

    root: Path

    @property
    def cases(self) -> Path:
        return self.root / CASES

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES

    @property
    def output(self) -> Path:
        return self.root / OUTPUT

    @property
    def organisasjon_file(self) -> Path:
        return self.cases / ORGANISASJON

    @property
    def ordninger_file(self) -> Path:
        return self.cases / TILSKUDDSORDNINGER

    def law_files(self) -> list[Path]:
        folder = self.cases / LOVKRAV
        return sorted(p for p in folder.rglob("*") if _is_yaml(p)) if folder.is_dir() else []

    def attachment_files(self) -> list[Path]:
        """Return the vedlegg files (cases/vedlegg/), sorted by name."""
        folder = self.cases / VEDLEGG
        return sorted(p for p in folder.rglob("*") if _is_yaml(p)) if folder.is_dir() else []

    def attachment_pdfs(self) -> list[Path]:
        """Return the PDF files under cases/vedlegg/, sorted by name."""
        folder = self.cases / VEDLEGG
        return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file()) if folder.is_dir() else []

    def meeting_files(self) -> list[Path]:
        """Return the meeting files (not their møtebøker), sorted by name."""
        folder = self.cases / MOTER
        return sorted(p for p in folder.rglob("*") if _is_yaml(p) and not is_motebok(p)) if folder.is_dir() else []

    @staticmethod
    def motebok_file(meeting: Path) -> Path:
        """Return where a meeting's møtebok is: beside its file, cases/moter/x.yaml → x.motebok.yaml."""
        return meeting.with_name(meeting.stem + MOTEBOK)

    def case_files(self) -> list[Path]:
        """Return every case file: the YAML under cases/ that is not organisation, schemes,
        meeting (cases/moter/), attachment (cases/vedlegg/) or law (cases/lovkrav/)."""
        special = {self.organisasjon_file, self.ordninger_file}
        folders = (self.cases / MOTER, self.cases / VEDLEGG, self.cases / LOVKRAV)
        return sorted(
            p
            for p in self.cases.rglob("*")
            if _is_yaml(p) and p not in special and not any(f in p.parents for f in folders)
        )

    def attachment(self, reference: str) -> Path | None:
        """Return the file a vedlegg refers to (relative to cases/), or None if it would
        leave cases/ (../, absolute paths, symlinks pointing outside)."""
        if Path(reference).is_absolute():
            return None
        path = (self.cases / reference).resolve()
        cases = self.cases.resolve()
        return path if cases in path.parents else None

    def refuse_links_out(self) -> None:
        """Refuse an output/ that is, or holds, a symbolic link: makecase writes, renames and
        removes files there and in every folder in it (the utvalg folders, the archive, the
        cache), and must never do so in someone else's folder. A walk of output/ that follows
        no link costs a millisecond per thousand files."""
        root = self.root.resolve()
        if self.output.is_symlink() or (self.output.exists() and root not in self.output.resolve().parents):
            self._refuse_link(self.output)
        if not self.output.is_dir():
            return
        folders = [self.output]
        while folders:
            try:
                entries = list(os.scandir(folders.pop()))
            except FileNotFoundError:  # another run's staging folder, swapped in and gone meanwhile
                continue
            for entry in entries:
                if entry.is_symlink():
                    self._refuse_link(Path(entry.path))
                if entry.is_dir(follow_symlinks=False) and not entry.name.endswith(".staging"):
                    folders.append(Path(entry.path))  # a staging folder is looked at before it is finished

    def _refuse_link(self, path: Path) -> None:
        raise ProjectError(f"{self.shown(path)} er en lenke ({path.resolve()}); makecase skriver bare i "
                           "prosjektets egen output-mappe, og følger ingen lenker der. Fjern lenken.")

    def inside(self, path: Path) -> bool:
        """Whether a file really lies in the project (a symbolic link to elsewhere does not)."""
        return self.root.resolve() in path.resolve().parents

    def shown(self, path: Path) -> str:
        """Return a path as messages show it: relative to the project folder."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


#: The end of a møtebok's file name, beside its meeting's file.
MOTEBOK = ".motebok.yaml"


def is_motebok(path: Path) -> bool:
    return path.name.endswith((MOTEBOK, ".motebok.yml"))


def _is_yaml(path: Path) -> bool:
    return path.suffix in (".yaml", ".yml") and path.is_file() and not path.name.startswith(".")


def find_project(start: Path, override: Path | None = None) -> ProjectFolder:
    """Return the project folder: `override` if given, else the nearest folder upwards from
    `start` that holds both cases/ and templates/ (the way git finds its repository)."""
    if override is not None:
        root = override.resolve()
        if not (root / CASES).is_dir():
            raise ProjectError(f"{override} er ikke en makecase-mappe: fant ingen {CASES}/-mappe der.")
        return ProjectFolder(root)
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CASES).is_dir() and (folder / TEMPLATES).is_dir():
            return ProjectFolder(folder)
    raise ProjectError(
        f"Fant ingen makecase-mappe (en mappe med {CASES}/ og {TEMPLATES}/) i {start} eller mappene over. "
        "Gå til prosjektmappen, eller bruk --mappe MAPPE."
    )
