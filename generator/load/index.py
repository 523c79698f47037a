"""Case numbers → the files that declare them (a project may have hundreds of case files).

A case is known by its number within its utvalg: the council and its committee may both have
a 24/20. The index reads each file's `sak:` and `arkivsak:` lines without parsing the YAML
(a plain `sak: 24/20` line is enough); a file's utvalg is read, by parsing it, only where
two files declare the same number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic_core import PydanticCustomError

from generator.errors import InputError, ProjectError
from generator.findings import Finding
from generator.load.files import Parsed, parse_file, validate
from generator.load.models import Sak
from generator.folder import ProjectFolder
from generator.domain.values import Arkivsaksnummer, Saksnummer

_DECLARED = re.compile(rb"^sak:[ \t]*[\"']?([0-9]{1,4}/[0-9]{2})[\"']?[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_ARKIVSAK = re.compile(rb"^arkivsak:[ \t]*[\"']?([0-9]{4}/[0-9]{1,7}(?:-[0-9]{1,4})?)[\"']?[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_SHARED = re.compile(rb"^delt_arkivsak:[ \t]*true[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_CLOSED = re.compile(rb"^lukket[ \t]*:", re.MULTILINE)
#: A number a body gave the case in its saksgang, in block or flow style.
_GIVEN = re.compile(rb"utvalgssak[\"']?[ \t]*:[ \t]*[\"']?([0-9]{1,4}/[0-9]{2})\b")


@dataclass(frozen=True)
class Declared:
    """What a case file says of itself, read without validating it: its number and archive case."""

    path: Path
    nummer: Saksnummer
    arkivsak: Arkivsaksnummer | None = None
    arkivsak_line: int | None = None
    delt_arkivsak: bool = False
    lukket: bool = False  # a closed case: an arkivsak it shares is screened
    #: The numbers bodies gave the case in its saksgang (31/20 for the council), read from the
    #: file's text; None where the text does not say plainly (then it may have given any)
    gitt: frozenset[Saksnummer] | None = frozenset()


def _declare(folder: ProjectFolder, path: Path) -> Declared | None:
    """Return what a case file declares: from its top-level lines when they are written plainly
    (no YAML parse: a project has hundreds of files), else from the parsed file."""
    try:
        raw = path.read_bytes()[:2_000_000]
    except OSError:
        return None
    found = _DECLARED.findall(raw)
    archive = _ARKIVSAK.findall(raw)
    given = _given(raw)
    if len(found) == 1 and (len(archive) == 1 or b"arkivsak" not in raw) and b"\\" not in raw:  # an escape: parsed
        nummer = Saksnummer.parse(found[0].decode())
        if not archive:
            return Declared(path, nummer, gitt=given)
        match = _ARKIVSAK.search(raw)
        try:
            arkivsak = Arkivsaksnummer.parse(archive[0].decode())
        except PydanticCustomError:  # written plainly, but not a number the archive has (-0): said when it loads
            arkivsak = None
        return Declared(path, nummer, arkivsak, raw.count(b"\n", 0, match.start()) + 1, bool(_SHARED.search(raw)),
                        bool(_CLOSED.search(raw)), given)
    declared = _declare_parsed(parse_file(folder, path))
    return replace(declared, gitt=given) if declared else None


def _given(raw: bytes) -> frozenset[Saksnummer] | None:
    """Return the numbers a case file's saksgang gives it, when every `utvalgssak` in it is plain
    (None otherwise: a backslash may spell the key as an escape, «"utvalgs\u0073ak"», that the
    bytes do not show)."""
    if b"\\" in raw:
        return None
    numbers = _GIVEN.findall(raw)
    if len(numbers) != raw.count(b"utvalgssak"):
        return None
    try:
        return frozenset(Saksnummer.parse(n.decode()) for n in numbers)
    except ValueError:
        return None


def _declare_parsed(parsed: Parsed) -> Declared | None:
    data = parsed.data if isinstance(parsed.data, dict) else {}
    nummer = raw_number(parsed)
    if nummer is None:
        return None
    try:
        arkivsak = Arkivsaksnummer.parse(data.get("arkivsak"))
    except ValueError:  # an unreadable archive number is reported when the case loads
        arkivsak = None
    return Declared(parsed.path, nummer, arkivsak, parsed.source.line(("arkivsak",)) if arkivsak else None,
                    data.get("delt_arkivsak") is True, isinstance(data.get("lukket"), dict))


def case_index(folder: ProjectFolder) -> tuple[dict[Saksnummer, list[Declared]], list[Path]]:
    """Return the case files by the number each declares, and the files too broken to say."""
    index: dict[Saksnummer, list[Declared]] = {}
    unreadable = []
    for path in folder.case_files():
        declared = _declare(folder, path)
        if declared is None:
            unreadable.append(path)
        else:
            index.setdefault(declared.nummer, []).append(declared)
    return index, unreadable


def why_unreadable(folder: ProjectFolder, path: Path) -> list[Finding]:
    """Return why a case file does not say its number: its problems at file, line and field (a
    YAML error, a `sak:` that is not a number, none at all)."""
    found = validate(parse_file(folder, path), Sak)[1]
    return found or [Finding(folder.shown(path), 1, "sak", "fant ikke saksnummeret (sak: 24/20) i filen")]


def own_utvalg(folder: ProjectFolder, path: Path) -> str | None:
    """Return the utvalg a case file's number belongs to (`utvalg:`, else the first body of its
    saksgang), read loosely: None if the file does not say."""
    data = parse_file(folder, path).data
    if not isinstance(data, dict):
        return None
    named = data.get("utvalg")
    steps = data.get("saksgang")
    if not isinstance(named, str) and isinstance(steps, list) and steps and isinstance(steps[0], dict):
        named = steps[0].get("utvalg")
    return named.strip() if isinstance(named, str) else None


def same_utvalg(a: object, b: object) -> bool:
    """Whether two names are the same body, whatever their case and Unicode form."""
    def key(name: object) -> str:
        return unicodedata.normalize("NFC", name if isinstance(name, str) else "").casefold().strip()

    return key(a) == key(b)


def by_utvalg(folder: ProjectFolder, files: list[Path]) -> dict[str | None, list[Path]]:
    """Return files declaring one number grouped by the utvalg each belongs to."""
    groups: dict[str | None, list[Path]] = {}
    for path in files:
        name = own_utvalg(folder, path)
        match = next((k for k in groups if same_utvalg(k, name)), name)
        groups.setdefault(match, []).append(path)
    return groups


def find_case_files(folder: ProjectFolder, nummer: Saksnummer, utvalg: str | None = None, indexed=None) -> list[Path]:
    """Return the files of case `nummer` (in `utvalg`, when given), even if they are otherwise broken.

    Raises ProjectError for an unknown number, naming the closest existing ones, and for a
    number that several utvalg have when none is chosen, naming them. `indexed` is the
    project's case_index when the caller has it.
    """
    index, unreadable = indexed or case_index(folder)
    if nummer in index:
        return pick_utvalg(folder, nummer, [d.path for d in index[nummer]], utvalg)
    parsed = [parse_file(folder, path) for path in unreadable]
    named_like = [p for p in parsed if p.path.stem == nummer.slug]
    if named_like:  # the file meant for this case is too broken to say its number: say what is wrong
        raise InputError([problem for p in named_like for problem in (p.problems or validate(p, Sak)[1])])
    message = _unknown_case_message(nummer, list(index))
    if unreadable:
        files = ", ".join(folder.shown(p) for p in unreadable)
        message += f" Merk: disse saksfilene kunne ikke leses: {files} (kjør «makecase kontroller»)."
    raise ProjectError(message)


def pick_utvalg(folder: ProjectFolder, nummer: Saksnummer, files: list[Path], utvalg: str | None) -> list[Path]:
    """Return the files of `nummer` that belong to `utvalg`; with no utvalg given, all of them if
    they belong to one body, else a ProjectError asking which."""
    if len(files) == 1 and utvalg is None:
        return files
    groups = by_utvalg(folder, files)
    if utvalg is not None:
        chosen = [paths for name, paths in groups.items() if same_utvalg(name, utvalg)]
        if chosen:
            return chosen[0]
        names = ", ".join(f"«{n}»" for n in groups if n)
        raise ProjectError(f"Sak {nummer} finnes ikke i «{utvalg}». Sak {nummer} finnes i: {names}.")
    if len(groups) == 1:
        return files
    listed = "; ".join(f"«{name}» ({', '.join(folder.shown(p) for p in paths)})" for name, paths in groups.items())
    example = next(n for n in groups if n)
    raise ProjectError(f"Sak {nummer} finnes i flere utvalg: {listed}. Velg ett med --utvalg, "
                       f"f.eks. makecase {nummer} --utvalg \"{example}\".")


def numbered_in(folder: ProjectFolder, utvalg: str) -> dict[Saksnummer, tuple[Saksnummer, list[Path]]]:
    """Return the numbers a body gave in the saksgang of cases another body numbers (a case from
    the committee, 24/20, on the council's list as its 31/20): number → (the case's own number,
    its file). Read loosely, by parsing every case file: a meeting asks only when its list has a
    number no case file declares as its own."""
    found: dict[Saksnummer, tuple[Saksnummer, list[Path]]] = {}
    for path in folder.case_files():
        parsed = parse_file(folder, path)
        own = raw_number(parsed)
        steps = parsed.data.get("saksgang") if isinstance(parsed.data, dict) else None
        for step in steps if own and isinstance(steps, list) else ():
            if isinstance(step, dict) and same_utvalg(step.get("utvalg"), utvalg):
                try:
                    found.setdefault(Saksnummer.parse(step.get("utvalgssak")), (own, [path]))
                except ValueError:  # no number, or an unreadable one (the case's check says)
                    continue
    return found


def raw_number(parsed: Parsed) -> Saksnummer | None:
    """Return the case number a file declares, even if the rest of the file is broken."""
    raw = parsed.data.get("sak") if isinstance(parsed.data, dict) else None
    try:
        return Saksnummer.parse(raw)
    except ValueError:  # an unreadable number just means "not this file"
        return None


def _unknown_case_message(nummer: Saksnummer, existing: list[Saksnummer]) -> str:
    if not existing:
        return f"Fant ingen sak {nummer}: det finnes ingen saksfiler under cases/ ennå."
    closest = sorted(
        set(existing),
        key=lambda n: (n.aar != nummer.aar, abs(n.aar - nummer.aar), abs(n.lopenummer - nummer.lopenummer)),
    )[:3]
    return f"Fant ingen sak {nummer}. Nærmeste saker: {', '.join(map(str, closest))}."
