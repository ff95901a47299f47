"""Turn an Annex A workbook into an evidence pack of aggregate indicators, with a report of what was read.

Only aggregates leave this module: percentages and averages per period and team, and counts
("412 of 530 assessments"). No child's ID, date of birth, name or worker reaches the pack.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from drafter.annex_a.measures import By, Result, Window, apply_measure
from drafter.annex_a.records import ListRows, read_list
from drafter.annex_a.spec import AnnexASpec, load_spec
from drafter.annex_a.workbook import XLSX_EXPECTED, default_reader, list_sheets, read_workbook
from drafter.errors import DrafterError, Problem

DEFAULT_AUTHORITY = "Unnamed authority"
WINDOW_LISTS = (1, 2, 3, 4, 5)  # the default --from is the earliest event date in these lists


@dataclass
class Built:
    """A pack built from a workbook, with everything the report needs."""

    pack: dict
    results: list[Result]
    lists: dict[int, ListRows]
    present: list[int]
    window: Window
    window_source: str
    reader: str
    seconds: float
    spec: AnnexASpec


def build_pack(
    path: Path | str,
    as_of: dt.date,
    start: dt.date | None = None,
    by: By = "month",
    authority: str | None = None,
    reader: str | None = None,
    spec: AnnexASpec | None = None,
) -> Built:
    """Return the pack computed from an Annex A workbook; raise DrafterError with a located problem otherwise."""
    began = time.perf_counter()
    spec = spec or load_spec()
    path = Path(path)
    shown = str(path)
    wanted = {n for n, s in spec.lists.items() if s.columns}
    reader = reader or default_reader()
    names, sheets = read_workbook(path, wanted, reader)
    present = sorted(list_sheets(path, names))
    _check_lists(shown, names, present, spec)
    lists = {n: read_list(shown, sheets[n], spec.lists[n]) for n in sorted(sheets)}
    window_source = "--from"
    if start is None:
        start, window_source = _earliest_event(shown, lists, spec, as_of)
    if start > as_of:
        raise DrafterError(
            Problem(
                "the window starts after as_of",
                path=shown,
                found=f"from {start.isoformat()}, as_of {as_of.isoformat()}",
                expected="--from on or before --as-of",
                hint="give an earlier --from, or a later --as-of",
            )
        )
    window = Window(start, as_of, by)
    results = [apply_measure(m, lists[m.list_number], window, shown) for m in spec.measures if m.list_number in lists]
    pack = {
        "schema": "evidence-pack/1",
        "authority": authority or DEFAULT_AUTHORITY,
        "as_of": as_of,
        "indicators": [entry for r in results for entry in _entries(r, window)],
    }
    return Built(pack, results, lists, present, window, window_source, reader, time.perf_counter() - began, spec)


def _check_lists(path: str, names: list[str], present: list[int], spec: AnnexASpec) -> None:
    """Raise DrafterError when the workbook is not an Annex A, or lacks a list it must have."""
    if not present:
        raise DrafterError(
            Problem(
                "this is not an Annex A workbook: no sheet is named after a list",
                path=path,
                found="sheets " + ", ".join(repr(n) for n in names[:12]),
                expected=XLSX_EXPECTED,
                hint="Annex A workbooks have one sheet per list, named 'List 1' to 'List 11'",
            )
        )
    missing = [n for n, s in sorted(spec.lists.items()) if s.required and n not in present]
    if missing:
        raise DrafterError(
            [
                Problem(
                    f"the workbook has no sheet for List {n} ({spec.lists[n].title})",
                    path=path,
                    where=f"List {n}",
                    found="sheets " + ", ".join(repr(x) for x in names[:12]),
                    expected=f"a sheet named 'List {n}'",
                    hint=f"add the list; if the authority has no {spec.lists[n].title} to list, add an empty "
                    f"sheet named 'List {n}'",
                )
                for n in missing
            ]
        )


def _earliest_event(path: str, lists: dict[int, ListRows], spec: AnnexASpec, as_of: dt.date) -> tuple[dt.date, str]:
    """Return the earliest event date on or before as_of in Lists 1 to 5, and the cell it is in."""
    best: tuple[dt.date, str] | None = None
    for number in WINDOW_LISTS:
        key = spec.lists[number].window_date
        rows = lists.get(number)
        if rows is None or key is None:
            continue
        for record in rows.records:
            day = record.values.get(key)
            if day is not None and day <= as_of and (best is None or day < best[0]):
                best = (day, rows.where(record, key))
    if best is None:
        raise DrafterError(
            Problem(
                "Lists 1 to 5 have no event dates on or before as_of to start the window from",
                path=path,
                expected="contacts, referrals, assessments or enquiries dated on or before as_of",
                hint="give the start of the window with --from",
            )
        )
    return best[0], f"the earliest event date in Lists 1 to 5, at {best[1]}"


def _entries(result: Result, window: Window) -> list[dict]:
    """Return the pack's indicator entries for a measure: the authority's series, then each team's."""
    out = []
    for team, points in [(None, result.overall), *sorted(result.teams.items())]:
        series = {p: points[p].value(result.measure.unit) for p in sorted(points) if points[p].of}
        if not series:
            continue
        entry: dict = {"id": result.measure.indicator}
        if team is not None:
            entry["team"] = team
        entry["series"] = series
        entry["note"] = _note(result, points, window)
        out.append(entry)
    return out


