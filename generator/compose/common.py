"""Models and figures → the building blocks every document type shares: the edition, page info, sections, drafts."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from generator.domain import norsk
from generator.domain import prose
from generator import tree as t
from generator.domain.labels import LANGUAGE, catalogue
from generator.load.models import Deltakerkommune, Organisasjon, Sak


@dataclass(frozen=True)
class Utgave:
    """Who a set of documents is for: målform, draft violations, and the kommunestyre it is addressed to."""

    malform: str = "bokmål"
    utkast: tuple[str, ...] | None = None
    kommunestyre: Deltakerkommune | None = None
    folder: str = ""  # output subfolder, e.g. 23-20-kommunestyre-roros/
    lenker: frozenset[str] = prose.SAFE_LINKS  # the link schemes that stay links (see `lenker`)
    #: the day a meeting's package speaks as of: the vedtak of that meeting and every later step is
    #: not known yet (a kommunestyre's copy stops at its own step; None: all the case file records)
    per: dt.date | None = None
    #: the body whose meeting the edition is for: a case shows the number that body gave it (the
    #: council's package shows 24/20 as «sak 31/20»); None: the case's own number
    utvalg: str | None = None
    #: the målform the organisation's texts are written in (None: the edition's): a nynorsk
    #: kommune's edition has its labels in nynorsk and the case's words marked as bokmål
    tekstmalform: str | None = None
    #: the public edition of a meeting's documents: every page says so (printed, it is told from the members')
    offentlig: bool = False

    def hjemmel(self, text: str) -> str:
        """Return a legal basis with the laws named in this edition's målform (kommunelova in nynorsk)."""
        return norsk.lovnavn(text, self.malform)

    def nummer(self, sak: Sak):
        """Return the case's number in this edition (see `utvalg`)."""
        return (self.utvalg and sak.nummer_i(self.utvalg, self.per)) or sak.sak

    @property
    def labels(self) -> dict[str, str]:
        return catalogue(self.malform)

    @property
    def language(self) -> str:
        return LANGUAGE[self.malform]

    @property
    def text_language(self) -> str:
        """The language the organisation's texts are written in (BCP 47)."""
        return LANGUAGE[self.tekstmalform or self.malform]

    def words(self, text: str) -> t.Inlines:
        """Return words of the case (a title, a heading it gives) as inline text, in the language
        they are written in where it is not the edition's."""
        written = self.text_language
        return t.in_language(t.text(text), written) if written != self.language else t.text(text)

    def prose(self, text: str, level: int, values: dict[str, str] | None,
              tables: dict[str, t.Table] | None = None) -> list[t.Block]:
        """Return a text of the case as blocks in this edition: its references filled, its links
        kept as the organisation allows, and its words in the language they are written in."""
        return list(prose.parse(text, level, values, tables, self.language, self.lenker, self.text_language))

    @property
    def draft(self) -> bool:
        return self.utkast is not None

    def name(self, base: str) -> str:
        """Return a document's file name (without suffix) in this edition."""
        return f"{self.folder}{base}-utkast" if self.draft else f"{self.folder}{base}"


def public_edition(labels: dict[str, str], offentlig: bool) -> tuple[t.Field, ...]:
    """Return the masthead field that tells a public edition from the members' (their text is
    otherwise the same where no case is closed)."""
    return (t.Field("utgave", labels["utgave"], labels["offentlig_utgave"]),) if offentlig else ()


def lenker(org: Organisasjon) -> frozenset[str]:
    """Return the link schemes an organisation's documents link: https and mailto, and http where
    the organisation allows it (`http_lenker`); any other scheme's link is plain text."""
    return prose.SAFE_LINKS | ({"http"} if org.http_lenker else set())


