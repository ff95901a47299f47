"""Find a list's header row and its columns, whatever the spacing, capitals or title rows of the export."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from drafter.annex_a.spec import ListSpec, header_key
from drafter.annex_a.values import clean_text, is_blank
from drafter.annex_a.workbook import Sheet, column_letters
from drafter.errors import DrafterError, Problem

HEADER_SEARCH_ROWS = 10  # a title, a date line and a blank row above the header are common


@dataclass(frozen=True)
class Header:
    """Where a list's header is, and which column holds each key the measures read."""

    row: int  # 0-based row of the header
    columns: dict[str, int]  # column key -> 0-based column index


def _known(spec: ListSpec) -> dict[str, str]:
    """Return every header a list may have (as compared) and the column key it means ('' for others)."""
    names = {header_key(n): "" for n in spec.known}
    for key, column in spec.columns.items():
        names.update({header_key(n): key for n in column.headers()})
    return names


def find_header(path: str, sheet: Sheet, spec: ListSpec) -> Header:
    """Return the header of a list's sheet; raise DrafterError for a missing header or required column."""
    known = _known(spec)
    best_row, best_score = -1, 0
    for number, cells in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        score = sum(1 for value in cells if not is_blank(value) and header_key(value) in known)
        if score > best_score:
            best_row, best_score = number, score
    if best_score < 2:
        raise _no_header(path, sheet, spec)
    cells = sheet.rows[best_row]
    columns: dict[str, int] = {}
    for index, value in enumerate(cells):
        key = known.get(header_key(value)) if not is_blank(value) else None
        if not key:
            continue
        if key in columns:
            raise DrafterError(
                Problem(
                    f"{spec.label} has two columns for {spec.columns[key].name!r}",
                    path=path,
                    where=sheet.where(best_row, index),
                    found=f"columns {column_letters(columns[key])} and {column_letters(index)}",
                    expected="each column once",
                    hint="delete or rename one of them",
                )
            )
        columns[key] = index
    missing = [k for k, c in spec.columns.items() if c.required and k not in columns]
    if missing:
        raise DrafterError([_missing(path, sheet, spec, best_row, key, known) for key in missing])
    return Header(best_row, columns)


def _no_header(path: str, sheet: Sheet, spec: ListSpec) -> DrafterError:
    first = next((cells for cells in sheet.rows[:HEADER_SEARCH_ROWS] if any(not is_blank(v) for v in cells)), [])
    shown = ", ".join(repr(clean_text(v)) for v in first[:6] if not is_blank(v))
    wanted = [c.name for c in spec.columns.values()] or spec.known[:4]
    return DrafterError(
        Problem(
            f"{spec.label} ({spec.title}) has no header row naming its columns",
            path=path,
            where=f"{sheet.title}!A1",
            found=f"first filled row: {shown}" if shown else "an empty sheet",
            expected=f"a header row within the first {HEADER_SEARCH_ROWS} rows naming columns such as "
            + ", ".join(repr(n) for n in wanted[:4]),
            hint="copy the list's header row from the Annex A template; a title row above it is fine",
        )
    )


def _missing(path: str, sheet: Sheet, spec: ListSpec, row: int, key: str, known: dict[str, str]) -> Problem:
    column = spec.columns[key]
    cells = sheet.rows[row]
    unclaimed = {clean_text(v): i for i, v in enumerate(cells) if not is_blank(v) and not known.get(header_key(v))}
    by_key = {header_key(text): text for text in unclaimed}
    close = difflib.get_close_matches(header_key(column.name), list(by_key), n=1, cutoff=0.6)
    where = sheet.where(row, unclaimed[by_key[close[0]]]) if close else sheet.where(row, 0)
    hint = (
        f"did you mean {by_key[close[0]]!r}? rename that header to {column.name!r}"
        if close
        else f"add a column headed {column.name!r}"
    )
    return Problem(
        f"{spec.label} ({spec.title}) has no {column.name!r} column",
        path=path,
        where=where,
        found=f"header row {row + 1}: " + ", ".join(repr(clean_text(v)) for v in cells if not is_blank(v))[:300],
        expected=f"a column headed {column.name!r}"
        + (f" (or {', '.join(repr(v) for v in column.variants[:3])})" if column.variants else ""),
        hint=hint,
    )
