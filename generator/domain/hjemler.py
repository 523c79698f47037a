"""A closed case's legal basis (lukket.hjemmel) → its normal form, checked against a catalogue in data.

A hjemmel goes into every page of the closed case, the public meeting documents and the
archive's <skjermingshjemmel>; free text such as «fordi det er hemmelig» is refused with the
nearest catalogue form. The catalogue (generator/hjemler.yaml) holds offentleglova §§ 13–26
with their ledd and the «jf.» forms of § 13; an organisation adds its own forms in
organisasjon.yaml (`hjemler:`). Spelling is normalised first, so «Offl §23 1. ledd» is
«offl. § 23 første ledd», and that is how the documents write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml
from generator.domain.messages import nearest

_ORDINALS = {"første": 1, "fyrste": 1, "1.": 1, "andre": 2, "annet": 2, "2.": 2, "tredje": 3, "3.": 3,
             "fjerde": 4, "4.": 4, "femte": 5, "5.": 5, "sjette": 6, "6.": 6, "sjuende": 7, "syvende": 7, "7.": 7}
ORDINAL = {1: "første", 2: "andre", 3: "tredje", 4: "fjerde", 5: "femte", 6: "sjette", 7: "sjuende"}
_ORDINAL_WORD = "|".join(sorted(ORDINAL.values(), key=len, reverse=True))
#: offl. § 23, with a ledd and what may follow it: nr. 2, bokstav c, andre punktum.
_PARAGRAPH = re.compile(
    rf"offl\. § (?P<paragraf>[0-9]+)(?: (?P<ledd>{_ORDINAL_WORD}) ledd"
    rf"(?: (?:nr\. [0-9]+|bokstav [a-zæøå]))?(?: (?:{_ORDINAL_WORD}) punktum)?)?"
)


@dataclass(frozen=True)
class Katalog:
    """The catalogue: offentleglova's paragraphs (number → ledd, whether § 13's jf. is needed)
    and the jf. forms."""

    paragrafer: dict[int, tuple[int, bool]]
    jf: tuple[str, ...]


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("hjemler.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def katalog() -> Katalog:
    paragrafer = {int(n): (int(p["ledd"]), bool(p.get("krever_jf"))) for n, p in _data()["offentleglova"].items()}
    return Katalog(paragrafer, tuple(normalise(f) for f in _data()["jf"]))


def normalise(text: str) -> str:
    """Return a hjemmel in the catalogue's spelling: «Offentleglova §023 1. ledd 2. pkt» →
    «offl. § 23 første ledd andre punktum»."""
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().rstrip(".,;")
    text = re.sub(r"(?<=[^\s§])§", " §", text)
    text = re.sub(r"§\s*0*(?=[0-9])", "§ ", text)
    text = re.sub(r"\bjfr?\b\.?", "jf.", text, flags=re.IGNORECASE)
    text = re.sub(r"\bnr\b\.?\s*(?=[0-9])", "nr. ", text, flags=re.IGNORECASE)
    text = re.sub(r"\bpkt\b\.?", "punktum", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(\S+) (ledd|punktum)\b", lambda m: f"{_ordinal(m.group(1))} {m.group(2).lower()}", text,
                  flags=re.IGNORECASE)
    names = _names()
    return re.sub(r"[A-Za-zÆØÅæøå]+\.?(?= §)", lambda m: names.get(m.group().casefold().rstrip("."), m.group()), text)


def _key(text: str) -> str:
    """Return what two spellings of one hjemmel share: «bvl § 6-7» is «bvl. § 6-7»."""
    return re.sub(r"\.(?= §)", "", normalise(text)).casefold()


def _ordinal(word: str) -> str:
    number = _ORDINALS.get(word.casefold())
    return ORDINAL[number] if number else word


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Law names (and abbreviations written without their point) → the abbreviation."""
    return {name.casefold().rstrip("."): short for short, names in _data()["forkortelser"].items() for name in names}


def forms(extra: tuple[str, ...] = ()) -> list[str]:
    """Return every form the catalogue (and the organisation's `extra`) accepts, for suggestions."""
    kat = katalog()
    found = []
    for number, (ledd, needs_jf) in sorted(kat.paragrafer.items()):
        if not needs_jf:
            found += [f"offl. § {number}", *(f"offl. § {number} {ORDINAL[i]} ledd" for i in range(1, ledd + 1))]
    return found + list(kat.jf) + [normalise(e) for e in extra]


