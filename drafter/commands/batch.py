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
            "With --authorities (all, or a comma-separated list of names, LA numbers or ONS codes) and --as-of, "
            "each authority's pack is built in memory from DfE's official statistics as released by that date "
            "(see `drafter new-pack --authority`) and drafted.\n\n"
            "Example: drafter batch packs/*.yaml --out drafts --jobs 2 --what letter,briefing\n\n"
            "Example: drafter batch --authorities all --as-of 2025-06-30 --out national --what letter"
        ),
    )(user_errors(batch))


def batch(
    packs: list[Path] = typer.Argument(None, help="Evidence packs to draft.", show_default=False),
    out: Path = typer.Option(..., "--out", help="Folder for the drafted documents."),
    jobs: int = typer.Option(0, "--jobs", "-j", min=0, help="Parallel processes (default: one per CPU)."),
    what: str = typer.Option("letter", "--what", help="Comma-separated: letter, briefing."),
    authorities: str = typer.Option(None, "--authorities", help="Draft official packs: 'all' (the 153 "
                                    "authorities) or names, LA numbers or ONS codes separated by commas."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="With --authorities: the packs' date, "
                              "YYYY-MM-DD (default today)."),
) -> None:
    from drafter.batch import WHAT, run_batch

    kinds = tuple(k.strip() for k in what.split(",") if k.strip())
    unknown = [k for k in kinds if k not in WHAT]
    if not kinds or unknown:
        raise DrafterError(Problem(f"unknown document kind {', '.join(unknown) or what!r}", expected="letter, briefing",
                                   hint="e.g. --what letter,briefing"))
    if out.exists() and not out.is_dir():
        raise DrafterError(Problem(f"{out} exists and is not a folder", path=str(out), hint="give a folder for --out"))
    packs = list(packs or [])
    notes: list[str] = []
    if authorities is not None:
        official, notes = _official_packs(authorities, as_of)
        packs += official
    elif as_of is not None:
        raise DrafterError(Problem("--as-of needs --authorities", hint="e.g. --authorities all --as-of 2025-06-30"))
    if not packs:
        raise DrafterError(Problem("no packs to draft", expected="PACK files, or --authorities all --as-of DATE",
                                   hint="e.g. drafter batch seeds/*.yaml --out drafts"))
    out.mkdir(parents=True, exist_ok=True)
    if sys.stderr.isatty():
        summary = _with_progress_bar(packs, out, kinds, jobs)
    else:
        summary = run_batch(packs, out, kinds, jobs or None, on_result=_plain_line)
    for failure in summary.failed:
        typer.echo(f"failed: {failure.pack}\n{failure.error}", err=True)
    typer.echo(summary.line())
    for note in notes:
        typer.echo(note)
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


def _official_packs(authorities: str, as_of: str | None):
    """Return the official packs to draft and notes for the summary (authorities DfE reports jointly)."""
    from drafter.batch import OfficialPack
    from drafter.commands.packs import parse_as_of
    from drafter.official.authorities import current_authorities, find_authority
    from drafter.official.dataset import load_dataset
    from drafter.vocab import wording

    day = parse_as_of(as_of).isoformat()
    if authorities.strip().lower() == "all":
        chosen = current_authorities()
    else:
        chosen = list({a.code: a for a in (find_authority(q) for q in authorities.split(",") if q.strip())}.values())
    dataset = load_dataset()
    pairs = sorted({dataset.joint[a.code] for a in chosen if a.code in dataset.joint})
    notes = []
    if pairs:
        count = sum(1 for a in chosen if a.code in dataset.joint)
        named = "; ".join(wording.join_words([dataset.authorities[c.strip()].display for c in pair.split("/")])
                          for pair in pairs)
        verb = "reports" if count == 1 else "report"
        notes.append(f"{wording.count_of(count, 'authority').capitalize()} {verb} workforce "
                     f"figures jointly with a neighbour: DfE publishes one row for each pair, and the packs carry "
                     f"the pair's figures ({named})")
    return [OfficialPack(a.code, a.display, day) for a in chosen], notes
