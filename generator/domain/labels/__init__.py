"""A målform → the label catalogue: every fixed text of the documents, one YAML file per målform.

Composers take labels from here; renderers never hold a label of their own.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

MALFORMER = ("bokmål", "nynorsk")
LANGUAGE = {"bokmål": "nb", "nynorsk": "nn"}
_FILES = {"bokmål": "bokmal.yaml", "nynorsk": "nynorsk.yaml"}


@lru_cache(maxsize=None)
def catalogue(malform: str = "bokmål") -> dict[str, str]:
    """Return the labels of a målform (bokmål or nynorsk); every målform has the same keys."""
    if malform not in MALFORMER:
        raise ValueError(f"ukjent målform {malform!r}; kjente: {', '.join(MALFORMER)}")
    text = resources.files(__package__).joinpath(_FILES[malform]).read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml where present
