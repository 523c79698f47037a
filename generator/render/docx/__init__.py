"""Document tree → DOCX bytes, through a Word template in templates/ (the DOCX half of
the render stage).

The masthead and page furniture fill the template's fields (docxtpl, sandboxed Jinja with
autoescape and strict undefined); the body is built as a subdocument with python-docx in
the template's own styles, found by id or by any name Word and LibreOffice give them
(generator.render.docx.styles). Prose never passes through Jinja as code. The package around the
document (properties, proofing language, a draft's watermark, a stable zip) is finished
here and in generator.render.docx.package.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from docx.document import _Body as DocxBody
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from docxtpl.subdoc import Subdoc
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from lxml.etree import SubElement
from markupsafe import Markup, escape

from generator import __version__
from generator.render.docx import package as wordpackage
from generator.render.docx import styles as wordstyles
from generator import tree as t
from generator.errors import ProjectError
from generator.render.limits import RENDER_SECONDS, time_limit

#: Template fields makecase fills; documented in templates/README.md.
FIELDS = (
    "organisasjon", "brevhode", "dokumenttype", "tittel", "felt", "saksgang", "innhold", "utkast", "skjerming",
    "topptekst_venstre", "topptekst_hoyre", "side_for", "side_mellom", "side_etter",
)
#: Fields every template must use: the body, and the marks a draft and a closed case carry on
#: every page (a draft must never look final, a closed case never open).
REQUIRED_FIELDS = ("innhold", "utkast", "skjerming")
#: EMU in a twentieth of a point, the unit of Word's table widths.
TWIP = 635
#: The documents' language (BCP 47) → Word's proofing language.
WORD_LANGUAGE = {"nb": "nb-NO", "nn": "nn-NO"}
#: What reading a damaged or foreign file as a Word template raises.
UNREADABLE = (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError, OSError)


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
        self.part = document.part

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
        wanted = " eller ".join(f"«{{% {tag} %}}»" for tag in re.findall(r"'([^']+)'", looking.group(1)))
        block = re.search(r"innermost block that needs to be closed is '([^']+)'", text)
        opened = f"«{{% {block.group(1)} … %}}»" if block else "en tagg"
        return f"{opened} er ikke lukket: malen slutter før {wanted}"
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

    def resolve_listing(self, xml):
        """Turn tabs, line and page breaks in filled-in text into Word's elements, as docxtpl does,
        but only where the part has any: docxtpl searches every run of every part for them, and
        makecase writes its own text with Word's elements already."""
        return super().resolve_listing(xml) if any(c in xml for c in "\t\n\a\f") else xml

    def render_properties(self, context, jinja_env=None) -> None:
        """Leave the core properties alone: makecase writes them from the case
        (generator.render.docx.package), and reading them here would make python-docx add a second
        docProps/core.xml to a package LibreOffice saved."""


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


def warm(templates: Path) -> None:
    """Read and check the Word templates before the first document (a helper does it while the
    case loads, off the critical path)."""
    inside = templates.resolve()
    for path in sorted(templates.glob("*.docx")):
        if inside in path.resolve().parents:
            check_template(path)


#: The three below are kept by a template's version (its path and the digest of its bytes), so
#: that a template saved while `makecase se` runs is read and checked again.
#: Templates read and checked but not yet filled in: the first render of each uses it instead
#: of reading the file again.
_unused: dict[tuple, "_Template"] = {}
#: Templates that passed the check in this process.
_passed: set[tuple] = set()
#: The style id each role has in a template checked in this process.
_style_ids: dict[tuple, dict[str, str]] = {}


def _version(path: Path) -> tuple:
    """Return what names a template's content: its path and the digest of its bytes (None: unreadable)."""
    try:
        return path, hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return path, None


def check_template(path: Path) -> tuple:
    """Refuse a template that lacks a style we use or names a field we do not fill (once per
    process and version of the template); return the version checked."""
    version = _version(path)
    if version not in _passed:
        _check(path, version)
        _passed.add(version)
    return version


class _UnclosedTag(Exception):
    """A field or tag that does not close in the paragraph it opens in."""


_DELIMITERS = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSES = {"{{": "}}", "{%": "%}", "{#": "#}"}


#: Tags that would read another template: there is none to read (the sandbox has no loader).
_OUTSIDE = re.compile(r"\{%-?\s*(include|import|from|extends)\b")


