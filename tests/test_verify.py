"""makecase verify: PDF/A-2a and PDF/UA-1, judged on small typst documents and on copies broken one way each."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import struct
import zlib
from pathlib import Path

import pikepdf
import pytest
import typst
from click.testing import CliRunner

from generator.verify import pdf as verify
from generator.cli import main_group
from generator.verify.pdf import check_file

FONTS = Path(__file__).resolve().parent.parent / "generator" / "fonts"
#: The rule of the last check: pikepdf's validator, through generator.verify.pdfa.validate.
VALIDATOR = "pikepdf.pdfa"


def png(width: int = 2, height: int = 2) -> bytes:
    """Return a red PNG image, for a raster figure (typst draws it as an image XObject)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


#: Text in a group with opacity: typst draws it in a form XObject inside another form XObject.
SVG = ("<svg xmlns='http://www.w3.org/2000/svg' width='40' height='10'><g opacity='0.5'>"
       "<text x='0' y='9' font-family='Liberation Sans'>Hei</text></g></svg>")
SOURCE = f"""#set document(title: "Prøve", author: "Kari Nordmann")
#set text(font: "Liberation Sans", lang: "nb")
#set page(footer: context align(center)[Side #counter(page).display()])
= Overskrift
Tekst med æøå og «sitat».
== Under
#table(columns: 2, table.header([A], [B]), [1], [2])
- punkt
- punkt to
#figure(image(bytes(({", ".join(map(str, png()))})), format: "png", alt: "Rød firkant"), caption: [Figurtekst])
#image(bytes("{SVG}"), format: "svg", alt: "Hei")
#pagebreak()
== Side to
Mer tekst.
""".encode()


def compile_pdf(source: bytes = SOURCE, **options) -> bytes:
    compiler = typst.Compiler(font_paths=[str(FONTS)], ignore_system_fonts=True)
    options = {"pdf_standards": ["a-2a", "ua-1"], **options}
    return compiler.compile(input=source, format="pdf", timestamp=1597708800, **options)


@pytest.fixture(scope="module")
def tagged_bytes() -> bytes:
    return compile_pdf()


@pytest.fixture
def tagged(tmp_path: Path, tagged_bytes: bytes) -> Path:
    path = tmp_path / "merket.pdf"
    path.write_bytes(tagged_bytes)
    return path


def altered(path: Path, change) -> Path:
    """Return a copy of the PDF at `path` with `change(pdf)` applied, saved by pikepdf."""
    out = path.with_name("endret.pdf")
    with pikepdf.open(path) as pdf:
        change(pdf)
        pdf.save(out)
    return out


def failed(checks: list[verify.Requirement]) -> set[str]:
    """Return the rules of the failed checks."""
    return {c.rule for c in checks if not c.passed}


def only(checks: list[verify.Requirement], rule: str) -> verify.Requirement:
    (found,) = [c for c in checks if c.rule == rule and not c.passed] or [c for c in checks if c.rule == rule]
    return found


def elements(pdf: pikepdf.Pdf, role: str):
    """Yield the structure elements with /S `role`, in document order."""
    def walk(node):
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == role:
                    yield kid
                yield from walk(kid)
    yield from walk(pdf.Root.StructTreeRoot)


def add_content(pdf: pikepdf.Pdf, page: int, operators: bytes) -> None:
    """Append a content stream to a page, drawing with the page's first font (/f0)."""
    pdf.pages[page].contents_add(pikepdf.Stream(pdf, operators), prepend=False)


#: Text with the page's first font, code 1: mapped by every ToUnicode typst writes (codes count from 1).
TEXT = b"BT /f0 11 Tf 72 72 Td <0001> Tj ET"


