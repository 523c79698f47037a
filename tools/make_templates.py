"""Build the default Word templates in templates/ (developer tool, not used at run time).

The templates are ordinary .docx files: a caseworker or IT staff may open them in Word or
LibreOffice and change letterhead, fonts, margins and logo; makecase fills the fields
documented in templates/README.md. Run this only to reset a template to the default:

    python tools/make_templates.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from generator.render_docx import HEAD_FILL, STYLE_MAP, set_column_widths, shade

FONT = "Liberation Sans"
INK = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x55, 0x55, 0x55)
DRAFT = RGBColor(0xC0, 0x00, 0x00)
ROOT = Path(__file__).resolve().parent.parent


def _set_font(style, size: float, bold: bool | None = None, italic: bool | None = None, color=INK) -> None:
    """Give a style our font; drop theme fonts, which would otherwise win in Word."""
    font = style.font
    font.name = FONT
    font.size = Pt(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = color
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), FONT)
    rfonts.set(qn("w:cs"), FONT)


def _spacing(style, before: float, after: float) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _styles(doc) -> None:
    styles = doc.styles
    _set_font(styles["Normal"], 10.5)
    _spacing(styles["Normal"], 0, 6)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    for name, size, before, after in (("Heading 1", 15, 14, 8), ("Heading 2", 12.5, 12, 5),
                                      ("Heading 3", 11, 9, 4), ("Heading 4", 10.5, 7, 3)):
        _set_font(styles[name], size, bold=True, italic=False)
        _spacing(styles[name], before, after)
        styles[name].paragraph_format.keep_with_next = True
    _set_font(styles["Title"], 20, bold=True)
    _spacing(styles["Title"], 0, 10)
    # The default Title style draws a blue rule under itself; a saksframlegg has none.
    ppr = styles["Title"].element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    for name in ("List Bullet", "List Bullet 2", "List Number", "List Number 2"):
        _set_font(styles[name], 10.5)
        _spacing(styles[name], 0, 4)
    ingress = styles.add_style("Ingress", WD_STYLE_TYPE.PARAGRAPH)
    ingress.base_style = styles["Normal"]
    _set_font(ingress, 13)
    _spacing(ingress, 0, 8)
    for name in ("Header", "Footer"):
        _set_font(styles[name], 8.5, color=MUTED)
    _set_font(styles["Subtitle"], 9.5, italic=False, color=MUTED)
    spacing = styles["Subtitle"].element.rPr.find(qn("w:spacing"))
    if spacing is not None:  # the default Subtitle letter-spaces its text
        styles["Subtitle"].element.rPr.remove(spacing)
    _spacing(styles["Subtitle"], 0, 2)


def _preserve(run) -> None:
    """Keep leading/trailing spaces of a run's text (Word drops them otherwise)."""
    run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")


def _field(paragraph, instruction: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) to a paragraph."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def _bottom_rule(paragraph) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "9A9A9A")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(30), Mm(22)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)
    text_width = section.page_width - section.left_margin - section.right_margin

    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    for style in (doc.styles["Header"], doc.styles["Footer"]):
        style.paragraph_format.tab_stops.clear_all()
        style.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run("{{ topptekst_venstre }}\t")
    mark = header.add_run("{{ utkast }}")
    mark.bold = True
    mark.font.color.rgb = DRAFT
    _preserve(header.add_run(" {{ topptekst_hoyre }}"))
    _bottom_rule(header)

    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _preserve(footer.add_run("{{ side_for }}"))
    _field(footer, "PAGE")
    _preserve(footer.add_run("{{ side_mellom }}"))
    _field(footer, "NUMPAGES")
    _preserve(footer.add_run("{{ side_etter }}"))


