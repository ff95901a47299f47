"""Open an Annex A workbook safely and read the sheets of its lists as grids of cell values.

python-calamine (Rust) reads xlsx several times faster than openpyxl and gives formulas' saved
results and date cells as dates; openpyxl in read-only mode is the fallback (`reader="openpyxl"`,
or when calamine is not installed). Both give the same grid: row 0 is the sheet's first row.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drafter.annex_a import formulas
from drafter.errors import DrafterError, Problem

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 2 * 1024 * 1024 * 1024
MAX_ENTRIES = 10_000
XLSX_EXPECTED = "an Excel workbook saved as .xlsx, with a sheet per list named 'List 1' to 'List 11'"
_LIST_SHEET = re.compile(r"^\s*(?:annex\s*a\W*)?list\s*0?(\d{1,2})(?!\d)", re.IGNORECASE)


@dataclass
class Sheet:
    """One list's sheet: its name as the workbook spells it, and its cells row by row."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)

    def where(self, row: int, col: int) -> str:
        """Return 'List 5!I14' for a 0-based row and column."""
        return f"{self.title}!{column_letters(col)}{row + 1}"


def column_letters(col: int) -> str:
    """Return the letters of a 0-based column index (0 is A, 26 is AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def default_reader() -> str:
    """Return 'calamine' when python-calamine is installed, else 'openpyxl'."""
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return "openpyxl"
    return "calamine"


def _refuse(path: Path, message: str, *, found: str = "", hint: str = "") -> DrafterError:
    return DrafterError(
        Problem(
            message,
            path=str(path),
            found=found,
            expected=XLSX_EXPECTED,
            hint=hint or "open it in Excel and save it again as an Excel Workbook (.xlsx)",
        )
    )


def check_file(path: Path) -> None:
    """Raise DrafterError unless `path` is a readable xlsx file within the size bounds."""
    if not path.exists():
        raise DrafterError(Problem("no such file", path=str(path), hint="check the path to the Annex A workbook"))
    if path.is_dir():
        raise _refuse(path, "this is a folder, not a workbook", hint="name the .xlsx file inside it")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(
            path,
            f"the file is too large for an Annex A workbook ({size:,} bytes)",
            found=f"{size:,} bytes",
            hint=f"drafter reads workbooks of up to {MAX_FILE_BYTES:,} bytes",
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse(
            path,
            "this is an old-style .xls workbook or a password-protected one, which drafter cannot read",
            found="an OLE2 compound file",
            hint="remove any password and use Save As > Excel Workbook (*.xlsx)",
        )
    if not head.startswith(b"PK"):
        found = "an empty file" if size == 0 else f"a file starting {head[:8]!r}"
        raise _refuse(path, "the file is not an Excel workbook", found=found)
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            names = {e.filename for e in entries}
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _refuse(path, "the workbook is damaged: it cannot be opened as a zip archive", found=str(exc)) from None
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNZIPPED_BYTES:
        raise _refuse(
            path,
            "the workbook unpacks to more than drafter reads",
            found=f"{len(entries):,} parts, {sum(e.file_size for e in entries):,} bytes unpacked",
        )
    if "xl/workbook.xml" not in names:
        kind = "a Word document" if "word/document.xml" in names else "a zip archive that is not a workbook"
        raise _refuse(path, "the file is not an Excel workbook", found=kind)


def list_sheets(path: Path, sheet_names: list[str]) -> dict[int, str]:
    """Return each list's number and the name of its sheet; raise DrafterError for two sheets of one list."""
    found: dict[int, str] = {}
    for name in sheet_names:
        m = _LIST_SHEET.match(name)
        if not m or not 1 <= int(m[1]) <= 11:
            continue
        number = int(m[1])
        if number in found:
            raise DrafterError(
                Problem(
                    f"two sheets hold List {number}",
                    path=str(path),
                    where=name,
                    found=f"sheets {found[number]!r} and {name!r}",
                    expected="one sheet per list",
                    hint="delete or rename one of them",
                )
            )
        found[number] = name
    return found


def read_workbook(path: Path, lists: set[int], reader: str | None = None) -> tuple[list[str], dict[int, Sheet]]:
    """Return the workbook's sheet names and the sheets of the lists asked for (those it has).

    Raise DrafterError for a file that is not a readable xlsx workbook."""
    path = Path(path)
    check_file(path)
    reader = reader or default_reader()
    try:
        if reader == "calamine":
            names, sheets = _read_calamine(path, lists)
        else:
            names, sheets = _read_openpyxl(path, lists)
    except DrafterError:
        raise
    except Exception as exc:  # noqa: BLE001 - untrusted input: any parser failure is the file's fault
        raise _refuse(path, "the workbook cannot be read", found=f"{type(exc).__name__}: {exc}") from None
    _fill_unsaved_formulas(path, sheets)
    return names, sheets


def _read_calamine(path: Path, lists: set[int]) -> tuple[list[str], dict[int, Sheet]]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        names = list(workbook.sheet_names)
        sheets = {}
        for number, name in list_sheets(path, names).items():
            if number in lists:
                grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
                sheets[number] = Sheet(name, [list(row) for row in grid])
        return names, sheets
    finally:
        workbook.close()


def _read_openpyxl(path: Path, lists: set[int]) -> tuple[list[str], dict[int, Sheet]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        names = list(workbook.sheetnames)
        sheets = {}
        for number, name in list_sheets(path, names).items():
            if number in lists:
                sheet = workbook[name]
                sheet.reset_dimensions()  # some writers record a wrong size; read every row there is
                sheets[number] = Sheet(name, [list(row) for row in sheet.iter_rows(values_only=True)])
        return names, sheets
    finally:
        workbook.close()


def _fill_unsaved_formulas(path: Path, sheets: dict[int, Sheet]) -> None:
    """Put the worked-out value of each formula saved without a result into its sheet's grid."""
    with zipfile.ZipFile(path) as archive:
        parts = formulas.sheet_parts(archive)
        for sheet in sheets.values():
            part = parts.get(sheet.title)
            if part is None or part not in archive.namelist():
                continue
            pending = formulas.unsaved_formulas(archive.read(part))
            if pending:
                _work_out(path, sheet, pending)


def _work_out(path: Path, sheet: Sheet, pending: dict[tuple[int, int], str]) -> None:
    done: dict[tuple[int, int], float] = {}
    active: set[tuple[int, int]] = set()

    def value(row: int, col: int) -> Any:
        if (row, col) in pending:
            return solve((row, col))
        if row < len(sheet.rows) and col < len(sheet.rows[row]):
            return sheet.rows[row][col]
        return None

    def solve(cell: tuple[int, int]) -> float:
        if cell not in done:
            if cell in active:
                raise formulas.FormulaError("the formula refers back to itself")
            active.add(cell)
            done[cell] = formulas.evaluate(pending[cell], value)
            active.discard(cell)
        return done[cell]

    for cell in sorted(pending):
        try:
            result = solve(cell)
        except formulas.FormulaError as exc:
            raise DrafterError(
                Problem(
                    "a formula was saved without its result, and drafter cannot work it out: " + str(exc),
                    path=str(path),
                    where=sheet.where(*cell),
                    found=f"={pending[cell].lstrip('=')}",
                    expected="a value, or a formula saved with its result",
                    hint="open the workbook in Excel or LibreOffice and save it, so each formula's result is stored",
                )
            ) from None
        row, col = cell
        while len(sheet.rows) <= row:
            sheet.rows.append([])
        cells = sheet.rows[row]
        while len(cells) <= col:
            cells.append(None)
        cells[col] = result
