"""Render the sample cases once per test session, for the renderer tests to read."""

from __future__ import annotations

import re
import shutil
from functools import lru_cache
from pathlib import Path

from generator.domain import references
from generator.domain import prose
from generator import tree as t
from generator.check.rules import check_case
from generator.compose import reference_values
from generator.load import load_case
from generator.commands.pipeline import make_case
from generator.folder import ProjectFolder
from generator.domain.values import Saksnummer

REPO = Path(__file__).resolve().parent.parent
CASES = ("22/20", "23/20", "24/20")


@lru_cache(maxsize=None)
def sample_output(base: Path) -> dict[str, dict[str, Path]]:
    """Render every sample case into a copy of the project under `base`.

    Return paths by document and suffix: "24/20" is the saksframlegg of 24/20,
    "24/20 vedlegg 1" its first vedlegg.
    """
    root = base / "prosjekt"
    if not root.exists():
        shutil.copytree(REPO / "cases", root / "cases")
        shutil.copytree(REPO / "templates", root / "templates")
    result = {}
    for number in CASES:
        for path in make_case(ProjectFolder(root), Saksnummer.parse(number)).paths:
            vedlegg = re.search(r"-vedlegg-(\d+)-", path.name)
            key = f"{number} vedlegg {vedlegg.group(1)}" if vedlegg else number
            result.setdefault(key, {})[path.suffix] = path
    return result


def _block_texts(blocks) -> list[str]:
    texts = []
    for block in blocks:
        if isinstance(block, (t.Paragraph, t.Heading)):
            texts.append(t.plain(block.content))
        elif isinstance(block, (t.BulletList, t.OrderedList)):
            for item in block.items:
                texts += _block_texts(item)
        elif isinstance(block, t.Table):
            texts += [t.plain(c) for row in ((block.header or ()), *block.rows) for c in row]
    return texts


def case_paragraphs(number: str) -> list[str]:
    """Return every paragraph, heading and list item of a case's prose, as the case file says it
    (with its figure references filled in)."""
    _, mappe = load_case(ProjectFolder(REPO), Saksnummer.parse(number))
    values = reference_values(mappe, check_case(mappe).sakens_tall, "nb")
    sak = mappe.sak.model
    texts = [sak.tittel]
    for field in (sak.saksopplysninger, sak.vurdering, sak.innstilling):
        if field:
            texts += _block_texts(prose.parse(field, values=values))
    return [x for x in texts if x.strip()]


def vedlegg_paragraphs(number: str, nummer: int) -> list[str]:
    """Return every paragraph, heading and list item of a vedlegg document's text, references filled in."""
    _, mappe = load_case(ProjectFolder(REPO), Saksnummer.parse(number))
    vedlegg = next(v for v in mappe.vedlegg if v.nummer == nummer)
    dokument = vedlegg.dokument.model
    values = reference_values(mappe, check_case(mappe).tall.get(nummer), "nb")
    texts = [dokument.tittel, getattr(dokument, "undertittel", None) or "", getattr(dokument, "forfatter", None) or ""]
    if hasattr(dokument, "paragrafer"):
        for paragraf in dokument.paragrafer:
            texts += [paragraf.overskrift, *_block_texts(prose.parse(paragraf.tekst, values=values))]
    else:
        texts += _block_texts(prose.parse(dokument.tekst, values=values))
    return [x for x in texts if x.strip() and references.table_name(x) is None]
