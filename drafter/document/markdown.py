"""Parse Markdown with attribute spans (`[text]{.finding rule=CL001 comment=c1}`) into the document model."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin

from drafter.document.model import (
    BulletList,
    Comment,
    Document,
    Heading,
    Image,
    Meta,
    PageBreak,
    Paragraph,
    Span,
    Table,
)
from drafter.errors import Problem, TemplateError

# A block class names a paragraph style: `{.subject}` → 'Subject'. These are the letter parts
# the bundled reference DOCX styles; any other class maps the same way (`.sign-off` → 'Sign Off')
# and the DOCX writer says so when the reference DOCX lacks it.
CLASS_STYLES = {
    "subject": "Subject",
    "address": "Address",
    "signature": "Signature",
    "date": "Date",
    "caption": "Caption",
}

DEFAULT_IMAGE_WIDTH_CM = 15.0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

# Text that survived parsing but looks like attribute or template syntax means the source had a
# mistake (unquoted value with a dot, a space in a value, an unrendered Jinja tag, stray `**`).
_LEAK = re.compile(r"\]\{|\{\{|\}\}|\{%|%\}|\{#|#\}|\*\*|__")
_BLOCK_ATTRS_ONLY = re.compile(r"^\{[^{}]*\}$")

SUPPORTED = (
    "supported: # headings (to ###, `{.title}` before a heading for the title), paragraphs, "
    '`{style="Name"}` or `{.name}` before a paragraph, - bullet lists, pipe tables (`{.keep-rows style="Name" '
    'widths="30 70"}` before one), **bold**, *italic*, '
    '[text]{.finding rule=ID comment=ID}, ![alt](image-name "caption"){width="12"}, *** for a page break'
)


def markdown_parser() -> MarkdownIt:
    """Return the configured parser: CommonMark + tables + attribute spans and block attributes, HTML off."""
    md = MarkdownIt("commonmark", {"html": False})
    md.enable("table")
    md.use(attrs_plugin, spans=True)
    md.use(attrs_block_plugin)
    # Keep backslash escapes and entities as separate tokens, so that text the author escaped on
    # purpose (`\\]\\{`) is not mistaken for attribute syntax that failed to parse.
    md.disable("text_join")
    return md


_PARSER = markdown_parser()


def parse_markdown(
    text: str,
    comments: Mapping[str, Comment] | Iterable[Comment] | None = None,
    meta: Meta | None = None,
    images: Mapping[str, bytes] | None = None,
    source: str = "<markdown>",
) -> Document:
    """Return the Document for Markdown `text`.

    `comments` (by id, or a list of Comment) are added to `meta.comments`; a span's `comment=ID`
    must name one of them. `images` maps the names used in `![alt](name)` to PNG bytes (a
    `data:image/png;base64,` source is accepted too). `meta` None means default properties.
    `source` names the text in error messages. Raises TemplateError, with the line, for syntax
    the writers cannot represent and for markup that would otherwise leak into the output.
    """
    meta = meta or Meta()
    if comments:
        extra = dict(comments) if isinstance(comments, Mapping) else {c.id: c for c in comments}
        meta = replace(meta, comments={**meta.comments, **extra})
    builder = _Builder(source, meta, images or {})
    blocks = builder.build(_PARSER.parse(text))
    return Document(blocks=tuple(blocks), meta=meta)


class _Builder:
    """Walk markdown-it tokens and produce blocks; one instance per parse."""

    def __init__(self, source: str, meta: Meta, images: Mapping[str, bytes]):
        self.source = source
        self.meta = meta
        self.images = images

    # -- errors ------------------------------------------------------------------------------

    def fail(self, token: Token | None, message: str, found: str = "", hint: str = "") -> TemplateError:
        """Return a TemplateError located at `token`'s first source line."""
        line = token.map[0] + 1 if token is not None and token.map else None
        return TemplateError(Problem(message, path=self.source, line=line, found=found, hint=hint))

    # -- blocks ------------------------------------------------------------------------------

    def build(self, tokens: list[Token]) -> list:
        """Return the blocks for a token stream."""
        blocks: list = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            kind = tok.type
            if kind == "paragraph_open":
                blocks.append(self.paragraph(tok, tokens[i + 1]))
                i += 3
            elif kind == "heading_open":
                blocks.append(self.heading(tok, tokens[i + 1]))
                i += 3
            elif kind == "bullet_list_open":
                end = _closing(tokens, i)
                blocks.append(self.bullet_list(tokens[i : end + 1]))
                i = end + 1
            elif kind == "table_open":
                end = _closing(tokens, i)
                blocks.append(self.table(tokens[i : end + 1]))
                i = end + 1
            elif kind == "hr":
                blocks.append(PageBreak())
                i += 1
            else:
                raise self.fail(tok, f"Markdown {_describe(kind)} cannot be written to a document", hint=SUPPORTED)
        return blocks

    def paragraph(self, open_tok: Token, inline: Token) -> Paragraph | Image:
        """Return a Paragraph, or an Image when the paragraph holds only an image."""
        children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
        if len(children) == 1 and children[0].type == "image":
            if open_tok.attrs:
                raise self.fail(open_tok, "block attributes cannot be applied to an image", found=str(open_tok.attrs))
            return self.image(children[0], inline)
        first_line = inline.content.strip().split("\n", 1)[0].strip()
        if _BLOCK_ATTRS_ONLY.match(first_line):
            raise self.fail(
                inline,
                "block attributes could not be read",
                found=first_line,
                hint='quote values with spaces or dots: {style="Sign Off"}, {width="12.5"}',
            )
        return Paragraph(spans=self.spans(inline), style=self.paragraph_style(open_tok))

    def paragraph_style(self, tok: Token) -> str | None:
        """Return the paragraph style named by block attributes: `style=` wins, then the first class."""
        style = tok.attrs.get("style")
        if style:
            return str(style)
        classes = str(tok.attrs.get("class", "")).split()
        if not classes:
            return None
        first = classes[0]
        return CLASS_STYLES.get(first) or re.sub(r"[-_]+", " ", first).strip().title()

    def heading(self, open_tok: Token, inline: Token) -> Heading:
        """Return a Heading; `{.title}` before a heading makes it the document title (level 0)."""
        classes = str(open_tok.attrs.get("class", "")).split()
        level = 0 if "title" in classes else int(open_tok.tag[1:])
        return Heading(level=level, spans=self.spans(inline))

    def bullet_list(self, tokens: list[Token]) -> BulletList:
        """Return a BulletList; an item's paragraphs are joined by line breaks, nested lists refused."""
        items: list[tuple[Span, ...]] = []
        current: list[Span] | None = None
        for tok in tokens[1:-1]:
            if tok.type == "list_item_open":
                current = []
            elif tok.type == "list_item_close":
                items.append(tuple(_merge(current or [])))
                current = None
            elif tok.type == "inline":
                if current:
                    current.append(Span("\n"))
                current.extend(self.spans(tok))
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                raise self.fail(tok, "nested lists cannot be written to a document", hint="use one level of bullets")
            elif tok.type not in ("paragraph_open", "paragraph_close"):
                raise self.fail(tok, f"Markdown {_describe(tok.type)} inside a list item cannot be written")
        return BulletList(items=tuple(items))

    def table(self, tokens: list[Token]) -> Table:
        """Return a Table from a pipe table; block attributes give `style` and `caption`."""
        open_tok = tokens[0]
        header: list[tuple[Span, ...]] = []
        rows: list[tuple[tuple[Span, ...], ...]] = []
        align: list[str] = []
        row: list[tuple[Span, ...]] = []
        in_head = False
        for tok in tokens[1:-1]:
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "th_open":
                match = re.search(r"text-align:(\w+)", str(tok.attrs.get("style", "")))
                align.append(match.group(1) if match else "")
            elif tok.type == "inline":
                row.append(tuple(self.spans(tok)))
            elif tok.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
                row = []
        style = open_tok.attrs.get("style")
        caption = open_tok.attrs.get("caption")
        widths = self.widths(open_tok, len(header))
        return Table(
            header=tuple(header),
            rows=tuple(rows),
            style=str(style) if style else None,
            caption=str(caption) if caption else None,
            align=tuple(align),
            keep_rows="keep-rows" in str(open_tok.attrs.get("class", "")).split(),
            widths=widths,
        )

    def widths(self, tok: Token, columns: int) -> tuple[float, ...]:
        """Return a table's column widths from `{widths="20 10 70"}` as shares of one, or () when not given."""
        given = str(tok.attrs.get("widths", "")).split()
        if not given:
            return ()
        try:
            numbers = [float(w) for w in given]
        except ValueError:
            numbers = []
        if len(numbers) != columns or any(n <= 0 for n in numbers):
            raise self.fail(tok, f"widths={' '.join(given)!r} must be {columns} positive numbers, one per column")
        total = sum(numbers)
        return tuple(n / total for n in numbers)

    def image(self, tok: Token, inline: Token) -> Image:
        """Return an Image for `![alt](name "caption"){width="12"}`, with PNG bytes from `images`."""
        src = str(tok.attrs.get("src", ""))
        alt = tok.content.strip()
        if not alt:
            raise self.fail(inline, "an image needs alt text", found=src, hint="write ![what the chart shows](name)")
        png = self.images.get(src)
        if png is None and src.startswith("data:image/png;base64,"):
            try:
                png = base64.b64decode(src.split(",", 1)[1], validate=True)
            except (binascii.Error, ValueError):
                png = None
        if png is None:
            known = ", ".join(sorted(self.images)) or "none"
            raise self.fail(inline, f"unknown image {src!r}", found=src, hint=f"images given: {known}")
        if not png.startswith(PNG_MAGIC):
            raise self.fail(inline, f"image {src!r} is not a PNG")
        width = tok.attrs.get("width")
        try:
            width_cm = float(width) if width is not None else DEFAULT_IMAGE_WIDTH_CM
        except ValueError:
            raise self.fail(inline, "image width must be a number of centimetres", found=str(width)) from None
        if not 0 < width_cm <= 30:
            raise self.fail(inline, "image width must be between 0 and 30 cm", found=str(width))
        title = tok.attrs.get("title")
        return Image(png=png, alt=alt, width_cm=width_cm, caption=str(title) if title else None)

    # -- inline ------------------------------------------------------------------------------

    def spans(self, inline: Token) -> tuple[Span, ...]:
        """Return the spans of an inline token, merging neighbours with equal formatting."""
        out: list[Span] = []
        bold = italic = 0
        attr_stack: list[dict[str, str]] = []
        raw: list[str] = []  # unescaped source text since the last escape or markup, checked for leaks
        for child in inline.children or []:
            kind = child.type
            if kind != "text":
                self.check_leak(inline, "".join(raw))
                raw = []
            if kind == "text":
                text = child.content
                raw.append(text)
            elif kind in ("text_special", "code_inline"):
                text = child.content
            elif kind == "softbreak":
                text = " "
            elif kind == "hardbreak":
                text = "\n"
            elif kind == "strong_open":
                bold += 1
                continue
            elif kind == "strong_close":
                bold -= 1
                continue
            elif kind == "em_open":
                italic += 1
                continue
            elif kind == "em_close":
                italic -= 1
                continue
            elif kind in ("span_open", "link_open"):
                attrs = {str(k): str(v) for k, v in child.attrs.items()}
                attr_stack.append(attrs)
                continue
            elif kind in ("span_close", "link_close"):
                attr_stack.pop()
                continue
            elif kind == "image":
                raise self.fail(inline, "an image must be a paragraph of its own", found=inline.content)
            else:
                raise self.fail(inline, f"Markdown {_describe(kind)} cannot be written to a document")
            if not text:
                continue
            out.append(Span(text=text, bold=bold > 0, italic=italic > 0, attrs=_combine(attr_stack)))
        self.check_leak(inline, "".join(raw))
        spans = tuple(_merge(out))
        self.check_comments(inline, spans)
        return spans

    def check_leak(self, inline: Token, text: str) -> None:
        """Raise TemplateError when unescaped text still holds attribute or template syntax."""
        leak = _LEAK.search(text)
        if leak:
            raise self.fail(
                inline,
                f"markup {leak.group(0)!r} would appear in the document text",
                found=inline.content,
                hint="check the attribute syntax ([text]{.finding rule=ID}, quote values with spaces or dots) "
                "and that every template tag was rendered (escape a literal one with a backslash: \\{)",
            )

    def check_comments(self, inline: Token, spans: tuple[Span, ...]) -> None:
        """Raise TemplateError for a span whose comment id is not in the document's comments."""
        for span in spans:
            cid = span.comment
            if cid is not None and cid not in self.meta.comments:
                known = ", ".join(sorted(self.meta.comments)[:12]) or "none"
                raise self.fail(
                    inline, f"span refers to unknown comment {cid!r}", found=span.text, hint=f"comments: {known}"
                )


