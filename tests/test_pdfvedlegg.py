"""PDF files as vedlegg (#19): checked as input, active content removed from the copy, in the
saksframlegg's list, the case's folder, the meeting package (framed, tagged, numbered), the
archive (as it is when PDF/A, else through Ghostscript) and the public edition."""

from __future__ import annotations

import io
import json
import re
import shutil
import time
from pathlib import Path

import pikepdf
import pytest
import typst

from conftest import edit, output_files
from generator.load import pdfvedlegg
from generator.publish import ghostscript
from textof import docx_text, normalise, pdf_pages, pdf_text

CASE = "cases/2020/22-20.yaml"
SAMPLE = "cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf"
COPY = "22-20-vedlegg-1-aktivitetsrapport-2020-for-trondelag-sor.pdf"
PACKAGE = "2020-08-18-kommunedirektorutvalget-motedokumenter.pdf"
NEEDS_GS = pytest.mark.skipif(ghostscript.executable() is None,
                              reason="Ghostscript er ikke installert (apt-get install ghostscript)")


def replace_sample(project, data: bytes) -> None:
    (project / SAMPLE).write_bytes(data)


def with_annotation(data: bytes, kind: str) -> bytes:
    """Return a PDF with a red annotation on its first page: a stamp, or a ticked box in a form that
    asks the viewer to draw its fields (/NeedAppearances)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        red = pdf.make_stream(b"1 0 0 rg 0 0 200 80 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                              BBox=[0, 0, 200, 80])
        if kind == "stempel":
            annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Stamp, Rect=[300, 600, 500, 680],
                                            F=4, AP=pikepdf.Dictionary(N=red))
        else:
            annotation = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Btn,
                                            T=pikepdf.String("godkjent"), V=pikepdf.Name.Yes, AS=pikepdf.Name.Yes,
                                            Rect=[300, 600, 500, 680], F=4, AP=pikepdf.Dictionary(N=pikepdf.Dictionary(Yes=red)))
        annotation = pdf.make_indirect(annotation)
        annotation.P = pdf.pages[0].obj
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([annotation]))
        if kind != "stempel":
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([annotation]), NeedAppearances=True)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def red_pixels(path, page: int, folder) -> int:
    """Return how many pixels of a page are red, rendered at 30 dpi (pdftoppm)."""
    import subprocess

    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "30", "-f", str(page), "-l", str(page), "-png", str(path), str(folder / "side")],
                   check=True)
    image = Image.open(sorted(folder.glob("side*.png"))[-1]).convert("RGB")
    return sum(n for n, (r, g, b) in image.getcolors(1 << 24) if r > 200 and g < 60 and b < 60)


def copy_of(project) -> bytes:
    """Return the copy of the sample vedlegg makecase uses: LibreOffice's file with its page tab order
    mended (a string where PDF has a name)."""
    return pdfvedlegg.read(project / SAMPLE).data


def not_pdfa(project) -> bytes:
    """Return the sample vedlegg without its PDF/A identification and output intent."""
    with pikepdf.open(project / SAMPLE) as pdf:
        with pdf.open_metadata() as meta:
            del meta["pdfaid:part"]
            del meta["pdfaid:conformance"]
        del pdf.Root["/OutputIntents"]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def secret_pdf(text: str) -> bytes:
    """Return a one-page PDF/A-2b holding `text`, written by typst (a letter from elsewhere)."""
    source = f'#set document(title: "Brev")\n#set text(font: "DejaVu Sans")\n{text}\n'.encode()
    return typst.Compiler().compile(input=source, format="pdf", pdf_standards=["a-2b"])


def letter_in_times() -> bytes:
    """Return a one-page letter as «print to PDF» writes it: Times-Roman not embedded, WinAnsiEncoding,
    no ToUnicode (its text maps to Unicode through the encoding)."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name("/Times-Roman"),
                                                Encoding=pikepdf.Name.WinAnsiEncoding))
    content = b"BT /F1 12 Tf 72 750 Td (Vi viser til deres henvendelse av 1. juli 2020.) Tj ET"
    pdf.add_blank_page(page_size=(595, 842))
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    pdf.pages[0].Contents = pdf.make_stream(content)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def without_to_unicode(data: bytes) -> bytes:
    """Return a PDF whose fonts have lost their ToUnicode maps (their text no longer reads back)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                del font["/ToUnicode"]
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def refused_input(run, project, message: str, line: int = 15) -> None:
    result = run("22/20")
    assert result.exit_code == 2, result.output
    assert f"{CASE}:{line}: vedlegg[0].fil: cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf: {message}" in result.output
    assert output_files(project) == []


def close_sample(project: Path, public_title: str | None = None) -> None:
    """Keep the sample's PDF vedlegg of 22/20 from the public (offl. § 13), with a public title if given."""
    line = "    fil: vedlegg/2020/22-20-aktivitetsrapport-2020.pdf\n"
    titled = f"      offentlig_tittel: {public_title}\n" if public_title else ""
    edit(project / CASE, line, f"{line}    lukket:\n      hjemmel: offl. § 13 jf. fvl. § 13 første ledd nr. 1\n{titled}")


