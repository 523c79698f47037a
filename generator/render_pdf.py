"""Document tree → PDF/A-2b bytes, with reportlab platypus (the PDF half of the render stage).

Every glyph comes from the embedded Liberation Sans family (no standard-14 fonts, not
even for bullets or the canvas's initial font), pages carry the running header and
"Side N av M", and output is invariant: the same tree gives the same bytes. The canvas
writes what PDF/A adds (OutputIntent, XMP, printable links, an information dictionary that
matches the XMP) itself, so a single document needs no second pass through another library.
"""

from __future__ import annotations

import io
from functools import lru_cache
from itertools import groupby
from importlib import resources
from html import escape as _html_escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas

from generator import pdfa
from generator.platypus import (
    BaseDocTemplate,
    Frame,
    ListFlowable,
    ListItem,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from generator import tree as t

# Streams are Flate-compressed binary, without reportlab's ASCII85 layer on top (which makes
# a page's content a quarter larger), so pikepdf can copy them into a meeting package as they
# are: it decodes and compresses again every stream with a filter it does not keep.
rl_config.useA85 = 0

FONT = "LiberationSans"
#: The upright faces, which every document uses.
_FACES = {
    FONT: "LiberationSans-Regular.ttf",
    f"{FONT}-Bold": "LiberationSans-Bold.ttf",
}
#: The italic faces, read the first time a text is set in italics (few documents are).
_ITALIC_FACES = {
    f"{FONT}-Italic": "LiberationSans-Italic.ttf",
    f"{FONT}-BoldItalic": "LiberationSans-BoldItalic.ttf",
}
#: Glyphs Liberation Sans lacks (➡, ✓ …) are drawn from DejaVu Sans, also embedded.
FALLBACK = "DejaVuSans"
#: Name prefix of the form XObject holding a page's "Side N av M" (see generator.package).
PAGE_LABEL = "sidetall"
PAGE = A4
#: Headings longer than this are not kept with the next block (they may not fit on a page).
LONG_HEADING = 300
MARGIN = 25 * mm
TOP = 30 * mm
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9a9a9a")
HEAD_FILL = colors.HexColor("#e8ecef")
FRAME_FILL = colors.HexColor("#f3f5f7")


def _register(faces: dict[str, str]) -> None:
    folder = resources.files("generator").joinpath("fonts")
    for name, filename in faces.items():
        with resources.as_file(folder.joinpath(filename)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))


@lru_cache(maxsize=1)
def register_fonts() -> frozenset[int]:
    """Register the upright faces once per process; return the code points the main family has.

    Reading a face takes 5 ms (reportlab parses it in Python), so the italic ones wait
    for the first italic text (`_italic`).
    """
    _register(_FACES)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=f"{FONT}-Bold", italic=f"{FONT}-Italic", boldItalic=f"{FONT}-BoldItalic"
    )
    return frozenset(pdfmetrics.getFont(FONT).face.charToGlyph)


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=10.5, leading=14, textColor=INK, spaceAfter=6,
        alignment=TA_LEFT, bulletFontName=FONT,
    )

    def derive(name: str, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "cell": derive("cell", fontSize=9.5, leading=12, spaceAfter=0),
        "cellhead": derive("cellhead", fontName=f"{FONT}-Bold", fontSize=9.5, leading=12, spaceAfter=0),
        "cell-right": derive("cell-right", fontSize=9.5, leading=12, spaceAfter=0, alignment=TA_RIGHT),
        "cellhead-right": derive("cellhead-right", fontName=f"{FONT}-Bold", fontSize=9.5, leading=12, spaceAfter=0,
                                 alignment=TA_RIGHT),
        "ingress": derive("ingress", fontSize=13, leading=17, spaceAfter=8),
        "org": derive("org", fontSize=9.5, textColor=MUTED, spaceAfter=2),
        "doctype": derive("doctype", fontName=f"{FONT}-Bold", fontSize=20, leading=24, spaceAfter=10),
        "h1": derive("h1", keepWithNext=1, fontName=f"{FONT}-Bold", fontSize=15, leading=19, spaceBefore=14, spaceAfter=8),
        "h2": derive("h2", keepWithNext=1, fontName=f"{FONT}-Bold", fontSize=12.5, leading=16, spaceBefore=12, spaceAfter=5),
        "h3": derive("h3", keepWithNext=1, fontName=f"{FONT}-Bold", fontSize=11, leading=14, spaceBefore=9, spaceAfter=4),
        "h4": derive("h4", keepWithNext=1, fontName=f"{FONT}-Bold", fontSize=10.5, leading=14, spaceBefore=7, spaceAfter=3),
    }


