"""A møtebok with its meeting and cases → who could vote, each votering's count and result, the
vedtak, and the rules the record breaks (kommuneloven §§ 11-4, 11-9, 11-10).

As with the funding split, nothing here is taken on trust: the party breakdown, the result
of each votering and the text of the vedtak are computed from the names the møtebok gives,
and a result or a vedtak written in the file must agree with what is computed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from generator.domain import norsk, references
from generator.findings import Finding, Severity
from generator.load import Loaded, Saksmappe
from generator.load.models import Behandling, Motebok, Mote, Organisasjon, Utvalg, Votering
from generator.check.values import case_figures, reference_values, same_text
from generator.domain.messages import mente_du

INNSTILLINGEN = "innstillingen"


@dataclass(frozen=True)
class Stemmer:
    """A votering as counted: who voted for and against, by party, and the result."""

    votering: Votering
    tekst: str | None  # the text of the proposal voted on (None: unknown proposal)
    for_: tuple[str, ...]
    mot: tuple[str, ...]
    blanke: tuple[str, ...]  # blank votes, lawful only in elections; counted for neither side
    for_parti: tuple[tuple[str, int], ...]
    mot_parti: tuple[tuple[str, int], ...]
    vedtatt: bool
    dobbeltstemme: bool  # a tie decided by the chair's vote (kommuneloven § 11-9)
    loddtrekning: bool = False  # a tie in an election, decided by drawing lots


@dataclass(frozen=True)
class SakensBehandling:
    """What the meeting did with one case, as computed."""

    behandling: Behandling
    mappe: Saksmappe | None
    stemmer: tuple[Stemmer, ...]
    vedtak: str | None  # the text of the proposal that won
    moteleder: str = ""  # who chaired while the case was treated
    lukking: Stemmer | None = None  # the vote to close the meeting, counted
    vinner: str | None = None  # the forslag adopted (not a tilleggsforslag)
    #: forslag never voted on that fell because another was adopted (the møtebok says so)
    bortfalt: tuple[str, ...] = ()
    innstilling: str | None = None  # the innstilling put before this body
    ikke_votert: tuple[str, ...] = ()  # tilleggsforslag no one voted on (the møtebok says so)

    @property
    def utfall(self) -> str | None:
        """What the meeting did instead of a vedtak, as a saksgang step records it (utsatt, trukket,
        uten_vedtak: every forslag fell); None where it made one."""
        return None if self.vedtak else self.behandling.status or "uten_vedtak"


@dataclass(frozen=True)
class Moteboktall:
    """The computed møtebok: each case's treatment and every rule broken."""

    utvalg: Utvalg
    saker: tuple[SakensBehandling, ...]
    violations: list[Finding] = field(default_factory=list)


def closed_doors(motebok: Loaded[Motebok], tall: Moteboktall) -> list[Finding]:
    """Warn of each case treated behind closed doors (kommuneloven § 11-5) whose case file does not
    keep it from the public: the public møtebok shows its treatment and vedtak in full. Closing a
    meeting does not by itself exempt its record (offentleglova decides that), so this is no rule."""
    source = motebok.source
    return [Finding(source.file, source.line(("saker", i, "lukking")), "",
                    f"sak {s.behandling.sak} ble behandlet for lukkede dører ({s.behandling.lukking.hjemmel}), men "
                    f"{s.mappe.sak.source.file} har ingen «lukket:»; den offentlige møteboken viser behandlingen"
                    f"{' og vedtaket' if s.vedtak else ''}. Er saken unntatt offentlighet, gi den en «lukket:»-blokk "
                    "med hjemmel og offentlig tittel.",
                    Severity.WARNING)
            for i, s in enumerate(tall.saker) if s.behandling.lukking and s.mappe and not s.mappe.sak.model.lukket]


def _by_party(names, party_of: dict[str, str]) -> tuple[tuple[str, int], ...]:
    counts = Counter(party_of.get(n) or "uten parti" for n in names)
    return tuple(sorted(counts.items()))


