"""YAML data → the case format's pydantic models: what a caseworker may write in cases/*.yaml.

Field names are ASCII; the YAML keys (aliases) are the words a caseworker writes.
Unknown keys are errors, so a typo never drops text silently. Descriptions are
Norwegian: they end up in `makecase skjema`, which editors show while typing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from generator.domain import glyphs
from generator.domain import hjemler
from generator.domain.messages import found
from generator.load.yamlread import Folded
from generator.domain.values import ArkivsaksnummerFelt, Belop, Dato, Klokkeslett, Prosent, SaksnummerFelt
from generator.xmltext import xml_safe


def printable(text: str) -> str:
    """Refuse a character no font of the documents can draw, or one that reorders the text."""
    problem = glyphs.problem(text)
    if problem:
        raise PydanticCustomError("makecase", problem)
    return text


#: Characters that show nothing on their own: controls, format characters (zero-width space,
#: soft hyphen, bidi marks), separators and combining marks without a base.
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
#: Letters and symbols that are drawn blank: braille blank, the Hangul fillers, Khmer's inherent vowels.
_BLANK = frozenset("\u2800\u3164\u115f\u1160\uffa0\u17b4\u17b5")


def visible(text: str) -> str:
    """Refuse a text with nothing to see: it would be an empty title in the documents and an
    empty element the archive's schema refuses."""
    if text and not any(unicodedata.category(c) not in _INVISIBLE and c not in _BLANK for c in text):
        raise PydanticCustomError("makecase", "teksten har ingen synlige tegn (bare mellomrom, usynlige tegn eller kontrolltegn)")
    return text


_BLOCK_HINT = "skriv «|» etter feltnavnet og teksten på linjene under, med innrykk"


def prose_input(value: object) -> object:
    """Refuse what YAML made of prose written without `|`: a group of fields or a list (lines
    read as structure), or a text folded from several lines (paragraphs merged, `#` headings
    read as comments). Each would lose text without a word."""
    if isinstance(value, dict):
        raise PydanticCustomError("makecase", "forventet tekst, fant en gruppe felt (nøkkel: verdi): YAML leste linjer "
                                  f"med «: » som felt; {_BLOCK_HINT}")
    if isinstance(value, list):
        raise PydanticCustomError("makecase", "forventet tekst, fant en liste: YAML leste linjer som begynner med «- » "
                                  f"som en liste; {_BLOCK_HINT}")
    if isinstance(value, Folded):
        raise PydanticCustomError("makecase", "teksten står uten «|», så YAML slår sammen linjene og avsnittene og leser "
                                  f"«#»-overskrifter som kommentarer; {_BLOCK_HINT}")
    return value


def prose_structure(text: str) -> str:
    """Refuse prose nested deeper than the documents show (see prose.structure_problem)."""
    from generator.domain import prose  # markdown-it: loaded when a text is checked, not for --help

    problem = prose.structure_problem(text)
    if problem:
        offset, message = problem
        raise PydanticCustomError("makecase", message, {"linje": offset})
    return text


#: The longest short text (a title, a name, a line): PDF/A caps a metadata string at 32 767 bytes,
#: and no title a caseworker writes comes near this.
MAX_TEKST = 1000
Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEKST), AfterValidator(xml_safe),
                  AfterValidator(printable), AfterValidator(visible)]
#: Prose in the Markdown subset (paragraphs, headings, bold, italic, lists, tables).
Prosa = Annotated[str, BeforeValidator(prose_input), StringConstraints(min_length=1), AfterValidator(xml_safe),
                  AfterValidator(printable), AfterValidator(visible), AfterValidator(prose_structure)]
#: A legal basis for a closed case, in the catalogue's spelling (see generator.domain.hjemler; the
#: catalogue itself is checked when the case is loaded, with the organisation's additions).
Hjemmel = Annotated[Tekst, AfterValidator(hjemler.normalise)]
Malform = Literal["bokmål", "nynorsk"]
Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9æøå][a-z0-9æøå_-]*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Deltakerkommune(Model):
    navn: Tekst = Field(description="Kommunens navn, f.eks. Røros")
    kommunestyre: Tekst | None = Field(
        None, description="Navnet på kommunestyret; standard er «Kommunestyret i <navn>»"
    )
    malform: Malform | None = Field(None, alias="målform", description="bokmål eller nynorsk")

    @property
    def kommunestyre_navn(self) -> str:
        return self.kommunestyre or f"Kommunestyret i {self.navn}"


