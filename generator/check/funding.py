"""A prosjektskisse's budget → its computed figures and the funding rules (docs/utvikler/design.md, rule 1–2).

Exact arithmetic: amounts are Decimal kroner with at most two decimals (øre), sums are exact,
and a rule compares amounts by multiplying out, never a rounded share. The grant scheme
(tilskuddsordning) is data: its minimum own share and maximum grant come from the case files.

A share printed next to a limit is rounded so that it never seems to meet a rule it breaks
(see `Budsjettall.vist`): 29,96 % that fails a 30 % minimum prints as 29,96 %, never 30,0 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext

from generator.domain import norsk
from generator.load.models import Budsjett, Tilskuddsordning

ORE = Decimal("0.01")


def _kroner(value: Decimal) -> Decimal:
    """Return an amount as values.parse_amount gives it: whole, or with exactly two decimals."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.quantize(ORE)


def _percent(amount: Decimal, total: Decimal, places: int, rounding: str) -> Decimal:
    """Return amount/total as a percentage rounded to `places` decimals (exact: amounts are
    at most 10¹⁵ øre, far inside 60 digits)."""
    with localcontext() as context:
        context.prec = 60
        return (amount * 100 / total).quantize(Decimal(1).scaleb(-places), rounding=rounding)


def vist_prosent(amount: Decimal, total: Decimal, limit: Decimal | None = None, minimum: bool = True) -> Decimal:
    """Return amount's share of total as the percentage to print: one decimal (or as many as the
    limit has), rounded half up — unless that would put it on the other side of the limit than
    the exact share is. Then it gets one decimal more, rounded toward breaking the rule: a share
    below a minimum never prints as equal to or above it, a share above a maximum never as
    equal to or below it. Whether a share meets its limit is decided by multiplying out."""
    if not total:
        return Decimal("0.0")
    places = max(1, -limit.as_tuple().exponent) if limit is not None else 1
    shown = _percent(amount, total, places, ROUND_HALF_UP)
    if limit is None:
        return shown
    meets = amount * 100 >= limit * total if minimum else amount * 100 <= limit * total
    if meets == (shown >= limit if minimum else shown <= limit):
        return shown
    return _percent(amount, total, places + 1, ROUND_FLOOR if minimum else ROUND_CEILING)


@dataclass(frozen=True)
class Budsjettall:
    """The figures of one budget: sums, the self-financing split and the scheme's limits."""

    utgifter: tuple[Decimal, ...]
    finansiering: tuple[Decimal, ...]
    tilskudd: Decimal
    egenfinansiering: Decimal
    ordning: Tilskuddsordning

    @property
    def sum_utgifter(self) -> Decimal:
        return sum(self.utgifter, Decimal(0))

    @property
    def sum_finansiering(self) -> Decimal:
        return sum(self.finansiering, Decimal(0))

    def vist(self, belop: Decimal, egen: bool | None = None) -> Decimal:
        """Return an amount's share of the financing as the percentage to print: measured against
        the minimum own share (`egen` True) or the maximum grant (`egen` False), or neither."""
        if egen is None:
            return vist_prosent(belop, self.sum_finansiering)
        limit = self.ordning.egenfinansiering_minst if egen else self.ordning.tilskudd_maks
        return vist_prosent(belop, self.sum_finansiering, limit, minimum=egen)

    @property
    def egenandel(self) -> Decimal:
        """The own share as printed, in percent (see vist_prosent)."""
        return self.vist(self.egenfinansiering, egen=True)

    @property
    def tilskuddsandel(self) -> Decimal:
        """The grant's share as printed, in percent (see vist_prosent)."""
        return self.vist(self.tilskudd, egen=False)

    @property
    def egenfinansiering_kreves(self) -> Decimal:
        """The smallest own share, to the øre, that meets the scheme's minimum."""
        exact = self.sum_finansiering * self.ordning.egenfinansiering_minst / 100
        return _kroner(exact.quantize(ORE, rounding=ROUND_CEILING))

    @property
    def tilskudd_tillatt(self) -> Decimal:
        """The largest grant, to the øre, the scheme allows."""
        exact = self.sum_finansiering * self.ordning.tilskudd_maks / 100
        return _kroner(exact.quantize(ORE, rounding=ROUND_FLOOR))


