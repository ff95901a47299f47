"""The evidence helpers rule conditions and phrases call; each records what it read for provenance.

A helper that needs evidence the pack lacks raises NotEvaluable naming the item, so a rule is
reported as not evaluable instead of silently quiet.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from drafter.errors import NotEvaluable
from drafter.evidence.pack import Evidence, Series, run_at_end
from drafter.evidence.periods import parse_period
from drafter.rules.catalogue import Catalogue
from drafter.rules.expr import EVIDENCE_HELPERS, WORDING_HELPERS
from drafter.rules.findings import Recorder, Used
from drafter.vocab import wording
from drafter.vocab.language import load_language

INDICATOR_HELPERS = (
    "latest",
    "previous",
    "values",
    "change",
    "rises",
    "falls",
    "improving",
    "worsening",
    "moves",
    "england",
    "region",
    "neighbours",
    "threshold",
    "count",
    "period",
    "first",
    "label",
    "compare_england",
    "compare_region",
    "compare_neighbours",
    "trend_words",
    "pct_of",
    "england_words",
    "trend_since",
)
SAMPLE_HELPERS = ("sample_share", "sample_seen", "sample_of")


class EvidenceView:
    """Helper functions bound to one pack, one recorder and (optionally) one team."""

    def __init__(self, evidence: Evidence, catalogue: Catalogue, recorder: Recorder, team: str | None = None):
        self.evidence = evidence
        self.catalogue = catalogue
        self.recorder = recorder
        self.team = team

    # -- series ---------------------------------------------------------------------------
    def _team(self, team: str | None) -> str | None:
        """Return the team a helper reads: the rule's own by default, the whole authority for 'all'."""
        if team is None:
            return self.team
        return None if team in ("all", "") else team

    def _series(self, indicator: str, team: str | None, need: int = 1) -> Series:
        team = self._team(team)
        series = self.evidence.get(indicator, team)
        label = indicator + (f" (team {team})" if team else "")
        if series is None:
            raise NotEvaluable([indicator], [f"{label}: the pack has no values"])
        if len(series.points) < need:
            raise NotEvaluable([indicator], [f"{label}: {need} periods needed, {len(series.points)} given"])
        return series

    def _record(self, series: Series, points) -> None:
        spec = self.catalogue.get(series.indicator)
        unit = spec.unit if spec else ""
        for point in points:
            self.recorder.add(Used("value", series.indicator, point.value, point.period.label, series.team, unit))

    def latest(self, indicator: str, team: str | None = None) -> float:
        series = self._series(indicator, team)
        self._record(series, series.points[-1:])
        return series.latest.value

    def previous(self, indicator: str, n: int = 1, team: str | None = None) -> float:
        series = self._series(indicator, team, need=n + 1)
        self._record(series, [series.points[-1 - n], series.points[-1]])
        return series.points[-1 - n].value

    def first(self, indicator: str, team: str | None = None) -> float:
        series = self._series(indicator, team, need=2)
        self._record(series, [series.points[0], series.points[-1]])
        return series.points[0].value

    def values(self, indicator: str, team: str | None = None) -> list[float]:
        series = self._series(indicator, team)
        self._record(series, series.points)
        return [p.value for p in series.points]

    def count(self, indicator: str, team: str | None = None) -> int:
        """Return how many periods the series holds (0 when absent; never raises)."""
        series = self.evidence.get(indicator, self._team(team))
        return len(series.points) if series else 0

    def has(self, indicator: str, team: str | None = None) -> bool:
        return self.count(indicator, team) > 0

    def period(self, indicator: str, team: str | None = None) -> str:
        """Return the latest period of a series in words ('March 2022')."""
        series = self._series(indicator, team)
        return series.latest.period.words()

    def previous_period(self, indicator: str, n: int = 1, team: str | None = None) -> str:
        """Return the period n before the latest, in words."""
        series = self._series(indicator, team, need=n + 1)
        return series.points[-1 - n].period.words()

    def audit_period(self, offset: int = 0, team: str | None = None) -> str:
        """Return the period of the latest audit round (or `offset` rounds before), in words."""
        series = self._series("audit.ratings", team, need=offset + 1)
        return series.points[-1 - offset].period.words()

    def expected_min(self, indicator: str) -> float:
        """Return the low end of a context indicator's expected range (catalogue `expected_range`)."""
        return self._expected(indicator).min

    def expected_max(self, indicator: str) -> float:
        return self._expected(indicator).max

    def _expected(self, indicator: str):
        spec = self.catalogue.get(indicator)
        if spec is None or spec.expected_range is None:
            raise NotEvaluable([f"{indicator}:expected_range"], [f"{indicator}: the catalogue has no expected range"])
        self.recorder.add(Used("threshold", indicator, f"{spec.expected_range.min}-{spec.expected_range.max}", None,
                               None, "expected range (catalogue)"))
        return spec.expected_range

    def threshold_label(self, indicator: str, name: str) -> str:
        """Return a threshold's wording from the catalogue ('the 26-week statutory limit')."""
        spec = self.catalogue.get(indicator)
        found = spec.threshold(name) if spec else None
        if found is None:
            raise NotEvaluable([f"{indicator}:{name}"], [f"{indicator}: the catalogue has no threshold {name!r}"])
        return found.label

    def change(self, indicator: str, n: int = 1, team: str | None = None) -> float:
        return self.latest(indicator, team) - self.previous(indicator, n, team)

    def _run(self, indicator: str, team: str | None) -> tuple[str, int]:
        """Return the direction ('up', 'down', 'stable') and length of the run of moves at the end."""
        series = self._series(indicator, team, need=2)
        self._record(series, series.points)
        return run_at_end([p.value for p in series.points], load_language().trend.stable_within)

    def rises(self, indicator: str, team: str | None = None) -> int:
        direction, run = self._run(indicator, team)
        return run if direction == "up" else 0

    def falls(self, indicator: str, team: str | None = None) -> int:
        direction, run = self._run(indicator, team)
        return run if direction == "down" else 0

    def moves(self, indicator: str, team: str | None = None) -> int:
        """Return the run of moves at the end: positive for rises, negative for falls, 0 when stable."""
        direction, run = self._run(indicator, team)
        return run if direction == "up" else -run if direction == "down" else 0

    def _better(self, indicator: str) -> str:
        spec = self.catalogue.get(indicator)
        return spec.better if spec else "context"

    def improving(self, indicator: str, team: str | None = None) -> int:
        """Return consecutive moves in the better direction at the end of the series (0 for context)."""
        better = self._better(indicator)
        if better == "lower":
            return self.falls(indicator, team)
        if better == "higher":
            return self.rises(indicator, team)
        return 0

    def worsening(self, indicator: str, team: str | None = None) -> int:
        better = self._better(indicator)
        if better == "lower":
            return self.rises(indicator, team)
        if better == "higher":
            return self.falls(indicator, team)
        return 0

    # -- comparators and thresholds -------------------------------------------------------
    def _comparator(self, indicator: str, group: str, team: str | None = None):
        """Return the comparator figure for the latest value (drafter/official/comparators.py decides which)."""
        from drafter.official.comparators import resolve  # loads the official dataset on first use

        return resolve(self.evidence, indicator, group, self._team(team))

    def _record_comparator(self, indicator: str, figure) -> float:
        self.recorder.add(Used("comparator", indicator, figure.value, figure.period, None, figure.detail,
                               figure.published))
        return figure.value

    def has_comparator(self, indicator: str, group: str = "england", team: str | None = None) -> bool:
        """Return whether a comparator fits the latest value (never raises): for phrases that mention one
        only when it exists."""
        try:
            self._comparator(indicator, group, team)
        except NotEvaluable:
            return False
        return True

    def england(self, indicator: str, team: str | None = None) -> float:
        """Return the England figure for the year that fits the latest value (never a later year)."""
        return self._record_comparator(indicator, self._comparator(indicator, "england", team))

    def region(self, indicator: str, team: str | None = None) -> float:
        """Return the figure for the authority's region, for the year that fits the latest value."""
        return self._record_comparator(indicator, self._comparator(indicator, "region", team))

    def neighbours(self, indicator: str, team: str | None = None) -> float:
        """Return the mean of the statistical neighbours' figures, for the year that fits the latest value."""
        return self._record_comparator(indicator, self._comparator(indicator, "statistical_neighbours", team))

    def threshold(self, indicator: str, name: str) -> float:
        spec = self.catalogue.get(indicator)
        found = spec.threshold(name) if spec else None
        if found is None:
            raise NotEvaluable([f"{indicator}:{name}"], [f"{indicator}: the catalogue has no threshold {name!r}"])
        self.recorder.add(Used("threshold", indicator, found.value, None, None, f"{found.label}; {found.source}"))
        return found.value

    def label(self, indicator: str) -> str:
        spec = self.catalogue.get(indicator)
        return spec.label if spec else indicator

    def pct_of(self, part: float, whole: float) -> float:
        return 100.0 * part / whole if whole else 0.0

    # -- samples --------------------------------------------------------------------------
    def _sample(self, feature: str):
        for sample in self.evidence.samples:
            if sample.feature == feature:
                self.recorder.add(Used("sample", feature, f"{sample.seen} of {sample.of}", sample.period))
                return sample
        raise NotEvaluable([feature], [f"{feature}: the pack has no such case sample"])

    def sample_share(self, feature: str) -> float:
        sample = self._sample(feature)
        return sample.seen / sample.of

    def sample_seen(self, feature: str) -> int:
        return self._sample(feature).seen

    def sample_of(self, feature: str) -> int:
        return self._sample(feature).of

    def has_sample(self, feature: str) -> bool:
        return any(s.feature == feature for s in self.evidence.samples)

    # -- audits ---------------------------------------------------------------------------
    def _audit(self, offset: int, team: str | None):
        team = self._team(team)
        series = self.evidence.get("audit.ratings", team)
        if series is None:
            raise NotEvaluable(["audit.ratings"], ["audit.ratings: the pack has no audit ratings"])
        if len(series.points) < offset + 1:
            raise NotEvaluable(
                ["audit.ratings"], [f"audit.ratings: {offset + 1} periods needed, {len(series.points)} given"]
            )
        point = series.points[-1 - offset]
        counts = ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in point.value.items())
        self.recorder.add(Used("audit", "audit.ratings", counts, point.period.label, series.team))
        return point.value

    def audit_total(self, offset: int = 0, team: str | None = None) -> int:
        return sum(self._audit(offset, team).values())

    def audit_count(self, grades: str | list[str], offset: int = 0, team: str | None = None) -> int:
        counts = self._audit(offset, team)
        wanted = [grades] if isinstance(grades, str) else list(grades)
        return sum(counts.get(g, 0) for g in wanted)

    def audit_share(self, grades: str | list[str], offset: int = 0, team: str | None = None) -> float:
        total = self.audit_total(offset, team)
        return self.audit_count(grades, offset, team) / total if total else 0.0

    def audit_periods(self, team: str | None = None) -> int:
        series = self.evidence.get("audit.ratings", self._team(team))
        return len(series.points) if series else 0

    def has_audits(self, team: str | None = None) -> bool:
        return self.audit_periods(team) > 0

    # -- notes and teams ------------------------------------------------------------------
    def notes_count(self, topic: str, polarity: str | None = None) -> int:
        return sum(1 for n in self.evidence.notes if n.topic == topic and (polarity is None or n.polarity == polarity))

    def teams(self, indicator: str) -> list[str]:
        return self.evidence.teams(indicator)

    # -- wording that needs evidence ------------------------------------------------------
    def _compare(self, indicator: str, group: str, team: str | None):
        value = self.latest(indicator, team)
        figure = self._comparator(indicator, group, team)
        self._record_comparator(indicator, figure)
        spec = self.catalogue.get(indicator)
        unit = spec.unit if spec else "cases"
        return wording.comparison(value, figure.value, figure.when, unit, figure.name), figure, unit

    def compare_england(self, indicator: str, team: str | None = None) -> str:
        """Return 'above the England average of 16.0 at 30 September 2023', with the statistical
        neighbours' figure for the same year after it when the authority has one."""
        text, figure, unit = self._compare(indicator, "england", team)
        if figure.period is None or not wording.neighbours_aside(0, unit):
            return text
        try:
            aside = self._comparator(indicator, "statistical_neighbours", team)
        except NotEvaluable:
            return text
        if aside.period != figure.period or aside.published != figure.published:
            return text
        self._record_comparator(indicator, aside)
        return text + wording.neighbours_aside(aside.value, unit)

    def compare_region(self, indicator: str, team: str | None = None) -> str:
        """Return 'below the North East average of 21.6% for 2023 to 2024'."""
        return self._compare(indicator, "region", team)[0]

    def compare_neighbours(self, indicator: str, team: str | None = None) -> str:
        """Return "in line with the statistical neighbours' average of 24.1% for 2023 to 2024"."""
        return self._compare(indicator, "statistical_neighbours", team)[0]

    def england_words(self, indicator: str, team: str | None = None) -> str:
        """Return 'above the England average' (below, in line with) without the figures."""
        value = self.latest(indicator, team)
        figure = self._comparator(indicator, "england", team)
        self._record_comparator(indicator, figure)
        return wording.comparison_words(value, figure.value, figure.name)

    def trend_since(self, indicator: str, team: str | None = None) -> str:
        """Return the period the run of moves that ends the series started from, in words ('March 2021')."""
        series = self._series(indicator, team, need=2)
        _, run = self._run(indicator, team)
        return series.points[-1 - max(run, 1)].period.words()

    def trend_words(self, indicator: str, team: str | None = None) -> str:
        """Return 'reduced' / 'continued to reduce' / 'increased' / … for the run at the end."""
        direction, run = self._run(indicator, team)
        return wording.trend_verb(direction, run) if direction else ""

    def context(self) -> dict[str, Any]:
        """Return the names conditions and phrases may call: every helper the expression language
        allows (rules/expr.py) that this view implements, and a few safe built-ins."""
        return {name: getattr(self, name) for name in _helper_names(type(self))} | _BUILTINS


_BUILTINS = {"min": min, "max": max, "abs": abs, "round": round, "len": len, "sum": sum}


@lru_cache(maxsize=8)
def _helper_names(view: type) -> tuple[str, ...]:
    """Return the helpers the expression language allows that `view` implements (worked out once)."""
    return tuple(name for name in dict.fromkeys((*EVIDENCE_HELPERS, *WORDING_HELPERS))
                 if name not in _BUILTINS and hasattr(view, name) and not name.startswith("_"))


def wording_context() -> dict[str, Any]:
    """Return the wording helpers phrases may call."""
    return {
        "num": wording.num,
        "num1": wording.num1,
        "pct": wording.pct,
        "share_pct": wording.share_pct,
        "number_words": wording.number_words,
        "ordinal": wording.ordinal,
        "plural": wording.plural,
        "count_of": wording.count_of,
        "quantifier": wording.quantifier,
        "date_words": wording.date_words,
        "date_range": wording.date_range,
        "month_year": wording.month_year,
        "period_words": lambda label: parse_period(label).words(),
        "join_words": wording.join_words,
        "trend_verb": wording.trend_verb, "team_words": wording.team_words, "with_unit": wording.with_unit,
    }
