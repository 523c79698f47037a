"""A case → its saksframlegg: header fields, saksgang, documents, vedlegg and sections."""

from __future__ import annotations

from generator.check import rules as check
from generator.domain import norsk
from generator import tree as t
from generator.check.values import reference_values
from generator.compose.common import Utgave, info, letterhead, section, with_draft_notice
from generator.compose.vedlegg import sider
from generator.check.funding import Budsjettall
from generator.load import Saksmappe, Vedleggsdokument
from generator.load.models import Organisasjon, Sak


def _saksgang(sak: Sak, org: Organisasjon, utgave: Utgave):
    """Return the saksgang steps this edition shows: all, or, for one kommunestyre, all but the others'."""
    if utgave.kommunestyre is None:
        return sak.saksgang
    others = {k.kommunestyre_navn for k in org.deltakerkommuner} - {utgave.kommunestyre.kommunestyre_navn}
    return [steg for steg in sak.saksgang if steg.utvalg not in others]


def saksgang_table(steps, labels: dict[str, str], outcome: dict[int, str] | None = None) -> t.Table:
    """Return the saksgang: each body, its number and date, and whether its vedtak has come back or
    its meeting postponed or withdrew the case (for a step in `outcome`, what a møtebok says its
    meeting did)."""
    rows = tuple(
        (
            t.text(steg.utvalg),
            t.text(str(steg.utvalgssak) if steg.utvalgssak else ""),
            t.text(norsk.dato(steg.motedato) if steg.motedato else ""),
            t.text((outcome or {}).get(i) or labels[_status_label(steg)]),
        )
        for i, steg in enumerate(steps)
    )
    header = tuple(t.text(labels[key]) for key in ("utvalg", "utvalgssak", "møtedato", "status"))
    return t.Table(rows=rows, header=header, widths=(0.5, 0.14, 0.16, 0.2))


def _status_label(steg) -> str:
    if steg.vedtak:
        return "steg_vedtatt"
    return f"steg_{steg.status}" if steg.status else "steg_apent"


def not_yet_known(steps, first: int | None) -> list:
    """Return the steps with no vedtak from step `first` on (None: all as they are): a document
    does not tell the outcome of a meeting not held on its own day, dated or not (the saksgang is
    in meeting order, so every step after one not yet held was not held either)."""
    steps = list(steps)
    if first is None:
        return steps
    return steps[:first] + [s.model_copy(update={"vedtak": None, "status": None}) for s in steps[first:]]


def _first_unknown(steps, utgave: Utgave) -> int | None:
    """Return the first step whose outcome this edition cannot tell: a meeting package's own
    meeting or a later one (Utgave.per), a kommunestyre's own step in its copy."""
    for index, steg in enumerate(steps):
        if utgave.per is not None and (steg.motedato and steg.motedato >= utgave.per
                                       or steg.utvalg == utgave.utvalg and steg.motedato is None):
            return index
        if (utgave.kommunestyre is not None and steg.utvalg == utgave.kommunestyre.kommunestyre_navn
                and not steg.status):  # a step its kommunestyre postponed is history: the copy is for the next
            return index
    return None


def _step_of_edition(steps, first_unknown: int | None, utgave: Utgave) -> int | None:
    """Return the index of the step an edition is for: a meeting package's meeting, a kommunestyre's
    open step (None: the case's own edition, which goes to the first step)."""
    if utgave.per is not None and utgave.utvalg is not None:
        return next((i for i, s in enumerate(steps) if s.utvalg == utgave.utvalg and s.motedato == utgave.per),
                    first_unknown)
    if utgave.kommunestyre is not None:
        return first_unknown
    return None


def _earlier_vedtak(before, values: dict[str, str], utgave: Utgave) -> list[t.Block]:
    """Return the vedtak of the steps before the one an edition is for, as far as it knows them: a
    kommunestyre, or the council, reads what the committee before it decided (a caseworker's review
    found that text in no document but the særutskrift)."""
    blocks = []
    for steg in before:
        if steg.vedtak:
            when = f" {norsk.dato(steg.motedato)}" if steg.motedato else ""
            blocks += [t.Heading(2, t.text(utgave.labels["vedtak_i"].format(utvalg=steg.utvalg, dato=when))),
                       t.Framed(tuple(utgave.prose(steg.vedtak, 2, values)))]
    return blocks


def _dokumenter(sak: Sak, labels: dict[str, str]) -> list[t.Block]:
    if not sak.dokumenter:
        return []
    rows = tuple((t.text(str(d.nr)), t.text(d.type), t.text(d.tittel)) for d in sak.dokumenter)
    header = tuple(t.text(labels[key]) for key in ("dokument_nr", "dokument_type", "dokument_tittel"))
    return [
        t.Paragraph((t.Bold(t.text(labels["dokumenter_i_saken"])),)),
        t.Table(rows=rows, header=header, widths=(0.08, 0.08, 0.84), borders=False),
    ]


def _vedlegg(mappe: Saksmappe, labels: dict[str, str]) -> list[t.Block]:
    if not mappe.vedlegg:
        return []
    items = tuple((t.Paragraph(t.text(_listed(v, labels))),) for v in mappe.vedlegg)
    return [t.Heading(2, t.text(labels["vedlegg"])), t.OrderedList(items)]


