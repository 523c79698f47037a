"""One function per job, wiring the stages: load → check → compose → render → publish.

The CLI calls these; they return data and raise makecase errors, never print.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from generator import compose
from generator import tree as t
from generator.publish import files as publish
from generator.render import FORMATS, render_all, render_document
from generator.check.rules import check_case, check_meeting, check_project, check_shared_vedlegg
from generator.findings import Finding, Severity
from generator.compose import Utgave
from generator.errors import InputError, ProjectError, RuleViolationError
from generator.load import Project, Saksmappe, Vedleggsdokument, load_case, load_meeting, load_project
from generator.load.project import closed_vedlegg
from generator.load.models import Deltakerkommune, Organisasjon
from generator.cache import Verdicts
from generator.folder import ProjectFolder
from generator.domain.values import Saksnummer

#: Renders documents (trees) with the templates folder into (output name, bytes).
Renderer = Callable[[list, Path], list[tuple[str, bytes]]]


@dataclass(frozen=True)
class Made:
    """What a job produced: the files written, the violations if it is a draft, and what
    archiving wrote and found unchanged."""

    paths: list[Path]
    violations: list[Finding]
    archived: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Session:
    """The cases one batch group has loaded and composed already.

    A meeting's package holds the documents of every case on its list, and those cases were
    just made as jobs of their own in the same group: with a session they are loaded and
    composed once, not twice (see generator.commands.build). Input files do not change within a group.
    """

    loaded: dict = field(default_factory=dict)
    composed: dict = field(default_factory=dict)
    moteboker: dict = field(default_factory=dict)  # the meetings looked up for their møtebøker (moteboker_of)

    def load_case(self, folder: ProjectFolder, nummer: Saksnummer, files: list[Path] | None = None,
                  utvalg: str | None = None):
        key = (nummer, tuple(files or ()), utvalg)
        if key not in self.loaded:
            self.loaded[key] = load_case(folder, nummer, files, utvalg)
        return self.loaded[key]

    def case_documents(self, org, mappe: Saksmappe, kontroll, utgave: Utgave) -> list:
        key = (mappe.sak.source.file, utgave)
        if key not in self.composed:
            self.composed[key] = compose.case_documents(org, mappe, kontroll, utgave)
        return self.composed[key]


def _draft_or_refuse(violations: list[Finding], draft: bool, what: str = "Saken") -> tuple[str, ...] | None:
    """Refuse final documents that break a rule; for a draft, return the violations to print in it:
    the rule and the figures, without the file and line (those are for the terminal). A draft asked
    for is a draft, rules broken or not: none is an empty tuple (None: final documents)."""
    if violations and not draft:
        raise RuleViolationError(violations, f"{what} bryter reglene, og ingen dokumenter ble laget:")
    return tuple(v.message for v in violations) if violations or draft else None


def _kommuner(org: Organisasjon, mappe: Saksmappe, wanted: str) -> list[Deltakerkommune]:
    """Return the member municipalities whose kommunestyre is in the case's saksgang (or the one named)."""
    steps = {steg.utvalg for steg in mappe.sak.model.saksgang}
    kommuner = [k for k in org.deltakerkommuner if k.kommunestyre_navn in steps]
    nummer = mappe.sak.model.sak
    if not kommuner:
        raise ProjectError(f"Sak {nummer} skal ikke til noe kommunestyre: saksgangen har ingen kommunestyrer.")
    if not wanted:
        return kommuner
    chosen = [k for k in kommuner if wanted.casefold() in (k.navn.casefold(), k.kommunestyre_navn.casefold())]
    if not chosen:
        names = ", ".join(k.navn for k in kommuner)
        raise ProjectError(f"Sak {nummer} skal ikke til kommunestyret i «{wanted}». Kommunene i saksgangen: {names}.")
    return chosen


