"""Validated case models (+ computed figures) → document trees (the compose stage).

Each document type is a small function over shared building blocks; every fixed text
comes from the label catalogue, every figure from the check stage.
"""

from __future__ import annotations

from generator import formats, funding, prose
from generator import tree as t
from generator.funding import Budsjettall
from generator.labels import LANGUAGE, catalogue
from generator.load import Saksmappe, Vedleggsdokument
from generator.models import Organisasjon, Prosjektskisse, Sak


# --- shared blocks -------------------------------------------------------------------


def _section(label: str, text: str | None, values: dict[str, str] | None) -> list[t.Block]:
    """Return a main section: a level-2 heading and its prose, or nothing if there is no text."""
    if not text:
        return []
    return [t.Heading(2, t.text(label)), *prose.parse(text, heading_base=2, values=values)]


def _draft_notice(labels: dict[str, str], violations: list[str]) -> list[t.Block]:
    """Return the block that opens a draft: what makes it a draft."""
    items = tuple((t.Paragraph(t.text(v)),) for v in violations)
    return [t.Paragraph((t.Bold(t.text(labels["utkast_merknad"])),)), t.BulletList(items)]


def _info(org: Organisasjon, labels: dict, sak: Sak, title: str, subject: str, right: str, draft: bool) -> t.DocInfo:
    return t.DocInfo(
        title=title,
        author=sak.saksbehandler or org.navn,
        subject=subject,
        language=LANGUAGE[org.malform],
        date=next((s.motedato for s in sak.saksgang if s.motedato), None),
        running_left=org.navn,
        running_right=right,
        page_label=labels["side_av"],
        watermark=labels["utkast"] if draft else None,
    )


def _name(base: str, draft: bool) -> str:
    return f"{base}-utkast" if draft else base


# --- saksframlegg --------------------------------------------------------------------


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


def _vedlegg(mappe: Saksmappe, labels: dict[str, str]) -> list[t.Block]:
    if not mappe.vedlegg:
        return []
    items = tuple((t.Paragraph(t.text(v.tittel)),) for v in mappe.vedlegg)
    return [t.Heading(2, t.text(labels["vedlegg"])), t.OrderedList(items)]


def saksframlegg(
    org: Organisasjon, mappe: Saksmappe, tall: Budsjettall | None = None, utkast: list[str] | None = None
) -> t.Document:
    """Return the saksframlegg of a case: header, documents, vedlegg and its sections.

    `tall` are the figures its text may cite; `utkast` (the violations) makes it a marked draft.
    """
    sak = mappe.sak.model
    labels = catalogue(org.malform)
    values = funding.prose_values(tall, LANGUAGE[org.malform]) if tall else None
    fields = tuple(
        t.Field(key, labels[key], value)
        for key, value in (("arkivsak", sak.arkivsak and str(sak.arkivsak)), ("saksbehandler", sak.saksbehandler))
        if value
    )
    number = f"{labels['sak'].lower()} {sak.sak}"
    info = _info(org, labels, sak, sak.tittel, f"{labels['saksframlegg']}, {number}",
                 f"{labels['saksframlegg']} – {number}", utkast is not None)
    body = [
        *(_draft_notice(labels, utkast) if utkast is not None else []),
        t.Heading(1, t.text(sak.tittel)),
        *_dokumenter(sak, labels),
        *_vedlegg(mappe, labels),
        *_section(labels["saksopplysninger"], sak.saksopplysninger, values),
        *_section(labels["vurdering"], sak.vurdering, values),
        *_section(labels["innstilling"], sak.innstilling, values),
    ]
    masthead = t.Masthead(labels["saksframlegg"], org.navn, fields, _saksgang_table(sak, labels))
    return t.Document("saksframlegg", _name(f"{sak.sak.slug}-saksframlegg", utkast is not None), info, masthead, tuple(body))


# --- prosjektskisse ------------------------------------------------------------------


