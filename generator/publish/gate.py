"""A file about to be published → what is wrong with it (the last look: is it what its name says?).

Every file, every run. A DOCX must be a zip whose parts parse as XML. A PDF first gets a look
that costs a millisecond and no PDF library: a whole PDF whose catalogue declares it tagged, in
a language, with its title shown and with PDF/A-2a and PDF/UA-1 identification in its XMP
(typst writes no object streams, so the catalogue and the metadata are plain text). Then the
whole judgement of `makecase verifiser` (30–130 ms a document), unless a PDF with exactly these
bytes passed it before (generator.cache keeps the verdicts): a rerun of an unchanged case
costs nothing, an edited case pays for the documents that changed.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

from lxml import etree

from generator.cache import FOLDER, Verdicts

#: The PDFs (by SHA-256) this process has judged in full and found good: a batch or a test run
#: that makes the same bytes twice judges them once.
_PASSED: set[bytes] = set()

#: The catalogue's type, whatever order its object's keys are written in (typst puts /Type first,
#: a package with PDF vedlegg is saved by pikepdf, which sorts them).
_CATALOG_TYPE = re.compile(rb"/Type\s*/Catalog\b")


def _catalog(data: bytes) -> bytes | None:
    """Return the text of the catalogue object, from its «obj» to its «endobj» (None: none found).
    Found from its /Type outwards: a pattern that walks every object to it took 60 ms on a 3 MB
    meeting package, whose catalogue typst writes near the end."""
    for match in _CATALOG_TYPE.finditer(data):
        start = data.rfind(b" obj", 0, match.start())
        end = data.find(b"endobj", match.end())
        if start != -1 and end != -1 and data.find(b"endobj", start, match.start()) == -1:
            return data[start:end]
    return None
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


def problems(name: str, data: bytes, verdicts: Verdicts | None = None, later: bool = False) -> list[str]:
    """Return what is wrong with a file about to be published (empty: nothing found).

    `verdicts` remembers the PDFs that passed; without it, every PDF is judged in full. `later`
    leaves pikepdf's PDF/A validator (the second opinion on what typst already refuses to write
    wrong) to `second_opinion`, after the file is in place: `makecase se` shows a save sooner.
    """
    if name.endswith(".pdf"):
        if verdicts is not None and verdicts.vedlegg_accepted(data):
            return _whole(data)  # a PDF vedlegg as its case brought it (generator.load.pdfvedlegg)
        found = _pdf(data)
        digest = hashlib.sha256(data).digest()
        if found or digest in _PASSED:
            return found
        if verdicts is None or not verdicts.pdf_checked(data):
            found = failed_checks(data, validator=not later)
            if found or later:
                return found
            if verdicts is not None:
                verdicts.pdf_passed(data)
        _PASSED.add(digest)
        return found
    if name.endswith(".docx"):
        return _docx(data)
    return []


class EarlyJudge:
    """The whole judgement of each new PDF, made in the PDF helper of `makecase SAK` as soon as it has
    rendered the PDF (speed trick "judge", generator.render.forked.Judge).

    The helper imports the validator while this process loads the case and judges on the core this
    process leaves idle while it waits; the verdict comes back with the bytes. A PDF the helper found
    fault with, or could not judge, is judged here again, as if the helper had not tried: the
    refusal and its wording come from one place. A PDF the helper passed counts as judged here, in
    this process and in the output folder's verdicts.
    """

    def __init__(self, verdicts: Verdicts | None = None):
        self.verdicts = verdicts

    def warm(self) -> None:
        import threading

        self._imported = threading.Thread(target=self._import, daemon=True)
        self._imported.start()

    @staticmethod
    def _import() -> None:
        import pikepdf.pdfa  # noqa: F401 - the validator's rules, read once per process

        import generator.verify.pdf  # noqa: F401

    def judge(self, data: bytes) -> bool:
        """Whether a PDF passes the whole judgement (False: found fault, or left to the parent)."""
        self._imported.join()
        if len(data) >= LARGE:
            return False  # the parent runs the validator in a process of its own (speed trick "parallel")
        try:
            return not _pdf(data) and not failed_checks(data)
        except Exception:  # noqa: BLE001 - judged again, and reported, in the parent
            return False

    def heard(self, data: bytes, passed: bool) -> None:
        if passed is True:
            _PASSED.add(hashlib.sha256(data).digest())
            if self.verdicts is not None:
                self.verdicts.pdf_passed(data)


def early_judge(output, prefix: str) -> EarlyJudge | None:
    """Return a judge for the PDF helper where `makecase SAK` is likely to make a PDF never judged
    before (None: the trick is off, or every PDF of the case in `output` has a verdict, which a
    repeat run will find again without importing the validator at all).

    Likely means: no PDF of the case (its name begins with `prefix`, in output/ or a folder of an
    utvalg or kommunestyre), or one without a verdict (a file made by hand, or by an older makecase).
    """
    from generator import speed

    if not speed.on("judge"):
        return None
    verdicts = Verdicts(output)
    found = False
    try:
        folders = [output, *(p for p in output.iterdir() if p.is_dir() and p.name not in ("arkiv", FOLDER))]
        for folder in folders:
            for path in folder.glob(f"{prefix}*.pdf"):
                found = True
                data = path.read_bytes()
                if not verdicts.pdf_checked(data) and not verdicts.vedlegg_accepted(data):
                    return EarlyJudge(verdicts)
    except OSError:
        return EarlyJudge(verdicts)
    return None if found else EarlyJudge(verdicts)


#: A PDF this large (a meeting package) has pikepdf's validator run in a second process, at the
#: same time as makecase's own checks (speed trick "parallel"): about 2 s and 1 s for 60 cases.
LARGE = 1_000_000


def failed_checks(data: bytes, validator: bool = True) -> list[str]:
    """Return the checks of `makecase verifiser` a PDF fails, as «rule: what is checked (detail)»
    (none for a PDF that passed them all in this process: the archive takes what was just published)."""
    from generator.verify.pdf import check_bytes, validator_verdict

    if hashlib.sha256(data).digest() in _PASSED:
        return []

    # a large PDF has the validator in a second process; so has any PDF once that process runs (a
    # meeting's summons, judged before its package: this process need not import the validator)
    elsewhere = _validator_elsewhere(data) if validator and (len(data) >= LARGE or _POOL is not None) else None
    checks = check_bytes(data, validator and elsewhere is None)
    if elsewhere is not None:
        try:
            findings = elsewhere.result()
        except Exception:  # noqa: BLE001 - the second process is gone (killed, out of memory): judged here
            from generator.verify.pdfa import validate

            findings = validate(data)
        checks.append(validator_verdict(findings))
    return [f"{c.rule} {c.name}" + (f" ({c.detail})" if c.detail else "") for c in checks if not c.passed]


def _validator_elsewhere(data: bytes):
    """Return pikepdf's validator on `data` started in a second process (a Future), or None where
    there is none to start: one core, the trick switched off, or this process a pool's worker
    (which may have no children)."""
    import multiprocessing
    import os

    from generator import speed

    if not speed.on("parallel") or (os.cpu_count() or 1) < 2 or multiprocessing.current_process().daemon:
        return None
    from generator.render.forked import ctrl_c_here_only

    try:
        with ctrl_c_here_only():  # its process is started by the first submit
            return _second_process().submit(_validate, data)
    except (OSError, RuntimeError):  # no processes to be had: judged here
        return None


def prepare_second_process() -> None:
    """Start the validator's second process now, importing the validator, so that it is ready when
    a large PDF is judged (a meeting calls this before it sets its package)."""
    _validator_elsewhere(b"")


def _validate(data: bytes) -> list[str]:
    import pikepdf.pdfa  # noqa: F401 - the validator's rules, read once per process

    from generator.verify.pdfa import validate

    return validate(data) if data else []


_POOL = None


def _second_process():
    """Return the process the validator runs in, started once per process from a fresh interpreter
    (a fork of this one is unsafe once typst has run its threads here)."""
    global _POOL
    if _POOL is None:
        import multiprocessing
        import os
        from concurrent.futures import ProcessPoolExecutor

        from generator import speed
        from generator.render.forked import die_with  # it ends with makecase, however makecase ends

        context = multiprocessing.get_context("spawn")
        _POOL = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=die_with, initargs=(os.getpid(),))
        speed.at_end(close_second_process)
    return _POOL


def close_second_process() -> None:
    """Shut the validator's second process, if one was started (at the end of makecase, or a test)."""
    global _POOL
    if _POOL is not None:
        _POOL.shutdown()
        _POOL = None


def second_opinion(path, verdicts: Verdicts) -> list[str]:
    """Return what pikepdf's PDF/A validator finds in a published PDF that `later` let through
    (empty: it passes, and the verdict is kept like any other)."""
    from generator.verify.pdfa import validate

    data = path.read_bytes()
    if verdicts.pdf_checked(data):
        return []
    found = validate(data)
    if not found:
        verdicts.pdf_passed(data)
    return found


def _whole(data: bytes) -> list[str]:
    return [] if data.startswith(b"%PDF-") and b"%%EOF" in data[-64:] else ["er ikke en hel PDF-fil"]


def _pdf(data: bytes) -> list[str]:
    broken = _whole(data)
    if broken:
        return broken
    catalog = _catalog(data)
    if catalog is None:
        return ["har ingen katalog som kan leses"]
    found = [what for what, pattern in _PDF_NEEDS.items() if not re.search(pattern, catalog)]
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
