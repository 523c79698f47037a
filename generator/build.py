"""Every case and meeting of a project → their documents, in parallel, skipping what has not
changed (the batch stage behind `makecase build --all`).

A build continues past a failing case and reports each failure at the end. Workers are
forked after the heavy libraries and fonts are loaded, so each starts warm; each job loads
only its own files, so memory does not grow with the number of cases. An output whose
inputs (case files, vedlegg, organisation, schemes, laws, templates, labels, fonts and the
makecase version) have not changed since the last build is skipped.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Callable

import yaml

from generator import __version__
from generator.errors import InputError, MakecaseError
from generator.load import case_index
from generator.load.crosscheck import shared_archive_cases
from generator.load.index import by_utvalg
from generator.project import ProjectFolder
from generator.publish import write_atomic
from generator.values import Saksnummer, parse_dato

STATE = ".makecase-build.json"
TASKS_PER_WORKER = 25


@dataclass(frozen=True)
class Job:
    """One thing to build: a case (by number and files) or a meeting (by date and body)."""

    kind: str  # sak or møte
    key: str  # 24/20, or 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør
    files: tuple[str, ...]  # the case's own file(s), or the meeting file
    inputs: tuple[str, ...] = ()  # other files it is made from, beyond the project-wide ones
    cases: tuple[str, ...] = ()  # a meeting's saksliste
    refused: tuple = ()  # problems another file makes (an archive case used twice): the job fails with them

    @property
    def name(self) -> str:
        return f"{self.kind} {self.key}"


@dataclass(frozen=True)
class Outcome:
    job: Job
    paths: tuple[str, ...] = ()
    skipped: bool = False
    error: str | None = None


@dataclass
class Plan:
    jobs: list[Job]
    unreadable: list[str] = field(default_factory=list)


def _vedlegg_files(folder: ProjectFolder, case_file: Path) -> list[str]:
    """Return the attachment files a case file names (read loosely: a broken file builds and fails)."""
    try:
        data = yaml.load(case_file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    entries = data.get("vedlegg") if isinstance(data, dict) else None
    found = []
    for entry in entries if isinstance(entries, list) else []:
        reference = entry.get("fil") if isinstance(entry, dict) else None
        path = folder.attachment(reference) if isinstance(reference, str) else None
        if path is not None and path.is_file():
            found.append(str(path))
    return found


def plan(folder: ProjectFolder) -> Plan:
    """Return every case and meeting of the project as jobs, cases in number order.

    A number that several utvalg have is a job per utvalg («24/20 Utvalget»); a case whose
    archive case another case has too is a job that fails with that problem (checked here,
    once for the project, since each job reads only its own files).
    """
    index, unreadable = case_index(folder)
    declared = [d for entries in index.values() for d in entries]
    conflicts: dict[str, list] = {}
    for problem in shared_archive_cases(folder, declared):
        conflicts.setdefault(problem.file, []).append(problem)
    jobs = []
    for number in sorted(index):
        paths = [d.path for d in index[number]]
        groups = by_utvalg(folder, paths) if len(paths) > 1 else {None: paths}
        for utvalg, files in groups.items():
            vedlegg = [v for p in files for v in _vedlegg_files(folder, p)]
            key = f"{number} {utvalg}" if len(groups) > 1 and utvalg else str(number)
            refused = tuple(problem for p in files for problem in conflicts.get(folder.shown(p), ()))
            jobs.append(Job("sak", key, tuple(str(p) for p in files), tuple(vedlegg), refused=refused))
    every_case = tuple(str(p) for p in folder.case_files()) + tuple(
        v for entries in index.values() for d in entries for v in _vedlegg_files(folder, d.path)
    )
    for path in folder.meeting_files():
        cases: tuple[str, ...] = ()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            key = f"{parse_dato(str(data['møtedato'])).isoformat()} {data['utvalg']}"
            cases = tuple(str(n) for n in data.get("saker") or ())
        except Exception:  # noqa: BLE001 - a broken meeting file is built, and fails, under its name
            key = f"{path.stem} (feil i filen)"
        jobs.append(Job("møte", key, (str(path),), every_case, cases))
    return Plan(jobs, [folder.shown(p) for p in unreadable])


def _project_files(folder: ProjectFolder) -> list[Path]:
    """The files every document is made from: organisation, schemes, laws, every template (Word
    and typst) and the letterhead's logo."""
    files = [folder.organisasjon_file, folder.ordninger_file, *folder.law_files()]
    files += sorted(p for p in folder.templates.iterdir() if p.suffix in (".docx", ".typ")) if folder.templates.is_dir() else []
    files += _logo(folder)
    return [p for p in files if p.is_file()]


def _logo(folder: ProjectFolder) -> list[Path]:
    """Return the letterhead's logo file, read loosely from the organisation file (a broken file
    fails when the jobs load it)."""
    try:
        data = yaml.safe_load(folder.organisasjon_file.read_text(encoding="utf-8"))
        logo = data["brevhode"]["logo"]
    except Exception:  # noqa: BLE001 - no letterhead, no logo, or a file the jobs will report
        return []
    path = folder.attachment(logo) if isinstance(logo, str) else None
    return [path] if path is not None else []


