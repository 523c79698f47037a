"""Every case, meeting and møtebok of a project → their documents, in parallel, skipping what has not
changed (the batch stage behind `makecase bygg --alle`).

A build continues past a failing case and reports each failure at the end. Workers are
forked after the heavy libraries and fonts are loaded, so each starts warm; each job loads
only its own files, so memory does not grow with the number of cases. An output whose
inputs (case files, vedlegg, organisation, schemes, laws, templates, labels, fonts and the
makecase version) have not changed since the last build is skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Callable

from generator import __version__, speed
from generator.errors import InputError, InternalError, MakecaseError, ProjectError
from generator.render import forked
from generator.load import case_index
from generator.load.crosscheck import shared_archive_cases
from generator.load.files import load_file, parse_file
from generator.load.index import by_utvalg, why_unreadable
from generator.load.models import Mote
from generator.load.project import duplicate_meetings, plain_day
from generator.folder import ProjectFolder
from generator.publish.files import digest_of, removable, write_atomic
from generator.domain.values import Saksnummer

STATE = ".makecase-build.json"
TASKS_PER_WORKER = 25


@dataclass(frozen=True)
class Job:
    """One thing to build: a case (by number and files), a meeting or its møtebok (by date and body)."""

    kind: str  # sak, møte or møtebok
    key: str  # 24/20, or 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør
    files: tuple[str, ...]  # the case's own file(s), or the meeting file
    inputs: tuple[str, ...] = ()  # other files it is made from, beyond the project-wide ones
    cases: tuple[str, ...] = ()  # a meeting's saksliste
    refused: tuple = ()  # problems another file makes (an archive case used twice): the job fails with them
    declared: tuple[str, ...] = ()  # a meeting's numbers and the files declaring them, part of its fingerprint

    @property
    def name(self) -> str:
        return f"{self.kind} {self.key}"


@dataclass(frozen=True)
class Outcome:
    job: Job
    paths: tuple[str, ...] = ()
    skipped: bool = False
    error: str | None = None
    status: int = 0  # the exit status the job would have on its own (errors.py)
    kept: tuple[str, ...] = ()  # a failed job's documents from its last good build, still in output/


@dataclass
class Plan:
    jobs: list[Job]
    unreadable: list[str] = field(default_factory=list)  # why each case file too broken to say its number is so


def named_vedlegg(folder: ProjectFolder, case_file: Path, data=None) -> list[Path]:
    """Return the attachment files a case file names, there or not (read loosely: a broken file
    builds and fails; `makecase se` watches them). `data`: the file as parsed already."""
    data = parse_file(folder, case_file).data if data is None else data  # refuses a file over 2 MB before parsing it
    entries = data.get("vedlegg") if isinstance(data, dict) else None
    found = []
    for entry in entries if isinstance(entries, list) else []:
        reference = entry.get("fil") if isinstance(entry, dict) else None
        path = folder.attachment(reference) if isinstance(reference, str) else None
        if path is not None:
            found.append(path)
    return found


def _steps(data) -> list[tuple[dt.date, str]]:
    """Return the (møtedato, utvalg) of each dated step of a case file's saksgang (as parsed), read
    loosely (what cannot be read is left out: the job fails on it)."""
    from generator.domain.values import parse_dato

    steps = data.get("saksgang") if isinstance(data, dict) else None
    found = []
    for step in steps if isinstance(steps, list) else []:
        if isinstance(step, dict) and isinstance(step.get("utvalg"), str):
            try:
                found.append((parse_dato(step.get("møtedato")), step["utvalg"]))
            except ValueError:
                continue
    return found


def _vedlegg_files(folder: ProjectFolder, case_file: Path, data) -> list[str]:
    """Return the attachment files a case file names that are there."""
    return [str(path) for path in named_vedlegg(folder, case_file, data) if path.is_file()]


def plan(folder: ProjectFolder) -> Plan:
    """Return every case and meeting of the project as jobs, cases in number order.

    A number that several utvalg have is a job per utvalg («24/20 Utvalget»); a case whose
    archive case another case has too is a job that fails with that problem (checked here,
    once for the project, since each job reads only its own files). A meeting is made from
    the files of the cases on its list; a meeting file that cannot be read is a job that fails
    with its problems.
    """
    index, unreadable = case_index(folder)
    declared = [d for entries in index.values() for d in entries]
    conflicts: dict[str, list] = {}
    for problem in shared_archive_cases(folder, declared):
        conflicts.setdefault(problem.file, []).append(problem)
    data = {d.path: parse_file(folder, d.path).data for d in declared}  # each case file parsed once
    brings = {d.path: _vedlegg_files(folder, d.path, data[d.path]) for d in declared}  # what each is made with
    loaded = [(path, *load_file(folder, path, Mote)) for path in folder.meeting_files()]
    # a case is held to the møtebøker of its meetings (and a package shows their vedtak): a changed
    # møtebok makes the jobs of the cases it records again, and the meetings that list them
    held = _meetings_of_cases(folder, data, [(path, mote) for path, mote, _ in loaded])
    sharing = _sharing_a_vedlegg(brings)
    for d in declared:
        brings[d.path] = brings[d.path] + held.get(d.path, []) + sharing.get(d.path, [])
    jobs = []
    for number in sorted(index):
        paths = [d.path for d in index[number]]
        groups = by_utvalg(folder, paths) if len(paths) > 1 else {None: paths}
        for utvalg, files in groups.items():
            key = f"{number} {utvalg}" if len(groups) > 1 and utvalg else str(number)
            refused = tuple(problem for p in files for problem in conflicts.get(folder.shown(p), ()))
            jobs.append(Job("sak", key, tuple(str(p) for p in files), tuple(v for p in files for v in brings[p]),
                            refused=refused))
    numbered = _Numbered(declared)
    # two files for one meeting: which of them it is cannot be guessed, so neither is made
    twice = duplicate_meetings([mote for _, mote, _ in loaded if mote is not None])
    for path, mote, problems in loaded:
        if mote is None or any(folder.shown(path) == p.file or folder.shown(path) in p.message for p in twice):
            what = "feil i filen" if mote is None else "møtet har flere møtefiler"
            jobs.append(Job("møte", f"{path.stem} ({what})", (str(path),), refused=tuple(problems if mote is None else twice)))
            continue
        meeting = _meeting_job(folder, path, mote.model.motedato, mote.model.utvalg, mote.model.saker, numbered, brings)
        jobs.append(meeting)
        motebok = folder.motebok_file(path)
        if motebok.is_file():  # also made from the cases it records that were not on the list
            recorded = _recorded(folder, motebok)
            numbers = list(dict.fromkeys([*mote.model.saker, *recorded])) if recorded is not None else None
            everything = [str(p) for p in folder.case_files()] + [v for found in brings.values() for v in found]
            made = _meeting_job(folder, path, mote.model.motedato, mote.model.utvalg, numbers or [], numbered, brings)
            jobs.append(Job("møtebok", meeting.key, (str(motebok),), (str(path), *(made.inputs if numbers is not None
                            else everything)), meeting.cases, declared=made.declared))
    return Plan(jobs, [str(why_unreadable(folder, p)[0]) for p in unreadable])


def _meetings_of_cases(folder: ProjectFolder, data: dict, meetings: list) -> dict[Path, list[str]]:
    """Return, for each case file, the meeting files (and møtebøker) that looking up the meetings of
    its saksgang reads: those of its steps' days, and any whose day cannot be told without parsing
    (a broken file, or one that is not plainly of one day: generator.load.project.plain_day)."""
    by_day: dict = {}
    unclear: list[str] = []
    for path, mote in meetings:
        motebok = folder.motebok_file(path)
        files = [str(path), *([str(motebok)] if motebok.is_file() else [])]
        day = mote.model.motedato if mote is not None else plain_day(path)
        if day is None:
            unclear += files
        else:
            by_day.setdefault(day, []).extend(files)
    found: dict[Path, list[str]] = {}
    for path, parsed in data.items():
        days = {day for day, _ in _steps(parsed)}
        if days:
            found[path] = [f for day in sorted(days) for f in by_day.get(day, ())] + unclear
    return found


def _sharing_a_vedlegg(brings: dict) -> dict[Path, list[str]]:
    """Return, for each case file, the other case files that name one of its vedlegg files: a
    vedlegg one case closes may not be open in another (generator.check.rules)."""
    named_by: dict[str, list[Path]] = {}
    for case, files in brings.items():
        for name in files:
            named_by.setdefault(name, []).append(case)
    found: dict[Path, list[str]] = {}
    for cases in named_by.values():
        for case in cases if len(cases) > 1 else ():
            found.setdefault(case, []).extend(str(other) for other in cases if other != case)
    return found


class _Numbered:
    """Which case files a number may lead to: those that declare it as their own, and those whose
    saksgang gives it (the council's 31/20 for the committee's 24/20), or may (a file whose
    saksgang cannot be read plainly)."""

    def __init__(self, declared: list):
        self.files: dict[Saksnummer, list[Path]] = {}
        self.unclear: list[Path] = []
        for d in declared:
            self.files.setdefault(d.nummer, []).append(d.path)
            if d.gitt is None:
                self.unclear.append(d.path)
            for number in d.gitt or ():
                if number != d.nummer:
                    self.files.setdefault(number, []).append(d.path)

    def __call__(self, number: Saksnummer) -> list[Path]:
        return list(dict.fromkeys([*self.files.get(number, ()), *self.unclear]))


def _recorded(folder: ProjectFolder, motebok: Path) -> list[Saksnummer] | None:
    """Return the numbers of the cases a møtebok records, read loosely (None: it cannot be read,
    so it may record any)."""
    data = parse_file(folder, motebok).data
    saker = data.get("saker") if isinstance(data, dict) else None
    if not isinstance(saker, list):
        return None
    try:
        return [Saksnummer.parse(entry.get("sak")) for entry in saker if isinstance(entry, dict)]
    except ValueError:
        return None


def _meeting_job(folder: ProjectFolder, path: Path, motedato: dt.date, utvalg: str, saker, numbered: _Numbered,
                 brings: dict) -> Job:
    """Return the job of one meeting: made from the files a number on its list may lead to (which
    files those are is part of what it is made from, so a new case file with a listed number,
    its own or given in its saksgang, makes it again), and from nothing else."""
    inputs: list[str] = []
    declared: list[str] = []
    for number in saker:
        files = numbered(number)
        inputs += [str(p) for p in files] + [v for p in files for v in brings[p]]
        declared.append(f"{number}: {', '.join(sorted(folder.shown(p) for p in files))}")
    key = f"{motedato.isoformat()} {utvalg}"
    return Job("møte", key, (str(path),), tuple(dict.fromkeys(inputs)), tuple(str(n) for n in saker),
               declared=tuple(declared))


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
    data = parse_file(folder, folder.organisasjon_file).data
    head = data.get("brevhode") if isinstance(data, dict) else None
    logo = head.get("logo") if isinstance(head, dict) else None
    path = folder.attachment(logo) if isinstance(logo, str) else None
    return [path] if path is not None else []


#: The libraries whose versions decide what a document looks like.
RENDERING_LIBRARIES = ("typst", "python-docx", "docxtpl", "docxcompose", "lxml", "babel", "markdown-it-py", "pydantic",
                       "PyYAML", "Jinja2", "pikepdf")  # pikepdf writes the package's PDF vedlegg pages and copies


def _package_data() -> list[bytes]:
    """What makecase itself puts into every document: its code, labels, fonts and data, and the
    versions of the libraries that render; a change to any of them makes everything again."""
    package = resources.files("generator")
    data = []

    def walk(folder) -> None:
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.is_dir() and item.name != "__pycache__":
                walk(item)
            elif item.name.endswith((".py", ".yaml", ".ttf", ".txt", ".xsd")):
                data.append(item.name.encode() + b"\0" + item.read_bytes())

    walk(package)
    data.append(_versions().encode())
    return data


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in RENDERING_LIBRARIES:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}: mangler")
    return "\n".join(found + [_ghostscript()])


def _ghostscript() -> str:
    """Which Ghostscript converts PDF vedlegg for the package (its file, not its output: running it
    would cost every plan a process start)."""
    from generator.publish import ghostscript

    gs = ghostscript.executable()
    if gs is None:
        return "gs: mangler"
    try:
        stat = Path(gs).resolve().stat()
    except OSError:
        return f"gs: {gs}"
    return f"gs: {Path(gs).resolve()} {stat.st_size} {stat.st_mtime_ns}"


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
        """A file's place in the project and its bytes: a meeting file renamed makes its outputs anew."""
        if name not in cache:
            path = Path(name)
            where = folder.shown(path.resolve() if path.is_absolute() else folder.root / path).encode()
            cache[name] = where + b"\0" + (hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"")
        return cache[name]

    return {j.name: _digest([common.encode(), *(content(n) for n in (*j.files, *j.inputs)), *(d.encode() for d in j.declared),
                             *(str(r).encode() for r in j.refused)])  # a new conflict with another file fails it
            for j in jobs}


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
    from generator.commands.pipeline import Session

    session = Session()
    return [_execute(root, job, session) for job in jobs]


