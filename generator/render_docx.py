"""Document tree → DOCX bytes, through a Word template in templates/ (the DOCX half of
the render stage).

The masthead and page furniture fill the template's fields (docxtpl, sandboxed Jinja with
autoescape and strict undefined); the body is built as a subdocument with python-docx in
the template's own styles, looked up by name. Prose never passes through Jinja as code.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

from docx.document import _Body as DocxBody
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docxtpl import DocxTemplate
from docxtpl.subdoc import Subdoc
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from generator import tree as t
from generator.errors import ProjectError

#: Style roles → Word style names the template must have (looked up by name, not id).
STYLE_MAP = {
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
    "bullet1": "List Bullet",
    "bullet2": "List Bullet 2",
    "number1": "List Number",
    "number2": "List Number 2",
    "table": "Table Grid",
    "ingress": "Ingress",
}
#: Template fields makecase fills; documented in templates/README.md.
FIELDS = (
    "organisasjon", "dokumenttype", "tittel", "felt", "saksgang", "innhold", "utkast",
    "topptekst_venstre", "topptekst_hoyre", "side_for", "side_mellom", "side_etter",
)
#: Fields every template must use: the body, and the draft mark (a draft must never look final).
REQUIRED_FIELDS = ("innhold", "utkast")
LINK_COLOR = RGBColor(0x1F, 0x4E, 0x79)
HEAD_FILL = "E8ECEF"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# After rendering, docxtpl turns "{_{" into "{{" (and "}_}", "{_%", "%_}" likewise) across
# the whole document. Writing that underscore as a character reference keeps such text literal.
_DOCXTPL_ESCAPES = re.compile(r"([{%}])_(?=[{%}])")


def _protect(xml: str) -> str:
    return _DOCXTPL_ESCAPES.sub(r"\1&#95;", xml)


class _Container:
    """A detached <w:body> whose paragraphs and tables belong to the template's document part
    (styles, numbering and hyperlinks resolve there), without loading a second document."""

    def __init__(self, document):
        self.element = SimpleNamespace(body=OxmlElement("w:body"))
        self._body = DocxBody(self.element.body, document)
        self._width = document._block_width
        self.styles = document.styles

    def add_paragraph(self, text: str = "", style=None):
        return self._body.add_paragraph(text, style)

    def add_table(self, rows: int, cols: int):
        return self._body.add_table(rows, cols, self._width)


class _Body(Subdoc):
    """The body subdocument, serialised so that docxtpl's post-processing cannot alter its text."""

    def __init__(self, tpl):  # noqa: D107 - docxtpl's Subdoc loads a whole default document here
        self.tpl = tpl
        self.docx = tpl.get_docx()
        self.subdocx = _Container(self.docx)

    def _get_xml(self) -> str:
        return _protect(super()._get_xml())

    __str__ = __html__ = _get_xml


def _value(text: str) -> Markup:
    """Return a context string escaped for XML and protected like the body."""
    return Markup(_protect(str(escape(text))))


def _jinja_message(err: TemplateError) -> str:
    """Say in Norwegian what Jinja found wrong in a template, naming the tag."""
    text = err.message or str(err)
    looking = re.search(r"looking for the following tags: (.*?)\.", text)
    if "Unexpected end of template" in text and looking:
        return f"en tagg er ikke lukket; malen slutter før {looking.group(1)}"
    unknown = re.search(r"Encountered unknown tag '([^']+)'", text)
    if unknown:
        return f"ukjent tagg «{unknown.group(1)}»"
    return text


def _once(memo: dict, source: str, make):
    """Return make(source), made once per process for each template part's source."""
    if source not in memo:
        if len(memo) > 64:  # templates were edited in a long-lived process
            memo.clear()
        memo[source] = make(source)
    return memo[source]