def compute(budsjett: Budsjett, ordning: Tilskuddsordning) -> Budsjettall:
    """Return the figures of a budget under a grant scheme."""
    return Budsjettall(
        utgifter=tuple(u.belop for u in budsjett.utgifter),
        finansiering=tuple(f.belop for f in budsjett.finansiering),
        tilskudd=sum((f.belop for f in budsjett.finansiering if not f.egenfinansiering), Decimal(0)),
        egenfinansiering=sum((f.belop for f in budsjett.finansiering if f.egenfinansiering), Decimal(0)),
        ordning=ordning,
    )


def grense(value: Decimal) -> str:
    """Return a scheme limit as typed: 30 %, 12,5 %."""
    return f"{norsk.tall(value)}{norsk.NBSP}%"


#: Where in a prosjektskisse a broken funding rule is shown: its financing.
WHERE = ("budsjett", "finansiering")


def rules(budsjett: Budsjett, tall: Budsjettall) -> list[str]:
    """Return what each funding rule the budget breaks says (shown at WHERE); none: it may be rendered.

    Amounts are above zero (values.parse_belop refuses others as bad input). A grant over the
    scheme's maximum is reported only where it is not the own share's shortfall.
    """
    found: list[str] = []
    difference = tall.sum_finansiering - tall.sum_utgifter
    if difference:
        financing, budget, gap = _kroner_like(tall.sum_finansiering, tall.sum_utgifter, abs(difference))
        state = f"det mangler {gap}" if difference < 0 else f"den er {gap} for høy"
        found.append(f"finansieringen ({financing}) er ikke lik budsjettet ({budget}): {state}")
    ordning = tall.ordning
    shortfall = tall.egenfinansiering_kreves - tall.egenfinansiering
    if shortfall > 0:
        own, total, need, gap = _kroner_like(tall.egenfinansiering, tall.sum_finansiering, tall.egenfinansiering_kreves, shortfall)
        found.append((
            f"egenfinansieringen er {norsk.prosent(tall.egenandel)} ({own} av {total}), men {ordning.navn} krever "
            f"minst {grense(ordning.egenfinansiering_minst)} ({need}): det mangler {gap}"
        ))
    excess = tall.tilskudd - tall.tilskudd_tillatt
    if excess > 0 and excess != shortfall:
        # Where the scheme's limits add up to 100 %, a grant too large is the own share too
        # small, by the same amount: that shortfall is stated once, above.
        grant, total, allowed, over = _kroner_like(tall.tilskudd, tall.sum_finansiering, tall.tilskudd_tillatt, excess)
        found.append((
            f"tilskuddet er {norsk.prosent(tall.tilskuddsandel)} ({grant} av {total}), men {ordning.navn} tillater "
            f"høyst {grense(ordning.tilskudd_maks)} ({allowed}): {over} for mye"
        ))
    return found


def _kroner_like(*amounts: Decimal) -> list[str]:
    """Return amounts that stand together in one sentence, all with øre if one has them."""
    ore = norsk.has_ore(*amounts)
    return [norsk.kroner(a, ore=ore) for a in amounts]


def prose_values(tall: Budsjettall, language: str = "nb") -> dict[str, str]:
    """Return every figure a text may cite, formatted (see generator.domain.references.NAMES)."""
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
        values[name] = norsk.kroner(amount, language)
        values[f"{name}:tall"] = norsk.tall(amount, language)
    for name, share in shares.items():
        values[name] = norsk.prosent(share, language)
        values[f"{name}:tall"] = norsk.tall(share, language)
    for name, limit in limits.items():
        values[name] = grense(limit)
        values[f"{name}:tall"] = norsk.tall(limit, language)
    return values
