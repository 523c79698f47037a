"""Saves of a case's files → its documents made again, in one process that stays warm (`makecase se`).

A fresh `makecase 24/20` spends most of its time starting: imports, fonts, the first typst
compile. Here those are paid once; a save costs loading and checking the case again (tens of
milliseconds), composing its trees, and rendering only the documents whose tree or template
changed (`Remembered`); a file whose bytes did not change is not touched, so a PDF viewer that
reloads on change reloads only what changed. A save that breaks the YAML or a rule prints its
message and writes nothing: the last good documents stay until the next good save.

The watching is watchfiles' (inotify, FSEvents, ReadDirectoryChangesW): no CPU while nothing
changes. Folders are watched, not files, because editors save by writing a new file and
renaming it over the old one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from generator.errors import MakecaseError
from generator.folder import ProjectFolder

#: How long a burst of file events may go quiet before the render starts (milliseconds): an
#: editor's save is a write, a rename and an attribute change within a few milliseconds.
STEP_MS = 15
#: The kinds of file a document is made from: the deletion of one of these is a change to act on.
INPUTS = (".yaml", ".yml", ".pdf", ".typ", ".docx", ".svg", ".png")


@dataclass
class Remembered:
    """A renderer that renders a document again only when its tree or its template changed."""

    made: dict[tuple[str, str], tuple[object, tuple, bytes]] = field(default_factory=dict)

    @staticmethod
    def _stamp(templates: Path, document, fmt: str) -> tuple:
        """Return what says a document's templates changed: the size and time of every file its
        renderer may read. A typst template may import any file in templates/; a Word template is
        one file. Both draw the letterhead's logo, whose path alone is in the tree."""
        if fmt == "pdf":
            paths = sorted(p for p in templates.iterdir() if p.suffix != ".docx") if templates.is_dir() else []
        else:
            paths = [templates / f"{document.template}.docx"]
        logo = document.masthead.letterhead.logo if document.masthead and document.masthead.letterhead else None
        if logo:
            paths.append(templates.parent / logo)
        stamps = []
        for path in paths:
            try:
                stat = path.stat()
                stamps.append((path.name, stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append((path.name, None, None))
        return tuple(stamps)

    def __call__(self, documents: list, templates: Path) -> list[tuple[str, bytes]]:
        from generator.render import FORMATS, render_document

        rendered = []
        for document in documents:
            for fmt in FORMATS:
                key, stamp = (document.name, fmt), self._stamp(templates, document, fmt)
                known = self.made.get(key)
                if known is None or known[0] != document or known[1] != stamp:
                    known = (document, stamp, render_document(document, fmt, templates))
                    self.made[key] = known
                rendered.append((f"{document.name}.{fmt}", known[2]))
        return rendered


@dataclass(frozen=True)
class Round:
    """What one render did: the files written, or why nothing was; and how long it took."""

    written: list[Path]
    notes: list[str]
    error: str | None
    seconds: float


def _round(folder: ProjectFolder, job: Callable[[], object]) -> Round:
    """Render once; then give the PDFs written the second opinion the preview put off (a PDF
    that fails it is removed: no file stays in output/ that the full judgement refused)."""
    from generator.cache import Verdicts
    from generator.publish.gate import second_opinion

    started = time.perf_counter()
    try:
        made = job()
    except MakecaseError as err:
        return Round([], [], err.format_message(), time.perf_counter() - started)
    seconds = time.perf_counter() - started  # the documents are in place: what the caseworker waits for
    notes = [f"Advarsel: dokumentene er merket UTKAST: {len(made.violations)} regelbrudd"] if made.violations else []
    verdicts, broken = Verdicts(folder.output), []
    for path in made.paths:
        if path.suffix == ".pdf" and not verdicts.vedlegg_accepted(path.read_bytes()):
            found = second_opinion(path, verdicts)
            if found:
                path.unlink(missing_ok=True)
                broken.append(f"{folder.shown(path)} oppfyller ikke PDF/A-2 ({found[0]}) og er fjernet")
    error = ("makecase laget filer som ikke er i orden: " + "; ".join(broken) + ". Meld feilen.") if broken else None
    return Round(list(made.paths), notes + list(made.notes), error, seconds)


def case_inputs(folder: ProjectFolder, case_files: Iterable[Path]) -> Callable[[Path], bool]:
    """Return which saved files matter to a case: its own files and the vedlegg they name now,
    the shared files under cases/ (organisation, schemes, laws, letterhead) and the templates; not
    the other cases (those made since `se` started too), their vedlegg, or the meetings."""
    from generator.commands.build import named_vedlegg

    own = {p.resolve() for p in case_files}
    cases, templates = folder.cases.resolve(), folder.templates.resolve()
    attachments = (folder.cases / "vedlegg").resolve()

    def matters(path: Path) -> bool:
        path = path.resolve()
        if path in own or templates in path.parents:
            return True
        if cases not in path.parents or cases / "moter" in path.parents:
            return False  # a møtebok or meeting is none of a case's business
        named = {p.resolve() for case in own if case.is_file() for p in named_vedlegg(folder, case)}
        if path in named:
            return True
        if attachments in path.parents:
            return False  # another case's vedlegg
        return path not in {p.resolve() for p in folder.case_files()}

    return matters


def meeting_inputs(folder: ProjectFolder) -> Callable[[Path], bool]:
    """Return which saved files matter to a meeting: anything under cases/ and templates/."""
    roots = (folder.cases.resolve(), folder.templates.resolve())
    return lambda path: any(root in path.resolve().parents for root in roots)


def case_job(folder: ProjectFolder, nummer, draft: bool = False, utvalg: str | None = None):
    """Return the job that renders a case for `se`, and which saved files matter to it."""
    from generator.commands.pipeline import make_case
    from generator.load.index import case_index

    renderer = Remembered()
    index, _ = case_index(folder)

    def job():
        return make_case(folder, nummer, draft=draft, renderer=renderer, utvalg=utvalg, preview=True)

    return job, case_inputs(folder, [d.path for d in index.get(nummer, ())])


def meeting_job(folder: ProjectFolder, dato, draft: bool = False, utvalg: str | None = None):
    """Return the job that renders a meeting for `se`, and which saved files matter to it."""
    from generator.commands.pipeline import make_meeting

    def job():
        return make_meeting(folder, dato, utvalg, draft=draft, preview=True)

    return job, meeting_inputs(folder)


def watch(folder: ProjectFolder, job: Callable[[], object], matters: Callable[[Path], bool],
          say: Callable[[Round, list[Path]], None], stop_event=None) -> None:
    """Run `job` now and after every save of a file that `matters`, telling `say` each time,
    until Ctrl-C or `stop_event` is set."""
    import logging

    import watchfiles

    logging.getLogger("watchfiles").setLevel(logging.ERROR)  # its own words on Ctrl-C are English
    say(_round(folder, job), [])
    roots = [str(p) for p in (folder.cases, folder.templates) if p.is_dir()]
    for changes in watchfiles.watch(*roots, step=STEP_MS, debounce=400, stop_event=stop_event,
                                    raise_interrupt=False, ignore_permission_denied=True):
        # an editor's temporary file (vim's «4913», «.swp»), gone by now, is not what the caseworker
        # saved; a case file, vedlegg or template that is gone is (its case cannot be made now)
        touched = {Path(p) for _, p in changes if matters(Path(p)) and (Path(p).exists() or Path(p).suffix in INPUTS)}
        if touched:
            say(_round(folder, job), sorted(p for p in touched if p.exists()))