class DescribeATaggedTypstFile:
    def it_passes_every_check(self, tagged):
        checks = check_file(tagged)
        assert failed(checks) == set(), [c for c in checks if not c.passed]
        assert checks[-1].rule == VALIDATOR

    def it_checks_tagging_headings_tables_lists_language_title_fonts_and_figures(self, tagged):
        rules = {c.rule for c in check_file(tagged)}
        assert {"6.6.4", "UA 06-002", "6.7.2.2", "6.7.3", "UA 01-005", "UA 14-003", "PDF/UA 7.5", "PDF/UA 7.6",
                "UA 11-001", "UA 07-001", "UA 06-003", "6.2.11.7.2", "UA 13-004", VALIDATOR} <= rules

    def it_keeps_the_pdfa_checks_of_file_structure_and_metadata(self, tagged):
        rules = [c.rule for c in check_file(tagged)]
        assert ["6.1.2", "6.1.3", "6.1.3", "6.1.7.1", "6.2.3", "6.2.11.4.1"] == rules[:6]
        assert {"6.3.2", "6.5.1", "6.6.2.1", "6.6.3"} <= set(rules)

    def it_follows_text_into_nested_form_xobjects(self, tagged):
        with pikepdf.open(tagged) as pdf:
            (form,) = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Form"]
            (inner,) = form.Resources.XObject.values()
            assert "/Font" in inner.Resources, "typst draws the SVG's text in a form inside a form"
        assert only(check_file(tagged), "UA 01-005").passed

        def change(pdf):  # the H of the SVG's «Hei» is the only H in regular Liberation Sans
            (form,) = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Form"]
            (inner,) = form.Resources.XObject.values()
            (font,) = inner.Resources.Font.values()
            font.ToUnicode.write(re.sub(rb"<[0-9A-F]{4}> <0048>\n", b"", font.ToUnicode.read_bytes()))
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"6.2.11.7.2"}
        assert only(checks, "6.2.11.7.2").detail == "LiberationSans: 1 tegnkode uten Unicode"


class DescribeAnUntaggedFile:
    def it_fails_identification_tagging_and_the_structure_checks(self, tmp_path):
        path = tmp_path / "umerket.pdf"
        path.write_bytes(compile_pdf(pdf_tags=False, pdf_standards=[]))
        checks = check_file(path)
        # No standard asked for: no OutputIntent, no pdfaid/pdfuaid, no DisplayDocTitle either.
        assert failed(checks) == {"6.2.3", "6.6.4", "UA 06-002", "UA 07-001", "6.7.2.2", "6.7.3", "UA 01-005", VALIDATOR}
        assert re.fullmatch(r"side 1: \d+ tekstoperasjoner uten tagg, 1 bilde uten tagg; side 2: \d+ tekstoperasjoner uten tagg",
                            only(checks, "UA 01-005").detail)


