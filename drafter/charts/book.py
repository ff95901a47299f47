"""The chart rulebook, `rules/charts.yaml`: its models, and the checks that locate its mistakes."""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir
from drafter.rules.catalogue import Catalogue, load_catalogue
from drafter.yamlsrc import Source

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
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

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
