"""Norwegian formatting: dates, amounts, shares."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from generator.domain import norsk
from generator.check.funding import vist_prosent

NBSP = "\u00a0"


def it_formats_dates_the_norwegian_way():
    assert norsk.dato(dt.date(2020, 8, 18)) == "18.08.2020"


def it_formats_amounts_with_non_breaking_spaces():
    assert norsk.kroner(600000) == f"kr{NBSP}600{NBSP}000"
    assert norsk.kroner(15000) == f"kr{NBSP}15{NBSP}000"
    assert norsk.kroner(690000) == f"kr{NBSP}690{NBSP}000"
    assert norsk.kroner(999) == f"kr{NBSP}999"


def it_shows_ore_exactly_when_an_amount_has_them():
    assert norsk.kroner(Decimal("47250.75")) == f"kr{NBSP}47{NBSP}250,75"
    assert norsk.kroner(Decimal("47250.50")) == f"kr{NBSP}47{NBSP}250,50"  # never 47 250,5
    assert norsk.kroner(Decimal("0.01")) == f"kr{NBSP}0,01"
    assert norsk.kroner(Decimal("600000")) == f"kr{NBSP}600{NBSP}000"
    assert norsk.kroner(Decimal("600000"), ore=True) == f"kr{NBSP}600{NBSP}000,00"  # a table with øre elsewhere
    assert norsk.tall(Decimal("47250.50"), "nn") == f"47{NBSP}250,50"
    assert norsk.tall(Decimal("12.5")) == "12,5"  # a limit, as typed


def it_formats_shares_with_one_decimal():
    assert norsk.prosent(vist_prosent(Decimal(150000), Decimal(600000))) == f"25,0{NBSP}%"
    assert norsk.prosent(vist_prosent(Decimal(3), Decimal(10))) == f"30,0{NBSP}%"
    assert norsk.prosent(vist_prosent(Decimal(1), Decimal(3))) == f"33,3{NBSP}%"
    assert norsk.prosent(vist_prosent(Decimal(1), Decimal(16))) == f"6,3{NBSP}%"  # 6,25: half up, not to even
    assert norsk.prosent(vist_prosent(Decimal(1), Decimal(1))) == f"100,0{NBSP}%"


def it_names_the_laws_of_a_hjemmel_in_nynorsk_in_a_nynorsk_edition():
    """A language review found «kommuneloven § 11-5» beside «kommunelova § 11-9» in a nynorsk særutskrift."""
    typed = "kommuneloven § 11-5 tredje ledd bokstav a jf. Forvaltningsloven § 13 og offl. § 13"
    assert norsk.lovnavn(typed, "nynorsk") == \
        "kommunelova § 11-5 tredje ledd bokstav a jf. Forvaltningslova § 13 og offl. § 13"
    assert norsk.lovnavn(typed, "bokmål") == typed
    assert norsk.lovnavn("kommunelovens § 11-5", "nynorsk") == "kommunelovens § 11-5"  # a genitive is left alone
