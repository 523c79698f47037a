"""The command line: what a caseworker types, sees and gets back (exit status, files)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import edit, output_files, without_referater
from textof import docx_furniture, docx_text, normalise, pdf_pages, pdf_text

BAD_INPUTS = {
    "yaml-syntaks": ('sak: 24/20\ntittel: "uten slutt\n', "cases/2020/24-20.yaml:2: ugyldig YAML"),
    "ukjent-felt": (
        "sak: 24/20\ntittel: x\nsaksbehandlar: Mari\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n",
        "cases/2020/24-20.yaml:3: saksbehandlar: ukjent felt; mente du «saksbehandler»?",
    ),
    "feil-type": (
        "sak: 24/20\ntittel: [a, b]\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n",
        "cases/2020/24-20.yaml:2: tittel: forventet tekst, fant en liste",
    ),
    "umulig-dato": (
        "sak: 24/20\ntittel: x\nsaksgang:\n  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n    møtedato: 31.02.2020\n",
        "cases/2020/24-20.yaml:5: saksgang[0].møtedato: «31.02.2020» er ikke en gyldig dato",
    ),
    "mangler-felt": ("sak: 24/20\ntittel: x\n", "cases/2020/24-20.yaml:1: saksgang: påkrevd felt mangler"),
}


class DescribeMakingACase:
    @pytest.mark.parametrize("number, documents", [
        ("24/20", ["24-20-saksframlegg", "24-20-vedlegg-1-prosjektskisse"]),
        ("23/20", ["23-20-saksframlegg", "23-20-vedlegg-1-tekst", "23-20-vedlegg-2-samarbeidsavtale"]),
    ])
    def it_writes_a_docx_and_a_pdf_of_each_document_named_after_the_case(self, run, project, number, documents):
        result = run(number)
        assert result.exit_code == 0, result.output
        files = [f"{name}.{suffix}" for name in documents for suffix in ("docx", "pdf")]
        assert result.output.splitlines() == [f"Skrev output/{f}" for f in files]
        assert output_files(project) == sorted(files)

    def it_makes_no_empty_saksframlegg_for_a_case_without_text(self, run, project):
        without_referater(project)
        result = run("22/20")
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Sak 22/20 Referatsaker: saksfilen har verken saksopplysninger, vurdering,")
        assert "Skrev" not in result.output and output_files(project) == []
        case = project / "cases" / "2020" / "22-20.yaml"
        case.write_text(case.read_text(encoding="utf-8") + "saksopplysninger: Ingen referatsaker.\n", encoding="utf-8")
        assert run("22/20").output.splitlines() == ["Skrev output/22-20-saksframlegg.docx", "Skrev output/22-20-saksframlegg.pdf"]

    def it_works_from_a_subfolder_and_with_root(self, run, project, monkeypatch, tmp_path):
        monkeypatch.chdir(project / "cases" / "2020")
        assert run("24/20").exit_code == 0
        monkeypatch.chdir(tmp_path)
        result = run("--mappe", str(project), "22/20")
        assert result.exit_code == 0, result.output

    def it_names_the_closest_cases_for_an_unknown_number(self, run, project):
        result = run("25/20")
        assert result.exit_code == 2
        assert result.output == "Feil: Fant ingen sak 25/20. Nærmeste saker: 24/20, 23/20, 22/20.\n"
        assert output_files(project) == []

    def it_refuses_something_that_is_not_a_case_number(self, run):
        result = run("24")
        assert (result.exit_code, result.output) == (2, "Feil: «24» er ikke et saksnummer; skriv det som 24/20.\n")

    @pytest.mark.parametrize("name", sorted(BAD_INPUTS))
    def it_refuses_bad_input_with_file_line_and_field_and_writes_nothing(self, run, project, name):
        text, expected = BAD_INPUTS[name]
        (project / "cases" / "2020" / "24-20.yaml").write_text(text, encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 2
        assert expected in result.output
        assert "Traceback" not in result.output
        assert output_files(project) == []

    def it_prints_prose_literally_and_never_corrupts_the_documents(self, run, project):
        nasty = "Tegn & < > \" ' {{ 7*7 }} {% if 1 %}ja{% endif %} ]]> <b>fet</b>"
        underscores = "Hold {\\_{ dette }\\_} og {\\_% dette %\\_} likt"  # \_ : a literal _ in Markdown
        case = project / "cases" / "2020" / "24-20.yaml"
        text = case.read_text(encoding="utf-8")
        text = text.replace("Projektskisse med finansieringsplan må behandles i rådet.", f"{nasty}\n\n  {underscores}")
        text = text.replace("saksbehandler: Mari Løvli Yri", 'saksbehandler: "Mari & <Yri> {{ x }} {_{"')
        case.write_text(text, encoding="utf-8")
        assert run("24/20").exit_code == 0
        docx = docx_text(project / "output" / "24-20-saksframlegg.docx")
        pdf = pdf_text(project / "output" / "24-20-saksframlegg.pdf")
        for rendered in (docx, pdf):
            assert nasty in rendered
            assert "Hold {_{ dette }_} og {_% dette %_} likt" in rendered
            assert "Mari & <Yri> {{ x }} {_{" in rendered
            assert "49" not in rendered


class DescribeChecking:
    def it_passes_the_sample_project(self, run):
        result = run("kontroller")
        assert (result.exit_code, result.output) == (0, "Alt i orden: 3 saker, 2 møter og 2 møtebøker kontrollert.\n")

    def it_counts_the_moteboker_a_named_case_is_held_to(self, run, project):
        """`kontroller 24/20` said «1 sak og 0 møter kontrollert» while it held the case to two møtebøker."""
        result = run("kontroller", "24/20")
        assert (result.exit_code, result.output) == (0, "Alt i orden: 1 sak, 2 møter og 2 møtebøker kontrollert.\n")
        for motebok in (project / "cases" / "moter").glob("*.motebok.yaml"):
            motebok.unlink()
        result = run("kontroller", "24/20")
        assert (result.exit_code, result.output) == (0, "Alt i orden: 1 sak kontrollert.\n")

    def it_reports_a_rule_violation_with_exit_status_1(self, run, project):
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        edit(meeting, "  - 22/20\n  - 23/20", "  - 23/20\n  - 22/20")
        result = run("kontroller")
        assert result.exit_code == 1
        assert "sakslisten er ikke i nummerrekkefølge (ventet 22/20, 23/20, 24/20)" in result.output

    def it_names_a_listed_case_whose_number_line_is_mistyped_as_bad_input(self, run, project):
        """`sak 24/20` (no colon): the meeting cannot find 24/20, and says why in the case's own file,
        exit 2, instead of «finnes ikke» in the meeting file with exit 1 (a caseworker's review)."""
        edit(project / "cases" / "2020" / "24-20.yaml", "sak: 24/20", "sak 24/20", 1)
        for args in (["møte", "2020-08-18"], ["bygg", "--alle"]):
            result = run(*args)
            assert result.exit_code == 2, (args, result.output)
            assert "cases/2020/24-20.yaml:1: ugyldig YAML: «sak» mangler kolon etter feltnavnet; skriv sak: 24/20" \
                in result.output, args
            assert "finnes ikke" not in result.output

    def it_says_what_a_vedlegg_file_must_be_for_a_word_file(self, run, project):
        """A Word file as a vedlegg was read as a YAML file: «filen er ikke UTF-8» (a caseworker's review)."""
        (project / "cases" / "vedlegg" / "2020" / "brev.docx").write_bytes(b"PK\x03\x04 a Word file")
        edit(project / "cases" / "2020" / "24-20.yaml", "  - fil: vedlegg/2020/24-20-prosjektskisse.yaml",
             "  - fil: vedlegg/2020/brev.docx")
        result = run("24/20")
        assert result.exit_code == 2
        assert ("vedlegg[0].fil: cases/vedlegg/2020/brev.docx kan ikke være et vedlegg: et vedlegg er en PDF-fil eller "
                "en YAML-fil; lagre dokumentet som PDF (Fil → Lagre som → PDF)") in result.output
        assert "UTF-8" not in result.output

    def it_refuses_a_meeting_that_ends_before_it_begins(self, run, project):
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        edit(meeting, 'sluttid: "15:30"', 'sluttid: "13:30"')
        result = run("møte", "2020-08-18")
        assert result.exit_code == 1
        assert ("cases/moter/2020-08-18-kommunedirektorutvalget.yaml:5: møtet slutter (13:30) før eller da det "
                "begynner (14:00)") in result.output
        assert not (project / "output").exists() or not any((project / "output").glob("*.pdf"))

    def it_reports_a_case_missing_the_meeting_in_its_saksgang(self, run, project):
        case = project / "cases" / "2020" / "24-20.yaml"
        edit(case, "møtedato: 18.08.2020", "møtedato: 19.08.2020")
        result = run("kontroller")
        assert result.exit_code == 1
        # at the date to mend, with what it says (a caseworker's review: it pointed at «saksgang:»)
        assert ("Fant 1 regelbrudd:\n  cases/2020/24-20.yaml:11: sak 24/20 står på sakslisten til Kommunedirektørutvalget i "
                "Trøndelag Sør 18.08.2020, men saksgangen har ikke det møtet (saksgang[0] oppgir 19.08.2020)\n") in result.output

    def it_says_a_wrong_date_in_a_later_step_once_not_in_the_motebok_too(self, run, project):
        edit(project / "cases" / "2020" / "24-20.yaml", "møtedato: 02.09.2020", "møtedato: 02.09.2021")
        result = run("kontroller")
        assert result.exit_code == 1
        assert ("Fant 1 regelbrudd:\n  cases/2020/24-20.yaml:17: sak 31/20 står på sakslisten til Trøndelag "
                "Sør-Interkommunalt politisk råd 02.09.2020, men saksgangen har ikke det møtet (saksgang[1] oppgir "
                "02.09.2021)\n") in result.output

    def it_reports_bad_input_with_exit_status_2(self, run, project):
        (project / "cases" / "2020" / "24-20.yaml").write_text(BAD_INPUTS["umulig-dato"][0], encoding="utf-8")
        result = run("kontroller")
        assert result.exit_code == 2
        assert BAD_INPUTS["umulig-dato"][1] in result.output

    def it_checks_only_what_it_is_given(self, run, project):
        (project / "cases" / "2020" / "24-20.yaml").write_text(BAD_INPUTS["umulig-dato"][0], encoding="utf-8")
        assert run("kontroller", "23/20").exit_code == 0
        assert run("kontroller", "cases/2020/24-20.yaml").exit_code == 2


class DescribeListingAndSchema:
    def it_lists_number_title_date_and_status(self, run):
        result = run("vis")
        assert result.exit_code == 0
        lines = result.output.splitlines()
        assert lines[0].split() == ["Sak", "Tittel", "Møtedato", "Status", "Åpne", "steg"]
        assert lines[1].split()[0] == "22/20" and lines[1].split()[-5:] == ["18.08.2020", "klar", "0", "av", "1"]
        assert lines[3].startswith("24/20  Kompetansepiloter Trøndelag Sør- forankring i kommuner og finansiering")

    def it_prints_a_json_schema_for_case_files(self, run):
        result = run("skjema")
        schema = json.loads(result.output)
        assert schema["additionalProperties"] is False
        assert {"sak", "tittel", "saksgang", "innstilling"} <= set(schema["properties"])
        assert schema["properties"]["sak"]["pattern"] == "^[0-9]{1,4}/[0-9]{2}$"
        assert "møtedato" in schema["$defs"]["Saksgangsteg"]["properties"]
        assert json.loads(run("skjema", "møte").output)["required"] == ["utvalg", "møtedato", "møtested", "starttid", "saker"]


class DescribeTheProcess:
    def it_speaks_norwegian_in_its_help(self, run):
        result = run("--help")
        assert result.exit_code == 0
        assert result.output.startswith("Bruk: makecase [VALG] SAK | KOMMANDO [ARGUMENTER]...")
        assert "Kommandoer:" in result.output and "Vis denne hjelpen og avslutt." in result.output

    def it_gives_usage_errors_in_norwegian(self, run):
        result = run("--finnes-ikke")
        assert result.exit_code == 2
        assert "Feil: Ukjent valg «--finnes-ikke»." in result.output

    def it_runs_as_a_console_program_without_tracebacks(self, project):
        (project / "cases" / "2020" / "24-20.yaml").write_text(BAD_INPUTS["ukjent-felt"][0], encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "generator", "24/20"], cwd=project, capture_output=True, text=True)
        assert done.returncode == 2
        assert done.stdout == ""
        assert done.stderr.startswith("Feil: Fant 1 feil i saksfilene:\n")
        assert "Traceback" not in done.stderr
        assert not (project / "output").exists()

    def it_says_avbrutt_and_exits_130_on_ctrl_c(self, project):
        """Ctrl-C in the middle of a run (here: while the meeting loads) is the user's choice, not a crash."""
        probe = ("import sys\nfrom generator.commands import pipeline\n"
                 "def interrupted(*args, **kwargs):\n    raise KeyboardInterrupt\n"
                 "pipeline.load_meeting = interrupted\nfrom generator.cli import main\n"
                 "sys.argv = ['makecase', 'møte', '2020-08-18']\nmain()\n")
        done = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (130, "", "Avbrutt.\n")
        assert not (project / "output").exists()


