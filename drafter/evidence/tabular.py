"""Read an evidence pack from an Excel workbook (.xlsx) or a folder of CSV files.

The tabular layout carries the same content as an `evidence-pack/1` YAML file:

- `pack`: two columns, `key` and `value`, one row per setting (`authority`, `as_of`,
  `document.kind`, ...); lists (visit dates, inspectors, address lines, areas covered)
  are written in one cell, separated by semicolons.
- `indicators`: one row per indicator per period (`id`, `team`, `period`, `value`; audit
  ratings use the four grade columns instead of `value`; comparators and a note once per
  indicator and team).
- `samples`: `feature`, `seen`, `of`, `period`, `note`.
- `notes`: `topic`, `polarity`, `text`, `source`, `period`.

A workbook may also hold `instructions` and `lists` sheets (ignored here). A CSV pack is a
folder holding pack.csv, indicators.csv, samples.csv and notes.csv with the same columns.

Reading builds the plain dict a YAML pack would give plus a locator that maps every field
path to the cell that held it, then hands both to `evidence_from_source`, so validation is
the same as for YAML and every problem names its `sheet!cell` (or `file.csv:line`).
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, EvidenceError, Problem
from drafter.evidence.models import GRADES
from drafter.evidence.pack import Evidence
from drafter.files import note_input, read_bytes_bounded, require_regular
from drafter.problems import did_you_mean, nearest
from drafter.yamlsrc import MAX_SOURCE_BYTES, Source

MAX_XLSX_BYTES = 20 * 1024 * 1024  # a pack workbook is a few hundred kB at most
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # guards against a small zip that inflates enormously
MAX_CSV_BYTES = MAX_SOURCE_BYTES
MAX_ROWS = 100_000
MAX_COLUMNS = 50  # columns beyond this are not read

SHEETS = ("pack", "indicators", "samples", "notes")
IGNORED_SHEETS = ("instructions", "lists")
LIST_SEPARATOR = ";"

# Optional comparator columns of the indicators sheet, and the comparator each one sets.
COMPARATOR_COLUMNS = {
    "comparator_england": "england",
    "comparator_statistical_neighbours": "statistical_neighbours",
    "comparator_region": "region",
}

# Columns of each sheet, in the order they are written; the first ones are required.
COLUMNS: dict[str, tuple[str, ...]] = {
    "pack": ("key", "value"),
    "indicators": ("id", "team", "period", "value", *GRADES, *COMPARATOR_COLUMNS, "note"),
    "samples": ("feature", "seen", "of", "period", "note"),
    "notes": ("topic", "polarity", "text", "source", "period"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "pack": ("key", "value"),
    "indicators": ("id", "period", "value"),
    "samples": ("feature", "seen", "of"),
    "notes": ("topic", "polarity", "text"),
}

# How each cell is read: code (trimmed text), text (kept as written), number, period, date,
# list (semicolon-separated text) and dates (semicolon-separated dates).
COLUMN_KINDS: dict[str, dict[str, str]] = {
    "indicators": {
        "id": "code",
        "team": "code",
        "period": "period",
        "value": "number",
        **{g: "number" for g in GRADES},
        **{c: "number" for c in COMPARATOR_COLUMNS},
        "note": "text",
    },
    "samples": {"feature": "code", "seen": "number", "of": "number", "period": "period", "note": "text"},
    "notes": {"topic": "code", "polarity": "code", "text": "text", "source": "text", "period": "period"},
}

# Rows of the pack sheet, in the order they are written, and how each value is read.
PACK_KEYS: dict[str, str] = {
    "schema": "code",
    "authority": "text",
    "la_code": "code",
    "as_of": "date",
    "document.kind": "code",
    "document.visit_number": "number",
    "document.visit_dates": "dates",
    "document.inspectors": "list",
    "document.recipient.name": "text",
    "document.recipient.title": "text",
    "document.recipient.address": "list",
    "document.areas_covered": "list",
    "document.date": "date",
    "document.purpose": "text",
    "document.earlier_visits": "visits",
    "document.author.name": "text",
    "document.author.title": "text",
    "last_judgement.grade": "code",
    "last_judgement.published": "period",
}

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL_FORMAT = re.compile(r"^#?,?#*0\.0+$")


@dataclass(frozen=True)
class _When:
    """A date cell of a workbook: the date, and the period it shows ('2022-03' for a month format)."""

    day: date
    label: str


@dataclass
class _Table:
    """One sheet or CSV file: its header columns and its rows of raw cell values."""

    name: str  # sheet title or CSV file name, as the user sees it
    order: int  # position in the pack, for sorting problems
    csv: bool
    columns: dict[str, int] = field(default_factory=dict)  # normalised header -> 1-based column
    header_cells: list[tuple[str, int]] = field(default_factory=list)  # (raw header, column)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)  # (1-based row or line, cells)

    def get(self, cells: list[Any], column: str) -> Any:
        index = self.columns.get(column)
        if index is None or index > len(cells):
            return None
        return cells[index - 1]


@dataclass(frozen=True)
class _Place:
    """Where a value sits: a sheet (row None), a row, or one cell."""

    table: _Table
    row: int | None = None
    column: int | None = None

    def where(self) -> str:
        t = self.table
        if self.row is None:
            return t.name
        if t.csv:
            return f"{t.name}:{self.row}"
        from openpyxl.utils import get_column_letter

        return f"{t.name}!{get_column_letter(self.column or 1)}{self.row}"

    def order(self) -> tuple[int, int, int]:
        return (self.table.order, self.row or 0, self.column or 0)


def load_tabular_pack(path: str | Path) -> Evidence:
    """Return the validated Evidence for an .xlsx workbook or a CSV folder; raise EvidenceError otherwise."""
    from drafter.evidence.load import evidence_from_source  # load.py imports this module lazily

    path = Path(path)
    source, own = read_tabular_source(path)
    try:
        evidence = evidence_from_source(source)
    except EvidenceError as exc:
        raise EvidenceError(_sorted(own + exc.problems, source)) from None
    if own:
        raise EvidenceError(_sorted(own, source))
    return evidence


def read_tabular_source(path: Path) -> tuple[Source, list[Problem]]:
    """Return the Source for a workbook or CSV folder, and the problems only the layout can show
    (a period given twice for one indicator, a row with both a value and grade counts...)."""
    shown = str(path)
    if not path.exists():
        raise EvidenceError(Problem(f"no such file: {shown}", path=shown, hint="check the path to the evidence pack"))
    if path.is_dir():
        tables = _read_csv_folder(path)
    elif path.suffix.lower() == ".csv":
        if path.name.lower() != "pack.csv":
            raise EvidenceError(
                Problem(
                    "a CSV evidence pack is a folder, not a single CSV file",
                    path=shown,
                    expected="a folder holding pack.csv, indicators.csv, samples.csv and notes.csv",
                    hint=f"name the folder instead: drafter validate {path.parent}",
                )
            )
        path = path.parent
        shown = str(path)
        tables = _read_csv_folder(path)
    else:
        tables = _read_xlsx(path)
    return _Builder(shown, tables).build()


def _sorted(problems: list[Problem], source: Source) -> list[Problem]:
    order = getattr(source.locator, "order", {})
    big = (10**9, 0, 0)
    return sorted(problems, key=lambda p: order.get(p.where, big))


# ---------------------------------------------------------------- reading XLSX


def _file_problem(path: Path, message: str, *, found: str = "", expected: str = "", hint: str = "") -> EvidenceError:
    return EvidenceError(Problem(message, path=str(path), found=found, expected=expected, hint=hint))


_XLSX_EXPECTED = "an Excel workbook saved as .xlsx ('Excel Workbook' in Save As)"


def _read_xlsx(path: Path) -> list[_Table]:
    """Return the pack sheets of a workbook as tables; raise EvidenceError for anything that is not one."""
    if path.is_dir():
        raise _file_problem(path, "this is a folder, not a workbook", expected=_XLSX_EXPECTED)
    try:
        size = require_regular(path, "workbook").st_size
    except DrafterError as exc:
        raise EvidenceError(exc.problems) from None
    note_input(path)
    if size > MAX_XLSX_BYTES:
        raise _file_problem(
            path,
            f"the workbook is too large to be an evidence pack ({size:,} bytes)",
            expected=f"at most {MAX_XLSX_BYTES:,} bytes",
            hint="check that this is the right file; an evidence pack is a few hundred kB",
        )
    with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise _file_problem(
            path,
            "this is an old-style .xls workbook or a password-protected one, which drafter cannot read",
            found="an OLE2 compound file",
            expected=_XLSX_EXPECTED,
            hint="open it in Excel, remove any password, and use Save As > Excel Workbook (*.xlsx)",
        )
    if not head.startswith(b"PK"):
        raise _file_problem(
            path,
            "the file is not an Excel workbook",
            found=_describe_bytes(head, size),
            expected=_XLSX_EXPECTED,
            hint="save the spreadsheet from Excel as .xlsx; a pack written as text should end in .yaml or .json",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _file_problem(
            path,
            "the workbook is damaged: it cannot be opened as a zip archive",
            found=str(exc),
            expected=_XLSX_EXPECTED,
            hint="open it in Excel and save it again as .xlsx",
        ) from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _file_problem(
            path,
            f"the workbook unpacks to {unzipped:,} bytes, too large to be an evidence pack",
            expected=f"at most {MAX_UNZIPPED_BYTES:,} bytes unpacked",
            hint="check that this is the right file",
        )
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, InvalidFileException) as exc:
        raise _file_problem(
            path,
            "the file is not a readable Excel workbook",
            found=f"{type(exc).__name__}: {exc}",
            expected=_XLSX_EXPECTED,
            hint="open it in Excel and save it again as .xlsx",
        ) from None
    except Exception as exc:  # noqa: BLE001 - untrusted input: any parser failure is the file's fault
        raise _file_problem(
            path,
            "the workbook cannot be read",
            found=f"{type(exc).__name__}: {exc}",
            expected=_XLSX_EXPECTED,
            hint="open it in Excel and save it again as .xlsx",
        ) from None
    try:
        by_name = _match_names(path, workbook.sheetnames, "sheet")
        tables = []
        for order, name in enumerate(SHEETS):
            if name in by_name:
                tables.append(_sheet_table(path, workbook[by_name[name]], name, order))
        return tables
    except EvidenceError:
        raise
    except Exception as exc:  # noqa: BLE001 - rows are parsed lazily from the untrusted file
        raise _file_problem(
            path,
            "the workbook cannot be read",
            found=f"{type(exc).__name__}: {exc}",
            expected=_XLSX_EXPECTED,
            hint="open it in Excel and save it again as .xlsx",
        ) from None
    finally:
        workbook.close()


def _match_names(path: Path, names: list[str], what: str) -> dict[str, str]:
    """Return {kind: name as written} for the pack's sheets (or CSV files), matched ignoring case and spaces.

    An unknown name, or two names for one kind ('pack' and 'Pack '), is an error listing the expected
    names: a renamed sheet must not be silently left out. A workbook needs a 'pack' sheet.
    """
    expected = ", ".join(SHEETS) + (f" (and optionally {', '.join(IGNORED_SHEETS)})" if what == "sheet" else "")
    def normal(name: str) -> str:
        return name.strip().lower().removesuffix(".csv").strip() if what == "file" else name.strip().lower()

    keys = [normal(n) for n in names]
    if "pack" not in keys:
        raise _file_problem(
            path,
            f"the {'workbook' if what == 'sheet' else 'folder'} has no {what} named 'pack'",
            found=f"{what}s " + (", ".join(repr(n) for n in names) or "none"),
            expected=f"{what}s named {expected}",
            hint="start from a template made by `drafter new-pack pack.xlsx`, or rename the sheet",
        )
    found: dict[str, str] = {}
    for name in names:
        key = normal(name)
        if key in IGNORED_SHEETS and what == "sheet":
            continue
        if key not in SHEETS:
            close = nearest(key, SHEETS, n=1)
            raise _file_problem(
                path,
                f"the {what} {name!r} is not part of an evidence pack",
                found=f"{what}s " + ", ".join(repr(n) for n in names),
                expected=f"{what}s named {expected}",
                hint=(f"rename it to {close[0]!r}" if close else f"rename or delete the {what}")
                + ("; drafter reads only the sheets it knows, so that none is silently left out" if what == "sheet"
                   else ""),
            )
        if key in found:
            raise _file_problem(
                path,
                f"two {what}s are named {key!r}",
                found=f"{found[key]!r} and {name!r}",
                expected=f"one {what} of each: {expected}",
                hint=f"merge them into one {what}, or delete one",
            )
        found[key] = name
    return found


def _describe_bytes(head: bytes, size: int) -> str:
    if size == 0:
        return "an empty file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return f"binary data starting {head[:4]!r}"
    return f"a text file starting {head.decode('utf-8', 'replace')!r}"


def _sheet_table(path: Path, sheet: Any, kind: str, order: int) -> _Table:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # some writers record a wrong size; read every row that is there
    rows = []
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS), start=1):
        if number > MAX_ROWS:
            raise _file_problem(
                path,
                f"the sheet {sheet.title!r} has more than {MAX_ROWS:,} rows",
                expected=f"at most {MAX_ROWS:,} rows per sheet",
                hint="delete unused rows at the bottom of the sheet, or split the pack",
            )
        rows.append((number, [_cell_value(c) for c in row]))
    return _make_table(path, kind, _Table(name=sheet.title, order=order, csv=False), rows)


def _make_table(path: Path, kind: str, table: _Table, rows: list[tuple[int, list[Any]]]) -> _Table:
    """Fill a table from its rows: the first is the header; blank rows are skipped.

    A sheet with nothing in it counts as an empty one (no samples, say), except `pack`."""
    if not any(not _blank(v) for _, cells in rows for v in cells):
        if kind == "pack":
            _set_header(path, table, kind, [])
        return table
    _set_header(path, table, kind, rows[0][1])
    table.rows = [(number, cells) for number, cells in rows[1:] if any(not _blank(v) for v in cells)]
    return table


def _cell_value(cell: Any) -> Any:
    """Return a workbook cell's value: text, number, bool, or a _When for a date cell."""
    value = getattr(cell, "value", None)
    if value is None:
        return None
    fmt = str(getattr(cell, "number_format", "") or "")
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return _When(day, _date_label(day, fmt))
    if isinstance(value, time | timedelta):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "%" in fmt:
            return round(value * 100, 10)  # 17% is stored as 0.17: keep what the user sees
        if isinstance(value, int) and _DECIMAL_FORMAT.match(fmt):
            return float(value)  # 24.0 shown with a decimal place is the float 24.0, as in YAML
    return value


