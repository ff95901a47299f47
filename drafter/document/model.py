"""The document model every writer reads: immutable blocks of styled, attributed text spans."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

# A fixed default so that a document built without a date still gives the same bytes on every run.
DEFAULT_CREATED = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Span:
    """A run of text with one formatting; `attrs` are (key, value) pairs such as ("rule", "CL001").

    A `"\\n"` inside `text` is a hard line break (address blocks, signatures).
    """

    text: str
    bold: bool = False
    italic: bool = False
    attrs: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "attrs", lambda a: tuple((str(k), str(v)) for k, v in (a.items() if isinstance(a, dict) else a)))

    def attr(self, key: str, default: str | None = None) -> str | None:
        """Return the value of attribute `key`, or `default` (None) when the span has none."""
        for k, v in self.attrs:
            if k == key:
                return v
        return default

    @property
    def classes(self) -> tuple[str, ...]:
        """Return the span's classes (from `.finding` syntax), in the order written."""
        return tuple((self.attr("class") or "").split())

    @property
    def comment(self) -> str | None:
        """Return the id of the comment this span is anchored to, or None."""
        return self.attr("comment")


@dataclass(frozen=True)
class Comment:
    """Provenance text attached to spans; `date` None means "use the document's created date"."""

    id: str
    text: str
    author: str = "drafter"
    initials: str = "DR"
    date: datetime | None = None


@dataclass(frozen=True)
class Meta:
    """Document properties and the comments that spans refer to by id."""

    title: str = ""
    author: str = "drafter"
    subject: str = ""
    keywords: str = ""
    created: datetime = DEFAULT_CREATED
    comments: dict[str, Comment] = field(default_factory=dict)


@dataclass(frozen=True)
class Heading:
    """A heading; level 0 is the document title (Word style 'Title'), 1-3 are 'Heading N'."""

    level: int
    spans: tuple[Span, ...]

    def __post_init__(self) -> None:
        _freeze(self, "spans", tuple)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `style` names a paragraph style (e.g. 'Subject'), None means 'Normal'."""

    spans: tuple[Span, ...]
    style: str | None = None

    def __post_init__(self) -> None:
        _freeze(self, "spans", tuple)


@dataclass(frozen=True)
class BulletList:
    """A flat bulleted list; each item is a sequence of spans."""

    items: tuple[tuple[Span, ...], ...]

    def __post_init__(self) -> None:
        _freeze(self, "items", lambda items: tuple(tuple(i) for i in items))


@dataclass(frozen=True)
class Table:
    """A table with one header row; `align` holds 'left'/'right'/'center'/'' per column.

    `keep_rows` keeps each row whole on one page (Markdown `{.keep-rows}` before the table); the
    header row always repeats at the top of each page. `widths` gives each column's share of the
    text width (`{widths="20 10 70"}`); without them the widths follow the text the columns hold.
    """

    header: tuple[tuple[Span, ...], ...]
    rows: tuple[tuple[tuple[Span, ...], ...], ...]
    style: str | None = None
    caption: str | None = None
    align: tuple[str, ...] = ()
    keep_rows: bool = False
    widths: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        _freeze(self, "header", lambda cells: tuple(tuple(c) for c in cells))
        _freeze(self, "rows", lambda rows: tuple(tuple(tuple(c) for c in row) for row in rows))
        _freeze(self, "align", tuple)
        _freeze(self, "widths", tuple)


@dataclass(frozen=True)
class Image:
    """A PNG picture shown `width_cm` wide, with alt text and an optional caption below it."""

    png: bytes
    alt: str
    width_cm: float = 15.0
    caption: str | None = None


@dataclass(frozen=True)
class PageBreak:
    """A page break."""


Block = Heading | Paragraph | BulletList | Table | Image | PageBreak


@dataclass(frozen=True)
class Document:
    """A whole document: blocks in reading order plus its properties and comments."""

    blocks: tuple[Block, ...]
    meta: Meta = field(default_factory=Meta)

    def __post_init__(self) -> None:
        _freeze(self, "blocks", tuple)

    def iter_spans(self) -> Iterator[Span]:
        """Return every span in reading order (headings, paragraphs, list items, table cells)."""
        for block in self.blocks:
            yield from block_spans(block)

    def plain_text(self) -> str:
        """Return the document's text without formatting, one block per line (for tests and search)."""
        lines = []
        for block in self.blocks:
            if isinstance(block, Image):
                lines.append(block.caption or "")
            else:
                lines.append("".join(s.text for s in block_spans(block)))
        return "\n".join(lines)


def _freeze(obj: object, name: str, convert) -> None:
    """Store `convert(value)` on a frozen dataclass so that lists given by callers become tuples."""
    object.__setattr__(obj, name, convert(getattr(obj, name)))


def heading_ranks(document: Document) -> dict[int, int]:
    """Return {heading level: outline rank from 1}, closing gaps: levels {0, 2, 3} rank as 1, 2, 3.

    HTML and plain Markdown have no separate title, so the title takes rank 1 and no rank is
    skipped (screen readers navigate by heading rank).
    """
    levels = sorted({b.level for b in document.blocks if isinstance(b, Heading)})
    return {level: min(6, rank) for rank, level in enumerate(levels, start=1)}


def block_spans(block: Block) -> Iterator[Span]:
    """Return the spans of one block in reading order; images and page breaks have none."""
    if isinstance(block, Heading | Paragraph):
        yield from block.spans
    elif isinstance(block, BulletList):
        for item in block.items:
            yield from item
    elif isinstance(block, Table):
        for cell in block.header:
            yield from cell
        for row in block.rows:
            for cell in row:
                yield from cell


def spans_text(spans: tuple[Span, ...] | list[Span]) -> str:
    """Return the text of a sequence of spans, joined."""
    return "".join(s.text for s in spans)