class DescribeABrokenCopy:
    @pytest.mark.parametrize(("date", "detail"), [
        ("D:00010101000000Z", "CreationDate «D:00010101000000Z» er ikke en gyldig dato"),
        ("D:2020181800", "CreationDate «D:2020181800» er ikke en gyldig dato"),
        ("D:20210818000000Z", "CreationDate «D:20210818000000Z» og xmp:CreateDate"),
    ])
    def it_fails_only_the_date_check_for_a_malformed_or_differing_date(self, tagged, date, detail):
        def change(pdf):
            pdf.docinfo["/CreationDate"] = date
        checks = check_file(altered(tagged, change))
        dates = [c for c in checks if c.name.startswith("datoene")]
        assert [c.passed for c in dates] == [False] and dates[0].detail.startswith(detail)
        assert {c.name for c in checks if not c.passed} - {dates[0].name} <= {
            "PDF/A-2-reglene på B-nivå (pikepdfs validator, bygd på veraPDFs regler)"}

    def it_fails_only_the_language_check_without_lang(self, tagged):
        def change(pdf):
            del pdf.Root.Lang
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 11-001"}
        assert only(checks, "UA 11-001").detail == "mangler"

    @pytest.mark.parametrize("lang, passes", [("nn", True), ("nb-NO", True), ("Norsk bokmål", False), ("", False)])
    def it_takes_any_bcp_47_tag_and_reports_the_value(self, tagged, lang, passes):
        def change(pdf):
            pdf.Root.Lang = pikepdf.String(lang)
        check = only(check_file(altered(tagged, change)), "UA 11-001")
        assert check.passed is passes
        assert check.detail == (lang or "mangler")

    def it_fails_only_the_table_check_when_a_tables_th_cells_become_td(self, tagged):
        def change(pdf):
            for cell in list(elements(pdf, "/TH")):
                cell.S = pikepdf.Name.TD
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"PDF/UA 7.5"}
        assert only(checks, "PDF/UA 7.5").detail == "tabell nr. 1"

    def it_fails_only_the_title_display_check_without_displaydoctitle(self, tagged):
        def change(pdf):
            del pdf.Root.ViewerPreferences.DisplayDocTitle
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 07-001"}
        assert only(checks, "UA 07-001").detail == "mangler"

    def it_fails_only_the_unicode_check_without_a_fonts_tounicode(self, tagged):
        def change(pdf):
            del pdf.pages[0].Resources.Font.f0.ToUnicode
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"6.2.11.7.2"}
        assert re.fullmatch(r"LiberationSans[-\w]*: mangler ToUnicode", only(checks, "6.2.11.7.2").detail)

    def it_counts_the_codes_a_tounicode_map_leaves_out(self, tagged):
        def change(pdf):
            to_unicode = pdf.pages[0].Resources.Font.f0.ToUnicode
            cmap = re.sub(rb"<000[12]> <[0-9A-F]+>\n", b"", to_unicode.read_bytes())
            to_unicode.write(cmap)
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"6.2.11.7.2"}
        assert re.fullmatch(r"LiberationSans[-\w]*: 2 tegnkoder uten Unicode", only(checks, "6.2.11.7.2").detail)

    @pytest.mark.parametrize("encoding, flags, text, gaps", [
        (pikepdf.Name.WinAnsiEncoding, 32, b"Vi viser til brevet \xe5 (\x80 12)", []),  # å and € in WinAnsi
        (pikepdf.Name.WinAnsiEncoding, 32, b"kode \x81", ["Times-Roman: 1 tegnkode uten Unicode"]),  # undefined
        (pikepdf.Name.WinAnsiEncoding, 4, b"symbol", ["Times-Roman: mangler ToUnicode"]),  # symbolic
        (pikepdf.Dictionary(Differences=[65, pikepdf.Name.aring, pikepdf.Name("/g17")]), 32, b"AB",
         ["Times-Roman: 1 tegnkode uten Unicode"]),  # /aring is a glyph name Unicode knows; /g17 is not
        (None, 32, b"uten koding", []),  # a standard Latin font: its built-in encoding is StandardEncoding
    ])
    def it_maps_a_simple_font_without_tounicode_through_its_encoding(self, encoding, flags, text, gaps):
        pdf = pikepdf.new()
        font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name("/Times-Roman"),
                                  FontDescriptor=pikepdf.Dictionary(Flags=flags))
        if encoding is not None:
            font.Encoding = encoding
        pdf.add_blank_page()
        pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pdf.make_indirect(font)))
        pdf.pages[0].Contents = pdf.make_stream(b"BT /F1 12 Tf " + pikepdf.String(text).unparse() + b" Tj ET")
        out = io.BytesIO()
        pdf.save(out)
        assert verify.unicode_gaps(out.getvalue()) == gaps

    def it_judges_a_large_pdf_the_same_with_the_validator_in_a_second_process(self, tagged, monkeypatch):
        """The gate runs pikepdf's validator elsewhere for a large PDF (speed trick «parallel»): the
        verdict, findings and all, is the one it gives in this process."""
        from generator.publish import gate

        def change(pdf):
            del pdf.Root["/OutputIntents"]  # device colour without an output intent: the validator objects
        broken = altered(tagged, change).read_bytes()
        here = gate.failed_checks(broken)
        monkeypatch.setattr(gate, "LARGE", 0)
        try:
            assert gate.failed_checks(broken) == here
        finally:
            gate.close_second_process()
        assert any(line.startswith("pikepdf.pdfa ") for line in here)

    def it_walks_forms_drawing_forms_once_each(self):
        """Ten forms deep, each drawing the next forty times: 40¹⁰ drawings, but ten forms to read."""
        pdf = pikepdf.new()
        pdf.add_blank_page()
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name("/Helvetica"), Encoding=pikepdf.Name.WinAnsiEncoding))
        inner = pdf.make_stream(b"BT /F1 9 Tf (x) Tj ET", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                BBox=[0, 0, 10, 10], Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)))
        for _ in range(10):
            inner = pdf.make_stream(b"/X Do " * 40, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 10, 10],
                                    Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=inner)))
        pdf.pages[0].Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=inner))
        pdf.pages[0].Contents = pdf.make_stream(b"/X Do")
        out = io.BytesIO()
        pdf.save(out)
        assert verify.unicode_gaps(out.getvalue()) == []  # Helvetica in WinAnsi: the one code maps
        assert only(verify.check_bytes(out.getvalue(), validator=False), "UA 01-005").detail == \
            "side 1: 1 tekstoperasjon uten tagg"

    def it_fails_only_the_heading_check_when_h3_follows_h1(self, tagged):
        def change(pdf):
            next(elements(pdf, "/H2")).S = pikepdf.Name.H3
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 14-003"}
        assert only(checks, "UA 14-003").detail == "H1 nr. 1 «Overskrift» følges av H3 nr. 2 «Under»"

    def it_resolves_headings_through_the_role_map(self, tagged):
        def change(pdf):
            next(elements(pdf, "/H2")).S = pikepdf.Name("/Mellomtittel")
            pdf.Root.StructTreeRoot.RoleMap.Mellomtittel = pikepdf.Name.H4
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 14-003"}
        assert only(checks, "UA 14-003").detail.endswith("følges av H4 nr. 2 «Under»")

    def it_fails_only_the_role_check_for_a_type_the_role_map_does_not_know(self, tagged):
        def change(pdf):
            next(elements(pdf, "/P")).S = pikepdf.Name("/Avsnitt")
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 02-001"}
        assert only(checks, "UA 02-001").detail == "Avsnitt"

    def it_fails_only_the_pdfua_identification_without_pdfuaid_part(self, tagged):
        def change(pdf):
            pdf.Root.Metadata.write(pdf.Root.Metadata.read_bytes().replace(b"<pdfuaid:part>1</pdfuaid:part>", b""))
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 06-002"}
        assert only(checks, "UA 06-002").detail == "part=mangler"

    def it_fails_only_the_tagging_check_for_text_drawn_outside_any_tag(self, tagged):
        checks = check_file(altered(tagged, lambda pdf: add_content(pdf, 1, TEXT)))
        assert failed(checks) == {"UA 01-005"}
        assert only(checks, "UA 01-005").detail == "side 2: 1 tekstoperasjon uten tagg"

    def it_takes_text_marked_as_artifact(self, tagged):
        checks = check_file(altered(tagged, lambda pdf: add_content(pdf, 1, b"/Artifact BMC " + TEXT + b" EMC")))
        assert failed(checks) == set()

    def it_fails_text_whose_mcid_the_structure_tree_does_not_reach(self, tagged):
        checks = check_file(altered(tagged, lambda pdf: add_content(pdf, 0, b"/P <</MCID 99>> BDC " + TEXT + b" EMC")))
        assert failed(checks) == {"UA 01-005"}
        assert only(checks, "UA 01-005").detail == "side 1: 1 tekstoperasjon med MCID som strukturtreet ikke viser til"

    def it_finds_a_form_xobjects_text_and_an_image_drawn_outside_any_tag(self, tagged):
        shown = []

        def change(pdf):
            drawn = {str(x.Subtype): name for name, x in pdf.pages[0].Resources.XObject.items()}
            (inner,) = pdf.pages[0].Resources.XObject[drawn["/Form"]].Resources.XObject.values()
            shown.extend(i for i in pikepdf.parse_content_stream(inner) if str(i.operator) in ("Tj", "TJ"))
            add_content(pdf, 0, f"q {drawn['/Form']} Do Q q {drawn['/Image']} Do Q".encode())
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 01-005"}
        assert only(checks, "UA 01-005").detail == f"side 1: {len(shown)} tekstoperasjoner uten tagg, 1 bilde uten tagg"

    def it_reads_the_fonts_of_nested_form_xobjects(self, tagged):
        def change(pdf):
            (form,) = [x for x in pdf.pages[0].Resources.XObject.values() if x.Subtype == "/Form"]
            (inner,) = form.Resources.XObject.values()
            for font in inner.Resources.Font.values():
                del font.ToUnicode
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"6.2.11.7.2"}
        assert "mangler ToUnicode" in only(checks, "6.2.11.7.2").detail

    def it_fails_only_the_list_check_for_an_item_without_a_body(self, tagged):
        def change(pdf):
            next(elements(pdf, "/LBody")).S = pikepdf.Name.P
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"PDF/UA 7.6"}
        assert only(checks, "PDF/UA 7.6").detail == "liste nr. 1, punkt 1 har ingen LBody"

    def it_fails_only_the_figure_check_for_a_figure_without_alt(self, tagged):
        def change(pdf):
            del next(elements(pdf, "/Figure")).Alt
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"UA 13-004"}
        assert only(checks, "UA 13-004").detail == "figur nr. 1"

    def it_fails_only_the_markinfo_check_when_marked_is_false(self, tagged):
        def change(pdf):
            pdf.Root.MarkInfo.Marked = False
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"6.7.2.2"}

    def it_fails_only_the_title_agreement_when_info_and_xmp_differ(self, tagged):
        def change(pdf):
            pdf.trailer.Info.Title = "En annen tittel"
        checks = check_file(altered(tagged, change))
        assert failed(checks) == {"6.6.3"}


