"""Norwegian formatting of dates, amounts and shares, through Babel's CLDR data.

`kr 600 000` uses a non-breaking space between digit groups and after "kr", so an
amount never breaks across lines.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

NBSP = "\u00a0"
_LOCALE = {"nb": "nb_NO", "nn": "nn_NO"}


def dato(value: dt.date) -> str:
    """Return 18.08.2020."""
    return value.strftime("%d.%m.%Y")


@lru_cache(maxsize=1024)
def dato_lang(value: dt.date, language: str = "nb") -> str:
    """Return 18. august 2020."""
    return format_date(value, "d. MMMM y", locale=_LOCALE[language])


@lru_cache(maxsize=4096)  # Babel takes a third of a millisecond a number; a case repeats its figures
def tall(value: int | Decimal, language: str = "nb") -> str:
    """Return 600 000 (non-breaking group separator), or 1 234,50 for øre."""
    text = format_decimal(value, format="#,##0.##", locale=_LOCALE[language])
    return text.replace("\u202f", NBSP).replace(" ", NBSP)


def kroner(value: int | Decimal, language: str = "nb") -> str:
    """Return kr 600 000 with non-breaking spaces."""
    return f"kr{NBSP}{tall(value, language)}"


@lru_cache(maxsize=1024)
def prosent(value: Decimal, language: str = "nb") -> str:
    """Return a share (0.25) as 25,0 % — one decimal, non-breaking space before %."""
    text = format_decimal(Decimal(value) * 100, format="0.0", locale=_LOCALE[language])
    return f"{text}{NBSP}%"


def klokkeslett(value: dt.time) -> str:
    """Return 14:00."""
    return value.strftime("%H:%M")
