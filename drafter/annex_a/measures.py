"""Apply the measure definitions of rules/annex_a/measures.yaml to a list's records, per period and team."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from drafter.annex_a import spec as s
from drafter.annex_a.records import ListRows, Record
from drafter.annex_a.workdays import Calendar, OutsideCalendar, load_calendar
from drafter.errors import DrafterError, Problem

By = Literal["month", "window"]


@dataclass(frozen=True)
class Window:
    """The dates measured, [start, end] (from and as_of), as one period or by calendar month."""

    start: dt.date
    end: dt.date
    by: By = "month"

    def period_of(self, day: dt.date) -> str | None:
        """Return the label of the period holding `day` ('2024-03', or as_of for the window), None outside."""
        if not self.start <= day <= self.end:
            return None
        return f"{day.year:04d}-{day.month:02d}" if self.by == "month" else self.end.isoformat()

    def snapshot(self) -> str:
        """Return the label of the period for a count taken on as_of (children in care, care leavers)."""
        return self.period_of(self.end) or self.end.isoformat()


@dataclass
class Point:
    """What one period (and team) counted: `counted` of `of` rows, or `of` rows totalling `total` days."""

    counted: int = 0
    of: int = 0
    total: int = 0

    def value(self, unit: str) -> float | None:
        """Return the percentage, or the average in days, to one decimal place (None when nothing was counted)."""
        if not self.of:
            return None
        top = Decimal(self.counted * 100) if unit == "percent" else Decimal(self.total)
        return float((top / Decimal(self.of)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@dataclass
class Tally:
    """How a list's rows fared in one measure, for the report."""

    rows: int = 0
    used: int = 0
    outside: int = 0
    outside_words: str = "outside the window"
    undated: int = 0  # events scope: no date for the event, so not (yet) an event of this kind
    undated_words: str = ""
    duplicates: int = 0
    skipped: Counter = field(default_factory=Counter)


@dataclass
class Result:
    """A measure's points for the authority and for each team, and the tally behind them."""

    measure: s.MeasureSpec
    overall: dict[str, Point]
    teams: dict[str, dict[str, Point]]
    tally: Tally


class _Skip(Exception):
    def __init__(self, reason: str):
        self.reason = reason


def apply_measure(
    measure: s.MeasureSpec, rows: ListRows, window: Window, path: str = "", cal: Calendar | None = None
) -> Result:
    """Return the measure over the window for every row of its list (DrafterError for a date beyond the calendar)."""
    cal = cal or load_calendar()
    columns = rows.spec.columns
    team_key = next((k for k, c in columns.items() if c.type == "team"), None)
    tally = Tally(rows=len(rows.records))
    overall: dict[str, Point] = {}
    teams: dict[str, dict[str, Point]] = {}
    for record, period in _in_scope(measure.scope, rows, window, columns, tally):
        try:
            counted, days = _evaluate(measure, record, window, columns, cal)
        except _Skip as skip:
            tally.skipped[skip.reason] += 1
            continue
        except OutsideCalendar as exc:
            raise _beyond_calendar(exc, measure, rows, record, path) from None
        tally.used += 1
        targets = [overall.setdefault(period, Point())]
        team = record.values.get(team_key) if team_key else None
        if team:
            targets.append(teams.setdefault(team, {}).setdefault(period, Point()))
        for point in targets:
            point.of += 1
            point.counted += int(counted)
            point.total += days
    return Result(measure, overall, teams, tally)


