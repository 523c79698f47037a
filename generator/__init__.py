"""makecase: case files (YAML) → saksframlegg as DOCX and PDF.

The package is a pipeline, one module per stage:

    load     cases/*.yaml      → validated models (every value knows its file:line)
    check    models            → rule violations
    compose  models            → document tree (generator.tree)
    render   document tree     → DOCX (render_docx) | PDF (render_pdf)
    publish  rendered bytes    → files under output/, written atomically
"""

__version__ = "0.1.0"

from generator import speed  # noqa: E402

speed.skip_pydantic_plugins()  # before any module of ours imports pydantic
