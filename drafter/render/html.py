"""Write a Document as one standalone, accessible HTML5 page: images inline, each finding's evidence as a note."""

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
a { color: #1d70b8; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid #ffdd00; background: #ffdd00; color: #0b0c0c; text-decoration: none; }
a.note-ref { font-size: 0.8em; vertical-align: super; line-height: 0; padding: 0 0.1em; }
.evidence { border-top: 1px solid #505a5f; margin-top: 2.5em; font-size: 0.95em; }
.evidence li { margin-bottom: 1em; }
.evidence li p { margin: 0 0 0.25em; }
hr.page-break { border: 0; border-top: 1px dashed #505a5f; margin: 2em 0; }
@media print { hr.page-break { border: 0; break-after: page; } main { margin: 0; max-width: none; } }
"""

NOTES_HEADING = "Evidence behind each finding"
NOTES_INTRO = ("Each numbered link in the text leads here: what was measured, the figures, and why it matters. "
               "Each note links back to its finding.")

_SAFE_HREF = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
_DATA_KEY = re.compile(r"^[a-z][a-z0-9-]*$")


def write_html(document: Document, comments: bool = True) -> bytes:
    """Return `document` as a UTF-8 HTML5 page that needs no other file.

    Every text and attribute value is escaped; spans with attributes become
    `<span class="finding" data-rule="CL001">`; images are data: URIs with their alt text; tables
    have a caption and column headers with `scope="col"`. With `comments`, each finding is
    followed by a numbered link to its evidence note in an ordered list at the end of the page,
    and each note links back, so keyboard and screen-reader users reach the provenance too.
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
    notes = _Notes(document if comments else None)
    body = [_block(block, notes, ranks) for block in document.blocks]
    body += notes.section(2 if ranks else 1)  # a section of the document, under its title
    tail = ["</main>", "</body>", "</html>", ""]
    return "\n".join(head + body + tail).encode("utf-8")


def _first_title(document: Document) -> str:
    """Return the text of the document's first title or heading, or ''."""
    for block in document.blocks:
        if isinstance(block, Heading):
            return spans_text(block.spans).replace("\n", " ")
    return ""


def _block(block, notes: _Notes, ranks: dict[int, int]) -> str:
    """Return the HTML for one block."""
    if isinstance(block, Heading):
        level = ranks[block.level]
        cls = ' class="title"' if block.level == 0 else ""
        return f"<h{level}{cls}>{_spans(block.spans, notes)}</h{level}>"
    if isinstance(block, Paragraph):
        cls = f' class="{_slug(block.style)}"' if block.style else ""
        return f"<p{cls}>{_spans(block.spans, notes)}</p>"
    if isinstance(block, BulletList):
        items = "".join(f"<li>{_spans(item, notes)}</li>" for item in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block, notes)
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        img = f'<img src="data:image/png;base64,{data}" alt="{escape(block.alt)}" style="width: {block.width_cm:g}cm">'
        caption = f"<figcaption>{escape(block.caption)}</figcaption>" if block.caption else ""
        return f"<figure>{img}{caption}</figure>"
    if isinstance(block, PageBreak):
        return '<hr class="page-break">'
    raise TypeError(f"not a document block: {block!r}")


def _table(table: Table, notes: _Notes) -> str:
    """Return a table with caption, a header row of column headers and the body rows."""
    out = ["<table>"]
    if table.caption:
        out.append(f"<caption>{escape(table.caption)}</caption>")
    out.append("<thead><tr>")
    for c, cell in enumerate(table.header):
        out.append(f'<th scope="col"{_align(table, c)}>{_spans(cell, notes)}</th>')
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        out.append("<tr>")
        for c, cell in enumerate(row):
            out.append(f"<td{_align(table, c)}>{_spans(cell, notes)}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _align(table: Table, column: int) -> str:
    """Return a style attribute for a column's alignment, or ''."""
    align = table.align[column] if column < len(table.align) else ""
    return f' style="text-align: {align}"' if align in ("left", "right", "center") else ""


def _spans(spans: tuple[Span, ...], notes: _Notes) -> str:
    """Return inline HTML for spans: neighbours with the same attributes share one wrapper."""
    out: list[str] = []
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and spans[j].attrs == spans[i].attrs:
            j += 1
        inner = "".join(_formatted(s) for s in spans[i:j])
        out.append(_wrap(inner, spans[i], notes))
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


def _wrap(inner: str, span: Span, notes: _Notes) -> str:
    """Return `inner` wrapped for the span's attributes (a link, a span with data-*, or nothing), then the
    link to its evidence note when it carries a comment."""
    if not span.attrs:
        return inner
    attrs: list[str] = []
    href = None
    ref = ""
    for key, value in span.attrs:
        if key == "class":
            attrs.append(f'class="{escape(value)}"')
        elif key == "href":
            href = value if _SAFE_HREF.match(value) else None
        elif key == "comment":
            attrs.append(f'data-comment="{escape(value)}"')
            ref = notes.reference(value)
        elif _DATA_KEY.match(key.lower()) and key.lower() != "id":
            attrs.append(f'data-{key.lower()}="{escape(value)}"')
    attr_text = " ".join(sorted(attrs))
    if href is not None:
        return f'<a href="{escape(href)}"{" " + attr_text if attr_text else ""}>{inner}</a>{ref}'
    return (f"<span {attr_text}>{inner}</span>" if attr_text else inner) + ref


class _Notes:
    """Numbers the comments in reading order and writes the list of evidence notes they link to."""

    def __init__(self, document: Document | None):
        self.comments = document.meta.comments if document is not None else {}
        self.numbers: dict[str, int] = {}  # comment id -> note number
        self.refs: dict[int, int] = {}  # note number -> links made to it

    def reference(self, cid: str) -> str:
        """Return the numbered link to comment `cid`'s note ('' without comments or for an unknown id)."""
        if cid not in self.comments:
            return ""
        n = self.numbers.setdefault(cid, len(self.numbers) + 1)
        self.refs[n] = self.refs.get(n, 0) + 1
        ref_id = f"ref-{n}" if self.refs[n] == 1 else f"ref-{n}-{self.refs[n]}"
        return f'<a class="note-ref" id="{ref_id}" href="#note-{n}" aria-label="Evidence note {n}">[{n}]</a>'

    def section(self, rank: int) -> list[str]:
        """Return the notes section: a heading of `rank` and one list item per note, each linking back."""
        if not self.numbers:
            return []
        out = ['<section class="evidence" aria-labelledby="evidence-notes">',
               f'<h{rank} id="evidence-notes">{escape(NOTES_HEADING)}</h{rank}>', f"<p>{escape(NOTES_INTRO)}</p>",
               "<ol>"]
        for cid, n in self.numbers.items():
            lines = "".join(f"<p>{escape(line)}</p>" for line in self.comments[cid].text.split("\n") if line)
            out.append(f'<li id="note-{n}">{lines}<p><a href="#ref-{n}">Back to finding {n}</a></p></li>')
        out += ["</ol>", "</section>"]
        return out


def _slug(style: str) -> str:
    """Return a CSS class for a paragraph style name: 'Sign Off' → 'sign-off'."""
    return re.sub(r"[^a-z0-9]+", "-", style.lower()).strip("-") or "p"