def _archive_files(rendered: list[tuple[str, bytes]], documents, renumber: tuple[str, str] | None = None,
                   foreign: list[t.ForeignPdf] = (), lukket: dict[int, Vedleggsdokument] | None = None, verdicts=None,
                   ) -> tuple[list[tuple[str, bytes]], list, dict[str, str]]:
    """Return the PDFs of rendered documents and of the PDF vedlegg (`foreign`, each as the archive
    keeps it: generator.publish.ghostscript), their descriptions for arkivmelding (first = H, then
    the vedlegg in their order, a closed one screened by its hjemmel and titled by its public title:
    `lukket` by vedlegg number),
    and the PDF/A level of each PDF vedlegg by file name.

    `renumber` (own slug, slug on the meeting's list) names a case's files by the number the
    meeting gave it, so that cases of different bodies with one number do not meet in one folder.
    """
    from generator.publish import ghostscript
    from generator.publish.arkivmelding import Fil
    from generator.publish.archive import sha256

    def named(name: str) -> str:
        if renumber and renumber[0] != renumber[1] and name.startswith(f"{renumber[0]}-"):
            return f"{renumber[1]}-{name[len(renumber[0]) + 1:]}"
        return name

    pdfs = dict(rendered)
    files, described, formats = [], [], {}
    for index, document in enumerate(documents):
        name = named(f"{Path(document.name).name}.pdf")
        data = pdfs[f"{document.name}.pdf"]
        files.append((name, data))
        described.append(Fil(document.info.title, name, sha256(data), len(data), "H" if index == 0 else "V"))
    for pdf in foreign:
        name = named(f"{Path(pdf.name).name}.pdf")
        data, level = ghostscript.archivable(pdf, f"Vedlegget «{pdf.title}»", verdicts=verdicts)
        formats[name] = ghostscript.pdfa_name(level)
        files.append((name, data))
        described.append(Fil(pdf.title, name, sha256(data), len(data), "V", formats[name]))
    order = {fil.filnavn: _vedlegg_number(fil.filnavn) for fil in described}  # the main document, then 1, 2 …
    described[1:] = sorted(described[1:], key=lambda fil: order[fil.filnavn])

    def screened(fil: Fil) -> Fil:
        closed = (lukket or {}).get(order[fil.filnavn]) if fil.rolle == "V" else None
        return replace(fil, skjerming=closed.lukket, offentlig_tittel=closed.offentlig_tittel) if closed else fil

    described = [screened(fil) for fil in described]
    return files, described, formats


def _dokumentnumre(folder: ProjectFolder, sak) -> set[int]:
    """Return the document numbers in a case's arkivsak that are taken: by its «Dokumenter i saken»,
    by another case file sharing the arkivsak, and by a folder already in the archive."""
    from generator.load import case_index

    taken = {d.nr for d in sak.dokumenter}
    index, _ = case_index(folder)
    taken |= {d.arkivsak.dokumentnummer for found in index.values() for d in found
              if d.arkivsak and d.arkivsak.sak == sak.arkivsak.sak and d.arkivsak.dokumentnummer}
    prefix = _archive_folder(sak.arkivsak.sak) + "-"
    archive = folder.output / "arkiv"
    for path in archive.iterdir() if archive.is_dir() else ():
        if path.name.startswith(prefix) and path.name[len(prefix):].isdigit():
            taken.add(int(path.name[len(prefix):]))
    return taken


def _archive_folder(arkivsak) -> str:
    """Return the name of a case's folder in output/arkiv/: its arkivsak, «/» as «-» (2020-18145-1)."""
    return str(arkivsak).replace("/", "-")


def _closed_elsewhere(folder: ProjectFolder, mapper: list[Saksmappe], yaml: bool = True) -> dict[str, tuple[str, str]]:
    """Return the vedlegg files other case files keep from the public, of those these cases have open
    (none looked for when they have none): their PDF files, and with `yaml` their YAML vedlegg (a
    meeting's public edition would print those; a case's own documents are the members')."""
    open_here = [v for m in mapper if not m.sak.model.lukket for v in m.vedlegg if not v.lukket]
    names = {Path(v.dokument.source.file).name for v in open_here if yaml and v.dokument is not None}
    pdfs = any(v.pdf is not None for v in open_here)
    return closed_vedlegg(folder, names, pdfs) if names or pdfs else {}


def _closed_vedlegg(mappe: Saksmappe) -> dict[int, Vedleggsdokument]:
    """Return each closed vedlegg of a case, by its number."""
    return {v.nummer: v for v in mappe.vedlegg if v.lukket}


def _vedlegg_number(name: str) -> int:
    found = re.search(r"-vedlegg-(\d+)-", name)
    return int(found.group(1)) if found else 0


