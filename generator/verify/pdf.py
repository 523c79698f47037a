"""A PDF file → the PDF/A-2a and PDF/UA-1 requirements it meets, checked one by one (for `makecase verifiser`).

makecase's PDFs go to the archive (PDF/A-2, ISO 19005-2:2011) and to readers who use a screen
reader (PDF/UA-1, ISO 14289-1:2014). Each check names its source: a clause of ISO 19005-2 where
one applies, otherwise a Matterhorn Protocol 1.1 checkpoint ("UA 14-003") or, where no
checkpoint fits exactly, the clause of ISO 14289-1 ("PDF/UA 7.5"). The checks read what a
screen reader reads: the structure tree, the marked content that ties it to the page, and the
ToUnicode maps that turn the drawn glyphs back into text.

The reference validators (veraPDF, PAC) cannot be installed here; the last check runs
`generator.verify.pdfa.validate`: pikepdf's allowlist validator with veraPDF's rules for the B level,
which every PDF/A-2 file must meet. It knows no level A and no PDF/UA: the checks above add them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from generator.domain.messages import antall
from generator.verify.pdfa import validate


@dataclass(frozen=True)
class Requirement:
    """One requirement of PDF/A-2a or PDF/UA-1, and whether the file meets it (not a finding:
    a verdict on a file, printed by `makecase verifiser` whether met or not)."""

    rule: str  # the clause of ISO 19005-2, or the Matterhorn checkpoint / ISO 14289-1 clause
    name: str  # what is checked, in Norwegian
    passed: bool
    detail: str = ""


PDFUAID = "http://www.aiim.org/pdfua/ns/id/"

#: The standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4), the ones PDF/UA-1 knows.
STANDARD_TYPES = frozenset(
    "Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private "
    "P H H1 H2 H3 H4 H5 H6 L LI Lbl LBody Table TR TH TD THead TBody TFoot "
    "Span Quote Note Reference BibEntry Code Link Annot Ruby RB RT RP Warichu WT WP "
    "Figure Formula Form".split()
)
HEADINGS = {f"H{n}": n for n in range(1, 7)}
#: A BCP 47 language tag, syntax only (RFC 5646, 2.1): nb, nn, nb-NO, x-default is not one.
BCP47 = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z]{3}){0,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|\d{3}))?"
                   r"(-([A-Za-z\d]{5,8}|\d[A-Za-z\d]{3}))*(-[0-9A-WY-Za-wy-z](-[A-Za-z\d]{2,8})+)*(-x(-[A-Za-z\d]{1,8})+)?$")
#: The operators the content walk needs: marked content, font state, text showing, XObjects.
OPERATORS = "BDC BMC EMC Tf Tj TJ ' \" Do q Q BI"
TEXT_SHOWING = frozenset({"Tj", "TJ", "'", '"'})


def _key(obj) -> tuple:
    """Return an identity for a PDF object: its object number, or its bytes when it is direct."""
    return obj.objgen if obj.is_indirect else ("direct", obj.unparse())


def _fonts(pdf: pikepdf.Pdf):
    """Yield every font dictionary the pages (and their form XObjects) use."""
    seen = set()

    def from_resources(resources):
        if resources is None:
            return
        for font in (resources.get("/Font") or {}).values():
            if _key(font) not in seen:
                seen.add(_key(font))
                yield font
                yield from (d for d in (font.get("/DescendantFonts") or []))
        for xobject in (resources.get("/XObject") or {}).values():
            if xobject.get("/Subtype") == "/Form" and _key(xobject) not in seen:
                seen.add(_key(xobject))
                yield from from_resources(xobject.get("/Resources"))

    for page in pdf.pages:
        yield from from_resources(page.obj.get("/Resources"))


def _font_name(font) -> str:
    """Return a font's name without the subset prefix (ABCDEF+LiberationSans → LiberationSans)."""
    name = font.get("/BaseFont", font.get("/Name"))
    if name is None:
        return "Type 3-skrift" if font.get("/Subtype") == "/Type3" else "skrift uten navn"
    return re.sub(r"^[A-Z]{6}\+", "", str(name).lstrip("/"))


def _unembedded(pdf: pikepdf.Pdf) -> list[str]:
    missing = []
    for font in _fonts(pdf):
        if font.get("/Subtype") in ("/Type0", "/Type3"):
            continue  # Type0 is checked through its descendant; Type3 glyphs are content streams
        descriptor = font.get("/FontDescriptor")
        if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            missing.append(str(font.get("/BaseFont", "?")).lstrip("/"))
    return sorted(set(missing))


def _actions(pdf: pikepdf.Pdf) -> list[str]:
    """Return the forbidden actions and external references found anywhere in the file."""
    forbidden = {"/JavaScript", "/Launch", "/GoToR", "/GoToE", "/ImportData", "/Movie", "/Sound", "/ResetForm", "/Hide"}
    found = []
    names = pdf.Root.get("/Names")
    if names is not None and "/JavaScript" in names:
        found.append("JavaScript i /Names")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") in forbidden:
            found.append(f"handling {obj.get('/S')}")
        if isinstance(obj, pikepdf.Stream) and any(k in obj.stream_dict for k in ("/F", "/FFilter", "/FDecodeParms")):
            found.append("strøm med ekstern fil (/F)")
    return found


