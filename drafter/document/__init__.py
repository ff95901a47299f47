"""The document model and its Markdown source form, shared by composing and every writer."""

from drafter.document.markdown import parse_markdown
from drafter.document.model import (
    Block,
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

__all__ = [
    "Block",
    "BulletList",
    "Comment",
    "Document",
    "Heading",
    "Image",
    "Meta",
    "PageBreak",
    "Paragraph",
    "Span",
    "Table",
    "parse_markdown",
]
