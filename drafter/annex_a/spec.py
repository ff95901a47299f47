"""The Annex A rules data (rules/annex_a/): lists, columns, codes and measure definitions, validated."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir

ColumnType = Literal["date", "count", "id", "team", "code"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def header_key(text: Any) -> str:
    """Return a header or code as compared: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", str(text).casefold())


class ColumnSpec(_Strict):
    name: str
    variants: list[str] = Field(default_factory=list)
    type: ColumnType
    words: str
    required: bool = True
    codes: dict[str, list[str]] = Field(default_factory=dict)
    first_word: bool = False

    @model_validator(mode="after")
    def _codes_for_code_columns(self) -> ColumnSpec:
        if (self.type == "code") != bool(self.codes):
            raise ValueError("a column of type code needs `codes`, and only such a column may have them")
        return self

    def headers(self) -> list[str]:
        """Return the standard header and its variants."""
        return [self.name, *self.variants]


class ListSpec(_Strict):
    number: int = Field(ge=1, le=11)
    title: str
    required: bool = True
    window_date: str | None = None
    columns: dict[str, ColumnSpec]
    known: list[str] = Field(default_factory=list)

    @property
    def label(self) -> str:
        """Return 'List 3'."""
        return f"List {self.number}"

    @model_validator(mode="after")
    def _window_date_is_a_date_column(self) -> ListSpec:
        if self.window_date is not None:
            column = self.columns.get(self.window_date)
            if column is None or column.type != "date":
                raise ValueError(f"window_date {self.window_date!r} is not a date column of the list")
        return self


class ListsFile(_Strict):
    schema_: Literal["annex-a-lists/1"] = Field(alias="schema")
    lists: list[ListSpec]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


# ---------------------------------------------------------------- measures


class AtLeast(_Strict):
    kind: Literal["at_least"]
    column: str
    value: float


class WorkingDaysAtMost(_Strict):
    kind: Literal["working_days_at_most"]
    start: str
    end: str
    limit: int = Field(ge=0)


class LastedYears(_Strict):
    kind: Literal["lasted_years"]
    start: str
    end: str
    years: int = Field(ge=1)


class DaysBeforeAsOfAtMost(_Strict):
    kind: Literal["days_before_as_of_at_most"]
    column: str
    limit: int = Field(ge=0)


class CodeIn(_Strict):
    kind: Literal["code_in"]
    column: str
    codes: list[str] = Field(min_length=1)


Condition = Annotated[
    AtLeast | WorkingDaysAtMost | LastedYears | DaysBeforeAsOfAtMost | CodeIn, Field(discriminator="kind")
]


class DaysBetween(_Strict):
    start: str
    end: str


