"""Draw the two kinds of chart: lines over time against references, and audit grades as stacked bars."""

from __future__ import annotations

from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.text import Annotation

from drafter.charts.book import ChartBook, ChartSpec
from drafter.charts.frame import FRONT, MUTED, PT_PER_CM, TEXT, Frame
from drafter.charts.words import SeriesLine, percent, period_tick, wrap
from drafter.evidence.pack import Series
from drafter.evidence.periods import Period

MARGIN_RIGHT_CM = 4.6
LABEL_WRAP = 24
REFERENCE_Z, BAR_Z, SERIES_Z, LABEL_Z = 2, 3, 4, 5


def spread(targets: list[float], heights: list[float], low: float, high: float) -> list[float]:
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


def draw_lines(chart: ChartSpec, lines: list[SeriesLine], book: ChartBook) -> bytes:
    """Return a line chart as PNG: series with markers and labelled values, reference lines, direct labels."""
    f = Frame(book, left_cm=1.5, right_cm=MARGIN_RIGHT_CM, bottom_cm=0.85, top_cm=1.55)
    f.heading(chart.title, chart.y_label)

    # x axis: one tick per period drawn, placed by date so uneven gaps stay uneven.
    periods: dict[float, Period] = {}
    for line in lines:
        for x, point in zip(line.xs, line.series.points, strict=True):
            periods.setdefault(x, point.period)
    xs = sorted(periods)
    span = xs[-1] - xs[0]
    pad = max(span * 0.07, 60.0) if span else 200.0
    f.limits(xs[0] - pad, xs[-1] + pad)
    step = 1 + (len(xs) - 1) // 8  # at most about eight tick labels
    ticks = xs[::step] if xs[-1] in xs[::step] else xs[::step] + [xs[-1]]
    f.x_axis(ticks, [period_tick(periods[x]) for x in ticks])

    # y axis: from zero, with room above the highest point for its label.
    top = max([max(line.ys) for line in lines] + [r.value for line in lines for r in line.references] + [1.0])
    f.y_axis(top * 1.12, lines[0].spec.unit, max(line.decimals for line in lines))
    ymax = f.ymax

    styles = [(book.colour(s.colour), s.marker) for s in book.series_styles]
    margin: list[tuple[float, str, str, dict]] = []  # (y value, text, kind, style)
    for line, (colour, marker) in zip(lines, styles, strict=False):
        for ref in line.references:
            style = book.reference_styles[ref.kind]
            f.add(Line2D([0, 1], [ref.value, ref.value], transform=f.data_y, color=colour, linewidth=style.width,
                         dashes=style.dashes), REFERENCE_Z, clip=True)
            margin.append((ref.value, ref.text, "ref", {"color": colour, "dashes": style.dashes, "lw": style.width}))
        single = len(line.xs) == 1
        f.add(Line2D(line.xs, line.ys, transform=f.data, color=colour, linewidth=2.0, marker=marker,
                     markersize=7 if single else 5, markeredgecolor="white", markeredgewidth=0.8), SERIES_Z)
        margin.append((line.ys[-1], line.entry.name, "series", {"color": colour, "marker": marker}))

    # Value labels: above a point unless another series' point sits just above it (then below).
    halo = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
    near = 16 / (f.box[3] * PT_PER_CM) * ymax  # 16 points, in data units
    for i, line in enumerate(lines):
        labelled = range(len(line.xs)) if len(line.xs) <= 8 else (0, len(line.xs) - 1)
        for k in labelled:
            x, y = line.xs[k], line.ys[k]
            others = [(j, o.ys[o.xs.index(x)]) for j, o in enumerate(lines) if j != i and x in o.xs]
            above = not any(y < v < y + near or (v == y and j < i) for j, v in others)
            f.add(Annotation(line.fmt(y, with_unit=False), (x, y), xycoords=f.data, xytext=(0, 6 if above else -6),
                             textcoords="offset points", ha="center", va="bottom" if above else "top",
                             fontproperties=f.small_font if len(lines) > 1 else f.text_font, color=TEXT, bbox=halo,
                             annotation_clip=False), LABEL_Z)

    _draw_margin_labels(f, margin, ymax)
    return f.png()