class DescribeTheInputCheck:
    def it_refuses_a_file_that_is_not_a_pdf(self, run, project):
        replace_sample(project, "Kjære kommunedirektør …".encode())
        refused_input(run, project, "filen er ikke en PDF (den begynner ikke med «%PDF-»)")

    def it_refuses_a_damaged_pdf_with_qpdfs_words(self, run, project):
        data = (project / SAMPLE).read_bytes()
        replace_sample(project, data[: len(data) // 2])
        refused_input(run, project, "PDF-filen er skadet og kan ikke leses (unable to find trailer dictionary while "
                                    "recovering damaged file)")

    def it_refuses_a_pdf_with_a_broken_stream(self, run, project):
        data = bytearray((project / SAMPLE).read_bytes())
        start = data.index(b"stream\n", 4000) + 7
        data[start + 20:start + 60] = b"x" * 40
        replace_sample(project, bytes(data))
        result = run("22/20")
        assert result.exit_code == 2 and "PDF-filen er skadet (qpdf: " in result.output

    def it_refuses_a_password_protected_pdf(self, run, project):
        with pikepdf.open(project / SAMPLE) as pdf:
            out = io.BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(owner="eier", user="bruker"))
        replace_sample(project, out.getvalue())
        refused_input(run, project, "PDF-filen er beskyttet med passord; lagre den uten passord og prøv igjen")

    def it_refuses_a_pdf_encrypted_against_printing_or_copying(self, run, project):
        with pikepdf.open(project / SAMPLE) as pdf:
            out = io.BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(owner="eier", user=""))
        replace_sample(project, out.getvalue())
        refused_input(run, project, "PDF-filen er kryptert (med begrensninger på utskrift eller kopiering); lagre den "
                                    "uten kryptering og prøv igjen")

    def it_refuses_a_file_over_the_limit(self, run, project):
        with open(project / SAMPLE, "r+b") as file:
            file.truncate(51 * 1024 * 1024)  # sparse: no 51 MB written
        refused_input(run, project, "PDF-filen er for stor (51 MB; grensen er 50 MB)")

    def it_refuses_a_page_without_size(self, run, project):
        with pikepdf.open(project / SAMPLE) as pdf:
            pdf.pages[1].MediaBox = [0, 0, 0, 0]
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        refused_input(run, project, "side 2 i PDF-filen har ingen størrelse (MediaBox [0.0, 0.0, 0.0, 0.0])")

    @pytest.mark.parametrize("default", [{"OFF": [0]}, {"BaseState": "/OFF"}])
    def it_refuses_a_pdf_with_hidden_layers(self, run, project, default):
        """What a layer switched off hides would show in the package and in Ghostscript's PDF/A."""
        with pikepdf.open(project / SAMPLE) as pdf:
            layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name=pikepdf.String("Kommentarer")))
            shown = {k: (pikepdf.Array([layer]) if v == [0] else pikepdf.Name(v)) for k, v in default.items()}
            pdf.Root.OCProperties = pikepdf.Dictionary(OCGs=pikepdf.Array([layer]), D=pikepdf.Dictionary(**shown))
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        refused_input(run, project, "PDF-filen har lag som er skjult (valgfritt innhold som er slått av); det skjulte "
                                    "ville blitt synlig i møtepakken og arkivet")

    def it_asks_for_the_title_of_a_pdf(self, run, project):
        edit(project / CASE, "  - tittel: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd\n"
             "    fil:", "  - fil:")
        result = run("kontroller")
        assert result.exit_code == 2
        assert f"{CASE}:14: vedlegg[0]: tittel mangler: en PDF-fil som vedlegg må ha en tittel" in result.output

    def it_is_read_by_kontroller(self, run, project):
        replace_sample(project, b"%PDF-1.7\nikke mer")
        result = run("kontroller")
        assert result.exit_code == 2
        assert f"{CASE}:15: vedlegg[0].fil: cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf: PDF-filen er skadet" \
            in result.output

    def it_warns_of_a_pdf_no_case_names(self, run, project):
        shutil.copy(project / SAMPLE, project / "cases/vedlegg/2020/brev-fra-fylket.pdf")
        result = run("kontroller")
        assert result.exit_code == 0, result.output
        assert ("Advarsel: cases/vedlegg/2020/brev-fra-fylket.pdf: ingen sak har denne PDF-filen som vedlegg "
                "(mangler den under «vedlegg:» i saken?)") in result.output
        assert "22-20-aktivitetsrapport" not in result.output  # named by 22/20
        found = json.loads(run("kontroller", "--json").output)
        assert found["i_orden"] is True
        assert [(f["fil"], f["alvor"]) for f in found["funn"]] == [("cases/vedlegg/2020/brev-fra-fylket.pdf", "advarsel")]