def slug(text: str) -> str:
    """Return text as a file-name part: Kommunestyret i Røros → kommunestyret-i-roros."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def body_folders(org: Organisasjon) -> dict[str, str]:
    """Return a file-name part for every body the organisation knows (its utvalg, then each
    member's kommunestyre), each different from the others: a name with no Latin letters, or one
    that spells like an earlier one in a file name («Rådet», «Radet»), gets a short hash of the
    name itself, so no body's documents land on another's and a name keeps its folder however
    the list changes."""
    folders: dict[str, str] = {}
    for name in org.kjente_utvalg():
        folder = slug(name)
        if not folder or folder in folders.values():
            folder = f"{folder or 'utvalg'}-{hashlib.sha256(name.encode()).hexdigest()[:8]}"
        folders.setdefault(name, folder)
    return folders


def section(label: str, text: str | None, values: dict[str, str], utgave: Utgave, framed: bool = False) -> list[t.Block]:
    """Return a main section: a level-2 heading and its prose (`framed`: set off in a frame, as
    the innstilling is), or nothing if there is no text."""
    if not text:
        return []
    blocks = utgave.prose(text, 2, values)
    return [t.Heading(2, t.text(label)), *([t.Framed(tuple(blocks))] if framed else blocks)]


def with_draft_notice(body: list[t.Block], utgave: Utgave) -> list[t.Block]:
    """Return a body with what makes it a draft in a frame under its title (the body as it is
    for a final): the first thing read after the title, never glued to the masthead's tables."""
    if not utgave.draft:
        return body
    if utgave.utkast:
        items = tuple((t.Paragraph(t.text(v)),) for v in utgave.utkast)
        notice = t.Framed((t.Paragraph((t.Bold(t.text(utgave.labels["utkast_merknad"])),)), t.BulletList(items)))
    else:  # a draft asked for where no rule is broken
        notice = t.Framed((t.Paragraph((t.Bold(t.text(utgave.labels["utkast_uten_brudd"])),)),))
    at = 1 if body and isinstance(body[0], t.Heading) else 0
    while at and at < len(body) and isinstance(body[at], t.Paragraph) and body[at].role in ("ingress", "byline"):
        at += 1  # the title block: title, subtitle, author
    return [*body[:at], notice, *body[at:]]


def info(org: Organisasjon, utgave: Utgave, sak: Sak | None, title: str, subject: str, right: str,
         kind: str = "") -> t.DocInfo:
    """Return the document info: metadata from the case, the running header, the draft mark.

    The title says what the document is (`kind`: «Saksframlegg 24/20») before its own title, and
    a draft says so first: a viewer shows it in the title bar, a screen reader announces it, and
    the files of one case are told apart by it."""
    shown = f"{kind}: {title}" if kind else title
    if utgave.draft:
        shown = f"{utgave.labels['utkast']} – {shown}"
    if utgave.offentlig:
        shown = f"{shown} ({utgave.labels['offentlig_kort']})"
    return t.DocInfo(
        title=shown,
        author=(sak and sak.saksbehandler) or org.navn,
        subject=subject,
        language=utgave.language,
        date=next((s.motedato for s in sak.saksgang if s.motedato), None) if sak else None,
        running_left=org.navn,
        running_right=right,
        page_label=utgave.labels["side_av_offentlig" if utgave.offentlig else "side_av"],
        watermark=utgave.labels["utkast"] if utgave.draft else None,
        restriction=f"{utgave.labels['unntatt']}: {utgave.hjemmel(sak.lukket.hjemmel)}" if sak and sak.lukket else None,
        organisation=org.navn,
    )


def letterhead(org: Organisasjon, utvalg: str | None = None) -> t.Letterhead:
    """Return the organisation's letterhead, with the extra lines of the utvalg a document is for."""
    head = org.brevhode
    if head is None:
        return t.Letterhead(org.navn)
    lines = (*head.linjer, *head.utvalg.get(utvalg or "", ()))
    return t.Letterhead(org.navn, tuple(lines), f"cases/{head.logo}" if head.logo else None, head.logo_tekst)


def signatures(signers: list[str], labels: dict[str, str]) -> list[t.Block]:
    """Return place, date and signature lines under a heading, one block per signer («For Røros
    kommune», or a name), two to a row."""

    def block(signer: str) -> t.Inlines:
        return (t.Bold(t.text(signer)), t.LineBreak(), t.LineBreak(),
                t.Text(f"{labels['sted_dato']} {'_' * 20}"), t.LineBreak(), t.LineBreak(), t.LineBreak(),
                t.Text("_" * 34), t.LineBreak(), t.Text(labels["underskrift"]), t.LineBreak(), t.LineBreak())

    cells = [block(s) for s in signers]
    if len(cells) % 2:
        cells.append(())
    rows = tuple((cells[i], cells[i + 1]) for i in range(0, len(cells), 2))
    return [t.Heading(2, t.text(labels["underskrifter"])), t.Table(rows=rows, widths=(0.5, 0.5), borders=False)]
