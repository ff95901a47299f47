"""Drafting end to end: pack → assessment → composed Markdown → document → bytes in a format."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafter.compose.letter import Composed, compose_letter
from drafter.document.markdown import parse_markdown
from drafter.document.model import Document
from drafter.pipeline import Assessment, assess_pack
from drafter.render import WRITERS, render

FORMATS = tuple(WRITERS)  # docx, md, html


@dataclass(frozen=True)
class Draft:
    """A drafted document: the assessment behind it, its Markdown source and its document model."""

    assessment: Assessment
    composed: Composed
    document: Document

    def to_bytes(self, fmt: str = "docx", *, comments: bool = True, reference_docx: Path | None = None,
                 notes: list[str] | None = None) -> bytes:
        """Return the document written as `fmt`; DOCX takes a reference, a comments switch and a list
        to which it appends what it had to add to the reference (derived styles, page numbers); HTML
        takes the comments switch (its evidence notes)."""
        if fmt == "docx":
            return render(self.document, "docx", reference_docx=reference_docx, comments=comments, notes=notes)
        if fmt == "html":
            return render(self.document, "html", comments=comments)
        return render(self.document, fmt)


def draft_letter(assessment: Assessment, template: str | Path | None = None, figures: str = "words") -> Draft:
    """Return the letter for an assessment (template chosen by the pack's document kind when None).

    `figures` is the register: "words" (figures in the comments) or "inline" (figures in the text).
    """
    composed = compose_letter(assessment, template, figures)
    document = parse_markdown(composed.markdown, comments=composed.comments, meta=composed.meta,
                              source=f"template {composed.template}")
    return Draft(assessment, composed, document)


def draft_letter_from_pack(pack: str | Path, template: str | Path | None = None, figures: str = "words") -> Draft:
    """Return the letter for the pack at `pack` (raises EvidenceError for an invalid pack)."""
    return draft_letter(assess_pack(pack), template, figures)


def draft_briefing(assessment: Assessment) -> Draft:
    """Return the board briefing for an assessment, charts included."""
    from drafter.compose.briefing import compose_briefing  # charts pull in matplotlib: load only when asked

    composed, images = compose_briefing(assessment)
    document = parse_markdown(composed.markdown, comments=composed.comments, meta=composed.meta, images=images,
                              source=f"template {composed.template}")
    return Draft(assessment, composed, document)
