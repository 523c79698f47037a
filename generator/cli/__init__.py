"""Command-line arguments → a command run, its result printed, an exit status (the makecase command line).

Commands and flags are in bokmål (`makecase møte`, `--utkast`); the English spellings of
earlier versions still work (generator.cli.bokmal). Exit status, the same for every command:
0 ok, 1 rule violations, 2 bad input or usage, 3 internal error (see generator.errors).
Heavy modules are imported inside the commands, so that `makecase --hjelp`, `vis` and
`kontroller` start fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

import click

from generator import __version__, speed
from generator.cli import bokmal as cli_norsk
from generator.errors import InternalError, ProjectError
from generator.domain.messages import antall
from generator.findings import Severity


class _CaseGroup(cli_norsk.Group):
    """A group where `makecase 24/20` means `makecase lag 24/20`."""

    def resolve_command(self, ctx, args):
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            if _looks_like_number(args[0]):
                return "lag", self.commands["lag"], args
            raise cli_norsk.unknown_command(ctx, args[0], self.list_commands(ctx),
                                            " (Eller skriv et saksnummer som 24/20.)")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        """Turn an unexpected exception into a short message (exit 3); --feilsporing shows the traceback.

        A reader that stops reading (`makecase vis | head -1`) is no error: the command has done
        its work, what it had left to say goes nowhere, and it ends with its own status."""
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            _stdout_closed()
            return None
        except KeyboardInterrupt:
            raise Interrupted("Avbrutt.") from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence
            if (ctx.obj or {}).get("debug"):
                raise
            raise InternalError(err) from err

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, "[VALG] SAK | KOMMANDO [ARGUMENTER]...")

    def shell_complete(self, ctx, incomplete):
        """Complete a command name or a case number (`makecase 2<TAB>` → 24/20 …)."""
        return super().shell_complete(ctx, incomplete) + _complete_cases(ctx, None, incomplete)


class Interrupted(click.ClickException):
    """Ctrl-C: stopped by the user, with nothing half-written (exit 130, as shells count it)."""

    exit_code = speed.INTERRUPTED

    def show(self, file=None) -> None:  # noqa: D102
        click.echo("Avbrutt.", err=True)


def _looks_like_number(text: str) -> bool:
    """Whether a first argument is meant as a case number (24/20), not a mistyped command."""
    return any(c.isdigit() for c in text) and not text.isalpha()


class Antall(click.ParamType):
    """A whole number from 1 to 64 (processes)."""

    name = "antall"

    def convert(self, value, param, ctx):
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= 64:
            self.fail(f"«{value}» er ikke et helt tall fra 1 til 64.", param, ctx)
        return number


class Sti(click.ParamType):
    """An existing file (`mappe=False`) or folder (`mappe=True`), with Norwegian messages."""

    name = "sti"

    def __init__(self, mappe: bool):
        self.mappe = mappe

    def convert(self, value, param, ctx):
        path = Path(value)
        if not path.exists():
            raise click.UsageError(f"Fant ikke {'mappen' if self.mappe else 'filen'} «{value}».", ctx)
        if self.mappe and not path.is_dir():
            self.fail(f"«{value}» er ikke en mappe.", param, ctx)
        if not self.mappe and path.is_dir():
            self.fail(f"«{value}» er en mappe, ikke en fil.", param, ctx)
        return path


def _complete_cases(ctx, param, incomplete: str):
    """Return the case numbers in cases/ that start with what is typed (shell completion)."""
    from click.shell_completion import CompletionItem

    try:
        from generator.load.index import case_index

        numbers, _ = case_index(_folder(ctx))
    except Exception:  # noqa: BLE001 - completion never fails loudly
        return []
    return [CompletionItem(str(n)) for n in sorted(numbers) if str(n).startswith(incomplete)]


def _complete_dates(ctx, param, incomplete: str):
    """Return the meeting dates in cases/moter/ that start with what is typed (shell completion)."""
    from click.shell_completion import CompletionItem

    try:
        from generator.load import load_project

        dates = sorted({m.model.motedato.isoformat() for m in load_project(_folder(ctx)).moter})
    except Exception:  # noqa: BLE001 - completion never fails loudly
        return []
    return [CompletionItem(d) for d in dates if d.startswith(incomplete)]


def _stdout_closed() -> None:
    """Send what is still to be written to stdout nowhere: its reader has gone."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _say(message: str = "", nl: bool = True) -> None:
    """Print a line to stdout; if its reader has gone (`| head -1`), go on without printing, so the
    command finishes its work and ends with its own status."""
    try:
        click.echo(message, nl=nl)
    except BrokenPipeError:
        _stdout_closed()