def problem(hjemmel: str, extra: tuple[str, ...] = ()) -> str | None:
    """Return why a hjemmel (already normalised) is not in the catalogue, or None if it is."""
    kat = katalog()
    if _key(hjemmel) in {_key(f) for f in (*kat.jf, *extra)}:
        return None
    match = _PARAGRAPH.fullmatch(hjemmel)
    if match:
        number = int(match.group("paragraf"))
        if number not in kat.paragrafer:
            return (f"offl. § {number} er ikke en unntakshjemmel; unntakene fra innsyn står i offentleglova §§ "
                    f"{min(kat.paragrafer)}–{max(kat.paragrafer)}")
        ledd, needs_jf = kat.paragrafer[number]
        if needs_jf:
            examples = " eller ".join(f"«{f}»" for f in kat.jf[:2])
            return f"offl. § {number} må si hvilken lov som gir taushetsplikten, med «jf.», f.eks. {examples}"
        if match.group("ledd") and _ORDINALS[match.group("ledd")] > ledd:
            return f"offl. § {number} har {ledd} ledd; «{hjemmel}» finnes ikke"
        return None
    numbers = re.findall(r"[0-9]+", hjemmel)  # another number is another legal ground, not a misspelling
    close = nearest(hjemmel, [f for f in forms(extra) if re.findall(r"[0-9]+", f) == numbers], last_word=True)
    if close:
        return f"ukjent hjemmel «{hjemmel}»; mente du «{close}»?"
    return (f"ukjent hjemmel «{hjemmel}»: skriv en hjemmel fra offentleglova §§ {min(kat.paragrafer)}–"
            f"{max(kat.paragrafer)}, f.eks. «offl. § 23 første ledd» eller «{kat.jf[0]}»; flere hjemler kan "
            "legges til i organisasjon.yaml under «hjemler»")


#: kommuneloven, however it is written
_KOML = r"(?:koml\.?|kml\.?|kommuneloven|kommunelova)"
_JF = r"(?: jf\. [^§]*§ .+)?"  # «jf.» and another legal basis


def lukking_problem(text: str) -> str | None:
    """Return why a hjemmel cannot be the legal basis for closing a meeting (None: it can): it is
    kommuneloven § 11-5 andre ledd (the meeting must be closed) or tredje ledd (it may be), with its
    bokstav, as the møtebok must name it (§ 11-4); a reason in words, or offentleglova alone (which
    keeps documents from the public, not meetings), is no such basis."""
    form = normalise(text)
    if re.fullmatch(rf"{_KOML} § 11-5 (?:andre|tredje) ledd bokstav [ab]{_JF}", form, re.IGNORECASE):
        return None
    return (f"«{text}» er ikke en hjemmel for å lukke et møte: skriv kommuneloven § 11-5 andre ledd (møtet skal lukkes) "
            "eller tredje ledd (møtet kan lukkes) med bokstav, f.eks. «kommuneloven § 11-5 tredje ledd bokstav a»")


def inhabilitet_problem(text: str) -> str | None:
    """Return why a hjemmel cannot be the legal basis for a member's inhabilitet (None: it can):
    forvaltningsloven § 6 or kommuneloven § 11-10, with ledd and bokstav where given."""
    form = normalise(text)
    fvl = r"fvl\. § 6(?: første ledd(?: bokstav [a-e](?: nr\. [1-3])?)?| (?:andre|tredje) ledd)?"
    koml = rf"{_KOML} § 11-10(?: (?:første|andre|tredje|fjerde) ledd(?: bokstav [a-d])?)?"
    if re.fullmatch(rf"(?:{fvl}|{koml}){_JF}", form, re.IGNORECASE):
        return None
    return (f"«{text}» er ikke en hjemmel for inhabilitet: skriv forvaltningsloven § 6 med ledd og bokstav, eller "
            "kommuneloven § 11-10, f.eks. «fvl. § 6 første ledd bokstav a»")


def extra_problem(form: str) -> str | None:
    """Return why a form an organisation adds (organisasjon.yaml, `hjemler:`) cannot be a legal
    basis for closing a case: it must cite one of offentleglova's exceptions (§ 13 with «jf.»)."""
    kat = katalog()
    text = normalise(form)
    match = re.match(r"offl\. § ([0-9]+)\b", text)
    span = f"offentleglova §§ {min(kat.paragrafer)}–{max(kat.paragrafer)}"
    if not match or int(match.group(1)) not in kat.paragrafer:
        return (f"«{text}» viser ikke til et unntak i {span}; en hjemmel begynner med paragrafen i offentleglova, "
                "f.eks. «offl. § 13 jf. barnevernsloven § 13-1»")
    if kat.paragrafer[int(match.group(1))][1] and " jf. " not in text:
        return f"«{text}»: offl. § {match.group(1)} må si hvilken lov som gir taushetsplikten, med «jf.»"
    return None