class Medlem(Model):
    """A member of a body, with the party or list that seats them."""

    navn: Tekst = Field(description="Medlemmets navn")
    parti: Tekst | None = Field(None, description="Partiet eller listen; i et administrativt utvalg f.eks. kommunen")
    rolle: Literal["leder", "nestleder", "medlem"] = Field("medlem", description="leder, nestleder eller medlem")


class Varamedlem(Model):
    """A substitute; those of one party or list are called in the order they are written."""

    navn: Tekst = Field(description="Varamedlemmets navn")
    parti: Tekst | None = Field(None, description="Partiet eller listen varamedlemmet står på")


class Utvalg(Model):
    navn: Tekst = Field(description="Utvalgets navn, f.eks. Kommunedirektørutvalget i Trøndelag Sør")
    malform: Malform | None = Field(None, alias="målform", description="bokmål eller nynorsk")
    medlemmer: list[Medlem] = Field(default_factory=list, description="Utvalgets faste medlemmer")
    varamedlemmer: list[Varamedlem] = Field(
        default_factory=list, description="Varamedlemmene, i den rekkefølgen de kalles inn for hvert parti eller hver liste"
    )


class Brevhode(Model):
    """The letterhead every document draws, in the Word and in the PDF templates alike."""

    logo: Tekst | None = Field(None, description="Logoen: en SVG- eller PNG-fil under cases/, f.eks. brevhode/logo.svg")
    logo_tekst: Tekst | None = Field(
        None, description="Hva logoen viser, med ord (skjermlesere leser den); påkrevd når det er en logo"
    )
    linjer: list[Tekst] = Field(default_factory=list, description="Linjene under navnet: adresse, nettside, e-post")
    utvalg: dict[str, list[Tekst]] = Field(
        default_factory=dict, description="Ekstra linjer i dokumentene til ett utvalg, f.eks. utvalgets sekretær"
    )

    @model_validator(mode="after")
    def _logo_described(self):
        if self.logo and not self.logo_tekst:
            raise PydanticCustomError("makecase", "logo_tekst mangler: beskriv logoen med ord, for skjermlesere")
        return self


class Organisasjon(Model):
    """cases/organisasjon.yaml: the council (or municipality) that owns the cases."""

    navn: Tekst = Field(description="Organisasjonens navn, brukes i topptekst og metadata")
    brevhode: Brevhode | None = Field(None, description="Brevhodet: logo og linjene under navnet, i DOCX og PDF")
    malform: Malform = Field("bokmål", alias="målform", description="bokmål (standard) eller nynorsk")
    deltakerkommuner: list[Deltakerkommune] = Field(default_factory=list, description="Medlemskommunene")
    utvalg: list[Utvalg] = Field(min_length=1, description="Organisasjonens utvalg og organer")
    http_lenker: bool = Field(
        False, description="true når lenker med http: (uten s) skal bli lenker i dokumentene; ellers blir de vanlig tekst"
    )
    hjemler: list[Hjemmel] = Field(
        default_factory=list,
        description="Hjemler for unntak fra innsyn som kommer i tillegg til offentleglova §§ 13–26, "
                    "f.eks. «offl. § 13 jf. barnevernsloven § 13-1»",
    )

    def kjente_utvalg(self) -> list[str]:
        """Return every body a saksgang may name: our own bodies and each member's kommunestyre."""
        return [u.navn for u in self.utvalg] + [k.kommunestyre_navn for k in self.deltakerkommuner]


class Mote(Model):
    """cases/moter/*.yaml: one meeting of one body, with its saksliste in order."""

    utvalg: Tekst = Field(description="Utvalget som møtes")
    motedato: Dato = Field(alias="møtedato", description="Møtedato, f.eks. 18.08.2020")
    motested: Tekst = Field(alias="møtested", description="Møtested, f.eks. Teams")
    starttid: Klokkeslett = Field(description="Når møtet begynner, f.eks. 14:00")
    sluttid: Klokkeslett | None = Field(None, description="Når møtet slutter, f.eks. 15:30")
    saker: list[SaksnummerFelt] = Field(min_length=1, description="Sakene på sakslisten, i rekkefølge")


