"""Norwegian formatting: dates, amounts, shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator import formats

NBSP = "\u00a0"


def it_formats_dates_the_norwegian_way():
    assert formats.dato(dt.date(2020, 8, 18)) == "18.08.2020"
    assert formats.dato_lang(dt.date(2020, 8, 18)) == "18. august 2020"
    assert formats.dato_lang(dt.date(2020, 9, 2), "nn") == "2. september 2020"


def it_formats_amounts_with_non_breaking_spaces():
    assert formats.kroner(600000) == f"kr{NBSP}600{NBSP}000"
    assert formats.kroner(15000) == f"kr{NBSP}15{NBSP}000"
    assert formats.kroner(690000) == f"kr{NBSP}690{NBSP}000"
    assert formats.kroner(999) == f"kr{NBSP}999"


def it_formats_shares_with_one_decimal():
    assert formats.prosent(Decimal(150000) / Decimal(600000)) == f"25,0{NBSP}%"
    assert formats.prosent(Decimal("0.3")) == f"30,0{NBSP}%"
    assert formats.prosent(Decimal(1) / Decimal(3)) == f"33,3{NBSP}%"
