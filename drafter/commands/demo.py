"""`drafter demo`: run the main job on every bundled seed pack."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.evidence.load import load_pack
from drafter.paths import seeds_dir


def register(app: typer.Typer) -> None:
    app.command(
        "demo",
        help=(
            "Run drafter on every bundled example pack in seeds/: validate each and summarise "
            "its evidence.\n\nExample: drafter demo --out demo-output"
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
        evidence = load_pack(path)
        typer.echo(f"{path.name}: {evidence.pack.authority}, {evidence.summary()}")
