"""Helpers shared by command modules: error handling at the CLI boundary."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from drafter.errors import DrafterError, Problem

# The output formats of `letter` and `briefing` (the keys of drafter.render.WRITERS, which a test
# keeps in step); named here so that the CLI starts without importing the writers.
FORMATS = ("docx", "md", "html")


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Return `fn` wrapped so a DrafterError prints its located message and exits 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from drafter.files import start_run

        start_run()  # outputs are checked against the files this command reads
        try:
            return fn(*args, **kwargs)
        except DrafterError as exc:
            typer.echo(exc.render(), err=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            typer.echo("interrupted: stopped before finishing; files already written are complete, "
                       "no partial file was left", err=True)
            raise typer.Exit(130) from None
        except OSError as exc:  # a path the file system refuses (a name too long, a loop of links...)
            problem = Problem(f"cannot use this path: {exc.strerror or exc}", path=str(exc.filename or ""),
                              hint="check the file or folder name")
            typer.echo(problem.render(), err=True)
            raise typer.Exit(2) from None
        except RecursionError:
            typer.echo("error: an input is nested too deeply to read (a rule, template or file that refers to "
                       "itself?)", err=True)
            raise typer.Exit(2) from None
        except MemoryError:
            typer.echo("error: an input needs more memory than drafter allows; check its size", err=True)
            raise typer.Exit(2) from None

    return wrapper


def output_format(fmt: str | None, out: Path | None) -> str:
    """Return the output format: --format, else the output file's extension, else docx."""
    chosen = (fmt or (out.suffix.lstrip(".") if out is not None and out.suffix else "docx")).lower()
    if chosen not in FORMATS:
        raise DrafterError(Problem(f"unknown format {chosen!r}", expected=", ".join(FORMATS),
                                   hint="use --format docx, md or html"))
    return chosen