def moteboker_of(folder: ProjectFolder, mappe, before=None, seen: dict | None = None) -> list:
    """Return (organisation, møte, møtebok) for each step of a case's saksgang whose meeting has a
    møtebok (only meetings before the date `before`, where given); InputError where one cannot be
    read (the case cannot then be held to it). `seen` remembers meetings looked up already, for a
    meeting that holds many cases to the same earlier meetings."""
    from generator.load import find_meeting, load_motebok

    seen = {} if seen is None else seen
    found = []
    for steg in mappe.sak.model.saksgang:
        if steg.motedato is None or (before is not None and steg.motedato >= before):
            continue
        key = (steg.motedato, steg.utvalg)
        if key not in seen:
            try:
                org, mote = find_meeting(folder, steg.motedato, steg.utvalg)
                seen[key] = (org, mote, load_motebok(folder, mote))
            except ProjectError:
                seen[key] = None  # no meeting file or møtebok yet (one that cannot be read is said, exit 2)
        if seen[key] is not None:
            found.append(seen[key])
    return found


def against_moteboker(mappe, moteboker: list) -> list[Finding]:
    """Return what the møtebøker of a case's meetings (`moteboker_of`) say of the vedtak and
    statuses its file records for them. Every command that makes or checks a case
    holds it to them: a saksframlegg, a package showing earlier vedtak, or an archived document may
    not contradict the record of a meeting."""
    from generator.check.motebok import check_motebok
    from generator.check.rules import vedtak_back

    found = []
    for org, mote, motebok in moteboker:
        tall = check_motebok(org, mote, motebok, [mappe])
        found += [f for f in vedtak_back(mote.model, tall) if f.file == mappe.sak.source.file]
    return found


def _refuse_archive_options(draft: bool, **others: bool) -> None:
    if draft:
        raise ProjectError("Et utkast kan ikke arkiveres: lag dokumentene på nytt uten --utkast (og rett regelbruddene "
                           "først, om det er noen).")
    for name, given in others.items():
        if given:
            raise ProjectError(f"--arkiv kan ikke kombineres med --{name}: arkivet får den komplette, endelige utgaven.")


#: Why a case without text gives no documents (see compose.has_saksframlegg).
_NOTHING = ("saksfilen har verken saksopplysninger, vurdering, innstilling, dokumenter eller vedlegg, så det "
            "lages ikke noe saksframlegg; saken står på sakslisten i møteinnkallingen")


def output_folder(org: Organisasjon, mappe: Saksmappe) -> str:
    """Return where a case's documents go under output/: the first utvalg of the organisation
    writes there directly, every other utvalg into a folder of its own, so that the council's
    24/20 and its committee's 24/20 never share a file name."""
    own = mappe.sak.model.eget_utvalg
    return "" if not org.utvalg or own == org.utvalg[0].navn else f"{compose.body_folders(org)[own]}/"


