"""Charts for a board briefing: valid PNGs at print size, alt text, skips, determinism, palette."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from matplotlib.image import imread
from PIL import Image

from drafter.charts import ChartSet, draw_charts, load_chartbook
from drafter.errors import RulebookError
from drafter.evidence.load import load_pack

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.yaml"))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Okabe, M. and Ito, K. (2008) Color Universal Design: the eight colours, by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}


@pytest.fixture(scope="module")
def drawn() -> dict[str, tuple]:
    """Draw every seed pack once for the module: {seed name: (evidence, ChartSet)}."""
    out = {}
    for path in SEEDS:
        evidence = load_pack(path)
        out[path.name] = (evidence, draw_charts(evidence))
    return out


@pytest.fixture
def pack(tmp_path: Path):
    """Return a function that writes a small pack with the given indicators and loads it."""

    def _pack(indicators: str) -> object:
        path = tmp_path / "pack.yaml"
        body = "schema: evidence-pack/1\nauthority: Testshire\nas_of: 2022-06-30\nindicators:\n"
        path.write_text(body + textwrap.indent(textwrap.dedent(indicators), "  "), encoding="utf-8")
        return load_pack(path)

    return _pack


def _latest_number(value: float) -> str:
    """The latest value as any sensible rendering of it starts: 22.0 -> '22', 17.2 -> '17.2'."""
    return f"{float(value):g}"


@pytest.mark.parametrize("seed", [p.name for p in SEEDS])
def test_seed_charts_are_print_size_pngs_with_alt_text(drawn, seed):
    evidence, charts = drawn[seed]
    book = load_chartbook()
    assert isinstance(charts, ChartSet) and len(charts) >= 3
    expected_px = (round(book.figure.height_cm / 2.54 * book.figure.dpi), round(book.figure.width_cm / 2.54 * 200))
    assert expected_px == (630, 1260)
    for chart in charts:
        assert chart.png.startswith(PNG_SIGNATURE), chart.id
        pixels = imread(io.BytesIO(chart.png))
        height, width = pixels.shape[:2]
        assert (height, width) == expected_px, (chart.id, pixels.shape)
        assert abs(width / 200 * 2.54 - 16) < 0.1 and abs(height / 200 * 2.54 - 8) < 0.1
        dpi = Image.open(io.BytesIO(chart.png)).info["dpi"]
        assert [round(d) for d in dpi] == [200, 200]  # so a word processor places it at 16 x 8 cm
        assert chart.width_cm == pytest.approx(16.0)
        assert chart.alt.strip() and chart.caption.startswith("Source: Middlesbrough evidence pack")
        assert chart.title[0].isupper() and chart.title[1:] == chart.title[1:].lower().replace("england", "England")
        spec = book.get(chart.id)
        for entry in spec.series:
            series = evidence.get(entry.indicator)
            if series is None:
                continue
            latest = series.latest
            if spec.kind == "stacked_grades":
                n = sum(latest.value.values())
                assert f"{latest.value['inadequate']} of {n}" in chart.alt
            else:
                assert _latest_number(latest.value) in chart.alt, (chart.id, chart.alt)
            assert latest.period.end.strftime("%B %Y") in chart.alt


def test_every_chart_is_drawn_or_noted(drawn):
    book = load_chartbook()
    for evidence, charts in drawn.values():
        drawn_ids = {c.id for c in charts}
        for spec in book.charts:
            has_data = any(evidence.get(e.indicator) is not None for e in spec.series)
            assert (spec.id in drawn_ids) == has_data
            if not has_data:
                assert any(n.startswith(f"{spec.name} chart left out") for n in charts.skipped)


def test_alt_text_says_what_the_chart_shows(drawn):
    _, charts = drawn["2022-03-third-monitoring-visit.yaml"]
    alt = charts.get("caseload").alt
    assert "fell from 23.5 in September 2020 to 17.2 in March 2022" in alt  # 23.5: DfE, 30 September 2020
    assert "England average of 16.3 (30 September 2021)" in alt  # the census published by March 2022
    audit = charts.get("audit_grades").alt
    assert "In March 2022, 10 of 50 audits (20%) were graded inadequate and 19 (38%) good or better" in audit
    assert "in September 2021, 14 of 50 (28%) were inadequate" in audit
    adoption = charts.get("permanence_adoption").alt
    assert "458 days in March 2022" in adoption and "32 days above the scorecard threshold of 426 days" in adoption
    assert "27 days above the scorecard threshold of 121 days" in adoption
    proceedings = charts.get("proceedings_duration").alt
    assert "8 weeks above the 26-week statutory limit" in proceedings
    workforce = charts.get("workforce").alt
    assert "with a low of 15.0% in September 2021" in workforce  # turnover at 30 September 2021 (DfE)
    assert "peaking at 28.7% in September 2021" in workforce  # agency rate at 30 September 2021 (DfE)
    assert "rose from 16.0% in March 2021 to 22.0% in March 2022" in workforce
    assert "England average was 15.5% at 30 September 2021" in workforce


def test_captions_name_the_comparator_and_threshold_sources(drawn):
    _, charts = drawn["2022-03-third-monitoring-visit.yaml"]
    caption = charts.get("caseload").caption
    assert "England average: DfE Children's social work workforce, 30 September 2021, published February" in caption
    assert "Threshold: DfE adoption scorecards." in charts.get("permanence_adoption").caption
    assert "as of 30 March 2022" in charts.get("workforce").caption


def test_pack_without_audit_ratings_skips_that_chart_with_a_note(pack):
    evidence = pack(
        """\
        - id: caseload.average
          series: {2021-09: 19.2, 2022-03: 17.6}
        """
    )
    charts = draw_charts(evidence)
    assert [c.id for c in charts] == ["caseload"]
    assert "Case audit grades chart left out: the pack has no figures for the case audit ratings." in charts.skipped
    assert (
        "Permanence timeliness chart left out: the pack has no figures for the average days from entering care "
        "to moving in with an adoptive family (A1) or average days from placement order to matching with "
        "adopters (A2)." in charts.skipped
    )


def test_single_point_is_drawn_and_labelled(pack):
    evidence = pack(
        """\
        - id: caseload.average
          series: {2022-03: 17.6}
        - id: audit.ratings
          series:
            2022-06: {outstanding: 0, good: 9, requires_improvement: 3, inadequate: 1}
        """
    )
    charts = draw_charts(evidence)
    assert charts.get("caseload").alt.startswith("Average caseload of case-holding social workers was 17.6 in March")
    assert "1 of 13 audits (8%) was graded inadequate and 9 (69%) good or better." in charts.get("audit_grades").alt
    assert imread(io.BytesIO(charts.get("caseload").png)).shape[:2] == (630, 1260)


def test_missing_series_in_a_chart_with_others_is_noted(pack):
    evidence = pack(
        """\
        - id: workforce.turnover_rate
          series: {2021-09: 21.0, 2022-03: 20.4}
        - id: permanence.adoption_a2_days
          series: {2022-03: 148}
          comparators: {england: 150}
        """
    )
    charts = draw_charts(evidence)
    assert {c.id for c in charts} == {"workforce", "permanence_adoption"}
    assert (
        "Workforce turnover and agency chart drawn without the agency social worker rate: "
        "the pack has no figures for it." in charts.skipped
    )
    assert "Agency" not in charts.get("workforce").alt
    assert "148 days in March 2022" in charts.get("permanence_adoption").alt


def test_pack_comparator_overrides_the_catalogue(pack):
    evidence = pack(
        """\
        - id: caseload.average
          series: {2021-09: 19.2, 2022-03: 17.6}
          comparators: {england: 16.3}
        """
    )
    chart = draw_charts(evidence).get("caseload")
    assert "the latest figure is 1.3 above the England average of 16.3" in chart.alt
    assert "as given in the pack" in chart.caption


def test_same_pack_gives_same_bytes(drawn):
    evidence, first = drawn[SEEDS[0].name]
    again = draw_charts(evidence)
    assert [c.png for c in again] == [c.png for c in first]
    assert [c.alt for c in again] == [c.alt for c in first]


def test_same_bytes_in_a_fresh_process_without_pyplot(drawn):
    """A new interpreter (fresh font caches, no pyplot) draws byte-identical PNGs."""
    seed = SEEDS[-1]
    script = (
        "import hashlib, json, sys\n"
        "from drafter.charts import draw_charts\n"
        "from drafter.evidence.load import load_pack\n"
        f"charts = draw_charts(load_pack({str(seed)!r}))\n"
        "print(json.dumps({'pyplot': 'matplotlib.pyplot' in sys.modules,\n"
        "                  'hashes': [hashlib.sha256(c.png).hexdigest() for c in charts]}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    report = json.loads(result.stdout)
    assert report["pyplot"] is False
    assert report["hashes"] == [hashlib.sha256(c.png).hexdigest() for c in drawn[seed.name][1]]


def test_png_has_no_text_chunks_or_timestamps(drawn):
    for _, charts in drawn.values():
        for chart in charts:
            assert b"tEXt" not in chart.png and b"iTXt" not in chart.png and b"tIME" not in chart.png
            assert b"matplotlib" not in chart.png.lower()


def test_palette_is_okabe_ito_and_styles_survive_greyscale():
    book = load_chartbook()
    assert {k: v.upper() for k, v in book.palette.items()} == OKABE_ITO
    used = [s.colour for s in book.series_styles] + [g.colour for g in book.grades]
    assert all(name in book.palette for name in used)
    # No red/green pairing: the palette has neither pure red nor pure green.
    assert not {"#FF0000", "#00FF00", "#008000"} & set(OKABE_ITO.values())
    # Colour is never the only carrier: markers differ between series, dashes between reference kinds,
    # grades are labelled and the two below good are hatched differently.
    markers = [s.marker for s in book.series_styles]
    assert len(set(markers)) == len(markers)
    assert book.reference_styles["comparator"].dashes != book.reference_styles["threshold"].dashes
    assert [g.id for g in book.grades] == ["outstanding", "good", "requires_improvement", "inadequate"]
    hatches = [g.hatch for g in book.grades if g.hatch]
    assert len(set(hatches)) == len(hatches) == 2


def test_chart_rulebook_errors_are_located(tmp_path):
    text = (ROOT / "rules" / "charts.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "charts.yaml"
    bad.write_text(text.replace("indicator: caseload.average,", "indicator: caseload.averge,"), encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_chartbook(bad)
    rendered = str(exc.value)
    assert "unknown indicator id 'caseload.averge'" in rendered
    assert f"{bad}:" in rendered

    bad.write_text(text.replace("{trend}; {versus_comparator}", "{trend}; {versus_englnd}"), encoding="utf-8")
    with pytest.raises(RulebookError, match=r"unknown template field \{versus_englnd\}"):
        load_chartbook(bad)
