"""Validated models → computed figures and rule violations (the check stage).

Rules know nothing of DOCX or PDF and touch no files; each violation names the file and
line the caseworker must change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.domain import norsk
from generator.check import funding
from generator.findings import Finding, Severity
from generator.check.funding import Budsjettall
from generator.check.motebok import check_motebok, closed_doors
from generator.check.values import case_figures, reference_values, said, same_text
from generator.load import Loaded, Project, Saksmappe
from generator.load.models import Avvik, Lovkrav, Lovpunkt, Mote, Samarbeidsavtale


@dataclass(frozen=True)
class Kontroll:
    """What checking a case found: the figures of each budget (by vedlegg number) and the violations."""

    tall: dict[int, Budsjettall] = field(default_factory=dict)
    violations: list[Finding] = field(default_factory=list)

    @property
    def sakens_tall(self) -> Budsjettall | None:
        """The figures the saksframlegg's own text may cite: those of its first prosjektskisse."""
        return next(iter(self.tall.values()), None)


def uncovered(avtale: Samarbeidsavtale, liste: Lovkrav) -> list[Lovpunkt]:
    """Return the points of a statutory list that no paragraph of the agreement declares it covers."""
    covered = {point for paragraf in avtale.paragrafer for point in paragraf.dekker}
    return [p for p in liste.punkter if p.id not in covered]


def accepted_deviations(avtale: Samarbeidsavtale, liste: Lovkrav) -> list[tuple[Lovpunkt, Avvik]]:
    """Return each recorded deviation with the point it concerns, in the list's order."""
    by_point = {a.punkt: a for a in avtale.avvik}
    return [(p, by_point[p.id]) for p in liste.punkter if p.id in by_point]


def check_agreement(avtale: Loaded[Samarbeidsavtale], lovkrav: dict[str, Lovkrav]) -> list[Finding]:
    """Return a violation for each point of the law's list that the agreement neither covers nor
    deviates from explicitly (docs/utvikler/design.md, rule 4)."""
    model, source = avtale.model, avtale.source
    if model.lovkrav is None:
        return []
    liste = lovkrav[model.lovkrav]
    deviated = {a.punkt for a in model.avvik}
    return [
        Finding.rule(source.file, source.line(("paragrafer",)),
                     f"Samarbeidsavtalen «{model.tittel}» oppfyller ikke {liste.navn} bokstav {p.id} ({p.tekst}): "
                     "ingen paragraf dekker den, og det er ikke registrert noe avvik")
        for p in uncovered(model, liste)
        if p.id not in deviated
    ]


def check_adoptions(mappe: Saksmappe) -> list[Finding]:
    """Return a violation when the bodies after the first adopted a case's samarbeidsavtale in
    differing words: the agreement is in force only when every party adopted the same text."""
    sak, source = mappe.sak.model, mappe.sak.source
    if not mappe.avtaler:
        return []
    adopted = [(i, s) for i, s in enumerate(sak.saksgang) if s.vedtak and s.utvalg != sak.eget_utvalg]
    if not adopted:
        return []
    first_index, first = adopted[0]
    return [
        Finding.rule(source.file, source.line(("saksgang", i, "vedtak")),
                     f"{steg.utvalg} vedtok saken med en annen ordlyd enn {first.utvalg} (saksgang[{first_index}]); "
                     "samarbeidsavtalen gjelder først når alle deltakerne har vedtatt den samme teksten")
        for i, steg in adopted[1:] if not same_text(steg.vedtak, first.vedtak)
    ]


def check_case(mappe: Saksmappe) -> Kontroll:
    """Return the figures of a case's budgets and the rules its documents break (docs/utvikler/design.md, rules 1, 2, 4)."""
    tall, violations = {}, check_adoptions(mappe)
    for vedlegg in mappe.avtaler:
        violations += check_agreement(vedlegg.dokument, mappe.lovkrav)
    for vedlegg in mappe.prosjektskisser:
        skisse, source = vedlegg.dokument.model, vedlegg.dokument.source
        figures = funding.compute(skisse.budsjett, mappe.ordninger[skisse.tilskuddsordning])
        tall[vedlegg.nummer] = figures
        where = source.line(funding.WHERE)
        for message in funding.rules(skisse.budsjett, figures):
            violations.append(Finding.rule(source.file, where, f"Prosjektskissen «{skisse.tittel}»: {message}"))
    return Kontroll(tall, violations)


