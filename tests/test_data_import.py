"""`drafter data import`: small hand-written EES files with a BOM, reordered columns, quoted commas and suppression."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from drafter.evidence.load import evidence_from_source
from drafter.official.comparators import resolve
from drafter.official.dataset import load_dataset
from drafter.official.packs import official_pack
from drafter.yamlsrc import Source
from tests.open_data import OPEN_DATA, needs_open_data

# A future census (2026) for England, the North East and two authorities; columns in another order
# than DfE's, a quoted name with a comma, and suppression markers.
CSWW_2026 = (
    "\ufefftime_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "old_la_code,la_name,new_la_code,caseload_fte,turnover_rate_fte,agency_rate_fte,vacancy_rate_fte\n"
    "2026,Reporting year,National,E92000001,England,,,,,,14.8,11.1,12.5,13.9\n"
    "2026,Reporting year,Regional,E92000001,England,E12000001,North East,,,,16.1,10.9,7.7,8.8\n"
    "2026,Reporting year,Local authority,E92000001,England,E12000001,North East,806,Middlesbrough,E06000002,"
    "15.1,x,c,low\n"
    '2026,Reporting year,Local authority,E92000001,England,E12000009,South West,801,"Bristol, City of",'
    "E06000023,17.3,12.0,z,.\n"
)
# A new children in need year in the academic-year form (202526 = the year to 31 March 2026).
C1_2026 = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
    "new_la_code,la_name,old_la_code,category,rereferral_percent\n"
    "202526,Financial year,National,E92000001,England,,,,,,Referrals and Re-referrals,21.9\n"
    "202526,Financial year,Local authority,E92000001,England,E12000001,North East,E06000002,Middlesbrough,806,"
    "Referrals and Re-referrals,24.0\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def imported_file() -> Path:
    return Path(os.environ["DRAFTER_DATA"]) / "imported.json"


def test_import_makes_a_new_year_available_and_keeps_suppressed_cells_missing(run, tmp_path):
    csww = write(tmp_path, "csww_indicators_2017_to_2026.csv", CSWW_2026)
    result = run("data", "import", csww)
    assert result.exit_code == 0, result.output
    assert "csww_indicators_2017_to_2026.csv: caseload.average 2026 (1 year)" in result.output
    dataset = load_dataset()
    assert dataset.value("caseload.average", 2026, "806") == 15.1
    assert dataset.value("caseload.average", 2026, "801") == 17.3  # the quoted name with a comma parsed
    for indicator in ("workforce.turnover_rate", "workforce.agency_rate", "workforce.vacancy_rate"):
        assert dataset.value(indicator, 2026, "806") is None  # x, c and low are missing, never 0
    assert dataset.value("caseload.average", 2025, "england") == 15.2  # bundled years stay
    # the new census is out from the end of February 2027 and is then the comparator
    pack = official_pack("Middlesbrough", dt.date(2027, 3, 1))
    caseload = next(i for i in pack["indicators"] if i["id"] == "caseload.average")
    assert caseload["series"]["2026-09"] == 15.1
    assert "2026-09" not in next(i for i in official_pack("806", dt.date(2027, 2, 27))["indicators"]
                                 if i["id"] == "caseload.average")["series"]
    evidence = evidence_from_source(Source(path="<t>", data=pack))
    england = resolve(evidence, "caseload.average", "england")
    assert (england.value, england.when, england.published) == (14.8, "at 30 September 2026", "2027-02")
    listed = run("data", "list")
    assert "caseload.average: DfE Children's social work workforce, 2016 to 2026; imported: 2026" in listed.output


def test_academic_year_periods_and_a_second_import_keep_the_first(run, tmp_path):
    assert run("data", "import", write(tmp_path, "csww_indicators_2017_to_2026.csv", CSWW_2026)).exit_code == 0
    result = run("data", "import", write(tmp_path, "c1_children_in_need_referrals_and_rereferrals.csv", C1_2026))
    assert result.exit_code == 0, result.output
    dataset = load_dataset()
    assert dataset.value("referrals.rereferral_rate", 2026, "806") == 24.0
    assert dataset.value("caseload.average", 2026, "806") == 15.1
    assert [f["name"] for f in json.loads(imported_file().read_text())["files"]] == [
        "c1_children_in_need_referrals_and_rereferrals.csv", "csww_indicators_2017_to_2026.csv"]


def test_a_malformed_file_is_reported_at_its_line_and_nothing_is_lost(run, tmp_path):
    assert run("data", "import", write(tmp_path, "csww_indicators_2017_to_2026.csv", CSWW_2026)).exit_code == 0
    before = imported_file().read_bytes()
    bad_value = CSWW_2026.replace("15.1,x,c,low", "15.1,x,c,12%")
    good = write(tmp_path, "c1_children_in_need_referrals_and_rereferrals.csv", C1_2026)
    result = run("data", "import", good, write(tmp_path, "csww_bad.csv", bad_value))
    assert result.exit_code == 2
    assert "csww_bad.csv:4: error: vacancy_rate_fte is not a number" in result.output
    assert "found:    '12%'" in result.output and "hint:" in result.output
    assert imported_file().read_bytes() == before  # the good file given with it is not half-imported
    assert load_dataset().value("referrals.rereferral_rate", 2026, "806") is None
    short_row = CSWW_2026.replace('"Bristol, City of"', "Bristol, City of")
    result = run("data", "import", write(tmp_path, "csww_unquoted.csv", short_row))
    assert result.exit_code == 2 and "csww_unquoted.csv:5:" in result.output and "double quotes" in result.output
    assert imported_file().read_bytes() == before


def test_files_drafter_cannot_use_are_refused(run, tmp_path):
    other = write(tmp_path, "schools.csv", "time_period,geographic_level,pupils\n2025,National,100\n")
    result = run("data", "import", other)
    assert result.exit_code == 2 and "holds none of the measures drafter uses" in result.output
    with_one = run("data", "import", other, write(tmp_path, "csww_indicators.csv", CSWW_2026))
    assert with_one.exit_code == 0 and "skipped" in with_one.output and "schools.csv" in with_one.output
    imported_file().unlink()
    not_ees = write(tmp_path, "notes.csv", "name,value\nx,1\n")
    result = run("data", "import", not_ees)
    assert result.exit_code == 2 and "not an EES data file" in result.output
    assert not imported_file().exists()
    missing = run("data", "import", tmp_path / "nope.csv")
    assert missing.exit_code == 2 and "file not found" in missing.output


def test_import_is_deterministic(run, tmp_path, monkeypatch):
    csww = write(tmp_path, "csww_indicators_2017_to_2026.csv", CSWW_2026)
    outputs = []
    for n in (1, 2):
        monkeypatch.setenv("DRAFTER_DATA", str(tmp_path / f"data{n}"))
        assert run("data", "import", csww).exit_code == 0
        outputs.append(imported_file().read_bytes())
    assert outputs[0] == outputs[1]


@needs_open_data
def test_reimporting_every_bundled_ees_file_changes_no_draft(run, tmp_path):
    pack = tmp_path / "p.yaml"
    assert run("new-pack", pack, "--authority", "806", "--as-of", "2025-06-30").exit_code == 0
    assert run("letter", pack, "-o", tmp_path / "before.md").exit_code == 0
    files = sorted((OPEN_DATA / "ees").glob("*.csv"))
    result = run("data", "import", *files)
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and "la_cla_swcount.csv: it holds none of the measures" in result.output
    assert run("letter", pack, "-o", tmp_path / "after.md").exit_code == 0
    assert (tmp_path / "before.md").read_bytes() == (tmp_path / "after.md").read_bytes()
