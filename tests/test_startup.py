"""`drafter --help` stays fast: no help path imports a heavy library, and help keeps its content."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

# Libraries that cost tens of milliseconds each to import; command modules import them inside the
# command functions that need them, never at module level (see drafter/cli.py).
HEAVY = ("pydantic", "pydantic_core", "rich", "matplotlib", "numpy", "PIL", "docx", "lxml", "openpyxl",
         "ruamel", "jinja2")

# Runs in a fresh interpreter: finds every command and group on the app, runs each one's --help in
# turn, and records which heavy modules each call imported first (so a failure names the command).
_PROBE = textwrap.dedent(
    """
    import io, json, sys
    import typer.main
    from drafter.cli import app

    heavy = tuple(sys.argv[1].split(","))

    def loaded():
        return sorted({m.split(".")[0] for m in sys.modules} & set(heavy))

    paths = [[]]
    def walk(group, prefix):
        for name in sorted(getattr(group, "commands", {})):
            sub = group.commands[name]
            if not sub.hidden:
                paths.append(prefix + [name])
                walk(sub, prefix + [name])
    command = typer.main.get_command(app)
    walk(command, [])
    report = {"at_import": loaded(), "runs": []}
    for path in paths:
        before = set(loaded())
        out, sys.stdout = sys.stdout, io.StringIO()
        try:
            command.main(args=path + ["--help"], prog_name="drafter", standalone_mode=False)
        except SystemExit:
            pass
        text, sys.stdout = sys.stdout.getvalue(), out
        report["runs"].append({"path": path, "new": sorted(set(loaded()) - before), "help": text})
    print(json.dumps(report))
    """
)


@pytest.fixture(scope="module")
def probe() -> dict:
    """Return the probe's report: heavy modules imported by `import drafter.cli` and by each --help."""
    env = {**os.environ, "COLUMNS": "60"}
    done = subprocess.run([sys.executable, "-c", _PROBE, ",".join(HEAVY)], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_importing_the_cli_imports_no_heavy_library(probe):
    assert probe["at_import"] == [], "drafter.cli imports " + ", ".join(probe["at_import"])


def test_the_commands_are_found_on_the_app(probe):
    paths = [tuple(run["path"]) for run in probe["runs"]]
    assert () in paths and ("letter",) in paths and ("rules", "test") in paths and ("new-pack",) in paths
    assert len(paths) >= 12


def test_no_help_imports_a_heavy_library(probe):
    offenders = {" ".join(["drafter", *run["path"], "--help"]): run["new"] for run in probe["runs"] if run["new"]}
    assert not offenders, (
        f"--help imported heavy libraries: {offenders}; import them inside the command function "
        "(and give a new typer.Typer group cls=QuickGroup from drafter/commands/_help.py)"
    )


def test_every_help_has_its_usage_and_an_example_on_one_line(probe):
    for run in probe["runs"]:
        words = " ".join(["drafter", *run["path"]])
        lines = [line.strip() for line in run["help"].splitlines()]
        assert any(line.startswith(f"Usage: {words}") for line in lines), run["help"]
        examples = [line for line in lines if line.startswith("Example: ")]
        assert examples and examples[0].startswith(f"Example: {words}"), run["help"]
        # Unwrapped even at 60 columns: the line after an example is blank or a heading.
        following = lines[lines.index(examples[0]) + 1]
        assert following == "" or following.endswith(":"), run["help"]


def test_help_is_plain_text_with_whole_command_summaries(run):
    result = run("--help")
    assert result.exit_code == 0
    assert "╭" not in result.output and "\x1b[" not in result.output
    # The command list gives each command's whole first paragraph, not a clipped one.
    assert "what was expected and a hint." in " ".join(result.output.split())
    assert "..." not in result.output.split("Commands:")[1]


def test_subcommand_help_keeps_the_option_docs(run):
    result = run("letter", "--help")
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    for words in ("--reference-docx", "A DOCX whose styles to use (your branding).", "--no-comments",
                  "Example: drafter letter seeds/2022-03-third-monitoring-visit.yaml -o letter.docx"):
        assert words in text


def test_a_usage_error_is_plain_and_exits_2(run):
    result = run("lettr")
    assert result.exit_code == 2
    assert "No such command 'lettr'" in result.output and "╭" not in result.output


def test_the_help_text_names_the_pack_formats_the_writer_accepts():
    from drafter.commands import packs
    from drafter.evidence.write import FORMAT_WORDS

    assert packs.FORMAT_WORDS == FORMAT_WORDS
