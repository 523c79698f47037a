"""One function per job, wiring the stages: load → check → compose → render → publish.

The CLI calls these; they return data and raise makecase errors, never print.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from generator import compose, publish
from generator.check import Violation, check_project
from generator.errors import RuleViolationError
from generator.load import Project, load_case, load_project
from generator.project import ProjectFolder
from generator.values import Saksnummer

#: Output formats and the module that renders each; imported only when rendering,
#: because python-docx, docxtpl and reportlab take most of a process's start-up time.
RENDERERS = {"docx": "generator.render_docx", "pdf": "generator.render_pdf"}


def render_document(document, fmt: str, folder: ProjectFolder) -> bytes:
    """Return a document tree rendered in one format (docx or pdf)."""
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(RENDERERS)}")
    module = importlib.import_module(RENDERERS[fmt])
    return module.render(document, folder.templates) if fmt == "docx" else module.render(document)


def make_case(folder: ProjectFolder, nummer: Saksnummer) -> list[Path]:
    """Render case `nummer` as DOCX and PDF into output/; return the paths written."""
    org, sak = load_case(folder, nummer)
    documents = [compose.saksframlegg(org, sak.model)]
    files = [(f"{doc.name}.{fmt}", render_document(doc, fmt, folder)) for doc in documents for fmt in RENDERERS]
    return publish.write_all(folder.output, files)


def check(folder: ProjectFolder) -> tuple[Project, list[Violation]]:
    """Validate every file and check every rule; raise InputError for bad input."""
    project = load_project(folder)
    project.raise_problems()
    return project, check_project(project)


def require_no_violations(violations: list[Violation]) -> None:
    if violations:
        raise RuleViolationError(violations)
