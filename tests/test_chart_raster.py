"""The cheap chart path: the PNG writer, the text-caching renderer, threads, and PNGs stored in the DOCX."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from drafter.charts import draw_charts, raster
from drafter.evidence.load import load_pack

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.yaml"))


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Return the PNG's chunks as (type, data), checking each CRC."""
    assert png[:8] == raster.PNG_SIGNATURE
    out, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        kind, data = png[at + 4:at + 8], png[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length:at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        out.append((kind, data))
        at += 12 + length
    return out


def test_png_holds_exactly_the_rendered_pixels():
    figure = Figure(figsize=(1.3, 0.7), dpi=100, facecolor="white")
    canvas = raster.ChartCanvas(figure)
    figure.add_artist(Rectangle((0.1, 0.2), 0.5, 0.4, transform=figure.transFigure, facecolor="#0072B2", hatch="//"))
    figure.text(0.2, 0.7, "Mar 2022", fontsize=7, color="#1a1a1a")
    canvas.draw()
    png = raster.png_bytes(canvas, 100)
    drawn = np.asarray(canvas.buffer_rgba())[:, :, :3]
    decoded = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    assert decoded.shape == (70, 130, 3) and np.array_equal(decoded, drawn)
    assert [kind for kind, _ in _chunks(png)] == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert [round(d) for d in Image.open(io.BytesIO(png)).info["dpi"]] == [100, 100]


def test_strings_are_drawn_from_the_renderers_cache():
    assert raster.FAST_TEXT, "matplotlib lacks what the cached text path needs: charts would draw at the slow rate"
    charts = draw_charts(load_pack(SEEDS[0]))
    renderers = list(raster._local.renderers.values())
    assert renderers and all(isinstance(r, raster.TextCachingRenderer) for r in renderers)
    cached = {key[7] for r in renderers for key in r._bitmaps}  # the string is the key's eighth part
    assert any(chart.title in cached for chart in charts)


def test_a_cached_string_draws_the_same_pixels_as_a_fresh_one():
    def draw() -> bytes:
        figure = Figure(figsize=(2, 0.5), dpi=200, facecolor="white")
        canvas = raster.ChartCanvas(figure)
        figure.text(0.05, 0.4, "Average caseload 17.2", fontsize=8)
        canvas.draw()
        return raster.png_bytes(canvas, 200)

    renderer = raster.ChartCanvas(Figure(figsize=(2, 0.5), dpi=200)).get_renderer()
    renderer._bitmaps.clear()
    first = draw()  # rasterised
    assert len(renderer._bitmaps) == 1
    assert draw() == first  # from the cache


def test_charts_drawn_in_threads_are_the_same_bytes():
    packs = [load_pack(p) for p in SEEDS]
    alone = [hashlib.sha256(c.png).hexdigest() for e in packs for c in draw_charts(e)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        drawn = list(pool.map(draw_charts, packs))
    assert [hashlib.sha256(c.png).hexdigest() for cs in drawn for c in cs] == alone


@pytest.mark.parametrize("seed", [SEEDS[0]])
def test_briefing_docx_stores_its_pngs_and_deflates_its_xml(run, tmp_path, seed):
    out = tmp_path / "briefing.docx"
    assert run("briefing", seed, "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as docx:
        infos = docx.infolist()
        media = [i for i in infos if i.filename.endswith(".png")]
        assert media and all(i.compress_type == zipfile.ZIP_STORED for i in media)
        assert all(docx.read(i).startswith(raster.PNG_SIGNATURE) for i in media)
        xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
        assert xml and all(i.compress_type == zipfile.ZIP_DEFLATED for i in xml)
    again = tmp_path / "again.docx"
    assert run("briefing", seed, "-o", again).exit_code == 0
    assert again.read_bytes() == out.read_bytes()
