"""The PDFs already made, found again by the document tree they were rendered from.

A meeting package holds every case's documents, and a batch has just rendered most of
them as the cases' own PDFs. Rendering is a pure function of the tree (and of makecase's
renderer and fonts), so a PDF written for a tree can stand in for rendering that tree
again. Each published PDF gets a hard link in output/.makecase-cache/ named by the tree's
digest and the file's own SHA-256: no extra space while the output is current, the old
content still found under the old tree after the output is replaced, and a file changed
in place is noticed and not used. A run that replaces a PDF removes the entry of the old one
(`entries_of`, `forget`); `prune` removes every entry no output links to any more.

It also remembers which Word templates (by their bytes) passed the template check, so that
a single run need not check an unchanged template again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from importlib import resources
from pathlib import Path

from generator import __version__

FOLDER = ".makecase-cache"
_RENDERER = ("render_pdf.py", "pdfa.py", "tree.py")


@lru_cache(maxsize=1)
def _salt() -> bytes:
    """What besides the tree decides a PDF's bytes: makecase's version, renderer code and fonts."""
    package = resources.files("generator")
    digest = hashlib.sha256(__version__.encode())
    for name in _RENDERER:
        digest.update(package.joinpath(name).read_bytes())
    for font in sorted(package.joinpath("fonts").iterdir(), key=lambda item: item.name):
        with resources.as_file(font) as path:
            stat = path.stat()
        digest.update(f"{font.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.digest()


@lru_cache(maxsize=1)
def _template_salt() -> bytes:
    """What besides a Word template's bytes decides whether it passes: the checking code."""
    package = resources.files("generator")
    digest = hashlib.sha256(__version__.encode())
    for name in ("render_docx.py", "wordstyles.py"):
        digest.update(package.joinpath(name).read_bytes())
    return digest.digest()


def _same_file(entry: Path, stat: os.stat_result) -> bool:
    try:
        other = entry.stat()
    except OSError:
        return False
    return (other.st_ino, other.st_dev) == (stat.st_ino, stat.st_dev)


def key(document) -> str:
    """Return the digest that names a document tree's PDF."""
    return hashlib.sha256(_salt() + pickle.dumps(document, protocol=4)).hexdigest()[:40]


class RenderCache:
    """The cache of one output folder."""

    def __init__(self, output: Path):
        self.folder = output / FOLDER
        self._names: list[str] | None = None

    def get(self, document) -> bytes | None:
        """Return the PDF rendered from this tree before, or None."""
        if self._names is None:  # listed once: what other processes add later is rendered again
            try:
                self._names = os.listdir(self.folder)
            except OSError:
                self._names = []
        wanted = key(document)
        for name in (n for n in self._names if n.startswith(wanted)):
            try:
                data = (self.folder / name).read_bytes()
            except OSError:
                continue
            if name == f"{wanted}-{hashlib.sha256(data).hexdigest()}.pdf":
                return data
        return None

    def remember(self, document, path: Path, data: bytes) -> None:
        """Link a just-published PDF under its tree; where links cannot be made, do without.

        An entry of the same name (the same tree rendered to the same bytes before) is replaced
        by a link to the new file, so that it lives on with the file that replaced the old one.
        """
        entry = self.folder / f"{key(document)}-{hashlib.sha256(data).hexdigest()}.pdf"
        try:
            if _same_file(entry, path.stat()):
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{entry.name}.{os.getpid()}.tmp"
            os.link(path, temporary)
            os.replace(temporary, entry)
        except OSError:
            return

    def entries_of(self, path: Path) -> list[Path]:
        """Return the entries that are links to the file at `path` now."""
        try:
            stat = path.stat()
            suffix = f"-{hashlib.sha256(path.read_bytes()).hexdigest()}.pdf"
            names = [n for n in os.listdir(self.folder) if n.endswith(suffix)]
        except OSError:
            return []
        return [self.folder / n for n in names if _same_file(self.folder / n, stat)]

    def forget(self, entries: list[Path]) -> None:
        """Remove those of `entries` that no output file links to any more (their output was replaced)."""
        for entry in entries:
            try:
                if entry.stat().st_nlink == 1:
                    entry.unlink()
            except OSError:
                continue

    def _template_entry(self, data: bytes) -> Path:
        return self.folder / f"mal-{hashlib.sha256(_template_salt() + data).hexdigest()[:40]}.ok"

    def template_checked(self, data: bytes) -> bool:
        """Whether a Word template with exactly these bytes passed the check before."""
        return self._template_entry(data).is_file()

    def template_passed(self, data: bytes) -> None:
        """Note that a Word template with these bytes passed the check."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._template_entry(data).touch()
        except OSError:
            pass

    def prune(self) -> int:
        """Remove the entries no output file shares any more; return how many."""
        removed = 0
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return 0
        for entry in entries:
            try:
                if not entry.name.startswith("mal-") and entry.stat().st_nlink == 1:
                    entry.unlink()
                    removed += 1
            except OSError:
                continue
        return removed