def _execute(root: str, job: Job, session=None) -> Outcome:
    """Build one job in a worker; every error becomes the outcome's message, never a crash."""
    from generator.commands.pipeline import make_case, make_meeting, make_motebok

    folder = ProjectFolder(Path(root))
    try:
        if job.refused:
            raise InputError(list(job.refused))
        if job.kind == "sak":
            number = Saksnummer.parse(job.key.partition(" ")[0])
            made = make_case(folder, number, files=[Path(p) for p in job.files], session=session)
        elif job.kind == "møtebok":
            date, _, body = job.key.partition(" ")
            made = make_motebok(folder, dt.date.fromisoformat(date), utvalg=body or None)
        else:
            date, _, body = job.key.partition(" ")
            made = make_meeting(folder, dt.date.fromisoformat(date), utvalg=body or None, session=session)
        return Outcome(job, tuple(str(p) for p in made.paths))
    except MakecaseError as err:
        return Outcome(job, error=err.format_message(), status=err.exit_code)
    except Exception as err:  # noqa: BLE001 - one broken case must not stop the build
        return Outcome(job, error=f"intern feil: {type(err).__name__}: {err}", status=InternalError.exit_code)


def warm() -> None:
    """Load the heavy libraries, fonts and templates once, before workers are forked.

    What is loaded then lives as long as the process, so it is frozen out of the garbage
    collector's sight: its passes then go over what each job makes, not over every module
    of pydantic, typst and python-docx (a tenth of a job's time).
    """
    import gc
    import importlib

    from generator.render import pdf as render_pdf

    for name in ("generator.render.docx", "generator.verify.pdf", "pikepdf.pdfa"):  # the gate judges every new PDF
        importlib.import_module(name)
    render_pdf.warm()
    if speed.on("gc"):
        gc.freeze()