def _combine(stack: list[dict[str, str]]) -> tuple[tuple[str, str], ...]:
    """Return the attributes in force: inner spans override outer ones, classes accumulate."""
    merged: dict[str, str] = {}
    classes: list[str] = []
    for attrs in stack:
        for key, value in attrs.items():
            if key == "class":
                classes.extend(c for c in value.split() if c not in classes)
            else:
                merged[key] = value
    if classes:
        merged["class"] = " ".join(classes)
    return tuple(sorted(merged.items()))


def _merge(spans: list[Span]) -> list[Span]:
    """Return spans with neighbours of equal formatting and attributes joined into one."""
    out: list[Span] = []
    for span in spans:
        if out and (out[-1].bold, out[-1].italic, out[-1].attrs) == (span.bold, span.italic, span.attrs):
            out[-1] = replace(out[-1], text=out[-1].text + span.text)
        else:
            out.append(span)
    return out


def _closing(tokens: list[Token], start: int) -> int:
    """Return the index of the token closing the container opened at `start`."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _describe(kind: str) -> str:
    """Return a readable name for a markdown-it token type."""
    names = {
        "ordered_list_open": "numbered list",
        "blockquote_open": "block quote",
        "code_block": "indented code block",
        "fence": "code block",
        "html_block": "HTML",
        "html_inline": "HTML",
    }
    return names.get(kind, kind.removesuffix("_open").replace("_", " "))
