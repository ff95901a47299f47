"""`drafter data import` and `drafter data list`: the official statistics drafter compares with."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.commands._help import QuickGroup

data_app = typer.Typer(
    help=(
        "The official statistics drafter compares with: DfE's figures for every authority, region and "
        "England, bundled and as you import them.\n\n"
        "Example: drafter data import c1_children_in_need_referrals_and_rereferrals_2013_to_2026.csv"
    ),
    no_args_is_help=True,
    cls=QuickGroup,  # a group's --help must not import pydantic (see drafter/commands/_help.py)
)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
    data_app.command(
        "import",
        help=(
            "Read newly published DfE open-data CSV files (the Explore Education Statistics format, as "
            "downloaded) into your data folder ($DRAFTER_DATA, else $XDG_DATA_HOME/drafter/official, else "
            "~/.local/share/drafter/official). From then on drafter uses their years as comparators and in "
            "new packs, without a new release. Suppression markers (x c z u k low .) are missing values, never "
            "zeros. A valid EES file holding none of the measures drafter uses is skipped with a note. Every file is "
            "checked before anything is written: a malformed one is reported as file:line "
            "and nothing already imported is lost. Importing a year again replaces that year.\n\n"
            "Example: drafter data import csww_indicators_2017_to_2026.csv"
        ),
    )(user_errors(import_command))
    data_app.command(
        "list",
        help="List the official measures drafter holds: indicator, publication, years, and where each year came from."
             "\n\nExample: drafter data list",
    )(user_errors(list_command))


def import_command(
    files: list[Path] = typer.Argument(..., help="EES CSV files to import.", show_default=False),
) -> None:
    from drafter.official.store import import_files

    result = import_files(files)
    for line in result.lines():
        typer.echo(f"imported {line}")
    for name in result.skipped:
        typer.echo(f"skipped {name}: it holds none of the measures drafter uses (rules/official_measures.yaml)")
    typer.echo(f"wrote {result.target}")


def list_command() -> None:
    from drafter.official.dataset import load_dataset

    dataset = load_dataset()
    for indicator in sorted(dataset.measures):
        years = dataset.years(indicator)
        if not years:
            continue
        publication = dataset.publications[dataset.measures[indicator]["publication"]]["name"]
        imported = [y for y in years if "imported" in dataset.source_of(indicator, y)]
        extra = f"; imported: {', '.join(map(str, imported))}" if imported else ""
        typer.echo(f"{indicator}: DfE {publication}, {years[0]} to {years[-1]}{extra}")
    for name in dataset.imported:
        typer.echo(f"import: {name}")
