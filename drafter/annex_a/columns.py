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
    rank: dict[str, int] = {}  # 0: the standard header, 1: a variant; the standard one wins
    for index, value in enumerate(cells):
        key = known.get(header_key(value)) if not is_blank(value) else None
        if not key:
            continue
        this = 0 if header_key(value) == header_key(spec.columns[key].name) else 1
        if key in columns and this != rank[key]:
            if this < rank[key]:
                columns[key], rank[key] = index, this
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
        columns[key], rank[key] = index, this
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
    unknown = {clean_text(v): i for i, v in enumerate(cells) if not is_blank(v) and header_key(v) not in known}
    guess = _nearest(column.headers(), list(unknown))
    where = sheet.where(row, unknown[guess] if guess else 0)
    hint = (
        f"did you mean {guess!r}? rename that header to {column.name!r}"
        if guess
        else f"add a column headed {column.name!r}"
    )
    shown = ", ".join(repr(text) for text in list(unknown)[:8]) + (" …" if len(unknown) > 8 else "")
    alternatives = f" (or {', '.join(repr(v) for v in column.variants[:3])})" if column.variants else ""
    return Problem(
        f"{spec.label} ({spec.title}) has no {column.name!r} column",
        path=path,
        where=where,
        found=f"headers in row {row + 1} that are not Annex A columns: {shown}"
        if unknown
        else f"no such header in row {row + 1}",
        expected=f"a column headed {column.name!r}{alternatives}",
        hint=hint,
    )


def _nearest(names: list[str], headers: list[str]) -> str | None:
    """Return the header most like one of a column's names, or the only unknown header there is."""
    scored = [
        (max(difflib.SequenceMatcher(None, header_key(n), header_key(h)).ratio() for n in names), h) for h in headers
    ]
    best = max(scored, default=(0.0, None))
    if best[0] >= 0.6:
        return best[1]
    return headers[0] if len(headers) == 1 else None
