"""Pages of a PDF vedlegg → into the slots the meeting package left for them.

typst 0.15 cannot embed a PDF in a PDF/A file, so the package template lays out a page for each
page of a PDF vedlegg: the package's heading (its bookmark) on the first, the running header and
«Side x av y» on every one, and an empty frame where the page goes; it records each frame's
place as metadata (`<pdfvedlegg>`). Here each foreign page is drawn into its frame, scaled to fit
and never rasterised, so its text stays text.

The foreign page carries no tags the package can vouch for, so it enters the structure tree as
one figure with a description («Vedlegg 2: Brev fra fylket, side 1 av 3»), its own marked
content reduced to untagged marks inside that figure. A screen reader then says what the page
is, not what it says; `verifiser` reports such pages (generator.verify.pdf).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import pikepdf

from generator import tree as t
from generator.errors import ProjectError

#: The metadata label the package template gives each frame.
LABEL = "<pdfvedlegg>"
#: The title (/T) of the figure that holds a foreign page: `verifiser` counts them by it.
FIGURE_TITLE = "PDF-vedlegg"


@dataclass(frozen=True)
class Slot:
    """Where one foreign page goes: the vedlegg, its page, and the frame (typst's points, from the top left)."""

    vedlegg: int  # the index of the part in the bundle
    side: int  # the foreign page, from 0
    page: int  # the package's page, from 1
    x: float
    y: float
    w: float
    h: float


def slots(queried: str) -> list[Slot]:
    """Return the frames a compiled package recorded (typst's query output)."""
    return [Slot(**{k: v for k, v in item["value"].items()}) for item in json.loads(queried)]


def _untag(pdf: pikepdf.Pdf, form: pikepdf.Stream, seen: set | None = None) -> None:
    """Rewrite a form's content, and that of every form it draws, so that its marked content
    claims no MCID: inside the figure that holds it, the foreign file's tags would point into a
    tree that is not there."""
    seen = set() if seen is None else seen
    if form.is_indirect:
        if form.objgen in seen:
            return
        seen.add(form.objgen)
    for inner in ((form.get("/Resources") or {}).get("/XObject") or {}).values():
        if isinstance(inner, pikepdf.Stream) and inner.get("/Subtype") == "/Form":
            _untag(pdf, inner, seen)
    if "/StructParents" in form:
        del form["/StructParents"]
    instructions = pikepdf.parse_content_stream(form)
    changed = []
    for operands, operator in instructions:
        if str(operator) == "BDC" and len(operands) == 2 and operands[0] != "/Artifact":
            changed.append(pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("BMC")))
        else:
            changed.append(pikepdf.ContentStreamInstruction(operands, operator))
    form.write(pikepdf.unparse_content_stream(changed))


def _extent(form: pikepdf.Stream) -> tuple[float, float, float, float]:
    """Return where a form draws on the page: its /BBox through its /Matrix (a rotated page, a
    page with /UserUnit, a box given upside down), as the smallest upright box around it."""
    bx0, by0, bx1, by1 = (float(v) for v in form.BBox)
    a, b, c, d, e, f = (float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0]))
    corners = [(a * x + c * y + e, b * x + d * y + f) for x in (bx0, bx1) for y in (by0, by1)]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _heading_after(page: pikepdf.Page, parent_tree: pikepdf.NumberTree) -> pikepdf.Dictionary | None:
    """Return the last heading element marked on a page (the part's own heading)."""
    key = page.obj.get("/StructParents")
    if key is None or int(key) not in parent_tree:
        return None
    marked = [e for e in parent_tree[int(key)] if isinstance(e, pikepdf.Dictionary)]
    headings = [e for e in marked if str(e.get("/S", "")).startswith("/H")]
    return headings[-1] if headings else None


def _insert_after(element: pikepdf.Dictionary, new: pikepdf.Dictionary) -> None:
    """Put a structure element right after another, under the same parent (reading order)."""
    parent = element.P
    kids = parent.K if isinstance(parent.K, pikepdf.Array) else pikepdf.Array([parent.K])
    index = next(i for i, kid in enumerate(kids) if isinstance(kid, pikepdf.Dictionary) and kid.objgen == element.objgen)
    kids.insert(index + 1, new)
    parent.K = kids
    new.P = parent


