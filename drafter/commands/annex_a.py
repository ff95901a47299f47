"""`drafter new-pack OUT --annex-a FILE` (the options' handling) and `drafter annex-a test|measures`."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.commands._help import QuickGroup
from drafter.errors import DrafterError, Problem

annex_app = typer.Typer(
    help="The Annex A measures: run their examples, or list their definitions.\n\nExample: drafter annex-a test",
    no_args_is_help=True,
    cls=QuickGroup,  # a group's --help must not import pydantic (see drafter/commands/_help.py)
)

BY_CHOICES = ("month", "window")


def register(app: typer.Typer) -> None:
    annex_app.command(
        "test",
        help="Run every Annex A measure's examples (rules/annex_a/measures.yaml), or those of the indicators "
        "named, and exit 1 on any failure.\n\nExample: drafter annex-a test assessments.within_45_days",
    )(user_errors(test_measures))
    annex_app.command(
        "measures",
        help="List each Annex A measure: indicator, list, definition and parameters.\n\n"
        "Example: drafter annex-a measures",
    )(user_errors(list_measures))
    app.add_typer(annex_app, name="annex-a")


def test_measures(ids: list[str] = typer.Argument(None, help="Indicator ids to test (default: all).")) -> None:
    from drafter.annex_a.examples import run_examples
    from drafter.annex_a.spec import load_spec

    spec = load_spec()
    known = {m.indicator for m in spec.measures}
    unknown = [i for i in ids or [] if i not in known]
    if unknown:
        typer.echo(f"no Annex A measure for {', '.join(unknown)}; see `drafter annex-a measures`", err=True)
        raise typer.Exit(2)
    results = run_examples(spec, ids or None)
    failed = [r for r in results if not r.ok]
    for r in results:
        typer.echo(r.line())
    typer.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    if failed:
        raise typer.Exit(1)


def list_measures() -> None:
    from drafter.annex_a.spec import load_spec

    for m in load_spec().measures:
        part = m.share_of or m.average_of
        params = ", ".join(f"{k}={v}" for k, v in part.model_dump().items() if k != "kind")
        kind = getattr(part, "kind", "average_days")
        typer.echo(f"{m.indicator}  (List {m.list_number}, {m.unit}; {m.scope.kind}; {kind}: {params})")
        typer.echo(f"    {m.definition}")


def parse_day(text: str, option: str):
    """Return the date an option gives (YYYY-MM-DD or DD/MM/YYYY); raise DrafterError otherwise."""
    from drafter.annex_a.values import CellError, read_date

    try:
        day = read_date(text)
    except CellError:
        day = None
    if day is None:
        raise DrafterError(
            Problem(
                f"{option} is not a date",
                found=repr(text),
                expected="a date such as 2024-03-31",
                hint=f"write {option} YYYY-MM-DD",
            )
        )
    return day


def refuse_without_annex_a(as_of: str | None, start: str | None, by: str | None) -> None:
    """Raise DrafterError when an option that only means something with --annex-a is given without it."""
    given = [name for name, value in (("--as-of", as_of), ("--from", start), ("--by", by)) if value is not None]
    if given:
        raise DrafterError(
            Problem(
                f"{', '.join(given)} only apply with --annex-a" + (" or --authority" if given == ["--as-of"] else ""),
                found=" ".join(given),
                expected="--annex-a FILE.xlsx with them" + (", or --authority NAME" if given == ["--as-of"] else ""),
                hint="drafter new-pack OUT --annex-a annex-a.xlsx --as-of 2024-03-31, or "
                     "drafter new-pack OUT --authority Middlesbrough --as-of 2025-06-30",
            )
        )


def new_pack_from_annex_a(
    out: Path, workbook: Path, as_of: str | None, start: str | None, by: str | None, authority: str | None, force: bool
) -> None:
    """Write the pack computed from an Annex A workbook to OUT, after a report of what was read."""
    from drafter.evidence.write import output_format, same_path

    output_format(out)
    if same_path(out, workbook):
        raise DrafterError(
            Problem(
                "OUT is the Annex A workbook; drafter never overwrites its input",
                path=str(out),
                expected="a new file name for the pack",
                hint="for example: annex-a-pack.yaml",
            )
        )
    if as_of is None:
        raise DrafterError(
            Problem(
                "--as-of is needed with --annex-a",
                expected="--as-of DATE, e.g. 2024-03-31",
                hint="give the date the workbook was extracted (the end of the window)",
            )
        )
    if by is not None and by not in BY_CHOICES:
        raise DrafterError(
            Problem(
                f"unknown --by {by!r}",
                found=by,
                expected="month or window",
                hint="--by month gives a series per month; --by window one value",
            )
        )
    if out.exists() and not force and not (out.is_dir() and not any(out.iterdir())):
        raise DrafterError(
            Problem(
                f"{out} already exists",
                path=str(out),
                expected="the name of a new file",
                hint="choose another name, or add --force to replace it",
            )
        )
    from drafter.annex_a.build import DEFAULT_AUTHORITY, build_pack, report_lines
    from drafter.evidence.load import evidence_from_source
    from drafter.evidence.write import write_pack
    from drafter.yamlsrc import Source

    built = build_pack(
        workbook, parse_day(as_of, "--as-of"), parse_day(start, "--from") if start else None, by or "month"
    )
    for line in report_lines(built, str(workbook)):
        typer.echo(line)
    pack = built.pack
    if authority is not None:  # the official series as released by as_of; Annex A wins where periods overlap
        from drafter.annex_a.merge import merge_packs
        from drafter.official.packs import official_pack

        covers = (built.window.start, built.window.end) if built.window.by == "window" else None
        pack = merge_packs(pack, official_pack(authority, parse_day(as_of, "--as-of")), covers=covers)
        typer.echo(f"merged with the official statistics for {pack['authority']} (LA {pack['la_code']})")
    evidence = evidence_from_source(Source(path=str(out), data=pack))  # a pack that would not load is not written
    write_pack(evidence.pack, out, input_path=workbook)
    typer.echo(f"wrote {out} ({evidence.summary()})")
    if pack["authority"] == DEFAULT_AUTHORITY:
        typer.echo(f"next: set `authority:` in {out} to the council's name, then run: drafter letter {out}")
