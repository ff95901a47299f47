"""Write a Document as one standalone, accessible HTML5 page (images inline, findings' provenance as titles)."""

from __future__ import annotations

import base64
import re
from html import escape

from drafter.document.model import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Span,
    Table,
    heading_ranks,
    spans_text,
)

CSS = """\
body { font-family: Arial, Helvetica, sans-serif; font-size: 1rem; line-height: 1.5; color: #0b0c0c;
       background: #fff; margin: 0; }
main { max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.5em 0 0.5em; }
p, ul, table, figure { margin: 0 0 1em; }
.date { text-align: right; }
.address { margin-bottom: 1em; }
.subject { font-weight: bold; }
.signature { margin-top: 1.5em; }
table { border-collapse: collapse; width: 100%; }
caption, figcaption { text-align: left; font-size: 0.95em; padding: 0.25em 0; }
th, td { border: 1px solid #505a5f; padding: 0.3em 0.5em; vertical-align: top; }
th { text-align: left; background: #f3f2f1; }
figure img { max-width: 100%; height: auto; }
span.finding[title] { border-bottom: 1px dotted #505a5f; }
hr.page-break { border: 0; border-top: 1px dashed #b1b4b6; margin: 2em 0; }
@media print { hr.page-break { border: 0; break-after: page; } main { margin: 0; max-width: none; } }
"""

_SAFE_HREF = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_DATA_KEY = re.compile(r"^[a-z][a-z0-9-]*$")


def write_html(document: Document) -> bytes:
    """Return `document` as a UTF-8 HTML5 page that needs no other file.

    Every text and attribute value is escaped; spans with attributes become
    `<span class="finding" data-rule="CL001" title="provenance">`; images are data: URIs with
    their alt text; tables have a caption and column headers with `scope="col"`.
    """
    meta = document.meta
    title = meta.title or _first_title(document) or "Document"
    ranks = heading_ranks(document)
    head = [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        '<meta name="generator" content="drafter">',
    ]
    for name, value in (("author", meta.author), ("description", meta.subject), ("keywords", meta.keywords)):
        if value:
            head.append(f'<meta name="{name}" content="{escape(value)}">')
    head += [f"<style>\n{CSS}</style>", "</head>", "<body>", "<main>"]
    body = [_block(block, document, ranks) for block in document.blocks]
    tail = ["</main>", "</body>", "</html>", ""]
    return "\n".join(head + body + tail).encode("utf-8")


def _first_title(document: Document) -> str:
    """Return the text of the document's first title or heading, or ''."""
    for block in document.blocks:
        if isinstance(block, Heading):
            return spans_text(block.spans).replace("\n", " ")
    return ""


def _block(block, document: Document, ranks: dict[int, int]) -> str:
    """Return the HTML for one block."""
    if isinstance(block, Heading):
        level = ranks[block.level]
        cls = ' class="title"' if block.level == 0 else ""
        return f"<h{level}{cls}>{_spans(block.spans, document)}</h{level}>"
    if isinstance(block, Paragraph):
        cls = f' class="{_slug(block.style)}"' if block.style else ""
        return f"<p{cls}>{_spans(block.spans, document)}</p>"
    if isinstance(block, BulletList):
        items = "".join(f"<li>{_spans(item, document)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block, document)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        img = f'<img src="data:image/png;base64,{data}" alt="{escape(block.alt)}" style="width: {block.width_cm:g}cm">'
        caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
        return f"<figure>{img}{caption}</figure>"
    if isinstance(block, PageBreak):
        return '<hr class="page-break">'
    raise TypeError(f"not a document block: {block!r}")


def _table(table: Table, document: Document) -> str:
    """Return a table with caption, a header row of column headers and the body rows."""
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{escape(table.caption)}</caption>")
    out.append("<thead><tr>")
    for c, cell in enumerate(table.header):
        out.append(f'<th scope="col"{_align(table, c)}>{_spans(cell, document)}</th>')
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        out.append("<tr>")
        for c, cell in enumerate(row):
            out.append(f"<td{_align(table, c)}>{_spans(cell, document)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _align(table: Table, column: int) -> str:
    """Return a style attribute for a column's alignment, or ''."""
    align = table.align[column] if column < len(table.align) else ""
    return f' style="text-align: {align}"' if align in ("left", "right", "center") else ""


def _spans(spans: tuple[Span, ...], document: Document) -> str:
    """Return inline HTML for spans: neighbours with the same attributes share one wrapper."""
    out: list[str] = []
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and spans[j].attrs == spans[i].attrs:
            j += 1
        inner = "".join(_formatted(s) for s in spans[i:j])
        out.append(_wrap(inner, spans[i], document))
        i = j
    return "".join(out)


def _formatted(span: Span) -> str:
    """Return one span's escaped text with bold/italic and line breaks."""
    text = "<br>\n".join(escape(line) for line in span.text.split("\n"))
    if span.italic:
        text = f"<em>{text}</em>"
    if span.bold:
        text = f"<strong>{text}</strong>"
    return text


def _wrap(inner: str, span: Span, document: Document) -> str:
    """Return `inner` wrapped for the span's attributes: a link, a span with data-*, or nothing."""
    if not span.attrs:
        return inner
    attrs: list[str] = []
    href = None
    for key, value in span.attrs:
        if key == "class":
            attrs.append(f'class="{escape(value)}"')
        elif key == "href":
            href = value if _SAFE_HREF.match(value) else None
        elif key == "comment":
            comment = document.meta.comments.get(value)
            if comment is not None:
                attrs.append(f'title="{escape(comment.text)}"')
            attrs.append(f'data-comment="{escape(value)}"')
        elif _DATA_KEY.match(key.lower()) and key.lower() != "id":
            attrs.append(f'data-{key.lower()}="{escape(value)}"')
    attr_text = " ".join(sorted(attrs))
    if href is not None:
        return f'<a href="{escape(href)}"{" " + attr_text if attr_text else ""}>{inner}</a>'
    return f"<span {attr_text}>{inner}</span>" if attr_text else inner


def _slug(style: str) -> str:
    """Return a CSS class for a paragraph style name: 'Sign Off' → 'sign-off'."""
    return re.sub(r"[^a-z0-9]+", "-", style.lower()).strip("-") or "p"