def _bold(inlines: t.Inlines) -> t.Inlines:
    return (t.Bold(inlines),)


def budget_tables(skisse: Prosjektskisse, tall: Budsjettall, labels: dict[str, str], language: str) -> dict[str, t.Table]:
    """Return the expense table and the financing table; every sum and share is computed."""

    def kr(amount: int) -> t.Inlines:
        return t.text(formats.kroner(amount, language))

    def share(amount: int) -> t.Inlines:
        return t.text(formats.prosent(tall.andel(amount), language))

    utgifter = t.Table(
        header=(t.text(labels["utgifter"]), t.text(labels["budsjett"])),
        rows=(
            *((t.text(u.post), kr(u.belop)) for u in skisse.budsjett.utgifter),
            (_bold(t.text(labels["sum"])), _bold(kr(tall.sum_utgifter))),
        ),
        widths=(0.72, 0.28),
        align=("left", "right"),
    )
    finansiering = t.Table(
        header=tuple(t.text(labels[k]) for k in ("kilde", "art", "beløp", "andel")),
        rows=(
            *((t.text(f.kilde), t.text(labels[f"art_{f.art}"]), kr(f.belop), share(f.belop))
              for f in skisse.budsjett.finansiering),
            (_bold(t.text(labels["sum"])), (), _bold(kr(tall.sum_finansiering)), _bold(share(tall.sum_finansiering))),
        ),
        widths=(0.42, 0.28, 0.17, 0.13),
        align=("left", "left", "right", "right"),
    )
    return {"utgiftstabell": utgifter, "finansieringstabell": finansiering}


def prosjektskisse(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall, utkast: list[str] | None = None
) -> t.Document:
    """Return a prosjektskisse: title block, its text, and its budget and financing tables."""
    sak, skisse = mappe.sak.model, vedlegg.dokument.model
    labels = catalogue(org.malform)
    language = LANGUAGE[org.malform]
    tables = budget_tables(skisse, tall, labels, language)
    placed = prose.table_names(skisse.tekst)
    appended = [
        block
        for heading, name in ((labels["budsjett"], "utgiftstabell"), (labels["finansiering"], "finansieringstabell"))
        if name not in placed
        for block in (t.Heading(2, t.text(heading)), tables[name])
    ]
    vedlegg_til = labels["vedlegg_til"].format(nr=vedlegg.nummer, sak=sak.sak)
    body = [
        *(_draft_notice(labels, utkast) if utkast is not None else []),
        t.Heading(1, t.text(skisse.tittel)),
        *([t.Paragraph(t.text(skisse.undertittel), role="ingress")] if skisse.undertittel else []),
        *([t.Paragraph((t.Italic(t.text(skisse.forfatter)),))] if skisse.forfatter else []),
        *prose.parse(skisse.tekst, heading_base=1, values=funding.prose_values(tall, language), tables=tables),
        *appended,
    ]
    fields = (t.Field("sak", labels["sak"], f"{sak.sak} {sak.tittel}"),)
    info = _info(org, labels, sak, skisse.full_tittel, vedlegg_til, vedlegg_til, utkast is not None)
    masthead = t.Masthead(labels["prosjektskisse"], org.navn, fields)
    name = _name(f"{sak.sak.slug}-vedlegg-{vedlegg.nummer}-prosjektskisse", utkast is not None)
    return t.Document("vedlegg", name, info, masthead, tuple(body))


def case_documents(org: Organisasjon, mappe: Saksmappe, kontroll, utkast: list[str] | None = None) -> list[t.Document]:
    """Return every document of a case: the saksframlegg, then each vedlegg that is a document."""
    documents = [saksframlegg(org, mappe, kontroll.sakens_tall, utkast)]
    for vedlegg in mappe.prosjektskisser:
        documents.append(prosjektskisse(org, mappe, vedlegg, kontroll.tall[vedlegg.nummer], utkast))
    return documents