def make_case(
    folder: ProjectFolder, nummer: Saksnummer, draft: bool = False, signatur: bool = False,
    kommunestyre: str | None = None, arkiv: bool = False, files: list[Path] | None = None,
    renderer: Renderer | None = None, session: Session | None = None, utvalg: str | None = None,
    preview: bool = False,
) -> Made:
    """Render case `nummer` and its document vedlegg as DOCX and PDF into output/.

    A case that breaks a rule is refused (RuleViolationError, nothing written) unless
    `draft` is set; then every document is marked UTKAST and lists the violations.
    `signatur` makes only the signature editions of the case's agreements; `kommunestyre`
    ("" for all) makes one set per member municipality, addressed to its kommunestyre,
    in its målform, each in a folder of its own. `arkiv` also copies the final PDFs into
    output/arkiv/<arkivsak>/ with a manifest and arkivmelding.xml. `renderer` renders the
    documents elsewhere (see generator.render.forked); by default they are rendered in process.
    `session` keeps what was loaded and composed for the next job of a batch group. `utvalg`
    chooses the case where several utvalg have the number (see output_folder for where it goes).
    `preview` publishes as `makecase se` does (see generator.publish.files.write_all).
    """
    if arkiv:
        _refuse_archive_options(draft, signatur=signatur, kommunestyre=kommunestyre is not None)
    folder.refuse_links_out()
    session = session or Session()
    org, mappe = session.load_case(folder, nummer, files, utvalg)
    prefix = output_folder(org, mappe)
    if arkiv and mappe.sak.model.arkivsak is None:
        raise ProjectError(f"Sak {nummer} har ikke noe arkivsaksnummer (arkivsak:) og kan ikke arkiveres.")
    kontroll = check_case(mappe)
    # a vedtak or status the case records must be what the møtebøker say (in a batch too: each case
    # job's inputs include the møtebøker of its meetings, generator.commands.build)
    held = moteboker_of(folder, mappe, seen=session.moteboker)
    contradicted = [f for f in against_moteboker(mappe, held) if f.severity != Severity.WARNING]
    if contradicted:
        kontroll = replace(kontroll, violations=kontroll.violations + contradicted)
    elsewhere = _closed_elsewhere(folder, [mappe], yaml=False)  # a PDF closed by another case: its copy here is open
    if elsewhere:
        kontroll = replace(kontroll, violations=kontroll.violations + check_shared_vedlegg([mappe], elsewhere))
    utkast = _draft_or_refuse(kontroll.violations, draft)
    # which edition each document is: files an edition's earlier version made and this one does not are removed
    edition = f"sak {nummer} i {mappe.sak.model.eget_utvalg}{' utkast' if utkast is not None else ''}"
    editions: dict[str, list[str]] = {}  # for several kommunestyrer at once: each edition's files
    foreign = []  # the vedlegg that are PDF files: copied beside the documents, as they are
    if signatur:
        if not mappe.avtaler:
            raise ProjectError(f"Sak {nummer} har ingen samarbeidsavtale å lage en signaturutgave av.")
        documents = compose.signature_documents(org, mappe, kontroll, Utgave(org.malform, utkast, folder=prefix, lenker=compose.lenker(org)))
        edition += " signatur"
    elif kommunestyre is not None:
        documents = []
        for kommune in _kommuner(org, mappe, kommunestyre):
            utgave = Utgave(kommune.malform or org.malform, utkast, kommune,
                            folder=f"{prefix}{nummer.slug}-{compose.body_folders(org)[kommune.kommunestyre_navn]}/",
                            lenker=compose.lenker(org), tekstmalform=org.malform)
            made = compose.case_documents(org, mappe, kontroll, utgave)
            pdfs = compose.foreign_pdfs(org, mappe, utgave) if made else []  # the folder is complete to send
            documents += made
            foreign += pdfs
            key = f"{edition} til {kommune.kommunestyre_navn}"  # one per kommunestyre, however it was asked for
            editions[key] = [f"{d.name}.{fmt}" for d in made for fmt in FORMATS] + [f"{f.name}.pdf" for f in pdfs]
    else:
        utgave = Utgave(org.malform, utkast, folder=prefix, lenker=compose.lenker(org))
        documents = session.case_documents(org, mappe, kontroll, utgave)
        foreign = compose.foreign_pdfs(org, mappe, utgave) if documents else []
    written = editions or edition
    if not documents:
        if arkiv:
            raise ProjectError(f"Sak {nummer} har ikke noe saksframlegg å arkivere: {_NOTHING}.")
        # what the case made when it had text goes, as a vedlegg that is gone would
        return Made(publish.write_all(folder.output, [], written), kontroll.violations,
                    notes=[f"Sak {nummer} {mappe.sak.model.tittel}: {_NOTHING}."])
    rendered = (renderer or render_all)(documents, folder.templates) + [(f"{f.name}.pdf", f.data) for f in foreign]
    copies = frozenset(f"{f.name}.pdf" for f in foreign)
    notes = removed_notes(mappe)
    if not arkiv:
        return Made(publish.write_all(folder.output, rendered, written, copies, preview), kontroll.violations,
                    notes=notes)
    from generator.publish import archive
    from generator.publish import arkivmelding
    sak = mappe.sak.model
    files, described, formats = _archive_files(rendered, documents, foreign=foreign, lukket=_closed_vedlegg(mappe),
                                               verdicts=Verdicts(folder.output))
    message = arkivmelding.for_case(org, sak, described)
    target = folder.output / "arkiv" / _archive_folder(sak.arkivsak)
    with archive.locked(folder) as arkivet:  # checked first: a refused archive writes nothing anywhere
        plan = arkivet.prepare(target, files, [("arkivmelding.xml", message)], f"sak {sak.sak} i {sak.eget_utvalg}",
                               formats, lambda: archive.case_renewal(sak.arkivsak, mappe.sak.source.file,
                                                                     _dokumentnumre(folder, sak)))
        paths = publish.write_all(folder.output, rendered, written, copies)
        result = arkivet.commit(plan)
    return Made(paths, kontroll.violations, result.written, result.unchanged, notes)


