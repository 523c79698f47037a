"""Benchmark makecase against LibreOffice on this machine (not a test; see docs/bruker/ytelse.md).

    python bench/run.py --json bench/results/ytelse.json --svg bench/results/ytelse.svg
    python bench/run.py --quick    # N = 30 and 60, for a first look
    python bench/run.py --se       # only the latency of `makecase se`

Builds temporary projects from the sample cases plus N synthetic ones (budget cases with a
prosjektskisse, agreement cases with a samarbeidsavtale and a text vedlegg, closed cases; a
meeting per ten cases) and reports, all from one run:

- in-process time per document (DOCX, PDF; each distinct document once);
- whole-process wall time of `makecase 24/20`, as a repeat run (output/ kept) and as a first run
  (no remembered verdicts: every PDF judged in full), `makecase --help` and `makecase check`,
  with what the run spends importing, by package;
- LibreOffice converting the 24/20 saksframlegg DOCX to PDF, one file per call and 20 per call,
  and the ratios: blocks of LibreOffice runs alternate with blocks of `makecase 24/20` runs
  (see `libreoffice`), so that the machine's drift does not decide them;
- the latency of `makecase se` from a save to the new PDF (20 saves per document);
- one meeting of 60 cases, first and repeat run;
- `bygg --alle -j 2` from an empty output/ at N = 50, 200, 500 and 800 (cases/s, and the peak
  memory of the whole process tree), the same build with nothing changed, and after one case is
  edited (with what it made again); and with one worker at N = 50.

`--svg` draws the figures (bench/chart.py): makecase against LibreOffice per scenario, and the
batch's scaling curve.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKECASE = [sys.executable, "-m", "generator"]


def times_of(command: list[str], cwd: Path, runs: int, cold: bool = False) -> list[float]:
    """Time `runs` runs; `cold` forgets the remembered verdicts first (output/.makecase-cache), so
    that every PDF is judged in full, as on a first run or after an edit."""
    times = []
    for _ in range(runs):
        if cold:
            shutil.rmtree(cwd / "output" / ".makecase-cache", ignore_errors=True)
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def median_time(command: list[str], cwd: Path, runs: int, cold: bool = False) -> float:
    return statistics.median(times_of(command, cwd, runs, cold))


def _status_mb(path: str, key: str) -> float | None:
    """Return a size in MB from a /proc file of «Key:  1234 kB» lines (None: no such process or key)."""
    try:
        with open(path) as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _tree(root: int) -> list[int]:
    """Return the process and all its descendants (read from /proc)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _pss_mb(pid: int) -> float:
    """Return a process's proportional set size: its own pages, and its share of those it shares
    with the processes it forked or was forked from (so a tree's sizes add up to what it uses)."""
    found = _status_mb(f"/proc/{pid}/smaps_rollup", "Pss:")
    return found if found is not None else _status_mb(f"/proc/{pid}/status", "VmRSS:") or 0.0


def sampled(command: list[str], cwd: Path, every: float = 0.1) -> tuple[float, float, str]:
    """Run a command; return its wall time, the peak memory of its whole process tree (the sum of
    the processes' proportional set sizes, sampled every `every` seconds: the workers and the
    fork server count, not just the parent) in MB, and what it printed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak, chunks = 0.0, []
    reader = threading.Thread(target=lambda: chunks.append(process.stdout.read()))
    reader.start()
    while process.poll() is None:
        peak = max(peak, sum(_pss_mb(pid) for pid in _tree(process.pid)))
        time.sleep(every)
    reader.join()
    return time.perf_counter() - start, peak, "".join(chunks)


def peak_memory_mb(command: list[str], cwd: Path) -> float:
    """Return the peak memory of the command's whole process tree, in MB (see `sampled`)."""
    return sampled(command, cwd, every=0.05)[1]


def sample_project(target: Path) -> Path:
    shutil.copytree(REPO / "cases", target / "cases")
    shutil.copytree(REPO / "templates", target / "templates")
    return target


