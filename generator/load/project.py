"""The project folder → the whole project loaded (for kontroller, vis and bygg), or one meeting with its cases."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from generator.domain import norsk
from generator.domain.messages import mente_du
from generator.domain.values import Saksnummer
from generator.errors import InputError, ProjectError
from generator.findings import Finding, Severity
from generator.load.case import (
    Saksmappe,
    file_key,
    load_attachment,
    load_case,
    load_lovkrav,
    load_ordninger,
    load_organisasjon,
    load_saksmappe,
)
from generator.load.crosscheck import check_bodies, duplicate_numbers, shared_archive_cases
from generator.load import pdfvedlegg
from generator.load.files import Loaded, load_file, parse_file
from generator.load.index import by_utvalg, case_index, numbered_in, raw_number, same_utvalg, why_unreadable
from generator.load.models import Mote, Motebok, Organisasjon
from generator.folder import ProjectFolder


@dataclass
class Project:
    """Everything under cases/ that validated, and the problems of what did not."""

    folder: ProjectFolder
    organisasjon: Loaded[Organisasjon] | None
    moter: list[Loaded[Mote]]
    saker: list[Saksmappe]
    problems: list[Finding]
    unread: set = field(default_factory=set)  # numbers declared by case files that did not load
    unread_unknown: bool = False  # a case file too broken to say its numbers: any number may be its
    moteboker: list[tuple[Loaded[Mote], Loaded[Motebok]]] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)  # worth saying, changes nothing (a PDF no case names)


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
        mote, found = load_file(folder, path, Mote)
        problems += found + (check_bodies(org_model, mote) if mote else [])
        if mote:
            moter.append(mote)
    moteboker = []
    for mote in moter:
        path = folder.motebok_file(folder.root / mote.source.file)
        if path.is_file():
            motebok, found = load_file(folder, path, Motebok)
            problems += found
            if motebok:
                moteboker.append((mote, motebok))
    meetings = {folder.motebok_file(p) for p in folder.meeting_files()}
    for path in sorted((folder.cases / "moter").rglob("*.motebok.y*ml")) if (folder.cases / "moter").is_dir() else []:
        if path not in meetings:
            problems.append(Finding(folder.shown(path), None, "", "møteboken har ingen møtefil ved siden av seg "
                                    f"(ventet {folder.shown(path.with_name(path.name.split('.motebok.')[0] + '.yaml'))})"))
    read: set = set()
    broken = set()
    for path in folder.case_files():
        mappe, found = load_saksmappe(folder, path, org_model, ordninger, lovkrav, read)
        problems += found
        if mappe:
            saker.append(mappe)
        else:
            broken.add(path)
    read = {p.resolve() for p in read}
    for path in folder.attachment_files():  # what no case names, or only a case that could not be read
        if path.resolve() not in read:
            problems += load_attachment(folder, path, ordninger, lovkrav)[2]
    warnings = [Finding(folder.shown(path), None, "", "ingen sak har denne PDF-filen som vedlegg (mangler den under "
                        "«vedlegg:» i saken?)", Severity.WARNING)
                for path in folder.attachment_pdfs() if path.resolve() not in read and not broken]
    problems += duplicate_numbers([m.sak for m in saker]) + duplicate_meetings(moter)
    index, _ = case_index(folder)
    problems += shared_archive_cases(folder, [d for entries in index.values() for d in entries])
    saker.sort(key=lambda m: (m.sak.model.sak, m.sak.model.eget_utvalg))
    unread = {d.nummer for entries in index.values() for d in entries if d.path in broken}
    unknown = False
    for path in broken:  # the numbers other bodies gave it, as far as the file can be read
        parsed = parse_file(folder, path)
        unknown |= raw_number(parsed) is None
        steps = parsed.data.get("saksgang") if isinstance(parsed.data, dict) else None
        for step in steps if isinstance(steps, list) else ():
            try:
                unread.add(Saksnummer.parse(step.get("utvalgssak") if isinstance(step, dict) else None))
            except ValueError:  # no number, or an unreadable one: the file's own problems say
                continue
    return Project(folder, org, moter, saker, sorted(problems, key=lambda p: (p.file, p.line or 0)), unread,
                   moteboker=moteboker, unread_unknown=unknown, warnings=warnings)


def closed_vedlegg(folder: ProjectFolder, names: set[str], pdfs: bool) -> dict[str, tuple[str, str]]:
    """Return the vedlegg files any case file keeps from the public (marked `lukket`, or of a closed
    case), by Vedleggsdokument.key: a PDF by the SHA-256 of the copy makecase uses, a
    YAML vedlegg by its file; each with (the case's number, the hjemmel). Only PDFs where `pdfs`,
    and YAML vedlegg of these file `names`. Read loosely, and only the files that mention `lukket`
    and such a file (or may, through an escape): a public edition must not show, under another
    case, a file closed elsewhere (generator.check.rules.check_shared_vedlegg)."""
    found: dict[str, tuple[str, str]] = {}
    wanted = [n.encode() for n in names]
    for path in folder.case_files():
        try:
            raw = path.read_bytes()
        except OSError:
            continue
        mentioned = any(w in raw for w in wanted) or (pdfs and b".pdf" in raw.lower())
        if b"\\" not in raw and (b"lukket" not in raw or not mentioned):  # an escape may spell either
            continue
        data = parse_file(folder, path).data
        if not isinstance(data, dict) or not isinstance(data.get("vedlegg"), list):
            continue
        closed = data.get("lukket")
        for entry in data["vedlegg"]:
            own = entry.get("lukket") if isinstance(entry, dict) else None
            hjemmel = next((c.get("hjemmel") for c in (own, closed) if isinstance(c, dict) and c.get("hjemmel")), None)
            fil = entry.get("fil") if isinstance(entry, dict) else None
            where = folder.attachment(fil) if isinstance(fil, str) else None
            if hjemmel is None or where is None or not where.is_file():
                continue
            if not fil.lower().endswith(".pdf"):
                if where.name in names:
                    found.setdefault(file_key(folder.shown(where)), (str(data.get("sak")), str(hjemmel)))
                continue
            if not pdfs:
                continue
            try:
                found.setdefault(pdfvedlegg.read(where).sha256, (str(data.get("sak")), str(hjemmel)))
            except (pdfvedlegg.PdfError, OSError):
                continue  # that case's own problem, said where it is read
    return found


def duplicate_meetings(moter: list[Loaded[Mote]]) -> list[Finding]:
    """Return a problem for each meeting file describing a meeting another file already describes
    (one utvalg, one date): which of them is the meeting cannot be guessed."""
    first: dict[tuple, Loaded[Mote]] = {}
    found = []
    for mote in sorted(moter, key=lambda m: m.source.file):
        key = (mote.model.motedato, unicodedata.normalize("NFC", mote.model.utvalg).casefold())
        if key in first:
            found.append(Finding(mote.source.file, mote.source.line(("møtedato",)) or 1, "møtedato", (
                f"møtet i {mote.model.utvalg} {norsk.dato(mote.model.motedato)} er allerede beskrevet i "
                f"{first[key].source.file}; ett møte har én møtefil")))
        else:
            first[key] = mote
    return found


#: A meeting file's date written plainly on its own line (18.08.2020 or 2020-08-18), read without parsing YAML.
_MOTEDATO = re.compile("^møtedato:[ \t]*[\"']?(?:([0-9]{2})\\.([0-9]{2})\\.([0-9]{4})|([0-9]{4})-([0-9]{2})-([0-9]{2}))"
                       "[\"']?[ \t]*(?:#.*)?\r?$".encode(), re.MULTILINE)
_ANY_MOTEDATO = re.compile("^[\"']?møtedato".encode(), re.MULTILINE)  # however written, in whatever context
_DOCUMENTS = re.compile(rb"^(?:---|\.\.\.)", re.MULTILINE)  # a YAML document marker: more than one document


def _plainly_another_day(path, dato: dt.date) -> bool:
    """Whether a meeting file says plainly that it is for another day: a project of many meetings
    then parses only the one asked for (a case's steps look up their meetings one by one)."""
    day = plain_day(path)
    return day is not None and day != dato


def plain_day(path) -> dt.date | None:
    """Return the day a meeting file says plainly it is for (None: not plainly one day; it must be
    parsed to be known)."""
    try:
        with path.open("rb") as file:
            raw = file.read(200_000)
    except OSError:
        return None
    found = _MOTEDATO.findall(raw)
    if len(found) != 1 or len(_ANY_MOTEDATO.findall(raw)) != 1 or _DOCUMENTS.search(raw):
        return None  # not plainly written (a second date, a second document): parsed, so what is wrong is said
    day, month, year, iso_year, iso_month, iso_day = found[0]
    try:
        return dt.date(int(year or iso_year), int(month or iso_month), int(day or iso_day))
    except ValueError:
        return None


def find_meeting(folder: ProjectFolder, dato, utvalg: str | None = None) -> tuple[Organisasjon, Loaded[Mote]]:
    """Return the organisation and the meeting held on `dato` (by `utvalg` if several bodies meet
    that day), without the cases on its list."""
    org, problems = load_organisasjon(folder)
    moter, unreadable = [], []
    for path in folder.meeting_files():
        if _plainly_another_day(path, dato):
            continue  # not this meeting, and its own problems are not this command's
        mote, found = load_file(folder, path, Mote)
        if mote is None:
            unreadable += found  # another meeting's problems are its own, unless no meeting matches
        elif mote.model.motedato == dato and (utvalg is None or same_utvalg(mote.model.utvalg, utvalg)):
            problems += found + check_bodies(org.model if org else None, mote)
            moter.append(mote)
    if not moter:
        problems += unreadable  # perhaps the meeting meant is the one that cannot be read
    if problems:
        raise InputError(problems)
    if not moter:
        every = [m for m in (load_file(folder, p, Mote)[0] for p in folder.meeting_files()) if m]
        that_day = sorted(m.model.utvalg for m in every if m.model.motedato == dato)
        if utvalg and that_day:  # the day is right, the body is not
            raise ProjectError(f"Fant ikke noe møte i {utvalg} {norsk.dato(dato)}{mente_du(utvalg, that_day, 0.5)}. "
                               f"Den dagen møtes: {', '.join(that_day)}.")
        known = sorted({norsk.dato(m.model.motedato) for m in every})
        which = f" i {utvalg}" if utvalg else ""
        raise ProjectError(f"Fant ikke noe møte{which} {norsk.dato(dato)}. Møter i cases/moter/: {', '.join(known) or 'ingen'}. "
                           "Et nytt møte er en fil under cases/moter/ med utvalg, møtedato, møtested, starttid og "
                           "saksliste (se docs/bruker/saksfilene.md, «Møte»).")
    twice = duplicate_meetings(moter)
    if twice:
        raise InputError(twice)
    if len(moter) > 1:
        bodies = ", ".join(f"«{m.model.utvalg}»" for m in moter)
        raise ProjectError(f"Flere utvalg møtes {norsk.dato(dato)}: {bodies}. Velg ett med --utvalg.")
    return org.model, moter[0]


def load_meeting(
    folder: ProjectFolder, dato, utvalg: str | None = None, load=load_case
) -> tuple[Organisasjon, Loaded[Mote], list[Saksmappe]]:
    """Return the organisation, the meeting held on `dato` (by `utvalg` if several bodies meet
    that day) and each case on its list that exists, validated (by `load`, which a batch may
    have answered before).

    A listed case that does not exist is left out here and reported by the meeting check.
    """
    org, mote = find_meeting(folder, dato, utvalg)
    problems = []
    mapper = []
    index, unreadable = case_index(folder)  # once: finding each case by scanning every file is O(N²)
    steps = None  # the numbers this body gave in other bodies' cases, read only if needed
    for nummer in mote.model.saker:
        own, files = nummer, [d.path for d in index.get(nummer, ())]
        ours = next((paths for name, paths in by_utvalg(folder, files).items()
                     if same_utvalg(name, mote.model.utvalg)), None) if files else None
        if ours is None:  # not this body's own case number: perhaps the number it gave a case in its saksgang
            steps = numbered_in(folder, mote.model.utvalg) if steps is None else steps
            own, files = steps.get(nummer, (nummer, files))
        else:
            files = ours
        if not files:
            # reported by the meeting check, unless a case file too broken to say its number may be it:
            # then that file's own problems, as bad input (its `sak:` line mistyped, say)
            problems += [f for path in unreadable for f in why_unreadable(folder, path)]
            unreadable = []
            continue
        try:
            _, mappe = load(folder, own, files)
        except InputError as err:
            problems += err.problems
            continue
        except ProjectError:
            continue
        mapper.append(mappe)
    if problems:
        raise InputError(problems)
    return org, mote, mapper



def load_motebok(folder: ProjectFolder, mote: Loaded[Mote]) -> Loaded[Motebok]:
    """Return the møtebok beside a meeting's file (cases/moter/x.yaml → x.motebok.yaml)."""
    path = folder.motebok_file(folder.root / mote.source.file)
    if not path.is_file():
        raise ProjectError(f"Fant ingen møtebok for møtet {norsk.dato(mote.model.motedato)}: "
                           f"lag {folder.shown(path)} ved siden av møtefilen {mote.source.file}.")
    motebok, problems = load_file(folder, path, Motebok)
    if problems or motebok is None:
        raise InputError(problems)
    return motebok
