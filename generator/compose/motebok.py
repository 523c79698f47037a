"""A checked møtebok → its documents: the møtebok of the meeting and a særutskrift of each case
for each recipient (the caseworker, and each body that treats the case after the meeting).

Every count, party breakdown and vedtak comes from generator.check.motebok; a closed case shows
in the public edition only by number, public title and legal basis (docs/utvikler/design.md, rule 6).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from generator import tree as t
from generator.check.motebok import INNSTILLINGEN, Moteboktall, SakensBehandling, Stemmer
from generator.check.funding import Budsjettall
from generator.check.values import case_figures, reference_values
from generator.compose.common import Utgave, body_folders, info, letterhead, public_edition, signatures, slug, with_draft_notice
from generator.compose.saksframlegg import not_yet_known, saksgang_table
from generator.domain import norsk
from generator.load.models import Mote, Motebok, Organisasjon, Sak


def _figures(sak: SakensBehandling) -> Budsjettall | None:
    """Return the figures a case's texts may cite (those of its first prosjektskisse)."""
    return case_figures(sak.mappe) if sak.mappe else None


def _party_list(counts) -> str:
    return ", ".join(f"{party} ({n})" for party, n in counts)


def _forslag_name(forslag: str, labels: dict[str, str], additions: frozenset[str] = frozenset()) -> str:
    if forslag == INNSTILLINGEN:
        return labels["innstillingen"]
    return labels["tilleggsforslag_id" if forslag in additions else "forslag_id"].format(id=forslag)


def _lower(name: str) -> str:
    """Return «Innstillingen», «Forslag b» as inside a sentence."""
    return name[:1].lower() + name[1:]


def _alternativ(stemmer: Stemmer, labels: dict[str, str], name: str, other: str) -> list[t.Block]:
    """Return an alternativ votering: the two forslag, the one adopted with its votes against the
    other's, and each side's parties."""
    sides = [(name, stemmer.for_, stemmer.for_parti), (other, stemmer.mot, stemmer.mot_parti)]
    (winner, won, _), (_, lost, _) = sides if stemmer.vedtatt else sides[::-1]
    vedtatt = labels["vedtatt_innstilling" if winner == labels["innstillingen"] else "vedtatt_forslag"]
    dobbelt = labels["dobbeltstemme"] if stemmer.dobbeltstemme else ""
    said = (labels["votering_enstemmig"].format(forslag=winner, vedtatt=vedtatt, antall=len(won)) if not lost else
            labels["votering_vedtatt"].format(forslag=winner, vedtatt=vedtatt, mot=len(lost), dobbelt=dobbelt, **{"for": len(won)}))
    blocks = [t.Paragraph(t.text(labels["votering_alternativ"].format(forslag=_lower(name), annet=_lower(other)))),
              t.Paragraph(t.text(said))]
    for side, votes, parties in sides:
        if votes and lost:
            blocks.append(t.Paragraph(t.text(labels["stemte_for_forslag"].format(forslag=_lower(side),
                                                                                  partier=_party_list(parties)))))
    return blocks


def _votering(stemmer: Stemmer, labels: dict[str, str], name: str | None = None, other: str | None = None) -> list[t.Block]:
    """Return a votering as the møtebok states it: the result with the counts, blank votes, how
    a tie was decided, and the party breakdown."""
    name = name or _forslag_name(stemmer.votering.forslag, labels)
    if other is not None:
        return _alternativ(stemmer, labels, name, other)
    innstillingen = stemmer.votering.forslag == INNSTILLINGEN and name == labels["innstillingen"]
    vedtatt = labels["vedtatt_innstilling" if innstillingen else "vedtatt_forslag"]  # nynorsk: the gender of the noun
    dobbelt = labels["dobbeltstemme"] if stemmer.dobbeltstemme else labels["loddtrekning"] if stemmer.loddtrekning else ""
    if stemmer.vedtatt and not stemmer.mot and not stemmer.blanke:
        blocks = [t.Paragraph(t.text(labels["votering_enstemmig"].format(forslag=name, vedtatt=vedtatt, antall=len(stemmer.for_))))]
    elif not stemmer.vedtatt and not stemmer.for_ and not stemmer.blanke:
        blocks = [t.Paragraph(t.text(labels["votering_enstemmig_falt"].format(forslag=name, antall=len(stemmer.mot))))]
    else:
        key = "votering_vedtatt" if stemmer.vedtatt else "votering_falt"
        blocks = [t.Paragraph(t.text(labels[key].format(forslag=name, vedtatt=vedtatt, **{"for": len(stemmer.for_)}, mot=len(stemmer.mot),
                                                        dobbelt=dobbelt)))]
    if stemmer.blanke:
        blocks.append(t.Paragraph(t.text(labels["votering_blanke"].format(antall=len(stemmer.blanke)))))
    if stemmer.mot and stemmer.for_:
        blocks.append(t.Paragraph(t.text(labels["stemte_for"].format(partier=_party_list(stemmer.for_parti)))))
        blocks.append(t.Paragraph(t.text(labels["stemte_mot"].format(partier=_party_list(stemmer.mot_parti)))))
    return blocks


