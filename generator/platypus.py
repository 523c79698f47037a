"""reportlab's platypus, imported without compiling a pattern makecase never uses.

Importing reportlab.platypus.paragraph compiles `uri_pat`, a case-insensitive URL pattern
whose character classes span most of Unicode: about 35 ms, a fifth of a PDF helper's start
(`python -X importtime`). The pattern only serves `rl_config.uriWasteReduce`, which makecase
leaves off, so here it is compiled the first time something uses it. Every other pattern,
and every other module, compiles as usual.
"""

from __future__ import annotations

import importlib
import re
import sys
from functools import cached_property

#: How reportlab's URL pattern begins (reportlab 4 and 5); a pattern that does not is left alone.
URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"


class LazyPattern:
    """Stands in for a compiled pattern; compiles it on first use."""

    def __init__(self, pattern: str, flags: int):
        self.pattern = pattern
        self.flags = flags

    @cached_property
    def compiled(self) -> re.Pattern:
        return _compile(self.pattern, self.flags)

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)


_compile = re.compile


def _compile_uri_lazily(pattern, flags=0):
    if isinstance(pattern, str) and pattern.startswith(URI_PATTERN_START):
        return LazyPattern(pattern, flags)
    return _compile(pattern, flags)


if "reportlab.platypus.paragraph" not in sys.modules:
    re.compile = _compile_uri_lazily
    try:
        importlib.import_module("reportlab.platypus.paragraph")
    finally:
        re.compile = _compile

import reportlab.platypus as _platypus  # noqa: E402 - after the import above


def __getattr__(name: str):
    """This module stands for reportlab.platypus: `from generator.platypus import Paragraph`."""
    return getattr(_platypus, name)
