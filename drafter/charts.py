"""Charts for a board briefing: PNGs with alt text and captions, declared in `rules/charts.yaml`.

`draw_charts(evidence)` returns a `ChartSet`: the charts the pack has data for, and a note for
each chart (or series) left out because the pack has no series for it. Charts are drawn with
matplotlib's Agg renderer on a bare `Figure` (no pyplot, so no global state and safe across
threads), at a fixed size and resolution, in the Okabe-Ito palette with markers and dash
patterns that survive greyscale printing, and with every value labelled directly.

The PNG bytes depend only on the pack, the rulebooks and the matplotlib/FreeType/Pillow
versions: no dates, no software stamp, no random ids.
"""

from __future__ import annotations

import io
import string
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.evidence.pack import Evidence, Series
from drafter.evidence.periods import Period
from drafter.paths import rules_dir
from drafter.rules.catalogue import Catalogue, IndicatorSpec, load_catalogue
from drafter.vocab.wording import date_words, describe_period
from drafter.yamlsrc import Source

CM = 1 / 2.54  # inches per centimetre
PT_PER_CM = 72 / 2.54
TEXT = "#1a1a1a"  # near-black for text: softer than pure black, still > 15:1 on white
MUTED = "#595959"  # axes, ticks and leaders: 7:1 on white
GRID = "#dedede"

# ---------------------------------------------------------------------------------------------
# The chart rulebook (rules/charts.yaml)
# ---------------------------------------------------------------------------------------------

ChartKind = Literal["line_vs_comparator", "line_vs_threshold", "multi_line", "stacked_grades"]
ComparatorName = Literal["england", "statistical_neighbours", "region"]
LINE_KINDS = ("line_vs_comparator", "line_vs_threshold", "multi_line")

