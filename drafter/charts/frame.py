"""One chart's figure: its plot box, data coordinates, axes furniture and PNG, drawn without a matplotlib Axes.

An Axes brings tick, spine and axis machinery that cost more than everything drafter draws with
it (issue 14: figure construction was 16-19% of a chart). A chart here needs only a box, a
linear data-to-figure transform, a baseline, explicit ticks, grid lines and labels: `Frame`
draws those as plain artists, placed as an Axes places them (tick labels 3.5 points plus the tick
length from the box; grid lines below everything else), so the charts look as they did.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.markers import TICKDOWN
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Bbox, BboxTransform, ScaledTranslation, TransformedBbox, blended_transform_factory

from drafter.charts.book import ChartBook
from drafter.charts.raster import ChartCanvas, png_bytes

CM = 1 / 2.54  # inches per centimetre
PT_PER_CM = 72 / 2.54
TEXT = "#1a1a1a"  # near-black for text: softer than pure black, still > 15:1 on white
MUTED = "#595959"  # axes, ticks and leaders: 7:1 on white
GRID = "#dedede"

TICK_PAD_PT = 3.5  # between a tick (or the box edge) and its label
TICK_LENGTH_PT = 3.0
TICK_WIDTH_PT = 0.8
# Layers, as an Axes stacks them: grid and ticks, reference lines, baseline, bars, series, labels.
GRID_Z, BASELINE_Z = 0.5, 2.5
FRONT = 10  # added to the z-order of what is drawn outside the plot box (title, margin labels): drawn last


class Frame:
    """One figure at the rulebook's size with a plot box (cm from the edges), its fonts and data coordinates."""

    def __init__(self, book: ChartBook, *, left_cm: float, right_cm: float, bottom_cm: float, top_cm: float):
        self.book = book
        size = book.figure
        self.width_cm, self.height_cm = size.width_cm, size.height_cm
        # Whole pixels (16 x 8 cm at 200 dpi is 1260 x 630), so Agg does not truncate a fraction away.
        pixels = (round(size.width_cm * CM * size.dpi), round(size.height_cm * CM * size.dpi))
        self.figure = Figure(figsize=(pixels[0] / size.dpi, pixels[1] / size.dpi), dpi=size.dpi, facecolor="white")
        self.canvas = ChartCanvas(self.figure)
        font = book.font
        self.title_font = FontProperties(family=font.family, size=font.title_pt, weight="bold")
        self.text_font = FontProperties(family=font.family, size=font.text_pt)
        self.small_font = FontProperties(family=font.family, size=font.small_pt)
        self.box = (left_cm, bottom_cm, size.width_cm - left_cm - right_cm, size.height_cm - bottom_cm - top_cm)
        x, y, w, h = self.box
        self.box_transform = BboxTransform(
            Bbox.unit(), Bbox.from_bounds(x / self.width_cm, y / self.height_cm, w / self.width_cm, h / self.height_cm)
        ) + self.figure.transFigure  # (0, 0) to (1, 1) spans the plot box
        self.clip_box = TransformedBbox(Bbox.unit(), self.box_transform)
        self._limits = Bbox.unit()
        self.data = BboxTransform(self._limits, Bbox.unit()) + self.box_transform
        self.data_x = blended_transform_factory(self.data, self.box_transform)  # x in data, y in box fractions
        self.data_y = blended_transform_factory(self.box_transform, self.data)  # x in box fractions, y in data

    def limits(self, x0: float, x1: float) -> None:
        """Set the data range shown across the box."""
        (_, y0), (_, y1) = self._limits.get_points()
        self._limits.set_points(np.array([[x0, y0], [x1, y1]], float))

    @property
    def ymax(self) -> float:
        """Return the data value at the top of the box."""
        return float(self._limits.y1)

    def add(self, artist, zorder: float | None = None, *, clip: bool = False):
        """Add an artist to the figure (at `zorder` when given; with `clip`, cut at the plot box) and return it."""
        if zorder is not None:
            artist.set_zorder(zorder)
        self.figure.add_artist(artist)
        if clip:  # as an Axes clips what it holds: a grid line at the top edge shows only its lower half
            artist.set_clip_box(self.clip_box)
        return artist

    def text(self, x: float, y: float, text: str, transform, font: FontProperties, **kwargs) -> Text:
        """Add a text in TEXT colour at (x, y) in `transform`'s coordinates and return it."""
        return self.add(Text(x, y, text, transform=transform, fontproperties=font, color=TEXT, **kwargs))

    def fx(self, cm: float) -> float:
        """Return a horizontal figure fraction for a distance in cm from the left edge."""
        return cm / self.width_cm

    def fy(self, cm: float) -> float:
        """Return a vertical figure fraction for a distance in cm from the bottom edge."""
        return cm / self.height_cm

    def offset(self, transform, dx_pt: float, dy_pt: float):
        """Return `transform` followed by a shift of (dx, dy) points."""
        return transform + ScaledTranslation(dx_pt / 72, dy_pt / 72, self.figure.dpi_scale_trans)

    def heading(self, title: str, unit_label: str) -> None:
        """Draw the title (top left, sentence case) and the axis unit label above the y axis."""
        figure = self.figure.transFigure
        self.text(self.fx(0.25), self.fy(self.height_cm - 0.25), title, figure, self.title_font, ha="left", va="top",
                  zorder=FRONT + 3)
        _, y, _, h = self.box
        self.text(self.fx(0.25), self.fy(y + h + 0.22), unit_label, figure, self.text_font, ha="left", va="bottom",
                  zorder=FRONT + 3)

    def x_axis(self, ticks: list[float], labels: list[str], *, marks: bool = True) -> None:
        """Draw the baseline, tick marks below it (unless not `marks`) and the tick labels under them."""
        self.add(Line2D([0, 1], [0, 0], transform=self.box_transform, color=MUTED, linewidth=TICK_WIDTH_PT,
                        solid_capstyle="projecting"), BASELINE_Z)
        if marks:
            self.add(Line2D(ticks, [0] * len(ticks), transform=self.data_x, linestyle="none", marker=TICKDOWN,
                            markersize=TICK_LENGTH_PT, markeredgewidth=TICK_WIDTH_PT, color=MUTED), GRID_Z)
        below = self.offset(self.data_x, 0, -(TICK_PAD_PT + (TICK_LENGTH_PT if marks else 0)))
        for x, label in zip(ticks, labels, strict=True):
            self.text(x, 0, label, below, self.text_font, ha="center", va="top", zorder=GRID_Z)

    def y_axis(self, top: float, unit: str, decimals: int = 0, *, fixed: list[float] | None = None) -> None:
        """Set the y range from zero to a round value at or above `top`; draw grid lines and their labels."""
        ticks = fixed or [float(t) for t in MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top)]
        ticks = [t for t in ticks if t >= 0]
        while ticks[-1] < top:
            ticks.append(ticks[-1] + (ticks[1] - ticks[0]))
        places = 0 if all(float(t).is_integer() for t in ticks) else min(2, max(decimals, 1))
        (x0, _), (x1, _) = self._limits.get_points()
        self._limits.set_points(np.array([[x0, 0.0], [x1, ticks[-1]]], float))
        left = self.offset(self.data_y, -TICK_PAD_PT, 0)
        for t in ticks:
            self.add(Line2D([0, 1], [t, t], transform=self.data_y, color=GRID, linewidth=0.6), GRID_Z, clip=True)
            label = f"{t:,.{places}f}" + ("%" if unit == "percent" else "")
            self.text(0, t, label, left, self.text_font, ha="right", va="center_baseline", zorder=GRID_Z)

    def png(self) -> bytes:
        """Render once and encode: RGB, with the physical size (pHYs) and no text chunks."""
        self.canvas.draw()
        return png_bytes(self.canvas, self.book.figure.dpi)
