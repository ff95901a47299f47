"""Write a Document as DOCX on top of a reference DOCX's styles, with findings' provenance as Word comments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from drafter import paths
from drafter.document.model import (
    BulletList,
    Document,
    Heading,
    Image,
    PageBreak,
    Paragraph,
    Span,
    Table,
)
from drafter.errors import Problem, TemplateError
from drafter.ooxml import DocxBuilder

BUNDLED_REFERENCE = paths.PROJECT_ROOT / "templates" / "reference.docx"
TABLE_STYLE = "Table Grid"
LIST_STYLE = "List Bullet"
CAPTION_STYLE = "Caption"


def default_reference() -> Path:
    """Return the reference DOCX in the templates folder, or the bundled one when that folder has none."""
    candidate = paths.templates_dir() / "reference.docx"
    return candidate if candidate.is_file() else BUNDLED_REFERENCE


def heading_style(level: int) -> str:
    """Return the Word style name for a heading level: 0 is 'Title', n is 'Heading n'."""
    return "Title" if level == 0 else f"Heading {level}"


def styles_needed(document: Document) -> Iterator[tuple[str, str]]:
    """Return (style name, kind) for every style the document's blocks use, in reading order."""
    for block in document.blocks:
        if isinstance(block, Heading):
            yield heading_style(block.level), "paragraph"
        elif isinstance(block, Paragraph) and block.style:
            yield block.style, "paragraph"
        elif isinstance(block, BulletList):
            yield LIST_STYLE, "paragraph"
        elif isinstance(block, Table):
            yield block.style or TABLE_STYLE, "table"
            if block.caption:
                yield CAPTION_STYLE, "paragraph"
        elif isinstance(block, Image) and block.caption:
            yield CAPTION_STYLE, "paragraph"


def write_docx(document: Document, reference_docx: Path | None = None, comments: bool = True,
               notes: list[str] | None = None) -> bytes:
    """Return `document` as DOCX bytes, styled by `reference_docx` (None: the default reference).

    With `comments` each span carrying `comment=ID` gets the comment's text as a Word comment
    anchored on its runs; `comments=False` writes the clean copy. The same document and
    reference always give the same bytes. Styles drafter needs that the reference lacks are
    derived from its own, and page numbers added where it has none: each such change is
    appended to `notes` as one line. Raises TemplateError naming any other style the
    reference DOCX lacks, and for a span whose comment id is not in `document.meta.comments`.
    """
    builder = DocxBuilder(reference_docx or default_reference())
    builder.require_styles(styles_needed(document))
    writer = _Writer(builder, document, comments)
    for block in document.blocks:
        writer.block(block)
    meta = document.meta
    builder.set_properties(meta.title, meta.author, meta.subject, meta.keywords, meta.created)
    if notes is not None:
        notes.extend(builder.notes)
    return builder.to_bytes()


CHAR_CM = 0.2  # average width of a character of the reference DOCX's 10-point table text, with room to spare
CELL_PADDING_CM = 0.45
TEXT_WIDTH_CM = 15.9  # A4 less 2.54 cm margins; the shares scale to the real page


def column_weights(table: Table, n_cols: int) -> list[float]:
    """Return each column's share of the table's width, from the text it holds.

    Every column first gets room for its longest unbreakable text (a word, or a short value such as
    "June 2022" that should not wrap); what is left goes to the columns whose text must wrap, in
    proportion to how much more they would need. Without widths, Word and LibreOffice make every
    column equal and short values such as dates wrap letter by letter.
    """
    least = [0.0] * n_cols
    want = [0.0] * n_cols
    for row in (table.header, *table.rows):
        for c, cell in enumerate(row):
            content = "".join(span.text for span in cell)
            unbreakable = len(content) if len(content) <= 12 else max((len(w) for w in content.split()), default=0)
            least[c] = max(least[c], unbreakable * CHAR_CM + CELL_PADDING_CM)
            want[c] = max(want[c], min(len(content), 36) * CHAR_CM + CELL_PADDING_CM)
    if sum(want) <= TEXT_WIDTH_CM:
        widths = want
    else:
        spare = max(TEXT_WIDTH_CM - sum(least), 0.0)
        extra = [w - m for w, m in zip(want, least, strict=True)]
        widths = [m + (spare * e / sum(extra) if sum(extra) else 0.0) for m, e in zip(least, extra, strict=True)]
    total = sum(widths) or 1.0
    return [w / total for w in widths]


class _Writer:
    """Map blocks to builder calls; one instance per document."""

    def __init__(self, builder: DocxBuilder, document: Document, comments: bool):
        self.b = builder
        self.meta = document.meta
        self.comments = comments

    def block(self, block) -> None:
        """Add one block."""
        b = self.b
        if isinstance(block, Heading):
            self.spans(b.paragraph(b.style_id(heading_style(block.level))), block.spans)
        elif isinstance(block, Paragraph):
            style = b.style_id(block.style) if block.style else None
            self.spans(b.paragraph(style), block.spans)
        elif isinstance(block, BulletList):
            style = b.style_id(LIST_STYLE)
            for item in block.items:
                self.spans(b.paragraph(style), item)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Image):
            b.picture(block.png, block.width_cm, block.alt, block.caption or "")
            if block.caption:
                b.run(b.paragraph(b.style_id(CAPTION_STYLE)), block.caption)
        elif isinstance(block, PageBreak):
            b.page_break()
        else:
            raise TypeError(f"not a document block: {block!r}")

    def table(self, table: Table) -> None:
        """Add a table (caption above it, as screen readers expect), header row bold and repeated."""
        b = self.b
        if table.caption:
            b.run(b.paragraph(b.style_id(CAPTION_STYLE)), table.caption)
        n_cols = max([len(table.header), *(len(r) for r in table.rows)])
        grid = b.table(1 + len(table.rows), n_cols, b.style_id(table.style or TABLE_STYLE, "table"),
                       widths=list(table.widths) or column_weights(table, n_cols), keep_rows=table.keep_rows)
        for r, row in enumerate([table.header, *table.rows]):
            for c, cell in enumerate(row):
                para = grid[r][c]
                align = table.align[c] if c < len(table.align) else ""
                if align:
                    b.align(para, align)
                self.spans(para, cell, bold=r == 0)

    def spans(self, para, spans: tuple[Span, ...], bold: bool = False) -> None:
        """Add runs for `spans` to `para`, anchoring one comment on each stretch of runs sharing a comment id."""
        group: list = []
        group_id: str | None = None
        for span in spans:
            run = self.b.run(para, span.text, bold or span.bold, span.italic)
            cid = span.comment if self.comments else None
            if cid != group_id:
                self.anchor(group_id, group)
                group, group_id = [], cid
            if cid is not None:
                group.append(run)
        self.anchor(group_id, group)

    def anchor(self, cid: str | None, runs: list) -> None:
        """Add comment `cid` on `runs` (nothing when `cid` is None)."""
        if cid is None or not runs:
            return
        comment = self.meta.comments.get(cid)
        if comment is None:
            known = ", ".join(sorted(self.meta.comments)[:12]) or "none"
            raise TemplateError(Problem(f"span refers to unknown comment {cid!r}", hint=f"comments: {known}"))
        self.b.comment(runs, comment.text, comment.author, comment.initials, comment.date or self.meta.created)