def removed_notes(mappe: Saksmappe) -> list[str]:
    """Return a warning for each PDF vedlegg whose copy lost active content (the original keeps it)."""
    return [f"Advarsel: cases/{v.fil}: fjernet fra kopien makecase bruker (originalen er uendret): "
            f"{', '.join(v.pdf.fjernet)}" for v in mappe.vedlegg if v.pdf and v.pdf.fjernet]


def meeting_base(folder: ProjectFolder, shown: str) -> str:
    """Return the start of a meeting's file names: its file's path under cases/moter/, folders
    joined with «-» (cases/moter/2021/mars.yaml → 2021-mars). Where two meeting files would
    share a start (2020-a/b.yaml and 2020/a-b.yaml, x.yml and x.yaml, or x.yaml's public edition
    and x-offentlig.yaml), neither is made: ProjectError naming both (exit 2)."""
    moter = folder.cases / "moter"

    def base(path: Path) -> str:
        return "-".join(path.relative_to(moter).with_suffix("").parts)

    mine = folder.root / shown
    names = {base(mine), base(mine) + "-offentlig"}
    for other in sorted(moter.rglob("*")):
        if other.suffix in (".yaml", ".yml") and other.is_file() and other.resolve() != mine.resolve():
            clash = names & {base(other), base(other) + "-offentlig"}
            if clash:
                raise ProjectError(f"{shown} og {folder.shown(other)} ville gitt filer med samme navn "
                                   f"({min(clash)}-…); gi en av møtefilene et annet navn.")
    return base(mine)


def meeting_owner(mote) -> str:
    """Return who a meeting's archive folder belongs to (in its manifest)."""
    return f"møtet i {mote.utvalg} {mote.motedato:%d.%m.%Y}"


def make_meeting(
    folder: ProjectFolder, dato: dt.date, utvalg: str | None = None, offentlig: bool = False, draft: bool = False,
    arkiv: bool = False, session: Session | None = None, preview: bool = False,
) -> Made:
    """Render a meeting: the møteinnkalling (DOCX, PDF) and one tagged PDF of the whole package.

    The package holds the summons, then each case on the list with its vedlegg, each under a
    heading of its own (PS 24/20 …, Vedlegg 1: …) that is also its bookmark; a case with no
    saksframlegg is its heading alone. The public edition (`offentlig`) leaves out every closed
    case but its number, public title and legal basis. `arkiv` also copies the summons, the
    package and every case's PDFs into output/arkiv/moter/<møte>/ with a manifest, an
    arkivmelding.xml for the meeting and one per case on its list.
    """
    if arkiv:
        _refuse_archive_options(draft, offentlig=offentlig)
    folder.refuse_links_out()
    session = session or Session()
    org, mote, mapper = load_meeting(folder, dato, utvalg, session.load_case)
    if len(mapper) >= 15 and not preview:  # a package of fifteen cases or more is about a megabyte
        from generator.publish.gate import prepare_second_process
        prepare_second_process()
    base = meeting_base(folder, mote.source.file) + ("-offentlig" if offentlig else "")
    kontroller = {m.sak.source.file: check_case(m) for m in mapper}
    # a vedlegg open here may be closed by a case on no list of this meeting: looked for only when one is open here
    elsewhere = _closed_elsewhere(folder, mapper)
    violations = (check_meeting(mote, mapper) + check_shared_vedlegg(mapper, elsewhere)
                  + [v for k in kontroller.values() for v in k.violations])
    # the package shows the vedtak of earlier meetings: they must be what their møtebøker say
    violations += [f for m in mapper for f in against_moteboker(m, moteboker_of(
        folder, m, mote.model.motedato, session.moteboker)) if f.severity != Severity.WARNING]
    utkast = _draft_or_refuse(violations, draft, "Møtet")
    body = next((u for u in org.utvalg if u.navn == mote.model.utvalg), None)
    # the package is the summons: it tells no outcome of this meeting or a later one
    utgave = Utgave((body and body.malform) or org.malform, utkast, lenker=compose.lenker(org), per=mote.model.motedato,
                    utvalg=mote.model.utvalg, tekstmalform=org.malform, offentlig=offentlig)
    labels = utgave.labels
    if offentlig and utkast:
        utgave = replace(utgave, utkast=_public_violations(violations, mote.model, mapper, labels))
    innkalling, cases, package = _meeting_edition(folder, session, org, mote, mapper, kontroller, utgave, base, offentlig)
    files = render_all([innkalling], folder.templates) + [(f"{package.name}.pdf", render_document(package, "pdf", folder.templates))]
    # each case in the package with its documents, for the archive
    saker = [(mappe.sak.model, compose.moteinnkalling_nummer(mote.model, mappe), documents,
              compose.foreign_pdfs(org, mappe, utgave), _closed_vedlegg(mappe)) for mappe, documents in cases if documents]
    # the meeting, not its file's name: a renamed meeting file replaces what the old name made
    edition = f"møte {mote.model.motedato} {mote.model.utvalg}{' offentlig' if offentlig else ''}{' utkast' if utkast is not None else ''}"
    notes = [note for mappe in mapper for note in removed_notes(mappe)]
    if not arkiv:
        return Made(publish.write_all(folder.output, files, edition, preview=preview), violations,
                    notes=notes)
    from generator.publish import archive
    public = None
    if any(m.sak.model.lukket or _closed_vedlegg(m) for m in mapper):  # the public edition beside the screened one
        shown, _, public_package = _meeting_edition(folder, session, org, mote, mapper, kontroller, utgave,
                                                    f"{base}-offentlig", True)
        public = [(f"{shown.name}.pdf", render_document(shown, "pdf", folder.templates)),
                  (f"{public_package.name}.pdf", render_document(public_package, "pdf", folder.templates))]
    documents, messages, formats = _meeting_archive(folder, org, mote.model, innkalling, files, saker,
                                                    [m.sak.model for m in mapper], public)
    owner = meeting_owner(mote.model)
    with archive.locked(folder) as arkivet:  # checked first: a refused archive writes nothing anywhere
        plan = arkivet.prepare(folder.output / "arkiv" / "moter" / base, documents, messages, owner, formats)
        paths = publish.write_all(folder.output, files, edition)
        result = arkivet.commit(plan)
    return Made(paths, violations, result.written, result.unchanged, notes)


