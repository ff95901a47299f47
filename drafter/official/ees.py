"""Read DfE's Explore Education Statistics (EES) CSV files: tidy rows of area x year x filters x measures.

The format has pitfalls the reader absorbs: a UTF-8 byte-order mark on some files, columns in
any order, quoted names with commas, academic years written `202425`, and suppression markers
(`x c z u k low .` or empty) that are missing values, never zeros. A malformed file is reported
with its file and line, what was found and a hint, before anything is written anywhere.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError, Problem
from drafter.official.measures import Measure, OfficialMeasures, Source

SUPPRESSED = frozenset({"", "x", "c", "z", "u", "k", "low", ".", ":", "-", "..", "n/a", "na"})
AREA_COLUMNS = ("time_period", "geographic_level")
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "la"}
MAX_CSV_BYTES = 200 * 1024 * 1024
_YEAR = re.compile(r"^(\d{4})(\d{2})?$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class Area:
    """An area a row describes: England, a region (ONS code) or an authority (LA number)."""

    key: str  # 'england', 'E12000001', '806' or a joint row such as '940 / 941'
    level: str  # national | regional | la
    name: str = ""
    ons: str = ""
    region: str = ""  # an authority's region code as the row gives it
    region_name: str = ""


@dataclass
class Extract:
    """What one or more files gave: values per (indicator, year, area), the areas seen, and provenance."""

    values: dict[tuple[str, int, str], float] = field(default_factory=dict)
    areas: dict[str, Area] = field(default_factory=dict)
    origin: dict[tuple[str, int], str] = field(default_factory=dict)  # (indicator, year) -> source label
    years: dict[str, set[int]] = field(default_factory=dict)  # indicator -> years the files cover
    files: list[str] = field(default_factory=list)
    names: dict[str, set[str]] = field(default_factory=dict)  # area -> every name the files give it
    ons: dict[str, dict[str, int]] = field(default_factory=dict)  # area -> ONS code -> latest year seen
    latest: dict[str, int] = field(default_factory=dict)  # area -> latest year its `areas` entry is from


def parse_value(text: str) -> float | None:
    """Return a cell's number, or None for a suppression or missing marker; raise ValueError otherwise."""
    raw = text.strip()
    if raw.lower() in SUPPRESSED:
        return None
    cleaned = raw.replace(",", "")
    if not _NUMBER.match(cleaned):
        raise ValueError(raw)
    return float(cleaned)


def parse_year(text: str) -> int:
    """Return the year a `time_period` names: 2025, or the end year of an academic year like 202425."""
    m = _YEAR.match(text.strip())
    if not m:
        raise ValueError(text)
    start = int(m[1])
    return start + 1 if m[2] else start


def _problem(path: str, line: int, message: str, found: str = "", expected: str = "", hint: str = "") -> Problem:
    return Problem(message, path=path, line=line, found=found, expected=expected, hint=hint)


def _matching(header: list[str], measures: Iterable[Measure], file_name: str) -> list[tuple[Measure, Source]]:
    """Return the (measure, EES source) pairs whose column and filter columns the header has; when the
    file's name starts with a known EES file name, only that file's sources."""
    measures = list(measures)
    names = set(header)
    named = {s.ees for m in measures for s in m.sources if s.ees and file_name.lower().startswith(s.ees.lower())}
    out = []
    for measure in measures:
        for source in measure.sources:
            if not source.ees or (named and source.ees not in named):
                continue
            if source.column in names and all(k in names for k in source.where):
                out.append((measure, source))
                break
    return out