class DescribeActiveContent:
    @pytest.fixture
    def active(self, project) -> bytes:
        with pikepdf.open(project / SAMPLE) as pdf:
            script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
            pdf.Root.OpenAction = script
            pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script])))
            pdf.attachments["hemmelig.txt"] = pikepdf.AttachedFileSpec(pdf, b"hemmelig innhold")
            pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], F=4,
                A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))))]))
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        return out.getvalue()

    def it_removes_javascript_launch_and_embedded_files_from_the_copy_and_says_so(self, run, project, active):
        result = run("22/20")
        assert result.exit_code == 0, result.output
        assert ("Advarsel: cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf: fjernet fra kopien makecase bruker "
                "(originalen er uendret): JavaScript, innebygde filer, en handling som kjøres når filen åpnes, "
                "handlinger som starter programmer eller henter filer") in result.output
        copy = (project / "output" / COPY).read_bytes()
        for gone in (b"app.alert", b"hemmelig innhold", b"calc.exe", b"/JavaScript", b"/Launch", b"/EmbeddedFile"):
            assert gone not in copy
        assert (project / SAMPLE).read_bytes() == active  # the original is never changed
        assert "Advarsel:" in run("kontroller").output

    def it_finds_active_content_wherever_it_stands(self, run, project):
        with pikepdf.open(project / SAMPLE) as pdf:
            script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
            field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String("f"), AA=pikepdf.Dictionary(K=script)))
            pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
            pdf.Root.Outlines = pdf.make_indirect(pikepdf.Dictionary(First=pdf.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String("x"), A=pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("\\\\evil\\share\\y.pdf"))))))
            pdf.Root.Pages.AA = pikepdf.Dictionary(O=script)
            pdf.pages[0].Resources.XObject = pikepdf.Dictionary(P0=pdf.make_stream(
                b"(printer) print", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.PS))
            page = pdf.pages[0]
            page.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], F=4,
                A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("file:///C:/Windows/calc.exe"))))]))
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        assert run("22/20").exit_code == 0
        copy = (project / "output" / COPY).read_bytes()
        for gone in (b"app.alert", b"evil", b"calc.exe", b"/GoToR", b"/PS"):
            assert gone not in copy

    def it_keeps_only_the_pdf_of_a_file_with_something_after_it(self, run, project):
        replace_sample(project, (project / SAMPLE).read_bytes() + b"\n-- Sendt via sikker e-post --\n" * 10)
        assert run("22/20").exit_code == 0
        assert (project / "output" / COPY).read_bytes().rstrip().endswith(b"%%EOF")

    def it_refuses_a_file_that_is_something_else_before_the_pdf(self, run, project):
        replace_sample(project, b"<html><script>alert(1)</script><!--" + (project / SAMPLE).read_bytes())
        refused_input(run, project, "filen er ikke en PDF (den begynner ikke med «%PDF-»)")

    def it_reads_forms_drawing_forms_without_end_quickly(self, run, project):
        with pikepdf.open(project / SAMPLE) as pdf:
            leaf = pdf.make_stream(b"0 0 1 1 re f", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1])
            for _ in range(9):
                calls = b" ".join(b"/X Do" for _ in range(40))
                leaf = pdf.make_stream(calls, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 1, 1],
                                       Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(X=leaf)))
            page = pdf.pages[3]
            page.Resources.XObject = pikepdf.Dictionary(Bomb=leaf)
            page.contents_add(pdf.make_stream(b"/Bomb Do"))
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        started = time.monotonic()
        assert run("kontroller").exit_code == 0
        assert time.monotonic() - started < 20  # a bound, not a benchmark: 40**9 draws are not walked

    def it_carries_none_into_the_meeting_package(self, run, project, active):
        assert run("møte", "2020-08-18").exit_code == 0
        package = (project / "output" / PACKAGE).read_bytes()
        for gone in (b"app.alert", b"hemmelig innhold", b"calc.exe", b"/JavaScript", b"/Launch"):
            assert gone not in package


class DescribeTheCase:
    def it_lists_the_pdf_with_its_pages_and_copies_it_beside_the_documents(self, run, project):
        assert run("22/20").exit_code == 0
        line = "Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd (PDF, 4 sider)"
        assert line in normalise(docx_text(project / "output" / "22-20-saksframlegg.docx"))
        assert line in normalise(pdf_text(project / "output" / "22-20-saksframlegg.pdf"))
        assert (project / "output" / COPY).read_bytes() == copy_of(project)

    def it_copies_the_pdf_into_each_kommunestyres_folder(self, run, project):
        shutil.copy(project / SAMPLE, project / "cases" / "vedlegg" / "2020" / "brev.pdf")
        edit(project / "cases" / "2020" / "23-20.yaml", "  - fil: vedlegg/2020/23-20-samarbeidsavtale.yaml\n",
             "  - fil: vedlegg/2020/23-20-samarbeidsavtale.yaml\n  - tittel: Brev fra Trøndelag fylkeskommune\n"
             "    fil: vedlegg/2020/brev.pdf\n")
        assert run("23/20", "--kommunestyre").exit_code == 0
        folders = sorted(p for p in (project / "output").iterdir() if p.is_dir() and "kommunestyret" in p.name)
        assert len(folders) == 6
        for folder in folders:
            assert (folder / "23-20-vedlegg-3-brev-fra-trondelag-fylkeskommune.pdf").is_file()
            assert "Brev fra Trøndelag fylkeskommune (PDF, 4 sider)" in normalise(docx_text(folder / "23-20-saksframlegg.docx"))


