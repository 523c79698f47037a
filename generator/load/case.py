"""A case file → the case with its vedlegg, its grant schemes and laws, every cross-file
reference checked (bodies in the saksgang, attachment files, schemes, figures, § ids)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from generator.domain import references
from generator.domain import hjemler
from generator.errors import InputError
from generator.findings import Finding
from generator.load.crosscheck import check_bodies, check_hjemmel, check_saksgang, duplicate_numbers, shared_archive_cases
from generator.load.files import Loaded, load_file, parse_file, salvage, validate
from generator.load.index import case_index, find_case_files
from generator.load.models import (
    VEDLEGG_TYPES,
    Lovkrav,
    Organisasjon,
    Prosjektskisse,
    Sak,
    Samarbeidsavtale,
    Tilskuddsordning,
    Tilskuddsordninger,
)
from generator.folder import ProjectFolder
from generator.load import pdfvedlegg
from generator.load.pdfvedlegg import PdfVedlegg
from generator.domain.values import Saksnummer
from generator.domain.messages import mente_du


def file_key(shown: str) -> str:
    """Return how a YAML vedlegg file is known among the vedlegg kept from the public: by the file
    as shown («cases/…»)."""
    return f"fil:{shown}"


@dataclass(frozen=True)
class Vedleggsdokument:
    """One vedlegg of a case, numbered from 1: listed by title, a document of its own, or a PDF file."""

    nummer: int
    tittel: str
    dokument: Loaded | None = None  # Loaded[Prosjektskisse | Samarbeidsavtale | Tekstvedlegg]
    pdf: PdfVedlegg | None = None  # a PDF file: the copy makecase uses
    fil: str | None = None  # the file as the case names it (under cases/)
    lukket: str | None = None  # the legal basis, when the vedlegg is kept out of the public edition
    offentlig_tittel: str | None = None  # what the public is shown instead of the title of a closed vedlegg

    @property
    def vist_tittel(self) -> str:
        """The title a public document shows (the saksframlegg, the public package, the archive's
        metadata): a closed vedlegg's public title where it has one."""
        return self.offentlig_tittel if self.lukket and self.offentlig_tittel else self.tittel

    @property
    def type(self) -> str | None:
        return self.dokument.model.type if self.dokument else "pdf" if self.pdf else None

    @property
    def key(self) -> str | None:
        """What makes two vedlegg the same for the public edition: a PDF's content (its copy's
        SHA-256), a YAML vedlegg's file (`file_key`); None for a vedlegg that is a title alone."""
        if self.pdf is not None:
            return self.pdf.sha256
        return file_key(self.dokument.source.file) if self.dokument is not None else None


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



def load_organisasjon(folder: ProjectFolder) -> tuple[Loaded[Organisasjon] | None, list[Finding]]:
    path = folder.organisasjon_file
    if not path.is_file():
        return None, [Finding(folder.shown(path), None, "", "filen mangler: den beskriver organisasjonen og utvalgene")]
    org, problems = load_file(folder, path, Organisasjon)
    if org is None:
        return None, problems
    return org, problems + _check_letterhead(folder, org) + _check_names(org) + _check_hjemler(org)


def _check_names(org: Loaded[Organisasjon]) -> list[Finding]:
    """Return a problem for a body named twice (an utvalg, or an utvalg and a kommunestyre)."""
    seen: dict[str, tuple] = {}
    problems = []
    named = [(("utvalg", i, "navn"), u.navn) for i, u in enumerate(org.model.utvalg)]
    named += [(("deltakerkommuner", i, "navn"), k.kommunestyre_navn) for i, k in enumerate(org.model.deltakerkommuner)]
    for path, name in named:
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            problems.append(org.source.problem(path, f"«{name}» står to ganger (første gang på linje "
                                                     f"{org.source.line(seen[key])})"))
        else:
            seen[key] = path
    return problems


def _check_hjemler(org: Loaded[Organisasjon]) -> list[Finding]:
    """Return a problem for a hjemmel the organisation adds that does not cite offentleglova."""
    return [org.source.problem(("hjemler", i), problem) for i, form in enumerate(org.model.hjemler)
            if (problem := hjemler.extra_problem(form))]


#: The largest logo makecase reads: a logo is a few kilobytes; anything near this is not one.
LOGO_LIMIT = 2 * 1024 * 1024


