"""Every Annex A measure, from a messy generated workbook through the CLI, against a plain computation.

The expected values are worked out here from the generator's clean rows (real dates, tidy
text), written straight from the definitions in docs/annex-a.md without the engine: numpy's
busday_count for working days, tuple comparison for anniversaries. The workbook the CLI reads
has every kind of messiness switched on, so a reading mistake shows as a wrong value.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT
from tools.make_annex_a import MESS, generate, write_workbook

AS_OF = dt.date(2024, 3, 31)
ONE = dt.timedelta(days=1)
HOLIDAYS = [
    h["date"] for h in YAML(typ="safe").load((ROOT / "rules/annex_a/bank_holidays.yaml").read_text())["holidays"]
]
EET = {"F1", "F2", "F3", "P1", "P2", "P3"}


def working_days(start: dt.date, end: dt.date) -> int:
    return int(np.busday_count(start + ONE, end + ONE, holidays=HOLIDAYS))


def lasted_two_years(start: dt.date, end: dt.date) -> bool:
    years = end.year - start.year
    return years > 2 or (years == 2 and (end.month, end.day) >= (start.month, start.day))


def one_decimal(top: int, bottom: int) -> float:
    return float((Decimal(top) / Decimal(bottom)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class Expected:
    """Counts per (indicator, team or None, period), then values as the pack should hold them."""

    def __init__(self, start: dt.date, by: str):
        self.start, self.by = start, by
        self.counts: dict = defaultdict(lambda: [0, 0])  # percent: [yes, all]; days: [total, n]
        self.units: dict[str, str] = {}

    def period(self, day: dt.date) -> str | None:
        if not self.start <= day <= AS_OF:
            return None
        return day.strftime("%Y-%m") if self.by == "month" else AS_OF.isoformat()

    def add(self, indicator: str, team: str | None, period: str, yes: bool) -> None:
        self.units[indicator] = "percent"
        for who in {None, team}:
            self.counts[(indicator, who, period)][0] += int(yes)
            self.counts[(indicator, who, period)][1] += 1

    def add_days(self, indicator: str, team: str | None, period: str, days: int) -> None:
        self.units[indicator] = "days"
        for who in {None, team}:
            self.counts[(indicator, who, period)][0] += days
            self.counts[(indicator, who, period)][1] += 1

    def series(self) -> dict:
        out: dict = defaultdict(dict)
        for (indicator, team, period), (top, n) in self.counts.items():
            out[(indicator, team)][period] = one_decimal(top * (100 if self.units[indicator] == "percent" else 1), n)
        return dict(out)


def expected_series(data, start: dt.date, by: str) -> dict:
    e = Expected(start, by)
    snapshot = AS_OF.strftime("%Y-%m") if by == "month" else AS_OF.isoformat()
    for row in data.lists[3]:
        if p := e.period(row["Date of Referral"]):
            e.add(
                "referrals.rereferral_rate", row["Allocated Team"], p, row["Number of Referrals in Last 12 Months"] >= 1
            )
    for row in data.lists[4]:
        began, done = row["Continuous Assessment Start Date"], row["Continuous Assessment Date of Authorisation"]
        if done and (p := e.period(done)) and began <= done:
            e.add("assessments.within_45_days", row["Allocated Team"], p, working_days(began, done) <= 45)
    for row in data.lists[5]:
        held = row["Date of Initial Child Protection Conference"]
        if held and (p := e.period(held)):
            strategy = row["Strategy discussion initiating Section 47 Enquiry Start Date"]
            e.add("cp.icpc_within_15_days", row["Allocated Team"], p, working_days(strategy, held) <= 15)
    for row in data.lists[7]:
        began, ended = row["Child Protection Plan Start Date"], row["Child Protection Plan End Date"]
        if p := e.period(began):
            e.add("cp.repeat_plans", row["Allocated Team"], p, row["Number of Previous Child Protection Plans"] >= 1)
        if ended and (p := e.period(ended)):
            e.add("cp.plans_over_2_years", row["Allocated Team"], p, lasted_two_years(began, ended))
    latest: dict = {}
    for row in data.lists[8]:
        began, ceased = row["Date Started to be Looked After"], row["Date Ceased to be Looked After"]
        if began <= AS_OF and (ceased is None or ceased > AS_OF):
            child = row["Child Unique ID"]
            if child not in latest or began >= latest[child]["Date Started to be Looked After"]:
                latest[child] = row
    for row in latest.values():
        team = row["Allocated Team"]
        e.add("placements.three_plus_moves", team, snapshot, row["Number of Placements in the Last 12 months"] >= 3)
        visit = row["Date of Last Social Work Visit"]
        if visit is not None and visit <= AS_OF:
            e.add("children_in_care.visits_in_timescale", team, snapshot, (AS_OF - visit).days <= 42)
        missing = row[
            "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last 12 months"
        ]
        e.add("missing.children_missing_rate", team, snapshot, missing >= 1)
    for row in {r["Child Unique ID"]: r for r in data.lists[9]}.values():
        team = row["Allocated Team"]
        e.add("care_leavers.eet_rate", team, snapshot, row["Activity Status"][:2] in EET)
        if row["Suitability of Accommodation"] is not None:
            e.add(
                "care_leavers.suitable_accommodation_rate",
                team,
                snapshot,
                row["Suitability of Accommodation"] == "a) Suitable",
            )
        e.add("care_leavers.in_touch_rate", team, snapshot, row["LA in Touch"] == "a) Yes")
    for row in data.lists[10]:
        placed, matched = row["Date Placed for Adoption"], row["Date of Matching Child and Prospective Adopters"]
        if placed and (p := e.period(placed)):
            e.add_days("permanence.adoption_a1_days", None, p, (placed - row["Date the Child Entered Care"]).days)
        if p := e.period(matched):
            e.add_days("permanence.adoption_a2_days", None, p, (matched - row["Date of Placement Order"]).days)
    return e.series()


def pack_series(path: Path) -> dict:
    pack = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    return {
        (entry["id"], entry.get("team")): {str(k): v for k, v in entry["series"].items()}
        for entry in pack["indicators"]
    }


@pytest.fixture(scope="module")
def data():
    return generate(seed=3, as_of=AS_OF, scale=0.3)


@pytest.fixture(scope="module")
def messy_workbook(data, tmp_path_factory) -> Path:
    return write_workbook(data, tmp_path_factory.mktemp("annex") / "messy.xlsx", set(MESS), seed=3)


@pytest.mark.parametrize("by", ["window", "month"])
def test_every_measure_overall_and_per_team_matches_a_plain_computation(by, data, messy_workbook, run, tmp_path):
    out = tmp_path / "pack.yaml"
    result = run("new-pack", out, "--annex-a", messy_workbook, "--as-of", AS_OF.isoformat(), "--by", by)
    assert result.exit_code == 0, result.output
    got, want = pack_series(out), expected_series(data, data.start, by)
    assert set(got) == set(want)
    for key in want:
        assert got[key] == pytest.approx(want[key], abs=1e-9), key
    measured = {indicator for indicator, _ in want}
    assert len(measured) == 13  # every measure has a value in this workbook
    assert any(team for _, team in want)  # and teams have their own series


def test_default_window_starts_at_the_earliest_event_date(data, messy_workbook, run, tmp_path):
    earliest = min(
        row[column]
        for number, column in (
            (1, "Date of Contact"),
            (2, "Assessment start date"),
            (3, "Date of Referral"),
            (4, "Continuous Assessment Date of Authorisation"),
            (5, "Strategy discussion initiating Section 47 Enquiry Start Date"),
        )
        for row in data.lists[number]
        if row[column] is not None
    )
    result = run(
        "new-pack", tmp_path / "p.yaml", "--annex-a", messy_workbook, "--as-of", AS_OF.isoformat(), "--by", "window"
    )
    assert f"window: {earliest.isoformat()} to {AS_OF.isoformat()}" in result.output


def test_an_explicit_from_narrows_the_window(data, messy_workbook, run, tmp_path):
    start = dt.date(2024, 1, 1)
    out = tmp_path / "p.yaml"
    result = run(
        "new-pack",
        out,
        "--annex-a",
        messy_workbook,
        "--as-of",
        AS_OF.isoformat(),
        "--from",
        "01/01/2024",
        "--by",
        "window",
    )
    assert result.exit_code == 0, result.output
    got, want = pack_series(out), expected_series(data, start, "window")
    assert set(got) == set(want)
    for key in want:
        assert got[key] == pytest.approx(want[key], abs=1e-9), key


def test_openpyxl_and_calamine_read_the_same_pack(messy_workbook):
    from drafter.annex_a.build import build_pack

    fast = build_pack(messy_workbook, AS_OF, by="month", reader="calamine")
    slow = build_pack(messy_workbook, AS_OF, by="month", reader="openpyxl")
    assert fast.pack == slow.pack
    assert [r.tally for r in fast.results] == [r.tally for r in slow.results]


def test_the_same_workbook_gives_the_same_bytes(messy_workbook, run, tmp_path):
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for out in (first, second):
        assert run("new-pack", out, "--annex-a", messy_workbook, "--as-of", AS_OF.isoformat()).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
