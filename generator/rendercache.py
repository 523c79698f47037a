"""What makecase remembers between runs in output/.makecase-cache/: which Word templates (by
their exact bytes) passed the template check, so that a single run need not check an unchanged
template again. Deleting the folder costs the next run the check, nothing else.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from generator import __version__

FOLDER = ".makecase-cache"


@lru_cache(maxsize=1)
def _template_salt() -> bytes:
    """What besides a Word template's bytes decides whether it passes: the checking code."""
    package = resources.files("generator")
    digest = hashlib.sha256(__version__.encode())
    for name in ("render_docx.py", "wordstyles.py"):
        digest.update(package.joinpath(name).read_bytes())
    return digest.digest()


class RenderCache:
    """The cache of one output folder."""

    def __init__(self, output: Path):
        self.folder = output / FOLDER

    def _template_entry(self, data: bytes) -> Path:
        return self.folder / f"mal-{hashlib.sha256(_template_salt() + data).hexdigest()[:40]}.ok"

    def template_checked(self, data: bytes) -> bool:
        """Whether a Word template with exactly these bytes passed the check before."""
        return self._template_entry(data).is_file()

    def template_passed(self, data: bytes) -> None:
        """Note that a Word template with these bytes passed the check."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._template_entry(data).touch()
        except OSError:
            pass
