"""Reporting periods (`YYYY`, `YYYY-MM`, `YYYY-Qn`, ISO dates): parsing, ordering and wording."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

PERIOD_FORMS = "YYYY, YYYY-MM, YYYY-Qn (n = 1-4) or an ISO date YYYY-MM-DD"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period; ordered by its end date, then its start date."""

    end: date
    start: date
    label: str

    @property
    def granularity(self) -> str:
        """Return 'year', 'quarter', 'month' or 'day'."""
        if _YEAR.match(self.label):
            return "year"
        if _QUARTER.match(self.label):
            return "quarter"
        if _MONTH.match(self.label):
            return "month"
        return "day"

    def words(self) -> str:
        """Return the period as prose uses it: 'March 2022', '2021', 'the second quarter of 2022'."""
        from drafter.vocab.wording import describe_period  # late import keeps layers one-way

        return describe_period(self)

    def __str__(self) -> str:
        return self.label


def parse_period(raw: object) -> Period:
    """Return the Period for a raw key; raise ValueError with the accepted forms otherwise."""
    if isinstance(raw, date):
        return Period(raw, raw, raw.isoformat())
    if isinstance(raw, bool) or raw is None:
        raise ValueError(f"{raw!r} is not a period; use {PERIOD_FORMS}")
    if isinstance(raw, int):
        raw = str(raw)
    if not isinstance(raw, str):
        raise ValueError(f"{raw!r} is not a period; use {PERIOD_FORMS}")
    text = raw.strip()
    try:
        if m := _YEAR.match(text):
            y = int(m[1])
            return Period(date(y, 12, 31), date(y, 1, 1), text)
        if m := _QUARTER.match(text):
            y, q = int(m[1]), int(m[2])
            first = 3 * (q - 1) + 1
            last = first + 2
            return Period(date(y, last, calendar.monthrange(y, last)[1]), date(y, first, 1), f"{y}-Q{q}")
        if m := _MONTH.match(text):
            y, mo = int(m[1]), int(m[2])
            return Period(date(y, mo, calendar.monthrange(y, mo)[1]), date(y, mo, 1), f"{y}-{mo:02d}")
        if m := _DAY.match(text):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return Period(d, d, d.isoformat())
    except ValueError as exc:  # month 13, 30 February and the like
        raise ValueError(f"{raw!r} is not a real date ({exc})") from None
    raise ValueError(f"{raw!r} is not a period; use {PERIOD_FORMS}")