def check_motebok(org: Organisasjon, mote: Loaded[Mote], motebok: Loaded[Motebok], mapper: list[Saksmappe],
                  unread: set = frozenset(), unknown: bool = False) -> Moteboktall:
    """Return the computed møtebok and every rule it breaks, each at the line to change. A case
    numbered in `unread` (or any case, when a file too broken to say its number is `unknown`) has
    a case file that did not load: its problems are reported, and what it holds is not guessed at."""
    model, source = motebok.model, motebok.source
    file = source.file
    found: list[Finding] = []

    def rule(path: tuple, message: str) -> None:
        found.append(Finding.rule(file, source.line(path), message))

    utvalg = next((u for u in org.utvalg if u.navn == model.utvalg), None)
    if utvalg is None or model.utvalg != mote.model.utvalg:
        rule(("utvalg",), f"møteboken gjelder «{model.utvalg}», men møtet er et møte i «{mote.model.utvalg}»")
        utvalg = utvalg or next((u for u in org.utvalg if u.navn == mote.model.utvalg), org.utvalg[0])
    if model.motedato != mote.model.motedato:
        rule(("møtedato",), f"møteboken har møtedato {norsk.dato(model.motedato)}, men møtet er "
                            f"{norsk.dato(mote.model.motedato)}")
    if not utvalg.medlemmer:
        rule(("til_stede",), f"organisasjon.yaml oppgir ingen medlemmer for «{utvalg.navn}», så møteboken kan ikke kontrolleres")
        return Moteboktall(utvalg, (), found)

    if model.hevet <= model.apnet:
        rule(("hevet",), f"møtet ble hevet ({model.hevet:%H:%M}) før eller da det ble satt ({model.apnet:%H:%M})")
    named = [*((("til_stede", i), n) for i, n in enumerate(model.til_stede)),
             *((("forfall", i, "navn"), f.navn) for i, f in enumerate(model.forfall)),
             *((("varamedlemmer", i, "navn"), v.navn) for i, v in enumerate(model.varamedlemmer))]
    seen: set[str] = set()
    for path, name in named:
        if name in seen and not (path[0] == "forfall" and name in model.til_stede):  # that one is said below
            rule(path, f"«{name}» står to ganger blant dem som møtte eller hadde forfall")
        seen.add(name)
    members = {m.navn: m for m in utvalg.medlemmer}
    substitutes = {v.navn: v for v in utvalg.varamedlemmer}
    party_of = {**{v.navn: v.parti for v in utvalg.varamedlemmer}, **{m.navn: m.parti for m in utvalg.medlemmer}}
    absent = {f.navn for f in model.forfall}
    for i, name in enumerate(model.til_stede):
        if name not in members:
            rule(("til_stede", i), f"«{name}» er ikke medlem av {utvalg.navn}{mente_du(name, members, 0.8, last_word=True)} "
                                   "(varamedlemmer står under «varamedlemmer»)")
        if name in absent:
            rule(("til_stede", i), f"«{name}» står både som til stede og med forfall")
    for i, f in enumerate(model.forfall):
        if f.navn not in members:
            rule(("forfall", i, "navn"), f"«{f.navn}» har forfall, men er ikke medlem av {utvalg.navn}"
                                         f"{mente_du(f.navn, members, 0.8, last_word=True)}")
    unaccounted = [n for n in members if n not in model.til_stede and n not in absent]
    if unaccounted:
        rule(("til_stede",), "møteboken sier ikke om disse medlemmene møtte eller hadde forfall: " + ", ".join(unaccounted))

    # varamedlemmer for members with forfall: from the member's list, in order unless a reason is given
    called: dict[str | None, int] = Counter()
    replaced = set()
    for i, vara in enumerate(model.varamedlemmer):
        where = ("varamedlemmer", i)
        entry = substitutes.get(vara.navn)
        if entry is None:
            rule(where + ("navn",), f"«{vara.navn}» er ikke varamedlem i {utvalg.navn}{mente_du(vara.navn, substitutes, 0.8, last_word=True)}")
            continue
        if vara.for_ not in absent:
            rule(where + ("for",), f"{vara.navn} møtte for «{vara.for_}», som ikke har forfall i møteboken")
        elif vara.for_ in replaced:
            rule(where + ("for",), f"«{vara.for_}» har allerede et varamedlem i møtet")
        replaced.add(vara.for_)
        party = party_of.get(vara.for_)
        if vara.for_ in members and entry.parti != party:
            rule(where + ("navn",), f"{vara.navn} står på listen til {entry.parti or 'ingen'}, men {vara.for_} "
                                    f"er valgt fra {party or 'ingen liste'}")
        order = [v.navn for v in utvalg.varamedlemmer if v.parti == entry.parti]
        expected = order[called[entry.parti]] if called[entry.parti] < len(order) else None
        if vara.navn != expected and not vara.grunn:
            rule(where + ("navn",), f"{vara.navn} er ikke neste varamedlem for {entry.parti} (det er {expected}); "
                                    "skriv «grunn:» når rekkefølgen er fraveket")
        called[entry.parti] += 1
    met = list(dict.fromkeys([*model.til_stede, *(v.navn for v in model.varamedlemmer)]))  # each once
    if model.moteleder not in met:
        rule(("møteleder",), f"møtelederen «{model.moteleder}» står ikke blant dem som møtte")
    for role in ("leder", "nestleder"):  # the leder leads; at the leder's forfall the nestleder
        chair = next((m.navn for m in utvalg.medlemmer if m.rolle == role), None)
        if chair in model.til_stede:
            if model.moteleder != chair:
                rule(("møteleder",), f"{chair} er {role} og møtte, så {chair} skal lede møtet, ikke {model.moteleder}")
            break

    for i, signer in enumerate(model.signerer):
        if signer not in met:
            rule(("signerer", i), f"«{signer}» skal signere møteboken, men står ikke blant dem som møtte")
    if model.godkjent is not None and model.godkjent < model.motedato:
        rule(("godkjent",), f"møteboken er godkjent {norsk.dato(model.godkjent)}, før møtet ble holdt")
    saker = tuple(_treat(model, mote, mapper, i, met, utvalg, party_of, substitutes, rule, unknown or unread)
                  for i in range(len(model.saker)))
    treated = {b.sak for b in model.saker}
    for nummer in mote.model.saker:
        if nummer not in treated:
            rule(("saker",), f"sak {nummer} står på sakslisten, men møteboken sier ikke hva møtet gjorde med den "
                             "(vedtak, eller status utsatt eller trukket)")
    return Moteboktall(utvalg, saker, found)


