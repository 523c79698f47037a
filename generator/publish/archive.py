"""Final PDFs → output/arkiv/<mappe>/: immutable documents, arkivmelding and manifest.json.

An archive folder never changes under the archive's feet:

- Every file in it (PDFs, arkivmelding, the manifest) is immutable once archived: the same
  bytes again change nothing; different bytes under a name already there are refused (a
  changed document needs a new document number).
- The manifest is the truth: it names the folder's owner (a case, or a meeting) and every
  file with its SHA-256. A file missing, changed or not in it stops `--arkiv` and says what
  differs; `makecase verifiser --arkiv MAPPE` checks a folder the same way. So does an
  arkivmelding that is not valid, or that names a file, checksum or size the folder does not
  have, and a document no arkivmelding describes (the manifest is unsigned: a hand that
  changes a file and the manifest must change the arkivmelding too).
- One makecase archives at a time in a project (a lock held from check to write), and what
  it adds appears whole or not at all: a new folder is built beside the archive and renamed
  into place; files added to an existing folder are staged first and moved in with the
  manifest last. A run killed half way is finished, or undone, by the next one.
- Nothing is written when the archive refuses: the caller checks first (`Arkiv.prepare`),
  then writes output/ and the archive (`Arkiv.commit`).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterator

from generator.errors import MakecaseError, ProjectError
from generator.folder import ProjectFolder
from generator.publish.files import cannot_write, sync_folder, write_durable

MANIFEST = "manifest.json"
#: What a staging folder is called while a run builds it: .<target>.<pid>.staging
STAGING = ".staging"
#: Put into a staging folder when everything in it is written: from then on the run goes forward.
READY = ".klar"


#: What to do instead of changing what a meeting's folder holds (the summons, package, møtebok).
MEETING_RENEWAL = ("Et arkivert møte endres ikke; en rettelse arkiveres i saken den gjelder, som et nytt "
                   "dokument med eget dokumentnummer.")


class ArchiveError(MakecaseError):
    """An archived document would change, or the archive is not as its manifest says (exit 1:
    the archive's rule, not bad input)."""

    exit_code = 1


@dataclass(frozen=True)
class Result:
    written: list[Path]
    unchanged: list[Path]


@dataclass(frozen=True)
class Plan:
    """What archiving into one folder will write, checked against what is there."""

    folder: Path
    new: dict[str, bytes]
    manifest: bytes
    unchanged: list[Path] = field(default_factory=list)
    staging: Path | None = None  # where its new files wait (Arkiv.stage)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Contents:
    """An archive folder as its manifest describes it, after checking the files against it."""

    owner: str | None
    files: dict[str, str]  # name → sha256
    sizes: dict[str, int]
    differences: list[str]
    formats: dict[str, str] = field(default_factory=dict)  # a PDF vedlegg from elsewhere → its PDF/A level
    undescribed: list[str] = field(default_factory=list)  # those differences the arkivmeldinger show (_undescribed)


def read(folder: Path) -> Contents:
    """Return an archive folder's manifest and every way the folder differs from it."""
    entries_found = list(folder.iterdir()) if folder.is_dir() else []
    present = {p.name: p for p in entries_found if p.is_file() and not p.is_symlink() and p.name != MANIFEST}
    # everything else in an archive folder is foreign to it: a folder, a link, a device
    foreign = [f"{p.name} er {'en lenke' if p.is_symlink() else 'en mappe' if p.is_dir() else 'ikke en vanlig fil'} "
               "og hører ikke hjemme i arkivmappen" for p in sorted(entries_found) if p.name not in present and p.name != MANIFEST]
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return Contents(None, {}, {}, [f"{name} finnes, men det er ingen manifest.json" for name in sorted(present)] + foreign)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        entries = {e["fil"]: (e["sha256"], int(e["bytes"])) for e in data["filer"]}
        formats = {e["fil"]: str(e["format"]) for e in data["filer"] if "format" in e}
        owner = data.get("eier")
    except (OSError, ValueError, KeyError, TypeError) as err:
        return Contents(None, {}, {}, [f"manifest.json kan ikke leses ({err})"])
    differences = []
    for name, (digest, _) in sorted(entries.items()):
        if name not in present:
            differences.append(f"{name} står i manifestet, men mangler")
        elif sha256(present[name].read_bytes()) != digest:
            differences.append(f"{name} er endret etter at den ble arkivert")
    differences += [f"{name} står ikke i manifestet" for name in sorted(set(present) - set(entries))] + foreign
    undescribed = _undescribed(present)
    return Contents(owner, {n: d for n, (d, _) in entries.items()}, {n: s for n, (_, s) in entries.items()},
                    differences + undescribed, formats, undescribed)


def _undescribed(present: dict[str, Path]) -> list[str]:
    """Return every way the files differ from what the folder's arkivmeldinger say of them (the
    manifest is makecase's own and unsigned; the arkivmelding is what the archive receives): each
    message valid against KS' schema, each file it names there with its checksum and size, and
    every document named by one."""
    from lxml import etree

    from generator.publish.arkivmelding import described_files, schema_errors

    found, named = [], set()
    for name in sorted(n for n in present if n.startswith("arkivmelding") and n.endswith(".xml")):
        data = present[name].read_bytes()
        try:
            errors = schema_errors(data)
            described = described_files(data)
        except etree.XMLSyntaxError as err:
            found.append(f"{name} kan ikke leses som XML ({err})")
            continue
        found += [f"{name} er ikke gyldig etter KS' skjema ({error})" for error in errors[:1]]
        if described.antall != len(described.filer):
            found.append(f"{name} oppgir {described.antall} filer (antallFiler), men beskriver {len(described.filer)}")
        for filnavn, digest, algoritme, size in described.filer:
            named.add(filnavn)
            if algoritme != "SHA-256":
                found.append(f"{name} oppgir sjekksumalgoritmen «{algoritme}» for {filnavn}; arkivet bruker SHA-256")
            elif filnavn not in present:
                found.append(f"{name} viser til {filnavn}, som ikke er i arkivmappen")
            elif sha256(present[filnavn].read_bytes()) != digest.lower():
                found.append(f"{name} oppgir en annen sjekksum for {filnavn} enn filen har")
            elif present[filnavn].stat().st_size != size:
                found.append(f"{name} oppgir en annen størrelse for {filnavn} enn filen har")
    found += [f"{name} er ikke beskrevet i noen arkivmelding" for name in sorted(present)
              if not name.startswith("arkivmelding") and name not in named]
    return found


def _manifest(owner: str, files: dict[str, str], sizes: dict[str, int], formats: dict[str, str]) -> bytes:
    """Return the manifest: each file with its checksum and size, and the PDF/A level of a PDF
    vedlegg from elsewhere (makecase's own PDFs are PDF/A-2a and PDF/UA-1)."""
    entries = [{"fil": name, "sha256": files[name], "bytes": sizes[name],
                **({"format": formats[name]} if name in formats else {})} for name in sorted(files)]
    return (json.dumps({"eier": owner, "filer": entries}, ensure_ascii=False, indent=2) + "\n").encode()


class Arkiv:
    """The archive of one project, while this run holds its lock."""

    def __init__(self, shown: Callable[[Path], str]):
        self.shown = shown
        self.staged: list[Path] = []  # staging folders not yet committed, removed if the run fails

    def prepare(self, folder: Path, documents: list[tuple[str, bytes]], messages: list[tuple[str, bytes]],
                owner: str, formats: dict[str, str] | None = None, renewal: Callable[[], str] = lambda: MEETING_RENEWAL
                ) -> Plan:
        """Check what archiving these files into `folder` would do, and stage it; raise ArchiveError
        (and write nothing) if the folder differs from its manifest, belongs to another owner, or
        holds a different file under one of these names. `formats` gives the PDF/A level of each
        PDF vedlegg from elsewhere (generator.publish.ghostscript), validated at that level. `renewal`
        says what to do instead of changing an archived document (asked only then)."""
        formats = formats or {}
        _refuse_invalid(documents, messages, formats)
        where = self.shown(folder)
        for path in (folder, *folder.parents):
            if path.exists() and not path.is_dir():
                raise ProjectError(f"Kan ikke skrive {self.shown(path)}: en fil ligger der en mappe skal være "
                                   "(flytt den, eller slett den).")
        contents = read(folder)
        if contents.differences:
            raise ArchiveError(f"Arkivmappen {where} stemmer ikke med manifest.json: " + "; ".join(contents.differences)
                               + ". Et arkiv skal ikke endres; finn ut hva som har skjedd før du arkiverer mer.")
        if contents.owner not in (None, owner):
            raise ArchiveError(f"Arkivmappen {where} tilhører {contents.owner}, ikke {owner}.")
        files = dict([*documents, *messages])
        changed = [name for name, data in files.items() if name in contents.files and contents.files[name] != sha256(data)]
        if changed:
            shown = ", ".join(self.shown(folder / name) for name in changed)
            raise ArchiveError(
                f"Arkivert dokument kan ikke endres: {shown} finnes i arkivet med et annet innhold. {renewal()}"
            )
        new = {name: data for name, data in files.items() if name not in contents.files}
        digests = {**contents.files, **{name: sha256(data) for name, data in new.items()}}
        sizes = {**contents.sizes, **{name: len(data) for name, data in new.items()}}
        unchanged = [folder / name for name in files if name in contents.files]
        kinds = {**contents.formats, **{name: formats[name] for name in new if name in formats}}
        return self.stage(Plan(folder, new, _manifest(owner, digests, sizes, kinds), unchanged))

    def stage(self, plan: Plan) -> Plan:
        """Write what a plan adds into a staging folder beside its archive folder, read-only, so
        that all that can fail on a full or read-only disk fails before anything is in place
        (exit 2 naming the path, the staging folder removed)."""
        if not plan.new:
            return plan
        folder = plan.folder
        staging = folder.parent / f".{folder.name}.{os.getpid()}{STAGING}"
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            self.staged.append(staging)
            for name, data in [*plan.new.items(), (MANIFEST, plan.manifest)]:
                write_durable(staging / name, data)
                os.chmod(staging / name, 0o444)  # an archived file is not to be written again
            sync_folder(staging)
        except OSError as err:
            shutil.rmtree(staging, ignore_errors=True)
            raise ProjectError(cannot_write(staging.parent, err)) from err
        return replace(plan, staging=staging)

    def commit(self, plan: Plan) -> Result:
        """Move a staged plan into place: a new folder whole, or new files and then the manifest."""
        if not plan.new:
            return Result([], plan.unchanged)
        folder, staging = plan.folder, plan.staging
        try:
            if not folder.exists():
                os.rename(staging, folder)  # the whole folder appears at once
                sync_folder(folder.parent)
            else:
                write_durable(staging / READY, b"")
                sync_folder(staging)
                _finish(staging, folder)
        except OSError as err:
            raise ProjectError(cannot_write(folder, err)) from err
        self.staged.remove(staging)
        return Result([folder / name for name in plan.new] + [folder / MANIFEST], plan.unchanged)


def case_renewal(arkivsak, source: str, taken: set[int]) -> str:
    """Return what to do instead of changing a case's archived saksframlegg: archive it anew under
    the next dokumentnummer of its arkivsak not `taken` (by its «Dokumenter i saken», another case
    sharing the arkivsak, or a document already archived): 2020/10212-1 → 2020/10212-2."""
    following = max({arkivsak.dokumentnummer or 1, *taken}) + 1
    return (f"Et endret dokument trenger et nytt dokumentnummer: skriv «arkivsak: {arkivsak.sak}-{following}» i "
            f"{source} og arkiver på nytt.")


def _refuse_invalid(documents: list[tuple[str, bytes]], messages: list[tuple[str, bytes]], formats: dict[str, str]) -> None:
    """Refuse a PDF that is not PDF/A-2a and PDF/UA-1 as `makecase verifiser` judges it (a PDF
    vedlegg from elsewhere: not PDF/A at its level), and an arkivmelding the KS schema does not
    accept: the archive takes only what it can keep."""
    from generator.publish.arkivmelding import schema_errors
    from generator.publish.gate import failed_checks
    from generator.publish.ghostscript import violations

    failures = []
    for name, data in documents:
        if name in formats:
            broken = violations(data, formats[name].removeprefix("PDF/A-").upper())
            if broken:
                failures.append(f"{name} oppfyller ikke {formats[name]} ({'; '.join(broken[:3])})")
            continue
        broken = failed_checks(data)
        if broken:
            failures.append(f"{name} oppfyller ikke PDF/A-2a og PDF/UA-1 ({'; '.join(broken[:3])})")
    for name, data in messages:
        errors = schema_errors(data)
        if errors:
            failures.append(f"{name} er ikke gyldig etter KS' skjema ({errors[0]})")
    if failures:
        raise ArchiveError("Arkivet tar bare imot gyldige filer, og ingenting ble arkivert: " + "; ".join(failures))


def _finish(staging: Path, folder: Path) -> None:
    """Move a ready staging folder's files into `folder`, the manifest last, and remove it."""
    if folder.is_symlink():  # never archive through a link (as output/ is never written through one)
        raise ArchiveError(f"{folder} er en lenke; makecase følger ingen lenker i arkivet. Fjern lenken.")
    for path in sorted(staging.iterdir()):
        if path.name not in (MANIFEST, READY):
            os.replace(path, folder / path.name)
    if (staging / MANIFEST).exists():
        os.replace(staging / MANIFEST, folder / MANIFEST)
    sync_folder(folder)
    (staging / READY).unlink(missing_ok=True)
    staging.rmdir()


def recover(archive_root: Path) -> None:
    """Finish what a killed run had made ready, and remove what it had not (and temporary files
    of older makecase versions): the archive is then as one run or the other left it."""
    if not archive_root.is_dir():
        return
    if archive_root.is_symlink():
        return  # refused before (ProjectFolder.refuse_links_out); never cleaned up through a link
    folders = [p for p in archive_root.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith(".")]
    for parent in (archive_root, *folders):
        for staging in [p for p in parent.iterdir() if p.is_dir() and not p.is_symlink() and p.name.endswith(STAGING)]:
            target = parent / staging.name[1:].rsplit(".", 2)[0]
            if (staging / READY).exists() and target.is_dir() and not target.is_symlink():
                _finish(staging, target)
            else:
                shutil.rmtree(staging, ignore_errors=True)
        for leftover in parent.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)


@contextmanager
def locked(project: ProjectFolder) -> Iterator[Arkiv]:
    """Hold the project's archive lock while archiving: one makecase at a time checks and writes
    the archive (a lock on the project folder itself, so that taking it writes nothing)."""
    handle = os.open(project.root, os.O_RDONLY)
    try:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX)
        except ImportError:  # Windows: no advisory locks; one run at a time is then up to the user
            pass
        recover(project.output / "arkiv")
        arkiv = Arkiv(project.shown)
        try:
            yield arkiv
        finally:
            for staging in arkiv.staged:  # a run that failed after staging leaves the archive as it was
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        os.close(handle)  # closing the descriptor releases the lock
