"""Write a Document as Markdown: clean text for pasting, or (with `attrs=True`) drafter's source form."""

from __future__ import annotations

import base64
import re

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
)

# Characters that are Markdown syntax anywhere in a line.
_ALWAYS = re.compile(r"([\\`*_\[\]{}|~])")
# Syntax only where it starts a line: headings, quotes, list markers, setext underlines.
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|>|[-+](?=\s|$)|[-=]+\s*$|\d{1,9}[.)](?=\s|$))")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_BARE_VALUE = re.compile(r"^[A-Za-z0-9_:-]+$")


def write_markdown(document: Document, attrs: bool = False) -> bytes:
    """Return `document` as UTF-8 Markdown.

    By default the Markdown is clean, for pasting elsewhere: no attribute syntax, no comments,
    captions as plain paragraphs, images as data: URIs. With `attrs` it is drafter's own source
    form (attribute spans, block attributes, `{.title}`), which `parse_markdown` reads back into
    the same blocks.
    """
    # Source form keeps the levels it was written with; clean Markdown ranks them without gaps.
    ranks = {n: max(1, n) for n in range(10)} if attrs else heading_ranks(document)
    chunks = [_block(block, attrs, ranks) for block in document.blocks]
    return ("\n\n".join(c for c in chunks if c) + "\n").encode("utf-8")


def _block(block, attrs: bool, ranks: dict[int, int]) -> str:
    """Return the Markdown for one block."""
    if isinstance(block, Heading):
        level = ranks.get(block.level, 6)
        text = "#" * level + " " + _inline(block.spans, attrs).replace("\\\n", " ")
        return "{.title}\n" + text if attrs and block.level == 0 else text
    if isinstance(block, Paragraph):
        text = _inline(block.spans, attrs)
        return f"{{style={_value(block.style)}}}\n{text}" if attrs and block.style else text
    if isinstance(block, BulletList):
        return "\n".join("- " + _inline(item, attrs).replace("\n", "\n  ") for item in block.items)
    if isinstance(block, Table):
        return _table(block, attrs)
    if isinstance(block, Image):
        src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
        alt = _escape(block.alt.replace("\n", " "))
        if attrs:
            title = f' "{_quote(block.caption)}"' if block.caption else ""
            return f"![{alt}]({src}{title}){{width={_value(f'{block.width_cm:g}')}}}"
        caption = f"\n\n{_escape(block.caption)}" if block.caption else ""
        return f"![{alt}]({src}){caption}"
    if isinstance(block, PageBreak):
        return "***"
    raise TypeError(f"not a document block: {block!r}")


def _table(table: Table, attrs: bool) -> str:
    """Return a pipe table, preceded by its caption (as block attributes in source form)."""
    n_cols = max([len(table.header), *(len(r) for r in table.rows)])

    def row(cells) -> str:
        texts = [_inline(c, attrs).replace("\\\n", " ").replace("\n", " ") for c in cells]
        texts += [""] * (n_cols - len(texts))
        return "| " + " | ".join(t or " " for t in texts) + " |"

    marks = {"left": ":---", "right": "---:", "center": ":---:"}
    rule = "| " + " | ".join(marks.get(table.align[c] if c < len(table.align) else "", "---") for c in range(n_cols))
    lines = [row(table.header), rule + " |", *(row(r) for r in table.rows)]
    before = ""
    if attrs:
        block_attrs = [".keep-rows"] if table.keep_rows else []
        if table.style:
            block_attrs.append(f"style={_value(table.style)}")
        if table.caption:
            block_attrs.append(f"caption={_value(table.caption)}")
        if table.widths:
            block_attrs.append(f'widths="{" ".join(f"{100 * w:g}" for w in table.widths)}"')
        if block_attrs:
            before = "{" + " ".join(block_attrs) + "}\n"
    elif table.caption:
        before = _escape(table.caption) + "\n\n"
    return before + "\n".join(lines)


def _inline(spans: tuple[Span, ...], attrs: bool) -> str:
    """Return inline Markdown: spans grouped by attributes (source form) or by formatting only (clean)."""
    out: list[str] = []
    i = 0
    while i < len(spans):
        j = i
        while j < len(spans) and _same_wrapper(spans[i], spans[j], attrs):
            j += 1
        out.append(_wrap(_emphasis(spans[i:j]), spans[i], attrs))
        i = j
    return "".join(out)


def _same_wrapper(a: Span, b: Span, attrs: bool) -> bool:
    """Return whether two spans go in the same attribute or link wrapper."""
    if attrs:
        return a.attrs == b.attrs
    return a.attr("href") == b.attr("href")


def _emphasis(spans: tuple[Span, ...]) -> str:
    """Return spans as text with ** and *, merging neighbours of the same formatting first."""
    runs: list[list] = []
    for span in spans:
        if runs and (runs[-1][1], runs[-1][2]) == (span.bold, span.italic):
            runs[-1][0] += span.text
        else:
            runs.append([span.text, span.bold, span.italic])
    out = []
    for text, bold, italic in runs:
        mark = ("**" if bold else "") + ("*" if italic else "")
        escaped = _escape(text)
        core = escaped.strip()
        if not mark or not core:
            out.append(escaped)
            continue
        lead = escaped[: len(escaped) - len(escaped.lstrip())]
        trail = escaped[len(escaped.rstrip()) :]
        out.append(f"{lead}{mark}{core}{mark[::-1]}{trail}")
    return "".join(out)


def _wrap(inner: str, span: Span, attrs: bool) -> str:
    """Return `inner` as a link or attribute span when the span has an href or (source form) attributes."""
    href = span.attr("href")
    rest = [(k, v) for k, v in span.attrs if k != "href"]
    if href is not None:
        target = href if re.search(r"[\s()<>]", href) is None else _quote_url(href)
        return f"[{inner}]({target})" + (_attr_block(rest) if attrs and rest else "")
    if attrs and rest:
        return f"[{inner}]{_attr_block(rest)}"
    return inner


def _attr_block(pairs: list[tuple[str, str]]) -> str:
    """Return `{.class key=value}` for attribute pairs."""
    parts: list[str] = []
    for key, value in pairs:
        if key == "class":
            parts.extend("." + c for c in value.split())
        elif key == "id":
            parts.append("#" + value)
        else:
            parts.append(f"{key}={_value(value)}")
    return "{" + " ".join(parts) + "}"


def _value(value: str) -> str:
    """Return an attribute value, quoted unless it is a bare word."""
    return value if _BARE_VALUE.match(value) else f'"{_quote(value)}"'


def _quote(value: str) -> str:
    """Return text for inside double quotes (a quote mark becomes a typographic one, which reads back unchanged)."""
    return value.replace("\\", "/").replace('"', "\u201d").replace("\n", " ")


def _quote_url(url: str) -> str:
    """Return a URL with spaces and brackets percent-encoded."""
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")


def _escape(text: str) -> str:
    """Return text with Markdown syntax escaped; a newline becomes a backslash hard break."""
    lines = []
    for line in text.split("\n"):
        line = _ALWAYS.sub(r"\\\1", line)
        line = _ENTITY.sub(r"\\&", line)
        line = _TAG.sub(r"\\<", line)
        line = _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), line)
        lines.append(line)
    return "\\\n".join(lines)


def _escape_marker(marker: str) -> str:
    """Return a line-start marker with its syntax character escaped (`1.` → `1\\.`)."""
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