_OBJ = re.compile(rb"(?:^|[\r\n])(\d+) (\d+) obj\b")
_STREAM = re.compile(rb"stream(?:\r\n|\n)")
_END = re.compile(rb"(?:\r\n|\r|\n)endstream")


def _misplaced_streams(raw: bytes, pdf: pikepdf.Pdf) -> list[str]:
    """Return the streams whose /Length does not end on an end-of-line before `endstream`.

    pikepdf's validator reads parsed objects and cannot see this; the bytes are checked here.
    """
    bad = []
    headers: dict[tuple[int, int], int] = {}  # each object's first header, found in one pass
    for found in _OBJ.finditer(raw):
        headers.setdefault((int(found.group(1)), int(found.group(2))), found.end())
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        number, generation = obj.objgen
        header = headers.get((number, generation))
        opening = header is not None and _STREAM.search(raw, header)
        if not opening:
            continue  # an object inside an object stream is never a stream
        end = opening.end() + int(obj.stream_dict.get("/Length", -1))
        if not _END.match(raw, end):
            bad.append(f"{number} {generation} obj")
    return bad


def _xmp(pdf: pikepdf.Pdf) -> dict[str, str]:
    if "/Metadata" not in pdf.Root:
        return {}
    meta = pdf.open_metadata()
    keys = ("pdfaid:part", "pdfaid:conformance", "dc:title", "dc:creator", "xmp:CreateDate", "xmp:ModifyDate", "pdf:Producer")
    found = {k: str(meta.get(k, "")) for k in keys}
    creators = meta.get("dc:creator") or []  # a sequence: its text is the first entry (6.6.3, Table 1)
    found["dc:creator"] = str(next(iter(creators), "")) if isinstance(creators, (list, tuple)) else str(creators)
    found["pdfuaid:part"] = str(meta.get(f"{{{PDFUAID}}}part", ""))
    return found


_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:(Z)|([+-])(\d{2})'?(\d{2})?'?)?")
_XMP_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?)?)?(?:(Z)|([+-])(\d{2}):(\d{2}))?")


def _instant(match: re.Match | None) -> dt.datetime | None:
    """Return the moment a parsed PDF or XMP date names (None if it names none)."""
    if match is None:
        return None
    year, month, day, hour, minute, second, zulu, sign, tz_hour, tz_minute = match.groups()
    try:
        offset = dt.timedelta(hours=int(tz_hour or 0), minutes=int(tz_minute or 0)) * (-1 if sign == "-" else 1)
        moment = dt.datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                             int(second or 0), tzinfo=dt.timezone(offset))
    except (ValueError, OverflowError):
        return None
    return moment if int(year) >= 1000 else None


def _bad_dates(info, xmp: dict[str, str]) -> list[str]:
    """Return what is wrong with the document information's dates: a date that is not a PDF date
    (ISO 32000-1, 7.9.4), or one that differs from its XMP twin (ISO 19005-2, 6.6.3)."""
    found = []
    for key, twin in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key not in info:
            continue
        text = str(info[key])
        moment = _instant(_PDF_DATE.fullmatch(text))
        if moment is None:
            found.append(f"{key[1:]} «{text}» er ikke en gyldig dato")
        elif xmp.get(twin) and _instant(_XMP_DATE.fullmatch(xmp[twin])) != moment:
            found.append(f"{key[1:]} «{text}» og {twin} «{xmp[twin]}» er ikke samme tidspunkt")
    return found


# --- the structure tree ------------------------------------------------------------------


def _resolve(role: str, rolemap) -> str | None:
    """Return the standard type a structure type maps to through /RoleMap (None: none, or a cycle)."""
    seen = set()
    while role not in STANDARD_TYPES:
        if role in seen or rolemap is None or f"/{role}" not in rolemap:
            return None
        seen.add(role)
        role = str(rolemap[f"/{role}"]).lstrip("/")
    return role


