"""Dates, amounts and shares → how Norwegian documents write them, through Babel's CLDR data.

`kr 600 000` uses a non-breaking space between digit groups and after "kr", so an
amount never breaks across lines.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal

NBSP = "\u00a0"
_LOCALE = {"nb": "nb_NO", "nn": "nn_NO"}


def lovnavn(text: str, malform: str) -> str:
    """Return a hjemmel with the laws named in a målform: «kommuneloven § 11-5» is «kommunelova
    § 11-5» in a nynorsk document (abbreviations, and offentleglova, are the same in both)."""
    if malform != "nynorsk":
        return text
    return re.sub(r"\b([Kk]ommune|[Ff]orvaltnings|[Aa]rkiv|[Pp]ersonopplysnings)loven\b",
                  lambda m: m.group(1) + "lova", text)


def dato(value: dt.date) -> str:
    """Return 18.08.2020."""
    return value.strftime("%d.%m.%Y")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def tall(value: int | Decimal, language: str = "nb") -> str:
    """Return a number with the decimals it has: 600 000, 47 250,75, 12,5 (no-break group separator).

    Amounts come from values.parse_amount with no decimals or exactly two (47250.50 shows as
    47 250,50), so a figure shows øre exactly when it has them; nothing is rounded here.
    """
    return _tall(str(value), language)  # by text: Decimal("100") == Decimal("100.0") as cache keys


@lru_cache(maxsize=4096)  # Babel takes a third of a millisecond a number; a case repeats its figures
def _tall(value: str, language: str) -> str:
    number = Decimal(value)
    places = _places(number)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    text = format_decimal(number, format=pattern, locale=_LOCALE[language], decimal_quantization=False)
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def kroner(value: int | Decimal, language: str = "nb", ore: bool = False) -> str:
    """Return kr 600 000, or kr 47 250,75 (with non-breaking spaces).

    `ore` shows øre on a whole amount too (kr 600 000,00): a table where one figure has øre
    shows them on every figure, so the columns line up.
    """
    amount = Decimal(value)
    if ore or amount != amount.to_integral_value():
        amount = amount.quantize(Decimal("0.01"))
    return f"kr{NBSP}{tall(amount, language)}"


def has_ore(*amounts: int | Decimal) -> bool:
    """Whether any of the amounts has øre."""
    return any(Decimal(a) != Decimal(a).to_integral_value() for a in amounts)


def prosent(percent: Decimal, language: str = "nb") -> str:
    """Return a percentage as rounded by the caller, with its decimals: 25,0 %, 29,99 %."""
    return f"{tall(percent, language)}{NBSP}%"


def klokkeslett(value: dt.time) -> str:
    """Return 14:00."""
    return value.strftime("%H:%M")
