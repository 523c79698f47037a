"""Archive-grade output: PDF/A-2a, identical bytes, atomic writes, immutable archive, arkivmelding."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from conftest import FIXTURES, REPO, edit, output_files
from crash import DIED, Crasher
from generator.load import pdfvedlegg
from generator.publish import files as publish
from generator.errors import ProjectError
from generator.cli import main_group
from generator.commands.pipeline import make_case
from generator.folder import ProjectFolder
from generator.domain.values import Saksnummer
from rendered import sample_output

#: KS Fiks Arkiv v2 (MIT), shipped with makecase: see generator/schemas/fiks-arkiv-v2/SOURCE-COMMIT.
SCHEMAS = REPO / "generator" / "schemas" / "fiks-arkiv-v2"
NS = {"a": "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v2",
      "m": "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v2"}


@pytest.fixture(scope="module")
def crasher():
    server = Crasher()
    yield server
    server.close()


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "no.ks.fiks.arkiv.v2.arkivering.arkivmelding.opprett.xsd")))


def assert_valid(schema, path: Path) -> etree._ElementTree:
    doc = etree.parse(str(path))
    assert schema.validate(doc), [str(e) for e in schema.error_log]
    return doc


class DescribePdfA:
    def it_passes_every_check_on_every_sample_pdf(self, tmp_path_factory):
        from click.testing import CliRunner

        out = sample_output(tmp_path_factory.mktemp("pdfa"))
        pdfs = [str(paths[".pdf"]) for paths in out.values() if ".docx" in paths]  # makecase's own
        result = CliRunner().invoke(main_group, ["verifiser", *pdfs])
        assert result.exit_code == 0, result.output
        assert result.output.count("Resultat: oppfyller PDF/A-2a og PDF/UA-1") == len(pdfs) == 6
        assert "FEIL" not in result.output
        # 22/20's PDF vedlegg is copied as its case brought it, and claims no more than it is
        (vedlegg,) = [str(paths[".pdf"]) for paths in out.values() if ".docx" not in paths]
        result = CliRunner().invoke(main_group, ["verifiser", vedlegg])
        assert result.exit_code == 1 and "Resultat: oppfyller ikke PDF/A-2a og PDF/UA-1" in result.output

    def it_passes_on_the_meeting_package(self, run, project):
        assert run("møte", "2020-08-18").exit_code == 0
        result = run("verifiser", "output/2020-08-18-kommunedirektorutvalget-motedokumenter.pdf")
        assert result.exit_code == 0, result.output

    def it_fails_naming_the_check_for_a_standard_14_font(self, run, project, tmp_path):
        assert run("24/20").exit_code == 0
        path = tmp_path / "helvetica.pdf"
        with pikepdf.open(project / "output" / "24-20-saksframlegg.pdf") as pdf:
            page = pdf.pages[0]
            page.Resources.Font["/Helv"] = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                              BaseFont=pikepdf.Name.Helvetica)
            page.contents_add(pdf.make_stream(b"/Artifact BMC BT /Helv 12 Tf 72 72 Td (Helvetica) Tj ET EMC"))
            pdf.save(path)
        result = run("verifiser", str(path))
        assert result.exit_code == 1
        assert "FEIL 6.2.11.4.1      alle skrifter er innebygd (Helvetica)" in result.output

    def it_fails_naming_the_check_without_an_output_intent(self, run, project, tmp_path):
        assert run("24/20").exit_code == 0
        path = tmp_path / "uten-outputintent.pdf"
        with pikepdf.open(project / "output" / "24-20-saksframlegg.pdf") as pdf:
            del pdf.Root["/OutputIntents"]
            pdf.save(path)
        result = run("verifiser", str(path))
        assert result.exit_code == 1
        assert "FEIL 6.2.3           OutputIntent (GTS_PDFA1) med innebygd ICC-profil (mangler)" in result.output
        assert "OK   6.2.11.4.1" in result.output

    def it_fails_naming_the_check_for_endstream_after_binary_data(self, run, project, tmp_path):
        assert run("24/20").exit_code == 0
        path = project / "output" / "24-20-saksframlegg.pdf"
        raw = path.read_bytes()
        assert "OK   6.1.7.1" in run("verifiser", str(path)).output
        bad = tmp_path / "uten-linjeskift.pdf"
        bad.write_bytes(raw.replace(b"\nendstream", b"endstream", 1) if b"\nendstream" in raw else raw)
        result = run("verifiser", str(bad))
        assert result.exit_code == 1
        assert "FEIL 6.1.7.1         strømmer: /Length stemmer og endstream står på egen linje" in result.output

    def it_declares_the_metadata_the_archive_reads(self, run, project):
        assert run("24/20").exit_code == 0
        with pikepdf.open(project / "output" / "24-20-saksframlegg.pdf") as pdf:
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["pdfuaid:part"]) == ("2", "A", "1")
            assert meta["dc:title"] == "Saksframlegg 24/20: Kompetansepiloter Trøndelag Sør- forankring i kommuner og finansiering"
            assert meta["dc:creator"] == ["Mari Løvli Yri"]
            assert meta["xmp:CreateDate"].startswith("2020-08-18")
            assert str(pdf.docinfo["/Subject"]) == "Saksframlegg, sak 24/20"
            assert str(pdf.docinfo["/CreationDate"]) == "D:20200818000000Z"
            assert set(pdf.docinfo.keys()) == {"/Title", "/Author", "/Subject", "/Creator", "/CreationDate", "/ModDate"}
            assert "/Filter" not in pdf.Root.Metadata.stream_dict
            assert str(pdf.Root.Lang) == "nb"
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3


def fresh_projects(tmp_path: Path) -> list[Path]:
    """Return two fresh copies of the sample project."""
    roots = [tmp_path / "en", tmp_path / "to"]
    for root in roots:
        shutil.copytree(REPO / "cases", root / "cases")
        shutil.copytree(REPO / "templates", root / "templates")
    return roots


class DescribeSameInputSameBytes:
    def it_renders_24_20_identically_in_two_fresh_folders(self, tmp_path):
        results = []
        for root in fresh_projects(tmp_path):
            made = make_case(ProjectFolder(root), Saksnummer.parse("24/20"))
            results.append({p.name: p.read_bytes() for p in made.paths})
        assert list(results[0]) == ["24-20-saksframlegg.docx", "24-20-saksframlegg.pdf",
                                    "24-20-vedlegg-1-prosjektskisse.docx", "24-20-vedlegg-1-prosjektskisse.pdf"]
        assert results[0] == results[1]

    def it_makes_the_meeting_package_identically_in_two_fresh_processes(self, tmp_path):
        """Each in a process of its own: nothing random (a resource name, an ID) may reach the bytes."""
        packages = []
        for root in fresh_projects(tmp_path):
            subprocess.run([sys.executable, "-m", "generator", "møte", "2020-08-18"], cwd=root, check=True,
                           capture_output=True)
            packages.append((root / "output" / "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf").read_bytes())
        assert packages[0] == packages[1]


class DescribeAtomicWrites:
    def it_leaves_the_previous_file_when_the_rename_fails(self, project, monkeypatch):
        folder = ProjectFolder(project)
        make_case(folder, Saksnummer.parse("24/20"))
        target = project / "output" / "24-20-saksframlegg.pdf"
        before = target.read_bytes()
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("Projektskisse med finansieringsplan", "Endret tekst"),
                        encoding="utf-8")

        def crash(src, dst):
            raise OSError("simulert krasj mellom skriving og omdøping")

        monkeypatch.setattr(publish.os, "replace", crash)
        with pytest.raises(ProjectError, match="Kan ikke skrive .*simulert krasj"):
            make_case(folder, Saksnummer.parse("24/20"))
        assert target.read_bytes() == before
        assert sorted(p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")) == []

    def it_writes_through_a_temporary_file_in_the_same_folder(self, tmp_path, monkeypatch):
        seen = []
        real = os.replace
        monkeypatch.setattr(publish.os, "replace", lambda src, dst: (seen.append((Path(src), Path(dst))), real(src, dst)))
        publish.write_atomic(tmp_path / "a.pdf", b"%PDF")
        ((src, dst),) = seen
        assert src.parent == dst.parent == tmp_path and src.name.startswith(".a.pdf.")
        assert (tmp_path / "a.pdf").read_bytes() == b"%PDF"


class DescribeTheArchive:
    def archive_folder(self, project: Path) -> Path:
        return project / "output" / "arkiv" / "2020-18145-1"

    def it_archives_the_final_pdfs_with_a_manifest(self, run, project):
        result = run("24/20", "--arkiv")
        assert result.exit_code == 0, result.output
        folder = self.archive_folder(project)
        assert sorted(p.name for p in folder.iterdir()) == [
            "24-20-saksframlegg.pdf", "24-20-vedlegg-1-prosjektskisse.pdf", "arkivmelding.xml", "manifest.json"]
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for entry in manifest["filer"]:
            data = (folder / entry["fil"]).read_bytes()
            assert entry == {"fil": entry["fil"], "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        assert [e["fil"] for e in manifest["filer"]] == [
            "24-20-saksframlegg.pdf", "24-20-vedlegg-1-prosjektskisse.pdf", "arkivmelding.xml"]
        assert manifest["eier"] == "sak 24/20 i Kommunedirektørutvalget i Trøndelag Sør"

    def it_does_nothing_for_identical_content(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        stamps = {p.name: p.stat().st_mtime_ns for p in self.archive_folder(project).iterdir()}
        result = run("24/20", "--arkiv")
        assert result.exit_code == 0
        assert "Arkiverte" not in result.output
        assert "Uendret i arkivet: output/arkiv/2020-18145-1/24-20-saksframlegg.pdf" in result.output
        assert {p.name: p.stat().st_mtime_ns for p in self.archive_folder(project).iterdir()} == stamps

    def it_refuses_to_change_an_archived_document(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        archived = (self.archive_folder(project) / "24-20-saksframlegg.pdf").read_bytes()
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("Projektskisse med finansieringsplan", "Endret tekst"),
                        encoding="utf-8")
        result = run("24/20", "--arkiv")
        assert result.exit_code == 1
        assert result.output.startswith("Feil: Arkivert dokument kan ikke endres: "
                                        "output/arkiv/2020-18145-1/24-20-saksframlegg.pdf, ")
        assert ("output/arkiv/2020-18145-1/arkivmelding.xml finnes i arkivet med et annet innhold. Et endret dokument "
                "trenger et nytt dokumentnummer: skriv «arkivsak: 2020/18145-2» i cases/2020/24-20.yaml og arkiver "
                "på nytt.") in result.output
        assert (self.archive_folder(project) / "24-20-saksframlegg.pdf").read_bytes() == archived

    def it_names_a_dokumentnummer_no_document_of_the_arkivsak_has_yet(self, run, project):
        """Not simply the next one: «Dokumenter i saken» lists 3, and 25/20 shares the arkivsak as -2
        (an archivist's re-review: the advice given was -2, which the next run refused)."""
        case = project / "cases" / "2020" / "24-20.yaml"
        edit(case, "arkivsak: 2020/18145-1\n", "arkivsak: 2020/18145-1\ndelt_arkivsak: true\n")
        edit(case, "dokumenter:\n", "dokumenter:\n  - nr: 3\n    type: I\n    tittel: Brev fra fylket\n")
        (project / "cases" / "2020" / "25-20.yaml").write_text(
            "sak: 25/20\ntittel: Oppfølging\narkivsak: 2020/18145-2\ndelt_arkivsak: true\nsaksgang:\n"
            "  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n    møtedato: 15.09.2020\n    utvalgssak: 25/20\n"
            "saksopplysninger: |\n  Oppfølging.\n", encoding="utf-8")
        assert run("24/20", "--arkiv").exit_code == 0, run("kontroller").output
        edit(case, "Projektskisse med finansieringsplan", "Endret tekst")
        result = run("24/20", "--arkiv")
        assert result.exit_code == 1
        assert "skriv «arkivsak: 2020/18145-4» i cases/2020/24-20.yaml og arkiver på nytt." in result.output

    def it_refuses_a_dokumentnummer_of_0(self, run, project):
        edit(project / "cases" / "2020" / "24-20.yaml", "arkivsak: 2020/18145-1", "arkivsak: 2020/18145-0")
        result = run("24/20")
        assert result.exit_code == 2
        assert "cases/2020/24-20.yaml:3: arkivsak: dokumentnummeret begynner på 1 (som i «2020/18145-1»), fant " \
               "«2020/18145-0»" in result.output

    def it_refuses_to_archive_a_draft_or_a_case_without_arkivsak(self, run):
        assert run("24/20", "--arkiv", "--utkast").output.startswith("Feil: Et utkast kan ikke arkiveres")
        result = run("22/20", "--arkiv")
        assert (result.exit_code, result.output) == (
            2, "Feil: Sak 22/20 har ikke noe arkivsaksnummer (arkivsak:) og kan ikke arkiveres.\n")


class DescribeArkivmelding:
    def it_describes_the_case_validly_with_matching_checksums(self, run, project, schema):
        assert run("24/20", "--arkiv").exit_code == 0
        folder = project / "output" / "arkiv" / "2020-18145-1"
        doc = assert_valid(schema, folder / "arkivmelding.xml")
        assert doc.findtext("a:mappe/a:saksaar", namespaces=NS) == "2020"
        assert doc.findtext("a:mappe/a:sakssekvensnummer", namespaces=NS) == "18145"
        assert doc.findtext("a:registrering/a:journalposttype/m:kode", namespaces=NS) == "S"
        described = doc.findall("a:registrering/a:dokumentbeskrivelse", namespaces=NS)
        roles = [d.findtext("a:tilknyttetRegistreringSom/m:kode", namespaces=NS) for d in described]
        assert roles == ["H", "V"]
        for d in described:
            obj = d.find("a:dokumentobjekt", namespaces=NS)
            data = (folder / obj.findtext("a:referanseDokumentfil", namespaces=NS)).read_bytes()
            assert obj.findtext("a:sjekksum", namespaces=NS) == hashlib.sha256(data).hexdigest()
            assert obj.findtext("a:sjekksumAlgoritme", namespaces=NS) == "SHA-256"
            assert obj.findtext("a:filstoerrelse", namespaces=NS) == str(len(data))
            assert obj.findtext("a:variantformat/m:kode", namespaces=NS) == "A"

    def it_describes_the_meeting_and_each_case_on_its_list(self, run, project, schema):
        assert run("møte", "2020-08-18", "--arkiv").exit_code == 0
        folder = project / "output" / "arkiv" / "moter" / "2020-08-18-kommunedirektorutvalget"
        meeting = assert_valid(schema, folder / "arkivmelding.xml")
        assert meeting.findtext("a:mappe/a:moetedato", namespaces=NS) == "2020-08-18"
        assert meeting.findtext("a:mappe/a:utvalg/m:navn", namespaces=NS) == "Kommunedirektørutvalget i Trøndelag Sør"
        assert meeting.findtext("a:mappe/a:moetested", namespaces=NS) == "Teams"
        for number in ("22-20", "23-20", "24-20"):
            sak = assert_valid(schema, folder / f"arkivmelding-moetesak-{number}.xml")
            assert sak.findtext("a:registrering/a:moetesakssekvensnummer", namespaces=NS) == number.split("-")[0]
            for obj in sak.iterfind(".//a:dokumentobjekt", namespaces=NS):
                data = (folder / obj.findtext("a:referanseDokumentfil", namespaces=NS)).read_bytes()
                assert obj.findtext("a:sjekksum", namespaces=NS) == hashlib.sha256(data).hexdigest()
        # 22/20's PDF vedlegg (PDF/A-2b from LibreOffice) is a dokumentbeskrivelse of its own, kept as it came
        referater = assert_valid(schema, folder / "arkivmelding-moetesak-22-20.xml")
        described = [(d.findtext("a:tittel", namespaces=NS), d.findtext("a:dokumentobjekt/a:formatDetaljer", namespaces=NS))
                     for d in referater.iterfind(".//a:dokumentbeskrivelse", namespaces=NS)]
        assert described == [("Saksframlegg 22/20: Referatsaker", "PDF/A-2a"),
                             ("Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd", "PDF/A-2b")]
        kept = folder / "22-20-vedlegg-1-aktivitetsrapport-2020-for-trondelag-sor.pdf"
        # the copy makecase uses: LibreOffice's file, its page tab order mended (generator.load.pdfvedlegg)
        assert kept.read_bytes() == pdfvedlegg.read(project / "cases" / "vedlegg" / "2020" / "22-20-aktivitetsrapport-2020.pdf").data
        entries = {e["fil"]: e for e in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["filer"]}
        assert entries[kept.name]["format"] == "PDF/A-2b" and "format" not in entries["22-20-saksframlegg.pdf"]

    def it_screens_a_closed_case(self, run, project, schema):
        shutil.copy(FIXTURES / "lukket" / "25-20.yaml", project / "cases" / "2020" / "25-20.yaml")
        assert run("25/20", "--arkiv").exit_code == 0
        doc = assert_valid(schema, project / "output" / "arkiv" / "2020-20001-1" / "arkivmelding.xml")
        for part in ("a:mappe", "a:registrering"):
            assert doc.findtext(f"{part}/a:offentligTittel", namespaces=NS) == "Personalsak"
            assert doc.findtext(f"{part}/a:skjerming/a:skjermingshjemmel", namespaces=NS) == \
                "offl. § 13 jf. fvl. § 13 første ledd nr. 1"
            assert doc.findtext(f"{part}/a:skjerming/a:tilgangsrestriksjon/m:kode", namespaces=NS) == "13"
        # each document too: a dokumentbeskrivelse has no public title, so its own title and file name
        # (which name the person) would otherwise be served from the public journal
        described = doc.findall(".//a:dokumentbeskrivelse", namespaces=NS)
        assert described and all(d.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS) ==
                                 "offl. § 13 jf. fvl. § 13 første ledd nr. 1" for d in described)
        # … and titled by the public title: the schema gives a dokumentbeskrivelse no offentligTittel
        assert [d.findtext("a:tittel", namespaces=NS) for d in described] == ["Personalsak"]
        names = [e for e in doc.iter() if "Hemmelig" in (e.text or "")]
        assert [e.tag.split("}")[1] for e in names] == ["tittel", "tittel"]  # the mappe's and the journalpost's, screened
        # the journalpost finds its saksmappe by the number the archive gave it, not only by makecase's key
        parent = doc.find("a:registrering/a:referanseForelderMappe/m:saksnummer", namespaces=NS)
        assert (parent.findtext("m:saksaar", namespaces=NS), parent.findtext("m:sakssekvensnummer", namespaces=NS)) == \
            ("2020", "20001")

    def it_numbers_each_moetesak_as_its_own_utvalg_did(self, run, project, schema):
        """24/20 is 31/20 on the council's list of 02.09.2020 (an archivist's review found «24»)."""
        result = run("møte", "2020-09-02", "--arkiv")
        assert result.exit_code == 0, result.output
        folder = project / "output" / "arkiv" / "moter" / "2020-09-02-radet"
        doc = assert_valid(schema, folder / "arkivmelding-moetesak-31-20.xml")
        assert doc.findtext("a:registrering/a:moetesakssekvensnummer", namespaces=NS) == "31"
        assert doc.findtext("a:registrering/a:moetesaksaar", namespaces=NS) == "2020"
        assert doc.findtext("a:registrering/a:referanseEksternNoekkel/m:noekkel", namespaces=NS).endswith("/PS 31/20")
        # and it points at the case: its saksmappe by saksnummer, its saksframlegg's journalpost by key
        kryss = doc.find("a:registrering/a:kryssreferanse", namespaces=NS)
        assert kryss.findtext("a:referanseTilMappe/m:saksnummer/m:sakssekvensnummer", namespaces=NS) == "18145"
        assert kryss.findtext("a:referanseTilRegistrering/m:referanseEksternNoekkel/m:noekkel", namespaces=NS) == \
            "2020/18145-1"


    def it_screens_the_members_summons_and_package_of_a_meeting_with_a_closed_case(self, run, project, schema):
        shutil.copy(FIXTURES / "lukket" / "25-20.yaml", project / "cases" / "2020" / "25-20.yaml")
        (project / "cases" / "moter" / "2020-09-15.yaml").write_text(
            "utvalg: Kommunedirektørutvalget i Trøndelag Sør\nmøtedato: 15.09.2020\nmøtested: Teams\n"
            'starttid: "14:00"\nsaker:\n  - 25/20\n', encoding="utf-8")
        result = run("møte", "2020-09-15", "--arkiv")
        assert result.exit_code == 0, result.output
        doc = assert_valid(schema, project / "output" / "arkiv" / "moter" / "2020-09-15" / "arkivmelding.xml")
        screened = {d.findtext("a:dokumentobjekt/a:filnavn", namespaces=NS):
                    d.findtext("a:skjerming/a:skjermingshjemmel", namespaces=NS)
                    for d in doc.iterfind(".//a:dokumentbeskrivelse", namespaces=NS)}
        assert screened == {"2020-09-15-innkalling.pdf": "offl. § 13 jf. fvl. § 13 første ledd nr. 1",
                            "2020-09-15-motedokumenter.pdf": "offl. § 13 jf. fvl. § 13 første ledd nr. 1"}
        # the public summons and package beside them, variant O: what an archive may publish
        variants = {(d.findtext("a:dokumentobjekt/a:filnavn", namespaces=NS), o.findtext("a:variantformat/m:kode", namespaces=NS)):
                    o.findtext("a:referanseDokumentfil", namespaces=NS)
                    for d in doc.iterfind(".//a:dokumentbeskrivelse", namespaces=NS)
                    for o in d.iterfind("a:dokumentobjekt", namespaces=NS)}
        assert variants == {("2020-09-15-innkalling.pdf", "A"): "2020-09-15-innkalling.pdf",
                            ("2020-09-15-innkalling.pdf", "O"): "2020-09-15-offentlig-innkalling.pdf",
                            ("2020-09-15-motedokumenter.pdf", "A"): "2020-09-15-motedokumenter.pdf",
                            ("2020-09-15-motedokumenter.pdf", "O"): "2020-09-15-offentlig-motedokumenter.pdf"}
        assert doc.findtext("a:antallFiler", namespaces=NS) == "4"
        folder = project / "output" / "arkiv" / "moter" / "2020-09-15"
        from textof import pdf_text

        public = pdf_text(folder / "2020-09-15-offentlig-motedokumenter.pdf")
        assert "Personalsak" in public and "Hemmelig" not in public
        assert "Offentlig utgave · Side 1 av" in public  # marked on every page as the one --offentlig makes
        assert "Hemmelig" in pdf_text(folder / "2020-09-15-motedokumenter.pdf")
        assert run("verifiser", "--arkiv", str(folder)).exit_code == 0
        moetesak = assert_valid(schema, project / "output" / "arkiv" / "moter" / "2020-09-15" /
                                "arkivmelding-moetesak-25-20.xml")
        assert moetesak.find(".//a:innstilling", namespaces=NS) is None  # the screened documents hold it
        assert "Hemmelig" not in "".join(e.text or "" for e in moetesak.iter() if e.tag.endswith("}tekstInnhold"))
        assert all(d.find("a:skjerming", namespaces=NS) is not None
                   for d in moetesak.iterfind(".//a:dokumentbeskrivelse", namespaces=NS))


