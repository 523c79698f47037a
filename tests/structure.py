"""Read a tagged PDF's structure tree back the way assistive technology meets it.

pikepdf gives the elements (/S, /T, /Alt); poppler's `pdfinfo -struct-text` gives the text each
element holds. Tests that need the text skip where poppler is not installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest

from generator import tree as t
PDFINFO = shutil.which("pdfinfo")
_ELEMENT = re.compile(r"^(?P<type>[A-Za-z][A-Za-z0-9]*)(?: \"[^\"]*\")?(?: <[^>]*>)?(?: \((?P<kind>block|inline)\))?:?$")


@dataclass
class Node:
    type: str
    inline: bool = False
    children: list["Node | str"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def text(self, skip: tuple[str, ...] = ("Lbl",)) -> str:
        """The text the element holds, in order, without list labels; a word typst hyphenated
        at a line end («-» drawn on its own) is joined again."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append("\u00ad" if child == "-" else child)
            elif child.type not in skip:
                space = "" if child.inline else " "  # a span runs on in its paragraph; a block stands apart
                parts.append(space + child.text(skip) + space)
        return "".join(parts)


def structure(path: Path) -> Node:
    """Return the structure tree of a PDF with the text of each element (pdfinfo -struct-text)."""
    if PDFINFO is None:
        pytest.skip("pdfinfo er ikke installert (apt-get install poppler-utils)")
    done = subprocess.run([PDFINFO, "-struct-text", str(path)], capture_output=True, timeout=60)
    root = Node("Root")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in done.stdout.decode("utf-8", "replace").splitlines():
        depth = (len(raw) - len(raw.lstrip(" "))) // 2
        line = raw.strip()
        if not line or line.startswith("/"):
            continue  # attributes
        if line.startswith('"') and line.endswith('"'):
            while stack[-1][0] >= depth:
                stack.pop()
            stack[-1][1].children.append(line[1:-1])
            continue
        match = _ELEMENT.match(line)
        if match is None:
            continue
        while stack[-1][0] >= depth:
            stack.pop()
        node = Node(match.group("type"), match.group("kind") == "inline")
        stack[-1][1].children.append(node)
        stack.append((depth, node))
    return root


def headings(path: Path) -> list[tuple[str, str]]:
    """Return (H1…H6, title) for every heading element, in the order of the structure tree."""
    found = []
    with pikepdf.open(path) as pdf:
        def walk(element):
            if isinstance(element, pikepdf.Array):
                for child in element:
                    walk(child)
            elif isinstance(element, pikepdf.Dictionary) and "/S" in element:
                kind = str(element.S)[1:]
                if re.fullmatch(r"H[1-6]", kind):
                    found.append((kind, str(element.get("/T", ""))))
                if "/K" in element:
                    walk(element.K)

        walk(pdf.Root.StructTreeRoot.K)
    return found


def figures(path: Path) -> list[str]:
    """Return the alternative text of every Figure element."""
    with pikepdf.open(path) as pdf:
        return [str(o.get("/Alt", "")) for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"]


def tree_text(document: t.Document) -> str:
    """Return what a document tree says, in reading order: letterhead, masthead, body."""
    head = document.masthead
    parts = []
    if head.letterhead:
        parts += [head.letterhead.name, "  ·  ".join(head.letterhead.lines)]
    parts.append(head.doctype)
    for f in head.fields:
        parts += [f"{f.label}:", f.value]
    if head.saksgang:
        parts += _block_text(head.saksgang)
    for block in document.body:
        parts += _block_text(block)
    return " ".join(parts)


def _block_text(block) -> list[str]:
    if isinstance(block, (t.Heading, t.Paragraph)):
        return [t.plain(block.content)]
    if isinstance(block, (t.BulletList, t.OrderedList)):
        return [text for item in block.items for b in item for text in _block_text(b)]
    if isinstance(block, t.Table):
        return [t.plain(cell) for row in block.all_rows for cell in row]
    if isinstance(block, t.Framed):
        return [text for b in block.blocks for text in _block_text(b)]
    return []
