"""Working days in England: Monday to Friday, less the bank holidays listed in rules/annex_a/bank_holidays.yaml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.paths import rules_dir


class _Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    date: dt.date
    name: str


class _Covers(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
    from_: dt.date = Field(alias="from")
    to: dt.date


class _HolidayFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
    schema_: Literal["bank-holidays/1"] = Field(alias="schema")
    region: str
    source: str
    covers: _Covers
    holidays: list[_Holiday]


class OutsideCalendar(ValueError):
    """A date the bank holiday list does not cover: working days cannot be counted for it."""

    def __init__(self, day: dt.date, first: dt.date, last: dt.date):
        self.day, self.first, self.last = day, first, last
        super().__init__(
            f"{day.isoformat()} is outside the bank holiday list ({first.isoformat()} to {last.isoformat()})"
        )


@dataclass(frozen=True)
class Calendar:
    """England's working days over the years the bank holiday list covers."""

    first: dt.date
    last: dt.date
    holidays: frozenset[dt.date]
    _running: tuple[int, ...]  # working days from `first` up to and including each day

    def working_days(self, start: dt.date, end: dt.date) -> int:
        """Return the working days after `start` up to and including `end` (negative when end is earlier).

        A working day is Monday to Friday and not a bank holiday. Raise OutsideCalendar for a date
        the bank holiday list does not cover."""
        for day in (start, end):
            if not self.first <= day <= self.last:
                raise OutsideCalendar(day, self.first, self.last)
        return self._running[(end - self.first).days] - self._running[(start - self.first).days]

    def is_working_day(self, day: dt.date) -> bool:
        """Return whether `day` is a working day (OutsideCalendar outside the list's years)."""
        if not self.first <= day <= self.last:
            raise OutsideCalendar(day, self.first, self.last)
        return day.weekday() < 5 and day not in self.holidays


def load_calendar(path: Path | None = None) -> Calendar:
    """Return the working-day calendar from the bank holiday list (RulebookError when it is invalid)."""
    return _load_cached(str(path or rules_dir() / "annex_a" / "bank_holidays.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Calendar:
    data, _ = load_config(Path(path), _HolidayFile, "bank holiday list")
    first, last = data.covers.from_, data.covers.to
    holidays = frozenset(h.date for h in data.holidays)
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    running = tuple(accumulate(int(d.weekday() < 5 and d not in holidays) for d in days))
    return Calendar(first, last, holidays, running)