def _in_scope(scope: s.Scope, rows: ListRows, window: Window, columns: dict[str, s.ColumnSpec], tally: Tally):
    """Yield (record, period label) for each row the measure counts, tallying the others."""
    if scope.kind == "events":
        tally.undated_words = f"with no {columns[scope.date].words}"
        for record in rows.records:
            day = record.values.get(scope.date)
            if day is None:
                tally.undated += 1
            elif (period := window.period_of(day)) is None:
                tally.outside += 1
            else:
                yield record, period
        return
    chosen: dict[str, tuple[Any, Record]] = {}
    unnamed: list[Record] = []
    if scope.kind == "in_care":
        tally.outside_words = f"not in care on {window.end.isoformat()}"
    for record in rows.records:
        if scope.kind == "in_care":
            start, end = record.values.get(scope.start), record.values.get(scope.end)
            if start is None:
                tally.skipped[f"no {columns[scope.start].words}"] += 1
                continue
            if start > window.end or (end is not None and end <= window.end):
                tally.outside += 1
                continue
            rank: Any = (start, record.row)  # a child listed twice: the latest period of care counts
        else:
            rank = record.row  # a care leaver listed twice: the last row counts
        child = record.values.get(scope.child)
        if child is None:
            unnamed.append(record)
        elif child not in chosen or rank > chosen[child][0]:
            tally.duplicates += child in chosen
            chosen[child] = (rank, record)
        else:
            tally.duplicates += 1
    kept = sorted([r for _, r in chosen.values()] + unnamed, key=lambda r: r.row)
    for record in kept:
        yield record, window.snapshot()


def _evaluate(
    measure: s.MeasureSpec, record: Record, window: Window, columns: dict[str, s.ColumnSpec], cal: Calendar
) -> tuple[bool, int]:
    """Return (meets the condition, days) for one row in scope; raise _Skip when it cannot be judged."""
    v = record.values

    def need(key: str) -> Any:
        if v.get(key) is None:
            raise _Skip(f"no {columns[key].words}")
        return v[key]

    def ordered(first: str, then: str) -> tuple[dt.date, dt.date]:
        a, b = need(first), need(then)
        if a > b:
            raise _Skip(f"{columns[first].words} after {columns[then].words}")
        return a, b

    if measure.average_of is not None:
        a, b = ordered(measure.average_of.start, measure.average_of.end)
        return True, (b - a).days
    c = measure.share_of
    if isinstance(c, s.AtLeast):
        return need(c.column) >= c.value, 0
    if isinstance(c, s.CodeIn):
        return need(c.column) in c.codes, 0
    if isinstance(c, s.DaysBeforeAsOfAtMost):
        day = need(c.column)
        if day > window.end:
            raise _Skip(f"{columns[c.column].words} after {window.end.isoformat()}")
        return (window.end - day).days <= c.limit, 0
    a, b = ordered(c.start, c.end)
    if isinstance(c, s.LastedYears):
        return b >= anniversary(a, c.years), 0
    return _within_working_days(cal, a, b, c.limit), 0


def anniversary(day: dt.date, years: int) -> dt.date:
    """Return the date `years` years after `day`; from 29 February, 1 March when the year has no 29th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def _within_working_days(cal: Calendar, start: dt.date, end: dt.date, limit: int) -> bool:
    """Return whether at most `limit` working days pass after `start` up to `end`.

    A start before the bank holiday list begins is still judged when the working days from the
    list's first day to `end` already exceed the limit: the answer cannot then depend on the rest."""
    try:
        return cal.working_days(start, end) <= limit
    except OutsideCalendar:
        if start < cal.first <= end <= cal.last and cal.working_days(cal.first, end) > limit:
            return False
        raise


def _beyond_calendar(
    exc: OutsideCalendar, measure: s.MeasureSpec, rows: ListRows, record: Record, path: str
) -> DrafterError:
    key = next((k for k in measure.columns() if record.values.get(k) == exc.day), measure.columns()[0])
    return DrafterError(
        Problem(
            f"{rows.spec.label}: working days cannot be counted for a date outside the bank holiday list",
            path=path,
            where=rows.where(record, key),
            found=exc.day.isoformat(),
            expected=f"a date from {exc.first.isoformat()} to {exc.last.isoformat()}",
            hint="check the date; to count further, extend rules/annex_a/bank_holidays.yaml from GOV.UK's list",
        )
    )
