"""A case's vedlegg documents → trees: prosjektskisse, samarbeidsavtale, free text."""

from __future__ import annotations

from generator.domain import norsk
from generator.domain import prose
from generator import tree as t
from generator.check.values import reference_values
from generator.compose.common import Utgave, info, letterhead, signatures, slug, with_draft_notice
from generator.check.funding import Budsjettall
from generator.load import Saksmappe, Vedleggsdokument
from generator.load.models import Organisasjon, Prosjektskisse


def _document(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, doctype: str, body: list[t.Block],
    utgave: Utgave, edition: str = "",
) -> t.Document:
    """Return a vedlegg as a document of its own, in the vedlegg template, named after the case.

    A signature edition (`edition` set) is clean: no case number in its head or running header.
    """
    sak = mappe.sak.model
    labels = utgave.labels
    vedlegg_til = labels["vedlegg_til"].format(nr=vedlegg.nummer, sak=utgave.nummer(sak))
    document_info = info(org, utgave, sak, vedlegg.tittel, vedlegg_til, "" if edition else vedlegg_til,
                         kind="" if edition else vedlegg_til)
    fields = () if edition else (t.Field("sak", labels["sak"], f"{utgave.nummer(sak)} {sak.tittel}"),)
    name = utgave.name(f"{sak.sak.slug}-vedlegg-{vedlegg.nummer}-{vedlegg.type}{edition}")
    body = with_draft_notice(body, utgave)
    head = letterhead(org, sak.eget_utvalg)
    return t.Document("vedlegg", name, document_info, t.Masthead(doctype, org.navn, fields, letterhead=head), tuple(body))


def _title_block(utgave: Utgave, title: str, subtitle: str | None, author: str | None = None) -> list[t.Block]:
    return [
        t.Heading(1, utgave.words(title)),
        *([t.Paragraph(utgave.words(subtitle), role="ingress")] if subtitle else []),
        *([t.Paragraph((t.Italic(t.text(author)),), role="byline")] if author else []),
    ]


# --- prosjektskisse ------------------------------------------------------------------


def budget_tables(skisse: Prosjektskisse, tall: Budsjettall, labels: dict[str, str], language: str) -> dict[str, t.Table]:
    """Return the expense table and the financing table; every sum and share is computed.

    A table shows øre on every amount when one of its amounts has øre, so the column lines up.
    The shares the rules compare are printed as funding.Budsjettall.vist rounds them against
    their limits: a kind with one source on that source's row, a kind with several on a sum row
    of its own (Sum tilskudd, Sum egenfinansiering), so three rows of 10,0 % never stand for
    an own share of 29,96 % without the sum that says so.
    """
    budsjett = skisse.budsjett

    def kr(ore: bool):
        return lambda amount: t.text(norsk.kroner(amount, language, ore=ore))

    def share(amount, egen: bool | None) -> t.Inlines:
        return t.text(norsk.prosent(tall.vist(amount, egen), language))

    kr_utgifter = kr(norsk.has_ore(*tall.utgifter))
    utgifter = t.Table(
        header=(t.text(labels["utgifter"]), t.text(labels["budsjett"])),
        rows=tuple((t.text(u.post), kr_utgifter(u.belop)) for u in budsjett.utgifter),
        footer=(t.text(labels["sum"]), kr_utgifter(tall.sum_utgifter)),
        widths=(0.72, 0.28),
        align=("left", "right"),
    )
    kr_finansiering = kr(norsk.has_ore(*tall.finansiering))
    kinds = [f.egenfinansiering for f in budsjett.finansiering]
    rows = [(t.text(f.kilde), t.text(labels[f"art_{f.art}"]), kr_finansiering(f.belop),
             share(f.belop, f.egenfinansiering if kinds.count(f.egenfinansiering) == 1 else None))
            for f in budsjett.finansiering]
    for egen, label, amount in ((False, "sum_tilskudd", tall.tilskudd), (True, "sum_egenfinansiering", tall.egenfinansiering)):
        if kinds.count(egen) > 1:
            rows.append(((t.Bold(t.text(labels[label])),), (), kr_finansiering(amount), share(amount, egen)))
    finansiering = t.Table(
        header=tuple(t.text(labels[k]) for k in ("kilde", "art", "beløp", "andel")),
        rows=tuple(rows),
        footer=(t.text(labels["sum"]), (), kr_finansiering(tall.sum_finansiering), share(tall.sum_finansiering, None)),
        widths=(0.5, 0.22, 0.16, 0.12),
        align=("left", "left", "right", "right"),
    )
    return {"utgiftstabell": utgifter, "finansieringstabell": finansiering}


