"""CLI manners: --version, `-o -` to standard output, names that disagree with --format, unknown option values."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from importlib.metadata import version

import docx
import pytest

from tests.conftest import ROOT

MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
DRAFT = ROOT / "tests" / "data" / "drafts"
DRAFTER = [sys.executable, "-m", "drafter.cli"]


def test_version_comes_from_the_package_metadata(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"drafter {version('drafter')}"


@pytest.mark.parametrize("command,fmt,start", [
    ("letter", "md", "20 April 2022\n"), ("letter", "html", "<!DOCTYPE html>"), ("briefing", "html", "<!DOCTYPE html>"),
    ("briefing", "md", "# "),
])
def test_dash_writes_text_formats_to_standard_output(run, tmp_path, monkeypatch, command, fmt, start):
    monkeypatch.chdir(tmp_path)
    pack = MV3 if command == "letter" else ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"
    result = run(command, pack, "-o", "-", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(start) and len(result.stdout) > 500, result.stdout[:80]
    assert "wrote" not in result.stdout and not (tmp_path / "-").exists() and not list(tmp_path.iterdir())


def test_dash_docx_goes_down_a_pipe_but_never_to_a_terminal(tmp_path):
    piped = subprocess.run([*DRAFTER, "letter", str(MV3), "-o", "-"], capture_output=True, timeout=120, cwd=tmp_path)
    assert piped.returncode == 0, piped.stderr.decode()
    assert len(docx.Document(io.BytesIO(piped.stdout)).comments) > 10
    leader, follower = pty.openpty()
    try:
        terminal = subprocess.run([*DRAFTER, "letter", str(MV3), "-o", "-"], stdout=follower, stderr=subprocess.PIPE,
                                  timeout=120, cwd=tmp_path)
    finally:
        os.close(follower)
        os.close(leader)
    message = terminal.stderr.decode()
    assert terminal.returncode == 2 and "DOCX is a binary file and standard output is a terminal" in message
    assert "Traceback" not in message and "pipe it" in message and not (tmp_path / "-").exists()


@pytest.mark.parametrize("args,expected", [
    (["--format", "docx", "-o", "x.md"], "the output name x.md does not match --format docx"),
    (["--format", "md", "-o", "x.docx"], "the output name x.docx does not match --format md"),
    (["--format", "html", "-o", "x.md"], "the output name x.md does not match --format html"),
    (["-o", "x.txt"], "unknown output format 'txt'"),
    (["--format", "pdf"], "unknown format 'pdf'"),
    (["--format", "md", "--reference-docx", str(ROOT / "templates" / "reference.docx"), "-o", "x.md"],
     "--reference-docx styles DOCX output, but the output is md"),
])
def test_mistakes_in_output_names_and_formats_are_errors(run, tmp_path, monkeypatch, args, expected):
    monkeypatch.chdir(tmp_path)
    result = run("letter", MV3, *args)
    assert result.exit_code == 2 and expected in result.output, result.output
    assert not list(tmp_path.iterdir())  # nothing written


def test_agreeing_names_and_formats_still_work(run, tmp_path):
    for name, fmt in (("a.docx", "docx"), ("b.markdown", "md"), ("c.htm", "html"), ("d.MD", "md")):
        assert run("letter", MV3, "-o", tmp_path / name, "--format", fmt).exit_code == 0, name
    assert (tmp_path / "a.docx").read_bytes()[:2] == b"PK" and (tmp_path / "c.htm").read_text().startswith("<!DOC")


def test_explain_only_refuses_unknown_statuses_and_filters_json(run):
    result = run("explain", MV3, "--only", "fired")
    assert result.exit_code == 2
    assert "unknown --only value" in result.output and "fires, quiet, not_evaluable, error" in result.output
    text = run("explain", MV3, "--only", "not-evaluable,quiet").stdout
    assert "NOT EVALUABLE" in text and "FIRES" not in text.split("ILACS judgements")[0]
    record = json.loads(run("explain", MV3, "--json", "--only", "fires").stdout)
    assert record["outcomes"] and {o["status"] for o in record["outcomes"]} == {"fires"}


def test_check_report_formats_names_and_standard_output(run, tmp_path):
    draft = next(DRAFT.glob("*.md"))
    result = run("check", draft, "--evidence", MV3, "--format", "text", "-o", tmp_path / "r.json")
    assert result.exit_code == 2 and "does not match --format text" in result.output
    result = run("check", draft, "--evidence", MV3, "-o", tmp_path / "r.sarif")
    assert result.exit_code in (0, 1) and json.loads((tmp_path / "r.sarif").read_text())["version"] == "2.1.0"
    result = run("check", draft, "--evidence", MV3, "--format", "json", "-o", "-")
    assert result.exit_code in (0, 1) and json.loads(result.stdout)["schema"] == "drafter-check/1"
    docx_draft = tmp_path / "d.docx"
    assert run("letter", MV3, "-o", docx_draft).exit_code == 0
    result = run("check", docx_draft, "--evidence", MV3, "--annotate", tmp_path / "checked.md")
    assert result.exit_code == 2 and "--annotate writes a DOCX" in result.output


def test_batch_and_rules_lint_refuse_values_that_would_do_nothing(run, tmp_path):
    assert run("batch", MV3, "--out", tmp_path / "o", "--jobs", "-1").exit_code == 2
    assert run("batch", MV3, "--out", tmp_path / "o", "--what", "lettr").exit_code == 2
    result = run("rules", "lint", "CL999")
    assert result.exit_code == 2 and "unknown rule CL999" in result.output
