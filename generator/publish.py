"""Rendered bytes → files under output/ (the publish stage).

Every file is written to a temporary file in the same folder and renamed into place, so a
crash never leaves a half-written file where a finished one is expected. All documents of
a run are rendered before the first is written: a failure writes nothing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` via a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all(folder: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    """Write each (file name, bytes) into `folder`; return the paths written, in order."""
    paths = []
    inside = folder.resolve()
    for name, data in files:
        path = folder / name
        if Path(name).is_absolute() or ".." in Path(name).parts or inside not in (inside / name).parents:
            raise ValueError(f"{name!r} would be written outside {folder}")  # a bug: names come from the code
        write_atomic(path, data)
        paths.append(path)
    return paths
