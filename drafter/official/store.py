"""`drafter data import`: newly published EES files into the user's data folder, merged over the bundled data.

Every file is read and checked before anything is written; the merged imports are written
atomically, so an import that fails leaves the earlier imports exactly as they were. A year
imported again replaces the earlier import of that year; other years are kept.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from drafter.errors import DrafterError, Problem
from drafter.files import write_atomic
from drafter.official.dataset import IMPORT_FILE, IMPORT_SCHEMA, bundled_path, dump_json, user_dir
from drafter.official.ees import Extract, read_ees
from drafter.official.measures import load_measures, released


@dataclass(frozen=True)
class Imported:
    """What one import added: per file, the indicators and years it held."""

    target: Path
    files: dict[str, dict[str, list[int]]]  # file name -> indicator -> years
    skipped: tuple[str, ...] = ()  # EES files that hold none of the measures drafter uses

    def lines(self) -> list[str]:
        """Return one line per file and indicator: 'c1_....csv: referrals.rereferral_rate 2013 to 2026'."""
        out = []
        for name, measures in self.files.items():
            for indicator, years in sorted(measures.items()):
                span = f"{years[0]} to {years[-1]}" if len(years) > 1 else str(years[0])
                out.append(f"{name}: {indicator} {span} ({len(years)} year{'s' * (len(years) != 1)})")
        return out


def _existing(path: Path) -> dict:
    if not path.exists():
        return {"schema": IMPORT_SCHEMA, "files": [], "areas": [], "values": {}, "origin": {}, "authorities": [],
                "regions": {}, "publications": {}, "measures": {}}
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise DrafterError(Problem(f"the earlier imports cannot be read: {exc}", path=str(path),
                                   hint="move the file aside (nothing is lost from the bundled data) and import "
                                        "the CSV files again")) from None
    if not isinstance(data, dict) or data.get("schema") != IMPORT_SCHEMA:
        raise DrafterError(Problem(f"not a {IMPORT_SCHEMA} file", path=str(path),
                                   hint="move the file aside and import the CSV files again"))
    return data


def _bundled_register() -> set[str]:
    try:
        data = json.loads(bundled_path().read_bytes())
    except (OSError, ValueError):
        return set()
    return {a["code"] for a in data.get("authorities", [])}


def import_files(paths: list[Path]) -> Imported:
    """Import EES CSV files into the user's data folder; raise DrafterError (writing nothing) on any problem."""
    config = load_measures()
    per_file: dict[str, dict[str, list[int]]] = {}
    extract = Extract()
    hashes: dict[str, str] = {}
    skipped: list[str] = []
    for path in paths:
        one = read_ees(path, config, require_match=False)
        if not one.files:
            skipped.append(str(path))
            continue
        for key, year_origin in one.origin.items():
            if key in extract.origin and extract.origin[key] != year_origin:
                raise DrafterError(Problem(f"{key[0]} {key[1]} is in two of the files given",
                                           path=str(path), found=f"{extract.origin[key]} and {year_origin}",
                                           expected="each year of a measure in one file",
                                           hint="import the newer file on its own"))
        extract.values.update(one.values)
        extract.origin.update(one.origin)
        for indicator, years in one.years.items():
            extract.years.setdefault(indicator, set()).update(years)
        for key, area in one.areas.items():
            extract.areas.setdefault(key, area)
        per_file[Path(path).name] = {ind: sorted(years) for ind, years in one.years.items()}
        hashes[Path(path).name] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    if not per_file:
        read_ees(paths[0], config)  # raises: says what the file lacks
    target = user_dir() / IMPORT_FILE
    data = _existing(target)
    areas: list[str] = data["areas"]
    position = {a: i for i, a in enumerate(areas)}
    for key in sorted(extract.areas):
        if key not in position:
            position[key] = len(areas)
            areas.append(key)
    for indicator, years in extract.years.items():
        measure = config.measure(indicator)
        publication = config.publications[measure.publication]
        for year in sorted(years):
            column = [None] * len(areas)
            for (ind, y, area), value in extract.values.items():
                if ind == indicator and y == year:
                    column[position[area]] = int(value) if float(value).is_integer() else value
            data["values"].setdefault(indicator, {})[str(year)] = column
            data["origin"].setdefault(indicator, {})[str(year)] = extract.origin[(indicator, year)] + ", imported"
            pub = data["publications"].setdefault(measure.publication, {"released": {}})
            pub["released"][str(year)] = released(publication, year)
        data["measures"][indicator] = {"publication": measure.publication, "basis": config.basis(indicator),
                                       "measure": measure.measure}
    for years in data["values"].values():  # older imports gain the new areas as missing values
        for year, column in years.items():
            years[year] = column + [None] * (len(areas) - len(column))
    known = _bundled_register() | {a["code"] for a in data["authorities"]}
    for key, area in sorted(extract.areas.items()):
        if area.level == "regional":
            data["regions"].setdefault(key, area.name)
        elif area.level == "la" and "/" not in key and key not in known:
            data["authorities"].append({"code": key, "name": area.name, "ons": [area.ons] if area.ons else [],
                                        "region": area.region, "current": True, "aliases": []})
    files = {f["name"]: f for f in data["files"]}
    for name, measures in per_file.items():
        files[name] = {"name": name, "sha256": hashes[name], "measures": measures}
    data["files"] = [files[n] for n in sorted(files)]
    write_atomic(target, dump_json(data))
    return Imported(target, per_file, tuple(skipped))
