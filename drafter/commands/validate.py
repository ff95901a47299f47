"""`drafter validate`: check evidence packs and report every problem with its place and a fix."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.errors import DrafterError, safe_text


def register(app: typer.Typer) -> None:
    app.command(
        "validate",
        help=(
            "Check evidence packs (YAML, JSON, XLSX or a CSV folder) and report every problem "
            "with its file, line and column, what was found, what was expected and a hint.\n\n"
            "Warnings (a case-sample feature rules/sample_features.yaml does not describe) do not "
            "change the exit status.\n\n"
            "Exit status: 0 when every pack is valid, 2 otherwise.\n\n"
            "Example: drafter validate seeds/*.yaml"
        ),
    )(user_errors(validate))


def validate(
    packs: list[Path] = typer.Argument(..., help="Evidence pack files to check.", show_default=False),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON record per pack."),
) -> None:
    from drafter.evidence.load import load_pack  # loaded when the command runs, not at start-up

    failed = False
    records = []
    for path in packs:
        try:
            evidence = load_pack(path)
        except DrafterError as exc:
            failed = True
            if as_json:
                records.append({"file": str(path), "ok": False, "problems": [p.to_record() for p in exc.problems]})
            else:
                typer.echo(exc.render(), err=True)
            continue
        if as_json:
            records.append({"file": str(path), "ok": True, "summary": evidence.summary(),
                            "warnings": [w.to_record() for w in evidence.warnings]})
        else:
            typer.echo(f"ok: {safe_text(str(path))} ({evidence.summary()})")
            for warning in evidence.warnings:
                typer.echo(warning.render("warning"), err=True)
    if as_json:
        import json

        typer.echo(json.dumps({"schema": "drafter-validate/1", "packs": records}, indent=2))
    if failed:
        raise typer.Exit(2)
