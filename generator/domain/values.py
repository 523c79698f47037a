"""Text → the small value types of the domain: case numbers, archive numbers, amounts, dates, times.

Each parses the text a caseworker types and refuses anything else with a Norwegian
message; pydantic uses them through the annotated types at the bottom.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from dataclasses import dataclass
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from generator.domain.messages import found


def _shown(value: object) -> str:
    return f"«{value}»"


@dataclass(frozen=True, order=True)
class Saksnummer:
    """An utvalgssak number `løpenummer/år`, e.g. 24/20 (case 24 of 2020). Sorts by year, then number."""

    aar: int
    lopenummer: int

    PATTERN = r"^[0-9]{1,4}/[0-9]{2}$"

    @classmethod
    def parse(cls, text: object) -> "Saksnummer":
        """Return the number written as `24/20`; raise a Norwegian error for anything else."""
        if isinstance(text, Saksnummer):
            return text
        match = re.fullmatch(r"([0-9]{1,4})/([0-9]{2})", text.strip()) if isinstance(text, str) else None
        if not match or int(match.group(1)) == 0:
            raise PydanticCustomError(
                "saksnummer", "forventet et saksnummer som «24/20», fant {verdi}", {"verdi": _shown(text)}
            )
        return cls(aar=int(match.group(2)), lopenummer=int(match.group(1)))

    @property
    def slug(self) -> str:
        """The number as used in file names: 24-20."""
        return f"{self.lopenummer}-{self.aar:02d}"

    def __str__(self) -> str:
        return f"{self.lopenummer}/{self.aar:02d}"


@dataclass(frozen=True, order=True)
class Arkivsaksnummer:
    """An archive case number `saksår/sekvensnummer`, optionally with `-dokumentnummer`."""

    saksaar: int
    sekvensnummer: int
    dokumentnummer: int | None = None

    PATTERN = r"^[0-9]{4}/[0-9]{1,7}(-[0-9]{1,4})?$"

    @classmethod
    def parse(cls, text: object) -> "Arkivsaksnummer":
        """Return the number written as `2020/18145` or `2020/18145-1`."""
        if isinstance(text, Arkivsaksnummer):
            return text
        match = re.fullmatch(r"([0-9]{4})/([0-9]{1,7})(?:-([0-9]{1,4}))?", text.strip()) if isinstance(text, str) else None
        if not match:
            raise PydanticCustomError(
                "arkivsaksnummer",
                "forventet et arkivsaksnummer som «2020/18145» eller «2020/18145-1», fant {verdi}",
                {"verdi": _shown(text)},
            )
        doc = match.group(3)
        if doc and int(doc) == 0:
            raise PydanticCustomError("arkivsaksnummer", "dokumentnummeret begynner på 1 (som i «2020/18145-1»), fant {verdi}",
                                      {"verdi": _shown(text)})
        return cls(int(match.group(1)), int(match.group(2)), int(doc) if doc else None)

    @property
    def sak(self) -> str:
        """The case part alone, as the saksliste shows it: 2020/18145."""
        return f"{self.saksaar}/{self.sekvensnummer}"

    def __str__(self) -> str:
        return self.sak if self.dokumentnummer is None else f"{self.sak}-{self.dokumentnummer}"


#: The years a meeting date may have: a PDF's dates and the archive's need a real one.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse_dato(text: object) -> dt.date:
    """Return the date written as 18.08.2020 (or 2020-08-18); refuse impossible dates."""
    if isinstance(text, dt.date):
        return text
    if isinstance(text, str):
        for pattern, order in ((r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", (3, 2, 1)), (r"([0-9]{4})-([0-9]{2})-([0-9]{2})", (1, 2, 3))):
            match = re.fullmatch(pattern, text.strip())
            if match:
                year, month, day = (int(match.group(i)) for i in order)
                try:
                    date = dt.date(year, month, day)
                except ValueError:
                    raise PydanticCustomError("dato", "{verdi} er ikke en gyldig dato", {"verdi": _shown(text)}) from None
                if not FIRST_YEAR <= year <= LAST_YEAR:
                    raise PydanticCustomError("dato", f"urimelig år i {{verdi}}; året må være mellom {FIRST_YEAR} og {LAST_YEAR}",
                                              {"verdi": _shown(text)})
                return date
    raise PydanticCustomError(
        "dato", "forventet en dato som «18.08.2020», fant {verdi}", {"verdi": _shown(text)}
    )


def parse_klokkeslett(text: object) -> dt.time:
    """Return the time written as 14:00."""
    match = re.fullmatch(r"([0-9]{1,2})[:.]([0-9]{2})", text.strip()) if isinstance(text, str) else None
    if match and int(match.group(1)) < 24 and int(match.group(2)) < 60:
        return dt.time(int(match.group(1)), int(match.group(2)))
    raise PydanticCustomError(
        "klokkeslett", "forventet et klokkeslett som «14:00», fant {verdi}", {"verdi": _shown(text)}
    )


#: The largest amount makecase accepts (kr 10 milliarder): anything above is a typing error.
MAX_BELOP = Decimal(10_000_000_000)
ORE = Decimal("0.01")
#: An amount as a caseworker types it: 47250, 47 250, 47250.75 or 47 250,75 (digit groups of
#: three separated by a space, a no-break space or a thin or figure space, as Word and Excel
#: paste them; øre after a comma or a point).
BELOP_PATTERN = r"^(?:[0-9]{1,3}(?:[ \u00a0\u2007\u2009\u202f][0-9]{3})+|[0-9]+)(?:[.,][0-9]{1,2})?$"
_AMOUNT = re.compile(r"(?P<sign>-?)(?P<kroner>[0-9]{1,3}(?:[ \u00a0\u2007\u2009\u202f][0-9]{3})+|[0-9]+)(?:[.,](?P<ore>[0-9]+))?")
_FORMS = "f.eks. 600000, 47 250 eller 47 250,75"


def _number_shown(text: str) -> str:
    """Return a typed number in «», a long one cut short with its length (a 5 000-digit number
    would fill the terminal)."""
    return f"«{text}»" if len(text) <= 24 else f"«{text[:16]}…» ({len(text)} tegn)"


def parse_amount(value: object) -> Decimal:
    """Return an amount in kroner, exact to the øre, as typed: 47250, 47 250, 47250.75, 47 250,75.

    Whole amounts come back as whole Decimals (47250), amounts with øre with two decimals
    (47250.50), so that a figure shows øre exactly when it has them. Floats never reach here
    (generator.load.yamlread reads 47250.75 as text), so nothing is rounded on the way in.
    """
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    if text is None:
        raise PydanticCustomError("belop", f"forventet et beløp i kroner skrevet som et tall ({_FORMS}), fant {{verdi}}",
                                  {"verdi": found(value)})
    shown = {"verdi": _number_shown(text)}
    if re.fullmatch(r"[+-]?\.?(nan|inf|infinity)", text.casefold()):
        raise PydanticCustomError("belop", f"{{verdi}} er ikke et tall; skriv beløpet med sifre, {_FORMS}", shown)
    if re.fullmatch(r"[+-]?[0-9]*[.,]?[0-9]+[eE][+-]?[0-9]+", text):
        raise PydanticCustomError("belop", f"{{verdi}} er skrevet med eksponent; skriv beløpet ut med sifre, {_FORMS}", shown)
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise PydanticCustomError(
            "belop", f"forventet et beløp i kroner skrevet som et tall ({_FORMS}; uten «kr» og «,-»), fant {{verdi}}", shown)
    ore = match.group("ore") or ""
    if len(ore) > 2:
        raise PydanticCustomError("belop", "{verdi} har mer enn to desimaler; et beløp er kroner og øre, f.eks. "
                                  "47 250,75 (tusenskille skrives med mellomrom, ikke punktum)", shown)
    kroner = re.sub(r"[^0-9]", "", match.group("kroner")).lstrip("0") or "0"
    if len(kroner) > 14:  # far above MAX_BELOP: say so without building a number of any size
        raise PydanticCustomError("belop", "urimelig stort beløp {verdi}; grensen er kr 10 000 000 000", shown)
    amount = Decimal(f"{match.group('sign')}{kroner}.{ore or '0'}")
    return amount.quantize(ORE) if amount != amount.to_integral_value() else amount.quantize(Decimal(1))


def parse_belop(value: object) -> Decimal:
    """Return a budget amount: above zero and below kr 10 milliarder, exact to the øre."""
    amount = parse_amount(value)
    if amount <= 0:
        raise PydanticCustomError("belop", "beløpet må være større enn 0, fant {verdi}",
                                  {"verdi": _number_shown(str(value).strip())})
    if amount > MAX_BELOP:
        raise PydanticCustomError("belop", "urimelig stort beløp {verdi}; grensen er kr 10 000 000 000",
                                  {"verdi": _number_shown(str(value).strip())})
    return amount


def parse_prosent(value: object) -> Decimal:
    """Return a percentage typed as 30, 12.5 or 12,5 (at most two decimals), between 0 and 100."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    match = re.fullmatch(r"([0-9]{1,3})(?:[.,]([0-9]{1,2}))?", text)
    number = Decimal(f"{match.group(1)}.{match.group(2) or '0'}") if match else None
    if number is None or number > 100:
        raise PydanticCustomError(
            "prosent", "forventet en prosentsats mellom 0 og 100 med høyst to desimaler, f.eks. 30 eller 12,5, fant {verdi}",
            {"verdi": _number_shown(str(value))})
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def _as_text(value: object) -> str:
    return str(value)


