"""The whole project (for check, list and batch builds) and one meeting with its cases."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import InputError, Problem, ProjectError
from generator.load.case import (
    Saksmappe,
    load_case,
    load_lovkrav,
    load_ordninger,
    load_organisasjon,
    load_saksmappe,
)
from generator.load.crosscheck import check_bodies, duplicate_numbers, shared_archive_cases
from generator.load.files import Loaded, load_file
from generator.load.index import by_utvalg, case_index, same_utvalg
from generator.models import Mote, Organisasjon
from generator.project import ProjectFolder


@dataclass
class Project:
    """Everything under cases/ that validated, and the problems of what did not."""

    folder: ProjectFolder
    organisasjon: Loaded[Organisasjon] | None
    moter: list[Loaded[Mote]]
    saker: list[Saksmappe]
    problems: list[Problem]

    def raise_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)



def load_project(folder: ProjectFolder) -> Project:
    """Read and validate every file under cases/; never raises for bad files, collects problems."""
    org, problems = load_organisasjon(folder)
    org_model = org.model if org else None
    ordninger, found = load_ordninger(folder)
    problems += found
    lovkrav, found = load_lovkrav(folder)
    problems += found
    moter, saker = [], []
    for path in folder.meeting_files():
        mote, found = load_file(folder, path, Mote)
        problems += found + (check_bodies(org_model, mote) if mote else [])
        if mote:
            moter.append(mote)
    for path in folder.case_files():
        mappe, found = load_saksmappe(folder, path, org_model, ordninger, lovkrav)
        problems += found
        if mappe:
            saker.append(mappe)
    problems += duplicate_numbers([m.sak for m in saker])
    index, _ = case_index(folder)
    problems += shared_archive_cases(folder, [d for entries in index.values() for d in entries])
    saker.sort(key=lambda m: (m.sak.model.sak, m.sak.model.eget_utvalg))
    return Project(folder, org, moter, saker, sorted(problems, key=lambda p: (p.file, p.line or 0)))



def load_meeting(
    folder: ProjectFolder, dato, utvalg: str | None = None, load=load_case
) -> tuple[Organisasjon, Loaded[Mote], list[Saksmappe]]:
    """Return the organisation, the meeting held on `dato` (by `utvalg` if several bodies meet
    that day) and each case on its list that exists, validated (by `load`, which a batch may
    have answered before).

    A listed case that does not exist is left out here and reported by the meeting check.
    """
    from generator import formats

    org, problems = load_organisasjon(folder)
    moter = []
    for path in folder.meeting_files():
        mote, found = load_file(folder, path, Mote)
        problems += found
        if mote and mote.model.motedato == dato and (utvalg is None or mote.model.utvalg == utvalg):
            problems += check_bodies(org.model if org else None, mote)
            moter.append(mote)
    if problems:
        raise InputError(problems)
    if not moter:
        known = sorted({formats.dato(m.model.motedato) for m in (load_file(folder, p, Mote)[0] for p in folder.meeting_files()) if m})
        which = f" i {utvalg}" if utvalg else ""
        raise ProjectError(f"Fant ikke noe møte{which} {formats.dato(dato)}. Møter i cases/moter/: {', '.join(known) or 'ingen'}.")
    if len(moter) > 1:
        bodies = ", ".join(f"«{m.model.utvalg}»" for m in moter)
        raise ProjectError(f"Flere utvalg møtes {formats.dato(dato)}: {bodies}. Velg ett med --utvalg.")
    mote = moter[0]
    mapper = []
    index, _ = case_index(folder)  # once: finding each case by scanning every file is O(N²)
    for nummer in mote.model.saker:
        if nummer not in index:
            continue  # reported by the meeting check
        files = [d.path for d in index[nummer]]
        if len(files) > 1:  # several utvalg have this number: the meeting's own is meant
            files = next((paths for name, paths in by_utvalg(folder, files).items()
                          if same_utvalg(name, mote.model.utvalg)), files)
        try:
            _, mappe = load(folder, nummer, files)
        except InputError as err:
            problems += err.problems
            continue
        except ProjectError:
            continue
        mapper.append(mappe)
    if problems:
        raise InputError(problems)
    return org.model, mote, mapper

