"""Rendered bytes → files under output/ (the publish stage).

A job's files are published together: all are written into a staging folder inside output/
(the same file system), a marker says they are complete, and only then are they renamed into
place, one rename each. A run killed while writing leaves only its staging folder, which the
next run removes; a run killed while renaming leaves a marked staging folder, which the next
run finishes. So after any crash and the next run, a case's files are all of one version,
never some old and some new, and nothing half-written is left. All documents of a run are
rendered before the first is written: a failure to render writes nothing.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

from generator import gate
from generator.errors import MakecaseError, ProjectError
from generator.rendercache import RenderCache

class BrokenOutput(MakecaseError):
    """A file makecase made is not what its name says (a bug, or a template broken past what
    its checks catch): nothing is published (exit 3)."""

    exit_code = 3


#: A run's staging folder in output/: .makecase-<pid>.staging
STAGING = ".staging"
#: Written into a staging folder when every file in it is complete.
READY = ".klar"


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` via a temporary file and an atomic rename; a file system that says no
    (full, read-only, a file where a folder goes) is a Norwegian message naming the path (exit 2)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as err:
        raise ProjectError(cannot_write(path, err)) from err
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
            raise ProjectError(cannot_write(path, err)) from err
        raise


def cannot_write(path: Path, err: OSError) -> str:
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


def _inside(folder: Path, name: str) -> bool:
    inside = folder.resolve()
    return not Path(name).is_absolute() and ".." not in Path(name).parts and inside in (inside / name).parents


def write_all(folder: Path, files: list[tuple[str, bytes]]) -> list[Path]:
    """Publish each (file name, bytes) into `folder` together (see the module); return the paths
    written, in order. A file system that says no is exit 2 naming the path, with nothing of
    this run in place."""
    for name, _ in files:
        if not _inside(folder, name):
            raise ValueError(f"{name!r} would be written outside {folder}")  # a bug: names come from the code
    verdicts = RenderCache(folder)
    broken = [f"{name}: {problem}" for name, data in files for problem in gate.problems(name, data, verdicts)]
    if broken:
        raise BrokenOutput("makecase laget filer som ikke er i orden, og ingen av dem ble skrevet: "
                           + "; ".join(broken) + ". Meld feilen (med malene hvis de er endret).")
    recover(folder)
    staging = folder / f".makecase-{os.getpid()}{STAGING}"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        for name, data in files:
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_durable(path, data)
        (staging / READY).touch()
        sync_folder(staging)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        target = folder / (files[0][0] if files else "")
        raise ProjectError(cannot_write(target, err)) from err
    try:
        _finish(staging, folder)
    except OSError as err:
        raise ProjectError(cannot_write(folder, err)) from err
    return [folder / name for name, _ in files]


def _finish(staging: Path, folder: Path) -> None:
    """Rename every file of a complete staging folder into place, then remove the staging folder."""
    for path in sorted(p for p in staging.rglob("*") if p.is_file() and p.name != READY):
        target = folder / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
    sync_folder(folder)
    (staging / READY).unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def write_durable(path: Path, data: bytes) -> None:
    """Write a new file and make its bytes durable (readable by all, as documents are)."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def sync_folder(folder: Path) -> None:
    """Make a folder's entries (a rename, a new file) durable."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier run's leftover with our number: that run is gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid(name: str) -> int | None:
    """The process that made a staging folder (.makecase-<pid>.staging) or a temporary file
    (.<name>.<pid>.<random>.tmp), if the name says."""
    parts = name.split(".")
    for part in (parts[1].removeprefix("makecase-") if name.endswith(STAGING) and len(parts) > 1 else "",
                 parts[-3] if name.endswith(".tmp") and len(parts) >= 4 else ""):
        if part.isdigit():
            return int(part)
    return None


def recover(folder: Path) -> None:
    """Finish what a killed run had made complete, and remove what it had not: staging folders
    and temporary files of runs no longer alive (a run still working keeps its own)."""
    if not folder.is_dir():
        return
    for path in list(folder.iterdir()):
        pid = _pid(path.name)
        if pid is None or _alive(pid) or not path.name.startswith("."):
            continue
        if path.is_dir() and path.name.endswith(STAGING):
            if (path / READY).exists():
                _finish(path, folder)
            else:
                shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.name.endswith(".tmp"):
            path.unlink(missing_ok=True)
