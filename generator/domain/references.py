"""References in prose ([[kr sum_utgifter]], [[§ id]]) → formatted values when rendering.

References in prose are written in double brackets:

    [[sum_utgifter]]      a computed figure of the case's budget (vocabulary below)
    [[egenandel:tall]]    the same, as a bare number
    [[§ uttredelse]]      the number of an agreement paragraph, by its id: § 12
    [[kr 690000]]         an amount, formatted like every amount: kr 690 000
    [[kr 47 250,75]]      the same with øre: kr 47 250,75

The vocabulary is fixed, so a reference can be checked when the file is loaded, with its
file and line. Substitution is plain text replacement from a dictionary of already formatted
values: prose reaches the case's own figures and nothing else, and is never evaluated.
`\\[[` keeps the brackets as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic_core import PydanticCustomError

from generator.domain import norsk
from generator.domain.values import MAX_BELOP, parse_amount

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

_REFERENCE = re.compile(
    r"(?<!\\)\[\[\s*(?:§\s*(?P<paragraf>[^\[\]\s]+)|kr\s+(?P<kr>[^\[\]]*?)"
    r"|(?P<name>[^\[\]:\s]+)(?:\s*:\s*(?P<fmt>[^\[\]\s]*))?)\s*\]\]"
)
_NAME = "|".join(sorted(map(re.escape, NAMES), key=len, reverse=True))
#: A known name in brackets, however many: one with two on one side only is a reference
#: written with a bracket missing (`[egenandel]]`, `[[egenandel]`, `[[egenandel`); other lone
#: brackets are text (`]]>`, a Markdown link).
_BRACKETED = re.compile(rf"(?<![\[\\])(\[\[?)[ \t]*(?:{_NAME})(?![\w])(?:[ \t]*:[ \t]*\w+)?[ \t]*(\]\]?)?")
_MARK = "\ue000"  # private-use character that brackets a table placeholder during parsing


@dataclass(frozen=True)
class Reference:
    kind: str  # figure, paragraf or kr
    name: str
    fmt: str | None = None
    line: int = 0  # 0-based line within the text

    @property
    def key(self) -> str:
        if self.kind == "paragraf":
            return f"§ {self.name}"
        if self.kind == "kr":
            return f"kr {self.name}"
        return f"{self.name}:{self.fmt}" if self.fmt else self.name


@dataclass(frozen=True)
class Context:
    """What the references of a text may reach: a budget, and the ids of agreement paragraphs."""

    has_budget: bool = False
    paragrafer: tuple[str, ...] = ()
    complete: bool = True  # False when a vedlegg could not be read: what it holds is not judged


def _reference(match: re.Match, line: int = 0) -> Reference:
    if match.group("paragraf"):
        return Reference("paragraf", match.group("paragraf"), line=line)
    if match.group("kr") is not None:
        return Reference("kr", match.group("kr"), line=line)
    return Reference("figure", match.group("name"), match.group("fmt") or None, line)


def references(text: str) -> list[Reference]:
    """Return every reference in a text, with its line."""
    return [_reference(m, text.count("\n", 0, m.start())) for m in _REFERENCE.finditer(text)]


def half_written(text: str) -> list[tuple[int, str]]:
    """Return each reference written with a bracket missing (0-based line, what is written): it
    would be printed as it stands, brackets and all, in the document."""
    blanked = _REFERENCE.sub(lambda m: " " * len(m.group(0)), text)  # the whole ones, kept in place
    return [(text.count("\n", 0, m.start()), m.group(0).strip()) for m in _BRACKETED.finditer(blanked)
            if "[[" in m.group(1) or "]]" in (m.group(2) or "")]


def half_message(written: str) -> str:
    return f"«{written}» mangler en hakeparentes: en henvisning skrives med to på hver side, som [[egenandel]]"


def problem(ref: Reference, context: Context) -> str | None:
    """Return what is wrong with a reference, or None if it is fine."""
    if ref.kind == "kr":
        try:
            amount = parse_amount(ref.name)
        except PydanticCustomError as err:
            return f"«[[kr {ref.name}]]»: {err.message()}"
        if not 0 <= amount <= MAX_BELOP:
            return f"«[[kr {ref.name}]]»: et beløp i teksten er fra kr 0 til kr 10 000 000 000"
        return None
    if ref.kind == "paragraf":
        if ref.name in context.paragrafer or not context.complete:
            return None
        known = ", ".join(context.paragrafer) or "ingen (saken har ingen samarbeidsavtale)"
        return f"ukjent paragraf «[[§ {ref.name}]]»; kjente paragraf-id-er: {known}"
    kind = NAMES.get(ref.name)
    if kind is None:
        known = ", ".join(n for n in NAMES)
        return f"ukjent tall «[[{ref.key}]]»; kjente navn: {known}"
    if ref.fmt is not None and ref.fmt not in FORMATS:
        return f"ukjent format «{ref.fmt}» i «[[{ref.key}]]»; bare «:tall» finnes, for beløp og andeler"
    if ref.fmt is not None and kind in ("tekst", "tabell"):
        return f"«:{ref.fmt}» gjelder bare beløp og andeler, ikke «{ref.name}» («[[{ref.key}]]»)"
    if not context.has_budget and context.complete:
        return f"«[[{ref.key}]]» viser til et budsjett, men saken har ingen prosjektskisse med budsjett"
    return None


def table_placeholder(name: str) -> str:
    return f"{_MARK}{name}{_MARK}"


def table_name(text: str) -> str | None:
    """Return the table a paragraph's whole text stands for, if it is a placeholder."""
    if text.startswith(_MARK) and text.endswith(_MARK) and text.count(_MARK) == 2:
        return text[1:-1]
    return None


def substitute(text: str, values: dict[str, str], language: str = "nb") -> str:
    """Replace each reference by its value (escaped for Markdown); tables by a placeholder; one
    without a value as written (only a draft gets that far, and its violations name it)."""

    def replace(match: re.Match) -> str:
        ref = _reference(match)
        if ref.kind == "kr":
            return _markdown_literal(norsk.kroner(parse_amount(ref.name), language))
        if ref.kind == "figure" and NAMES.get(ref.name) == "tabell":
            return table_placeholder(ref.name)
        return _markdown_literal(values.get(ref.key, match.group(0)))

    return _REFERENCE.sub(replace, text)


def _markdown_literal(value: str) -> str:
    """Escape Markdown punctuation so a value is shown as it is."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>&~])", r"\\\1", value)
