"""The words and numbers of charts: axis labels, values as written, and the alt text's sentences."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Literal

from drafter.charts.book import ChartSeries, ChartSpec
from drafter.evidence.pack import Series
from drafter.evidence.periods import Period
from drafter.rules.catalogue import Catalogue, IndicatorSpec
from drafter.vocab.wording import describe_period

_MONTHS = ("January February March April May June July August September October November December").split()
_COMPARATOR_NAMES = {
    "england": "England average",
    "statistical_neighbours": "statistical neighbours' average",
    "region": "regional average",
}
_UNIT_WORDS = {
    "percent": "percentage points",
    "days": "days",
    "weeks": "weeks",
    "count": "",
    "cases": "",
    "per_10000": "per 10,000",
}


def period_words(period: Period) -> str:
    """Return a period as prose gives it: 'March 2022', '2021', 'the second quarter of 2022'."""
    return describe_period(period)


def period_tick(period: Period) -> str:
    """Return a period as an axis label: 'Mar 2022', '2021', 'Q2 2022', '30 Mar 2022'."""
    kind = period.granularity
    if kind == "year":
        return period.label
    if kind == "quarter":
        return f"Q{(period.end.month - 1) // 3 + 1} {period.end.year}"
    if kind == "month":
        return f"{_MONTHS[period.end.month - 1][:3]} {period.end.year}"
    return f"{period.end.day} {_MONTHS[period.end.month - 1][:3]} {period.end.year}"


def _decimals(value: float) -> int:
    """Return how many decimals a value was written with (22.0 -> 1, 458 -> 0), at most 2."""
    if isinstance(value, int):
        return 0
    text = repr(float(value))
    return min(2, len(text.split(".")[1])) if "." in text and "e" not in text else 1


def _significant_decimals(value: float) -> int:
    """Return the decimals a value needs (16.0 -> 0, 15.9 -> 1), at most 2."""
    return 0 if float(value).is_integer() else min(2, _decimals(value))


def format_value(value: float, unit: str, decimals: int, *, with_unit: bool = True) -> str:
    """Return a value as the charts and alt text write it: '20.4%', '17.2', '458 days'."""
    number = f"{value:,.{decimals}f}"
    if not with_unit:
        return number
    if unit == "percent":
        return f"{number}%"
    if unit in ("days", "weeks"):
        return f"{number} {unit[:-1] if number == '1' else unit}"
    if unit == "per_10000":
        return f"{number} per 10,000"
    return number


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def wrap(text: str, width: int) -> str:
    """Return text broken into lines of at most `width` characters, never at a hyphen."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


@dataclass(frozen=True)
class Reference:
    """A horizontal reference line: an England (or other) comparator or a threshold."""

    kind: Literal["comparator", "threshold"]
    value: float
    text: str  # the label drawn beside the chart
    phrase: str  # for alt text: 'the England average was 16.0 in 2023'
    versus: str  # for alt text: 'the latest figure is 1.2 above the England average of 16.0 (2023)'
    source: str  # for the caption


@dataclass(frozen=True)
class SeriesLine:
    """A series ready to draw: its spec, catalogue entry, points and reference lines."""

    entry: ChartSeries
    spec: IndicatorSpec
    series: Series
    decimals: int
    references: tuple[Reference, ...]

    @property
    def xs(self) -> list[float]:
        return [float(p.period.end.toordinal()) for p in self.series.points]

    @property
    def ys(self) -> list[float]:
        return [float(p.value) for p in self.series.points]

    def fmt(self, value: float, *, with_unit: bool = True) -> str:
        return format_value(value, self.spec.unit, self.decimals, with_unit=with_unit)


def _comparison(latest: float, ref: float, line_unit: str, decimals: int, what: str) -> str:
    diff = latest - ref
    if round(diff, decimals) == 0:
        return f"the latest figure equals {what}"
    words = _UNIT_WORDS.get(line_unit, "")
    amount = f"{abs(diff):,.{decimals}f}" + (f" {words}" if words else "")
    if line_unit in ("days", "weeks") and amount == f"1 {line_unit}":
        amount = f"1 {line_unit[:-1]}"
    return f"the latest figure is {amount} {'above' if diff > 0 else 'below'} {what}"