def _treat(model: Motebok, mote: Loaded[Mote], mapper: list[Saksmappe], index: int, met: list[str], utvalg: Utvalg,
           party_of: dict[str, str], substitutes: dict, rule, unread) -> SakensBehandling:
    """Check one case of the møtebok and compute its votes and vedtak."""
    behandling = model.saker[index]
    here = ("saker", index)
    mappe = next((m for m in mapper if (m.sak.model.nummer_i(mote.model.utvalg, mote.model.motedato) or m.sak.model.sak) == behandling.sak), None)
    unloaded = mappe is None and (unread is True or behandling.sak in unread)  # its file's problems say enough
    if behandling.sak not in mote.model.saker and not behandling.tatt_opp_i_motet:
        rule(here + ("sak",), f"sak {behandling.sak} står ikke på sakslisten; skriv «tatt_opp_i_møtet: true» når "
                              "møtet tok den opp")
    if behandling.sak in [b.sak for b in model.saker[:index]]:
        rule(here + ("sak",), f"sak {behandling.sak} står to ganger i møteboken")
    sak = mappe.sak.model if mappe else None
    if sak is not None and sak.lukket and behandling.lukking is None:
        rule(here + ("sak",), f"sak {behandling.sak} er unntatt offentlighet, men møteboken har ikke vedtaket om å "
                              "lukke møtet og hjemmelen for det (kommuneloven § 11-5)")

    inhabile = {i.navn for i in behandling.inhabile}
    for j, name in enumerate(behandling.ikke_til_stede):
        if name not in met:
            rule(here + ("ikke_til_stede", j), f"«{name}» står ikke blant dem som møtte")
        elif name in inhabile:
            rule(here + ("ikke_til_stede", j), f"«{name}» er inhabil i sak {behandling.sak}; skriv det bare under «inhabile»")
        elif name in behandling.ikke_til_stede[:j]:
            rule(here + ("ikke_til_stede", j), f"«{name}» står to ganger under «ikke_til_stede»")
    entitled = [n for n in met if n not in inhabile and n not in behandling.ikke_til_stede]
    for j, inhabil in enumerate(behandling.inhabile):
        if inhabil.navn not in met:
            rule(here + ("inhabile", j, "navn"), f"«{inhabil.navn}» er inhabil, men står ikke blant dem som møtte")
        if inhabil.erstattet_av:
            if inhabil.erstattet_av not in substitutes:
                rule(here + ("inhabile", j, "erstattet_av"), f"«{inhabil.erstattet_av}» er ikke varamedlem i {utvalg.navn}"
                                                             f"{mente_du(inhabil.erstattet_av, substitutes, 0.8, last_word=True)}")
            elif substitutes[inhabil.erstattet_av].parti != party_of.get(inhabil.navn):
                rule(here + ("inhabile", j, "erstattet_av"), f"{inhabil.erstattet_av} står ikke på listen til {inhabil.navn}")
            if inhabil.erstattet_av in met:
                rule(here + ("inhabile", j, "erstattet_av"), f"{inhabil.erstattet_av} møtte allerede i møtet")
            entitled.append(inhabil.erstattet_av)
    needed = (len(utvalg.medlemmer) + 1) // 2
    if len(entitled) < needed:
        rule(here + ("sak",), f"sak {behandling.sak}: utvalget var ikke vedtaksført: {len(entitled)} av "
                              f"{len(utvalg.medlemmer)} medlemmer kunne stemme, minst {needed} må være til stede og stemme (kommuneloven § 11-9)")

    texts = {}
    for j, forslag in enumerate(behandling.forslag):
        where = here + ("forslag", j)
        if forslag.id == INNSTILLINGEN:
            rule(where + ("id",), f"«{INNSTILLINGEN}» er innstillingen i saksfilen; gi forslaget en annen id")
        elif forslag.id in texts:
            rule(where + ("id",), f"to forslag i sak {behandling.sak} har id «{forslag.id}»")
        else:
            texts[forslag.id] = forslag.tekst
        if forslag.parti and party_of.get(forslag.fremmet_av) and forslag.parti != party_of[forslag.fremmet_av]:
            rule(where + ("parti",), f"{forslag.fremmet_av} står på listen til {party_of[forslag.fremmet_av]}, "
                                     f"ikke {forslag.parti}")
        if forslag.fremmet_av not in entitled:
            rule(where + ("fremmet_av",), f"«{forslag.fremmet_av}» kunne ikke fremme forslag i sak {behandling.sak} "
                                          "(møtte ikke, eller var inhabil)")
    innstilling = sak.innstilling_til(mote.model.utvalg, mote.model.motedato) if sak is not None else None
    if innstilling:  # what was put before this body: its step's own innstilling, else the case's
        texts.setdefault(INNSTILLINGEN, innstilling)
    chair = _case_chair(model, behandling, utvalg, entitled, here, rule)
    counted = []
    for j, votering in enumerate(behandling.voteringer):
        where = here + ("voteringer", j)
        if votering.forslag in [v.forslag for v in behandling.voteringer[:j]]:
            rule(where + ("forslag",), f"det er votert over forslaget «{votering.forslag}» to ganger i sak {behandling.sak}")
        if votering.forslag not in texts and not (unloaded and votering.forslag == INNSTILLINGEN):
            known = ", ".join(texts) or "ingen"
            rule(where + ("forslag",), f"voteringen gjelder «{votering.forslag}», som ikke er et forslag i saken (kjente: {known})")
        counted.append(_count(votering, texts.get(votering.forslag), where, behandling, entitled, chair, party_of, rule))

    lukking, closing = behandling.lukking, None
    if lukking is not None and lukking.votering is not None:  # the vote to close the meeting (kommuneloven § 11-5)
        closing = _count(lukking.votering, None, here + ("lukking", "votering"), behandling, entitled, chair, party_of, rule)
        if not closing.vedtatt:
            rule(here + ("lukking", "votering"), f"sak {behandling.sak}: forslaget om å lukke møtet falt, men møteboken "
                                                 "sier at møtet ble lukket")
    additions = {f.id for f in behandling.forslag if f.tillegg}
    for j, votering in enumerate(behandling.voteringer):
        _check_alternative(votering, here + ("voteringer", j), behandling, texts, additions, rule)
    adopted = [(s.votering.forslag if s.vedtatt else s.votering.alternativ) for s in counted
               if s.vedtatt or s.votering.alternativ]  # in an alternativ votering, one of the two is adopted
    winners = [f for f in adopted if f not in additions]
    added = [f for f in adopted if f in additions]
    vedtak = texts.get(winners[-1]) if winners else None
    if vedtak and added:  # the vedtak is the forslag adopted, then each tilleggsforslag adopted, in voting order
        vedtak = "\n\n".join([vedtak, *(texts[f] for f in added if texts.get(f))])
    elif added and not winners:
        rule(here + ("voteringer",), f"sak {behandling.sak}: tilleggsforslaget «{added[0]}» ble vedtatt, "
                                     "men ikke noe forslag det kommer i tillegg til")
    voted = {v.forslag for v in behandling.voteringer} | {v.alternativ for v in behandling.voteringer if v.alternativ}
    unvoted = [f for f in texts if f not in voted and f not in additions]  # a forslag falls only by a vote
    # a forslag not voted on falls when another is adopted (the møtebok says so; an alternativ votering
    # records the votes for it too)
    bortfalt = tuple(f for f in unvoted if f != INNSTILLINGEN) if winners and not behandling.status else ()
    # a tilleggsforslag not voted on: perhaps sent on, not fallen (in the møtebok's order)
    unvoted_additions = tuple(f.id for f in behandling.forslag if f.tillegg and f.id not in voted)
    if behandling.status == "trukket" and counted:  # withdrawn: not treated, so not voted on
        rule(here + ("voteringer",), f"sak {behandling.sak} er trukket, men det ble votert i saken")
    elif behandling.status == "utsatt":  # postponed, by a vote or not: one forslag adopted at most, not the innstilling
        if INNSTILLINGEN in winners:
            rule(here + ("status",), f"sak {behandling.sak} er utsatt, men innstillingen ble vedtatt")
        elif len(winners) > 1:
            rule(here + ("status",), f"sak {behandling.sak} er utsatt, men flere forslag ble vedtatt ("
                 + ", ".join(winners) + "); bare forslaget om å utsette saken kan vedtas "
                 "(med tilleggsforslag til det)")
    if behandling.status:
        if behandling.vedtak:
            rule(here + ("vedtak",), f"sak {behandling.sak} er {behandling.status}, men møteboken har et vedtak")
        vedtak = None  # the case goes on to no one: no vedtak to record back or send on
    elif not winners and (not counted or unvoted):
        why = ("ingen votering" if not counted else
               "det er ikke votert over " + ", ".join(f"«{f}»" for f in unvoted))
        rule(here + ("voteringer",), f"sak {behandling.sak} har ikke noe vedtak: {why}, og ingen status "
                                     "(utsatt eller trukket)")
    elif len(winners) > 1:
        rule(here + ("voteringer",), f"sak {behandling.sak}: flere forslag ble vedtatt ("
             + ", ".join(winners) + "); bare ett av dem kan være vedtaket: skriv «tillegg: "
             "true» på et forslag som ble vedtatt i tillegg")
    if behandling.vedtak and not vedtak and not behandling.status:
        rule(here + ("vedtak",), f"sak {behandling.sak} har et vedtak, men ingen votering der et forslag ble vedtatt")
    if behandling.vedtak and vedtak and not same_text(
            behandling.vedtak, vedtak, reference_values(mappe, case_figures(mappe), "nb") if mappe else {}):
        rule(here + ("vedtak",), f"vedtaket i sak {behandling.sak} er ikke teksten til forslaget som ble vedtatt "
                                 f"(«{winners[-1]}»); la «vedtak» stå tomt, så settes teksten inn")
    if not unloaded:
        _check_references(behandling, mappe, here, rule)
    return SakensBehandling(behandling, mappe, tuple(counted), vedtak, chair, closing,
                            winners[-1] if winners else None, bortfalt, innstilling, unvoted_additions)


