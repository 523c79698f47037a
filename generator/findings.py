"""Something wrong, and where → one type for the whole pipeline (load, check, the command line).

A finding is an input error (the file cannot be used as written: exit 2), a rule violation
(a binding rule is broken: exit 1, or a draft on request) or a warning (worth saying, changes
nothing). Each names the file and line the caseworker must change, and the field where one
applies: `cases/2020/24-20.yaml:14: saksgang[0].møtedato: «31.02.2020» er ikke en gyldig dato`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    """How bad a finding is, in the words `makecase kontroller --json` prints."""

    INPUT = "feil"
    RULE = "regelbrudd"
    WARNING = "advarsel"


@dataclass(frozen=True)
class Finding:
    """One thing wrong in one place."""

    file: str
    line: int | None
    field: str
    message: str
    severity: Severity = Severity.INPUT

    @classmethod
    def rule(cls, file: str, line: int | None, message: str) -> Finding:
        """Return a rule violation (a rule belongs to no single field)."""
        return cls(file, line, "", message, Severity.RULE)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_json(self) -> dict:
        """Return the finding as plain data for scripts (`--json`)."""
        return {"fil": self.file, "linje": self.line, "felt": self.field or None, "melding": self.message,
                "alvor": self.severity.value}