def _loop_table(doc, columns: int, head: list[str] | None, loop: str, cells: list[str], widths_mm, style):
    """Add a table whose data row repeats with docxtpl's {%tr %} tags."""
    rows = (1 if head else 0) + 3
    table = doc.add_table(rows=rows, cols=columns)
    table.style = doc.styles[style] if style else None
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    index = 0
    if head:
        for cell, text in zip(table.rows[0].cells, head):
            cell.paragraphs[0].add_run(text).bold = True
            shade(cell, HEAD_FILL)
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:tblHeader"))
        index = 1
    table.rows[index].cells[0].paragraphs[0].add_run("{%tr for " + loop + " %}")
    for cell, text in zip(table.rows[index + 1].cells, cells):
        cell.paragraphs[0].add_run(text)
    table.rows[index + 2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    set_column_widths(table, [Mm(w) for w in widths_mm])
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
    return table


def _masthead(doc, saksgang: bool) -> None:
    org = doc.paragraphs[0] if doc.paragraphs else doc.add_paragraph()
    org.text = "{{ organisasjon }}"
    org.style = doc.styles["Subtitle"]
    doc.add_paragraph("{{ dokumenttype }}", style="Title")
    _loop_table(doc, 2, None, "f in felt", ["{{ f.etikett }}:", "{{ f.verdi }}"], (35, 125), None)
    doc.add_paragraph()
    if saksgang:
        _loop_table(
            doc, 3, ["{{ saksgang.hode[0] }}", "{{ saksgang.hode[1] }}", "{{ saksgang.hode[2] }}"],
            "rad in saksgang.rader", ["{{ rad[0] }}", "{{ rad[1] }}", "{{ rad[2] }}"], (99, 26, 35), "Table Grid",
        )


#: Relationships of python-docx's default document that a makecase template drops: Word
#: 2010's copy of the styles (later Word and LibreOffice ignore it) and a thumbnail of an
#: empty page.
_DROPPED = ("/stylesWithEffects", "/metadata/thumbnail")


def _slim(doc) -> None:
    """Keep only the styles makecase and the template use (python-docx's default document
    defines 165, 800 kB of XML that every DOCX would parse, write and compress again).

    Word and LibreOffice still offer all their built-in styles: the latent style list
    stays, and a built-in style is added to a document when someone first applies it.
    """
    for part in (doc.part.package, doc.part):
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith(_DROPPED):
                del part.rels[rid]
    styles = doc.styles.element
    wanted = {style.style_id for style in doc.styles if style.element.get(qn("w:default")) == "1"}
    wanted |= {doc.styles[name].style_id for name in (*STYLE_MAP.values(), "Subtitle", "Title", "Header", "Footer")}
    for part in (doc.part, doc.part.numbering_part, *(rel.target_part for rel in doc.part.rels.values()
                                                      if rel.reltype.endswith(("/header", "/footer")))):
        wanted |= {e.get(qn("w:val")) for e in part.element.iter(qn("w:pStyle"), qn("w:rStyle"), qn("w:tblStyle"))}
    todo = list(wanted)
    while todo:  # and every style these are based on, followed by or linked to
        style = styles.get_by_id(todo.pop())
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = style.find(qn(tag)) if style is not None else None
            if ref is not None and ref.get(qn("w:val")) not in wanted:
                wanted.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for style in list(styles.style_lst):
        if style.styleId not in wanted:
            styles.remove(style)


def build(name: str, description: str, saksgang: bool) -> Path:
    """Write templates/<name>.docx: masthead, optional saksgang table, then the body."""
    doc = Document()
    _styles(doc)
    _page(doc)
    _masthead(doc, saksgang)
    doc.add_paragraph("{{p innhold }}")
    _slim(doc)
    core = doc.core_properties
    core.title, core.author, core.subject = description, "makecase", description
    core.comments = core.keywords = ""
    path = ROOT / "templates" / f"{name}.docx"
    doc.save(path)
    return path


if __name__ == "__main__":
    for made in (build("saksframlegg", "Mal for saksframlegg", saksgang=True),
                 build("vedlegg", "Mal for vedlegg (prosjektskisse, avtale, tekst)", saksgang=False)):
        sys.stdout.write(f"{made}\n")
