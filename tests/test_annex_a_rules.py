"""The Annex A rules data: each measure's examples, the bank holiday list, merging with official packs."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from drafter.annex_a.examples import run_example
from drafter.annex_a.merge import merge_packs
from drafter.annex_a.spec import load_spec
from drafter.annex_a.workdays import OutsideCalendar, load_calendar
from drafter.errors import RulebookError
from drafter.evidence.load import evidence_from_source
from drafter.yamlsrc import Source
from tests.conftest import ROOT

SPEC = load_spec()
CASES = [(m, e) for m in SPEC.measures for e in m.examples]


@pytest.mark.parametrize(("measure", "example"), CASES, ids=[f"{m.indicator}::{e.name}" for m, e in CASES])
def test_measure_example(measure, example):
    result = run_example(SPEC, measure, example)
    assert result.ok, result.line()


def test_every_measure_named_in_the_issue_is_defined_with_examples():
    wanted = {
        "referrals.rereferral_rate", "assessments.within_45_days", "cp.icpc_within_15_days", "cp.repeat_plans",
        "cp.plans_over_2_years", "placements.three_plus_moves", "children_in_care.visits_in_timescale",
        "missing.children_missing_rate", "care_leavers.eet_rate", "care_leavers.suitable_accommodation_rate",
        "care_leavers.in_touch_rate", "permanence.adoption_a1_days", "permanence.adoption_a2_days",
    }  # fmt: skip
    assert {m.indicator for m in SPEC.measures} == wanted
    assert all(m.examples and m.definition for m in SPEC.measures)


def test_a_wrong_expectation_fails():
    measure = next(m for m in SPEC.measures if m.indicator == "assessments.within_45_days")
    example = measure.examples[0].model_copy(update={"value": 100.0})
    result = run_example(SPEC, measure, example)
    assert not result.ok and "value 66.7, expected 100.0" in result.line()


def test_annex_a_test_runs_every_example(run):
    result = run("annex-a", "test")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(f"{len(CASES)} passed, 0 failed")
    one = run("annex-a", "test", "cp.repeat_plans")
    assert one.exit_code == 0 and "cp.repeat_plans:one_repeat_of_four PASS" in one.output
    assert run("annex-a", "test", "no.such_measure").exit_code == 2


def test_annex_a_test_exits_1_on_a_failing_example(run, tmp_path, monkeypatch):
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "annex_a" / "measures.yaml"
    path.write_text(path.read_text().replace("value: 50.0\n        counted: 1\n        of: 2", "value: 51.0\n"
                                             "        counted: 1\n        of: 2", 1))  # fmt: skip
    monkeypatch.setenv("DRAFTER_RULES", str(rules))
    result = run("annex-a", "test")
    assert result.exit_code == 1
    assert "FAIL (value 50.0, expected 51.0)" in result.output


def test_annex_a_measures_lists_the_definitions(run):
    result = run("annex-a", "measures")
    assert result.exit_code == 0
    assert "assessments.within_45_days  (List 4, percent; events; working_days_at_most:" in result.output
    assert "limit=45" in result.output and "limit=42" in result.output


def test_a_measure_reading_an_unknown_column_is_refused(tmp_path):
    folder = tmp_path / "annex_a"
    shutil.copytree(ROOT / "rules" / "annex_a", folder)
    path = folder / "measures.yaml"
    path.write_text(path.read_text().replace("column: referrals_12m", "column: referals_12m", 1))
    with pytest.raises(RulebookError) as err:
        load_spec(folder)
    assert "List 3 has no column 'referals_12m'" in err.value.render()


# ---------------------------------------------------------------- working days


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2020, 5, 8),  # early May moved to VE day
        dt.date(2022, 6, 2), dt.date(2022, 6, 3),  # the Platinum Jubilee
        dt.date(2022, 9, 19),  # the State Funeral of Queen Elizabeth II
        dt.date(2023, 5, 8),  # the coronation
        dt.date(2026, 12, 28),  # Boxing Day on a Saturday: the Monday after
        dt.date(2027, 12, 27), dt.date(2027, 12, 28),  # Christmas on a Saturday
        dt.date(2024, 3, 29), dt.date(2024, 4, 1),  # Good Friday, Easter Monday
    ],
)  # fmt: skip
def test_bank_holidays_are_not_working_days(day):
    assert not load_calendar().is_working_day(day)


@pytest.mark.parametrize("day", [dt.date(2020, 5, 4), dt.date(2022, 5, 30), dt.date(2024, 3, 28)])
def test_days_that_are_not_bank_holidays_are_working_days(day):
    assert load_calendar().is_working_day(day)


def test_working_days_count_after_the_start_up_to_and_including_the_end():
    cal = load_calendar()
    monday, friday = dt.date(2024, 3, 4), dt.date(2024, 3, 8)
    assert cal.working_days(monday, monday) == 0
    assert cal.working_days(monday, friday) == 4
    assert cal.working_days(friday, dt.date(2024, 3, 11)) == 1  # over a weekend
    assert cal.working_days(dt.date(2024, 3, 28), dt.date(2024, 4, 2)) == 1  # over Easter
    assert cal.working_days(friday, monday) == -4


def test_dates_outside_the_list_are_refused_not_guessed():
    cal = load_calendar()
    with pytest.raises(OutsideCalendar):
        cal.working_days(dt.date(2014, 12, 31), dt.date(2015, 1, 5))
    with pytest.raises(OutsideCalendar):
        cal.working_days(dt.date(2030, 12, 20), dt.date(2031, 1, 2))


def test_the_list_has_eight_holidays_a_year_and_the_special_days():
    cal = load_calendar()
    per_year = {y: sum(1 for d in cal.holidays if d.year == y) for y in range(2015, 2031)}
    special = {2020: 8, 2022: 10, 2023: 9}
    assert per_year == {y: special.get(y, 8) for y in range(2015, 2031)}
    assert all(d.weekday() < 5 for d in cal.holidays)


# ---------------------------------------------------------------- merging with official statistics


OFFICIAL = {
    "schema": "evidence-pack/1",
    "authority": "Testshire",
    "as_of": dt.date(2023, 12, 31),
    "document": {"kind": "board_briefing"},
    "indicators": [
        {"id": "assessments.within_45_days", "series": {"2021": 79.0, "2022": 81.5, "2023-Q4": 82.0},
         "comparators": {"england": 84.0}},
        {"id": "workforce.agency_rate", "series": {"2022": 21.0}},
        {"id": "referrals.rereferral_rate", "team": "North", "series": {"2022": 24.0}},
    ],
    "notes": [{"topic": "workforce", "polarity": "negative", "text": "Agency reliance remains high."}],
}  # fmt: skip
ANNEX = {
    "schema": "evidence-pack/1",
    "authority": "Unnamed authority",
    "as_of": dt.date(2024, 3, 31),
    "indicators": [
        {"id": "assessments.within_45_days", "series": {"2023-10": 80.0, "2024-03": 83.3}, "note": "From Annex A."},
        {"id": "cp.repeat_plans", "series": {"2024-03": 21.0}},
    ],
}


def test_merge_keeps_official_history_and_lets_annex_a_win_where_periods_overlap():
    merged = merge_packs(ANNEX, OFFICIAL)
    by_key = {(e["id"], e.get("team")): e for e in merged["indicators"]}
    assessments = by_key[("assessments.within_45_days", None)]
    # 2023-Q4 (October to December 2023) overlaps the Annex A month 2023-10, so Annex A wins there.
    assert assessments["series"] == {"2021": 79.0, "2022": 81.5, "2023-10": 80.0, "2024-03": 83.3}
    assert assessments["comparators"] == {"england": 84.0}
    assert by_key[("workforce.agency_rate", None)]["series"] == {"2022": 21.0}
    assert by_key[("referrals.rereferral_rate", "North")]["series"] == {"2022": 24.0}
    assert by_key[("cp.repeat_plans", None)]["series"] == {"2024-03": 21.0}
    assert merged["authority"] == "Testshire" and merged["notes"] == OFFICIAL["notes"]
    assert merged["as_of"] == dt.date(2024, 3, 31)
    evidence_from_source(Source(path="merged", data=merged))  # the merged pack is valid
    assert OFFICIAL["indicators"][0]["series"] == {"2021": 79.0, "2022": 81.5, "2023-Q4": 82.0}  # inputs untouched


def test_merge_drops_official_periods_inside_a_whole_window():
    window = {**ANNEX, "indicators": [{"id": "assessments.within_45_days", "series": {"2024-03-31": 81.0}}]}
    merged = merge_packs(window, OFFICIAL, covers=(dt.date(2023, 10, 1), dt.date(2024, 3, 31)))
    series = merged["indicators"][0]["series"]
    assert series == {"2021": 79.0, "2022": 81.5, "2024-03-31": 81.0}


def test_merge_takes_a_validated_official_pack_too():
    evidence = evidence_from_source(Source(path="official", data=OFFICIAL))
    assert merge_packs(ANNEX, evidence.pack) == merge_packs(ANNEX, OFFICIAL)
