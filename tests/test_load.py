"""The load stage: YAML with lines, validation into models, Norwegian messages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.load import yamlread
from generator.errors import InputError, ProjectError
from generator.load import load_case, load_project
from generator.folder import ProjectFolder, find_project
from generator.domain.values import Arkivsaksnummer, Saksnummer


def problems_of(root: Path, number: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_case(ProjectFolder(root), Saksnummer.parse(number))
    return [str(p) for p in caught.value.problems]


def write_case(root: Path, text: str, name: str = "24-20.yaml") -> None:
    (root / "cases" / "2020" / name).write_text(text, encoding="utf-8")


CASE = """\
sak: 24/20
tittel: Kompetansepiloter
saksgang:
  - utvalg: Kommunedirektørutvalget i Trøndelag Sør
    møtedato: {dato}
    utvalgssak: 24/20
"""


class DescribeTheSampleProject:
    def it_loads_the_seed_meeting_without_problems(self, project):
        loaded = load_project(ProjectFolder(project))
        assert loaded.problems == []
        assert [str(m.sak.model.sak) for m in loaded.saker] == ["22/20", "23/20", "24/20"]
        mote, council = loaded.moter
        assert council.model.saker == [Saksnummer.parse("31/20")]  # 24/20, as the council numbers it
        assert mote.model.utvalg == "Kommunedirektørutvalget i Trøndelag Sør"
        assert mote.model.motedato == dt.date(2020, 8, 18)
        assert (str(mote.model.starttid), str(mote.model.sluttid)) == ("14:00:00", "15:30:00")
        assert mote.model.motested == "Teams"

    def it_keeps_the_seeds_header_fields(self, project):
        org, mappe = load_case(ProjectFolder(project), Saksnummer.parse("24/20"))
        sak = mappe.sak
        assert str(sak.model.arkivsak) == "2020/18145-1"
        assert sak.model.saksbehandler == "Mari Løvli Yri"
        assert sak.model.innstilling is None  # a discussion case
        assert [s.utvalg for s in sak.model.saksgang] == [
            "Kommunedirektørutvalget i Trøndelag Sør",
            "Trøndelag Sør-Interkommunalt politisk råd",
        ]
        assert len(org.deltakerkommuner) == 6

    def it_finds_the_project_folder_from_a_subfolder(self, project):
        assert find_project(project / "cases" / "2020").root == project.resolve()

    def it_refuses_a_folder_without_cases(self, tmp_path):
        with pytest.raises(ProjectError, match="Fant ingen makecase-mappe"):
            find_project(tmp_path)


class DescribeYamlReading:
    def it_reads_scalars_as_a_caseworker_means_them(self):
        doc = yamlread.parse("a: no\nb: 14:00\nc: 24/20\nd: 42\ne: true\nf: '7'\ng:\n")
        assert doc.data == {"a": "no", "b": "14:00", "c": "24/20", "d": 42, "e": True, "f": "7", "g": None}

    def it_records_the_line_of_every_key_and_item(self):
        doc = yamlread.parse("a: 1\nliste:\n  - x: 1\n    y: 2\n")
        assert doc.lines[("a",)] == 1
        assert doc.lines[("liste", 0)] == 3
        assert doc.lines[("liste", 0, "y")] == 4

    def it_refuses_duplicate_keys(self):
        doc = yamlread.parse("tittel: a\ntittel: b\n")
        assert doc.problems == [(2, ("tittel",), "feltet står to ganger (første gang på linje 1)")]

    def it_refuses_aliases(self):
        doc = yamlread.parse("a: &x [1, 2]\nb: *x\n")
        assert doc.problems == [(2, (), "alias (*navn) er ikke tillatt i saksfiler")]
        assert doc.data is None

    def it_refuses_an_empty_file(self):
        assert yamlread.parse("").problems == [(1, (), "filen er tom")]

    def it_accepts_utf8_with_a_byte_order_mark(self):
        text, trouble = yamlread.decode("\ufefftittel: Røros\n".encode("utf-8"))
        assert trouble is None and yamlread.parse(text).data == {"tittel": "Røros"}

    def it_names_latin1_and_utf16_files(self):
        assert yamlread.decode("a: 1\ntittel: Røros\n".encode("latin-1"))[1] == (
            2, "filen er ikke UTF-8 (lagre den som UTF-8, ikke Latin-1/ANSI)"
        )
        assert yamlread.decode("tittel: x\n".encode("utf-16"))[1] == (1, "filen er lagret som UTF-16; lagre den som UTF-8")


class DescribeNothingLostOnTheWay:
    def it_normalises_every_text_to_nfc(self, project):
        decomposed = "Kommunedirektørutvalget i Trøndelag Sør".replace("ø", "ø")  # ø has no decomposition
        nfd = "Trøndelag Sør-Interkommunalt politisk råd".replace("å", "a\u030a")
        assert nfd != "Trøndelag Sør-Interkommunalt politisk råd"
        write_case(project, CASE.format(dato="18.08.2020") + f"  - utvalg: {nfd}\n    møtedato: 02.09.2020\n"
                   "saksbehandler: Ma\u0301ria A\u030asen\n")
        _, mappe = load_case(ProjectFolder(project), Saksnummer.parse("24/20"))
        assert mappe.sak.model.saksgang[1].utvalg == "Trøndelag Sør-Interkommunalt politisk råd"
        assert mappe.sak.model.saksbehandler == "Mária Åsen"
        assert decomposed in mappe.sak.model.saksgang[0].utvalg

    def it_takes_a_one_line_text_folded_over_two_lines(self, project):
        write_case(project, CASE.format(dato="18.08.2020").replace(
            "tittel: Kompetansepiloter", "tittel: Kompetansepiloter Trøndelag Sør-\n  forankring i kommuner"))
        _, mappe = load_case(ProjectFolder(project), Saksnummer.parse("24/20"))
        assert mappe.sak.model.tittel == "Kompetansepiloter Trøndelag Sør- forankring i kommuner"
        assert type(mappe.sak.model.tittel) is str

    @pytest.mark.parametrize("written", ['"Første linje.\n\n  Andre avsnitt."', ">\n  # Overskrift\n  Tekst."])
    def it_refuses_prose_that_yaml_folded(self, project, written):
        write_case(project, CASE.format(dato="18.08.2020") + f"vurdering: {written}\n")
        (problem,) = problems_of(project, "24/20")
        assert problem.startswith("cases/2020/24-20.yaml:7: vurdering: teksten står uten «|»")

    def it_accepts_prose_of_one_line_after_its_key(self, project):
        write_case(project, CASE.format(dato="18.08.2020") + "vurdering: Kort vurdering på én linje.\n")
        _, mappe = load_case(ProjectFolder(project), Saksnummer.parse("24/20"))
        assert mappe.sak.model.vurdering == "Kort vurdering på én linje."

    def it_renders_lists_six_levels_deep_in_both_formats(self, run, project):
        from textof import docx_text, pdf_text

        items = "".join(f"  {'  ' * i}- nivå{i + 1}\n" for i in range(6))
        case = project / "cases" / "2020" / "24-20.yaml"
        text = case.read_text(encoding="utf-8")
        case.write_text(text.replace("vurdering: |\n", "vurdering: |\n" + items + "\n", 1), encoding="utf-8")
        assert run("24/20").exit_code == 0
        for rendered in (docx_text(project / "output" / "24-20-saksframlegg.docx"),
                         pdf_text(project / "output" / "24-20-saksframlegg.pdf")):
            assert all(f"nivå{i + 1}" in rendered for i in range(6))
        from docx import Document

        paragraphs = {p.text: p for p in Document(str(project / "output" / "24-20-saksframlegg.docx")).paragraphs}
        styles = [paragraphs[f"nivå{i + 1}"].style.name for i in range(6)]
        assert styles == ["List Bullet", *["List Bullet 2"] * 5]
        deeper = [paragraphs[f"nivå{i + 1}"].paragraph_format.left_indent for i in range(2, 6)]
        assert deeper == sorted(set(deeper)) and len(deeper) == 4  # each level steps in further


    def it_names_the_line_of_a_raw_control_character_after_norwegian_letters(self):
        text = "a: " + "ø" * 80 + "\nb: " + "æå" * 40 + "\nc: x\x0by\n"
        assert yamlread.parse(text).problems == [
            (3, (), "ugyldig YAML: filen inneholder et tegn som ikke er tillatt (kontrolltegn)")]

    @pytest.mark.parametrize(("value", "message"), [
        ("~", "forventet et beløp i kroner skrevet som et tall (f.eks. 600000, 47 250 eller 47 250,75), fant ingen verdi"),
        ("true", "forventet et beløp i kroner skrevet som et tall (f.eks. 600000, 47 250 eller 47 250,75), "
                 "fant sannhetsverdien «true»"),
    ])
    def it_names_what_stands_where_an_amount_should(self, project, value, message):
        path = project / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("beløp: 15000", f"beløp: {value}", 1), encoding="utf-8")
        assert problems_of(project, "24/20") == [
            f"cases/vedlegg/2020/24-20-prosjektskisse.yaml:16: budsjett.utgifter[1].beløp: {message}"]

    def it_calls_empty_prose_empty(self, project):
        write_case(project, CASE.format(dato="18.08.2020") + 'vurdering: ""\n')
        assert problems_of(project, "24/20") == ["cases/2020/24-20.yaml:7: vurdering: kan ikke være tom"]

    @pytest.mark.parametrize(("reference", "message"), [
        ("[[kr ]]", "«[[kr ]]»: forventet et beløp i kroner skrevet som et tall"),
        ("[[kr -5]]", "«[[kr -5]]»: et beløp i teksten er fra kr 0 til kr 10 000 000 000"),
        ("[[kr 99999999999999]]", "«[[kr 99999999999999]]»: et beløp i teksten er fra kr 0 til kr 10 000 000 000"),
        ("[[ordning:tall]]", "«:tall» gjelder bare beløp og andeler, ikke «ordning» («[[ordning:tall]]»)"),
    ])
    def it_names_what_is_wrong_with_a_reference(self, project, reference, message):
        write_case(project, CASE.format(dato="18.08.2020") + f"vurdering: |\n  Tekst {reference}.\n")
        (problem,) = problems_of(project, "24/20")
        assert problem.startswith(f"cases/2020/24-20.yaml:8: vurdering: {message}")

    @pytest.mark.parametrize("title", ["\u2800\u2800", "\u2800 \u2800"])
    def it_refuses_a_title_of_blank_signs(self, project, title):
        write_case(project, CASE.format(dato="18.08.2020").replace("tittel: Kompetansepiloter", f'tittel: "{title}"'))
        assert problems_of(project, "24/20") == [
            "cases/2020/24-20.yaml:2: tittel: teksten har ingen synlige tegn (bare mellomrom, usynlige tegn eller kontrolltegn)"]

    def it_refuses_prose_of_formatting_without_words(self, project):
        write_case(project, CASE.format(dato="18.08.2020") + 'vurdering: "**  **"\n')
        assert problems_of(project, "24/20") == [
            "cases/2020/24-20.yaml:7: vurdering: teksten blir tom i dokumentene: den har bare formatering (som «**» eller "
            "«#»), ingen ord"]


    @settings(max_examples=3000, deadline=None)
    @given(st.lists(st.sampled_from(["- ", "* ", "1. ", "2) ", "> ", ">", "  ", "\t", "ord", "![b](x)", "**", "#", "\n",
                                     "\n\n", "   ", "- - ", "> > ", "[](x)", "[a](x)", "`", "```\n", "~~~", "|a|\n|-|\n",
                                     "<http://x>", "\\", "    kode", "---\n", "=\n"]), max_size=80).map("".join))
    def it_skips_parsing_only_a_text_that_has_nothing_to_refuse(self, text):
        """The quick look that spares most texts the Markdown parse never passes what the parse refuses."""
        from generator.domain import prose
        if prose._plainly_fine(text):
            assert prose._parsed_problem(text) is None


class DescribeValidationMessages:
    def it_names_file_line_and_field_of_an_impossible_date(self, project):
        write_case(project, CASE.format(dato="31.02.2020"))
        assert problems_of(project, "24/20") == [
            "cases/2020/24-20.yaml:5: saksgang[0].møtedato: «31.02.2020» er ikke en gyldig dato"
        ]

    def it_reports_every_problem_at_once(self, project):
        write_case(
            project,
            "sak: 24/20\ntitel: Feil\nsaksbehandler: 42\narkivsak: 2020-18145\nsaksgang:\n"
            "  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n    møtedato: 18.8.20\n",
        )
        assert problems_of(project, "24/20") == [
            "cases/2020/24-20.yaml:1: tittel: påkrevd felt mangler",
            "cases/2020/24-20.yaml:2: titel: ukjent felt; mente du «tittel»?",
            "cases/2020/24-20.yaml:3: saksbehandler: forventet tekst, fant tallet 42",
            "cases/2020/24-20.yaml:4: arkivsak: forventet et arkivsaksnummer som «2020/18145» eller "
            "«2020/18145-1», fant «2020-18145»",
            "cases/2020/24-20.yaml:7: saksgang[0].møtedato: forventet en dato som «18.08.2020», fant «18.8.20»",
        ]

    def it_names_a_yaml_syntax_error_with_its_line(self, project):
        write_case(project, 'sak: 24/20\ntittel: "uten slutt\nsaksgang: []\n')
        (message,) = problems_of(project, "24/20")
        assert message.startswith("cases/2020/24-20.yaml:2: ugyldig YAML:")

    def it_explains_a_tab_in_the_indentation(self, project):
        write_case(project, "sak: 24/20\ntittel: x\nsaksgang:\n\t- utvalg: x\n")
        assert problems_of(project, "24/20") == [
            "cases/2020/24-20.yaml:4: ugyldig YAML: tabulator kan ikke brukes til innrykk; bruk mellomrom"
        ]

    def it_refuses_an_unknown_body_in_the_saksgang(self, project):
        write_case(project, "sak: 24/20\ntittel: x\nsaksgang:\n  - utvalg: Regionrådet i Trøndelag sør\n")
        assert problems_of(project, "24/20") == [
            "cases/2020/24-20.yaml:4: saksgang[0].utvalg: ukjent utvalg «Regionrådet i Trøndelag sør»; "
            "mente du «Kommunedirektørutvalget i Trøndelag Sør»?"
        ]

    def it_refuses_a_case_number_used_twice(self, project):
        write_case(project, CASE.format(dato="18.08.2020"), name="kopi.yaml")
        (message,) = problems_of(project, "24/20")
        assert "saksnummeret 24/20 i «Kommunedirektørutvalget i Trøndelag Sør» er allerede brukt i cases/2020/24-20.yaml:1" in message

    def it_names_the_closest_cases_for_an_unknown_number(self, project):
        with pytest.raises(ProjectError, match=r"Fant ingen sak 25/20\. Nærmeste saker: 24/20, 23/20, 22/20\."):
            load_case(ProjectFolder(project), Saksnummer.parse("25/20"))


class DescribeValues:
    def it_parses_sorts_and_names_case_numbers(self):
        numbers = sorted(Saksnummer.parse(n) for n in ["3/21", "24/20", "22/20"])
        assert [str(n) for n in numbers] == ["22/20", "24/20", "3/21"]
        assert Saksnummer.parse("24/20").slug == "24-20"

    @pytest.mark.parametrize("bad", ["24", "24-20", "0/20", "24/2020", 24, None])
    def it_refuses_malformed_case_numbers(self, bad):
        with pytest.raises(ValueError, match="forventet et saksnummer"):
            Saksnummer.parse(bad)

    def it_parses_archive_numbers_with_and_without_document_number(self):
        assert str(Arkivsaksnummer.parse("2020/18145-1")) == "2020/18145-1"
        number = Arkivsaksnummer.parse("2020/18145")
        assert (number.saksaar, number.sekvensnummer, number.dokumentnummer, number.sak) == (2020, 18145, None, "2020/18145")