class DescribeAnArchiveThatCannotChange:
    FOLDER = Path("output") / "arkiv" / "2020-18145-1"

    def change_text(self, project: Path) -> None:
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("Projektskisse med finansieringsplan", "Endret tekst"),
                        encoding="utf-8")

    def snapshot(self, project: Path) -> dict[str, bytes]:
        return {str(p.relative_to(project)): p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}

    def it_refuses_to_archive_again_when_an_archived_file_is_gone(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        (project / self.FOLDER / "24-20-saksframlegg.pdf").unlink()
        self.change_text(project)
        result = run("24/20", "--arkiv")
        assert result.exit_code == 1
        assert ("Feil: Arkivmappen output/arkiv/2020-18145-1 stemmer ikke med manifest.json: "
                "24-20-saksframlegg.pdf står i manifestet, men mangler") in result.output
        assert not (project / self.FOLDER / "24-20-saksframlegg.pdf").exists()

    def it_keeps_the_arkivmelding_as_archived(self, run, project):
        shutil.copy(FIXTURES / "lukket" / "25-20.yaml", project / "cases" / "2020" / "25-20.yaml")
        assert run("25/20", "--arkiv").exit_code == 0
        message = project / "output" / "arkiv" / "2020-20001-1" / "arkivmelding.xml"
        before = message.read_bytes()
        case = project / "cases" / "2020" / "25-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("offentlig_tittel: Personalsak",
                                                                 "offentlig_tittel: Ansettelsessak"), encoding="utf-8")
        result = run("25/20", "--arkiv")
        assert result.exit_code == 1 and "arkivmelding.xml finnes i arkivet med et annet innhold" in result.output
        assert message.read_bytes() == before

    def it_refuses_a_tampered_manifest_and_verify_names_it(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        manifest = project / self.FOLDER / "manifest.json"
        manifest.chmod(0o644)  # archived files are read-only; a tamperer makes it writable first
        manifest.write_text(manifest.read_text(encoding="utf-8").replace('"sha256": "', '"sha256": "0', 1), encoding="utf-8")
        result = run("24/20", "--arkiv")
        assert result.exit_code == 1 and "24-20-saksframlegg.pdf er endret etter at den ble arkivert" in result.output
        checked = run("verifiser", "--arkiv", str(self.FOLDER))
        assert checked.exit_code == 1
        assert "FEIL manifest         24-20-saksframlegg.pdf er endret etter at den ble arkivert" in checked.output

    def it_holds_the_files_to_the_arkivmelding_when_file_and_manifest_were_both_changed(self, run, project):
        """The manifest is unsigned: a hand that swaps a PDF and writes its checksum into the manifest
        is caught by the arkivmelding, which the archive receives (an archivist's review)."""
        assert run("24/20", "--arkiv").exit_code == 0
        assert run("23/20").exit_code == 0
        folder = project / self.FOLDER
        manifest, pdf = folder / "manifest.json", folder / "24-20-saksframlegg.pdf"
        other = (project / "output" / "23-20-saksframlegg.pdf").read_bytes()
        for path in (manifest, pdf):
            path.chmod(0o644)
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        for entry in entries["filer"]:
            if entry["fil"] == pdf.name:
                entry.update(sha256=hashlib.sha256(other).hexdigest(), bytes=len(other))
        manifest.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        pdf.write_bytes(other)
        checked = run("verifiser", "--arkiv", str(self.FOLDER))
        assert checked.exit_code == 1
        assert ("FEIL arkivmelding     arkivmelding.xml oppgir en annen sjekksum for 24-20-saksframlegg.pdf enn filen har"
                in checked.output)
        assert "stemmer ikke med manifest.json og arkivmeldingene (1 avvik)" in checked.output
        refused = run("24/20", "--arkiv")  # and the archive takes nothing more into such a folder
        assert refused.exit_code == 1 and "oppgir en annen sjekksum" in refused.output

    def it_refuses_an_arkivmelding_that_cannot_be_read_or_names_a_file_not_there(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        message = project / self.FOLDER / "arkivmelding.xml"
        original = message.read_text(encoding="utf-8")
        message.chmod(0o644)
        message.write_text(original.replace("<referanseDokumentfil>24-20-saksframlegg.pdf<",
                                            "<referanseDokumentfil>finnes-ikke.pdf<"), encoding="utf-8")
        output = run("verifiser", "--arkiv", str(self.FOLDER)).output
        assert "arkivmelding.xml viser til finnes-ikke.pdf, som ikke er i arkivmappen" in output
        assert "24-20-saksframlegg.pdf er ikke beskrevet i noen arkivmelding" in output
        message.write_text(original[:200], encoding="utf-8")
        checked = run("verifiser", "--arkiv", str(self.FOLDER))
        assert checked.exit_code == 1 and "arkivmelding.xml kan ikke leses som XML" in checked.output
        # what an archivist's re-review changed by hand, the manifest written to match each time
        digest = re.search(r"<sjekksum>([0-9a-f]{64})</sjekksum>", original).group(1)
        for changed, said in [
            (original.replace("<antallFiler>2</antallFiler>", "<antallFiler>7</antallFiler>"),
             "arkivmelding.xml oppgir 7 filer (antallFiler), men beskriver 2"),
            (original.replace("<sjekksumAlgoritme>SHA-256</sjekksumAlgoritme>", "<sjekksumAlgoritme>MD5</sjekksumAlgoritme>", 1),
             "arkivmelding.xml oppgir sjekksumalgoritmen «MD5» for 24-20-saksframlegg.pdf; arkivet bruker SHA-256"),
            (original.replace(digest, digest.upper()), None),  # the same checksum in capitals: the same file
        ]:
            message.write_text(changed, encoding="utf-8")
            manifest = project / self.FOLDER / "manifest.json"
            manifest.chmod(0o644)
            entries = json.loads(manifest.read_text(encoding="utf-8"))
            for entry in entries["filer"]:
                if entry["fil"] == "arkivmelding.xml":
                    entry.update(sha256=hashlib.sha256(message.read_bytes()).hexdigest(), bytes=message.stat().st_size)
            manifest.write_text(json.dumps(entries, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            checked = run("verifiser", "--arkiv", str(self.FOLDER))
            assert (checked.exit_code, said is None or said in checked.output) == (1 if said else 0, True), checked.output

    def it_verifies_a_sound_archive_folder_and_its_pdfs(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        checked = run("verifiser", "--arkiv", str(self.FOLDER))
        assert checked.exit_code == 0, checked.output
        assert "Resultat: stemmer med manifest.json og arkivmeldingene" in checked.output
        assert checked.output.count("Resultat: oppfyller PDF/A-2a og PDF/UA-1") == 2

    def it_refuses_another_owner_in_the_same_folder(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        case = project / "cases" / "2020" / "24-20.yaml"
        case.write_text(case.read_text(encoding="utf-8").replace("sak: 24/20", "sak: 27/20", 1)
                        .replace("utvalgssak: 24/20", "utvalgssak: 27/20"), encoding="utf-8")
        result = run("27/20", "--arkiv")
        assert result.exit_code == 1
        assert ("Arkivmappen output/arkiv/2020-18145-1 tilhører sak 24/20 i Kommunedirektørutvalget i Trøndelag Sør, "
                "ikke sak 27/20") in result.output

    def it_keeps_every_archived_file_read_only(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        modes = {p.name: p.stat().st_mode & 0o777 for p in (project / self.FOLDER).iterdir()}
        assert modes == dict.fromkeys(["24-20-saksframlegg.pdf", "24-20-vedlegg-1-prosjektskisse.pdf", "arkivmelding.xml",
                                       "manifest.json"], 0o444)

    def it_counts_hidden_files_and_folders_in_an_archive_folder_as_differences(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        (project / self.FOLDER / ".skjult.pdf").write_bytes(b"%PDF-1.7")
        (project / self.FOLDER / "undermappe").mkdir()
        (project / self.FOLDER / "undermappe" / "x.pdf").write_bytes(b"%PDF-1.7")
        checked = run("verifiser", "--arkiv", str(self.FOLDER))
        assert checked.exit_code == 1
        assert ".skjult.pdf står ikke i manifestet" in checked.output
        assert "undermappe er en mappe og hører ikke hjemme i arkivmappen" in checked.output
        assert run("24/20", "--arkiv").exit_code == 1

    @pytest.mark.parametrize("obstacle", ["output/arkiv", "output/arkiv/2020-18145-1", "full disk"])
    def it_gives_exit_2_and_changes_nothing_when_the_archive_cannot_be_written(self, run, project, monkeypatch, obstacle):
        import errno

        from generator.publish import archive
        (project / "output").mkdir()
        if obstacle == "full disk":
            def full(path, data):
                raise OSError(errno.ENOSPC, "No space left on device", str(path))
            monkeypatch.setattr(archive, "write_durable", full)
            (project / "output" / "arkiv").mkdir()
        else:
            (project / obstacle).parent.mkdir(parents=True, exist_ok=True)
            (project / obstacle).write_text("en fil", encoding="utf-8")
        before = self.snapshot(project)
        result = run("24/20", "--arkiv")
        assert result.exit_code == 2, result.output
        assert result.output.startswith("Feil: Kan ikke skrive output/arkiv")
        assert ("disken er full" if obstacle == "full disk" else "en fil ligger der en mappe skal være") in result.output
        after = {k: v for k, v in self.snapshot(project).items() if ".makecase-cache" not in k}  # verdicts on templates
        assert after == before  # output/ untouched too
        assert not [p for p in (project / "output").rglob("*") if p.name.endswith(".staging")]

    def it_writes_nothing_anywhere_when_it_refuses(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        before = self.snapshot(project)
        self.change_text(project)
        assert run("24/20", "--arkiv").exit_code == 1
        assert self.snapshot(project) == before  # output/ keeps the archived version's documents too

    def it_archives_one_run_at_a_time(self, project):
        """A run holding the archive lock makes another wait until it is done (a run that did not
        wait would have written the archive before the lock is let go)."""
        holder = subprocess.Popen([sys.executable, "-c", (
            "import sys; from pathlib import Path; from generator.publish import archive; "
            "from generator.folder import ProjectFolder\n"
            "with archive.locked(ProjectFolder(Path(sys.argv[1]))):\n"
            "    print('holder', flush=True); sys.stdin.readline()"), str(project)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline() == "holder\n"
        waiting = subprocess.Popen([sys.executable, "-m", "generator", "24/20", "--arkiv"], cwd=project,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            waiting.wait(timeout=1.5)
        except subprocess.TimeoutExpired:
            pass
        archived_while_locked = (project / self.FOLDER).exists()
        holder.communicate("los\n", timeout=10)
        _, errors = waiting.communicate(timeout=60)
        assert not archived_while_locked
        assert waiting.returncode == 0, errors
        assert (project / self.FOLDER / "24-20-saksframlegg.pdf").exists()

    def it_is_whole_after_a_crash_at_any_step_and_the_next_run(self, run, project, crasher):
        """Let `makecase 24/20 --arkiv` die at steps spread over its whole run; after the next run
        the folder matches its manifest, every PDF passes, and nothing half-written is left."""
        args = ["24/20", "--arkiv"]

        def clear():
            for path in (project / "output").iterdir():
                if path.name != ".makecase-cache":  # the verdicts on PDFs stay: the same bytes pass again
                    shutil.rmtree(path) if path.is_dir() else path.unlink()

        crasher.run(project, args, None)  # the PDFs' verdicts on disk: every later run does the same
        clear()
        for at in crasher.points(project, args, 5):
            clear()
            assert crasher.run(project, args, at) == DIED
            assert run(*args).exit_code == 0
            checked = run("verifiser", "--arkiv", str(self.FOLDER))
            assert checked.exit_code == 0, checked.output
            leftovers = [p.name for p in (project / "output").rglob("*") if p.name.endswith((".tmp", ".staging"))]
            assert leftovers == [], at

    def it_is_whole_after_a_real_kill(self, project):
        """The same with a real SIGKILL of a separate process, once the first document is written."""
        process = subprocess.Popen([sys.executable, "-m", "generator", "24/20", "--arkiv"], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while process.poll() is None and not (project / "output" / "24-20-saksframlegg.pdf").exists():
            time.sleep(0.005)
        process.kill()
        process.wait()
        done = subprocess.run([sys.executable, "-m", "generator", "24/20", "--arkiv"], cwd=project,
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        checked = subprocess.run([sys.executable, "-m", "generator", "verifiser", "--arkiv", str(self.FOLDER)],
                                 cwd=project, capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stdout


class DescribeAllOrNothingPublishing:
    """Kill makecase at random moments while it writes a new version over an old one: once the
    next run has cleaned up (publish.recover, the first thing it does), each document set is all
    old or all new, and nothing half-written is left."""

    CASE = Path("cases") / "2020" / "24-20.yaml"
    FILES = ("24-20-saksframlegg.docx", "24-20-saksframlegg.pdf")

    @pytest.mark.parametrize("command", [["23/20"], ["bygg", "--alle", "-j", "1"]])
    def it_removes_the_files_a_new_version_no_longer_has_in_the_same_swap(self, run, project, command):
        case = project / "cases" / "2020" / "23-20.yaml"
        assert run(*command).exit_code == 0
        assert run("23/20", "--signatur").exit_code == 0  # another edition of the case: not touched
        mine = project / "output" / "23-20-vedlegg-2-samarbeidsavtale.pdf"
        hand = project / "output" / "23-20-vedlegg-1-tekst.docx"
        hand.write_bytes(hand.read_bytes() + b"\0")  # changed since makecase wrote it: no longer makecase's
        case.write_text(case.read_text(encoding="utf-8").replace("  - fil: vedlegg/2020/23-20-om-radet.yaml\n", ""),
                        encoding="utf-8")
        assert run(*command).exit_code == 0
        names = sorted(n for n in output_files(project) if n.startswith("23-20") and "saerutskrift" not in n)
        assert names == sorted(["23-20-saksframlegg.docx", "23-20-saksframlegg.pdf", "23-20-vedlegg-1-samarbeidsavtale.docx",
                                "23-20-vedlegg-1-samarbeidsavtale.pdf", "23-20-vedlegg-1-tekst.docx",
                                "23-20-vedlegg-2-samarbeidsavtale-signatur.docx", "23-20-vedlegg-2-samarbeidsavtale-signatur.pdf"])
        assert not mine.exists()

    def set_version(self, project: Path, version: str) -> None:
        path = project / self.CASE
        text = path.read_text(encoding="utf-8")
        start = text.index("Projektskisse med finansieringsplan")
        end = text.index("\n", start)
        path.write_text(text[:start] + f"Projektskisse med finansieringsplan {version}." + text[end:], encoding="utf-8")

    def versions(self, project: Path, files) -> set[str]:
        from textof import docx_text, pdf_text

        found = set()
        for name in files:
            path = project / "output" / name
            text = docx_text(path) if path.suffix == ".docx" else pdf_text(path)
            found |= {v for v in ("UTGAVE1111", "UTGAVE2222") if v in text}
        return found

    def leftovers(self, project: Path) -> list[str]:
        return [p.name for p in (project / "output").rglob("*") if p.name.endswith((".tmp", ".staging"))]

    @pytest.mark.parametrize("command", [["24/20"], ["bygg", "--alle", "-j", "1"]])
    def it_leaves_every_set_old_or_new_after_a_crash_at_any_step(self, run, project, crasher, command, tmp_path):
        from generator.publish.files import recover

        whole = {}  # output/ as a whole run of each version leaves it
        for version in ("UTGAVE1111", "UTGAVE2222"):
            self.set_version(project, version)
            crasher.run(project, command, None)
            whole[version] = tmp_path / version
            shutil.copytree(project / "output", whole[version], symlinks=True)
        for verdict in (project / "output" / ".makecase-cache").glob("pdf-*.ok"):  # both versions' PDF verdicts:
            shutil.copy(verdict, whole["UTGAVE1111"] / ".makecase-cache")          # every later run from one
                                                                                    # version to the other does the same
        self.set_version(project, "UTGAVE2222")
        points = crasher.points(project, command, 6)  # a whole run from one version to the other
        for round_number, at in enumerate(points):
            old, new = ("UTGAVE2222", "UTGAVE1111") if round_number % 2 == 0 else ("UTGAVE1111", "UTGAVE2222")
            shutil.rmtree(project / "output")  # each round starts from a whole version, as a finished run left it
            shutil.copytree(whole[old], project / "output", symlinks=True)
            self.set_version(project, new)
            assert crasher.run(project, command, at) == DIED
            recover(project / "output")
            assert len(self.versions(project, self.FILES)) == 1, at  # one version, whichever it is
            assert self.leftovers(project) == [], at
        assert run(*command).exit_code == 0  # and the next run finishes what the last one left
        assert self.versions(project, self.FILES) == {"UTGAVE2222"}

    def it_leaves_every_set_old_or_new_after_a_real_kill_of_a_batch(self, project):
        """A real SIGKILL of `bygg --alle -j 2` once its first job has reported, with workers mid-run."""
        from generator.publish.files import recover

        self.set_version(project, "UTGAVE1111")
        assert subprocess.run([sys.executable, "-m", "generator", "24/20"], cwd=project, capture_output=True,
                              timeout=120).returncode == 0
        self.set_version(project, "UTGAVE2222")
        process = subprocess.Popen([sys.executable, "-m", "generator", "bygg", "--alle", "-j", "2", "--tving"],
                                   cwd=project, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                   start_new_session=True)
        assert process.stdout.readline().startswith("ok ")
        os.killpg(process.pid, signal.SIGKILL)  # the workers too
        process.wait()
        process.stdout.close()
        for _ in range(1000):  # until the workers are gone: recover leaves a living process's staging alone
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.01)
        recover(project / "output")
        assert len(self.versions(project, self.FILES)) == 1
        assert self.leftovers(project) == []


class DescribeValidationBeforeArchiving:
    def it_refuses_a_pdf_verify_would_fail_and_writes_nothing(self, project):
        import io

        from generator.publish.archive import ArchiveError
        from generator.render import render_all

        def without_language(documents, templates):
            rendered = []
            for name, data in render_all(documents, templates):
                if name.endswith(".pdf"):
                    with pikepdf.open(io.BytesIO(data)) as pdf:
                        del pdf.Root.Lang
                        out = io.BytesIO()
                        pdf.save(out)
                        data = out.getvalue()
                rendered.append((name, data))
            return rendered

        with pytest.raises(ArchiveError, match="24-20-saksframlegg.pdf oppfyller ikke PDF/A-2a og PDF/UA-1 "
                                               r"\(UA 11-001 språk satt i katalogen"):
            make_case(ProjectFolder(project), Saksnummer.parse("24/20"), arkiv=True, renderer=without_language)
        assert not (project / "output").exists()

    def it_refuses_an_arkivmelding_the_schema_does_not_accept(self, project, monkeypatch):
        from generator.publish import arkivmelding
        from generator.publish.archive import ArchiveError

        monkeypatch.setattr(arkivmelding, "for_case", lambda *args: b"<arkivmelding/>")
        with pytest.raises(ArchiveError, match="arkivmelding.xml er ikke gyldig etter KS' skjema"):
            make_case(ProjectFolder(project), Saksnummer.parse("24/20"), arkiv=True)
        assert not (project / "output").exists()


class DescribeTheLastLook:
    def it_publishes_nothing_when_a_file_is_not_what_its_name_says(self, tmp_path):
        from generator.publish.files import BrokenOutput, write_all

        good = sample_output(tmp_path / "ok")["24/20"]
        pdf, docx = good[".pdf"].read_bytes(), good[".docx"].read_bytes()
        for name, data, problem in [
            ("a.pdf", pdf.replace(b"/Lang(nb)", b"/Lxng(nb)"), "a.pdf: mangler /Lang"),
            ("a.pdf", pdf.replace(b"pdfuaid:part>1<", b"pdfuaid:part>0<"), "a.pdf: mangler pdfuaid:part 1"),
            ("a.pdf", pdf[:-200], "a.pdf: er ikke en hel PDF-fil"),
            ("a.pdf", re.sub(rb"/Type\s*/Catalog", b"/Type/Katalog", pdf), "a.pdf: har ingen katalog som kan leses"),
            ("a.docx", b"PK not a zip", "a.docx: kan ikke åpnes"),
            # past the quick look, the whole of `makecase verify`: a heading that skips levels (H2 → H5)
            ("a.pdf", pdf.replace(b"/S/H3", b"/S/H5"), "a.pdf: UA 14-003 overskriftsnivåer hopper ikke over et nivå"),
        ]:
            with pytest.raises(BrokenOutput, match=problem):
                write_all(tmp_path / "output", [("b.docx", docx), (name, data)])
            assert not (tmp_path / "output" / "a.pdf").exists() and not (tmp_path / "output" / "b.docx").exists()

    def it_judges_each_pdf_in_full_once_and_remembers_the_verdict_by_its_bytes(self, tmp_path, monkeypatch):
        from generator.publish import gate
        from generator.verify import pdf as verify
        from generator.publish.files import write_all

        pdf = sample_output(tmp_path / "ok")["24/20"][".pdf"].read_bytes()
        judged = []
        check_bytes = verify.check_bytes
        monkeypatch.setattr(verify, "check_bytes", lambda data, validator=True: judged.append(len(data)) or check_bytes(data, validator))
        monkeypatch.setattr(gate, "_PASSED", set())
        write_all(tmp_path / "output", [("a.pdf", pdf)])
        gate._PASSED.clear()  # a new process: the verdict on disk is what remains
        write_all(tmp_path / "output", [("a.pdf", pdf)])
        assert judged == [len(pdf)]
        write_all(tmp_path / "elsewhere", [("a.pdf", pdf)])  # another output folder, the same process
        assert judged == [len(pdf)]
        changed = pdf.replace(b"/S/H3", b"/S/H5")
        with pytest.raises(Exception, match="UA 14-003"):
            write_all(tmp_path / "output", [("a.pdf", changed)])
        assert judged == [len(pdf), len(changed)]
        assert (tmp_path / "output" / "a.pdf").read_bytes() == pdf


def it_forgets_every_verdict_when_makecase_changes(tmp_path, monkeypatch, request):
    """A verdict is a function of the bytes and of the checking code; a new version judges again,
    the PDF vedlegg it copies too (a developer's review found their verdicts keyed by bytes alone)."""
    from generator import cache

    verdicts = cache.Verdicts(tmp_path)
    verdicts.accept_vedlegg(b"%PDF-vedlegg")
    verdicts.pdf_passed(b"%PDF-makecase")
    assert verdicts.vedlegg_accepted(b"%PDF-vedlegg") and verdicts.pdf_checked(b"%PDF-makecase")
    request.addfinalizer(cache._pdf_salt.cache_clear)
    monkeypatch.setattr(cache, "__version__", "99.0")
    cache._pdf_salt.cache_clear()
    assert not verdicts.vedlegg_accepted(b"%PDF-vedlegg") and not verdicts.pdf_checked(b"%PDF-makecase")


def it_finishes_no_archiving_through_a_link(tmp_path):
    """A killed run's ready staging folder is finished only into a real folder of the archive, never
    through a link put in its place (a developer's review: the archive's copy of the swap lacked the
    link check the output folder's has)."""
    from generator.publish import archive

    root, outside = tmp_path / "arkiv", tmp_path / "utenfor"
    root.mkdir()
    outside.mkdir()
    (root / "2020-18145-1").symlink_to(outside)
    staging = root / f".2020-18145-1.123.{archive.STAGING.lstrip('.')}"
    staging.mkdir()
    (staging / archive.READY).write_text("", encoding="utf-8")
    (staging / "24-20-saksframlegg.pdf").write_bytes(b"%PDF-1.7")
    archive.recover(root)
    assert list(outside.iterdir()) == [] and not staging.exists()