def _logo_problem(path: Path) -> str | None:
    """Return why a file cannot be the letterhead's logo (an SVG or PNG image), or None."""
    data = path.read_bytes()
    if len(data) > LOGO_LIMIT:
        return f"logoen er {len(data) // 1024} kB; den kan være høyst {LOGO_LIMIT // 1024 // 1024} MB"
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        return f"logoen er verken en PNG-fil eller en lesbar SVG-fil ({err})"
    if etree.QName(root).localname != "svg":
        return "logoen er verken en PNG-fil eller en SVG-fil"
    return None


def _check_letterhead(folder: ProjectFolder, org: Loaded[Organisasjon]) -> list[Finding]:
    """Return a problem for a logo that is missing, outside cases/ or not an image, and for
    lines of an utvalg the organisation does not have."""
    head, source = org.model.brevhode, org.source
    if head is None:
        return []
    problems = []
    if head.logo:
        where = ("brevhode", "logo")
        path = folder.attachment(head.logo)
        if path is None:
            problems.append(source.problem(where, f"logoen «{head.logo}» må ligge under cases/"))
        elif not path.is_file():
            problems.append(source.problem(where, f"fant ikke logoen cases/{head.logo}"))
        else:
            trouble = _logo_problem(path)
            if trouble:
                problems.append(source.problem(where, f"cases/{head.logo}: {trouble}"))
    known = [u.navn for u in org.model.utvalg]
    for name in head.utvalg:
        if name not in known:
            hint = mente_du(name, known, 0.5) or f"; utvalgene er {', '.join(known)}"
            problems.append(source.problem(("brevhode", "utvalg", name), f"ukjent utvalg «{name}»{hint}"))
    return problems


def load_ordninger(folder: ProjectFolder) -> tuple[dict[str, Tilskuddsordning] | None, list[Finding]]:
    """Return the grant schemes by id (none if the file does not exist; None if it is broken, so
    that a prosjektskisse's scheme is not called unknown when the file that has it is at fault)."""
    path = folder.ordninger_file
    if not path.is_file():
        return {}, []
    loaded, problems = load_file(folder, path, Tilskuddsordninger)
    if loaded is None:
        return None, problems
    ordninger: dict[str, Tilskuddsordning] = {}
    for i, ordning in enumerate(loaded.model.ordninger):
        if ordning.id in ordninger:
            problems.append(loaded.source.problem(("ordninger", i, "id"), f"id-en «{ordning.id}» er brukt før i filen"))
        ordninger[ordning.id] = ordning
    return ordninger, problems


def load_lovkrav(folder: ProjectFolder) -> tuple[dict[str, Lovkrav], list[Finding]]:
    """Return the statutory checklists under cases/lovkrav/, by id."""
    lister: dict[str, Lovkrav] = {}
    problems: list[Finding] = []
    for path in folder.law_files():
        loaded, found = load_file(folder, path, Lovkrav)
        problems += found
        if loaded is None:
            continue
        if loaded.model.id in lister:
            problems.append(loaded.source.problem(("id",), f"id-en «{loaded.model.id}» er brukt i en annen lovkravfil"))
        lister[loaded.model.id] = loaded.model
    return lister, problems


def _texts(model) -> list[tuple[tuple, str]]:
    """Return every prose text of a model with its path (for reference checks)."""
    if isinstance(model, Sak):
        fields = ("saksopplysninger", "vurdering", "innstilling")
        texts = [((name,), getattr(model, name)) for name in fields if getattr(model, name)]
        return texts + [(("saksgang", i, name), getattr(steg, name)) for i, steg in enumerate(model.saksgang)
                        for name in ("innstilling", "vedtak") if getattr(steg, name)]
    if isinstance(model, Samarbeidsavtale):
        return [(("paragrafer", i, "tekst"), p.tekst) for i, p in enumerate(model.paragrafer)]
    return [(("tekst",), model.tekst)]


def _check_references(loaded: Loaded, context: references.Context) -> list[Finding]:
    """Return a problem for every reference in a model's texts that cannot be filled."""
    problems = []
    for path, text in _texts(loaded.model):
        for ref in references.references(text):
            message = references.problem(ref, context)
            if message is None and ref.kind == "figure" and references.NAMES[ref.name] == "tabell":
                if not isinstance(loaded.model, Prosjektskisse):
                    message = f"«[[{ref.name}]]» kan bare stå i en prosjektskisse"
                elif text.split("\n")[ref.line].strip() != f"[[{ref.name}]]":
                    message = f"«[[{ref.name}]]» må stå alene på en linje, som et eget avsnitt"
            if message:
                problems.append(loaded.source.problem(path, message, loaded.source.text_line(path, ref.line)))
        for line, written in references.half_written(text):
            problems.append(loaded.source.problem(path, references.half_message(written), loaded.source.text_line(path, line)))
    return problems


