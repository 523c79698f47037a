"""Render the sample cases once per test session, for the renderer tests to read."""

from __future__ import annotations

import shutil
from functools import lru_cache
from pathlib import Path

from generator import prose
from generator import tree as t
from generator.load import load_case
from generator.pipeline import make_case
from generator.project import ProjectFolder
from generator.values import Saksnummer

REPO = Path(__file__).resolve().parent.parent
CASES = ("22/20", "23/20", "24/20")


@lru_cache(maxsize=None)
def sample_output(base: Path) -> dict[str, dict[str, Path]]:
    """Render every sample case into a copy of the project under `base`; return paths by case and suffix."""
    root = base / "prosjekt"
    if not root.exists():
        shutil.copytree(REPO / "cases", root / "cases")
        shutil.copytree(REPO / "templates", root / "templates")
    result = {}
    for number in CASES:
        paths = make_case(ProjectFolder(root), Saksnummer.parse(number))
        result[number] = {p.suffix: p for p in paths}
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
    """Return every paragraph, heading and list item of a case's prose, as the case file says it."""
    _, sak = load_case(ProjectFolder(REPO), Saksnummer.parse(number))
    texts = [sak.model.tittel]
    for field in (sak.model.saksopplysninger, sak.model.vurdering, sak.model.innstilling):
        if field:
            texts += _block_texts(prose.parse(field))
    return [x for x in texts if x.strip()]
