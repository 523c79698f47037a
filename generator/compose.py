"""Validated case models (+ computed figures) → document trees (the compose stage).

Each document type is a small function over shared building blocks; every fixed text
comes from the label catalogue, every figure from the check stage.
"""

from __future__ import annotations

from generator import check, formats, funding, prose
from generator import tree as t
from generator.funding import Budsjettall
from generator.labels import LANGUAGE, catalogue
from generator.load import Saksmappe, Vedleggsdokument
from generator.models import Lovkrav, Organisasjon, Prosjektskisse, Sak, Samarbeidsavtale


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


def reference_values(mappe: Saksmappe, tall: Budsjettall | None, language: str) -> dict[str, str]:
    """Return what the references in a case's texts stand for: budget figures and § numbers."""
    values = funding.prose_values(tall, language) if tall else {}
    for vedlegg in mappe.avtaler[:1]:
        for number, paragraf in enumerate(vedlegg.dokument.model.paragrafer, start=1):
            values[f"§ {paragraf.id}"] = f"§{formats.NBSP}{number}"
    return values


def saksframlegg(
    org: Organisasjon, mappe: Saksmappe, tall: Budsjettall | None = None, utkast: list[str] | None = None
) -> t.Document:
    """Return the saksframlegg of a case: header, documents, vedlegg and its sections.

    `tall` are the figures its text may cite; `utkast` (the violations) makes it a marked draft.
    """
    sak = mappe.sak.model
    labels = catalogue(org.malform)
    values = reference_values(mappe, tall, LANGUAGE[org.malform])
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


def _vedlegg_document(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, doctype: str, body: list[t.Block],
    utkast: list[str] | None, edition: str = "",
) -> t.Document:
    """Return a vedlegg as a document of its own, in the vedlegg template, named after the case.

    A signature edition (`edition` set) is clean: no case number in its head or running header.
    """
    sak = mappe.sak.model
    labels = catalogue(org.malform)
    vedlegg_til = labels["vedlegg_til"].format(nr=vedlegg.nummer, sak=sak.sak)
    draft = utkast is not None
    info = _info(org, labels, sak, vedlegg.tittel, vedlegg_til, "" if edition else vedlegg_til, draft)
    fields = () if edition else (t.Field("sak", labels["sak"], f"{sak.sak} {sak.tittel}"),)
    name = f"{sak.sak.slug}-vedlegg-{vedlegg.nummer}-{vedlegg.type}{edition}"
    head = [*_draft_notice(labels, utkast)] if draft else []
    return t.Document("vedlegg", _name(name, draft), info, t.Masthead(doctype, org.navn, fields), tuple(head + body))


def prosjektskisse(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall, utkast: list[str] | None = None
) -> t.Document:
    """Return a prosjektskisse: title block, its text, and its budget and financing tables."""
    skisse = vedlegg.dokument.model
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
    body = [
        t.Heading(1, t.text(skisse.tittel)),
        *([t.Paragraph(t.text(skisse.undertittel), role="ingress")] if skisse.undertittel else []),
        *([t.Paragraph((t.Italic(t.text(skisse.forfatter)),))] if skisse.forfatter else []),
        *prose.parse(skisse.tekst, 1, reference_values(mappe, tall, language), tables, language),
        *appended,
    ]
    return _vedlegg_document(org, mappe, vedlegg, labels["prosjektskisse"], body, utkast)


def tekstvedlegg(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall | None, utkast: list[str] | None = None
) -> t.Document:
    """Return a free-text vedlegg: title, optional subtitle, and its text."""
    dokument = vedlegg.dokument.model
    labels = catalogue(org.malform)
    language = LANGUAGE[org.malform]
    body = [
        t.Heading(1, t.text(dokument.tittel)),
        *([t.Paragraph(t.text(dokument.undertittel), role="ingress")] if dokument.undertittel else []),
        *prose.parse(dokument.tekst, 1, reference_values(mappe, tall, language), language=language),
    ]
    return _vedlegg_document(org, mappe, vedlegg, labels["vedlegg"], body, utkast)


def _parties(org: Organisasjon, labels: dict[str, str]) -> list[str]:
    return [labels["kommune"].format(navn=k.navn) for k in org.deltakerkommuner]


