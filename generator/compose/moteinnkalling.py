"""A meeting → its møteinnkalling: body, place, date, time and the saksliste.

The public edition (`offentlig`) shows a closed case only by its number, its public title
and its legal basis (docs/utvikler/design.md, rule 6).
"""

from __future__ import annotations

from dataclasses import replace

from generator.domain import norsk
from generator import tree as t
from generator.compose.common import Utgave, info, letterhead, public_edition, with_draft_notice
from generator.compose.vedlegg import foreign_pdf
from generator.load import Saksmappe
from generator.load.models import Mote, Organisasjon


def nummer(mote: Mote, mappe: Saksmappe):
    """Return the number a case has on a meeting's list: the one the meeting's body gave it."""
    sak = mappe.sak.model
    return sak.nummer_i(mote.utvalg, mote.motedato) or sak.sak


def _row(mote: Mote, mappe: Saksmappe, utgave: Utgave, offentlig: bool) -> tuple[t.Inlines, ...]:
    sak = mappe.sak.model
    closed = sak.lukket
    title = closed.offentlig_tittel if closed and offentlig else sak.tittel
    archive = "" if (closed and offentlig) or sak.arkivsak is None else sak.arkivsak.sak
    return (
        t.text(f"{utgave.labels['ps']} {nummer(mote, mappe)}"),
        t.text(title),
        t.text(utgave.hjemmel(closed.hjemmel) if closed else ""),
        t.text(archive),
    )


def title(mote: Mote, labels: dict[str, str], kind: str = "moteinnkalling") -> str:
    """Return the title of a meeting's summons (or, `kind` motedokumenter, of its package)."""
    return f"{labels[kind]} – {mote.utvalg} {norsk.dato(mote.motedato)}"


def moteinnkalling(
    org: Organisasjon, mote: Mote, mapper: list[Saksmappe], utgave: Utgave, name: str, offentlig: bool = False
) -> t.Document:
    """Return the summons of a meeting with its saksliste, in list order."""
    labels = utgave.labels
    when = norsk.klokkeslett(mote.starttid) + (f"–{norsk.klokkeslett(mote.sluttid)}" if mote.sluttid else "")
    fields = (
        t.Field("utvalg", labels["utvalg"], mote.utvalg),
        t.Field("motested", labels["motested"], mote.motested),
        t.Field("dato", labels["dato"], norsk.dato(mote.motedato)),
        t.Field("tidspunkt", labels["tidspunkt"], when),
    ) + public_edition(labels, offentlig)
    by_number = {nummer(mote, m): m for m in mapper}
    rows = tuple(_row(mote, by_number[n], utgave, offentlig) for n in mote.saker if n in by_number)
    table = t.Table(
        header=tuple(t.text(labels[k]) for k in ("utvalgssaksnr", "innhold", "lukket", "arkivsaksnr")),
        rows=rows,  # no widths: each column as wide as its content, the titles take the rest
    )
    body = with_draft_notice([t.Heading(1, t.text(labels["saksliste"])), table], utgave)
    heading = title(mote, labels)
    right = f"{labels['moteinnkalling']} {norsk.dato(mote.motedato)}"
    document_info = replace(info(org, utgave, None, heading, heading, right), date=mote.motedato)
    return t.Document("moteinnkalling", utgave.name(name), document_info, t.Masthead(labels["moteinnkalling"], org.navn, fields, letterhead=letterhead(org, mote.utvalg)),
                      tuple(body))


def motepakke(org: Organisasjon, mote: Mote, innkalling: t.Document, cases: list[tuple[Saksmappe, list[t.Document]]],
              utgave: Utgave, name: str, offentlig: bool = False) -> t.Bundle:
    """Return the meeting package as one tree: the summons, then each case on the list under a
    heading of its own (PS 24/20 …) with its saksframlegg, each vedlegg with a document or a PDF
    file under a heading one level down (Vedlegg 1: …); the headings are the package's bookmarks.
    A case with no saksframlegg is its heading and a note; in the public edition (`offentlig`) a
    closed case, or a closed vedlegg, is its heading and its legal basis. `cases` holds every case
    on the list, in list order, with the documents the edition shows."""
    labels = utgave.labels
    parts = [t.BundlePart(labels["moteinnkalling"], 1, innkalling, is_title=True)]
    for mappe, documents in cases:
        sak = mappe.sak.model
        if offentlig and sak.lukket:  # its number, public title and legal basis, as in the saksliste
            parts.append(t.BundlePart(f"{labels['ps']} {nummer(mote, mappe)} {sak.lukket.offentlig_tittel}", 1,
                                      note=f"{labels['unntatt']}: {utgave.hjemmel(sak.lukket.hjemmel)}"))
            continue
        first, *rest = documents or [None]
        parts.append(t.BundlePart(f"{labels['ps']} {nummer(mote, mappe)} {sak.tittel}", 1, first,
                                  None if first else labels["ingen_saksdokumenter"]))
        composed = iter(rest)  # the documents of the vedlegg that are documents, in order
        for vedlegg in mappe.vedlegg:
            if vedlegg.dokument is None and vedlegg.pdf is None:
                continue  # listed by its title in the saksframlegg only
            heading = f"{labels['vedlegg']} {vedlegg.nummer}: {vedlegg.tittel}"
            document = next(composed, None) if vedlegg.dokument is not None else None
            if offentlig and vedlegg.lukket:
                heading = f"{labels['vedlegg']} {vedlegg.nummer}: {vedlegg.vist_tittel}"
                parts.append(t.BundlePart(heading, 2, note=f"{labels['unntatt']}: {vedlegg.lukket}"))
            elif vedlegg.pdf is not None:
                parts.append(t.BundlePart(heading, 2, pdf=foreign_pdf(org, mappe, vedlegg, utgave)))
            else:
                parts.append(t.BundlePart(heading, 2, document))
    package_title = title(mote, labels, "motedokumenter")
    shown = f"{labels['utkast']} – {package_title}" if utgave.draft else package_title
    info = replace(innkalling.info, title=f"{shown} ({labels['offentlig_kort']})" if utgave.offentlig else shown,
                   subject=package_title)
    return t.Bundle(utgave.name(name), info, tuple(parts))
