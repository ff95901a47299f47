"""Helpers shared by command modules: error handling at the CLI boundary, output names and streams."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from drafter.errors import DrafterError, Problem
from drafter.files import write_atomic

# The output formats of `letter` and `briefing` (the keys of drafter.render.WRITERS, which a test
# keeps in step); named here so that the CLI starts without importing the writers.
FORMATS = ("docx", "md", "html")


def user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Return `fn` wrapped so a DrafterError prints its located message and exits 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from drafter.files import start_run

        start_run()  # outputs are checked against the files this command reads
        from drafter.sandbox import reset_total

        reset_total()  # the time budget for rules and templates is per command, not per process
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
        except Exception as exc:
            if not interrupted(exc):
                raise
            typer.echo("interrupted: stopped before finishing; files already written are complete, "
                       "no partial file was left", err=True)
            raise typer.Exit(130) from None

    return wrapper


# File-name extensions that agree with each output format.
EXTENSIONS = {"docx": (".docx",), "md": (".md", ".markdown"), "html": (".html", ".htm")}
# Formats that are text, and so may go to a terminal.
TEXT_FORMATS = ("md", "html", "json", "text", "sarif")
STDOUT = Path("-")


def output_format(fmt: str | None, out: Path | None, extensions: dict[str, tuple[str, ...]] | None = None,
                  default: str = "docx", known_suffixes_only: bool = True) -> str:
    """Return the output format: --format, else the output file's extension, else `default`.

    An output name whose extension belongs to another format than --format is an error that names
    both (`--format docx -o letter.md` would write a DOCX named .md); so is an unknown format, and
    (with `known_suffixes_only`) an extension no format claims. `-o -` (standard output) has no
    extension and takes --format or the default.
    """
    extensions = extensions or EXTENSIONS
    names = ", ".join(extensions)
    suffix = out.suffix.lower() if out is not None and out != STDOUT else ""
    by_suffix = next((f for f, exts in extensions.items() if suffix in exts), None) if suffix else None
    if fmt is None:
        if suffix and by_suffix is None and known_suffixes_only:
            raise DrafterError(Problem(f"unknown output format {suffix.lstrip('.')!r} (from the name {out})",
                                       path=str(out), found=suffix, expected=names,
                                       hint=f"name the output with one of {_suffixes(extensions)}, or give --format"))
        return by_suffix or default
    chosen = fmt.lower()
    if chosen not in extensions:
        raise DrafterError(Problem(f"unknown format {chosen!r}", found=fmt, expected=names,
                                   hint="use --format " + " or ".join(extensions)))
    if suffix and chosen not in _agreeing(suffix, extensions):
        raise DrafterError(Problem(f"the output name {out} does not match --format {chosen}",
                                   path=str(out), found=f"--format {chosen} with a {suffix} file name",
                                   expected=f"a name ending {' or '.join(extensions[chosen])}",
                                   hint=f"name the output {out.with_suffix(extensions[chosen][0]).name}, "
                                        f"or drop --format to write {by_suffix or 'by the name'}"))
    return chosen


def _agreeing(suffix: str, extensions: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Return the formats a file-name extension agrees with (all of them for an extension none claims)."""
    claimed = tuple(f for f, exts in extensions.items() if suffix in exts)
    return claimed or tuple(extensions)


def _suffixes(extensions: dict[str, tuple[str, ...]]) -> str:
    return ", ".join(e for exts in extensions.values() for e in exts)


def is_stdout(out: Path | None) -> bool:
    """Return whether `out` is `-`, standard output."""
    return out is not None and out == STDOUT


def emit(out: Path, data: bytes, fmt: str) -> bool:
    """Write `data` to file `out` atomically, or to standard output for `-`; return whether it went to a file.

    Binary DOCX is refused (DrafterError) when standard output is a terminal; piped, it is written.
    """
    if not is_stdout(out):
        write_atomic(out, data)
        return True
    stream = typer.get_binary_stream("stdout")
    if fmt not in TEXT_FORMATS and _is_terminal():
        raise DrafterError(Problem(f"{fmt.upper()} is a binary file and standard output is a terminal",
                                   path="-", found=f"-o - with --format {fmt}",
                                   expected="a file name, a pipe, or a text format",
                                   hint=f"write to a file (-o letter.{fmt}), pipe it (-o - > letter.{fmt}) "
                                        "or use --format md or html"))
    stream.write(data)
    stream.flush()
    return False


def _is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def echo_notes(notes: list[str]) -> None:
    """Print each note once on standard error, as `note: ...`."""
    for note in dict.fromkeys(notes):
        typer.echo(f"note: {note}", err=True)


def interrupted(exc: BaseException) -> bool:
    """Return whether Ctrl-C caused `exc`: a library may wrap the KeyboardInterrupt (matplotlib's import
    turns one raised in `__set_name__` into a RuntimeError), and the user still asked to stop."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False