def _deviations(avtale: Samarbeidsavtale, liste: Lovkrav | None, labels: dict[str, str]) -> list[t.Block]:
    """Return the visible notice of every accepted deviation from the law's list."""
    found = check.accepted_deviations(avtale, liste) if liste else []
    if not found:
        return []
    items = tuple(
        (
            t.Paragraph((t.Bold(t.text(labels["avvik_punkt"].format(punkt=punkt.id, tekst=punkt.tekst))),)),
            t.Paragraph(t.text(f"{labels['begrunnelse']}: {avvik.begrunnelse}")),
            t.Paragraph(t.text(f"{labels['besluttet_av']}: {avvik.besluttet_av}")),
        )
        for punkt, avvik in found
    )
    return [t.Heading(2, t.text(labels["avvik"].format(lov=liste.navn))), t.BulletList(items)]


def _signatures(parties: list[str], labels: dict[str, str]) -> list[t.Block]:
    """Return place, date and signature lines for each party, two to a row."""
    line = "_" * 34

    def block(party: str) -> t.Inlines:
        return (t.Bold(t.text(labels["for_part"].format(part=party))), t.LineBreak(), t.LineBreak(),
                t.Text(f"{labels['sted_dato']} {'_' * 20}"), t.LineBreak(), t.LineBreak(), t.LineBreak(),
                t.Text(line), t.LineBreak(), t.Text(labels["underskrift"]), t.LineBreak(), t.LineBreak())

    cells = [block(p) for p in parties]
    if len(cells) % 2:
        cells.append(())
    rows = tuple((cells[i], cells[i + 1]) for i in range(0, len(cells), 2))
    return [t.Heading(2, t.text(labels["underskrifter"])), t.Table(rows=rows, widths=(0.5, 0.5), borders=False)]


def samarbeidsavtale(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall | None,
    utkast: list[str] | None = None, signatur: bool = False,
) -> t.Document:
    """Return an agreement: title, parties, its paragraphs numbered § 1 … in order.

    The case edition shows every accepted deviation from the law's list; the signature
    edition (`signatur`) is the clean text with place, date and signature lines per party.
    """
    avtale = vedlegg.dokument.model
    labels = catalogue(org.malform)
    language = LANGUAGE[org.malform]
    values = reference_values(mappe, tall, language)
    parties = _parties(org, labels)
    body: list[t.Block] = [
        t.Heading(1, t.text(avtale.tittel)),
        t.Paragraph((t.Bold(t.text(f"{labels['parter']}:")),)),
        t.BulletList(tuple((t.Paragraph(t.text(p)),) for p in parties)),
    ]
    if not signatur:
        body += _deviations(avtale, mappe.lovkrav.get(avtale.lovkrav or ""), labels)
    for number, paragraf in enumerate(avtale.paragrafer, start=1):
        body.append(t.Heading(2, t.text(f"§{formats.NBSP}{number} {paragraf.overskrift}")))
        body += prose.parse(paragraf.tekst, 2, values, language=language)
    if signatur:
        body += _signatures(parties, labels)
    edition = "-signatur" if signatur else ""
    return _vedlegg_document(org, mappe, vedlegg, labels["samarbeidsavtale"], body, utkast, edition)


COMPOSERS = {"prosjektskisse": prosjektskisse, "tekst": tekstvedlegg, "samarbeidsavtale": samarbeidsavtale}


def case_documents(org: Organisasjon, mappe: Saksmappe, kontroll, utkast: list[str] | None = None) -> list[t.Document]:
    """Return every document of a case: the saksframlegg, then each vedlegg that is a document."""
    documents = [saksframlegg(org, mappe, kontroll.sakens_tall, utkast)]
    for vedlegg in mappe.vedlegg:
        if vedlegg.dokument is None:
            continue
        tall = kontroll.tall.get(vedlegg.nummer, kontroll.sakens_tall)
        documents.append(COMPOSERS[vedlegg.type](org, mappe, vedlegg, tall, utkast))
    return documents


def signature_documents(org: Organisasjon, mappe: Saksmappe, kontroll, utkast: list[str] | None = None) -> list[t.Document]:
    """Return the signature edition of each agreement of a case."""
    return [samarbeidsavtale(org, mappe, v, kontroll.sakens_tall, utkast, signatur=True) for v in mappe.avtaler]