def check_meeting(mote: Loaded[Mote], saker: list[Saksmappe], unread: set = frozenset(), unknown: bool = False
                  ) -> list[Finding]:
    """Return the violations of a meeting's saksliste (docs/utvikler/design.md, rule 5).

    Every listed case exists, under the number this body gave it, and has a saksgang entry for
    this body and date; no number appears twice; the list is in number order. A number in
    `unread` has a case file that did not load: its problems are reported, not guessed at here; nor
    is any missing number while a case file too broken to say its numbers is `unknown`.
    """
    model, source = mote.model, mote.source
    by_number = {}
    for mappe in saker:  # the numbers of the meeting's own body: a case's own, or its steps' there
        for nummer in sorted(mappe.sak.model.numre_i(model.utvalg)):
            by_number.setdefault(nummer, mappe.sak)
    for mappe in saker:  # else a number another body gave (the saksgang then says what is wrong)
        by_number.setdefault(mappe.sak.model.sak, mappe.sak)
    when = norsk.dato(model.motedato)
    violations = []
    for index, nummer in enumerate(model.saker):
        where = source.line(("saker", index))
        sak = by_number.get(nummer)
        step = None if sak is None else next(
            (i for i, s in enumerate(sak.model.saksgang) if s.utvalg == model.utvalg and s.motedato == model.motedato), None)
        if sak is None:
            if nummer not in unread and not unknown:  # a case file with problems of its own is not judged here
                violations.append(Finding.rule(source.file, where, f"sak {nummer} står på sakslisten, men finnes ikke under cases/"))
        elif step is not None:  # the meeting is in the saksgang: by the number this body gave?
            own = sak.model.nummer_i(model.utvalg, model.motedato)
            if own is not None and own != nummer:  # the case file says which number: the list is wrong
                violations.append(Finding.rule(
                    source.file, where,
                    f"sak {nummer} står på sakslisten til {model.utvalg} {when}, men {nummer} er sakens nummer i "
                    f"«{sak.model.eget_utvalg}»; i «{model.utvalg}» har saken nummer {own} ({sak.source.file}, "
                    f"saksgang[{step}].utvalgssak): skriv {own} på sakslisten",
                ))
            elif own is None:
                violations.append(Finding.rule(
                    sak.source.file, sak.source.line(("saksgang", step, "utvalgssak")),
                    f"sak {nummer} står på sakslisten til {model.utvalg} {when}, men {nummer} er sakens nummer i "
                    f"«{sak.model.eget_utvalg}»; i «{model.utvalg}» har saken ikke noe utvalgssaksnummer "
                    f"(saksgang[{step}].utvalgssak)",
                ))
        else:
            same_day = [(i, s) for i, s in enumerate(sak.model.saksgang) if s.motedato == model.motedato]
            if same_day:  # the header names another body for this meeting, as in the seed
                i, steg = same_day[0]
                violations.append(Finding.rule(
                    sak.source.file, sak.source.line(("saksgang", i, "utvalg")),
                    f"sak {nummer} står på sakslisten til {model.utvalg} {when}, men saksgangen oppgir "
                    f"«{steg.utvalg}» for det møtet",
                ))
            else:
                other = next((i for i, s in enumerate(sak.model.saksgang) if s.utvalg == model.utvalg
                              and s.utvalgssak == nummer), None)  # this body's step, with another date
                violations.append(Finding.rule(
                    sak.source.file, sak.source.line(("saksgang",) if other is None else ("saksgang", other, "møtedato")),
                    f"sak {nummer} står på sakslisten til {model.utvalg} {when}, men saksgangen har ikke det møtet"
                    + ("" if other is None or sak.model.saksgang[other].motedato is None else
                       f" (saksgang[{other}] oppgir {norsk.dato(sak.model.saksgang[other].motedato)})"),
                ))
        if nummer in model.saker[:index]:
            violations.append(Finding.rule(source.file, where, f"sak {nummer} står to ganger på sakslisten"))
    if list(model.saker) != sorted(model.saker):
        order = ", ".join(str(n) for n in sorted(set(model.saker)))
        violations.append(Finding.rule(source.file, source.line(("saker",)), f"sakslisten er ikke i nummerrekkefølge (ventet {order})"))
    if model.sluttid is not None and model.sluttid <= model.starttid:
        violations.append(Finding.rule(source.file, source.line(("sluttid",)),
                                       f"møtet slutter ({model.sluttid:%H:%M}) før eller da det begynner "
                                       f"({model.starttid:%H:%M})"))
    return violations