def _meeting_edition(folder, session, org, mote, mapper, kontroller, utgave, base: str, offentlig: bool):
    """Return a meeting's summons, its cases with their documents, and its package, in the members'
    or the public edition (a closed case is its heading alone; every page says which)."""
    utgave = replace(utgave, offentlig=offentlig)  # the archive's public variant too
    innkalling = compose.moteinnkalling(org, mote.model, mapper, utgave, f"{base}-innkalling", offentlig)
    cases = [(mappe, [] if offentlig and mappe.sak.model.lukket else
              session.case_documents(org, mappe, kontroller[mappe.sak.source.file], utgave)) for mappe in mapper]
    package = compose.motepakke(org, mote.model, innkalling, cases, utgave, base + "-motedokumenter", offentlig)
    if any(part.pdf for part in package.parts):  # every page of a PDF/A package is PDF/A
        from generator.publish.ghostscript import ready_for_package
        package = ready_for_package(package, Verdicts(folder.output))
    return innkalling, cases, package


def _public_violations(violations: list[Finding], mote, mapper: list[Saksmappe], labels: dict[str, str]) -> tuple[str, ...]:
    """Return what a public draft may say of the violations: those of open cases and of the
    meeting as they are; of a closed case only that it breaks a rule (its violations name its
    title and figures, which are not public)."""
    closed: dict[str, object] = {}
    for mappe in mapper:
        if mappe.sak.model.lukket:
            for loaded in (mappe.sak, *(v.dokument for v in mappe.vedlegg if v.dokument)):
                closed[loaded.source.file] = compose.moteinnkalling_nummer(mote, mappe)
    shown = [v.message for v in violations if v.file not in closed]
    numbers = sorted({closed[v.file] for v in violations if v.file in closed})
    return (*shown, *(labels["lukket_regelbrudd"].format(nummer=n) for n in numbers))


