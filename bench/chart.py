"""Bench results (bench/run.py's JSON) → an SVG chart: makecase against LibreOffice per scenario,
and how the batch scales with the number of cases.

    python bench/chart.py bench/results/ytelse.json bench/results/ytelse.svg

Plain SVG written here (no plotting library to install for a chart of ten bars and a line); each
row is scaled to its own longest bar, so that a 60 ms and a 6 s scenario can both be read, and
carries its figures as text.
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

WIDTH = 760
OURS, THEIRS = "#1f5f9e", "#9a9a9a"
LABEL_W, BAR_W = 290, 330


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s".replace(".", ",")


def _rows(results: dict) -> list[tuple]:
    """Return each scenario as (what makecase did, its seconds, what LibreOffice did, its seconds),
    and for the one-case runs the ratio of alternating blocks (bench/run.py `libreoffice`) with its
    range, which is what the target is judged by (the two medians come from different minutes)."""
    lo = results.get("libreoffice_s") or {}
    one, per_file = lo.get("per_call"), lo.get("per_file_in_20")
    rows = []
    process = results.get("process_s", {})
    if one:
        rows.append(("makecase 24/20, gjentatt", process.get("makecase 24/20"), "LibreOffice: én DOCX → PDF", one,
                     lo.get("ratio"), lo.get("ratios")))
        rows.append(("makecase 24/20, første gang", process.get("makecase 24/20, first run (every PDF checked in full)"),
                     "LibreOffice: én DOCX → PDF", one, lo.get("ratio_first_run"), lo.get("ratios_first_run")))
        for name, latency in (results.get("se_latency") or {}).items():
            rows.append((f"makecase se: {name}", latency["median_ms"] / 1000, "LibreOffice: én DOCX → PDF", one))
    meeting = results.get("meeting_60")
    if meeting and per_file:
        rows.append(("møte med 60 saker, første gang", meeting["first_s"], "LibreOffice: 60 DOCX i bunker på 20",
                     60 * per_file))
    scaling = results.get("scaling") or []
    if scaling and per_file:
        middle = scaling[len(scaling) // 2]
        rows.append((f"bygg --alle -j 2, per sak (N = {middle['n']})", 1 / middle["cases_per_s"],
                     "LibreOffice: per DOCX i bunker på 20", per_file))
    return [row for row in rows if row[1]]


def _bars(rows, top: int) -> tuple[list[str], int]:
    """Return the bars, two to a scenario, and where they end."""
    out = [f'<text x="10" y="{top}" class="h">Tid per oppgave: makecase (blått) mot LibreOffice (grått); kortere er bedre</text>']
    y = top + 16
    for ours_name, ours, theirs_name, theirs, *paired in rows:
        longest = max(ours, theirs)
        ratio = paired[0] if paired and paired[0] else theirs / ours
        verdict = f"{_decimal(ratio)}× raskere" if ratio >= 1 else f"{_decimal(1 / ratio)}× tregere"
        if paired and paired[1]:
            verdict += f", blokkpar {_decimal(min(paired[1]))}–{_decimal(max(paired[1]))}×"
        for name, value, colour, ratio_text in ((ours_name, ours, OURS, verdict),
                                               (theirs_name, theirs, THEIRS, "")):
            width = max(1.0, BAR_W * value / longest)
            out.append(f'<text x="{LABEL_W - 8}" y="{y + 11}" text-anchor="end">{escape(name)}</text>')
            out.append(f'<rect x="{LABEL_W}" y="{y}" width="{width:.1f}" height="14" fill="{colour}"/>')
            out.append(f'<text x="{LABEL_W + width + 6:.1f}" y="{y + 11}">{_seconds(value)}'
                       + (f' <tspan class="b">({ratio_text})</tspan>' if ratio_text else "") + "</text>")
            y += 18
        y += 10
    return out, y


def _curve(scaling: list[dict], top: int) -> list[str]:
    """The batch's cases per second against N, with the peak memory and the no-op build at each N."""
    out = [f'<text x="10" y="{top}" class="h">bygg --alle -j 2 fra tom output/: saker per sekund (linjen), '
           "minne for hele prosesstreet og en bygging uten endringer</text>"]
    if not scaling:
        return out
    left, right, base, height = 70, WIDTH - 90, top + 190, 160
    most_n = max(s["n"] for s in scaling)
    most_rate = max(s["cases_per_s"] for s in scaling) * 1.25
    def x(n): return left + (right - left) * n / most_n
    def y(rate): return base - height * rate / most_rate
    out.append(f'<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="#333"/>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{left}" y2="{base - height}" stroke="#333"/>')
    for tick in range(0, int(most_rate) + 1, max(1, int(most_rate) // 4)):
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick}</text>')
    out.append(f'<text x="{left - 50}" y="{base - height - 8}">saker/s</text>')
    points = " ".join(f"{x(s['n']):.1f},{y(s['cases_per_s']):.1f}" for s in scaling)
    out.append(f'<polyline points="{points}" fill="none" stroke="{OURS}" stroke-width="2"/>')
    for s in scaling:
        px, py = x(s["n"]), y(s["cases_per_s"])
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{OURS}"/>')
        out.append(f'<text x="{px:.1f}" y="{py - 8:.1f}" text-anchor="middle" class="b">{_decimal(s["cases_per_s"])}</text>')
        out.append(f'<text x="{px:.1f}" y="{base + 16}" text-anchor="middle">N = {s["n"]}</text>')
        out.append(f'<text x="{px:.1f}" y="{base + 30}" text-anchor="middle" class="s">{s["peak_mb"]:.0f} MB</text>')
        out.append(f'<text x="{px:.1f}" y="{base + 42}" text-anchor="middle" class="s">uendret: {_seconds(s["noop_s"])}</text>')
    return out


def svg(results: dict) -> str:
    """Return the chart of one bench run."""
    rows = _rows(results)
    bars, end = _bars(rows, 50)
    curve = _curve(results.get("scaling") or [], end + 20)
    height = end + 20 + 240
    title = f"makecase mot LibreOffice, {results.get('machine', '')}, {results.get('date', '')}"
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        'role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(title)}</title>',
        f'<desc id="d">{escape(_description(rows, results.get("scaling") or []))}</desc>',
        "<style>text{font:12px 'Liberation Sans',Arial,sans-serif;fill:#222}.h{font-weight:bold;font-size:13px}"
        ".b{font-weight:bold}.s{font-size:10px;fill:#555}</style>",
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        f'<text x="10" y="24" class="h" style="font-size:15px">{escape(title)}</text>',
        *bars, *curve, "</svg>", ""])


def _description(rows, scaling) -> str:
    """The chart in words, for a screen reader."""
    said = [f"{row[0]}: {_seconds(row[1])} mot {row[2]}: {_seconds(row[3])}" for row in rows]
    said += [f"N = {s['n']}: {_decimal(s['cases_per_s'])} saker/s, {s['peak_mb']:.0f} MB" for s in scaling]
    return ". ".join(said)


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(svg(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))), encoding="utf-8")
