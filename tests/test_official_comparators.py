"""Comparators by period: England, region and statistical neighbours for the right year, never a later one."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import textwrap

import pytest

from drafter.errors import NotEvaluable
from drafter.evidence.load import evidence_from_source, load_pack
from drafter.official.comparators import resolve
from drafter.official.packs import official_evidence
from drafter.pipeline import assess
from drafter.yamlsrc import Source
from tests.conftest import SEEDS
from tests.open_data import ees, lait, needs_open_data, neighbours

C1 = "ees/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
CSWW = "ees/csww_indicators_2017_to_2025.csv"


def pack(as_of: str, indicator: str, series: dict, authority: str = "Middlesbrough", **extra):
    entry = {"id": indicator, "series": series, **extra}
    data = {"schema": "evidence-pack/1", "authority": authority, "as_of": dt.date.fromisoformat(as_of),
            "indicators": [entry]}
    return evidence_from_source(Source(path="<test>", data=data))


@needs_open_data
@pytest.mark.parametrize("as_of, period, year, words", [
    ("2022-03-30", "2022-03", 2021, "for 2020 to 2021"),     # 2021 to 2022 comes out in November 2022
    ("2022-11-29", "2022-03", 2021, "for 2020 to 2021"),     # ... counted from the end of November
    ("2022-12-31", "2022-03", 2022, "for 2021 to 2022"),
    ("2023-06-30", "2021-09", 2021, "for 2020 to 2021"),     # never a year describing a later period
    ("2019-12-06", "2019-09", 2019, "for 2018 to 2019"),
])
def test_england_is_the_latest_year_published_that_does_not_describe_a_later_period(as_of, period, year, words):
    evidence = pack(as_of, "referrals.rereferral_rate", {period: 25.0})
    figure = resolve(evidence, "referrals.rereferral_rate", "england")
    assert figure.value == ees(C1, "rereferral_percent", year, national=True)
    assert figure.period == f"{year}-03" and figure.when == words and figure.published == f"{year}-11"
    assert figure.detail.startswith("England; DfE Children in need")


@needs_open_data
def test_workforce_figures_are_named_by_their_census_date():
    evidence = pack("2022-03-30", "workforce.turnover_rate", {"2022-03": 20.4})
    figure = resolve(evidence, "workforce.turnover_rate", "england")
    assert figure.value == ees(CSWW, "turnover_rate_fte", 2021, national=True)
    assert (figure.period, figure.when, figure.published) == ("2021-09", "at 30 September 2021", "2022-02")


def test_no_england_figure_yet_is_not_evaluable_with_the_reason():
    evidence = pack("2012-06-30", "referrals.rereferral_rate", {"2012-03": 25.0})
    with pytest.raises(NotEvaluable) as caught:
        resolve(evidence, "referrals.rereferral_rate", "england")
    assert caught.value.missing == ["referrals.rereferral_rate:england"]
    assert "no England figure for referrals.rereferral_rate had been published by 30 June 2012" in caught.value.why[0]


def test_a_rule_reports_the_missing_comparator_instead_of_quoting_a_later_year(run, write):
    path = write("early.yaml", """\
        schema: evidence-pack/1
        authority: Middlesbrough
        as_of: 2013-01-31
        indicators:
          - id: referrals.rereferral_rate
            series: {2012-03: 25.0}
        """)
    result = run("explain", path, "--json")
    outcomes = json.loads(result.output)["outcomes"]
    fd = next(o for o in outcomes if o["rule"] == "FD001")
    assert fd["status"] == "not_evaluable"
    assert any("no England figure" in w and "31 January 2013" in w for w in fd["why_missing"])


def test_a_packs_own_comparator_wins():
    evidence = pack("2022-03-30", "referrals.rereferral_rate", {"2022-03": 25.0}, comparators={"england": 30.0})
    figure = resolve(evidence, "referrals.rereferral_rate", "england")
    assert (figure.value, figure.period, figure.published) == (30.0, None, None)
    assert "given in the pack" in figure.detail


def test_dated_catalogue_figures_follow_the_same_rule():
    a1 = "permanence.adoption_a1_days"
    before = pack("2019-02-28", a1, {"2019-01": 600})
    with pytest.raises(NotEvaluable, match="had been published by 28 February 2019"):
        resolve(before, a1, "england")
    figure = resolve(pack("2019-06-30", a1, {"2019-03": 600}), a1, "england")
    assert (figure.value, figure.when, figure.published) == (486, "for 2015 to 2018", "2019-03")
    with pytest.raises(NotEvaluable, match="more than 4 years before"):
        resolve(pack("2025-06-30", a1, {"2025-03": 600}), a1, "england")
    weeks = "proceedings.duration_weeks"  # national figures by quarter, some for England and Wales
    figure = resolve(pack("2019-12-06", weeks, {"2019-09": 45}), weeks, "england")
    assert (figure.value, figure.name, figure.when) == (33, "England and Wales", "for April to June 2019")
    assert figure.detail.startswith("England and Wales; Ministry of Justice, Family Court Statistics Quarterly")
    figure = resolve(pack("2024-08-31", weeks, {"2024-06": 30}), weeks, "england")
    assert (figure.value, figure.name, figure.when) == (43, "England", "for January to March 2024")


@needs_open_data
def test_region_and_statistical_neighbours():
    evidence = pack("2025-06-30", "referrals.rereferral_rate", {"2024-03": 25.3})
    region = resolve(evidence, "referrals.rereferral_rate", "region")
    assert region.value == ees(C1, "rereferral_percent", 2024, region="E12000001")
    assert region.name == "North East" and region.detail.startswith("North East")
    sn = resolve(evidence, "referrals.rereferral_rate", "statistical_neighbours")
    codes = neighbours("sn_model_2025_wide.csv", "806")  # the 2025 model is in force from June 2025
    values = [ees(C1, "rereferral_percent", 2024, la=c) for c in codes]
    assert sn.value == round(sum(values) / len(values), 1)
    assert sn.period == "2024-03" and "mean of the 10 of 10 neighbours" in sn.detail and "2025 model" in sn.detail
    earlier = resolve(pack("2025-05-31", "referrals.rereferral_rate", {"2024-03": 25.3}),
                      "referrals.rereferral_rate", "statistical_neighbours")
    old_codes = neighbours("New_Statistical_Neighbour_Groupings_April_2021.csv", "806")
    old_values = [ees(C1, "rereferral_percent", 2024, la=c) for c in old_codes]
    assert earlier.value == round(sum(old_values) / len(old_values), 1) and "April 2021" in earlier.detail


@needs_open_data
def test_lait_measures_have_neighbours_too():
    evidence = pack("2025-06-30", "assessments.within_45_days", {"2024-03": 79.5})
    sn = resolve(evidence, "assessments.within_45_days", "statistical_neighbours")
    values = [lait("Continue_Assess_Comp", 2024, c) for c in neighbours("sn_model_2025_wide.csv", "806")]
    assert sn.value == round(sum(values) / len(values), 1)


def test_an_authority_not_in_the_register_has_no_region_or_neighbours():
    evidence = pack("2022-03-30", "referrals.rereferral_rate", {"2022-03": 25.0}, authority="Exampleshire")
    with pytest.raises(NotEvaluable, match="not one of the English local authorities"):
        resolve(evidence, "referrals.rereferral_rate", "region")
    assert resolve(evidence, "referrals.rereferral_rate", "england").value > 0


def test_la_code_names_the_authority_when_the_name_does_not(write):
    path = write("p.yaml", """\
        schema: evidence-pack/1
        authority: Teesside's children's services
        la_code: 806
        as_of: 2022-03-30
        indicators:
          - id: referrals.rereferral_rate
            series: {2022-03: 25.0}
        """)
    figure = resolve(load_pack(path), "referrals.rereferral_rate", "region")
    assert figure.name == "North East"


def test_explain_json_comparators_carry_period_published_and_detail(run, write):
    path = write("p.yaml", textwrap.dedent("""\
        schema: evidence-pack/1
        authority: Middlesbrough
        as_of: 2022-03-30
        indicators:
          - id: referrals.rereferral_rate
            series: {2021-09: 24.0, 2022-03: 25.9}
          - id: workforce.agency_rate
            series: {2022-03: 24.0}
        """))
    result = run("explain", path, "--json")
    assert result.exit_code == 0, result.output
    items = [e for o in json.loads(result.output)["outcomes"] if o["status"] == "fires"
             for e in o["evidence"] if e["kind"] == "comparator"]
    assert items
    for item in items:
        assert item["period"] and item["published"] and item["detail"]
        assert item["detail"].split(";")[0].startswith(("England", "North East", "statistical neighbours"))
        assert "DfE" in item["detail"]
    assert any(i["detail"].startswith("statistical neighbours") for i in items)


def _month_end(text: str) -> dt.date:
    year, month = (int(x) for x in text[:7].split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _assert_never_later(evidence) -> int:
    """Assert every comparator a firing rule cites is dated by as_of and no later than the value; return
    how many statistical-neighbour comparators were cited."""
    as_of = evidence.pack.as_of
    neighbours_cited = 0
    for outcome in assess(evidence).outcomes:
        if outcome.status != "fires":
            continue
        values = {}
        for used in outcome.used:
            if used.kind == "value":
                values.setdefault(used.name, []).append(_month_end(used.period))
        for used in outcome.used:
            if used.kind != "comparator" or used.period is None:
                continue
            assert used.published is not None, used
            assert _month_end(used.published) <= as_of, (outcome.rule_id, used)
            assert _month_end(used.period) <= max(values.get(used.name, [as_of])), (outcome.rule_id, used)
            assert _month_end(used.period) <= as_of or used.period[:7] == as_of.isoformat()[:7], used
            neighbours_cited += used.detail.startswith("statistical neighbours")
    return neighbours_cited


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_guard_no_comparator_in_a_seed_is_dated_after_as_of(seed):
    _assert_never_later(load_pack(seed))


@needs_open_data
@pytest.mark.parametrize("authority", ["806", "Barnet", "bradford", "E06000052", "940", "201", "420", "942"])
@pytest.mark.parametrize("as_of", ["2019-06-30", "2022-03-30", "2024-11-15", "2025-06-30"])
def test_guard_no_comparator_in_an_official_pack_is_dated_after_as_of(authority, as_of):
    cited = _assert_never_later(official_evidence(authority, dt.date.fromisoformat(as_of)))
    if authority in ("806", "Barnet", "bradford") and as_of >= "2022":
        assert cited > 0  # statistical-neighbour comparators appear
