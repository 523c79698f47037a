"""Exact money: øre through the budget, the financing, prose references, both documents and the
arkivmelding; a share printed next to a limit never seems to meet a rule it breaks."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic_core import PydanticCustomError

from conftest import REPO, edit
from generator.domain import norsk
from generator.check import funding
from generator.load.models import Budsjett, Tilskuddsordning
from generator.domain.values import parse_belop
from textof import normalise, pdf_text

SKISSE = Path("cases") / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"
NBSP = "\u00a0"


def set_budget(project: Path, utgifter: list[str], tilskudd: str, egen: str) -> None:
    """Give the sample prosjektskisse a budget of its own: expense lines and a grant and an own share."""
    path = project / SKISSE
    text = path.read_text(encoding="utf-8")
    lines = ["budsjett:", "  utgifter:"]
    lines += [f"    - post: Post {i + 1}\n      beløp: {amount}" for i, amount in enumerate(utgifter)]
    lines += ["  finansiering:",
              f"    - kilde: KMD\n      art: tilskudd\n      beløp: {tilskudd}",
              f"    - kilde: Deltakerne\n      art: egeninnsats\n      beløp: {egen}"]
    start, end = text.index("budsjett:\n"), text.index("\ntekst:")
    path.write_text(text[:start] + "\n".join(lines) + "\n" + text[end:], encoding="utf-8")


def docx_tables(path: Path) -> list[list[list[str]]]:
    return [[[normalise(c.text) for c in row.cells] for row in table.rows] for table in Document(str(path)).tables]


class DescribeTheWrittenForms:
    @pytest.mark.parametrize(("typed", "exact"), [
        (47250, "47250"), ("47 250", "47250"), ("47250.75", "47250.75"), ("47 250,75", "47250.75"),
        ("9999,25", "9999.25"), ("47250,5", "47250.50"), ("47 250,00", "47250"), ("1\u00a0000\u00a0000", "1000000"),
        ("0,01", "0.01"),
    ])
    def it_reads_kroner_and_ore_exactly(self, typed, exact):
        value = parse_belop(typed)
        assert value == Decimal(exact) and str(value) == exact  # øre exactly when there are øre

    @pytest.mark.parametrize(("typed", "message"), [
        ("47250,755", "«47250,755» har mer enn to desimaler"),
        ("47.250", "«47.250» har mer enn to desimaler"),  # a point is not a thousands separator
        ("nan", "«nan» er ikke et tall"),
        (".inf", "«.inf» er ikke et tall"),
        ("-Infinity", "«-Infinity» er ikke et tall"),
        ("1e5", "«1e5» er skrevet med eksponent"),
        ("4,725E4", "«4,725E4» er skrevet med eksponent"),
        ("10000000000,01", "urimelig stort beløp «10000000000,01»; grensen er kr 10 000 000 000"),
        ("9" * 5000, "urimelig stort beløp «9999999999999999…» (5000 tegn)"),
        ("47 25", "forventet et beløp i kroner skrevet som et tall"),
        ("0,00", "beløpet må være større enn 0"),
    ])
    def it_refuses_what_is_not_an_exact_amount(self, typed, message):
        with pytest.raises(PydanticCustomError) as caught:
            parse_belop(typed)
        assert message in caught.value.message()

    def it_documents_the_forms_in_the_json_schema(self, run):
        import json

        result = run("skjema", "prosjektskisse")
        schema = json.loads(result.output)
        belop = schema["$defs"]["Utgift"]["properties"]["beløp"]
        assert "med eller uten øre" in belop["description"] and "47 250,75" in belop["examples"]
        pattern = re.compile(next(o["pattern"] for o in belop["anyOf"] if o.get("type") == "string"))
        assert all(pattern.fullmatch(s) for s in ("47 250,75", "47250.75", "47 250", "47250"))
        assert not any(pattern.fullmatch(s) for s in ("47250,755", "1e5", "kr 500", "47.250"))


class DescribeOreInTheDocuments:
    def it_carries_ore_from_the_budget_to_both_documents_and_the_archive(self, run, project):
        set_budget(project, ["500 000,75", "15000", "15000", "70000"], "420 000,50", "180 000,25")
        edit(project / SKISSE, "  [[finansieringstabell]]", "  Reisestøtte: [[kr 47 250,75]].\n\n  [[finansieringstabell]]")
        result = run("24/20", "--arkiv")
        assert result.exit_code == 0, result.output
        docx = project / "output" / "24-20-vedlegg-1-prosjektskisse.docx"
        tables = {t[0][0]: t for t in docx_tables(docx)}
        utgifter, finansiering = tables["Utgifter"], tables["Kilde"]
        # one figure with øre: every figure of that table shows øre, so the column lines up
        assert [row[1] for row in utgifter[1:]] == ["kr 500 000,75", "kr 15 000,00", "kr 15 000,00", "kr 70 000,00",
                                                     "kr 600 000,75"]
        assert [row[2:] for row in finansiering[1:]] == [["kr 420 000,50", "70,0 %"], ["kr 180 000,25", "30,0 %"],
                                                          ["kr 600 000,75", "100,0 %"]]
        pdf = pdf_text(project / "output" / "24-20-vedlegg-1-prosjektskisse.pdf")
        for words in ("Budsjett: (ca.) kr 600 000,75", "utgjør ca. kr 420 000,50", "de resterende kr 180 000,25",
                      "Reisestøtte: kr 47 250,75.", "Post 2 kr 15 000,00", "SUM kr 600 000,75"):
            assert words in pdf
        assert "kr 600 000,75" in normalise(" ".join(p.text for p in Document(str(docx)).paragraphs))
        schema = etree.XMLSchema(etree.parse(str(REPO / "generator" / "schemas" / "fiks-arkiv-v2" /
                                                 "no.ks.fiks.arkiv.v2.arkivering.arkivmelding.opprett.xsd")))
        (message,) = (project / "output" / "arkiv").rglob("arkivmelding.xml")
        assert schema.validate(etree.parse(str(message))), schema.error_log

    def it_keeps_a_whole_kroner_table_whole(self, run, project):
        set_budget(project, ["600000"], "420 000", "180000,00")
        assert run("24/20").exit_code == 0
        docx = project / "output" / "24-20-vedlegg-1-prosjektskisse.docx"
        assert ["Post 1", "kr 600 000"] in next(t for t in docx_tables(docx) if t[0][0] == "Utgifter")

    def it_refuses_a_prose_amount_with_three_decimals_at_its_line(self, run, project):
        edit(project / SKISSE, "  [[finansieringstabell]]", "  Støtte: [[kr 47 250,755]].\n\n  [[finansieringstabell]]")
        result = run("24/20")
        assert result.exit_code == 2
        assert ("cases/vedlegg/2020/24-20-prosjektskisse.yaml:151: tekst: «[[kr 47 250,755]]»: «47 250,755» har mer "
                "enn to desimaler") in result.output


class DescribeTheBoundary:
    """A 30 % minimum own share and a 70 % maximum grant, of kr 600 000,00: exactly at the limit,
    one øre under and one øre over, through the command line."""

    def shares(self, project: Path, suffix: str = "") -> list[str]:
        docx = project / "output" / f"24-20-vedlegg-1-prosjektskisse{suffix}.docx"
        return [row[3] for row in next(t for t in docx_tables(docx) if t[0][0] == "Kilde")[1:]]

    def it_accepts_exactly_thirty_percent(self, run, project):
        set_budget(project, ["600 000,00"], "420 000,00", "180 000,00")
        assert run("24/20").exit_code == 0
        assert self.shares(project) == ["70,0 %", "30,0 %", "100,0 %"]

    def it_accepts_one_ore_over_and_prints_it_as_meeting_the_limit(self, run, project):
        set_budget(project, ["600 000,00"], "419 999,99", "180 000,01")
        assert run("24/20").exit_code == 0
        assert self.shares(project) == ["70,0 %", "30,0 %", "100,0 %"]

    def it_refuses_one_ore_under_and_never_prints_it_as_thirty_percent(self, run, project):
        set_budget(project, ["600 000,00"], "420 000,01", "179 999,99")
        result = run("24/20")
        assert result.exit_code == 1
        assert ("egenfinansieringen er 29,99 % (kr 179 999,99 av kr 600 000,00), men KMDs ordning «Kompetansepiloter» "
                "krever minst 30 % (kr 180 000,00): det mangler kr 0,01") in result.output.replace(NBSP, " ")
        assert "30,0" not in result.output
        assert run("24/20", "--utkast").exit_code == 0
        # the draft agrees with the message: the own share is under 30 %, the grant over 70 %
        assert self.shares(project, "-utkast") == ["70,01 %", "29,99 %", "100,0 %"]
        pdf = pdf_text(project / "output" / "24-20-vedlegg-1-prosjektskisse-utkast.pdf")
        assert "KMD Tilskudd kr 420 000,01 70,01 % Deltakerne Egenfinansiering, egeninnsats kr 179 999,99 29,99 %" in pdf

    @pytest.mark.parametrize(("tilskudd", "exit_code", "message"), [
        ("420 000,00", 0, None),
        ("419 999,99", 1, "finansieringen (kr 599 999,99) er ikke lik budsjettet (kr 600 000,00): det mangler kr 0,01"),
        ("420 000,01", 1, "finansieringen (kr 600 000,01) er ikke lik budsjettet (kr 600 000,00): den er kr 0,01 for høy"),
    ])
    def it_holds_financing_to_the_budget_to_the_ore(self, run, project, tilskudd, exit_code, message):
        set_budget(project, ["600 000,00"], tilskudd, "180 000,00")
        result = run("24/20")
        assert result.exit_code == exit_code
        if message:
            assert message in result.output.replace(NBSP, " ")

    @pytest.mark.parametrize(("tilskudd", "egen", "exit_code", "shown"), [
        ("60 000,00", "40 000,00", 0, "60,0 %"),
        ("59 999,99", "40 000,01", 0, "60,0 %"),
        ("60 000,01", "39 999,99", 1, "60,01 %"),
    ])
    def it_holds_a_grant_to_a_maximum_of_its_own(self, run, project, tilskudd, egen, exit_code, shown):
        """A scheme whose limits do not add up to 100 % (at least 20 % own, at most 60 % grant)."""
        edit(project / "cases" / "tilskuddsordninger.yaml", "egenfinansiering_minst: 30", "egenfinansiering_minst: 20")
        edit(project / "cases" / "tilskuddsordninger.yaml", "tilskudd_høyst: 70", "tilskudd_høyst: 60")
        set_budget(project, ["100 000,00"], tilskudd, egen)
        result = run("24/20")
        assert result.exit_code == exit_code
        if exit_code:
            assert (f"tilskuddet er {shown} (kr {tilskudd} av kr 100 000,00), men KMDs ordning «Kompetansepiloter» "
                    "tillater høyst 60 % (kr 60 000,00): kr 0,01 for mye") in result.output.replace(NBSP, " ")
            assert run("24/20", "--utkast").exit_code == 0
        assert self.shares(project, "-utkast" if exit_code else "")[0] == shown

    def it_refuses_one_krone_under_with_the_figures_it_prints(self, run, project):
        set_budget(project, ["600000"], "420001", "179999")
        result = run("24/20")
        assert result.exit_code == 1
        assert ("egenfinansieringen er 29,99 % (kr 179 999 av kr 600 000), men KMDs ordning «Kompetansepiloter» "
                "krever minst 30 % (kr 180 000): det mangler kr 1") in result.output.replace(NBSP, " ")


def _ore(draw_amount):
    return Decimal(draw_amount) / 100


amounts = st.integers(min_value=1, max_value=10**12).map(_ore)  # 0,01 to 10 milliarder, in øre
limits = st.integers(min_value=0, max_value=10_000).map(lambda n: (Decimal(n) / 100).normalize() if n % 100 else Decimal(n // 100))


def scheme(minst: Decimal, hoyst: Decimal | None = None) -> Tilskuddsordning:
    data = {"id": "x", "navn": "X", "egenfinansiering_minst": str(minst)}
    if hoyst is not None:
        data["tilskudd_høyst"] = str(hoyst)
    return Tilskuddsordning.model_validate(data)


def budget(tilskudd: Decimal, egen: Decimal) -> Budsjett:
    return Budsjett.model_validate({
        "utgifter": [{"post": "Del 1", "beløp": str(tilskudd)}, {"post": "Del 2", "beløp": str(egen)}],
        "finansiering": [{"kilde": "KMD", "art": "tilskudd", "beløp": str(tilskudd)},
                         {"kilde": "Oss", "art": "kontant", "beløp": str(egen)}],
    })


def printed(text: str) -> Decimal:
    """Return the share a reader sees in «29,99 %»."""
    return Decimal(text.split(NBSP)[0].replace(",", "."))


class DescribeRoundingAgainstTheRules:
    @settings(max_examples=2000, deadline=None)
    @given(amounts, amounts, limits, limits)
    def it_never_prints_a_share_on_the_wrong_side_of_its_limit(self, tilskudd, egen, minst, hoyst):
        ordning = scheme(minst, hoyst)
        b = budget(tilskudd, egen)
        tall = funding.compute(b, ordning)
        messages = funding.rules(b, tall)
        total = tilskudd + egen
        own_ok = egen * 100 >= minst * total  # the exact comparison, by multiplying out
        grant_ok = tilskudd * 100 <= hoyst * total
        assert any(m.startswith("egenfinansieringen er") for m in messages) == (not own_ok)
        own, grant = norsk.prosent(tall.egenandel), norsk.prosent(tall.tilskuddsandel)
        assert (printed(own) >= minst) == own_ok
        assert (printed(grant) <= hoyst) == grant_ok
        # the documents print the same figures as the messages: the prose values and the table rows
        values = funding.prose_values(tall)
        assert values["egenandel"] == own and values["tilskuddsandel"] == grant
        assert norsk.prosent(tall.vist(egen, egen=True)) == own
        for message in messages:
            if message.startswith("egenfinansieringen er"):
                assert message.startswith(f"egenfinansieringen er {own} (")
            if message.startswith("tilskuddet er"):
                assert message.startswith(f"tilskuddet er {grant} (")

    @settings(max_examples=1000, deadline=None)
    @given(st.integers(min_value=1, max_value=10**12), st.integers(min_value=-3, max_value=3), limits)
    def it_holds_at_one_ore_around_each_boundary(self, total_ore, step, minst):
        """Own shares of exactly the required amount and up to three øre either side of it."""
        total = Decimal(total_ore) / 100
        need = (total * minst / 100).quantize(Decimal("0.01"), rounding="ROUND_CEILING")
        egen = need + Decimal(step) / 100
        if not 0 < egen < total:
            return
        tall = funding.compute(budget(total - egen, egen), scheme(minst, 100))
        refused = bool(funding.rules(budget(total - egen, egen), tall))
        assert refused == (step < 0)
        assert (printed(norsk.prosent(tall.egenandel)) >= minst) == (step >= 0)

    @given(amounts, amounts, limits)
    def it_needs_the_smallest_ore_amount_that_reaches_the_minimum(self, tilskudd, egen, minst):
        tall = funding.compute(budget(tilskudd, egen), scheme(minst, 100))
        need, total = tall.egenfinansiering_kreves, tall.sum_finansiering
        assert need * 100 >= minst * total > (need - Decimal("0.01")) * 100
        assert str(need) == str(need.quantize(Decimal(1)) if need == need.to_integral_value() else need.quantize(Decimal("0.01")))


class DescribeSharesOfSeveralSources:
    """Several sources of one kind: the compared share is on a sum row of its own."""

    def it_prints_the_own_share_on_a_sum_row_when_three_sources_make_it(self, run, project):
        path = project / SKISSE
        text = path.read_text(encoding="utf-8")
        start, end = text.index("budsjett:\n"), text.index("\ntekst:")
        rows = [("tilskudd", "70040"), ("kontant", "9980"), ("egeninnsats", "9990"), ("kontant", "9990")]
        budget = "budsjett:\n  utgifter:\n    - post: Alt\n      beløp: 100000\n  finansiering:\n" + "".join(
            f"    - kilde: Kilde {i + 1}\n      art: {art}\n      beløp: {amount}\n" for i, (art, amount) in enumerate(rows))
        path.write_text(text[:start] + budget + text[end:], encoding="utf-8")
        result = run("24/20")
        assert result.exit_code == 1 and "egenfinansieringen er 29,96 %" in result.output.replace(NBSP, " ")
        assert run("24/20", "--utkast").exit_code == 0
        docx = project / "output" / "24-20-vedlegg-1-prosjektskisse-utkast.docx"
        table = next(t for t in docx_tables(docx) if t[0][0] == "Kilde")
        assert [[row[0], row[3]] for row in table[1:]] == [
            ["Kilde 1", "70,04 %"], ["Kilde 2", "10,0 %"], ["Kilde 3", "10,0 %"], ["Kilde 4", "10,0 %"],
            ["Sum egenfinansiering", "29,96 %"], ["SUM", "100,0 %"],
        ]
        pdf = pdf_text(project / "output" / "24-20-vedlegg-1-prosjektskisse-utkast.pdf")
        assert "Sum egenfinansiering kr 29 960 29,96 %" in pdf
