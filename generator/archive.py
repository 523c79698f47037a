"""Final PDFs → output/arkiv/<mappe>/: immutable copies, manifest.json and arkivmelding.xml.

An archived document never changes under the archive's feet: archiving different bytes
under a name already there is refused (a changed document needs a new document number);
the same bytes again change nothing. Like publish, every file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from generator.errors import MakecaseError
from generator.publish import write_atomic

MANIFEST = "manifest.json"


class ArchiveError(MakecaseError):
    """An archived document would change (exit 1: the archive's rule, not bad input)."""

    exit_code = 1


@dataclass(frozen=True)
class Result:
    written: list[Path]
    unchanged: list[Path]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive(folder: Path, documents: list[tuple[str, bytes]], messages: list[tuple[str, bytes]], shown) -> Result:
    """Copy documents into `folder` (refusing to change any already there), then write the
    manifest of every document in it and the arkivmelding messages."""
    conflicts = [
        name for name, data in documents
        if (folder / name).is_file() and sha256((folder / name).read_bytes()) != sha256(data)
    ]
    if conflicts:
        files = ", ".join(shown(folder / name) for name in conflicts)
        raise ArchiveError(
            f"Arkivert dokument kan ikke endres: {files} finnes i arkivet med et annet innhold. "
            "Et endret dokument trenger et nytt dokumentnummer (f.eks. 2020/18145-2)."
        )
    written, unchanged = [], []
    for name, data in [*documents, *messages, (MANIFEST, b"")]:
        if name == MANIFEST:
            data = _manifest(folder, documents)
        path = folder / name
        if path.is_file() and path.read_bytes() == data:
            unchanged.append(path)
        else:
            write_atomic(path, data)
            written.append(path)
    return Result(written, unchanged)


def _manifest(folder: Path, documents: list[tuple[str, bytes]]) -> bytes:
    """Return the manifest: SHA-256 and size of every document in the archive folder."""
    files = {name: data for name, data in documents}
    if folder.is_dir():
        for path in folder.glob("*.pdf"):
            files.setdefault(path.name, path.read_bytes())
    entries = [{"fil": name, "sha256": sha256(data), "bytes": len(data)} for name, data in sorted(files.items())]
    return (json.dumps({"filer": entries}, ensure_ascii=False, indent=2) + "\n").encode()