def _check_agreement(avtale: Loaded[Samarbeidsavtale], lovkrav: dict[str, Lovkrav]) -> list[Finding]:
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


@dataclass
class _Vedleggsfiler:
    """A case's vedlegg as loaded: those that are valid, every document that could be read at all
    (for cross-checks), and whether each file named could be read."""

    vedlegg: list[Vedleggsdokument] = field(default_factory=list)
    lesbare: list[Loaded] = field(default_factory=list)
    alle_lest: bool = True
    problems: list[Finding] = field(default_factory=list)


def _load_vedlegg(
    folder: ProjectFolder, sak: Loaded[Sak], ordninger: dict[str, Tilskuddsordning] | None, lovkrav: dict[str, Lovkrav],
    read: set | None = None,
) -> _Vedleggsfiler:
    """Return the case's vedlegg, loading each attachment file it names (and noting it in `read`)."""
    found = _Vedleggsfiler()
    for i, entry in enumerate(sak.model.vedlegg):
        lukket = entry.lukket.hjemmel if entry.lukket else None
        offentlig = entry.lukket.offentlig_tittel if entry.lukket else None
        if entry.fil is None:
            found.vedlegg.append(Vedleggsdokument(i + 1, entry.tittel, lukket=lukket, offentlig_tittel=offentlig))
            continue
        where = ("vedlegg", i, "fil")
        path = folder.attachment(entry.fil)
        if path is None or not path.is_file():
            found.alle_lest = False
            found.problems.append(sak.source.problem(where, f"vedleggsfilen «{entry.fil}» må ligge under cases/"
                                                     if path is None else f"fant ikke vedleggsfilen cases/{entry.fil}"))
            continue
        if not entry.er_pdf and path.suffix.lower() not in (".yaml", ".yml"):
            found.alle_lest = False
            found.problems.append(sak.source.problem(where, _not_a_vedlegg(entry.fil)))
            continue
        if entry.er_pdf:
            if read is not None:
                read.add(path)
            try:
                found.vedlegg.append(Vedleggsdokument(i + 1, entry.tittel, pdf=pdfvedlegg.read(path), fil=entry.fil,
                                                      lukket=lukket, offentlig_tittel=offentlig))
            except (pdfvedlegg.PdfError, OSError) as err:
                found.problems.append(sak.source.problem(where, f"cases/{entry.fil}: {err}"))
            continue
        if read is not None:
            read.add(path)
        dokument, usable, problems = load_attachment(folder, path, ordninger, lovkrav)
        found.problems += problems
        if usable is None:
            found.alle_lest = False
        else:
            found.lesbare.append(usable)
        if dokument is not None:
            found.vedlegg.append(Vedleggsdokument(i + 1, dokument.model.full_tittel, dokument, lukket=lukket,
                                                  offentlig_tittel=offentlig))
    return found


def _not_a_vedlegg(fil: str) -> str:
    """Say what a vedlegg file must be, for a file of another kind (a Word file, a picture)."""
    word = "; lagre dokumentet som PDF (Fil → Lagre som → PDF)" if fil.lower().endswith((".docx", ".doc", ".odt")) else ""
    return f"cases/{fil} kan ikke være et vedlegg: et vedlegg er en PDF-fil eller en YAML-fil{word}"


def load_attachment(
    folder: ProjectFolder, path: Path, ordninger: dict[str, Tilskuddsordning] | None, lovkrav: dict[str, Lovkrav]
) -> tuple[Loaded | None, Loaded | None, list[Finding]]:
    """Load one attachment file as the document type its `type:` names: the valid document (or
    None), the document as far as it could be read (see files.salvage), and its problems."""
    parsed = parse_file(folder, path)
    kind = parsed.data.get("type") if isinstance(parsed.data, dict) else None
    if kind not in VEDLEGG_TYPES:
        if parsed.data is None:
            return None, None, parsed.problems
        choices = ", ".join(f"«{k}»" for k in VEDLEGG_TYPES)
        found = "påkrevd felt mangler; " if kind is None else f"fant «{kind}»; "
        return None, None, [parsed.source.problem(("type",), f"{found}en vedleggsfil må ha type {choices}")]
    dokument, problems = validate(parsed, VEDLEGG_TYPES[kind])
    usable = dokument or salvage(parsed, VEDLEGG_TYPES[kind])
    if usable is None:
        return None, None, problems
    model = usable.model
    if isinstance(model, Prosjektskisse) and ordninger is not None and model.tilskuddsordning not in ordninger \
            and usable.given(model.tilskuddsordning):
        known = ", ".join(ordninger) or "ingen (cases/tilskuddsordninger.yaml mangler)"
        problems.append(usable.source.problem(
            ("tilskuddsordning",), f"ukjent tilskuddsordning «{model.tilskuddsordning}»; kjente: {known}"
        ))
    if isinstance(model, Samarbeidsavtale):
        problems += _check_agreement(usable, lovkrav)
    return (None if problems else dokument), usable, problems