def check_shared_vedlegg(saker: list[Saksmappe], elsewhere: dict[str, tuple[str, str]] | None = None) -> list[Finding]:
    """Return a violation for each case that uses, open, a vedlegg file another case keeps from the
    public (a vedlegg marked `lukket`, or any vedlegg of a closed case): the public edition would
    show in one place what it leaves out in the other (docs/utvikler/design.md, rule 6). A PDF is known by its
    content, a YAML vedlegg by its file (Vedleggsdokument.key). `elsewhere` adds the files closed by cases
    not among `saker` (generator.load.project.closed_vedlegg)."""
    closed: dict[str, tuple[str, str]] = dict(elsewhere or {})  # Vedleggsdokument.key → (the case closing it, hjemmel)
    for mappe in saker:
        sak = mappe.sak.model
        for v in mappe.vedlegg:
            hjemmel = v.lukket or (sak.lukket.hjemmel if sak.lukket else None)
            if v.key and hjemmel:
                closed.setdefault(v.key, (str(sak.sak), hjemmel))
    violations = []
    for mappe in saker:
        sak, source = mappe.sak.model, mappe.sak.source
        for v in mappe.vedlegg:
            if v.lukket or sak.lukket or v.key not in closed:
                continue
            other, hjemmel = closed[v.key]
            shown = f"cases/{v.fil}" if v.fil else v.dokument.source.file
            violations.append(Finding.rule(source.file, source.line(("vedlegg", v.nummer - 1, "fil")),
                                           f"vedlegg[{v.nummer - 1}].fil: {shown} er åpent her, men unntatt "
                                           f"offentlighet i sak {other} ({hjemmel}); den offentlige utgaven ville vist "
                                           "det. Merk det «lukket:» her også, eller bruk en annen fil"))
    return violations


def check_project(project: Project) -> list[Finding]:
    """Return every rule violation in the project (each case's, then each meeting's), and the
    warnings of what is allowed but likely a mistake (Severity.WARNING: callers tell them apart)."""
    violations = []
    for mappe in project.saker:
        violations += check_case(mappe).violations + _postponed_to_nowhere(mappe)
    violations += check_shared_vedlegg(project.saker)
    for mote in project.moter:
        violations += check_meeting(mote, project.saker, project.unread, project.unread_unknown)
    if project.organisasjon is not None:
        for mote, motebok in project.moteboker:
            # by its step there, or by the number that body gave it (a wrong date is said once, by the meeting's check)
            numbers = {b.sak for b in motebok.model.saker}
            treated = [m for m in project.saker if m.sak.model.eget_utvalg == mote.model.utvalg or any(
                s.utvalg == mote.model.utvalg and s.motedato == mote.model.motedato for s in m.sak.model.saksgang)
                or m.sak.model.numre_i(mote.model.utvalg) & numbers]
            tall = check_motebok(project.organisasjon.model, mote, motebok, treated, project.unread,
                                 project.unread_unknown)
            violations += (tall.violations + vedtak_back(mote.model, tall) + closed_doors(motebok, tall)
                           + _not_in_motebok(mote.model, numbers, treated))
    return violations


def _postponed_to_nowhere(mappe) -> list[Finding]:
    """Warn of a step whose meeting postponed the case where no later step of that body follows:
    the case looks finished though it waits for a meeting (a hostile review)."""
    steps, source = mappe.sak.model.saksgang, mappe.sak.source
    return [Finding(source.file, source.line(("saksgang", i, "status")), "",
                    f"saken ble utsatt i {steg.utvalg}{f' {norsk.dato(steg.motedato)}' if steg.motedato else ''}, men "
                    f"saksgangen har ikke noe senere steg i {steg.utvalg}; legg til steget for møtet saken skal opp i",
                    Severity.WARNING)
            for i, steg in enumerate(steps)
            if steg.status == "utsatt" and not any(s.utvalg == steg.utvalg for s in steps[i + 1:])]


