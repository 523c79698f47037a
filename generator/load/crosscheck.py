"""Loaded files → where one file disagrees with itself, the organisation, or the other case files.

Checked: bodies named, the saksgang's numbers and dates, the legal basis of a closed case, case numbers
(unique within their utvalg) and archive cases (one case each unless declared shared).

Each check returns problems with file:line; none raises, so every problem in every file is
reported in one run.
"""

from __future__ import annotations


from generator.domain import norsk
from generator.domain import hjemler
from generator.findings import Finding
from generator.load.files import Loaded
from generator.load.index import Declared
from generator.load.models import Mote, Organisasjon, Sak
from generator.folder import ProjectFolder
from generator.domain.messages import mente_du


def check_bodies(org: Organisasjon | None, loaded: Loaded[Sak] | Loaded[Mote]) -> list[Finding]:
    """Return a problem for every body a case or meeting names that the organisation lacks."""
    if org is None:
        return []
    known = org.kjente_utvalg()
    model = loaded.model
    if isinstance(model, Mote):
        named = [(("utvalg",), model.utvalg)]
    else:
        named = [(("saksgang", i, "utvalg"), steg.utvalg) for i, steg in enumerate(model.saksgang)]
        named += [(("utvalg",), model.utvalg)] if model.utvalg else []
    problems = []
    for path, name in named:
        if name not in known and loaded.given(name):
            hint = mente_du(name, known, 0.5) or "; kjente utvalg står i organisasjon.yaml"
            problems.append(loaded.source.problem(path, f"ukjent utvalg «{name}»{hint}"))
    return problems


def check_saksgang(loaded: Loaded[Sak]) -> list[Finding]:
    """Return a problem where the saksgang disagrees with the case: a step in the case's own utvalg
    with another utvalgssak than the case's number, the own utvalg missing from the saksgang,
    and meeting dates that do not increase from step to step."""
    sak, source = loaded.model, loaded.source
    problems = []
    if sak.utvalg and not any(s.utvalg == sak.utvalg for s in sak.saksgang):
        problems.append(source.problem(("utvalg",), f"utvalget «{sak.utvalg}» står ikke i saksgangen; saken "
                                                    "nummereres i et utvalg som behandler den"))
    for i, steg in enumerate(sak.saksgang):
        if steg.utvalg == sak.eget_utvalg and steg.utvalgssak is not None and steg.utvalgssak != sak.sak:
            problems.append(source.problem(("saksgang", i, "utvalgssak"), (
                f"utvalgssaken er {steg.utvalgssak}, men saken er sak {sak.sak} i «{steg.utvalg}» "
                f"(sak:, linje {source.line(('sak',))}); i sakens eget utvalg skal de være like")))
    dated = [(i, s.motedato) for i, s in enumerate(sak.saksgang) if s.motedato]
    for (i, before), (j, when) in zip(dated, dated[1:]):
        if when <= before:
            same = "samme dag som" if when == before else "før"
            problems.append(source.problem(("saksgang", j, "møtedato"), (
                f"møtedatoen {norsk.dato(when)} er {same} forrige møte i saksgangen ({norsk.dato(before)}, "
                f"linje {source.line(('saksgang', i, 'møtedato'))}); saksgangen står i den rekkefølgen saken behandles")))
    return problems


def check_hjemmel(org: Organisasjon | None, loaded: Loaded[Sak]) -> list[Finding]:
    """Return a problem for each legal basis not in the catalogue: of a closed case, and of a
    closed vedlegg."""
    closed = [(("lukket", "hjemmel"), loaded.model.lukket)]
    closed += [(("vedlegg", i, "lukket", "hjemmel"), v.lukket) for i, v in enumerate(loaded.model.vedlegg)]
    problems = []
    for path, lukket in closed:
        if lukket is None or not loaded.given(lukket.hjemmel):
            continue
        problem = hjemler.problem(lukket.hjemmel, tuple(org.hjemler) if org else ())
        if problem:
            problems.append(loaded.source.problem(path, problem))
    return problems


def duplicate_numbers(saker: list[Loaded[Sak]]) -> list[Finding]:
    """Return a problem for every number a body has given twice: a case's own number in its
    utvalg, and the utvalgssak of each step in another body, are one series per body."""
    first: dict[tuple, tuple[Loaded[Sak], tuple]] = {}
    problems = []
    for sak in saker:
        model = sak.model
        claims = [(("sak",), model.eget_utvalg, model.sak)]
        claims += [(("saksgang", i, "utvalgssak"), s.utvalg, s.utvalgssak) for i, s in enumerate(model.saksgang)
                   if s.utvalgssak is not None and s.utvalg != model.eget_utvalg]
        for path, utvalg, nummer in claims:
            key = (utvalg, nummer)
            if key in first and first[key][0] is not sak:
                other, where = first[key]
                problems.append(sak.source.problem(path, (
                    f"saksnummeret {nummer} i «{utvalg}» er allerede brukt i {other.source.file}:{other.source.line(where)}")))
            else:
                first.setdefault(key, (sak, path))
    return problems


def shared_archive_cases(folder: ProjectFolder, declared: list[Declared], files: set | None = None) -> list[Finding]:
    """Return a problem for each case file whose archive case another case file has too, unless
    both declare it shared (`delt_arkivsak: true`, each with its own dokumentnummer): the archive
    keeps one folder and one arkivmelding per arkivsak and document number. `files` limits the
    problems to those files (the case being made); the others are still compared with."""
    by_case: dict[str, list[Declared]] = {}
    for entry in declared:
        if entry.arkivsak is not None:
            by_case.setdefault(entry.arkivsak.sak, []).append(entry)
    problems = []
    for entries in by_case.values():
        if len(entries) < 2:
            continue
        for entry in entries:
            if files is not None and entry.path not in files:
                continue
            others = [o for o in entries if o is not entry]
            where = ", ".join(f"sak {o.nummer} ({folder.shown(o.path)}:{o.arkivsak_line})" for o in others)
            same = [o for o in others if str(o.arkivsak) == str(entry.arkivsak)]
            if same:
                number = "samme dokumentnummer" if entry.arkivsak.dokumentnummer else "uten dokumentnummer"
                message = (f"arkivsaken {entry.arkivsak} brukes også av {where}, {number}; to saker kan ikke ha "
                           "samme journalpost i arkivet (skriv hvert sitt dokumentnummer: -1, -2 …)")
            elif entry.delt_arkivsak and entry.arkivsak.dokumentnummer is None:
                message = (f"en delt arkivsak trenger dokumentnummer: skriv f.eks. {entry.arkivsak.sak}-1, "
                           f"så sakene kan skilles i arkivet (arkivsaken brukes også av {where})")
            elif not entry.delt_arkivsak or not all(o.delt_arkivsak for o in others):
                message = (f"arkivsaken {entry.arkivsak.sak} brukes også av {where}; skriv «delt_arkivsak: true» "
                           "i hver av sakene hvis de skal dele arkivsak (med hvert sitt dokumentnummer), "
                           "ellers rett arkivsaksnummeret")
            elif any(o.lukket != entry.lukket for o in others):
                message = (f"arkivsaken {entry.arkivsak.sak} deles av en lukket og en åpen sak ({where}); saksmappen i "
                           "arkivet er skjermet for begge eller for ingen: gi den åpne saken en egen arkivsak")
            else:
                continue
            problems.append(Finding(folder.shown(entry.path), entry.arkivsak_line, "arkivsak", message))
    return problems