class DescribeTheCommand:
    def it_exits_0_and_says_so_when_every_requirement_is_met(self, tagged):
        result = CliRunner().invoke(main_group, ["verifiser", str(tagged)])
        assert result.exit_code == 0, result.output
        assert "  Resultat: oppfyller PDF/A-2a og PDF/UA-1\n" in result.output
        assert "FEIL" not in result.output

    def it_exits_1_naming_the_broken_requirement(self, tagged):
        def change(pdf):
            del pdf.Root.Lang
        result = CliRunner().invoke(main_group, ["verifiser", str(tagged), str(altered(tagged, change))])
        assert result.exit_code == 1, result.output
        assert result.output.count("  Resultat: oppfyller PDF/A-2a og PDF/UA-1\n") == 1
        assert "  Resultat: oppfyller ikke PDF/A-2a og PDF/UA-1 (1 krav brutt)\n" in result.output
        assert re.search(r"FEIL UA 11-001 +språk satt i katalogen \(/Lang, BCP 47\) \(mangler\)", result.output)

    def it_fails_a_password_protected_file_as_encrypted_not_as_an_internal_error(self, tagged, tmp_path):
        locked = tmp_path / "laast.pdf"
        with pikepdf.open(tagged) as pdf:
            pdf.save(locked, encryption=pikepdf.Encryption(user="u", owner="o"))
        result = CliRunner().invoke(main_group, ["verifiser", str(locked)])
        assert result.exit_code == 1, result.output
        assert re.search(r"FEIL 6\.1\.3 +ikke kryptert \(filen er kryptert og kan ikke åpnes uten passord\)", result.output)

    def it_checks_every_file_and_keeps_its_status_when_the_reader_stops_reading(self, tagged):
        def change(pdf):
            del pdf.Root.Lang
        files = [str(tagged)] * 4 + [str(altered(tagged, change))]
        done = subprocess.run(["bash", "-c", 'makecase verifiser "$@" | head -1; exit "${PIPESTATUS[0]}"', "-", *files],
                              capture_output=True, text=True, env={**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]})
        assert done.returncode == 1, done.stderr
        assert done.stdout.count("\n") == 1 and done.stderr == ""


def it_validates_a_libreoffice_pdf_past_the_keys_that_stop_the_validator(built_output):
    """LibreOffice writes /DocChecksum, at which pikepdf's validator stops; PDF/A allows it. (The
    sample's vedlegg as makecase copies it: its page tab order mended, generator.load.pdfvedlegg.)"""
    from generator.verify.pdfa import validate

    data = (built_output / "22-20-vedlegg-1-aktivitetsrapport-2020-for-trondelag-sor.pdf").read_bytes()
    assert b"/DocChecksum" in data
    assert validate(data) == []
