"""Document tree → plain data (JSON), for templates that lay the tree out themselves.

The typst templates receive a document as data and never as markup: every text is a JSON
string, which typst shows as it is, so `#set`, `$`, `*`, `@`, `<label>` or `]` in a case
cannot be read as typst code. The shape mirrors generator.tree one to one; see
templates/README.md for the fields a template may use.
"""

from __future__ import annotations

import json

from generator import tree as t
def _shown(text: str) -> str:
    """A tab is a space in the PDF: typst sets a tab as nothing, so two words would run together
    (the DOCX keeps Word's tab)."""
    return text.replace("\t", " ")


def inlines(nodes: t.Inlines) -> list[dict]:
    out = []
    for node in nodes:
        if isinstance(node, t.Text):
            out.append({"t": "text", "text": _shown(node.text), **({"lang": node.lang} if node.lang else {})})
        elif isinstance(node, t.Bold):
            out.append({"t": "bold", "c": inlines(node.children)})
        elif isinstance(node, t.Italic):
            out.append({"t": "italic", "c": inlines(node.children)})
        elif isinstance(node, t.Link):
            out.append({"t": "link", "url": node.url, "c": inlines(node.children)})
        elif isinstance(node, t.LineBreak):
            out.append({"t": "br"})
    return out


def _row(cells) -> list[list[dict]]:
    return [inlines(cell) for cell in cells]


def table(block: t.Table) -> dict:
    columns = block.columns
    return {
        "t": "table",
        "header": _row(block.header) if block.header else None,
        "rows": [_row(row) for row in block.rows],
        "footer": _row(block.footer) if block.footer else None,
        "widths": list(block.widths) if block.widths else None,
        "align": [block.alignment(i) for i in range(columns)],
        "borders": block.borders,
        "columns": columns,
    }


def blocks(items) -> list[dict]:
    return [block(item) for item in items]


def block(item: t.Block) -> dict:
    if isinstance(item, t.Heading):
        return {"t": "heading", "level": item.level, "c": inlines(item.content)}
    if isinstance(item, t.Paragraph):
        return {"t": "paragraph", "role": item.role, "c": inlines(item.content)}
    if isinstance(item, t.BulletList):
        return {"t": "list", "items": [blocks(i) for i in item.items]}
    if isinstance(item, t.OrderedList):
        return {"t": "enum", "start": item.start, "items": [blocks(i) for i in item.items]}
    if isinstance(item, t.Table):
        return table(item)
    if isinstance(item, t.Framed):
        return {"t": "frame", "blocks": blocks(item.blocks)}
    if isinstance(item, t.PageBreak):
        return {"t": "pagebreak"}
    raise TypeError(f"unknown block {type(item).__name__}")


def info(doc_info: t.DocInfo) -> dict:
    before, _, rest = doc_info.page_label.partition("{side}")
    middle, _, after = rest.partition("{sider}")
    return {
        "title": doc_info.title,
        "author": doc_info.author,
        "subject": doc_info.subject,
        "lang": doc_info.language,
        "date": doc_info.date.isoformat() if doc_info.date else None,
        "left": doc_info.running_left,
        "right": doc_info.running_right,
        "page": {"before": before, "middle": middle, "after": after},
        "watermark": doc_info.watermark,
        "restriction": doc_info.restriction,
        "organisation": doc_info.organisation,
    }


def masthead(head: t.Masthead) -> dict:
    return {
        "doctype": head.doctype,
        "organisation": head.organisation,
        "fields": [{"key": f.key, "label": f.label, "value": _shown(f.value)} for f in head.fields],
        "saksgang": table(head.saksgang) if head.saksgang else None,
        "letterhead": letterhead(head.letterhead) if head.letterhead else None,
    }


def letterhead(head: t.Letterhead) -> dict:
    # typst reads files relative to the project folder when the path starts with /
    return {"name": head.name, "lines": list(head.lines), "logo": f"/{head.logo}" if head.logo else None,
            "alt": head.alt}


def document(doc: t.Document) -> dict:
    """Return a document as data: its info, masthead and body."""
    return {"template": doc.template, "name": doc.name, "info": info(doc.info),
            "masthead": masthead(doc.masthead), "body": blocks(doc.body)}


def bundle(pack: t.Bundle) -> dict:
    """Return a meeting package as data: its info and each part's heading and document."""
    return {"info": info(pack.info), "parts": [
        {"heading": p.heading, "level": p.level, "document": document(p.document) if p.document else None,
         "note": p.note, "title": p.is_title, "pdf": {"pages": p.pdf.pages, "info": info(p.pdf.info)} if p.pdf else None}
        for p in pack.parts
    ]}


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
