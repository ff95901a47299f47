"""Reading Annex A workbooks as real exports write them: each kind of messiness alone, the shared sample, cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter.annex_a import values
from drafter.annex_a.build import build_pack
from drafter.annex_a.spec import load_spec
from tests.conftest import ROOT
from tools.make_annex_a import MESS, generate, write_workbook

AS_OF = dt.date(2024, 3, 31)
SAMPLE = ROOT.parent / "shared" / "annex-a" / "Annex_A.xlsx"


@pytest.fixture(scope="module")
def data():
    return generate(seed=11, as_of=AS_OF, scale=0.05)


@pytest.fixture(scope="module")
def clean_pack(data, tmp_path_factory):
    path = write_workbook(data, tmp_path_factory.mktemp("clean") / "clean.xlsx", set(), seed=11)
    return build_pack(path, AS_OF, by="window").pack


@pytest.mark.parametrize("mess", MESS)
def test_each_kind_of_messiness_gives_the_clean_pack(mess, data, clean_pack, tmp_path):
    path = write_workbook(data, tmp_path / f"{mess}.xlsx", {mess}, seed=11)
    assert build_pack(path, AS_OF, by="window").pack == clean_pack


def test_the_messiness_is_really_there(data, tmp_path):
    from openpyxl import load_workbook

    path = write_workbook(data, tmp_path / "messy.xlsx", set(MESS), seed=11)
    book = load_workbook(path)
    list10 = book["List 10"]
    cells = [c.value for row in list10.iter_rows() for c in row]
    assert any(isinstance(v, str) and v.startswith("=") for v in cells)  # formulas
    list3 = [[c.value for c in row] for row in book["List 3"].iter_rows()]
    assert str(list3[0][0]).startswith("Annex A List 3")  # a title row
    assert any(all(v is None for v in row) for row in list3[3:])  # blank rows
    assert "local reference" in [str(v).strip().lower() for v in list3[2]]  # an extra column
    texts = [v for row in list3[3:] for v in row if isinstance(v, str) and v.count("/") == 2]
    assert texts  # dates typed as text


def test_blank_rows_and_title_rows_are_reported(data, run, tmp_path):
    path = write_workbook(data, tmp_path / "messy.xlsx", {"title", "blank_rows"}, seed=11)
    result = run("new-pack", tmp_path / "p.yaml", "--annex-a", path, "--as-of", "2024-03-31")
    assert result.exit_code == 0, result.output
    assert "blank rows passed over" in result.output
    lines = result.output.splitlines()
    assert any(line.startswith("List 4 (assessments): ") for line in lines)
    assert any(line.strip().startswith("assessments.within_45_days: ") and "used" in line for line in lines)


@pytest.mark.skipif(not SAMPLE.exists(), reason="needs ../shared/annex-a")
@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_the_shared_sample_reads_with_saved_formula_results(reader):
    built = build_pack(SAMPLE, dt.date(2021, 3, 31), by="window", reader=reader)
    assert built.window.start == dt.date(2020, 9, 16)  # the earliest contact
    series = {(e["id"], e.get("team")): e["series"] for e in built.pack["indicators"]}
    # List 3 of the sample: referrals with 2, 1, 0, ... earlier referrals; half were re-referrals.
    assert series[("referrals.rereferral_rate", None)] == {"2021-03-31": 50.0}
    # The adoption list's dates are formulas with saved results (=H2+5 ...): read, and all outside the window.
    adoption = next(r for r in built.results if r.measure.indicator == "permanence.adoption_a1_days")
    assert adoption.tally.outside == 5


def test_both_readers_agree_on_the_shared_sample():
    if not SAMPLE.exists():
        pytest.skip("needs ../shared/annex-a")
    fast = build_pack(SAMPLE, dt.date(2021, 3, 31), reader="calamine")
    slow = build_pack(SAMPLE, dt.date(2021, 3, 31), reader="openpyxl")
    assert fast.pack == slow.pack


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("1/3/24", dt.date(2024, 3, 1)),
        ("01-03-2024", dt.date(2024, 3, 1)),
        ("01.03.2024", dt.date(2024, 3, 1)),
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024-03-01 00:00:00", dt.date(2024, 3, 1)),
        ("1 March 2024", dt.date(2024, 3, 1)),
        ("1st Mar 2024", dt.date(2024, 3, 1)),
        (45382, dt.date(2024, 3, 31)),
        (45382.0, dt.date(2024, 3, 31)),
        ("45382", dt.date(2024, 3, 31)),
        (dt.datetime(2024, 3, 31, 14, 5), dt.date(2024, 3, 31)),
        ("  ", None),
        ("#N/A", None),
        (None, None),
    ],
)
def test_dates_as_exports_write_them(cell, day):
    assert values.read_date(cell) == day


@pytest.mark.parametrize("cell", ["31/02/2024", "13/13/2024", "soon", "2024-31-03", True, -5])
def test_unreadable_dates_are_refused(cell):
    with pytest.raises(values.CellError):
        values.read_date(cell)


def test_ids_are_text_whatever_the_list_stores():
    assert values.read_id(123) == values.read_id(123.0) == values.read_id("123.0") == values.read_id(" 123 ") == "123"
    assert values.read_id("A0123") == "A0123"
    assert values.read_id("") is None


def test_counts_and_codes():
    assert values.read_count("2") == values.read_count(2.0) == 2
    assert values.read_count(" ") is None
    for bad in ("two", -1, 2.5):
        with pytest.raises(values.CellError):
            values.read_count(bad)
    columns = load_spec().lists[9].columns
    activity, touch = columns["activity"], columns["in_touch"]
    assert values.read_code("F1: Full time in higher education", activity, values.code_table(activity)) == "F1"
    assert values.read_code("P2 - part time", activity, values.code_table(activity)) == "P2"
    assert values.read_code("a) Yes", touch, values.code_table(touch)) == "yes"
    assert values.read_code("y", touch, values.code_table(touch)) == "yes"
    assert values.read_code("b) No", touch, values.code_table(touch)) == "no"
    with pytest.raises(values.CellError):
        values.read_code("Maybe", touch, values.code_table(touch))


def test_teams_keep_their_names_without_stray_spaces():
    assert values.read_team(" Children\u00a0in Care  1 ") == "Children in Care 1"
    assert values.read_team("#N/A") is None


def test_unsaved_formulas_are_worked_out(tmp_path: Path):
    from openpyxl import Workbook

    from drafter.annex_a.workbook import read_workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "List 10"
    sheet.append(["Date the Child Entered Care", "Date of Placement Order"])
    sheet.append([dt.date(2024, 1, 5), "=A2+5"])
    sheet.append(["05/01/2024", "=DATE(2024,1,5)+A3-A3+10"])
    sheet.append([dt.date(2024, 1, 5), "=B2+1"])
    path = tmp_path / "f.xlsx"
    book.save(path)
    _, sheets = read_workbook(path, {10})
    grid = sheets[10].rows
    assert [values.read_date(grid[r][1]) for r in (1, 2, 3)] == [
        dt.date(2024, 1, 10),
        dt.date(2024, 1, 15),
        dt.date(2024, 1, 11),
    ]


def list3(rows: list[list]):
    from drafter.annex_a.records import read_list
    from drafter.annex_a.workbook import Sheet

    header = ["Child Unique ID", "Date of Referral", "Number of Referrals in Last 12 Months", "Allocated Team"]
    return read_list("x.xlsx", Sheet("List 3", [header, *rows]), load_spec().lists[3])


def test_a_team_spelt_two_ways_is_one_team():
    rows = list3(
        [[1, "01/02/2024", 0, "North Team"], [2, "02/02/2024", 1, "north team "], [3, "03/02/2024", 0, "North Team"]]
    )
    assert {r.values["team"] for r in rows.records} == {"North Team"}


def test_the_standard_header_wins_over_a_variant():
    from drafter.annex_a.records import read_list
    from drafter.annex_a.workbook import Sheet

    header = ["Child Unique ID", "Referral Date", "Date of Referral", "Number of Referrals in Last 12 Months"]
    rows = read_list("x.xlsx", Sheet("List 3", [header, [1, "01/01/2020", "01/02/2024", 0]]), load_spec().lists[3])
    assert rows.records[0].values["referral_date"] == dt.date(2024, 2, 1)


def test_more_date_forms():
    assert values.read_date("March 31, 2024") == values.read_date("31-Mar-2024") == dt.date(2024, 3, 31)
    assert values.read_date(dt.time(0, 0)) is None


def test_datevalue_in_a_formula_without_a_result():
    from drafter.annex_a.formulas import EPOCH, evaluate

    assert evaluate('=DATEVALUE("31/03/2024")+1', lambda row, col: None) == (dt.date(2024, 4, 1) - EPOCH).days


@pytest.mark.parametrize("reader", ["calamine", "openpyxl"])
def test_cells_keep_their_places_when_a_sheet_starts_below_and_right_of_a1(reader, tmp_path):
    from openpyxl import Workbook

    from drafter.annex_a.workbook import read_workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "List 1"
    sheet["C3"], sheet["D4"] = "x", "y"
    book.save(tmp_path / "offset.xlsx")
    _, sheets = read_workbook(tmp_path / "offset.xlsx", {1}, reader)
    grid = sheets[1].rows
    assert grid[2][2] == "x" and grid[3][3] == "y"
    assert sheets[1].where(3, 3) == "List 1!D4"