# --- inlines -------------------------------------------------------------------------


class _Paragraph(Paragraph):
    """A paragraph that breaks its lines once per width: platypus wraps most paragraphs twice
    (measuring a heading kept with the next block, a list item, a table cell, then placing it),
    and line breaking is most of the time a PDF takes."""

    def wrap(self, availWidth, availHeight):  # noqa: N803 - reportlab's names
        if getattr(self, "_wrapped_for", None) == availWidth and hasattr(self, "blPara"):  # split may drop it
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_for = availWidth
        return size


def warm(every_face: bool = False) -> None:
    """Load the upright fonts and the styles before the first document (a helper does it while
    the case loads); `every_face` also reads the faces in `LATER`, for a process that forks workers."""
    _styles()
    if every_face:
        for step in LATER:
            step()


@lru_cache(maxsize=1)
def _italic() -> None:
    """Register the italic faces the first time a text needs them."""
    _register(_ITALIC_FACES)


@lru_cache(maxsize=1)
def _fallback() -> str:
    """Register the fallback font the first time a text needs it (it is large); return its name."""
    with resources.as_file(resources.files("generator").joinpath("fonts", "DejaVuSans.ttf")) as path:
        pdfmetrics.registerFont(TTFont(FALLBACK, str(path)))
    return FALLBACK


#: Faces only some documents need, 10 ms each to read: a helper reads them while it waits,
#: a document that needs one before then reads it itself.
LATER = (_fallback, _italic)


def escape(text: str) -> str:
    """Escape &, < and > for reportlab's paragraph markup. (html.escape, not xml.sax.saxutils:
    the latter imports urllib.request, a fifth of this module's import time.)"""
    return _html_escape(text, quote=False)


def _text(text: str) -> str:
    """Return text escaped for paragraph markup, with glyphs the main font lacks in the fallback font."""
    covered = register_fonts()
    if text.isascii() or covered.issuperset(map(ord, text)):
        return escape(text)
    parts = []
    for has_glyph, chars in groupby(text, key=lambda ch: ord(ch) in covered or ch.isspace()):
        run = escape("".join(chars))
        parts.append(run if has_glyph else f'<font name="{_fallback()}">{run}</font>')
    return "".join(parts)


def markup(inlines: t.Inlines) -> str:
    """Return inline nodes as reportlab paragraph markup; all text is escaped."""
    parts = []
    for node in inlines:
        if isinstance(node, t.Text):
            parts.append(_text(node.text))
        elif isinstance(node, t.Bold):
            parts.append(f"<b>{markup(node.children)}</b>")
        elif isinstance(node, t.Italic):
            _italic()
            parts.append(f"<i>{markup(node.children)}</i>")
        elif isinstance(node, t.Link):
            parts.append(f'<a href="{_html_escape(node.url)}" color="#1f4e79"><u>{markup(node.children)}</u></a>')
        elif isinstance(node, t.LineBreak):
            parts.append("<br/>")
    return "".join(parts)


# --- blocks --------------------------------------------------------------------------


