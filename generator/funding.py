"""A prosjektskisse's budget → its computed figures and the funding rules (DESIGN rule 1–2).

Exact arithmetic in whole kroner (int) and Decimal shares; never float. The grant scheme
(tilskuddsordning) is data: its minimum own share and maximum grant come from the case files.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from generator import formats
from generator.models import Budsjett, Tilskuddsordning


@dataclass(frozen=True)
class Budsjettall:
    """The figures of one budget: sums, the self-financing split and the scheme's limits."""

    utgifter: tuple[int, ...]
    finansiering: tuple[int, ...]
    tilskudd: int
    egenfinansiering: int
    ordning: Tilskuddsordning

    @property
    def sum_utgifter(self) -> int:
        return sum(self.utgifter)

    @property
    def sum_finansiering(self) -> int:
        return sum(self.finansiering)

    def andel(self, belop: int) -> Decimal:
        """Return an amount's share of the total financing (0 when there is none)."""
        total = self.sum_finansiering
        return Decimal(belop) / Decimal(total) if total else Decimal(0)

    @property
    def egenandel(self) -> Decimal:
        return self.andel(self.egenfinansiering)

    @property
    def tilskuddsandel(self) -> Decimal:
        return self.andel(self.tilskudd)

    @property
    def egenfinansiering_kreves(self) -> int:
        """The smallest own share in kroner that meets the scheme's minimum."""
        exact = Decimal(self.sum_finansiering) * self.ordning.egenfinansiering_minst / 100
        return int(exact.to_integral_value(rounding=ROUND_CEILING))

    @property
    def tilskudd_tillatt(self) -> int:
        """The largest grant in kroner the scheme allows."""
        exact = Decimal(self.sum_finansiering) * self.ordning.tilskudd_maks / 100
        return int(exact.to_integral_value(rounding=ROUND_FLOOR))


def compute(budsjett: Budsjett, ordning: Tilskuddsordning) -> Budsjettall:
    """Return the figures of a budget under a grant scheme."""
    return Budsjettall(
        utgifter=tuple(u.belop for u in budsjett.utgifter),
        finansiering=tuple(f.belop for f in budsjett.finansiering),
        tilskudd=sum(f.belop for f in budsjett.finansiering if not f.egenfinansiering),
        egenfinansiering=sum(f.belop for f in budsjett.finansiering if f.egenfinansiering),
        ordning=ordning,
    )


def grense(value: Decimal) -> str:
    """Return a scheme limit as typed: 30 %, 12,5 %."""
    return f"{formats.tall(value.normalize())}{formats.NBSP}%"


@dataclass(frozen=True)
class Brudd:
    """A broken funding rule: the field it concerns and what is wrong."""

    path: tuple
    message: str


def rules(budsjett: Budsjett, tall: Budsjettall) -> list[Brudd]:
    """Return every funding rule the budget breaks; an empty list means it may be rendered.

    Amounts are whole kroner above zero (values.parse_belop refuses others as bad input). A
    grant over the scheme's maximum is reported only where it is not the own share's shortfall.
    """
    kr = formats.kroner
    found: list[Brudd] = []
    where = ("budsjett", "finansiering")
    difference = tall.sum_finansiering - tall.sum_utgifter
    if difference:
        state = f"det mangler {kr(-difference)}" if difference < 0 else f"den er {kr(difference)} for høy"
        found.append(Brudd(where, f"finansieringen ({kr(tall.sum_finansiering)}) er ikke lik budsjettet "
                                  f"({kr(tall.sum_utgifter)}): {state}"))
    ordning = tall.ordning
    shortfall = tall.egenfinansiering_kreves - tall.egenfinansiering
    if shortfall > 0:
        found.append(Brudd(where, (
            f"egenfinansieringen er {formats.prosent(tall.egenandel)} ({kr(tall.egenfinansiering)} av "
            f"{kr(tall.sum_finansiering)}), men {ordning.navn} krever minst {grense(ordning.egenfinansiering_minst)} "
            f"({kr(tall.egenfinansiering_kreves)}): det mangler {kr(shortfall)}"
        )))
    if tall.tilskudd > tall.tilskudd_tillatt and tall.tilskudd - tall.tilskudd_tillatt != shortfall:
        # Where the scheme's limits add up to 100 %, a grant too large is the own share too
        # small, by the same amount: that shortfall is stated once, above.
        found.append(Brudd(where, (
            f"tilskuddet er {formats.prosent(tall.tilskuddsandel)} ({kr(tall.tilskudd)} av {kr(tall.sum_finansiering)}), "
            f"men {ordning.navn} tillater høyst {grense(ordning.tilskudd_maks)} ({kr(tall.tilskudd_tillatt)}): "
            f"{kr(tall.tilskudd - tall.tilskudd_tillatt)} for mye"
        )))
    return found


def prose_values(tall: Budsjettall, language: str = "nb") -> dict[str, str]:
    """Return every figure a text may cite, formatted (see generator.figures.NAMES)."""
    amounts = {
        "sum_utgifter": tall.sum_utgifter,
        "sum_finansiering": tall.sum_finansiering,
        "tilskudd": tall.tilskudd,
        "egenfinansiering": tall.egenfinansiering,
    }
    shares = {"egenandel": tall.egenandel, "tilskuddsandel": tall.tilskuddsandel}
    limits = {"minste_egenandel": tall.ordning.egenfinansiering_minst, "høyeste_tilskuddsandel": tall.ordning.tilskudd_maks}
    values = {"ordning": tall.ordning.navn}
    for name, amount in amounts.items():
        values[name] = formats.kroner(amount, language)
        values[f"{name}:tall"] = formats.tall(amount, language)
    for name, share in shares.items():
        values[name] = formats.prosent(share, language)
        values[f"{name}:tall"] = formats.prosent(share, language).split(formats.NBSP)[0]
    for name, limit in limits.items():
        values[name] = grense(limit)
        values[f"{name}:tall"] = formats.tall(limit.normalize())
    return values
