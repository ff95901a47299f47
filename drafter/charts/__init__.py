"""Charts for a board briefing: PNGs with alt text and captions, declared in `rules/charts.yaml`.

`draw_charts(evidence)` returns a `ChartSet`: the charts the pack has data for, and a note for
each chart (or series) left out because the pack has no series for it. Charts are drawn with
matplotlib's Agg renderer on a bare `Figure` (no pyplot and no Axes, so no global state; safe
across threads), at a fixed size and resolution, in the Okabe-Ito palette with markers and dash
patterns that survive greyscale printing, and with every value labelled directly.

The modules: `book` (the rulebook), `words` (labels, values and alt text), `draw` (the two kinds
of chart) on `frame` (a figure with a plot box, without an Axes) and `raster` (a text-caching
Agg renderer and a PNG writer). Drawing is kept cheap (issue 14: about a third of the cost per
chart it had); benchmarks/bench_charts.py measures it against naive matplotlib.

The PNG bytes depend only on the pack, the rulebooks and the matplotlib/FreeType/zlib versions:
no dates, no software stamp, no random ids, and nothing from charts drawn before in the process.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drafter.charts.book import ChartBook, load_chartbook
from drafter.charts.words import grade_fields, or_list, series_fields, series_label, series_lines, tidy
from drafter.evidence.pack import Evidence
from drafter.rules.catalogue import Catalogue, load_catalogue
from drafter.vocab.wording import date_words

__all__ = ["Chart", "ChartBook", "ChartSet", "chart_gaps", "draw_charts", "load_chartbook"]


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


def chart_gaps(evidence: Evidence, *, book: ChartBook | None = None, catalogue: Catalogue | None = None) -> list[str]:
    """Return a note for each chart, or series of a chart, that the pack has no figures for (nothing is drawn:
    `drafter explain` lists these without loading matplotlib)."""
    book = book or load_chartbook()
    catalogue = catalogue or load_catalogue()
    return [note for chart in book.charts for note in _gaps(chart, evidence, book, catalogue)[1]]


def _gaps(chart, evidence: Evidence, book: ChartBook, catalogue: Catalogue) -> tuple[list, list[str]]:
    """Return the series of a chart the pack has figures for, and the notes on what is left out."""
    present = [(e, evidence.get(e.indicator)) for e in chart.series]
    present = [(e, s) for e, s in present if s is not None and s.points]
    missing = [e for e in chart.series if all(e is not p for p, _ in present)]
    notes = {
        "name": chart.name,
        "title": chart.title,
        "missing": or_list(e.indicator for e in missing),
        "missing_names": or_list(series_label(e, catalogue) for e in missing),
    }
    if not present:
        return present, [book.skip_note.format(**notes)]
    return present, [book.partial_note.format(**notes)] if missing else []


def draw_charts(evidence: Evidence, *, book: ChartBook | None = None, catalogue: Catalogue | None = None) -> ChartSet:
    """Return the rulebook's charts drawn from a pack, with a note for each chart or series left out."""
    from drafter.charts.draw import draw_grades, draw_lines  # matplotlib: only when drawing

    book = book or load_chartbook()
    catalogue = catalogue or load_catalogue()
    charts: list[Chart] = []
    skipped: list[str] = []
    pack = evidence.pack
    for chart in book.charts:
        present, notes = _gaps(chart, evidence, book, catalogue)
        skipped += notes
        if not present:
            continue
        if chart.kind == "stacked_grades":
            series = present[0][1]
            png = draw_grades(chart, series, book)
            alt = chart.alt.format(**grade_fields(chart, series))
            sources: list[str] = []
        else:
            lines = series_lines(chart, present, catalogue, evidence)
            png = draw_lines(chart, lines, book)
            template = chart.series_alt
            sentences = [template.format(**series_fields(line)) for line in lines] if template else []
            alt_fields = {"title": chart.title, "series": " ".join(sentences)}
            if len(chart.series) == 1:
                alt_fields |= series_fields(lines[0])
            alt = chart.alt.format(**alt_fields)
            sources = list(dict.fromkeys(r.source for line in lines for r in line.references))
        caption = book.caption.format(
            authority=pack.authority,
            as_of=date_words(pack.as_of),
            sources="".join(f" {s.rstrip('.')}." for s in sources),
        )
        if chart.kind == "stacked_grades":
            caption += " Percentages are rounded, so may not add up to 100."
        charts.append(Chart(chart.id, chart.title, png, tidy(alt), book.figure.width_cm, caption))
    return ChartSet(charts, skipped)
