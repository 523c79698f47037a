"""Batch builds: every case and meeting, in parallel, skipping what has not changed."""

from __future__ import annotations

from pathlib import Path

ALL_OUTPUTS = 13  # 22/20: none (no text), 23/20: 6, 24/20: 4, the meeting: 3


def mtimes(project: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / "output").glob("*.*") if not p.name.startswith(".")}


class DescribeBuildAll:
    def it_builds_every_case_and_meeting(self, run, project):
        result = run("build", "--all", "-j", "1")
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[:4] == [
            "ok          sak 22/20 (0 filer)",
            "ok          sak 23/20 (6 filer)",
            "ok          sak 24/20 (4 filer)",
            "ok          møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)",
        ]
        assert "4 av 4 jobber, 13 filer skrevet, 0 uendret" in result.output
        assert len(mtimes(project)) == ALL_OUTPUTS

    def it_builds_with_two_workers(self, run, project):
        result = run("build", "--all", "-j", "2")
        assert result.exit_code == 0, result.output
        assert "4 av 4 jobber, 13 filer skrevet" in result.output

    def it_skips_what_has_not_changed(self, run, project):
        assert run("build", "--all", "-j", "1").exit_code == 0
        before = mtimes(project)
        result = run("build", "--all", "-j", "1")
        assert "0 filer skrevet, 4 uendret (hoppet over)" in result.output
        assert mtimes(project) == before

    def it_rebuilds_a_changed_case_and_the_meetings(self, run, project):
        assert run("build", "--all", "-j", "1").exit_code == 0
        case = project / "cases" / "2020" / "22-20.yaml"
        case.write_text(case.read_text(encoding="utf-8") + "saksopplysninger: Ingen referatsaker.\n", encoding="utf-8")
        result = run("build", "--all", "-j", "1")
        lines = result.output.splitlines()
        assert "ok          sak 22/20 (2 filer)" in lines
        assert "hoppet over sak 23/20 (6 filer)" in lines and "hoppet over sak 24/20 (4 filer)" in lines
        assert "ok          møte 2020-08-18 Kommunedirektørutvalget i Trøndelag Sør (3 filer)" in lines

    def it_rebuilds_everything_when_a_template_changes_or_when_forced(self, run, project):
        assert run("build", "--all", "-j", "1").exit_code == 0
        template = project / "templates" / "vedlegg.docx"
        template.write_bytes(template.read_bytes())  # same bytes: nothing to do
        assert "4 uendret" in run("build", "--all", "-j", "1").output
        (project / "templates" / "README.txt").write_text("ikke en mal", encoding="utf-8")
        assert "4 uendret" in run("build", "--all", "-j", "1").output
        from docx import Document

        changed = Document(str(template))
        changed.core_properties.comments = "Ny logo"
        changed.save(str(template))
        result = run("build", "--all", "-j", "1")
        assert "ok          sak 24/20 (4 filer)" in result.output and "0 uendret" in result.output
        assert "4 av 4 jobber, 13 filer skrevet, 0 uendret" in run("build", "--all", "-j", "1", "--force").output

    def it_continues_past_a_failing_case_and_reports_it(self, run, project):
        (project / "cases" / "2020" / "24-20.yaml").write_text(
            "sak: 24/20\ntittel: x\nsaksgang:\n  - utvalg: Ukjent utvalg\n", encoding="utf-8")
        result = run("build", "--all", "-j", "1")
        assert result.exit_code == 1
        assert "ok          sak 23/20 (6 filer)" in result.output
        assert "FEIL        sak 24/20 (0 filer)" in result.output
        assert "2 jobber feilet:" in result.output
        assert "  sak 24/20: Fant 1 feil i saksfilene:" in result.output
        assert (project / "output" / "23-20-saksframlegg.pdf").is_file()