def _case_chair(model: Motebok, behandling: Behandling, utvalg: Utvalg, entitled: list[str], here: tuple, rule) -> str:
    """Return who chaired while a case was treated: the møteleder, unless inhabil in the case;
    then the nestleder (or the leder) if able, else a member the meeting chose."""
    own = behandling.moteleder
    if own is None:
        if model.moteleder not in entitled:
            why = "ikke til stede under" if model.moteleder in behandling.ikke_til_stede else "inhabil i"
            rule(here + ("sak",), f"møtelederen {model.moteleder} var {why} sak {behandling.sak}; skriv hvem "
                                  "som ledet møtet under saken («møteleder:» under saken)")
        return model.moteleder
    if model.moteleder in entitled:
        rule(here + ("møteleder",), f"{model.moteleder} ledet møtet og var ikke inhabil i sak {behandling.sak}, så "
                                    f"saken har ingen egen møteleder")
    elif own not in entitled:
        rule(here + ("møteleder",), f"«{own}» kunne ikke lede møtet under sak {behandling.sak} (møtte ikke, eller var "
                                    "inhabil)")
    else:
        for role in ("leder", "nestleder"):
            able = next((m.navn for m in utvalg.medlemmer if m.rolle == role and m.navn in entitled
                         and m.navn in model.til_stede), None)
            if able is not None:
                if own != able:
                    rule(here + ("møteleder",), f"{able} er {role} og kunne lede møtet under sak {behandling.sak}, "
                                                f"ikke {own}")
                break
    return own


