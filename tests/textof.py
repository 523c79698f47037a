"""Read the words back out of produced documents, the way a reader would see them."""

from __future__ import annotations

import re
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader


def normalise(text: str) -> str:
    """Collapse every kind of whitespace (including no-break spaces) to single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


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
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def pdf_text(path: Path) -> str:
    return normalise(" ".join(pdf_pages(path)))
