"""Meetings: the møteinnkalling, the bookmarked package, the public edition, kommunestyre editions."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml
from docx import Document
from pypdf import PdfReader

from conftest import FIXTURES, output_files, without_referater
from textof import docx_blocks, docx_text, normalise, pdf_pages, pdf_text

BASE = "2020-08-18-kommunedirektorutvalget"


def outline(path: Path) -> list[tuple[int, str, int]]:
    """Return (depth, title, 0-based page) for every bookmark."""
    with pikepdf.open(path) as pdf:
        found = []

        def walk(items, depth):
            for item in items:
                found.append((depth, item.title, pdf.pages.index(pikepdf.Page(item.destination[0]))))
                walk(item.children, depth + 1)

        with pdf.open_outline() as tree:
            walk(tree.root, 0)
        return found


class DescribeTheSeedMeeting:
    @pytest.fixture
    def made(self, run, project):
        result = run("møte", "2020-08-18")
        assert result.exit_code == 0, result.output
        return project / "output"

    def it_writes_the_innkalling_and_the_package(self, made, project):
        assert output_files(project) == [f"{BASE}-innkalling.docx", f"{BASE}-innkalling.pdf", f"{BASE}-motedokumenter.pdf"]

    def it_lists_the_seeds_saksliste(self, made):
        blocks = docx_blocks(made / f"{BASE}-innkalling.docx")
        assert blocks[:11] == ["Trøndelag Sør-Interkommunalt politisk råd",
                               "Sekretariat: Midtre Gauldal kommune  ·  www.regiontrondelagsor.com", "Møteinnkalling",
                               "Utvalg:", "Kommunedirektørutvalget i Trøndelag Sør", "Møtested:", "Teams",
                               "Dato:", "18.08.2020", "Tidspunkt:", "14:00–15:30"]
        rows = [[c.text for c in row.cells] for row in Document(str(made / f"{BASE}-innkalling.docx")).tables[-1].rows]
        assert rows == [
            ["Utvalgssaksnr.", "Innhold", "Lukket", "Arkivsaksnr."],
            ["PS 22/20", "Referatsaker", "", ""],
            ["PS 23/20", "Samarbeidsavtale for Trøndelag Sør- Interkommunalt politisk råd", "", "2020/10212"],
            ["PS 24/20", "Kompetansepiloter Trøndelag Sør- forankring i kommuner og finansiering", "", "2020/18145"],
        ]
        pdf = normalise(pdf_pages(made / f"{BASE}-innkalling.pdf")[0])
        assert "PS 23/20 Samarbeidsavtale for Trøndelag Sør- Interkommunalt politisk råd 2020/10212" in pdf

    def it_bookmarks_every_case_and_vedlegg_at_its_first_page(self, made):
        path = made / f"{BASE}-motedokumenter.pdf"
        marks = outline(path)
        assert [(d, title) for d, title, _ in marks] == [
            (0, "Møteinnkalling"),
            (0, "PS 22/20 Referatsaker"),
            (1, "Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd"),
            (0, "PS 23/20 Samarbeidsavtale for Trøndelag Sør- Interkommunalt politisk råd"),
            (1, "Vedlegg 1: Om Trøndelag Sør-Interkommunalt politisk råd – Aktivitet og prosjekt i 2020"),
            (1, "Vedlegg 2: Samarbeidsavtale for Trøndelag Sør- Interkommunalt politisk råd"),
            (0, "PS 24/20 Kompetansepiloter Trøndelag Sør- forankring i kommuner og finansiering"),
            (1, "Vedlegg 1: Region Trøndelag Sør: Prosjektskisse Kompetansepilot – Utdanning i bedrift med "
                "desentraliserte utdanningsprogram"),
        ]
        pages = [normalise(p) for p in pdf_pages(path)]
        expected = ["Møteinnkalling 18.08.2020", "Saksframlegg – sak 22/20", "Vedlegg 1 til sak 22/20",
                    "Saksframlegg – sak 23/20", "Vedlegg 1 til sak 23/20", "Vedlegg 2 til sak 23/20",
                    "Saksframlegg – sak 24/20", "Vedlegg 1 til sak 24/20"]
        for (_, title, page), header in zip(marks, expected):
            assert header in pages[page] and title in pages[page]
        # the PDF vedlegg's four pages follow its heading, each under the package's running header
        assert marks[3][2] == marks[2][2] + 4
        assert all("Vedlegg 1 til sak 22/20" in pages[n] for n in range(marks[2][2], marks[3][2]))

    def it_sets_the_heading_of_a_case_without_documents_alone(self, run, project):
        without_referater(project)  # Referatsaker before they are in
        assert run("møte", "2020-08-18").exit_code == 0
        path = project / "output" / f"{BASE}-motedokumenter.pdf"
        marks = outline(path)
        pages = [normalise(p) for p in pdf_pages(path)]
        assert marks[1][1] == "PS 22/20 Referatsaker" and marks[1][2] == marks[2][2] == 1  # 23/20 follows on its page
        assert pages[1].index("PS 22/20 Referatsaker") < pages[1].index("PS 23/20 Samarbeidsavtale")

    def it_numbers_the_pages_through_the_package(self, made):
        pages = [normalise(p) for p in pdf_pages(made / f"{BASE}-motedokumenter.pdf")]
        assert len(pages) > 10
        for number, page in enumerate(pages, start=1):
            # the package's number, and no trace of the document's own "Side 1 av 2"
            assert re.findall(r"Side \d+ av \d+", page) == [f"Side {number} av {len(pages)}"]


    def it_is_one_tagged_document_saying_what_each_case_says(self, made):
        """The package is compiled from the trees, not pasted from the cases' PDFs: one structure
        tree, PDF/A-2a and PDF/UA-1, and every case's words in it."""
        path = made / f"{BASE}-motedokumenter.pdf"
        with pikepdf.open(path) as pdf:
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["pdfuaid:part"]) == ("2", "A", "1")
            assert meta["dc:title"] == "Møtedokumenter – Kommunedirektørutvalget i Trøndelag Sør 18.08.2020"
            assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked is True
        text = normalise(" ".join(pdf_pages(path)))
        for paragraph in ("Kompetanseforum Trøndelag Sør behandlet sak om Kompetansepiloter i møte 26.06.",
                          "Den enkelte kommune kan etter vedtak i kommunestyret tre ut av samarbeidet.",
                          "Samarbeidsavtale for Trøndelag Sør-Interkommunalt politisk råd vedtas."):
            assert paragraph in text


