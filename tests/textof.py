"""Read the words back out of produced documents, the way a reader would see them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph

PDFTOTEXT = shutil.which("pdftotext")


def normalise(text: str) -> str:
    """Collapse every kind of whitespace (including no-break spaces) to single spaces; join a word
    hyphenated at a line end (its soft hyphen and the line break go)."""
    return re.sub(r"\s+", " ", re.sub("\u00ad\\s*", "", text).replace("\u00a0", " ")).strip()


def docx_blocks(path: Path) -> list[str]:
    """Return the text of the DOCX body in document order: paragraphs (split at tabs, which set
    a label off from its value) and the paragraphs of table cells (a frame is a table of one cell)."""
    doc = Document(str(path))
    texts: list[str] = []
    for item in doc.iter_inner_content():
        if isinstance(item, Paragraph):
            texts += item.text.split("\t")
        elif isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    texts += [p.text for p in cell.paragraphs]
    return [t for t in texts if t.strip()]


def docx_text(path: Path) -> str:
    return normalise(" ".join(docx_blocks(path)))


def docx_furniture(path: Path) -> str:
    """Return the text of the DOCX headers and footers."""
    doc = Document(str(path))
    parts = []
    for section in doc.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return normalise(" ".join(parts))


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each PDF page as poppler's pdftotext reads it, in the order the page
    content is written (-raw: typst writes it in reading order, row by row in a table).

    pdftotext honours /ActualText, as screen readers and copy and paste do: a word typst
    hyphenated at a line end comes back with a soft hyphen (U+00AD), which is removed here with
    the line break, so the word is whole again. (pypdf reads the drawn hyphen instead and
    cannot tell it from a real one.) `normalise` joins the two halves."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext er ikke installert (apt-get install poppler-utils)")
    done = subprocess.run([PDFTOTEXT, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, timeout=60)
    pages = done.stdout.decode("utf-8").split("\f")[:-1]
    return [page.rstrip("\n") for page in pages]


def pdf_text(path: Path) -> str:
    return normalise(" ".join(pdf_pages(path)))
