"""The last look at a file before it is published: is it what its name says?

Cheap by design (a millisecond a file, no PDF or Word library), so it runs on every file every
run: a PDF must be a whole PDF whose catalogue declares it tagged, in a language, with its title
shown and with PDF/A-2a and PDF/UA-1 identification in its XMP (typst writes no object streams,
so the catalogue and the metadata are plain text); a DOCX must be a zip whose parts parse as
XML. The full judgement (`makecase verify`) runs on what is archived.
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

_CATALOG = re.compile(rb"<<\s*/Type\s*/Catalog\b(.*?)>>\s*endobj", re.DOTALL)
_PDF_NEEDS = {
    "/Lang": rb"/Lang\s*\(",
    "/StructTreeRoot": rb"/StructTreeRoot\s+\d+\s+\d+\s+R",
    "/MarkInfo /Marked true": rb"/MarkInfo\s*<<\s*/Marked\s+true",
    "/DisplayDocTitle true": rb"/DisplayDocTitle\s+true",
}
_XMP_NEEDS = {
    "pdfaid:part 2": rb"pdfaid:part(?:>|=\")2",
    "pdfaid:conformance A": rb"pdfaid:conformance(?:>|=\")A",
    "pdfuaid:part 1": rb"pdfuaid:part(?:>|=\")1",
}


def problems(name: str, data: bytes) -> list[str]:
    """Return what is wrong with a file about to be published (empty: nothing found)."""
    if name.endswith(".pdf"):
        return _pdf(data)
    if name.endswith(".docx"):
        return _docx(data)
    return []


def _pdf(data: bytes) -> list[str]:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        return ["er ikke en hel PDF-fil"]
    catalog = _CATALOG.search(data)
    if catalog is None:
        return ["har ingen katalog som kan leses"]
    found = [what for what, pattern in _PDF_NEEDS.items() if not re.search(pattern, data[catalog.start():catalog.end()])]
    found += [what for what, pattern in _XMP_NEEDS.items() if not re.search(pattern, data)]
    return [f"mangler {what}" for what in found]


def _docx(data: bytes) -> list[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = package.namelist()
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return ["er ikke en Word-fil (mangler [Content_Types].xml eller word/document.xml)"]
            for part in names:
                if part.endswith((".xml", ".rels")):
                    etree.fromstring(package.read(part))
    except (zipfile.BadZipFile, etree.XMLSyntaxError) as err:
        return [f"kan ikke åpnes ({err})"]
    return []