def printed(data: bytes) -> bytes:
    """Return a vedlegg with what its annotations print (a stamp, a filled form field, a signature's
    picture) drawn into its pages, as a printer shows them: a page drawn into the package carries
    its content, not its annotations. A form whose file asks the viewer to draw its fields
    (/NeedAppearances) gets their appearances first (qpdf flattens none of them otherwise), and
    is a form no more."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if not any("/Annots" in page.obj for page in pdf.pages):
            return data
        form = pdf.Root.get("/AcroForm")
        if isinstance(form, pikepdf.Dictionary) and form.get("/NeedAppearances"):
            pdf.generate_appearance_streams()
        pdf.flatten_annotations("print")
        if "/AcroForm" in pdf.Root:  # its fields are drawn into the pages now: no form is left to fill
            del pdf.Root["/AcroForm"]
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def place(package: bytes, bundle: t.Bundle, found: list[Slot]) -> bytes:
    """Return the package with each foreign page drawn into its frame and tagged as a figure."""
    expected = sum(p.pdf.pages for p in bundle.parts if p.pdf)
    if len(found) != expected:
        raise ProjectError(f"Malen templates/motepakke.typ setter av plass til {len(found)} sider fra PDF-vedlegg, "
                           f"men vedleggene har {expected}; en mal fra før PDF-vedlegg kan ikke brukes til dem. Ta "
                           "inn delen om «part.pdf» fra makecase sin motepakke.typ.")
    pdf = pikepdf.open(io.BytesIO(package))
    root = pdf.Root.StructTreeRoot
    parent_tree = pikepdf.NumberTree(root.ParentTree)
    sources: dict[int, pikepdf.Pdf] = {}
    previous: dict[int, pikepdf.Dictionary] = {}  # the element the next figure of a vedlegg follows
    for slot in found:
        part = bundle.parts[slot.vedlegg]
        source = sources.get(slot.vedlegg) or sources.setdefault(slot.vedlegg, pikepdf.open(io.BytesIO(part.pdf.data)))
        page = pdf.pages[slot.page - 1]
        form = pdf.copy_foreign(source.pages[slot.side].as_form_xobject())
        _untag(pdf, form)
        x0, y0, x1, y1 = _extent(form)
        scale = min(slot.w / (x1 - x0), slot.h / (y1 - y0))
        height = float(page.mediabox[3]) - float(page.mediabox[1])
        tx = slot.x + (slot.w - (x1 - x0) * scale) / 2 - x0 * scale
        ty = height - slot.y - (y1 - y0) * scale - y0 * scale
        name = page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(f"/MakecaseVedlegg{slot.vedlegg}s{slot.side}"))
        key = page.obj.get("/StructParents")
        if key is None:
            key = int(root.ParentTreeNextKey)
            root.ParentTreeNextKey = key + 1
            page.obj.StructParents = key
            parent_tree[key] = pikepdf.Array()
        marks = parent_tree[int(key)]
        mcid = len(marks)
        figure = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Figure, K=mcid, Pg=page.obj, T=pikepdf.String(FIGURE_TITLE),
            Alt=pikepdf.String(part.pdf.descriptions[slot.side]),
            A=pikepdf.Dictionary(O=pikepdf.Name.Layout, BBox=pikepdf.Array([tx, ty, tx + (x1 - x0) * scale,
                                                                             ty + (y1 - y0) * scale])),
        ))
        marks.append(figure)
        parent_tree[int(key)] = marks
        after = previous.get(slot.vedlegg) or _heading_after(page, parent_tree)
        if after is None:
            raise RuntimeError(f"no heading for the foreign pages of «{part.heading}»")
        _insert_after(after, figure)
        previous[slot.vedlegg] = figure
        width, tall = (x1 - x0) * scale, (y1 - y0) * scale
        page.contents_add(pikepdf.Stream(pdf, (
            f"q /Figure <</MCID {mcid}>> BDC q {scale:.6f} 0 0 {scale:.6f} {tx:.4f} {ty:.4f} cm {name} Do Q EMC Q\n"
            # a thin grey edge shows where the foreign page begins and ends (an artifact: not content)
            f"/Artifact BMC q 0.6 G 0.5 w {tx + x0 * scale:.4f} {ty + y0 * scale:.4f} {width:.4f} {tall:.4f} re S Q EMC\n"
        ).encode()), prepend=False)
    out = io.BytesIO()
    # as typst writes: no object streams, the catalogue plain text; streams compressed (a foreign page
    # turned into a form is a new, unfiltered stream), except the XMP, which qpdf never compresses (PDF/A)
    pdf.save(out, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    for source in sources.values():
        source.close()
    return out.getvalue()