class DescribeMeetingConsistency:
    def it_flags_the_seeds_header_naming_regionradet(self, run, project):
        headers = yaml.safe_load((FIXTURES / "seed-header.yaml").read_text(encoding="utf-8"))
        org = project / "cases" / "organisasjon.yaml"
        org.write_text(org.read_text(encoding="utf-8") + "  - navn: Regionrådet i Trøndelag sør\n", encoding="utf-8")
        for number, head in headers.items():
            case = project / "cases" / "2020" / f"{number.replace('/', '-')}.yaml"
            case.write_text(case.read_text(encoding="utf-8").replace(
                "  - utvalg: Kommunedirektørutvalget i Trøndelag Sør\n", f"  - utvalg: {head['utvalg']}\n"), encoding="utf-8")
        result = run("møte", "2020-08-18")
        assert result.exit_code == 1
        flagged = [line.strip() for line in result.output.splitlines()[1:]]
        assert flagged == [
            "cases/2020/23-20.yaml:10: sak 23/20 står på sakslisten til Kommunedirektørutvalget i Trøndelag Sør "
            "18.08.2020, men saksgangen oppgir «Regionrådet i Trøndelag sør» for det møtet",
            "cases/2020/24-20.yaml:10: sak 24/20 står på sakslisten til Kommunedirektørutvalget i Trøndelag Sør "
            "18.08.2020, men saksgangen oppgir «Regionrådet i Trøndelag sør» for det møtet",
        ]
        assert output_files(project) == []

    @pytest.mark.parametrize("written", ["18.8.2020", "2020-08-18", "'18.08.2020'  # som avtalt"])
    def it_finds_a_meeting_however_its_date_is_written(self, run, project, written):
        """A meeting whose date is written plainly is found without parsing the other meeting files;
        one written otherwise is parsed, and found all the same."""
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("møtedato: 18.08.2020", f"møtedato: {written}"),
                           encoding="utf-8")
        (project / "cases" / "moter" / "2020-09-02-radet.yaml").write_text("møtedato: 02.09.2020\nutvalg: [\n",
                                                                         encoding="utf-8")  # another day, broken
        result = run("møte", "2020-08-18")
        assert result.exit_code == 0, result.output

    @pytest.mark.parametrize("written", [
        "møtedato: 01.09.2020  # kopiert\nmøtested: Teams\nmøtedato: 18.8.2020\n",  # a key written twice
        "møtedato: 2020-8-18\n---\nmøtedato: 15.09.2020\n",  # a second YAML document
    ])
    def it_parses_a_meeting_file_whose_date_is_not_plainly_one(self, run, project, written):
        """A hostile review: the first plain date line alone decided that a file was another day's,
        and its own fault (a key twice, a second document) was never said."""
        meeting = project / "cases" / "moter" / "2020-08-18-kommunedirektorutvalget.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8").replace("møtedato: 18.08.2020\n", written), encoding="utf-8")
        result = run("møte", "2020-08-18")
        assert result.exit_code == 2
        assert "cases/moter/2020-08-18-kommunedirektorutvalget.yaml:" in result.output, result.output

    def it_names_the_meetings_there_are_for_an_unknown_date(self, run):
        result = run("møte", "2020-08-19")
        assert (result.exit_code, result.output) == (
            2, "Feil: Fant ikke noe møte 19.08.2020. Møter i cases/moter/: 02.09.2020, 18.08.2020. Et nytt møte er en fil "
               "under cases/moter/ med utvalg, møtedato, møtested, starttid og saksliste (se docs/bruker/saksfilene.md, "
               "«Møte»).\n")

    def it_asks_which_body_when_several_meet_that_day(self, run, project):
        meeting = project / "cases" / "moter" / f"{BASE}.yaml"
        other = meeting.read_text(encoding="utf-8").replace(
            "utvalg: Kommunedirektørutvalget i Trøndelag Sør", "utvalg: Trøndelag Sør-Interkommunalt politisk råd")
        (meeting.parent / "2020-08-18-radet.yaml").write_text(other, encoding="utf-8")
        result = run("møte", "2020-08-18")
        assert result.exit_code == 2
        assert "Flere utvalg møtes 18.08.2020" in result.output and "Velg ett med --utvalg." in result.output
        assert run("møte", "2020-08-18", "--utvalg", "Kommunedirektørutvalget i Trøndelag Sør").exit_code == 0


