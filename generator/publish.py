"""Rendered bytes → files under output/ (the publish stage).

Every file is written to a temporary file in the same folder and renamed into place, so a
crash never leaves a half-written file where a finished one is expected. All documents of
a run are rendered before the first is written: a failure writes nothing.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from generator.errors import ProjectError


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` via a temporary file and an atomic rename; a file system that says no
    (full, read-only, a file where a folder goes) is a Norwegian message naming the path (exit 2)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ProjectError(_cannot_write(path, err)) from err
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException as err:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ProjectError(_cannot_write(path, err)) from err
        raise


def _cannot_write(path: Path, err: OSError) -> str:
    """Say why a file could not be written, in the caseworker's words."""
    shown = os.path.relpath(path)
    if err.errno == errno.ENOSPC:
        why = "disken er full"
    elif err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "makecase har ikke skrivetilgang der"
    elif err.errno in (errno.ENOTDIR, errno.EEXIST):
        why = "en fil ligger der en mappe skal være (flytt den, eller slett den)"
    elif err.errno == errno.EISDIR:
        why = "det ligger en mappe med samme navn der"
    else:
        why = err.strerror or str(err)
    return f"Kan ikke skrive {shown}: {why}."


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
