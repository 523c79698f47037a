"""reportlab's platypus without its URL pattern compiled at import (generator.platypus)."""

from __future__ import annotations

import re
import subprocess
import sys

from generator.platypus import URI_PATTERN_START, LazyPattern


def it_leaves_the_url_pattern_uncompiled_when_the_pdf_renderer_is_imported():
    probe = (
        "import re; compile = re.compile\n"
        "import generator.render_pdf\n"
        "from reportlab.platypus import paragraph\n"
        "from generator.platypus import LazyPattern\n"
        "assert re.compile is compile, 're.compile was not put back'\n"
        "assert type(paragraph.uri_pat) is LazyPattern, type(paragraph.uri_pat)\n"
        "assert 'compiled' not in vars(paragraph.uri_pat)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def it_matches_as_the_compiled_pattern_does():
    from reportlab.platypus import paragraph

    pattern = paragraph.uri_pat.pattern
    assert pattern.startswith(URI_PATTERN_START)
    lazy, real = LazyPattern(pattern, re.I), re.compile(pattern, re.I)
    for text in ("https://www.trondelagsor.no/politikk?sak=24", "ftp://Arkiv.Example.NO/", "ikke en adresse", ""):
        assert bool(lazy.match(text)) == bool(real.match(text))
        assert (lazy.match(text) and lazy.match(text).group(1)) == (real.match(text) and real.match(text).group(1))
    assert lazy.flags == re.I and lazy.compiled.pattern == pattern
