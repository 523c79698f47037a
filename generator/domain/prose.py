"""Prose (a Markdown subset) → document tree blocks.

Supported: paragraphs, headings, **bold**, *italic*, links, bullet and numbered lists,
simple tables, hard line breaks. Raw HTML is not passed through: `<b>` is the text
"<b>". Nothing in prose is ever evaluated; `{{`, `{%`, `&`, `_` and `]]>` are just text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from generator.domain import references
from generator import tree as t
MAX_HEADING_LEVEL = 4
#: The deepest nesting the documents show: lists in lists, and quotes in quotes. Deeper prose
#: is refused when it is loaded (markdown-it stops building blocks 20 levels down, and the
#: text under them would be lost without a word).
MAX_LIST_DEPTH = 6
MAX_QUOTE_DEPTH = 4


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Nesting is bounded by structure_problem (lists 6, quotes 4); room above that for tables in them.
    options = {"html": False, "linkify": False, "typographer": False, "maxNesting": 50}
    return MarkdownIt("commonmark", options).enable("table")


#: The link schemes that stay links unless the organisation allows more (see compose.lenker):
#: a document's link to smb:, file:, ms-msdt: or a UNC path would run something on the reader's machine.
SAFE_LINKS = frozenset({"https", "mailto"})


def parse(
    source: str,
    heading_base: int = 2,
    values: dict[str, str] | None = None,
    tables: dict[str, t.Table] | None = None,
    language: str = "nb",
    links: frozenset[str] = SAFE_LINKS,
    text_language: str | None = None,
) -> tuple[t.Block, ...]:
    """Return the blocks of a prose text.

    `heading_base` is the level of the section the prose sits in: `#` in the prose
    becomes a heading one level below it, `##` two levels below, and so on.
    `values` fills references (`[[sum_utgifter]]`, `[[§ id]]`, `[[kr 690000]]`; see
    generator.domain.references); a paragraph that is only a table reference (`[[utgiftstabell]]`)
    becomes that table from `tables`. Without `values`, references stay as written. A link
    whose scheme is not in `links` keeps its words as plain text. `text_language` marks the words
    as written in that language where it is not the document's (`language`); tables placed from
    `tables` keep the document's.
    """
    if values is not None:
        source = references.substitute(source, values, language)
    blocks = _parsed(source, heading_base, links)
    if text_language and text_language != language:
        blocks = t.in_language(blocks, text_language)
    return tuple(_place_table(b, tables or {}) for b in blocks)


@lru_cache(maxsize=512)
def _parsed(source: str, heading_base: int, links: frozenset[str]) -> tuple[t.Block, ...]:
    """Return the blocks of a text whose references are filled (remembered: the blocks are frozen,
    and a batch or `makecase se` parses the same long texts again and again)."""
    tokens = _parser().parse(_literal(source))
    for token in tokens:
        for child in token.children or ():
            if child.type == "link_open" and _scheme(str(child.attrGet("href") or "")) not in links:
                child.attrSet("href", "")  # read below as a link to nowhere: its words, no link
    return tuple(_blocks(SyntaxTreeNode(tokens).children, heading_base))


def _scheme(href: str) -> str:
    """Return a URL's scheme in lower case ("" for a relative one or a Windows path)."""
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]+):", href)
    return match.group(1).lower() if match else ""


# Outside autolinks and code spans, "_" and "&" are just characters: emphasis is * and **,
# and there are no HTML entities, so __init__, snake_case and "&amp;" come out as written.
_PLAIN = re.compile(r"(<[^<>\s]+>|`[^`]*`)|(?<!\\)([_&])")


def _literal(source: str) -> str:
    return _PLAIN.sub(lambda m: m.group(1) or "\\" + m.group(2), source)


def _place_table(block: t.Block, tables: dict[str, t.Table]) -> t.Block:
    if isinstance(block, t.Paragraph):
        name = references.table_name(t.plain(block.content))
        if name is not None and name in tables:
            return tables[name]
    return block


#: A line's container prefix: indentation, quote marks and list markers, as far as they go.
_PREFIX = re.compile(r"[ \t>]*(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+[ \t>]*)*")
_MARKER = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])[ \t]")


def _plainly_fine(source: str) -> bool:
    """Whether a text cannot have what structure_problem looks for, judged without parsing it (a
    load checks every text, and parsing takes milliseconds): no image, some word, and no line
    whose prefix could open a list more than MAX_LIST_DEPTH deep (each level needs a marker or
    two columns of indentation on the line that opens it) or a quote more than MAX_QUOTE_DEPTH."""
    if "![" in source or "```" in source or "~~~" in source or not re.search(r"[^\W\d_]", re.sub(r"\]\([^)]*\)", "]", source)):  # a link's target is no word
        return False
    for line in source.split("\n"):
        prefix = _PREFIX.match(line).group().replace("\t", "    ")
        if prefix.count(">") > MAX_QUOTE_DEPTH or len(_MARKER.findall(prefix)) + prefix.count(" ") // 2 > MAX_LIST_DEPTH:
            return False
    return True


#: The longest word (characters without a space) a document can hold: PDF/A caps a PDF string at
#: 32 767 bytes (ISO 19005-2, 6.1.13), and typst writes a word's text into one, two bytes a character.
MAX_WORD = 10_000
_LONG_WORD = re.compile(rf"\S{{{MAX_WORD + 1},}}")


