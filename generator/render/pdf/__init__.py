"""Document tree → tagged PDF/A-2a and PDF/UA-1, laid out by the typst templates in templates/
(the PDF half of the render stage).

The template for a document is templates/<template>.typ; it gets the document as JSON
(generator.render.pdf.data) in `sys.inputs`, never as markup, so no text of a case can be read as
typst code. typst writes the structure tree (headings, paragraphs, lists, tables with header
cells), marks running headers, footers and the draft mark as artifacts, embeds the shipped
fonts with their Unicode mappings, and takes the date from the case: the same tree gives the
same bytes. One compiler per process keeps the fonts and typst's caches between documents.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import typst

from generator import tree as t
from generator.render.pdf import data as treedata
from generator.errors import ProjectError

#: Every PDF claims both, and typst refuses to write a file that breaks either.
STANDARDS = ["a-2a", "ua-1"]
#: Documents without a date of their own are dated this day (no clock time goes into a file).
EPOCH = dt.date(2000, 1, 1)
_WHERE = re.compile(r"┌─ (?P<file>[^\n:]+):(?P<line>\d+):(?P<column>\d+)")


@lru_cache(maxsize=1)
def _fonts() -> typst.Fonts:
    """The shipped fonts (Liberation Sans, DejaVu Sans) and typst's own, never the system's:
    the same document looks the same on every machine."""
    with resources.as_file(resources.files("generator").joinpath("fonts")) as folder:
        return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(folder)])


@lru_cache(maxsize=4)
def _compiler(root: Path) -> typst.Compiler:
    return typst.Compiler(root=str(root), font_paths=_fonts(), ignore_system_fonts=True)


def compiled() -> bool:
    """Whether this process has compiled a document (and so runs typst's threads)."""
    return _compiler.cache_info().currsize > 0 or watermark.cache_info().currsize > 0


def warm() -> None:
    """Load the fonts before the first document (a helper does it while the case loads)."""
    _fonts()


def _timestamp(date: dt.date | None) -> dt.datetime:
    return dt.datetime.combine(date or EPOCH, dt.time(0, 0), tzinfo=dt.timezone.utc)


@lru_cache(maxsize=4)
def watermark(text: str) -> str:
    """Return the draft mark as SVG outlines (typst's SVG export draws glyphs as paths): as an
    image behind the page it is seen, but is not text that extraction or a screen reader finds."""
    source = ('#set page(width: auto, height: auto, margin: 0pt, fill: none)\n'
              '#text(font: "Liberation Sans", weight: "bold", size: 110pt, fill: rgb("#f4d0d0"), '
              'sys.inputs.mark)')
    svg = typst.Compiler(font_paths=_fonts(), ignore_system_fonts=True).compile(
        input=source.encode(), format="svg", sys_inputs={"mark": text})
    return svg.decode()


def _template(templates: Path, name: str) -> Path:
    path = templates / f"{name}.typ"
    if templates.resolve() not in path.resolve().parents:
        raise ProjectError(f"Malen templates/{path.name} peker ut av prosjektmappen ({path.resolve()}); det er ikke tillatt.")
    if not path.is_file():
        raise ProjectError(f"Fant ikke malen templates/{path.name}.")
    return path


def _error(path: Path, err: typst.TypstError) -> ProjectError:
    """Say in Norwegian where typst found a template wrong: its file and line."""
    where = _WHERE.search(err.diagnostic or "")
    place = f"templates/{path.name}"
    if where:
        place = f"templates/{Path(where.group('file')).name}, linje {where.group('line')}"
    hints = "".join(f" ({hint})" for hint in err.hints[:1])
    return ProjectError(f"Malen {place} kan ikke settes: {err.message}{hints}.")


def _compile(path: Path, templates: Path, inputs: dict[str, str], info: t.DocInfo, query: str | None = None):
    """Return the PDF typst makes of a template with its inputs; with `query`, also what the
    document's elements of that label say (as JSON), asked of the same compilation."""
    if info.watermark:
        inputs = {**inputs, "utkast": watermark(info.watermark)}
    compiler = _compiler(templates.parent.resolve())
    try:
        pdf, warnings = compiler.compile_with_warnings(input=str(path), format="pdf", sys_inputs=inputs,
                                                       pdf_standards=STANDARDS, timestamp=_timestamp(info.date))
        _refuse_missing_fonts(path, warnings)
        return pdf if query is None else (pdf, compiler.query(query))
    except typst.TypstError as err:
        raise _error(path, err) from err


def _refuse_missing_fonts(path: Path, warnings) -> None:
    """Refuse a template that asks for a font makecase does not have: typst only warns, and sets
    the text in a fallback font without its bold (an IT person's review found a changed font
    silently ignored)."""
    missing = [w for w in warnings if w.message.startswith("unknown font family:")]
    if missing:
        where = _WHERE.search(missing[0].diagnostic or "")
        place = f"templates/{Path(where.group('file')).name}, linje {where.group('line')}" if where else f"templates/{path.name}"
        names = ", ".join(dict.fromkeys(f"«{_as_written(path.parent, w.message.split(':', 1)[1].strip())}»"
                                        for w in missing))
        known = ", ".join(_fonts().families())
        raise ProjectError(f"Malen {place} ber om en skrift makecase ikke har ({names}); PDF-malene kan bruke skriftene "
                           f"som følger med makecase: {known} (systemets skrifter brukes ikke, så PDF-en blir den samme "
                           "på alle maskiner).")


def _as_written(templates: Path, family: str) -> str:
    """Return a font family as a template spells it (typst names it in lower case)."""
    for path in sorted(templates.glob("*.typ")):
        found = re.search(re.escape(family), path.read_text(encoding="utf-8", errors="replace"), re.IGNORECASE)
        if found:
            return found.group()
    return family


def render(document: t.Document | t.Bundle, templates: Path) -> bytes:
    """Return the tagged PDF/A-2a and PDF/UA-1 of a document, laid out by templates/<template>.typ
    (a meeting package by templates/motepakke.typ)."""
    if isinstance(document, t.Bundle):
        return render_bundle(document, templates)
    path = _template(templates, document.template)
    return _compile(path, templates, {"dokument": treedata.dumps(treedata.document(document))}, document.info)


#: The template that lays out a meeting package.
BUNDLE = "motepakke"


def render_bundle(bundle: t.Bundle, templates: Path) -> bytes:
    """Return a meeting package as one tagged PDF, laid out by templates/motepakke.typ."""
    path = _template(templates, BUNDLE)
    inputs = {"pakke": treedata.dumps(treedata.bundle(bundle))}
    if not any(part.pdf for part in bundle.parts):
        return _compile(path, templates, inputs, bundle.info)
    from generator.render.pdf import foreign

    pdf, queried = _compile(path, templates, inputs, bundle.info, foreign.LABEL)
    return foreign.place(pdf, bundle, foreign.slots(queried))