def _number_tree(node, into: dict, depth: int = 0) -> dict:
    """Return a number tree's entries (PDF 32000-1, 7.9.7) as a dict, reading /Nums and /Kids."""
    if node is None or depth > 32:
        return into
    nums = node.get("/Nums") or []
    for i in range(0, len(nums) - 1, 2):
        into[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids") or []:
        _number_tree(kid, into, depth + 1)
    return into


@dataclass
class Element:
    """One structure element, in document order, with its resolved standard type."""
    role: str  # as written in /S
    type: str | None  # after role mapping; None when it maps to no standard type
    obj: pikepdf.Dictionary
    children: list[Element] = field(default_factory=list)


@dataclass
class Structure:
    elements: list[Element] = field(default_factory=list)  # depth-first, document order
    #: (page or form XObject, MCID) pairs the tree reaches through /K (an integer or an MCR)
    marked: set[tuple] = field(default_factory=set)
    #: /ParentTree as a dict: a page's or form's /StructParents → the elements of its MCIDs
    parent_tree: dict = field(default_factory=dict)


def _structure(root) -> Structure:
    """Walk the structure tree once, in order: its elements and the marked content they own."""
    found = Structure()
    if root is None:
        return found
    rolemap = root.get("/RoleMap")
    seen = set()

    def kids(value):
        return list(value) if isinstance(value, pikepdf.Array) else [] if value is None else [value]

    def walk(node, page, parent: Element | None) -> None:
        for kid in kids(node.get("/K")):
            if isinstance(kid, int):  # pikepdf gives integers as int: an MCID on the element's page
                if page is not None:
                    found.marked.add((_key(page), int(kid)))
                continue
            if not isinstance(kid, pikepdf.Dictionary):
                continue
            kind = kid.get("/Type")
            if kind == "/MCR":
                owner = next((o for o in (kid.get("/Stm"), kid.get("/Pg"), page) if o is not None), None)
                if owner is not None and "/MCID" in kid:
                    found.marked.add((_key(owner), int(kid.MCID)))
                continue
            if kind == "/OBJR" or "/S" not in kid:
                continue
            if kid.is_indirect:
                if kid.objgen in seen:
                    continue  # a cycle, or an element reached twice
                seen.add(kid.objgen)
            role = str(kid.S).lstrip("/")
            element = Element(role, _resolve(role, rolemap), kid)
            found.elements.append(element)
            if parent is not None:
                parent.children.append(element)
            walk(kid, kid.get("/Pg", page), element)

    walk(root, None, None)
    found.parent_tree = _number_tree(root.get("/ParentTree"), {})
    return found


def _owned_by_parent_tree(structure: Structure, owner) -> set[int]:
    """Return the MCIDs of a page or form XObject that /ParentTree maps to a structure element."""
    index = owner.get("/StructParents")
    entry = structure.parent_tree.get(int(index)) if index is not None else None
    if not isinstance(entry, pikepdf.Array):
        return set()
    return {mcid for mcid, element in enumerate(entry) if isinstance(element, pikepdf.Dictionary)}


def _heading_skip(elements: list[Element]) -> str:
    """Return the first downward skip of heading levels (H1 then H3), described; empty if none."""
    previous, number = None, 0
    for element in elements:
        level = HEADINGS.get(element.type or "")
        if level is None:
            continue
        number += 1
        title = str(element.obj.get("/T", "")) or str(element.obj.get("/Alt", ""))
        here = f"{element.type} nr. {number}" + (f" «{title}»" if title else "")
        if previous is None and level > 1:
            return f"første overskrift er {here}"
        if previous is not None and level > previous[0] + 1:
            return f"{previous[1]} følges av {here}"
        previous = (level, here)
    return ""


def _descendants(element: Element):
    for child in element.children:
        yield child
        yield from _descendants(child)


def _tables_without_th(elements: list[Element]) -> list[str]:
    tables = [e for e in elements if e.type == "Table"]
    return [f"tabell nr. {n}" for n, table in enumerate(tables, 1)
            if not any(d.type == "TH" for d in _descendants(table))]


def _broken_lists(elements: list[Element]) -> list[str]:
    """Return the lists without list items, and the items without a body (Lbl is optional)."""
    problems = []
    for n, lst in enumerate((e for e in elements if e.type == "L"), 1):
        items = [c for c in lst.children if c.type == "LI"]
        if not items:
            problems.append(f"liste nr. {n} har ingen LI")
        for i, item in enumerate(items, 1):
            if not any(c.type == "LBody" for c in item.children):
                problems.append(f"liste nr. {n}, punkt {i} har ingen LBody")
    return problems


def _figures_without_alt(elements: list[Element]) -> list[str]:
    figures = [e for e in elements if e.type == "Figure"]
    return [f"figur nr. {n}" for n, figure in enumerate(figures, 1)
            if not str(figure.obj.get("/Alt", "")).strip() and not str(figure.obj.get("/ActualText", "")).strip()]


# --- the content streams -----------------------------------------------------------------

_HEX = rb"<([0-9A-Fa-f\s]*)>"
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_PAIR = re.compile(_HEX + rb"\s*" + _HEX)
_RANGE = re.compile(_HEX + rb"\s*" + _HEX + rb"\s*(?:" + _HEX + rb"|\[(.*?)\])", re.S)


def _hex(text: bytes) -> bytes:
    return bytes.fromhex(re.sub(rb"\s", b"", text).decode())


def _codespace(cmap: bytes) -> list[tuple[bytes, bytes]]:
    """Return a CMap's code space ranges as (low, high) byte strings."""
    ranges = []
    for block in re.findall(rb"begincodespacerange(.*?)endcodespacerange", cmap, re.S):
        ranges += [(_hex(low), _hex(high)) for low, high in _PAIR.findall(block)]
    return ranges


class _Font:
    """What a text-showing operator needs of a font: how its string operands split into codes."""

    def __init__(self, font):
        self.key = _key(font)
        encoding = font.get("/Encoding")
        self.width = 1 if font.get("/Subtype") != "/Type0" else 2  # Identity-H/V: two bytes a code
        self.ranges = _codespace(encoding.read_bytes()) if self.width == 2 and isinstance(encoding, pikepdf.Stream) else []
        if self.ranges and {len(low) for low, _ in self.ranges} == {2}:
            self.ranges = []  # an embedded CMap of two-byte codes only splits as Identity-H does

    def codes(self, data: bytes):
        """Return the character codes the bytes of a string operand show (PDF 32000-1, 9.7.6.2)."""
        if not self.ranges:
            if self.width == 1:
                return data
            codes = array("H", data[: len(data) // 2 * 2])
            if sys.byteorder == "little":
                codes.byteswap()  # two-byte codes are big-endian
            return codes
        codes, i = [], 0
        while i < len(data):
            for n in range(1, 5):
                code = data[i:i + n]
                if any(len(low) == n == len(code) and all(a <= c <= b for a, c, b in zip(low, code, high))
                       for low, high in self.ranges):
                    break
            else:
                n = 1  # no range matches: the spec lets a reader skip one byte
            codes.append(int.from_bytes(data[i:i + n], "big"))
            i += n
        return codes


@dataclass
class _Content:
    """What the content walk finds: unmarked drawing per page, and the codes each font shows."""
    untagged: Counter = field(default_factory=Counter)  # page number → text operators outside tags
    images: Counter = field(default_factory=Counter)  # page number → images outside tags
    orphaned: Counter = field(default_factory=Counter)  # page number → text in an MCID the tree misses
    codes: dict = field(default_factory=lambda: defaultdict(set))  # font key → codes shown
    fonts: dict = field(default_factory=dict)  # font key → _Font
    unreadable: list = field(default_factory=list)  # the content streams that cannot be parsed
    #: the form drawings walked, by page, form, marked-content state, font and owner: a form drawn
    #: again in the same way adds nothing new (and a file of forms drawing forms forty times over,
    #: ten deep, is walked once per form, not 40¹⁰ times)
    walked: set = field(default_factory=set)


def _walk_content(instructions, resources, owner_key, owned: set[int], state, page_no: int,
                  found: _Content, structure: Structure, parsed: dict, font=None, depth: int = 0) -> None:
    """Walk one content stream: track BDC/BMC/EMC nesting and the font, count what is drawn unmarked.

    The marked-content state is None (not marked), "artifact", "tagged" (in an MCID the
    structure tree owns) or "orphan" (in an MCID it does not); an artifact wins over any tag.

    A form XObject drawn with `Do` is walked with the marked-content state in force where it is
    drawn, and with the font in force there; its own MCIDs belong to the form (owner_key) when it
    has /StructParents.
    """
    stack = [state]
    fonts_res = (resources.get("/Font") if resources is not None else None) or {}
    font_stack = []
    for instruction in instructions:
        operator = str(instruction.operator)
        operands = instruction.operands
        if operator in TEXT_SHOWING:
            current = stack[-1]
            if current is None:
                found.untagged[page_no] += 1
            elif current == "orphan":
                found.orphaned[page_no] += 1
            if font is not None:  # Tj ' and " show their last operand; TJ the strings of its array
                strings = operands[0] if operator == "TJ" else [operands[-1]]
                codes = found.codes[font.key]
                for string in strings:
                    if isinstance(string, pikepdf.String):
                        codes.update(font.codes(bytes(string)))
        elif operator == "BDC" and len(operands) == 2:
            tag, properties = operands
            if isinstance(properties, pikepdf.Name) and resources is not None:
                properties = (resources.get("/Properties") or {}).get(properties)
            if tag == "/Artifact" or stack[-1] == "artifact":
                stack.append("artifact")
            elif isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                mcid = int(properties.MCID)
                stack.append("tagged" if mcid in owned or (owner_key, mcid) in structure.marked else "orphan")
            else:
                stack.append(stack[-1])
        elif operator == "BMC":
            stack.append("artifact" if operands and operands[0] == "/Artifact" or stack[-1] == "artifact" else stack[-1])
        elif operator == "EMC":
            if len(stack) > 1:
                stack.pop()
        elif operator == "Tf":
            dictionary = fonts_res.get(operands[0]) if operands and isinstance(operands[0], pikepdf.Name) else None
            if isinstance(dictionary, pikepdf.Dictionary):
                key = _key(dictionary)
                font = found.fonts.get(key) or found.fonts.setdefault(key, _Font(dictionary))
            else:
                font = None
        elif operator == "q":
            font_stack.append(font)
        elif operator == "Q":
            if font_stack:
                font = font_stack.pop()
        elif operator == "Do":
            xobjects = (resources.get("/XObject") if resources is not None else None) or {}
            xobject = xobjects.get(operands[0]) if operands and isinstance(operands[0], pikepdf.Name) else None
            if not isinstance(xobject, pikepdf.Stream):
                continue
            if xobject.get("/Subtype") == "/Image":
                if stack[-1] is None:
                    found.images[page_no] += 1
            elif xobject.get("/Subtype") == "/Form" and depth < 16:
                key = _key(xobject)
                if key not in parsed:
                    parsed[key] = pikepdf.parse_content_stream(xobject, OPERATORS)
                if "/StructParents" in xobject:
                    form_key, form_owned = key, _owned_by_parent_tree(structure, xobject)
                else:
                    form_key, form_owned = owner_key, owned
                drawing = (page_no, key, stack[-1], font.key if font is not None else None, form_key)
                if drawing in found.walked:
                    continue
                found.walked.add(drawing)
                _walk_content(parsed[key], xobject.get("/Resources") or resources, form_key, form_owned,
                              stack[-1], page_no, found, structure, parsed, font, depth + 1)
        elif operator == "INLINE IMAGE" and stack[-1] is None:
            found.images[page_no] += 1


def _content(pdf: pikepdf.Pdf, structure: Structure) -> _Content:
    """Walk every page's content once, with the form XObjects it draws."""
    found, parsed = _Content(), {}
    for page_no, page in enumerate(pdf.pages, 1):
        owned = _owned_by_parent_tree(structure, page.obj)
        try:
            instructions = pikepdf.parse_content_stream(page, OPERATORS)
            _walk_content(instructions, page.obj.get("/Resources"), _key(page.obj), owned, None, page_no,
                          found, structure, parsed)
        except pikepdf.PdfError as err:
            found.unreadable.append(f"side {page_no}: innholdet kan ikke leses ({err})")
    return found


def _untagged(content: _Content) -> list[str]:
    """Describe, page by page, the text and images that are neither tagged nor an artifact."""
    lines = list(content.unreadable)
    for page_no in sorted(set(content.untagged) | set(content.images) | set(content.orphaned)):
        parts = []
        if content.untagged[page_no]:
            parts.append(antall(content.untagged[page_no], "tekstoperasjon", "tekstoperasjoner") + " uten tagg")
        if content.images[page_no]:
            parts.append(antall(content.images[page_no], "bilde", "bilder") + " uten tagg")
        if content.orphaned[page_no]:
            parts.append(antall(content.orphaned[page_no], "tekstoperasjon", "tekstoperasjoner")
                         + " med MCID som strukturtreet ikke viser til")
        lines.append(f"side {page_no}: " + ", ".join(parts))
    return lines


# --- ToUnicode ---------------------------------------------------------------------------

def _meaningful(destination: bytes) -> bool:
    """Return whether a ToUnicode value is text: not empty, not U+0000, U+FEFF or U+FFFF (6.2.11.7.2)."""
    return destination not in (b"", b"\x00\x00", b"\xfe\xff", b"\xff\xff") and destination != b"\x00"


def _to_unicode(cmap: bytes) -> tuple[set[int], list[tuple[int, int]]]:
    """Return the codes a ToUnicode CMap maps to text: single codes, and (first, last) ranges."""
    single, ranges = set(), []
    for block in _BFCHAR.findall(cmap):
        for source, destination in _PAIR.findall(block):
            if _meaningful(_hex(destination)):
                single.add(int.from_bytes(_hex(source), "big"))
    for block in _BFRANGE.findall(cmap):
        for low, high, destination, listed in _RANGE.findall(block):
            first, last = int.from_bytes(_hex(low), "big"), int.from_bytes(_hex(high), "big")
            if listed:
                values = [_hex(v) for v in re.findall(_HEX, listed)]
                single.update(first + i for i, v in enumerate(values[: last - first + 1]) if _meaningful(v))
            elif _meaningful(_hex(destination)):
                ranges.append((first, last))
    return single, ranges


#: The predefined encodings of a simple font that name a Unicode character for a code (ISO 32000-1,
#: 9.10.2): a font using one needs no ToUnicode (ISO 19005-2, 6.2.11.7.2). StandardEncoding and
#: MacExpertEncoding have no Python codec; their codes 32–255 are taken as mapped.
_ENCODINGS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman",
              "/StandardEncoding": None, "/MacExpertEncoding": None}


#: The standard 14 fonts with Latin text (Symbol and ZapfDingbats are symbolic).
_STANDARD_LATIN = re.compile(r"(Times|Helvetica|Courier)(-\w+)?$")


def _mapped_by_encoding(font):
    """Return, for a simple font without ToUnicode, a test of whether a code maps to Unicode
    through its encoding and glyph names (ISO 32000-1, 9.10.2), or None when nothing maps it:
    a «print to PDF» letter in Times or Helvetica carries WinAnsiEncoding and no ToUnicode."""
    if font.get("/Subtype") not in ("/Type1", "/MMType1", "/TrueType", "/Type3"):
        return None
    encoding = font.get("/Encoding")
    differences: dict[int, str] = {}
    if isinstance(encoding, pikepdf.Dictionary):
        code = 0
        for item in encoding.get("/Differences") or []:
            if isinstance(item, pikepdf.Name):
                differences[code] = str(item)[1:]
                code += 1
            else:
                code = int(item)
        encoding = encoding.get("/BaseEncoding")
    base = str(encoding) if isinstance(encoding, pikepdf.Name) and str(encoding) in _ENCODINGS else None
    symbolic = bool(int((font.get("/FontDescriptor") or {}).get("/Flags", 0)) & 4)
    if encoding is None and font.get("/Subtype") == "/Type1" and _STANDARD_LATIN.match(_font_name(font)):
        base = "/StandardEncoding"  # a standard Latin font's built-in encoding (ISO 32000-1, 9.6.6.2)
    if base is None and not differences or symbolic and not differences:
        return None

    def mapped(code: int) -> bool:
        if code in differences:
            from fontTools.agl import toUnicode

            return bool(toUnicode(differences[code]))
        if base is None or symbolic:
            return False
        codec = _ENCODINGS[base]
        if codec is None:
            return 32 <= code <= 255
        try:
            return unicodedata.category(bytes([code]).decode(codec)) != "Cc"
        except (UnicodeDecodeError, ValueError):
            return False

    return mapped


def _unmapped(pdf: pikepdf.Pdf, content: _Content) -> list[str]:
    """Return, per font, why the text it shows cannot all be turned back into Unicode."""
    problems = []
    fonts = {_key(f): f for f in _fonts(pdf) if f.get("/Subtype") != "/CIDFontType0" and f.get("/Subtype") != "/CIDFontType2"}
    for key, font in fonts.items():
        name = _font_name(font)
        to_unicode = font.get("/ToUnicode")
        used = content.codes.get(key)
        if not isinstance(to_unicode, pikepdf.Stream):
            by_encoding = _mapped_by_encoding(font)
            if by_encoding is None:
                problems.append(f"{name}: mangler ToUnicode")
            elif missing := [c for c in used or () if not by_encoding(c)]:
                problems.append(f"{name}: {antall(len(missing), 'tegnkode', 'tegnkoder')} uten Unicode")
            continue
        if not used:
            continue
        single, ranges = _to_unicode(to_unicode.read_bytes())
        missing = [c for c in used if c not in single and not any(lo <= c <= hi for lo, hi in ranges)]
        if missing:
            problems.append(f"{name}: {antall(len(missing), 'tegnkode', 'tegnkoder')} uten Unicode")
    return sorted(problems)


# --- the file ----------------------------------------------------------------------------


def foreign_pages(path: Path) -> list[tuple[int, str]]:
    """Return the pages that are a PDF vedlegg drawn into a package as a figure (page number,
    description): accessible as a description only, which `verifiser` says beside its verdict."""
    from generator.render.pdf.foreign import FIGURE_TITLE

    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, pikepdf.PasswordError):  # said by the checks already
        return []
    with pdf:
        numbers = {page.obj.objgen: n for n, page in enumerate(pdf.pages, 1)}
        tree = pdf.Root.get("/StructTreeRoot")
        elements = _structure(tree if isinstance(tree, pikepdf.Dictionary) else None).elements
        return [(numbers.get(e.obj.Pg.objgen, 0), str(e.obj.get("/Alt", ""))) for e in elements
                if e.type == "Figure" and str(e.obj.get("/T", "")) == FIGURE_TITLE and "/Pg" in e.obj]


def unicode_gaps(raw: bytes) -> list[str]:
    """Return, per font, why the text a PDF shows cannot all be read back as Unicode (6.2.11.7.2):
    a PDF vedlegg with such a font cannot join a package that claims level A."""
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        return _unmapped(pdf, _content(pdf, _structure(None)))


def level_gaps(raw: bytes, level: str) -> list[str]:
    """Return what a PDF from elsewhere lacks of the level it claims beyond B (`level` as claimed:
    2A, 1A, 3U …): level U asks that all text reads back as Unicode, level A that and tagging
    (a marked catalogue with a structure tree that reaches all text and images). The tagging is
    not judged further (headings, tables): it is the file's, and the archive keeps it as it is."""
    if level[1:] not in ("A", "U"):
        return []
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        structure = _structure(tree if isinstance(tree, pikepdf.Dictionary) else None)
        content = _content(pdf, structure)
        gaps = _unmapped(pdf, content)
        if level[1:] == "A":
            if not isinstance(tree, pikepdf.Dictionary):
                gaps.append("ingen strukturtre (/StructTreeRoot)")
            if (pdf.Root.get("/MarkInfo") or {}).get("/Marked") is not True:
                gaps.append("ikke merket som tagget (/MarkInfo /Marked)")
            gaps += _untagged(content)[:3]  # what the tree does not reach: text or images outside it
    return gaps


def check_file(path: Path) -> list[Requirement]:
    """Return every check of one PDF file; a file that cannot be opened fails the first."""
    return check_bytes(path.read_bytes())


#: The checks of the PDFs this process has judged, by SHA-256 and `validator`: the same bytes get
#: the same verdict, so a PDF judged before it is archived, or copied into each kommunestyre's
#: folder, is judged once (a meeting's `--arkiv` run judged its PDFs twice before).
_JUDGED: dict[tuple[bytes, bool], tuple[Requirement, ...]] = {}
_JUDGED_KEPT = 256


def check_bytes(raw: bytes, validator: bool = True) -> list[Requirement]:
    """Return every check of one PDF, given as bytes (a document about to be archived); without
    `validator`, all but pikepdf's PDF/A validator (`makecase se` runs it after publishing)."""
    key = (hashlib.sha256(raw).digest(), validator)
    if key not in _JUDGED:
        if len(_JUDGED) >= _JUDGED_KEPT:
            del _JUDGED[next(iter(_JUDGED))]  # the oldest: a batch's PDFs are not judged twice far apart
        _JUDGED[key] = tuple(_judge(raw, validator))
    return list(_JUDGED[key])


def _judge(raw: bytes, validator: bool) -> list[Requirement]:
    header_ok = raw.startswith(b"%PDF-") and any(b >= 128 for b in raw[raw.find(b"\n") + 1:][:6])
    try:
        pdf = pikepdf.open(io.BytesIO(raw))
    except pikepdf.PasswordError:
        return [Requirement("6.1.3", "ikke kryptert", False, "filen er kryptert og kan ikke åpnes uten passord")]
    except pikepdf.PdfError as err:
        return [Requirement("6.1.2", "filen er en lesbar PDF", False, str(err))]
    with pdf:
        root = pdf.Root
        info = pdf.trailer.get("/Info")
        xmp = _xmp(pdf)
        intents = [i for i in (root.get("/OutputIntents") or []) if i.get("/S") == "/GTS_PDFA1"]
        profile = intents[0].get("/DestOutputProfile") if intents else None
        unembedded = _unembedded(pdf)
        actions = _actions(pdf)
        misplaced = _misplaced_streams(raw, pdf)
        filtered = "/Metadata" in root and "/Filter" in root.Metadata.stream_dict
        unprinted = [
            str(a.get("/Subtype")) for page in pdf.pages for a in (page.obj.get("/Annots") or [])
            if a.get("/Subtype") != "/Popup" and not int(a.get("/F", 0)) & 4
        ]
        mark_info = root.get("/MarkInfo") or {}
        tree = root.get("/StructTreeRoot")
        structure = _structure(tree if isinstance(tree, pikepdf.Dictionary) else None)
        content = _content(pdf, structure)
        untagged = _untagged(content)
        unmapped_roles = sorted({e.role for e in structure.elements if e.type is None})
        heading_skip = _heading_skip(structure.elements)
        tables = _tables_without_th(structure.elements)
        lists = _broken_lists(structure.elements)
        figures = _figures_without_alt(structure.elements)
        unmapped = _unmapped(pdf, content)
        lang = str(root.get("/Lang", ""))
        display_title = (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle")
        info_title = str(info.get("/Title", "")) if isinstance(info, pikepdf.Dictionary) and "/Title" in info else None
        info_author = str(info.get("/Author", "")) if isinstance(info, pikepdf.Dictionary) and "/Author" in info else None
        bad_dates = _bad_dates(info, xmp) if isinstance(info, pikepdf.Dictionary) else []
        checks = [
            # 6.1.2: "%PDF-1.n" followed by a comment line of at least four bytes above 127.
            Requirement("6.1.2", "filhode med binærkommentar", header_ok),
            # 6.1.3: the trailer shall have an /ID and no /Encrypt.
            Requirement("6.1.3", "ikke kryptert", not pdf.is_encrypted),
            Requirement("6.1.3", "dokument-ID i trailer", "/ID" in pdf.trailer),
            # 6.1.7.1: /Length counts a stream's bytes exactly, and `endstream` starts a line of its own.
            Requirement("6.1.7.1", "strømmer: /Length stemmer og endstream står på egen linje", not misplaced,
                  ", ".join(misplaced[:5])),
            # 6.2.3: an OutputIntent GTS_PDFA1 with an embedded ICC profile (N components).
            Requirement("6.2.3", "OutputIntent (GTS_PDFA1) med innebygd ICC-profil", profile is not None,
                  "" if profile is not None else "mangler"),
            # 6.2.11.4.1: every font used shall be embedded (no standard-14 fonts without a font program).
            Requirement("6.2.11.4.1", "alle skrifter er innebygd", not unembedded, ", ".join(unembedded)),
            # 6.2.11.7.2 (level A): every code the pages show maps to Unicode, through a ToUnicode map or
            # a simple font's standard encoding and glyph names, so that the text a screen reader or a
            # search extracts is the text that is drawn.
            Requirement("6.2.11.7.2", "hver tegnkode som vises, har Unicode (ToUnicode eller standardkoding)", not unmapped,
                  "; ".join(unmapped[:5])),
            # 6.3.2: annotations shall have the Print flag set (and not be hidden).
            Requirement("6.3.2", "merknader skrives ut (Print-flagg)", not unprinted, ", ".join(unprinted)),
            # 6.5.1 and 6.1.7.1: no JavaScript, Launch or other forbidden actions; no external stream data.
            Requirement("6.5.1", "ingen JavaScript, eksterne handlinger eller referanser", not actions, ", ".join(actions)),
            # 6.6.2.1: the catalog shall have a /Metadata stream with XMP, without filters.
            Requirement("6.6.2.1", "XMP-metadata i katalogen, ukomprimert", bool(xmp) and not filtered),
            # 6.6.4: pdfaid:part and pdfaid:conformance identify the level: A, since the file is tagged.
            Requirement("6.6.4", "PDF/A-identifikasjon pdfaid:part=2, pdfaid:conformance=A",
                  xmp.get("pdfaid:part") == "2" and xmp.get("pdfaid:conformance") == "A",
                  f"part={xmp.get('pdfaid:part', '')}, conformance={xmp.get('pdfaid:conformance', '')}"),
            # Matterhorn 06-002 (ISO 14289-1, 5): the XMP names the PDF/UA part.
            Requirement("UA 06-002", "PDF/UA-identifikasjon pdfuaid:part=1", xmp.get("pdfuaid:part") == "1",
                  f"part={xmp.get('pdfuaid:part', '') or 'mangler'}"),
            # 6.6.3: document information entries, where there are any, shall match their XMP equivalents.
            Requirement("6.6.3", "tittel i XMP (dc:title) og informasjonsordbok stemmer",
                  info_title is None or info_title == xmp.get("dc:title", ""),
                  "" if info_title is None else f"Info «{info_title}», XMP «{xmp.get('dc:title', '')}»"),
            Requirement("6.6.3", "forfatter i XMP (dc:creator) og informasjonsordbok stemmer",
                  info_author is None or (bool(info_author) and info_author == xmp.get("dc:creator", ""))),
            Requirement("6.6.3", "datoene i informasjonsordboken er gyldige PDF-datoer og de samme som i XMP",
                  not bad_dates, "; ".join(bad_dates)),
            # Matterhorn 06-003: the title a screen reader announces is in the XMP.
            Requirement("UA 06-003", "tittel i XMP (dc:title) er ikke tom", bool(xmp.get("dc:title", "").strip())),
            # Matterhorn 07-001/07-002: the viewer shows that title, not the file name.
            Requirement("UA 07-001", "visningsinnstilling DisplayDocTitle er true", display_title is True,
                  "mangler" if display_title is None else str(display_title).lower()),
            # Matterhorn 11-001 (PDF 32000-1, 14.9.2): the default language, for text-to-speech.
            Requirement("UA 11-001", "språk satt i katalogen (/Lang, BCP 47)", bool(BCP47.match(lang)),
                  lang or "mangler"),
            # 6.7 is logical structure in ISO 19005-2 (6.8 there is embedded files; 6.8.x is PDF/A-1's numbering).
            # 6.7.2.2: a tagged PDF says so in /MarkInfo (Matterhorn 01-007: and is not marked as suspect).
            Requirement("6.7.2.2", "katalogen er merket som tagget (/MarkInfo /Marked true)",
                  bool(mark_info.get("/Marked", False)) and not bool(mark_info.get("/Suspects", False))),
            # 6.7.3: the structure hierarchy hangs from /StructTreeRoot (subclause from memory: 6.7.3).
            Requirement("6.7.3", "strukturtre (/StructTreeRoot) finnes", isinstance(tree, pikepdf.Dictionary)),
            # Matterhorn 01-005: every piece of text and image is real content in the tree or an artifact.
            Requirement("UA 01-005", "alt innhold er tagget eller merket som artefakt", not untagged, "; ".join(untagged[:5])),
            # Matterhorn 02-001 (ISO 19005-2, 6.7.3): every structure type is standard or role-mapped to one.
            Requirement("UA 02-001", "alle strukturtyper er standardtyper eller rollekoblet til en", not unmapped_roles,
                  ", ".join(unmapped_roles[:10])),
            # Matterhorn 14-003: heading levels go down one step at a time (H1 then H3 is a skip);
            # 14-002: the first heading is H1.
            Requirement("UA 14-003", "overskriftsnivåer hopper ikke over et nivå", not heading_skip, heading_skip),
            # ISO 14289-1, 7.5: tables have header cells a screen reader can announce.
            Requirement("PDF/UA 7.5", "hver tabell har overskriftsceller (TH)", not tables, ", ".join(tables[:5])),
            # ISO 14289-1, 7.6 (PDF 32000-1, 14.8.4.3.3): a list is L, its items LI, each with an LBody.
            Requirement("PDF/UA 7.6", "lister er L med LI, og hver LI har LBody", not lists, "; ".join(lists[:5])),
            # Matterhorn 13-004: every figure has a text alternative.
            Requirement("UA 13-004", "hver figur har alternativ tekst (/Alt eller /ActualText)", not figures,
                  ", ".join(figures[:5])),
        ]
    if not validator:
        return checks
    return [*checks, validator_verdict(validate(raw))]


def validator_verdict(findings: list[str]) -> Requirement:
    """Return pikepdf's validator's findings on a file as the last of its checks (`validate`)."""
    shown = sorted(findings, key=lambda f: not f.startswith("[violation]"))  # violations before what it cannot check
    return Requirement("pikepdf.pdfa", "PDF/A-2-reglene på B-nivå (pikepdfs validator, bygd på veraPDFs regler)",
                       not findings, f"{len(findings)} funn: " + "; ".join(shown[:3]) if findings else "")