class Forfall(Model):
    navn: Tekst = Field(description="Medlemmet som hadde forfall")
    grunn: Tekst | None = Field(None, description="Grunnen til forfallet, når den er oppgitt")


class Varamote(Model):
    """A substitute who met, and whom they replaced."""

    navn: Tekst = Field(description="Varamedlemmet som møtte")
    for_: Tekst = Field(alias="for", description="Medlemmet varamedlemmet møtte for (med forfall)")
    grunn: Tekst | None = Field(None, description="Hvorfor et varamedlem lenger ned på listen ble kalt inn")


class Forslag(Model):
    id: Id = Field(description="Kort navn voteringen viser til, f.eks. a")
    fremmet_av: Tekst = Field(description="Hvem som fremmet forslaget")
    parti: Tekst | None = Field(None, description="Forslagsstillerens parti eller liste")
    tekst: Prosa = Field(description="Forslagets tekst (Markdown)")
    tillegg: bool = Field(False, description="true for et tilleggsforslag: vedtas det, står teksten etter forslaget "
                                             "som ble vedtatt, i vedtaket")


def _alle_eller_navn(value: object) -> object:
    """Return «alle» however it is written, or a list as it is; anything else is refused in one
    message (pydantic would give one per way the value could have been, in its own notation)."""
    if isinstance(value, list):
        return value
    if isinstance(value, str) and value.strip().casefold() == "alle":
        return "alle"
    raise PydanticCustomError("makecase", "skriv «alle» eller en liste med navn (linjer som begynner med «- »), fant {verdi}",
                              {"verdi": found(value)})


class Votering(Model):
    """A vote for or against one proposal; names, so that the party breakdown is computed."""

    forslag: Id = Field(description="innstillingen, eller id-en til et forslag")
    for_: Annotated[list[Tekst] | Literal["alle"], BeforeValidator(_alle_eller_navn)] = Field(
        alias="for", description="Hvem som stemte for (navn), eller «alle» som ikke står under «mot»"
    )
    mot: list[Tekst] = Field(default_factory=list, description="Hvem som stemte mot (navn); ved valg: for en annen kandidat")
    blanke: list[Tekst] = Field(default_factory=list, description="Hvem som stemte blankt (navn); bare ved valg og ansettelser")
    valg: bool = Field(False, description="true når voteringen er et valg eller en ansettelse (kommuneloven § 8-1 andre ledd: blanke stemmer er lov)")
    loddtrekning: bool = Field(False, description="true når stemmelikhet i et valg ble avgjort ved loddtrekning")
    resultat: Literal["vedtatt", "falt"] | None = Field(None, description="vedtatt eller falt; regnes ut når det mangler")
    alternativ: Id | None = Field(
        None, description="Ved alternativ votering: forslaget de som stemte mot, stemte for (faller «forslag», er det vedtatt)")


def _checked(problem):
    """Return a validator that refuses a hjemmel `problem` finds fault with, in its words."""
    def check(value: str) -> str:
        found_fault = problem(value)
        if found_fault:
            raise PydanticCustomError("makecase", found_fault)
        return value
    return AfterValidator(check)


class Inhabil(Model):
    navn: Tekst = Field(description="Medlemmet som var inhabilt i saken")
    hjemmel: Annotated[Tekst, _checked(hjemler.inhabilitet_problem)] = Field(
        description="Forvaltningsloven § 6 eller kommuneloven § 11-10, f.eks. fvl. § 6 første ledd bokstav a")
    erstattet_av: Tekst | None = Field(None, description="Varamedlemmet som tok plassen i denne saken")


class Lukking(Model):
    hjemmel: Annotated[Tekst, _checked(hjemler.lukking_problem)] = Field(
        description="Hjemmelen for å lukke møtet: kommuneloven § 11-5 andre eller tredje ledd med bokstav, "
                    "f.eks. kommuneloven § 11-5 andre ledd bokstav a")
    votering: Votering | None = Field(None, description="Voteringen om å lukke møtet (forslag: lukking)")


