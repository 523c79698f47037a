"""Validated case models (+ computed figures) → document trees (the compose stage).

Each document type is a small function over shared building blocks (`common`); every
fixed text comes from the label catalogue of the edition's målform, every figure from
the check stage. `case_documents` and `signature_documents` are what the pipeline calls.
"""

from __future__ import annotations

from generator import tree as t
from generator.check.rules import Kontroll
from generator.check.values import reference_values
from generator.compose.common import Utgave, body_folders, lenker, slug
from generator.compose.moteinnkalling import moteinnkalling
from generator.compose.moteinnkalling import nummer as moteinnkalling_nummer
from generator.compose.moteinnkalling import motepakke
from generator.compose.moteinnkalling import title as moteinnkalling_title
from generator.compose.saksframlegg import saksframlegg
from generator.compose.vedlegg import COMPOSERS, foreign_pdfs, samarbeidsavtale
from generator.load import Saksmappe
from generator.load.models import Organisasjon

__all__ = [
    "Utgave", "body_folders", "case_documents", "foreign_pdfs", "has_saksframlegg", "lenker", "moteinnkalling", "moteinnkalling_nummer", "motepakke", "moteinnkalling_title", "reference_values", "saksframlegg", "signature_documents", "slug",
]


def has_saksframlegg(mappe: Saksmappe) -> bool:
    """Whether a case has anything to present: a case that is only a title on the saksliste
    (Referatsaker before the referater are in) gets no saksframlegg, not an empty page."""
    sak = mappe.sak.model
    return bool(sak.saksopplysninger or sak.vurdering or sak.innstilling or sak.dokumenter or mappe.vedlegg)


def case_documents(org: Organisasjon, mappe: Saksmappe, kontroll: Kontroll, utgave: Utgave) -> list[t.Document]:
    """Return every document of a case: the saksframlegg, then each vedlegg that is a document
    (nothing for a case without text, see `has_saksframlegg`)."""
    if not has_saksframlegg(mappe):
        return []
    documents = [saksframlegg(org, mappe, kontroll.sakens_tall, utgave)]
    for vedlegg in mappe.vedlegg:
        if vedlegg.dokument is not None:
            tall = kontroll.tall.get(vedlegg.nummer, kontroll.sakens_tall)
            documents.append(COMPOSERS[vedlegg.type](org, mappe, vedlegg, tall, utgave))
    return documents


def signature_documents(org: Organisasjon, mappe: Saksmappe, kontroll: Kontroll, utgave: Utgave) -> list[t.Document]:
    """Return the signature edition of each agreement of a case."""
    return [samarbeidsavtale(org, mappe, v, kontroll.sakens_tall, utgave, signatur=True) for v in mappe.avtaler]
