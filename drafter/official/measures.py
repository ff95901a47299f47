"""`rules/official_measures.yaml`: which DfE measure is which indicator, and when each publication comes out."""

from __future__ import annotations

import calendar
import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.paths import PROJECT_ROOT, rules_dir

Basis = Literal["year_to_31_march", "at_31_march", "at_30_september"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Publication(_Strict):
    name: str
    publisher: str
    url: str
    basis: Basis
    release_month: int = Field(ge=1, le=12)
    released: dict[int, str] = Field(default_factory=dict)  # year -> YYYY-MM where it differs


class Source(_Strict):
    """Where one measure's figures come from: an EES column (with filters) or a LAIT measure."""

    ees: str | None = None  # the EES file's name without its year range, e.g. csww_indicators
    column: str | None = None
    where: dict[str, str] = Field(default_factory=dict)
    lait: str | None = None

    @property
    def label(self) -> str:
        """Return 'ees:csww_indicators/caseload_fte' or 'lait:ReReferral'."""
        return f"ees:{self.ees}/{self.column}" if self.ees else f"lait:{self.lait}"


class Measure(_Strict):
    indicator: str
    publication: str
    measure: str
    basis: Basis | None = None
    sources: list[Source] = Field(min_length=1)


class NeighbourModel(_Strict):
    id: str
    name: str
    file: str
    from_: dt.date = Field(alias="from")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class ComparatorSettings(_Strict):
    neighbours_average: Literal["mean"] = "mean"
    min_neighbours: int = Field(6, ge=1, le=10)
    max_age_years: float = Field(4, gt=0)


class OfficialMeasures(_Strict):
    schema_: Literal["official-measures/1"] = Field(alias="schema")
    publications: dict[str, Publication]
    measures: list[Measure]
    lait_areas: dict[str, str]
    neighbour_models: list[NeighbourModel]
    comparators: ComparatorSettings

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def measure(self, indicator: str) -> Measure | None:
        """Return the measure behind an indicator id, or None when DfE publishes none for it."""
        return next((m for m in self.measures if m.indicator == indicator), None)

    def basis(self, indicator: str) -> Basis:
        """Return the reference-period basis of an indicator's official figures."""
        measure = self.measure(indicator)
        if measure is None:
            raise KeyError(indicator)
        return measure.basis or self.publications[measure.publication].basis


def measures_path() -> Path:
    """Return rules/official_measures.yaml from DRAFTER_RULES when it has one, else the bundled file."""
    own = rules_dir() / "official_measures.yaml"
    return own if own.exists() else PROJECT_ROOT / "rules" / "official_measures.yaml"


def load_measures(path: Path | None = None) -> OfficialMeasures:
    """Return the validated official-measures file; raise RulebookError naming file:line on any problem."""
    return _load_cached(str(path or measures_path()))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> OfficialMeasures:
    config, _source = load_config(Path(path), OfficialMeasures, "official measures file", RulebookError)
    for m in config.measures:
        if m.publication not in config.publications:
            raise RulebookError(Problem(f"measure {m.indicator} names an unknown publication {m.publication!r}",
                                        path=path, expected=", ".join(config.publications)))
        for s in m.sources:
            if bool(s.ees) == bool(s.lait) or (s.ees and not s.column):
                raise RulebookError(Problem(f"measure {m.indicator}: each source needs `ees` and `column`, or `lait`",
                                            path=path, found=s.label))
    return config


def period_end(basis: Basis, year: int) -> dt.date:
    """Return the last day a figure for `year` describes: 31 March, or 30 September for the census."""
    return dt.date(year, 9, 30) if basis == "at_30_september" else dt.date(year, 3, 31)


def released(publication: Publication, year: int) -> str:
    """Return the month (YYYY-MM) a year's figures were released: the usual month after the period ends."""
    if year in publication.released:
        return publication.released[year]
    end = period_end(publication.basis, year)
    release_year = end.year + (1 if publication.release_month <= end.month else 0)
    return f"{release_year}-{publication.release_month:02d}"


@lru_cache(maxsize=1024)
def available_from(month: str) -> dt.date:
    """Return the day from which a figure released in `month` (YYYY-MM) counts as published: its last day."""
    year, mon = (int(x) for x in month.split("-"))
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])
