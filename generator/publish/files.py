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
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from generator.publish import gate
from generator.errors import MakecaseError, ProjectError
from generator.cache import FOLDER as CACHE_FOLDER, Verdicts

class BrokenOutput(MakecaseError):
    """A file makecase made is not what its name says (a bug, or a template broken past what
    its checks catch): nothing is published (exit 3)."""

    exit_code = 3


#: A run's staging folder in output/: .makecase-<pid>.staging
STAGING = ".staging"
#: Written into a staging folder when every file in it is complete.
READY = ".klar"
#: Written into a staging folder: the files of the set's earlier version to remove in the swap.
REMOVE = ".fjern"


def digest_of(path: Path) -> str | None:
    """Return the SHA-256 of a regular file (a named pipe, a folder or a link is no document: None)."""
    try:
        if not path.is_file() or path.is_symlink():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def removable(folder: Path, name: str) -> bool:
    """Whether makecase may ever remove `name` from output/ as a document of its own: a DOCX or PDF,
    in no hidden folder and not in the archive (archived files are never removed), inside output/
    with no link on the way."""
    path = Path(name)
    if path.is_absolute() or not path.parts or path.suffix not in (".docx", ".pdf"):
        return False
    if path.parts[0] == "arkiv" or any(part.startswith(".") or part == ".." for part in path.parts):
        return False
    return _reachable(folder, folder / name)


def _reachable(folder: Path, target: Path) -> bool:
    """Whether `target`'s folder is inside `folder` with no symbolic link on the way (checked again
    right before a file is renamed or removed: a link made while makecase runs is not followed)."""
    return os.path.realpath(target.parent) == os.path.abspath(target.parent) and \
        os.path.commonpath([os.path.realpath(folder), os.path.realpath(target.parent)]) == os.path.realpath(folder)


class Sets:
    """What each edition (a case's documents, a meeting's files) last published, by name and
    SHA-256, in output/.makecase-cache/: the files to remove when a newer version has fewer.
    A file changed since makecase wrote it is not makecase's to remove; without a record
    (the cache deleted) nothing is removed."""

    def __init__(self, cache: Path):
        self.cache = cache

    def _entry(self, edition: str) -> Path:
        return self.cache / f"sett-{hashlib.sha256(edition.encode()).hexdigest()[:32]}.json"

    def stale(self, folder: Path, edition: str, names: list[str]) -> list[str]:
        """Return the files the edition's last version wrote that this one does not, unchanged since."""
        try:
            recorded = json.loads(self._entry(edition).read_text(encoding="utf-8"))["filer"]
        except (OSError, ValueError, KeyError, TypeError):
            return []
        if not isinstance(recorded, dict):
            return []
        return [name for name, digest in sorted(recorded.items())
                if name not in names and isinstance(digest, str) and removable(folder, name)
                and digest_of(folder / name) == digest]

    def record(self, edition: str, files: list[tuple[str, bytes]]) -> None:
        """Note what the edition now is (best effort: a cache that cannot be written costs a cleanup)."""
        data = {"utgave": edition, "filer": {name: hashlib.sha256(data).hexdigest() for name, data in files}}
        try:
            write_atomic(self._entry(edition), json.dumps(data, ensure_ascii=False, indent=1).encode())
        except ProjectError:
            pass


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