def _note(result: Result, points: dict, window: Window) -> str:
    """Return the provenance note: the list, the window and the counts behind the latest value."""
    from drafter.vocab.wording import date_words

    measure = result.measure
    latest = points[max(points)]
    counts = (
        f"{latest.counted:,} of {latest.of:,} {measure.noun}"
        if measure.unit == "percent"
        else f"the average of {latest.of:,} {measure.noun}"
    )
    span = f"{date_words(window.start)} to {date_words(window.end)}"
    if measure.scope.kind != "events":
        return f"From Annex A List {measure.list_number}, on {date_words(window.end)}: {counts}."
    if window.by == "window":
        return f"From Annex A List {measure.list_number}, {span}: {counts}."
    return f"From Annex A List {measure.list_number}, by calendar month, {span}; {max(points)}: {counts}."


def report_lines(built: Built, path: str) -> list[str]:
    """Return the validate-style report: rows read per list, and per measure how many were used and skipped."""
    spec_lists = built.spec.lists
    window = built.window
    total = sum(len(r.records) for r in built.lists.values())
    lines = [
        f"read {path} with {built.reader}: {len(built.present)} lists, {total:,} rows read in {built.seconds:.2f} s",
        f"window: {window.start.isoformat()} to {window.end.isoformat()}, "
        f"{'by calendar month' if window.by == 'month' else 'as one period'} "
        f"(from: {built.window_source})",
    ]
    by_list: dict[int, list[Result]] = {}
    for result in built.results:
        by_list.setdefault(result.measure.list_number, []).append(result)
    for number, spec in sorted(spec_lists.items()):
        rows = built.lists.get(number)
        if rows is None:
            lines.append(
                f"{spec.label} ({spec.title}): present, not read by any measure"
                if number in built.present
                else f"{spec.label} ({spec.title}): not in the workbook"
            )
            continue
        blank = f" ({rows.blank_rows:,} blank rows passed over)" if rows.blank_rows else ""
        empty = ", an empty sheet" if rows.header is None else ""
        lines.append(f"{spec.label} ({spec.title}): {len(rows.records):,} rows{blank}{empty}")
        key = spec.window_date
        if key and rows.header is not None and key not in rows.header.columns:
            lines.append(f"  no {spec.columns[key].name!r} column: the list does not set the window's start")
        for result in by_list.get(number, []):
            lines.append("  " + _tally_line(result))
    return lines


def _tally_line(result: Result) -> str:
    tally = result.tally
    text = f"{result.measure.indicator}: {tally.used:,} used"
    skipped = sum(tally.skipped.values())
    if skipped:
        reasons = ", ".join(
            f"{why} ({n:,})" for why, n in sorted(tally.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        text += f", {skipped:,} skipped: {reasons}"
    extra = []
    if tally.undated:
        extra.append(f"{tally.undated:,} {tally.undated_words}")
    if tally.outside:
        extra.append(f"{tally.outside:,} {tally.outside_words}")
    if tally.duplicates:
        extra.append(f"{tally.duplicates:,} further rows for a child already counted")
    if extra:
        text += "; not counted: " + ", ".join(extra)
    if not tally.used:
        text += " (no value: nothing to count)"
    return text
