"""makecase: case files (YAML) → saksframlegg, vedlegg and meeting documents as DOCX and PDF.

The package is a pipeline, one folder per stage (docs/utvikler/architecture.md):

    domain    the domain's words: values, Norwegian formatting, labels, prose
    load      cases/*.yaml      → validated models (every value knows its file:line)
    check     models            → figures and rule violations
    compose   models            → document tree (generator.tree)
    render    document tree     → DOCX (render.docx) | PDF (render.pdf)
    verify    PDF               → the PDF/A-2a and PDF/UA-1 requirements it meets
    publish   rendered bytes    → files under output/ and the archive, judged first
    commands  a job             → the stages run for it
    cli       arguments         → a command, its result printed
"""

__version__ = "0.1.0"