def _check_alternative(votering: Votering, where: tuple, behandling: Behandling, texts: dict, additions: set,
                       rule) -> None:
    """An alternativ votering sets two forslag against each other: the other is one of the case's,
    not the same, not a tilleggsforslag, and voted on nowhere else."""
    other = votering.alternativ
    if other is None:
        return
    if other == votering.forslag:
        rule(where + ("alternativ",), f"«alternativ: {other}» er det samme forslaget som voteringen gjelder")
    elif other not in texts:
        rule(where + ("alternativ",), f"«alternativ: {other}» er ikke et forslag i saken (kjente: {', '.join(texts) or 'ingen'})")
    elif other in additions or votering.forslag in additions:
        rule(where + ("alternativ",), "et tilleggsforslag voteres over for seg, ikke alternativt mot et annet forslag")
    elif votering.valg:
        rule(where + ("alternativ",), "et valg har kandidater, ikke alternative forslag: skriv en votering per kandidat")
    elif sum(other in (v.forslag, v.alternativ) for v in behandling.voteringer) > 1:
        rule(where + ("alternativ",), f"det er votert over forslaget «{other}» mer enn én gang i sak {behandling.sak}")


def _why_not_entitled(name: str, behandling: Behandling, party_of: dict[str, str], entitled: list[str]) -> str:
    """Say why a name that voted could not: inhabil, away during the case, not at the meeting, or no
    one of the body's members and varamedlemmer at all (most likely a misspelling)."""
    if any(i.navn == name for i in behandling.inhabile):
        return f"var inhabil i sak {behandling.sak}"
    if name in behandling.ikke_til_stede:
        return f"var ikke til stede under behandlingen av sak {behandling.sak}"
    if name in party_of:
        return "møtte ikke (står ikke under «til_stede» eller som varamedlem som møtte)"
    return f"er ikke medlem eller varamedlem i utvalget{mente_du(name, entitled, 0.8, last_word=True)}"


