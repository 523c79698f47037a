"""The document tree → the only thing the renderers see (compose makes it, render reads it).

A small, closed set of frozen nodes in the manner of pandoc's AST. Inline markup is a
node that wraps its children (Bold(children)), not a flag on a run. Both renderers
read the same tree, so the DOCX and the PDF say the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Union

from generator.xmltext import xml_safe as clean

#: «§ 12», «§§ 11-4»: the sign and its number on one line, whoever typed the space (Språkrådet's rule;
#: makecase's own numbers already carry a no-break space).
_PARAGRAPH_SIGN = re.compile(r"(§§?) (?=\d)")


# --- inlines -------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    text: str
    #: the language of these words where it is not the document's (BCP 47: nb, nn): a caseworker's
    #: bokmål text in a nynorsk kommune's edition, so that a screen reader and a spelling check take
    #: them as what they are
    lang: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", _PARAGRAPH_SIGN.sub("\\1\u00a0", clean(self.text)))


@dataclass(frozen=True)
class Bold:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Italic:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Link:
    children: tuple["Inline", ...]
    url: str


@dataclass(frozen=True)
class LineBreak:
    pass


Inline = Union[Text, Bold, Italic, Link, LineBreak]
Inlines = tuple[Inline, ...]


def text(value: str) -> Inlines:
    """Return plain text as inline content."""
    return (Text(value),)


def in_language(node, lang: str):
    """Return a tree node (a block, an inline, or a tuple of them) with every text in it marked
    as written in `lang`."""
    if isinstance(node, Text):
        return replace(node, lang=lang)
    if isinstance(node, tuple):
        return tuple(in_language(child, lang) for child in node)
    if is_dataclass(node):
        changed = {f.name: in_language(getattr(node, f.name), lang) for f in fields(node)
                   if isinstance(getattr(node, f.name), (tuple, Text)) or is_dataclass(getattr(node, f.name))}
        return replace(node, **changed)
    return node


def plain(inlines: Inlines) -> str:
    """Return the words of inline content without markup."""
    parts = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append("\n")
        else:
            parts.append(plain(node.children))
    return "".join(parts)


# --- blocks --------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading; level 1 is the document's title, 2 a main section, 3–4 below it."""

    level: int
    content: Inlines


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `role` picks its style: normal, ingress (a lead line under a title), or byline
    (the author under a title, set as normal text)."""

    content: Inlines
    role: str = "normal"


@dataclass(frozen=True)
class BulletList:
    items: tuple[tuple["Block", ...], ...]


@dataclass(frozen=True)
class OrderedList:
    items: tuple[tuple["Block", ...], ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    """A table of inline cells. `header` is repeated on each page; `footer` is a closing row
    such as a budget's SUM; `widths` are fractions of the text width; `align` is left or right
    per column (amounts are right-aligned)."""

    rows: tuple[tuple[Inlines, ...], ...]
    header: tuple[Inlines, ...] | None = None
    footer: tuple[Inlines, ...] | None = None
    widths: tuple[float, ...] | None = None
    borders: bool = True
    align: tuple[str, ...] | None = None

    def alignment(self, column: int) -> str:
        return self.align[column] if self.align and column < len(self.align) else "left"


    @property
    def all_rows(self) -> tuple[tuple[Inlines, ...], ...]:
        """Every row in reading order: header, body rows, footer."""
        return (*((self.header,) if self.header else ()), *self.rows, *((self.footer,) if self.footer else ()))

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.all_rows), default=0)


@dataclass(frozen=True)
class Framed:
    """Blocks set off in a frame: the innstilling, as municipalities set it off, and the
    violations that open a draft."""

    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Heading, Paragraph, BulletList, OrderedList, Table, Framed, PageBreak]


# --- the document --------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A labelled value in a document's header, e.g. Arkivsak: 2020/18145-1."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Letterhead:
    """The organisation's letterhead: its name, address lines and logo, the same in every format.

    `logo` is a path inside the project folder (cases/…), an SVG or PNG file; `alt` describes it
    for screen readers."""

    name: str
    lines: tuple[str, ...] = ()
    logo: str | None = None
    alt: str | None = None


@dataclass(frozen=True)
class Masthead:
    """The head of a document's first page: letterhead, its type, header fields and saksgang table."""

    doctype: str
    organisation: str
    fields: tuple[Field, ...] = ()
    saksgang: Table | None = None
    letterhead: Letterhead | None = None


@dataclass(frozen=True)
class DocInfo:
    """What a document says about itself: metadata and the running header/footer."""

    title: str
    author: str
    subject: str
    language: str  # BCP 47: nb or nn
    date: dt.date | None
    running_left: str
    running_right: str
    page_label: str  # "Side {side} av {sider}"
    watermark: str | None = None  # "UTKAST" on every page of a draft
    restriction: str | None = None  # "Unntatt offentlighet: <hjemmel>" on every page of a closed case
    organisation: str = ""  # who publishes the document (DOCX: Company)


@dataclass(frozen=True)
class Document:
    """One output document: its Word template, file name, info, head and body."""

    template: str  # templates/<template>.docx and .typ: saksframlegg, vedlegg or moteinnkalling
    name: str  # file name without extension, e.g. 24-20-saksframlegg
    info: DocInfo
    masthead: Masthead
    body: tuple[Block, ...] = field(default=())


@dataclass(frozen=True)
class ForeignPdf:
    """A vedlegg that is a PDF already (a letter, a report, a scan): its pages as they are, the
    words a screen reader gets for them, and whether the file is PDF/A."""

    name: str  # file name without extension, e.g. 22-20-vedlegg-1-aktivitetsrapport-2020
    title: str
    data: bytes
    pages: int
    descriptions: tuple[str, ...]  # what each page is, for the figure that holds it in a tagged package
    info: DocInfo | None = None  # the running header and footer its pages get in a package
    pdfa: str | None = None  # the PDF/A level the file claims, e.g. "2B"


@dataclass(frozen=True)
class BundlePart:
    """A document in a bundle under a heading of its own (PS 24/20 …, Vedlegg 1: …); a case with
    no document is its heading alone."""

    heading: str
    level: int  # 1: a case or the summons, 2: a vedlegg
    document: Document | None = None
    note: str | None = None  # what stands under the heading of a part with no document
    pdf: ForeignPdf | None = None  # a vedlegg whose pages join the bundle as they are
    #: the heading is the document's own title (the summons: «Møteinnkalling» once, under the letterhead)
    is_title: bool = False


@dataclass(frozen=True)
class Bundle:
    """Documents made one: a meeting package, numbered through, a bookmark per part."""

    name: str
    info: DocInfo
    parts: tuple[BundlePart, ...]
