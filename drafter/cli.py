"""The `drafter` command line: one typer app; each command family lives in drafter/commands/."""

from __future__ import annotations

import sys

import typer

from drafter.commands import COMMAND_MODULES
from drafter.errors import DrafterError

app = typer.Typer(
    name="drafter",
    help=(
        "Draft Ofsted-style documents about a council's children's social care services from an "
        "evidence pack, and check that a draft's wording matches the evidence.\n\n"
        "Example: drafter validate seeds/*.yaml"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)



def _print_version(value: bool) -> None:
    """Print drafter's version (from the installed package's metadata) and exit."""
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("drafter")
        except PackageNotFoundError:
            number = "unknown (not installed as a package)"
        typer.echo(f"drafter {number}")
        raise typer.Exit()


@app.callback()
def _options(
    show_version: bool = typer.Option(False, "--version", help="Print drafter's version and exit.",
                                      callback=_print_version, is_eager=True),
) -> None:
    pass


for module in COMMAND_MODULES:
    module.register(app)


def main() -> None:
    """Run the CLI; a user's mistake prints a located message and exits 2, never a traceback."""
    try:
        app(standalone_mode=True)
    except DrafterError as exc:
        typer.echo(exc.render(), err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
