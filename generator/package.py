"""A meeting's documents → one PDF/A of the whole package, with bookmarks (render stage).

Each document comes as its own PDF (rendered once, or found in the render cache); pikepdf
joins the pages, empties each page's own "Side N av M" (a form XObject the renderer draws
for exactly this), lays a page of numbers over each ("Side 7 av 23", running through the
package) and writes an outline entry per case and per vedlegg that points at its first page.
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


def _without_page_labels(pdf: pikepdf.Pdf) -> pikepdf.Pdf:
    """Empty the form XObjects that hold each page's own page number."""
    prefix = f"/FormXob.{render_pdf.PAGE_LABEL}"
    for page in pdf.pages:
        for name, xobject in (page.Resources.get("/XObject") or {}).items():
            if name.startswith(prefix):
                xobject.write(b"")
    return pdf


def _open(data: bytes) -> pikepdf.Pdf:
    """Open one of makecase's PDFs, each stream's filter `[/FlateDecode]` (as reportlab writes
    it) turned into the name /FlateDecode.

    qpdf copies a Flate stream into the package as it is only when its filter is the name;
    the array made it decompress every stream and compress it again, half of a package's time.
    """
    pdf = pikepdf.open(io.BytesIO(data))
    flate = pikepdf.Array([pikepdf.Name.FlateDecode])
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get("/Filter") == flate and "/DecodeParms" not in obj:
            obj.Filter = pikepdf.Name.FlateDecode
    return pdf


def _overlay(page: pikepdf.Page, numbers: pikepdf.Page) -> None:
    """Lay a page of numbers over a page, as pikepdf's add_overlay does but under a fixed
    resource name (add_overlay picks a random one, and the package must be the same bytes
    every time), and without joining the page's content streams into one (which would
    decompress and compress each page again)."""
    form = numbers.as_form_xobject()
    name = page.add_resource(form, pikepdf.Name.XObject, name=pikepdf.Name("/MakecaseSidetall"))
    placement = page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox))
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n", prepend=False)
    page.contents_add(placement, prepend=False)


def assemble(parts: list[Part], meta: pdfa.Metadata, pdfs: dict[str, bytes]) -> bytes:
    """Return one PDF/A-2b of all parts in order, numbered through, with a nested outline.

    `pdfs` holds each part's own PDF by document name.
    """
    package = pikepdf.new()
    sources = []  # kept open until the package is saved: their pages are copied lazily
    first_pages: dict[int, int] = {}
    labels: list[str] = []
    for part in (p for part in parts for p in part.flatten()):
        source = _without_page_labels(_open(pdfs[part.document.name]))
        first_pages[id(part)] = len(labels)
        sources.append(source)
        package.pages.extend(source.pages)
        labels += [part.document.info.page_label] * len(source.pages)
    total = len(labels)
    numbers = _open(render_pdf.page_numbers(
        [label.format(side=n, sider=total) for n, label in enumerate(labels, start=1)]
    ))
    sources.append(numbers)
    for page, number in zip(package.pages, numbers.pages):
        _overlay(page, number)
    with package.open_outline() as outline:
        for part in parts:
            outline.root.append(_item(part, first_pages))
    package.Root.PageMode = pikepdf.Name.UseOutlines
    pdfa.make_archival(package, meta)
    out = io.BytesIO()
    package.save(out, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    for source in sources:
        source.close()
    return out.getvalue()


def _item(part: Part, first_pages: dict[int, int]) -> pikepdf.OutlineItem:
    item = pikepdf.OutlineItem(part.bookmark, first_pages[id(part)])
    item.children.extend(_item(child, first_pages) for child in part.children)
    return item