def _official_figure(evidence, series: Series, group: str):
    """Return the comparator that fits the series' latest value (drafter/official/comparators.py), or None."""
    from drafter.errors import NotEvaluable
    from drafter.official.comparators import resolve

    try:
        return resolve(evidence, series.indicator, group, series.team)
    except NotEvaluable:
        return None


def _references(entry: ChartSeries, spec: IndicatorSpec, series: Series, decimals: int, prefix: str,
                evidence=None) -> list:
    """Return the series' reference lines: its comparator (pack override first), then its threshold."""
    refs: list[Reference] = []
    latest = float(series.latest.value)

    def compare(value: float, what: str) -> str:
        return _comparison(latest, value, spec.unit, decimals, what)

    def tag(text: str) -> str:  # 'Agency: england average ...' reads wrong; lower case only after a prefix
        return prefix + (text if prefix else _capital(text))

    if entry.comparator is not None:
        name = _COMPARATOR_NAMES[entry.comparator]
        override = series.comparators.get(entry.comparator)
        if override is not None:
            value = float(override)
            shown = format_value(value, spec.unit, max(decimals, _significant_decimals(value)))
            refs.append(
                Reference(
                    kind="comparator",
                    value=value,
                    text=tag(f"{name} {shown}"),
                    phrase=f"the {name} given in the pack is {shown}",
                    versus=compare(value, f"the {name} of {shown}"),
                    source=f"{_capital(name)}: as given in the pack",
                )
            )
        elif evidence is not None:
            figure = _official_figure(evidence, series, entry.comparator)
            if figure is not None:
                if entry.comparator == "region":
                    name = f"{figure.name} average"
                shown = format_value(figure.value, spec.unit, max(decimals, _significant_decimals(figure.value)))
                about = "about " if figure.approximate else ""
                label = figure.when.removeprefix("for ").removeprefix("at ")
                refs.append(
                    Reference(
                        kind="comparator",
                        value=figure.value,
                        text=tag(f"{name} {shown} ({label})"),
                        phrase=f"the {name} was {about}{shown} {figure.when}",
                        versus=compare(figure.value, f"the {name} of {about}{shown} ({label})"),
                        source=f"{_capital(name)}: {figure.detail.partition('; ')[2] or figure.detail}"
                        + (" (approximate)" if figure.approximate else ""),
                    )
                )
    threshold = spec.threshold(entry.threshold) if entry.threshold is not None else None
    if threshold is not None:
        refs.append(
            Reference(
                kind="threshold",
                value=threshold.value,
                text=tag(threshold.label.removeprefix("the ")),
                phrase=threshold.label,
                versus=compare(threshold.value, threshold.label),
                source=f"Threshold: {threshold.source}",
            )
        )
    return refs


def _trend(line: SeriesLine) -> str:
    points = line.series.points
    first, latest = points[0], points[-1]
    latest_text = f"{line.fmt(latest.value)} in {period_words(latest.period)}"
    if len(points) == 1:
        return f"was {latest_text}"
    first_text = f"{line.fmt(first.value)} in {period_words(first.period)}"
    a, b = round(float(first.value), line.decimals), round(float(latest.value), line.decimals)
    if a == b:
        text = f"was {latest_text}, the same as in {period_words(first.period)}"
    else:
        text = f"{'rose' if b > a else 'fell'} from {first_text} to {latest_text}"
    middle = points[1:-1]
    if middle:
        high = max(middle, key=lambda p: float(p.value))
        low = min(middle, key=lambda p: float(p.value))
        if float(high.value) > max(a, b):
            text += f", peaking at {line.fmt(high.value)} in {period_words(high.period)}"
        elif float(low.value) < min(a, b):
            text += f", with a low of {line.fmt(low.value)} in {period_words(low.period)}"
    return text


