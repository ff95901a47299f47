"""The `drafter` command line: one typer app; each command family lives in drafter/commands/.

Start-up is kept fast (`drafter --help` in well under 100 ms). Help is plain text from typer's
own click formatter (`rich_markup_mode=None`, which sub-apps inherit; every group is
commands/_help.QuickGroup), so neither rich nor pydantic is imported; and command modules
import nothing heavy (pydantic models, loaders, matplotlib, python-docx, openpyxl) at
module level, only inside the command functions that need it. tests/test_startup.py checks
this for every command found on the app.
"""

from __future__ import annotations

import sys

import typer

from drafter.commands import COMMAND_MODULES
from drafter.commands._help import QuickGroup
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
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    cls=QuickGroup,  # sub-apps pass it too (commands/rules.py): see QuickGroup
    rich_markup_mode=None,  # plain help and usage errors: importing rich costs about 150 ms at start-up
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
    import gc

    gc.set_threshold(50_000, 20, 100)  # a short run whose objects mostly live to the end: collect less (~40 ms)
    _handle_signals()
    try:
        app(standalone_mode=True)
    except DrafterError as exc:
        typer.echo(exc.render(), err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - last resort: a bug still must not print a traceback
        from drafter.commands._common import interrupted
        from drafter.errors import safe_text

        if interrupted(exc):
            typer.echo("interrupted", err=True)
            sys.exit(130)
        typer.echo(f"drafter: internal error ({type(exc).__name__}: {safe_text(str(exc), 300)}); nothing was "
                   "written. Please report it with the command you ran.", err=True)
        sys.exit(70)
    finally:
        gc.freeze()  # the process ends here: the final collection need not scan what it made (about 50 ms)


def _handle_signals() -> None:
    """Let Ctrl-C interrupt even where the shell started drafter ignoring it; SIGTERM exits cleanly (143)."""
    import signal

    def terminate(signum: int, frame: object) -> None:
        raise SystemExit(143)

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, terminate)
    except (ValueError, OSError):  # not the main thread, or a platform without these signals
        pass


if __name__ == "__main__":
    main()
