"""Validated case models → document trees (the compose stage).

Each document type is a small function over shared building blocks; every fixed
text comes from the label catalogue, every figure from the models.
"""

from __future__ import annotations

from generator import formats, prose
from generator import tree as t
from generator.labels import LANGUAGE, catalogue
from generator.models import Organisasjon, Sak


def _section(label: str, text: str | None) -> list[t.Block]:
    """Return a main section: a level-2 heading and its prose, or nothing if there is no text."""
    if not text:
        return []
    return [t.Heading(2, t.text(label)), *prose.parse(text, heading_base=2)]


def _saksgang_table(sak: Sak, labels: dict[str, str]) -> t.Table:
    rows = tuple(
        (
            t.text(steg.utvalg),
            t.text(str(steg.utvalgssak) if steg.utvalgssak else ""),
            t.text(formats.dato(steg.motedato) if steg.motedato else ""),
        )
        for steg in sak.saksgang
    )
    header = tuple(t.text(labels[key]) for key in ("utvalg", "utvalgssak", "møtedato"))
    return t.Table(rows=rows, header=header, widths=(0.62, 0.16, 0.22))


def _dokumenter(sak: Sak, labels: dict[str, str]) -> list[t.Block]:
    if not sak.dokumenter:
        return []
    rows = tuple((t.text(str(d.nr)), t.text(d.type), t.text(d.tittel)) for d in sak.dokumenter)
    return [
        t.Paragraph((t.Bold(t.text(labels["dokumenter_i_saken"])),)),
        t.Table(rows=rows, widths=(0.06, 0.06, 0.88), borders=False),
    ]


def _vedlegg(sak: Sak, labels: dict[str, str]) -> list[t.Block]:
    if not sak.vedlegg:
        return []
    items = tuple((t.Paragraph(t.text(v.tittel)),) for v in sak.vedlegg)
    return [t.Heading(2, t.text(labels["vedlegg"])), t.OrderedList(items)]


def saksframlegg(org: Organisasjon, sak: Sak) -> t.Document:
    """Return the saksframlegg of a case: header, documents, vedlegg and its sections."""
    labels = catalogue(org.malform)
    fields = tuple(
        t.Field(key, labels[key], value)
        for key, value in (("arkivsak", sak.arkivsak and str(sak.arkivsak)), ("saksbehandler", sak.saksbehandler))
        if value
    )
    first_meeting = next((s.motedato for s in sak.saksgang if s.motedato), None)
    info = t.DocInfo(
        title=sak.tittel,
        author=sak.saksbehandler or org.navn,
        subject=f"{labels['saksframlegg']}, {labels['sak'].lower()} {sak.sak}",
        language=LANGUAGE[org.malform],
        date=first_meeting,
        running_left=org.navn,
        running_right=f"{labels['saksframlegg']} – {labels['sak'].lower()} {sak.sak}",
        page_label=labels["side_av"],
    )
    body = [
        t.Heading(1, t.text(sak.tittel)),
        *_dokumenter(sak, labels),
        *_vedlegg(sak, labels),
        *_section(labels["saksopplysninger"], sak.saksopplysninger),
        *_section(labels["vurdering"], sak.vurdering),
        *_section(labels["innstilling"], sak.innstilling),
    ]
    masthead = t.Masthead(labels["saksframlegg"], org.navn, fields, _saksgang_table(sak, labels))
    return t.Document("saksframlegg", f"{sak.sak.slug}-saksframlegg", info, masthead, tuple(body))
