"""Case numbers → the files that declare them (a project may have hundreds of case files)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import InputError, ProjectError
from generator.load.files import Parsed, parse_file, validate
from generator.models import Sak
from generator.project import ProjectFolder
from generator.values import Saksnummer


_DECLARED = re.compile(rb"^sak:[ \t]*[\"']?([0-9]{1,4}/[0-9]{2})[\"']?[ \t]*(?:#.*)?\r?$", re.MULTILINE)


def _declared_number(folder: ProjectFolder, path: Path) -> Saksnummer | None:
    """Return the number a case file declares: from its `sak:` line when it is written plainly
    (no YAML parse: a project has hundreds of files), else from the parsed file."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    found = _DECLARED.findall(raw[:2_000_000])
    if len(found) == 1:
        return Saksnummer.parse(found[0].decode())
    return raw_number(parse_file(folder, path))


def case_index(folder: ProjectFolder) -> tuple[dict[Saksnummer, list[Path]], list[Path]]:
    """Return the case files by the number each declares, and the files too broken to say."""
    index: dict[Saksnummer, list[Path]] = {}
    unreadable = []
    for path in folder.case_files():
        number = _declared_number(folder, path)
        if number is None:
            unreadable.append(path)
        else:
            index.setdefault(number, []).append(path)
    return index, unreadable


def find_case_files(folder: ProjectFolder, nummer: Saksnummer) -> list[Path]:
    """Return the case files declaring `nummer`, even if they are otherwise broken.

    Raises ProjectError for an unknown number, naming the closest existing ones.
    """
    index, unreadable = case_index(folder)
    if nummer in index:
        return index[nummer]
    parsed = [parse_file(folder, path) for path in unreadable]
    named_like = [p for p in parsed if p.path.stem == nummer.slug]
    if named_like:  # the file meant for this case is too broken to say its number: say what is wrong
        raise InputError([problem for p in named_like for problem in (p.problems or validate(p, Sak)[1])])
    message = _unknown_case_message(nummer, list(index))
    if unreadable:
        files = ", ".join(folder.shown(p) for p in unreadable)
        message += f" Merk: disse saksfilene kunne ikke leses: {files} (kjør «makecase check»)."
    raise ProjectError(message)



def raw_number(parsed: Parsed) -> Saksnummer | None:
    """Return the case number a file declares, even if the rest of the file is broken."""
    raw = parsed.data.get("sak") if isinstance(parsed.data, dict) else None
    try:
        return Saksnummer.parse(raw)
    except Exception:  # noqa: BLE001 - an unreadable number just means "not this file"
        return None


def _unknown_case_message(nummer: Saksnummer, existing: list[Saksnummer]) -> str:
    if not existing:
        return f"Fant ingen sak {nummer}: det finnes ingen saksfiler under cases/ ennå."
    closest = sorted(
        set(existing),
        key=lambda n: (n.aar != nummer.aar, abs(n.aar - nummer.aar), abs(n.lopenummer - nummer.lopenummer)),
    )[:3]
    return f"Fant ingen sak {nummer}. Nærmeste saker: {', '.join(map(str, closest))}."


