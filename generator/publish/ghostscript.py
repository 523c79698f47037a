"""A PDF vedlegg → the file the archive keeps: as it is when it is PDF/A, else converted to
PDF/A-2b by Ghostscript and validated after conversion.

Arkivverket takes PDF/A. A letter or a report from elsewhere often is not; Ghostscript's
pdfwrite device converts it (fonts embedded, colours to sRGB, an sRGB output intent). The
profile is the one typst embeds in makecase's own PDFs, so no ICC file has to ship. Without
Ghostscript the archive refuses the case (exit 1) and says how to convert by hand: a vedlegg that
is not PDF/A is never archived as if it were.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from generator import tree as t
from generator.cache import Verdicts
from generator.publish.archive import ArchiveError

#: The names Ghostscript's command-line program has: on Linux and macOS, and on Windows.
EXECUTABLES = ("gs", "gswin64c", "gswin32c")
#: How to get Ghostscript, in the words of the refusal.
HOW = ("installer Ghostscript (Debian/Ubuntu: «sudo apt install ghostscript»; macOS: «brew install ghostscript»; "
       "Windows: ghostscript.com, og sørg for at gswin64c ligger i PATH), eller lagre vedlegget som PDF/A "
       "(f.eks. i LibreOffice eller Word: Eksporter som PDF med PDF/A-2b) og prøv igjen")
_DEF = """%!
/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} <</N 3>> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} <</Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB IEC61966-2.1)>> /PUT pdfmark
[{{Catalog}} <</OutputIntents [ {{OutputIntent_PDFA}} ]>> /PUT pdfmark
"""


#: The longest Ghostscript may take on one vedlegg (seconds).
TIMEOUT = 120


def executable() -> str | None:
    """Return the Ghostscript program on PATH, if there is one."""
    return next((found for name in EXECUTABLES if (found := shutil.which(name))), None)


@lru_cache(maxsize=1)
def _srgb() -> bytes:
    """Return the sRGB ICC profile typst embeds in its PDF/A files."""
    import pikepdf
    import typst

    pdf = typst.Compiler(ignore_system_fonts=True).compile(input=b'#set document(title: "sRGB")\n', format="pdf",
                                                         pdf_standards=["a-2b"])  # no text: no fonts
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        return opened.Root.OutputIntents[0].DestOutputProfile.read_bytes()


def violations(data: bytes, level: str) -> list[str]:
    """Return why a file from elsewhere cannot be vouched for as PDF/A at a level's B rules (`level`
    as the file claims it: 2B, 1A, 3U …): what breaks them, and what the validator cannot check."""
    import logging

    from generator.verify import pdfa

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # its doubts about font timestamps
    return pdfa.foreign_problems(data, level)


#: What the validator cannot check, in a caseworker's words (by its rule).
_UNCHECKABLE = {
    "pikepdf:shading": "fargeoverganger", "pikepdf:schema-Resources": "fargeoverganger eller mønstre",
    "pikepdf:pattern": "fargeoverganger eller mønstre", "pikepdf:colour-space": "fargeoverganger eller mønstre",
    "pikepdf:schema-Catalog": "lag (valgfritt innhold) eller skjemafelt",
}


def _in_words(problem: str) -> str:
    """Return a validator's finding as a caseworker may read it: what cannot be checked, or the rule."""
    words = next((words for rule, words in _UNCHECKABLE.items() if f"] {rule} " in problem), None)
    return f"makecase kan ikke kontrollere {words} i den mot PDF/A" if words else problem


