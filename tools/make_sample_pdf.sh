#!/usr/bin/env bash
# Make the sample project's PDF vedlegg (cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf):
# the council's activity report from the seed (the text of 23-20-om-radet.yaml), written by
# LibreOffice, not by makecase, as PDF/A-2b, with a scanned-looking image of its first page as
# the last page. Run from the project root with LibreOffice, poppler-utils and the dev venv.
set -euo pipefail
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python - "$work" <<'PY'
import re, sys
from pathlib import Path
import yaml
from markdown_it import MarkdownIt
d = yaml.safe_load(Path("cases/vedlegg/2020/23-20-om-radet.yaml").read_text(encoding="utf-8"))
text = re.sub(r"\[\[kr (\d+)\]\]", lambda m: "kr " + f"{int(m.group(1)):,}".replace(",", "\u00a0"), d["tekst"])
head = ('<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>Aktivitetsrapport 2020</title>'
        '<style>body{font-family:"Liberation Serif";font-size:11pt} h1{font-size:16pt} h2{font-size:13pt}</style>'
        '</head><body>')
body = f"<h1>{d['tittel']}</h1><p><i>{d['undertittel']}</i></p>" + MarkdownIt().render(text)
Path(sys.argv[1], "tekst.html").write_text(head + body + "</body></html>", encoding="utf-8")
Path(sys.argv[1], "rapport.html").write_text(
    head + body + '<p style="page-break-before: always"><img src="skann-1.png" width="480" height="679" alt=""></p>'
    "</body></html>", encoding="utf-8")
PY
export_pdfa='pdf:writer_web_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
libreoffice --headless --convert-to pdf --outdir "$work" "$work/tekst.html" >/dev/null
pdftoppm -r 100 -f 1 -l 1 -png "$work/tekst.pdf" "$work/skann"
libreoffice --headless --convert-to "$export_pdfa" --outdir "$work" "$work/rapport.html" >/dev/null
cp "$work/rapport.pdf" cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf
