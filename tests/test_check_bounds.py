"""`drafter check` on drafts of any shape: linear reading, sentences read in pieces, and clear refusals.

Time budgets here are generous (a busy CI machine must not flake them); benchmarks/bench_check.py
gives the real figures.
"""

from __future__ import annotations

import json
import time

import pytest

from drafter.check.claims import extract_claims

MB = 1_000_000
BUDGET_1MB = 10.0  # seconds; measured here at about 1.3 s of CPU for a megabyte of prose


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


PROSE = (
    "Caseloads have continued to reduce, and most social workers now hold a manageable number of children. "
    "However, not all care leavers have a pathway plan written in good time, and some wait longer than they should.\n\n"
)
SHAPES = {
    "prose": PROSE,
    "one line of prose": PROSE.replace("\n", " "),
    "no punctuation": "the social workers visit children regularly and plans are reviewed ",
    "all trend words": "caseloads have continued to reduce and most workers remain too high but vacancies rose ",
    "all digits": "1234567890 ",
    "figures": "9 of 12 17% 2022 ",
    "a word a line": "word\n",
    "abbreviations": "e.g. i.e. no. a. b. ",
    "semicolons and contrasts": "plans are good; although drift, but delay; ",
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_megabyte_of_any_shape_is_checked_or_refused_in_time(run, write, shape):
    draft = write("draft.txt", _fill(SHAPES[shape], MB))
    pack = write("pack.yaml", "schema: evidence-pack/1\nauthority: Testshire\nas_of: 2022-03-31\n"
                 "notes: [{topic: caseloads, polarity: negative, text: Caseloads are too high.}]\n")
    started = time.perf_counter()
    result = run("check", draft, "--evidence", pack, "--format", "json")
    elapsed = time.perf_counter() - started
    assert elapsed < BUDGET_1MB, f"{shape}: {elapsed:.1f} s"
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert "too many sentences" in result.output or "too long" in result.output, result.output
    else:
        assert result.exit_code in (0, 1)
        json.loads(result.output)


@pytest.mark.parametrize("markup", ["*a* **b** _c_ ", "- item one is good\n", ">" * 40 + " - * 1. **x**\n",
                                    "&amp; &lt; "])
def test_markdown_is_bounded(run, write, markup):
    pack = write("pack.yaml", "schema: evidence-pack/1\nauthority: Testshire\nas_of: 2022-03-31\n")
    big = write("big.md", _fill(markup, MB))
    started = time.perf_counter()
    result = run("check", big, "--evidence", pack)
    assert result.exit_code == 2 and "too long" in result.output and "Traceback" not in result.output
    assert time.perf_counter() - started < 2.0
    within = write("within.md", _fill(markup, 190_000))
    started = time.perf_counter()
    result = run("check", within, "--evidence", pack)
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.output
    assert time.perf_counter() - started < BUDGET_1MB


def test_reading_one_sentence_is_linear():
    unit = "caseloads have continued to reduce and most workers remain too high but some vacancies increased, "
    extract_claims("warm up")
    timings = []
    for size in (20_000, 160_000):
        started = time.perf_counter()
        extract_claims(_fill(unit, size))
        timings.append(time.perf_counter() - started)
    # Eight times the text: a quadratic reader takes sixty-four times as long; allow for noise.
    assert timings[1] < 24 * timings[0] + 0.5, timings


def test_an_over_long_sentence_is_read_in_pieces_with_a_note(run, write):
    sentence = "Social workers visit children regularly and their plans are reviewed, " * 60
    draft = write("long.md", "# Draft\n\n" + sentence.strip().rstrip(",") + ".\n")
    pack = write("pack.yaml", "schema: evidence-pack/1\nauthority: Testshire\nas_of: 2022-03-31\n")
    result = run("check", draft, "--evidence", pack, "--format", "json", "--claims")
    record = json.loads(result.output)
    assert record["notes"] and "read in pieces of at most 1,000 characters" in record["notes"][0]
    assert record["notes"][0].startswith("3:1:")
    assert len(record["claims"]) >= 4 and all(len(c["text"]) <= 1000 for c in record["claims"])
    text = run("check", draft, "--evidence", pack)
    assert "long.md:3:1: note: a sentence of" in text.output


def test_a_draft_of_too_many_sentences_is_refused(run, write):
    draft = write("many.txt", "Plans are clear. " * 20_001)
    pack = write("pack.yaml", "schema: evidence-pack/1\nauthority: Testshire\nas_of: 2022-03-31\n")
    result = run("check", draft, "--evidence", pack)
    assert result.exit_code == 2
    assert "too many sentences" in result.output and "20,000" in result.output and "Traceback" not in result.output