SEED_SPLIT = Path(__file__).resolve().parent / "fixtures" / "prosjektskisse-seed-split.yaml"
SKISSE = Path("cases") / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"


class DescribeTheFundingSplit:
    def it_refuses_the_seeds_own_split_and_writes_nothing(self, run, project):
        shutil.copy(SEED_SPLIT, project / SKISSE)
        result = run("24/20")
        assert result.exit_code == 1
        output = result.output.replace("\u00a0", " ")
        assert output.startswith("Feil: Saken bryter reglene, og ingen dokumenter ble laget:\n")
        assert (
            "  cases/vedlegg/2020/24-20-prosjektskisse.yaml:19: Prosjektskissen «Region Trøndelag Sør: Prosjektskisse "
            "Kompetansepilot»: egenfinansieringen er 25,0 % (kr 150 000 av kr 600 000), men KMDs ordning "
            "«Kompetansepiloter» krever minst 30 % (kr 180 000): det mangler kr 30 000\n"
        ) in output
        assert output_files(project) == []

    def it_renders_a_marked_draft_on_request(self, run, project):
        shutil.copy(SEED_SPLIT, project / SKISSE)
        result = run("24/20", "--utkast")
        assert result.exit_code == 0
        assert "Advarsel: dokumentene er merket UTKAST fordi reglene er brutt:" in result.output
        assert output_files(project) == sorted(
            f"24-20-{doc}-utkast.{suffix}" for doc in ("saksframlegg", "vedlegg-1-prosjektskisse") for suffix in ("docx", "pdf")
        )
        for name in ("24-20-saksframlegg-utkast", "24-20-vedlegg-1-prosjektskisse-utkast"):
            pages = [normalise(p) for p in pdf_pages(project / "output" / f"{name}.pdf")]
            assert all("UTKAST" in page for page in pages)
            assert "UTKAST – ikke klar til behandling. Saken oppfyller ikke disse kravene:" in pages[0]
            assert "egenfinansieringen er 25,0 % (kr 150 000 av kr 600 000)" in pages[0]
            docx = project / "output" / f"{name}.docx"
            assert "UTKAST" in docx_furniture(docx)  # the header: on every page
            assert "egenfinansieringen er 25,0 % (kr 150 000 av kr 600 000)" in docx_text(docx)

    def it_marks_a_draft_asked_for_where_no_rule_is_broken(self, run, project):
        """«--utkast» wrote the final files, unmarked and under their final names, when the case
        broke no rule: a caseworker who asked for a draft to circulate got one that looked final
        (an IT person's and an accessibility review)."""
        result = run("24/20", "--utkast")
        assert result.exit_code == 0, result.output
        assert output_files(project) == sorted(
            f"24-20-{doc}-utkast.{suffix}" for doc in ("saksframlegg", "vedlegg-1-prosjektskisse") for suffix in ("docx", "pdf"))
        pages = [normalise(p) for p in pdf_pages(project / "output" / "24-20-saksframlegg-utkast.pdf")]
        assert all("UTKAST" in page for page in pages)
        assert "UTKAST – ikke klar til behandling." in pages[0] and "oppfyller ikke" not in pages[0]
        assert "UTKAST" in docx_furniture(project / "output" / "24-20-saksframlegg-utkast.docx")

    def it_reports_the_split_in_check_too(self, run, project):
        shutil.copy(SEED_SPLIT, project / SKISSE)
        result = run("kontroller")
        assert result.exit_code == 1
        assert "det mangler kr\u00a030\u00a0000" in result.output

    def it_takes_the_minimum_in_the_text_from_the_scheme(self, run, project):
        schemes = project / "cases" / "tilskuddsordninger.yaml"
        edit(schemes, ": 30 ", ": 25 ")
        edit(schemes, ": 70 ", ": 75 ")
        assert run("24/20").exit_code == 0
        text = docx_text(project / "output" / "24-20-saksframlegg.docx")
        assert "forutsetter egenfinansiering på 25 prosent" in text

    def it_names_file_and_line_of_an_unknown_figure(self, run, project):
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace(
            "Prosjektet bør ha en strategi for dette.", "Se [[sum_utgiftene]] og [[__class__]] og [[egenandel:rå]]."
        ), encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 2
        lines = result.output.splitlines()
        assert lines[1].startswith("  cases/2020/24-20.yaml:46: vurdering: ukjent tall «[[sum_utgiftene]]»; kjente navn: sum_utgifter,")
        assert lines[2].startswith("  cases/2020/24-20.yaml:46: vurdering: ukjent tall «[[__class__]]»")
        assert lines[3] == ("  cases/2020/24-20.yaml:46: vurdering: ukjent format «rå» i «[[egenandel:rå]]»; "
                            "bare «:tall» finnes, for beløp og andeler")
        assert output_files(project) == []

    def it_refuses_figures_in_a_case_without_a_budget(self, run, project):
        case = project / "cases" / "2020" / "23-20.yaml"
        edit(case, "vedtas.", "vedtas med [[sum_utgifter]].")
        result = run("23/20")
        assert result.exit_code == 2
        assert "innstilling: «[[sum_utgifter]]» viser til et budsjett, men saken har ingen prosjektskisse med budsjett" in result.output

    def it_refuses_an_attachment_outside_the_cases_folder(self, run, project):
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace(
            "fil: vedlegg/2020/24-20-prosjektskisse.yaml", "fil: ../../etc/passwd"), encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 2
        assert "cases/2020/24-20.yaml:30: vedlegg[0].fil: vedleggsfilen «../../etc/passwd» må ligge under cases/" in result.output

    def it_refuses_amounts_typed_as_text(self, run, project):
        path = project / SKISSE
        edit(path, "beløp: 15000\n", "beløp: kr 15 000,-\n", 1)
        result = run("24/20")
        assert result.exit_code == 2
        assert ("cases/vedlegg/2020/24-20-prosjektskisse.yaml:16: budsjett.utgifter[1].beløp: forventet et beløp i "
                "kroner skrevet som et tall (f.eks. 600000, 47 250 eller 47 250,75; uten «kr» og «,-»), fant «kr 15 000,-»"
                ) in result.output
        assert "Fant 1 feil i saksfilene" in result.output  # no follow-on error about the figures


