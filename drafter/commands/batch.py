"""`drafter batch`: draft many packs in parallel with a progress display and a summary."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.errors import DrafterError, Problem


def register(app: typer.Typer) -> None:
    app.command(
        "batch",
        help=(
            "Draft letters and/or briefings for many packs in parallel processes. A progress bar shows on "
            "a terminal, plain lines otherwise. A bad pack is reported and skipped; the rest are still "
            "drafted. Exit status 0 when every pack drafted, 2 when any failed.\n\n"
            "Example: drafter batch packs/*.yaml --out drafts --jobs 2 --what letter,briefing"
        ),
    )(user_errors(batch))


def batch(
    packs: list[Path] = typer.Argument(..., help="Evidence packs to draft."),
    out: Path = typer.Option(..., "--out", help="Folder for the drafted documents."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Parallel processes (default: one per CPU)."),
    what: str = typer.Option("letter", "--what", help="Comma-separated: letter, briefing."),
) -> None:
    from drafter.batch import WHAT, run_batch

    kinds = tuple(k.strip() for k in what.split(",") if k.strip())
    unknown = [k for k in kinds if k not in WHAT]
    if not kinds or unknown:
        raise DrafterError(Problem(f"unknown document kind {', '.join(unknown) or what!r}", expected="letter, briefing",
                                   hint="e.g. --what letter,briefing"))
    if out.exists() and not out.is_dir():
        raise DrafterError(Problem(f"{out} exists and is not a folder", path=str(out), hint="give a folder for --out"))
    out.mkdir(parents=True, exist_ok=True)
    if sys.stderr.isatty():
        summary = _with_progress_bar(packs, out, kinds, jobs)
    else:
        summary = run_batch(packs, out, kinds, jobs or None, on_result=_plain_line)
    for failure in summary.failed:
        typer.echo(f"failed: {failure.pack}\n{failure.error}", err=True)
    typer.echo(summary.line())
    if summary.failed:
        raise typer.Exit(2)


def _plain_line(result, done: int, total: int) -> None:
    status = "ok" if result.ok else "FAILED"
    typer.echo(f"[{done}/{total}] {status} {result.pack} ({result.seconds:.2f} s, {result.cpu:.2f} s CPU)", err=True)


def _with_progress_bar(packs: list[Path], out: Path, kinds: tuple[str, ...], jobs: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from drafter.batch import run_batch

    with Progress(TextColumn("drafting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[last]}"), transient=False) as progress:
        task = progress.add_task("packs", total=len(packs), last="")

        def advance(result, done: int, total: int) -> None:
            progress.update(task, completed=done, last=("" if result.ok else "failed: ") + Path(result.pack).name)

        return run_batch(packs, out, kinds, jobs or None, on_result=advance)
