"""A case → what the references in its texts stand for (its budget's figures, its agreement's § numbers),
and a text as its reader sees it, so that two texts can be compared by what they say."""

from __future__ import annotations

import re

from generator.check import funding
from generator.check.funding import Budsjettall
from generator import tree as t
from generator.domain import norsk, prose
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
    """Return the words a reader of the documents sees in a text: read as the documents read it
    (Markdown, references filled in), with its list numbers, without emphasis, escapes and link
    targets; spaces and line breaks as single spaces. A soft hyphen, or a word broken at one (as a
    PDF's text layer gives it), is the word unbroken."""
    words = " ".join(_words(block) for block in prose.parse(text, 2, values))
    words = re.sub("\u00ad\\s*", "", words).replace("\u200b", "").replace(norsk.NBSP, " ")
    return " ".join(words.split())


def _words(block: t.Block) -> str:
    if isinstance(block, (t.Paragraph, t.Heading)):
        return t.plain(block.content)
    if isinstance(block, (t.BulletList, t.OrderedList)):
        numbered = isinstance(block, t.OrderedList)
        return " ".join((f"{block.start + i}. " if numbered else "") + " ".join(_words(b) for b in item)
                        for i, item in enumerate(block.items))
    if isinstance(block, t.Framed):
        return " ".join(_words(b) for b in block.blocks)
    if isinstance(block, t.Table):
        return " ".join(t.plain(cell) for row in block.all_rows for cell in row)
    return ""


def same_text(a: str, b: str, values: dict[str, str] | None = None) -> bool:
    """Whether two texts say the same to their reader (a vedtak copied from a særutskrift says what the
    møtebok's text with [[egenandel]] says), however their lines are broken."""
    return a == b or said(a, values or {}) == said(b, values or {})