class _Template(DocxTemplate):
    """docxtpl's template, cleaning each part's XML for Jinja once per process: `patch_xml` is
    a function of the part's source alone, and that source is the same for every document."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml):
        return _once(self._patched, src_xml, super().patch_xml)


class _Environment(SandboxedEnvironment):
    """The sandbox, compiling each template part once per process: docxtpl compiles every part
    from its XML source on every render, and the source is the same for every document."""

    def __init__(self):
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's name
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        return _once(self._compiled, source, super().from_string)


@lru_cache(maxsize=1)
def _environment() -> SandboxedEnvironment:
    return _Environment()


def warm(templates: Path, checked_before: Callable[[bytes], bool] = lambda data: False) -> list[bytes]:
    """Read and check the Word templates before the first document (a helper does it while the
    case loads); return the bytes of each template that passed the check now.

    A template whose exact bytes `checked_before` has seen pass is only read (see
    generator.rendercache).
    """
    inside = templates.resolve()
    passed = []
    for path in sorted(templates.glob("*.docx")):
        if inside not in path.resolve().parents:
            continue
        data = path.read_bytes()
        if checked_before(data):
            _passed.add(path)
            _unused[path] = _Template(path)
            _unused[path].init_docx()
        else:
            check_template(path)
            passed.append(data)
    return passed


#: Templates read and checked but not yet filled in, one per path: the first render of each
#: uses it instead of reading the file again.
_unused: dict[Path, "_Template"] = {}
#: Templates that passed the check in this process.
_passed: set[Path] = set()


def check_template(path: Path) -> None:
    """Refuse a template that lacks a style we use or names a field we do not fill (once per process)."""
    if path not in _passed:
        _check(path)
        _passed.add(path)


def _check(path: Path) -> None:
    shown = f"templates/{path.name}"
    if not path.is_file():
        raise ProjectError(f"Fant ikke malen {shown}.")
    template = _Template(path)
    try:
        used = template.get_undeclared_template_variables(_environment())
        unknown = used - set(FIELDS)
    except TemplateError as err:
        raise ProjectError(f"Malen {shown} har en feil i et felt: {_jinja_message(err)}") from err
    except Exception as err:  # noqa: BLE001 - a damaged .docx
        raise ProjectError(f"Malen {shown} kan ikke leses som et Word-dokument ({err}).") from err
    if unknown:
        raise ProjectError(
            f"Malen {shown} bruker ukjente felt: {', '.join(sorted(unknown))}. "
            f"Kjente felt: {', '.join(FIELDS)}."
        )
    missing_fields = [name for name in REQUIRED_FIELDS if name not in used]
    if missing_fields:
        raise ProjectError(f"Malen {shown} mangler feltene: {', '.join(missing_fields)} (se templates/README.md).")
    names = {style.name for style in template.get_docx().styles}
    missing = [name for name in STYLE_MAP.values() if name not in names]
    if missing:
        raise ProjectError(f"Malen {shown} mangler stilene: {', '.join(missing)}.")
    _unused[path] = template


# --- body ----------------------------------------------------------------------------


class _BodyWriter:
    """Writes tree blocks into a docxtpl subdocument using the template's styles."""

    def __init__(self, subdoc, numbering, text_width: int):
        self.doc = subdoc
        self.numbering = numbering
        self.text_width = text_width  # EMU
        # Looking a style up by name walks every style (and python-docx does it for every
        # paragraph): resolve each role once, and set the style id directly.
        self.styles = {role: subdoc.styles[name] for role, name in STYLE_MAP.items()}
        self.ids = {role: style.style_id for role, style in self.styles.items()}

    def paragraph(self, role: str | None = None):
        """Add a paragraph in the style of a role (None: the template's Normal)."""
        paragraph = self.doc.add_paragraph()
        if role is not None:
            paragraph._p.style = self.ids[role]
        return paragraph

    def blocks(self, blocks, depth: int = 0) -> None:
        for block in blocks:
            self.block(block, depth)

    def block(self, block: t.Block, depth: int) -> None:
        if isinstance(block, t.Heading):
            self.inlines(self.paragraph(f"heading{min(block.level, 4)}"), block.content)
        elif isinstance(block, t.Paragraph):
            self.inlines(self.paragraph("ingress" if block.role == "ingress" else None), block.content)
        elif isinstance(block, t.BulletList):
            self.list(block, depth, "bullet")
        elif isinstance(block, t.OrderedList):
            self.list(block, depth, "number")
        elif isinstance(block, t.Table):
            self.table(block)
        elif isinstance(block, t.PageBreak):
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise TypeError(f"unknown block {type(block).__name__}")

    def list(self, block, depth: int, kind: str) -> None:
        role = f"{kind}{min(depth + 1, 2)}"
        num_id = self._restart(self.styles[role], block.start) if kind == "number" else None
        for item in block.items:
            first, *rest = item or (t.Paragraph(()),)
            if isinstance(first, t.Paragraph):
                paragraph = self.paragraph(role)
                if num_id is not None:
                    self._number(paragraph, num_id)
                self.inlines(paragraph, first.content)
            else:
                rest = [first, *rest]
            self.blocks(rest, depth + 1)

    def _restart(self, style, start: int) -> int | None:
        """Return a new numbering instance for an ordered list, so each list starts at `start`."""
        ppr = style.element.pPr
        if ppr is None or ppr.numPr is None or ppr.numPr.numId is None:
            return None
        numbering = self.numbering
        old = numbering.num_having_numId(ppr.numPr.numId.val)
        num = numbering.add_num(old.abstractNumId.val)
        num.add_lvlOverride(ilvl=0).add_startOverride(start)
        return num.numId

    @staticmethod
    def _number(paragraph, num_id: int) -> None:
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = num_id

    def table(self, block: t.Table) -> None:
        columns = len(block.header or block.rows[0]) if (block.header or block.rows) else 1
        rows = list(block.rows)
        table = self.doc.add_table(rows=len(rows) + (1 if block.header else 0), cols=columns)
        if block.borders:
            table._tbl.tblStyle_val = self.ids["table"]
        table.autofit = False
        all_rows = ([block.header] if block.header else []) + rows
        fractions = block.widths or tuple(1 / columns for _ in range(columns))
        set_column_widths(table, [int(self.text_width * f) for f in fractions])
        for r, (row, cells) in enumerate(zip(table.rows, all_rows)):
            for column, (cell, content) in enumerate(zip(row.cells, cells)):
                paragraph = cell.paragraphs[0]
                paragraph.paragraph_format.space_after = Pt(0)
                if block.alignment(column) == "right":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.inlines(paragraph, content, bold=bool(block.header) and r == 0)
                if block.header and r == 0:
                    shade(cell, HEAD_FILL)
            if block.header and r == 0:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def inlines(self, paragraph, inlines: t.Inlines, bold=False, italic=False, link=None) -> None:
        for node in inlines:
            if isinstance(node, t.Text):
                run = _run(paragraph, node.text)
                if bold:  # setting False or None would still add an empty <w:rPr> to every run
                    run.bold = True
                if italic:
                    run.italic = True
                if link is not None:
                    run.font.color.rgb = LINK_COLOR
                    run.font.underline = True
                    link.append(run._r)
            elif isinstance(node, t.Bold):
                self.inlines(paragraph, node.children, True, italic, link)
            elif isinstance(node, t.Italic):
                self.inlines(paragraph, node.children, bold, True, link)
            elif isinstance(node, t.Link):
                self.inlines(paragraph, node.children, bold, italic, self._hyperlink(paragraph, node.url))
            elif isinstance(node, t.LineBreak):
                run = paragraph.add_run()
                run.add_break()
                if link is not None:
                    link.append(run._r)

    def _hyperlink(self, paragraph, url: str):
        element = OxmlElement("w:hyperlink")
        element.set(qn("r:id"), paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True))
        paragraph._p.append(element)
        return element


