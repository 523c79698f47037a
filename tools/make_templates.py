"""Build the default Word templates in templates/ (developer tool, not used at run time).

The templates are ordinary .docx files: a caseworker or IT staff may open them in Word or
LibreOffice and change letterhead, fonts, margins and logo; makecase fills the fields
documented in templates/README.md. Run this only to reset a template to the default:

    python tools/make_templates.py

python-docx lays out the body, header and footer; the parts it has no API for (styles with
document defaults, a table style with conditional rows, numbering, settings, font table,
theme fonts) are written here whole, so that nothing of the Word 2010 template python-docx
starts from remains: Norwegian proofing language, Liberation Sans with Arial as its
metric-compatible alternative, and no theme font in any style.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, RGBColor
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import __version__  # noqa: E402
from generator.render.docx import table_look  # noqa: E402
from generator.render.docx.package import Properties, repack  # noqa: E402
from generator.render.docx.styles import BY_KEY  # noqa: E402

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WNS = f'xmlns:w="{W}"'
FONT = "Liberation Sans"
LANGUAGE = "nb-NO"
INK, MUTED, RULE, HEAD_FILL, FRAME_FILL, LINK, DRAFT = "1A1A1A", "555555", "9A9A9A", "E8ECEF", "F3F5F7", "1F4E79", "C00000"
#: A4 with 25 mm side margins: 160 mm of text, in twentieths of a point.
TEXT_WIDTH = 9071
FIELD_TAB = 1984  # 35 mm: where the value of a header field starts


# --- styles --------------------------------------------------------------------------


def _font(size_half_points: int, bold: bool = False, color: str | None = None) -> str:
    bold_xml = "<w:b/><w:bCs/>" if bold else ""
    color_xml = f'<w:color w:val="{color}"/>' if color else ""
    return f'<w:rPr>{bold_xml}{color_xml}<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/></w:rPr>'


def _border(side: str, size: int = 4, space: int = 0) -> str:
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="{space}" w:color="{RULE}"/>'


def _paragraph_style(role_or_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str | None = "Normal",
                     next_id: str | None = None, extra: str = "") -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_id}"/>' if next_id else ""
    return (f'<w:style w:type="paragraph" w:styleId="{role_or_id}"><w:name w:val="{name}"/>{based}{nxt}{extra}'
            f'<w:qFormat/>{f"<w:pPr>{ppr}</w:pPr>" if ppr else ""}{rpr}</w:style>')


def _role(key: str) -> tuple[str, str]:
    role = BY_KEY[key]
    return role.style_id, role.name


def _table_style(key: str, borders: str, margins: tuple[int, int, int, int], conditional: str = "",
                 text: str = '<w:keepNext/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
                 size: int = 19, fill: str = "") -> str:
    """Return a table style. Its paragraphs keep with the next (Word then keeps a short table
    on one page and breaks a long one where it must) and its rows do not split."""
    style_id, name = _role(key)
    top, left, bottom, right = margins
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (
        f'<w:style w:type="table" w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        f'<w:pPr>{text}</w:pPr><w:rPr><w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>'
        f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/>{borders}<w:tblCellMar>'
        f'<w:top w:w="{top}" w:type="dxa"/><w:left w:w="{left}" w:type="dxa"/>'
        f'<w:bottom w:w="{bottom}" w:type="dxa"/><w:right w:w="{right}" w:type="dxa"/>'
        f'</w:tblCellMar></w:tblPr><w:trPr><w:cantSplit/></w:trPr>'
        f'{f"<w:tcPr>{shading}</w:tcPr>" if shading else ""}{conditional}</w:style>'
    )


def styles_xml() -> list[str]:
    """Return the document defaults and every style of a template, as XML strings."""
    heading = []
    for level, (size, before, after) in enumerate(((30, 280, 160), (25, 240, 100), (22, 180, 80), (21, 140, 60)), start=1):
        style_id, name = _role(f"heading{level}")
        heading.append(_paragraph_style(
            style_id, name.lower(), next_id="Normal", extra='<w:uiPriority w:val="9"/>',
            ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}"/><w:outlineLvl w:val="{level - 1}"/>',
            rpr=_font(size, bold=True),
        ))
    lists = []
    for num_id, key in enumerate(("bullet1", "bullet2", "number1", "number2"), start=1):
        style_id, name = _role(key)
        lists.append(_paragraph_style(
            style_id, name, ppr=f'<w:numPr><w:numId w:val="{num_id}"/></w:numPr><w:spacing w:after="80"/>'))
    box = "<w:tblBorders>" + "".join(_border(s, 6) for s in ("top", "left", "bottom", "right")) + "</w:tblBorders>"
    grid = "<w:tblBorders>" + "".join(_border(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"
    head_row = (f'<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
                f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{HEAD_FILL}"/></w:tcPr></w:tblStylePr>')
    sum_row = ('<w:tblStylePr w:type="lastRow"><w:rPr><w:b/><w:bCs/></w:rPr>'
               f'<w:tcPr><w:tcBorders>{_border("top", 8)}</w:tcBorders></w:tcPr></w:tblStylePr>')
    return [
        # Document defaults carry the body text's look: a table style's paragraph and run
        # properties lose against the Normal style but win against the defaults.
        '<w:docDefaults><w:rPrDefault><w:rPr>'
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:color w:val="{INK}"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="{LANGUAGE}"/>'
        '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/>'
        '</w:pPr></w:pPrDefault></w:docDefaults>',
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>'
        '<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        *heading,
        _paragraph_style("Title", "Title", next_id="Normal", ppr='<w:spacing w:after="200"/>', rpr=_font(40, bold=True)),
        _paragraph_style("Subtitle", "Subtitle", next_id="Normal", ppr='<w:spacing w:after="280"/>', rpr=_font(17, color=MUTED)),
        _paragraph_style("Brevhode", "Brevhode", next_id="Normal", ppr='<w:spacing w:after="60"/>', rpr=_font(22, bold=True)),
        _paragraph_style(
            "Header", "header", rpr=_font(17, color=MUTED),
            ppr=f'<w:pBdr>{_border("bottom", 4, 4)}</w:pBdr><w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
        ),
        _paragraph_style(
            "Footer", "footer", rpr=_font(17, color=MUTED),
            ppr=f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs>'
                '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="right"/>',
        ),
        _paragraph_style(
            "Hodefelt", "Hodefelt",
            ppr=f'<w:tabs><w:tab w:val="left" w:pos="{FIELD_TAB}"/></w:tabs><w:spacing w:after="60"/>'
                f'<w:ind w:left="{FIELD_TAB}" w:hanging="{FIELD_TAB}"/>',
        ),
        *lists,
        _paragraph_style(*_role("ingress"), ppr='<w:spacing w:after="160"/>', rpr=_font(26)),
        '<w:style w:type="character" w:styleId="{0}"><w:name w:val="{1}"/><w:basedOn w:val="DefaultParagraphFont"/>'
        '<w:uiPriority w:val="99"/><w:unhideWhenUsed/><w:rPr><w:color w:val="{2}"/><w:u w:val="single"/></w:rPr>'
        '</w:style>'.format(*_role("link"), LINK),
        _table_style("table", grid, (40, 113, 60, 113), head_row + sum_row),
        _table_style("table_plain", "", (0, 0, 40, 113),
                     '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr></w:tblStylePr>' + sum_row),
        # A frame holds body text as it is elsewhere (its paragraphs do not keep with the next).
        _table_style("frame", box, (113, 170, 0, 170), text="", size=21, fill=FRAME_FILL),
    ]


def numbering_xml() -> list[str]:
    """Return the list definitions behind the four list styles: • and – bullets, 1. numbers.

    The bullets are characters of the body font, so no Symbol font is needed."""
    kinds = (("bullet1", "bullet", "\u2022", 360), ("bullet2", "bullet", "\u2013", 720),
             ("number1", "decimal", "%1.", 360), ("number2", "decimal", "%1.", 720))
    abstract, nums = [], []
    for index, (key, fmt, text, indent) in enumerate(kinds):
        abstract.append(
            f'<w:abstractNum w:abstractNumId="{index}"><w:nsid w:val="6D43{index:04X}"/>'
            f'<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:pStyle w:val="{BY_KEY[key].style_id}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent}" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        )
        nums.append(f'<w:num w:numId="{index + 1}"><w:abstractNumId w:val="{index}"/></w:num>')
    return abstract + nums


def settings_xml() -> list[str]:
    """Return the settings: Norwegian decimal comma and list separator, Word 2013+ layout (a
    table's border, not its text, lines up with the margin), and makecase's table style for
    tables a caseworker inserts."""
    compat = "".join(
        f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{value}"/>'
        for name, value in (("compatibilityMode", 15), ("overrideTableStyleFontSizeAndJustification", 1),
                            ("enableOpenTypeFeatures", 1), ("doNotFlipMirrorIndents", 1),
                            ("differentiateMultirowTableHeaders", 1))
    )
    return [
        '<w:zoom w:percent="100"/>', '<w:defaultTabStop w:val="709"/>',
        f'<w:defaultTableStyle w:val="{BY_KEY["table"].style_id}"/>',
        '<w:characterSpacingControl w:val="doNotCompress"/>', f"<w:compat>{compat}</w:compat>",
        f'<w:themeFontLang w:val="{LANGUAGE}"/>', '<w:decimalSymbol w:val=","/>', '<w:listSeparator w:val=";"/>',
    ]


def font_table_xml() -> bytes:
    """Return word/fontTable.xml: Liberation Sans, with Arial as the font Word may use in its
    place (same metrics); panose, ranges and code pages from the shipped font's OS/2 table."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {WNS}>'
        f'<w:font w:name="{FONT}"><w:altName w:val="Arial"/><w:panose1 w:val="020B0604020202020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/>'
        '<w:sig w:usb0="E0000AFF" w:usb1="500078FF" w:usb2="00000021" w:usb3="00000000" '
        'w:csb0="600001BF" w:csb1="DFF70000"/></w:font></w:fonts>'
    ).encode()


