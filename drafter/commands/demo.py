"""`drafter demo`: run the main job on every bundled seed pack and write real documents."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.commands.rules import render_explanation
from drafter.drafting import draft_letter
from drafter.evidence.load import load_pack
from drafter.files import write_atomic
from drafter.paths import seeds_dir
from drafter.pipeline import assess


def register(app: typer.Typer) -> None:
    app.command(
        "demo",
        help=(
            "Run drafter on every bundled example pack in seeds/: for each, write the letter with "
            "provenance comments (DOCX), the clean copy, its Markdown and HTML, and the `explain` "
            "output, then print the paths.\n\nExample: drafter demo --out demo-output"
        ),
    )(user_errors(demo))


def demo(
    out: Path = typer.Option(Path("demo-output"), "--out", help="Folder for the documents written."),
) -> None:
    seeds = sorted(seeds_dir().glob("*.yaml"))
    if not seeds:
        typer.echo(f"no seed packs found in {seeds_dir()}", err=True)
        raise typer.Exit(2)
    for path in seeds:
        written = write_seed_outputs(path, out)
        typer.echo(f"{path.name}:")
        for item in written:
            typer.echo(f"  {item}")
    typer.echo(f"done: {len(seeds)} packs drafted into {out}/")


def write_seed_outputs(path: Path, out: Path) -> list[Path]:
    """Return the files written for one pack: letter (with comments and clean), Markdown, HTML, explain."""
    evidence = load_pack(path)
    assessment = assess(evidence)
    draft = draft_letter(assessment)
    stem = path.stem
    outputs = {
        out / f"{stem}-letter.docx": draft.to_bytes("docx", comments=True),
        out / f"{stem}-letter-clean.docx": draft.to_bytes("docx", comments=False),
        out / f"{stem}-letter.md": draft.to_bytes("md"),
        out / f"{stem}-letter.html": draft.to_bytes("html"),
        out / f"{stem}-explain.txt": (render_explanation(assessment) + "\n").encode("utf-8"),
    }
    for target, data in outputs.items():
        write_atomic(target, data)
    return list(outputs)