def _date_label(day: date, fmt: str) -> str:
    """Return the period a date cell shows: 'YYYY-MM' for a month format (Excel turns '2022-03'
    into 1 March 2022 shown as Mar-22), 'YYYY' for a year format, else the ISO date."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", fmt.lower())
    if "d" in plain or "h" in plain or "s" in plain:
        return day.isoformat()
    if "m" in plain:
        return f"{day.year:04d}-{day.month:02d}"
    if "y" in plain:
        return f"{day.year:04d}"
    return day.isoformat()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _normal_header(value: Any) -> str:
    return re.sub(r"[\s\-]+", "_", str(value).strip().lower())


def _set_header(path: Path, table: _Table, kind: str, cells: list[Any]) -> None:
    columns: dict[str, int] = {}
    for index, value in enumerate(cells, start=1):
        if _blank(value):
            continue
        name = _normal_header(value.label if isinstance(value, _When) else value)
        if name in columns:
            raise _file_problem(
                path,
                f"the column {name!r} appears twice in {_sheet_words(table)}",
                found=f"columns {_column_name(table, columns[name])} and {_column_name(table, index)}",
                expected="each column once",
                hint="delete or rename one of them",
            )
        columns[name] = index
        table.header_cells.append((str(value), index))
    missing = [c for c in REQUIRED[kind] if c not in columns]
    if missing:
        unknown = [n for n in columns if n not in COLUMNS[kind]]
        renames = [(u, m) for m in missing for u in nearest(m, unknown, n=1)]
        hint = "the first row holds the column names; copy it from a template made by `drafter new-pack`"
        place = _Place(table, 1, columns[renames[0][0]] if renames else 1)
        if renames:
            hint = "rename " + " and ".join(f"the column {u!r} to {m!r}" for u, m in renames)
        raise EvidenceError(
            Problem(
                f"{_sheet_words(table)} has no {', '.join(repr(m) for m in missing)} column"
                + ("s" if len(missing) > 1 else ""),
                path=str(path),
                **({"line": 1} if table.csv else {"where": place.where()}),
                found=("header " + ", ".join(repr(h) for h, _ in table.header_cells))
                if columns
                else "an empty first row",
                expected=f"a first row naming the columns: {', '.join(COLUMNS[kind])}",
                hint=hint,
            )
        )
    table.columns = columns


def _sheet_words(table: _Table) -> str:
    return f"the file {table.name}" if table.csv else f"the sheet {table.name!r}"


def _column_name(table: _Table, index: int) -> str:
    if table.csv:
        return str(index)
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


# ---------------------------------------------------------------- reading CSV


def _read_csv_folder(folder: Path) -> list[_Table]:
    try:
        names = sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".csv")
    except OSError as exc:
        raise _file_problem(folder, f"cannot read the folder: {exc.strerror or exc}") from None
    if not any(n.strip().lower() == "pack.csv" for n in names):
        raise _file_problem(
            folder,
            "the folder has no pack.csv",
            found="files " + ", ".join(names) if names else "no CSV files",
            expected="pack.csv, indicators.csv, samples.csv and notes.csv",
            hint="write one with `drafter convert PACK.yaml FOLDER` and edit it",
        )
    by_kind = _match_names(folder, names, "file")
    tables = []
    for order, name in enumerate(SHEETS):
        if name in by_kind:
            tables.append(_csv_table(folder / by_kind[name], name, order))
    return tables


def _csv_table(path: Path, kind: str, order: int) -> _Table:
    try:
        size = require_regular(path, "CSV file").st_size
    except DrafterError as exc:
        raise EvidenceError(exc.problems) from None
    if size > MAX_CSV_BYTES:
        raise _file_problem(
            path,
            f"the file is too large to be part of an evidence pack ({size:,} bytes)",
            expected=f"at most {MAX_CSV_BYTES:,} bytes",
            hint="check that this is the right file",
        )
    try:
        raw = read_bytes_bounded(path, MAX_CSV_BYTES, "CSV file")
    except DrafterError as exc:
        raise EvidenceError(exc.problems) from None
    if b"\x00" in raw:
        raise _file_problem(
            path,
            "the file holds binary data, not CSV text",
            found=f"a NUL byte at byte {raw.index(bytes(1))}",
            expected="a CSV file saved as text",
            hint="in Excel use Save As > CSV UTF-8 (Comma delimited)",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EvidenceError(
            Problem(
                "the file is not UTF-8 text",
                path=str(path),
                line=raw[: exc.start].count(b"\n") + 1,
                found=f"byte 0x{raw[exc.start]:02x}",
                expected="a CSV file encoded as UTF-8",
                hint="in Excel use Save As > CSV UTF-8 (Comma delimited)",
            )
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[Any]]] = []
    line = 1
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise _file_problem(
                    path,
                    f"the file has more than {MAX_ROWS:,} rows",
                    expected=f"at most {MAX_ROWS:,} rows",
                    hint="split the pack or remove rows that are not evidence",
                )
            if number == 1 and len(cells) == 1 and ";" in cells[0]:
                raise _file_problem(
                    path,
                    "the columns are separated by semicolons, not commas",
                    found=f"first row {cells[0]!r}",
                    expected="comma-separated columns",
                    hint="in Excel use Save As > CSV UTF-8 (Comma delimited)",
                )
            if reader.line_num > line:
                _check_quote(path, line, reader.line_num, cells, len(rows[0][1]) if rows else len(cells),
                             at_end=reader.line_num >= text.count("\n") and text.count('"') % 2 == 1)
            rows.append((line, list(cells[:MAX_COLUMNS])))
            line = reader.line_num + 1
        if text.count('"') % 2 == 1 and rows:  # a quote still open at the end of the file
            first, cells = rows[-1]
            _check_quote(path, first, reader.line_num, [c if "\n" in c else c + "\n" for c in cells[-1:]],
                         len(rows[0][1]), at_end=True)
    except csv.Error as exc:
        raise EvidenceError(
            Problem(
                f"CSV syntax error: {exc}",
                path=str(path),
                line=reader.line_num,
                expected="valid CSV",
                hint="check for an unclosed quote",
            )
        ) from None
    return _make_table(path, kind, _Table(name=path.name, order=order, csv=True), rows)


def _check_quote(path: Path, first: int, last: int, cells: list[str], columns: int, at_end: bool) -> None:
    """Refuse a row whose quoted cell runs over later rows: an unclosed quote would swallow them silently.

    A cell may hold line breaks (Excel quotes such cells), but not lines that look like rows of the
    file (as many commas as a row has), nor run to the end of the file with its quote never closed.
    """
    for cell in cells:
        if "\n" not in cell:
            continue
        swallowed = [ln for ln in cell.split("\n")[1:] if columns > 1 and ln.count(",") >= columns - 1]
        if swallowed or at_end:
            raise EvidenceError(
                Problem(
                    f"a quote opened on line {first} is not closed where it should be: it takes in lines "
                    f"{first + 1} to {last} as part of one cell",
                    path=str(path),
                    line=first,
                    found=repr(cell[:60]) + ("..." if len(cell) > 60 else ""),
                    expected='a closing " at the end of the cell',
                    hint='add the missing " (write "" for a quote mark inside a cell); otherwise the rows after '
                         "it would be silently lost",
                )
            )


# ---------------------------------------------------------------- cell values


def _convert(value: Any, kind: str) -> Any:
    """Return a cell's value as a YAML pack would hold it; blank cells give None."""
    if _blank(value):
        return None
    if kind == "visits":  # "assurance_visit 2021-07; focused_visit 2023-07"
        visits = []
        for item in (i.strip() for i in _text(value).split(LIST_SEPARATOR)):
            if item:
                visit_kind, _, when = item.partition(" ")
                visits.append({"kind": visit_kind, "date": when.strip()} if when.strip() else {"kind": visit_kind})
        return visits
    if kind in ("list", "dates"):
        if isinstance(value, _When):
            return [value.day if kind == "dates" else value.label]
        items = [i.strip() for i in _text(value).split(LIST_SEPARATOR)]
        return [_convert(i, "date" if kind == "dates" else "code") for i in items if i]
    if isinstance(value, _When):
        return value.day if kind == "date" else value.label
    if isinstance(value, bool):
        return value
    if kind == "number":
        if isinstance(value, str):
            text = value.strip()
            if _INT.match(text):
                return int(text)
            if _FLOAT.match(text):
                return float(text)
            return text  # '17%', 'n/a': passed on so validation points at the cell
        return value
    if kind == "date":
        if isinstance(value, str):
            text = value.strip()
            if _ISO_DATE.match(text):
                try:
                    return date.fromisoformat(text)
                except ValueError:
                    return text  # 2022-02-30: the validator explains
            return text
        return _text(value)
    if kind == "text":
        return value if isinstance(value, str) else _text(value)
    return _text(value).strip()  # code, period


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- building the plain pack


