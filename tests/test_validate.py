"""`drafter validate`: valid packs summarise; every kind of mistake is located, explained and exits 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import MINIMAL, SEEDS


def test_seeds_are_valid(run):
    result = run("validate", *SEEDS)
    assert result.exit_code == 0, result.output
    for seed in SEEDS:
        assert f"ok: {seed} (" in result.output
    assert "as of 2022-03-30" in result.output


def test_summary_counts(run, write):
    path = write("p.yaml", MINIMAL)
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"ok: {path} (1 indicator, 0 samples, 0 notes, as of 2022-03-30)"


def test_json_pack_is_read(run, write):
    path = write(
        "p.json",
        json.dumps(
            {
                "schema": "evidence-pack/1",
                "authority": "X",
                "as_of": "2022-03-30",
                "indicators": [{"id": "workforce.agency_rate", "series": {"2022-03": 21.5}}],
                "notes": [{"topic": "workforce", "polarity": "negative", "text": "High agency use."}],
            },
            indent=2,
        ),
    )
    result = run("validate", path)
    assert result.exit_code == 0, result.output
    assert "1 indicator, 0 samples, 1 note" in result.output


BAD = {
    # name: (file name, content, expected location, expected fragments)
    "yaml_syntax": (
        "p.yaml",
        "schema: evidence-pack/1\nauthority: [Testshire\n",
        ":3:1:",
        ["YAML syntax error", "hint:"],
    ),
    "empty": ("p.yaml", "", ":1:1:", ["the file is empty", "hint:"]),
    "blank": ("p.yaml", "\n\n   \n", ":1:1:", ["the file is empty"]),
    "non_utf8": (
        "p.yaml",
        b"schema: evidence-pack/1\nauthority: Caf\xe9\n",
        ":2:15:",
        ["not UTF-8", "byte 0xe9", "hint:"],
    ),
    "binary": ("p.yaml", b"PK\x03\x04\x00\x00binary", ":1:", ["binary data", "hint:"]),
    "unknown_top_key": (
        "p.yaml",
        MINIMAL + "indicator:\n  - id: x\n",
        ":7:1:",
        ["unknown key 'indicator'", "did you mean 'indicators'"],
    ),
    "unknown_indicator": (
        "p.yaml",
        MINIMAL.replace("caseload.average", "caseload.averge"),
        ":5:9:",
        ["unknown indicator id 'caseload.averge'", "did you mean 'caseload.average'"],
    ),
    "non_numeric": (
        "p.yaml",
        MINIMAL.replace("17.6", "seventeen"),
        ":6:",
        ["needs a number", "'seventeen'", "without units"],
    ),
    "percent_over": (
        "p.yaml",
        MINIMAL.replace("caseload.average", "workforce.agency_rate").replace("17.6", "117.6"),
        ":6:",
        ["between 0 and 100", "117.6"],
    ),
    "percent_under": (
        "p.yaml",
        MINIMAL.replace("caseload.average", "workforce.agency_rate").replace("17.6", "-4"),
        ":6:",
        ["between 0 and 100", "-4"],
    ),
    "negative_count": (
        "p.yaml",
        MINIMAL.replace("caseload.average", "placements.unregistered_count").replace("19.2", "2").replace("17.6", "-3"),
        ":6:",
        ["cannot be negative"],
    ),
    "out_of_range": ("p.yaml", MINIMAL.replace("17.6", "176"), ":6:", ["outside the plausible range", "0 to 80"]),
    "bad_period": ("p.yaml", MINIMAL.replace("2021-09", "2021-Q5"), ":6:14:", ["unparseable period", "YYYY-Qn"]),
    "impossible_date": (
        "p.yaml",
        MINIMAL.replace("2021-09", "2021-02-30"),
        ":6:14:",
        ["unparseable period", "not a real date"],
    ),
    "duplicate_period": ("p.yaml", MINIMAL.replace("2021-09: 19.2", "2022-03: 19.2"), ":6:", ["appears twice"]),
    "duplicate_period_spelled_differently": (
        "p.yaml",
        MINIMAL.replace("2021-09: 19.2", "2022-3: 19.2"),
        ":6:",
        ["2022-03 appears twice"],
    ),
    "seen_over_of": (
        "p.yaml",
        MINIMAL + "samples:\n  - {feature: permanence.parallel_planning, seen: 13, of: 12}\n",
        ":8:",
        ["`seen` is greater than `of`", "seen 13 of 12"],
    ),
    "of_zero": (
        "p.yaml",
        MINIMAL + "samples:\n  - {feature: permanence.parallel_planning, seen: 0, of: 0}\n",
        ":8:",
        ["at least one case"],
    ),
    "unknown_topic": (
        "p.yaml",
        MINIMAL + "notes:\n  - {topic: placement, polarity: negative, text: Too many moves.}\n",
        ":8:13:",
        ["unknown topic 'placement'", "did you mean 'placements'"],
    ),
    "unknown_sample_topic": (
        "p.yaml",
        MINIMAL + "samples:\n  - {feature: permanance.x, seen: 1, of: 2}\n",
        ":8:",
        ["unknown topic 'permanance'", "did you mean"],
    ),
    "unknown_polarity": (
        "p.yaml",
        MINIMAL + "notes:\n  - {topic: placements, polarity: bad, text: Too many moves.}\n",
        ":8:",
        ["unknown polarity 'bad'", "positive, negative or mixed"],
    ),
    "as_of_too_early": (
        "p.yaml",
        MINIMAL.replace("as_of: 2022-03-30", "as_of: 2022-01-31"),
        ":3:8:",
        ["earlier than the latest period 2022-03", "hint:"],
    ),
    "audit_not_whole": (
        "p.yaml",
        MINIMAL + "  - id: audit.ratings\n    series:\n      2022-03: {good: 10.5, inadequate: 3}\n",
        ":9:",
        ["whole numbers", "10.5"],
    ),
    "audit_unknown_grade": (
        "p.yaml",
        MINIMAL + "  - id: audit.ratings\n    series:\n      2022-03: {good: 10, inadequte: 3}\n",
        ":9:",
        ["did you mean 'inadequate'"],
    ),
    "bad_date": ("p.yaml", MINIMAL.replace("as_of: 2022-03-30", "as_of: 30/03/2022"), ":3:8:", ["as_of", "YYYY-MM-DD"]),
    "missing_key": (
        "p.yaml",
        MINIMAL.replace("authority: Testshire\n", ""),
        ":1:1:",
        ["required key 'authority' is missing"],
    ),
    "wrong_schema": (
        "p.yaml",
        MINIMAL.replace("evidence-pack/1", "evidence-pack/9"),
        ":1:9:",
        ["not an evidence-pack/1 file"],
    ),
    "not_a_mapping": ("p.yaml", "- just\n- a list\n", ":1:1:", ["must be a mapping"]),
    "json_syntax": ("p.json", '{"schema": "evidence-pack/1" "authority": "X"}', ":1:30:", ["JSON syntax error"]),
    "json_duplicate": (
        "p.json",
        '{"schema": "evidence-pack/1",\n "schema": "evidence-pack/1"}',
        ":2:",
        ["appears twice"],
    ),
    "wrong_extension": ("p.txt", MINIMAL, "p.txt", ["unsupported file type '.txt'"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_pack_is_located_and_explained(case, run, write):
    name, content, where, fragments = BAD[case]
    path = write(name, content)
    result = run("validate", path)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"{path}{where}" in result.output or where in result.output, result.output
    for fragment in fragments:
        assert fragment in result.output, (fragment, result.output)


def test_missing_file(run, tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "no such file" in result.output and "hint:" in result.output


def test_directory(run, tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 2
    assert "is a directory" in result.output and "hint:" in result.output


def test_every_problem_reported_in_one_pass(run, write):
    text = MINIMAL.replace("caseload.average", "caseload.averge") + (
        "notes:\n  - {topic: placement, polarity: bad, text: x}\n"
    )
    result = run("validate", write("p.yaml", text))
    assert result.exit_code == 2
    assert result.output.count(": error: ") == 3, result.output


def test_mixed_valid_and_invalid_exit_2(run, write):
    good = write("good.yaml", MINIMAL)
    bad = write("bad.yaml", "")
    result = run("validate", good, bad)
    assert result.exit_code == 2
    assert f"ok: {good}" in result.output


def test_installed_entry_point_has_no_traceback(write):
    bad = write("bad.yaml", MINIMAL.replace("17.6", "'17%'"))
    proc = subprocess.run(
        [sys.executable, "-m", "drafter.cli", "validate", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "needs a number" in proc.stderr
