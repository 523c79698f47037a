"""cases/*.yaml → validated models, each value with its file:line (the load stage).

All problems of all files read are collected and raised once as an InputError, so the
caseworker fixes everything in one round. Cross-file references are checked here too:
bodies named in a saksgang, attachment files, grant schemes, figures cited in prose.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel, ValidationError

from generator import figures, yamlread
from generator.errors import InputError, Problem, ProjectError
from generator.messages import format_path, message_for
from generator.models import (
    VEDLEGG_TYPES,
    Lovkrav,
    Mote,
    Organisasjon,
    Prosjektskisse,
    Sak,
    Samarbeidsavtale,
    Tilskuddsordning,
    Tilskuddsordninger,
)
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
    dokument: Loaded | None = None  # Loaded[Prosjektskisse | Samarbeidsavtale | Tekstvedlegg]

    @property
    def type(self) -> str | None:
        return self.dokument.model.type if self.dokument else None


@dataclass(frozen=True)
class Saksmappe:
    """A case and everything needed to render it: its vedlegg and the grant schemes they use."""

    sak: Loaded[Sak]
    vedlegg: tuple[Vedleggsdokument, ...]
    ordninger: dict[str, Tilskuddsordning]
    lovkrav: dict[str, Lovkrav] = field(default_factory=dict)

    def av_type(self, kind: str) -> list[Vedleggsdokument]:
        """Return the vedlegg that are documents of one type (prosjektskisse, samarbeidsavtale, tekst)."""
        return [v for v in self.vedlegg if v.type == kind]

    @property
    def prosjektskisser(self) -> list[Vedleggsdokument]:
        return self.av_type("prosjektskisse")

    @property
    def avtaler(self) -> list[Vedleggsdokument]:
        return self.av_type("samarbeidsavtale")


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


def load_lovkrav(folder: ProjectFolder) -> tuple[dict[str, Lovkrav], list[Problem]]:
    """Return the statutory checklists under cases/lovkrav/, by id."""
    lister: dict[str, Lovkrav] = {}
    problems: list[Problem] = []
    for path in folder.law_files():
        loaded, found = _load_file(folder, path, Lovkrav)
        problems += found
        if loaded is None:
            continue
        if loaded.model.id in lister:
            problems.append(loaded.source.problem(("id",), f"id-en «{loaded.model.id}» er brukt i en annen lovkravfil"))
        lister[loaded.model.id] = loaded.model
    return lister, problems


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


def _texts(model) -> list[tuple[tuple, str]]:
    """Return every prose text of a model with its path (for reference checks)."""
    if isinstance(model, Sak):
        fields = ("saksopplysninger", "vurdering", "innstilling")
        return [((name,), getattr(model, name)) for name in fields if getattr(model, name)]
    if isinstance(model, Samarbeidsavtale):
        return [(("paragrafer", i, "tekst"), p.tekst) for i, p in enumerate(model.paragrafer)]
    return [(("tekst",), model.tekst)]


def _check_references(loaded: Loaded, context: figures.Context) -> list[Problem]:
    """Return a problem for every reference in a model's texts that cannot be filled."""
    problems = []
    for path, text in _texts(loaded.model):
        for ref in figures.references(text):
            message = figures.problem(ref, context)
            if message is None and ref.kind == "figure" and figures.NAMES[ref.name] == "tabell":
                if not isinstance(loaded.model, Prosjektskisse):
                    message = f"«[[{ref.name}]]» kan bare stå i en prosjektskisse"
                elif text.split("\n")[ref.line].strip() != f"[[{ref.name}]]":
                    message = f"«[[{ref.name}]]» må stå alene på en linje, som et eget avsnitt"
            if message:
                problems.append(loaded.source.problem(path, message, loaded.source.text_line(path, ref.line)))
    return problems


def _check_agreement(avtale: Loaded[Samarbeidsavtale], lovkrav: dict[str, Lovkrav]) -> list[Problem]:
    """Return problems with an agreement's own structure: ids, its checklist, its points."""
    model, source = avtale.model, avtale.source
    problems = []
    seen: set[str] = set()
    for i, paragraf in enumerate(model.paragrafer):
        if paragraf.id in seen:
            problems.append(source.problem(("paragrafer", i, "id"), f"paragraf-id-en «{paragraf.id}» er brukt før i avtalen"))
        seen.add(paragraf.id)
    if model.lovkrav is None:
        return problems
    liste = lovkrav.get(model.lovkrav)
    if liste is None:
        known = ", ".join(lovkrav) or "ingen (cases/lovkrav/ er tom)"
        return problems + [source.problem(("lovkrav",), f"ukjent lovkravliste «{model.lovkrav}»; kjente: {known}")]
    points = [p.id for p in liste.punkter]
    named = [(("paragrafer", i, "dekker", j), point)
             for i, p in enumerate(model.paragrafer) for j, point in enumerate(p.dekker)]
    named += [(("avvik", i, "punkt"), a.punkt) for i, a in enumerate(model.avvik)]
    for path, point in named:
        if point not in points:
            problems.append(source.problem(path, f"ukjent punkt «{point}» i {liste.navn}; punktene er {', '.join(points)}"))
    return problems