def _run(paragraph, text: str):
    """Add a run of text. python-docx's run.text walks the text a character at a time (for tabs
    and line breaks); prose text has neither, so write the <w:t> directly."""
    if "\t" in text or "\n" in text or "\r" in text:
        return paragraph.add_run(text)
    run = paragraph.add_run()
    element = OxmlElement("w:t")
    element.text = text
    element.set(qn("xml:space"), "preserve")
    run._r.append(element)
    return run


def set_column_widths(table, widths: list[int]) -> None:
    """Set column widths (EMU) in the grid and in every cell; Word reads one, LibreOffice the other."""
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


# --- document ------------------------------------------------------------------------


def _context(document: t.Document, innhold) -> dict:
    head, info = document.masthead, document.info
    before, _, rest = info.page_label.partition("{side}")
    middle, _, after = rest.partition("{sider}")
    saksgang = head.saksgang
    return {
        "organisasjon": _value(head.organisation),
        "dokumenttype": _value(head.doctype),
        "tittel": _value(info.title),
        "felt": [{"nokkel": f.key, "etikett": _value(f.label), "verdi": _value(f.value)} for f in head.fields],
        "saksgang": {
            "hode": [_value(t.plain(c)) for c in saksgang.header] if saksgang and saksgang.header else [],
            "rader": [[_value(t.plain(c)) for c in row] for row in saksgang.rows] if saksgang else [],
        },
        "innhold": innhold,
        "utkast": _value(info.watermark or ""),
        "topptekst_venstre": _value(info.running_left),
        "topptekst_hoyre": _value(info.running_right),
        "side_for": _value(before),
        "side_mellom": _value(middle),
        "side_etter": _value(after),
    }


