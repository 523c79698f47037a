"""Norwegian texts for click's own words (Usage, Options, its error messages).

click marks its texts for gettext; we answer those look-ups from a small table, so the
help and the usage errors a caseworker sees are in bokmål. Texts not in the table stay
as click writes them.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.types

TEXTS = {
    "Usage:": "Bruk:",
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Show this message and exit.": "Vis denne hjelpen og avslutt.",
    "Show the version and exit.": "Vis versjonen og avslutt.",
    "%(prog)s, version %(version)s": "%(prog)s, versjon %(version)s",
    "Error: {message}": "Feil: {message}",
    "Try '{command} {option}' for help.": "Skriv «{command} {option}» for hjelp.",
    "No such command {name!r}.": "Ukjent kommando «{name}».",
    "No such option {name!r}.": "Ukjent valg «{name}».",
    "No such option: {name}": "Ukjent valg: {name}",
    "Missing argument": "Mangler argument",
    "Missing option": "Mangler valg",
    "Missing parameter": "Mangler parameter",
    "Missing command.": "Mangler kommando.",
    "Invalid value for {param_hint}: {message}": "Ugyldig verdi for {param_hint}: {message}",
    "Invalid value: {message}": "Ugyldig verdi: {message}",
    "Option {name!r} requires an argument.": "Valget «{name}» trenger en verdi.",
    "Option {name!r} does not take a value.": "Valget «{name}» tar ingen verdi.",
    "{value!r} is not one of {choices}.": "«{value}» er ikke en av {choices}.",
    "{name} {filename!r} does not exist.": "{name} «{filename}» finnes ikke.",
    "{name} {filename!r} is a file.": "{name} «{filename}» er en fil.",
    "directory": "Mappen",
    "path": "Stien",
    "file": "Filen",
    "Aborted!": "Avbrutt.",
    "Got unexpected extra argument ({args})": "Uventet ekstra argument ({args})",
    "Got unexpected extra arguments ({args})": "Uventede ekstra argumenter ({args})",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en av: {possibilities}?)",
}


def _gettext(message: str) -> str:
    return TEXTS.get(message, message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    return _gettext(singular if count == 1 else plural)


def install() -> None:
    """Make click speak bokmål."""
    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.types):
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
