"""pydantic models of an `evidence-pack/1` file: the shape; `validate.py` checks meaning."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from drafter.evidence.bounded import Count, Day, Line, Name, Number, Text, day_only
from drafter.evidence.periods import parse_period
from drafter.limits import limit

SCHEMA = "evidence-pack/1"
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
DOCUMENT_KINDS = ("inspection", "monitoring_visit", "focused_visit", "board_briefing")
POLARITIES = ("positive", "negative", "mixed")


def _period_text(value: Any) -> Any:
    """Accept a period written as a bare year (2022) or a date, as YAML would read it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, dt.datetime):
        return day_only(value)  # a time of day is refused with a hint
    if isinstance(value, int | dt.date):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


def _real_period(value: str) -> str:
    """Refuse text that is not a period (202305, 2022-13), so that whatever validates can be worded."""
    try:
        period = parse_period(value)
    except ValueError as exc:
        raise PydanticCustomError("period_parsing", "{why}", {"why": str(exc)}) from None
    if not limit("min_year") <= period.start.year <= limit("max_year"):
        raise PydanticCustomError("date_out_of_range", "the year {year} is implausible", {"year": period.start.year})
    return value


PeriodText = Annotated[str, BeforeValidator(_period_text), AfterValidator(_real_period)]


def _code_text(value: Any) -> Any:
    """Accept an LA number written as a number (806) as well as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


CodeText = Annotated[str, BeforeValidator(_code_text)]


class Strict(BaseModel):
    """Base for pack models: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)


_ITEMS = int(limit("list_items"))
_ENTRIES = int(limit("pack_entries"))


class Recipient(Strict):
    name: Name
    title: Line = "Director of Children's Services"
    address: list[Line] = Field(default_factory=list, max_length=_ITEMS)


class Author(Strict):
    """Who signs a letter that no inspector signs (a summary of the evidence): name and role."""

    name: Name
    title: Line | None = None


class EarlierVisit(Strict):
    """A visit since the last judgement that the letter names (a focused or assurance visit)."""

    kind: Literal["focused_visit", "assurance_visit", "monitoring_visit", "inspection",
                  "joint_targeted_area_inspection"]
    date: PeriodText  # YYYY-MM (or a date); checked as a period in load.py


class DocumentInfo(Strict):
    kind: Literal["inspection", "monitoring_visit", "focused_visit", "board_briefing"] = "monitoring_visit"
    visit_number: Count | None = Field(default=None, ge=1, le=20)
    visit_dates: list[Day] = Field(default_factory=list, max_length=_ITEMS)
    inspectors: list[Name] = Field(default_factory=list, max_length=_ITEMS)
    recipient: Recipient | None = None
    areas_covered: list[str] = Field(default_factory=list, max_length=_ITEMS)
    date: Day | None = None  # the date the letter bears; by default some working days after the visit
    earlier_visits: list[EarlierVisit] = Field(default_factory=list, max_length=_ITEMS)
    purpose: Text | None = None  # for a board briefing
    author: Author | None = None  # who signs a summary of the evidence (no inspector signs it)


class LastJudgement(Strict):
    grade: Literal["outstanding", "good", "requires_improvement", "inadequate"]
    published: PeriodText  # YYYY-MM; checked as a period in validate.py


class IndicatorEntry(Strict):
    id: str
    team: Name | None = None
    series: dict[str, Any] = Field(min_length=1, max_length=int(limit("series_points")))
    comparators: dict[Literal["england", "statistical_neighbours", "region"], Number] | None = None
    note: Text | None = None


class Sample(Strict):
    feature: str
    seen: Count = Field(ge=0)
    of: Count
    period: PeriodText | None = None
    note: Text | None = None


class Note(Strict):
    topic: str
    polarity: str
    text: Text
    source: Line | None = None
    period: PeriodText | None = None


class EvidencePack(Strict):
    schema_: Literal["evidence-pack/1"] = Field(alias="schema")
    authority: Name
    la_code: CodeText | None = Field(default=None, max_length=20)  # optional: LA number (806) or ONS code
    as_of: Day
    document: DocumentInfo = Field(default_factory=DocumentInfo)
    last_judgement: LastJudgement | None = None
    indicators: list[IndicatorEntry] = Field(default_factory=list, max_length=_ENTRIES)
    samples: list[Sample] = Field(default_factory=list, max_length=_ENTRIES)
    notes: list[Note] = Field(default_factory=list, max_length=_ENTRIES)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