def _draw_margin_labels(f: Frame, entries: list[tuple[float, str, str, dict]], ymax: float) -> None:
    """Label each line in the right margin with a key (its line and marker), spread so none overlap."""
    x, y, w, h = f.box
    h_pt = h * PT_PER_CM
    size = f.book.font.small_pt
    texts = [wrap(text, LABEL_WRAP) for _, text, _, _ in entries]
    heights = [(t.count("\n") + 1) * size * 1.25 + 3 for t in texts]
    targets = [value / ymax * h_pt for value, _, _, _ in entries]
    centres = spread(targets, heights, -0.5 * y * PT_PER_CM, h_pt + 0.9 * PT_PER_CM)
    key_x0, key_x1 = x + w + 0.3, x + w + 0.95
    figure = f.figure.transFigure
    for (_, _, kind, style), text, target, centre in zip(entries, texts, targets, centres, strict=True):
        cy = f.fy(y + centre / PT_PER_CM)
        if abs(centre - target) > 2:  # moved: a thin leader back to the line's height
            f.add(Line2D([f.fx(x + w + 0.05), f.fx(key_x0 - 0.05)], [f.fy(y + target / PT_PER_CM), cy],
                         transform=figure, color=MUTED, linewidth=0.5), FRONT + 2)
        if kind == "series":
            key = Line2D([f.fx(key_x0), f.fx((key_x0 + key_x1) / 2), f.fx(key_x1)], [cy, cy, cy], transform=figure,
                         color=style["color"], linewidth=2.0, marker=style["marker"], markersize=5,
                         markevery=[1],  # one marker, in the middle of the key
                         markeredgecolor="white", markeredgewidth=0.8)
        else:
            key = Line2D([f.fx(key_x0), f.fx(key_x1)], [cy, cy], transform=figure, color=style["color"],
                         linewidth=style["lw"], dashes=[d * 0.6 for d in style["dashes"]])
        f.add(key, FRONT + 2)
        f.text(f.fx(key_x1 + 0.15), cy, text, figure, f.small_font, ha="left", va="center", linespacing=1.15,
               zorder=FRONT + 3)


def draw_grades(chart: ChartSpec, series: Series, book: ChartBook) -> bytes:
    """Return audit grades as PNG: 100% stacked bars, worst grade at the base, each segment labelled."""
    f = Frame(book, left_cm=1.5, right_cm=MARGIN_RIGHT_CM, bottom_cm=1.25, top_cm=1.55)
    f.heading(chart.title, chart.y_label)
    points = series.points
    k = len(points)
    width = 0.55
    f.limits(-0.5 - 0.35 * (k < 3), k - 0.5 + 0.35 * (k < 3))
    totals = [sum(int(p.value.get(g.id, 0)) for g in book.grades) for p in points]
    labels = [f"{period_tick(p.period)}\n{t} audit{'s' * (t != 1)}" for p, t in zip(points, totals, strict=True)]
    f.x_axis(list(range(k)), labels, marks=False)
    f.y_axis(100, "percent", fixed=[0.0, 25.0, 50.0, 75.0, 100.0])
    box = {"boxstyle": "square,pad=0.18", "facecolor": "white", "edgecolor": "none", "alpha": 0.9}
    bottoms = [0.0] * k
    handles = []
    for grade in reversed(book.grades):  # worst at the base, so the inadequate share reads off the axis
        colour = book.colour(grade.colour)
        counts = [int(p.value.get(grade.id, 0)) for p in points]
        shares = [100 * n / t if t else 0.0 for n, t in zip(counts, totals, strict=True)]
        # One patch per grade holding all its bars: a hatch pattern is rendered once per patch drawn.
        left, right = [i - width / 2 for i in range(k)], [i + width / 2 for i in range(k)]
        outlines = [Path([(x0, b), (x1, b), (x1, b + s), (x0, b + s), (x0, b)], closed=True)
                    for x0, x1, b, s in zip(left, right, bottoms, shares, strict=True)]
        bars = PathPatch(Path.make_compound_path(*outlines), transform=f.data, facecolor=colour, edgecolor="white",
                         linewidth=0.8, hatch=grade.hatch or None)
        if hasattr(bars, "set_hatch_linewidth"):
            bars.set_hatch_linewidth(0.6)
        f.add(bars, BAR_Z, clip=True)
        handles.append(Patch(facecolor=colour, edgecolor="white", hatch=grade.hatch or None, label=grade.label))
        for i, (n, share) in enumerate(zip(counts, shares, strict=True)):
            if n == 0:
                continue
            text = f"{percent(n, totals[i])}%"
            mid = bottoms[i] + share / 2
            if share >= 7:
                f.text(i, mid, text, f.data, f.small_font, ha="center", va="center", bbox=box, zorder=LABEL_Z)
            else:  # too thin to hold its label: put it beside the bar with a short leader
                f.add(Annotation(text, (i + width / 2, mid), xycoords=f.data, xytext=(8, 0), textcoords="offset points",
                                 ha="left", va="center", fontproperties=f.small_font, color=TEXT,
                                 arrowprops={"arrowstyle": "-", "color": MUTED, "linewidth": 0.5, "shrinkA": 0,
                                             "shrinkB": 0}), LABEL_Z)
        bottoms = [b + s for b, s in zip(bottoms, shares, strict=True)]
    handles.reverse()  # best grade at the top, matching the stack
    x, y, w, h = f.box
    legend = Legend(f.figure, handles, [h.get_label() for h in handles], loc="center left",
                    bbox_to_anchor=(f.fx(x + 1.02 * w), f.fy(y + 0.5 * h)), bbox_transform=f.figure.transFigure,
                    frameon=False, prop=f.text_font, labelcolor=TEXT, handlelength=1.6, handleheight=1.3,
                    borderaxespad=0)
    f.add(legend, LABEL_Z)
    return f.png()
