"""The compose stage: prose → tree, and a case → its saksframlegg tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.domain import prose
from generator import tree as t
from generator.check.rules import check_case
from generator.compose import Utgave, saksframlegg
from generator.load import load_case
from generator.load.models import Organisasjon
from generator.folder import ProjectFolder
from conftest import without_referater
from generator.domain.values import Saksnummer


def compose(project: Path, number: str, **org_changes) -> t.Document:
    org, mappe = load_case(ProjectFolder(project), Saksnummer.parse(number))
    if org_changes:
        org = Organisasjon.model_validate({**org.model_dump(by_alias=True), **org_changes})
    return saksframlegg(org, mappe, check_case(mappe).sakens_tall, Utgave(org.malform))


def headings(document: t.Document) -> list[tuple[int, str]]:
    return [(b.level, t.plain(b.content)) for b in document.body if isinstance(b, t.Heading)]


class DescribeProse:
    def it_turns_markdown_into_tree_nodes(self):
        blocks = prose.parse("# Tittel\n\nEn **fet** og *kursiv* tekst.\n\n- a\n- b\n\n3. tre\n4. fire\n")
        assert blocks == (
            t.Heading(3, (t.Text("Tittel"),)),
            t.Paragraph((t.Text("En "), t.Bold((t.Text("fet"),)), t.Text(" og "), t.Italic((t.Text("kursiv"),)), t.Text(" tekst."))),
            t.BulletList((((t.Paragraph((t.Text("a"),)),)), (t.Paragraph((t.Text("b"),)),))),
            t.OrderedList(((t.Paragraph((t.Text("tre"),)),), (t.Paragraph((t.Text("fire"),)),)), start=3),
        )

    def it_reads_simple_tables_and_links(self):
        table, para = prose.parse("| Post | Beløp |\n|---|---|\n| Reise | 15 000 |\n\n<https://www.regiontrondelagsor.com/>\n")
        assert table == t.Table(rows=(((t.Text("Reise"),), (t.Text("15 000"),)),), header=((t.Text("Post"),), (t.Text("Beløp"),)))
        assert para == t.Paragraph((t.Link((t.Text("https://www.regiontrondelagsor.com/"),), "https://www.regiontrondelagsor.com/"),))

    @pytest.mark.parametrize("literal", ["<b>fet</b>", "a & b", "{{ 7*7 }}", "{% if 1 %}x{% endif %}", "]]>", "\"sitat\" og 'sitat'"])
    def it_keeps_html_and_template_syntax_as_text(self, literal):
        (block,) = prose.parse(literal)
        assert t.plain(block.content) == literal

    def it_drops_characters_xml_cannot_carry(self):
        (block,) = prose.parse("a\x00b\x07c\x1bd")
        assert t.plain(block.content) == "a\ufffdbcd"  # CommonMark turns NUL into U+FFFD

    def it_never_goes_deeper_than_four_heading_levels(self):
        assert [b.level for b in prose.parse("# a\n\n## b\n\n### c\n")] == [3, 4, 4]


class DescribeSaksframlegg:
    def it_has_the_seeds_header(self, project):
        doc = compose(project, "24/20")
        assert doc.name == "24-20-saksframlegg"
        assert doc.masthead.doctype == "Saksframlegg"
        assert [(f.label, f.value) for f in doc.masthead.fields] == [
            ("Arkivsak", "2020/18145-1"), ("Saksbehandler", "Mari Løvli Yri"),
        ]
        saksgang = doc.masthead.saksgang
        assert [t.plain(c) for c in saksgang.header] == ["Utvalg", "Utvalgssak", "Møtedato", "Status"]
        assert [[t.plain(c) for c in row] for row in saksgang.rows] == [
            ["Kommunedirektørutvalget i Trøndelag Sør", "24/20", "18.08.2020", "Vedtatt"],
            ["Trøndelag Sør-Interkommunalt politisk råd", "31/20", "02.09.2020", "Vedtatt"],
        ]
        assert doc.info.running_right == "Saksframlegg – sak 24/20"

    def it_leaves_out_the_innstilling_of_a_discussion_case(self, project):
        assert headings(compose(project, "24/20")) == [
            (1, "Kompetansepiloter Trøndelag Sør- forankring i kommuner og finansiering"),
            (2, "Vedlegg"),
            (2, "Saksopplysninger"),
            (2, "Vurdering"),
            (3, "Forholdet til overordnede mål og strategier/samfunnsplan"),
        ]

    def it_orders_the_sections_of_a_case_with_innstilling(self, project):
        found = headings(compose(project, "23/20"))
        main = [h for level, h in found if level == 2]
        assert main == ["Vedlegg", "Saksopplysninger", "Vurdering", "Kommunedirektørens innstilling"]
        assert (4, "§\u00a01 Forankring i kommuneloven") in found  # [[§ forankring]], numbered from the agreement
        assert (3, "Faktiske opplysninger") in found

    def it_lists_the_vedlegg_in_order(self, project):
        doc = compose(project, "23/20")
        (vedlegg,) = [b for b in doc.body if isinstance(b, t.OrderedList)]
        assert [t.plain(item[0].content) for item in vedlegg.items] == [
            "Om Trøndelag Sør-Interkommunalt politisk råd – Aktivitet og prosjekt i 2020",
            "Samarbeidsavtale for Trøndelag Sør- Interkommunalt politisk råd",
        ]

    def it_takes_its_labels_from_the_catalogue_of_the_malform(self, project):
        doc = compose(project, "23/20", målform="nynorsk")
        assert [f.label for f in doc.masthead.fields] == ["Arkivsak", "Sakshandsamar"]
        assert [h for level, h in headings(doc) if level == 2][-1] == "Kommunedirektøren si innstilling"
        assert doc.info.language == "nn"

    def it_renders_a_case_without_text_as_header_and_title(self, project):
        without_referater(project)
        doc = compose(project, "22/20")
        assert doc.masthead.fields == ()
        assert headings(doc) == [(1, "Referatsaker")]


def it_has_every_label_in_both_malformer():
    from generator.domain.labels import catalogue

    bokmal, nynorsk = catalogue("bokmål"), catalogue("nynorsk")
    assert set(bokmal) == set(nynorsk)
    assert all(value.strip() for value in (*bokmal.values(), *nynorsk.values()))


def body_text(document: t.Document) -> str:
    texts = []

    def walk(blocks):
        for block in blocks:
            if isinstance(block, (t.Paragraph, t.Heading)):
                texts.append(t.plain(block.content))
            elif isinstance(block, (t.BulletList, t.OrderedList)):
                for item in block.items:
                    walk(item)
            elif isinstance(block, t.Framed):
                walk(block.blocks)
    walk(document.body)
    return "\n".join(texts)


class DescribeTheLawsWords:
    def it_names_the_law_and_its_points_in_nynorsk_in_a_nynorsk_edition(self, project):
        org, mappe = load_case(ProjectFolder(project), Saksnummer.parse("23/20"))
        text = body_text(saksframlegg(org, mappe, check_case(mappe).sakens_tall, Utgave("nynorsk")))
        assert "Avvik frå kommunelova §\u00a018-4" in text
        assert "Bokstav f: avtalen skal gjere greie for eigardelen til kvar deltakar" in text  # the case text stays as written
        bokmal = body_text(saksframlegg(org, mappe, check_case(mappe).sakens_tall, Utgave("bokmål")))
        assert "hvis ansvarsdelen avviker fra eierandelen" in bokmal

    def it_keeps_the_paragraph_sign_with_its_number(self):
        assert t.Text("offl. § 13 jf. §§ 11-4 og 11-9, § a").text == "offl. §\u00a013 jf. §§\u00a011-4 og 11-9, § a"
