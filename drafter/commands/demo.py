"""`drafter demo`: run the main job on every bundled seed pack and write real documents."""

from __future__ import annotations

from pathlib import Path

import typer

from drafter.commands._common import user_errors
from drafter.files import write_atomic
from drafter.paths import seeds_dir


def register(app: typer.Typer) -> None:
    app.command(
        "demo",
        help=(
            "Run drafter on every bundled example pack in seeds/: for each, write the letter with "
            "provenance comments (DOCX), the clean copy, its Markdown and HTML, the board briefing and the "
            "`explain` output; then convert one seed to an Excel workbook and draft from that too. Prints "
            "the paths.\n\nExample: drafter demo --out demo-output"
        ),
    )(user_errors(demo))


def demo(
    out: Path = typer.Option(Path("demo-output"), "--out", help="Folder for the documents written."),
) -> None:
    from drafter.evidence.load import load_pack

    seeds = sorted(seeds_dir().glob("*.yaml"))
    if not seeds:
        typer.echo(f"no seed packs found in {seeds_dir()}", err=True)
        raise typer.Exit(2)
    for path in seeds:
        written = write_seed_outputs(path, out)
        typer.echo(f"{path.name}:")
        for item in written:
            typer.echo(f"  {item}")
    from drafter.evidence.write import write_pack

    workbook = out / f"{seeds[-1].stem}.xlsx"
    write_pack(load_pack(seeds[-1]), workbook)
    typer.echo(f"{seeds[-1].name} as a workbook:")
    typer.echo(f"  {workbook}")
    for item in write_seed_outputs(workbook, out, stem=f"{workbook.stem}-from-xlsx", explain=False):
        typer.echo(f"  {item}")
    typer.echo(f"done: {len(seeds)} packs drafted into {out}/")


def write_seed_outputs(path: Path, out: Path, stem: str | None = None, explain: bool = True) -> list[Path]:
    """Return the files written for one pack: letter (with comments and clean), Markdown, HTML, briefing,
    and the explain output."""
    from drafter.commands.rules import render_explanation
    from drafter.drafting import draft_briefing, draft_letter  # the drafting stack loads only when drafting
    from drafter.evidence.load import load_pack
    from drafter.pipeline import assess

    evidence = load_pack(path)
    assessment = assess(evidence)
    draft = draft_letter(assessment)
    briefing = draft_briefing(assessment)
    stem = stem or path.stem
    outputs = {
        out / f"{stem}-letter.docx": draft.to_bytes("docx", comments=True),
        out / f"{stem}-letter-clean.docx": draft.to_bytes("docx", comments=False),
        out / f"{stem}-letter.md": draft.to_bytes("md"),
        out / f"{stem}-letter.html": draft.to_bytes("html"),
        out / f"{stem}-briefing.docx": briefing.to_bytes("docx", comments=True),
    }
    if explain:
        outputs[out / f"{stem}-explain.txt"] = (render_explanation(assessment) + "\n").encode("utf-8")
    for target, data in outputs.items():
        write_atomic(target, data)
    return list(outputs)
