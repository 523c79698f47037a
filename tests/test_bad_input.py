"""The bad-input corpus (tests/bad_input/): every broken file gets its pinned Norwegian message
with file:line and field, exit status 2, no traceback, and no file written."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import output_files

CORPUS = Path(__file__).resolve().parent / "bad_input"
#: Where each kind of corpus file goes, and the command that reads it.
PLACES = {
    "sak": ("cases/2020/24-20.yaml", ["24/20"]),
    "skisse": ("cases/vedlegg/2020/24-20-prosjektskisse.yaml", ["24/20"]),
    "mote": ("cases/moter/2020-08-18-kommunedirektorutvalget.yaml", ["møte", "2020-08-18"]),
    "org": ("cases/organisasjon.yaml", ["24/20"]),
}

EXPECTED = {
    "mote-mangler-sted.yaml": [
        'cases/moter/2020-08-18-kommunedirektorutvalget.yaml:1: møtested: påkrevd felt mangler',
    ],
    "mote-felt-uten-o-strek.yaml": [  # the field's name in the code was accepted silently, `moetested` was not
        'cases/moter/2020-08-18-kommunedirektorutvalget.yaml:1: møtested: påkrevd felt mangler',
        'cases/moter/2020-08-18-kommunedirektorutvalget.yaml:3: motested: ukjent felt; mente du «møtested»?',
    ],
    "mote-saker-tekst.yaml": [
        'cases/moter/2020-08-18-kommunedirektorutvalget.yaml:6: saker: forventet en liste (linjer som begynner med «- »), fant teksten «22/20, 23/20, 24/20»',
    ],
    "mote-tidspunkt.yaml": [
        'cases/moter/2020-08-18-kommunedirektorutvalget.yaml:4: starttid: forventet et klokkeslett som «14:00», fant «25:00»',
    ],
    "mote-ukjent-utvalg.yaml": [
        'cases/moter/2020-08-18-kommunedirektorutvalget.yaml:1: utvalg: ukjent utvalg «Kommunedirektorutvalget»; mente du «Kommunedirektørutvalget i Trøndelag Sør»?',
    ],
    "org-ingen-utvalg.yaml": [
        'cases/organisasjon.yaml:11: utvalg: må ha minst 1 element, fant 0',
    ],
    "org-kommune-tom.yaml": [
        'cases/organisasjon.yaml:6: deltakerkommuner[1].navn: forventet tekst, fant ingen verdi',
    ],
    "org-malform.yaml": [
        'cases/organisasjon.yaml:3: målform: må være en av «bokmål», «nynorsk», fant teksten «svensk»',
    ],
    "sak-aar-0001.yaml": [
        'cases/2020/24-20.yaml:5: saksgang[0].møtedato: urimelig år i «01.01.0001»; året må være mellom 1900 og 2199',
    ],
    "sak-alias.yaml": [
        'cases/2020/24-20.yaml:2: alias (*navn) er ikke tillatt i saksfiler',
    ],
    "sak-arkivsak.yaml": [
        'cases/2020/24-20.yaml:7: arkivsak: forventet et arkivsaksnummer som «2020/18145» eller «2020/18145-1», fant «2020-18145»',
    ],
    "sak-binaer.yaml": [
        'cases/2020/24-20.yaml:2: filen er ikke UTF-8 (lagre den som UTF-8, ikke Latin-1/ANSI)',
    ],
    "sak-bom-feil.yaml": [
        'cases/2020/24-20.yaml:3: titel: ukjent felt; mente du «tittel»?',
    ],
    "sak-anforsel-midt-i.yaml": [
        'cases/2020/24-20.yaml:8: ugyldig YAML: teksten i «tittel» fortsetter etter det avsluttende anførselstegnet; sett hele teksten i anførselstegn: tittel: \'"Prosjektskisse" og budsjett\'',
    ],
    "sak-bilde.yaml": [
        'cases/2020/24-20.yaml:10: vurdering: bilder («![…](…)») kan ikke stå i teksten; beskriv bildet med ord, eller legg det ved som vedlegg',
    ],
    "sak-kommentar-i-tekst.yaml": [
        'cases/2020/24-20.yaml:7: vurdering: teksten stopper foran «# se vedlegg 2 for detaljer»: YAML leser « #» og resten av linjen som en kommentar; sett hele teksten i anførselstegn hvis # hører til teksten (en kommentar skilles fra verdien med minst to mellomrom)',
    ],
    "sak-linjeskilletegn.yaml": [
        'cases/2020/24-20.yaml:2: tittel: teksten har linjeskilletegnet U+2028, som Word og PDF viser ulikt; fjern det (en lengre tekst kan ha vanlige linjeskift, i en blokk med «|»)',
    ],
    "sak-datoformat.yaml": [
        'cases/2020/24-20.yaml:5: saksgang[0].møtedato: forventet en dato som «18.08.2020», fant «18/08/2020»',
    ],
    "sak-dokument-type.yaml": [
        'cases/2020/24-20.yaml:9: dokumenter[0].type: må være en av «I», «U», «N», «X», «S», fant teksten «Q»',
    ],
    "sak-duplikat.yaml": [
        'cases/2020/24-20.yaml:7: tittel: feltet står to ganger (første gang på linje 2)',
    ],
    "sak-feil-type-liste.yaml": [
        'cases/2020/24-20.yaml:2: tittel: forventet tekst, fant en liste',
    ],
    "sak-feil-type-tall.yaml": [
        'cases/2020/24-20.yaml:7: saksbehandler: forventet tekst, fant tallet 42',
    ],
    "sak-flere-dokumenter.yaml": [
        'cases/2020/24-20.yaml:7: ugyldig YAML: filen kan bare inneholde ett dokument (fjern ekstra «---»)',
    ],
    "sak-kontrolltegn.yaml": [
        'cases/2020/24-20.yaml:7: ugyldig YAML: filen inneholder et tegn som ikke er tillatt (kontrolltegn)',
    ],
    "sak-latin1.yaml": [
        'cases/2020/24-20.yaml:4: filen er ikke UTF-8 (lagre den som UTF-8, ikke Latin-1/ANSI)',
    ],
    "sak-liste-i-toppen.yaml": [
        'cases/2020/24-20.yaml:1: forventet felt med verdier (nøkkel: verdi) øverst i filen',
    ],
    "sak-mangler-saksgang.yaml": [
        'cases/2020/24-20.yaml:1: saksgang: påkrevd felt mangler',
    ],
    "sak-mangler-tittel.yaml": [
        'cases/2020/24-20.yaml:1: tittel: påkrevd felt mangler',
    ],
    "sak-nesting.yaml": [
        'cases/2020/24-20.yaml:7: ugyldig YAML: for mange nivåer (mer enn 40 innrykk i innrykk)',
    ],
    "sak-saksnummer.yaml": [
        'cases/2020/24-20.yaml:1: sak: forventet et saksnummer som «24/20», fant «24-20»',
        'cases/2020/24-20.yaml:6: saksgang[0].utvalgssak: forventet et saksnummer som «24/20», fant «24-20»',
    ],
    "sak-tab.yaml": [
        'cases/2020/24-20.yaml:4: ugyldig YAML: tabulator kan ikke brukes til innrykk; bruk mellomrom',
    ],
    "sak-tittel-lang.yaml": [
        'cases/2020/24-20.yaml:2: tittel: kan være høyst 1000 tegn, fant 1799; lengre tekst hører hjemme i et tekstfelt',
    ],
    "sak-tittel-tom.yaml": [
        'cases/2020/24-20.yaml:2: tittel: kan ikke være tom',
    ],
    "sak-tom.yaml": [
        'cases/2020/24-20.yaml:1: filen er tom',
    ],
    "sak-ukjent-felt.yaml": [
        'cases/2020/24-20.yaml:7: saksbehandlar: ukjent felt; mente du «saksbehandler»?',
    ],
    "sak-ukjent-tall.yaml": [
        'cases/2020/24-20.yaml:12: vurdering: ukjent tall «[[egen_andel]]»; kjente navn: sum_utgifter, sum_finansiering, tilskudd, egenfinansiering, egenandel, tilskuddsandel, minste_egenandel, høyeste_tilskuddsandel, ordning, utgiftstabell, finansieringstabell',
    ],
    "sak-ukjent-utvalg.yaml": [
        'cases/2020/24-20.yaml:4: saksgang[0].utvalg: ukjent utvalg «Regionrådet i Trøndelag sør»; mente du «Kommunedirektørutvalget i Trøndelag Sør»?',
    ],
    "sak-umulig-dato.yaml": [
        'cases/2020/24-20.yaml:5: saksgang[0].møtedato: «31.02.2020» er ikke en gyldig dato',
    ],
    "sak-utf16.yaml": [
        'cases/2020/24-20.yaml:1: filen er lagret som UTF-16; lagre den som UTF-8',
    ],
    "sak-vedlegg-begge.yaml": [
        'cases/2020/24-20.yaml:8: vedlegg[0]: skriv enten «tittel» eller «fil» for et vedlegg (ett av dem; begge bare for en PDF-fil)',
    ],
    "sak-vedlegg-mangler.yaml": [
        'cases/2020/24-20.yaml:8: vedlegg[0].fil: fant ikke vedleggsfilen cases/vedlegg/2020/finnes-ikke.yaml',
    ],
    "sak-vedlegg-utenfor.yaml": [
        'cases/2020/24-20.yaml:8: vedlegg[0].fil: vedleggsfilen «../../../etc/passwd» må ligge under cases/',
    ],
    "sak-yaml-syntaks.yaml": [
        'cases/2020/24-20.yaml:2: ugyldig YAML: filen slutter midt i en tekst (mangler et avsluttende anførselstegn?)',
    ],
    "sak-vognretur.yaml": [
        'cases/2020/24-20.yaml:2: tittel: teksten har kontrolltegnet U+000D (skrevet som escape-sekvens i anførselstegn); fjern det: kontrolltegn er ikke tillatt i saksfiler',
    ],
    "skisse-absurd.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:20: budsjett.utgifter[3].beløp: urimelig stort beløp «99999999999»; grensen er kr 10 000 000 000',
    ],
    "skisse-art.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:23: budsjett.finansiering[0].art: må være en av «tilskudd», «kontant», «egeninnsats», fant teksten «gave»',
    ],
    "skisse-belop-tekst.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:14: budsjett.utgifter[0].beløp: forventet et beløp i kroner skrevet som et tall (f.eks. 600000, 47 250 eller 47 250,75; uten «kr» og «,-»), fant «kr 500 000,-»',
    ],
    "skisse-mangler-type.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:3: type: påkrevd felt mangler; en vedleggsfil må ha type «prosjektskisse», «samarbeidsavtale», «tekst»',
    ],
    "skisse-negativt.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:16: budsjett.utgifter[1].beløp: beløpet må være større enn 0, fant «-15000»',
    ],
    "skisse-ukjent-ordning.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:7: tilskuddsordning: ukjent tilskuddsordning «kmd-kompetanse»; kjente: kmd-kompetansepiloter',
    ],
    "skisse-ukjent-tabell.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:157: tekst: «[[utgiftstabell]]» må stå alene på en linje, som et eget avsnitt',
    ],
    "sak-escape-kontrolltegn.yaml": [
        'cases/2020/24-20.yaml:2: tittel: teksten har kontrolltegnet U+000B (skrevet som escape-sekvens i anførselstegn); fjern det: kontrolltegn er ikke tillatt i saksfiler',
    ],
    "sak-mangler-kolon.yaml": [  # YAML stumbles on the next line; the message names the line to mend
        'cases/2020/24-20.yaml:3: ugyldig YAML: «arkivsak» mangler kolon etter feltnavnet; skriv arkivsak: 2020/18145-1',
    ],
    "sak-kolon-uten-mellomrom.yaml": [
        'cases/2020/24-20.yaml:2: ugyldig YAML: «tittel» mangler mellomrom etter kolonet; skriv tittel: Kompetansepiloter',
    ],
    "sak-halv-henvisning.yaml": [  # printed as it stood, brackets and all, before (a caseworker's review)
        'cases/2020/24-20.yaml:44: vurdering: «[minste_egenandel:tall]]» mangler en hakeparentes: en henvisning skrives med '
        'to på hver side, som [[egenandel]]',
    ],
    "sak-kolon.yaml": [
        'cases/2020/24-20.yaml:2: ugyldig YAML: teksten i «tittel» har kolon og mellomrom («: »), som YAML leser som et nytt felt; sett teksten i anførselstegn: tittel: "Kompetansepiloter: forankring i kommunene"',
    ],
    "sak-liste-dyp.yaml": [
        'cases/2020/24-20.yaml:16: saksopplysninger: listen har 7 nivåer (lister i lister); dokumentene viser høyst 6 nivåer',
    ],
    "sak-prosa-felt.yaml": [
        'cases/2020/24-20.yaml:7: vurdering: forventet tekst, fant en gruppe felt (nøkkel: verdi): YAML leste linjer med «: » som felt; skriv «|» etter feltnavnet og teksten på linjene under, med innrykk',
    ],
    "sak-prosa-kommentar.yaml": [
        'cases/2020/24-20.yaml:7: vurdering: teksten står uten «|», så YAML slår sammen linjene og avsnittene og leser «#»-overskrifter som kommentarer; skriv «|» etter feltnavnet og teksten på linjene under, med innrykk',
    ],
    "sak-prosa-uten-blokk.yaml": [
        'cases/2020/24-20.yaml:7: vurdering: teksten står uten «|», så YAML slår sammen linjene og avsnittene og leser «#»-overskrifter som kommentarer; skriv «|» etter feltnavnet og teksten på linjene under, med innrykk',
    ],
    "sak-sitat-dypt.yaml": [
        'cases/2020/24-20.yaml:10: vurdering: sitatet («>») har 5 nivåer (sitater i sitater); dokumentene viser høyst 4 nivåer',
    ],
    "sak-usynlig-tittel.yaml": [
        'cases/2020/24-20.yaml:2: tittel: teksten har ingen synlige tegn (bare mellomrom, usynlige tegn eller kontrolltegn)',
    ],
    "skisse-eksponent.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:20: budsjett.utgifter[3].beløp: «1e5» er skrevet med eksponent; skriv beløpet ut med sifre, f.eks. 600000, 47 250 eller 47 250,75',
    ],
    "skisse-stort-tall.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:20: budsjett.utgifter[3].beløp: urimelig stort beløp «9999999999999999…» (5000 tegn); grensen er kr 10 000 000 000',
    ],
    "skisse-tre-desimaler.yaml": [
        'cases/vedlegg/2020/24-20-prosjektskisse.yaml:20: budsjett.utgifter[3].beløp: «47250,755» har mer enn to desimaler; et beløp er kroner og øre, f.eks. 47 250,75 (tusenskille skrives med mellomrom, ikke punktum)',
    ],
}


def makecase(project: Path, *args: str, memory_limit: int | None = None, timeout: float = 60):
    """Run makecase as its own process (so a traceback would show), optionally with a memory limit."""

    def limit() -> None:
        if memory_limit:
            resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))

    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=project, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=limit)


def it_has_at_least_thirty_broken_files_each_with_a_pinned_message():
    files = sorted(p.name for p in CORPUS.glob("*.yaml"))
    assert len(files) >= 30
    assert files == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def it_refuses_each_broken_file_with_its_message(run, project, name):
    """In process (tests/test_cli.py runs the console program itself once)."""
    place, args = PLACES[name.split("-")[0]]
    shutil.copy(CORPUS / name, project / place)
    done = run(*args)
    assert done.exit_code == 2 and isinstance(done.exception, SystemExit)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    count = len(EXPECTED[name])
    assert lines[0] == ("Feil: Fant 1 feil i saksfilene:" if count == 1 else f"Feil: Fant {count} feil i saksfilene:")
    assert [line[2:] for line in lines[1:]] == EXPECTED[name]
    assert "Traceback" not in done.stderr
    assert output_files(project) == []


def it_refuses_a_50_mb_file_without_reading_it_as_yaml(project):
    case = project / "cases" / "2020" / "24-20.yaml"
    with case.open("w", encoding="utf-8") as stream:
        stream.write("sak: 24/20\nsaksopplysninger: |\n")
        line = "  " + "x" * 98 + "\n"
        for _ in range(50 * 10_000):
            stream.write(line)
    started = time.monotonic()
    done = makecase(project, "24/20", timeout=30)
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr == "Feil: Fant 1 feil i saksfilene:\n  cases/2020/24-20.yaml:1: filen er for stor (50 MB; grensen er 2 MB)\n"
    assert elapsed < 10  # a sanity bound, not a benchmark: it must not parse 50 MB


BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
sak: 24/20
"""


def it_refuses_a_billion_laughs_quickly_and_in_bounded_memory(project):
    (project / "cases" / "2020" / "24-20.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    started = time.monotonic()
    done = makecase(project, "kontroller", memory_limit=1024 * 1024 * 1024, timeout=10)
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr == ("Feil: Fant 1 feil i saksfilene:\n"
                           "  cases/2020/24-20.yaml:2: alias (*navn) er ikke tillatt i saksfiler\n")
    assert elapsed < 5  # a sanity bound: expanded, it would take 10⁹ items, not seconds


def it_refuses_the_bomb_before_building_anything():
    from generator.load import yamlread
    started = time.perf_counter()
    doc = yamlread.parse(BILLION_LAUGHS)
    assert doc.data is None and doc.problems == [(2, (), "alias (*navn) er ikke tillatt i saksfiler")]
    assert time.perf_counter() - started < 1