_SERIES_FIELDS = {
    "label",
    "Label",
    "name",
    "first",
    "first_period",
    "latest",
    "latest_period",
    "trend",
    "comparator",
    "versus_comparator",
    "threshold",
    "versus_threshold",
}
_GRADE_FIELDS = {
    "title",
    "latest_period",
    "first_period",
    "n",
    "inadequate_n",
    "inadequate_pct",
    "good_n",
    "good_pct",
    "earlier",
    "were",
    "audits",
}
_CAPTION_FIELDS = {"authority", "as_of", "sources"}
_NOTE_FIELDS = {"name", "title", "missing", "missing_names"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FigureSize(_Strict):
    width_cm: float = Field(gt=2, le=40)
    height_cm: float = Field(gt=2, le=40)
    dpi: int = Field(ge=50, le=600)


class FontSpec(_Strict):
    family: str
    title_pt: float = Field(gt=4, le=30)
    text_pt: float = Field(gt=4, le=30)
    small_pt: float = Field(gt=4, le=30)


class SeriesStyle(_Strict):
    colour: str
    marker: str


class ReferenceStyle(_Strict):
    dashes: list[float] = Field(min_length=2)
    width: float = Field(gt=0, le=5)


class GradeStyle(_Strict):
    id: str
    label: str
    colour: str
    hatch: str = ""


class ChartSeries(_Strict):
    indicator: str
    name: str
    short: str | None = None  # prefixes its reference lines' labels when a chart has several series
    comparator: ComparatorName | None = None
    threshold: str | None = None


class ChartSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    title: str
    kind: ChartKind
    y_label: str
    series: list[ChartSeries] = Field(min_length=1)
    alt: str
    series_alt: str | None = None


class ChartBook(_Strict):
    schema_: Literal["charts/1"] = Field(alias="schema")
    figure: FigureSize
    font: FontSpec
    palette: dict[str, str]
    series_styles: list[SeriesStyle] = Field(min_length=1)
    reference_styles: dict[Literal["comparator", "threshold"], ReferenceStyle]
    grades: list[GradeStyle]
    skip_note: str
    partial_note: str
    caption: str
    charts: list[ChartSpec]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def colour(self, name: str) -> str:
        """Return the hex value of a palette colour."""
        return self.palette[name]

    def get(self, chart_id: str) -> ChartSpec | None:
        """Return the chart with this id, or None."""
        return next((c for c in self.charts if c.id == chart_id), None)


def load_chartbook(path: Path | None = None) -> ChartBook:
    """Return the validated chart rulebook; raise RulebookError naming file:line on any problem."""
    return _load_cached(str(path or rules_dir() / "charts.yaml"))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> ChartBook:
    book, source = load_config(Path(path), ChartBook, "chart rulebook", RulebookError)
    problems = _check_book(book, source, load_catalogue())
    if problems:
        raise RulebookError(problems)
    return book


def _check_book(book: ChartBook, source: Source, catalogue: Catalogue) -> list[Problem]:
    """Return the meaning problems: unknown indicators, thresholds, colours and template fields."""
    problems: list[Problem] = []

    def add(loc: tuple, message: str, found: Any = "", expected: str = "", hint: str = "") -> None:
        problems.append(
            Problem(
                message,
                path=source.path,
                **source.where(loc),
                field=".".join(str(p) for p in loc),
                found=found if isinstance(found, str) else repr(found),
                expected=expected,
                hint=hint,
            )
        )

    for name, value in book.palette.items():
        if not (len(value) == 7 and value[0] == "#" and all(c in string.hexdigits for c in value[1:])):
            add(("palette", name), f"palette colour {name!r} is not a #RRGGBB value", value, "#RRGGBB")
    colours = [(("series_styles", i, "colour"), s.colour) for i, s in enumerate(book.series_styles)]
    colours += [(("grades", i, "colour"), g.colour) for i, g in enumerate(book.grades)]
    for loc, colour in colours:
        if colour not in book.palette:
            add(loc, f"unknown palette colour {colour!r}", colour, "a name from `palette`", ", ".join(book.palette))
    audit = catalogue.get("audit.ratings")
    if audit is not None and audit.grades and [g.id for g in book.grades] != list(audit.grades):
        add(
            ("grades",),
            "grades must list the catalogue's audit grades, best first",
            [g.id for g in book.grades],
            repr(list(audit.grades)),
        )
    for template, loc, fields in (
        (book.skip_note, ("skip_note",), _NOTE_FIELDS),
        (book.partial_note, ("partial_note",), _NOTE_FIELDS),
        (book.caption, ("caption",), _CAPTION_FIELDS),
    ):
        _check_template(template, loc, fields, add)
    seen: set[str] = set()
    for i, chart in enumerate(book.charts):
        if chart.id in seen:
            add(("charts", i, "id"), f"chart {chart.id!r} is defined twice", chart.id)
        seen.add(chart.id)
        if chart.kind in LINE_KINDS and len(chart.series) > len(book.series_styles):
            add(
                ("charts", i, "series"),
                f"chart {chart.id!r} has more series than series_styles",
                len(chart.series),
                f"at most {len(book.series_styles)}",
            )
        if chart.kind == "stacked_grades" and len(chart.series) != 1:
            add(("charts", i, "series"), "a stacked_grades chart draws exactly one series", len(chart.series), "1")
        for j, entry in enumerate(chart.series):
            spec = catalogue.get(entry.indicator)
            loc = ("charts", i, "series", j)
            if spec is None:
                add(
                    (*loc, "indicator"),
                    f"unknown indicator id {entry.indicator!r}",
                    entry.indicator,
                    "an id from rules/indicators.yaml",
                )
                continue
            if (chart.kind == "stacked_grades") != (spec.unit == "grades"):
                add(
                    (*loc, "indicator"),
                    f"a {chart.kind} chart cannot draw {entry.indicator!r} (unit {spec.unit})",
                    entry.indicator,
                    "grades for stacked_grades, numbers for line charts",
                )
            if entry.threshold is not None and spec.threshold(entry.threshold) is None:
                names = ", ".join(t.name for t in spec.thresholds) or "none"
                add(
                    (*loc, "threshold"),
                    f"{entry.indicator} has no threshold named {entry.threshold!r}",
                    entry.threshold,
                    f"one of: {names}",
                )
        fields = _GRADE_FIELDS if chart.kind == "stacked_grades" else {"title", "series"}
        if chart.kind in LINE_KINDS and len(chart.series) == 1:
            fields = fields | _SERIES_FIELDS
        _check_template(chart.alt, ("charts", i, "alt"), fields, add)
        if chart.series_alt is not None:
            _check_template(chart.series_alt, ("charts", i, "series_alt"), _SERIES_FIELDS, add)
        elif chart.kind in LINE_KINDS and len(chart.series) > 1:
            add(
                ("charts", i),
                f"chart {chart.id!r} has several series but no series_alt template",
                "",
                "series_alt: a template for each series' sentence",
            )
    return problems


def _check_template(template: str, loc: tuple, fields: set[str], add) -> None:
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        add(loc, f"the template is not a valid str.format template ({exc})", template)
        return
    for name in sorted(used - fields):
        add(loc, f"unknown template field {{{name}}}", name, "one of: " + ", ".join(sorted(fields)))


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """One drawn chart: PNG bytes, alt text and a caption naming its sources."""

    id: str
    title: str
    png: bytes
    alt: str
    width_cm: float
    caption: str


@dataclass(frozen=True)
class ChartSet:
    """The charts drawn for a pack, and a note for each chart or series left out."""

    charts: list[Chart]
    skipped: list[str]

    def __iter__(self) -> Iterator[Chart]:
        return iter(self.charts)

    def __len__(self) -> int:
        return len(self.charts)

    def __getitem__(self, index: int) -> Chart:
        return self.charts[index]

    def get(self, chart_id: str) -> Chart | None:
        """Return the chart with this id, or None when it was left out."""
        return next((c for c in self.charts if c.id == chart_id), None)


# ---------------------------------------------------------------------------------------------
# Words and numbers
# ---------------------------------------------------------------------------------------------

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


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


@dataclass(frozen=True)
class _Reference:
    """A horizontal reference line: an England (or other) comparator or a threshold."""

    kind: Literal["comparator", "threshold"]
    value: float
    text: str  # the label drawn beside the chart
    phrase: str  # for alt text: 'the England average was 16.0 in 2023'
    versus: str  # for alt text: 'the latest figure is 1.2 above the England average of 16.0 (2023)'
    source: str  # for the caption


@dataclass(frozen=True)
class _Line:
    """A series ready to draw: its spec, catalogue entry, points and reference lines."""

    entry: ChartSeries
    spec: IndicatorSpec
    series: Series
    decimals: int
    references: tuple[_Reference, ...]

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


def _official_figure(evidence: Evidence, series: Series, group: str):
    """Return the comparator that fits the series' latest value (drafter/official/comparators.py), or None."""
    from drafter.errors import NotEvaluable
    from drafter.official.comparators import resolve

    try:
        return resolve(evidence, series.indicator, group, series.team)
    except NotEvaluable:
        return None


def _references(entry: ChartSeries, spec: IndicatorSpec, series: Series, decimals: int, prefix: str,
                evidence: Evidence | None = None) -> list:
    """Return the series' reference lines: its comparator (pack override first), then its threshold."""
    refs: list[_Reference] = []
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
                _Reference(
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
                    _Reference(
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
            _Reference(
                kind="threshold",
                value=threshold.value,
                text=tag(threshold.label.removeprefix("the ")),
                phrase=threshold.label,
                versus=compare(threshold.value, threshold.label),
                source=f"Threshold: {threshold.source}",
            )
        )
    return refs


def _trend(line: _Line) -> str:
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


def _series_fields(line: _Line) -> dict[str, str]:
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


def _percent(part: int, whole: int) -> int:
    """Return part/whole as a whole percentage, halves rounded up (so 12.5% shows as 13%)."""
    return (200 * part + whole) // (2 * whole) if whole else 0


# ---------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------


class _Canvas:
    """One figure at the rulebook's size, with the fonts and margins every chart shares."""

    def __init__(self, book: ChartBook, *, left_cm: float, right_cm: float, bottom_cm: float, top_cm: float):
        self.book = book
        size = book.figure
        self.width_cm, self.height_cm = size.width_cm, size.height_cm
        # Whole pixels (16 x 8 cm at 200 dpi is 1260 x 630), so Agg does not truncate a fraction away.
        pixels = (round(size.width_cm * CM * size.dpi), round(size.height_cm * CM * size.dpi))
        self.figure = Figure(figsize=(pixels[0] / size.dpi, pixels[1] / size.dpi), dpi=size.dpi, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        font = book.font
        self.title_font = FontProperties(family=font.family, size=font.title_pt, weight="bold")
        self.text_font = FontProperties(family=font.family, size=font.text_pt)
        self.small_font = FontProperties(family=font.family, size=font.small_pt)
        self.box = (left_cm, bottom_cm, size.width_cm - left_cm - right_cm, size.height_cm - bottom_cm - top_cm)
        x, y, w, h = self.box
        ax = self.figure.add_axes((x / self.width_cm, y / self.height_cm, w / self.width_cm, h / self.height_cm))
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(MUTED)
            ax.spines[side].set_linewidth(0.8)
        ax.tick_params(colors=MUTED, labelcolor=TEXT, width=0.8, length=3, labelsize=font.text_pt)
        ax.minorticks_off()
        ax.set_axisbelow(True)
        self.ax = ax

    def fx(self, cm: float) -> float:
        """Return a horizontal figure fraction for a distance in cm from the left edge."""
        return cm / self.width_cm

    def fy(self, cm: float) -> float:
        """Return a vertical figure fraction for a distance in cm from the bottom edge."""
        return cm / self.height_cm

    def heading(self, title: str, unit_label: str) -> None:
        """Draw the title (top left, sentence case) and the axis unit label above the y axis."""
        self.figure.text(
            self.fx(0.25),
            self.fy(self.height_cm - 0.25),
            title,
            fontproperties=self.title_font,
            color=TEXT,
            ha="left",
            va="top",
        )
        x, y, _, h = self.box
        self.figure.text(
            self.fx(0.25),
            self.fy(y + h + 0.22),
            unit_label,
            fontproperties=self.text_font,
            color=TEXT,
            ha="left",
            va="bottom",
        )

    def y_axis(self, top: float, unit: str, decimals: int = 0, *, fixed: list[float] | None = None) -> None:
        """Set the y axis from zero to a round value at or above top, with explicitly labelled ticks."""
        ticks = fixed or [float(t) for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top)]
        ticks = [t for t in ticks if t >= 0]
        while ticks[-1] < top:
            ticks.append(ticks[-1] + (ticks[1] - ticks[0]))
        places = 0 if all(float(t).is_integer() for t in ticks) else min(2, max(decimals, 1))
        labels = [f"{t:,.{places}f}" + ("%" if unit == "percent" else "") for t in ticks]
        self.ax.set_ylim(0, ticks[-1])
        self.ax.set_yticks(ticks, labels, fontproperties=self.text_font)
        self.ax.yaxis.grid(True, color=GRID, linewidth=0.6)
        self.ax.tick_params(axis="y", length=0)
        self.ax.spines["left"].set_visible(False)

    def png(self) -> bytes:
        """Render once and encode: RGB, with the physical size (pHYs) and no text chunks."""
        self.canvas.draw()
        width, height = self.canvas.get_width_height()
        image = Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        dpi = self.book.figure.dpi
        image.convert("RGB").save(out, format="PNG", dpi=(dpi, dpi), compress_level=3)
        return out.getvalue()


def _spread(targets: list[float], heights: list[float], low: float, high: float) -> list[float]:
    """Return label centres near their targets, at least half-heights apart, kept in [low, high]."""
    order = sorted(range(len(targets)), key=lambda i: (targets[i], i))
    pos = [targets[i] for i in order]
    h = [heights[i] for i in order]
    for k in range(1, len(pos)):
        pos[k] = max(pos[k], pos[k - 1] + (h[k - 1] + h[k]) / 2)
    if pos and pos[-1] + h[-1] / 2 > high:
        pos[-1] = high - h[-1] / 2
        for k in range(len(pos) - 2, -1, -1):
            pos[k] = min(pos[k], pos[k + 1] - (h[k] + h[k + 1]) / 2)
    if pos and pos[0] - h[0] / 2 < low:
        pos[0] = low + h[0] / 2
        for k in range(1, len(pos)):
            pos[k] = max(pos[k], pos[k - 1] + (h[k - 1] + h[k]) / 2)
    result = [0.0] * len(targets)
    for k, i in enumerate(order):
        result[i] = pos[k]
    return result


_MARGIN_RIGHT_CM = 4.6
_LABEL_WRAP = 24


def _draw_lines(chart: ChartSpec, lines: list[_Line], book: ChartBook) -> bytes:
    """Draw a line chart: series with markers and labelled values, reference lines, direct labels."""
    c = _Canvas(book, left_cm=1.5, right_cm=_MARGIN_RIGHT_CM, bottom_cm=0.85, top_cm=1.55)
    ax = c.ax
    c.heading(chart.title, chart.y_label)

    # x axis: one tick per period drawn, placed by date so uneven gaps stay uneven.
    periods: dict[float, Period] = {}
    for line in lines:
        for x, point in zip(line.xs, line.series.points, strict=True):
            periods.setdefault(x, point.period)
    xs = sorted(periods)
    span = xs[-1] - xs[0]
    pad = max(span * 0.07, 60.0) if span else 200.0
    ax.set_xlim(xs[0] - pad, xs[-1] + pad)
    step = 1 + (len(xs) - 1) // 8  # at most about eight tick labels
    ticks = xs[::step] if xs[-1] in xs[::step] else xs[::step] + [xs[-1]]
    ax.set_xticks(ticks, [period_tick(periods[x]) for x in ticks], fontproperties=c.text_font)

    # y axis: from zero, with room above the highest point for its label.
    top = max([max(line.ys) for line in lines] + [r.value for line in lines for r in line.references] + [1.0])
    unit = lines[0].spec.unit
    c.y_axis(top * 1.12, unit, max(line.decimals for line in lines))
    ymax = ax.get_ylim()[1]

    styles = [(book.colour(s.colour), s.marker) for s in book.series_styles]
    margin: list[tuple[float, str, str, dict]] = []  # (y value, text, kind, style)
    for line, (colour, marker) in zip(lines, styles, strict=False):
        for ref in line.references:
            style = book.reference_styles[ref.kind]
            ax.axhline(ref.value, color=colour, linewidth=style.width, dashes=style.dashes, zorder=2)
            margin.append((ref.value, ref.text, "ref", {"color": colour, "dashes": style.dashes, "lw": style.width}))
        single = len(line.xs) == 1
        ax.plot(
            line.xs,
            line.ys,
            color=colour,
            linewidth=2.0,
            marker=marker,
            markersize=7 if single else 5,
            markeredgecolor="white",
            markeredgewidth=0.8,
            zorder=4,
            clip_on=False,
        )
        margin.append((line.ys[-1], line.entry.name, "series", {"color": colour, "marker": marker}))

    # Value labels: above a point unless another series' point sits just above it (then below).
    halo = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    near = 16 / (c.box[3] * PT_PER_CM) * ymax  # 16 points, in data units
    for i, line in enumerate(lines):
        labelled = range(len(line.xs)) if len(line.xs) <= 8 else (0, len(line.xs) - 1)
        for k in labelled:
            x, y = line.xs[k], line.ys[k]
            others = [(j, o.ys[o.xs.index(x)]) for j, o in enumerate(lines) if j != i and x in o.xs]
            above = not any(y < v < y + near or (v == y and j < i) for j, v in others)
            ax.annotate(
                line.fmt(y, with_unit=False),
                (x, y),
                xytext=(0, 6 if above else -6),
                textcoords="offset points",
                ha="center",
                va="bottom" if above else "top",
                fontproperties=c.small_font if len(lines) > 1 else c.text_font,
                color=TEXT,
                bbox=halo,
                zorder=5,
                annotation_clip=False,
            )

    _draw_margin_labels(c, margin, ymax)
    return c.png()


def _draw_margin_labels(c: _Canvas, entries: list[tuple[float, str, str, dict]], ymax: float) -> None:
    """Label each line in the right margin with a key (its line and marker), spread so none overlap."""
    x, y, w, h = c.box
    h_pt = h * PT_PER_CM
    size = c.book.font.small_pt
    texts = [_wrap(text, _LABEL_WRAP) for _, text, _, _ in entries]
    heights = [(t.count("\n") + 1) * size * 1.25 + 3 for t in texts]
    targets = [value / ymax * h_pt for value, _, _, _ in entries]
    centres = _spread(targets, heights, -0.5 * y * PT_PER_CM, h_pt + 0.9 * PT_PER_CM)
    key_x0, key_x1 = x + w + 0.3, x + w + 0.95
    for (_, _, kind, style), text, target, centre in zip(entries, texts, targets, centres, strict=True):
        cy = c.fy(y + centre / PT_PER_CM)
        if abs(centre - target) > 2:  # moved: a thin leader back to the line's height
            c.figure.add_artist(
                Line2D(
                    [c.fx(x + w + 0.05), c.fx(key_x0 - 0.05)],
                    [c.fy(y + target / PT_PER_CM), cy],
                    color=MUTED,
                    linewidth=0.5,
                )
            )
        if kind == "series":
            key = Line2D(
                [c.fx(key_x0), c.fx((key_x0 + key_x1) / 2), c.fx(key_x1)],
                [cy, cy, cy],
                color=style["color"],
                linewidth=2.0,
                marker=style["marker"],
                markersize=5,
                markevery=[1],  # one marker, in the middle of the key
                markeredgecolor="white",
                markeredgewidth=0.8,
            )
        else:
            key = Line2D(
                [c.fx(key_x0), c.fx(key_x1)],
                [cy, cy],
                color=style["color"],
                linewidth=style["lw"],
                dashes=[d * 0.6 for d in style["dashes"]],
            )
        c.figure.add_artist(key)
        c.figure.text(
            c.fx(key_x1 + 0.15),
            cy,
            text,
            fontproperties=c.small_font,
            color=TEXT,
            ha="left",
            va="center",
            linespacing=1.15,
        )


def _draw_grades(chart: ChartSpec, series: Series, book: ChartBook) -> bytes:
    """Draw audit grades as 100% stacked bars, worst grade at the base, each segment labelled."""
    c = _Canvas(book, left_cm=1.5, right_cm=_MARGIN_RIGHT_CM, bottom_cm=1.25, top_cm=1.55)
    ax = c.ax
    c.heading(chart.title, chart.y_label)
    c.y_axis(100, "percent", fixed=[0.0, 25.0, 50.0, 75.0, 100.0])
    points = series.points
    k = len(points)
    width = 0.55
    ax.set_xlim(-0.5 - 0.35 * (k < 3), k - 0.5 + 0.35 * (k < 3))
    totals = [sum(int(p.value.get(g.id, 0)) for g in book.grades) for p in points]
    box = {"boxstyle": "square,pad=0.18", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    bottoms = [0.0] * k
    handles = []
    for grade in reversed(book.grades):  # worst at the base, so the inadequate share reads off the axis
        counts = [int(p.value.get(grade.id, 0)) for p in points]
        shares = [100 * n / t if t else 0.0 for n, t in zip(counts, totals, strict=True)]
        bars = ax.bar(
            range(k),
            shares,
            width,
            bottom=bottoms,
            color=book.colour(grade.colour),
            edgecolor="white",
            linewidth=0.8,
            hatch=grade.hatch or None,
            zorder=3,
            label=grade.label,
        )
        for patch in bars:
            if hasattr(patch, "set_hatch_linewidth"):
                patch.set_hatch_linewidth(0.6)
        handles.append(
            Patch(facecolor=book.colour(grade.colour), edgecolor="white", hatch=grade.hatch or None, label=grade.label)
        )
        for i, (n, share) in enumerate(zip(counts, shares, strict=True)):
            if n == 0:
                continue
            text = f"{_percent(n, totals[i])}%"
            mid = bottoms[i] + share / 2
            if share >= 7:
                ax.text(
                    i, mid, text, ha="center", va="center", fontproperties=c.small_font, color=TEXT, bbox=box, zorder=5
                )
            else:  # too thin to hold its label: put it beside the bar with a short leader
                ax.annotate(
                    text,
                    (i + width / 2, mid),
                    xytext=(8, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontproperties=c.small_font,
                    color=TEXT,
                    zorder=5,
                    arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.5, "shrinkA": 0, "shrinkB": 0},
                )
        bottoms = [b + s for b, s in zip(bottoms, shares, strict=True)]
    labels = [f"{period_tick(p.period)}\n{t} audit{'s' * (t != 1)}" for p, t in zip(points, totals, strict=True)]
    ax.set_xticks(range(k), labels, fontproperties=c.text_font)
    ax.tick_params(axis="x", length=0)
    handles.reverse()  # best grade at the top, matching the stack
    ax.legend(
        handles=handles,
        loc="center left",
        bbox_to_anchor=(1.02, 0.5),
        frameon=False,
        prop=c.text_font,
        labelcolor=TEXT,
        handlelength=1.6,
        handleheight=1.3,
        borderaxespad=0,
    )
    return c.png()


# ---------------------------------------------------------------------------------------------
# The public entry point
# ---------------------------------------------------------------------------------------------


def draw_charts(evidence: Evidence, *, book: ChartBook | None = None, catalogue: Catalogue | None = None) -> ChartSet:
    """Return the rulebook's charts drawn from a pack, with a note for each chart or series left out."""
    book = book or load_chartbook()
    catalogue = catalogue or load_catalogue()
    charts: list[Chart] = []
    skipped: list[str] = []
    pack = evidence.pack
    for chart in book.charts:
        present = [(e, evidence.get(e.indicator)) for e in chart.series]
        present = [(e, s) for e, s in present if s is not None and s.points]
        missing = [e for e in chart.series if all(e is not p for p, _ in present)]
        notes = {
            "name": chart.name,
            "title": chart.title,
            "missing": _or(e.indicator for e in missing),
            "missing_names": _or(_label(e, catalogue) for e in missing),
        }
        if not present:
            skipped.append(book.skip_note.format(**notes))
            continue
        if missing:
            skipped.append(book.partial_note.format(**notes))
        if chart.kind == "stacked_grades":
            series = present[0][1]
            png = _draw_grades(chart, series, book)
            alt = chart.alt.format(**_grade_fields(chart, series))
            sources: list[str] = []
        else:
            lines = _lines(chart, present, catalogue, evidence)
            png = _draw_lines(chart, lines, book)
            template = chart.series_alt
            sentences = [template.format(**_series_fields(line)) for line in lines] if template else []
            alt_fields = {"title": chart.title, "series": " ".join(sentences)}
            if len(chart.series) == 1:
                alt_fields |= _series_fields(lines[0])
            alt = chart.alt.format(**alt_fields)
            sources = list(dict.fromkeys(r.source for line in lines for r in line.references))
        caption = book.caption.format(
            authority=pack.authority,
            as_of=date_words(pack.as_of),
            sources="".join(f" {s.rstrip('.')}." for s in sources),
        )
        if chart.kind == "stacked_grades":
            caption += " Percentages are rounded, so may not add up to 100."
        charts.append(Chart(chart.id, chart.title, png, _tidy(alt), book.figure.width_cm, caption))
    return ChartSet(charts, skipped)


def _lines(chart: ChartSpec, present: list[tuple[ChartSeries, Series]], catalogue: Catalogue,
           evidence: Evidence | None = None) -> list[_Line]:
    lines = []
    for entry, series in present:
        spec = catalogue.get(entry.indicator)
        assert spec is not None  # checked when the rulebook loads
        decimals = max(_decimals(p.value) for p in series.points)
        if spec.unit in ("days", "weeks", "count"):
            decimals = max(_significant_decimals(p.value) for p in series.points)
        prefix = f"{entry.short or entry.name}: " if len(chart.series) > 1 else ""
        refs = _references(entry, spec, series, decimals, prefix, evidence)
        lines.append(_Line(entry, spec, series, decimals, tuple(refs)))
    return lines


def _grade_fields(chart: ChartSpec, series: Series) -> dict[str, str]:
    def shares(counts: dict) -> tuple[int, str, str, str, str]:
        n = sum(int(v) for v in counts.values())
        bad = int(counts.get("inadequate", 0))
        good = int(counts.get("outstanding", 0)) + int(counts.get("good", 0))
        return n, str(bad), f"{_percent(bad, n)}%", str(good), f"{_percent(good, n)}%"

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


def _label(entry: ChartSeries, catalogue: Catalogue) -> str:
    spec = catalogue.get(entry.indicator)
    return spec.label if spec else entry.name


def _or(items) -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _tidy(text: str) -> str:
    """Collapse the whitespace a folded YAML template leaves, and any doubled full stop."""
    return " ".join(text.split()).replace("..", ".")
