"""`drafter new-pack` and `drafter convert`: start an evidence pack, and move one between formats."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.errors import DrafterError, Problem

# The pack formats, for the help text: drafter.evidence.write.FORMAT_WORDS (a test keeps them in step),
# written out here so that `--help` does not import the pack models and writers.
FORMAT_WORDS = ".yaml, .yml, .json, .xlsx, or a folder name without an extension for CSV files"


def register(app: typer.Typer) -> None:
    app.command(
        "new-pack",
        help=(
            "Write a starter evidence pack to fill in: an Excel workbook (.xlsx) with a sheet per part, "
            "drop-down lists of indicator ids, topics and polarities, and an instructions sheet; or a "
            "commented YAML file (.yaml). JSON and a CSV folder (a name without an extension) work too. "
            "The starter is valid as it stands; replace its example rows with your own evidence.\n\n"
            "With --authority (a name in any case, an LA number such as 806, or an ONS code), the pack is "
            "filled with that authority's DfE published series as released by --as-of (default today; later "
            "releases are left out), its last ILACS judgement published by then, and a document block: a "
            "monitoring visit after an inadequate judgement, otherwise a board briefing.\n\n"
            "Refuses to replace an existing file unless --force is given.\n\n"
            "With --annex-a, the indicators are computed from an Ofsted Annex A workbook instead (see "
            "docs/annex-a.md); only aggregates reach the pack. With both, the Annex A figures are merged with "
            "the official series (Annex A wins where periods overlap).\n\n"
            "Example: drafter new-pack middlesbrough-2024.xlsx\n\n"
            "Example: drafter new-pack middlesbrough.yaml --authority Middlesbrough --as-of 2025-06-30\n\n"
            "Example: drafter new-pack pack.yaml --annex-a annex-a.xlsx --as-of 2024-03-31 --by window"
        ),
    )(user_errors(new_pack))
    app.command(
        "convert",
        help=(
            "Convert an evidence pack between YAML, JSON, Excel (.xlsx) and a folder of CSV files, "
            "validating it on the way. The output format follows OUT's extension (no extension: a CSV "
            "folder). A pack with mistakes is not written: its problems are listed and the exit status is 2. "
            "OUT may not be PACK itself.\n\n"
            "Example: drafter convert seeds/2022-03-third-monitoring-visit.yaml pack.xlsx"
        ),
    )(user_errors(convert))


def new_pack(
    file: Path = typer.Argument(..., help=f"The pack to create: {FORMAT_WORDS}.", show_default=False, metavar="FILE"),
    force: bool = typer.Option(False, "--force", help="Replace FILE if it already exists, keeping a copy of it "
                               "as FILE.~1~ (the next free number)."),
    annex_a: Path = typer.Option(None, "--annex-a", help="Compute the pack's indicators from this Annex A workbook."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="The pack's date, YYYY-MM-DD: with --authority "
                              "only figures released by then are included (default today); with --annex-a the date "
                              "the lists describe (the window's end)."),
    start: str = typer.Option(None, "--from", help="With --annex-a: the window's first day (default: the earliest "
                              "event date in Lists 1 to 5)."),
    by: str = typer.Option(None, "--by", help="With --annex-a: 'month' (default) for a series per calendar month, "
                           "'window' for one value over the window."),
    authority: str = typer.Option(None, "--authority", help="Fill the pack with this authority's official "
                                  "statistics: a name, LA number (806) or ONS code (E06000002); with --annex-a, "
                                  "merged with the Annex A figures."),
) -> None:
    from drafter.commands import annex_a as annex  # its options are handled there, apart from the starter's

    if annex_a is not None:
        annex.new_pack_from_annex_a(file, annex_a, as_of, start, by, authority, force)
        return
    if authority is not None:
        annex.refuse_without_annex_a(None, start, by)
    else:
        annex.refuse_without_annex_a(as_of, start, by)
    from drafter.evidence.write import output_format, write_starter  # loaded when the command runs

    output_format(file)  # an unsupported extension is reported before anything is written
    if file.exists() and not force and not (file.is_dir() and not any(file.iterdir())):
        raise DrafterError(
            Problem(
                f"{file} already exists",
                path=str(file),
                expected="the name of a new file",
                hint="choose another name, or add --force to replace it",
            )
        )
    saved = None
    if file.exists() and force:
        from drafter.files import backup, check_output

        if not file.is_dir():
            check_output(file)  # a link, FIFO or device is refused before anything is copied
        saved = backup(file)
    if authority is not None:
        _official_new_pack(file, authority, as_of)
        if saved is not None:
            typer.echo(f"kept the file it replaced as {saved}")
        return
    write_starter(file)
    if saved is not None:
        typer.echo(f"kept the file it replaced as {saved}")
    typer.echo(f"wrote {file}")
    typer.echo(f"next: replace the example rows with your evidence, then run: drafter validate {file}")


def convert(
    pack: Path = typer.Argument(
        ..., help="The evidence pack to read (YAML, JSON, XLSX or a CSV folder).", show_default=False
    ),
    out: Path = typer.Argument(..., help=f"Where to write it: {FORMAT_WORDS}.", show_default=False),
) -> None:
    from drafter.evidence.load import load_pack  # loaded when the command runs, not at start-up
    from drafter.evidence.write import output_format, same_path, write_pack

    if same_path(out, pack):
        raise DrafterError(
            Problem(
                "OUT is the pack being converted; drafter never overwrites its input",
                path=str(out),
                found=str(out),
                expected="a different file or folder name for OUT",
                hint=f"for example: drafter convert {pack} {_other_name(pack)}",
            )
        )
    output_format(out)
    evidence = load_pack(pack)
    write_pack(evidence, out, input_path=pack)
    typer.echo(f"wrote {out}")


def _other_name(pack: Path) -> Path:
    """Return a sensible OUT for a hint: the pack's name with another format's extension."""
    return pack.with_suffix(".yaml" if pack.suffix.lower() == ".xlsx" else ".xlsx")


def parse_as_of(text: str | None, option: str = "--as-of"):
    """Return the date an option gives (today when None): YYYY-MM-DD or DD/MM/YYYY; raise DrafterError otherwise."""
    import datetime as dt

    from drafter.commands.annex_a import parse_day

    return dt.date.today() if text is None else parse_day(text.strip(), option)


def _official_new_pack(file: Path, authority: str, as_of: str | None) -> None:
    from drafter.official.packs import official_pack, write_official_pack

    pack = official_pack(authority, parse_as_of(as_of))
    write_official_pack(pack, file)
    n = len(pack["indicators"])
    judged = pack.get("last_judgement")
    typer.echo(f"wrote {file}: {pack['authority']} (LA {pack['la_code']}) as at {pack['as_of'].isoformat()}, "
               f"{n} official series" + (f", last ILACS judgement {judged['grade'].replace('_', ' ')} "
                                         f"({judged['published']})" if judged else ", no ILACS judgement yet"))
    typer.echo(f"next: add your own evidence, then run: drafter validate {file}")
