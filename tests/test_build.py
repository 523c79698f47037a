"""Batch builds: every case and meeting, in parallel, skipping what has not changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import edit
from textof import pdf_text

ALL_OUTPUTS = 43  # 22/20: 3 (its PDF vedlegg copied), 23/20: 6, 24/20: 4; 18.08: the meeting 3, its møtebok 2 and 9
# særutskrifter × 2 (to the caseworkers, 23/20's six kommunestyrer and 24/20's next body, the council); 02.09: 3 + 2 + 2


def mtimes(project: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / "output").glob("*.*") if not p.name.startswith(".")}


class DescribeBuildAll:
    def it_builds_every_case_and_meeting(self, run, project):
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[:4] == [
            "ok          sak 22/20 (3 filer)",
            "ok          sak 23/20 (6 filer)",
            "ok          sak 24/20 (4 filer)",
            "ok          møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)",
        ]
        assert "7 av 7 jobber, 43 filer skrevet, 0 jobber uendret" in result.output
        assert len(mtimes(project)) == ALL_OUTPUTS

    def it_tells_each_job_before_a_record_it_cannot_write(self, run, project, monkeypatch):
        """An output/ makecase may not write to lost every job's reason and the summary: the build's
        record failed last and was all that was said (an IT person's review)."""
        from generator.commands import build
        from generator.errors import ProjectError

        def refuse(path, data):
            raise ProjectError(f"Kan ikke skrive output/{path.name}: makecase har ikke skrivetilgang der.")

        monkeypatch.setattr(build, "write_atomic", refuse)
        edit(project / "cases/2020/24-20.yaml", "saksbehandler:", "ukjent_felt: 1\nsaksbehandler:")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 2, result.output
        assert "Ferdig på" in result.output and "jobber feilet:" in result.output
        assert "sak 24/20: " in result.output and "ukjent_felt" in result.output
        assert result.output.rstrip().endswith(
            "Feil: Kan ikke skrive output/.makecase-build.json: makecase har ikke skrivetilgang der.")

    def it_builds_with_two_workers(self, run, project):
        result = run("bygg", "--alle", "-j", "2")
        assert result.exit_code == 0, result.output
        assert "7 av 7 jobber, 43 filer skrevet" in result.output

    def it_skips_what_has_not_changed(self, run, built):
        before = mtimes(built)
        result = run("bygg", "--alle", "-j", "1")
        assert "0 filer skrevet, 7 jobber uendret (hoppet over)" in result.output
        assert mtimes(built) == before

    def it_rebuilds_a_changed_case_and_the_meetings(self, run, built):
        case = built / "cases" / "2020" / "22-20.yaml"
        case.write_text(case.read_text(encoding="utf-8") + "saksopplysninger: Ingen referatsaker.\n", encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        lines = result.output.splitlines()
        assert "ok          sak 22/20 (3 filer)" in lines
        assert "hoppet over sak 23/20 (6 filer)" in lines and "hoppet over sak 24/20 (4 filer)" in lines
        assert "ok          møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)" in lines
        assert "ok          møtebok 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (20 filer)" in lines
        # the council's meeting neither lists 22/20 nor records it: nothing of it is made again
        assert [line for line in lines if line.startswith("ok ")] == [
            "ok          sak 22/20 (3 filer)", "ok          møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)",
            "ok          møtebok 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (20 filer)"], result.output

    def it_rebuilds_the_meeting_that_lists_a_case_by_the_number_its_saksgang_gives(self, run, built):
        case = built / "cases" / "2020" / "24-20.yaml"  # the council's 31/20
        edit(case, "Prosjektet bør ha en strategi", "Prosjektet må ha en strategi")
        result = run("bygg", "--alle", "-j", "1")
        made = sorted(line.split("(")[0].split(None, 1)[1].strip() for line in result.output.splitlines() if line.startswith("ok "))
        assert made == ["møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør",
                        "møte 2020-09-02 Trøndelag Sør-Interkommunalt politisk råd",
                        "møtebok 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør",
                        "møtebok 2020-09-02 Trøndelag Sør-Interkommunalt politisk råd", "sak 24/20"], result.output

    def it_counts_a_case_file_with_an_escape_as_giving_any_number(self, run, project):
        """«"utvalgs\u0073ak"» is the key utvalgssak to YAML, and not to a look at the bytes."""
        case = project / "cases" / "2020" / "24-20.yaml"
        edit(case, "    møtedato: 02.09.2020\n    utvalgssak: 31/20\n", '    møtedato: 02.09.2020\n    "utvalgs\\u0073ak": 31/20\n')
        assert run("bygg", "--alle", "-j", "1").exit_code == 0
        edit(case, "Prosjektet bør ha en strategi", "Prosjektet må ha en strategi")
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          møte 2020-09-02 Trøndelag Sør-Interkommunalt politisk råd" in result.output, result.output

    def it_counts_a_case_file_whose_saksgang_it_cannot_read_plainly_as_giving_any_number(self, run, project):
        other = project / "cases" / "2020" / "30-20.yaml"
        other.write_text("sak: 30/20\ntittel: En sak\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n"
                         "    møtedato: 15.09.2020\n    ? utvalgssak\n    : 30/20\nsaksopplysninger: |\n  Tekst.\n",
                         encoding="utf-8")
        assert run("bygg", "--alle", "-j", "1").exit_code == 0
        edit(other, "Tekst.", "Annen tekst.")
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          møte 2020-09-02 Trøndelag Sør-Interkommunalt politisk råd" in result.output  # it may give 31/20

    def it_rebuilds_everything_when_a_template_changes_or_when_forced(self, run, built):
        template = built / "templates" / "vedlegg.docx"
        template.write_bytes(template.read_bytes())  # same bytes: nothing to do
        assert "7 jobber uendret" in run("bygg", "--alle", "-j", "1").output
        (built / "templates" / "README.txt").write_text("ikke en mal", encoding="utf-8")
        assert "7 jobber uendret" in run("bygg", "--alle", "-j", "1").output
        from docx import Document

        changed = Document(str(template))
        changed.core_properties.comments = "Ny logo"
        changed.save(str(template))
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          sak 24/20 (4 filer)" in result.output and "0 jobber uendret" in result.output
        assert "7 av 7 jobber, 43 filer skrevet, 0 jobber uendret" in run("bygg", "--alle", "-j", "1", "--tving").output

    def it_continues_past_a_failing_case_and_reports_it(self, run, project):
        (project / "cases" / "2020" / "24-20.yaml").write_text(
            "sak: 24/20\ntittel: x\nsaksgang:\n  - utvalg: Ukjent utvalg\n", encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 2  # bad input, as `kontroller` and `lag` say it
        assert "ok          sak 23/20 (6 filer)" in result.output
        assert "FEIL        sak 24/20 (0 filer)" in result.output
        assert "5 jobber feilet:" in result.output  # 24/20, and both meetings and møtebøker that list it
        assert "  sak 24/20: Fant 1 feil i saksfilene:" in result.output
        assert (project / "output" / "23-20-saksframlegg.pdf").is_file()


class DescribeABuildThatNeverLies:
    """A job is skipped only when its inputs, makecase's code and the renderers are as they were,
    and the files on disk are the ones it wrote."""

    def it_remakes_a_case_whose_files_were_made_since_by_hand(self, run, built):
        from textof import docx_text

        case = built / "cases" / "2020" / "24-20.yaml"
        original = case.read_text(encoding="utf-8")
        case.write_text(original.replace("tittel: Kompetansepiloter", "tittel: Endret tittel", 1), encoding="utf-8")
        assert run("24/20").exit_code == 0
        case.write_text(original, encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          sak 24/20 (4 filer)" in result.output
        assert "Endret tittel" not in docx_text(built / "output" / "24-20-saksframlegg.docx")

    def it_makes_a_renamed_meeting_file_and_removes_what_the_old_name_made(self, run, built):
        moter = built / "cases" / "moter"
        (moter / "2020-08-18-kommunedirektorutvalget.yaml").rename(moter / "kdu-august.yaml")
        (moter / "2020-08-18-kommunedirektorutvalget.motebok.yaml").rename(moter / "kdu-august.motebok.yaml")
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          møte 2020-08-18" in result.output, result.output
        names = {p.name for p in (built / "output").iterdir() if p.is_file()}
        assert {"kdu-august-innkalling.docx", "kdu-august-innkalling.pdf", "kdu-august-motedokumenter.pdf",
                "kdu-august-motebok.pdf", "kdu-august-23-20-saerutskrift-kommunestyret-i-roros.pdf"} <= names
        assert not [n for n in names if n.startswith("2020-08-18-kommunedirektorutvalget")]

    def it_removes_what_a_deleted_case_made_but_nothing_outside_output(self, run, built):
        import hashlib
        import json

        outside = built / "cases" / "uvedkommende.txt"
        outside.write_text("ikke rør", encoding="utf-8")
        state = built / "output" / ".makecase-build.json"
        data = json.loads(state.read_text(encoding="utf-8"))
        data["sak 99/20"] = {"fingerprint": "x", "outputs": {str(outside): hashlib.sha256("ikke rør".encode()).hexdigest()}}
        state.write_text(json.dumps(data), encoding="utf-8")
        (built / "cases" / "2020" / "22-20.yaml").unlink()
        edit_meeting = built / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        edit_meeting.write_text(edit_meeting.read_text(encoding="utf-8").replace("  - 22/20\n  - 23/20\n  - 24/20\n", "  - 23/20\n"),
                                encoding="utf-8")
        (built / "cases" / "2020" / "24-20.yaml").unlink()
        edit_meeting.with_name(edit_meeting.stem + ".motebok.yaml").unlink()  # it recorded the cases now gone
        for council in edit_meeting.parent.glob("2020-09-02-radet*.yaml"):  # its only case was 24/20
            council.unlink()
        assert run("bygg", "--alle", "-j", "1").exit_code == 0
        assert not list((built / "output").glob("24-20-*"))  # the saksframlegg and the særutskrift
        assert outside.read_text(encoding="utf-8") == "ikke rør"

    def it_remakes_everything_when_makecase_or_a_renderer_changes(self, run, built, monkeypatch):
        from generator.commands import build
        assert b"def make_case(" in b"".join(build._package_data())  # its code is part of every fingerprint
        assert "pikepdf==" in build._versions() and "gs: " in build._versions()  # they write the package's vedlegg pages
        monkeypatch.setattr(build, "_versions", lambda: "typst==99.0")
        result = run("bygg", "--alle", "-j", "1")
        assert "43 filer skrevet, 0 jobber uendret" in result.output

    def it_remakes_only_the_meetings_whose_cases_changed(self, run, project):
        other = project / "cases" / "2020" / "30-20.yaml"
        other.write_text("sak: 30/20\ntittel: En sak på et annet møte\nsaksgang:\n"
                         "  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n    møtedato: 15.09.2020\n"
                         "saksopplysninger: |\n  Tekst.\n", encoding="utf-8")
        assert run("bygg", "--alle", "-j", "1").exit_code == 0
        other.write_text(other.read_text(encoding="utf-8").replace("Tekst.", "Annen tekst."), encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          sak 30/20 (2 filer)" in result.output
        assert "hoppet over møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)" in result.output

    def it_remakes_a_meeting_when_a_case_for_its_list_appears(self, run, project):
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        meeting.with_name(meeting.stem + ".motebok.yaml").unlink()  # the meeting has not been held yet
        meeting.write_text(meeting.read_text(encoding="utf-8") + "  - 25/20\n", encoding="utf-8")
        assert run("bygg", "--alle", "-j", "1").exit_code == 1  # 25/20 is on the list but does not exist yet
        (project / "cases" / "2020" / "25-20.yaml").write_text(
            "sak: 25/20\ntittel: Ny sak\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n"
            "    møtedato: 18.08.2020\n    utvalgssak: 25/20\nsaksopplysninger: |\n  Tekst.\n", encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 0, result.output
        assert "ok          møte 2020-08-18" in result.output

    @pytest.mark.parametrize("state", ['[1, 2]', '{"sak 24/20": 5}', '{"sak 24/20": {"fingerprint": 1, "outputs": []}}',
                                       "ikke json"])
    def it_makes_everything_again_from_a_state_file_of_another_shape(self, run, project, state):
        (project / "output").mkdir()
        (project / "output" / ".makecase-build.json").write_text(state, encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 0, result.output
        assert "43 filer skrevet" in result.output

    def it_makes_neither_of_two_files_for_one_meeting(self, run, built):
        """A copy of a meeting file: the build says so, as `makecase møte` does, and serves neither."""
        meeting = built / "cases" / "moter" / "2020-09-02-radet.yaml"
        (meeting.parent / "2020-09-02-radet-kopi.yaml").write_text(meeting.read_text(encoding="utf-8"), encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 2, result.output
        assert ("cases/moter/2020-09-02-radet.yaml:4: møtedato: møtet i Trøndelag Sør-Interkommunalt politisk råd "
                "02.09.2020 er allerede beskrevet i cases/moter/2020-09-02-radet-kopi.yaml; ett møte har én møtefil") \
            in result.output
        assert "hoppet over møte 2020-09-02" not in result.output
        assert "FEIL        møte 2020-09-02-radet (møtet har flere møtefiler)" in result.output
        assert "FEIL        møte 2020-09-02-radet-kopi (møtet har flere møtefiler)" in result.output

    def it_fails_only_the_meeting_whose_file_is_broken_naming_its_line(self, run, project):
        moter = project / "cases" / "moter"
        (moter / "2020-09-15-odelagt.yaml").write_text("utvalg: Kommunedirektørutvalget i Trøndelag Sør\nmøtedato: [\n",
                                                        encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 2  # bad input in the meeting file
        assert "ok          møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)" in result.output
        assert "møte 2020-09-15-odelagt (feil i filen): Fant 1 feil i saksfilene:" in result.output
        assert "cases/moter/2020-09-15-odelagt.yaml:" in result.output and "intern feil" not in result.output

    def it_treats_a_meeting_file_written_with_the_codes_field_names_alike_in_a_batch(self, run, project):
        """`motedato` is the field's name in the code, not a key of the case format: refused the same
        way by `møte` and `bygg` (it was accepted by both, silently, where `moetedato` was refused)."""
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("møtedato:", "motedato:"), encoding="utf-8")
        message = "cases/moter/2020-08-18-kommunedirektorutvalget.yaml:2: motedato: ukjent felt; mente du «møtedato»?"
        for args in (["møte", "2020-08-18"], ["bygg", "--alle", "-j", "1"]):
            result = run(*args)
            assert result.exit_code == 2 and message in result.output, (args, result.output)

    def it_plans_quickly_past_a_case_file_too_large_to_read(self, run, project):
        import time

        big = project / "cases" / "2020" / "stor.yaml"
        big.write_text("sak: 31/20\nsaksopplysninger: |\n" + ("  " + "x" * 98 + "\n") * 120_000, encoding="utf-8")
        started = time.monotonic()
        result = run("bygg", "--alle", "-j", "1")
        assert time.monotonic() - started < 20  # a bound, not a benchmark: the 12 MB file is not parsed
        assert result.exit_code == 2  # bad input
        assert "cases/2020/stor.yaml:1: filen er for stor (12 MB; grensen er 2 MB)" in result.output


class DescribeMoteboker:
    def it_builds_a_motebok_and_remakes_it_and_what_is_held_to_it_when_it_changes(self, run, built):
        """A case is held to the møtebøker of its meetings, and a package shows their vedtak: a changed
        møtebok makes the cases it records again, and the meetings that list them, nothing else."""
        assert (built / "output" / "2020-08-18-kommunedirektorutvalget-motebok.pdf").is_file()
        motebok = built / "cases" / "moter" / "2020-09-02-radet.motebok.yaml"
        edit(motebok, 'hevet: "11:10"', 'hevet: "11:15"')
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 0, result.output
        for made in ("ok          sak 24/20", "ok          møtebok 2020-09-02", "ok          møte 2020-09-02",
                     "ok          møte 2020-08-18"):  # the committee's package lists 24/20
            assert made in result.output, (made, result.output)
        for skipped in ("hoppet over sak 22/20", "hoppet over sak 23/20"):
            assert skipped in result.output, (skipped, result.output)

    def it_fails_the_job_of_a_case_whose_vedtak_the_motebok_contradicts(self, run, built):
        """A hostile review: `bygg --alle` reported «ok» for a case `makecase 24/20` refused."""
        edit(built / "cases" / "2020" / "24-20.yaml", "Kommunedirektørutvalget slutter seg til prosjektskissen.",
             "Kommunedirektørutvalget avviser prosjektskissen.")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 1
        assert "FEIL        sak 24/20" in result.output and "18.08.2020 er ikke det møteboken viser" in result.output

    def it_remakes_the_motebok_when_a_case_changes(self, run, built):
        case = built / "cases" / "2020" / "23-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace(
            "innstilling: |\n  Samarbeidsavtale for Trøndelag Sør-Interkommunalt politisk råd vedtas.",
            "innstilling: |\n  Samarbeidsavtale for Trøndelag Sør-Interkommunalt politisk råd vedtas nå."), encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert "ok          møtebok 2020-08-18" in result.output, result.output  # its vedtak is the innstilling


def it_stops_a_batch_on_ctrl_c_with_one_word_and_no_process_left(project):
    """Ctrl-C reaches the whole process group; the workers leave it to makecase, which says «Avbrutt.»."""
    import os
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-m", "generator", "bygg", "--alle", "-j", "2"], cwd=project,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    assert process.stdout.readline().startswith("ok ")  # the workers are at work
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, "Avbrutt.\n")
    for _ in range(1000):  # the fork server ends when makecase has: give it the moment it needs
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.01)
    else:
        raise AssertionError("a process of the batch is still running 10 s after makecase ended")


class DescribeWhatAnotherFileDecides:
    """A hunt for stale builds: a job whose result another file decides was skipped when that file
    changed (01.12.2026, late session). Each row: incremental bygg fails the job as a fresh one would."""

    CASE_25 = ("sak: 25/20\ntittel: En ny sak\n{extra}saksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n"
               "    møtedato: 01.12.2020\n    utvalgssak: 25/20\nsaksopplysninger: |\n  Tekst.\n")

    def it_fails_the_cases_of_a_meeting_whose_file_was_copied_for_the_same_day(self, run, built):
        moter = built / "cases" / "moter"
        shutil.copy(moter / "2020-08-18-kommunedirektorutvalget.yaml", moter / "2020-08-18-kdu-kopi.yaml")
        result = run("bygg", "--alle", "-j", "1")
        assert "FEIL        sak 23/20" in result.output and "hoppet over sak 23/20" not in result.output

    def it_fails_a_case_when_a_broken_meeting_file_for_its_day_appears(self, run, built):
        (built / "cases" / "moter" / "2020-09-17-roros.yaml").write_text(
            "utvalg: Kommunestyret i Røros\nmøtedato: 17.09.2020\nsaker: [23/20\n", encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert "FEIL        sak 23/20" in result.output and "2020-09-17-roros.yaml" in result.output

    def it_fails_a_case_whose_vedlegg_another_case_now_closes(self, run, built):
        (built / "cases" / "2020" / "25-20.yaml").write_text(self.CASE_25.format(extra="") + (
            "vedlegg:\n  - fil: vedlegg/2020/22-20-aktivitetsrapport-2020.pdf\n    tittel: Rapporten\n    lukket:\n"
            "      hjemmel: offl. § 13 jf. fvl. § 13 første ledd nr. 1\n"), encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 1, result.output
        assert "FEIL        sak 22/20" in result.output and "unntatt offentlighet i sak 25/20" in result.output

    def it_fails_a_case_whose_arkivsak_a_new_case_takes(self, run, built):
        (built / "cases" / "2020" / "25-20.yaml").write_text(self.CASE_25.format(extra="arkivsak: 2020/18145-1\n"),
                                                             encoding="utf-8")
        result = run("bygg", "--alle", "-j", "1")
        assert "FEIL        sak 24/20" in result.output and "hoppet over sak 24/20" not in result.output
