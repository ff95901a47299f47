"""The indicator catalogue (`rules/indicators.yaml`): units, better direction, ranges, comparators, thresholds."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir

Unit = Literal["percent", "count", "cases", "days", "weeks", "per_10000", "grades"]
Better = Literal["lower", "higher", "context"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Range(_Strict):
    min: float
    max: float


class Comparator(_Strict):
    """A dated England figure for an indicator DfE does not publish: quoted only under the never-later rule."""

    value: float
    area: str = "England"  # the area the figure covers when it is not England alone ('England and Wales')
    period: str  # the period in words, as the source names it: '2015 to 2018'
    ends: dt.date  # the last day the figure describes
    published: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")  # YYYY-MM
    source: str
    approximate: bool = False


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


Comparators = Annotated[list[Comparator], BeforeValidator(_as_list)]


class Threshold(_Strict):
    name: str
    value: float
    unit: str
    label: str
    source: str


class IndicatorSpec(_Strict):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    label: str
    topic: str
    terms: list[str] = Field(default_factory=list)
    unit: Unit
    better: Better
    range: Range
    england: Comparators = Field(default_factory=list)
    thresholds: list[Threshold] = Field(default_factory=list)
    grades: list[str] | None = None
    expected_range: Range | None = None

    def threshold(self, name: str) -> Threshold | None:
        """Return the named threshold, or None when the catalogue defines none by that name."""
        return next((t for t in self.thresholds if t.name == name), None)


class Catalogue(_Strict):
    schema_: Literal["indicator-catalogue/1"] = Field(alias="schema")
    indicators: list[IndicatorSpec]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def get(self, indicator_id: str) -> IndicatorSpec | None:
        """Return the spec for an id, or None when the id is not in the catalogue."""
        known = self.__dict__.get("_by_id")
        return (known if known is not None else self.by_id()).get(indicator_id)

    def by_id(self) -> dict[str, IndicatorSpec]:
        """Return the specs keyed by id (worked out once: the engine asks thousands of times per pack)."""
        known = self.__dict__.get("_by_id")
        if known is None:
            known = {spec.id: spec for spec in self.indicators}
            self.__dict__["_by_id"] = known  # the model is frozen; this is a cache, not a field
        return dict(known)

    def ids(self) -> list[str]:
        """Return every indicator id, in catalogue order."""
        return [spec.id for spec in self.indicators]


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Return the validated catalogue; raise RulebookError naming file:line on any problem."""
    return _load_cached(str(path or rules_dir() / "indicators.yaml"))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Catalogue:
    catalogue, source = load_config(Path(path), Catalogue, "indicator catalogue", RulebookError)
    seen: set[str] = set()
    for spec in catalogue.indicators:
        if spec.id in seen:
            raise RulebookError(Problem(f"indicator {spec.id!r} is defined twice", path=path))
        seen.add(spec.id)
    return catalogue
