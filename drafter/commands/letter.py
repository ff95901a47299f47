"""`drafter letter`: draft a monitoring-visit style letter from a pack, as DOCX, Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import echo_notes, emit, is_stdout, output_format, user_errors
from drafter.errors import DrafterError, Problem
from drafter.files import refuse_overwrite_input


def register(app: typer.Typer) -> None:
    app.command(
        "letter",
        help=(
            "Draft a letter in the style of an Ofsted monitoring-visit letter from an evidence pack. "
            "Each finding sentence carries a Word comment with the rule and the figures behind it "
            "(--no-comments for the clean copy). By default the letter gives judgements in words, as "
            "Ofsted's letters do, and leaves the figures to the comments; --figures inline writes them "
            "into the text, for internal reports. The template follows the pack's document kind unless "
            "--template names one (templates/NAME.md.j2) or gives a path; a pack that describes no visit "
            "(a board briefing pack, or no visit dates) gets a letter summarising the evidence.\n\n"
            "Example: drafter letter seeds/2022-03-third-monitoring-visit.yaml -o letter.docx"
        ),
    )(user_errors(letter))


def default_output(pack: Path, fmt: str, suffix: str = "letter") -> Path:
    """Return `<pack stem>-letter.<fmt>` in the current folder."""
    return Path(f"{pack.stem}-{suffix}.{fmt}")


def letter(
    pack: Path = typer.Argument(..., help="The evidence pack (YAML, JSON, XLSX or a CSV folder)."),
    out: Path = typer.Option(None, "-o", "--out", help="Output file (default: PACK-letter.FORMAT here); "
                             "- writes to standard output."),
    template: str = typer.Option(None, "--template", help="Template name in templates/ or a path to a .md.j2 file."),
    reference_docx: Path = typer.Option(None, "--reference-docx", help="A DOCX whose styles to use (your branding)."),
    no_comments: bool = typer.Option(False, "--no-comments", help="Write the clean copy, without provenance comments."),
    fmt: str = typer.Option(None, "--format", help="docx, md or html (default: from the output name, else docx)."),
    figures: str = typer.Option("words", "--figures", help="words (figures in the comments) or inline (in the text)."),
) -> None:
    fmt = output_format(fmt, out)
    if figures not in ("words", "inline"):
        raise DrafterError(Problem(f"unknown --figures value {figures!r}", expected="words or inline",
                                   hint="use --figures inline to write the figures into the letter's text"))
    check_reference(reference_docx, fmt)
    out = out or default_output(pack, fmt)
    if not is_stdout(out):
        refuse_overwrite_input(out, [pack] + ([reference_docx] if reference_docx else []))
    from drafter.drafting import draft_letter_from_pack  # the drafting stack loads only when drafting

    draft = draft_letter_from_pack(pack, template, figures)
    notes: list[str] = []
    data = draft.to_bytes(fmt, comments=not no_comments, reference_docx=reference_docx, notes=notes)
    echo_notes(notes)
    if emit(out, data, fmt):
        typer.echo(f"wrote {out} ({len(draft.assessment.findings)} findings)")


def check_reference(reference_docx: Path | None, fmt: str) -> None:
    """Raise DrafterError for a --reference-docx that does not exist, or that a text format would ignore."""
    if reference_docx is None:
        return
    if fmt != "docx":
        raise DrafterError(Problem(f"--reference-docx styles DOCX output, but the output is {fmt}",
                                   path=str(reference_docx), found=f"--reference-docx with --format {fmt}",
                                   expected="DOCX output (--format docx or a .docx output name)",
                                   hint="leave out --reference-docx, or write DOCX"))
    if not reference_docx.is_file():
        raise DrafterError(Problem("no such reference DOCX", path=str(reference_docx),
                                   hint="give the path to a .docx whose styles drafter should use"))
