"""What earlier runs checked → verdicts kept in output/.makecase-cache/.

Which PDFs (by their exact bytes) passed the whole judgement of `makecase verifiser`, so that a
run need not judge again what an earlier run judged. A verdict is a function of the bytes and of
the checking code, and both are in its key. Deleting the folder costs the next run the checks,
nothing else. (The per-edition file lists of generator.publish.files live in the same folder.)
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from importlib import resources
from pathlib import Path

from generator import __version__

FOLDER = ".makecase-cache"


@lru_cache(maxsize=1)
def _pdf_salt() -> bytes:
    """What besides a PDF's bytes decides whether it passes: the checks and the validator."""
    package = resources.files("generator")
    digest = hashlib.sha256(__version__.encode())
    for name in (("verify", "pdf.py"), ("verify", "pdfa.py"), ("publish", "gate.py"), ("publish", "ghostscript.py"),
                 ("load", "pdfvedlegg.py")):
        digest.update(package.joinpath(*name).read_bytes())
    # pikepdf's version, read from its own file: importlib.metadata costs more than the check saves
    pikepdf = importlib.util.find_spec("pikepdf")
    for folder in (pikepdf.submodule_search_locations or []) if pikepdf else []:
        version = Path(folder) / "_version.py"
        digest.update(version.read_bytes() if version.is_file() else b"?")
    return digest.digest()


#: The PDF vedlegg (by the name of their verdict) this process has found to be PDF/A as they are: a
#: batch, or a test run, that meets the same file in many meetings judges it once.
_FOREIGN_PASSED: set[str] = set()


class Verdicts:
    """The verdicts remembered in one output folder."""

    def __init__(self, output: Path):
        self.folder = output / FOLDER

    def _pdf_entry(self, data: bytes) -> Path:
        return self.folder / f"pdf-{hashlib.sha256(_pdf_salt() + data).hexdigest()[:40]}.ok"

    def pdf_checked(self, data: bytes) -> bool:
        """Whether a PDF with exactly these bytes passed every check of `makecase verifiser` before."""
        return self._pdf_entry(data).is_file()

    def _vedlegg_entry(self, data: bytes) -> Path:
        return self.folder / f"vedlegg-{hashlib.sha256(_pdf_salt() + data).hexdigest()[:40]}.ok"

    def vedlegg_accepted(self, data: bytes) -> bool:
        """Whether these bytes are a PDF vedlegg as a case brought it (checked when the case was
        read, published as it is: not a makecase PDF, so not judged as one)."""
        return self._vedlegg_entry(data).is_file()

    def accept_vedlegg(self, data: bytes) -> None:
        """Note that these bytes are a PDF vedlegg a case brought (see `vedlegg_accepted`)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._vedlegg_entry(data).touch()
        except OSError:
            pass

    def _foreign_entry(self, data: bytes, level: str, judged: str) -> Path:
        return self.folder / f"{judged}-{level}-{hashlib.sha256(_pdf_salt() + data).hexdigest()[:40]}.ok"

    def foreign_checked(self, data: bytes, level: str, judged: str = "pdfa") -> bool:
        """Whether a PDF vedlegg with exactly these bytes passed a judgement before, in this process
        or in this output folder: `pdfa`, PDF/A at `level` with all it claims (so the archive and the
        package may take it as it is: generator.publish.ghostscript), or `trykt`, its printed copy
        for the package at the B rules of `level`. Each judgement has entries of its own."""
        entry = self._foreign_entry(data, level, judged)
        return entry.name in _FOREIGN_PASSED or entry.is_file()

    def foreign_passed(self, data: bytes, level: str, judged: str = "pdfa") -> None:
        """Note that a PDF vedlegg passed a judgement (best effort, as `pdf_passed`)."""
        entry = self._foreign_entry(data, level, judged)
        _FOREIGN_PASSED.add(entry.name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            entry.touch()
        except OSError:
            pass

    def pdf_passed(self, data: bytes) -> None:
        """Note that a PDF with these bytes passed every check (best effort: a verdict not kept costs
        the next run the check)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._pdf_entry(data).touch()
        except OSError:
            pass
