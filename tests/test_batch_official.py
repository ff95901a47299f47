"""`drafter batch --authorities`: official packs built in memory and drafted, for a list or all 153 authorities."""

from __future__ import annotations

import re

import docx


def test_batch_drafts_official_packs_for_a_list(run, tmp_path):
    out = tmp_path / "drafts"
    result = run("batch", "--authorities", "Middlesbrough, 302,West Northamptonshire", "--as-of", "2025-06-30",
                 "--out", out, "--what", "letter,briefing", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "drafted 3, failed 0" in result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == ["302-barnet-briefing.docx", "302-barnet-letter.docx", "806-middlesbrough-briefing.docx",
                     "806-middlesbrough-letter.docx", "941-west-northamptonshire-briefing.docx",
                     "941-west-northamptonshire-letter.docx"]
    assert ("One authority reports workforce figures jointly with a neighbour" in result.output
            and "(North Northamptonshire and West Northamptonshire)" in result.output)
    briefing = docx.Document(str(out / "806-middlesbrough-briefing.docx"))
    header = [c.text for c in briefing.tables[0].rows[0].cells]
    assert header[-3:] == ["England", "North East", "Statistical neighbours"]
    cells = " ".join(c.text for row in briefing.tables[0].rows[1:] for c in row.cells)
    assert "(2023 to 2024)" in cells and "(30 Sept 2024)" in cells  # a table abbreviates its months
    assert not re.search(r"2024 to 2025|30 Sept(ember)? 2025", cells)  # not yet published at 30 June 2025


def test_batch_authorities_mistakes_are_usage_errors(run, tmp_path):
    unknown = run("batch", "--authorities", "Leeds,Middlesborough", "--as-of", "2025-06-30", "--out", tmp_path)
    assert unknown.exit_code == 2 and "did you mean 'Middlesbrough'" in unknown.output
    lone = run("batch", "--as-of", "2025-06-30", "--out", tmp_path)
    assert lone.exit_code == 2 and "--as-of needs --authorities" in lone.output
    empty = run("batch", "--out", tmp_path)
    assert empty.exit_code == 2 and "no packs to draft" in empty.output


def test_the_national_batch_drafts_every_authority(run, tmp_path):
    out = tmp_path / "national"
    result = run("batch", "--authorities", "all", "--as-of", "2025-06-30", "--out", out, "--what", "letter",
                 "--jobs", "2")
    assert result.exit_code == 0, result.output
    drafted = int(re.search(r"drafted (\d+), failed 0", result.output).group(1))
    assert drafted == 153 and len(list(out.glob("*-letter.docx"))) == 153
    assert ("Four authorities report workforce figures jointly with a neighbour" in result.output
            and "Kingston upon Thames and Richmond upon Thames" in result.output)