class _Builder:
    """Turns tables into the plain dict of a YAML pack, recording each field's cell."""

    def __init__(self, path: str, tables: list[_Table]):
        self.path = path
        self.tables = {SHEETS[t.order]: t for t in tables}  # by kind: a sheet's own title may differ in case
        self.problems: list[Problem] = []
        self.cells: dict[tuple, _Place] = {}
        self.keys: dict[tuple, _Place] = {}
        self.data: dict[str, Any] = {}
        self.order: dict[str, tuple[int, int, int]] = {}  # where -> position, to list problems in sheet order

    def build(self) -> tuple[Source, list[Problem]]:
        for kind, table in self.tables.items():
            self.cells[(kind,)] = _Place(table)
            for raw, index in table.header_cells:
                name = _normal_header(raw)
                if name not in COLUMNS[kind]:
                    self.problem(
                        _Place(table, 1, index),
                        f"unknown column {raw!r}",
                        found=repr(raw),
                        expected="one of the columns " + ", ".join(COLUMNS[kind]),
                        hint=did_you_mean(name, COLUMNS[kind]),
                    )
        self.build_pack(self.tables["pack"])
        if "indicators" in self.tables:
            self.build_indicators(self.tables["indicators"])
        for kind in ("samples", "notes"):
            if kind in self.tables:
                self.build_records(self.tables[kind], kind)
        locator = _Locator(self.cells, self.keys, self.order)
        return Source(path=self.path, data=self.data, locator=locator), self.problems

    def problem(self, place: _Place, message: str, *, found: str = "", expected: str = "", hint: str = "") -> None:
        self.order.setdefault(place.where(), place.order())
        self.problems.append(
            Problem(message, path=self.path, where=place.where(), found=found, expected=expected, hint=hint)
        )

    def build_pack(self, table: _Table) -> None:
        key_col, value_col = table.columns["key"], table.columns["value"]
        first: dict[str, int] = {}
        for row, cells in table.rows:
            raw_key = table.get(cells, "key")
            raw_value = table.get(cells, "value")
            if _blank(raw_key):
                if not _blank(raw_value):
                    self.problem(
                        _Place(table, row, key_col),
                        "a value without a key",
                        found=repr(_convert(raw_value, "text")),
                        expected="a key such as authority or document.kind in the key column",
                        hint="add the key, or clear the value",
                    )
                continue
            key = _text(raw_key.label if isinstance(raw_key, _When) else raw_key).strip()
            if key in first:
                self.problem(
                    _Place(table, row, key_col),
                    f"the key {key!r} appears twice",
                    found=f"rows {first[key]} and {row}",
                    expected="each key once",
                    hint="delete one of the two rows",
                )
                continue
            first[key] = row
            steps = tuple(key.split("."))
            key_place, value_place = _Place(table, row, key_col), _Place(table, row, value_col)
            for n in range(1, len(steps)):  # a group (document, document.recipient) points at its first row
                self.keys.setdefault(steps[:n], key_place)
                self.cells.setdefault(steps[:n], key_place)
            self.keys[steps] = key_place
            self.cells[steps] = value_place
            value = _convert(raw_value, PACK_KEYS.get(key, "generic"))
            if value is None:
                continue
            if isinstance(value, list):
                for i in range(len(value)):
                    self.cells[steps + (i,)] = value_place
            if not self.put(steps, value):
                self.problem(
                    key_place,
                    f"the key {key!r} clashes with another row",
                    found=repr(key),
                    expected="either a group such as 'document' or its parts such as 'document.kind', not both",
                    hint="delete the row that names the whole group",
                )

    def put(self, steps: tuple[str, ...], value: Any) -> bool:
        node = self.data
        for step in steps[:-1]:
            child = node.setdefault(step, {})
            if not isinstance(child, dict):
                return False
            node = child
        if steps[-1] in node:
            return False
        node[steps[-1]] = value
        return True

    def build_indicators(self, table: _Table) -> None:
        kinds = COLUMN_KINDS["indicators"]
        entries: list[dict[str, Any]] = []
        by_key: dict[tuple, int] = {}
        periods: dict[int, dict[str, int]] = {}
        for row, cells in table.rows:
            values = {c: _convert(table.get(cells, c), kinds[c]) for c in table.columns if c in kinds}
            place = {c: _Place(table, row, i) for c, i in table.columns.items()}
            group = (values.get("id"), values.get("team"))
            if group not in by_key:
                i = by_key[group] = len(entries)
                entry: dict[str, Any] = {}
                if values.get("id") is not None:
                    entry["id"] = values["id"]
                if values.get("team") is not None:
                    entry["team"] = values["team"]
                entry["series"] = {}
                entries.append(entry)
                periods[i] = {}
                self.cells[("indicators", i)] = _Place(table, row, table.columns["id"])
                self.cells[("indicators", i, "id")] = place["id"]
                if "team" in place:
                    self.cells[("indicators", i, "team")] = place["team"]
                self.cells[("indicators", i, "series")] = place["value"]
            i = by_key[group]
            entry = entries[i]
            period = values.get("period")
            key = "" if period is None else str(period)
            grades = {g: values[g] for g in GRADES if values.get(g) is not None}
            if key in periods[i]:
                self.problem(
                    place["period"],
                    f"the period {key or '(blank)'} appears twice for {_entry_words(entry)}",
                    found=f"rows {periods[i][key]} and {row}",
                    expected="each period once per indicator and team",
                    hint="delete or correct one of the two rows",
                )
            else:
                periods[i][key] = row
                loc = ("indicators", i, "series", key)
                self.keys[loc] = place["period"]
                if grades:
                    entry["series"][key] = grades
                    first_grade = next(g for g in GRADES if g in grades)
                    self.cells[loc] = place[first_grade]
                    for g in grades:
                        self.cells[loc + (g,)] = place[g]
                    if values.get("value") is not None:
                        self.problem(
                            place["value"],
                            "this row has both a value and counts by grade",
                            found=f"value {values['value']!r}",
                            expected="a value for most indicators, or counts in the grade columns for audit.ratings",
                            hint="clear the value cell for audit ratings, or the grade cells for other indicators",
                        )
                else:
                    entry["series"][key] = values.get("value")
                    self.cells[loc] = place["value"]
            for column, name in COMPARATOR_COLUMNS.items():
                self.merge_once(entry, ("indicators", i, "comparators", name), values.get(column), place.get(column))
            self.merge_once(entry, ("indicators", i, "note"), values.get("note"), place.get("note"))
        if entries:
            self.data["indicators"] = entries

    def merge_once(self, entry: dict, loc: tuple, value: Any, place: _Place | None) -> None:
        """Set a once-per-indicator value (a comparator, a note); report a second, different one."""
        if value is None or place is None:
            return
        target = entry.setdefault("comparators", {}) if loc[2] == "comparators" else entry
        name = loc[-1]
        if name in target:
            if target[name] != value:
                first = self.cells[loc]
                self.problem(
                    place,
                    f"{_entry_words(entry)} has two different {name.replace('_', ' ')} values",
                    found=f"{target[name]!r} at {first.where()} and {value!r}",
                    expected=f"one {name.replace('_', ' ')} value per indicator and team",
                    hint="give it on one row only",
                )
            return
        target[name] = value
        self.cells[loc] = place
        if loc[2] == "comparators":
            self.cells.setdefault(loc[:3], place)

    def build_records(self, table: _Table, kind: str) -> None:
        kinds = COLUMN_KINDS[kind]
        records = []
        for row, cells in table.rows:
            i = len(records)
            record: dict[str, Any] = {}
            self.cells[(kind, i)] = _Place(table, row, 1)
            for column, index in table.columns.items():
                if column not in kinds:
                    continue
                self.cells[(kind, i, column)] = _Place(table, row, index)
                value = _convert(table.get(cells, column), kinds[column])
                if value is not None:
                    record[column] = value
            records.append(record)
        if records:
            self.data[kind] = records


def _entry_words(entry: dict) -> str:
    words = str(entry.get("id", "(no id)"))
    return words + (f" for team {entry['team']}" if entry.get("team") else "")


class _Locator:
    """Maps a field path (as pydantic or the checker gives it) to the cell that held the value."""

    def __init__(self, cells: dict[tuple, _Place], keys: dict[tuple, _Place], order: dict[str, tuple]):
        self.cells = cells
        self.keys = keys
        self.order = order

    def place(self, loc: tuple, key: bool = False) -> _Place | None:
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.cells:
                return self.cells[loc[:n]]
        return self.cells.get(("pack",))

    def __call__(self, loc: tuple, key: bool = False) -> dict:
        place = self.place(loc, key)
        if place is None:
            return {"where": ""}
        where = place.where()
        self.order.setdefault(where, place.order())
        return {"where": where}