def _meeting_archive(folder, org, mote, innkalling, files, saker, listed, public=None) -> tuple[list, list, dict[str, str]]:
    """Return what a meeting's archive folder holds: the summons and the package (the moetemappe),
    then each case's PDFs (a moetesak each), and the arkivmelding of each; and the PDF/A level of
    each PDF vedlegg among them. `listed` holds the cases on the list, which the summons names.
    `public` (the public summons and package, by name and PDF) is archived beside a screened one
    as its variant O, the one an archive may publish."""
    from generator.publish import arkivmelding
    from generator.publish.archive import sha256

    documents, messages, formats = [], [], {}
    innkalling_pdf = dict(files)[f"{innkalling.name}.pdf"]
    package_name, package = files[-1]
    documents += [(f"{innkalling.name}.pdf", innkalling_pdf), (package_name, package)]
    # the members' summons lists a closed case by its title, and their package holds the closed cases
    # and closed vedlegg whole: each screened by the hjemler of what it holds
    titles = [s.lukket.hjemmel for s in listed if s.lukket]
    closed = titles + [v.lukket for *_, lukket in saker for v in lukket.values()]
    summons = [
        arkivmelding.Fil(innkalling.info.title, f"{innkalling.name}.pdf", sha256(innkalling_pdf), len(innkalling_pdf), "H",
                         skjerming="; ".join(dict.fromkeys(titles)) or None),
        arkivmelding.Fil(f"Møtedokumenter {mote.utvalg} {mote.motedato:%d.%m.%Y}", package_name, sha256(package),
                         len(package), skjerming="; ".join(dict.fromkeys(closed)) or None),
    ]
    for index, (name, data) in enumerate(public or []):
        if summons[index].skjerming:
            documents.append((name, data))
            summons[index] = replace(summons[index], offentlig=arkivmelding.Fil(
                summons[index].tittel, name, sha256(data), len(data), summons[index].rolle))
    messages.append(("arkivmelding.xml", arkivmelding.for_meeting(org, mote, innkalling.info.title, summons)))
    for sak, nummer, case_documents, foreign, lukket in saker:  # each under the number it has on this list
        rendered = [(f"{d.name}.pdf", render_document(d, "pdf", folder.templates)) for d in case_documents]
        case_files, described, found = _archive_files(rendered, case_documents, (sak.sak.slug, nummer.slug),
                                                      foreign, lukket, Verdicts(folder.output))
        documents += case_files
        formats.update(found)
        messages.append((f"arkivmelding-moetesak-{nummer.slug}.xml", arkivmelding.for_moetesak(org, mote, sak, nummer, described)))
    names = [name for name, _ in documents + messages]
    if len(set(names)) != len(names):  # a bug: two documents must never share a name in one archive folder
        raise ValueError(f"two documents named alike in the meeting's archive: {sorted(names)}")
    return documents, messages, formats


def check(folder: ProjectFolder) -> tuple[Project, list[Finding]]:
    """Validate every file and check every rule; raise InputError for bad input (with the rules
    broken by what could be read, so that one run reports everything)."""
    project = load_project(folder)
    found = check_project(project)
    violations = [f for f in found if f.severity != Severity.WARNING]
    project.warnings += [f for f in found if f.severity == Severity.WARNING]
    if project.problems:
        raise InputError(project.problems, violations)
    return project, violations


