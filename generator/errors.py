"""What went wrong → the exception makecase raises, each with its documented exit status.

Exit status: 0 ok, 1 rule violations, 2 bad input or usage, 3 internal error.
Library code raises these and never prints or exits; the CLI shows them.
"""

from __future__ import annotations

import click

from generator.findings import Finding


class MakecaseError(click.ClickException):
    """Base of every error the user should see as a message, not a traceback."""

    exit_code = 2

    def show(self, file=None) -> None:  # noqa: D102 - Norwegian prefix instead of click's "Error:"
        click.echo(f"Feil: {self.format_message()}", file=file, err=True)


def _place(finding) -> tuple:
    """Where a finding is, for sorting (a finding without a file, a plain text, goes first)."""
    return (getattr(finding, "file", ""), getattr(finding, "line", None) or 0)


class InputError(MakecaseError):
    """Bad input files: every problem found, not just the first (exit 2)."""

    exit_code = 2

    def __init__(self, problems: list[Finding], violations: list[Finding] | None = None):
        self.problems = sorted(problems, key=_place)  # file by file, top down
        self.violations = list(violations or [])
        count = len(problems)
        lines = ["Fant 1 feil i saksfilene:" if count == 1 else f"Fant {count} feil i saksfilene:"]
        lines += [f"  {p}" for p in self.problems]
        if violations:  # what the files that could be read break, in the same round
            lines.append(f"Fant også {len(violations)} regelbrudd i det som kunne leses:")
            lines += [f"  {v}" for v in sorted(self.violations, key=_place)]
        super().__init__("\n".join(lines))


class ProjectError(MakecaseError):
    """The project folder, a case number or a template cannot be found or used (exit 2)."""

    exit_code = 2


class RuleViolationError(MakecaseError):
    """A case breaks a binding rule; final documents are refused (exit 1)."""

    exit_code = 1

    def __init__(self, violations: list, heading: str = "Saken bryter reglene, og ingen dokumenter ble laget:"):
        self.violations = sorted(violations, key=_place)  # file by file, top down, as kontroller lists them
        super().__init__("\n".join([heading, *(f"  {v}" for v in self.violations)]))


class InternalError(MakecaseError):
    """A bug in makecase: a short message instead of a traceback (exit 3)."""

    exit_code = 3

    def __init__(self, cause: BaseException):
        super().__init__(
            f"Intern feil i makecase ({type(cause).__name__}: {cause}). "
            "Kjør kommandoen på nytt med --feilsporing for detaljer, og meld feilen."
        )