def _check_tags(docx) -> None:
    """Refuse a field or tag left open in its paragraph («{{ dokumenttype» without «}}»).

    docxtpl cleans Word's markup out of everything between an opening and the next closing
    delimiter, wherever that is: an unclosed field swallows the paragraphs after it, and the
    document loses them without a word. Every field must therefore close where it opens.
    """
    for root in _stories(docx):
        for paragraph in root.iter(qn("w:p")):
            text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
            opened = None
            for match in _DELIMITERS.finditer(text):
                token = match.group()
                if token in _CLOSES:
                    if opened is not None:
                        break
                    opened = match
                elif opened is not None and token == _CLOSES[opened.group()]:
                    opened = None
            if opened is not None:
                start = opened.start()
                shown = text[start:start + 40].strip()
                raise _UnclosedTag(f"«{shown}» lukkes ikke med «{_CLOSES[opened.group()]}» i samme avsnitt")
            outside = _OUTSIDE.search(text)
            if outside:
                raise _UnclosedTag(f"«{outside.group(1)}» henter noe utenfor malen, og det kan ikke en mal gjøre; "
                                   "alt malen viser, må stå i den")


def _check(path: Path, version: tuple) -> None:
    shown = f"templates/{path.name}"
    if not path.is_file():
        raise ProjectError(f"Fant ikke malen {shown}.")
    try:
        template = _Template(path)
        _check_tags(template.get_docx())
        used = template.get_undeclared_template_variables(_environment())
        _, missing_styles = wordstyles.resolve(template.get_docx().styles)
    except TemplateError as err:
        raise ProjectError(f"Malen {shown} har en feil i et felt: {_jinja_message(err)}") from err
    except _UnclosedTag as err:
        raise ProjectError(f"Malen {shown} har en feil i et felt: {err}") from err
    except UNREADABLE as err:
        raise ProjectError(f"Malen {shown} kan ikke leses som et Word-dokument ({err}).") from err
    _style_ids[version] = wordstyles.resolve(template.get_docx().styles)[0]
    unknown = used - set(FIELDS)
    if unknown:
        raise ProjectError(
            f"Malen {shown} bruker ukjente felt: {', '.join(sorted(unknown))}. "
            f"Kjente felt: {', '.join(FIELDS)}."
        )
    missing_fields = [name for name in REQUIRED_FIELDS if name not in used]
    if missing_fields:
        raise ProjectError(f"Malen {shown} mangler feltene: {', '.join(missing_fields)} (se templates/README.md).")
    if missing_styles:
        names = ", ".join(f"«{role.name}» ({role.use})" for role in missing_styles)
        raise ProjectError(f"Malen {shown} mangler stilene: {names} (se templates/README.md).")
    _unused[version] = template


# --- body ----------------------------------------------------------------------------

#: tblLook's bits (ECMA-376 17.4.56): which of a table style's conditional formats apply.
_LOOK = {"firstRow": 0x0020, "lastRow": 0x0040, "firstColumn": 0x0080, "lastColumn": 0x0100,
         "noHBand": 0x0200, "noVBand": 0x0400}


def table_look(table, header: bool, footer: bool) -> None:
    """Say which rows the table style sets off: the header row, the closing (SUM) row; no banding."""
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        table._tbl.tblPr.append(look)
    flags = {"firstRow": header, "lastRow": footer, "firstColumn": False, "lastColumn": False,
             "noHBand": True, "noVBand": True}
    for name, on in flags.items():
        look.set(qn(f"w:{name}"), "1" if on else "0")
    look.set(qn("w:val"), f"{sum(_LOOK[name] for name, on in flags.items() if on):04X}")


#: A table of this many rows or fewer (header and SUM row counted) is never split across pages:
#: the same rule as the typst template's `short-table`.
SHORT_TABLE = 12


