"""The bundled official dataset: rebuilt from ../shared/open-data it is byte-identical; every figure is the source's."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from drafter.official.authorities import current_authorities, find_authority, lookup, neighbours_at
from drafter.official.dataset import bundled_path, load_dataset
from drafter.official.measures import load_measures
from drafter.rules.catalogue import load_catalogue
from tests.conftest import ROOT
from tests.open_data import OPEN_DATA, ees, lait, needs_open_data, number, rows


@needs_open_data
def test_rebuilding_from_the_open_data_gives_the_shipped_file(tmp_path):
    out = tmp_path / "official.json"
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_official_data.py"), str(OPEN_DATA),
                             "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "EES and LAIT agree on every figure both publish" in result.stdout
    assert out.read_bytes() == bundled_path().read_bytes()


def test_the_project_runs_without_the_shared_folder():
    data = json.loads(bundled_path().read_bytes())
    assert bundled_path().is_relative_to(ROOT / "data")
    assert data["schema"] == "official-data/1" and "Open Government Licence" in data["licence"]


def _ees_sources():
    for measure in load_measures().measures:
        for source in measure.sources:
            if source.ees:
                files = sorted(p.name for p in (OPEN_DATA / "ees").glob(source.ees + "*.csv"))
                assert len(files) == 1, (source.ees, files)
                yield measure.indicator, source, "ees/" + files[0]


@needs_open_data
def test_every_ees_figure_is_the_published_one_and_suppressed_cells_are_missing():
    dataset = load_dataset()
    checked = suppressed = 0
    for indicator, source, relative in _ees_sources():
        for row in rows(relative):
            if any(row[k] != v for k, v in source.where.items()):
                continue
            level = row["geographic_level"]
            area = {"National": "england", "Regional": row["region_code"],
                    "Local authority": row["old_la_code"]}.get(level)
            if area is None:
                continue
            expected = number(row[source.column])
            got = dataset.value(indicator, int(row["time_period"]), area)
            assert got == expected, (indicator, row["time_period"], area, row[source.column], got)
            checked += 1
            suppressed += expected is None
    assert checked > 10_000 and suppressed > 100  # x, c, z and low cells are None, never 0


@needs_open_data
@pytest.mark.parametrize("indicator, short, year, la", [
    ("assessments.within_45_days", "Continue_Assess_Comp", 2022, "383"),   # LAIT only: Leeds
    ("cp.icpc_within_15_days", "CP_conf_15days", 2019, "806"),
    ("cp.plans_over_2_years", "CPPlans2yrs", 2025, "970"),                 # England, plans ending
    ("missing.children_missing_rate", "Children_missing", 2024, "908"),
    ("children_in_care.rate_per_10000", "LAC", 2019, "806"),              # a year EES lacks
    ("caseload.average", "Work_Force_AvgNumCase_SW", 2016, "302"),
])
def test_lait_fills_what_ees_lacks(indicator, short, year, la):
    area = {"970": "england", "980": "E12000001"}.get(la, la)
    assert load_dataset().value(indicator, year, area) == pytest.approx(lait(short, year, la))


@needs_open_data
def test_examples_against_the_source_files():
    dataset = load_dataset()
    csww = "ees/csww_indicators_2017_to_2025.csv"
    assert dataset.value("caseload.average", 2021, "806") == ees(csww, "caseload_fte", 2021, la="806") == 17.8
    assert dataset.value("workforce.agency_rate", 2024, "E12000001") == ees(csww, "agency_rate_fte", 2024,
                                                                            region="E12000001")
    c1 = "ees/c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
    assert dataset.value("referrals.rereferral_rate", 2025, "england") == ees(c1, "rereferral_percent", 2025,
                                                                              national=True) == 22.6
    stability = "ees/la_cla_placement_stability.csv"
    city = ees(stability, "children_percent", 2024, la="201", placement_stability="Living with the same carer for "
               "at least 2 years", cla_group="Children looked after continuously for at least 2.5 years on 31 March "
               "aged under 16 years")
    assert city is None and dataset.value("placements.long_term_stability", 2024, "201") is None  # 'c', not 0


@needs_open_data
def test_jointly_reported_workforce_figures_belong_to_both_authorities():
    dataset = load_dataset()
    csww = "ees/csww_indicators_2017_to_2025.csv"
    joint = next(float(r["caseload_fte"]) for r in rows(csww)
                 if r["old_la_code"] == "940 / 941" and r["time_period"] == "2025")
    assert dataset.value("caseload.average", 2025, "940") is None
    for code in ("940", "941"):
        assert dataset.area_value("caseload.average", 2025, code) == (joint, "940 / 941")
    assert dataset.joint["314"] == dataset.joint["318"] == "314 / 318"


def test_units_and_ranges_match_the_catalogue():
    dataset = load_dataset()
    catalogue = load_catalogue()
    for indicator, years in dataset.values.items():
        spec = catalogue.get(indicator)
        assert spec.unit == dataset.measures[indicator]["unit"]
        values = [v for column in years.values() for v in column if v is not None]
        assert values and all(spec.range.min <= v <= spec.range.max for v in values)
        if spec.unit == "percent":
            assert max(values) > 1.5, indicator  # percent 0-100, never a 0-1 fraction


def test_the_register_has_the_153_authorities_with_regions_and_neighbours():
    current = current_authorities()
    assert len(current) == 153
    dataset = load_dataset()
    assert all(a.region in dataset.regions for a in current)
    assert lookup("806").region == "E12000001" and dataset.regions["E12000001"] == "North East"
    assert lookup("Barnet").region == "E13000002"  # DfE puts London boroughs in Inner or Outer London
    for query in ("middlesbrough", "MIDDLESBROUGH", "806", "E06000002", "Middlesbrough Council", " 806 "):
        assert find_authority(query).code == "806", query
    assert find_authority("Bristol").code == find_authority("Bristol, City of").code == "801"
    assert find_authority("city of bristol").code == "801"
    assert find_authority("St Helens").code == find_authority("St. Helens").code == "342"
    assert find_authority("Dorset").code == "838"  # the current Dorset, not the county before 2019
    assert not lookup("Cumbria").current


@needs_open_data
def test_neighbour_models_by_date():
    import datetime as dt

    older = neighbours_at("806", dt.date(2025, 5, 31))
    newer = neighbours_at("806", dt.date(2025, 6, 30))
    from tests.open_data import neighbours

    assert list(older.codes) == neighbours("New_Statistical_Neighbour_Groupings_April_2021.csv", "806")
    assert list(newer.codes) == neighbours("sn_model_2025_wide.csv", "806")
    assert older.model == "sn2021" and newer.model == "sn2025" and len(newer.codes) == 10
    assert neighbours_at("806", dt.date(2019, 1, 1)).model == "sn2021"  # before any model: the earliest
    assert neighbours_at("942", dt.date(2023, 6, 1)).model == "sn2025"  # Cumberland: only the 2025 model lists it


@needs_open_data
def test_ilacs_outcomes_from_ofsted():
    import datetime as dt

    from drafter.official.authorities import last_inspection

    assert last_inspection("806", dt.date(2020, 1, 23)) is None
    judged = last_inspection("806", dt.date(2020, 1, 24))
    assert (judged.overall, judged.published.isoformat(), judged.type) == ("inadequate", "2020-01-24", "standard")
    assert last_inspection("806", dt.date(2025, 6, 30)).overall == "requires_improvement"
    history = [r for r in rows("ofsted/la_ilacs_history_2018-2025.csv")]
    assert sum(len(v) for v in load_dataset().ilacs.values()) == len(history)
