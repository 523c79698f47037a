"""The command line in one language: Norwegian commands and flags, the spellings of earlier
versions kept as hidden aliases, click's own words in bokmål, one table of exit codes,
`--json` for scripts, and shell completion of case numbers and meeting dates."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main_group

SEED_SPLIT = Path(__file__).resolve().parent / "fixtures" / "prosjektskisse-seed-split.yaml"
SKISSE = Path("cases") / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml"

#: Every command line the README showed before the command line became Norwegian, with today's
#: spelling of it. Run through the old spelling, each must do what today's does.
README_OF_BEFORE = [
    (["24/20"], ["24/20"]),
    (["24/20", "--draft"], ["24/20", "--utkast"]),
    (["meeting", "2020-08-18"], ["møte", "2020-08-18"]),
    (["meeting", "2020-08-18", "--offentlig"], ["møte", "2020-08-18", "--offentlig"]),
    (["check"], ["kontroller"]),
    (["check", "24/20"], ["kontroller", "24/20"]),
    (["check", "cases/2020/24-20.yaml"], ["kontroller", "cases/2020/24-20.yaml"]),
    (["list"], ["vis"]),
    (["schema", "møte"], ["skjema", "møte"]),
    (["build", "--all", "-j", "1", "--force"], ["bygg", "--alle", "-j", "1", "--tving"]),
    (["build", "--all", "--jobs=1", "--force"], ["bygg", "--alle", "--jobber=1", "--tving"]),
    (["--root", ".", "list"], ["--mappe", ".", "vis"]),
    (["--debug", "list"], ["--feilsporing", "vis"]),
    (["--version"], ["--versjon"]),
    (["--help"], ["--hjelp"]),
]

ENGLISH = re.compile(r"\b(Usage|Options|OPTIONS|Commands|TEXT|INTEGER|PATH|DIRECTORY|FILENAME|required|default|"
                     r"Show this|Error|Try|No such|Did you mean)\b")


def _timing_free(text: str) -> str:
    """Return a build report without its timing (the only thing two runs may differ in)."""
    return re.sub(r"Ferdig på [0-9,]+ s", "Ferdig på … s", text)


class DescribeTheSpellingsOfEarlierVersions:
    @pytest.mark.parametrize("before, today", README_OF_BEFORE, ids=[" ".join(b) for b, _ in README_OF_BEFORE])
    def it_does_what_todays_spelling_does(self, run, before, today):
        old = run(*before)
        new = run(*today)
        assert (old.exit_code, _timing_free(old.output)) == (new.exit_code, _timing_free(new.output))
        assert old.exit_code == 0, old.output

    def it_archives_and_verifies_through_the_old_spellings(self, run, project):
        assert run("24/20", "--arkiv").exit_code == 0
        assert run("meeting", "2020-08-18", "--arkiv").exit_code == 0
        verified = run("verify", "output/24-20-saksframlegg.pdf", "--arkiv", "output/arkiv/2020-18145-1")
        assert verified.exit_code == 0, verified.output
        assert verified.output == run("verifiser", "output/24-20-saksframlegg.pdf", "--arkiv", "output/arkiv/2020-18145-1").output

    def it_shows_no_old_spelling_in_the_help(self, run):
        shown = run("--hjelp").output + "".join(run(c, "--hjelp").output for c in ("lag", "møte", "bygg", "kontroller"))
        for old in ("meeting", "build", "check", "list", "verify", "schema", "--draft", "--all", "--force", "--root", "--debug"):
            assert not re.search(rf"(?<![\w-]){re.escape(old)}(?![\w-])", shown), old


class DescribeTheHelp:
    @pytest.mark.parametrize("command", [[], ["lag"], ["møte"], ["bygg"], ["kontroller"], ["vis"], ["verifiser"], ["skjema"]])
    def it_is_bokmal_throughout(self, run, command):
        result = run(*command, "--hjelp")
        assert result.exit_code == 0
        assert result.output.startswith(f"Bruk: makecase {' '.join(command)}".rstrip() + " ")
        assert "Valg:" in result.output
        assert not ENGLISH.search(result.output), ENGLISH.search(result.output)


    def it_shows_the_help_for_makecase_alone(self, run):
        result = run()
        assert result.output.startswith("Bruk: makecase [VALG] SAK | KOMMANDO [ARGUMENTER]...")
        assert "Kommandoer:" in result.output and "Feil:" not in result.output


class DescribeUsageErrors:
    @pytest.mark.parametrize("args, message", [
        (["meting", "2020-08-18"], "Feil: Ukjent kommando «meting». Mente du «møte»?"),
        (["byg", "--alle"], "Feil: Ukjent kommando «byg». Mente du «bygg»?"),
        (["kontrol"], "Feil: Ukjent kommando «kontrol». Mente du «kontroller»?"),
        (["lag"], "Feil: Mangler argumentet «SAK»."),
        (["møte", "2020-08-18", "--utvalg"], "Feil: Valget «--utvalg» trenger en verdi."),
        (["bygg", "--alle", "-j", "x"], "Feil: Ugyldig verdi for «-j» / «--jobber»: «x» er ikke et helt tall fra 1 til 64."),
        (["bygg"], "Feil: Skriv «makecase bygg --alle»"),
        (["verifiser", "finnes-ikke.pdf"], "Feil: Fant ikke filen «finnes-ikke.pdf»."),
        (["vis", "ekstra"], "Feil: Uventet argument: «ekstra»."),
        (["--finnes-ikke"], "Feil: Ukjent valg «--finnes-ikke»."),
        # a mistyped flag of a command: click puts its suggestion on the same line (a caseworker's review)
        (["24/20", "--utkats"], "Feil: Ukjent valg «--utkats». (Mente du en av «--utkast», «--utvalg»?)"),
        (["kontroller", "--jsn"], "Feil: Ukjent valg «--jsn». Mente du «--json»?"),
        (["møte", "2020-08-18", "--offentli"], "Feil: Ukjent valg «--offentli». Mente du «--offentlig»?"),
    ])
    def it_says_what_is_wrong_in_bokmal_with_exit_2(self, run, args, message):
        result = run(*args)
        assert result.exit_code == 2
        assert message in result.output
        assert "Skriv «makecase" in result.output
        assert not ENGLISH.search(result.output), result.output

    def it_names_the_command_by_todays_name_when_called_by_an_old_one(self, run):
        result = run("build", "--all", "-j", "0")
        assert result.output.startswith("Bruk: makecase bygg [VALG]")


class DescribeExitCodes:
    """0 ok, 1 rule violation, 2 bad input or usage, 3 internal error: the same in every command."""

    def it_gives_2_for_bad_input_in_kontroller_lag_and_bygg(self, run, project):
        (project / "cases" / "2020" / "24-20.yaml").write_text("sak: 24/20\ntittel: [a\n", encoding="utf-8")
        assert [run(*c).exit_code for c in (["kontroller"], ["24/20"], ["bygg", "--alle", "-j", "1"])] == [2, 2, 2]

    def it_gives_1_for_a_rule_violation_in_kontroller_lag_and_bygg(self, run, project):
        shutil.copy(SEED_SPLIT, project / SKISSE)
        assert [run(*c).exit_code for c in (["kontroller"], ["24/20"], ["bygg", "--alle", "-j", "1"])] == [1, 1, 1]


class DescribeJsonForScripts:
    def it_lists_the_cases(self, run):
        result = run("vis", "--json")
        assert result.exit_code == 0
        data = json.loads(result.output)
        assert [(s["sak"], s["møtedato"], s["status"]) for s in data["saker"]] == [
            ("22/20", "2020-08-18", "klar"), ("23/20", "2020-08-18", "klar"), ("24/20", "2020-08-18", "klar")]
        assert data["filer_med_feil"] == []

    def it_reports_a_clean_check(self, run):
        result = run("kontroller", "--json")
        assert (result.exit_code, json.loads(result.output)) == (0, {"i_orden": True, "saker": 3, "møter": 2, "møtebøker": 2, "funn": []})

    def it_reports_rule_violations_with_file_line_and_severity(self, run, project):
        shutil.copy(SEED_SPLIT, project / SKISSE)
        result = run("kontroller", "--json")
        assert result.exit_code == 1
        [finding] = json.loads(result.output)["funn"]
        assert (finding["fil"], finding["linje"], finding["alvor"]) == ("cases/vedlegg/2020/24-20-prosjektskisse.yaml", 19, "regelbrudd")
        assert "det mangler kr\u00a030\u00a0000" in finding["melding"]

    def it_reports_input_errors_with_field_and_exit_2(self, run, project):
        path = project / "cases" / "2020" / "24-20.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("saksbehandler:", "saksbehandlar:"), encoding="utf-8")
        result = run("kontroller", "--json")
        assert result.exit_code == 2
        data = json.loads(result.output)
        assert data["i_orden"] is False
        assert [(f["fil"], f["felt"], f["alvor"]) for f in data["funn"]] == [("cases/2020/24-20.yaml", "saksbehandlar", "feil")]


class DescribeShellCompletion:
    def complete(self, project, monkeypatch, words: str) -> list[str]:
        monkeypatch.chdir(project)
        env = {"_MAKECASE_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - (not words.endswith(" ")))}
        result = CliRunner().invoke(main_group, [], prog_name="makecase", env=env)
        return [line.split(",", 1)[1] for line in result.output.splitlines()]

    def it_completes_case_numbers_and_commands(self, project, monkeypatch):
        assert self.complete(project, monkeypatch, "makecase 2") == ["22/20", "23/20", "24/20"]
        assert "møte" in self.complete(project, monkeypatch, "makecase m")

    def it_completes_case_numbers_after_lag_and_kontroller(self, project, monkeypatch):
        assert self.complete(project, monkeypatch, "makecase lag 24") == ["24/20"]
        assert self.complete(project, monkeypatch, "makecase kontroller 2") == ["22/20", "23/20", "24/20"]

    def it_completes_meeting_dates(self, project, monkeypatch):
        assert self.complete(project, monkeypatch, "makecase møte 2020") == ["2020-08-18", "2020-09-02"]
