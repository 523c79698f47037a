"""`makecase se`: render once, then again on every save, only what changed (#20). These tests
assert behaviour, never timings (the latency is measured by bench/run.py)."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

import pytest

from conftest import edit
from generator.commands import watch
from generator.domain.values import Saksnummer, parse_dato
from generator.folder import ProjectFolder
from textof import normalise, pdf_text

SAKSFRAMLEGG = "24-20-saksframlegg"
PROSJEKTSKISSE = "24-20-vedlegg-1-prosjektskisse"


class Watching:
    """`se` running in a thread, its rounds in a queue."""

    def __init__(self, project: Path, target: str):
        folder = ProjectFolder(project)
        if "/" in target:
            self.job, self.matters = watch.case_job(folder, Saksnummer.parse(target))
        else:
            self.job, self.matters = watch.meeting_job(folder, parse_dato(target))
        self.rounds: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=watch.watch, daemon=True, args=(
            folder, self.job, self.matters, lambda result, saved: self.rounds.put((result, saved)), self.stop))
        self.thread.start()

    def next(self, timeout: float = 30):
        return self.rounds.get(timeout=timeout)

    def quiet(self, seconds: float = 1.0) -> bool:
        """Whether no round follows within `seconds`."""
        try:
            self.rounds.get(timeout=seconds)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def watching(project, monkeypatch):
    monkeypatch.chdir(project)
    started: list[Watching] = []

    def start(target: str = "24/20") -> Watching:
        started.append(Watching(project, target))
        first, saved = started[-1].next()
        assert first.error is None and saved == [], first.error
        time.sleep(0.3)  # the watcher is set up after the first round
        return started[-1]

    yield start
    for running in started:
        running.close()


def written(result) -> set[str]:
    return {p.name for p in result.written}


def it_renders_once_then_only_the_documents_a_save_changes(watching, project):
    running = watching()
    before = {p.name: p.stat().st_mtime_ns for p in (project / "output").glob("24-20-*")}
    assert set(before) == {f"{n}.{s}" for n in (SAKSFRAMLEGG, PROSJEKTSKISSE) for s in ("docx", "pdf")}
    edit(project / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml", "Vårt prosjekt søker", "Vårt prosjekt vil")
    result, saved = running.next()
    assert result.error is None
    assert saved == [project / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"]
    assert written(result) == {f"{PROSJEKTSKISSE}.docx", f"{PROSJEKTSKISSE}.pdf"}
    after = {p.name: p.stat().st_mtime_ns for p in (project / "output").glob("24-20-*")}
    assert after[f"{SAKSFRAMLEGG}.pdf"] == before[f"{SAKSFRAMLEGG}.pdf"]  # untouched: its viewer does not reload
    assert "Vårt prosjekt vil" in normalise(pdf_text(project / "output" / f"{PROSJEKTSKISSE}.pdf"))


def it_keeps_the_last_good_documents_through_a_bad_save_and_recovers(watching, project):
    running = watching()
    case = project / "cases" / "2020" / "24-20.yaml"
    good = (project / "output" / f"{SAKSFRAMLEGG}.pdf").read_bytes()
    edit(case, "møtedato: 18.08.2020", "møtedato: 31.02.2020")
    result, _ = running.next()
    assert result.written == []
    assert "cases/2020/24-20.yaml:11: saksgang[0].møtedato: «31.02.2020» er ikke en gyldig dato" in result.error
    assert (project / "output" / f"{SAKSFRAMLEGG}.pdf").read_bytes() == good
    edit(case, "møtedato: 31.02.2020", "møtedato: 18.08.2020")
    edit(case, "Prosjektet bør ha en strategi for dette.", "Prosjektet trenger en strategi for dette.")
    result, _ = running.next()
    while result.written == [] and result.error is None:  # the two edits may come as two rounds
        result, _ = running.next()
    assert result.error is None and f"{SAKSFRAMLEGG}.pdf" in written(result)
    assert "Prosjektet trenger en strategi" in normalise(pdf_text(project / "output" / f"{SAKSFRAMLEGG}.pdf"))


def it_keeps_the_last_good_documents_when_a_save_breaks_a_rule(watching, project):
    running = watching()
    skisse = project / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"
    text = skisse.read_text(encoding="utf-8")
    skisse.write_text(text.replace("beløp: 15000", "beløp: 15001", 1), encoding="utf-8")
    result, _ = running.next()
    assert result.written == [] and "det mangler kr\u00a01" in result.error


def it_renders_every_document_a_changed_template_lays_out(watching, project):
    running = watching()
    edit(project / "templates" / "makecase.typ", '#let muted = rgb("#555555")', '#let muted = rgb("#444444")')
    result, saved = running.next()
    assert saved == [project / "templates" / "makecase.typ"]
    assert written(result) == {f"{SAKSFRAMLEGG}.pdf", f"{PROSJEKTSKISSE}.pdf"}  # the PDFs; the Word files are as they were


def it_ignores_a_save_of_another_case(watching, project):
    running = watching()
    edit(project / "cases" / "2020" / "23-20.yaml", "Samarbeidsavtale for", "Samarbeidsavtalen for", 1)
    assert running.quiet()


def it_follows_a_meeting_too(watching, project):
    running = watching("2020-08-18")
    edit(project / "cases" / "2020" / "23-20.yaml", "Bakgrunn for saken", "Bakgrunnen for saken")
    result, _ = running.next()
    assert result.error is None
    assert "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf" in written(result)
    assert "Bakgrunnen for saken" in pdf_text(project / "output" / "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf")


def it_is_a_command_with_an_english_alias(run):
    for name in ("se", "watch"):
        result = run(name, "--hjelp")
        assert result.exit_code == 0 and "Lag saken (f.eks. 24/20) eller møtet" in result.output


def fresh_pdf_text(project: Path, tmp_path: Path, name: str) -> str:
    """Return the text of a document as a fresh `makecase 24/20` of the project as it is now makes it."""
    import shutil

    from generator.commands.pipeline import make_case

    copy = tmp_path / "frisk"
    for folder in ("cases", "templates"):
        shutil.copytree(project / folder, copy / folder)
    make_case(ProjectFolder(copy), Saksnummer.parse("24/20"))
    return normalise(pdf_text(copy / "output" / f"{name}.pdf"))


def it_renders_again_when_the_logo_changes(watching, project):
    running = watching()
    before = {name: (project / "output" / name).read_bytes() for name in (f"{SAKSFRAMLEGG}.pdf", f"{SAKSFRAMLEGG}.docx")}
    edit(project / "cases" / "brevhode" / "logo.svg", 'fill="#1f4e79"', 'fill="#ff0000"')
    result, _ = running.next()
    assert result.error is None
    assert {f"{SAKSFRAMLEGG}.pdf", f"{SAKSFRAMLEGG}.docx", f"{PROSJEKTSKISSE}.pdf"} <= written(result)
    assert all((project / "output" / name).read_bytes() != data for name, data in before.items())


def it_renders_again_when_a_file_a_typst_template_imports_changes(watching, project, tmp_path):
    (project / "templates" / "felles.typ").write_text("#let ekstra = [Felles tekst A]\n", encoding="utf-8")
    saksframlegg = project / "templates" / "saksframlegg.typ"
    saksframlegg.write_text('#import "felles.typ": ekstra\n' + saksframlegg.read_text(encoding="utf-8") + "\n#ekstra\n",
                            encoding="utf-8")
    running = watching()
    assert "Felles tekst A" in normalise(pdf_text(project / "output" / f"{SAKSFRAMLEGG}.pdf"))
    edit(project / "templates" / "felles.typ", "Felles tekst A", "Felles tekst B")
    result, _ = running.next()
    assert result.error is None and f"{SAKSFRAMLEGG}.pdf" in written(result)
    assert "Felles tekst B" in normalise(pdf_text(project / "output" / f"{SAKSFRAMLEGG}.pdf"))
    assert "Felles tekst B" in fresh_pdf_text(project, tmp_path, SAKSFRAMLEGG)


def it_checks_a_word_template_again_when_it_is_saved(watching, project):
    """A field left open swallows the paragraphs after it: refused, as `makecase 24/20` refuses it."""
    import zipfile

    running = watching()
    template = project / "templates" / "saksframlegg.docx"
    good = (project / "output" / f"{SAKSFRAMLEGG}.docx").read_bytes()
    with zipfile.ZipFile(template) as old:
        parts = {item: old.read(item) for item in old.namelist()}
    body = parts["word/document.xml"].decode()
    assert "{{ dokumenttype }}" in body
    parts["word/document.xml"] = body.replace("{{ dokumenttype }}", "{{ dokumenttype }", 1).encode()
    broken = template.with_suffix(".tmp")
    with zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as new:
        for item, data in parts.items():
            new.writestr(item, data)
    broken.replace(template)  # as an editor saves: a new file renamed over the old
    result, _ = running.next()
    assert result.written == [] and "Malen templates/saksframlegg.docx har en feil i et felt" in result.error
    assert (project / "output" / f"{SAKSFRAMLEGG}.docx").read_bytes() == good


def it_ignores_an_editors_temporary_file(watching, project):
    running = watching()
    probe = project / "cases" / "2020" / "4913"  # vim's test that it may write in the folder
    probe.write_text("", encoding="utf-8")
    probe.unlink()
    assert running.quiet()


def it_ignores_a_save_of_another_cases_vedlegg_or_of_a_case_made_since(watching, project):
    running = watching()
    edit(project / "cases" / "vedlegg" / "2020" / "23-20-om-radet.yaml", "Trøndelag", "Trøndelag", 1)
    (project / "cases" / "2020" / "30-20.yaml").write_text(
        "sak: 30/20\ntittel: Ny sak\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n", encoding="utf-8")
    assert running.quiet()