class _Builder:
    """Turns tree blocks into platypus flowables for a frame of a given width."""

    def __init__(self, width: float):
        self.width = width
        self.styles = _styles()

    def blocks(self, blocks, width: float | None = None) -> list:
        out = []
        for block in blocks:
            out.extend(self.block(block, width or self.width))
        return out

    def block(self, block: t.Block, width: float) -> list:
        st = self.styles
        if isinstance(block, t.Heading):
            style = st[f"h{min(block.level, 4)}"]
            if len(t.plain(block.content)) > LONG_HEADING:  # keepWithNext loops on a heading taller than a page
                style = ParagraphStyle(f"{style.name}-long", parent=style, keepWithNext=0)
            return [_Paragraph(markup(block.content), style)]
        if isinstance(block, t.Paragraph):
            return [_Paragraph(markup(block.content), st["ingress" if block.role == "ingress" else "body"])]
        if isinstance(block, (t.BulletList, t.OrderedList)):
            return [self.list(block, width)]
        if isinstance(block, t.Table):
            return [self.table(block, width)]
        if isinstance(block, t.Framed):
            return [self.framed(block, width)]
        if isinstance(block, t.PageBreak):
            return [PageBreak()]
        raise TypeError(f"unknown block {type(block).__name__}")

    def list(self, block, width: float) -> ListFlowable:
        ordered = isinstance(block, t.OrderedList)
        indent = 18
        items = [ListItem(self.blocks(item, width - indent) or [Spacer(0, 0)]) for item in block.items]
        options = dict(bulletFontName=FONT, bulletFontSize=10.5, leftIndent=indent, bulletDedent=indent - 4,
                       spaceAfter=4)
        if ordered:
            return ListFlowable(items, bulletType="1", start=block.start, bulletFormat="%s.", **options)
        return ListFlowable(items, bulletType="bullet", start="•", **options)

    def framed(self, block: t.Framed, width: float) -> Table:
        """A frame around blocks: a one-cell table with a rule and a light fill."""
        inner = self.blocks(block.blocks, width - 12) or [Spacer(0, 0)]
        table = Table([[inner]], colWidths=[width], hAlign="LEFT", splitInRow=1)
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("BOX", (0, 0), (-1, -1), 0.75, RULE), ("BACKGROUND", (0, 0), (-1, -1), FRAME_FILL),
                                   ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
        return table

    def table(self, block: t.Table, width: float) -> Table:
        st = self.styles
        columns = block.columns or 1
        fractions = block.widths or tuple(1 / columns for _ in range(columns))
        widths = [width * f for f in fractions]
        def cells(row, kind: str) -> list:
            return [_Paragraph(markup(c), st[f"{kind}-right" if block.alignment(i) == "right" else kind])
                    for i, c in enumerate(row)]

        data = [cells(block.header, "cellhead")] if block.header else []
        data += [cells(row, "cell") for row in block.rows]
        data += [cells(block.footer, "cellhead")] if block.footer else []
        table = Table(data or [[""]], colWidths=widths, repeatRows=1 if block.header else 0, hAlign="LEFT",
                      splitInRow=1)  # a cell taller than a page continues on the next
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
        if block.borders:
            style += [("GRID", (0, 0), (-1, -1), 0.5, RULE)]
        else:
            style += [("LEFTPADDING", (0, 0), (-1, -1), 0)]
        if block.header:
            style += [("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL)]
        if block.footer:
            style += [("LINEABOVE", (0, -1), (-1, -1), 1, RULE)]
        table.setStyle(TableStyle(style))
        return table


def _masthead(head: t.Masthead, builder: _Builder) -> list:
    st = builder.styles
    flow = [_Paragraph(_text(head.organisation), st["org"]), _Paragraph(_text(head.doctype), st["doctype"])]
    if head.fields:
        rows = tuple((t.text(f"{f.label}:"), t.text(f.value)) for f in head.fields)
        flow += builder.table(t.Table(rows=rows, widths=(0.22, 0.78), borders=False), builder.width), Spacer(0, 6)
    if head.saksgang:
        flow += [builder.table(head.saksgang, builder.width), Spacer(0, 4)]
    return flow


# --- pages ---------------------------------------------------------------------------


def _page_number(canvas, text: str) -> None:
    """Draw the page label ("Side 3 av 7") in the footer."""
    canvas.saveState()
    canvas.setFont(FONT, 8.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE[0] - MARGIN, 12 * mm, text)
    canvas.restoreState()


def page_numbers(labels: list[str]) -> bytes:
    """Return a PDF with one page per label and nothing but the label in the footer: laid over
    the pages of a package, it numbers them through (see generator.package)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(buffer, pagesize=PAGE, invariant=1, initialFontName=FONT)
    for label in labels:
        _page_number(canvas, label)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Info(pdfdoc.PDFInfo):
    """The document information dictionary with exactly the entries the XMP mirrors (no
    empty /Keywords, no /Trapped), dated from the case."""

    def __init__(self, meta: pdfa.Metadata):
        super().__init__()
        self.meta = meta

    def format(self, document):
        entries = {k: pdfdoc.PDFString(v) for k, v in self.meta.info().items()}
        return pdfdoc.PDFDictionary(entries).format(document)


class _PlainStream(pdfdoc.PDFStream):
    """A stream written without filters: PDF/A forbids them on XMP metadata (ISO 19005-2, 6.6.2.1)."""

    def format(self, document):
        entries = pdfdoc.PDFDictionary({**self.dictionary.dict, "Length": len(self.content)})
        return pdfdoc.format(entries, document) + b"\nstream\n" + self.content + b"\nendstream\n"


def _make_archival(canvas: rl_canvas.Canvas, meta: pdfa.Metadata) -> None:
    """Add to a canvas's document what PDF/A-2b requires and reportlab leaves out: the sRGB
    OutputIntent (ISO 19005-2, 6.2.3) and the XMP metadata (6.6.2), uncompressed."""
    document = canvas._doc
    document.info = _Info(meta)
    catalog = document.Catalog
    catalog.__NoDefault__ = [*pdfdoc.PDFCatalog.__NoDefault__, "OutputIntents"]
    profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), pdfa.srgb_profile())
    catalog.OutputIntents = pdfdoc.PDFArray([pdfdoc.PDFDictionary({
        "Type": pdfdoc.PDFName("OutputIntent"), "S": pdfdoc.PDFName("GTS_PDFA1"),
        "OutputConditionIdentifier": pdfdoc.PDFString(pdfa.SRGB), "Info": pdfdoc.PDFString(pdfa.SRGB),
        "RegistryName": pdfdoc.PDFString("http://www.color.org"),
        "DestOutputProfile": document.Reference(profile),
    })])
    catalog.Metadata = _PlainStream(
        pdfdoc.PDFDictionary({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}),
        pdfa.xmp(meta),
    )


def _numbered_canvas(info: t.DocInfo):
    """Return a canvas class that writes PDF/A-2b with the running header and "Side N av M"
    on every page."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []
            _make_archival(self, metadata(info))

        def linkURL(self, *args, **kwargs):  # noqa: N802 - reportlab's name
            """Links are annotations; PDF/A wants them printable (ISO 19005-2, 6.3.2)."""
            kwargs.setdefault("F", pdfa.PRINT)
            super().linkURL(*args, **kwargs)

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._furniture(number, len(self._pages))
                super().showPage()
            for page in self._doc.Pages.pages:
                page.Trans = None  # reportlab writes an empty transition; PDF/A validators reject it
            super().save()

        def _furniture(self, number: int, total: int) -> None:
            width, height = PAGE
            self.saveState()
            self.setFont(FONT, 8.5)
            self.setFillColor(MUTED)
            self.drawString(MARGIN, height - 15 * mm, info.running_left)
            right = f"{info.watermark} · {info.running_right}" if info.watermark else info.running_right
            self.drawRightString(width - MARGIN, height - 15 * mm, right)
            rule = height - 17 * mm
            if info.restriction:  # a closed case says so on every page
                self.setFont(f"{FONT}-Bold", 8.5)
                self.drawString(MARGIN, height - 19 * mm, info.restriction)
                rule = height - 21 * mm
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, rule, width - MARGIN, rule)
            self.restoreState()
            # A form of its own, so that a package can empty it and number its pages through.
            self.beginForm(f"{PAGE_LABEL}{number}")
            _page_number(self, info.page_label.format(side=number, sider=total))
            self.endForm()
            self.doForm(f"{PAGE_LABEL}{number}")

    return NumberedCanvas


def _watermark(text: str):
    """Return a page callback that draws a large, light, diagonal mark beneath the page's text."""

    def draw(canvas, _doc) -> None:
        width, height = PAGE
        canvas.saveState()
        canvas.setFont(f"{FONT}-Bold", 110)
        canvas.setFillColor(colors.HexColor("#f4d0d0"))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(45)
        canvas.drawCentredString(0, -35, text)
        canvas.restoreState()

    return draw


def metadata(info: t.DocInfo) -> pdfa.Metadata:
    return pdfa.Metadata(info.title, info.author, info.subject, info.language, info.date)


def render(document: t.Document) -> bytes:
    """Return the PDF/A-2b of a document as bytes."""
    register_fonts()
    buffer = io.BytesIO()
    info = document.info
    doc = BaseDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=TOP, bottomMargin=22 * mm,
        title=info.title, author=info.author, subject=info.subject, creator="makecase", producer="makecase",
        lang=info.language, invariant=1,
        initialFontName=FONT, initialFontSize=10.5,  # the canvas's initial font is otherwise Helvetica
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0)
    on_page = _watermark(info.watermark) if info.watermark else (lambda canvas, doc: None)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    builder = _Builder(doc.width)
    story = _masthead(document.masthead, builder) + builder.blocks(document.body)
    doc.build(story, canvasmaker=_numbered_canvas(info))
    return pdfa.end_streams_on_own_line(buffer.getvalue())
