"""Hostile input: template injection, path escapes, arbitrary Unicode (hypothesis), two
processes at once and a render killed midway — and nothing lost."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from conftest import REPO, edit, output_files, without_referater
from generator.cli import main_group
from generator.errors import MakecaseError
from generator.verify.pdfa import validate
from generator.commands.pipeline import make_case
from generator.folder import ProjectFolder
from generator.domain.values import Saksnummer
from generator.xmltext import xml_safe
from textof import docx_text, normalise, pdf_text

PAYLOADS = [
    "{{ ''.__class__.__mro__ }}",
    "{% for x in range(3) %}X{% endfor %}",
    "{{ config }} {{ self }} {{p innhold }}",
    "{%tr for r in saksgang.rader %}",
    "<w:p><w:r><w:t>inn</w:t></w:r></w:p> ]]> &amp; &lt;",
]


def case_yaml(**fields: str) -> str:
    """Return case 24/20 with the given text fields (JSON strings are valid YAML)."""
    base = {
        "sak": "24/20", "tittel": "Tittel", "saksbehandler": "Mari Løvli Yri",
        "saksgang": [{"utvalg": "Kommunedirektørutvalget i Trøndelag Sør", "møtedato": "18.08.2020"}],
        "dokumenter": [{"nr": 1, "type": "S", "tittel": "Dokument"}],
        "vedlegg": [{"tittel": "Et vedlegg"}],
        "saksopplysninger": "Tekst.", "vurdering": "Vurdering.", "innstilling": "Innstilling.",
    }
    for name, value in fields.items():
        if name == "dokument":
            base["dokumenter"][0]["tittel"] = value
        elif name == "vedleggstittel":
            base["vedlegg"][0]["tittel"] = value
        else:
            base[name] = value
    return json.dumps(base, ensure_ascii=False, indent=1)


TEXT_FIELDS = ["tittel", "saksbehandler", "saksopplysninger", "vurdering", "innstilling", "dokument", "vedleggstittel"]


class DescribeTemplateInjection:
    @pytest.mark.parametrize("payload", PAYLOADS)
    def it_prints_template_syntax_in_every_field_literally(self, project, payload):
        fields = {name: f"{name}: {payload}" for name in TEXT_FIELDS}
        (project / "cases" / "2020" / "24-20.yaml").write_text(case_yaml(**fields), encoding="utf-8")
        made = make_case(ProjectFolder(project), Saksnummer.parse("24/20"))
        docx, pdf = (p for p in made.paths)
        for text in (docx_text(docx), pdf_text(pdf)):
            for name in TEXT_FIELDS:
                assert normalise(f"{name}: {payload}") in text
            assert "<class" not in text and "XXX" not in text

    def add_to_template(self, project: Path, text: str) -> None:
        template = project / "templates" / "saksframlegg.docx"
        doc = Document(str(template))
        doc.add_paragraph(text)
        doc.save(str(template))

    def it_names_the_template_and_the_tag_of_a_broken_template(self, run, project):
        self.add_to_template(project, "{% if organisasjon %} uten slutt")
        result = run("24/20")
        assert result.exit_code == 2
        assert result.output.startswith("Feil: Malen templates/saksframlegg.docx har en feil i et felt: "
                                        "«{% if … %}» er ikke lukket: malen slutter før «{% elif %}» eller «{% else %}» "
                                        "eller «{% endif %}»")
        assert output_files(project) == []

    def it_names_an_unknown_variable_in_a_template(self, run, project):
        self.add_to_template(project, "{{ saksnumer }}")
        result = run("24/20")
        assert result.exit_code == 2
        assert "Malen templates/saksframlegg.docx bruker ukjente felt: saksnumer." in result.output


class DescribePathSafety:
    @pytest.mark.parametrize("reference", ["../../../etc/passwd", "/etc/passwd", "vedlegg/../../templates/x.yaml"])
    def it_refuses_attachments_outside_the_cases_folder(self, run, project, reference):
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace(
            "fil: vedlegg/2020/24-20-prosjektskisse.yaml", f"fil: {reference}"), encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 2
        assert f"vedlegg[0].fil: vedleggsfilen «{reference}» må ligge under cases/" in result.output

    def it_refuses_a_symlink_that_points_outside(self, run, project, tmp_path):
        outside = tmp_path / "utenfor.yaml"
        outside.write_text((project / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml").read_text(encoding="utf-8"),
                           encoding="utf-8")
        link = project / "cases" / "vedlegg" / "2020" / "lenke.yaml"
        link.symlink_to(outside)
        case = project / "cases" / "2020" / "24-20.yaml"
        edit(case, "24-20-prosjektskisse.yaml", "lenke.yaml")
        result = run("24/20")
        assert result.exit_code == 2
        assert "vedleggsfilen «vedlegg/2020/lenke.yaml» må ligge under cases/" in result.output

    def it_refuses_a_template_that_points_outside(self, run, project, tmp_path):
        template = project / "templates" / "saksframlegg.docx"
        outside = tmp_path / "mal.docx"
        template.rename(outside)
        template.symlink_to(outside)
        result = run("24/20")
        assert result.exit_code == 2
        assert "Malen templates/saksframlegg.docx peker ut av prosjektmappen" in result.output
        assert output_files(project) == []


# --- fuzzing ---------------------------------------------------------------------------------

#: Examples per text field: a short run in CI; MAKECASE_FUZZ_EXAMPLES=1000 for the long one.
EXAMPLES = int(os.environ.get("MAKECASE_FUZZ_EXAMPLES", "15"))
LATIN = re.compile(r"[A-Za-zÆØÅæøå0-9]{3,}")
texts = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=120),
    st.text(st.characters(whitelist_categories=("Mn", "Cf", "Cc", "So", "Lo")), max_size=40),
    st.sampled_from(["", " ", "\u200f\u202eRTL", "😀👍🏽 emoji", "e\u0301\u0301\u0301", "\x00\x01\x0b\ufffe",
                     "W" * 10_000, "ord " * 2_000]),
)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("fuzz") / "prosjekt"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "templates", root / "templates")
    return root


@pytest.mark.parametrize("field", TEXT_FIELDS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=texts)
def it_renders_any_text_or_refuses_it_clearly(fuzz_project, field, value):
    """Every text field takes arbitrary Unicode: a valid DOCX and PDF with the text, or a clear
    refusal (a makecase error), never a traceback. MAKECASE_FUZZ_EXAMPLES=1000 for a long run."""
    (fuzz_project / "cases" / "2020" / "24-20.yaml").write_text(case_yaml(**{field: value}), encoding="utf-8")
    try:
        made = make_case(ProjectFolder(fuzz_project), Saksnummer.parse("24/20"))
    except MakecaseError as refusal:
        assert refusal.exit_code in (1, 2) and refusal.format_message()
        return
    docx, pdf = made.paths
    document = Document(str(docx))  # opens: well-formed XML
    with zipfile.ZipFile(docx) as package:
        assert package.testzip() is None
    reader = PdfReader(str(pdf))
    extracted = normalise(" ".join(page.extract_text() or "" for page in reader.pages))
    words = LATIN.findall(xml_safe(value))[:20]
    docx_words = normalise(" ".join([p.text for p in document.paragraphs] +
                                    [c.text for t in document.tables for r in t.rows for c in r.cells]))
    for word in words:
        assert word in docx_words.replace(" ", "") or word in docx_words
        if len(word) > 200:  # a page-long word is broken across lines and pages, with page furniture between
            assert extracted.count(word[0]) >= len(word)
        else:
            assert word in extracted.replace(" ", "") or word in extracted


def it_keeps_fuzzed_output_pdfa(fuzz_project):
    (fuzz_project / "cases" / "2020" / "24-20.yaml").write_text(
        case_yaml(tittel="😀 RTL e\u0301 " + "W" * 980, saksopplysninger="ord " * 3000), encoding="utf-8")
    made = make_case(ProjectFolder(fuzz_project), Saksnummer.parse("24/20"))
    assert validate(made.paths[1]) == []


# --- concurrency and crashes ----------------------------------------------------------------


def makecase_process(project: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


class DescribeConcurrencyAndCrashes:
    def it_never_corrupts_a_file_when_two_processes_render_at_once(self, project):
        first, second = makecase_process(project, "24/20"), makecase_process(project, "24/20")
        assert first.wait(60) == 0 and second.wait(60) == 0
        for path in (project / "output").rglob("*"):
            assert not path.name.endswith(".tmp")  # no temporary file left behind
        Document(str(project / "output" / "24-20-saksframlegg.docx"))
        assert validate(project / "output" / "24-20-saksframlegg.pdf") == []

    @pytest.mark.parametrize("delay", [0.2, 0.5, 0.8])
    def it_keeps_the_previous_good_file_when_killed(self, project, delay):
        assert makecase_process(project, "24/20").wait(60) == 0
        before = {p.name: p.read_bytes() for p in (project / "output").iterdir() if p.is_file()}
        process = makecase_process(project, "24/20")
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        process.wait(60)
        after = {p.name: p.read_bytes() for p in (project / "output").iterdir() if p.is_file()}
        assert after == before  # same input, same bytes: finished files are identical, unfinished ones absent


class DescribeLinksInProse:
    """Only https: and mailto: (and http: where the organisation allows it) become links; a link
    to smb:, file:, ms-msdt: or a UNC path would run something on the reader's machine."""

    DANGEROUS = ("[Feilsøking](ms-msdt:/id%20PCWDiagnostic) <smb://tjener/deling> [Mappe](\\\\\\\\tjener\\\\deling) "
                 "[Gammel](http://eksempel.no) [Ny](https://eksempel.no) [Post](mailto:post@eksempel.no)")

    def targets(self, project: Path) -> tuple[list[str], list[str]]:
        import zipfile

        import pikepdf

        with zipfile.ZipFile(project / "output" / "24-20-saksframlegg.docx") as package:
            rels = package.read("word/_rels/document.xml.rels").decode()
        docx = sorted(re.findall(r'Target="([^"]+)"[^>]*TargetMode="External"', rels))
        with pikepdf.open(project / "output" / "24-20-saksframlegg.pdf") as pdf:
            pdf_links = sorted(str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])
                               if a.get("/Subtype") == "/Link" and "/A" in a and "/URI" in a.A)
        return docx, pdf_links

    def it_links_only_safe_schemes_and_keeps_the_words_of_the_rest(self, run, project):
        from textof import docx_text, pdf_text

        edit(project / "cases" / "2020" / "24-20.yaml", "Projektskisse med finansieringsplan må behandles i rådet.",
             self.DANGEROUS)
        assert run("24/20").exit_code == 0
        assert self.targets(project) == (["https://eksempel.no", "mailto:post@eksempel.no"],
                                         ["https://eksempel.no", "mailto:post@eksempel.no"])
        for text in (docx_text(project / "output" / "24-20-saksframlegg.docx"),
                     pdf_text(project / "output" / "24-20-saksframlegg.pdf")):
            assert "Feilsøking smb://tjener/deling Mappe Gammel Ny Post" in text

    def it_links_http_where_the_organisation_allows_it(self, run, project):
        edit(project / "cases" / "organisasjon.yaml", "målform: bokmål\n", "målform: bokmål\nhttp_lenker: true\n")
        edit(project / "cases" / "2020" / "24-20.yaml", "Projektskisse med finansieringsplan må behandles i rådet.",
             self.DANGEROUS)
        assert run("24/20").exit_code == 0
        docx, pdf_links = self.targets(project)
        assert docx == pdf_links == ["http://eksempel.no", "https://eksempel.no", "mailto:post@eksempel.no"]