def run(
    folder: ProjectFolder, jobs: list[Job], workers: int | None = None, force: bool = False,
    on_done: Callable[[Outcome, int, int], None] | None = None,
) -> list[Outcome]:
    """Build the jobs with `workers` processes (all cores by default); report each outcome as it comes."""
    folder.refuse_links_out()
    state_path = folder.output / STATE
    state = _read_state(state_path)
    prints = fingerprints(folder, jobs)
    _forget_vanished(folder, state, {job.name for job in jobs})
    outcomes, todo = [], []
    for job in jobs:
        name = job.name
        previous = state.get(name)
        fresh = previous and previous["fingerprint"] == prints[name] and _unchanged(folder, previous["outputs"])
        if fresh and not force:
            outcomes.append(Outcome(job, tuple(str(folder.output / p) for p in previous["outputs"]), skipped=True))
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
            context.set_forkserver_preload(["generator.commands.build", "generator.commands.pipeline", "generator.render.docx",
                                            "generator.render.pdf", "generator.verify.pdf", "pikepdf.pdfa"])
        with forked.ctrl_c_here_only():
            pool = context.Pool(workers, initializer=warm, maxtasksperchild=TASKS_PER_WORKER)
        with pool:
            for done in pool.imap_unordered(partial(_execute_group, str(folder.root)), grouped):
                for outcome in done:
                    outcomes.append(outcome)
                    on_done and on_done(outcome, len(outcomes), total)
    for index, outcome in enumerate(outcomes):
        name = outcome.job.name
        if outcome.skipped:
            continue  # its record stands
        if outcome.error is None:
            state[name] = {"fingerprint": prints[name], "inputs": [folder.shown(Path(p)) for p in outcome.job.files],
                           "outputs": {Path(p).relative_to(folder.output).as_posix(): digest_of(Path(p)) for p in outcome.paths}}
        else:  # a job that fails keeps the documents it made last time: say so
            kept = [folder.output / p for p in (state.pop(name, None) or {}).get("outputs", {})]
            outcomes[index] = replace(outcome, kept=tuple(str(p) for p in kept if p.is_file()))
    try:
        write_atomic(state_path, (json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode())
    except MakecaseError as err:
        raise RecordNotWritten(err.format_message(), outcomes) from err
    return outcomes


class RecordNotWritten(ProjectError):
    """The build's record could not be written (an output/ makecase may not write to): the jobs'
    outcomes, each failure with its reason, are still told before this is (exit 2)."""

    def __init__(self, message: str, outcomes: list[Outcome]):
        super().__init__(message)
        self.outcomes = outcomes


def _forget_vanished(folder: ProjectFolder, state: dict, planned: set[str]) -> None:
    """Forget the jobs that are no longer planned. Where every file a job was made from is gone (a
    case file deleted, a meeting file renamed), also remove what it wrote: a makecase document in
    output/, never in the archive, and only if it still holds what the job wrote. A job whose file
    is there but cannot be read now (a typo) keeps its documents."""
    for name in [n for n in state if n not in planned]:
        entry = state.pop(name)
        inputs = entry.get("inputs")
        if not isinstance(inputs, list) or not inputs or any((folder.root / i).exists() for i in inputs if isinstance(i, str)):
            continue
        for relative, digest in entry["outputs"].items():
            if removable(folder.output, relative) and digest_of(folder.output / relative) == digest:
                (folder.output / relative).unlink(missing_ok=True)


def _unchanged(folder: ProjectFolder, outputs: dict[str, str]) -> bool:
    """Whether every file a job wrote is still there with the bytes it wrote (a file made since by
    hand, by `makecase SAK` or half by a killed build is not its output)."""
    return all(digest_of(folder.output / relative) == digest for relative, digest in outputs.items())


def _read_state(path: Path) -> dict:
    """Return what the last build recorded, job by job; an entry of another shape (an older
    makecase, a hand edit) counts as no record, so its job is made again."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        name: entry for name, entry in data.items()
        if isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) and isinstance(entry.get("outputs"), dict)
        and all(isinstance(k, str) and isinstance(v, str) and _relative(k) for k, v in entry["outputs"].items())
    }


def _relative(name: str) -> bool:
    """Whether a recorded output is a path inside output/ (an older makecase recorded absolute
    paths; a copied project must not judge the original's files)."""
    path = Path(name)
    return not path.is_absolute() and ".." not in path.parts