def case_blocks(sak: SakensBehandling, utgave: Utgave, level: int, figures: Budsjettall | None) -> list[t.Block]:
    """Return what the møtebok says of one case under its heading: closing, inhabilitet,
    behandling, forslag, voteringer and the vedtak (or its status)."""
    labels = utgave.labels
    behandling = sak.behandling
    values = reference_values(sak.mappe, figures, utgave.language) if sak.mappe else {}
    blocks: list[t.Block] = []
    if behandling.tatt_opp_i_motet:
        blocks.append(t.Paragraph(t.text(labels["tatt_opp"])))
    blocks += _lukking(sak, utgave)
    for inhabil in behandling.inhabile:
        line = labels["inhabil"].format(navn=inhabil.navn, hjemmel=utgave.hjemmel(inhabil.hjemmel))
        if inhabil.erstattet_av:
            line += " " + labels["inhabil_erstattet"].format(vara=inhabil.erstattet_av)
        blocks.append(t.Paragraph(t.text(line)))
    if behandling.ikke_til_stede:
        blocks.append(t.Paragraph(t.text(labels["ikke_til_stede"].format(navn=", ".join(behandling.ikke_til_stede)))))
    if behandling.moteleder:
        blocks.append(t.Paragraph(t.text(labels["moteleder_i_saken"].format(navn=behandling.moteleder))))
    if behandling.behandling:
        blocks += [t.Heading(level, t.text(labels["behandling"])), *utgave.prose(behandling.behandling, level, values)]
    innstilling = sak.innstilling
    if behandling.forslag or innstilling:
        blocks.append(t.Heading(level, t.text(labels["forslag"])))
        if innstilling:  # in the record whether it was voted on or another forslag won over it
            blocks.append(t.Paragraph((t.Bold(t.text(f"{labels['innstilling']}:")),)))
            blocks += utgave.prose(innstilling, level, values)
        for forslag in behandling.forslag:
            who = forslag.fremmet_av + (f" ({forslag.parti})" if forslag.parti else "")
            label = labels["tilleggsforslag_fra" if forslag.tillegg else "forslag_fra"]
            blocks.append(t.Paragraph((t.Bold(t.text(label.format(id=forslag.id, navn=who))),)))
            blocks += utgave.prose(forslag.tekst, level, values)
    if sak.stemmer:
        blocks.append(t.Heading(level, t.text(labels["votering"])))
        additions = frozenset(f.id for f in behandling.forslag if f.tillegg)
        for stemmer in sak.stemmer:
            other = stemmer.votering.alternativ
            blocks += _votering(stemmer, labels, _forslag_name(stemmer.votering.forslag, labels, additions),
                                other and _forslag_name(other, labels))
        for forslag in sak.ikke_votert:
            blocks.append(t.Paragraph(t.text(labels["ikke_votert"].format(
                forslag=labels["tilleggsforslag_id"].format(id=forslag)))))
        for forslag in sak.bortfalt:
            blocks.append(t.Paragraph(t.text(labels["bortfalt"].format(
                forslag=_forslag_name(forslag, labels), vinner=_lower(_forslag_name(sak.vinner, labels)),
                vedtatt=labels["vedtatt_innstilling" if sak.vinner == INNSTILLINGEN else "vedtatt_forslag"]))))
    if behandling.status:
        blocks.append(t.Paragraph(t.text(labels[f"status_{behandling.status}"].format(grunn=behandling.grunn))))
    elif sak.vedtak:
        blocks += [t.Heading(level, t.text(labels["vedtak"])), t.Framed(tuple(utgave.prose(sak.vedtak, level, values)))]
    elif sak.stemmer:  # every forslag fell: a lawful outcome, and the record says so
        blocks.append(t.Paragraph(t.text(labels["ingen_vedtak"])))
    return blocks


def _lukking(sak: SakensBehandling, utgave: Utgave) -> list[t.Block]:
    """Return the decision to close the meeting, with its legal basis and vote: public even for a
    closed case (kommuneloven § 11-4)."""
    if not sak.behandling.lukking:
        return []
    labels = utgave.labels
    blocks = [t.Paragraph(t.text(labels["lukket_mote"].format(hjemmel=utgave.hjemmel(sak.behandling.lukking.hjemmel))))]
    return blocks + (_votering(sak.lukking, labels, labels["forslag_lukking"]) if sak.lukking else [])