class DescribeTemplatesThatWouldNotEnd:
    """A Word template that reads another file, calls itself or loops without end gets exit 2 with
    the template's name, and no helper outlives its makecase."""

    def template_with(self, project: Path, tag: str) -> None:
        from docx import Document

        path = project / "templates" / "saksframlegg.docx"
        doc = Document(str(path))
        doc.paragraphs[-1].insert_paragraph_before(tag)
        doc.save(str(path))

    @pytest.mark.parametrize(("tag", "message"), [
        ('{% include "annen.docx" %}', "«include» henter noe utenfor malen"),
        ('{% import "annen.docx" as a %}', "«import» henter noe utenfor malen"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "et felt kaller seg selv uten å stoppe"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
         "ble ikke ferdig utfylt på 2 sekunder"),
    ])
    def it_names_the_template(self, project, tag, message):
        self.template_with(project, tag)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "generator", "24/20"], cwd=project, capture_output=True, text=True,
                              timeout=60, env={**os.environ, "MAKECASE_TIDSGRENSE": "2"})
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("Feil: Malen templates/saksframlegg.docx") and message in done.stderr
        assert time.monotonic() - started < 30
        assert output_files(project) == []

    def it_leaves_no_helper_behind_when_makecase_is_killed(self, project):
        self.template_with(project, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}")
        process = subprocess.Popen([sys.executable, "-m", "generator", "--mappe", str(project), "24/20"], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(2)  # the helpers are rendering (the DOCX one loops)
        process.kill()
        process.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.helpers(project):
            time.sleep(0.2)
        assert self.helpers(project) == []

    @staticmethod
    def helpers(project: Path) -> list[str]:
        found = []
        for entry in Path("/proc").iterdir():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if str(project).encode() in args and b"generator" in args:
                found.append(entry.name)
        return found


class DescribeAnOutputFolderThatSaysNo:
    def it_names_a_file_where_the_output_folder_goes(self, run, project):
        (project / "output").write_text("ikke en mappe", encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 2
        assert result.output == ("Feil: Kan ikke skrive output/24-20-saksframlegg.docx: en fil ligger der en mappe skal "
                                 "være (flytt den, eller slett den).\n")

    def it_says_the_disk_is_full(self, run, project, monkeypatch):
        import errno

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
        result = run("24/20")
        assert result.exit_code == 2
        assert result.output.startswith("Feil: Kan ikke skrive output/24-20-saksframlegg.docx: disken er full")
        assert output_files(project) == []  # and no temporary file is left behind
        assert [p.name for p in (project / "output").rglob("*.tmp")] == []


class DescribeLinksOutOfTheProject:
    def it_refuses_a_case_file_that_links_outside(self, run, project, tmp_path):
        outside = tmp_path / "utenfor.yaml"
        outside.write_text((project / "cases" / "2020" / "24-20.yaml").read_text(encoding="utf-8"), encoding="utf-8")
        (project / "cases" / "2020" / "24-20.yaml").unlink()
        (project / "cases" / "2020" / "24-20.yaml").symlink_to(outside)
        result = run("24/20")
        assert result.exit_code == 2
        assert "cases/2020/24-20.yaml: filen er en lenke ut av prosjektmappen" in result.output
        assert output_files(project) == []

    @pytest.mark.parametrize("link", ["output", "output/.makecase-cache", "output/arkiv", "output/arkiv/annet",
                                      "output/arkiv/2020-18145-1", "output/trondelag-sor-interkommunalt-politisk-rad"])
    def it_refuses_an_output_folder_that_is_or_holds_a_link(self, run, project, tmp_path, link):
        """Any folder in output/ may be where makecase writes, renames or cleans up: a link anywhere
        in it is refused before anything is touched (a leftover-looking folder outside included)."""
        users = tmp_path / "brukerens-filer"
        (users / ".backup.2024.staging").mkdir(parents=True)
        (users / ".backup.2024.staging" / "d.txt").write_text("ikke rør", encoding="utf-8")
        (users / "viktig.txt").write_text("ikke rør", encoding="utf-8")
        (users / ".cache.tmp").write_text("ikke rør", encoding="utf-8")
        (project / link).parent.mkdir(parents=True, exist_ok=True)
        (project / link).symlink_to(users, target_is_directory=True)
        for args in (("24/20",), ("24/20", "--arkiv"), ("bygg", "--alle", "-j", "1"), ("møte", "2020-08-18"),
                     ("møte", "2020-08-18", "--arkiv")):
            result = run(*args)
            assert result.exit_code == 2, result.output
            assert f"Feil: {link} er en lenke" in result.output
        assert sorted(p.name for p in users.rglob("*")) == [".backup.2024.staging", ".cache.tmp", "d.txt", "viktig.txt"]


def it_keeps_two_meeting_files_of_one_name_in_different_folders_apart(run, project):
    moter = project / "cases" / "moter"
    (moter / "2020").mkdir()
    (moter / "2021").mkdir()
    text = (moter / "2020-08-18-kommunedirektorutvalget.yaml").read_text(encoding="utf-8")
    (moter / "2020-08-18-kommunedirektorutvalget.yaml").rename(moter / "2020" / "kdu.yaml")
    (moter / "2021" / "kdu.yaml").write_text(text.replace("møtedato: 18.08.2020", "møtedato: 19.08.2021")
                                             .replace("  - 22/20\n  - 23/20\n  - 24/20\n", "  - 22/20\n"), encoding="utf-8")
    without_referater(project)  # its saksgang last, to add a step to
    case = project / "cases" / "2020" / "22-20.yaml"
    case.write_text(case.read_text(encoding="utf-8") + "  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n"
                    "    møtedato: 19.08.2021\n", encoding="utf-8")
    assert run("møte", "2020-08-18").exit_code == 0
    assert run("møte", "2021-08-19").exit_code == 0
    names = sorted(p.name for p in (project / "output").iterdir() if p.is_file())
    assert "2020-kdu-innkalling.pdf" in names and "2021-kdu-innkalling.pdf" in names


@pytest.mark.parametrize("first, second", [("2020-a/b.yaml", "2020/a-b.yaml"), ("x.yml", "x.yaml"),
                                           ("x.yaml", "x-offentlig.yaml")])
def it_refuses_two_meeting_files_whose_outputs_would_share_names(run, project, first, second):
    moter = project / "cases" / "moter"
    text = (moter / "2020-08-18-kommunedirektorutvalget.yaml").read_text(encoding="utf-8")
    (moter / "2020-08-18-kommunedirektorutvalget.yaml").unlink()
    for name in (first, second):
        (moter / name).parent.mkdir(parents=True, exist_ok=True)
        (moter / name).write_text(text, encoding="utf-8")
    (moter / second).write_text(text.replace("møtedato: 18.08.2020", "møtedato: 19.08.2020"), encoding="utf-8")
    for args in (("møte", "2020-08-18", "--offentlig"), ("møte", "2020-08-19")):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "ville gitt filer med samme navn" in result.output
        assert f"cases/moter/{first}" in result.output and f"cases/moter/{second}" in result.output
    assert not [p for p in (project / "output").rglob("*") if p.is_file()] if (project / "output").exists() else True


@pytest.mark.parametrize("args", [["bygg", "--alle", "-j", "1"], ["vis"], ["24/20"]])
def it_ends_quietly_when_its_reader_stops_reading(project, args):
    """`makecase … | head -1`: the command does all its work, says nothing more, and keeps its status."""
    process = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors.decode()
    assert errors == b""
    if args[0] == "bygg":
        assert len([n for n in output_files(project) if not n.startswith(".")]) == 43


def it_refuses_a_word_too_long_for_pdf_a_naming_its_line(run, project):
    """PDF/A caps a PDF string at 32 767 bytes; a pasted 40 000-character token is the case's
    problem, named where it is, not the template's."""
    edit(project / "cases" / "2020" / "24-20.yaml", "Projektskisse med finansieringsplan må behandles i rådet.", "x" * 40_000)
    result = run("24/20")
    assert result.exit_code == 2
    assert "cases/2020/24-20.yaml:39: saksopplysninger: et ord på 40\u00a0000 tegn uten mellomrom kan ikke settes i PDF/A" in result.output
    edit(project / "cases" / "2020" / "24-20.yaml", "x" * 40_000, "æ" * 10_000)
    assert run("24/20").exit_code == 0


class DescribeWhatMakecaseMayRemove:
    """Only its own documents in output/, never the archive, hidden files or anything else, and only
    as it wrote them; a typo never costs a case its documents."""

    def it_keeps_the_documents_of_a_case_or_meeting_whose_file_has_a_typo(self, run, project):
        assert run("bygg", "--alle", "-j", "1").exit_code == 0
        before = set(output_files(project))
        edit(project / "cases" / "2020" / "24-20.yaml", "sak: 24/20", "sak: 24-20")
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8") + "titel: x\n", encoding="utf-8")
        edit(project / "cases" / "2020" / "23-20.yaml", "saksbehandler:", "saksbehandlar:")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 2
        assert set(output_files(project)) == before
        assert ("  sak 23/20: Fant 1 feil i saksfilene:\n  cases/2020/23-20.yaml:4: saksbehandlar: ukjent felt; "
                "mente du «saksbehandler»?\n    (dokumentene fra forrige vellykkede bygging ligger fortsatt i output/: "
                "6 filer)") in result.output

    def it_judges_a_copied_project_by_its_own_files(self, run, project, tmp_path):
        assert run("bygg", "--alle", "-j", "1").exit_code == 0
        copy = tmp_path / "kopi"
        shutil.copytree(project, copy, symlinks=True)
        (copy / "output" / "24-20-saksframlegg.pdf").unlink()
        result = CliRunner().invoke(main_group, ["--mappe", str(copy), "bygg", "--alle", "-j", "1"])
        assert "ok          sak 24/20 (4 filer)" in result.output, result.output
        assert (copy / "output" / "24-20-saksframlegg.pdf").is_file()

    def it_removes_the_documents_of_a_case_that_no_longer_has_any(self, run, project):
        assert run("24/20").exit_code == 0
        case = project / "cases" / "2020" / "24-20.yaml"
        text = case.read_text(encoding="utf-8").replace("[[sum_utgifter]]", "kr 600 000").replace("[[egenandel]]", "30,0 %")
        case.write_text(text[:text.index("dokumenter:")], encoding="utf-8")  # number, title, saksgang: no text
        # (the council's vedtak as written out: its references would name a prosjektskisse the case no longer
        # has; and no møtebøker, whose vedtak cite that prosjektskisse's figures)
        for motebok in (project / "cases" / "moter").glob("*.motebok.yaml"):
            motebok.unlink()
        assert run("24/20").exit_code == 0
        assert not [n for n in output_files(project) if n.startswith("24-20")]

    def it_cleans_each_kommunestyre_folder_however_the_editions_were_asked_for(self, run, project):
        assert run("23/20", "--kommunestyre").exit_code == 0
        edit(project / "cases" / "2020" / "23-20.yaml", "  - fil: vedlegg/2020/23-20-om-radet.yaml\n", "")
        assert run("23/20", "--kommunestyre", "røros").exit_code == 0
        roros = sorted(p.name for p in (project / "output" / "23-20-kommunestyret-i-roros").iterdir())
        assert roros == sorted(f"23-20-{d}.{s}" for d in ("saksframlegg", "vedlegg-1-samarbeidsavtale") for s in ("docx", "pdf"))

    def it_refuses_two_files_for_one_meeting_naming_both(self, run, project):
        moter = project / "cases" / "moter"
        shutil.copy(moter / "2020-08-18-kommunedirektorutvalget.yaml", moter / "2020-08-18-kommunedirektorutvalget.yml")
        for args in (("møte", "2020-08-18"), ("kontroller",)):
            result = run(*args)
            assert result.exit_code == 2
            assert ("cases/moter/2020-08-18-kommunedirektorutvalget.yml:2: møtedato: møtet i Kommunedirektørutvalget i "
                    "Trøndelag Sør 18.08.2020 er allerede beskrevet i cases/moter/2020-08-18-kommunedirektorutvalget.yaml"
                    ) in result.output

    def it_never_removes_what_a_tampered_record_names_outside_its_own_documents(self, run, project):
        import hashlib

        assert run("24/20", "--arkiv").exit_code == 0
        output = project / "output"
        (output / "notater.txt").write_text("mine notater", encoding="utf-8")
        names = ["notater.txt", "arkiv/2020-18145-1/24-20-saksframlegg.pdf", "arkiv/2020-18145-1/manifest.json",
                 ".makecase-build.json", "../cases/2020/24-20.yaml"]
        for record in (output / ".makecase-cache").glob("sett-*.json"):
            data = json.loads(record.read_text(encoding="utf-8"))
            data["filer"].update({n: hashlib.sha256((output / n).read_bytes()).hexdigest() for n in names if (output / n).is_file()})
            record.write_text(json.dumps(data), encoding="utf-8")
        before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".makecase-cache" not in p.parts}
        assert run("24/20").exit_code == 0
        after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".makecase-cache" not in p.parts}
        assert set(before) <= set(after)
        assert run("verifiser", "--arkiv", "output/arkiv/2020-18145-1").exit_code == 0

    def it_discards_a_planted_staging_folder_instead_of_finishing_it(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        planted = project / "output" / ".makecase-99999.staging"
        (planted / "arkiv" / "2020-18145-1").mkdir(parents=True)
        (planted / "arkiv" / "2020-18145-1" / "24-20-saksframlegg.pdf").write_bytes(b"JUNK")
        (planted / "23-20-saksframlegg.pdf").write_bytes(b"JUNK")
        (planted / ".fjern").write_text("arkiv/2020-18145-1/manifest.json\n24-20-saksframlegg.docx\n", encoding="utf-8")
        (planted / ".klar").touch()
        assert run("22/20").exit_code == 0
        assert not planted.exists()
        assert (project / "output" / "24-20-saksframlegg.docx").is_file()
        assert not (project / "output" / "23-20-saksframlegg.pdf").exists()
        assert run("verifiser", "--arkiv", "output/arkiv/2020-18145-1").exit_code == 0

    def it_does_not_hang_on_a_named_pipe_where_a_document_was(self, built):
        project = built  # a whole build's output/, as `bygg --alle` left it
        pipe = project / "output" / "24-20-saksframlegg.docx"
        pipe.unlink()
        os.mkfifo(pipe)
        done = subprocess.run([sys.executable, "-m", "generator", "bygg", "--alle", "-j", "1"], cwd=project,
                              capture_output=True, text=True, timeout=60)
        assert "sak 24/20" in done.stdout

    def it_does_not_follow_a_link_made_while_it_runs(self, tmp_path, monkeypatch):
        import io

        from generator.publish import files as publish

        data = io.BytesIO()
        Document().save(data)
        outside = tmp_path / "utenfor"
        outside.mkdir()
        output = tmp_path / "output"
        write_durable = publish.write_durable

        def then_a_link(path, content):  # someone makes output/sub a link between staging and the swap
            write_durable(path, content)
            (output / "sub").symlink_to(outside, target_is_directory=True)

        monkeypatch.setattr(publish, "write_durable", then_a_link)
        with pytest.raises(MakecaseError, match="er en lenke"):
            publish.write_all(output, [("sub/a.docx", data.getvalue())])
        assert list(outside.iterdir()) == []

    def it_looks_past_a_folder_another_run_removes_while_it_looks(self, project, monkeypatch):
        """Two workers of one batch: one's staging folder goes while the other walks output/."""
        from generator import folder as folders

        (project / "output" / "borte").mkdir(parents=True)
        scandir = os.scandir

        def gone(path):
            if str(path).endswith("borte"):
                raise FileNotFoundError(path)
            return scandir(path)

        monkeypatch.setattr(folders.os, "scandir", gone)
        ProjectFolder(project).refuse_links_out()
