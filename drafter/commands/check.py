"""`drafter check`: report the wording in a draft that its evidence does not support."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import is_stdout, output_format, user_errors
from drafter.errors import DrafterError, Problem
from drafter.files import refuse_overwrite_input, write_atomic

# File-name extensions that agree with each report format (SARIF is JSON, so .json suits it too).
REPORT_EXTENSIONS = {"text": (".txt", ".text"), "json": (".json",), "sarif": (".sarif", ".json")}


def register(app: typer.Typer) -> None:
    app.command(
        "check",
        help=(
            "Read a draft (DOCX, Markdown or text), find what each sentence claims, and report wording the "
            "evidence pack does not support: contradiction, quantifier, trend, number, unsupported, and "
            "anything that could identify a child. A sentence can be silenced with `drafter: ignore CODE` "
            "in a Word comment or a Markdown comment.\n\n"
            "Exit status: 0 no error-level problem, 1 some, 2 bad input.\n\n"
            "Example: drafter check draft.docx --evidence seeds/2022-03-third-monitoring-visit.yaml"
        ),
    )(user_errors(check))


def check(
    draft: Path = typer.Argument(..., help="The draft to check: .docx, .md or .txt."),
    evidence: Path = typer.Option(..., "--evidence", "-e", help="The evidence pack the draft should agree with."),
    fmt: str = typer.Option(None, "--format", "-f", help="text, json or sarif (default: from the -o name, else "
                            "text)."),
    claims: bool = typer.Option(False, "--claims", help="With --format json: list every claim read, fine or not."),
    annotate: Path = typer.Option(None, "--annotate", help="Write a copy of a DOCX draft with a Word comment on "
                                  "each diagnosed sentence."),
    out: Path = typer.Option(None, "-o", "--out", help="Write the report to a file instead of the screen "
                             "(- is the screen)."),
) -> None:
    from drafter.check.compare import check_draft  # the checker's imports are only paid for when checking
    from drafter.check.read import read_draft
    from drafter.check.report import REPORTERS, annotate_docx
    from drafter.pipeline import assess_pack

    fmt = output_format(fmt, out, {f: REPORT_EXTENSIONS.get(f, ()) for f in REPORTERS}, default="text",
                        known_suffixes_only=False)
    if annotate is not None:
        if draft.suffix.lower() != ".docx":
            raise DrafterError(Problem("--annotate needs a DOCX draft", path=str(draft),
                                       hint="check a .docx draft, or leave out --annotate"))
        if annotate.suffix.lower() != ".docx":
            raise DrafterError(Problem("--annotate writes a DOCX, but its name does not end .docx",
                                       path=str(annotate), found=annotate.suffix or "no extension",
                                       expected=".docx", hint=f"for example --annotate {annotate.stem}-checked.docx"))
        refuse_overwrite_input(annotate, [draft, evidence])
    if is_stdout(out):
        out = None
    if out is not None:
        refuse_overwrite_input(out, [draft, evidence])
    assessment = assess_pack(evidence)
    result = check_draft(read_draft(draft), assessment)
    if not claims:
        from dataclasses import replace

        result = replace(result, claims=())
    report = REPORTERS[fmt](result)
    if out is not None:
        write_atomic(out, report.encode("utf-8"))
    else:
        typer.echo(report)
    if annotate is not None:
        annotate_docx(draft, result, annotate)
        typer.echo(f"wrote {annotate}", err=True)
    if result.errors:
        raise typer.Exit(1)