def load_saksmappe(
    folder: ProjectFolder, path: Path, org: Organisasjon | None,
    ordninger: dict[str, Tilskuddsordning] | None, lovkrav: dict[str, Lovkrav], read: set | None = None,
) -> tuple[Saksmappe | None, list[Finding]]:
    """Return a case file with its vedlegg, or the problems of both (each vedlegg file read is
    noted in `read`).

    A file with problems is still read as far as it can be (see files.salvage), so that the
    problems of its vedlegg, its cross-checks and its references come in the same round as
    its own; a file YAML cannot read at all still has the vedlegg files its `fil:` lines name
    checked. A reference that depends on a vedlegg that could not be read is not judged.
    """
    parsed = parse_file(folder, path)
    sak, problems = validate(parsed, Sak)
    usable = sak or salvage(parsed, Sak)
    if usable is None:
        return None, problems + _named_vedlegg_problems(folder, path, ordninger, lovkrav, read)
    problems += check_bodies(org, usable) + check_saksgang(usable) + check_hjemmel(org, usable)
    found = _load_vedlegg(folder, usable, ordninger, lovkrav, read)
    problems += found.problems
    avtale = next((d for d in found.lesbare if isinstance(d.model, Samarbeidsavtale)), None)
    context = references.Context(
        has_budget=any(isinstance(d.model, Prosjektskisse) for d in found.lesbare),
        paragrafer=tuple(p.id for p in avtale.model.paragrafer) if avtale else (),
        complete=found.alle_lest,
    )
    for loaded in (usable, *found.lesbare):
        problems += _check_references(loaded, context)
    if ordninger is None and context.has_budget:
        return None, problems  # its budget cannot be checked until tilskuddsordninger.yaml is mended
    mappe = Saksmappe(usable, tuple(found.vedlegg), ordninger or {}, lovkrav)
    return (None if problems else mappe), problems


_FIL = re.compile(r"^[ \t-]*fil:[ \t]*[\"']?([^\"'#\s]+)", re.MULTILINE)


def _named_vedlegg_problems(
    folder: ProjectFolder, path: Path, ordninger: dict[str, Tilskuddsordning] | None, lovkrav: dict[str, Lovkrav],
    read: set | None,
) -> list[Finding]:
    """Return the problems of the vedlegg files a case file names on its `fil:` lines, read
    from its text: for a case file that YAML cannot read, whose vedlegg would otherwise be
    checked only after it is mended."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    problems = []
    for reference in dict.fromkeys(_FIL.findall(text)):
        attachment = folder.attachment(reference)
        if attachment is None or not attachment.is_file() or (read is not None and attachment in read) \
                or reference.lower().endswith(".pdf"):  # a PDF is read when the case can be
            continue
        if read is not None:
            read.add(attachment)
        problems += load_attachment(folder, attachment, ordninger, lovkrav)[2]
    return problems


def load_case(
    folder: ProjectFolder, nummer: Saksnummer, files: list[Path] | None = None, utvalg: str | None = None,
) -> tuple[Organisasjon, Saksmappe]:
    """Return the organisation and the case numbered `nummer` (in `utvalg`, where several utvalg
    have that number) with its vedlegg, validated.

    Only the files this case needs must be valid; a broken file of another case does not
    stop this one, but another case with the same archive case does. `files` are the case's
    files when the caller already knows them (a batch build indexes the project once, and
    checks archive cases then). Raises ProjectError for an unknown or ambiguous number and
    InputError for bad input.
    """
    org, problems = load_organisasjon(folder)
    ordninger, found = load_ordninger(folder)
    problems += found
    lovkrav, found = load_lovkrav(folder)
    problems += found
    if files is None:
        indexed = case_index(folder)
        files = find_case_files(folder, nummer, utvalg, indexed)
        declared = [d for entries in indexed[0].values() for d in entries]
        problems += shared_archive_cases(folder, declared, set(files))
    mapper = []
    for path in files:
        mappe, found = load_saksmappe(folder, path, org.model if org else None, ordninger, lovkrav)
        problems += found
        if mappe:
            mapper.append(mappe)
    problems += duplicate_numbers([m.sak for m in mapper])
    if problems:
        raise InputError(problems)
    return org.model, mapper[0]