class Behandling(Model):
    """One case as the meeting treated it."""

    sak: SaksnummerFelt = Field(description="Saksnummeret på sakslisten, f.eks. 24/20")
    tatt_opp_i_motet: bool = Field(False, alias="tatt_opp_i_møtet", description="true for en sak som ikke sto på sakslisten")
    moteleder: Tekst | None = Field(
        None, alias="møteleder", description="Hvem som ledet møtet under saken, når møtelederen var inhabil"
    )
    lukking: Lukking | None = Field(None, description="Vedtaket om å lukke møtet under saken (kommuneloven § 11-5)")
    inhabile: list[Inhabil] = Field(default_factory=list, description="Medlemmer som var inhabile i saken")
    ikke_til_stede: list[Tekst] = Field(
        default_factory=list, description="De som møtte, men ikke var til stede under saken (kom senere, gikk tidligere "
                                          "eller fikk permisjon): de stemmer ikke, og teller ikke for vedtaksførheten")
    behandling: Prosa | None = Field(None, description="Hva som skjedde i saken (Markdown)")
    forslag: list[Forslag] = Field(default_factory=list, description="Forslag i tillegg til innstillingen")
    voteringer: list[Votering] = Field(default_factory=list, description="Voteringene, i rekkefølge")
    vedtak: Prosa | None = Field(
        None, description="Vedtaket; regnes ut fra forslaget som ble vedtatt, og må være likt det når det skrives"
    )
    status: Literal["utsatt", "trukket"] | None = Field(
        None, description="utsatt eller trukket, i stedet for vedtak (en sak kan utsettes ved votering)")
    grunn: Tekst | None = Field(None, description="Hvorfor saken ble utsatt eller trukket")

    @model_validator(mode="after")
    def _status_has_reason(self):
        if self.status and not self.grunn:
            raise PydanticCustomError("makecase", "grunn mangler: skriv hvorfor saken ble utsatt eller trukket")
        return self


class Motebok(Model):
    """cases/moter/*.motebok.yaml: the record of a meeting (kommuneloven § 11-4)."""

    utvalg: Tekst = Field(description="Utvalget som møttes (som i møtefilen)")
    motedato: Dato = Field(alias="møtedato", description="Møtedato (som i møtefilen)")
    apnet: Klokkeslett = Field(alias="åpnet", description="Når møtet ble satt, f.eks. 14:00")
    hevet: Klokkeslett = Field(description="Når møtet ble hevet, f.eks. 15:30")
    moteleder: Tekst = Field(alias="møteleder", description="Hvem som ledet møtet")
    protokollforer: Tekst = Field(alias="protokollfører", description="Hvem som førte protokollen")
    til_stede: list[Tekst] = Field(min_length=1, description="Faste medlemmer som møtte")
    forfall: list[Forfall] = Field(default_factory=list, description="Medlemmer med forfall")
    varamedlemmer: list[Varamote] = Field(default_factory=list, description="Varamedlemmer som møtte, og for hvem")
    saker: list[Behandling] = Field(min_length=1, description="Sakene møtet behandlet, i rekkefølge")
    signerer: list[Tekst] = Field(
        default_factory=list, description="Hvem som signerer møteboken etter utvalgets reglement; standard er møtelederen"
    )
    godkjent: Dato | None = Field(None, description="Datoen møteboken ble godkjent, når den er det")


class Saksgangsteg(Model):
    utvalg: Tekst = Field(description="Utvalget som behandler saken")
    motedato: Dato | None = Field(None, alias="møtedato", description="Møtedato, f.eks. 18.08.2020")
    utvalgssak: SaksnummerFelt | None = Field(None, description="Saksnummeret i dette utvalget, f.eks. 24/20")
    vedtak: Prosa | None = Field(None, description="Vedtaket utvalget gjorde i saken, når det er kommet (Markdown)")
    innstilling: Prosa | None = Field(
        None, description="Innstillingen til dette utvalget, når den er en annen enn sakens (etter vedtaket i et "
                          "utvalg før, f.eks.) (Markdown)")
    status: Literal["utsatt", "trukket", "uten_vedtak"] | None = Field(
        None, description="utsatt, trukket eller uten_vedtak (alle forslagene falt), når møtet ikke gjorde vedtak i "
                          "saken (i stedet for vedtak)")

    @model_validator(mode="after")
    def _vedtak_or_status(self):
        if self.vedtak and self.status:
            raise PydanticCustomError("makecase", "et steg har enten et vedtak eller en status (utsatt, trukket eller "
                                                  "uten_vedtak), ikke begge")
        return self


