"""Make a realistic, seeded Ofsted Annex A workbook for a medium authority, optionally as messy as real exports.

    python tools/make_annex_a.py annex-a.xlsx [--seed 1] [--scale 1.0] [--as-of 2024-03-31] [--messy]

At scale 1 it holds six months of work (adoption: twelve) for an authority of about 65,000
children: about 25,000 rows over the eleven lists. Every child, worker and postcode is
invented. The same seed gives the same data and the same bytes. `generate()` returns the clean
rows (real dates, ints, tidy text) so tests can compute every measure from them independently;
`write_workbook()` writes them, with the messiness of real exports switched on by name:

  title          a title and a blank row above the header of some lists
  headers        header cells in other capitals and with stray spaces
  extra_columns  columns the lists do not define, before and after the standard ones
  blank_rows     blank rows among the data
  text_dates     dates typed as text (31/03/2024, 1/3/24, 2024-03-31) or left as Excel serial numbers
  ids            child IDs as numbers in some lists, text in others ("123", "123.0")
  formulas       date cells as formulas (=H5+120) saved without their results, as scripts write them
  spaces         non-breaking and trailing spaces in names and teams; #N/A for a missing team
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.annex_a_fake import HEADERS, TITLES, AnnexA, generate  # noqa: E402

MESS = ("title", "headers", "extra_columns", "blank_rows", "text_dates", "ids", "formulas", "spaces")
__all__ = ["MESS", "generate", "write_workbook"]

# ---------------------------------------------------------------- writing, with the mess of real exports

DATE_FORMAT = "dd/mm/yyyy"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
EXTRA = {3: ["Locality", "Notes"], 4: ["Assessment Type"], 8: ["Legal Status Notes"], 9: ["Personal Adviser Notes"]}
TITLED = (1, 3, 5, 8, 10)  # lists given a title row when `title` is on
FORMULA_COLUMNS = {
    10: ["Date of Matching Child and Prospective Adopters", "Date Placed for Adoption"],
    4: ["Continuous Assessment Date of Authorisation"],
}


def write_workbook(
    data: AnnexA, path: Path | str, mess: set[str] | frozenset[str] = frozenset(), seed: int = 1
) -> Path:
    """Write the rows as an Annex A workbook (one sheet per list) with the named messiness; return the path."""
    from openpyxl import Workbook

    unknown = set(mess) - set(MESS)
    if unknown:
        raise ValueError(f"unknown messiness {sorted(unknown)}; choose from {', '.join(MESS)}")
    rng = random.Random(seed * 7919 + 1)
    book = Workbook(write_only=True)
    fixed = dt.datetime(2024, 1, 1)
    book.properties.created = book.properties.modified = fixed
    for number in range(1, 12):
        _write_sheet(book.create_sheet(f"List {number}"), number, data, mess, rng)
    buf = io.BytesIO()
    book.save(buf)
    return _write_fixed_zip(buf.getvalue(), Path(path))


def _write_sheet(sheet, number: int, data: AnnexA, mess, rng: random.Random) -> None:
    """Append one list's title, header and rows to a write-only sheet."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    columns = list(HEADERS[number])
    extra = EXTRA.get(number, []) if "extra_columns" in mess else []
    if extra:  # a reference first, one unknown column among the standard ones, the rest at the end
        columns = ["Local Reference", *columns[:3], extra[0], *columns[3:], *extra[1:]]
    letters = {h: get_column_letter(i + 1) for i, h in enumerate(columns)}
    lines: list[list] = []
    if "title" in mess and number in TITLED:
        lines += [[f"Annex A List {number}: {TITLES[number]} (extract {data.as_of:%d/%m/%Y})"], []]
    lines.append([_messy_header(h, rng) if "headers" in mess else h for h in columns])
    for index, row in enumerate(data.lists[number]):
        if "blank_rows" in mess and rng.random() < 0.01:
            lines.append([])
        cells = []
        for h in columns:
            value = row.get(h)
            if h not in row:
                value = f"ref-{index}" if h == "Local Reference" else rng.choice(["", "see file", "n/a"])
            cells.append(_cell(WriteOnlyCell(sheet), h, value, number, len(lines) + 1, letters, mess, rng, row))
        lines.append(cells)
    for line in lines:
        sheet.append(line)


def _messy_header(header: str, rng: random.Random) -> str:
    return rng.choice(
        [header, header, f" {header} ", header.upper(), header.lower(), f"{header}  ", header.replace(" ", "  ", 1)]
    )


def _cell(cell, header: str, value, number: int, row_number: int, letters: dict, mess, rng: random.Random, row: dict):
    is_date = isinstance(value, dt.date)
    if header in ("Child Unique ID", "Individual adopter identifier") and "ids" in mess:
        if number in (3, 9):
            value = str(value)
        elif number == 8 and rng.random() < 0.5:
            value = f"{value}.0"
        elif number == 4:
            value = float(value)
    if header == "Allocated Team" and "spaces" in mess:
        value = "#N/A" if value is None else rng.choice([value, f"{value} ", value.replace(" ", "\u00a0", 1)])
    if header == "Allocated Worker" and "spaces" in mess and value:
        value = f"{value} "
    if is_date and "formulas" in mess and header in FORMULA_COLUMNS.get(number, []):
        earlier = _formula_base(number, header, row)
        if earlier and row.get(earlier) is not None and rng.random() < 0.6:
            cell.value = f"={letters[earlier]}{row_number}+{(value - row[earlier]).days}"
            cell.number_format = DATE_FORMAT
            return cell
    if is_date and "text_dates" in mess and rng.random() < 0.25:
        value = rng.choice(
            [
                f"{value:%d/%m/%Y}",
                f"{value:%d/%m/%Y}",
                f"{value.day}/{value.month}/{value:%y}",
                value.isoformat(),
                (value - dt.date(1899, 12, 30)).days,
            ]
        )
        is_date = False
    cell.value = value
    if is_date:
        cell.number_format = DATE_FORMAT
    return cell


def _formula_base(number: int, header: str, row: dict) -> str | None:
    if number == 10:
        return {
            "Date of Matching Child and Prospective Adopters": "Date of Placement Order",
            "Date Placed for Adoption": "Date of Matching Child and Prospective Adopters",
        }[header]
    return "Continuous Assessment Start Date"


def _write_fixed_zip(data: bytes, path: Path) -> Path:
    """Write the workbook with fixed timestamps in its zip, so the same seed gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, _ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving here
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", body)
            dst.writestr(fixed, body)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="the .xlsx file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is a medium authority, about 25,000 rows")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2024, 3, 31))
    parser.add_argument("--messy", action="store_true", help="switch every kind of messiness on")
    parser.add_argument("--mess", default="", help=f"comma-separated kinds of messiness: {', '.join(MESS)}")
    args = parser.parse_args(argv)
    mess = set(MESS) if args.messy else {m.strip() for m in args.mess.split(",") if m.strip()}
    data = generate(args.seed, args.as_of, args.scale)
    write_workbook(data, args.out, mess, args.seed)
    rows = sum(len(r) for r in data.lists.values())
    print(
        f"wrote {args.out}: {rows:,} rows over 11 lists, window {data.start.isoformat()} to "
        f"{args.as_of.isoformat()}, messiness: {', '.join(sorted(mess)) or 'none'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
