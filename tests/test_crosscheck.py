"""Cross-checks and numbering per utvalg: what one file says must agree with itself, the
organisation and the other case files, and every problem of every file comes in one run."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REPO, edit, output_files
from generator.domain import hjemler
from textof import docx_text, pdf_text

CASE = Path("cases") / "2020" / "24-20.yaml"
SKISSE = Path("cases") / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"
RADET = "Trøndelag Sør-Interkommunalt politisk råd"
KDU = "Kommunedirektørutvalget i Trøndelag Sør"

RADETS_24_20 = f"""\
sak: 24/20
tittel: Budsjett 2021 for rådet
arkivsak: 2020/30001-1
saksgang:
  - utvalg: {RADET}
    møtedato: 02.09.2020
    utvalgssak: 24/20
saksopplysninger: |
  Rådet behandler budsjettet for 2021.
"""


def lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines()[1:]]


class DescribeTheSaksgang:
    def it_refuses_an_utvalgssak_other_than_the_cases_own_number(self, run, project):
        edit(project / CASE, "    utvalgssak: 24/20", "    utvalgssak: 25/20")
        result = run("24/20")
        assert result.exit_code == 2
        assert lines(result.output) == [
            f"cases/2020/24-20.yaml:12: saksgang[0].utvalgssak: utvalgssaken er 25/20, men saken er sak 24/20 i «{KDU}» "
            "(sak:, linje 1); i sakens eget utvalg skal de være like"]
        assert output_files(project) == []

    @pytest.mark.parametrize(("date", "word"), [("01.08.2020", "før"), ("18.08.2020", "samme dag som")])
    def it_refuses_dates_that_do_not_increase(self, run, project, date, word):
        edit(project / CASE, "    møtedato: 02.09.2020", f"    møtedato: {date}")
        result = run("kontroller")
        assert result.exit_code == 2
        assert lines(result.output) == [
            f"cases/2020/24-20.yaml:17: saksgang[1].møtedato: møtedatoen {date} er {word} forrige møte i saksgangen "
            "(18.08.2020, linje 11); saksgangen står i den rekkefølgen saken behandles"]

    def it_refuses_an_own_utvalg_outside_the_saksgang(self, run, project):
        edit(project / CASE, "tittel:", f"utvalg: {RADET}\ntittel:", 1)
        edit(project / CASE, f"  - utvalg: {RADET}\n    møtedato: 02.09.2020\n", "")
        result = run("kontroller")
        assert result.exit_code == 2
        assert f"cases/2020/24-20.yaml:2: utvalg: utvalget «{RADET}» står ikke i saksgangen" in result.output


class DescribeTheArchiveCase:
    def copy_of_24_20(self, project: Path, arkivsak: str, delt: bool = False) -> Path:
        """Write a case 25/20 whose arkivsak is `arkivsak` (24/20 has 2020/18145-1)."""
        path = project / "cases" / "2020" / "25-20.yaml"
        shared = "delt_arkivsak: true\n" if delt else ""
        path.write_text(f"sak: 25/20\ntittel: Oppfølging av kompetansepiloter\narkivsak: {arkivsak}\n{shared}"
                        f"saksgang:\n  - utvalg: {KDU}\n    møtedato: 15.09.2020\n    utvalgssak: 25/20\n"
                        "saksopplysninger: |\n  Oppfølging av sak 24/20.\n", encoding="utf-8")
        return path

    def it_refuses_two_cases_with_one_arkivsak_in_each_of_them(self, run, project):
        self.copy_of_24_20(project, "2020/18145-2")
        result = run("kontroller")
        assert result.exit_code == 2
        assert lines(result.output) == [
            "cases/2020/24-20.yaml:3: arkivsak: arkivsaken 2020/18145 brukes også av sak 25/20 (cases/2020/25-20.yaml:3); "
            "skriv «delt_arkivsak: true» i hver av sakene hvis de skal dele arkivsak (med hvert sitt dokumentnummer), "
            "ellers rett arkivsaksnummeret",
            "cases/2020/25-20.yaml:3: arkivsak: arkivsaken 2020/18145 brukes også av sak 24/20 (cases/2020/24-20.yaml:3); "
            "skriv «delt_arkivsak: true» i hver av sakene hvis de skal dele arkivsak (med hvert sitt dokumentnummer), "
            "ellers rett arkivsaksnummeret",
        ]
        made = run("24/20", "--arkiv")
        assert made.exit_code == 2 and "arkivsaken 2020/18145 brukes også av sak 25/20" in made.output
        assert output_files(project) == []

    def it_fails_the_batch_job_of_each_case_that_shares_it(self, run, project):
        self.copy_of_24_20(project, "2020/18145-1")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 2  # bad input: a shared arkivsak
        for number in ("24/20", "25/20"):
            assert f"sak {number}: Fant 1 feil i saksfilene:" in result.output
        assert "samme dokumentnummer; to saker kan ikke ha samme journalpost i arkivet" in result.output

    def it_accepts_an_arkivsak_both_cases_declare_shared(self, run, project):
        self.copy_of_24_20(project, "2020/18145-2", delt=True)
        edit(project / CASE, "arkivsak:", "delt_arkivsak: true\narkivsak:", 1)
        assert run("kontroller").exit_code == 0
        assert run("24/20", "--arkiv").exit_code == 0
        assert run("25/20", "--arkiv").exit_code == 0
        archived = sorted(p.parent.name for p in (project / "output" / "arkiv").rglob("arkivmelding.xml"))
        assert archived == ["2020-18145-1", "2020-18145-2"]  # one folder each: nothing overwritten

    def it_refuses_an_arkivsak_shared_by_a_closed_and_an_open_case(self, run, project):
        """Each sends the saksmappe, one screened with the closed title, one open with its own: whichever
        the archive takes last would unscreen it (an archivist's re-review)."""
        path = self.copy_of_24_20(project, "2020/18145-2", delt=True)
        path.write_text(path.read_text(encoding="utf-8").replace(
            "saksgang:", "lukket:\n  hjemmel: offl. § 13 jf. fvl. § 13 første ledd nr. 1\n  offentlig_tittel: Personalsak\n"
            "saksgang:"), encoding="utf-8")
        edit(project / CASE, "arkivsak:", "delt_arkivsak: true\narkivsak:", 1)
        for args in (["kontroller"], ["24/20", "--arkiv"], ["25/20", "--arkiv"]):
            result = run(*args)
            assert result.exit_code == 2, (args, result.output)
            assert "arkivsaken 2020/18145 deles av en lukket og en åpen sak" in result.output
        assert not (project / "output" / "arkiv").exists()

    def it_refuses_a_shared_arkivsak_with_the_same_document_number(self, run, project):
        self.copy_of_24_20(project, "2020/18145-1", delt=True)
        edit(project / CASE, "arkivsak:", "delt_arkivsak: true\narkivsak:", 1)
        result = run("kontroller")
        assert result.exit_code == 2
        assert result.output.count("to saker kan ikke ha samme journalpost i arkivet") == 2


class DescribeTheLegalBasis:
    def closed_case(self, project: Path, hjemmel: str) -> None:
        text = (FIXTURES / "lukket" / "25-20.yaml").read_text(encoding="utf-8")
        (project / "cases" / "2020" / "25-20.yaml").write_text(
            text.replace("hjemmel: offl. § 13 jf. fvl. § 13 første ledd nr. 1", f"hjemmel: {hjemmel}"), encoding="utf-8")

    @pytest.mark.parametrize(("hjemmel", "message"), [
        ("fordi det er hemmelig", "ukjent hjemmel «fordi det er hemmelig»: skriv en hjemmel fra offentleglova §§ 13–26, "
                                  "f.eks. «offl. § 23 første ledd» eller «offl. § 13 jf. fvl. § 13 første ledd nr. 1»; "
                                  "flere hjemler kan legges til i organisasjon.yaml under «hjemler»"),
        ("offl. § 13", "offl. § 13 må si hvilken lov som gir taushetsplikten, med «jf.», f.eks. «offl. § 13 jf. fvl. § 13 "
                       "første ledd nr. 1» eller «offl. § 13 jf. fvl. § 13 første ledd nr. 2»"),
        ("offl. § 5", "offl. § 5 er ikke en unntakshjemmel; unntakene fra innsyn står i offentleglova §§ 13–26"),
        ("offl. § 18 tredje ledd", "offl. § 18 har 2 ledd; «offl. § 18 tredje ledd» finnes ikke"),
        # another number is another legal ground, not a misspelling: no «mente du … nr. 2» (a hostile review)
        ("offl. § 13 jf. fvl. § 13 første ledd nr. 3", "ukjent hjemmel «offl. § 13 jf. fvl. § 13 første ledd nr. 3»: "
                                                       "skriv en hjemmel fra offentleglova §§ 13–26, f.eks. «offl. § 23 "
                                                       "første ledd» eller «offl. § 13 jf. fvl. § 13 første ledd nr. 1»; "
                                                       "flere hjemler kan legges til i organisasjon.yaml under «hjemler»"),
        ("offl. § 23 første led", "ukjent hjemmel «offl. § 23 første led»; mente du «offl. § 23 første ledd»?"),
    ])
    def it_refuses_what_the_catalogue_does_not_hold(self, run, project, hjemmel, message):
        self.closed_case(project, hjemmel)
        result = run("25/20")
        assert result.exit_code == 2
        assert lines(result.output) == [f"cases/2020/25-20.yaml:7: lukket.hjemmel: {message}"]

    def it_writes_an_accepted_form_as_the_catalogue_does_everywhere(self, run, project):
        self.closed_case(project, "Offl §13 jfr fvl §13 1. ledd nr 1")
        assert run("25/20", "--arkiv").exit_code == 0
        canonical = "offl. § 13 jf. fvl. § 13 første ledd nr. 1"
        assert canonical in docx_text(project / "output" / "25-20-saksframlegg.docx")
        assert canonical in pdf_text(project / "output" / "25-20-saksframlegg.pdf")
        (message,) = (project / "output" / "arkiv").rglob("arkivmelding.xml")
        ns = {"m": "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v2"}
        found = etree.parse(str(message)).xpath("//*[local-name()='skjermingshjemmel']/text()", namespaces=ns)
        assert set(found) == {canonical}

    def it_takes_more_forms_from_the_organisation_file(self, run, project):
        self.closed_case(project, "offl. § 13 jf. barnevernsloven § 13-1")
        assert run("25/20").exit_code == 2
        edit(project / "cases" / "organisasjon.yaml", "utvalg:\n", "hjemler:\n  - offl. § 13 jf. barnevernsloven § 13-1\nutvalg:\n")
        assert run("25/20").exit_code == 0

    @pytest.mark.parametrize("form", hjemler.forms())
    def it_accepts_every_form_it_suggests(self, form):
        assert hjemler.problem(hjemler.normalise(form)) is None


class DescribeNumbersPerUtvalg:
    @pytest.fixture
    def two(self, project: Path) -> Path:
        (project / "cases" / "2020" / "radet-24-20.yaml").write_text(RADETS_24_20, encoding="utf-8")
        return project

    def it_checks_both_cases(self, run, two):
        result = run("kontroller")
        assert (result.exit_code, result.output) == (0, "Alt i orden: 4 saker, 2 møter og 2 møtebøker kontrollert.\n")

    def it_asks_which_utvalg_when_the_number_is_ambiguous(self, run, two):
        result = run("24/20")
        assert result.exit_code == 2
        assert result.output == (
            f"Feil: Sak 24/20 finnes i flere utvalg: «{KDU}» (cases/2020/24-20.yaml); «{RADET}» "
            f"(cases/2020/radet-24-20.yaml). Velg ett med --utvalg, f.eks. makecase 24/20 --utvalg \"{KDU}\".\n")
        assert output_files(two) == []

    def it_builds_each_with_unambiguous_names(self, run, two):
        assert run("24/20", "--utvalg", RADET).exit_code == 0
        assert run("24/20", "--utvalg", KDU.lower()).exit_code == 0
        folder = two / "output" / "trondelag-sor-interkommunalt-politisk-rad"
        assert sorted(p.name for p in folder.iterdir()) == ["24-20-saksframlegg.docx", "24-20-saksframlegg.pdf"]
        assert "Budsjett 2021 for rådet" in docx_text(folder / "24-20-saksframlegg.docx")
        assert "Kompetansepiloter" in docx_text(two / "output" / "24-20-saksframlegg.docx")
        unknown = run("24/20", "--utvalg", "Kontrollutvalget")
        assert unknown.exit_code == 2 and "Sak 24/20 finnes ikke i «Kontrollutvalget»" in unknown.output

    def it_builds_the_meeting_with_its_own_utvalgs_case(self, run, two):
        assert run("møte", "2020-08-18").exit_code == 0
        package = pdf_text(two / "output" / "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf")
        assert "Kompetansepiloter" in package and "Budsjett 2021 for rådet" not in package

    def it_builds_both_in_a_batch(self, run, two):
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 0, result.output
        assert f"sak 24/20 {KDU}" in result.output and f"sak 24/20 {RADET}" in result.output
        assert (two / "output" / "trondelag-sor-interkommunalt-politisk-rad" / "24-20-saksframlegg.pdf").is_file()

    def it_still_refuses_a_number_used_twice_in_one_utvalg(self, run, two):
        shutil.copy(two / "cases" / "2020" / "radet-24-20.yaml", two / "cases" / "2020" / "radet-kopi.yaml")
        edit(two / "cases" / "2020" / "radet-kopi.yaml", "2020/30001-1", "2020/30002-1")
        result = run("24/20", "--utvalg", RADET)
        assert result.exit_code == 2
        assert (f"cases/2020/radet-kopi.yaml:1: sak: saksnummeret 24/20 i «{RADET}» er allerede brukt i "
                "cases/2020/radet-24-20.yaml:1") in result.output


class DescribeOneRoundOfProblems:
    def it_reports_six_typos_in_two_files_at_once_sorted_by_file_and_line(self, run, project):
        edit(project / CASE, "saksbehandler: Mari", "saksbehandlar: Mari", 1)
        edit(project / CASE, f"  - utvalg: {KDU}", "  - utvalg: Kommunedirektorutvalget", 1)
        edit(project / CASE, "[[minste_egenandel:tall]]", "[[minste_egen_andel:tall]]", 1)
        edit(project / SKISSE, "forfatter:", "forfattar:", 1)
        edit(project / SKISSE, "tilskuddsordning: kmd-kompetansepiloter", "tilskuddsordning: kmd-kompetanse", 1)
        edit(project / SKISSE, "beløp: 15000", "beløp: kr 15 000,-", 1)
        for args in (("kontroller",), ("24/20",)):
            result = run(*args)
            assert result.exit_code == 2
            found = lines(result.output)
            assert result.output.startswith("Feil: Fant 6 feil i saksfilene:")
            assert [line.split(": ")[0] for line in found] == [
                "cases/2020/24-20.yaml:4", "cases/2020/24-20.yaml:10", "cases/2020/24-20.yaml:44",
                "cases/vedlegg/2020/24-20-prosjektskisse.yaml:6", "cases/vedlegg/2020/24-20-prosjektskisse.yaml:7",
                "cases/vedlegg/2020/24-20-prosjektskisse.yaml:16",
            ]
            assert "ukjent tall «[[minste_egen_andel:tall]]»" in found[2]
            assert "ukjent tilskuddsordning «kmd-kompetanse»" in found[4]

    def it_does_not_judge_references_into_a_vedlegg_it_could_not_read(self, run, project):
        edit(project / SKISSE, "type: prosjektskisse", "type: prosjektskise", 1)
        result = run("kontroller")
        assert result.exit_code == 2
        assert len(lines(result.output)) == 1  # the type; not «[[minste_egenandel]] viser til et budsjett»


def it_validates_the_closed_case_arkivmelding_against_the_ks_schema(run, project):
    shutil.copy(FIXTURES / "lukket" / "25-20.yaml", project / "cases" / "2020" / "25-20.yaml")
    assert run("25/20", "--arkiv").exit_code == 0
    schema = etree.XMLSchema(etree.parse(str(REPO / "generator" / "schemas" / "fiks-arkiv-v2" /
                                             "no.ks.fiks.arkiv.v2.arkivering.arkivmelding.opprett.xsd")))
    (message,) = (project / "output" / "arkiv").rglob("arkivmelding.xml")
    assert schema.validate(etree.parse(str(message))), schema.error_log


class DescribeOutputFoldersPerUtvalg:
    def add_utvalg(self, project: Path, *names: str) -> None:
        org = project / "cases" / "organisasjon.yaml"  # utvalg is the file's last list
        org.write_text(org.read_text(encoding="utf-8") + "".join(f"  - navn: {n}\n" for n in names), encoding="utf-8")

    def write(self, project: Path, name: str, utvalg: str, arkivsak: str) -> None:
        (project / "cases" / "2020" / name).write_text(
            RADETS_24_20.replace(RADET, utvalg).replace("2020/30001-1", arkivsak), encoding="utf-8")

    def it_keeps_a_body_without_latin_letters_inside_output(self, run, project):
        self.add_utvalg(project, "Совет")
        self.write(project, "sovet-24-20.yaml", "Совет", "2020/30001-1")
        assert run("24/20", "--utvalg", "Совет").exit_code == 0
        tag = hashlib.sha256("Совет".encode()).hexdigest()[:8]
        assert sorted(p.relative_to(project / "output").as_posix() for p in (project / "output").rglob("*.pdf")) == [
            f"utvalg-{tag}/24-20-saksframlegg.pdf"]

    def it_gives_bodies_that_spell_alike_a_folder_each(self, run, project):
        self.add_utvalg(project, "Rådet", "Radet")
        self.write(project, "a.yaml", "Rådet", "2020/30001-1")
        self.write(project, "b.yaml", "Radet", "2020/30002-1")
        result = run("bygg", "--alle", "-j", "1")
        assert result.exit_code == 0, result.output
        tag = hashlib.sha256("Radet".encode()).hexdigest()[:8]
        assert {p.parent.name for p in (project / "output").rglob("24-20-saksframlegg.pdf")} == {"output", "radet", f"radet-{tag}"}

    def it_refuses_a_body_named_twice(self, run, project):
        self.add_utvalg(project, KDU.upper())
        result = run("kontroller")
        assert result.exit_code == 2
        assert f"cases/organisasjon.yaml:77: utvalg[2].navn: «{KDU.upper()}» står to ganger (første gang på linje 19)" in result.output

    def it_never_writes_outside_output(self, tmp_path):
        from generator.publish import files as publish
        for name in ("/24-20.pdf", "../24-20.pdf", "a/../../24-20.pdf"):
            with pytest.raises(ValueError, match="outside"):
                publish.write_all(tmp_path / "output", [(name, b"x")])
        assert list(tmp_path.rglob("*.pdf")) == []


class DescribeTheOrganisationsHjemler:
    def it_refuses_a_form_that_does_not_cite_offentleglova(self, run, project):
        edit(project / "cases" / "organisasjon.yaml", "utvalg:\n", "hjemler:\n  - fordi det er hemmelig\n  - offl. § 13\nutvalg:\n")
        result = run("kontroller")
        assert result.exit_code == 2
        assert lines(result.output) == [
            "cases/organisasjon.yaml:19: hjemler[0]: «fordi det er hemmelig» viser ikke til et unntak i offentleglova "
            "§§ 13–26; en hjemmel begynner med paragrafen i offentleglova, f.eks. «offl. § 13 jf. barnevernsloven § 13-1»",
            "cases/organisasjon.yaml:20: hjemler[1]: «offl. § 13»: offl. § 13 må si hvilken lov som gir taushetsplikten, "
            "med «jf.»",
        ]

    def it_matches_the_organisations_form_however_it_is_spelt(self, run, project):
        edit(project / "cases" / "organisasjon.yaml", "utvalg:\n", "hjemler:\n  - Offl §13 jfr bvl §6-7\nutvalg:\n")
        DescribeTheLegalBasis().closed_case(project, "offl. § 13 jf. bvl. § 6-7")
        assert run("25/20").exit_code == 0


class DescribeTheNumbersABodyGaveInASaksgang:
    RADETS_MOTE = f"utvalg: {RADET}\nmøtedato: 02.09.2020\nmøtested: Røros\nstarttid: \"10:00\"\nsaker:\n  - {{n}}\n"

    def it_finds_a_case_by_the_number_the_meeting_body_gave_it(self, run, project):
        assert "  - 31/20\n" in (project / "cases" / "moter" / "2020-09-02-radet.yaml").read_text(encoding="utf-8")
        assert run("kontroller").exit_code == 0
        assert run("møte", "2020-09-02").exit_code == 0
        summons = docx_text(project / "output" / "2020-09-02-radet-innkalling.docx")
        assert "PS 31/20 Kompetansepiloter" in summons and "24/20" not in summons
        assert "PS 31/20 Kompetansepiloter" in pdf_text(project / "output" / "2020-09-02-radet-motedokumenter.pdf")

    def it_refuses_a_number_the_meeting_body_never_gave(self, run, project):
        edit(project / CASE, "    utvalgssak: 31/20\n", "")
        (project / "cases" / "moter" / "2020-09-02-radet.motebok.yaml").unlink()
        (project / "cases" / "moter" / "2020-09-02-radet.yaml").write_text(self.RADETS_MOTE.format(n="24/20"), encoding="utf-8")
        result = run("kontroller")
        assert result.exit_code == 1
        assert (f"cases/2020/24-20.yaml:16: sak 24/20 står på sakslisten til {RADET} 02.09.2020, men 24/20 er sakens "
                f"nummer i «{KDU}»; i «{RADET}» har saken ikke noe utvalgssaksnummer (saksgang[1].utvalgssak)"
                ) in result.output

    def it_names_the_saksliste_when_the_case_file_gives_the_body_another_number(self, run, project):
        """A caseworker's review: the council's list had the committee's number; the message pointed at
        the case file, where the number was right."""
        (project / "cases" / "moter" / "2020-09-02-radet.motebok.yaml").unlink()
        (project / "cases" / "moter" / "2020-09-02-radet.yaml").write_text(self.RADETS_MOTE.format(n="24/20"), encoding="utf-8")
        result = run("kontroller")
        assert result.exit_code == 1
        assert (f"cases/moter/2020-09-02-radet.yaml:6: sak 24/20 står på sakslisten til {RADET} 02.09.2020, men 24/20 er "
                f"sakens nummer i «{KDU}»; i «{RADET}» har saken nummer 31/20 (cases/2020/24-20.yaml, "
                "saksgang[1].utvalgssak): skriv 31/20 på sakslisten") in result.output

    def it_refuses_a_number_one_body_gave_twice_across_cases(self, run, project):
        (project / "cases" / "2020" / "radet-30-20.yaml").write_text(
            f"sak: 30/20\nutvalg: {RADET}\ntittel: Noe annet\nsaksgang:\n  - utvalg: {KDU}\n    møtedato: 18.08.2020\n"
            f"    utvalgssak: 24/20\n  - utvalg: {RADET}\n    møtedato: 02.09.2020\n    utvalgssak: 30/20\n", encoding="utf-8")
        result = run("kontroller")
        assert result.exit_code == 2
        assert (f"cases/2020/radet-30-20.yaml:7: saksgang[0].utvalgssak: saksnummeret 24/20 i «{KDU}» er allerede "
                "brukt i cases/2020/24-20.yaml:1") in result.output


    def it_archives_cases_of_two_bodies_with_one_number_under_the_numbers_on_the_list(self, run, project):
        (project / "cases" / "2020" / "radet-24-20.yaml").write_text(RADETS_24_20.replace(
            "saksgang:\n", f"utvalg: {RADET}\nsaksgang:\n  - utvalg: {KDU}\n    møtedato: 18.08.2020\n    utvalgssak: 25/20\n"),
            encoding="utf-8")
        edit(project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml", "  - 24/20\n", "  - 24/20\n  - 25/20\n")
        (project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.motebok.yaml").unlink()  # not kept yet
        assert run("kontroller").exit_code == 0
        result = run("møte", "2020-08-18", "--arkiv")
        assert result.exit_code == 0, result.output
        folder = project / "output" / "arkiv" / "moter" / "2020-08-18-kommunedirektorutvalget"
        names = sorted(p.name for p in folder.iterdir())
        assert {"24-20-saksframlegg.pdf", "24-20-vedlegg-1-prosjektskisse.pdf", "25-20-saksframlegg.pdf",
                "arkivmelding-moetesak-24-20.xml", "arkivmelding-moetesak-25-20.xml"} <= set(names)
        assert "Budsjett 2021 for rådet" in pdf_text(folder / "25-20-saksframlegg.pdf")
        assert "Kompetansepiloter" in pdf_text(folder / "24-20-saksframlegg.pdf")
        assert "25-20-saksframlegg.pdf" in (folder / "arkivmelding-moetesak-25-20.xml").read_text(encoding="utf-8")


class DescribeEverythingInOneRun:
    def it_reports_the_rules_broken_beside_the_problems(self, run, project):
        edit(project / CASE, "saksbehandler: Mari", "saksbehandlr: Mari", 1)
        edit(project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml", "  - 24/20\n", "  - 24/20\n  - 99/20\n")
        (project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.motebok.yaml").unlink()  # not kept yet
        result = run("kontroller")
        assert result.exit_code == 2
        assert result.output.splitlines() == [
            "Feil: Fant 1 feil i saksfilene:",
            "  cases/2020/24-20.yaml:4: saksbehandlr: ukjent felt; mente du «saksbehandler»?",
            "Fant også 1 regelbrudd i det som kunne leses:",
            "  cases/moter/2020-08-18-kommunedirektorutvalget.yaml:10: sak 99/20 står på sakslisten, men finnes ikke under cases/",
        ]

    def it_checks_the_vedlegg_of_a_case_file_yaml_cannot_read(self, run, project):
        edit(project / CASE, "tittel: Kompetansepiloter", "tittel: Kompetansepiloter: forankring", 1)
        edit(project / SKISSE, "beløp: 15000", "beløp: 15000.001", 1)
        for args in (("kontroller",), ("24/20",)):
            result = run(*args)
            assert result.exit_code == 2
            assert result.output.startswith("Feil: Fant 2 feil i saksfilene:")
            assert "cases/vedlegg/2020/24-20-prosjektskisse.yaml:16: budsjett.utgifter[1].beløp: «15000.001»" in result.output

    def it_checks_a_vedlegg_no_case_names(self, run, project):
        shutil.copy(project / SKISSE, project / "cases" / "vedlegg" / "2020" / "utkast.yaml")
        edit(project / "cases" / "vedlegg" / "2020" / "utkast.yaml", "beløp: 15000", "beløp: femten tusen", 1)
        result = run("kontroller")
        assert result.exit_code == 2
        assert "cases/vedlegg/2020/utkast.yaml:16: budsjett.utgifter[1].beløp:" in result.output

    def it_does_not_call_a_scheme_unknown_when_the_schemes_file_is_broken(self, run, project):
        edit(project / "cases" / "tilskuddsordninger.yaml", "egenfinansiering_minst: 30", "egenfinansiering_minst: tretti")
        result = run("kontroller")
        assert result.exit_code == 2
        assert lines(result.output) == [
            "cases/tilskuddsordninger.yaml:6: ordninger[0].egenfinansiering_minst: forventet en prosentsats mellom 0 og "
            "100 med høyst to desimaler, f.eks. 30 eller 12,5, fant «tretti»"]

    def it_does_not_call_a_missing_scheme_unknown(self, run, project):
        edit(project / SKISSE, "tilskuddsordning: kmd-kompetansepiloter\n", "")
        result = run("kontroller")
        assert lines(result.output) == ["cases/vedlegg/2020/24-20-prosjektskisse.yaml:3: tilskuddsordning: påkrevd felt mangler"]


class DescribeWhatRendersAsWritten:
    def it_keeps_words_apart_across_a_tab_in_the_pdf(self, run, project):
        edit(project / CASE, "Projektskisse med finansieringsplan må behandles i rådet.",
             "Kolonne1\tKolonne2 og resten.")
        assert run("24/20").exit_code == 0
        assert "Kolonne1 Kolonne2 og resten." in pdf_text(project / "output" / "24-20-saksframlegg.pdf")

    def it_keeps_the_words_of_a_link_to_nowhere(self, run, project):
        edit(project / CASE, "Projektskisse med finansieringsplan må behandles i rådet.",
             "Les [lenken]() og [den andre](<>) her.")
        result = run("24/20")
        assert result.exit_code == 0, result.output
        for text in (docx_text(project / "output" / "24-20-saksframlegg.docx"),
                     pdf_text(project / "output" / "24-20-saksframlegg.pdf")):
            assert "Les lenken og den andre her." in text


def it_gives_kommunestyrer_without_latin_letters_a_folder_each(run, project):
    organisation = project / "cases" / "organisasjon.yaml"
    edit(organisation, "  - navn: Røros\n", "  - navn: Røros\n    kommunestyre: Совет\n")
    edit(organisation, "  - navn: Holtålen\n", "  - navn: Holtålen\n    kommunestyre: Σύμβούλιο\n")
    case = project / "cases" / "2020" / "23-20.yaml"
    edit(case, "  - utvalg: Kommunestyret i Røros\n", "  - utvalg: Совет\n")
    edit(case, "  - utvalg: Kommunestyret i Holtålen\n", "  - utvalg: Σύμβούλιο\n")
    assert run("23/20", "--kommunestyre").exit_code == 0
    folders = sorted(p.name for p in (project / "output").iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(folders) == 6 and len({f for f in folders}) == 6
    assert all(not f.endswith("-") for f in folders)