AVTALE = Path("cases") / "vedlegg" / "2020" / "23-20-samarbeidsavtale.yaml"
SEED_HEADINGS = [
    "Forankring i kommuneloven", "Medlemmer", "Rådets sammensetning og utpeking av medlemmer i regionrådet",
    "Stemmerett og ledelse", "Samarbeidets avgjørelser", "Området for rådets virksomhet", "Forankring",
    "Sekretariat", "Saksbehandling", "Innskudd i virksomheten/økonomiske forpliktelser",
    "Styrets myndighetsområde og informasjonsplikt", "Uttredelse",
]


def paragraph_headings(path: Path) -> list[str]:
    from docx import Document

    return [p.text.replace("\u00a0", " ") for p in Document(str(path)).paragraphs
            if p.style.name == "Heading 2" and p.text.startswith("§")]


class DescribeTheAgreement:
    def it_numbers_the_seeds_paragraphs_from_1_to_12(self, run, project):
        assert run("23/20").exit_code == 0
        docx = project / "output" / "23-20-vedlegg-2-samarbeidsavtale.docx"
        assert paragraph_headings(docx) == [f"§ {n} {h}" for n, h in enumerate(SEED_HEADINGS, start=1)]
        pdf = normalise(pdf_text(project / "output" / "23-20-vedlegg-2-samarbeidsavtale.pdf"))
        for number, heading in enumerate(SEED_HEADINGS, start=1):
            assert f"§ {number} {heading}" in pdf

    def it_renumbers_paragraphs_and_references_when_one_is_inserted(self, run, project):
        path = project / AVTALE
        text = path.read_text(encoding="utf-8").replace("  - id: medlemmer\n", (
            "  - id: ny\n    overskrift: Ny paragraf\n    tekst: |\n"
            "      Se [[§ uttredelse]] om uttreden og [[§ medlemmer]] om medlemmer.\n  - id: medlemmer\n"))
        path.write_text(text, encoding="utf-8")
        assert run("23/20").exit_code == 0
        headings = paragraph_headings(project / "output" / "23-20-vedlegg-2-samarbeidsavtale.docx")
        assert headings[:3] == ["§ 1 Forankring i kommuneloven", "§ 2 Ny paragraf", "§ 3 Medlemmer"]
        assert headings[-1] == "§ 13 Uttredelse" and len(headings) == 13
        agreement = normalise(docx_text(project / "output" / "23-20-vedlegg-2-samarbeidsavtale.docx"))
        assert "Se § 13 om uttreden og § 3 om medlemmer." in agreement
        saksframlegg = normalise(docx_text(project / "output" / "23-20-saksframlegg.docx"))
        assert "§ 13 Fastslår at uttredelse fra samarbeidet må varsles innen 1.november" in saksframlegg
        assert "§ 11 Innskudd i virksomheten/økonomiske forpliktelser" in saksframlegg

    def it_names_file_and_line_of_an_unknown_paragraph_reference(self, run, project):
        path = project / AVTALE
        path.write_text(path.read_text(encoding="utf-8").replace(
            "Frist for å melde uttredelse av rådet legges til 1.november.",
            "Frist for å melde uttredelse av rådet legges til 1.november, se [[§ opplosning]]."), encoding="utf-8")
        result = run("23/20")
        assert result.exit_code == 2
        assert ("cases/vedlegg/2020/23-20-samarbeidsavtale.yaml:68: paragrafer[11].tekst: ukjent paragraf "
                "«[[§ opplosning]]»; kjente paragraf-id-er: forankring, medlemmer,") in result.output
        assert output_files(project) == []

    def it_refuses_the_seeds_agreement_without_recorded_deviations(self, run, project):
        path = project / AVTALE
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("\n# Avtalen sier ikke")], encoding="utf-8")
        result = run("23/20")
        assert result.exit_code == 1
        assert "bokstav f (den enkelte deltakerens eierandel i rådet og ansvarsdel for rådets forpliktelser" in result.output
        assert "bokstav h (hvordan rådet skal oppløses, blant annet hvem som skal ha ansvaret for oppbevaringen" in result.output
        assert output_files(project) == []

    def it_states_recorded_deviations_in_the_saksframlegg_not_in_the_agreement(self, run, project):
        assert run("23/20").exit_code == 0
        for suffix in ("docx", "pdf"):
            read = docx_text if suffix == "docx" else pdf_text
            text = normalise(read(project / "output" / f"23-20-saksframlegg.{suffix}"))
            vurdering = text[text.index("Vurdering"):text.index("Kommunedirektørens innstilling")]
            assert "Avvik fra kommuneloven § 18-4" in vurdering
            assert ("Kommuneloven § 18-4 sier hva avtalen minst skal inneholde. «Samarbeidsavtale for Trøndelag Sør- "
                    "Interkommunalt politisk råd» oppfyller ikke disse punktene, og avvikene er godtatt:") in vurdering
            assert ("Bokstav f: avtalen skal angi den enkelte deltakerens eierandel i rådet og "
                    "ansvarsdel for rådets forpliktelser, hvis ansvarsdelen avviker fra eierandelen.") in vurdering
            assert "Bokstav h: avtalen skal angi hvordan rådet skal oppløses" in vurdering
            assert "Kommunestyrene bør be om at punktet tas inn i avtalen." in vurdering
            assert vurdering.count("Godtatt av: Mari Løvli Yri, saksbehandler, ved framlegget av sak 23/20 (18.08.2020)") == 2
            agreement = normalise(read(project / "output" / f"23-20-vedlegg-2-samarbeidsavtale.{suffix}"))
            assert "Avvik" not in agreement and "Begrunnelse" not in agreement and "Bokstav f" not in agreement

    def it_makes_a_signature_edition_with_a_block_per_member_municipality(self, run, project):
        result = run("23/20", "--signatur")
        assert result.exit_code == 0
        assert result.output.splitlines() == [
            "Skrev output/23-20-vedlegg-2-samarbeidsavtale-signatur.docx",
            "Skrev output/23-20-vedlegg-2-samarbeidsavtale-signatur.pdf",
        ]
        municipalities = ["Røros", "Holtålen", "Midtre Gauldal", "Oppdal", "Melhus", "Rennebu"]
        for suffix in ("docx", "pdf"):
            path = project / "output" / f"23-20-vedlegg-2-samarbeidsavtale-signatur.{suffix}"
            text = normalise(docx_text(path) if suffix == "docx" else pdf_text(path))
            assert [m for m in municipalities if f"For {m} kommune" in text] == municipalities
            assert text.count("Sted og dato:") == 6 and len(re.findall(r"\bUnderskrift\b", text)) == 6
            assert "§ 12 Uttredelse" in text
            assert "Godtatte avvik" not in text and "sak 23/20" not in text

    def it_refuses_a_signature_edition_of_a_case_without_an_agreement(self, run):
        result = run("24/20", "--signatur")
        assert (result.exit_code, result.output) == (2, "Feil: Sak 24/20 har ingen samarbeidsavtale å lage en signaturutgave av.\n")


