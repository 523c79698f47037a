"""The project → what `makecase vis` and `makecase kontroller SAK|FIL` report, as plain data."""

from __future__ import annotations

from pathlib import Path

from generator.check.rules import check_case, check_project
from generator.errors import InputError, ProjectError
from generator.findings import Finding, Severity
from generator.folder import ProjectFolder
from generator.load import Project, load_case, load_project


def cases(folder: ProjectFolder) -> tuple[list[dict], list[dict]]:
    """Return each case as plain data (number, utvalg, title, next meeting, status, the saksgang steps
    whose vedtak has not come back), and the files
    that could not be read with their count of problems."""
    project = load_project(folder)
    broken = {v.file for v in check_project(project) if v.severity != Severity.WARNING}
    dates = {(m.model.utvalg, n): m.model.motedato for m in project.moter for n in m.model.saker}
    saker = []
    for mappe in project.saker:
        model = mappe.sak.model
        when = dates.get((model.eget_utvalg, model.sak)) or next((s.motedato for s in model.saksgang if s.motedato), None)
        files = {mappe.sak.source.file} | {v.dokument.source.file for v in mappe.vedlegg if v.dokument}
        saker.append({"sak": str(model.sak), "utvalg": model.eget_utvalg, "tittel": model.tittel,
                      "møtedato": when.isoformat() if when else None, "status": "regelbrudd" if files & broken else "klar",
                      "åpne_steg": [s.utvalg for s in model.saksgang if not s.vedtak and not s.status], "steg": len(model.saksgang),
                      "fil": mappe.sak.source.file})
    counts = {}
    for problem in project.problems:
        counts[problem.file] = counts.get(problem.file, 0) + 1
    return saker, [{"fil": file, "feil": count} for file, count in sorted(counts.items())]


def check_some(folder: ProjectFolder, names: list, utvalg: str | None = None) -> tuple[Project, list[Finding]]:
    """Return the named cases (Saksnummer, with the files they need) and files (paths as typed),
    loaded, with the rules they break; InputError for what cannot be read."""
    numbers = [n for n in names if not isinstance(n, str)]
    files = {folder.shown(Path(n).resolve()) for n in names if isinstance(n, str)}
    for name in names:
        if isinstance(name, str) and not Path(name).is_file():
            raise ProjectError(f"Fant ikke filen {name}.")
    result = Project(folder, None, [], [], [])
    violations = []
    from generator.commands.pipeline import against_moteboker, moteboker_of  # not on `vis`'s path

    for number in numbers:
        _, mappe = load_case(folder, number, utvalg=utvalg)
        result.saker.append(mappe)
        violations += check_case(mappe).violations
        held = moteboker_of(folder, mappe)
        for _, mote, motebok in held:
            if all(m.source.file != mote.source.file for m in result.moter):
                result.moter.append(mote)
                result.moteboker.append((mote, motebok))
        found = against_moteboker(mappe, held)
        violations += [v for v in found if v.severity != Severity.WARNING]
        result.warnings += [w for w in found if w.severity == Severity.WARNING]
    if files:
        project = load_project(folder)
        problems = [p for p in project.problems if p.file in files]
        if problems:
            raise InputError(problems)
        result.saker += [m for m in project.saker if m.sak.source.file in files]
        result.moter += [m for m in project.moter if m.source.file in files and m not in result.moter]
        found = [f for f in check_project(project) if f.file in files]
        violations += [v for v in found if v.severity != Severity.WARNING]
        result.warnings = [w for w in found if w.severity == Severity.WARNING]  # those of the files named
    return result, violations
