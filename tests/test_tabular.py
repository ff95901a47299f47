"""Evidence packs as Excel workbooks and CSV folders; `new-pack` and `convert`."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from drafter.errors import EvidenceError
from drafter.evidence.load import load_pack
from drafter.evidence.write import write_pack
from drafter.rules.catalogue import load_catalogue
from drafter.vocab.topics import load_vocabulary
from tests.conftest import MINIMAL, SEEDS


def _same(a, b) -> None:
    assert a.pack.model_dump() == b.pack.model_dump()
    assert a.pack == b.pack
    assert a.series == b.series


def _ok(result) -> None:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def _failed(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_yaml_to_xlsx_to_yaml_is_lossless(seed, run, tmp_path):
    xlsx, back = tmp_path / "pack.xlsx", tmp_path / "back.yaml"
    result = run("convert", seed, xlsx)
    _ok(result)
    assert result.output.strip() == f"wrote {xlsx}"
    _ok(run("convert", xlsx, back))
    original = load_pack(seed)
    _same(original, load_pack(xlsx))
    _same(original, load_pack(back))
    # Floats stay floats (24.0 is not written back as 24).
    assert back.read_text(encoding="utf-8").count(".0,") == seed.read_text(encoding="utf-8").count(".0,")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_yaml_to_csv_folder_is_lossless(seed, run, tmp_path):
    folder = tmp_path / "pack-csv"
    _ok(run("convert", seed, folder))
    assert sorted(p.name for p in folder.iterdir()) == ["indicators.csv", "notes.csv", "pack.csv", "samples.csv"]
    _same(load_pack(seed), load_pack(folder))
    _same(load_pack(seed), load_pack(folder / "pack.csv"))  # naming pack.csv means its folder
    result = run("validate", folder)
    _ok(result)
    assert result.output.startswith(f"ok: {folder} (")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_to_json_and_between_tabular_formats(seed, tmp_path):
    original = load_pack(seed)
    json_path = write_pack(original, tmp_path / "p.json")
    _same(original, load_pack(json_path))
    csv_folder = write_pack(load_pack(json_path), tmp_path / "p")
    xlsx = write_pack(load_pack(csv_folder), tmp_path / "p.xlsx")
    _same(original, load_pack(xlsx))


def test_write_pack_accepts_a_plain_dict(tmp_path):
    data = {
        "schema": "evidence-pack/1",
        "authority": "Testshire",
        "as_of": dt.date(2022, 3, 30),
        "indicators": [
            {"id": "caseload.average", "comparators": {"england": 16.3}, "note": "FTE", "series": {"2022-03": 17.6}},
            {"id": "audit.ratings", "series": {"2022-03": {"good": 10, "inadequate": 3}}},
        ],
        "notes": [{"topic": "placements", "polarity": "negative", "text": "=SUM(A1) is text, not a formula"}],
    }
    for name in ("p.xlsx", "p.yaml", "p.json", "p-csv"):
        evidence = load_pack(write_pack(data, tmp_path / name))
        assert evidence.get("caseload.average").comparators == {"england": 16.3}
        assert evidence.pack.indicators[0].note == "FTE"
        assert evidence.pack.indicators[1].series == {"2022-03": {"good": 10, "inadequate": 3}}
        assert evidence.pack.notes[0].text == "=SUM(A1) is text, not a formula"


def test_xlsx_output_is_deterministic(run, tmp_path):
    seed = SEEDS[0]
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _ok(run("convert", seed, a))
    _ok(run("convert", seed, b))
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        assert names[1:] == sorted(names[1:])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    as_of = load_pack(seed).pack.as_of.isoformat()
    assert f">{as_of}T00:00:00Z</dcterms:modified>" in core


def test_yaml_output_is_readable(run, tmp_path):
    out = tmp_path / "out.yaml"
    _ok(run("convert", SEEDS[1], out))
    text = out.read_text(encoding="utf-8")
    assert "    series: {" in text  # one line per series
    assert "  - id: audit.ratings\n    series:\n      " in text
    assert "{outstanding: " in text


# ---------------------------------------------------------------- new-pack


def test_new_pack_xlsx_is_valid_and_helpful(run, tmp_path):
    path = tmp_path / "new.xlsx"
    result = run("new-pack", path)
    _ok(result)
    assert f"wrote {path}" in result.output
    result = run("validate", path)
    _ok(result)
    assert "1 indicator, 1 sample, 1 note" in result.output

    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["instructions", "pack", "indicators", "samples", "notes", "lists"]
    assert wb["lists"].sheet_state == "hidden"
    for name in ("pack", "indicators", "samples", "notes"):
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1] if cell.value)
        assert ws.column_dimensions["A"].width > 10
    assert [c.value for c in wb["indicators"][1]][:9] == [
        "id",
        "team",
        "period",
        "value",
        "outstanding",
        "good",
        "requires_improvement",
        "inadequate",
        "comparator_england",
    ]
    keys = [row[0].value for row in wb["pack"].iter_rows(min_row=2)]
    for key in ("schema", "authority", "as_of", "document.kind", "document.visit_dates", "last_judgement.published"):
        assert key in keys

    def validations(sheet: str) -> dict[str, str]:
        return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb[sheet].data_validations.dataValidation}

    catalogue, topics = load_catalogue(), load_vocabulary().topic_ids()
    assert validations("indicators")["A2"] == f"lists!$A$2:$A${len(catalogue.ids()) + 1}"
    assert validations("notes")["A2"] == f"lists!$B$2:$B${len(topics) + 1}"
    assert validations("notes")["B2"] == '"positive,negative,mixed"'
    assert "lists!$B$2" in validations("samples")["A2"]
    assert [c.value for c in wb["lists"]["A"][1:]] == catalogue.ids()
    assert [c.value for c in wb["lists"]["B"][1 : len(topics) + 1]] == topics

    instructions = "\n".join(str(c.value) for row in wb["instructions"].iter_rows() for c in row if c.value)
    for spec in catalogue.indicators:
        assert spec.id in instructions
        assert spec.label[1:] in instructions
    for column in ("feature", "seen", "polarity", "comparator_england", "document.recipient.address"):
        assert column in instructions
    assert "per cent" in instructions and "drafter validate" in instructions


def test_filled_in_workbook_validates(run, tmp_path):
    path = tmp_path / "filled.xlsx"
    _ok(run("new-pack", path))
    wb = openpyxl.load_workbook(path)
    ws = wb["indicators"]
    ws.append(["workforce.agency_rate", None, "2023-09", 19.5])
    ws.append(["workforce.agency_rate", None, "2024-03", 17])
    ws.append(["caseload.average", "assessment", "2024-03", 22.4])
    ws.append(["audit.ratings", None, "2024-03", None, 1, 18, 21, 10])
    # As Excel stores what a user types: '2024-01' becomes a date shown as a month, 12.5% a fraction.
    ws.append(["workforce.turnover_rate", None, dt.datetime(2024, 1, 1), 0.125])
    ws.cell(ws.max_row, 3).number_format = "mmm-yy"
    ws.cell(ws.max_row, 4).number_format = "0.0%"
    ws.append(["workforce.vacancy_rate", None, dt.datetime(2024, 3, 31), 9])
    ws.cell(ws.max_row, 3).number_format = "dd/mm/yyyy"
    wb["notes"].append(["caseloads", "positive", "Caseloads have fallen in every team.", "Performance report"])
    wb["samples"].append(["permanence.parallel_planning", 9, 12, "2024-03"])
    wb["pack"]["B3"] = "Testshire"
    wb.save(path)

    result = run("validate", path)
    _ok(result)
    assert "6 indicators, 2 samples, 2 notes" in result.output
    evidence = load_pack(path)
    assert evidence.pack.authority == "Testshire"
    assert [p.value for p in evidence.get("workforce.agency_rate").points] == [19.5, 17.0]
    assert evidence.get("caseload.average", "assessment").latest.value == 22.4
    assert evidence.get("audit.ratings").latest.value == {
        "outstanding": 1,
        "good": 18,
        "requires_improvement": 21,
        "inadequate": 10,
    }
    turnover = evidence.get("workforce.turnover_rate").latest
    assert (turnover.period.label, turnover.value) == ("2024-01", 12.5)
    assert evidence.get("workforce.vacancy_rate").latest.period.label == "2024-03-31"


def test_new_pack_yaml_is_commented_and_valid(run, tmp_path):
    path = tmp_path / "new.yaml"
    _ok(run("new-pack", path))
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Evidence pack") and "# inspection | monitoring_visit" in text
    result = run("validate", path)
    _ok(result)
    assert "1 indicator, 1 sample, 1 note" in result.output
    _same(load_pack(path), load_pack(write_pack(load_pack(path), tmp_path / "new.xlsx")))


@pytest.mark.parametrize("name", ["new.json", "new-csv"])
def test_new_pack_other_formats_are_valid(name, run, tmp_path):
    _ok(run("new-pack", tmp_path / name))
    _ok(run("validate", tmp_path / name))


def test_new_pack_refuses_to_overwrite_without_force(run, tmp_path):
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"precious")
    output = _failed(run("new-pack", path))
    assert "already exists" in output and "--force" in output
    assert path.read_bytes() == b"precious"
    _ok(run("new-pack", "--force", path))
    _ok(run("validate", path))


def test_new_pack_rejects_unknown_extension(run, tmp_path):
    output = _failed(run("new-pack", tmp_path / "pack.xls"))
    assert "cannot write an evidence pack as '.xls'" in output and "hint:" in output
    assert not (tmp_path / "pack.xls").exists()


# ---------------------------------------------------------------- mistakes in workbooks


def _starter(run, tmp_path: Path, name: str = "bad.xlsx") -> tuple[Path, openpyxl.Workbook]:
    path = tmp_path / name
    _ok(run("new-pack", path))
    return path, openpyxl.load_workbook(path)


def test_workbook_mistakes_are_named_by_sheet_and_cell(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    ws = wb["indicators"]
    ws["D3"] = "17%"  # caseload.average 2024-03
    ws.append(["caseload.averge", None, "2024-03", 17])  # row 4
    ws.append(["workforce.agency_rate", None, "2024-03", 120])  # row 5
    ws.append(["workforce.turnover_rate", None, "2022-13", 12])  # row 6
    wb["notes"].append(["placement", "negative", "Too many moves."])  # row 3
    wb["samples"].append(["permanence.parallel_planning", 13, 12])  # row 3
    wb.save(path)

    output = _failed(run("validate", path))
    expected = {
        "indicators!D3": "caseload.average needs a number here",
        "indicators!A4": "unknown indicator id 'caseload.averge'",
        "indicators!D5": "a percentage must be between 0 and 100",
        "indicators!C6": "unparseable period",
        "samples!B3": "`seen` is greater than `of`",
        "notes!A3": "unknown topic 'placement'",
    }
    for cell, message in expected.items():
        assert f"{path}:{cell}: error: " in output, (cell, output)
        line = next(line for line in output.splitlines() if f"{path}:{cell}: error: " in line)
        assert message in line, (cell, line)
    assert output.count(": error: ") == len(expected), output
    assert "did you mean 'caseload.average'" in output and "did you mean 'placements'" in output
    assert "without units, % signs or commas" in output
    # Listed in sheet order: indicators before samples before notes.
    assert output.index("indicators!D3") < output.index("indicators!A4") < output.index("samples!B3")
    assert output.index("samples!B3") < output.index("notes!A3")


def test_pack_sheet_mistakes(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    ws = wb["pack"]
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}
    ws[f"B{rows['as_of']}"] = "30/03/2024"
    ws[f"B{rows['document.kind']}"] = "monitoring_vist"
    ws[f"B{rows['document.areas_covered']}"] = "caseloads; workforse"
    ws.append(["document.recipent.name", "X"])
    wb.save(path)
    output = _failed(run("validate", path))
    assert f"{path}:pack!B{rows['as_of']}: error: as_of:" in output
    assert f"{path}:pack!B{rows['document.kind']}: error: document.kind:" in output
    assert (
        f"pack!B{rows['document.areas_covered']}: error: document.areas_covered[1]: unknown topic 'workforse'" in output
    )
    assert f"pack!A{ws.max_row}: error: document.recipent: unknown key 'recipent'" in output
    assert "did you mean 'recipient'" in output


def test_layout_mistakes_are_reported_at_their_cells(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    ws = wb["indicators"]
    ws.append(["caseload.average", None, "2024-03", 18.5])  # the same period again: row 4
    ws.append(["audit.ratings", None, "2024-03", 50, 1, 2, 3, 4])  # value and grades: row 5
    ws.append(["workforce.agency_rate", None, "2024-03", None])  # no value: row 6
    ws["M1"] = "vaule"
    wb.save(path)
    output = _failed(run("validate", path))
    assert f"{path}:indicators!C4: error: the period 2024-03 appears twice for caseload.average" in output
    assert f"{path}:indicators!D5: error: this row has both a value and counts by grade" in output
    assert f"{path}:indicators!D6: error: indicators[2].series.2024-03: workforce.agency_rate needs a number" in output
    assert f"{path}:indicators!M1: error: unknown column 'vaule'" in output


def test_required_key_missing_points_at_its_row_or_the_pack_sheet(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    ws = wb["pack"]
    rows = {row[0].value: row[0].row for row in ws.iter_rows(min_row=2)}
    ws[f"B{rows['authority']}"] = None  # a blank value: the cell to fill in
    ws.delete_rows(rows["schema"])  # no row at all: the sheet
    wb.save(path)
    output = _failed(run("validate", path))
    assert f"{path}:pack!B{rows['authority'] - 1}: error: authority: required key 'authority' is missing" in output
    assert f"{path}:pack: error: schema: required key 'schema' is missing" in output


def test_missing_pack_sheet(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    wb["pack"].title = "settings"
    wb.save(path)
    output = _failed(run("validate", path))
    assert "no sheet named 'pack'" in output and "'settings'" in output and "hint:" in output


def test_missing_header_column(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    wb["indicators"]["D1"] = "vaule"
    wb.save(path)
    output = _failed(run("validate", path))
    assert f"{path}:indicators!D1: error: the sheet 'indicators' has no 'value' column" in output
    assert "rename the column 'vaule' to 'value'" in output


def test_text_file_named_xlsx(run, write):
    path = write("pack.xlsx", MINIMAL)
    output = _failed(run("validate", path))
    assert f"{path}: error: the file is not an Excel workbook" in output
    assert "a text file starting 'schema: '" in output
    assert "expected:" in output and "hint:" in output


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"", "the file is not an Excel workbook"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old-style .xls workbook"),
        (b"PK\x03\x04 not really a zip", "cannot be opened as a zip archive"),
    ],
    ids=["empty", "xls", "broken_zip"],
)
def test_broken_workbooks(content, fragment, run, write):
    output = _failed(run("validate", write("pack.xlsx", content)))
    assert fragment in output and "hint:" in output


def test_zip_that_is_not_a_workbook(run, tmp_path):
    path = tmp_path / "pack.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    output = _failed(run("validate", path))
    assert "not a readable Excel workbook" in output


def test_too_many_rows(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    wb["notes"].cell(100_001, 1, "workforce")
    wb.save(path)
    output = _failed(run("validate", path))
    assert "more than 100,000 rows" in output


def test_oversized_workbook_is_refused(run, tmp_path, monkeypatch):
    from drafter.evidence import tabular

    path, _ = _starter(run, tmp_path)
    monkeypatch.setattr(tabular, "MAX_XLSX_BYTES", 1000)
    output = _failed(run("validate", path))
    assert "too large" in output


# ---------------------------------------------------------------- CSV mistakes


def test_csv_mistakes_are_named_by_file_and_line(run, tmp_path):
    folder = tmp_path / "pack"
    _ok(run("new-pack", folder))
    with (folder / "indicators.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write("workforce.agency_rate,,2024-03,17%,,,,,,,,\n")
        fh.write("workforce.vacancy_rate,,2024-03,120,,,,,,,,\n")
    output = _failed(run("validate", folder))
    assert f"{folder}:indicators.csv:4: error: indicators[1].series.2024-03: workforce.agency_rate needs a number" in (
        output
    )
    assert f"{folder}:indicators.csv:5: error: indicators[2].series.2024-03: a percentage" in output


def test_csv_semicolon_separated_is_explained(run, tmp_path):
    folder = tmp_path / "pack"
    _ok(run("new-pack", folder))
    (folder / "pack.csv").write_text("key;value\nschema;evidence-pack/1\n", encoding="utf-8")
    output = _failed(run("validate", folder))
    assert "separated by semicolons" in output and "CSV UTF-8" in output


def test_single_csv_file_is_explained(run, tmp_path):
    folder = tmp_path / "pack"
    _ok(run("new-pack", folder))
    output = _failed(run("validate", folder / "notes.csv"))
    assert "a CSV evidence pack is a folder" in output and f"drafter validate {folder}" in output


# ---------------------------------------------------------------- convert


@pytest.mark.parametrize("name", ["p.yaml", "p.xlsx", "p"])
def test_convert_refuses_to_overwrite_its_input(name, run, tmp_path):
    source = write_pack(load_pack(SEEDS[0]), tmp_path / name)
    before = {p: p.read_bytes() for p in ([source] if source.is_file() else source.iterdir())}
    output = _failed(run("convert", source, source))
    assert "never overwrites its input" in output
    assert {p: p.read_bytes() for p in before} == before
    with pytest.raises(EvidenceError, match="never overwrites"):
        write_pack(load_pack(source), source)


def test_convert_refuses_same_file_by_another_name(run, tmp_path):
    source = write_pack(load_pack(SEEDS[0]), tmp_path / "p.yaml")
    output = _failed(run("convert", source, tmp_path / "." / "p.yaml"))
    assert "never overwrites its input" in output


def test_convert_bad_pack_writes_nothing(run, write, tmp_path):
    bad = write("bad.yaml", MINIMAL.replace("caseload.average", "caseload.averge"))
    out = tmp_path / "out.xlsx"
    output = _failed(run("convert", bad, out))
    assert f"{bad}:5:9: error:" in output and "unknown indicator id" in output
    assert not out.exists()


def test_convert_unknown_output_format(run, write, tmp_path):
    good = write("good.yaml", MINIMAL)
    output = _failed(run("convert", good, tmp_path / "out.csv"))
    assert "cannot write an evidence pack as '.csv'" in output and "folder" in output


def test_convert_leaves_no_temporary_files(run, write, tmp_path):
    good = write("good.yaml", MINIMAL)
    _ok(run("convert", good, tmp_path / "out.xlsx"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.yaml", "out.xlsx"]


@pytest.mark.parametrize("command", ["new-pack", "convert"])
def test_help_has_an_example(command, run):
    result = run(command, "--help")
    _ok(result)
    assert "Example: drafter " + command in result.output


def test_formula_cells_are_read_by_their_cached_values(run, tmp_path):
    path, wb = _starter(run, tmp_path)
    wb["indicators"]["D3"] = 18
    wb.save(path)
    # openpyxl cannot store a formula's cached result, so write the cell as Excel would.
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    cell = re.compile(rb'<c r="D3"( s="\d+")? t="n"><v>18</v></c>')
    sheet = next(name for name, data in parts.items() if name.startswith("xl/worksheets/") and cell.search(data))
    parts[sheet] = cell.sub(rb'<c r="D3"\1><f>SUM(9,8.5)</f><v>17.5</v></c>', parts[sheet])
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    _ok(run("validate", path))
    assert load_pack(path).get("caseload.average").latest.value == 17.5