def series_fields(line: SeriesLine) -> dict[str, str]:
    """Return the alt-text template fields of one series (see rules/charts.yaml)."""
    points = line.series.points
    comparator = next((r for r in line.references if r.kind == "comparator"), None)
    threshold = next((r for r in line.references if r.kind == "threshold"), None)
    return {
        "label": line.spec.label,
        "Label": _capital(line.spec.label),
        "name": line.entry.name,
        "first": line.fmt(points[0].value),
        "first_period": period_words(points[0].period),
        "latest": line.fmt(points[-1].value),
        "latest_period": period_words(points[-1].period),
        "trend": _trend(line),
        "comparator": comparator.phrase if comparator else "no comparator is available",
        "versus_comparator": comparator.versus if comparator else "no comparator is available",
        "threshold": threshold.phrase if threshold else "no threshold applies",
        "versus_threshold": threshold.versus if threshold else "no threshold applies",
    }


def percent(part: int, whole: int) -> int:
    """Return part/whole as a whole percentage, halves rounded up (so 12.5% shows as 13%)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


def series_lines(chart: ChartSpec, present: list[tuple[ChartSeries, Series]], catalogue: Catalogue,
                 evidence=None) -> list[SeriesLine]:
    """Return the chart's series ready to draw: decimals as written, and their reference lines."""
    lines = []
    for entry, series in present:
        spec = catalogue.get(entry.indicator)
        assert spec is not None  # checked when the rulebook loads
        decimals = max(_decimals(p.value) for p in series.points)
        if spec.unit in ("days", "weeks", "count"):
            decimals = max(_significant_decimals(p.value) for p in series.points)
        prefix = f"{entry.short or entry.name}: " if len(chart.series) > 1 else ""
        refs = _references(entry, spec, series, decimals, prefix, evidence)
        lines.append(SeriesLine(entry, spec, series, decimals, tuple(refs)))
    return lines


def grade_fields(chart: ChartSpec, series: Series) -> dict[str, str]:
    """Return the alt-text template fields of an audit-grades chart (see rules/charts.yaml)."""
    def shares(counts: dict) -> tuple[int, str, str, str, str]:
        n = sum(int(v) for v in counts.values())
        bad = int(counts.get("inadequate", 0))
        good = int(counts.get("outstanding", 0)) + int(counts.get("good", 0))
        return n, str(bad), f"{percent(bad, n)}%", str(good), f"{percent(good, n)}%"

    first, latest = series.points[0], series.points[-1]
    n, bad, bad_pct, good, good_pct = shares(latest.value)
    earlier = ""
    if len(series.points) > 1:
        n0, bad0, bad_pct0, good0, good_pct0 = shares(first.value)
        were = "was" if bad0 == "1" else "were"
        earlier = (
            f"; in {period_words(first.period)}, {bad0} of {n0} ({bad_pct0}) {were} inadequate "
            f"and {good0} ({good_pct0}) good or better"
        )
    return {
        "title": chart.title,
        "latest_period": period_words(latest.period),
        "first_period": period_words(first.period),
        "n": str(n),
        "inadequate_n": bad,
        "inadequate_pct": bad_pct,
        "good_n": good,
        "good_pct": good_pct,
        "earlier": earlier,
        "were": "was" if bad == "1" else "were",
        "audits": "audit" if n == 1 else "audits",
    }


def series_label(entry: ChartSeries, catalogue: Catalogue) -> str:
    """Return the catalogue label of a chart's series, else its name on the chart."""
    spec = catalogue.get(entry.indicator)
    return spec.label if spec else entry.name


def or_list(items) -> str:
    """Return items joined as prose: 'a', 'a or b', 'a, b or c'."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def tidy(text: str) -> str:
    """Collapse the whitespace a folded YAML template leaves, and any doubled full stop."""
    return " ".join(text.split()).replace("..", ".")