# --- closed cases ----------------------------------------------------------------------

CLOSED_WORDS = ("Hemmelig-Nordmann", "Tilsetting av daglig leder", "lønnskrav", "Fortrolig", "2020/20001")
CLOSED_BASE = "2020-09-15-kommunedirektorutvalget"


def add_closed_meeting(project: Path) -> None:
    shutil.copy(FIXTURES / "lukket" / "25-20.yaml", project / "cases" / "2020" / "25-20.yaml")
    shutil.copy(FIXTURES / "lukket" / "26-20.yaml", project / "cases" / "2020" / "26-20.yaml")
    shutil.copy(FIXTURES / "lukket" / "moter" / f"{CLOSED_BASE}.yaml", project / "cases" / "moter")


def leaks(paths: list[Path], words=CLOSED_WORDS) -> list[str]:
    """Return where any word of the closed case appears in the given outputs: file names, PDF text,
    bookmarks, metadata and every decompressed stream, every part of a DOCX."""
    found = []
    for path in paths:
        found += [f"{path.name}: filnavn «{w}»" for w in words if w.lower() in path.name.lower()]
        texts = []
        if path.suffix == ".pdf":
            reader = PdfReader(str(path))
            texts += [page.extract_text() or "" for page in reader.pages]
            texts += [str(v) for v in (reader.metadata or {}).values()]
            with pikepdf.open(path) as pdf:
                with pdf.open_outline() as tree:
                    stack = list(tree.root)
                    while stack:
                        item = stack.pop()
                        texts.append(item.title)
                        stack += list(item.children)
                for obj in pdf.objects:
                    if isinstance(obj, pikepdf.Stream):
                        texts.append(obj.read_bytes().decode("latin-1"))
                texts.append(path.read_bytes().decode("latin-1"))
        else:
            with zipfile.ZipFile(path) as package:
                texts += [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
        joined = normalise(" ".join(texts))
        found += [f"{path.name}: «{w}»" for w in words if w in joined]
    return found


class DescribeTheClosedCase:
    @pytest.fixture
    def public(self, run, project):
        add_closed_meeting(project)
        result = run("møte", "2020-09-15", "--offentlig")
        assert result.exit_code == 0, result.output
        cache = project / "output" / ".makecase-cache"  # verdicts (empty, named by a hash) and each edition's file list
        assert all((p.suffix == ".ok" and p.stat().st_size == 0) or p.name.startswith("sett-") for p in cache.glob("*"))
        records = " ".join(p.read_text(encoding="utf-8") for p in cache.glob("sett-*.json"))
        assert records and not [w for w in CLOSED_WORDS if w.lower() in records.lower()]
        return sorted(p for p in (project / "output").iterdir() if p != cache)

    def it_shows_only_number_public_title_and_hjemmel_in_the_public_saksliste(self, public):
        innkalling = next(p for p in public if p.name == f"{CLOSED_BASE}-offentlig-innkalling.docx")
        rows = [[c.text for c in row.cells] for row in Document(str(innkalling)).tables[-1].rows]
        assert rows[1:] == [
            ["PS 25/20", "Personalsak", "offl. §\u00a013 jf. fvl. §\u00a013 første ledd nr. 1", ""],
            ["PS 26/20", "Orienteringssaker", "", ""],
        ]

    def it_leaks_nothing_of_the_closed_case_into_any_public_output(self, public):
        assert [p.name for p in public] == [
            f"{CLOSED_BASE}-offentlig-innkalling.docx", f"{CLOSED_BASE}-offentlig-innkalling.pdf",
            f"{CLOSED_BASE}-offentlig-motedokumenter.pdf",
        ]
        assert leaks(public) == []
        package = public[-1]
        # the closed case is in the package as in the saksliste: its number, public title and legal basis
        assert [title for _, title, _ in outline(package)] == ["Møteinnkalling", "PS 25/20 Personalsak",
                                                               "PS 26/20 Orienteringssaker"]
        assert "PS 25/20 Personalsak Unntatt offentlighet: offl. § 13 jf. fvl. § 13 første ledd nr. 1 PS 26/20" \
            in pdf_text(package)

    def it_marks_every_public_document_as_the_public_edition(self, public, run, project):
        """A caseworker's review: printed, the public innkalling could not be told from the members'."""
        for path in public:
            text = normalise(docx_text(path) if path.suffix == ".docx" else pdf_text(path))
            assert "Offentlig utgave (for publisering)" in text, path.name
            if path.suffix == ".pdf":  # every printed page says so, and the title bar (a hostile review)
                assert all("Offentlig utgave · Side" in normalise(page) for page in pdf_pages(path)), path.name
                with pikepdf.open(path) as pdf:
                    assert str(pdf.open_metadata().get("dc:title", "")).endswith("(offentlig utgave)"), path.name
        members = run("møte", "2020-09-15")
        assert members.exit_code == 0
        assert "Offentlig utgave" not in pdf_text(project / "output" / f"{CLOSED_BASE}-motedokumenter.pdf")

    def it_would_notice_a_leak(self, public, tmp_path):
        """The leak test can fail: a closed word put into a public DOCX part or PDF is found."""
        docx = public[0]
        tampered = tmp_path / docx.name
        with zipfile.ZipFile(docx) as source, zipfile.ZipFile(tampered, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "docProps/core.xml":
                    data = data.replace(b"</dc:title>", "Hemmelig-Nordmann</dc:title>".encode())
                target.writestr(item, data)
        assert leaks([tampered]) == [f"{docx.name}: «Hemmelig-Nordmann»"]
        pdf = tmp_path / "lekk.pdf"
        with pikepdf.open(public[2]) as source:
            source.docinfo["/Subject"] = "Tilsetting av daglig leder"
            source.save(pdf)
        assert leaks([pdf]) == ["lekk.pdf: «Tilsetting av daglig leder»"]

    def it_says_only_that_a_closed_case_breaks_a_rule_in_a_public_draft(self, run, project):
        """A closed case whose prosjektskisse breaks the 30 % rule: the public draft must not print
        the violation, which names the sketch's title and its figures."""
        add_closed_meeting(project)
        skisse = project / "cases" / "vedlegg" / "2020" / "25-20-hemmelig.yaml"
        text = (FIXTURES / "prosjektskisse-seed-split.yaml").read_text(encoding="utf-8")
        title = re.search(r"^tittel: (.*)$", text, re.MULTILINE).group(1)
        skisse.write_text(text.replace(title, '"Hemmelig sluttpakke for Hemmelig-Nordmann"', 1), encoding="utf-8")
        case = project / "cases" / "2020" / "25-20.yaml"
        case.write_text(case.read_text(encoding="utf-8") + "vedlegg:\n  - fil: vedlegg/2020/25-20-hemmelig.yaml\n",
                        encoding="utf-8")
        assert run("møte", "2020-09-15", "--offentlig").exit_code == 1
        result = run("møte", "2020-09-15", "--offentlig", "--utkast")
        assert result.exit_code == 0, result.output
        public = sorted(p for p in (project / "output").iterdir() if p.is_file())
        assert leaks(public, (*CLOSED_WORDS, "Hemmelig sluttpakke", "150 000", "25 %", "25,0")) == []
        summons = next(p for p in public if p.suffix == ".pdf" and "innkalling" in p.name)
        assert ("Sak 25/20 er unntatt offentlighet og bryter reglene; regelbruddene står i utgaven for medlemmene"
                in normalise(" ".join(pdf_pages(summons))))

    def it_gives_members_the_complete_edition(self, run, project):
        add_closed_meeting(project)
        assert run("møte", "2020-09-15").exit_code == 0
        members = sorted(p for p in (project / "output").iterdir() if p.is_file())
        assert leaks(members)  # the closed case is there, in full
        assert "Unntatt offentlighet: offl. § 13 jf. fvl. § 13 første ledd nr. 1" in normalise(
            " ".join(pdf_pages(members[-1])))


class DescribeKommunestyreEditions:
    MUNICIPALITIES = ["Røros", "Holtålen", "Midtre Gauldal", "Oppdal", "Melhus", "Rennebu"]

    def saksframlegg(self, project: Path) -> list[Path]:
        return sorted((project / "output").glob("23-20-kommunestyret-i-*/23-20-saksframlegg.docx"))

    def it_writes_one_saksframlegg_per_member_municipality(self, run, project):
        assert run("23/20", "--kommunestyre").exit_code == 0
        files = self.saksframlegg(project)
        assert len(files) == 6
        for kommune in self.MUNICIPALITIES:
            (path,) = [f for f in files if docx_blocks(f)[4] == f"Kommunestyret i {kommune}"]
            blocks = docx_blocks(path)
            assert blocks[3:5] == ["Til:", f"Kommunestyret i {kommune}"]
            assert [b for b in blocks if b.startswith("Kommunestyret i ")] == [f"Kommunestyret i {kommune}"] * 2
            assert (path.parent / "23-20-vedlegg-2-samarbeidsavtale.docx").is_file()
            # what the committee decided before it, in words (a caseworker's review)
            at = blocks.index("Vedtak i Kommunedirektørutvalget i Trøndelag Sør 18.08.2020")
            assert "Samarbeidsavtale for Trøndelag Sør-Interkommunalt politisk råd vedtas." in blocks[at + 1]

    def it_writes_just_one_when_asked(self, run, project):
        result = run("23/20", "--kommunestyre", "Røros")
        assert result.exit_code == 0
        assert [f.parent.name for f in self.saksframlegg(project)] == ["23-20-kommunestyret-i-roros"]

    def it_refuses_a_municipality_not_in_the_saksgang(self, run):
        result = run("24/20", "--kommunestyre")
        assert result.exit_code == 2
        assert "Sak 24/20 skal ikke til noe kommunestyre" in result.output

    def it_uses_nynorsk_labels_for_a_nynorsk_municipality(self, run, project):
        org = project / "cases" / "organisasjon.yaml"
        org.write_text(org.read_text(encoding="utf-8").replace("  - navn: Holtålen\n", "  - navn: Holtålen\n    målform: nynorsk\n"),
                       encoding="utf-8")
        assert run("23/20", "--kommunestyre", "Holtålen").exit_code == 0
        (path,) = self.saksframlegg(project)
        text = docx_text(path)
        for label in ("Sakshandsamar:", "Utval", "Saksopplysningar", "Kommunedirektøren si innstilling"):
            assert label in text
        assert "Saksbehandler:" not in text and "Kommunedirektørens innstilling" not in text
        agreement = docx_text(path.parent / "23-20-vedlegg-2-samarbeidsavtale.docx")
        assert "Partar:" in agreement


def it_describes_the_package_as_the_package_in_its_metadata(built):
    import pikepdf

    with pikepdf.open(built / "output" / "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf") as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Møtedokumenter – Kommunedirektørutvalget i Trøndelag Sør 18.08.2020"
        assert meta["dc:description"] == meta["dc:title"]
