"""A PDF file named as a vedlegg → the copy makecase uses: checked like any input, active
content removed, its pages counted and its PDF/A claim read.

A letter from the county, a consultant's report or a scanned agreement is not written in
makecase; it joins the saksframlegg's list, the meeting package and the archive as it is. What
may not come along is what a PDF can do besides showing pages: JavaScript, launch actions,
embedded files and forms that submit are removed from the copy (never from the original), and
each removal is said as a warning.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

#: The largest PDF a case may carry (a scanned report of some hundred pages fits).
MAX_BYTES = 50 * 1024 * 1024
#: Actions that run something or send something: removed wherever they stand.
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/ResetForm", "/Rendition", "/Sound",
                   "/Movie", "/GoToE"}


class PdfError(ValueError):
    """A file that cannot serve as a PDF vedlegg; the message says why, in Norwegian."""


@dataclass(frozen=True)
class PdfVedlegg:
    """The copy of a PDF vedlegg makecase uses, and what it knows of it."""

    data: bytes  # the file with active content removed (the original's bytes when there was none)
    sider: int
    pdfa: str | None  # the PDF/A level the file claims (e.g. "2B"), or None
    fjernet: tuple[str, ...]  # what was removed, in words
    sha256: str  # of `data`
    uten_tekst: tuple[int, ...] = ()  # the pages (from 1) that show no text: scanned, or drawings only


def _action_kinds(action) -> set[str]:
    """Return the kinds of an action and of every action chained after it (/Next)."""
    import pikepdf

    kinds, seen, todo = set(), set(), [action]
    while todo:
        item = todo.pop()
        if isinstance(item, pikepdf.Array):
            todo += list(item)
            continue
        if not isinstance(item, pikepdf.Dictionary) or (item.is_indirect and item.objgen in seen):
            continue
        if item.is_indirect:
            seen.add(item.objgen)
        if "/S" in item:
            kinds.add(str(item.S))
        if "/Next" in item:
            todo.append(item.Next)
    return kinds


def _strip(pdf) -> list[str]:
    """Remove active content from an open PDF; return what was removed, in words."""
    import pikepdf

    removed: list[str] = []

    def note(what: str) -> None:
        if what not in removed:
            removed.append(what)

    root = pdf.Root
    if "/OpenAction" in root and isinstance(root.OpenAction, pikepdf.Dictionary) \
            and _action_kinds(root.OpenAction) & _ACTIVE_ACTIONS:
        del root["/OpenAction"]
        note("en handling som kjøres når filen åpnes")
    if "/AA" in root:
        del root["/AA"]
        note("handlinger knyttet til dokumentet")
    if "/AF" in root:  # associated files (PDF 2.0, PDF/A-3): embedded files by another road
        del root["/AF"]
        note("innebygde filer")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            del names["/JavaScript"]
            note("JavaScript")
        if "/EmbeddedFiles" in names:
            del names["/EmbeddedFiles"]
            note("innebygde filer")
    form = root.get("/AcroForm")
    if isinstance(form, pikepdf.Dictionary) and "/XFA" in form:
        del form["/XFA"]
        note("et XFA-skjema")
    for page in pdf.pages:
        if "/AA" in page.obj:
            del page.obj["/AA"]
            note("handlinger knyttet til sidene")
        if "/AF" in page.obj:
            del page.obj["/AF"]
            note("innebygde filer")
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        kept = pikepdf.Array()
        for annot in annots:
            if not isinstance(annot, pikepdf.Dictionary):
                continue
            if annot.get("/Subtype") == "/FileAttachment":
                note("innebygde filer")
                continue
            if "/AA" in annot:
                del annot["/AA"]
                note("handlinger i skjemafelt og lenker")
            if "/A" in annot:
                kinds = _action_kinds(annot.A)
                if kinds & _ACTIVE_ACTIONS:
                    del annot["/A"]
                    note("skjema som sender data" if "/SubmitForm" in kinds else
                         "JavaScript" if "/JavaScript" in kinds else "handlinger som starter programmer eller sender data")
            kept.append(annot)
        page.obj.Annots = kept
    return removed


def read(path: Path) -> PdfVedlegg:
    """Return the copy of the PDF at `path` that makecase uses; PdfError says why it cannot be one."""
    import pikepdf

    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PdfError(f"PDF-filen er for stor ({size / 1024 / 1024:.0f} MB; grensen er {MAX_BYTES // 1024 // 1024} MB)")
    raw = path.read_bytes()
    if b"%PDF-" not in raw[:1024]:
        raise PdfError("filen er ikke en PDF (den begynner ikke med «%PDF-»)")
    try:
        pdf = pikepdf.open(io.BytesIO(raw))
    except pikepdf.PasswordError as err:
        raise PdfError("PDF-filen er beskyttet med passord; lagre den uten passord og prøv igjen") from err
    except pikepdf.PdfError as err:
        raise PdfError(f"PDF-filen er skadet og kan ikke leses ({_first_line(err)})") from err
    with pdf:
        if pdf.is_encrypted:
            raise PdfError("PDF-filen er kryptert (med begrensninger på utskrift eller kopiering); lagre den uten "
                           "kryptering og prøv igjen")
        problems = pdf.check_pdf_syntax()
        if problems:
            raise PdfError(f"PDF-filen er skadet (qpdf: {_first_line(problems[0])})")
        if len(pdf.pages) == 0:
            raise PdfError("PDF-filen har ingen sider")
        claimed = pdf.open_metadata().pdfa_status or None
        removed = _strip(pdf)
        data = raw
        if removed:
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            data = out.getvalue()
        blank = tuple(n for n, page in enumerate(pdf.pages, 1) if not _shows_text(page.obj))
        return PdfVedlegg(data, len(pdf.pages), claimed, tuple(removed), hashlib.sha256(data).hexdigest(), blank)


_TEXT = {"Tj", "TJ", "'", '"'}


def _shows_text(owner, depth: int = 0) -> bool:
    """Whether a page (or a form it draws) shows any text."""
    import pikepdf

    try:
        instructions = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return True  # unreadable content: do not call it a scan
    xobjects = ((owner.get("/Resources") or {}).get("/XObject") or {}) if depth < 8 else {}
    for operands, operator in instructions:
        if str(operator) in _TEXT:
            return True
        if str(operator) == "Do" and operands:
            form = xobjects.get(operands[0])
            if isinstance(form, pikepdf.Stream) and form.get("/Subtype") == "/Form" and _shows_text(form, depth + 1):
                return True
    return False


def _first_line(problem) -> str:
    """Return qpdf's first words on a problem, without the name it gives the file in memory."""
    lines = str(problem).strip().splitlines() or ["ukjent feil"]
    text = re.sub(r"^(?:WARNING:\s*)?(?:stream\s+)?<_io\.BytesIO object at 0x[0-9a-f]+>\s*:?\s*", "", lines[0])
    return re.sub(r"^\(offset (\d+)\):\s*", r"ved byte \1: ", text)[:200]