class Scope(_Strict):
    kind: Literal["events", "in_care", "listed"]
    date: str | None = None  # events: the date that puts a row in a period
    start: str | None = None  # in_care: started to be looked after
    end: str | None = None  # in_care: ceased to be looked after
    child: str | None = None  # in_care, listed: the child's ID, to count each child once

    @model_validator(mode="after")
    def _keys_for_kind(self) -> Scope:
        needed = {"events": ("date",), "in_care": ("start", "end", "child"), "listed": ("child",)}[self.kind]
        missing = [k for k in needed if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a scope of kind {self.kind} needs {', '.join(missing)}")
        return self


class Example(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    as_of: dt.date
    from_: dt.date | None = Field(default=None, alias="from")
    rows: list[dict[str, Any]]
    value: float | None  # the expected value for the whole window; null: no value (nothing to count)
    counted: int | None = None
    of: int | None = None
    teams: dict[str, float] = Field(default_factory=dict)
    skipped: dict[str, int] = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class MeasureSpec(_Strict):
    indicator: str
    list_number: int = Field(alias="list", ge=1, le=11)
    unit: Literal["percent", "days"]
    noun: str  # what is counted: "referrals", "children"
    definition: str
    scope: Scope
    share_of: Condition | None = None  # percent: the share of rows in scope meeting this condition
    average_of: DaysBetween | None = None  # days: the mean number of days between two dates
    examples: list[Example] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    @model_validator(mode="after")
    def _one_value(self) -> MeasureSpec:
        if (self.share_of is None) == (self.average_of is None):
            raise ValueError("a measure has either share_of (unit percent) or average_of (unit days)")
        if (self.unit == "percent") != (self.share_of is not None):
            raise ValueError("share_of gives a percent; average_of gives days")
        return self

    def columns(self) -> list[str]:
        """Return the keys of every column the measure reads."""
        keys = [self.scope.date, self.scope.start, self.scope.end, self.scope.child]
        for part in (self.share_of, self.average_of):
            if part is not None:
                keys += [getattr(part, k, None) for k in ("column", "start", "end")]
        return [k for k in dict.fromkeys(keys) if k]


class MeasuresFile(_Strict):
    schema_: Literal["annex-a-measures/1"] = Field(alias="schema")
    measures: list[MeasureSpec]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class AnnexASpec(_Strict):
    """The lists and the measures, checked against each other and the indicator catalogue."""

    lists: dict[int, ListSpec]
    measures: list[MeasureSpec]
    path: str


def load_spec(folder: Path | None = None) -> AnnexASpec:
    """Return the validated Annex A rules data; raise RulebookError naming the file for any problem."""
    return _load_cached(str(folder or rules_dir() / "annex_a"))


@lru_cache(maxsize=4)
def _load_cached(folder: str) -> AnnexASpec:
    from drafter.rules.catalogue import load_catalogue

    lists_path, measures_path = Path(folder) / "lists.yaml", Path(folder) / "measures.yaml"
    lists_file, _ = load_config(lists_path, ListsFile, "Annex A list definitions")
    measures_file, _ = load_config(measures_path, MeasuresFile, "Annex A measures")
    problems: list[Problem] = []
    lists: dict[int, ListSpec] = {}
    for spec in lists_file.lists:
        if spec.number in lists:
            problems.append(Problem(f"List {spec.number} is defined twice", path=str(lists_path)))
        lists[spec.number] = spec
        problems += _header_clashes(spec, str(lists_path))
    catalogue = load_catalogue()
    for measure in measures_file.measures:
        where = f"measure {measure.indicator}"
        spec = lists.get(measure.list_number)
        if catalogue.get(measure.indicator) is None:
            problems.append(
                Problem(
                    f"{where}: unknown indicator id",
                    path=str(measures_path),
                    expected="an id from rules/indicators.yaml",
                )
            )
        elif catalogue.get(measure.indicator).unit != measure.unit:
            problems.append(
                Problem(
                    f"{where}: unit {measure.unit} differs from the catalogue's",
                    path=str(measures_path),
                    found=measure.unit,
                    expected=catalogue.get(measure.indicator).unit,
                )
            )
        if spec is None:
            problems.append(Problem(f"{where}: List {measure.list_number} is not defined", path=str(measures_path)))
            continue
        for key in measure.columns():
            if key not in spec.columns:
                problems.append(
                    Problem(
                        f"{where}: List {measure.list_number} has no column {key!r}",
                        path=str(measures_path),
                        expected=", ".join(spec.columns),
                    )
                )
        condition = measure.share_of
        if isinstance(condition, CodeIn) and condition.column in spec.columns:
            unknown = [c for c in condition.codes if c not in spec.columns[condition.column].codes]
            if unknown:
                problems.append(
                    Problem(
                        f"{where}: unknown codes {', '.join(unknown)}",
                        path=str(measures_path),
                        expected=", ".join(spec.columns[condition.column].codes),
                    )
                )
    if problems:
        raise RulebookError(problems)
    return AnnexASpec(lists=lists, measures=list(measures_file.measures), path=folder)


def _header_clashes(spec: ListSpec, path: str) -> list[Problem]:
    """Return a problem for each header name two columns of a list would both claim."""
    owner: dict[str, str] = {}
    problems = []
    names = [(key, name) for key, column in spec.columns.items() for name in column.headers()]
    names += [("(known)", name) for name in spec.known]
    for key, name in names:
        normal = header_key(name)
        if normal in owner and owner[normal] != key:
            problems.append(
                Problem(
                    f"{spec.label}: the header {name!r} belongs to both {owner[normal]} and {key}",
                    path=path,
                    hint="give each header to one column",
                )
            )
        owner.setdefault(normal, key)
    return problems