def structure_problem(source: str) -> tuple[int, str] | None:
    """Return (line within the text, message) for what the documents cannot show: a word longer
    than MAX_WORD, a list or quote nested deeper than they go, an image, or a text of formatting
    without words; None if none."""
    long_word = _LONG_WORD.search(source)
    if long_word:
        return (source.count("\n", 0, long_word.start()),
                f"et ord på {len(long_word.group()):,} tegn uten mellomrom kan ikke settes i PDF/A (høyst "
                f"{MAX_WORD:,}); del det opp med mellomrom".replace(",", "\u00a0"))
    return None if _plainly_fine(source) else _parsed_problem(source)


def _parsed_problem(source: str) -> tuple[int, str] | None:
    """structure_problem, from the text's Markdown tokens."""
    lists = quotes = 0
    words = False
    for token in _parser().parse(_literal(source)):
        kind = token.type
        for child in token.children or ():
            if child.type == "image":
                return (token.map[0] if token.map else 0,
                        "bilder («![…](…)») kan ikke stå i teksten; beskriv bildet med ord, eller legg det ved som vedlegg")
            words = words or (child.type in ("text", "code_inline") and bool(child.content.strip()))
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists += 1
            if lists > MAX_LIST_DEPTH:
                return (token.map[0] if token.map else 0,
                        f"listen har {lists} nivåer (lister i lister); dokumentene viser høyst {MAX_LIST_DEPTH} nivåer")
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
        elif kind == "blockquote_open":
            quotes += 1
            if quotes > MAX_QUOTE_DEPTH:
                return (token.map[0] if token.map else 0,
                        f"sitatet («>») har {quotes} nivåer (sitater i sitater); dokumentene viser høyst {MAX_QUOTE_DEPTH} nivåer")
        elif kind == "blockquote_close":
            quotes -= 1
        elif kind in ("code_block", "fence"):
            words = words or bool(token.content.strip())
    if not words:
        return 0, "teksten blir tom i dokumentene: den har bare formatering (som «**» eller «#»), ingen ord"
    return None


def table_names(source: str) -> set[str]:
    """Return the tables a text places itself (so the composer does not append them again)."""
    return {ref.name for ref in references.references(source) if ref.kind == "figure" and references.NAMES.get(ref.name) == "tabell"}


def _blocks(nodes, base: int) -> tuple[t.Block, ...]:
    blocks: list[t.Block] = []
    for node in nodes:
        blocks.extend(_block(node, base))
    return tuple(blocks)


def _block(node: SyntaxTreeNode, base: int) -> list[t.Block]:
    kind = node.type
    if kind == "paragraph":
        return [t.Paragraph(_inline_of(node))]
    if kind == "heading":
        level = min(base + int(node.tag[1:]), MAX_HEADING_LEVEL)
        return [t.Heading(level, _inline_of(node))]
    if kind == "bullet_list":
        return [t.BulletList(tuple(_blocks(item.children, base) for item in node.children))]
    if kind == "ordered_list":
        start = int(node.attrs.get("start", 1))
        return [t.OrderedList(tuple(_blocks(item.children, base) for item in node.children), start)]
    if kind == "table":
        return [_table(node)]
    if kind in ("code_block", "fence"):
        return [t.Paragraph(t.text(node.content.rstrip("\n")))]
    if kind == "blockquote":
        return list(_blocks(node.children, base))
    return []  # hr and anything else carries no words


def _inline_of(node: SyntaxTreeNode) -> t.Inlines:
    inline = node.children[0] if node.children else None
    return _inlines(inline.children) if inline is not None else ()


def _inlines(nodes) -> t.Inlines:
    out: list[t.Inline] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "code_inline"):
            _append_text(out, node.content)
        elif kind == "softbreak":
            _append_text(out, " ")
        elif kind == "hardbreak":
            out.append(t.LineBreak())
        elif kind == "strong":
            out.append(t.Bold(_inlines(node.children)))
        elif kind == "em":
            out.append(t.Italic(_inlines(node.children)))
        elif kind == "link":
            href = str(node.attrs.get("href", "")).strip()
            if href:
                out.append(t.Link(_inlines(node.children), href))
            else:  # [tekst]() links nowhere: its words stay, as text
                for child in _inlines(node.children):
                    if isinstance(child, t.Text):
                        _append_text(out, child.text)
                    else:
                        out.append(child)
        elif kind == "image":
            _append_text(out, node.content or "")
        else:  # html_inline cannot occur (html is off); keep any other node's words
            _append_text(out, node.content or "")
    return tuple(out)


def _append_text(out: list[t.Inline], text: str) -> None:
    """Add text, merging with a preceding Text node so runs stay few."""
    if out and isinstance(out[-1], t.Text):
        out[-1] = t.Text(out[-1].text + text)
    elif text:
        out.append(t.Text(text))


def _table(node: SyntaxTreeNode) -> t.Table:
    header = None
    rows = []
    for section in node.children:
        for row in section.children:
            cells = tuple(_inline_of(cell) for cell in row.children)
            if section.type == "thead":
                header = cells
            else:
                rows.append(cells)
    return t.Table(rows=tuple(rows), header=header)
