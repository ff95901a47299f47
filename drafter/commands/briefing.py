"""`drafter briefing`: a board briefing with a status table, key findings and charts."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import echo_notes, emit, is_stdout, output_format, user_errors
from drafter.commands.letter import check_reference, default_output
from drafter.files import refuse_overwrite_input


def register(app: typer.Typer) -> None:
    app.command(
        "briefing",
        help=(
            "Draft a briefing paper for an improvement board or lead member: a summary, a status table "
            "(Red, Amber or Green in words, direction of travel, latest value beside England), key "
            "strengths and concerns with provenance comments, charts with alt text, areas needing action "
            "and an appendix of the evidence used.\n\n"
            "Example: drafter briefing seeds/2022-fourth-monitoring-visit.yaml -o briefing.docx"
        ),
    )(user_errors(briefing))


def briefing(
    pack: Path = typer.Argument(..., help="The evidence pack (YAML, JSON, XLSX or a CSV folder)."),
    out: Path = typer.Option(None, "-o", "--out", help="Output file (default: PACK-briefing.FORMAT here); "
                             "- writes to standard output."),
    reference_docx: Path = typer.Option(None, "--reference-docx", help="A DOCX whose styles to use (your branding)."),
    no_comments: bool = typer.Option(False, "--no-comments", help="Write the clean copy, without provenance comments."),
    fmt: str = typer.Option(None, "--format", help="docx, md or html (default: from the output name, else docx)."),
) -> None:
    fmt = output_format(fmt, out)
    check_reference(reference_docx, fmt)
    out = out or default_output(pack, fmt, "briefing")
    if not is_stdout(out):
        refuse_overwrite_input(out, [pack] + ([reference_docx] if reference_docx else []))
    from drafter.drafting import draft_briefing  # the drafting stack loads only when drafting
    from drafter.pipeline import assess_pack

    draft = draft_briefing(assess_pack(pack))
    notes: list[str] = []
    data = draft.to_bytes(fmt, comments=not no_comments, reference_docx=reference_docx, notes=notes)
    echo_notes(notes)
    if emit(out, data, fmt):
        typer.echo(f"wrote {out}")
