"""click's own words → bokmål, through click's public hooks (the help and the usage errors).

A caseworker reads `makecase --hjelp` and click's messages about a mistyped command line;
both are in bokmål. The help comes from a formatter of our own (`Context.formatter_class`),
the usage line's «[VALG]» from `options_metavar`, the help option's text from
`get_help_option`; click's usage errors are caught where a command line is parsed
(`parse_args`, `resolve_command`) and raised again with their message in bokmål, by the
table `ERRORS` over click's English texts. English spellings of makecase's own commands and
flags from earlier versions are accepted (`COMMAND_ALIASES`, `FLAG_ALIASES`), never shown.
"""

from __future__ import annotations

import re

import click

from generator.domain.messages import nearest

#: Commands and flags of earlier versions → today's. Accepted so that scripts keep working.
COMMAND_ALIASES = {"watch": "se", "meeting": "møte", "mote": "møte", "minutes": "møtebok", "motebok": "møtebok", "build": "bygg", "check": "kontroller", "list": "vis",
                   "verify": "verifiser", "schema": "skjema"}
FLAG_ALIASES = {"--draft": "--utkast", "--all": "--alle", "--force": "--tving", "--jobs": "--jobber",
                "--root": "--mappe", "--debug": "--feilsporing", "--version": "--versjon"}
HELP_NAMES = ["-h", "--hjelp", "--help"]
#: click's «no arguments: show the help» (click 8.2 and later), which is no error to translate.
_HELP_ONLY = tuple(e for e in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if e is not None)

HEADINGS = {"Options": "Valg", "Commands": "Kommandoer", "Positional arguments": "Argumenter"}

#: click's English usage errors (click 8.1–8.5) → bokmål. A text not here is shown as click wrote it.
ERRORS = [
    (r"No such option:? '?(?P<a>[^'\s]+)'?\.?", "Ukjent valg «{a}»."),
    (r"No such command '(?P<a>.+)'\.", "Ukjent kommando «{a}»."),
    (r"\(Did you mean one of: (?P<a>.+)\?\)", "(Mente du en av {a}?)"),
    (r"\(Did you mean (?P<a>.+)\?\)", "(Mente du {a}?)"),
    (r"Did you mean one of: (?P<a>.+)\?", "Mente du en av {a}?"),
    (r"Did you mean (?P<a>.+)\?", "Mente du {a}?"),
    (r"\(Possible options: (?P<a>.+)\)", "(Mulige valg: {a})"),
    (r"Missing argument '(?P<a>.+)'\.", "Mangler argumentet «{a}»."),
    (r"Missing option '(?P<a>.+)'\.", "Mangler valget «{a}»."),
    (r"Missing parameter: (?P<a>.+)", "Mangler {a}."),
    (r"Missing command\.", "Mangler kommando."),
    (r"Got unexpected extra arguments? \((?P<a>.+)\)", "Uventet argument: «{a}»."),
    (r"Option '(?P<a>.+)' requires an argument\.", "Valget «{a}» trenger en verdi."),
    (r"Option '(?P<a>.+)' requires (?P<b>\d+) arguments\.", "Valget «{a}» trenger {b} verdier."),
    (r"Option '(?P<a>.+)' does not take a value\.", "Valget «{a}» tar ingen verdi."),
    (r"Invalid value for (?P<a>.+?): (?P<b>.+)", "Ugyldig verdi for {a}: {b}"),
    (r"Invalid value: (?P<a>.+)", "Ugyldig verdi: {a}"),
]
_ERRORS = [(re.compile(pattern), text) for pattern, text in ERRORS]


def in_bokmal(message: str) -> str:
    """Return a click usage error's text in bokmål, line by line (click adds «Did you mean» lines)."""
    return "\n".join(_line(line) for line in message.split("\n"))


def _line(line: str) -> str:
    """Return a line in bokmål: whole, or sentence by sentence (click writes «No such option 'x'.
    Did you mean 'y'?» on one line in some versions and on two in others)."""
    for pattern, text in _ERRORS:
        match = pattern.fullmatch(line.strip())
        if match:
            return text.format(**{k: _name(v) for k, v in match.groupdict().items()})
    first, sep, rest = line.partition(". ")
    if sep and rest:
        return f"{_line(first + '.')} {_line(rest)}"
    return line


def _name(text: str) -> str:
    """Return a quoted name from click's message in Norwegian quotes: 'SAK' → «SAK»."""
    return re.sub(r"'([^']*)'", r"«\1»", text) if "'" in text else text


def alias(arg: str) -> str:
    """Return today's spelling of a flag written as in an earlier version (`--draft` → `--utkast`)."""
    name, sep, value = arg.partition("=")
    return FLAG_ALIASES.get(name, name) + sep + value if name in FLAG_ALIASES else arg


class UsageError(click.UsageError):
    """A usage error shown in bokmål: the usage line, where to find help, what is wrong (exit 2)."""

    def show(self, file=None) -> None:  # noqa: D102
        lines = [self.ctx.get_usage(), f"Skriv «{self.ctx.command_path} --hjelp» for hjelp.", ""] if self.ctx else []
        for line in [*lines, f"Feil: {self.format_message()}"]:
            click.echo(line, file=file, err=file is None)


class Formatter(click.HelpFormatter):
    """click's help formatter with headings and the usage line in bokmål."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: D102
        super().write_usage(prog, args, prefix="Bruk: ")

    def write_heading(self, heading: str) -> None:  # noqa: D102
        super().write_heading(HEADINGS.get(heading, heading))


class Context(click.Context):
    formatter_class = Formatter


class _Norsk:
    """What every makecase command shares: bokmål help, old flag spellings, errors in bokmål."""

    context_class = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[VALG]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context):  # noqa: D102
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Vis denne hjelpen og avslutt."
        return option

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:  # noqa: D102
        arguments = []
        for index, arg in enumerate(args):
            if arg == "--":
                arguments += args[index:]
                break
            arguments.append(alias(arg))
        try:
            return super().parse_args(ctx, arguments)
        except (UsageError, *_HELP_ONLY):
            raise  # ours already, or «makecase» alone: click shows the help (in bokmål, by our formatter)
        except click.UsageError as err:
            raise UsageError(in_bokmal(err.format_message()), err.ctx or ctx) from None


class Command(_Norsk, click.Command):
    """A makecase command (see the module)."""


class Group(_Norsk, click.Group):
    """The makecase group: commands by today's names or an earlier version's (see the module)."""

    command_class = Command

    def get_command(self, ctx: click.Context, cmd_name: str):  # noqa: D102
        return super().get_command(ctx, COMMAND_ALIASES.get(cmd_name, cmd_name))

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """Return the command by today's name, also when it was called by an earlier one."""
        try:
            name, command, rest = super().resolve_command(ctx, args)
            return (command.name if command is not None else name), command, rest
        except UsageError:
            raise
        except click.UsageError as err:
            raise UsageError(in_bokmal(err.format_message()), err.ctx) from None


def unknown_command(ctx: click.Context, name: str, commands: list[str], hint: str = "") -> UsageError:
    """Return the error for a command makecase does not know, with the nearest one it does."""
    close = nearest(name, commands + list(COMMAND_ALIASES))
    close = COMMAND_ALIASES.get(close, close)
    message = f"Ukjent kommando «{name}»." + (f" Mente du «{close}»?" if close else "") + hint
    return UsageError(message, ctx)
