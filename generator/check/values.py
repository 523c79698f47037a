"""A case → what the references in its texts stand for (its budget's figures, its agreement's § numbers),
and a text as its reader sees it, so that two texts can be compared by what they say."""

from __future__ import annotations

import re

from generator.check import funding
from generator.check.funding import Budsjettall
from generator.domain import norsk
from generator.domain.references import substitute
from generator.load import Saksmappe


def case_figures(mappe: Saksmappe) -> Budsjettall | None:
    """Return the figures the saksframlegg's own text may cite: those of its first prosjektskisse."""
    for vedlegg in mappe.prosjektskisser[:1]:
        skisse = vedlegg.dokument.model
        return funding.compute(skisse.budsjett, mappe.ordninger[skisse.tilskuddsordning])
    return None


def reference_values(mappe: Saksmappe, tall: Budsjettall | None, language: str) -> dict[str, str]:
    """Return what the references in a case's texts stand for: budget figures and § numbers."""
    values = funding.prose_values(tall, language) if tall else {}
    for vedlegg in mappe.avtaler[:1]:
        for number, paragraf in enumerate(vedlegg.dokument.model.paragrafer, start=1):
            values[f"§ {paragraf.id}"] = f"§{norsk.NBSP}{number}"
    return values


def said(text: str, values: dict[str, str]) -> str:
    """Return the words a reader of the documents sees in a text: its references filled in, without
    Markdown's emphasis and escapes, its spaces and line breaks as single spaces."""
    shown = re.sub(r"\\(.)", r"\1", re.sub(r"(?<!\\)[*_]{1,2}", "", substitute(text, values)))
    return " ".join(shown.replace(norsk.NBSP, " ").split())


def same_text(a: str, b: str, values: dict[str, str] | None = None) -> bool:
    """Whether two texts say the same to their reader (a vedtak copied from a særutskrift says what the
    møtebok's text with [[egenandel]] says), however their lines are broken."""
    return said(a, values or {}) == said(b, values or {})