class DescribeTheActivityReport:
    def it_formats_its_amounts_like_all_amounts_and_keeps_the_link(self, run, project):
        import zipfile

        assert run("23/20").exit_code == 0
        docx = project / "output" / "23-20-vedlegg-1-tekst.docx"
        for text in (docx_text(docx), pdf_text(project / "output" / "23-20-vedlegg-1-tekst.pdf")):
            assert "tilsvarende kr\u00a0690\u00a0000." in text.replace(" ", " ") or "tilsvarende kr 690 000." in normalise(text)
            assert "Lokalmatsatsingen bevilges kr 240 000." in normalise(text)
            assert "kr 690 000,-" not in normalise(text)
            assert "Lenke til våre nettsider: https://www.regiontrondelagsor.com/" in normalise(text)
        rels = zipfile.ZipFile(docx).read("word/_rels/document.xml.rels").decode()
        assert 'Target="https://www.regiontrondelagsor.com/" TargetMode="External"' in rels

    def it_is_listed_with_the_agreement_under_vedlegg_in_order(self, run, project):
        from docx import Document

        assert run("23/20").exit_code == 0
        doc = Document(str(project / "output" / "23-20-saksframlegg.docx"))
        assert [p.text for p in doc.paragraphs if p.style.name == "List Number"] == [
            "Om Trøndelag Sør-Interkommunalt politisk råd – Aktivitet og prosjekt i 2020",
            "Samarbeidsavtale for Trøndelag Sør- Interkommunalt politisk råd",
        ]