def _package_data() -> list[bytes]:
    """Labels and fonts: what the package itself puts into every document."""
    data = []
    for folder in ("labels", "fonts"):
        for item in sorted(resources.files("generator").joinpath(folder).iterdir(), key=lambda i: i.name):
            if item.name.endswith((".yaml", ".ttf")):
                data.append(item.read_bytes())
    return data


def _digest(parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def fingerprints(folder: ProjectFolder, jobs: list[Job]) -> dict[str, str]:
    """Return a fingerprint of every input of each job (files read once, however many jobs share them)."""
    common = _digest([__version__.encode(), *(p.read_bytes() for p in _project_files(folder)), *_package_data()])
    cache: dict[str, bytes] = {}

    def content(name: str) -> bytes:
        if name not in cache:
            cache[name] = hashlib.sha256(Path(name).read_bytes()).digest() if Path(name).is_file() else b""
        return cache[name]

    return {j.name: _digest([common.encode(), *(content(n) for n in (*j.files, *j.inputs))]) for j in jobs}


def groups(todo: list[Job]) -> list[list[Job]]:
    """Return the jobs to build together, largest group first: each meeting after the cases on its
    list that are to be built too (so that one worker loads and composes them once, for their own
    documents and for the package), every other case alone."""
    cases = {job.key: job for job in todo if job.kind == "sak"}
    found = []
    for meeting in (job for job in todo if job.kind != "sak"):
        body = meeting.key.partition(" ")[2]
        keys = [f"{n} {body}" if f"{n} {body}" in cases else n for n in meeting.cases]
        found.append([cases.pop(k) for k in keys if k in cases] + [meeting])
    found += [[job] for job in cases.values()]
    return sorted(found, key=len, reverse=True)


def _execute_group(root: str, jobs: list[Job]) -> list[Outcome]:
    from generator.pipeline import Session

    session = Session()
    return [_execute(root, job, session) for job in jobs]


def _execute(root: str, job: Job, session=None) -> Outcome:
    """Build one job in a worker; every error becomes the outcome's message, never a crash."""
    from generator.pipeline import make_case, make_meeting

    folder = ProjectFolder(Path(root))
    try:
        if job.refused:
            raise InputError(list(job.refused))
        if job.kind == "sak":
            number = Saksnummer.parse(job.key.partition(" ")[0])
            made = make_case(folder, number, files=[Path(p) for p in job.files], session=session)
        else:
            date, _, body = job.key.partition(" ")
            made = make_meeting(folder, parse_dato(date), utvalg=body or None, session=session)
        return Outcome(job, tuple(str(p) for p in made.paths))
    except MakecaseError as err:
        return Outcome(job, error=err.format_message())
    except Exception as err:  # noqa: BLE001 - one broken case must not stop the build
        return Outcome(job, error=f"intern feil: {type(err).__name__}: {err}")


def warm() -> None:
    """Load the heavy libraries, fonts and templates once, before workers are forked.

    What is loaded then lives as long as the process, so it is frozen out of the garbage
    collector's sight: its passes then go over what each job makes, not over every module
    of pydantic, typst and python-docx (a tenth of a job's time).
    """
    import gc
    import importlib

    from generator import render_pdf

    importlib.import_module("generator.render_docx")
    render_pdf.warm()
    gc.freeze()


def run(
    folder: ProjectFolder, jobs: list[Job], workers: int | None = None, force: bool = False,
    on_done: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Build the jobs with `workers` processes (all cores by default); report each outcome as it comes."""
    state_path = folder.output / STATE
    state = _read_state(state_path)
    prints = fingerprints(folder, jobs)
    outcomes, todo = [], []
    for job in jobs:
        name = job.name
        previous = state.get(name)
        fresh = previous and previous["fingerprint"] == prints[name] and all(Path(p).is_file() for p in previous["outputs"])
        if fresh and not force:
            outcomes.append(Outcome(job, tuple(previous["outputs"]), skipped=True))
        else:
            todo.append(job)
    total = len(jobs)
    for outcome in outcomes:
        on_done and on_done(outcome, len(outcomes), total)
    workers = workers or os.cpu_count() or 1
    grouped = groups(todo)
    if workers == 1 or len(grouped) <= 1:
        if todo:
            warm()
        for group in grouped:
            for outcome in _execute_group(str(folder.root), group):
                outcomes.append(outcome)
                on_done and on_done(outcome, len(outcomes), total)
    else:
        # Workers come from a fork server that has the heavy libraries loaded (a fork from this
        # process, which runs the pool's threads, could deadlock), and are replaced every few
        # jobs, so a worker's heap never grows with the number of cases.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            context.set_forkserver_preload(["generator.build", "generator.pipeline", "generator.render_docx",
                                            "generator.render_pdf"])
        with context.Pool(workers, initializer=warm, maxtasksperchild=TASKS_PER_WORKER) as pool:
            for done in pool.imap_unordered(partial(_execute_group, str(folder.root)), grouped):
                for outcome in done:
                    outcomes.append(outcome)
                    on_done and on_done(outcome, len(outcomes), total)
    for outcome in outcomes:
        name = outcome.job.name
        if outcome.error is None:
            state[name] = {"fingerprint": prints[name], "outputs": list(outcome.paths)}
        else:
            state.pop(name, None)
    write_atomic(state_path, (json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    return outcomes


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
