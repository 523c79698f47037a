"""Document tree → bytes in one format: which renderer makes which format (render stage).

The renderers are imported only when a document is rendered, because python-docx, docxtpl
and typst take most of a process's start-up time.
"""

from __future__ import annotations

import importlib
from pathlib import Path

#: Output formats and the module that renders each, in publishing order.
RENDERERS = {"docx": "generator.render.docx", "pdf": "generator.render.pdf"}
FORMATS = tuple(RENDERERS)


def render_document(document, fmt: str, templates: Path) -> bytes:
    """Return a document tree (a Document, or a Bundle: a meeting package, PDF only) rendered in one
    format, from templates/<template>.docx or .typ."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(RENDERERS)}")
    if fmt != "pdf" and not hasattr(document, "template"):
        raise ValueError(f"a {type(document).__name__} is made only as PDF")
    return importlib.import_module(RENDERERS[fmt]).render(document, templates)


def render_all(documents, templates: Path) -> list[tuple[str, bytes]]:
    """Return every document in every format, in process, as (output name, bytes)."""
    return [(f"{doc.name}.{fmt}", render_document(doc, fmt, templates)) for doc in documents for fmt in FORMATS]
