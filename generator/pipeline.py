"""One function per job, wiring the stages: load → check → compose → render → publish.

The CLI calls these; they return data and raise makecase errors, never print.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from generator import compose, publish
from generator.check import Violation, check_case, check_project
from generator.errors import ProjectError, RuleViolationError
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



@dataclass(frozen=True)
class Made:
    """What rendering a case produced: the files written, and the violations if it is a draft."""

    paths: list[Path]
    violations: list[Violation]


def make_case(folder: ProjectFolder, nummer: Saksnummer, draft: bool = False, signatur: bool = False) -> Made:
    """Render case `nummer` and its document vedlegg as DOCX and PDF into output/.

    A case that breaks a rule is refused (RuleViolationError, nothing written) unless
    `draft` is set; then every document is marked UTKAST and lists the violations.
    With `signatur`, only the signature editions of the case's agreements are made.
    """
    org, mappe = load_case(folder, nummer)
    if signatur and not mappe.avtaler:
        raise ProjectError(f"Sak {nummer} har ingen samarbeidsavtale å lage en signaturutgave av.")
    kontroll = check_case(mappe)
    violations = kontroll.violations
    if violations and not draft:
        raise RuleViolationError(violations)
    utkast = [str(v) for v in violations] if draft and violations else None
    make = compose.signature_documents if signatur else compose.case_documents
    documents = make(org, mappe, kontroll, utkast)
    files = [(f"{doc.name}.{fmt}", render_document(doc, fmt, folder)) for doc in documents for fmt in RENDERERS]
    return Made(publish.write_all(folder.output, files), violations)


def check(folder: ProjectFolder) -> tuple[Project, list[Violation]]:
    """Validate every file and check every rule; raise InputError for bad input."""
    project = load_project(folder)
    project.raise_problems()
    return project, check_project(project)


def require_no_violations(violations: list[Violation]) -> None:
    if violations:
        raise RuleViolationError(violations)