def _short(text: str, limit: int = 255) -> str:
    """Return text within the 255 characters a DOCX core property may hold."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _core_properties(docx, info: t.DocInfo) -> None:
    """Set metadata from the case, never from the clock (same input, same bytes)."""
    when = dt.datetime.combine(info.date or dt.date(2000, 1, 1), dt.time(0, 0))
    core = docx.core_properties
    core.title, core.author, core.subject = _short(info.title), _short(info.author), _short(info.subject)
    core.language, core.last_modified_by = info.language, _short(info.author)
    core.created = core.modified = when
    core.last_printed = when
    core.revision = 1
    core.comments = core.keywords = core.category = ""


def _stable_zip(data: bytes) -> bytes:
    """Return the DOCX with every zip entry dated 1980-01-01, so re-rendering gives identical bytes.

    The date sits at fixed offsets in each local header (+10) and central directory entry
    (+12): patch it there instead of decompressing and recompressing every part.
    """
    out = bytearray(data)
    stamp = struct.pack("<HH", 0, (0 << 9) | (1 << 5) | 1)  # DOS time 00:00:00, date 1980-01-01
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for item in package.infolist():
            out[item.header_offset + 10:item.header_offset + 14] = stamp
    directory = data.rfind(b"PK\x05\x06")
    count, size, start = struct.unpack_from("<HII", data, directory + 10)
    position = start
    for _ in range(count):
        out[position + 12:position + 16] = stamp
        name, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        position += 46 + name + extra + comment
    return bytes(out)


def render(document: t.Document, templates: Path) -> bytes:
    """Return the DOCX of a document, filled into templates/<template>.docx."""
    path = templates / f"{document.template}.docx"
    if templates.resolve() not in path.resolve().parents:
        raise ProjectError(f"Malen templates/{path.name} peker ut av prosjektmappen ({path.resolve()}); det er ikke tillatt.")
    check_template(path)
    template = _unused.pop(path, None) or _Template(path)
    docx = template.get_docx()
    subdoc = _Body(template)
    section = docx.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    _BodyWriter(subdoc, docx.part.numbering_part.element, text_width).blocks(document.body)
    try:
        template.render(_context(document, subdoc), jinja_env=_environment(), autoescape=True)
    except TemplateError as err:
        raise ProjectError(f"Malen templates/{path.name} kunne ikke fylles ut: {err.message}") from err
    _core_properties(template.docx, document.info)  # not get_docx(): it reloads after render
    buffer = io.BytesIO()
    template.save(buffer)
    return _stable_zip(buffer.getvalue())