def _case_heading(sak: SakensBehandling, labels: dict[str, str], offentlig: bool) -> str:
    model = sak.mappe.sak.model if sak.mappe else None
    title = "" if model is None else (model.lukket.offentlig_tittel if model.lukket and offentlig else model.tittel)
    return f"{labels['ps']} {sak.behandling.sak} {title}".strip()


def _who(motebok: Motebok, tall: Moteboktall, labels: dict[str, str], draft: bool) -> list[t.Block]:
    """Return who met, who sent forfall and which varamedlemmer met for whom, and that the body
    could decide (kommuneloven § 11-9)."""
    members = {m.navn: m for m in tall.utvalg.medlemmer}

    def member(name: str) -> str:
        m = members.get(name)
        extra = [x for x in (m and m.parti, m and m.rolle != "medlem" and labels[f"rolle_{m.rolle}"]) if x]
        return f"{name} ({', '.join(extra)})" if extra else name

    def bullets(lines: list[str]) -> t.BulletList:
        return t.BulletList(tuple((t.Paragraph(t.text(line)),) for line in lines))

    blocks = [t.Heading(1, t.text(labels["til_stede"])), bullets([member(n) for n in motebok.til_stede])]
    if motebok.forfall:
        lines = [member(f.navn) + (f": {f.grunn}" if f.grunn else "") for f in motebok.forfall]
        blocks += [t.Heading(1, t.text(labels["forfall"])), bullets(lines)]
    if motebok.varamedlemmer:
        lines = [labels["vara_for"].format(vara=v.navn, medlem=v.for_) + (f" ({v.grunn})" if v.grunn else "")
                 for v in motebok.varamedlemmer]
        blocks += [t.Heading(1, t.text(labels["varamedlemmer"])), bullets(lines)]
    if not draft:  # a final møtebok passed the quorum check of every case; a draft may not have
        met = len(dict.fromkeys([*motebok.til_stede, *(v.navn for v in motebok.varamedlemmer)]))
        blocks.append(t.Paragraph(t.text(labels["vedtaksfort" if len(motebok.saker) > 1 else "vedtaksfort_en"].format(motte=met, medlemmer=len(members)))))
    return blocks


def _fields(mote: Mote, motebok: Motebok, labels: dict[str, str]) -> tuple[t.Field, ...]:
    return (
        t.Field("utvalg", labels["utvalg"], mote.utvalg),
        t.Field("motested", labels["motested"], mote.motested),
        t.Field("dato", labels["dato"], norsk.dato(mote.motedato)),
        t.Field("tidspunkt", labels["tidspunkt"], f"{norsk.klokkeslett(motebok.apnet)}–{norsk.klokkeslett(motebok.hevet)}"),
        t.Field("moteleder", labels["moteleder"], motebok.moteleder),
        t.Field("protokollforer", labels["protokollforer"], motebok.protokollforer),
    )


def motebok_document(org: Organisasjon, mote: Mote, motebok: Motebok, tall: Moteboktall, utgave: Utgave, name: str,
                     offentlig: bool = False, signatur: bool = False) -> t.Document:
    """Return the møtebok: who met, then each case as treated; in the public edition a closed case
    is its number, public title and legal basis. The signature edition (`signatur`) ends with the
    approval and a signature line for each who signs (`signerer`, else the møteleder)."""
    labels = utgave.labels
    body = _who(motebok, tall, labels, bool(utgave.utkast))  # a draft breaking no rule was checked too
    for sak in tall.saker:
        body.append(t.Heading(1, t.text(_case_heading(sak, labels, offentlig))))
        closed = sak.mappe.sak.model.lukket if sak.mappe else None
        if closed and offentlig:  # the closing decision is public (kommuneloven § 11-4), the rest is not
            body.append(t.Paragraph(t.text(f"{labels['unntatt']}: {utgave.hjemmel(closed.hjemmel)}")))
            body += _lukking(sak, utgave)
        else:
            body += case_blocks(sak, utgave, 2, _figures(sak))
    if signatur:
        approved = norsk.dato(motebok.godkjent) if motebok.godkjent else "_" * 14
        body += [t.Heading(1, t.text(labels["godkjenning"])),
                 t.Paragraph(t.text(labels["motebok_godkjent"].format(dato=approved))),
                 *signatures(motebok.signerer or [motebok.moteleder], labels)]
    heading = f"{labels['motebok']} – {mote.utvalg} {norsk.dato(mote.motedato)}"
    right = f"{labels['motebok']} {norsk.dato(mote.motedato)}"
    document_info = replace(info(org, utgave, None, heading, heading, right), date=mote.motedato)
    masthead = t.Masthead(labels["motebok"], org.navn, _fields(mote, motebok, labels) + public_edition(labels, offentlig), letterhead=letterhead(org, mote.utvalg))
    return t.Document("motebok", utgave.name(name), document_info, masthead, (*with_draft_notice([], utgave), *body))


