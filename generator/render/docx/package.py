"""A rendered document → the DOCX package parts around it: its properties and its zip.

python-docx writes `docProps/core.xml` through namespace prefixes it looks up at run time,
and importing docxtpl imports docxcompose, which points the `cp` prefix at the
custom-properties namespace (python-docx #1037, docxcompose #101): keywords, lastModifiedBy,
revision and the like then land in the wrong namespace and a schema validator rejects the
file. The properties are therefore written here, with the namespace URIs spelled out, so
they are right whatever was imported before. `app.xml` names makecase, not the Word that
made python-docx's default template, and carries no page or word counts it cannot know.

A template saved by LibreOffice carries a few values Word's schema does not list; they are
mended in every part on the way out (`mend`), so that a template that went through an office
suite still gives DOCX files a strict validator passes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CORE_PART, APP_PART = "docProps/core.xml", "docProps/app.xml"
#: Every entry of a package is dated 1980-01-01 (the zip format's first day): same input, same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
#: A DOCX core property holds at most 255 characters in Word.
LIMIT = 255


@dataclass(frozen=True)
class Properties:
    """What a DOCX says about itself (docProps/core.xml and app.xml)."""

    title: str
    subject: str
    creator: str
    language: str  # Word's tag: nb-NO, nn-NO
    when: dt.datetime  # created and last modified: from the case, never the clock
    application: str  # makecase and its version
    company: str = ""
    status: str = ""  # "Utkast" for a draft


def _short(text: str) -> str:
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def core_xml(props: Properties) -> bytes:
    """Return docProps/core.xml: title, subject, creator, language, dates, revision and, for a
    draft, its status."""
    root = etree.Element(f"{{{CP}}}coreProperties", nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI})
    for tag, value in ((f"{{{DC}}}title", props.title), (f"{{{DC}}}subject", props.subject),
                       (f"{{{DC}}}creator", props.creator), (f"{{{CP}}}lastModifiedBy", props.creator),
                       (f"{{{CP}}}revision", "1"), (f"{{{DC}}}language", props.language),
                       (f"{{{CP}}}contentStatus", props.status)):
        if value:
            etree.SubElement(root, tag).text = _short(value)
    stamp = props.when.strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("created", "modified"):
        element = etree.SubElement(root, f"{{{DCTERMS}}}{tag}")
        element.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
        element.text = stamp
    return _xml(root)


def app_xml(props: Properties) -> bytes:
    """Return docProps/app.xml: the application that wrote the file, and nothing it cannot know."""
    root = etree.Element(f"{{{EXTENDED}}}Properties", nsmap={None: EXTENDED, "vt": VT})
    for tag, value in (("Application", props.application), ("DocSecurity", "0"), ("ScaleCrop", "false"),
                       ("Company", _short(props.company)), ("LinksUpToDate", "false"),
                       ("SharedDoc", "false"), ("HyperlinksChanged", "false")):
        if value:
            etree.SubElement(root, f"{{{EXTENDED}}}{tag}").text = value
    return _xml(root)


def repack(data: bytes, props: Properties, replace: dict[str, bytes] | None = None) -> bytes:
    """Return the package with its properties (and the parts in `replace`) written anew, every
    entry dated 1980-01-01 so that rendering twice gives the same bytes.

    Only parts the package has are replaced: a part added here would have no relationship
    and no content type.
    """
    parts = {CORE_PART: core_xml(props), APP_PART: app_xml(props), **(replace or {})}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in dict.fromkeys(source.namelist()):  # a name twice in a zip is never right
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = parts[name] if name in parts else source.read(name)
            target.writestr(entry, mend(data) if name.startswith("word/") and name.endswith(".xml") else data)
    return out.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: The marks of what LibreOffice writes that Word's schema does not list (found by saving every
#: template in LibreOffice and validating what makecase made from it: tests/test_word.py).
_SUITE_MARKS = (b"w:characterSet=", b'w:val="true"', b'w:val="start"', b'w:val="end"')
_TWICE = re.compile(rb"<w:(\w+)/><w:\1/>")
#: Word's switches (ST_OnOff) that LibreOffice writes with w:val="true"; the bare element says the same.
_SWITCHES = frozenset({
    "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow", "emboss", "imprint",
    "noProof", "snapToGrid", "vanish", "webHidden", "specVanish", "rtl", "cs", "keepNext", "keepLines",
    "pageBreakBefore", "widowControl", "suppressLineNumbers", "suppressAutoHyphens", "contextualSpacing",
    "mirrorIndents", "bidi", "adjustRightInd", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
    "autoSpaceDN", "tblHeader", "cantSplit", "hidden", "noWrap", "tcFitText", "hideMark", "titlePg", "bidiVisual",
})
#: The property lists (of a run, a paragraph, a table, a row, a cell) in which LibreOffice may write
#: a property twice in a row: only there is the second one dropped.
_PROPERTIES = tuple(f"{{{W}}}{name}" for name in ("rPr", "pPr", "tblPr", "trPr", "tcPr"))


def mend(data: bytes) -> bytes:
    """Return a part of a Word file without LibreOffice's departures from Word's schema: a font's
    character set by name (w:characterSet), a numbering level aligned «start» or «end» (Word's
    schema has left and right), a switch written w:val="true" (the bare element says the same),
    and a property written twice in a row in a property list (<w:rPr><w:b/><w:b/>). Nothing else is
    touched: text, tabs, breaks, cells and grid columns stay as they are. A part with none of these
    is returned as it is."""
    if not any(mark in data for mark in _SUITE_MARKS) and not _TWICE.search(data):
        return data
    root = etree.fromstring(data)
    val = f"{{{W}}}val"
    changed = False
    for element in root.iter(f"{{{W}}}charset"):
        changed |= element.attrib.pop(f"{{{W}}}characterSet", None) is not None
    for element in root.iter(f"{{{W}}}lvlJc"):
        if element.get(val) in ("start", "end"):
            element.set(val, {"start": "left", "end": "right"}[element.get(val)])
            changed = True
    for element in root.iter(*(f"{{{W}}}{name}" for name in _SWITCHES)):
        if element.get(val) == "true":
            del element.attrib[val]
            changed = True
    for properties in list(root.iter(*_PROPERTIES)):
        for child in list(properties):
            previous = child.getprevious()
            if (previous is not None and previous.tag == child.tag and len(child) == 0 and len(previous) == 0
                    and dict(previous.attrib) == dict(child.attrib)):
                properties.remove(child)
                changed = True
    if not changed:
        return data
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
