"""The documents in real tools: LibreOffice opens the DOCX, poppler draws the PDF pages.

These tests need Debian's libreoffice-writer-nogui and poppler-utils (installed by .ci/run);
where a tool is absent they skip and say why.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from rendered import sample_output
from textof import normalise, pdf_pages, pdf_text

OFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFTOPPM = shutil.which("pdftoppm")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return sample_output(tmp_path_factory.mktemp("office"))


@pytest.mark.skipif(OFFICE is None, reason="LibreOffice er ikke installert (apt-get install libreoffice-writer-nogui)")
def it_opens_every_docx_in_libreoffice(out, tmp_path):
    docx = [str(out[n][".docx"]) for n in sorted(out) if ".docx" in out[n]]  # a PDF vedlegg has no DOCX
    done = subprocess.run(
        [OFFICE, f"-env:UserInstallation=file://{tmp_path}/profil", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *docx],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    for name in sorted(n for n in out if ".docx" in out[n]):
        converted = tmp_path / out[name][".docx"].with_suffix(".pdf").name
        assert converted.is_file(), done.stdout + done.stderr
        text = pdf_text(converted)
        number, _, rest = name.partition(" ")
        expected = f"Saksframlegg – sak {number}" if not rest else f"Vedlegg {rest.split()[-1]} til sak {number}"
        assert expected in text
        assert "{{" not in text and "{%" not in text


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm er ikke installert (apt-get install poppler-utils)")
def it_draws_every_pdf_page(out, tmp_path):
    pdf = out["23/20"][".pdf"]
    subprocess.run([PDFTOPPM, "-r", "40", "-png", str(pdf), str(tmp_path / "side")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("side-*.png"))
    assert len(pages) == len(PdfReader(str(pdf)).pages) >= 2
    assert all(p.stat().st_size > 5000 for p in pages)  # not blank


@pytest.fixture(scope="module")
def through_libreoffice(built_output, tmp_path_factory):
    """Return the sample's summons and prosjektskisse as LibreOffice lays out their DOCX (as PDFs)."""
    if OFFICE is None:
        pytest.skip("LibreOffice er ikke installert (apt-get install libreoffice-writer-nogui)")
    folder = tmp_path_factory.mktemp("lagt-ut")
    names = ["2020-08-18-kommunedirektorutvalget-innkalling", "24-20-vedlegg-1-prosjektskisse"]
    done = subprocess.run([OFFICE, f"-env:UserInstallation=file://{folder}/profil", "--headless", "--convert-to", "pdf",
                           "--outdir", str(folder), *(str(built_output / f"{n}.docx") for n in names)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {name: folder / f"{name}.pdf" for name in names}


def it_breaks_no_saksliste_heading_inside_a_word(through_libreoffice):
    """Word breaks a word that is wider than its column: the columns are as wide as their longest word."""
    text = pdf_text(through_libreoffice["2020-08-18-kommunedirektorutvalget-innkalling"])
    assert "Utvalgssaksnr. Innhold Lukket Arkivsaksnr." in text


def it_keeps_a_short_table_whole_and_with_the_text_before_it(through_libreoffice):
    """LibreOffice left «Utgifter:» and its text at the foot of page 6 and the budget table alone on page 7."""
    pages = [normalise(page) for page in pdf_pages(through_libreoffice["24-20-vedlegg-1-prosjektskisse"])]
    for intro, first_row, last_row in (("utgjør ca. kr 420 000", "Kilde Art Beløp Andel", "SUM kr 600 000 100,0 %"),
                                       ("via prosjekteier TRFK.", "Utgifter Budsjett", "Digitalt utstyr")):
        page = next(p for p in pages if first_row in p)
        assert intro in page and last_row in page.split(first_row, 1)[1], page
