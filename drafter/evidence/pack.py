"""The validated evidence the engine reads: series sorted by period, samples and notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drafter.evidence.models import EvidencePack, Note, Sample
from drafter.evidence.periods import Period


@dataclass(frozen=True)
class Point:
    """One value of a series at one period (a number, or counts by grade for audits)."""

    period: Period
    value: Any


@dataclass(frozen=True)
class Series:
    """An indicator's values over time for the whole authority (team None) or one team."""

    indicator: str
    team: str | None
    points: tuple[Point, ...]
    comparators: dict[str, float] = field(default_factory=dict)

    @property
    def latest(self) -> Point:
        """Return the most recent point: the current value."""
        return self.points[-1]


@dataclass(frozen=True)
class Evidence:
    """A loaded pack: the validated model plus series indexed by (indicator, team)."""

    pack: EvidencePack
    path: str
    series: dict[tuple[str, str | None], Series]
    warnings: tuple[Any, ...] = ()  # Problems at level "warning": the pack is used, but something looks wrong

    def get(self, indicator: str, team: str | None = None) -> Series | None:
        """Return the series for an indicator (and team), or None when the pack has none."""
        return self.series.get((indicator, team))

    def teams(self, indicator: str) -> list[str]:
        """Return the teams with their own series for an indicator, sorted."""
        return sorted(t for (i, t) in self.series if i == indicator and t is not None)

    @property
    def samples(self) -> list[Sample]:
        return list(self.pack.samples)

    @property
    def notes(self) -> list[Note]:
        return list(self.pack.notes)

    def summary(self) -> str:
        """Return '(N indicators, M samples, K notes, as of DATE)' for `validate` and `demo`."""
        n = len(self.pack.indicators)
        return (
            f"{n} indicator{'s' * (n != 1)}, {len(self.pack.samples)} sample"
            f"{'s' * (len(self.pack.samples) != 1)}, {len(self.pack.notes)} note"
            f"{'s' * (len(self.pack.notes) != 1)}, as of {self.pack.as_of.isoformat()}"
        )


def run_at_end(values: list[float], stable_within: float) -> tuple[str, int]:
    """Return the direction ('up', 'down', 'stable', or '' for one value) and length of the run of
    moves that ends a series; a move within `stable_within` of the earlier value counts as stable."""
    direction, run = "", 0
    for before, after in zip(reversed(values[:-1]), reversed(values[1:]), strict=False):
        step = after - before
        scale = abs(before) or 1.0
        this = "stable" if abs(step) <= stable_within * scale else ("up" if step > 0 else "down")
        if not direction:
            direction = this
        if this != direction:
            break
        run += 1
    return direction, run
