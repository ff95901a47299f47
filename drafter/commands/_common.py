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
        try:
            return fn(*args, **kwargs)
        except DrafterError as exc:
            typer.echo(exc.render(), err=True)
            raise typer.Exit(2) from None

    return wrapper


def output_format(fmt: str | None, out: Path | None) -> str:
    """Return the output format: --format, else the output file's extension, else docx."""
    chosen = (fmt or (out.suffix.lstrip(".") if out is not None and out.suffix else "docx")).lower()
    if chosen not in FORMATS:
        raise DrafterError(Problem(f"unknown format {chosen!r}", expected=", ".join(FORMATS),
                                   hint="use --format docx, md or html"))
    return chosen
