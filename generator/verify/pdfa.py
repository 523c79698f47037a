"""A PDF → pikepdf's PDF/A-2 verdict (the B level's rules), for `makecase verifiser` and the gate.

typst writes PDF/A-2a (and PDF/UA-1) itself and refuses to write a file it knows breaks
either; this is the second opinion. pikepdf ships `pikepdf.pdfa`, an allowlist validator built
from veraPDF's rules for the B level (what every PDF/A-2 file must meet); the tagging that the
A level and PDF/UA add is checked by generator.verify.pdf. It costs more than typesetting (about
50 ms a document): the gate (generator.publish.gate) runs it once per new PDF and remembers the verdict.

An allowlist denies what it does not know, and this one does not know a few things every
tagged PDF/A-2a + PDF/UA-1 file has; those denials are set aside here, each for its reason
(`_known`), and everything else it finds stands.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

#: XMP schemas PDF/A-2 accepts without a declaration in the file (ISO 19005-2, 6.6.2.3.1: the
#: schemas of the XMP Specification 2005, among them Paged-Text, and the extension-schema
#: container of 6.6.2.3.2) that pikepdf's allowlist lacks.
_PREDEFINED = {"xmpTPg", "pdfaExtension", "pdfaSchema", "pdfaProperty"}
#: What the allowlist says it cannot check in typst's files, and why that is safe: typst writes
#: no /CIDSet (PDF/A-2 makes it optional, 6.2.11.4.2) and an xmpMM:History of its own saves.
_UNCHECKED = {"ISO_19005_2:6.2.11.4.2-2", "ISO_19005_2:6.6.2.3.1-2"}
_XMP_NAME = re.compile(r"XMP (?:namespace|property) (\w+)[=:]")
_DECLARED = re.compile(rb"<pdfaSchema:prefix>(\w+)</pdfaSchema:prefix>")


def _declared_prefixes(data: bytes) -> set[str]:
    """Return the XMP prefixes the file declares in its own extension schemas (pdfuaid, …)."""
    return {m.decode() for m in _DECLARED.findall(data)}


_CONFORMANCE = re.compile(r"pdfaid:conformance is '[AU]', expected 'B'")


def _known(finding, declared: set[str]) -> bool:
    """Whether a finding is one of the allowlist's blind spots for a PDF/A-2a + PDF/UA-1 file (and,
    but for _UNCHECKED, for any PDF/A file of another level than B)."""
    message = str(finding.message)
    if finding.kind == "unsupported" and finding.rule in _UNCHECKED:
        return True  # "not checked" where typst's output is known good (see _UNCHECKED)
    if _CONFORMANCE.search(message):
        return True  # the A and U levels are the B level and more; the file is validated against B's rules
    if finding.rule.startswith("ISO_19005_") and _XMP_NAME.search(message):
        name = _XMP_NAME.search(message)
        return name.group(1) in _PREDEFINED or name.group(1) in declared
    if finding.rule == "pikepdf:schema-OutlineItem" and str(finding.where).endswith("/Dest"):
        # a destination written as an indirect object (PDF 32000-1, 7.3.10: any object may be)
        return bool(re.fullmatch(r"'\d+ \d+ R' is not valid under any of the given schemas", message))
    return False


def _for_validator(data: bytes) -> bytes | None:
    """Return a PDF without what stops the validator though PDF/A allows it (None: nothing such):
    LibreOffice's trailer key /DocChecksum (an MD5 of the file no reader uses) and an /OpenAction
    that only opens a page (a destination, or a GoTo action: 6.6.1 permits it). At either the
    validator reports one finding and checks nothing else."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        opening = pdf.Root.get("/OpenAction")
        goto = isinstance(opening, pikepdf.Array) or (
            isinstance(opening, pikepdf.Dictionary) and opening.get("/S") == "/GoTo" and "/Next" not in opening)
        if "/DocChecksum" not in pdf.trailer and not goto:
            return None
        if "/DocChecksum" in pdf.trailer:
            del pdf.trailer["/DocChecksum"]
        if goto:
            del pdf.Root["/OpenAction"]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def foreign_problems(data: bytes, level: str) -> list[str]:
    """Return why a PDF from elsewhere cannot be vouched for as PDF/A at the B rules of the level it
    claims (2B, 1A, 3U …): what breaks them, and what the validator could not check (a shading, a
    layer, a key it stops at), which is not vouched for either. Its blind spots for every PDF/A
    file (_known, _UNCHECKED) are set aside as for makecase's own."""
    from pikepdf import pdfa

    report = pdfa.validate_written(io.BytesIO(_for_validator(data) or data), f"{level[0]}b")
    declared = _declared_prefixes(data)
    return [str(f) for f in report.findings if not _known(f, declared)]


def validate(data_or_path) -> list[str]:
    """Return why a PDF is not PDF/A-2 (the B level's rules) according to pikepdf's validator
    (empty: it conforms)."""
    import logging

    from pikepdf import pdfa  # the validator is heavy: only when asked

    # fontTools, which the validator reads fonts with, logs its doubts about a font's timestamps
    # (LibreOffice's subsets): not a PDF/A matter, and not for the caseworker's terminal
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data = data_or_path if isinstance(data_or_path, bytes) else Path(data_or_path).read_bytes()
    # LibreOffice's /DocChecksum and a page-opening /OpenAction stop the validator though PDF/A
    # allows them (see _for_validator); typst writes neither, so its files are validated as they are
    mended = _for_validator(data) if b"/DocChecksum" in data or b"/OpenAction" in data else None
    report = pdfa.validate_written(io.BytesIO(mended or data), "2b")
    declared = _declared_prefixes(data)
    return [str(f) for f in report.findings if not _known(f, declared)]
