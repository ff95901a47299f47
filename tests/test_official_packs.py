"""`drafter new-pack --authority --as-of`: the published figures exactly, none that were not yet out, the last ILACS."""

from __future__ import annotations

import datetime as dt

import pytest
from ruamel.yaml import YAML

from drafter.evidence.load import load_pack
from drafter.official.packs import official_pack
from tests.open_data import OPEN_DATA, ees, lait, needs_open_data, rows

CSWW = "ees/csww_indicators_2017_to_2025.csv"
C1 = "ees/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
STABILITY = "ees/la_cla_placement_stability.csv"


def new_pack(run, tmp_path, name: str, *args: str):
    out = tmp_path / name
    result = run("new-pack", out, *args)
    assert result.exit_code == 0, result.output
    return out


@needs_open_data
@pytest.mark.parametrize("authority, code, as_of", [
    ("Middlesbrough", "806", "2025-06-30"),
    ("leeds", "383", "2024-11-15"),
    ("E06000052", "908", "2022-03-30"),   # Cornwall by ONS code
    ("302", "302", "2019-12-06"),          # Barnet by LA number
])
def test_new_pack_writes_the_published_figures_and_nothing_unpublished(run, tmp_path, authority, code, as_of):
    out = new_pack(run, tmp_path, "pack.yaml", "--authority", authority, "--as-of", as_of)
    evidence = load_pack(out)
    day = dt.date.fromisoformat(as_of)
    assert evidence.pack.la_code == code and evidence.pack.as_of == day
    caseload = evidence.get("caseload.average")
    # the workforce census at 30 September Y is out in February Y+1
    census_years = [y for y in range(2017, 2026) if dt.date(y + 1, 2, 28) <= day]
    assert [p.period.label for p in caseload.points if p.period.start.year >= 2017] == [f"{y}-09" for y in
                                                                                         census_years]
    for point in caseload.points:
        year = point.period.start.year
        if year >= 2017:
            assert point.value == ees(CSWW, "caseload_fte", year, la=code)
    rereferrals = evidence.get("referrals.rereferral_rate")
    cin_years = [y for y in range(2013, 2026) if dt.date(y, 11, 30) <= day]  # children in need: November
    assert [p.period.start.year for p in rereferrals.points] == [
        y for y in cin_years if ees(C1, "rereferral_percent", y, la=code) is not None]
    for point in rereferrals.points:
        assert point.value == ees(C1, "rereferral_percent", point.period.start.year, la=code)
    assessments = evidence.get("assessments.within_45_days")
    for point in assessments.points:
        assert point.value == pytest.approx(lait("Continue_Assess_Comp", point.period.start.year, code))
    assert max(p.period.start.year for p in assessments.points) == max(cin_years)
    moves = evidence.get("placements.three_plus_moves")
    cla_years = [y for y in range(2016, 2026) if dt.date(y, 12, 31) <= day]  # children looked after: December
    assert max(p.period.start.year for p in moves.points) == max(cla_years)
    latest = moves.points[-1]
    if latest.period.start.year >= 2021:
        assert latest.value == ees(STABILITY, "children_percent", latest.period.start.year, la=code,
                                   cla_group="CLA on 31 March",
                                   placement_stability="With 3 or more placements during the year")


@needs_open_data
def test_last_ilacs_judgement_and_document_kind_follow_what_was_published():
    before = official_pack("Middlesbrough", dt.date(2020, 1, 23))
    assert "last_judgement" not in before and before["document"]["kind"] == "board_briefing"
    after = official_pack("Middlesbrough", dt.date(2020, 1, 24))
    assert after["last_judgement"] == {"grade": "inadequate", "published": "2020-01"}
    assert after["document"]["kind"] == "monitoring_visit"
    later = official_pack("middlesbrough", dt.date(2025, 6, 30))
    assert later["last_judgement"] == {"grade": "requires_improvement", "published": "2023-05"}
    history = [r for r in rows("ofsted/la_ilacs_history_2018-2025.csv") if r["Local authority area code"] ==
               "E06000002"]
    assert history[-1]["Publication date"].startswith("2023-05")


@needs_open_data
def test_jointly_reported_authorities_carry_the_pairs_figures_with_a_note():
    pack = official_pack("North Northamptonshire", dt.date(2025, 6, 30))
    caseload = next(i for i in pack["indicators"] if i["id"] == "caseload.average")
    joint = next(float(r["caseload_fte"]) for r in rows(CSWW) if r["old_la_code"] == "940 / 941"
                 and r["time_period"] == "2024")
    assert caseload["series"]["2024-09"] == joint
    assert "jointly for North Northamptonshire and West Northamptonshire" in caseload["note"]


def test_unknown_authority_gets_did_you_mean(run, tmp_path):
    result = run("new-pack", tmp_path / "x.yaml", "--authority", "Middlesborough", "--as-of", "2025-06-30")
    assert result.exit_code == 2
    assert "no local authority called 'Middlesborough'" in result.output
    assert "did you mean 'Middlesbrough'" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_bad_date_and_missing_authority_are_usage_errors(run, tmp_path):
    bad = run("new-pack", tmp_path / "x.yaml", "--authority", "Leeds", "--as-of", "31st of never")
    assert bad.exit_code == 2 and "--as-of is not a date" in bad.output and "YYYY-MM-DD" in bad.output
    lone = run("new-pack", tmp_path / "y.yaml", "--as-of", "2025-06-30")
    assert lone.exit_code == 2 and "--as-of only apply with --annex-a or --authority" in lone.output
    uk = run("new-pack", tmp_path / "z.yaml", "--authority", "Leeds", "--as-of", "30/06/2025")
    assert uk.exit_code == 0 and "as at 2025-06-30" in uk.output


def test_official_packs_are_deterministic_in_every_format(run, tmp_path):
    for name in ("a.yaml", "a.xlsx", "a.json"):
        first = new_pack(run, tmp_path / "1", name, "--authority", "Barnet", "--as-of", "2024-06-30")
        second = new_pack(run, tmp_path / "2", name, "--authority", "Barnet", "--as-of", "2024-06-30")
        assert first.read_bytes() == second.read_bytes()
        assert load_pack(first).pack == load_pack(second).pack
    yaml_text = (tmp_path / "1" / "a.yaml").read_text()
    assert yaml_text.startswith("# Official statistics for Barnet (LA 302) as published by 30 June 2024")
    assert "Open Government Licence" in yaml_text
    data = YAML(typ="safe").load(yaml_text)
    assert data["authority"] == "Barnet" and data["la_code"] == "302"
    assert all("DfE" in i["note"] for i in data["indicators"])


def test_official_packs_draft_and_check_clean(run, tmp_path):
    pack = new_pack(run, tmp_path, "leeds.yaml", "--authority", "Leeds", "--as-of", "2025-06-30")
    for kind in ("letter", "briefing"):
        out = tmp_path / f"{kind}.docx"
        assert run(kind, pack, "-o", out).exit_code == 0
        checked = run("check", out, "--evidence", pack)
        assert checked.exit_code == 0, checked.output


def test_open_data_folder_is_only_needed_to_build():
    assert official_pack("806", dt.date(2025, 6, 30))["indicators"]  # runs from data/official alone
    assert OPEN_DATA.name == "open-data"
