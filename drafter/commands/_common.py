"""Helpers shared by command modules: error handling at the CLI boundary."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer

from drafter.errors import DrafterError

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