def _count(votering: Votering, tekst: str | None, where: tuple, behandling: Behandling, entitled: list[str], chair: str,
           party_of: dict[str, str], rule) -> Stemmer:
    """Count one votering: every entitled member votes once and nobody else; the result follows
    the count, a tie decided by the chair's vote (kommuneloven § 11-9). In an election a member
    may vote blank (counted for neither side) and a tie is decided by drawing lots, which the
    møtebok must record."""
    against, blank = list(votering.mot), list(votering.blanke)
    voting_for = ([n for n in entitled if n not in against and n not in blank] if votering.for_ == "alle"
                  else list(votering.for_))
    if blank and not votering.valg:
        rule(where + ("blanke",), "blanke stemmer godtas bare ved valg og ansettelser (kommuneloven § 8-1 andre ledd); skriv "
                                  "«valg: true» hvis voteringen er et valg")
    cast = [*voting_for, *against, *blank]
    listed = [(("for", i), n) for i, n in enumerate(votering.for_)] if votering.for_ != "alle" else []
    listed += [(("mot", i), n) for i, n in enumerate(against)] + [(("blanke", i), n) for i, n in enumerate(blank)]
    for place, name in listed:
        if name not in entitled and name not in [n for _, n in listed[:listed.index((place, name))]]:
            rule(where + place, f"«{name}» stemte, men {_why_not_entitled(name, behandling, party_of, entitled)}")
    twice = sorted({n for n in cast if cast.count(n) > 1})
    if twice:
        rule(where, "stemte mer enn én gang: " + ", ".join(twice))
    given = len({n for n in cast if n in entitled})
    if given != len(entitled):
        missing = [n for n in entitled if n not in cast]
        rule(where, f"{given} stemte, men {len(entitled)} kunne stemme; alle som er til stede, må stemme "
                    f"(kommuneloven § 8-1 andre ledd), og blanke stemmer godtas bare ved valg"
                    + (f": mangler {', '.join(missing)}" if missing else ""))
    tie = len(voting_for) == len(against)
    lots = tie and votering.valg
    if votering.loddtrekning and not lots:
        rule(where + ("loddtrekning",), "loddtrekning avgjør bare stemmelikhet i et valg; her var det "
                                        + ("ikke et valg" if not votering.valg else "ikke stemmelikhet"))
    if lots:
        if not votering.loddtrekning or votering.resultat is None:
            rule(where + ("resultat",), f"stemmelikhet ({len(voting_for)} mot {len(against)}) i et valg avgjøres ved "
                                        "loddtrekning, ikke av møtelederens stemme: skriv «loddtrekning: true» og "
                                        "resultatet av loddtrekningen")
        won = votering.resultat == "vedtatt"
    else:
        won = len(voting_for) > len(against) or (tie and chair in voting_for)
        if votering.resultat is not None and (votering.resultat == "vedtatt") != won:
            rule(where + ("resultat",), f"forslaget «{votering.forslag}» fikk {len(voting_for)} mot {len(against)} "
                                        f"stemmer{' (møteleders dobbeltstemme)' if tie else ''} og {'ble vedtatt' if won else 'falt'}, men "
                                        f"møteboken sier «{votering.resultat}»")
    return Stemmer(votering, tekst, tuple(voting_for), tuple(against), tuple(blank),
                   _by_party(voting_for, party_of), _by_party(against, party_of), won, tie and not lots, lots)


