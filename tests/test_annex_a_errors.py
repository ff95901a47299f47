"""Broken Annex A workbooks: each gets one located error (FILE:List 5!I14), exit 2, no traceback, no pack."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drafter.annex_a.spec import header_key
from tests.conftest import ROOT
from tools.make_annex_a import generate, write_workbook

AS_OF = "2024-03-31"


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    data = generate(seed=5, as_of=dt.date(2024, 3, 31), scale=0.02)
    return write_workbook(data, tmp_path_factory.mktemp("good") / "good.xlsx", {"title", "headers"}, seed=5)


def broken(good: Path, tmp_path: Path, change) -> Path:
    """Return a copy of the good workbook with `change(book)` applied."""
    book = load_workbook(good)
    change(book)
    path = tmp_path / "broken.xlsx"
    book.save(path)
    return path


def header_cell(sheet, name: str):
    """Return the header cell whose text is `name`, however the export spaced or capitalised it."""
    for row in sheet.iter_rows(max_row=10):
        for cell in row:
            if cell.value is not None and header_key(cell.value) == header_key(name):
                return cell
    raise AssertionError(f"no header {name!r}")


def first_data_cell(sheet, name: str):
    head = header_cell(sheet, name)
    return sheet.cell(row=head.row + 1, column=head.column)


def fails(run, workbook: Path, tmp_path: Path, as_of: str = AS_OF) -> str:
    out = tmp_path / "pack.yaml"
    result = run("new-pack", out, "--annex-a", workbook, "--as-of", as_of)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert not list(tmp_path.glob(".pack.yaml.*"))  # no temporary file left behind either
    return result.output


def test_the_good_workbook_is_read(good, run, tmp_path):
    result = run("new-pack", tmp_path / "pack.yaml", "--annex-a", good, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output


def test_a_missing_list(good, run, tmp_path):
    path = broken(good, tmp_path, lambda book: book.remove(book["List 4"]))
    output = fails(run, path, tmp_path)
    assert f"{path}:List 4: error: the workbook has no sheet for List 4 (assessments)" in output
    assert "found:" in output and "expected: a sheet named 'List 4'" in output and "hint:" in output


def test_a_renamed_required_column_names_its_cell_and_the_nearest_header(good, run, tmp_path):
    def rename(book):
        header_cell(book["List 5"], "Date of Initial Child Protection Conference").value = "Date of Initial CP Conf"

    path = broken(good, tmp_path, rename)
    cell = header_cell(load_workbook(path)["List 5"], "Date of Initial CP Conf").coordinate
    output = fails(run, path, tmp_path)
    assert f"{path}:List 5!{cell}: error: List 5" in output
    assert "has no 'Date of Initial Child Protection Conference' column" in output
    assert "did you mean 'Date of Initial CP Conf'?" in output


def test_an_unreadable_date(good, run, tmp_path):
    def spoil(book):
        first_data_cell(
            book["List 5"], "Strategy discussion initiating Section 47 Enquiry Start Date"
        ).value = "31/02/2024"

    path = broken(good, tmp_path, spoil)
    cell = first_data_cell(
        load_workbook(path)["List 5"], "Strategy discussion initiating Section 47 Enquiry Start Date"
    )
    output = fails(run, path, tmp_path)
    assert f"{path}:List 5!{cell.coordinate}: error: List 5: cannot read the strategy discussion date" in output
    assert "found:    '31/02/2024'" in output
    assert "expected: a date cell, or text such as 31/03/2024" in output


def test_an_unreadable_count(good, run, tmp_path):
    def spoil(book):
        first_data_cell(book["List 3"], "Number of Referrals in Last 12 Months").value = "two"

    path = broken(good, tmp_path, spoil)
    cell = first_data_cell(load_workbook(path)["List 3"], "Number of Referrals in Last 12 Months").coordinate
    assert f"{path}:List 3!{cell}: error: List 3: cannot read the number of referrals" in fails(run, path, tmp_path)


def test_an_unknown_code(good, run, tmp_path):
    def spoil(book):
        first_data_cell(book["List 9"], "LA in Touch").value = "Sometimes"

    path = broken(good, tmp_path, spoil)
    output = fails(run, path, tmp_path)
    assert re.search(
        rf"{re.escape(str(path))}:List 9![A-Z]+\d+: error: List 9: cannot read the in touch status", output
    )
    assert "expected: one of: a) Yes, b) No" in output


def test_a_workbook_that_is_not_an_annex_a(run, tmp_path):
    pack = tmp_path / "starter.xlsx"
    assert run("new-pack", pack).exit_code == 0  # drafter's own evidence-pack workbook
    output = fails(run, pack, tmp_path)
    assert f"{pack}: error: this is not an Annex A workbook: no sheet is named after a list" in output
    assert "found:    sheets 'instructions'" in output or "found:    sheets" in output


@pytest.mark.parametrize(
    ("name", "content", "found"),
    [
        ("notes.xlsx", b"Child Unique ID,Date of Referral\n123,01/02/2024\n", "a file starting"),
        ("empty.xlsx", b"", "an empty file"),
        ("old.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "an OLE2 compound file"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "File is not a zip file"),
    ],
)
def test_a_file_that_is_not_a_workbook(name, content, found, run, tmp_path):
    path = tmp_path / name
    path.write_bytes(content)
    output = fails(run, path, tmp_path)
    assert output.startswith(f"{path}: error: ")
    assert found in output


def test_a_word_document_renamed(run, tmp_path):
    path = tmp_path / "letter.xlsx"
    shutil.copy(ROOT / "templates" / "reference.docx", path)
    assert "found:    a Word document" in fails(run, path, tmp_path)


def test_two_sheets_for_one_list(good, run, tmp_path):
    def duplicate(book):
        book.copy_worksheet(book["List 3"]).title = "list 3 (old)"

    path = broken(good, tmp_path, duplicate)
    assert f"{path}:list 3 (old): error: two sheets hold List 3" in fails(run, path, tmp_path)


def test_a_list_without_a_header_row(good, run, tmp_path):
    def wipe(book):
        for cell in book["List 9"][1]:  # the header row; the rows of data stay
            cell.value = None

    path = broken(good, tmp_path, wipe)
    assert f"{path}:List 9!A1: error: List 9 (care leavers) has no header row" in fails(run, path, tmp_path)


def test_a_formula_without_a_result_that_cannot_be_worked_out(good, run, tmp_path):
    def spoil(book):
        first_data_cell(book["List 10"], "Date Placed for Adoption").value = "=TODAY()-30"

    path = broken(good, tmp_path, spoil)
    cell = first_data_cell(load_workbook(path)["List 10"], "Date Placed for Adoption").coordinate
    output = fails(run, path, tmp_path)
    assert f"{path}:List 10!{cell}: error: a formula was saved without its result" in output
    assert "found:    =TODAY()-30" in output


def test_a_date_beyond_the_bank_holiday_list(run, tmp_path):
    data = generate(seed=5, as_of=dt.date(2031, 3, 31), scale=0.02)
    path = write_workbook(data, tmp_path / "future.xlsx")
    output = fails(run, path, tmp_path, as_of="2031-03-31")
    assert re.search(r":List 4![A-Z]+\d+: error: List 4: working days cannot be counted for a date outside", output)
    assert "expected: a date from 2015-01-01 to 2030-12-31" in output


def test_options_that_are_wrong(good, run, tmp_path):
    out = tmp_path / "pack.yaml"
    result = run("new-pack", out, "--annex-a", good)
    assert result.exit_code == 2 and "--as-of is needed with --annex-a" in result.output
    result = run("new-pack", out, "--annex-a", good, "--as-of", "31st of never")
    assert result.exit_code == 2 and "--as-of is not a date" in result.output
    result = run("new-pack", out, "--annex-a", good, "--as-of", AS_OF, "--from", "2024-04-01")
    assert result.exit_code == 2 and "the window starts after as_of" in result.output
    result = run("new-pack", out, "--annex-a", good, "--as-of", AS_OF, "--by", "week")
    assert result.exit_code == 2 and "unknown --by 'week'" in result.output
    result = run("new-pack", out, "--as-of", AS_OF)
    assert result.exit_code == 2 and "--as-of only apply with --annex-a" in result.output
    result = run("new-pack", out, "--annex-a", good, "--as-of", AS_OF, "--authority", "Middlesborough")
    assert result.exit_code == 2 and "did you mean 'Middlesbrough'" in result.output
    assert not out.exists()


def test_an_existing_pack_is_not_replaced_without_force(good, run, tmp_path):
    out = tmp_path / "pack.yaml"
    out.write_text("keep me\n")
    result = run("new-pack", out, "--annex-a", good, "--as-of", AS_OF)
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_text() == "keep me\n"
    assert run("new-pack", out, "--annex-a", good, "--as-of", AS_OF, "--force").exit_code == 0
    assert out.read_text().startswith("# Evidence pack")


def test_the_workbook_is_never_the_output(good, run, tmp_path):
    copy = tmp_path / "annex.xlsx"
    shutil.copy(good, copy)
    result = run("new-pack", copy, "--annex-a", copy, "--as-of", AS_OF, "--force")
    assert result.exit_code == 2 and "never overwrites its input" in result.output
    assert copy.read_bytes() == good.read_bytes()


def test_an_empty_list_is_a_list_with_nothing_to_count(good, run, tmp_path):
    def empty(book):
        sheet = book["List 10"]
        sheet.delete_rows(1, sheet.max_row)

    path = broken(good, tmp_path, empty)
    out = tmp_path / "pack.yaml"
    result = run("new-pack", out, "--annex-a", path, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "List 10 (adoption): 0 rows, an empty sheet" in result.output
    assert "permanence.adoption_a1_days: 0 used (no value: nothing to count)" in result.output
    assert "permanence.adoption_a1_days" not in out.read_text()