class DescribeTheMeetingPackage:
    def it_frames_each_page_under_the_packages_numbering_with_its_text_kept(self, run, project):
        assert run("møte", "2020-08-18").exit_code == 0
        pages = [normalise(p) for p in pdf_pages(project / "output" / PACKAGE)]
        framed = [n for n, page in enumerate(pages) if "Vedlegg 1 til sak 22/20" in page]
        assert len(framed) == 4
        for n in framed:
            assert f"Side {n + 1} av {len(pages)}" in pages[n]
        assert "Lokalmatsatsingen bevilges kr 240 000" in pages[framed[0]]  # text, not a picture of it
        assert "Lokalmatsatsingen" not in pages[framed[3]]  # the scanned page is an image
        with pikepdf.open(project / "output" / PACKAGE) as pdf:  # compressed, but the XMP (PDF/A 6.6.2.1)
            plain = [str(o.get("/Type")) for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/Filter" not in o.stream_dict]
        assert plain == ["/Metadata"]

    def it_passes_verify_and_says_which_pages_are_figures(self, run, project):
        assert run("møte", "2020-08-18").exit_code == 0
        result = run("verifiser", f"output/{PACKAGE}")
        assert result.exit_code == 0, result.output
        assert "Resultat: oppfyller PDF/A-2a og PDF/UA-1" in result.output
        assert "Merk: 4 sider er PDF-vedlegg, tatt inn som figurer med beskrivelse." in result.output
        assert ("side 6: Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd, side 4 av 4: "
                "skannet side uten tekst (et bilde av originalen)") in result.output

    def it_remembers_a_vedlegg_that_passed_as_it_is(self, run, project, monkeypatch):
        """The validator's verdict on the same bytes is kept (output/.makecase-cache), like a PDF's own."""
        from generator import cache

        monkeypatch.setattr(cache, "_FOREIGN_PASSED", set())  # as in a fresh process
        assert run("møte", "2020-08-18").exit_code == 0
        cache_folder = project / "output" / ".makecase-cache"
        assert len(list(cache_folder.glob("pdfa-2B-*.ok"))) == len(list(cache_folder.glob("trykt-2B-*.ok"))) == 1

        def judged_again(*_):
            raise AssertionError("the vedlegg was judged again")
        monkeypatch.setattr(ghostscript, "violations", judged_again)
        monkeypatch.setattr(cache, "_FOREIGN_PASSED", set())
        result = run("møte", "2020-08-18")
        assert result.exit_code == 0, result.output

    def it_keeps_the_verdict_on_a_printed_copy_apart_from_the_verdict_on_the_file(self, tmp_path, monkeypatch):
        """A printed copy passes the B rules only; it must not vouch for the file as, say, PDF/A-2a."""
        from generator import cache

        monkeypatch.setattr(cache, "_FOREIGN_PASSED", set())
        verdicts = cache.Verdicts(tmp_path)
        verdicts.foreign_passed(b"%PDF-1.7 trykt", "2A", "trykt")
        assert verdicts.foreign_checked(b"%PDF-1.7 trykt", "2A", "trykt")
        assert not verdicts.foreign_checked(b"%PDF-1.7 trykt", "2A")

    def it_refuses_a_vedlegg_that_is_not_pdfa_without_ghostscript(self, run, project, monkeypatch, tmp_path):
        replace_sample(project, not_pdfa(project))
        monkeypatch.setenv("PATH", str(tmp_path))  # no gs
        result = run("møte", "2020-08-18")
        assert result.exit_code == 1
        assert ("«Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd» er ikke PDF/A, og "
                "Ghostscript (gs) finnes ikke på maskinen, så vedlegget kan ikke gjøres om til PDF/A for møtepakken: "
                "installer Ghostscript") in result.output
        assert output_files(project) == []

    @NEEDS_GS
    def it_converts_a_vedlegg_that_is_not_pdfa_with_ghostscript(self, run, project):
        replace_sample(project, not_pdfa(project))
        assert run("møte", "2020-08-18").exit_code == 0
        assert run("verifiser", f"output/{PACKAGE}").exit_code == 0


    @pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm er ikke installert (apt-get install poppler-utils)")
    def it_draws_what_the_vedleggs_annotations_print(self, run, project, tmp_path):
        """A stamp (or a filled field, a signature's picture) is drawn into the page, as printed."""
        replace_sample(project, with_annotation(secret_pdf("Brev med stempel"), "stempel"))
        assert run("møte", "2020-08-18").exit_code == 0
        assert red_pixels(project / "output" / PACKAGE, 3, tmp_path) > 500  # the stamp, scaled into the frame

    @pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm er ikke installert (apt-get install poppler-utils)")
    def it_draws_a_ticked_box_of_a_form_that_asks_the_viewer_to_draw_its_fields(self, tmp_path):
        """qpdf's flattening skips every field of a form with /NeedAppearances; they are drawn first."""
        from generator.render.pdf.foreign import printed

        flat = tmp_path / "flat.pdf"
        flat.write_bytes(printed(with_annotation(secret_pdf("Skjema"), "avkrysset felt")))
        with pikepdf.open(flat) as pdf:
            assert "/Annots" not in pdf.pages[0].obj
        assert red_pixels(flat, 1, tmp_path) > 500

    def it_tells_a_page_of_drawings_from_a_scan(self, run, project):
        drawing = typst.Compiler().compile(input=b'#set document(title: "Kart")\n#rect(width: 8cm, height: 5cm)\n',
                                           format="pdf", pdf_standards=["a-2b"])
        replace_sample(project, drawing)
        assert run("møte", "2020-08-18").exit_code == 0
        result = run("verifiser", f"output/{PACKAGE}")
        assert result.exit_code == 0, result.output
        assert ("side 3: Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd, side 1 av 1: "
                "side uten tekst (tegning eller grafikk)") in result.output
        assert "søkes" not in result.output  # nothing on it to search

    @NEEDS_GS
    def it_takes_a_print_to_pdf_letter_in_a_standard_font(self, run, project):
        replace_sample(project, letter_in_times())
        result = run("møte", "2020-08-18")
        assert result.exit_code == 0, result.output
        assert "Vi viser til deres henvendelse av 1. juli 2020" in normalise(pdf_text(project / "output" / PACKAGE))
        checked = run("verifiser", f"output/{PACKAGE}")
        assert checked.exit_code == 0, checked.output
        assert "OK   6.2.11.7.2      hver tegnkode som vises, har Unicode" in checked.output

    def it_refuses_a_vedlegg_whose_text_cannot_be_read_back_naming_it(self, run, project):
        replace_sample(project, without_to_unicode(secret_pdf("Tekst uten tegnkart")))
        result = run("møte", "2020-08-18")
        assert result.exit_code == 1, result.output
        assert ("«Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd» har tekst som ikke "
                "kan leses ut som tekst (DejaVuSans: mangler ToUnicode)") in result.output
        assert "Meld feilen" not in result.output and "Ingenting ble skrevet." in result.output
        assert output_files(project) == []


class DescribeTheArchive:
    FOLDER = "output/arkiv/2020-30001-1"

    def with_archive_case(self, project) -> None:
        edit(project / CASE, "tittel: Referatsaker\n", "tittel: Referatsaker\narkivsak: 2020/30001-1\n")

    def it_keeps_a_pdfa_vedlegg_as_it_is(self, run, project):
        self.with_archive_case(project)
        result = run("22/20", "--arkiv")
        assert result.exit_code == 0, result.output
        folder = project / self.FOLDER
        assert (folder / COPY).read_bytes() == copy_of(project)
        assert run("verifiser", "--arkiv", self.FOLDER).exit_code == 0

    @NEEDS_GS
    def it_archives_another_pdf_as_ghostscripts_pdfa_2b_validated(self, run, project):
        self.with_archive_case(project)
        replace_sample(project, not_pdfa(project))
        result = run("22/20", "--arkiv")
        assert result.exit_code == 0, result.output
        folder = project / self.FOLDER
        kept = (folder / COPY).read_bytes()
        assert kept != (project / SAMPLE).read_bytes()
        assert ghostscript.violations(kept, "2B") == []
        with pikepdf.open(io.BytesIO(kept)) as pdf:
            assert pdf.open_metadata().pdfa_status == "2B"
        assert "Lokalmatsatsingen bevilges" in normalise(pdf_text(folder / COPY))  # still text
        entries = {e["fil"]: e for e in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["filer"]}
        assert entries[COPY]["format"] == "PDF/A-2b"
        message = (folder / "arkivmelding.xml").read_text(encoding="utf-8")
        assert "<formatDetaljer>PDF/A-2b</formatDetaljer>" in message and entries[COPY]["sha256"] in message
        result = run("verifiser", "--arkiv", self.FOLDER)
        assert result.exit_code == 0, result.output
        assert "Resultat: oppfyller PDF/A-2b (et PDF-vedlegg fra en annen kilde" in result.output

    @NEEDS_GS
    @pytest.mark.parametrize("tagging, kept", [("tagget", "PDF/A-2a"), ("uten tagger", "PDF/A-2b"),
                                               ("tomt strukturtre", "PDF/A-2b")])
    def it_holds_a_claimed_level_a_to_its_tagging(self, run, project, tagging, kept):
        """A file that says PDF/A-2a must be tagged, its text reached by its tree; one that is not is
        converted like any other."""
        self.with_archive_case(project)
        tagged = tagging == "tagget"
        with pikepdf.open(project / SAMPLE) as pdf:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["pdfaid:conformance"] = "A"
            if tagging == "uten tagger":
                del pdf.Root["/StructTreeRoot"]
                del pdf.Root["/MarkInfo"]
            elif tagging == "tomt strukturtre":
                pdf.Root.StructTreeRoot = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        result = run("22/20", "--arkiv")
        assert result.exit_code == 0, result.output
        entries = {e["fil"]: e for e in json.loads((project / self.FOLDER / "manifest.json").read_text(encoding="utf-8"))["filer"]}
        assert entries[COPY]["format"] == kept
        assert ((project / self.FOLDER / COPY).read_bytes() == copy_of(project)) is tagged

    def it_archives_a_filled_form_as_it_prints(self, run, project, monkeypatch, tmp_path):
        """A form's fields drawn into its pages: what was filled in, kept; no form left to fill (nor one
        the validator cannot check), and no Ghostscript needed for a form that is PDF/A."""
        self.with_archive_case(project)
        replace_sample(project, with_annotation(secret_pdf("Søknadsskjema"), "avkrysset felt"))
        monkeypatch.setenv("PATH", str(tmp_path))  # no gs
        result = run("22/20", "--arkiv")
        assert result.exit_code == 0, result.output
        with pikepdf.open(project / self.FOLDER / COPY) as pdf:
            assert "/AcroForm" not in pdf.Root and "/Annots" not in pdf.pages[0].obj
            assert pdf.open_metadata().pdfa_status == "2B"
        assert run("verifiser", "--arkiv", self.FOLDER).exit_code == 0

    @NEEDS_GS
    def it_converts_a_file_whose_claim_the_validator_could_not_check_before(self, run, project):
        """LibreOffice's /DocChecksum and an /OpenAction that opens a page stop pikepdf's validator at
        once; they are set aside, and the rest is checked: a claimed PDF/A-2b without its output intent
        is converted, not archived as it is."""
        self.with_archive_case(project)
        with pikepdf.open(project / SAMPLE) as pdf:
            assert "/DocChecksum" in pdf.trailer and "/OpenAction" in pdf.Root
            del pdf.Root["/OutputIntents"]
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        assert run("22/20", "--arkiv").exit_code == 0
        entries = {e["fil"]: e for e in json.loads((project / self.FOLDER / "manifest.json").read_text(encoding="utf-8"))["filer"]}
        kept = (project / self.FOLDER / COPY).read_bytes()
        assert entries[COPY]["format"] == "PDF/A-2b" and kept != copy_of(project)
        with pikepdf.open(io.BytesIO(kept)) as pdf:
            assert "/OutputIntents" in pdf.Root  # Ghostscript's

    @NEEDS_GS
    def it_refuses_a_vedlegg_the_validator_cannot_check_naming_what(self, run, project):
        """A gradient is PDF/A, but pikepdf's validator cannot check it, in the file or in Ghostscript's
        PDF/A of it: the vedlegg is refused by name (exit 1), never published unchecked (nor «Meld feilen»)."""
        with pikepdf.open(io.BytesIO(secret_pdf("Graf"))) as pdf:  # an axial shading, as a chart export draws one
            shading = pdf.make_indirect(pikepdf.Dictionary(
                ShadingType=2, ColorSpace=pikepdf.Name.DeviceRGB, Coords=[0, 0, 300, 0], Extend=[True, True],
                Function=pikepdf.Dictionary(FunctionType=2, Domain=[0, 1], C0=[1, 1, 1], C1=[0, 0.3, 0.8], N=1)))
            pdf.pages[0].Resources.Shading = pikepdf.Dictionary(Sh0=shading)
            pdf.pages[0].contents_add(pikepdf.Stream(pdf, b"q 60 60 300 60 re W n 1 0 0 1 60 60 cm /Sh0 sh Q\n"))
            out = io.BytesIO()
            pdf.save(out)
        replace_sample(project, out.getvalue())
        result = run("møte", "2020-08-18")
        assert result.exit_code == 1, result.output
        assert ("«Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd» sier at den er "
                "PDF/A-2B, men det kan ikke kontrolleres, og heller ikke Ghostscripts PDF/A-2b av den kan kontrolleres "
                "(makecase kan ikke kontrollere fargeoverganger eller mønstre i den mot PDF/A)") in result.output
        assert "Meld feilen" not in result.output
        assert output_files(project) == []

    def it_refuses_the_archive_without_ghostscript_writing_nothing(self, run, project, monkeypatch, tmp_path):
        self.with_archive_case(project)
        replace_sample(project, not_pdfa(project))
        monkeypatch.setenv("PATH", str(tmp_path))
        result = run("22/20", "--arkiv")
        assert result.exit_code == 1
        assert ("Vedlegget «Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd» er ikke PDF/A, og "
                "Ghostscript (gs) finnes ikke på maskinen") in result.output
        assert "sudo apt install ghostscript" in result.output and "Ingenting ble skrevet." in result.output
        assert output_files(project) == []


    def it_screens_a_closed_vedlegg_in_the_case_and_the_meeting_archive(self, run, project):
        from lxml import etree

        from generator.publish.arkivmelding import NS, schema_errors

        self.with_archive_case(project)
        close_sample(project)

        def screened(message) -> dict[str, str | None]:
            root = etree.fromstring(message.read_bytes())
            assert schema_errors(message.read_bytes()) == []
            return {d.findtext(f"{{{NS}}}dokumentobjekt/{{{NS}}}filnavn"): d.findtext(f"{{{NS}}}skjerming/{{{NS}}}skjermingshjemmel")
                    for d in root.iter(f"{{{NS}}}dokumentbeskrivelse")}

        assert run("22/20", "--arkiv").exit_code == 0
        case = screened(project / self.FOLDER / "arkivmelding.xml")
        assert case[COPY] == "offl. § 13 jf. fvl. § 13 første ledd nr. 1"
        assert [h for name, h in case.items() if name != COPY] == [None]  # the saksframlegg is open
        titles = [d.findtext(f"{{{NS}}}tittel") for d in etree.parse(str(project / self.FOLDER / "arkivmelding.xml")).iter(
            f"{{{NS}}}dokumentbeskrivelse")]
        assert titles[1:] == ["Vedlegg unntatt offentlighet"]  # its own title would be served: it has no public one
        result = run("møte", "2020-08-18", "--arkiv")
        assert result.exit_code == 0, result.output
        folder = project / "output" / "arkiv" / "moter" / "2020-08-18-kommunedirektorutvalget"
        moetesak = screened(folder / "arkivmelding-moetesak-22-20.xml")
        assert moetesak[COPY] == "offl. § 13 jf. fvl. § 13 første ledd nr. 1"
        meeting = screened(folder / "arkivmelding.xml")
        assert meeting[PACKAGE] == "offl. § 13 jf. fvl. § 13 første ledd nr. 1"  # the members' package holds it
        assert meeting["2020-08-18-kommunedirektorutvalget-innkalling.pdf"] is None

    def it_titles_a_closed_vedlegg_in_the_archive_by_its_public_title(self, run, project):
        from lxml import etree

        from generator.publish.arkivmelding import NS

        self.with_archive_case(project)
        close_sample(project, "Rapport fra rådet")
        assert run("22/20", "--arkiv").exit_code == 0
        message = (project / self.FOLDER / "arkivmelding.xml").read_bytes()
        described = [(d.findtext(f"{{{NS}}}tittel"), d.findtext(f"{{{NS}}}dokumentobjekt/{{{NS}}}filnavn"))
                     for d in etree.fromstring(message).iter(f"{{{NS}}}dokumentbeskrivelse")]
        assert described[1:] == [("Rapport fra rådet", "22-20-vedlegg-1-rapport-fra-radet.pdf")]
        assert "Aktivitetsrapport".encode() not in message and b"aktivitetsrapport" not in message


class DescribeThePublicEdition:
    SECRET = "Fødselsnummer 01017012345 tilhører søkeren"

    def it_leaves_a_closed_vedlegg_out_with_its_title_and_hjemmel(self, run, project):
        replace_sample(project, secret_pdf(self.SECRET))
        close_sample(project)
        assert run("møte", "2020-08-18", "--offentlig").exit_code == 0
        public = project / "output" / "2020-08-18-kommunedirektorutvalget-offentlig-motedokumenter.pdf"
        text = normalise(pdf_text(public))
        assert ("Vedlegg 1: Aktivitetsrapport 2020 for Trøndelag Sør-Interkommunalt politisk råd Unntatt offentlighet: "
                "offl. § 13 jf. fvl. § 13 første ledd nr. 1") in text
        assert "Fødselsnummer" not in text and b"01017012345" not in public.read_bytes()
        assert "01017012345" not in "".join(output_files(project))
        assert run("møte", "2020-08-18").exit_code == 0  # the members' edition has it
        assert "Fødselsnummer 01017012345" in normalise(pdf_text(project / "output" / PACKAGE))

    def it_shows_a_closed_vedlegg_by_its_public_title_where_it_has_one(self, run, project):
        """A title that itself tells what is kept from the public (a name, a diagnosis) has a public
        title beside it: the public package, the saksframlegg's list and the file names use that."""
        close_sample(project, "Rapport fra rådet")
        assert run("møte", "2020-08-18", "--offentlig").exit_code == 0
        public = project / "output" / "2020-08-18-kommunedirektorutvalget-offentlig-motedokumenter.pdf"
        text = normalise(pdf_text(public))
        assert "Vedlegg 1: Rapport fra rådet Unntatt offentlighet: offl. § 13 jf. fvl. § 13 første ledd nr. 1" in text
        assert "Aktivitetsrapport" not in text
        assert run("22/20").exit_code == 0
        listed = normalise(pdf_text(project / "output" / "22-20-saksframlegg.pdf"))
        assert re.search(r"Rapport fra rådet \(PDF, \d+ sider; unntatt offentlighet, offl\. § 13 jf\. fvl\. § 13 første "
                         r"ledd nr\. 1\)", listed), listed
        assert "Aktivitetsrapport" not in listed
        assert "22-20-vedlegg-1-rapport-fra-radet.pdf" in output_files(project)
        assert not [name for name in output_files(project) if "aktivitetsrapport" in name]
        assert run("møte", "2020-08-18").exit_code == 0  # the members see the vedlegg by its own title
        assert "Vedlegg 1: Aktivitetsrapport 2020" in normalise(pdf_text(project / "output" / PACKAGE))

    def it_refuses_a_file_closed_in_one_case_and_open_in_another(self, run, project):
        close_sample(project)
        edit(project / "cases/2020/23-20.yaml", "  - fil: vedlegg/2020/23-20-samarbeidsavtale.yaml\n",
             "  - fil: vedlegg/2020/23-20-samarbeidsavtale.yaml\n  - tittel: Aktivitetsrapport (kopi)\n"
             "    fil: vedlegg/2020/22-20-aktivitetsrapport-2020.pdf\n")
        message = ("cases/2020/23-20.yaml:39: vedlegg[2].fil: cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf er åpent "
                   "her, men unntatt offentlighet i sak 22/20 (offl. § 13 jf. fvl. § 13 første ledd nr. 1)")
        checked = run("kontroller")
        assert checked.exit_code == 1 and message in checked.output
        public = run("møte", "2020-08-18", "--offentlig")
        assert public.exit_code == 1 and message in public.output
        alone = run("23/20")  # its copy beside the saksframlegg would be an open one
        assert alone.exit_code == 1 and message in alone.output
        assert output_files(project) == []

    def it_refuses_a_yaml_vedlegg_closed_in_one_case_and_open_in_another(self, run, project):
        """The same rule for a vedlegg written in YAML: the public package printed its text under the
        case that had it open (an archivist's review found it in the archived public variant)."""
        edit(project / "cases/2020/24-20.yaml", "  - fil: vedlegg/2020/24-20-prosjektskisse.yaml\n",
             "  - fil: vedlegg/2020/24-20-prosjektskisse.yaml\n  - fil: vedlegg/2020/23-20-om-radet.yaml\n"
             "    lukket:\n      hjemmel: offl. § 23 første ledd\n")
        message = ("vedlegg[0].fil: cases/vedlegg/2020/23-20-om-radet.yaml er åpent her, men unntatt offentlighet i "
                   "sak 24/20 (offl. § 23 første ledd)")
        for args in (["kontroller"], ["møte", "2020-08-18", "--offentlig"], ["møte", "2020-08-18", "--arkiv"]):
            result = run(*args)
            assert result.exit_code == 1 and f"cases/2020/23-20.yaml:36: {message}" in result.output, (args, result.output)
        assert output_files(project) == []
        # 24/20, closing it, on no list of this meeting: found all the same, and only for the public's sake
        edit(project / "cases/moter/2020-08-18-kommunedirektorutvalget.yaml", "  - 24/20\n", "")
        result = run("møte", "2020-08-18", "--offentlig")
        assert result.exit_code == 1 and message in result.output
        assert run("23/20").exit_code == 0  # the members' documents of the case itself show it as they may

    def it_refuses_a_file_closed_by_a_case_on_another_meetings_list(self, run, project):
        close_sample(project)
        (project / "cases/2020/32-20.yaml").write_text(
            "sak: 32/20\ntittel: Orientering om aktiviteten\nsaksgang:\n"
            "  - utvalg: Trøndelag Sør-Interkommunalt politisk råd\n    møtedato: 02.09.2020\n    utvalgssak: 32/20\n"
            "vedlegg:\n  - tittel: Aktivitetsrapport\n    fil: vedlegg/2020/22-20-aktivitetsrapport-2020.pdf\n"
            "saksopplysninger: |\n  Tekst.\n", encoding="utf-8")
        meeting = project / "cases/moter/2020-09-02-radet.yaml"
        meeting.write_text(meeting.read_text(encoding="utf-8") + "  - 32/20\n", encoding="utf-8")
        public = run("møte", "2020-09-02", "--offentlig")
        assert public.exit_code == 1, public.output
        assert ("cases/2020/32-20.yaml:9: vedlegg[0].fil: cases/vedlegg/2020/22-20-aktivitetsrapport-2020.pdf er åpent "
                "her, men unntatt offentlighet i sak 22/20") in public.output
        assert output_files(project) == []

    def it_never_shows_a_vedlegg_of_a_closed_case(self, run, project):
        replace_sample(project, secret_pdf(self.SECRET))
        edit(project / CASE, "tittel: Referatsaker\n", "tittel: Referatsaker\nlukket:\n  hjemmel: offl. § 23 første ledd\n"
             "  offentlig_tittel: Referatsak\n")
        assert run("møte", "2020-08-18", "--offentlig").exit_code == 0
        public = project / "output" / "2020-08-18-kommunedirektorutvalget-offentlig-motedokumenter.pdf"
        assert "Fødselsnummer" not in pdf_text(public) and "Aktivitetsrapport" not in pdf_text(public)
        assert b"01017012345" not in public.read_bytes()
