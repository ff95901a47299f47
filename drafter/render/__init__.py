"""Writers from the document model to output bytes, registered by format name in WRITERS."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drafter.document.model import Document
from drafter.errors import DrafterError, Problem
from drafter.render.docx import write_docx
from drafter.render.html import write_html
from drafter.render.markdown import write_markdown

Writer = Callable[..., bytes]

# Format name → writer. Built-in writers register here exactly as an extension would.
WRITERS: dict[str, Writer] = {
    "docx": write_docx,
    "md": write_markdown,
    "html": write_html,
}


def render(document: Document, fmt: str, **opts: Any) -> bytes:
    """Return `document` written in format `fmt` ('docx', 'md', 'html'); `opts` go to the writer.

    Raises DrafterError for an unknown format, listing the known ones.
    """
    writer = WRITERS.get(fmt)
    if writer is None:
        raise DrafterError(
            Problem(
                f"unknown output format {fmt!r}",
                found=fmt,
                expected=" | ".join(sorted(WRITERS)),
                hint="choose one of: " + ", ".join(sorted(WRITERS)),
            )
        )
    return writer(document, **opts)


__all__ = ["WRITERS", "Writer", "render", "write_docx", "write_html", "write_markdown"]
