"""Figures in prose: `[[sum_utgifter]]` in a text is replaced by the computed, formatted value.

The names form a fixed vocabulary (below), so a reference can be checked when the file is
loaded, with its file and line. Substitution is plain text replacement from a dictionary of
already formatted values: prose reaches the case's own figures and nothing else, and is never
evaluated. `\\[[` keeps the brackets as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Every name a text may refer to, and what kind of value it is.
NAMES = {
    "sum_utgifter": "beløp",
    "sum_finansiering": "beløp",
    "tilskudd": "beløp",
    "egenfinansiering": "beløp",
    "egenandel": "andel",
    "tilskuddsandel": "andel",
    "minste_egenandel": "grense",
    "høyeste_tilskuddsandel": "grense",
    "ordning": "tekst",
    "utgiftstabell": "tabell",
    "finansieringstabell": "tabell",
}
#: `[[navn:tall]]` gives the bare number (600 000, 25,0, 30) instead of kr/%.
FORMATS = ("tall",)

_REFERENCE = re.compile(r"(?<!\\)\[\[\s*([^\[\]:\s]+)\s*(?::\s*([^\[\]\s]*)\s*)?\]\]")
_MARK = "\ue000"  # private-use character that brackets a table placeholder during parsing


@dataclass(frozen=True)
class Reference:
    name: str
    fmt: str | None
    line: int  # 0-based line within the text

    @property
    def key(self) -> str:
        return f"{self.name}:{self.fmt}" if self.fmt else self.name


def references(text: str) -> list[Reference]:
    """Return every figure reference in a text, with its line."""
    return [
        Reference(m.group(1), m.group(2) or None, text.count("\n", 0, m.start())) for m in _REFERENCE.finditer(text)
    ]


def problem(ref: Reference, has_budget: bool) -> str | None:
    """Return what is wrong with a reference, or None if it is fine."""
    kind = NAMES.get(ref.name)
    if kind is None:
        known = ", ".join(n for n in NAMES)
        return f"ukjent tall «[[{ref.key}]]»; kjente navn: {known}"
    if ref.fmt is not None and (ref.fmt not in FORMATS or kind in ("tekst", "tabell")):
        return f"ukjent format «{ref.fmt}» i «[[{ref.key}]]»; bare «:tall» finnes, for beløp og andeler"
    if not has_budget:
        return f"«[[{ref.key}]]» viser til et budsjett, men saken har ingen prosjektskisse med budsjett"
    return None


def table_placeholder(name: str) -> str:
    return f"{_MARK}{name}{_MARK}"


def table_name(text: str) -> str | None:
    """Return the table a paragraph's whole text stands for, if it is a placeholder."""
    if text.startswith(_MARK) and text.endswith(_MARK) and text.count(_MARK) == 2:
        return text[1:-1]
    return None


def substitute(text: str, values: dict[str, str]) -> str:
    """Replace each reference by its value (escaped for Markdown); tables by a placeholder."""

    def replace(match: re.Match) -> str:
        ref = Reference(match.group(1), match.group(2) or None, 0)
        if NAMES.get(ref.name) == "tabell":
            return table_placeholder(ref.name)
        return _markdown_literal(values[ref.key])

    return _REFERENCE.sub(replace, text)


def _markdown_literal(value: str) -> str:
    """Escape Markdown punctuation so a value is shown as it is."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>&~])", r"\\\1", value)