def keep_together(table, short: bool) -> None:
    """Keep the paragraph before a table on the page where the table begins (it introduces the
    table), and a short table on one page: each row whole, each row's paragraphs kept with the next
    row. The table styles ask the same of Word, but LibreOffice ignores a table style's paragraph
    properties and left «Utgifter:» and its text on one page and the budget table alone on the next."""
    previous = table._tbl.getprevious()
    if previous is not None and previous.tag == _P:
        Paragraph(previous, table._parent).paragraph_format.keep_with_next = True
    if not short:
        return
    for index, row in enumerate(table.rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if index < len(table.rows) - 1:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True


def content_widths(block: t.Table) -> tuple[float, ...]:
    """Return column widths for a table that gives none: each column as wide as its longest
    line of text (within bounds, but never narrower than its longest word, which Word would
    break inside: «Lukk/et»), the widest text column taking what is left."""
    cells = [[t.plain(row[i]) for row in block.all_rows if i < len(row)] for i in range(block.columns)]
    longest = [max((len(text) for text in column), default=0) for column in cells]
    if not any(longest):
        return tuple(1 / block.columns for _ in longest)
    words = [max((len(word) for text in column for word in text.split()), default=0) for column in cells]
    widest = longest.index(max(longest))
    # about 1.55 % of the text width per character of bold 10 pt, and 2.5 % for the cell's margins
    narrow = [max(min(max(n, 4), 24), word) * 0.0155 + 0.025 for n, word in zip(longest, words)]
    rest = max(1 - sum(w for i, w in enumerate(narrow) if i != widest), 0.3)
    widths = [rest if i == widest else w for i, w in enumerate(narrow)]
    return tuple(w / sum(widths) for w in widths)


#: How far each list level steps in, in twips (the list styles' own: 360 and 720).
LIST_INDENT = 360
_P, _PPR, _PSTYLE, _R, _RPR, _RSTYLE, _B, _I, _T, _BR, _TAB, _NUMPR, _ILVL, _NUMID, _HYPERLINK = (
    qn(f"w:{name}") for name in ("p", "pPr", "pStyle", "r", "rPr", "rStyle", "b", "i", "t", "br", "tab",
                                 "numPr", "ilvl", "numId", "hyperlink"))
_VAL, _SPACE = qn("w:val"), qn("xml:space")
_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")


class _BodyWriter:
    """Writes tree blocks into a docxtpl subdocument in the template's styles.

    Paragraphs and runs are made as elements directly (in the order WordprocessingML wants
    their children): python-docx's API looks up where each child goes among every element it
    may follow, and for the thousands of runs of a long document that was most of its time.
    Tables, with their grid and cells, are made through python-docx.
    """

    def __init__(self, subdoc, numbering, text_width: int, style_ids: dict[str, str]):
        self.doc = subdoc
        self.element = subdoc.element.body  # where blocks go: the body, or a frame's cell
        self.part = subdoc.part
        self.numbering = numbering
        self.text_width = text_width  # EMU
        self.ids = style_ids
        self.styles = {style.style_id: style for style in subdoc.styles}

    def paragraph(self, role: str | None = None):
        """Add a paragraph in the style of a role (None: the template's Normal)."""
        paragraph = SubElement(self.element, _P)
        if role is not None:
            SubElement(SubElement(paragraph, _PPR), _PSTYLE).set(_VAL, self.ids[role])
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
        elif isinstance(block, t.Framed):
            self.frame(block, depth)
        elif isinstance(block, t.PageBreak):
            SubElement(SubElement(self.paragraph(), _R), _BR).set(qn("w:type"), "page")
        else:
            raise TypeError(f"unknown block {type(block).__name__}")

    def list(self, block, depth: int, kind: str) -> None:
        role = f"{kind}{min(depth + 1, 2)}"
        num_id = self._restart(self.styles[self.ids[role]], block.start) if kind == "number" else None
        for item in block.items:
            first, *rest = item or (t.Paragraph(()),)
            if isinstance(first, t.Paragraph):
                paragraph = self.paragraph(role)
                if num_id is not None:
                    self._number(paragraph, num_id)
                if depth >= 2:  # the styles give two levels; deeper ones step in as far again each
                    indent = SubElement(paragraph.find(_PPR), qn("w:ind"))
                    indent.set(qn("w:left"), str(LIST_INDENT * (depth + 1)))
                    indent.set(qn("w:hanging"), str(LIST_INDENT))
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
        """Give a list paragraph (which has its style, so its pPr) the list's own numbering."""
        numpr = SubElement(paragraph.find(_PPR), _NUMPR)
        SubElement(numpr, _ILVL).set(_VAL, "0")
        SubElement(numpr, _NUMID).set(_VAL, str(num_id))

    def table(self, block: t.Table) -> None:
        """Add a table in the template's table style: the style draws borders, padding, the
        header row's shading and bold and the SUM row's rule; cells carry only the alignment
        of amounts. The header row repeats on each page and tells screen readers what it is."""
        rows = block.all_rows
        if not rows:
            return
        columns = block.columns
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table._tbl.tblStyle_val = self.ids["table" if block.borders else "table_plain"]
        table_look(table, header=block.header is not None, footer=block.footer is not None)
        table.autofit = False
        fractions = block.widths or content_widths(block)
        widths = [int(self.text_width * f) // TWIP * TWIP for f in fractions]  # whole twips: never wider than the text
        for column, width in zip(table.columns, widths):
            column.width = width
        for row, cells in zip(table.rows, rows):
            for column, (cell, content) in enumerate(zip(row.cells, cells)):
                cell.width = widths[column]
                paragraph = cell.paragraphs[0]
                if block.alignment(column) == "right":
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                self.inlines(paragraph._p, content)
        if block.header is not None:
            table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        keep_together(table, len(rows) <= SHORT_TABLE)


    def frame(self, block: t.Framed, depth: int) -> None:
        """Add blocks in a frame: a table of one cell in the template's frame style, which
        draws the box and its fill. Paragraphs and lists keep their own styles and indents
        inside it (paragraph borders would break the box wherever the indent changes)."""
        table = self.doc.add_table(rows=1, cols=1)
        table._tbl.tblStyle_val = self.ids["frame"]
        table_look(table, header=False, footer=False)
        table.autofit = False
        table.columns[0].width = table.rows[0].cells[0].width = self.text_width
        cell = table.rows[0].cells[0]
        placeholder = cell.paragraphs[0]
        outer = self.doc, self.element
        self.doc, self.element = cell, cell._tc
        try:
            self.blocks(block.blocks, depth)
        finally:
            self.doc, self.element = outer
        if len(cell.paragraphs) > 1 and cell._tc[-1].tag == qn("w:p"):  # a cell must end with a paragraph
            placeholder._p.getparent().remove(placeholder._p)

    def inlines(self, parent, inlines: t.Inlines, bold=False, italic=False, link=False) -> None:
        """Add inline content to a paragraph (or a hyperlink in it) as runs."""
        for node in inlines:
            if isinstance(node, t.Text):
                _run(parent, node.text, bold, italic, self.ids["link"] if link else None, WORD_LANGUAGE.get(node.lang))
            elif isinstance(node, t.Bold):
                self.inlines(parent, node.children, True, italic, link)
            elif isinstance(node, t.Italic):
                self.inlines(parent, node.children, bold, True, link)
            elif isinstance(node, t.Link):
                self.inlines(self._hyperlink(parent, node.url), node.children, bold, italic, True)
            elif isinstance(node, t.LineBreak):
                SubElement(SubElement(parent, _R), _BR)

    def _hyperlink(self, parent, url: str):
        element = SubElement(parent, _HYPERLINK)
        element.set(qn("r:id"), self.part.relate_to(url, RT.HYPERLINK, is_external=True))
        return element


def _run(parent, text: str, bold: bool, italic: bool, style: str | None, lang: str | None = None) -> None:
    """Add a run of text: character style, bold, italic and a language of its own only where they
    apply; tabs and line breaks in the text as Word's own elements."""
    run = SubElement(parent, _R)
    if bold or italic or style or lang:
        properties = SubElement(run, _RPR)
        if style:
            SubElement(properties, _RSTYLE).set(_VAL, style)
        if bold:
            SubElement(properties, _B)
        if italic:
            SubElement(properties, _I)
        if lang:
            SubElement(properties, qn("w:lang")).set(_VAL, lang)
    for piece in _BREAKS.split(text) if ("\t" in text or "\n" in text or "\r" in text) else (text,):
        if piece == "\t":
            SubElement(run, _TAB)
        elif piece in ("\n", "\r", "\r\n"):
            SubElement(run, _BR)
        elif piece:
            element = SubElement(run, _T)
            element.text = piece
            element.set(_SPACE, "preserve")


# --- document ------------------------------------------------------------------------


#: The logo's height on the page.
LOGO_HEIGHT_MM = 14
_PNG = b"\x89PNG\r\n\x1a\n"


@lru_cache(maxsize=4)
def _logo_png(root: Path, logo: str, data: bytes) -> bytes:
    """Return the logo as PNG: Word needs a bitmap, and typst draws an SVG as one (300 ppi)."""
    if data.startswith(_PNG):
        return data
    import typst

    source = b'#set page(width: auto, height: auto, margin: 0pt, fill: none)\n#image(sys.inputs.logo, height: 28mm)'
    return typst.Compiler(root=str(root), ignore_system_fonts=True).compile(
        input=source, format="png", ppi=300, sys_inputs={"logo": f"/{logo}"})


class _Logo:
    """The letterhead's logo as an inline picture with its description (wp:docPr/@descr), which
    Word reads aloud and shows as alternative text."""

    def __init__(self, template, root: Path, head: t.Letterhead):
        self.template, self.root, self.head = template, root, head

    def __html__(self) -> str:
        from docx.shared import Mm

        path = self.root / self.head.logo
        png = _logo_png(self.root, self.head.logo, path.read_bytes())
        inline = self.template.current_rendering_part.new_pic_inline(io.BytesIO(png), None, Mm(LOGO_HEIGHT_MM))
        inline.docPr.set("descr", self.head.alt or "")
        inline.docPr.set("name", "Logo")
        drawing = etree.tostring(inline, encoding="unicode")  # not python-docx's .xml, which is pretty-printed
        return f'</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r><w:t xml:space="preserve">'

    __str__ = __html__


def _letterhead(template, root: Path, head: t.Letterhead | None, organisation: str) -> dict:
    if head is None:
        return {"navn": _value(organisation), "linjer": "", "logo": ""}
    logo = _Logo(template, root, head) if head.logo else ""  # drawn when Jinja reaches it, in that part
    return {"navn": _value(head.name), "linjer": _value("  ·  ".join(head.lines)), "logo": logo}


def _context(document: t.Document, innhold, brevhode: dict) -> dict:
    head, info = document.masthead, document.info
    before, _, rest = info.page_label.partition("{side}")
    middle, _, after = rest.partition("{sider}")
    saksgang = head.saksgang
    return {
        "organisasjon": _value(head.organisation),
        "brevhode": brevhode,
        "dokumenttype": _value(head.doctype),
        "tittel": _value(info.title),
        "felt": [{"nokkel": f.key, "etikett": _value(f.label), "verdi": _value(f.value)} for f in head.fields],
        "saksgang": {
            "hode": [_value(t.plain(c)) for c in saksgang.header] if saksgang and saksgang.header else [],
            "rader": [[_value(t.plain(c)) for c in row] for row in saksgang.rows] if saksgang else [],
        },
        "innhold": innhold,
        "utkast": _value(info.watermark or ""),
        "skjerming": _value(info.restriction or ""),
        "topptekst_venstre": _value(info.running_left),
        "topptekst_hoyre": _value(info.running_right),
        "side_for": _value(before),
        "side_mellom": _value(middle),
        "side_etter": _value(after),
    }


def _stories(docx) -> list:
    """Return the root elements of the document, its headers and its footers."""
    found = [docx.element]
    for rel in docx.part.rels.values():
        if rel.reltype in (RT.HEADER, RT.FOOTER):
            found.append(rel.target_part.element)
    return found


def _set_language(docx, tag: str) -> None:
    """Make Word proof, hyphenate and read the document aloud in its own language: every
    language the template sets (defaults, styles, its own text), the theme's, and the
    Norwegian decimal comma and list separator."""
    defaults = docx.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
    if rpr is not None and rpr.find(qn("w:lang")) is None:
        rpr.append(OxmlElement("w:lang"))
    for root in (docx.styles.element, *_stories(docx)):
        for lang in root.iter(qn("w:lang")):
            lang.set(qn("w:val"), tag)
    settings = docx.settings.element
    for name, value in (("w:themeFontLang", tag), ("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        found = settings.find(qn(name))
        if found is not None:
            found.set(qn("w:val"), value)


#: Word's own watermark (Design → Watermark → custom text): a VML text path across the page,
#: anchored in the header so that it is on every page, behind the text.
_WATERMARK = """<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:w10="urn:schemas-microsoft-com:office:word"><w:rPr><w:noProof/></w:rPr><w:pict>
<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">
<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>
<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>
<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>
<v:f eqn="sum @6 0 @5"/></v:formulas>
<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>
<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>
<o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>
<v:shape id="PowerPlusWaterMarkObject{number}" o:spid="_x0000_s{spid}" type="#_x0000_t136"
 style="position:absolute;margin-left:0;margin-top:0;width:440pt;height:146pt;rotation:315;z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin"
 o:allowincell="f" fillcolor="#e8a0a0" stroked="f"><v:fill opacity=".5"/>
<v:textpath style="font-family:&quot;Liberation Sans&quot;;font-size:1pt;font-weight:bold" string="{text}"/>
<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>"""


def _add_watermark(docx, text: str) -> None:
    """Put the draft mark diagonally across every page, as Word's watermark does."""
    headers = [rel.target_part.element for rel in docx.part.rels.values() if rel.reltype == RT.HEADER]
    for number, header in enumerate(headers, start=1):
        first = header.find(qn("w:p"))
        if first is None:
            first = OxmlElement("w:p")
            header.append(first)
        mark = parse_xml(_WATERMARK.format(number=number, spid=2048 + number, text=str(escape(text))))
        ppr = first.find(qn("w:pPr"))
        first.insert(0 if ppr is None else 1, mark)


def _ensure_core_properties(docx) -> None:
    """Make sure the package has docProps/core.xml, whose content wordpackage then writes.

    LibreOffice relates that part under a relationship type of its own, which python-docx does
    not recognise: asking python-docx for the core properties would then add a second
    docProps/core.xml to the zip. So the part is looked for by name first."""
    if not any(str(part.partname) == f"/{wordpackage.CORE_PART}" for part in docx.part.package.iter_parts()):
        docx.core_properties  # noqa: B018 - python-docx adds the part when it is asked for it


def _properties(info: t.DocInfo) -> wordpackage.Properties:
    """Return the document properties: from the case, never from the clock (same input, same bytes)."""
    when = dt.datetime.combine(info.date or dt.date(2000, 1, 1), dt.time(0, 0))
    return wordpackage.Properties(
        title=info.title, subject=info.subject, creator=info.author,
        language=WORD_LANGUAGE.get(info.language, info.language), when=when,
        application=f"makecase/{__version__}", company=info.organisation,
        status=(info.watermark or "").capitalize(),
    )


def render(document: t.Document, templates: Path) -> bytes:
    """Return the DOCX of a document, filled into templates/<template>.docx."""
    path = templates / f"{document.template}.docx"
    shown = f"templates/{path.name}"
    if templates.resolve() not in path.resolve().parents:
        raise ProjectError(f"Malen {shown} peker ut av prosjektmappen ({path.resolve()}); det er ikke tillatt.")
    # (a template saved between its check and the read below is read as saved; `makecase se`,
    # the one command that lives through a save, checks it in the round that save starts)
    version = check_template(path)
    template = _unused.pop(version, None) or _Template(path)
    docx = template.get_docx()
    # the template's languages are the edition's; set before the body joins it, so that the body's
    # words in a language of their own (t.Text.lang) keep theirs
    _set_language(docx, WORD_LANGUAGE.get(document.info.language, document.info.language))
    style_ids = _style_ids.get(version) or wordstyles.resolve(docx.styles)[0]
    subdoc = _Body(template)
    section = docx.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    _BodyWriter(subdoc, docx.part.numbering_part.element, text_width, style_ids).blocks(document.body)
    brevhode = _letterhead(template, templates.parent, document.masthead.letterhead, document.masthead.organisation)
    try:
        with time_limit(RENDER_SECONDS, f"Malen {shown} ble ikke ferdig utfylt på {RENDER_SECONDS:g} sekunder "
                                         "(en løkke i et felt som ikke slutter?)"):
            template.render(_context(document, subdoc, brevhode), jinja_env=_environment(), autoescape=True)
    except TemplateError as err:
        raise ProjectError(f"Malen {shown} kunne ikke fylles ut: {err.message}") from err
    except RecursionError as err:
        raise ProjectError(f"Malen {shown} kunne ikke fylles ut: et felt kaller seg selv uten å stoppe") from err
    except etree.XMLSyntaxError as err:
        raise ProjectError(f"Malen {shown} kunne ikke fylles ut: feltene gir ikke gyldig Word-XML ({err}).") from err
    filled = template.docx  # not get_docx(): it reloads after render
    if document.info.watermark:
        _add_watermark(filled, document.info.watermark)
    _ensure_core_properties(filled)
    buffer = io.BytesIO()
    template.save(buffer)
    return wordpackage.repack(buffer.getvalue(), _properties(document.info))
