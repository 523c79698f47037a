"""cases/*.yaml → validated models, each value with its file:line (the load stage).

All problems of all files read are collected and raised once as an InputError, so the
caseworker fixes everything in one round. Cross-file references are checked here too:
bodies named in a saksgang, attachment files, grant schemes, figures cited in prose.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from generator import figures, yamlread
from generator.errors import InputError, Problem, ProjectError
from generator.messages import format_path, message_for
from generator.models import Mote, Organisasjon, Prosjektskisse, Sak, Tilskuddsordning, Tilskuddsordninger
from generator.project import ProjectFolder
from generator.values import Saksnummer

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

    def problem(self, path: tuple, message: str, line: int | None = None) -> Problem:
        return Problem(self.file, line or self.line(path), format_path(path), message)


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated model and where it came from."""

    model: M
    source: Source


@dataclass(frozen=True)
class Vedleggsdokument:
    """One vedlegg of a case, numbered from 1: listed by title, or a document of its own."""

    nummer: int
    tittel: str
    dokument: Loaded[Prosjektskisse] | None = None


@dataclass(frozen=True)
class Saksmappe:
    """A case and everything needed to render it: its vedlegg and the grant schemes they use."""

    sak: Loaded[Sak]
    vedlegg: tuple[Vedleggsdokument, ...]
    ordninger: dict[str, Tilskuddsordning]

    @property
    def prosjektskisser(self) -> list[Vedleggsdokument]:
        return [v for v in self.vedlegg if isinstance(v.dokument and v.dokument.model, Prosjektskisse)]


@dataclass
class Project:
    """Everything under cases/ that validated, and the problems of what did not."""

    folder: ProjectFolder
    organisasjon: Loaded[Organisasjon] | None
    moter: list[Loaded[Mote]]
    saker: list[Saksmappe]
    problems: list[Problem]

    def raise_problems(self) -> None:
        if self.problems:
            raise InputError(self.problems)


@dataclass
class _Parsed:
    path: Path
    source: Source
    data: object
    problems: list[Problem]


def _parse(folder: ProjectFolder, path: Path) -> _Parsed:
    """Read and parse one YAML file; problems are collected, not raised."""
    shown = folder.shown(path)
    try:
        raw = path.read_bytes()
    except OSError as err:
        return _Parsed(path, Source(shown), None, [Problem(shown, None, "", f"kan ikke leses ({err.strerror})")])
    text, trouble = yamlread.decode(raw)
    if trouble:
        return _Parsed(path, Source(shown), None, [Problem(shown, trouble[0], "", trouble[1])])
    doc = yamlread.parse(text)
    source = Source(shown, doc.lines, doc.text_lines)
    problems = [Problem(shown, line, format_path(p), message) for line, p, message in doc.problems]
    return _Parsed(path, source, doc.data, problems)


