"""A PDF file → the PDF/A-2b requirements it meets, checked one by one (for `makecase verify`).

Each check names its clause in ISO 19005-2:2011 (PDF/A-2). The reference validator
(veraPDF) cannot be installed here; the last check runs pikepdf's allowlist validator,
which is built from veraPDF's rules and approves only what it knows to conform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from generator.pdfa import validate


@dataclass(frozen=True)
class Check:
    rule: str  # the clause of ISO 19005-2
    name: str  # what is checked, in Norwegian
    passed: bool
    detail: str = ""


def _fonts(pdf: pikepdf.Pdf):
    """Yield every font dictionary the pages (and their form XObjects) use."""
    seen = set()

    def from_resources(resources):
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            if font.objgen not in seen:
                seen.add(font.objgen)
                yield font
                yield from (d for d in (font.get("/DescendantFonts") or []))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                seen.add(xobject.objgen)
                yield from from_resources(xobject.get("/Resources"))

    for page in pdf.pages:
        yield from from_resources(page.obj.get("/Resources"))


def _unembedded(pdf: pikepdf.Pdf) -> list[str]:
    missing = []
    for font in _fonts(pdf):
        if font.get("/Subtype") in ("/Type0", "/Type3"):
            continue  # Type0 is checked through its descendant; Type3 glyphs are content streams
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(font.get("/BaseFont", "?")).lstrip("/"))
    return sorted(set(missing))


def _actions(pdf: pikepdf.Pdf) -> list[str]:
    """Return the forbidden actions and external references found anywhere in the file."""
    forbidden = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/ImportData", "/Movie", "/Sound", "/ResetForm", "/Hide"}
    found = []
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        found.append("JavaScript i /Names")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") in forbidden:
            found.append(f"handling {obj.get('/S')}")
        if isinstance(obj, pikepdf.Stream) and any(k in obj.stream_dict for k in ("/F", "/FFilter", "/FDecodeParms")):
            found.append("strøm med ekstern fil (/F)")
    return found


_STREAM = re.compile(rb"stream(?:\r\n|\n)")
_END = re.compile(rb"(?:\r\n|\r|\n)endstream")


def _misplaced_streams(raw: bytes, pdf: pikepdf.Pdf) -> list[str]:
    """Return the streams whose /Length does not end on an end-of-line before `endstream`.

    pikepdf's validator reads parsed objects and cannot see this; the bytes are checked here.
    """
    bad = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        number, generation = obj.objgen
        header = re.search(rb"(?:^|[\r\n])%d %d obj\b" % (number, generation), raw)
        opening = header and _STREAM.search(raw, header.end())
        if not opening:
            continue  # an object inside an object stream is never a stream
        end = opening.end() + int(obj.stream_dict.get("/Length", -1))
        if not _END.match(raw, end):
            bad.append(f"{number} {generation} obj")
    return bad


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    if "/Metadata" not in pdf.Root:
        return {}
    meta = pdf.open_metadata()
    keys = ("pdfaid:part", "pdfaid:conformance", "dc:title", "dc:creator", "xmp:CreateDate", "xmp:ModifyDate", "pdf:Producer")
    return {k: str(meta.get(k, "")) for k in keys}


def check_file(path: Path) -> list[Check]:
    """Return every check of one PDF file; a file that cannot be opened fails the first."""
    raw = path.read_bytes()
    header_ok = raw.startswith(b"%PDF-") and any(b >= 128 for b in raw[raw.find(b"\n") + 1:][:6])
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PdfError as err:
        return [Check("6.1.2", "filen er en lesbar PDF", False, str(err))]
    with pdf:
        info = pdf.docinfo
        xmp = _xmp(pdf)
        intents = [i for i in (pdf.Root.get("/OutputIntents") or []) if i.get("/S") == "/GTS_PDFA1"]
        profile = intents[0].get("/DestOutputProfile") if intents else None
        unembedded = _unembedded(pdf)
        actions = _actions(pdf)
        misplaced = _misplaced_streams(raw, pdf)
        filtered = "/Metadata" in pdf.Root and "/Filter" in pdf.Root.Metadata.stream_dict
        unprinted = [
            str(a.get("/Subtype")) for page in pdf.pages for a in (page.obj.get("/Annots") or [])
            if a.get("/Subtype") != "/Popup" and not int(a.get("/F", 0)) & 4
        ]
        checks = [
            # 6.1.2: "%PDF-1.n" followed by a comment line of at least four bytes above 127.
            Check("6.1.2", "filhode med binærkommentar", header_ok),
            # 6.1.3: the trailer shall have an /ID and no /Encrypt.
            Check("6.1.3", "ikke kryptert", not pdf.is_encrypted),
            Check("6.1.3", "dokument-ID i trailer", "/ID" in pdf.trailer),
            # 6.1.7.1: /Length counts a stream's bytes exactly, and `endstream` starts a line of its own.
            Check("6.1.7.1", "strømmer: /Length stemmer og endstream står på egen linje", not misplaced,
                  ", ".join(misplaced[:5])),
            # 6.2.3: an OutputIntent GTS_PDFA1 with an embedded ICC profile (N components).
            Check("6.2.3", "OutputIntent (GTS_PDFA1) med innebygd ICC-profil", profile is not None,
                  "" if profile is not None else "mangler"),
            # 6.2.11.4.1: every font used shall be embedded (no standard-14 fonts without a font program).
            Check("6.2.11.4.1", "alle skrifter er innebygd", not unembedded, ", ".join(unembedded)),
            # 6.3.2: annotations shall have the Print flag set (and not be hidden).
            Check("6.3.2", "merknader skrives ut (Print-flagg)", not unprinted, ", ".join(unprinted)),
            # 6.5.1 and 6.1.7.1: no JavaScript, Launch or other forbidden actions; no external stream data.
            Check("6.5.1", "ingen JavaScript, eksterne handlinger eller referanser", not actions, ", ".join(actions)),
            # 6.6.2.1: the catalog shall have a /Metadata stream with XMP, without filters.
            Check("6.6.2.1", "XMP-metadata i katalogen, ukomprimert", bool(xmp) and not filtered),
            # 6.6.4: pdfaid:part and pdfaid:conformance identify the level.
            Check("6.6.4", "PDF/A-identifikasjon pdfaid:part=2, pdfaid:conformance=B",
                  xmp.get("pdfaid:part") == "2" and xmp.get("pdfaid:conformance") == "B",
                  f"part={xmp.get('pdfaid:part', '')}, conformance={xmp.get('pdfaid:conformance', '')}"),
            # 6.6.3: document information entries shall match their XMP equivalents.
            Check("6.6.3", "tittel i XMP (dc:title) og informasjonsordbok stemmer",
                  bool(xmp.get("dc:title")) and xmp.get("dc:title") == str(info.get("/Title", ""))),
            Check("6.6.3", "forfatter i XMP (dc:creator) og informasjonsordbok stemmer",
                  bool(info.get("/Author")) and str(info.get("/Author")) in xmp.get("dc:creator", "")),
            # makecase's own requirement (PDF 1.7 § 14.9.2): the document states its language.
            Check("makecase", "språk satt (/Lang)", "/Lang" in pdf.Root, str(pdf.Root.get("/Lang", ""))),
        ]
    findings = validate(path)
    checks.append(Check("veraPDF-regler", "full validering (pikepdf.pdfa, PDF/A-2b)", not findings, "; ".join(findings[:3])))
    return checks