def make_motebok(folder: ProjectFolder, dato: dt.date, utvalg: str | None = None, offentlig: bool = False,
                 draft: bool = False, arkiv: bool = False, signatur: bool = False) -> Made:
    """Render a meeting's møtebok (DOCX, PDF) and, in the members' edition, a særutskrift of each
    treated case for its caseworker and each body that treats it next (DOCX, PDF).

    The møtebok is checked as the funding split is (generator.check.motebok): a møtebok that breaks
    a rule is refused, or made as a marked draft on request. The public edition (`offentlig`)
    shows a closed case only by number, public title and legal basis, and has no særutskrifter.
    `signatur` makes the signature edition of the møtebok alone (`…-motebok-signatur`). `arkiv` adds the møtebok's PDF (a møteprotokoll in the meeting's møtemappe) and each
    særutskrift of a case with an arkivsak (an outgoing journalpost of that case) to the meeting's
    archive folder, each with its arkivmelding.
    """
    from generator.check.motebok import check_motebok, closed_doors
    from generator.compose.motebok import motebok_document, saerutskrifter
    from generator.load import load_motebok

    if arkiv:
        _refuse_archive_options(draft, offentlig=offentlig, signatur=signatur)
    if offentlig and signatur:
        raise ProjectError("--signatur og --offentlig kan ikke kombineres: signaturutgaven er medlemmenes møtebok.")
    folder.refuse_links_out()
    org, mote, mapper = load_meeting(folder, dato, utvalg)
    motebok = load_motebok(folder, mote)
    mapper += _taken_up(folder, mote.model, motebok.model, mapper)
    tall = check_motebok(org, mote, motebok, mapper)
    # a case on the list must exist here too, and keep its rules: the vedtak quotes its figures
    violations = check_meeting(mote, mapper) + [v for m in mapper for v in check_case(m).violations] + tall.violations
    utkast = _draft_or_refuse(violations, draft, "Møteboken")
    body = next((u for u in org.utvalg if u.navn == mote.model.utvalg), None)
    utgave = Utgave((body and body.malform) or org.malform, utkast, lenker=compose.lenker(org), tekstmalform=org.malform,
                    offentlig=offentlig)
    if offentlig and utkast and any(s.mappe and s.mappe.sak.model.lukket for s in tall.saker):
        utgave = replace(utgave, utkast=(utgave.labels["motebok_regelbrudd"],))  # its findings may name what is closed
    base = meeting_base(folder, mote.source.file)
    name = base + ("-offentlig" if offentlig else "")
    record = motebok_document(org, mote.model, motebok.model, tall, utgave,
                              f"{name}-motebok" + ("-signatur" if signatur else ""), offentlig, signatur)
    extracts = [] if offentlig or signatur else saerutskrifter(org, mote.model, tall, utgave, base)
    documents = [record, *(e.document for e in extracts)]
    rendered = render_all(documents, folder.templates)
    edition = (f"møtebok {mote.model.motedato} {mote.model.utvalg}{' offentlig' if offentlig else ''}"
               f"{' signatur' if signatur else ''}{' utkast' if utkast is not None else ''}")
    notes = [f"Advarsel: {warning}" for warning in closed_doors(motebok, tall)]
    if not arkiv:
        return Made(publish.write_all(folder.output, rendered, edition), violations, notes=notes)
    from generator.publish import archive
    from generator.publish import arkivmelding
    from generator.publish.archive import sha256

    pdfs = dict(rendered)
    files, messages = [], []
    for document, message in [(record, None), *((e.document, e) for e in extracts if e.sak.arkivsak)]:
        pdf_name = f"{document.name}.pdf"
        data = pdfs[pdf_name]
        described = [arkivmelding.Fil(document.info.title, pdf_name, sha256(data), len(data), "H")]
        files.append((pdf_name, data))
        if message is None:
            closed = [s.mappe.sak.model.lukket.hjemmel for s in tall.saker if s.mappe and s.mappe.sak.model.lukket]
            if closed:  # the screened møtebok has its public edition beside it, the variant an archive publishes
                public = motebok_document(org, mote.model, motebok.model, tall, replace(utgave, offentlig=True),
                                          f"{base}-offentlig-motebok", True)
                public_pdf = render_document(public, "pdf", folder.templates)
                files.append((f"{public.name}.pdf", public_pdf))
                described = [replace(described[0], offentlig=arkivmelding.Fil(
                    public.info.title, f"{public.name}.pdf", sha256(public_pdf), len(public_pdf), "H"))]
            messages.append(("arkivmelding-motebok.xml",
                             arkivmelding.for_motebok(org, mote.model, document.info.title, described, closed)))
        else:
            messages.append((f"arkivmelding-{document.name}.xml", arkivmelding.for_saerutskrift(
                org, mote.model, message.sak, message.mottaker, document.info.title, described)))
    owner = meeting_owner(mote.model)  # the meeting's own folder: the møtebok joins the møtemappe
    with archive.locked(folder) as arkivet:  # checked first: a refused archive writes nothing anywhere
        plan = arkivet.prepare(folder.output / "arkiv" / "moter" / base, files, messages, owner)
        paths = publish.write_all(folder.output, rendered, edition)
        result = arkivet.commit(plan)
    return Made(paths, violations, result.written, result.unchanged, notes)


def _taken_up(folder: ProjectFolder, mote, motebok, mapper: list[Saksmappe]) -> list[Saksmappe]:
    """Return the case files of the cases a meeting took up that were not on its list (a case
    without a file of its own is only its number in the møtebok)."""
    listed = {m.sak.model.nummer_i(mote.utvalg, mote.motedato) or m.sak.model.sak for m in mapper}
    found = []
    for behandling in motebok.saker:
        if behandling.tatt_opp_i_motet and behandling.sak not in listed:
            try:
                found.append(load_case(folder, behandling.sak, utvalg=mote.utvalg)[1])
            except ProjectError:
                continue  # no such case file: the møtebok is all there is
    return found