def synthetic_project(target: Path, count: int, per_meeting: int = 10) -> Path:
    """Return a project with the sample cases and `count` synthetic ones, `per_meeting` to a meeting."""
    root = sample_project(target)
    cases, vedlegg = root / "cases" / "2021", root / "cases" / "vedlegg" / "2021"
    cases.mkdir(parents=True)
    vedlegg.mkdir(parents=True)
    skisse = (root / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml").read_text(encoding="utf-8")
    avtale = (root / "cases" / "vedlegg" / "2020" / "23-20-samarbeidsavtale.yaml").read_text(encoding="utf-8")
    om = (root / "cases" / "vedlegg" / "2020" / "23-20-om-radet.yaml").read_text(encoding="utf-8")
    base = (root / "cases" / "2020" / "24-20.yaml").read_text(encoding="utf-8")
    body = base[base.index("saksopplysninger: |"):]
    for i in range(count):
        number = i + 1
        meeting = i // per_meeting
        date = f"{1 + meeting % 28:02d}.{1 + meeting // 28 % 12:02d}.2021"
        kind = ("budsjett", "avtale", "lukket")[i % 3]
        head = [
            f"sak: {number}/21",
            f"tittel: Syntetisk sak {number} – {kind}",
            f"arkivsak: 2021/{10000 + number}-1",
            "saksbehandler: Mari Løvli Yri",
            "saksgang:",
            "  - utvalg: Kommunedirektørutvalget i Trøndelag Sør",
            f"    møtedato: {date}",
            f"    utvalgssak: {number}/21",
        ]
        if kind == "budsjett":
            (vedlegg / f"{number}-21-prosjektskisse.yaml").write_text(
                skisse.replace("beløp: 500000", f"beløp: {500000 + 1000 * i}").replace(
                    "beløp: 420000", f"beløp: {420000 + 700 * i}").replace("beløp: 180000", f"beløp: {180000 + 300 * i}"),
                encoding="utf-8")
            head += ["vedlegg:", f"  - fil: vedlegg/2021/{number}-21-prosjektskisse.yaml"]
            text = body
        elif kind == "avtale":
            (vedlegg / f"{number}-21-avtale.yaml").write_text(avtale, encoding="utf-8")
            (vedlegg / f"{number}-21-om.yaml").write_text(om, encoding="utf-8")
            head += ["vedlegg:", f"  - fil: vedlegg/2021/{number}-21-om.yaml", f"  - fil: vedlegg/2021/{number}-21-avtale.yaml"]
            text = body.replace("[[minste_egenandel:tall]]", "30")
        else:
            head += ["lukket:", "  hjemmel: offl. § 13 jf. fvl. § 13 første ledd nr. 1", "  offentlig_tittel: Personalsak"]
            text = body.replace("[[minste_egenandel:tall]]", "30")
            paragraph = text.split("\n\n")[1]
            text = text + "\n" + "\n".join(["  " + paragraph.strip()] * 12) + "\n"
        (cases / f"{number}-21.yaml").write_text("\n".join(head) + "\n\n" + text, encoding="utf-8")
    for meeting in range((count + per_meeting - 1) // per_meeting):
        numbers = [n + 1 for n in range(meeting * per_meeting, min(count, (meeting + 1) * per_meeting))]
        date = f"{1 + meeting % 28:02d}.{1 + meeting // 28 % 12:02d}.2021"
        lines = ["utvalg: Kommunedirektørutvalget i Trøndelag Sør", f"møtedato: {date}", "møtested: Teams",
                 'starttid: "14:00"', "saker:", *(f"  - {n}/21" for n in numbers)]
        (root / "cases" / "moter" / f"2021-{meeting:03d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def in_process(root: Path, count: int = 40) -> dict[str, float]:
    """Return the median seconds per document for DOCX and PDF, each document rendered once,
    after a warm-up: typst remembers what it laid out, so rendering the same document again
    would measure its memory, not its work. `root` is a synthetic project."""
    sys.path.insert(0, str(REPO))
    from generator import compose
    from generator.render import docx as render_docx
    from generator.render import pdf as render_pdf
    from generator.check.rules import check_case
    from generator.load import load_case
    from generator.folder import ProjectFolder
    from generator.domain.values import Saksnummer

    folder = ProjectFolder(root)
    numbers = sorted(Saksnummer.parse(p.stem.replace("-", "/")) for p in (root / "cases" / "2021").glob("*.yaml"))
    documents = []
    for number in numbers[: count + 2]:
        org, mappe = load_case(folder, number)
        documents += compose.case_documents(org, mappe, check_case(mappe), compose.Utgave(org.malform))
    result = {}
    for fmt, render in (("docx", lambda d: render_docx.render(d, folder.templates)),
                        ("pdf", lambda d: render_pdf.render(d, folder.templates))):
        render(documents[0])  # warm-up: fonts, templates
        times = []
        for d in documents[2:]:
            start = time.perf_counter()
            render(d)
            times.append(time.perf_counter() - start)
        result[fmt] = statistics.median(times)
    return result


def libreoffice(root: Path, blocks: int, per_block: int) -> dict[str, float] | None:
    """Time LibreOffice converting the 24/20 saksframlegg and `makecase 24/20` in alternating blocks.

    The machine's speed drifts from minute to minute, so a ratio of two medians taken minutes
    apart says as much about the drift as about the tools. Each block of LibreOffice runs is
    paired with the block of makecase runs right before it; the ratio is the median of the
    blocks' ratios. (Alternating single runs would charge makecase for the caches each
    LibreOffice run empties; in a block, only its first run pays that.)
    """
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        return None
    subprocess.run(MAKECASE + ["24/20"], cwd=root, check=True, stdout=subprocess.DEVNULL)
    docx = root / "output" / "24-20-saksframlegg.docx"
    work = root / "lo"
    work.mkdir()
    profile = f"-env:UserInstallation=file://{root}/lo-profil"
    command = [office, profile, "--headless", "--convert-to", "pdf", "--outdir", str(work)]
    subprocess.run(command + [str(docx)], check=True, capture_output=True)  # first start creates the profile
    ours, theirs, ratios, cold_ratios = [], [], [], []
    for _ in range(blocks):
        mine = times_of(MAKECASE + ["24/20"], root, per_block)
        first_runs = times_of(MAKECASE + ["24/20"], root, per_block, cold=True)
        office_times = times_of(command + [str(docx)], root, per_block)
        ours += mine
        theirs += office_times
        ratios.append(statistics.median(office_times) / statistics.median(mine))
        cold_ratios.append(statistics.median(office_times) / statistics.median(first_runs))
    copies = []
    for i in range(20):
        copy = work / f"kopi-{i}.docx"
        shutil.copy(docx, copy)
        copies.append(str(copy))
    start = time.perf_counter()
    subprocess.run(command + copies, check=True, capture_output=True)
    return {"per_call": statistics.median(theirs), "per_file_in_20": (time.perf_counter() - start) / 20,
            "makecase_24_20": statistics.median(ours), "ratio": statistics.median(ratios),
            "ratios": sorted(ratios), "ratio_first_run": statistics.median(cold_ratios),
            "ratios_first_run": sorted(cold_ratios)}


def _save(path: Path, old: str, new: str) -> None:
    """Save a file as an editor does: the whole new text to a temporary file, renamed over the old."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    temporary = path.with_name(f".{path.name}.lagrer")
    temporary.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.replace(temporary, path)


def _changed(path: Path, before: bytes, timeout: float = 10.0) -> float:
    """Wait until a file holds other bytes than `before`; return when (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if path.read_bytes() != before:
                return time.perf_counter()
        except OSError:
            pass  # between the rename's unlink and link on some systems
        time.sleep(0.001)
    raise TimeoutError(f"{path.name} did not change within {timeout} s")


def watch_latency(root: Path, saves: int = 20) -> dict[str, dict[str, float]]:
    """Time `makecase se 24/20` from a save being complete (the rename) to the new PDF in place:
    `saves` saves of the case file (its saksframlegg changes) and of the prosjektskisse (its PDF of
    seven pages changes), each after the previous round has settled."""
    process = subprocess.Popen(MAKECASE + ["se", "24/20"], cwd=root, stdout=subprocess.PIPE, text=True)
    try:
        while "Følger med" not in (process.stdout.readline() or "Følger med"):
            pass
        time.sleep(0.5)
        found = {}
        for name, edited, text, pdf in (
            ("saksframlegg", root / "cases" / "2020" / "24-20.yaml", "Prosjektet bør ha en strategi",
             root / "output" / "24-20-saksframlegg.pdf"),
            ("prosjektskisse (7 sider)", root / "cases" / "vedlegg" / "2020" / "24-20-prosjektskisse.yaml",
             "Vårt prosjekt søker", root / "output" / "24-20-vedlegg-1-prosjektskisse.pdf"),
        ):
            times = []
            for i in range(saves):
                before = pdf.read_bytes()
                _save(edited, text, f"{text} {i}")
                saved = time.perf_counter()
                times.append(_changed(pdf, before) - saved)
                text = f"{text} {i}"
                time.sleep(0.4)  # the round finishes (DOCX, the validator's second opinion) before the next save
            times.sort()
            found[name] = {"median_ms": statistics.median(times) * 1000, "min_ms": times[0] * 1000,
                           "p90_ms": times[int(len(times) * 0.9) - 1] * 1000, "max_ms": times[-1] * 1000}
        return found
    finally:
        process.send_signal(2)  # Ctrl-C
        process.wait(timeout=10)


def _made(printed: str) -> list[str]:
    """Return the jobs a build made (its one line per job: «ok  sak 24/20 (4 filer)»)."""
    return [line.split("(")[0].split(None, 1)[1].strip() for line in printed.splitlines() if line.startswith("ok ")]


def batch(root: Path, workers: int, runs: int) -> dict[str, float]:
    """Build everything `runs` times (--force), each with no remembered verdicts (every PDF is
    new to the checks, as in a first build); report the median run."""
    times = []
    for _ in range(runs):
        shutil.rmtree(root / "output" / ".makecase-cache", ignore_errors=True)
        start = time.perf_counter()
        out = subprocess.run(MAKECASE + ["build", "--all", "--force", "-j", str(workers)], cwd=root,
                             capture_output=True, text=True)
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    done = [line for line in out.stdout.splitlines() if line.startswith("ok ")]
    cases = sum(1 for line in done if line.split()[1] == "sak")
    files = sum(int(line.rsplit("(", 1)[1].split()[0]) for line in done)
    return {"seconds": seconds, "cases": cases, "meetings": len(done) - cases, "files": files,
            "documents_per_s": files / 2 / seconds, "cases_per_s": cases / seconds}


def scaling(root: Path, n: int, workers: int = 2) -> dict:
    """Build a project of `n` synthetic cases from an empty output/ (every PDF judged, as a first
    build), with the peak memory of the whole process tree; then the same build with nothing
    changed (median of three); then after one case is edited, with what it made again."""
    shutil.rmtree(root / "output", ignore_errors=True)
    command = MAKECASE + ["bygg", "--alle", "-j", str(workers)]
    seconds, peak, printed = sampled(command, root)
    made = _made(printed)
    cases = sum(1 for job in made if job.startswith("sak "))
    noop = median_time(command, root, 3)
    _save(root / "cases" / "2021" / "2-21.yaml", "tittel: Syntetisk sak 2", "tittel: Syntetisk sak 2 (endret)")
    after_edit, _, printed = sampled(command, root)
    return {"n": n, "workers": workers, "seconds": seconds, "cases": cases, "jobs": len(made),
            "cases_per_s": cases / seconds, "peak_mb": peak, "noop_s": noop,
            "after_one_edit_s": after_edit, "after_one_edit_made": sorted(_made(printed))}


def meeting(root: Path, runs: int) -> dict:
    """Time `makecase møte` for one meeting of 60 cases: a first run (no remembered verdicts: every
    PDF, the package's 60 saksframlegg and vedlegg in one document among them, judged) and a repeat
    run, with the peak memory of the process tree."""
    command = MAKECASE + ["møte", "2021-01-01"]
    subprocess.run(command, cwd=root, check=True, stdout=subprocess.DEVNULL)
    first = times_of(command, root, runs, cold=True)
    repeat = times_of(command, root, runs)
    _, peak, _ = sampled(command, root, every=0.05)
    pages = subprocess.run(["pdfinfo", str(root / "output" / "2021-000-motedokumenter.pdf")], capture_output=True,
                           text=True).stdout if shutil.which("pdfinfo") else ""
    found = [line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")]
    return {"first_s": statistics.median(first), "first_range_s": [min(first), max(first)],
            "repeat_s": statistics.median(repeat), "repeat_range_s": [min(repeat), max(repeat)],
            "peak_mb": peak, "package_pages": int(found[0]) if found else None}


def import_times(root: Path) -> dict[str, float]:
    """Return what `makecase 24/20` spends importing, by top-level package, in ms (`python -X
    importtime`, one process: the helpers' imports of python-docx and typst counted too)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "generator", "24/20"], cwd=root,
                          env={**os.environ, "MAKECASE_PLAIN": "fork"}, capture_output=True, text=True)
    by_package: dict[str, float] = {}
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[0].startswith("import time:") and parts[0].split()[-1].isdigit():
            package = parts[2].strip().split(".")[0]
            by_package[package] = by_package.get(package, 0) + int(parts[0].split()[-1]) / 1000
    ranked = dict(sorted(by_package.items(), key=lambda item: -item[1]))
    top = dict(list(ranked.items())[:12])
    top["(andre)"] = sum(list(ranked.values())[12:])
    top["(sum)"] = sum(ranked.values())
    return {k: round(v, 1) for k, v in top.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="færre saker og kjøringer")
    parser.add_argument("--json", type=Path, help="skriv resultatene også som JSON hit")
    parser.add_argument("--svg", type=Path, help="tegn resultatene som SVG hit (bench/chart.py)")
    parser.add_argument("--se", action="store_true", help="bare ventetiden i `makecase se` (20 lagringer)")
    args = parser.parse_args()
    # A shell without job control starts a background command (`python bench/run.py &`) with
    # Ctrl-C ignored, and its children inherit that: `makecase se` would not end on the Ctrl-C
    # the bench sends it. A handler of our own is not inherited; the children get the default.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if args.se:
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps({"se_latency": watch_latency(sample_project(Path(tmp) / "eksempel"))}, indent=2,
                             ensure_ascii=False))
        return
    sizes = (30, 60) if args.quick else (50, 200, 500, 800)
    runs = 3 if args.quick else 11
    # A normal installation writes the package's bytecode on its first run; where
    # PYTHONDONTWRITEBYTECODE is set (as in some CI images) every run would compile
    # makecase's modules anew. Compile them once, so that each run measures what a user gets.
    compileall.compile_dir(str(REPO / "generator"), quiet=1)
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} kjerner, Python {platform.python_version()}",
                     "date": time.strftime("%Y-%m-%d %H:%M")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        sample = sample_project(tmp / "eksempel")
        results["in_process_s_per_document"] = in_process(synthetic_project(tmp / "enkeltvis", 40))
        results["process_s"] = {
            "makecase 24/20": median_time(MAKECASE + ["24/20"], sample, runs),
            "makecase 24/20, first run (every PDF checked in full)": median_time(MAKECASE + ["24/20"], sample, runs, cold=True),
            "makecase --help": median_time(MAKECASE + ["--help"], sample, runs),
            "makecase check": median_time(MAKECASE + ["check"], sample, runs),
        }
        results["import_ms"] = import_times(sample)
        results["peak_mb"] = {"makecase 24/20": peak_memory_mb(MAKECASE + ["24/20"], sample)}
        results["se_latency"] = watch_latency(sample_project(tmp / "se"))
        results["libreoffice_s"] = libreoffice(tmp / "eksempel", blocks=3 if args.quick else 7, per_block=5)
        results["meeting_60"] = meeting(synthetic_project(tmp / "mote60", 60, per_meeting=60), 3 if args.quick else 5)
        results["batch_j1_n50"] = batch(synthetic_project(tmp / "j1", sizes[0]), 1, 1)
        results["scaling"] = [scaling(synthetic_project(tmp / f"n{n}", n), n) for n in sizes]
    lo = results["libreoffice_s"]
    if lo:
        # One file: LibreOffice converting one DOCX against makecase making a whole case.
        results["ratio_libreoffice_per_call_to_makecase_24_20"] = lo["ratio"]
        results["ratio_libreoffice_per_call_to_makecase_24_20_first_run"] = lo["ratio_first_run"]
        # Many files: LibreOffice's time per file in a call of 20 against the batch's time per case.
        per_case = 1 / results["scaling"][0]["cases_per_s"]
        results["ratio_libreoffice_per_file_in_20_to_batch_per_case"] = lo["per_file_in_20"] / per_case
    print(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.svg:
        from chart import svg

        args.svg.write_text(svg(results), encoding="utf-8")


if __name__ == "__main__":
    main()
