"""A Word template → the styles it must have, by every name Word and LibreOffice know them by.

makecase writes the body of a DOCX in the template's own styles. A template is an ordinary
.docx that caseworkers open and save in Word or LibreOffice, and each of those may rename a
built-in style: python-docx's default template calls it «heading 1», LibreOffice «Heading 1»,
Word in Norwegian gives it the id «Overskrift1». A style is therefore found by its id or by any
of these names, compared without case or spaces.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE


@dataclass(frozen=True)
class StyleRole:
    """What the renderer uses a style for, and how a template may name it."""

    key: str  # the renderer's name for the role
    style_id: str  # the id in makecase's own templates
    name: str  # the name a caseworker sees in Word (Word's built-in name where there is one)
    kind: WD_STYLE_TYPE
    aliases: tuple[str, ...] = ()  # ids and names in other editors and languages
    use: str = ""  # what it is for, in Norwegian (templates/README.md and error messages)

    def matches(self, style_id: str, name: str | None) -> bool:
        wanted = {_key(self.style_id), _key(self.name), *map(_key, self.aliases)}
        return _key(style_id) in wanted or (name is not None and _key(name) in wanted)


def _key(name: str) -> str:
    return "".join(name.split()).casefold()


P, C, T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE

#: The styles the body of every document is written in.
ROLES = (
    StyleRole("heading1", "Heading1", "Heading 1", P, ("Overskrift1",), "sakens eller dokumentets tittel"),
    StyleRole("heading2", "Heading2", "Heading 2", P, ("Overskrift2",), "hovedavsnittene (Saksopplysninger, Vurdering …)"),
    StyleRole("heading3", "Heading3", "Heading 3", P, ("Overskrift3",), "underoverskrifter (`#` i teksten)"),
    StyleRole("heading4", "Heading4", "Heading 4", P, ("Overskrift4",), "underoverskrifter (`##` i teksten)"),
    StyleRole("bullet1", "ListBullet", "List Bullet", P, ("Punktliste",), "punktlister"),
    StyleRole("bullet2", "ListBullet2", "List Bullet 2", P, ("Punktliste2",), "punktlister på nivå 2"),
    StyleRole("number1", "ListNumber", "List Number", P, ("Nummerertliste",), "nummererte lister"),
    StyleRole("number2", "ListNumber2", "List Number 2", P, ("Nummerertliste2",), "nummererte lister på nivå 2"),
    StyleRole("ingress", "Ingress", "Ingress", P, (), "undertittelen i en prosjektskisse"),
    StyleRole("table", "makecase-tabell", "makecase-tabell", T, (), "tabeller med rammer (budsjett, saksgang)"),
    StyleRole("table_plain", "makecase-tabell-enkel", "makecase-tabell-enkel", T, (),
              "tabeller uten rammer (dokumentliste, underskrifter)"),
    StyleRole("frame", "makecase-ramme", "makecase-ramme", T, (),
              "tekst i ramme: innstillingen og regelbruddene i et utkast"),
    StyleRole("link", "Hyperlink", "Hyperlink", C, ("Hyperkobling",), "lenker"),
)
BY_KEY = {role.key: role for role in ROLES}


def resolve(styles) -> tuple[dict[str, str], list[StyleRole]]:
    """Return the style id a template uses for each role, and the roles it has no style for.

    `styles` is python-docx's `Document.styles`. makecase's own id wins where a template
    has a style of that id as well as another that answers to one of the names.
    """
    found: dict[str, str] = {}
    candidates = [(style.style_id, style.name, style.type) for style in styles]
    for role in ROLES:
        same_kind = [(sid, name) for sid, name, kind in candidates if kind == role.kind]
        exact = [sid for sid, _ in same_kind if sid == role.style_id]
        named = [sid for sid, name in same_kind if role.matches(sid, name)]
        if exact or named:
            found[role.key] = (exact or named)[0]
    return found, [role for role in ROLES if role.key not in found]
