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
#: The most pages a PDF vedlegg may have (each becomes a page of the meeting package).
MAX_PAGES = 500
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
    skannet: tuple[int, ...] = ()  # of those, the pages that show an image: a scan, most likely


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


#: Annotations that play, run or carry something: removed with everything in them.
_ACTIVE_ANNOTS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
#: Link schemes a vedlegg may keep (as in case text: generator.domain.prose.SAFE_LINKS, and http).
_SAFE_URI = ("https:", "http:", "mailto:")


def _unsafe_uri(action) -> bool:
    import pikepdf

    uri = action.get("/URI") if isinstance(action, pikepdf.Dictionary) else None
    return action.get("/S") == "/URI" and not str(uri or "").strip().lower().startswith(_SAFE_URI)


def _strip(pdf) -> list[str]:
    """Remove active content from an open PDF, wherever in its objects it stands; return what was
    removed, in words. Every dictionary is visited (the catalogue, pages and the page tree, form
    fields and their parents, bookmarks, annotations, form XObjects): an action that runs,
    launches, submits or fetches is removed with the key that holds it, every additional-action
    (/AA) and associated-file (/AF) entry goes, and so do annotations that play or carry files."""
    import pikepdf

    removed: list[str] = []

    def note(what: str) -> None:
        if what not in removed:
            removed.append(what)

    def words(kinds: set[str]) -> str:
        return ("JavaScript" if "/JavaScript" in kinds else "skjema som sender data" if "/SubmitForm" in kinds
                else "handlinger som starter programmer eller henter filer")

    names = pdf.Root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, what in (("/JavaScript", "JavaScript"), ("/EmbeddedFiles", "innebygde filer")):
            if key in names:
                del names[key]
                note(what)
    if "/OpenAction" in pdf.Root and isinstance(pdf.Root.OpenAction, pikepdf.Dictionary):
        kinds = _action_kinds(pdf.Root.OpenAction)
        if kinds & _ACTIVE_ACTIONS or "/GoToR" in kinds or _unsafe_uri(pdf.Root.OpenAction):
            del pdf.Root["/OpenAction"]
            note("en handling som kjøres når filen åpnes")
    seen: set = set()
    todo = [pdf.Root, *(page.obj for page in pdf.pages)]
    while todo:
        item = todo.pop()
        if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
            if item.is_indirect:
                if item.objgen in seen:
                    continue
                seen.add(item.objgen)
            for key in ("/AA", "/AF"):
                if key in item:
                    del item[key]
                    note("handlinger knyttet til dokumentet, sider eller felt" if key == "/AA" else "innebygde filer")
            if "/XFA" in item:
                del item["/XFA"]
                note("et XFA-skjema")
            for key in ("/A", "/Next"):
                action = item.get(key)
                if action is None:
                    continue
                kinds = _action_kinds(action)
                if kinds & _ACTIVE_ACTIONS or "/GoToR" in kinds or _unsafe_uri(action):
                    del item[key]
                    note(words(kinds) if kinds & _ACTIVE_ACTIONS else "lenker til andre filer eller programmer")
            for key, value in list(item.items()):  # a PostScript XObject: code a printer would run
                if isinstance(value, pikepdf.Stream) and pikepdf.Name.PS in (value.get("/Subtype"), value.get("/Subtype2")):
                    del item[key]
                    note("PostScript-kode")
            annots = item.get("/Annots")
            if isinstance(annots, pikepdf.Array):
                kept = [a for a in annots if not (isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") in _ACTIVE_ANNOTS)]
                if len(kept) != len(annots):
                    note("innebygde filer og medier")
                    item.Annots = pikepdf.Array(kept)
            todo += [value for _, value in item.items()]
        elif isinstance(item, pikepdf.Array):
            todo += list(item)
    return removed


#: What `read` made of each PDF (by the SHA-256 of its bytes) in this process: a batch worker, or a
#: test run, that meets the same vedlegg in a case and in its meeting reads it once (qpdf's syntax check
#: and the walk for what to strip: about 30 ms for the sample's four pages).
_READ: dict[bytes, PdfVedlegg | PdfError] = {}


def read(path: Path) -> PdfVedlegg:
    """Return the copy of the PDF at `path` that makecase uses; PdfError says why it cannot be one."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PdfError(f"PDF-filen er for stor ({size / 1024 / 1024:.0f} MB; grensen er {MAX_BYTES // 1024 // 1024} MB)")
    raw = path.read_bytes()
    if not raw.startswith(b"%PDF-"):
        raise PdfError("filen er ikke en PDF (den begynner ikke med «%PDF-»)")
    digest = hashlib.sha256(raw).digest()
    if digest not in _READ:
        if len(_READ) >= 16:  # `makecase se` lives long: a few files, not every version saved
            _READ.clear()
        try:
            _READ[digest] = _read(raw)
        except PdfError as err:
            _READ[digest] = err
    found = _READ[digest]
    if isinstance(found, PdfError):
        raise PdfError(*found.args)
    return found


def _read(raw: bytes) -> PdfVedlegg:
    import pikepdf

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
        if len(pdf.pages) > MAX_PAGES:
            raise PdfError(f"PDF-filen har {len(pdf.pages)} sider; grensen er {MAX_PAGES}")
        for number, page in enumerate(pdf.pages, 1):
            box = [float(v) for v in page.mediabox]
            if abs(box[2] - box[0]) < 1 or abs(box[3] - box[1]) < 1:
                raise PdfError(f"side {number} i PDF-filen har ingen størrelse (MediaBox {box})")
        if _hidden_layers(pdf):
            raise PdfError("PDF-filen har lag som er skjult (valgfritt innhold som er slått av); det skjulte ville "
                           "blitt synlig i møtepakken og arkivet. Lagre vedlegget uten skjulte lag (f.eks. med «Skriv "
                           "ut» til PDF) og prøv igjen")
        claimed = pdf.open_metadata().pdfa_status or None
        if claimed and (claimed[0] not in "123" or len(claimed) < 2):
            claimed = None  # no PDF/A level there is: not PDF/A
        removed = _strip(pdf)
        data = raw
        if _repaired(pdf) or removed or b"%%EOF" not in raw[-64:]:  # written anew: what follows the PDF goes
            out = io.BytesIO()
            pdf.save(out, deterministic_id=True)
            data = out.getvalue()
        known: dict = {}
        shown = [_shows(page.obj, 0, known) for page in pdf.pages]
        blank = tuple(n for n, what in enumerate(shown, 1) if TEXT not in what)
        scanned = tuple(n for n in blank if IMAGE in shown[n - 1])
        return PdfVedlegg(data, len(pdf.pages), claimed, tuple(removed), hashlib.sha256(data).hexdigest(), blank,
                          scanned)


def _repaired(pdf) -> bool:
    """Mend what a known producer writes wrong and no reader minds, so that the validator can pass
    the file: LibreOffice writes a page's tab order as a string, (S), where PDF has a name, /S.
    Return whether anything was mended."""
    import pikepdf

    mended = False
    for page in pdf.pages:
        tabs = page.obj.get("/Tabs")
        if isinstance(tabs, pikepdf.String) and str(tabs) in ("R", "C", "S"):
            page.obj.Tabs = pikepdf.Name("/" + str(tabs))
            mended = True
    return mended


def _hidden_layers(pdf) -> bool:
    """Whether a PDF has optional content a viewer hides by default: a layer switched off, or all
    off unless switched on. Ghostscript's PDF/A and the package's pages draw every layer, so what
    the author hid (a draft's comments, a redaction done with a layer) would show."""
    import pikepdf

    properties = pdf.Root.get("/OCProperties")
    if not isinstance(properties, pikepdf.Dictionary):
        return False
    default = properties.get("/D")
    if not isinstance(default, pikepdf.Dictionary):
        return False
    off = default.get("/OFF")
    return (isinstance(off, pikepdf.Array) and len(off) > 0) or default.get("/BaseState") in (
        pikepdf.Name.OFF, pikepdf.Name.Unchanged)


_TEXT = {"Tj", "TJ", "'", '"'}
TEXT, IMAGE = "tekst", "bilde"


def _shows(owner, depth: int = 0, known: dict | None = None) -> frozenset[str]:
    """Return what a page (or a form it draws) shows of text and images; each form is looked at
    once (a file of forms drawing forms many times over is no work)."""
    import pikepdf

    known = {} if known is None else known
    key = owner.objgen if owner.is_indirect else None
    if key is not None and key in known:
        return known[key]
    if key is not None:
        known[key] = frozenset()  # a form that draws itself shows nothing new
    try:
        instructions = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return frozenset({TEXT})  # unreadable content: do not call it a scan
    xobjects = ((owner.get("/Resources") or {}).get("/XObject") or {}) if depth < 8 else {}
    found: set[str] = set()
    for operands, operator in instructions:
        name = str(operator)
        if name in _TEXT:
            found.add(TEXT)
            break
        if name == "INLINE IMAGE":
            found.add(IMAGE)
        elif name == "Do" and operands:
            drawn = xobjects.get(operands[0])
            if isinstance(drawn, pikepdf.Stream) and drawn.get("/Subtype") == "/Image":
                found.add(IMAGE)
            elif isinstance(drawn, pikepdf.Stream) and drawn.get("/Subtype") == "/Form":
                found |= _shows(drawn, depth + 1, known)
                if TEXT in found:
                    break
    if key is not None:
        known[key] = frozenset(found)
    return frozenset(found)


def _first_line(problem) -> str:
    """Return qpdf's first words on a problem, without the name it gives the file in memory."""
    lines = str(problem).strip().splitlines() or ["ukjent feil"]
    text = re.sub(r"^(?:WARNING:\s*)?(?:stream\s+)?<_io\.BytesIO object at 0x[0-9a-f]+>\s*:?\s*", "", lines[0])
    text = re.sub(r"^,\s*", "", text)
    return re.sub(r"^\(offset (\d+)\):\s*", r"ved byte \1: ", text)[:200]
