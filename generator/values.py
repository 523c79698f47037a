"""The small value types of the domain: case numbers, archive numbers, dates, times.

Each parses the text a caseworker types and refuses anything else with a Norwegian
message; pydantic uses them through the annotated types at the bottom.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from dataclasses import dataclass
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError


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
        return cls(int(match.group(1)), int(match.group(2)), int(doc) if doc else None)

    @property
    def sak(self) -> str:
        """The case part alone, as the saksliste shows it: 2020/18145."""
        return f"{self.saksaar}/{self.sekvensnummer}"

    def __str__(self) -> str:
        return self.sak if self.dokumentnummer is None else f"{self.sak}-{self.dokumentnummer}"


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
                    return dt.date(year, month, day)
                except ValueError:
                    raise PydanticCustomError("dato", "{verdi} er ikke en gyldig dato", {"verdi": _shown(text)}) from None
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
MAX_BELOP = 10_000_000_000


def parse_belop(value: object) -> int:
    """Return an amount in whole kroner, typed as a plain number: 600000."""
    if isinstance(value, int) and not isinstance(value, bool):
        if value <= 0:
            raise PydanticCustomError("belop", "beløpet må være større enn 0, fant {verdi}", {"verdi": _shown(value)})
        if value > MAX_BELOP:
            raise PydanticCustomError("belop", "urimelig stort beløp {verdi}; grensen er 10000000000", {"verdi": _shown(value)})
        return value
    raise PydanticCustomError(
        "belop",
        "forventet et beløp i hele kroner skrevet som et tall, f.eks. 600000 (uten «kr», mellomrom og «,-»), fant {verdi}",
        {"verdi": _shown(value)},
    )


def parse_prosent(value: object) -> Decimal:
    """Return a percentage typed as 30 or 12.5, between 0 and 100."""
    try:
        number = Decimal(str(value)) if isinstance(value, (int, str)) and not isinstance(value, bool) else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 <= number <= 100:
        raise PydanticCustomError(
            "prosent", "forventet en prosentsats mellom 0 og 100, f.eks. 30, fant {verdi}", {"verdi": _shown(value)}
        )
    return number


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
    int,
    PlainValidator(parse_belop),
    WithJsonSchema({"type": "integer", "examples": [600000], "description": "Beløp i hele kroner"}),
]
Prosent = Annotated[
    Decimal,
    PlainValidator(parse_prosent),
    PlainSerializer(_as_text),
    WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100, "examples": [30]}),
]
