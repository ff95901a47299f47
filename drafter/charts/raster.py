"""Rasterise charts cheaply: an Agg canvas that keeps its renderer and each string's bitmap, and a PNG writer.

Measured on the seed packs (issue 14), text was over 40% of a chart's cost: matplotlib 3.11's Agg
renderer lays out and renders every glyph of every string separately, at a sub-pixel position.
`TextCachingRenderer` renders a whole string to one bitmap with FreeType (what matplotlib did up
to 3.10), keeps it, and blends it wherever that string is drawn again in the same font and size;
the strings land within half a pixel of where matplotlib 3.11 puts them. One renderer per thread
and size is kept, so matplotlib's own text-metrics cache (keyed by renderer) also stays warm.

`png_bytes` writes the RGB pixels without Pillow's PNG encoder, which tries all five PNG row
filters on every row of an RGB image (half of the encoding time, and no option turns it off):
filter 0 on every row and zlib level 3 give smaller files for these flat-coloured charts, in
about half the time, from the same pixels. Both depend only on their inputs.
"""

from __future__ import annotations

import struct
import threading
import zlib
from collections import OrderedDict

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_LEVEL = 3  # zlib level: 6 makes files 15% smaller and encoding twice as slow
TEXT_CACHE_SIZE = 4096  # strings kept per renderer: a briefing draws about 90, of 3 KB each

# The matplotlib internals the cached path relies on; without them, text is drawn as matplotlib draws it.
FAST_TEXT = all(
    hasattr(owner, name)
    for owner, name in (
        (FT2Font, "draw_glyphs_to_bitmap"),
        (FT2Font, "get_image"),
        (FT2Font, "get_bitmap_offset"),
        (RendererAgg, "_prepare_font"),
    )
)

_local = threading.local()


class TextCachingRenderer(RendererAgg):
    """An Agg renderer that rasterises each string once per font, size and resolution, then reuses the bitmap."""

    def __init__(self, width: float, height: float, dpi: float):
        super().__init__(width, height, dpi)
        self._bitmaps: OrderedDict[tuple, tuple[np.ndarray, float, float, float]] = OrderedDict()

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        """Draw string `s` with its baseline's left end at (x, y), from the cached bitmap when there is one."""
        plain = not ismath and angle == 0 and not _shaped(mtext)
        if not (FAST_TEXT and plain and hasattr(self._renderer, "draw_text_image")):
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        antialiased = gc.get_antialiased()
        key = (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
               prop.get_size_in_points(), prop.get_file(), s, self.dpi, antialiased, get_hinting_flag(),
               mpl.rcParams["text.hinting_factor"])
        bitmap = self._bitmaps.get(key)
        if bitmap is None:
            bitmap = self._bitmaps[key] = self._rasterise(s, prop, antialiased)
            if len(self._bitmaps) > TEXT_CACHE_SIZE:
                self._bitmaps.popitem(last=False)
        else:
            self._bitmaps.move_to_end(key)
        image, xo, yo, descent = bitmap
        # As matplotlib up to 3.10 placed a string's bitmap: y is downwards, at the bitmap's bottom row.
        self._renderer.draw_text_image(image, round(x + xo), round(y + yo + descent) + 1, 0, gc)

    def _rasterise(self, s: str, prop, antialiased: bool) -> tuple[np.ndarray, float, float, float]:
        """Return a string's bitmap, its offset and descent (pixels), rendered with FreeType's own layout."""
        font = self._prepare_font(prop)
        font.set_text(s, 0, flags=get_hinting_flag())
        font.draw_glyphs_to_bitmap(antialiased=antialiased)
        xo, yo = font.get_bitmap_offset()
        return np.array(font.get_image()), xo / 64.0, yo / 64.0, font.get_descent() / 64.0


def _shaped(mtext) -> bool:
    """Return whether a Text asks for OpenType features or a language (only matplotlib's own path does those)."""
    features = getattr(mtext, "get_fontfeatures", None)
    language = getattr(mtext, "get_language", None)
    return bool((features and features()) or (language and language()))


class ChartCanvas(FigureCanvasAgg):
    """An Agg canvas drawing with this thread's TextCachingRenderer of the figure's size."""

    def get_renderer(self):
        """Return this thread's renderer for the figure's pixel size and resolution (made once)."""
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        renderers = _local.__dict__.setdefault("renderers", {})
        renderer = renderers.get(key)
        if renderer is None:
            renderer = renderers[key] = TextCachingRenderer(width, height, self.figure.dpi)
        self.renderer = renderer
        return renderer


def png_bytes(canvas: FigureCanvasAgg, dpi: int) -> bytes:
    """Return the drawn canvas as an RGB PNG with its physical size (pHYs) and no text or time chunks."""
    width, height = canvas.get_width_height(physical=True)
    rgba = np.asarray(canvas.buffer_rgba())
    rows = np.zeros((height, 1 + 3 * width), np.uint8)  # each row: filter type 0 (none), then its RGB bytes
    rgb = rows[:, 1:].reshape(height, width, 3)
    for channel in range(3):  # one channel at a time: much faster than copying (h, w, 3) from (h, w, 4) at once
        rgb[:, :, channel] = rgba[:, :, channel]
    per_metre = int(dpi / 0.0254 + 0.5)
    chunks = (
        (b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB, not interlaced
        (b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        (b"IDAT", zlib.compress(rows, PNG_LEVEL)),
        (b"IEND", b""),
    )
    return PNG_SIGNATURE + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)) for kind, data in chunks
    )