class Saksdokument(Model):
    nr: int = Field(ge=1, description="Dokumentnummer i arkivsaken")
    type: Literal["I", "U", "N", "X", "S"] = Field(
        description="Journalposttype: I inngående, U utgående, N organinternt dokument for oppfølging, X organinternt dokument uten oppfølging, S saksframlegg"
    )
    tittel: Tekst


class LukketVedlegg(Model):
    """A vedlegg kept out of the public edition of an open case (a letter with personal information)."""

    hjemmel: Hjemmel = Field(description="Hjemmel for unntak fra innsyn, f.eks. «offl. § 13 jf. fvl. § 13 første ledd nr. 1»")
    offentlig_tittel: Tekst | None = Field(
        None, description="Tittelen som kan vises offentlig (i saksframlegget, den offentlige møtepakken og arkivet), "
                          "når vedleggets tittel selv sier noe som er unntatt, f.eks. «Brev fra privatperson»")


class Vedlegg(Model):
    """One attachment: listed by its title, a document of its own under cases/, or a PDF file
    (a letter, a report, a scan) with its title."""

    tittel: Tekst | None = Field(None, description="Vedleggets tittel (påkrevd for en PDF-fil, ellers bare når vedlegget listes)")
    fil: Tekst | None = Field(
        None, description="Vedleggsfil, relativt til cases/: et dokument (f.eks. vedlegg/2020/24-20-prosjektskisse.yaml) "
                          "eller en PDF-fil (f.eks. vedlegg/2020/brev-fra-fylket.pdf)"
    )
    lukket: LukketVedlegg | None = Field(None, description="Når vedlegget er unntatt offentlighet i en åpen sak")

    @property
    def er_pdf(self) -> bool:
        return bool(self.fil) and self.fil.lower().endswith(".pdf")

    @model_validator(mode="after")
    def _one_of(self) -> "Vedlegg":
        if self.er_pdf:
            if self.tittel is None:
                raise PydanticCustomError("makecase", "tittel mangler: en PDF-fil som vedlegg må ha en tittel")
        elif (self.tittel is None) == (self.fil is None):
            raise PydanticCustomError("makecase", "skriv enten «tittel» eller «fil» for et vedlegg (ett av dem; "
                                                  "begge bare for en PDF-fil)")
        return self


class Lukket(Model):
    """A closed case (unntatt offentlighet): the public sees only number, public title and legal basis."""

    hjemmel: Hjemmel = Field(
        description="Hjemmel for unntak fra innsyn: offentleglova §§ 13–26 (med ledd), f.eks. «offl. § 23 første ledd» "
                    "eller «offl. § 13 jf. fvl. § 13 første ledd nr. 1», eller en hjemmel fra organisasjon.yaml"
    )
    offentlig_tittel: Tekst = Field(description="Tittelen som kan vises offentlig, f.eks. Personalsak")