def _load_vedlegg(
    folder: ProjectFolder, sak: Loaded[Sak], ordninger: dict[str, Tilskuddsordning], lovkrav: dict[str, Lovkrav]
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
        dokument, found = _load_attachment(folder, path, ordninger, lovkrav)
        problems += found
        if dokument is not None:
            vedlegg.append(Vedleggsdokument(i + 1, dokument.model.full_tittel, dokument))
    return tuple(vedlegg), problems


def _load_attachment(
    folder: ProjectFolder, path: Path, ordninger: dict[str, Tilskuddsordning], lovkrav: dict[str, Lovkrav]
) -> tuple[Loaded | None, list[Problem]]:
    """Load one attachment file as the document type its `type:` names."""
    parsed = _parse(folder, path)
    kind = parsed.data.get("type") if isinstance(parsed.data, dict) else None
    if kind not in VEDLEGG_TYPES:
        if parsed.data is None:
            return None, parsed.problems
        choices = ", ".join(f"«{k}»" for k in VEDLEGG_TYPES)
        found = "påkrevd felt mangler; " if kind is None else f"fant «{kind}»; "
        return None, [parsed.source.problem(("type",), f"{found}en vedleggsfil må ha type {choices}")]
    dokument, problems = _validate(parsed, VEDLEGG_TYPES[kind])
    if dokument is None:
        return None, problems
    model = dokument.model
    if isinstance(model, Prosjektskisse) and model.tilskuddsordning not in ordninger:
        known = ", ".join(ordninger) or "ingen (cases/tilskuddsordninger.yaml mangler)"
        problems.append(dokument.source.problem(
            ("tilskuddsordning",), f"ukjent tilskuddsordning «{model.tilskuddsordning}»; kjente: {known}"
        ))
    if isinstance(model, Samarbeidsavtale):
        problems += _check_agreement(dokument, lovkrav)
    return (None if problems else dokument), problems


def _load_saksmappe(
    folder: ProjectFolder, path: Path, org: Organisasjon | None,
    ordninger: dict[str, Tilskuddsordning], lovkrav: dict[str, Lovkrav],
) -> tuple[Saksmappe | None, list[Problem]]:
    sak, problems = _load_file(folder, path, Sak)
    if sak is None:
        return None, problems
    problems += _check_bodies(org, sak)
    vedlegg, found = _load_vedlegg(folder, sak, ordninger, lovkrav)
    problems += found
    mappe = Saksmappe(sak, vedlegg, ordninger, lovkrav)
    if not found:  # references into a vedlegg that failed to load would only repeat its problems
        avtale = next(iter(mappe.avtaler), None)
        context = figures.Context(
            has_budget=bool(mappe.prosjektskisser),
            paragrafer=tuple(p.id for p in avtale.dokument.model.paragrafer) if avtale else (),
        )
        for loaded in (sak, *(v.dokument for v in vedlegg if v.dokument)):
            problems += _check_references(loaded, context)
    return (None if problems else mappe), problems


def load_project(folder: ProjectFolder) -> Project:
    """Read and validate every file under cases/; never raises for bad files, collects problems."""
    org, problems = load_organisasjon(folder)
    org_model = org.model if org else None
    ordninger, found = load_ordninger(folder)
    problems += found
    lovkrav, found = load_lovkrav(folder)
    problems += found
    moter, saker = [], []
    for path in folder.meeting_files():
        mote, found = _load_file(folder, path, Mote)
        problems += found + (_check_bodies(org_model, mote) if mote else [])
        if mote:
            moter.append(mote)
    for path in folder.case_files():
        mappe, found = _load_saksmappe(folder, path, org_model, ordninger, lovkrav)
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


_DECLARED = re.compile(rb"^sak:[ \t]*[\"']?([0-9]{1,4}/[0-9]{2})[\"']?[ \t]*(?:#.*)?\r?$", re.MULTILINE)


def _declared_number(folder: ProjectFolder, path: Path) -> Saksnummer | None:
    """Return the number a case file declares: from its `sak:` line when it is written plainly
    (no YAML parse: a project has hundreds of files), else from the parsed file."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    found = _DECLARED.findall(raw[:2_000_000])
    if len(found) == 1:
        return Saksnummer.parse(found[0].decode())
    return _raw_number(_parse(folder, path))


def case_index(folder: ProjectFolder) -> tuple[dict[Saksnummer, list[Path]], list[Path]]:
    """Return the case files by the number each declares, and the files too broken to say."""
    index: dict[Saksnummer, list[Path]] = {}
    unreadable = []
    for path in folder.case_files():
        number = _declared_number(folder, path)
        if number is None:
            unreadable.append(path)
        else:
            index.setdefault(number, []).append(path)
    return index, unreadable


def find_case_files(folder: ProjectFolder, nummer: Saksnummer) -> list[Path]:
    """Return the case files declaring `nummer`, even if they are otherwise broken.

    Raises ProjectError for an unknown number, naming the closest existing ones.
    """
    index, unreadable = case_index(folder)
    if nummer in index:
        return index[nummer]
    parsed = [_parse(folder, path) for path in unreadable]
    named_like = [p for p in parsed if p.path.stem == nummer.slug]
    if named_like:  # the file meant for this case is too broken to say its number: say what is wrong
        raise InputError([problem for p in named_like for problem in (p.problems or _validate(p, Sak)[1])])
    message = _unknown_case_message(nummer, list(index))
    if unreadable:
        files = ", ".join(folder.shown(p) for p in unreadable)
        message += f" Merk: disse saksfilene kunne ikke leses: {files} (kjør «makecase check»)."
    raise ProjectError(message)


def load_case(
    folder: ProjectFolder, nummer: Saksnummer, files: list[Path] | None = None
) -> tuple[Organisasjon, Saksmappe]:
    """Return the organisation and the case numbered `nummer` with its vedlegg, validated.

    Only the files this case needs must be valid; a broken file of another case does not
    stop this one. `files` are the case's files when the caller already knows them (a batch
    build indexes the project once). Raises ProjectError for an unknown number and
    InputError for bad input.
    """
    org, problems = load_organisasjon(folder)
    ordninger, found = load_ordninger(folder)
    problems += found
    lovkrav, found = load_lovkrav(folder)
    problems += found
    mapper = []
    for path in files or find_case_files(folder, nummer):
        mappe, found = _load_saksmappe(folder, path, org.model if org else None, ordninger, lovkrav)
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


def load_meeting(
    folder: ProjectFolder, dato, utvalg: str | None = None
) -> tuple[Organisasjon, Loaded[Mote], list[Saksmappe]]:
    """Return the organisation, the meeting held on `dato` (by `utvalg` if several bodies meet
    that day) and each case on its list that exists, validated.

    A listed case that does not exist is left out here and reported by the meeting check.
    """
    from generator import formats

    org, problems = load_organisasjon(folder)
    moter = []
    for path in folder.meeting_files():
        mote, found = _load_file(folder, path, Mote)
        problems += found
        if mote and mote.model.motedato == dato and (utvalg is None or mote.model.utvalg == utvalg):
            problems += _check_bodies(org.model if org else None, mote)
            moter.append(mote)
    if problems:
        raise InputError(problems)
    if not moter:
        known = sorted({formats.dato(m.model.motedato) for m in (_load_file(folder, p, Mote)[0] for p in folder.meeting_files()) if m})
        which = f" i {utvalg}" if utvalg else ""
        raise ProjectError(f"Fant ikke noe møte{which} {formats.dato(dato)}. Møter i cases/moter/: {', '.join(known) or 'ingen'}.")
    if len(moter) > 1:
        bodies = ", ".join(f"«{m.model.utvalg}»" for m in moter)
        raise ProjectError(f"Flere utvalg møtes {formats.dato(dato)}: {bodies}. Velg ett med --utvalg.")
    mote = moter[0]
    mapper = []
    index, _ = case_index(folder)  # once: finding each case by scanning every file is O(N²)
    for nummer in mote.model.saker:
        if nummer not in index:
            continue  # reported by the meeting check
        try:
            _, mappe = load_case(folder, nummer, index[nummer])
        except InputError as err:
            problems += err.problems
            continue
        except ProjectError:
            continue
        mapper.append(mappe)
    if problems:
        raise InputError(problems)
    return org.model, mote, mapper
