"""pydantic models of an `evidence-pack/1` file: the shape; `validate.py` checks meaning."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

SCHEMA = "evidence-pack/1"
GRADES = ("outstanding", "good", "requires_improvement", "inadequate")
DOCUMENT_KINDS = ("inspection", "monitoring_visit", "focused_visit", "board_briefing")
POLARITIES = ("positive", "negative", "mixed")


def _period_text(value: Any) -> Any:
    """Accept a period written as a bare year (2022) or a date, as YAML would read it."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | dt.date):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return value


PeriodText = Annotated[str, BeforeValidator(_period_text)]


def _code_text(value: Any) -> Any:
    """Accept an LA number written as a number (806) as well as text."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


CodeText = Annotated[str, BeforeValidator(_code_text)]


class Strict(BaseModel):
    """Base for pack models: unknown keys are mistakes, not extensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Recipient(Strict):
    name: str
    title: str = "Director of Children's Services"
    address: list[str] = Field(default_factory=list)


class EarlierVisit(Strict):
    """A visit since the last judgement that the letter names (a focused or assurance visit)."""

    kind: Literal["focused_visit", "assurance_visit", "monitoring_visit", "inspection",
                  "joint_targeted_area_inspection"]
    date: PeriodText  # YYYY-MM (or a date); checked as a period in load.py


class DocumentInfo(Strict):
    kind: Literal["inspection", "monitoring_visit", "focused_visit", "board_briefing"] = "monitoring_visit"
    visit_number: int | None = Field(default=None, ge=1, le=20)
    visit_dates: list[dt.date] = Field(default_factory=list)
    inspectors: list[str] = Field(default_factory=list)
    recipient: Recipient | None = None
    areas_covered: list[str] = Field(default_factory=list)
    date: dt.date | None = None  # the date the letter bears; by default some working days after the visit
    earlier_visits: list[EarlierVisit] = Field(default_factory=list)
    purpose: str | None = None  # for a board briefing


class LastJudgement(Strict):
    grade: Literal["outstanding", "good", "requires_improvement", "inadequate"]
    published: PeriodText  # YYYY-MM; checked as a period in validate.py


class IndicatorEntry(Strict):
    id: str
    team: str | None = None
    series: dict[str, Any] = Field(min_length=1)
    comparators: dict[Literal["england", "statistical_neighbours", "region"], float] | None = None
    note: str | None = None


class Sample(Strict):
    feature: str
    seen: int = Field(ge=0)
    of: int
    period: PeriodText | None = None
    note: str | None = None


class Note(Strict):
    topic: str
    polarity: str
    text: str = Field(min_length=1)
    source: str | None = None
    period: PeriodText | None = None


class EvidencePack(Strict):
    schema_: Literal["evidence-pack/1"] = Field(alias="schema")
    authority: str = Field(min_length=1)
    la_code: CodeText | None = None  # optional: the LA number (806) or ONS code, when the name is ambiguous
    as_of: dt.date
    document: DocumentInfo = Field(default_factory=DocumentInfo)
    last_judgement: LastJudgement | None = None
    indicators: list[IndicatorEntry] = Field(default_factory=list)
    samples: list[Sample] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
