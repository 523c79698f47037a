"""The case format: what a caseworker may write in cases/*.yaml, as pydantic models.

Field names are ASCII; the YAML keys (aliases) are the words a caseworker writes.
Unknown keys are errors, so a typo never drops text silently. Descriptions are
Norwegian: they end up in `makecase schema`, which editors show while typing.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from generator.values import ArkivsaksnummerFelt, Dato, Klokkeslett, SaksnummerFelt, xml_safe

Tekst = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(xml_safe)]
#: Prose in the Markdown subset (paragraphs, headings, bold, italic, lists, tables).
Prosa = Annotated[str, StringConstraints(min_length=1), AfterValidator(xml_safe)]
Malform = Literal["bokmål", "nynorsk"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Deltakerkommune(Model):
    navn: Tekst = Field(description="Kommunens navn, f.eks. Røros")
    kommunestyre: Tekst | None = Field(
        None, description="Navnet på kommunestyret; standard er «Kommunestyret i <navn>»"
    )
    malform: Malform | None = Field(None, alias="målform", description="bokmål eller nynorsk")

    @property
    def kommunestyre_navn(self) -> str:
        return self.kommunestyre or f"Kommunestyret i {self.navn}"


class Utvalg(Model):
    navn: Tekst = Field(description="Utvalgets navn, f.eks. Kommunedirektørutvalget i Trøndelag Sør")
    malform: Malform | None = Field(None, alias="målform", description="bokmål eller nynorsk")


class Organisasjon(Model):
    """cases/organisasjon.yaml: the council (or municipality) that owns the cases."""

    navn: Tekst = Field(description="Organisasjonens navn, brukes i topptekst og metadata")
    malform: Malform = Field("bokmål", alias="målform", description="bokmål (standard) eller nynorsk")
    deltakerkommuner: list[Deltakerkommune] = Field(default_factory=list, description="Medlemskommunene")
    utvalg: list[Utvalg] = Field(min_length=1, description="Organisasjonens utvalg og organer")

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


class Saksgangsteg(Model):
    utvalg: Tekst = Field(description="Utvalget som behandler saken")
    motedato: Dato | None = Field(None, alias="møtedato", description="Møtedato, f.eks. 18.08.2020")
    utvalgssak: SaksnummerFelt | None = Field(None, description="Saksnummeret i dette utvalget, f.eks. 24/20")


class Saksdokument(Model):
    nr: int = Field(ge=1, description="Dokumentnummer i arkivsaken")
    type: Literal["I", "U", "N", "X", "S"] = Field(
        description="Journalposttype: I inngående, U utgående, N notat, X internt, S saksframlegg"
    )
    tittel: Tekst


class Vedlegg(Model):
    tittel: Tekst = Field(description="Vedleggets tittel")


class Sak(Model):
    """cases/<år>/*.yaml: one utvalgssak and its saksframlegg."""

    sak: SaksnummerFelt = Field(description="Utvalgssaksnummer, f.eks. 24/20")
    tittel: Tekst = Field(description="Sakens tittel")
    arkivsak: ArkivsaksnummerFelt | None = Field(None, description="Arkivsaksnummer, f.eks. 2020/18145-1")
    saksbehandler: Tekst | None = Field(None, description="Saksbehandlerens navn")
    saksgang: list[Saksgangsteg] = Field(min_length=1, description="Utvalgene som behandler saken, i rekkefølge")
    dokumenter: list[Saksdokument] = Field(default_factory=list, description="Dokumenter i saken")
    vedlegg: list[Vedlegg] = Field(default_factory=list, description="Vedlegg til saksframlegget, i rekkefølge")
    saksopplysninger: Prosa | None = Field(None, description="Saksopplysninger (Markdown)")
    vurdering: Prosa | None = Field(None, description="Vurdering (Markdown)")
    innstilling: Prosa | None = Field(None, description="Kommunedirektørens innstilling (Markdown); utelates i drøftingssaker")


#: Each kind of case file, by the name `makecase schema` knows it by.
FILE_KINDS: dict[str, type[Model]] = {"sak": Sak, "møte": Mote, "organisasjon": Organisasjon}
