"""The PDF renderer: embedded fonts, page furniture, the same words as the DOCX."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pikepdf
import pytest

from generator import tree as t
from generator.render.pdf import render
from rendered import case_paragraphs, sample_output, vedlegg_paragraphs
from textof import docx_text, normalise, pdf_pages, pdf_text

ORG = "Trøndelag Sør-Interkommunalt politisk råd"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return sample_output(tmp_path_factory.mktemp("pdf"))


def small_document(body) -> t.Document:
    info = t.DocInfo("Prøve", "Saksbehandler", "Prøve", "nb", dt.date(2020, 8, 18), "Venstre", "Høyre", "Side {side} av {sider}")
    saksgang = t.Table(rows=((t.text("Utvalget"), t.text("1/20"), t.text("18.08.2020"), t.text("Ikke behandlet")),),
                       header=(t.text("Utvalg"), t.text("Utvalgssak"), t.text("Møtedato"), t.text("Status")))
    return t.Document("saksframlegg", "prove", info, t.Masthead("Saksframlegg", "Org", (), saksgang), tuple(body))


def running_header(key: str) -> str:
    number, _, rest = key.partition(" ")
    return f"{ORG} Vedlegg {rest.split()[-1]} til sak {number}" if rest else f"{ORG} Saksframlegg – sak {number}"


#: Table headers the PDF repeats at the top of a page when a table runs on (Word does it too,
#: but not as text in the file).
TABLE_HEADERS = ("Kilde Art Beløp Andel", "Utgifter Budsjett", "Utvalg Utvalgssak Møtedato")


def without_furniture(pages: list[str], key: str) -> str:
    """Return the text of all pages without running header, page numbers and repeated table
    headers; a word hyphenated across two pages is whole again."""
    body = ""
    for index, page in enumerate(pages):
        text = re.sub(r"Side \d+ av \d+$", "", page.replace(running_header(key), "", 1).rstrip()).rstrip()
        split = text.endswith("\u00ad")
        text = normalise(text)
        for header in TABLE_HEADERS:
            if index and text.startswith(header) and header in body:  # repeated, not a table's first page
                text = text[len(header):]
        body += text + ("" if split else " ")
    return normalise(body)


def without_list_marks(text: str) -> str:
    """Drop bullets and list numbers: the PDF draws them as text, Word numbers lists itself.
    A line the PDF breaks after «/» reads as a space there: it goes on both sides."""
    return normalise(re.sub(r"(^|\s)(•|\d{1,2}\.)(?=\s)", " ", text)).replace("/ ", "/")


def it_shows_the_header_fields_of_the_seed(out):
    first = normalise(pdf_pages(out["24/20"][".pdf"])[0])
    for expected in ["Saksframlegg", "Arkivsak: 2020/18145-1", "Saksbehandler: Mari Løvli Yri",
                     "Utvalg Utvalgssak Møtedato", "Kommunedirektørutvalget i Trøndelag Sør 24/20 18.08.2020",
                     "Trøndelag Sør-Interkommunalt politisk råd 31/20 02.09.2020 Vedtatt"]:
        assert expected in first


@pytest.mark.parametrize("number", ["23/20", "24/20"])
def it_contains_every_paragraph_of_the_case(out, number):
    text = without_furniture(pdf_pages(out[number][".pdf"]), number).replace("/ ", "/")
    for paragraph in case_paragraphs(number):
        assert normalise(paragraph).replace("/ ", "/") in text


@pytest.mark.parametrize("number", ["23/20", "24/20", "24/20 vedlegg 1", "23/20 vedlegg 1", "23/20 vedlegg 2"])
def it_says_the_same_words_as_the_docx(out, number):
    pdf = without_list_marks(without_furniture(pdf_pages(out[number][".pdf"]), number))
    assert pdf == without_list_marks(docx_text(out[number][".docx"]))


def it_numbers_pages_and_repeats_the_case_number_on_each(out):
    pages = pdf_pages(out["23/20"][".pdf"])
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Side {number} av {len(pages)}" in page
        assert "Saksframlegg – sak 23/20" in page


def it_embeds_every_font_with_its_unicode_mapping(out):
    for number in out:
        with pikepdf.open(out[number][".pdf"]) as pdf:
            if not str(pdf.docinfo.get("/Producer", "")).startswith("Typst"):
                continue  # a PDF vedlegg as its case brought it (22/20's, from LibreOffice)
            fonts = set()
            for page in pdf.pages:
                for font in page.Resources.Font.values():
                    assert "/ToUnicode" in font, font.BaseFont
                    descendant = font.DescendantFonts[0] if font.Subtype == "/Type0" else font
                    assert "/FontFile2" in descendant.FontDescriptor, font.BaseFont
                    fonts.add(str(font.BaseFont).split("+")[-1])
        assert fonts <= {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic", "LiberationSans-BoldItalic",
                         "DejaVuSans"}  # the fallback for glyphs Liberation lacks (➡ in the prosjektskisse)


def it_carries_title_author_language_and_shows_the_title(out):
    with pikepdf.open(out["24/20"][".pdf"]) as pdf:
        meta = pdf.open_metadata()
        assert meta["dc:title"] == "Saksframlegg 24/20: Kompetansepiloter Trøndelag Sør- forankring i kommuner og finansiering"
        assert meta["dc:creator"] == ["Mari Løvli Yri"]
        assert meta["dc:description"] == "Saksframlegg, sak 24/20"
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"], meta["pdfuaid:part"]) == ("2", "A", "1")
        assert str(pdf.Root.Lang) == "nb"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True


def it_renders_the_same_bytes_twice():
    body = [t.Paragraph(t.text("Samme tekst gir samme fil."))]
    assert render(small_document(body), TEMPLATES) == render(small_document(body), TEMPLATES)


def it_writes_bullets_and_symbols_in_the_embedded_font(tmp_path):
    body = [t.BulletList(((t.Paragraph(t.text("§ 12 – «sitat» æøå ÆØÅ ➡")),),))]
    path = tmp_path / "x.pdf"
    path.write_bytes(render(small_document(body), TEMPLATES))
    assert "§ 12 – «sitat» æøå ÆØÅ ➡" in pdf_text(path)


@pytest.mark.parametrize("key", ["24/20 vedlegg 1", "23/20 vedlegg 1", "23/20 vedlegg 2"])
def it_contains_every_paragraph_of_each_vedlegg(out, key):
    text = without_furniture(pdf_pages(out[key][".pdf"]), key).replace("/ ", "/")
    for paragraph in vedlegg_paragraphs(key.split()[0], int(key.split()[-1])):
        assert normalise(paragraph).replace("/ ", "/") in text


def it_prints_the_computed_budget_and_financing_tables(out):
    text = without_furniture(pdf_pages(out["24/20 vedlegg 1"][".pdf"]), "24/20 vedlegg 1")
    assert ("Utgifter Budsjett Timebruk (planlegging, samarbeid, utvikling) kr 500 000 Reisevirksomhet kr 15 000 "
            "Møtevirksomhet (servering ol.) kr 15 000 Digitalt utstyr (tilfaller tilbydere) kr 70 000 SUM kr 600 000") in text
    assert ("Kilde Art Beløp Andel Kommunal- og moderniseringsdepartementet (KMD) via Trøndelag fylkeskommune Tilskudd "
            "kr 420 000 70,0 % Deltakere i Kompetanseforum Trøndelag Sør (timeinnsats) Egenfinansiering, egeninnsats "
            "kr 180 000 30,0 % SUM kr 600 000 100,0 %") in text
    assert "**Budsjett:** (ca.) kr 600 000" not in text and "Budsjett: (ca.) kr 600 000" in text
    assert "➡ NB! Prosjektet vil resultere i utvikling av desentraliserte utdanningsløp" in text
