"""reportlab's PDF bytes → PDF/A-2b bytes (render stage).

What reportlab leaves out we add with pikepdf: an sRGB OutputIntent with its embedded ICC
profile, the print flag on annotations, and XMP metadata written from the document (title
with xml:lang, creator, subject, language, dates from the case — never the clock), so the
same input gives the same bytes. `validate` runs pikepdf's PDF/A validator (built from
veraPDF's rules) on written bytes; `makecase verify` and the tests use it on every PDF, and
rendering does not, so that rendering stays fast (the validator costs more than the render).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pikepdf

#: Dates for documents that carry none of their own (no clock time goes into a file).
EPOCH = dt.date(2000, 1, 1)
PRODUCER = "makecase"
SRGB = "sRGB IEC61966-2.1"
# Annotation flags (PDF 32000-1, 12.5.3): PDF/A wants Print set and Invisible, Hidden, NoView clear.
_PRINT, _HIDDEN_ANY = 4, 1 | 2 | 32


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    language: str  # nb or nn
    date: dt.date | None


@lru_cache(maxsize=1)
def _srgb_profile() -> bytes:
    """Return the sRGB ICC profile pikepdf ships for PDF/A output intents."""
    return resources.files("pikepdf").joinpath("pdfa/data/sRGB.icc").read_bytes()


def _pdf_date(value: dt.datetime) -> str:
    return value.strftime("D:%Y%m%d%H%M%SZ")


def _prepare(pdf: pikepdf.Pdf) -> None:
    """Add the OutputIntent; make annotations printable; drop reportlab's empty page transitions."""
    for page in pdf.pages:
        if "/Trans" in page.obj:
            del page.obj["/Trans"]
        for annotation in page.obj.get("/Annots") or []:
            annotation.F = (int(annotation.get("/F", 0)) | _PRINT) & ~_HIDDEN_ANY
    profile = pikepdf.Stream(pdf, _srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=SRGB,
        Info=SRGB, RegistryName="http://www.color.org", DestOutputProfile=profile,
    )])


def _describe(pdf: pikepdf.Pdf, meta: Metadata) -> None:
    """Write the document information dictionary and the XMP metadata, matching each other."""
    when = dt.datetime.combine(meta.date or EPOCH, dt.time(0, 0), tzinfo=dt.timezone.utc)
    info = {"/Title": meta.title, "/Author": meta.author, "/Subject": meta.subject,
            "/Creator": PRODUCER, "/Producer": PRODUCER}
    for key, value in info.items():
        pdf.docinfo[key] = value
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


def convert(data: bytes, meta: Metadata) -> bytes:
    """Return the PDF as PDF/A-2b."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        _prepare(pdf)
        _describe(pdf, meta)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def validate(data_or_path) -> list[str]:
    """Return why a PDF is not PDF/A-2b according to pikepdf's validator (empty: it conforms)."""
    from pikepdf import pdfa  # the validator is heavy: only when asked

    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    report = pdfa.validate_written(source, "2b")
    return [] if report.passed else [str(f) for f in report.findings]