def write_all(folder: Path, files: list[tuple[str, bytes]], edition: str | dict[str, list[str]] | None = None,
              vedlegg: frozenset[str] = frozenset(), preview: bool = False) -> list[Path]:
    """Publish each (file name, bytes) into `folder` together (see the module); return the paths
    written, in order. A file system that says no is exit 2 naming the path, with nothing of
    this run in place.

    `edition` names the set these files are (a case's documents, one meeting's summons and
    package): files the set's last publishing wrote that this one does not (a vedlegg removed
    or renumbered) are removed in the same swap, if they still hold what makecase wrote. A dict
    gives several editions at once, each with its files (a case for several kommunestyrer).
    `vedlegg` names the files that are PDF vedlegg as their case brought them: published as they
    are, not judged as makecase's own PDFs. `preview` (`makecase se`) leaves a file that already
    holds these bytes untouched (not rewritten, not returned: a PDF viewer watching it does not
    reload), and leaves pikepdf's PDF/A validator to gate.second_opinion after publishing.
    """
    for name, _ in files:
        if not _inside(folder, name):
            raise ValueError(f"{name!r} would be written outside {folder}")  # a bug: names come from the code
    verdicts = Verdicts(folder)
    for name, data in files:
        if name in vedlegg:
            verdicts.accept_vedlegg(data)
    broken = [f"{name}: {problem}" for name, data in files for problem in gate.problems(name, data, verdicts, preview)]
    if broken:
        raise BrokenOutput("makecase laget filer som ikke er i orden, og ingen av dem ble skrevet: "
                           + "; ".join(broken) + ". Meld feilen (med malene hvis de er endret).")
    recover(folder)
    sets = Sets(verdicts.folder)
    editions = {edition: [name for name, _ in files]} if isinstance(edition, str) else dict(edition or {})
    stale = [name for key, names in editions.items() for name in sets.stale(folder, key, names)]
    recorded = files
    if preview:
        files = [(name, data) for name, data in files if not _holds(folder / name, data)]
    if not files and not stale:
        for key, names in editions.items():
            sets.record(key, [(name, data) for name, data in recorded if name in names])
        return []
    staging = folder / f".makecase-{os.getpid()}{STAGING}"
    current = files[0][0] if files else ""
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for current, data in files:
            path = staging / current
            path.parent.mkdir(parents=True, exist_ok=True)
            write_durable(path, data)
        if stale:
            write_durable(staging / REMOVE, "\n".join(stale).encode())
        (staging / READY).touch()
        sync_folder(staging)
    except OSError as err:
        shutil.rmtree(staging, ignore_errors=True)
        raise ProjectError(cannot_write(folder / current, err)) from err
    try:
        _finish(staging, folder)
    except OSError as err:
        raise ProjectError(cannot_write(folder, err)) from err
    for key, names in editions.items():
        sets.record(key, [(name, data) for name, data in recorded if name in names])
    return [folder / name for name, _ in files]


def _holds(path: Path, data: bytes) -> bool:
    """Whether a file already holds exactly these bytes (a regular file, not a link)."""
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _finish(staging: Path, folder: Path) -> None:
    """Rename every file of a complete staging folder into place, remove the files it says are no
    longer part of its set, then remove the staging folder."""
    for path in sorted(p for p in staging.rglob("*") if p.is_file() and p.name not in (READY, REMOVE)):
        target = folder / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not _reachable(folder, target):
            raise ProjectError(f"{target.parent} er en lenke; makecase følger ingen lenker i output-mappen. Fjern lenken.")
        os.replace(path, target)
    if (staging / REMOVE).is_file():
        for name in (staging / REMOVE).read_text(encoding="utf-8").splitlines():
            if removable(folder, name):
                (folder / name).unlink(missing_ok=True)
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


def _as_made(folder: Path, staging: Path) -> bool:
    """Whether a complete staging folder holds only what a run of makecase puts there: documents
    by names it may write, each passing the last look (a folder planted or synced in is not)."""
    verdicts = Verdicts(folder)
    for path in staging.rglob("*"):
        if path.is_symlink() or (path.is_file() and path.name not in (READY, REMOVE) and (
                not removable(folder, path.relative_to(staging).as_posix())
                or gate.problems(path.name, path.read_bytes(), verdicts))):
            return False
    return True


def recover(folder: Path) -> None:
    """Finish what a killed run had made complete, and remove what it had not: staging folders
    and temporary files of runs no longer alive (a run still working keeps its own)."""
    if not folder.is_dir():
        return
    cache = folder / CACHE_FOLDER
    for path in [*folder.iterdir(), *(cache.iterdir() if cache.is_dir() and not cache.is_symlink() else [])]:
        pid = _pid(path.name)
        if pid is None or _alive(pid) or not path.name.startswith("."):
            continue
        try:
            if path.is_dir() and path.name.endswith(STAGING):
                if (path / READY).exists() and _as_made(folder, path):
                    _finish(path, folder)
                else:
                    shutil.rmtree(path, ignore_errors=True)
            elif path.is_file() and path.name.endswith(".tmp"):
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # another run recovered it first
            continue
