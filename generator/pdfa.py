"""What PDF/A-2b asks of a file beyond what reportlab writes, shared by both ways we make one.

A single document is written as PDF/A directly by reportlab (see `render_pdf`), with the
catalog entries built from this module: an sRGB OutputIntent with its embedded ICC profile
and XMP metadata matching the document information dictionary. A meeting package is joined
by pikepdf and made PDF/A by `make_archival`, with the same XMP. Dates come from the case, never
the clock, so the same input gives the same bytes.

`validate` runs pikepdf's PDF/A validator (built from veraPDF's rules) on written bytes;
`makecase verify` and the tests use it on every PDF, and rendering does not, so that
rendering stays fast (the validator costs more than the render). pikepdf is imported only
by `make_archival` and `validate`: importing it costs a single render more than its work.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from html import escape

#: Dates for documents that carry none of their own (no clock time goes into a file).
EPOCH = dt.date(2000, 1, 1)
PRODUCER = "makecase"
SRGB = "sRGB IEC61966-2.1"
#: Annotation flags (PDF 32000-1, 12.5.3): PDF/A wants Print set and Invisible, Hidden, NoView clear.
PRINT, HIDDEN_ANY = 4, 1 | 2 | 32


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    language: str  # nb or nn
    date: dt.date | None

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.combine(self.date or EPOCH, dt.time(0, 0), tzinfo=dt.timezone.utc)

    @property
    def pdf_date(self) -> str:
        """The date as a PDF date string (PDF 32000-1, 7.9.4)."""
        return self.when.strftime("D:%Y%m%d%H%M%SZ")

    def info(self) -> dict[str, str]:
        """Return the document information entries, each mirrored in `xmp` (ISO 19005-2, 6.6.3)."""
        return {"Title": self.title, "Author": self.author, "Subject": self.subject,
                "Creator": PRODUCER, "Producer": PRODUCER,
                "CreationDate": self.pdf_date, "ModDate": self.pdf_date}


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """Return the sRGB ICC profile pikepdf ships for PDF/A output intents (read without importing pikepdf)."""
    spec = importlib.util.find_spec("pikepdf")
    return (Path(spec.submodule_search_locations[0]) / "pdfa" / "data" / "sRGB.icc").read_bytes()


def _text(value: str) -> str:
    return escape(value, quote=True)


def _alt(value: str) -> str:
    return f'<rdf:Alt><rdf:li xml:lang="x-default">{_text(value)}</rdf:li></rdf:Alt>'


def xmp(meta: Metadata) -> bytes:
    """Return the XMP packet: Dublin Core, PDF and XMP basic properties, and the PDF/A-2b identification."""
    when = meta.when.isoformat()
    return f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about=""
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
 xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<dc:format>application/pdf</dc:format>
<dc:title>{_alt(meta.title)}</dc:title>
<dc:creator><rdf:Seq><rdf:li>{_text(meta.author)}</rdf:li></rdf:Seq></dc:creator>
<dc:description>{_alt(meta.subject)}</dc:description>
<dc:language><rdf:Bag><rdf:li>{_text(meta.language)}</rdf:li></rdf:Bag></dc:language>
<pdf:Producer>{PRODUCER}</pdf:Producer>
<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>""".encode("utf-8")


_LENGTH = re.compile(rb"/Length (\d+)\b")


def end_streams_on_own_line(data: bytes) -> bytes:
    """Return reportlab's PDF with an end-of-line before every `endstream` (ISO 19005-2, 6.1.7.1).

    reportlab writes a binary stream's last byte and `endstream` back to back. Each object is
    found by the cross-reference table, each stream's end by its /Length, the missing line feed
    is added, and the table and `startxref` are written anew for the shifted offsets.
    """
    xref = data.rindex(b"\nxref\n") + 1
    head, section, *rest = data[xref:].split(b"\n", 2)
    count = int(section.split()[1])
    table = rest[0][: 20 * count].split(b"\n")[:count]
    offsets = [int(entry[:10]) for entry in table[1:]]
    bounds = sorted(offsets) + [xref]
    parts, moved, written = [data[: bounds[0]]], {}, bounds[0]
    for start, end in zip(bounds, bounds[1:]):
        chunk = data[start:end]
        opening = chunk.find(b"\nstream\n")
        if opening >= 0:
            length = _LENGTH.search(chunk, 0, opening)
            close = opening + len(b"\nstream\n") + int(length[1])
            if chunk.startswith(b"endstream", close):
                chunk = chunk[:close] + b"\n" + chunk[close:]
        moved[start] = written
        parts.append(chunk)
        written += len(chunk)
    trailer = rest[0][20 * count:]
    trailer = trailer[: trailer.rindex(b"startxref")]
    entries = b"".join(b"%010d 00000 n \n" % moved[offset] for offset in offsets)
    parts += [b"xref\n0 %d\n0000000000 65535 f \n" % count, entries, trailer, b"startxref\n%d\n%%%%EOF\n" % written]
    return b"".join(parts)


def make_archival(pdf, meta: Metadata) -> None:
    """Make a pikepdf.Pdf joined from other PDFs (a meeting package) PDF/A-2b, before it is saved."""
    import pikepdf

    for page in pdf.pages:
        for annotation in page.obj.get("/Annots") or []:
            annotation.F = (int(annotation.get("/F", 0)) | PRINT) & ~HIDDEN_ANY
    profile = pikepdf.Stream(pdf, srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1, OutputConditionIdentifier=SRGB,
        Info=SRGB, RegistryName="http://www.color.org", DestOutputProfile=profile,
    )])
    for key in list(pdf.docinfo.keys()):
        del pdf.docinfo[key]
    for key, value in meta.info().items():
        pdf.docinfo[f"/{key}"] = value
    pdf.Root.Lang = pikepdf.String(meta.language)
    metadata = pikepdf.Stream(pdf, xmp(meta))
    metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
    pdf.Root.Metadata = metadata


def validate(data_or_path) -> list[str]:
    """Return why a PDF is not PDF/A-2b according to pikepdf's validator (empty: it conforms)."""
    from pikepdf import pdfa  # the validator is heavy: only when asked

    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    report = pdfa.validate_written(source, "2b")
    return [] if report.passed else [str(f) for f in report.findings]
