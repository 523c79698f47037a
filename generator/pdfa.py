"""reportlab's PDF bytes → PDF/A-2b bytes, validated as they are written (render stage).

pikepdf.pdfa prepares the file (sRGB OutputIntent with its embedded ICC profile, print
flags on annotations), writes it and validates the written bytes against its veraPDF-derived
allowlist; a file it cannot approve raises. We write the XMP metadata ourselves from the
document (title with xml:lang, creator, subject, dates from the case, never the clock), so
the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pikepdf
from pikepdf import pdfa

#: Dates for documents that carry none of their own (no clock time goes into a file).
EPOCH = dt.date(2000, 1, 1)
PRODUCER = "makecase"


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    language: str  # nb or nn
    date: dt.date | None


def _pdf_date(value: dt.datetime) -> str:
    return value.strftime("D:%Y%m%d%H%M%SZ")


def convert(data: bytes, meta: Metadata) -> bytes:
    """Return the PDF as PDF/A-2b; raise pikepdf.pdfa.PdfaError if it cannot be made conforming."""
    when = dt.datetime.combine(meta.date or EPOCH, dt.time(0, 0), tzinfo=dt.timezone.utc)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if "/Trans" in page.obj:  # reportlab's empty page transitions: meaningless, and unchecked
                del page.obj["/Trans"]
        pdfa.prepare(pdf, "2b")  # OutputIntent, annotation flags …; then our metadata, so no clock time
        pdf.docinfo["/Title"] = meta.title
        pdf.docinfo["/Author"] = meta.author
        pdf.docinfo["/Subject"] = meta.subject
        pdf.docinfo["/Creator"] = PRODUCER
        pdf.docinfo["/Producer"] = PRODUCER
        pdf.docinfo["/CreationDate"] = pdf.docinfo["/ModDate"] = _pdf_date(when)
        pdf.Root.Lang = pikepdf.String(meta.language)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            xmp["dc:title"] = meta.title
            xmp["dc:creator"] = [meta.author]
            xmp["dc:description"] = meta.subject
            xmp["dc:language"] = [meta.language]
            xmp["pdf:Producer"] = PRODUCER
            xmp["xmp:CreatorTool"] = PRODUCER
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                xmp[key] = when.isoformat()
            xmp["pdfaid:part"] = "2"
            xmp["pdfaid:conformance"] = "B"
        out = io.BytesIO()
        pdfa.save(pdf, out, "2b", repair=False, deterministic_id=True)
        return out.getvalue()
