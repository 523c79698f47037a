"""Document trees of a meeting → one PDF/A of the whole package, with bookmarks (render stage).

Each document is rendered once with reportlab, without page numbers; pikepdf joins the pages,
lays a page of numbers over each ("Side 7 av 23", running through the package) and writes an
outline entry per case and per vedlegg that points at its first page.
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
    package = pikepdf.new()
    sources = []  # kept open until the package is saved: their pages are copied lazily
    first_pages: dict[int, int] = {}
    labels: list[str] = []
    for part in (p for part in parts for p in part.flatten()):
        data, count = render_pdf.render_numbered(part.document, archival=False, numbered=False)
        first_pages[id(part)] = len(labels)
        sources.append(pikepdf.open(io.BytesIO(data)))
        package.pages.extend(sources[-1].pages)
        labels += [part.document.info.page_label] * count
    total = len(labels)
    numbers = pikepdf.open(io.BytesIO(render_pdf.page_numbers(
        [label.format(side=n, sider=total) for n, label in enumerate(labels, start=1)]
    )))
    sources.append(numbers)
    for page, number in zip(package.pages, numbers.pages):
        page.add_overlay(number)
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
