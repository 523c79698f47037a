"""Archived files and their case or meeting → arkivmelding.xml (KS Fiks Arkiv v2, opprett).

One message holds one mappe and one registrering (the schema's rule). A case gives a
saksmappe with a journalpost of type S; a meeting gives a moetemappe with the summons as
moetedokument, and one message per case on its list: a moetesak in that moetemappe.
Identifiers are UUIDs derived from the case (uuid5), so the same input gives the same file.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lxml import etree

from generator.domain.values import Arkivsaksnummer, Saksnummer
from generator.load.models import Mote, Organisasjon, Sak

NS = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/arkivmelding/opprett/v2"
#: Children of the metadata catalogue's complex types (kode, eksternNoekkel …) live in its namespace.
MDK = "https://ks-no.github.io/standarder/fiks-protokoll/fiks-arkiv/metadatakatalog/v2"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SYSTEM = "makecase"
_NAMESPACE = uuid.UUID("6f1c9f5e-0b7a-4d8e-9a53-6d2b8c1f4e21")


@dataclass(frozen=True)
class Fil:
    """An archived file: its title, name, SHA-256, size, and whether it is the main document (H) or a vedlegg (V)."""

    tittel: str
    filnavn: str
    sha256: str
    bytes: int
    rolle: str = "V"
    format: str = "PDF/A-2a"  # a PDF vedlegg from elsewhere keeps its own level (PDF/A-2b …)
    skjerming: str | None = None  # the legal basis of a closed vedlegg, or of what a package holds closed
    offentlig_tittel: str | None = None  # a closed vedlegg's title as the public may see it
    #: the public edition of a screened document (closed cases by number, public title and hjemmel
    #: only): a second dokumentobjekt, variant O, the one an archive may publish
    offentlig: "Fil | None" = None


@lru_cache(maxsize=1)
def _schema() -> etree.XMLSchema:
    """The KS Fiks Arkiv v2 schema for arkivmelding (opprett), shipped in generator/schemas/."""
    folder = resources.files("generator").joinpath("schemas", "fiks-arkiv-v2")
    with resources.as_file(folder) as path:
        return etree.XMLSchema(etree.parse(str(path / "no.ks.fiks.arkiv.v2.arkivering.arkivmelding.opprett.xsd")))


def schema_errors(message: bytes) -> list[str]:
    """Return why an arkivmelding is not valid against the KS schema (empty: it is)."""
    schema = _schema()
    if schema.validate(etree.fromstring(message)):
        return []
    return [f"linje {e.line}: {e.message}" for e in schema.error_log]


@dataclass(frozen=True)
class Beskrevet:
    """What an arkivmelding says of the files it sends (read back for the archive folder's check)."""

    antall: int | None  # antallFiler
    filer: tuple[tuple[str, str, str, int], ...]  # (referanseDokumentfil, sjekksum, sjekksumAlgoritme, filstoerrelse)


def described_files(message: bytes) -> Beskrevet:
    """Return what an arkivmelding says of its files."""
    root = etree.fromstring(message)
    found = []
    for objekt in root.iter(f"{{{NS}}}dokumentobjekt"):
        size = objekt.findtext(f"{{{NS}}}filstoerrelse") or ""
        found.append((objekt.findtext(f"{{{NS}}}referanseDokumentfil") or "", objekt.findtext(f"{{{NS}}}sjekksum") or "",
                      objekt.findtext(f"{{{NS}}}sjekksumAlgoritme") or "", int(size) if size.isdigit() else -1))
    antall = root.findtext(f"{{{NS}}}antallFiler") or ""
    return Beskrevet(int(antall) if antall.isdigit() else None, tuple(found))


def _id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _e(parent, tag: str, text: str | None = None, ns: str = NS, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {f"{{{XSI}}}{k}": v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _kode(parent, tag: str, kode: str, beskrivelse: str, ns: str = NS) -> None:
    element = _e(parent, tag, ns=ns)
    _e(element, "kode", kode, ns=MDK)
    _e(element, "beskrivelse", beskrivelse, ns=MDK)


def _ekstern(parent, tag: str, noekkel: str, ns: str = NS) -> None:
    element = _e(parent, tag, ns=ns)
    _e(element, "fagsystem", SYSTEM, ns=MDK)
    _e(element, "noekkel", noekkel, ns=MDK)


def _navn(parent, tag: str, navn: str) -> None:
    _e(_e(parent, tag), "navn", navn, ns=MDK)


def _antall(filer: list[Fil]) -> int:
    """Return how many files a message describes: each document, and the public variant of one."""
    return len(filer) + sum(f.offentlig is not None for f in filer)


def _root(antall: int):
    root = etree.Element(f"{{{NS}}}arkivmelding", nsmap={None: NS, "n5mdk": MDK, "xsi": XSI})
    _e(root, "system", SYSTEM)
    _e(root, "antallFiler", str(antall))
    return root


def _skjerming(parent, hjemmel: str | None) -> None:
    """Screen a mappe or registrering by its legal basis (None: open)."""
    if hjemmel is None:
        return
    element = _e(parent, "skjerming")
    paragraph = re.search(r"offl\.\s*§\s*(\d+)", hjemmel)
    _kode(element, "tilgangsrestriksjon", paragraph.group(1) if paragraph else "U", "Unntatt offentlighet")
    _e(element, "skjermingshjemmel", hjemmel)


def _dokumenter(parent, filer: list[Fil], key: str, hjemmel: str | None, offentlig: str | None) -> None:
    """Describe each file; in a screened registrering every document is screened too. A
    dokumentbeskrivelse has no public title of its own, so a closed case's documents are titled by
    its public title (`offentlig`), and a closed vedlegg of an open case by its own public title, or
    says only that it is one."""
    for nummer, fil in enumerate(filer, start=1):
        beskrivelse = _e(parent, "dokumentbeskrivelse")
        _e(beskrivelse, "systemID", _id(key, "dokument", fil.filnavn))
        _kode(beskrivelse, "dokumentstatus", "F", "Dokumentet er ferdigstilt")
        if offentlig is not None:
            tittel = offentlig if fil.rolle == "H" else f"Vedlegg til {offentlig}"
        else:
            closed = fil.skjerming and fil.rolle == "V"
            tittel = (fil.offentlig_tittel or "Vedlegg unntatt offentlighet") if closed else fil.tittel
        _e(beskrivelse, "tittel", tittel)
        _kode(beskrivelse, "tilknyttetRegistreringSom", fil.rolle, "Hoveddokument" if fil.rolle == "H" else "Vedlegg")
        _e(beskrivelse, "dokumentnummer", str(nummer))
        _skjerming(beskrivelse, fil.skjerming or hjemmel)
        _dokumentobjekt(beskrivelse, fil, ("A", "Arkivformat"))
        if fil.offentlig is not None:
            _dokumentobjekt(beskrivelse, fil.offentlig, ("O", "Dokument hvor deler av innholdet er skjermet"))


def _dokumentobjekt(beskrivelse, fil: Fil, variant: tuple[str, str]) -> None:
    objekt = _e(beskrivelse, "dokumentobjekt")
    _e(objekt, "versjonsnummer", "1")
    _kode(objekt, "variantformat", *variant)
    _kode(objekt, "format", "RA-PDF", "PDF/A - ISO 19005")
    _e(objekt, "formatDetaljer", fil.format)
    _e(objekt, "mimeType", "application/pdf")
    _e(objekt, "filnavn", fil.filnavn)
    _e(objekt, "referanseDokumentfil", fil.filnavn)
    _e(objekt, "sjekksum", fil.sha256)
    _e(objekt, "sjekksumAlgoritme", "SHA-256")
    _e(objekt, "filstoerrelse", str(fil.bytes))


def _text(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _hjemmel(sak: Sak) -> str | None:
    return sak.lukket.hjemmel if sak.lukket else None


def _offentlig(sak: Sak) -> str | None:
    return sak.lukket.offentlig_tittel if sak.lukket else None


def _registrering_start(root, kind: str, key: str, parent_key: str, hjemmel: str | None, filer: list[Fil],
                        arkivsak: Arkivsaksnummer | None = None, offentlig: str | None = None):
    """Start a registrering in the mappe with `parent_key`, found in the archive by its saksnummer
    too where it is a case's saksmappe (`arkivsak`): the number the archive gave it."""
    registrering = _e(root, "registrering", type=kind)
    _e(registrering, "systemID", _id(key, "registrering"))
    _mappe(_e(registrering, "referanseForelderMappe"), parent_key, arkivsak)
    _skjerming(registrering, hjemmel)
    _dokumenter(registrering, filer, key, hjemmel, offentlig)
    return registrering


def _mappe(reference, key: str, arkivsak: Arkivsaksnummer | None) -> None:
    """Fill a reference to a mappe: by its saksnummer where it is a case's saksmappe, and by key."""
    if arkivsak is not None:
        saksnummer = _e(reference, "saksnummer", ns=MDK)
        _e(saksnummer, "saksaar", str(arkivsak.saksaar), ns=MDK)
        _e(saksnummer, "sakssekvensnummer", str(arkivsak.sekvensnummer), ns=MDK)
    _ekstern(reference, "referanseEksternNoekkel", key, ns=MDK)


def _titles(parent, sak: Sak) -> None:
    _e(parent, "tittel", sak.tittel)
    if sak.lukket:
        _e(parent, "offentligTittel", sak.lukket.offentlig_tittel)


def for_case(org: Organisasjon, sak: Sak, filer: list[Fil]) -> bytes:
    """Return the message for a case: its saksmappe and a journalpost (type S) with its files."""
    assert sak.arkivsak is not None
    mappe_key, key = sak.arkivsak.sak, str(sak.arkivsak)
    root = _root(_antall(filer))
    mappe = _e(root, "mappe", type="saksmappe")
    _e(mappe, "systemID", _id(mappe_key, "mappe"))
    _titles(mappe, sak)
    _skjerming(mappe, _hjemmel(sak))
    _ekstern(mappe, "referanseEksternNoekkel", mappe_key)
    _e(mappe, "saksaar", str(sak.arkivsak.saksaar))
    _e(mappe, "sakssekvensnummer", str(sak.arkivsak.sekvensnummer))
    first = next((s.motedato for s in sak.saksgang if s.motedato), None)
    if first:
        _e(mappe, "saksdato", first.isoformat())
    if sak.saksbehandler:
        _navn(mappe, "saksansvarlig", sak.saksbehandler)
    registrering = _registrering_start(root, "journalpost", key, mappe_key, _hjemmel(sak), filer, sak.arkivsak,
                                       _offentlig(sak))
    _titles(registrering, sak)
    _e(registrering, "forfatter", sak.saksbehandler or org.navn)
    _ekstern(registrering, "referanseEksternNoekkel", key)
    _kode(registrering, "journalposttype", "S", "Saksframlegg")
    if first:
        _e(registrering, "dokumentetsDato", first.isoformat())
    _e(registrering, "antallVedlegg", str(sum(f.rolle == "V" for f in filer)))
    return _text(root)


def meeting_key(mote: Mote) -> str:
    return f"møte/{mote.motedato.isoformat()}/{mote.utvalg}"


def for_meeting(org: Organisasjon, mote: Mote, tittel: str, filer: list[Fil]) -> bytes:
    """Return the message for a meeting: its moetemappe and the summons (moetedokument) with its files."""
    key = meeting_key(mote)
    root = _root(_antall(filer))
    mappe = _e(root, "mappe", type="moetemappe")
    _e(mappe, "systemID", _id(key, "mappe"))
    _e(mappe, "tittel", f"{mote.utvalg} {mote.motedato.strftime('%d.%m.%Y')}")
    _ekstern(mappe, "referanseEksternNoekkel", key)
    _e(mappe, "moetenummer", mote.motedato.isoformat())
    _navn(mappe, "utvalg", mote.utvalg)
    _e(mappe, "moetedato", mote.motedato.isoformat())
    _e(mappe, "moetested", mote.motested)
    registrering = _registrering_start(root, "moetedokument", f"{key}/innkalling", key, None, filer)
    _e(registrering, "tittel", tittel)
    _e(registrering, "forfatter", org.navn)
    _kode(registrering, "moetedokumenttype", "MI", "Møteinnkalling")
    return _text(root)


def for_moetesak(org: Organisasjon, mote: Mote, sak: Sak, nummer: Saksnummer, filer: list[Fil]) -> bytes:
    """Return the message for one case on a meeting's list: a moetesak in the meeting's moetemappe,
    under the number the meeting's utvalg gave it (`nummer`: 31/20 in the council for 24/20). The
    innstilling of a closed case stays in its screened documents, out of the metadata."""
    parent = meeting_key(mote)
    key = f"{parent}/PS {nummer}"
    root = _root(_antall(filer))
    registrering = _registrering_start(root, "moetesak", key, parent, _hjemmel(sak), filer, offentlig=_offentlig(sak))
    _titles(registrering, sak)
    _e(registrering, "forfatter", sak.saksbehandler or org.navn)
    if sak.arkivsak is not None:  # the case's saksmappe and its saksframlegg's journalpost
        kryss = _e(registrering, "kryssreferanse")
        _mappe(_e(kryss, "referanseTilMappe"), sak.arkivsak.sak, sak.arkivsak)
        _ekstern(_e(kryss, "referanseTilRegistrering"), "referanseEksternNoekkel", str(sak.arkivsak), ns=MDK)
    _ekstern(registrering, "referanseEksternNoekkel", key)
    _kode(registrering, "moetesakstype", "PS", "Politisk sak")
    _e(registrering, "moetesaksaar", str(2000 + nummer.aar))
    _e(registrering, "moetesakssekvensnummer", str(nummer.lopenummer))
    if sak.innstilling and not sak.lukket:
        innstilling = _e(registrering, "innstilling")
        _e(innstilling, "tekstInnhold", sak.innstilling.strip(), ns=MDK)
        _kode(innstilling, "tekstFormat", "text/markdown", "Markdown", ns=MDK)
    return _text(root)


def for_motebok(org: Organisasjon, mote: Mote, tittel: str, filer: list[Fil], hjemler: list[str] = ()) -> bytes:
    """Return the message for a meeting's møtebok: a moetedokument (møteprotokoll) in its moetemappe,
    screened with the hjemler of the closed cases it records (the members' edition holds them)."""
    key = meeting_key(mote)
    root = _root(_antall(filer))
    screened = "; ".join(dict.fromkeys(hjemler)) or None
    registrering = _registrering_start(root, "moetedokument", f"{key}/møtebok", key, screened, filer)
    _e(registrering, "tittel", tittel)
    _e(registrering, "forfatter", org.navn)
    _ekstern(registrering, "referanseEksternNoekkel", f"{key}/møtebok")
    _kode(registrering, "moetedokumenttype", "MP", "Møteprotokoll")
    return _text(root)


def for_saerutskrift(org: Organisasjon, mote: Mote, sak: Sak, mottaker: str, tittel: str, filer: list[Fil]) -> bytes:
    """Return the message for one særutskrift: a journalpost in its case's saksmappe, addressed to
    its recipient. To a kommunestyre it goes out (U, mottaker EM); to the caseworker, or to a body
    of the organisation itself, it stays inside (N, for oppfølging, intern mottaker IM)."""
    assert sak.arkivsak is not None
    mappe_key = sak.arkivsak.sak
    key = f"{sak.arkivsak}/særutskrift/{mote.motedato.isoformat()}/{mottaker}"
    internal = mottaker in (sak.saksbehandler, org.navn, *(u.navn for u in org.utvalg))
    root = _root(_antall(filer))
    registrering = _registrering_start(root, "journalpost", key, mappe_key, _hjemmel(sak), filer, sak.arkivsak,
                                       _offentlig(sak))
    _e(registrering, "tittel", tittel)
    if sak.lukket:
        _e(registrering, "offentligTittel", sak.lukket.offentlig_tittel)
    _e(registrering, "forfatter", org.navn)
    part = _e(registrering, "korrespondansepart")
    _kode(part, "korrespondanseparttype", *(("IM", "Intern mottaker") if internal else ("EM", "Mottaker")))
    _e(part, "korrespondansepartNavn", mottaker)
    _ekstern(registrering, "referanseEksternNoekkel", key)
    _kode(registrering, "journalposttype",
          *(("N", "Organinternt dokument for oppfølging") if internal else ("U", "Utgående dokument")))
    _e(registrering, "dokumentetsDato", mote.motedato.isoformat())
    return _text(root)
