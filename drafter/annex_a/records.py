"""Turn a list's sheet into records: one per filled row, holding the typed values the measures read."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drafter.annex_a import values
from drafter.annex_a.columns import Header, find_header
from drafter.annex_a.spec import ColumnSpec, ListSpec
from drafter.annex_a.workbook import Sheet
from drafter.errors import DrafterError, Problem

MAX_PROBLEMS = 20  # enough to see a pattern; the rest are counted


@dataclass(frozen=True)
class Record:
    """One row of a list: its 0-based sheet row and its values by column key (None when blank or absent)."""

    row: int
    values: dict[str, Any]


@dataclass
class ListRows:
    """A list read from its sheet: the records, and how many blank rows were passed over."""

    spec: ListSpec
    sheet: Sheet | None
    header: Header | None
    records: list[Record]
    blank_rows: int = 0

    def where(self, record: Record, key: str) -> str:
        """Return 'List 4!I14' for a record's cell in a column."""
        if self.sheet is None or self.header is None or key not in self.header.columns:
            return f"{self.spec.label}, row {record.row + 1}"
        return self.sheet.where(record.row, self.header.columns[key])


def reader_for(column: ColumnSpec) -> Callable[[Any], Any]:
    """Return the function that reads a cell of this column's type."""
    if column.type == "date":
        return values.read_date
    if column.type == "count":
        return values.read_count
    if column.type == "id":
        return values.read_id
    if column.type == "team":
        return values.read_team
    table = values.code_table(column)
    return lambda value: values.read_code(value, column, table)


def read_list(path: str, sheet: Sheet, spec: ListSpec) -> ListRows:
    """Return the records of a list's sheet; raise DrafterError naming each cell that cannot be read.

    A sheet with nothing in it is a list with no rows (an authority with no adopters, say)."""
    if all(values.is_blank(v) for cells in sheet.rows for v in cells):
        return ListRows(spec, sheet, None, [])
    header = find_header(path, sheet, spec)
    readers = [
        (key, header.columns[key], reader_for(spec.columns[key])) for key in spec.columns if key in header.columns
    ]
    absent = {key: None for key in spec.columns if key not in header.columns}
    records, blank, problems, more = [], 0, [], 0
    for number in range(header.row + 1, len(sheet.rows)):
        cells = sheet.rows[number]
        if all(values.is_blank(v) for v in cells):
            blank += 1
            continue
        row: dict[str, Any] = dict(absent)
        for key, col, read in readers:
            raw = cells[col] if col < len(cells) else None
            try:
                row[key] = read(raw)
            except values.CellError as exc:
                if len(problems) >= MAX_PROBLEMS:
                    more += 1
                    continue
                column = spec.columns[key]
                problems.append(
                    Problem(
                        f"{spec.label}: cannot read the {column.words} ({column.name!r})",
                        path=path,
                        where=sheet.where(number, col),
                        found=exc.found,
                        expected=exc.expected,
                        hint=exc.hint,
                    )
                )
        records.append(Record(number, row))
    if problems:
        if more:
            problems.append(
                Problem(
                    f"{more} more cells in {spec.label} cannot be read",
                    path=path,
                    where=sheet.title,
                    hint="correct the cells above and run again to see the rest",
                )
            )
        raise DrafterError(problems)
    _one_spelling(records, [k for k, c in spec.columns.items() if c.type == "team"])
    return ListRows(spec, sheet, header, records, blank)


def _one_spelling(records: list[Record], keys: list[str]) -> None:
    """Give each team one spelling: 'North team' and 'north Team' are the team most rows spell it as."""
    for key in keys:
        counts = Counter(r.values[key] for r in records if r.values.get(key))
        chosen: dict[str, str] = {}
        for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            chosen.setdefault(name.casefold(), name)
        for record in records:
            if record.values.get(key):
                record.values[key] = chosen[record.values[key].casefold()]


def example_rows(spec: ListSpec, rows: list[dict[str, Any]]) -> ListRows:
    """Return records built from an example's rows (keys are column keys), read as a sheet's cells would be."""
    readers = {key: reader_for(column) for key, column in spec.columns.items()}
    records = []
    for number, given in enumerate(rows):
        unknown = [k for k in given if k not in readers]
        if unknown:
            raise DrafterError(
                Problem(
                    f"example row {number + 1} names unknown columns {', '.join(unknown)}", expected=", ".join(readers)
                )
            )
        try:
            records.append(Record(number, {key: read(given.get(key)) for key, read in readers.items()}))
        except values.CellError as exc:
            raise DrafterError(
                Problem(f"example row {number + 1}: cannot read a value", found=exc.found, expected=exc.expected)
            ) from None
    return ListRows(spec, None, None, records)