def read_ees(path: Path | str, config: OfficialMeasures, extract: Extract | None = None, *,
             text: str | None = None, require_match: bool = True) -> Extract:
    """Return (or add to) an Extract with every catalogue measure the EES file at `path` holds.

    Raise DrafterError naming file:line for anything malformed: a missing column, a row of the
    wrong length, a year or figure that does not parse, or one area and year given twice with
    different figures. With `require_match`, a file that holds no known measure is an error too.
    """
    shown = str(path)
    extract = extract if extract is not None else Extract()
    if text is None:
        text = _read_text(Path(path))
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DrafterError(_problem(shown, 1, "the file is empty", expected="an EES CSV with a header row",
                                    hint="download the data set's CSV from explore-education-statistics")) from None
    missing = [c for c in AREA_COLUMNS if c not in header]
    if missing:
        raise DrafterError(_problem(shown, 1, "this is not an EES data file: it lacks " + ", ".join(missing),
                                    found=", ".join(header[:8]) + (" ..." if len(header) > 8 else ""),
                                    expected="columns time_period, geographic_level, ... (the EES tidy format)",
                                    hint="use the CSV from the data set's 'Download' on Explore Education Statistics"))
    pairs = _matching(header, config.measures, Path(shown).name)
    if not pairs:
        if require_match:
            known = sorted({s.column for m in config.measures for s in m.sources if s.ees})
            raise DrafterError(_problem(shown, 1, "the file holds none of the measures drafter uses",
                                        found=", ".join(header[10:18]) or "no measure columns",
                                        expected="a column such as " + ", ".join(known[:6]),
                                        hint="rules/official_measures.yaml lists the files and columns drafter reads"))
        return extract
    col = {name: i for i, name in enumerate(header)}
    extract.files.append(shown)
    seen: dict[tuple[str, int, str], tuple[float | None, int]] = {}
    for row in reader:
        line = reader.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise DrafterError(_problem(shown, line, f"the row has {len(row)} fields but the header has {len(header)}",
                                        found=",".join(row)[:80], expected=f"{len(header)} comma-separated fields",
                                        hint="a name containing a comma must be in double quotes"))
        level = LEVELS.get(row[col["geographic_level"]].strip())
        if level is None:
            continue  # local authority districts, parliamentary constituencies and the like
        try:
            year = parse_year(row[col["time_period"]])
        except ValueError:
            raise DrafterError(_problem(shown, line, "the time_period does not parse",
                                        found=repr(row[col["time_period"]]), expected="a year such as 2025 or 202425",
                                        hint="check the time_period column")) from None
        area = _area(row, col, level)
        if area is None:
            raise DrafterError(_problem(shown, line, f"a {row[col['geographic_level']]} row without its area code",
                                        expected="region_code for a region, old_la_code for an authority",
                                        hint="the EES file may have been edited; download it again"))
        if year >= extract.latest.get(area.key, 0):
            extract.areas[area.key], extract.latest[area.key] = area, year
        extract.names.setdefault(area.key, set()).add(area.name)
        if area.ons:
            codes = extract.ons.setdefault(area.key, {})
            codes[area.ons] = max(year, codes.get(area.ons, 0))
        for measure, source in pairs:
            if any(row[col[k]].strip() != v for k, v in source.where.items()):
                continue
            cell = row[col[source.column]]
            try:
                value = parse_value(cell)
            except ValueError:
                raise DrafterError(_problem(shown, line, f"{source.column} is not a number",
                                            found=repr(cell), expected="a number, or a suppression marker "
                                            "(x, c, z, u, k, low, . or empty)",
                                            hint="figures are written without units or % signs")) from None
            key = (measure.indicator, year, area.key)
            if key in seen and seen[key][0] != value:
                raise DrafterError(_problem(shown, line, f"{area.key} {year} is given twice for {source.column}",
                                            found=f"{seen[key][0]} (line {seen[key][1]}) and {value}",
                                            expected="one row per area, year and breakdown",
                                            hint="the file mixes two versions of the data; download it again"))
            seen[key] = (value, line)
            extract.years.setdefault(measure.indicator, set()).add(year)
            extract.origin.setdefault((measure.indicator, year), f"{source.label} ({Path(shown).name})")
            if value is not None:
                extract.values[key] = value
    return extract


def _area(row: list[str], col: dict[str, int], level: str) -> Area | None:
    def get(name: str) -> str:
        return row[col[name]].strip() if name in col else ""

    if level == "national":
        return Area("england", level, "England", get("country_code"))
    if level == "regional":
        code = get("region_code")
        return Area(code, level, get("region_name"), code) if code else None
    code = get("old_la_code")
    if not code:
        return None
    return Area(code, level, get("la_name"), get("new_la_code"), get("region_code"), get("region_name"))


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise DrafterError(Problem("file not found", path=str(path), hint="check the path to the CSV file")) from None
    if path.is_dir():
        raise DrafterError(Problem("expected a CSV file, found a folder", path=str(path)))
    if size > MAX_CSV_BYTES:
        raise DrafterError(Problem("file is too large", path=str(path), found=f"{size} bytes",
                                   expected=f"at most {MAX_CSV_BYTES} bytes"))
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")  # an EES file re-saved by Excel on Windows
        except UnicodeDecodeError as exc:
            raise DrafterError(Problem("the file is not text", path=str(path), found=str(exc),
                                       hint="give the CSV file, not a spreadsheet")) from None
