"""The PDFs as a screen reader and the archive meet them: PDF/A-2a and PDF/UA-1, a structure
tree that says what the document tree says, in order, and nothing of the page furniture.

The structure tree is read back with pikepdf (elements, titles, alternative text) and with
poppler's `pdfinfo -struct-text` (the text each element holds).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner
from docx import Document

from conftest import FIXTURES, REPO, edit, output_files
from generator import compose
from generator import tree as t
from generator.check.rules import check_case
from generator.cli import main_group
from generator.load import load_case
from generator.commands.pipeline import make_case, make_meeting, make_motebok
from generator.folder import ProjectFolder
from generator.render.pdf import render
from generator.domain.values import Saksnummer
from structure import figures, headings, structure, tree_text
from test_hostile import TEXT_FIELDS, case_yaml
from textof import docx_text, normalise, pdf_pages, pdf_text

TEMPLATES = REPO / "templates"
ALT = "Logo: tre fjelltopper over en dal"


def copy_project(base: Path) -> ProjectFolder:
    root = base / "prosjekt"
    shutil.copytree(REPO / "cases", root / "cases")
    shutil.copytree(REPO / "templates", root / "templates")
    return ProjectFolder(root)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """Every PDF the sample project writes (cases, agreement signature edition, meeting, its public
    edition with a closed case, a draft), by file name; and the document trees they came from."""
    base = tmp_path_factory.mktemp("pdfua")
    folder = copy_project(base)
    shutil.copy(FIXTURES / "lukket" / "25-20.yaml", folder.cases / "2020" / "25-20.yaml")
    shutil.copytree(FIXTURES / "lukket" / "moter", folder.cases / "moter", dirs_exist_ok=True)
    shutil.copy(FIXTURES / "lukket" / "26-20.yaml", folder.cases / "2020" / "26-20.yaml")
    paths = []
    for number in ("23/20", "24/20", "25/20"):
        paths += make_case(folder, Saksnummer.parse(number)).paths
    paths += make_case(folder, Saksnummer.parse("23/20"), signatur=True).paths
    paths += make_meeting(folder, dt.date(2020, 8, 18)).paths
    paths += make_meeting(folder, dt.date(2020, 9, 15), offentlig=True).paths
    paths += make_motebok(folder, dt.date(2020, 8, 18)).paths
    paths += make_meeting(folder, dt.date(2020, 9, 2)).paths  # the council's meeting and its signed møtebok
    paths += make_motebok(folder, dt.date(2020, 9, 2), signatur=True).paths
    draft = copy_project(base / "utkast")
    shutil.copy(FIXTURES / "prosjektskisse-seed-split.yaml", draft.cases / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml")
    paths += make_case(draft, Saksnummer.parse("24/20"), draft=True).paths
    return {p.name: p for p in paths if p.suffix == ".pdf"}


def trees(number: str) -> dict[str, t.Document]:
    folder = ProjectFolder(REPO)
    org, mappe = load_case(folder, Saksnummer.parse(number))
    return {f"{d.name}.pdf": d for d in compose.case_documents(org, mappe, check_case(mappe), compose.Utgave(org.malform))}


def it_renders_every_kind_of_pdf(sample):
    assert len(sample) == 26, sorted(sample)


def it_passes_verify_on_every_pdf_it_writes(sample):
    result = CliRunner().invoke(main_group, ["verifiser", *map(str, sample.values())])
    assert result.exit_code == 0, result.output
    assert result.output.count("Resultat: oppfyller PDF/A-2a og PDF/UA-1") == len(sample)


@pytest.mark.parametrize("name", ["24-20-saksframlegg.pdf", "24-20-vedlegg-1-prosjektskisse.pdf",
                                  "23-20-saksframlegg.pdf", "23-20-vedlegg-2-samarbeidsavtale.pdf"])
def it_says_in_its_tags_what_the_document_tree_says(sample, name):
    document = trees(name[:5].replace("-", "/"))[name]
    tagged = structure(sample[name]).text()
    assert normalise(tagged) == normalise(tree_text(document))


@pytest.mark.parametrize("name", ["24-20-vedlegg-1-prosjektskisse.pdf", "23-20-saksframlegg.pdf"])
def it_tags_every_heading_of_the_tree_in_order(sample, name):
    document = trees(name[:5].replace("-", "/"))[name]
    wanted = [(f"H{b.level}", normalise(t.plain(b.content))) for b in document.body if isinstance(b, t.Heading)]
    assert [(kind, normalise(title)) for kind, title in headings(sample[name])] == wanted
    assert wanted[0][0] == "H1" and len(wanted) > 5


def it_marks_the_header_cells_of_every_table(sample):
    root = structure(sample["24-20-vedlegg-1-prosjektskisse.pdf"])
    tables = [n for n in root.walk() if n.type == "Table"]
    heads = [[normalise(c.text()) for c in table.walk() if c.type == "TH"] for table in tables]
    assert ["Kilde", "Art", "Beløp", "Andel"] in heads and ["Utgifter", "Budsjett"] in heads
    assert all(heads)


def it_tags_lists_as_labelled_items(sample):
    root = structure(sample["24-20-vedlegg-1-prosjektskisse.pdf"])
    items = [n for n in root.walk() if n.type == "LI"]
    assert len(items) > 10
    assert all([c.type for c in item.children if not isinstance(c, str)] == ["Lbl", "LBody"] for item in items)


def it_marks_the_cases_bokmal_in_a_nynorsk_edition(tmp_path):
    """Holtålen's edition is nynorsk (/Lang nn), and the caseworker's bokmål text is tagged as
    bokmål, so that a screen reader reads it with the right voice (WCAG 3.1.2; an accessibility review)."""
    folder = copy_project(tmp_path)
    edit(folder.cases / "organisasjon.yaml", "  - navn: Holtålen\n", "  - navn: Holtålen\n    målform: nynorsk\n")
    (path,) = [p for p in make_case(folder, Saksnummer.parse("23/20"), kommunestyre="Holtålen").paths
               if p.name == "23-20-saksframlegg.pdf"]

    def languages(pdf: Path) -> tuple[str, list[tuple[str, str]]]:
        with pikepdf.open(pdf) as document:
            found = []
            stack = [document.Root.StructTreeRoot]
            while stack:
                node = stack.pop()
                if isinstance(node, pikepdf.Dictionary):
                    if "/Lang" in node and "/S" in node:
                        found.append((str(node.S), str(node.Lang)))
                    kids = node.get("/K")
                    stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            return str(document.Root.Lang), found

    edition, marked = languages(path)
    assert edition == "nn"
    assert {lang for _, lang in marked} == {"nb"} and len([s for s, _ in marked if s == "/P"]) >= 5
    assert ("/H1", "nb") in marked  # the case's title
    (own,) = [p for p in make_case(folder, Saksnummer.parse("23/20")).paths if p.name == "23-20-saksframlegg.pdf"]
    assert languages(own) == ("nb", [])  # the organisation's own edition: nothing in another language


def it_describes_the_logo(sample):
    for name in ("24-20-saksframlegg.pdf", "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf"):
        # and, in the package, each page of 22/20's PDF vedlegg (generator/render/pdf/foreign.py)
        assert {alt for alt in figures(sample[name]) if not alt.startswith("Vedlegg 1: Aktivitetsrapport")} == {ALT}


def it_keeps_running_headers_footers_and_the_draft_mark_out_of_the_tags(sample):
    for name in ("24-20-saksframlegg-utkast.pdf", "25-20-saksframlegg.pdf"):
        tagged = normalise(structure(sample[name]).text())
        assert "Side 1 av" not in tagged and "Saksframlegg – sak" not in tagged
        assert "Unntatt offentlighet: offl." not in tagged[:20]  # the running header's line is an artifact
    draft = normalise(structure(sample["24-20-saksframlegg-utkast.pdf"]).text())
    assert "UTKAST ·" not in draft
    assert "UTKAST – ikke klar til behandling. Saken oppfyller ikke disse kravene:" in draft  # the notice is content


def it_draws_the_draft_mark_as_outlines_not_text(sample):
    """pdftotext of a draft finds UTKAST in the running header and the notice, never the stray
    letters of a diagonal word."""
    pages = pdf_pages(sample["24-20-saksframlegg-utkast.pdf"])
    for page in pages:
        assert not [line for line in page.splitlines() if re.fullmatch(r"[UTKAS]{1,5}", line.strip())]
        assert page.count("UTKAST") == (2 if page is pages[0] else 1)


def it_bookmarks_the_headings_of_a_document_of_two_pages_or_more(sample):
    with pikepdf.open(sample["24-20-vedlegg-1-prosjektskisse.pdf"]) as pdf:
        assert len(pdf.pages) >= 2
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
    assert titles[0] == "Region Trøndelag Sør: Prosjektskisse Kompetansepilot"


def it_keeps_a_short_table_on_one_page(sample):
    found = set()
    for page in pdf_pages(sample["24-20-vedlegg-1-prosjektskisse.pdf"]):
        text = normalise(page)
        if "Kilde Art Beløp Andel" in text:
            assert "SUM kr 600 000 100,0 %" in text
            found.add("finansiering")
        if "Utgifter Budsjett" in text:
            assert "SUM kr 600 000" in text.split("Utgifter Budsjett", 1)[1]
            found.add("budsjett")
    assert found == {"finansiering", "budsjett"}  # both tables' headers were found (else nothing was checked)


def it_repeats_the_header_of_a_long_table_on_each_page(tmp_path):
    rows = tuple((t.text(f"Post {i}"), t.text(f"kr {i} 000")) for i in range(1, 90))
    table = t.Table(rows=rows, header=(t.text("Post"), t.text("Beløp")), align=("left", "right"))
    path = tmp_path / "lang.pdf"
    path.write_bytes(render(small_document([table]), TEMPLATES))
    pages = [normalise(p) for p in pdf_pages(path)]
    assert len(pages) >= 2 and all("Post Beløp" in p for p in pages)
    tags = [n for n in structure(path).walk() if n.type == "TH"]
    assert [normalise(n.text()) for n in tags] == ["Post", "Beløp"]  # the repeats are artifacts


def small_document(body) -> t.Document:
    info = t.DocInfo("Prøve", "Saksbehandler", "Prøve", "nb", dt.date(2020, 8, 18), "Venstre", "Høyre",
                     "Side {side} av {sider}")
    return t.Document("vedlegg", "prove", info, t.Masthead("Prøve", "Org"), tuple(body))


#: Text that means something to typst, Jinja, XML or Markdown, and text from other scripts.
METACHARACTERS = ('#set text(red) $x^2$ *fett* _kursiv_ @ref <etikett> ] [ \\ ` ~ "sitat" '
                  "{{ tittel }} {% if x %} {# kommentar #} <b>&amp;</b> ]]> 😀 ➡ æøå ÆØÅ «» – §")


class DescribeTextThatLooksLikeCode:
    @pytest.mark.parametrize("field", TEXT_FIELDS)
    def it_prints_it_literally_in_both_formats(self, run, project, field):
        (project / "cases" / "2020" / "24-20.yaml").write_text(case_yaml(**{field: METACHARACTERS}), encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 0, result.output
        pdf = normalise(pdf_text(project / "output" / "24-20-saksframlegg.pdf"))
        docx = normalise(docx_text(project / "output" / "24-20-saksframlegg.docx"))
        for shown in (pdf, docx):
            for piece in ("#set text(red)", "$x^2$", "@ref <etikett> ]", "{{ tittel }}", "{% if x %}",
                          "{# kommentar #}", "<b>&amp;</b> ]]>", "😀 ➡ æøå ÆØÅ «» – §"):
                assert piece in shown, (field, piece)

    @pytest.mark.parametrize("character, shown", [("\u202e", "U+202E"), ("漢", "«漢» (U+6F22)")])
    def it_refuses_a_character_it_cannot_print_honestly(self, run, project, character, shown):
        edit(project / "cases" / "2020" / "24-20.yaml", "tittel: Kompetansepiloter", f"tittel: Kompetanse{character}piloter", 1)
        result = run("24/20")
        assert result.exit_code == 2
        assert result.output.startswith("Feil: Fant 1 feil i saksfilene:\n  cases/2020/24-20.yaml:2: tittel: ")
        assert shown in result.output and output_files(project) == []


class DescribeTypstTemplates:
    def it_refuses_a_broken_template_naming_its_file_and_line(self, run, project):
        template = project / "templates" / "makecase.typ"
        lines = template.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("#let masthead(m"))
        lines.insert(at + 1, "  undefined-function()")
        template.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 2, result.output
        assert f"Malen templates/makecase.typ, linje {at + 2} kan ikke settes: unknown variable: undefined-function" \
            in result.output
        assert "Traceback" not in result.output and output_files(project) == []

    def it_refuses_a_font_makecase_does_not_have(self, run, project):
        """typst only warns of an unknown font and sets the text in a fallback without its bold;
        a changed font was silently ignored (an IT person's review)."""
        edit(project / "templates" / "makecase.typ", '#let font = ("Liberation Sans", "DejaVu Sans")',
             '#let font = ("Liberation Serif", "DejaVu Sans")')
        result = run("24/20")
        assert result.exit_code == 2, result.output
        assert "ber om en skrift makecase ikke har («Liberation Serif»)" in result.output
        assert "Liberation Sans" in result.output and output_files(project) == []

    def it_refuses_a_missing_template(self, run, project):
        (project / "templates" / "vedlegg.typ").unlink()
        result = run("24/20")
        assert (result.exit_code, result.output) == (2, "Feil: Fant ikke malen templates/vedlegg.typ.\n")


class DescribeTheLetterhead:
    def it_draws_the_same_logo_in_both_formats(self, run, project):
        assert run("24/20").exit_code == 0
        docx = Document(str(project / "output" / "24-20-saksframlegg.docx"))
        (described,) = [e.get("descr") for e in docx.element.body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
        assert described == ALT
        assert figures(project / "output" / "24-20-saksframlegg.pdf") == [ALT]

    def it_changes_both_formats_when_the_logo_changes(self, run, project):
        assert run("24/20").exit_code == 0
        before = {s: (project / "output" / f"24-20-saksframlegg.{s}").read_bytes() for s in ("docx", "pdf")}
        edit(project / "cases" / "brevhode" / "logo.svg", 'fill="#1f4e79"', 'fill="#7a1f1f"')
        assert run("24/20").exit_code == 0
        for suffix, data in before.items():
            assert (project / "output" / f"24-20-saksframlegg.{suffix}").read_bytes() != data

    @pytest.mark.parametrize("damage, message", [
        (lambda logo: logo.unlink(), "fant ikke logoen cases/brevhode/logo.svg"),
        (lambda logo: logo.write_text("<html>ikke en logo</html>", encoding="utf-8"),
         "cases/brevhode/logo.svg: logoen er verken en PNG-fil eller en SVG-fil"),
        (lambda logo: logo.write_bytes(b"\x00\x01 binary"), "cases/brevhode/logo.svg: logoen er verken en PNG-fil eller en lesbar SVG-fil"),
    ])
    def it_refuses_a_missing_or_unreadable_logo_naming_the_file(self, run, project, damage, message):
        damage(project / "cases" / "brevhode" / "logo.svg")
        result = run("24/20")
        assert result.exit_code == 2
        assert f"cases/organisasjon.yaml:6: brevhode.logo: {message}" in result.output
        assert output_files(project) == []