def _theme_with_our_font(theme: bytes) -> bytes:
    """Return the theme with Liberation Sans as its heading and body font: a built-in style a
    caseworker adds later (Quote, Caption …) takes the theme's font."""
    root = etree.fromstring(theme)
    for latin in root.iter(f"{{{A}}}latin"):
        latin.set("typeface", FONT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace_children(element, fragments: list[str], keep: tuple[str, ...] = ()) -> None:
    """Give a part's root element new children: the first fragment goes before those kept
    (docDefaults before latentStyles), the others after them."""
    for child in list(element):
        if child.tag not in {qn(tag) for tag in keep}:
            element.remove(child)
    for index, fragment in enumerate(fragments):
        node = parse_xml(f"<w:wrapper {WNS}>{fragment}</w:wrapper>")[0]
        if index == 0:
            element.insert(0, node)
        else:
            element.append(node)


# --- page furniture and body ---------------------------------------------------------


def _run(paragraph, text: str, bold: bool = False, color: str | None = None) -> None:
    run = paragraph.add_run(text)
    if bold:
        run.bold = True
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")


def _field(paragraph, instruction: str) -> None:
    """Append a simple field (PAGE, NUMPAGES) to a paragraph."""
    paragraph._p.append(parse_xml(f'<w:fldSimple {WNS} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin, section.bottom_margin = Mm(30), Mm(22)
    section.header_distance, section.footer_distance = Mm(12), Mm(10)

    header = section.header.paragraphs[0]
    header.style = "Header"
    _run(header, "{{ topptekst_venstre }}\t")
    _run(header, "{%r if utkast %}")
    _run(header, "{{ utkast }} · ", bold=True, color=DRAFT)
    _run(header, "{%r endif %}")
    _run(header, "{{ topptekst_hoyre }}")
    section.header.add_paragraph("{%p if skjerming %}", style="Header")
    _run(section.header.add_paragraph(style="Header"), "{{ skjerming }}", bold=True)
    section.header.add_paragraph("{%p endif %}", style="Header")

    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    _run(footer, "{{ side_for }}")
    _field(footer, "PAGE")
    _run(footer, "{{ side_mellom }}")
    _field(footer, "NUMPAGES")
    _run(footer, "{{ side_etter }}")


def _saksgang(doc) -> None:
    """Add the saksgang table: a header row repeated on each page, then one row per step."""
    table = doc.add_table(rows=4, cols=4)
    table.style = doc.styles[BY_KEY["table"].name]
    table.autofit = False
    table_look(table, header=True, footer=False)
    texts = (
        [f"{{{{ saksgang.hode[{i}] }}}}" for i in range(4)],
        ["{%tr for rad in saksgang.rader %}", "", "", ""],
        [f"{{{{ rad[{i}] }}}}" for i in range(4)],
        ["{%tr endfor %}", "", "", ""],
    )
    for row, cells in zip(table.rows, texts):
        for cell, text in zip(row.cells, cells):
            if text:
                cell.paragraphs[0].add_run(text)
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {WNS}/>"))
    for column, fraction in zip(table.columns, (0.5, 0.14, 0.16, 0.2)):  # utvalg, nr., dato, status
        column.width = int(Mm(160) * fraction)
    for row in table.rows:
        for cell, column in zip(row.cells, table.columns):
            cell.width = column.width


def _masthead(doc, saksgang: bool) -> None:
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    doc.add_paragraph("{%p if brevhode.logo %}")
    doc.add_paragraph("{{ brevhode.logo }}", style="Brevhode")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ brevhode.navn }}", style="Brevhode")
    doc.add_paragraph("{%p if brevhode.linjer %}")
    doc.add_paragraph("{{ brevhode.linjer }}", style="Subtitle")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("{{ dokumenttype }}", style="Title")
    doc.add_paragraph("{%p for f in felt %}")
    _run(doc.add_paragraph(style="Hodefelt"), "{{ f.etikett }}:\t{{ f.verdi }}")
    doc.add_paragraph("{%p endfor %}")
    if saksgang:
        _saksgang(doc)
    doc.add_paragraph("{{p innhold }}")


#: Relationships of python-docx's default document a makecase template drops: Word 2010's
#: copy of the styles, web settings, a bibliography store and a thumbnail of an empty page.
_DROPPED = ("/stylesWithEffects", "/metadata/thumbnail", "/webSettings", "/customXml")


def _drop_parts(doc) -> None:
    for part in (doc.part.package, doc.part):
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith(_DROPPED):
                del part.rels[rid]


def build(name: str, description: str, saksgang: bool) -> Path:
    """Write templates/<name>.docx: masthead, optional saksgang table, then the body."""
    doc = Document()
    _drop_parts(doc)
    _replace_children(doc.styles.element, styles_xml(), keep=("w:latentStyles",))
    _replace_children(doc.part.numbering_part.element, numbering_xml())
    _replace_children(doc.settings.element, settings_xml())
    _page(doc)
    _masthead(doc, saksgang)
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        theme = _theme_with_our_font(package.read("word/theme/theme1.xml"))
    props = Properties(description, description, "makecase", LANGUAGE, dt.datetime(2020, 1, 1),
                       f"makecase/{__version__}")
    data = repack(buffer.getvalue(), props, {"word/fontTable.xml": font_table_xml(), "word/theme/theme1.xml": theme})
    path = ROOT / "templates" / f"{name}.docx"
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    for made in (build("saksframlegg", "Mal for saksframlegg", saksgang=True),
                 build("vedlegg", "Mal for vedlegg (prosjektskisse, avtale, tekst)", saksgang=False),
                 build("moteinnkalling", "Mal for møteinnkalling med saksliste", saksgang=False),
                 build("motebok", "Mal for møtebok", saksgang=False),
                 build("saerutskrift", "Mal for særutskrift av en sak", saksgang=True)):
        sys.stdout.write(f"{made}\n")