def _validate(parsed: _Parsed, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    """Validate parsed data against a model; return it, or the problems with file:line."""
    problems = list(parsed.problems)
    if parsed.data is None and problems:  # unreadable: nothing to validate
        return None, problems
    if not isinstance(parsed.data, dict):
        return None, [*problems, parsed.source.problem((), "forventet felt med verdier (nøkkel: verdi) øverst i filen")]
    try:
        loaded = Loaded(model.model_validate(parsed.data), parsed.source)
    except ValidationError as err:
        loaded = None
        problems += [
            parsed.source.problem(tuple(e["loc"]), message_for(e, (model,)))
            for e in err.errors(include_url=False)
        ]
    return (None if problems else loaded), sorted(problems, key=lambda p: p.line or 0)


def _load_file(folder: ProjectFolder, path: Path, model: type[M]) -> tuple[Loaded[M] | None, list[Problem]]:
    return _validate(_parse(folder, path), model)


def load_organisasjon(folder: ProjectFolder) -> tuple[Loaded[Organisasjon] | None, list[Problem]]:
    path = folder.organisasjon_file
    if not path.is_file():
        return None, [Problem(folder.shown(path), None, "", "filen mangler: den beskriver organisasjonen og utvalgene")]
    return _load_file(folder, path, Organisasjon)


def load_ordninger(folder: ProjectFolder) -> tuple[dict[str, Tilskuddsordning], list[Problem]]:
    """Return the grant schemes by id (none if the file does not exist)."""
    path = folder.ordninger_file
    if not path.is_file():
        return {}, []
    loaded, problems = _load_file(folder, path, Tilskuddsordninger)
    if loaded is None:
        return {}, problems
    ordninger: dict[str, Tilskuddsordning] = {}
    for i, ordning in enumerate(loaded.model.ordninger):
        if ordning.id in ordninger:
            problems.append(loaded.source.problem(("ordninger", i, "id"), f"id-en «{ordning.id}» er brukt før i filen"))
        ordninger[ordning.id] = ordning
    return ordninger, problems


def _check_bodies(org: Organisasjon | None, loaded: Loaded[Sak] | Loaded[Mote]) -> list[Problem]:
    """Return a problem for every body a case or meeting names that the organisation lacks."""
    if org is None:
        return []
    known = org.kjente_utvalg()
    model = loaded.model
    named = [(("utvalg",), model.utvalg)] if isinstance(model, Mote) else [
        (("saksgang", i, "utvalg"), steg.utvalg) for i, steg in enumerate(model.saksgang)
    ]
    problems = []
    for path, name in named:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
            hint = f"; mente du «{close[0]}»?" if close else "; kjente utvalg står i organisasjon.yaml"
            problems.append(loaded.source.problem(path, f"ukjent utvalg «{name}»{hint}"))
    return problems


def _check_figures(loaded: Loaded, fields: tuple[str, ...], has_budget: bool) -> list[Problem]:
    """Return a problem for every figure reference in the given text fields that cannot be filled."""
    problems = []
    for name in fields:
        text = getattr(loaded.model, name)
        for ref in figures.references(text or ""):
            message = figures.problem(ref, has_budget)
            if message is None and figures.NAMES[ref.name] == "tabell":
                if text.split("\n")[ref.line].strip() != f"[[{ref.name}]]":
                    message = f"«[[{ref.name}]]» må stå alene på en linje, som et eget avsnitt"
            if message:
                alias = type(loaded.model).model_fields[name].alias or name
                line = loaded.source.text_line((alias,), ref.line)
                problems.append(loaded.source.problem((alias,), message, line))
    return problems


def _load_vedlegg(
    folder: ProjectFolder, sak: Loaded[Sak], ordninger: dict[str, Tilskuddsordning]
) -> tuple[tuple[Vedleggsdokument, ...], list[Problem]]:
    """Return the case's vedlegg, loading each attachment file it names."""
    vedlegg, problems = [], []
    for i, entry in enumerate(sak.model.vedlegg):
        if entry.fil is None:
            vedlegg.append(Vedleggsdokument(i + 1, entry.tittel))
            continue
        where = ("vedlegg", i, "fil")
        path = folder.attachment(entry.fil)
        if path is None:
            problems.append(sak.source.problem(where, f"vedleggsfilen «{entry.fil}» må ligge under cases/"))
            continue
        if not path.is_file():
            problems.append(sak.source.problem(where, f"fant ikke vedleggsfilen cases/{entry.fil}"))
            continue
        skisse, found = _load_file(folder, path, Prosjektskisse)
        problems += found
        if skisse is None:
            continue
        if skisse.model.tilskuddsordning not in ordninger:
            known = ", ".join(ordninger) or "ingen (cases/tilskuddsordninger.yaml mangler)"
            problems.append(skisse.source.problem(
                ("tilskuddsordning",), f"ukjent tilskuddsordning «{skisse.model.tilskuddsordning}»; kjente: {known}"
            ))
        problems += _check_figures(skisse, ("tekst",), has_budget=True)
        vedlegg.append(Vedleggsdokument(i + 1, skisse.model.full_tittel, skisse))
    return tuple(vedlegg), problems


def _load_saksmappe(
    folder: ProjectFolder, path: Path, org: Organisasjon | None, ordninger: dict[str, Tilskuddsordning]
) -> tuple[Saksmappe | None, list[Problem]]:
    sak, problems = _load_file(folder, path, Sak)
    if sak is None:
        return None, problems
    problems += _check_bodies(org, sak)
    vedlegg, found = _load_vedlegg(folder, sak, ordninger)
    problems += found
    # A prosjektskisse that failed to load has been reported; don't also call its figures unknown.
    has_budget = bool(found) or any(isinstance(v.dokument and v.dokument.model, Prosjektskisse) for v in vedlegg)
    problems += _check_figures(sak, ("saksopplysninger", "vurdering", "innstilling"), has_budget)
    return (None if problems else Saksmappe(sak, vedlegg, ordninger)), problems


def load_project(folder: ProjectFolder) -> Project:
    """Read and validate every file under cases/; never raises for bad files, collects problems."""
    org, problems = load_organisasjon(folder)
    org_model = org.model if org else None
    ordninger, found = load_ordninger(folder)
    problems += found
    moter, saker = [], []
    for path in folder.meeting_files():
        mote, found = _load_file(folder, path, Mote)
        problems += found + (_check_bodies(org_model, mote) if mote else [])
        if mote:
            moter.append(mote)
    for path in folder.case_files():
        mappe, found = _load_saksmappe(folder, path, org_model, ordninger)
        problems += found
        if mappe:
            saker.append(mappe)
    problems += _duplicate_numbers([m.sak for m in saker])
    return Project(folder, org, moter, sorted(saker, key=lambda m: m.sak.model.sak), problems)


def _duplicate_numbers(saker: list[Loaded[Sak]]) -> list[Problem]:
    first: dict[Saksnummer, Loaded[Sak]] = {}
    problems = []
    for sak in saker:
        number = sak.model.sak
        if number in first:
            other = first[number].source
            problems.append(
                sak.source.problem(("sak",), f"saksnummeret {number} er allerede brukt i {other.file}:{other.line(('sak',))}")
            )
        else:
            first[number] = sak
    return problems


def find_case_files(folder: ProjectFolder, nummer: Saksnummer) -> list[Path]:
    """Return the case files declaring `nummer`, even if they are otherwise broken.

    Raises ProjectError for an unknown number, naming the closest existing ones.
    """
    parsed = [_parse(folder, path) for path in folder.case_files()]
    numbers = {p.path: _raw_number(p) for p in parsed}
    matching = [path for path, number in numbers.items() if number == nummer]
    if matching:
        return matching
    unreadable = [p for p in parsed if numbers[p.path] is None and p.problems]
    named_like = [p for p in unreadable if p.path.stem == nummer.slug]
    if named_like:  # the file meant for this case is too broken to say its number
        raise InputError([problem for p in named_like for problem in p.problems])
    message = _unknown_case_message(nummer, [n for n in numbers.values() if n])
    if unreadable:
        files = ", ".join(p.source.file for p in unreadable)
        message += f" Merk: disse saksfilene kunne ikke leses: {files} (kjør «makecase check»)."
    raise ProjectError(message)


def load_case(folder: ProjectFolder, nummer: Saksnummer) -> tuple[Organisasjon, Saksmappe]:
    """Return the organisation and the case numbered `nummer` with its vedlegg, validated.

    Only the files this case needs must be valid; a broken file of another case does not
    stop this one. Raises ProjectError for an unknown number and InputError for bad input.
    """
    org, problems = load_organisasjon(folder)
    ordninger, found = load_ordninger(folder)
    problems += found
    mapper = []
    for path in find_case_files(folder, nummer):
        mappe, found = _load_saksmappe(folder, path, org.model if org else None, ordninger)
        problems += found
        if mappe:
            mapper.append(mappe)
    problems += _duplicate_numbers([m.sak for m in mapper])
    if problems:
        raise InputError(problems)
    return org.model, mapper[0]


def _raw_number(parsed: _Parsed) -> Saksnummer | None:
    """Return the case number a file declares, even if the rest of the file is broken."""
    raw = parsed.data.get("sak") if isinstance(parsed.data, dict) else None
    try:
        return Saksnummer.parse(raw)
    except Exception:  # noqa: BLE001 - an unreadable number just means "not this file"
        return None


def _unknown_case_message(nummer: Saksnummer, existing: list[Saksnummer]) -> str:
    if not existing:
        return f"Fant ingen sak {nummer}: det finnes ingen saksfiler under cases/ ennå."
    closest = sorted(
        set(existing),
        key=lambda n: (n.aar != nummer.aar, abs(n.aar - nummer.aar), abs(n.lopenummer - nummer.lopenummer)),
    )[:3]
    return f"Fant ingen sak {nummer}. Nærmeste saker: {', '.join(map(str, closest))}."