def convert(data: bytes, gs: str) -> bytes:
    """Return the PDF converted to PDF/A-2b by Ghostscript (ArchiveError if it cannot)."""
    with tempfile.TemporaryDirectory(prefix="makecase-gs-") as folder:
        work = Path(folder)
        (work / "srgb.icc").write_bytes(_srgb())
        (work / "PDFA_def.ps").write_text(_DEF.format(icc=(work / "srgb.icc").as_posix()), encoding="ascii")
        (work / "inn.pdf").write_bytes(data)
        try:
            done = subprocess.run(
                [gs, "-q", "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dPDFACompatibilityPolicy=1",
                 "-sColorConversionStrategy=RGB", "-sDEVICE=pdfwrite", f"--permit-file-read={work.as_posix()}/",
                 f"-sOutputFile={(work / 'ut.pdf').as_posix()}", (work / "PDFA_def.ps").as_posix(),
                 (work / "inn.pdf").as_posix()],
                capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired as err:
            raise ArchiveError(f"Ghostscript ble ikke ferdig med den på {TIMEOUT} sekunder; lagre vedlegget som "
                               "PDF/A selv og prøv igjen. Ingenting ble skrevet.") from err
        out = work / "ut.pdf"
        if done.returncode != 0 or not out.is_file():
            raise ArchiveError(f"Ghostscript kunne ikke gjøre den om til PDF/A ({(done.stderr or done.stdout).strip()[:200]}). "
                               "Ingenting ble skrevet.")
        return out.read_bytes()


def archivable(pdf: t.ForeignPdf, shown: str, purpose: str = "arkivet", verdicts: Verdicts | None = None
               ) -> tuple[bytes, str]:
    """Return what the archive (or the package: `purpose`) keeps of a PDF vedlegg and its PDF/A
    level (2B …): the file as it is when it is PDF/A, passes the validator at its level's B rules
    and has what a claimed level A or U adds (verify.pdf.level_gaps), else Ghostscript's PDF/A-2b
    of it, validated. A filled form is taken as it prints, its fields drawn into its pages (the
    validator cannot check a form, and the archive keeps what was filled in, not a form to fill). `shown` names the vedlegg in a refusal (exit 1); `verdicts` remembers a file
    that passed as it is."""
    from generator.render.pdf.foreign import printed
    from generator.verify.pdf import level_gaps

    data = printed(pdf.data) if b"/AcroForm" in pdf.data else pdf.data  # a filled form: kept as it prints
    if pdf.pdfa and verdicts is not None and verdicts.foreign_checked(data, pdf.pdfa):
        return data, pdf.pdfa
    found = violations(data, pdf.pdfa) + level_gaps(data, pdf.pdfa) if pdf.pdfa else []
    if pdf.pdfa and not found:
        if verdicts is not None:
            verdicts.foreign_passed(data, pdf.pdfa)
        return data, pdf.pdfa
    gs = executable()
    if not pdf.pdfa:
        what = "er ikke PDF/A"
    elif all(problem.startswith("[unsupported]") for problem in found):
        what = f"sier at den er PDF/A-{pdf.pdfa}, men det kan ikke kontrolleres"
    else:
        what = f"sier at den er PDF/A-{pdf.pdfa}, men er det ikke"
    if gs is None:
        raise ArchiveError(f"{shown} {what}, og Ghostscript (gs) finnes ikke på maskinen, så vedlegget kan ikke "
                           f"gjøres om til PDF/A for {purpose}: {HOW}. Ingenting ble skrevet.")
    try:
        converted = convert(data, gs)
    except ArchiveError as err:
        raise ArchiveError(f"{shown} {what}, og {err}") from err
    broken = violations(converted, "2B")
    if broken:
        raise ArchiveError(f"{shown} {what}, og heller ikke Ghostscripts PDF/A-2b av den kan kontrolleres "
                           f"({_in_words(broken[0])}): lagre vedlegget uten dette, eller skann det, og prøv igjen. "
                           "Ingenting ble skrevet.")
    return converted, "2B"


def pdfa_name(level: str) -> str:
    """Return a PDF/A level as the archive writes it: 2B → PDF/A-2b."""
    return f"PDF/A-{level[0]}{level[1:].lower()}"


def ready_for_package(bundle: t.Bundle, verdicts: Verdicts | None = None) -> t.Bundle:
    """Return a meeting package whose PDF vedlegg are all PDF/A (converted where they are not):
    the package claims PDF/A-2a, and every page in it must be PDF/A, with text that reads back
    as the text drawn (a converted file need not: Ghostscript keeps a font's missing mapping)."""
    parts = []
    for part in bundle.parts:
        if part.pdf is not None:
            data, level = archivable(part.pdf, f"«{part.heading}»", "møtepakken", verdicts)
            part = replace(part, pdf=replace(part.pdf, data=_printed(part.heading, data, level, verdicts), pdfa=level))
        parts.append(part)
    return replace(bundle, parts=tuple(parts))


def _printed(heading: str, data: bytes, level: str, verdicts: Verdicts | None) -> bytes:
    """Return a vedlegg as its pages join the package: what its annotations print drawn in, judged
    again when that changed it, and its text able to be read back (ArchiveError naming it if not)."""
    from generator.render.pdf.foreign import printed
    from generator.verify.pdf import unicode_gaps

    flat = printed(data)
    known = flat is data or verdicts is not None and verdicts.foreign_checked(flat, level, "trykt")
    if not known and (broken := violations(flat, level)):
        raise ArchiveError(f"«{heading}» har merknader (stempler, skjemafelt) som ikke kan tas inn i møtepakken som "
                           f"PDF/A ({_in_words(broken[0])}): skriv ut vedlegget til PDF, eller skann det, og prøv "
                           "igjen. Ingenting ble skrevet.")
    if not known and verdicts is not None:
        verdicts.foreign_passed(flat, level, "trykt")
    if gaps := unicode_gaps(flat):
        raise ArchiveError(
            f"«{heading}» har tekst som ikke kan leses ut som tekst ({'; '.join(gaps[:3])}): en skjermleser eller et "
            "søk ville fått feil tegn, og møtepakken er PDF/A-2a, som ikke tillater det. Lagre vedlegget som "
            "PDF/A-2a eller PDF/A-2u (f.eks. i LibreOffice eller Word: Eksporter som PDF), eller skann brevet som "
            "bilde, og prøv igjen. Ingenting ble skrevet.")
    return flat
