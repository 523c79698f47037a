"""Document trees of a meeting → one PDF/A of the whole package, with bookmarks (render stage).

Each document is rendered twice with reportlab: once to count its pages, once numbered
as part of the package ("Side 7 av 23"). pikepdf then joins the pages and writes an outline
entry per case and per vedlegg that points at its first page.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pikepdf

from generator import pdfa, render_pdf
from generator import tree as t


@dataclass(frozen=True)
class Part:
    """A document in the package and its bookmark; `children` are its vedlegg."""

    document: t.Document
    bookmark: str
    children: tuple["Part", ...] = field(default=())
    sak: object = None  # the case a saksframlegg part belongs to

    def flatten(self) -> list["Part"]:
        return [self, *(p for child in self.children for p in child.flatten())]


def assemble(parts: list[Part], meta: pdfa.Metadata) -> bytes:
    """Return one PDF/A-2b of all parts in order, numbered through, with a nested outline."""
    documents = [p for part in parts for p in part.flatten()]
    counts = [render_pdf.render_numbered(p.document, archival=False)[1] for p in documents]
    total = sum(counts)
    first_pages: dict[int, int] = {}
    package = pikepdf.new()
    sources = []  # kept open until the package is saved: their pages are copied lazily
    first = 1
    for part, count in zip(documents, counts):
        data, _ = render_pdf.render_numbered(part.document, first, total, archival=False)
        first_pages[id(part)] = first - 1
        sources.append(pikepdf.open(io.BytesIO(data)))
        package.pages.extend(sources[-1].pages)
        first += count
    with package.open_outline() as outline:
        for part in parts:
            outline.root.append(_item(part, first_pages))
    package.Root.PageMode = pikepdf.Name.UseOutlines
    out = io.BytesIO()
    package.save(out, deterministic_id=True, compress_streams=True)
    for source in sources:
        source.close()
    return pdfa.convert(out.getvalue(), meta)


def _item(part: Part, first_pages: dict[int, int]) -> pikepdf.OutlineItem:
    item = pikepdf.OutlineItem(part.bookmark, first_pages[id(part)])
    item.children.extend(_item(child, first_pages) for child in part.children)
    return item