SaksnummerFelt = Annotated[
    Saksnummer,
    PlainValidator(Saksnummer.parse),
    PlainSerializer(_as_text),
    WithJsonSchema({"type": "string", "pattern": Saksnummer.PATTERN, "examples": ["24/20"]}),
]
ArkivsaksnummerFelt = Annotated[
    Arkivsaksnummer,
    PlainValidator(Arkivsaksnummer.parse),
    PlainSerializer(_as_text),
    WithJsonSchema({"type": "string", "pattern": Arkivsaksnummer.PATTERN, "examples": ["2020/18145-1"]}),
]
Dato = Annotated[
    dt.date,
    PlainValidator(parse_dato),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}$", "examples": ["18.08.2020"]}),
]
Klokkeslett = Annotated[
    dt.time,
    PlainValidator(parse_klokkeslett),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{1,2}:[0-9]{2}$", "examples": ["14:00"]}),
]
Belop = Annotated[
    Decimal,
    PlainValidator(parse_belop),
    PlainSerializer(_as_text),
    WithJsonSchema({
        "anyOf": [{"type": "integer", "minimum": 1}, {"type": "number", "exclusiveMinimum": 0, "multipleOf": 0.01},
                  {"type": "string", "pattern": BELOP_PATTERN}],
        "examples": [600000, "47 250", "47 250,75", 47250.75],
        "description": "Beløp i kroner, med eller uten øre: 47250, 47 250, 47250.75 eller 47 250,75. "
                       "Tusenskille er mellomrom; øre skrives med komma eller punktum og høyst to sifre.",
    }),
]
Prosent = Annotated[
    Decimal,
    PlainValidator(parse_prosent),
    PlainSerializer(_as_text),
    WithJsonSchema({"anyOf": [{"type": "number", "minimum": 0, "maximum": 100, "multipleOf": 0.01},
                              {"type": "string", "pattern": r"^[0-9]{1,3}([.,][0-9]{1,2})?$"}],
                    "examples": [30, "12,5"]}),
]
