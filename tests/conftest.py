"""Shared fixtures: run the CLI in-process, write small packs, find the seeds."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from drafter.cli import app

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.yaml"))

MINIMAL = """\
schema: evidence-pack/1
authority: Testshire
as_of: 2022-03-30
indicators:
  - id: caseload.average
    series: {2021-09: 19.2, 2022-03: 17.6}
"""


@pytest.fixture(autouse=True)
def no_user_imports(tmp_path_factory, monkeypatch):
    """Keep every test off the user's own imported statistics: an empty data folder per test."""
    monkeypatch.setenv("DRAFTER_DATA", str(tmp_path_factory.mktemp("drafter-data")))


@pytest.fixture
def run():
    """Return a function that runs `drafter ARGS...` and returns the click Result."""
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)

    return _run


@pytest.fixture
def write(tmp_path: Path):
    """Return a function that writes dedented text (or bytes) to tmp_path/name and returns the path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        return path

    return _write