def prosjektskisse(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall, utgave: Utgave
) -> t.Document:
    """Return a prosjektskisse: title block, its text, and its budget and financing tables."""
    skisse = vedlegg.dokument.model
    labels, language = utgave.labels, utgave.language
    tables = budget_tables(skisse, tall, labels, language)
    placed = prose.table_names(skisse.tekst)
    appended = [
        block
        for heading, name in ((labels["budsjett"], "utgiftstabell"), (labels["finansiering"], "finansieringstabell"))
        if name not in placed
        for block in (t.Heading(2, t.text(heading)), tables[name])
    ]
    body = [
        *_title_block(utgave, skisse.tittel, skisse.undertittel, skisse.forfatter),
        *utgave.prose(skisse.tekst, 1, reference_values(mappe, tall, language), tables),
        *appended,
    ]
    return _document(org, mappe, vedlegg, labels["prosjektskisse"], body, utgave)


# --- free text -----------------------------------------------------------------------


def tekstvedlegg(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall | None, utgave: Utgave
) -> t.Document:
    """Return a free-text vedlegg: title, optional subtitle, and its text."""
    dokument = vedlegg.dokument.model
    body = [
        *_title_block(utgave, dokument.tittel, dokument.undertittel),
        *utgave.prose(dokument.tekst, 1, reference_values(mappe, tall, utgave.language)),
    ]
    return _document(org, mappe, vedlegg, utgave.labels["vedlegg"], body, utgave)


# --- samarbeidsavtale ----------------------------------------------------------------


def _parties(org: Organisasjon, labels: dict[str, str]) -> list[str]:
    return [labels["kommune"].format(navn=k.navn) for k in org.deltakerkommuner]


def samarbeidsavtale(
    org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, tall: Budsjettall | None,
    utgave: Utgave, signatur: bool = False,
) -> t.Document:
    """Return an agreement: title, parties, its paragraphs numbered § 1 … in order: the text the
    councils adopt, nothing else (accepted deviations from the law's list are in the saksframlegg's
    Vurdering). The signature edition (`signatur`) adds place, date and signature lines per party.
    """
    avtale = vedlegg.dokument.model
    labels, language = utgave.labels, utgave.language
    values = reference_values(mappe, tall, language)
    parties = _parties(org, labels)
    body: list[t.Block] = [
        t.Heading(1, utgave.words(avtale.tittel)),
        t.Paragraph((t.Bold(t.text(f"{labels['parter']}:")),)),
        t.BulletList(tuple((t.Paragraph(t.text(p)),) for p in parties)),
    ]
    for number, paragraf in enumerate(avtale.paragrafer, start=1):
        body.append(t.Heading(2, (*t.text(f"§{norsk.NBSP}{number} "), *utgave.words(paragraf.overskrift))))
        body += utgave.prose(paragraf.tekst, 2, values)
    if signatur:
        body += signatures([labels["for_part"].format(part=p) for p in parties], labels)
    return _document(org, mappe, vedlegg, labels["samarbeidsavtale"], body, utgave, "-signatur" if signatur else "")


#: A vedlegg file's `type:` → the function that composes it.
COMPOSERS = {"prosjektskisse": prosjektskisse, "tekst": tekstvedlegg, "samarbeidsavtale": samarbeidsavtale}


def sider(antall: int, labels: dict[str, str]) -> str:
    """Return a page count in words: 1 side, 4 sider."""
    return labels["sider_en"] if antall == 1 else labels["sider"].format(antall=antall)


def foreign_pdf(org: Organisasjon, mappe: Saksmappe, vedlegg: Vedleggsdokument, utgave: Utgave) -> t.ForeignPdf:
    """Return a PDF vedlegg as it joins the case's files and the meeting package: named after the
    case, with a description of each page for the figure that holds it in a tagged package, and
    the running header of a vedlegg of the case."""
    labels, pdf, sak = utgave.labels, vedlegg.pdf, mappe.sak.model
    vedlegg_til = labels["vedlegg_til"].format(nr=vedlegg.nummer, sak=utgave.nummer(sak))
    heading = f"{labels['vedlegg']} {vedlegg.nummer}: {vedlegg.tittel}"
    descriptions = tuple(
        labels["pdf_side"].format(tittel=heading, side=side, sider=pdf.sider,
                                  hva=labels["pdf_skannet" if side in pdf.skannet else
                                            "pdf_tegning" if side in pdf.uten_tekst else "pdf_tekst"])
        for side in range(1, pdf.sider + 1))
    name = utgave.name(f"{mappe.sak.model.sak.slug}-vedlegg-{vedlegg.nummer}-{slug(vedlegg.vist_tittel)[:40].strip('-')}")
    document_info = info(org, utgave, sak, vedlegg.tittel, vedlegg_til, vedlegg_til, kind=vedlegg_til)
    return t.ForeignPdf(name, vedlegg.tittel, pdf.data, pdf.sider, descriptions, document_info, pdf.pdfa)


def foreign_pdfs(org: Organisasjon, mappe: Saksmappe, utgave: Utgave) -> list[t.ForeignPdf]:
    """Return the case's vedlegg that are PDF files, in order."""
    return [foreign_pdf(org, mappe, v, utgave) for v in mappe.vedlegg if v.pdf is not None]
