"""Text → text every stage can carry: what XML 1.0 cannot hold is removed where text enters.

A module of its own, so that the document tree (and the renderers that import it) need
nothing of the loading stage's libraries.
"""

from __future__ import annotations

import re

# Characters XML 1.0 forbids (and lone surrogates). Removed from every text as it is loaded
# (and again as it enters the document tree), so no input can produce a corrupt DOCX or PDF.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """Return text without the characters XML cannot carry."""
    return _XML_FORBIDDEN.sub("", text)
