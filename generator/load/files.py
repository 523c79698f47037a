"""One YAML file → a validated model that knows its file and the line of every value."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from generator.load import yamlread
from generator.findings import Finding
from generator.domain.messages import format_path, message_for
from generator.folder import ProjectFolder

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Source:
    """Where a model came from: the file as shown to the user, and the line of every value."""

    file: str
    lines: dict = field(default_factory=dict, compare=False, repr=False)
    text_lines: dict = field(default_factory=dict, compare=False, repr=False)

    def line(self, path: tuple) -> int | None:
        """Return the line of the value at `path`, or of its nearest parent that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def text_line(self, path: tuple, offset: int) -> int | None:
        """Return the file line of line `offset` (0-based) inside the text at `path`."""
        start = self.text_lines.get(path)
        return start + offset if start is not None else self.line(path)

    def problem(self, path: tuple, message: str, line: int | None = None) -> Finding:
        return Finding(self.file, line or self.line(path), format_path(path), message)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model and where it came from."""

    model: M
    source: Source
    partial: bool = False  # read by salvage: a value may be the PLACEHOLDER, not what the file says

    def given(self, value: object) -> bool:
        """Whether a value is the file's own (and not salvage's placeholder), so worth checking."""
        return not (self.partial and value == PLACEHOLDER)




@dataclass
class Parsed:
    path: Path
    source: Source
    data: object
    problems: list[Finding]


def parse_file(folder: ProjectFolder, path: Path) -> Parsed:
    """Read and parse one YAML file; problems are collected, not raised."""
    shown = folder.shown(path)
    if not folder.inside(path):
        return Parsed(path, Source(shown), None, [Finding(shown, None, "", (
            f"filen er en lenke ut av prosjektmappen ({path.resolve()}); saksfilene må ligge i prosjektet"))])
    try:
        raw = path.read_bytes()
    except OSError as err:
        return Parsed(path, Source(shown), None, [Finding(shown, None, "", f"kan ikke leses ({err.strerror})")])
    text, trouble = yamlread.decode(raw)
    if trouble:
        return Parsed(path, Source(shown), None, [Finding(shown, trouble[0], "", trouble[1])])
    doc = yamlread.parse(text)
    source = Source(shown, doc.lines, doc.text_lines)
    problems = [Finding(shown, line, format_path(p), message) for line, p, message in doc.problems]
    return Parsed(path, source, doc.data, problems)


def validate(parsed: Parsed, model: type[M]) -> tuple[Loaded[M] | None, list[Finding]]:
    """Validate parsed data against a model; return it, or the problems with file:line."""
    problems = list(parsed.problems)
    if parsed.data is None and problems:  # unreadable: nothing to validate
        return None, problems
    if not isinstance(parsed.data, dict):
        return None, [*problems, parsed.source.problem((), "forventet felt med verdier (nøkkel: verdi) øverst i filen")]
    try:
        loaded = Loaded(model.model_validate(parsed.data, by_name=False), parsed.source)
    except ValidationError as err:
        loaded = None
        problems += [_problem(parsed.source, e, model) for e in err.errors(include_url=False)]
    return (None if problems else loaded), sorted(problems, key=lambda p: p.line or 0)


def _problem(source: Source, error: dict, model: type[BaseModel]) -> Finding:
    """Return a validation error as a problem at its line; a problem inside a text (a list nested
    too deep) names the line in the text (`linje`, counted from the text's first line)."""
    path = tuple(error["loc"])
    offset = (error.get("ctx") or {}).get("linje")
    line = source.text_line(path, offset) if isinstance(offset, int) else None
    return source.problem(path, message_for(error, (model,)), line)


#: What a required value in error is read as while the rest of its file is checked (see salvage):
#: an amount as kr 1, a number as 1, anything else as a text. Never rendered.
PLACEHOLDER = "…"
_STAND_INS = {"belop": 1, "int_type": 1, "int_parsing": 1, "greater_than_equal": 1}


def salvage(parsed: Parsed, model: type[M]) -> Loaded[M] | None:
    """Return a file with problems read as far as it can be: the fields in error left out (a
    required text in error read as a placeholder). Never rendered; it lets the checks that do not
    depend on those fields (the vedlegg it names, the bodies in its saksgang) report their
    problems in the same round, instead of after the first ones are fixed. Values are replaced,
    never list items removed, so every path still names the line it came from. None if even
    that fails.
    """
    data = copy.deepcopy(parsed.data)
    if not isinstance(data, dict):
        return None
    for _ in range(3):
        try:
            return Loaded(model.model_validate(data, by_name=False), parsed.source, partial=True)
        except ValidationError as err:
            if not any([_leave_out(data, tuple(e["loc"]), e["type"]) for e in err.errors(include_url=False)]):
                return None
    return None


def _leave_out(data: dict, loc: tuple, kind: str) -> bool:
    """Remove the value at `loc` (or put the placeholder where a required one is missing); return
    whether anything changed."""
    *parents, key = loc or (None,)
    container = data
    for part in parents:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return False
    if not isinstance(container, dict) or not isinstance(key, str):
        return False
    if kind == "missing" or kind in _STAND_INS:
        stand_in = _STAND_INS.get(kind, PLACEHOLDER)
        if container.get(key) == stand_in:
            return False
        container[key] = stand_in
        return True
    if key not in container:
        return False
    del container[key]  # an unknown field, or a value in error (read as missing next time)
    return True


def load_file(folder: ProjectFolder, path: Path, model: type[M]) -> tuple[Loaded[M] | None, list[Finding]]:
    return validate(parse_file(folder, path), model)