def _folder(ctx: click.Context):
    from generator.folder import find_project

    root = ctx.find_root()
    return find_project(Path.cwd(), (root.obj or {}).get("root", root.params.get("root")))


def _parse_number(text: str):
    from generator.domain.values import Saksnummer

    try:
        return Saksnummer.parse(text)
    except ValueError as err:
        raise ProjectError(f"«{text}» er ikke et saksnummer; skriv det som 24/20.") from err


@click.group(cls=_CaseGroup, context_settings={"help_option_names": cli_norsk.HELP_NAMES})
@click.option("--mappe", "root", type=click.Path(file_okay=False, path_type=Path), metavar="MAPPE",
              help="Prosjektmappen (standard: den nærmeste mappen med cases/, fra gjeldende mappe og oppover).")
@click.option("--feilsporing", "debug", is_flag=True, help="Vis full feilsporing ved interne feil.")
@click.version_option(__version__, "--versjon", prog_name="makecase", message="%(prog)s, versjon %(version)s",
                      help="Vis versjonen og avslutt.")
@click.pass_context
def main_group(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Lag saksframlegg som DOCX (redigerbar) og PDF (arkiv) fra saksfilene i cases/.

    \b
    Eksempler:
      makecase 24/20             lag saksframlegget for sak 24/20
      makecase møte 2020-08-18   lag møteinnkallingen og møtepakken
      makecase kontroller        kontroller alle saksfiler
      makecase vis               vis alle saker
    """
    ctx.obj = {"root": root, "debug": debug}


@main_group.command("lag", short_help="Lag saksframlegget og vedleggene for SAK som DOCX og PDF.")
@click.argument("sak", shell_complete=_complete_cases)
@click.option("--utkast", "draft", is_flag=True,
              help="Lag et merket UTKAST, også om saken bryter reglene (regelbruddene står da på første side).")
@click.option("--signatur", is_flag=True, help="Lag bare signaturutgaven av sakens samarbeidsavtale.")
@click.option("--kommunestyre", is_flag=False, flag_value="", default=None, metavar="[KOMMUNE]",
              help="Lag saksframlegg og vedlegg til hvert kommunestyre i saksgangen (eller bare KOMMUNE), "
                   "hver i sin mappe.")
@click.option("--arkiv", is_flag=True, help="Kopier de endelige PDF-ene til output/arkiv/<arkivsak>/ med manifest og arkivmelding.xml.")
@click.option("--utvalg", metavar="NAVN", help="Utvalget saken hører til, når flere utvalg har samme saksnummer.")
@click.pass_context
def lag(ctx: click.Context, sak: str, draft: bool, signatur: bool, kommunestyre: str | None, arkiv: bool,
        utvalg: str | None) -> None:
    """Lag saksframlegget for SAK (f.eks. 24/20) og vedleggene som DOCX og PDF under output/.

    En sak som bryter reglene, lages ikke (avslutningskode 1), med mindre --utkast er gitt.
    Saksnummeret er unikt innen sitt utvalg; har flere utvalg samme nummer, velg med --utvalg.
    """
    from generator.publish import gate
    from generator.render import forked
    folder = _folder(ctx)
    number = _parse_number(sak)
    # The helpers import the renderers while this process loads, checks and composes the case.
    judge = gate.early_judge(folder.output, f"{number.slug}-")
    with speed.gc_paused(), forked.helpers(folder.templates, judge=judge) as renderer:
        from generator.commands.pipeline import make_case

        made = make_case(folder, number, draft=draft, signatur=signatur, kommunestyre=kommunestyre,
                         arkiv=arkiv, renderer=renderer, utvalg=utvalg)
    _report(folder, made)


def _report(folder, made) -> None:
    """Print a draft's warning (stderr) and every file written (stdout)."""
    if made.violations:
        click.echo("Advarsel: dokumentene er merket UTKAST fordi reglene er brutt:", err=True)
        for violation in made.violations:
            click.echo(f"  {violation}", err=True)
    for note in made.notes:
        _say(note)
    for path in made.paths:
        _say(f"Skrev {folder.shown(path)}")
    for path in made.archived:
        _say(f"Arkiverte {folder.shown(path)}")
    for path in made.unchanged:
        _say(f"Uendret i arkivet: {folder.shown(path)}")


def _meeting_date(dato: str):
    from generator.domain.values import parse_dato

    try:
        return parse_dato(dato)
    except ValueError as err:
        raise ProjectError(f"«{dato}» er ikke en dato; skriv den som 2020-08-18 eller 18.08.2020.") from err


def _meeting_options(command):
    """The argument and options a meeting's commands share: the date, the body, the edition."""
    for option in reversed([
        click.argument("dato", shell_complete=_complete_dates),
        click.option("--utvalg", metavar="NAVN", help="Utvalget, når flere utvalg møtes samme dag."),
        click.option("--offentlig", is_flag=True, help="Lag den offentlige utgaven: lukkede saker vises bare med "
                     "nummer, offentlig tittel og hjemmel."),
        click.option("--utkast", "draft", is_flag=True, help="Lag et merket UTKAST, også om reglene er brutt."),
    ]):
        command = option(command)
    return command


@main_group.command("møte", short_help="Lag møteinnkallingen og hele møtepakken for en dato.")
@_meeting_options
@click.option("--arkiv", is_flag=True, help="Kopier innkalling, møtepakke og sakenes PDF-er til output/arkiv/moter/ med manifest og arkivmeldinger.")
@click.pass_context
def meeting(ctx: click.Context, dato: str, utvalg: str | None, offentlig: bool, draft: bool, arkiv: bool) -> None:
    """Lag møteinnkallingen (DOCX og PDF) og én PDF av hele møtet for DATO (f.eks. 2020-08-18):
    innkallingen, så hvert saksframlegg med sine vedlegg, med bokmerker og gjennomgående sidetall.
    """
    from generator.commands.pipeline import make_meeting

    folder = _folder(ctx)
    with speed.gc_paused():
        made = make_meeting(folder, _meeting_date(dato), utvalg=utvalg, offentlig=offentlig, draft=draft, arkiv=arkiv)
    _report(folder, made)


@main_group.command("møtebok", short_help="Lag møteboken og særutskriftene for et møte.")
@_meeting_options
@click.option("--signatur", is_flag=True, help="Lag signaturutgaven: møteboken med godkjenning og underskriftslinjer.")
@click.option("--arkiv", is_flag=True, help="Legg møteboken og særutskriftene i møtets arkivmappe under output/arkiv/moter/ med arkivmeldinger.")
@click.pass_context
def minutes(ctx: click.Context, dato: str, utvalg: str | None, offentlig: bool, draft: bool, signatur: bool,
            arkiv: bool) -> None:
    """Lag møteboken for møtet DATO (DOCX og PDF) fra møtebokfilen ved siden av møtefilen
    (cases/moter/x.yaml → x.motebok.yaml), og en særutskrift av hver sak til saksbehandleren og til
    hvert organ som skal behandle saken videre. Stemmetall, vedtaksførhet og vedtak kontrolleres først.
    """
    from generator.commands.pipeline import make_motebok

    folder = _folder(ctx)
    with speed.gc_paused():
        made = make_motebok(folder, _meeting_date(dato), utvalg=utvalg, offentlig=offentlig, draft=draft, arkiv=arkiv,
                            signatur=signatur)
    _report(folder, made)


@main_group.command("kontroller", short_help="Kontroller saksfilene og reglene.")
@click.argument("saker", nargs=-1, metavar="[SAK|FIL]...", shell_complete=_complete_cases)
@click.option("--utvalg", metavar="NAVN", help="Utvalget sakene hører til, når flere utvalg har samme saksnummer.")
@click.option("--json", "as_json", is_flag=True, help="Skriv resultatet som JSON (for skript): funnene med fil, linje, felt og alvor.")
@click.pass_context
def check(ctx: click.Context, saker: tuple[str, ...], utvalg: str | None, as_json: bool) -> None:
    """Kontroller saksfilene og reglene (alle, eller bare de nevnte).

    Alle feil i alle filene meldes samlet, sortert etter fil og linje.
    Avslutter med 0 når alt er i orden, 1 ved regelbrudd og 2 ved feil i filene.
    """
    from generator.commands import listing
    from generator.commands.pipeline import check as check_all, removed_notes
    from generator.errors import InputError, RuleViolationError

    folder = _folder(ctx)
    try:
        project, violations = check_all(folder) if not saker else listing.check_some(folder, [_parse_number(n) if not n.endswith((".yaml", ".yml")) else n for n in saker], utvalg)
    except InputError as err:
        if as_json:
            _print_findings(err.problems + err.violations, None)
            raise click.exceptions.Exit(err.exit_code) from None
        raise
    if as_json:
        _print_findings(violations + project.warnings, project)
        if violations:
            raise click.exceptions.Exit(RuleViolationError.exit_code)
        return
    for mappe in project.saker:
        for note in removed_notes(mappe):
            click.echo(note, err=True)
    for warning in project.warnings:  # for named cases: those of the files named
        click.echo(f"Advarsel: {warning}", err=True)
    if violations:
        count = len(violations)
        raise RuleViolationError(violations, f"Fant {count} regelbrudd:" if count > 1 else "Fant 1 regelbrudd:")
    saker, moter, bøker = len(project.saker), len(project.moter), len(project.moteboker)
    counted = [f"{n} {one if n == 1 else many}" for n, one, many in
               ((saker, "sak", "saker"), (moter, "møte", "møter"), (bøker, "møtebok", "møtebøker")) if n] or ["0 saker"]
    _say(f"Alt i orden: {' og '.join([', '.join(counted[:-1]), counted[-1]] if len(counted) > 1 else counted)} kontrollert.")


def _print_findings(findings, project) -> None:
    """Print what `kontroller --json` found: every finding, and what was checked when all could be read."""
    counted = {"saker": len(project.saker), "møter": len(project.moter), "møtebøker": len(project.moteboker)} if project is not None else {}
    ok = all(f.severity == Severity.WARNING for f in findings)
    document = {"i_orden": ok, **counted, "funn": [f.as_json() for f in findings]}
    _say(json.dumps(document, ensure_ascii=False, indent=2))


@main_group.command("verifiser", short_help="Kontroller at PDF-filer oppfyller PDF/A-2a og PDF/UA-1.")
@click.argument("filer", nargs=-1, type=Sti(mappe=False), metavar="[FIL.pdf]...")
@click.option("--arkiv", "arkiver", multiple=True, type=Sti(mappe=True),
              metavar="MAPPE", help="Kontroller en arkivmappe: filene mot manifest.json, og hver PDF som over.")
def verify(filer: tuple[Path, ...], arkiver: tuple[Path, ...]) -> None:
    """Kontroller at PDF-filer oppfyller PDF/A-2a og PDF/UA-1, krav for krav.

    Arkivkravene (PDF/A-2a) og det en skjermleser trenger (PDF/UA-1): tagget struktur,
    overskrifter, tabeller, lister, språk, tittel, Unicode for all tekst og alternativ tekst
    for figurer. Med --arkiv MAPPE kontrolleres også at arkivmappen er slik manifest.json og
    arkivmeldingene sier.
    Avslutter med 0 når alle krav er oppfylt i alle filene, ellers 1.
    """
    from generator.publish.archive import MANIFEST, read
    from generator.verify.pdf import check_file, foreign_pages

    if not filer and not arkiver:
        raise cli_norsk.UsageError("Oppgi minst én PDF-fil eller --arkiv MAPPE.", click.get_current_context())
    failed = 0
    levels = {}  # a PDF vedlegg from elsewhere in an archive folder → the PDF/A level its manifest gives
    for folder in arkiver:
        contents = read(folder)
        levels.update({folder / name: level for name, level in contents.formats.items()})
        differences = contents.differences or ([] if (folder / MANIFEST).is_file() else ["manifest.json mangler"])
        _say(f"{folder}:")
        for difference in differences:
            _say(f"  FEIL {'arkivmelding' if difference in contents.undescribed else 'manifest':<16} {difference}")
        _say("  Resultat: stemmer med manifest.json og arkivmeldingene" if not differences
                   else f"  Resultat: stemmer ikke med manifest.json og arkivmeldingene ({len(differences)} avvik)")
        failed += bool(differences)
        filer += tuple(sorted(folder.glob("*.pdf")))
    for path in filer:
        if path in levels:
            failed += _verify_vedlegg(path, levels[path])
            continue
        checks = check_file(path)
        _say(f"{path}:")
        for c in checks:
            mark = "OK  " if c.passed else "FEIL"
            detail = f" ({c.detail})" if c.detail and not c.passed else ""
            _say(f"  {mark} {c.rule:<15} {c.name}{detail}")
        broken = sum(not c.passed for c in checks)
        _say("  Resultat: oppfyller PDF/A-2a og PDF/UA-1" if not broken
                   else f"  Resultat: oppfyller ikke PDF/A-2a og PDF/UA-1 ({broken} krav brutt)")
        foreign = foreign_pages(path)
        if foreign:
            _say(f"  Merk: {antall(len(foreign), 'side er et', 'sider er')} PDF-vedlegg, tatt inn som figurer med beskrivelse. En skjermleser "
                 "leser beskrivelsen, ikke innholdet på siden:")
            for number, description in foreign:
                _say(f"    side {number}: {description}")
        failed += bool(broken)
    if failed:
        raise click.exceptions.Exit(1)


def _verify_vedlegg(path: Path, level: str) -> bool:
    """Print the verdict on a PDF vedlegg from elsewhere in an archive folder, at the level it is
    archived as (makecase claims no more for it); return whether it fails."""
    from generator.publish.ghostscript import violations

    broken = violations(path.read_bytes(), level.removeprefix("PDF/A-").upper())
    _say(f"{path}:")
    _say(f"  {'FEIL' if broken else 'OK  '} {level:<15} PDF/A-reglene på B-nivå (pikepdfs validator)"
         + (f" ({'; '.join(broken[:3])})" if broken else ""))
    _say(f"  Resultat: {'oppfyller ikke' if broken else 'oppfyller'} {level} (et PDF-vedlegg fra en annen kilde: "
         "arkivert som det er, eller gjort om med Ghostscript; ikke kontrollert mot PDF/UA-1)")
    return bool(broken)


@main_group.command("se", short_help="Lag dokumentene på nytt hver gang du lagrer (forhåndsvisning).")
@click.argument("hva", metavar="SAK|DATO")
@click.option("--utvalg", metavar="NAVN", help="Utvalget, når flere utvalg har saksnummeret eller møtes samme dag.")
@click.option("--utkast", "draft", is_flag=True, help="Lag et merket UTKAST, også om reglene er brutt.")
@click.pass_context
def preview(ctx: click.Context, hva: str, utvalg: str | None, draft: bool) -> None:
    """Lag saken (f.eks. 24/20) eller møtet (f.eks. 2020-08-18), og lag dem på nytt hver gang du lagrer.

    makecase følger med på saksfilene, vedleggene, organisasjonen, tilskuddsordningene og malene.
    Etter hver lagring lages bare dokumentene som er endret, og filene byttes ut i ett trekk, så en
    PDF-leser som laster filen på nytt når den endres (Okular, Evince, SumatraPDF, VS Code), viser den
    nye utgaven. En lagring med feil skriver meldingen og beholder de siste gode dokumentene.
    Avslutt med Ctrl-C.
    """
    from generator.commands import watch

    folder = _folder(ctx)
    if re.fullmatch(r"\d{1,4}/\d{2}", hva.strip()):
        nummer = _parse_number(hva)
        job, matters = watch.case_job(folder, nummer, draft, utvalg)
        what = f"sak {nummer}"
    else:
        dato = _meeting_date(hva)
        job, matters = watch.meeting_job(folder, dato, draft, utvalg)
        what = f"møtet {dato:%d.%m.%Y}"

    made = []  # whether a round has made the documents yet: until then there are none to keep

    def say(result, saved) -> None:
        if saved:
            _say("Lagret: " + ", ".join(folder.shown(p) for p in saved))
        if result.error:
            _say(f"Feil: {result.error}")
            _say("Beholder de siste gode dokumentene; rett feilen og lagre igjen." if made else
                 "Ingen dokumenter er laget ennå; rett feilen og lagre igjen.")
            return
        made.append(True)
        for note in result.notes:
            _say(note)
        for path in result.written:
            _say(f"Skrev {folder.shown(path)}")
        if not result.written:
            _say("Ingen dokumenter er endret.")
        _say(f"Ferdig på {result.seconds * 1000:.0f} ms. Følger med på {what}; avslutt med Ctrl-C.")

    watch.watch(folder, job, matters, say)
    _say("Avsluttet.")


@main_group.command("bygg", short_help="Lag alt som er endret i prosjektet, parallelt.")
@click.option("--alle", "alle", is_flag=True, help="Lag alle saker, møter og møtebøker i prosjektet (påkrevd).")
@click.option("-j", "--jobber", "workers", type=Antall(), default=None, metavar="ANTALL",
              help="Antall prosesser, 1–64 (standard: alle kjerner).")
@click.option("--tving", "force", is_flag=True, help="Lag alt på nytt, også det som ikke er endret.")
@click.pass_context
def build(ctx: click.Context, alle: bool, workers: int | None, force: bool) -> None:
    """Lag dokumentene for alle saker, møter og møtebøker, parallelt, og hopp over det som ikke er endret.

    Hopper over saker som feiler og fortsetter med resten; de listes til slutt, og makecase avslutter da med den
    alvorligste avslutningskoden blant dem (1 regelbrudd, 2 feil i filene, 3 intern feil).
    """
    import time

    from generator.commands import build as batch
    if not alle:
        raise cli_norsk.UsageError("Skriv «makecase bygg --alle»: bygg lager hele prosjektet.", ctx)
    folder = _folder(ctx)
    plan = batch.plan(folder)
    terminal = sys.stdout.isatty()
    started = time.monotonic()

    def report(outcome, done: int, total: int) -> None:
        status = "hoppet over" if outcome.skipped else ("FEIL" if outcome.error else "ok")
        if terminal:
            elapsed = max(time.monotonic() - started, 1e-6)
            rate = done / elapsed
            eta = (total - done) / rate if rate else 0
            _say(f"\r[{done:>4}/{total}] {f'{rate:5.1f}'.replace('.', ',')} jobber/s, ca. {eta:4.0f} s igjen  {outcome.job.name:<40.40}", nl=False)
        else:
            _say(f"{status:<11} {outcome.job.name} ({antall(len(outcome.paths), 'fil', 'filer')})")

    try:
        outcomes, unrecorded = batch.run(folder, plan.jobs, workers, force, report), None
    except batch.RecordNotWritten as err:  # told after what each job did
        outcomes, unrecorded = err.outcomes, err
    if terminal:
        _say()
    failed = [o for o in outcomes if o.error]
    written = sum(len(o.paths) for o in outcomes if not o.skipped and not o.error)
    skipped = sum(o.skipped for o in outcomes)
    seconds = time.monotonic() - started
    _say(f"Ferdig på {f'{seconds:.1f}'.replace('.', ',')} s: {len(outcomes) - len(failed)} av {len(outcomes)} jobber, "
         f"{antall(written, 'fil', 'filer')} skrevet, {antall(skipped, 'jobb', 'jobber')} uendret (hoppet over).")
    for name in plan.unreadable:
        click.echo(f"Kunne ikke lese saksnummeret: {name}", err=True)
    if failed or plan.unreadable:
        click.echo(f"{antall(len(failed), 'jobb', 'jobber')} feilet:", err=True)
        for outcome in failed:
            click.echo(f"  {outcome.job.name}: {outcome.error}", err=True)
            if outcome.kept:
                click.echo(f"    (dokumentene fra forrige vellykkede bygging ligger fortsatt i output/: "
                           f"{len(outcome.kept)} filer)", err=True)
        if unrecorded is not None:
            unrecorded.show()
        raise click.exceptions.Exit(max([o.status for o in failed] + [2] * bool(plan.unreadable or unrecorded)))
    if unrecorded is not None:
        raise unrecorded


@main_group.command("vis", short_help="Vis sakene med møtedato og status.")
@click.option("--json", "as_json", is_flag=True, help="Skriv sakene som JSON (for skript).")
@click.pass_context
def list_cases(ctx: click.Context, as_json: bool) -> None:
    """Vis sakene: nummer, tittel, møtedato, status og hvor mange steg i saksgangen som ikke har
    vedtak ennå."""
    from generator.domain import norsk
    from generator.commands import listing

    saker, unreadable = listing.cases(_folder(ctx))
    if as_json:
        _say(json.dumps({"saker": saker, "filer_med_feil": unreadable}, ensure_ascii=False, indent=2))
        return
    shared = {s["sak"] for s in saker if sum(o["sak"] == s["sak"] for o in saker) > 1}
    rows = [(f"{s['sak']} ({s['utvalg']})" if s["sak"] in shared else s["sak"], s["tittel"],
             norsk.dato(dt.date.fromisoformat(s["møtedato"])) if s["møtedato"] else "", s["status"],
             f"{len(s['åpne_steg'])} av {s['steg']}") for s in saker]
    _table(("Sak", "Tittel", "Møtedato", "Status", "Åpne steg"), rows)
    for entry in unreadable:
        _say(f"{entry['fil']}: {entry['feil']} feil (kjør «makecase kontroller» for detaljer)")


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    width = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    width[1] = min(width[1], 70)
    for row in [head, *rows]:
        cells = [row[i] if len(row[i]) <= width[i] else row[i][: width[i] - 1] + "…" for i in range(len(row))]
        _say("  ".join(c.ljust(w) for c, w in zip(cells, width)).rstrip())


@main_group.command("skjema", short_help="Skriv JSON Schema for en type saksfil (for editoren).")
@click.argument("kind", default="sak", metavar="[TYPE]")
def schema(kind: str) -> None:
    """Skriv JSON Schema for en type saksfil, for autofullføring i editoren.

    TYPE er sak (standard), møte, møtebok, organisasjon, prosjektskisse, samarbeidsavtale, tekst,
    tilskuddsordninger eller lovkrav.
    """
    from generator.load.models import FILE_KINDS

    if kind not in FILE_KINDS:
        raise ProjectError(f"Ukjent filtype «{kind}». Kjente typer: {', '.join(FILE_KINDS)}.")
    document = FILE_KINDS[kind].model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    _say(json.dumps(document, ensure_ascii=False, indent=2))


def _terminate(signum, frame) -> None:
    """On SIGTERM, unwind like an interrupt: temporary files are removed, finished files stay."""
    raise SystemExit(128 + signum)


def _status(code: object) -> int:
    """Return the exit status Python would give for SystemExit(code)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def main() -> None:
    """Run makecase as the console script (ended by generator.speed.end_process)."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    try:
        main_group(prog_name="makecase")
        status = 0
    except SystemExit as done:
        status = _status(done.code)
    speed.end_process(status)