class Sak(Model):
    """cases/<år>/*.yaml: one utvalgssak and its saksframlegg."""

    sak: SaksnummerFelt = Field(description="Utvalgssaksnummer, f.eks. 24/20; unikt innen utvalget og året")
    utvalg: Tekst | None = Field(
        None, description="Utvalget som har gitt saken nummeret; standard er det første utvalget i saksgangen"
    )
    tittel: Tekst = Field(description="Sakens tittel")
    arkivsak: ArkivsaksnummerFelt | None = Field(None, description="Arkivsaksnummer, f.eks. 2020/18145-1")
    delt_arkivsak: bool = Field(
        False, description="true når flere saker hører til samme arkivsak (hver med sitt dokumentnummer, -1, -2 …)"
    )
    saksbehandler: Tekst | None = Field(None, description="Saksbehandlerens navn")
    saksgang: list[Saksgangsteg] = Field(min_length=1, description="Utvalgene som behandler saken, i rekkefølge")
    dokumenter: list[Saksdokument] = Field(default_factory=list, description="Dokumenter i saken")
    vedlegg: list[Vedlegg] = Field(default_factory=list, description="Vedlegg til saksframlegget, i rekkefølge")
    saksopplysninger: Prosa | None = Field(None, description="Saksopplysninger (Markdown)")
    vurdering: Prosa | None = Field(None, description="Vurdering (Markdown)")
    innstilling: Prosa | None = Field(None, description="Kommunedirektørens innstilling (Markdown); utelates i drøftingssaker")
    lukket: Lukket | None = Field(None, description="Fylles ut når saken er unntatt offentlighet")

    @property
    def eget_utvalg(self) -> str:
        """The body whose number series the case number belongs to."""
        return self.utvalg or self.saksgang[0].utvalg

    def innstilling_til(self, utvalg: str, motedato: dt.date | None) -> str | None:
        """Return the innstilling put before a body's meeting: that step's own, else the case's (a
        body that treats the case twice may get another innstilling the second time)."""
        steg = next((s for s in self.saksgang if s.utvalg == utvalg and s.motedato == motedato), None)
        return (steg.innstilling if steg is not None else None) or self.innstilling

    def nummer_i(self, utvalg: str, motedato: dt.date | None = None):
        """Return the case's number in a body's series: its own number in its own utvalg, else the
        utvalgssak of its step in that body, at the meeting on `motedato` where given (a body that
        treats a case twice gives it a number each time; None if the saksgang gives it none)."""
        if utvalg == self.eget_utvalg:
            return self.sak
        steps = [s for s in self.saksgang if s.utvalg == utvalg and s.utvalgssak]
        chosen = [s for s in steps if s.motedato == motedato] if motedato is not None else []
        chosen = chosen or steps
        return chosen[0].utvalgssak if chosen else None

    def numre_i(self, utvalg: str) -> set:
        """Return every number a body gave the case (its own number in its own utvalg)."""
        found = {s.utvalgssak for s in self.saksgang if s.utvalg == utvalg and s.utvalgssak}
        return found | ({self.sak} if utvalg == self.eget_utvalg else set())