def _listed(vedlegg: Vedleggsdokument, labels: dict[str, str]) -> str:
    """Return a vedlegg as the saksframlegg lists it: its title as the public may see it, and
    whether it is a PDF file (of how many pages) and kept from the public (by what hjemmel)."""
    about = [labels["vedlegg_pdf"].format(sider=sider(vedlegg.pdf.sider, labels))] if vedlegg.pdf else []
    about += [labels["vedlegg_lukket"].format(hjemmel=vedlegg.lukket)] if vedlegg.lukket else []
    return f"{vedlegg.vist_tittel} ({'; '.join(about)})" if about else vedlegg.vist_tittel


def _deviations(mappe: Saksmappe, utgave: Utgave) -> list[t.Block]:
    """Return, for each agreement of the case, what it leaves out of the law's list and why
    that was accepted: the councils adopt the agreement as it is, knowing its gaps."""
    labels, malform = utgave.labels, utgave.malform
    blocks: list[t.Block] = []
    for vedlegg in mappe.avtaler:
        avtale = vedlegg.dokument.model
        liste = mappe.lovkrav.get(avtale.lovkrav or "")
        found = check.accepted_deviations(avtale, liste) if liste else []
        if not found:
            continue
        blocks += [
            t.Heading(3, t.text(labels["avvik"].format(lov=liste.navn_i(malform)))),
            t.Paragraph(t.text(labels["avvik_innledning"].format(avtale=avtale.tittel, lov=_capital(liste.navn_i(malform))))),
        ]
        for punkt, avvik in found:
            blocks += [
                t.Paragraph((t.Bold(t.text(labels["avvik_punkt"].format(punkt=punkt.id))),
                             t.Text(f" {labels['avvik_krav'].format(tekst=punkt.i(malform))}"))),
                t.BulletList((
                    (t.Paragraph((t.Italic(t.text(f"{labels['begrunnelse']}:")), t.Text(f" {avvik.begrunnelse}"))),),
                    (t.Paragraph((t.Italic(t.text(f"{labels['besluttet_av']}:")), t.Text(f" {avvik.besluttet_av}"))),),
                )),
            ]
    return blocks


def _capital(text: str) -> str:
    """Return text with its first letter capitalised: «kommuneloven § 18-4» opening a sentence."""
    return text[:1].upper() + text[1:]


def _vurdering(sak: Sak, mappe: Saksmappe, values: dict[str, str], utgave: Utgave) -> list[t.Block]:
    """Return the Vurdering: the caseworker's text, then the agreement deviations the case accepts."""
    labels = utgave.labels
    blocks = section(labels["vurdering"], sak.vurdering, values, utgave)
    deviations = _deviations(mappe, utgave)
    if deviations and not blocks:
        blocks = [t.Heading(2, t.text(labels["vurdering"]))]
    return blocks + deviations


def saksframlegg(org: Organisasjon, mappe: Saksmappe, tall: Budsjettall | None, utgave: Utgave) -> t.Document:
    """Return the saksframlegg of a case; `tall` are the figures its text may cite."""
    sak = mappe.sak.model
    labels = utgave.labels
    values = reference_values(mappe, tall, utgave.language)
    to = utgave.kommunestyre.kommunestyre_navn if utgave.kommunestyre else None
    fields = tuple(
        t.Field(key, labels[key], value)
        for key, value in (
            ("til", to), ("arkivsak", sak.arkivsak and str(sak.arkivsak)), ("saksbehandler", sak.saksbehandler),
            ("unntatt", sak.lukket and utgave.hjemmel(sak.lukket.hjemmel)),
        )
        if value
    )
    number = f"{labels['sak'].lower()} {utgave.nummer(sak)}"
    right = f"{labels['saksframlegg']} – {number}" + (f" – {to}" if to else "")
    steps = _saksgang(sak, org, utgave)
    first_unknown = _first_unknown(steps, utgave)
    steps = not_yet_known(steps, first_unknown)
    own = _step_of_edition(steps, first_unknown, utgave)  # the step whose meeting this saksframlegg goes to
    innstilling = (own is not None and steps[own].innstilling) or sak.innstilling
    body = with_draft_notice([
        t.Heading(1, utgave.words(sak.tittel)),
        *_earlier_vedtak(steps[:own or 0], values, utgave),
        *_dokumenter(sak, labels),
        *_vedlegg(mappe, labels),
        *section(labels["saksopplysninger"], sak.saksopplysninger, values, utgave),
        *_vurdering(sak, mappe, values, utgave),
        *section(labels["innstilling"], innstilling, values, utgave, framed=True),
    ], utgave)
    masthead = t.Masthead(labels["saksframlegg"], org.navn, fields, saksgang_table(steps, labels),
                          letterhead(org, sak.eget_utvalg))
    document_info = info(org, utgave, sak, sak.tittel, f"{labels['saksframlegg']}, {number}", right,
                         kind=f"{labels['saksframlegg']} {utgave.nummer(sak)}")
    return t.Document("saksframlegg", utgave.name(f"{sak.sak.slug}-saksframlegg"), document_info, masthead, tuple(body))
