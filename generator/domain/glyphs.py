"""A text → whether the shipped fonts can draw every character of it (so that none is drawn as an empty box).

A PDF shows a character only if one of its fonts has a glyph for it. Without one, the
typesetter draws the font's empty box while the text layer still says the character: the page
and its extracted text disagree. makecase refuses such a character when it loads a case, with
the file and line, instead of printing something other than what was written.

The code points come from each font's `cmap` table (formats 4 and 12, the two Unicode
subtables every TrueType font has); reading them takes a few milliseconds, once per process.
"""

from __future__ import annotations

import re
import struct
import unicodedata
from functools import lru_cache
from importlib import resources

#: The fonts the templates set text in (see templates/makecase.typ): the family and its fallback.
FONTS = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf",
         "LiberationSans-BoldItalic.ttf", "DejaVuSans.ttf")
FAMILIES = "Liberation Sans, DejaVu Sans"
#: Invisible controls that reorder the text around them (Unicode bidi embeddings, overrides and
#: isolates): a title could read differently on the page than in the file.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
_BIDI = re.compile("[" + "".join(sorted(BIDI_CONTROLS)) + "]")
#: A character outside Latin and general punctuation, which every shipped font has (no cmap to read).
_BEYOND_LATIN = re.compile("[^\x00-\u024f\u2000-\u206f]")


def _cmap(data: bytes) -> set[int]:
    """Return the code points a TrueType font maps to a glyph other than .notdef."""
    tables = {data[12 + 16 * i:16 + 16 * i]: struct.unpack_from(">II", data, 20 + 16 * i)
              for i in range(struct.unpack_from(">H", data, 4)[0])}
    start, _ = tables[b"cmap"]
    points: set[int] = set()
    for index in range(struct.unpack_from(">H", data, start + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, start + 4 + 8 * index)
        if (platform, encoding) not in ((3, 1), (3, 10), (0, 3), (0, 4)):
            continue
        table = start + offset
        form = struct.unpack_from(">H", data, table)[0]
        if form == 4:
            points |= _format4(data, table)
        elif form == 12:
            count = struct.unpack_from(">I", data, table + 12)[0]
            for group in range(count):
                first, last, glyph = struct.unpack_from(">III", data, table + 16 + 12 * group)
                points.update(range(first, last + 1) if glyph else range(first + 1, last + 1))
    return points


def _format4(data: bytes, table: int) -> set[int]:
    segments = struct.unpack_from(">H", data, table + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, table + 14)
    starts = struct.unpack_from(f">{segments}H", data, table + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, table + 16 + 4 * segments)
    range_at = table + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    points = set()
    for i, (first, last, delta, offset) in enumerate(zip(starts, ends, deltas, offsets)):
        last = min(last, 0xFFFE)
        if offset == 0:  # glyph = code + delta: the whole segment, but the code that lands on .notdef
            points.update(range(first, last + 1))
            if first <= (-delta) & 0xFFFF <= last:
                points.discard((-delta) & 0xFFFF)
            continue
        glyphs = struct.unpack_from(f">{last - first + 1}H", data, range_at + 2 * i + offset)
        points.update(code for code, glyph in zip(range(first, last + 1), glyphs) if glyph and (glyph + delta) & 0xFFFF)
    return points


@lru_cache(maxsize=1)
def covered() -> frozenset[int]:
    """Return every code point one of the shipped fonts can draw."""
    folder = resources.files("generator").joinpath("fonts")
    points: set[int] = set()
    for name in FONTS:
        points |= _cmap(folder.joinpath(name).read_bytes())
    return frozenset(points)


def problem(text: str) -> str | None:
    """Return what in `text` cannot be printed as written (in Norwegian), or None.

    Whitespace and invisible format characters (soft hyphen, zero-width joiners) need no glyph;
    controls that reorder text are refused outright.
    """
    if text.isascii():
        return None
    control = _BIDI.search(text)
    if control:
        return (f"usynlig tegn som snur skriveretningen (U+{ord(control.group()):04X}); teksten kunne da stå i en "
                "annen rekkefølge i dokumentet enn i filen. Fjern tegnet")
    if not _BEYOND_LATIN.search(text):
        return None
    points = covered()
    for char in text:
        if ord(char) >= 0x250 and ord(char) not in points and not char.isspace() and unicodedata.category(char) != "Cf":
            return (f"tegnet «{char}» (U+{ord(char):04X}) finnes ikke i skriftene dokumentene skrives med "
                    f"({FAMILIES}), og ville blitt en tom firkant i PDF-en. Bytt det ut eller fjern det")
    return None