class Tilskuddsordning(Model):
    """A grant scheme and its self-financing requirement; data, so a new scheme needs no code."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9æøå][a-z0-9æøå_-]*$")] = Field(
        description="Kort navn som prosjektskisser viser til, f.eks. kmd-kompetansepiloter"
    )
    navn: Tekst = Field(description="Ordningens navn, f.eks. Kompetansepiloter")
    egenfinansiering_minst: Prosent = Field(description="Minste egenfinansiering i prosent, f.eks. 30")
    tilskudd_hoyst: Prosent | None = Field(
        None, alias="tilskudd_høyst", description="Største tilskudd i prosent; standard er 100 minus egenfinansiering_minst"
    )

    @property
    def tilskudd_maks(self):
        return self.tilskudd_hoyst if self.tilskudd_hoyst is not None else 100 - self.egenfinansiering_minst


class Tilskuddsordninger(Model):
    """cases/tilskuddsordninger.yaml: the grant schemes prosjektskisser may refer to."""

    ordninger: list[Tilskuddsordning] = Field(min_length=1)


class Utgift(Model):
    post: Tekst = Field(description="Utgiftspost, f.eks. Reisevirksomhet")
    belop: Belop = Field(alias="beløp", description="Beløp i kroner, med eller uten øre: 15000, 15 000 eller 15 000,50")


class Finansieringskilde(Model):
    kilde: Tekst = Field(description="Hvem som finansierer, f.eks. Kommunal- og moderniseringsdepartementet")
    art: Literal["tilskudd", "kontant", "egeninnsats"] = Field(
        description="tilskudd, eller egenfinansiering som kontant eller egeninnsats (timer)"
    )
    belop: Belop = Field(alias="beløp", description="Beløp i kroner, med eller uten øre: 420000, 420 000 eller 420 000,50")

    @property
    def egenfinansiering(self) -> bool:
        return self.art != "tilskudd"


class Budsjett(Model):
    utgifter: list[Utgift] = Field(min_length=1, description="Utgiftspostene; summen regnes ut")
    finansiering: list[Finansieringskilde] = Field(min_length=1, description="Finansieringen; summen og andelene regnes ut")


class Prosjektskisse(Model):
    """cases/vedlegg/**: a project sketch with budget and financing plan."""

    type: Literal["prosjektskisse"]
    tittel: Tekst
    undertittel: Tekst | None = None
    forfatter: Tekst | None = Field(None, description="F.eks. «v/Mari Løvli Yri»")
    tilskuddsordning: Tekst = Field(description="id-en til en ordning i tilskuddsordninger.yaml")
    tekst: Prosa = Field(description="Skissens tekst (Markdown); kan vise til tall som [[sum_utgifter]]")
    budsjett: Budsjett

    @property
    def full_tittel(self) -> str:
        return f"{self.tittel} – {self.undertittel}" if self.undertittel else self.tittel


class Lovpunkt(Model):
    id: Id = Field(description="Punktets bokstav eller id, f.eks. h")
    tekst: Tekst = Field(description="Hva avtalen må si noe om, f.eks. hvordan rådet skal oppløses")
    tekst_nynorsk: Tekst | None = Field(default=None, description="Det samme på nynorsk, til dokumenter på nynorsk")

    def i(self, malform: str) -> str:
        """Return the point's text in a målform (bokmål where no nynorsk is given)."""
        return self.tekst_nynorsk if malform == "nynorsk" and self.tekst_nynorsk else self.tekst


class Lovkrav(Model):
    """cases/lovkrav/*.yaml: a law's list of what an agreement must state; data, not code."""

    id: Id = Field(description="Kort navn avtaler viser til, f.eks. kommuneloven-18-4")
    navn: Tekst = Field(description="F.eks. kommuneloven § 18-4")
    navn_nynorsk: Tekst | None = Field(default=None, description="Det samme på nynorsk, f.eks. kommunelova § 18-4")
    punkter: list[Lovpunkt] = Field(min_length=1)

    def navn_i(self, malform: str) -> str:
        """Return the law's name in a målform (bokmål where no nynorsk is given)."""
        return self.navn_nynorsk if malform == "nynorsk" and self.navn_nynorsk else self.navn


class Avtaleparagraf(Model):
    id: Id = Field(description="Kort navn andre tekster viser til med [[§ id]]")
    overskrift: Tekst = Field(description="Paragrafens overskrift, uten §-nummer (nummeret settes av makecase)")
    tekst: Prosa = Field(description="Paragrafens tekst (Markdown)")
    dekker: list[Id] = Field(default_factory=list, description="Lovpunktene paragrafen oppfyller, f.eks. [b, g]")


class Avvik(Model):
    punkt: Id = Field(description="Lovpunktet avtalen ikke oppfyller")
    begrunnelse: Tekst = Field(description="Hvorfor avviket godtas")
    besluttet_av: Tekst = Field(description="Hvem som har godtatt avviket, og når")


class Samarbeidsavtale(Model):
    """cases/vedlegg/**: an agreement of numbered paragraphs, checked against a law's list."""

    type: Literal["samarbeidsavtale"]
    tittel: Tekst
    lovkrav: Id | None = Field(None, description="id-en til en liste under cases/lovkrav/, f.eks. kommuneloven-18-4")
    paragrafer: list[Avtaleparagraf] = Field(min_length=1)
    avvik: list[Avvik] = Field(default_factory=list, description="Godtatte avvik fra lovkravene; står i saksframleggets vurdering")

    @property
    def full_tittel(self) -> str:
        return self.tittel


class Tekstvedlegg(Model):
    """cases/vedlegg/**: a free-text document (headings, paragraphs, lists, links)."""

    type: Literal["tekst"]
    tittel: Tekst
    undertittel: Tekst | None = None
    tekst: Prosa

    @property
    def full_tittel(self) -> str:
        return f"{self.tittel} – {self.undertittel}" if self.undertittel else self.tittel


#: The document types a vedlegg file may be, by its `type:`.
VEDLEGG_TYPES: dict[str, type[Model]] = {
    "prosjektskisse": Prosjektskisse,
    "samarbeidsavtale": Samarbeidsavtale,
    "tekst": Tekstvedlegg,
}

#: Each kind of case file, by the name `makecase skjema` knows it by.
FILE_KINDS: dict[str, type[Model]] = {
    "sak": Sak,
    "møte": Mote,
    "møtebok": Motebok,
    "organisasjon": Organisasjon,
    "prosjektskisse": Prosjektskisse,
    "samarbeidsavtale": Samarbeidsavtale,
    "tekst": Tekstvedlegg,
    "tilskuddsordninger": Tilskuddsordninger,
    "lovkrav": Lovkrav,
}