def _step_of(model: Sak, mote: Mote) -> int | None:
    """Return the place of a meeting in a case's saksgang (None: the saksgang does not have it)."""
    return next((i for i, s in enumerate(model.saksgang) if s.utvalg == mote.utvalg and s.motedato == mote.motedato),
                None)


def recipients(org: Organisasjon, mote: Mote, sak: SakensBehandling) -> list[tuple[str, str | None]]:
    """Return who gets a særutskrift of a case: its caseworker, then each body that treats the case
    after this meeting (the later steps of its saksgang, in their order: a member's kommunestyre, or
    another utvalg of the organisation), each with its målform (None: the meeting's). A case the
    meeting postponed, withdrew or made no vedtak in goes on to no one: its caseworker alone is told."""
    model = sak.mappe.sak.model
    found: list[tuple[str, str | None]] = []
    if model.saksbehandler:
        found.append((model.saksbehandler, None))
    here = _step_of(model, mote)
    later = model.saksgang[here + 1:] if here is not None and sak.vedtak else []
    kommuner = {k.kommunestyre_navn: k for k in org.deltakerkommuner}
    utvalg = {u.navn: u for u in org.utvalg}
    for steg in later:
        if steg.utvalg == mote.utvalg or steg.utvalg in (name for name, _ in found):
            continue
        body = kommuner.get(steg.utvalg) or utvalg.get(steg.utvalg)
        found.append((steg.utvalg, body.malform if body is not None else None))
    return found


@dataclass(frozen=True)
class Saerutskrift:
    """A særutskrift with what the archive needs to know of it: its case and its recipient."""

    document: t.Document
    sak: Sak
    mottaker: str


def saerutskrifter(org: Organisasjon, mote: Mote, tall: Moteboktall, utgave: Utgave, base: str) -> list[Saerutskrift]:
    """Return a særutskrift of each treated case for each of its recipients, in the recipient's målform,
    named after the meeting (`base`) and the case's number in it: a case treated in two meetings
    gets a særutskrift from each."""
    documents, folders = [], body_folders(org)
    for sak in tall.saker:
        if sak.mappe is None:
            continue
        model, figures = sak.mappe.sak.model, _figures(sak)
        for index, (recipient, malform) in enumerate(recipients(org, mote, sak)):
            edition = replace(utgave, malform=malform or utgave.malform)
            labels = edition.labels
            who = "saksbehandler" if index == 0 and model.saksbehandler else folders.get(recipient, slug(recipient))
            fields = (
                t.Field("til", labels["til"], recipient),
                t.Field("utvalg", labels["utvalg"], mote.utvalg),
                t.Field("dato", labels["møtedato"], norsk.dato(mote.motedato)),  # not the day it is sent
                *((t.Field("arkivsak", labels["arkivsak"], str(model.arkivsak)),) if model.arkivsak else ()),
                *((t.Field("saksbehandler", labels["saksbehandler"], model.saksbehandler),) if model.saksbehandler else ()),
            )
            heading = f"{labels['saerutskrift']} – {_case_heading(sak, labels, False)}"
            right = f"{labels['saerutskrift']} {labels['ps']} {sak.behandling.sak}"
            document_info = replace(info(org, edition, model, heading, heading, right), date=mote.motedato)
            here = _step_of(model, mote)
            steps = [s.model_copy(update={"vedtak": sak.vedtak}) if i == here and sak.vedtak and not s.vedtak else s
                     for i, s in enumerate(model.saksgang)]  # this meeting's vedtak is known, no later one
            steps = not_yet_known(steps, None if here is None else here + 1)
            outcome = {} if here is None or sak.utfall is None else {here: labels[f"steg_{sak.utfall}"]}
            masthead = t.Masthead(labels["saerutskrift"], org.navn, fields, saksgang_table(steps, labels, outcome),
                                  letterhead(org, mote.utvalg))
            body = [t.Heading(1, t.text(_case_heading(sak, labels, False))), *case_blocks(sak, edition, 2, figures)]
            name = edition.name(f"{base}-{sak.behandling.sak.slug}-saerutskrift-{who}")
            document = t.Document("saerutskrift", name, document_info, masthead, tuple(with_draft_notice(body, edition)))
            documents.append(Saerutskrift(document, model, recipient))
    return documents
