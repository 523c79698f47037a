"""pydantic's validation errors → Norwegian problem texts a caseworker understands.

Every message says what was expected and what was found, e.g.
`forventet tekst, fant tallet 2020`.
"""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the command line imports this module's wording without pydantic
    from pydantic import BaseModel


def antall(n: int, en: str, flere: str) -> str:
    """Return a count with its noun in the number it takes: «1 fil», «2 filer»."""
    return f"{n} {en if n == 1 else flere}"


def format_path(path: tuple) -> str:
    """Return ("saksgang", 0, "møtedato") as saksgang[0].møtedato."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def shown(value: object, limit: int = 60) -> str:
    """Return a value as the user typed it, in «», shortened if long."""
    if isinstance(value, bool):
        return "«true»" if value else "«false»"
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"«{text}»"


def found(value: object) -> str:
    """Name what the user wrote: 'tallet 2020', 'en liste', 'ingen verdi'."""
    if value is None:
        return "ingen verdi"
    if isinstance(value, bool):
        return f"sannhetsverdien {shown(value)}"
    if isinstance(value, int):
        return f"tallet {value}"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "en gruppe felt (nøkkel: verdi)"
    return f"teksten {shown(value)}"


def message_for(error: dict, models: tuple[type[BaseModel], ...]) -> str:
    """Return the Norwegian text for one pydantic error dict."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "påkrevd felt mangler"
    if kind == "extra_forbidden":
        return _unknown_field(tuple(error["loc"]), models)
    if kind == "string_type":
        return f"forventet tekst, fant {found(value)}"
    if kind == "string_pattern_mismatch":
        return f"forventet små bokstaver, tall, - og _ (f.eks. «kmd-kompetansepiloter»), fant {found(value)}"
    if kind == "string_too_short" or (kind == "too_short" and isinstance(value, str)):
        return "kan ikke være tom"
    if kind == "string_too_long":
        return f"kan være høyst {ctx.get('max_length')} tegn, fant {len(str(value))}; lengre tekst hører hjemme i et tekstfelt"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"forventet et heltall, fant {found(value)}"
    if kind == "int_parsing_size":
        return f"urimelig stort tall ({len(str(value))} sifre)"
    if kind == "greater_than_equal":
        return f"må være minst {ctx.get('ge')}, fant {found(value)}"
    if kind == "list_type":
        return f"forventet en liste (linjer som begynner med «- »), fant {found(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"forventet en gruppe felt (nøkkel: verdi), fant {found(value)}"
    if kind == "too_short":
        return f"må ha minst {antall(ctx.get('min_length'), 'element', 'elementer')}, fant {ctx.get('actual_length', 0)}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        choices = ", ".join(f"«{c.strip()}»" for c in expected.split(","))
        return f"må være en av {choices}, fant {found(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"forventet true eller false, fant {found(value)}"
    if kind in ("saksnummer", "arkivsaksnummer", "dato", "klokkeslett", "belop", "prosent", "makecase"):
        return error["msg"]
    return f"ugyldig verdi {shown(value)}"


def nearest(name: str, names, cutoff: float = 0.6, last_word: bool = False) -> str | None:
    """Return the one of `names` that `name` is most likely a misspelling of (None: none is near).
    Near in what tells the names apart: «Kommunedirektøren i Trondheim» shares most of its letters
    with «Kommunedirektøren i Røros», but is not a misspelling of it (a møtesekretær's review).
    `last_word`: the last words must be near too, for names that end in what tells them apart
    («… i Meldal» is not a misspelt «… i Melhus», nor «nr. 3» a misspelt «nr. 2»)."""
    def near(candidate: str) -> bool:
        if last_word and not _same_word(name.split()[-1:], candidate.split()[-1:]):
            return False
        shared = len(os.path.commonprefix([name.casefold(), candidate.casefold()]))
        typed = name[shared:].casefold()  # what follows the shared stem, against as much of the candidate
        rest = difflib.SequenceMatcher(None, typed, candidate[shared:].casefold()[:len(typed) + 2]).ratio()
        return shared < len(name) / 2 or len(typed) < 4 or rest >= 0.6 or not candidate[shared:]

    close = [c for c in difflib.get_close_matches(name, [n for n in names if n != name], n=3, cutoff=cutoff) if near(c)]
    return close[0] if close else None


def _same_word(typed: list[str], candidate: list[str]) -> bool:
    """Whether a word is the other misspelt: «Røross», «Roros» are «Røros»; «Meldal» is not «Melhus»."""
    if not typed or not candidate:
        return typed == candidate
    return difflib.SequenceMatcher(None, typed[0].casefold(), candidate[0].casefold()).ratio() >= 0.75


def mente_du(name: str, names, cutoff: float = 0.6, last_word: bool = False) -> str:
    """Return «; mente du «…»?» for a name written nearly as one of `names` (empty: none is near)."""
    close = nearest(name, names, cutoff, last_word)
    return f"; mente du «{close}»?" if close else ""


def _unknown_field(loc: tuple, models: tuple[type[BaseModel], ...]) -> str:
    """Suggest a key the model at that place has (`votering:` under a case means `voteringer:`, though
    a lukking's `votering:` is a key elsewhere); anywhere's keys where the place cannot be followed."""
    here = _keys_at(models, loc[:-1])
    return f"ukjent felt{mente_du(str(loc[-1]), here if here is not None else _known_keys(models))}"


def _keys_at(models: tuple[type[BaseModel], ...], loc: tuple) -> list[str] | None:
    """Return the keys of the model at `loc` (None: the path leads to no single model)."""
    from pydantic import BaseModel

    current = list(models)
    for part in loc:
        if isinstance(part, int) or len(current) != 1:
            continue
        by_key = {info.alias or name: info for name, info in current[0].model_fields.items()}
        if part not in by_key:
            return None
        current = _inner_models(by_key[part].annotation)
    if len(current) != 1 or not issubclass(current[0], BaseModel):
        return None
    return [info.alias or name for name, info in current[0].model_fields.items()]


@lru_cache(maxsize=None)
def _known_keys(models: tuple[type[BaseModel], ...]) -> list[str]:
    """Return every key the given models (and the models inside them) accept."""
    keys: set[str] = set()
    seen: set[type] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            keys.add(info.alias or name)
            for inner in _inner_models(info.annotation):
                visit(inner)

    for model in models:
        visit(model)
    return sorted(keys)


def _inner_models(annotation: object) -> list[type[BaseModel]]:
    from pydantic import BaseModel

    found_models = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found_models.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found_models.extend(_inner_models(arg))
    return found_models