def _check_references(behandling: Behandling, mappe: Saksmappe | None, here: tuple, rule) -> None:
    """Report each reference in the møtebok's texts of a case that the case cannot fill: its
    budget figures and its agreement's paragraphs, as in the case's own texts; no tables; none
    at all for a case without a case file."""
    context = references.Context(
        has_budget=bool(mappe and mappe.prosjektskisser),
        paragrafer=tuple(p.id for v in (mappe.avtaler[:1] if mappe else []) for p in v.dokument.model.paragrafer))
    texts = [(("behandling",), behandling.behandling), (("vedtak",), behandling.vedtak),
             *((("forslag", j, "tekst"), f.tekst) for j, f in enumerate(behandling.forslag))]
    for path, text in texts:
        for ref in references.references(text or ""):
            if mappe is None and ref.kind != "kr":
                problem = f"«[[{ref.key}]]» viser til saken, men sak {behandling.sak} har ingen saksfil under cases/"
            else:
                problem = references.problem(ref, context)
            if problem is None and ref.kind == "figure" and references.NAMES.get(ref.name) == "tabell":
                problem = f"«[[{ref.key}]]» er en tabell, og tabeller står i saksdokumentene, ikke i møteboken"
            if problem:
                rule(here + path, problem)
        for _, written in references.half_written(text or ""):
            rule(here + path, references.half_message(written))