def _not_in_motebok(mote: Mote, numbers: set, saker) -> list[Finding]:
    """Return a violation for each case whose file records a vedtak or a status for a meeting whose
    møtebok does not have the case at all."""
    found = []
    for mappe in saker:
        model, source = mappe.sak.model, mappe.sak.source
        for i, steg in enumerate(model.saksgang):
            if (steg.utvalg == mote.utvalg and steg.motedato == mote.motedato and (steg.vedtak or steg.status)
                    and (steg.utvalgssak or model.sak) not in numbers):
                field = "vedtak" if steg.vedtak else "status"
                found.append(Finding.rule(source.file, source.line(("saksgang", i, field)),
                                          f"saksgangen har {'et vedtak' if steg.vedtak else f'«status: {steg.status}»'} "
                                          f"for {mote.utvalg} {norsk.dato(mote.motedato)}, men møteboken for det møtet "
                                          "har ikke saken"))
    return found


#: What a meeting did with a case instead of a vedtak, as a step's or a møtebok's status says.
_OUTCOME = {"utsatt": "ble utsatt", "trukket": "ble trukket", "uten_vedtak": "fikk ikke noe vedtak"}


def vedtak_back(mote: Mote, tall) -> list[Finding]:
    """Return a violation for each case whose file records, for this meeting's step, a vedtak other
    than the one the møtebok computes (or one where the møtebok has none); and a warning for each
    whose file records none yet (its documents then show the step as not treated)."""
    found = []
    for sak in tall.saker:
        if sak.mappe is None:
            continue
        model, source = sak.mappe.sak.model, sak.mappe.sak.source
        for i, steg in enumerate(model.saksgang):
            if steg.utvalg != mote.utvalg or steg.motedato != mote.motedato:
                continue
            when = f"{mote.utvalg} {norsk.dato(mote.motedato)}"
            status = sak.utfall
            if status is not None:
                what = _OUTCOME[status]
                if steg.vedtak or (steg.status and steg.status != status):  # postponed, withdrawn, or every forslag fell
                    found.append(Finding.rule(source.file, source.line(("saksgang", i, "vedtak" if steg.vedtak else "status")),
                                              f"saken {what} i {when} (møteboken), men saksgangen har "
                                              + ("et vedtak" if steg.vedtak else f"«status: {steg.status}»")
                                              + " for det møtet"))
                elif not steg.status:
                    found.append(Finding(source.file, source.line(("saksgang", i)), "",
                                         f"møteboken for {when} sier at saken {what}, men saksgangen har ikke "
                                         f"«status: {status}» for det møtet", Severity.WARNING))
                continue
            if steg.status:
                found.append(Finding.rule(source.file, source.line(("saksgang", i, "status")),
                                          f"saksgangen sier at saken {_OUTCOME[steg.status]} i {when}, men møteboken "
                                          "har vedtaket i saken"))
                continue
            values = reference_values(sak.mappe, case_figures(sak.mappe), "nb")
            if steg.vedtak and not same_text(steg.vedtak, sak.vedtak, values):
                shown = said(sak.vedtak, values)
                found.append(Finding.rule(source.file, source.line(("saksgang", i, "vedtak")),
                                          f"vedtaket for {mote.utvalg} {norsk.dato(mote.motedato)} er ikke det "
                                          f"møteboken viser for saken: «{shown if len(shown) <= 300 else shown[:299] + '…'}». "
                                          "Skriv vedtaket slik særutskriften viser det; er innstillingen, et forslag "
                                          "eller tallene i saken endret etter møtet, gjelder det som ble vedtatt"))
            elif not steg.vedtak:
                found.append(Finding(source.file, source.line(("saksgang", i)), "",
                                     f"møteboken for {mote.utvalg} {norsk.dato(mote.motedato)} har vedtaket i saken, "
                                     "men saksgangen har ikke «vedtak:» for det møtet; dokumentene viser det som "
                                     "«Ikke behandlet» til vedtaket er ført inn", Severity.WARNING))
    return found
