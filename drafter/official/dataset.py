"""The bundled official dataset (`data/official/official.json`) merged with the user's imports, loaded once.

The file is columnar JSON: one list of area keys, then for each indicator and year a list of
values in that order (null where DfE published none or suppressed the figure). It loads with a
single `json.loads` and no per-value objects, so a process pays for it once, lazily.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem
from drafter.paths import PROJECT_ROOT

SCHEMA = "official-data/1"
IMPORT_SCHEMA = "official-import/1"
IMPORT_FILE = "imported.json"
LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."


def bundled_path() -> Path:
    """Return the bundled dataset (env DRAFTER_OFFICIAL overrides data/official/official.json)."""
    return Path(os.environ.get("DRAFTER_OFFICIAL", PROJECT_ROOT / "data" / "official" / "official.json"))


def user_dir() -> Path:
    """Return the user's data folder: $DRAFTER_DATA, else $XDG_DATA_HOME/drafter/official, else ~/.local/share/..."""
    if os.environ.get("DRAFTER_DATA"):
        return Path(os.environ["DRAFTER_DATA"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "drafter" / "official"


@dataclass(frozen=True)
class Authority:
    """One local authority in the register."""

    code: str  # the three-digit LA number, e.g. '806'
    name: str
    ons: tuple[str, ...]  # ONS codes, newest first
    region: str  # region code as DfE assigns it (Inner and Outer London for London boroughs)
    current: bool
    aliases: tuple[str, ...] = ()
    ofsted_name: str = ""  # as Ofsted writes it in its reports ('Bristol' for DfE's 'Bristol, City of')

    @property
    def display(self) -> str:
        """Return the name documents use: Ofsted's, else DfE's."""
        return self.ofsted_name or self.name


@dataclass
class Dataset:
    """Official figures by indicator, year and area, with the register, neighbours and ILACS outcomes."""

    publications: dict[str, dict]
    measures: dict[str, dict]
    areas: list[str]
    values: dict[str, dict[str, list]]
    origin: dict[str, dict[str, str]]
    authorities: dict[str, Authority]
    regions: dict[str, str]
    neighbours: dict[str, dict]
    ilacs: dict[str, list[dict]]
    imported: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    joint: dict[str, str] = field(default_factory=dict)  # '940' -> '940 / 941' where DfE reports a pair
    memo: dict = field(default_factory=dict)  # lookups derived from this dataset, kept with it

    def memoised(self, key: tuple, build):
        """Return what `build()` gives, computed once for this dataset (never for another one)."""
        if key not in self.memo:
            self.memo[key] = build()
        return self.memo[key]

    def __post_init__(self) -> None:
        self.index = {key: i for i, key in enumerate(self.areas)}
        for key in self.areas:
            if "/" in key:
                for part in key.split("/"):
                    self.joint[part.strip()] = key

    def years(self, indicator: str) -> list[int]:
        """Return the years with published figures for an indicator, oldest first."""
        return sorted(int(y) for y in self.values.get(indicator, {}))

    def value(self, indicator: str, year: int, area: str) -> float | None:
        """Return the figure for an area in a year, or None when none was published."""
        column = self.values.get(indicator, {}).get(str(year))
        i = self.index.get(area)
        if column is None or i is None or i >= len(column):
            return None
        return column[i]

    def area_value(self, indicator: str, year: int, code: str) -> tuple[float | None, str]:
        """Return an authority's figure and the area it belongs to (a joint row when DfE reports a pair)."""
        own = self.value(indicator, year, code)
        if own is not None or code not in self.joint:
            return own, code
        joint = self.joint[code]
        return self.value(indicator, year, joint), joint

    def source_of(self, indicator: str, year: int) -> str:
        """Return which file and column gave an indicator's figures for a year."""
        return self.origin.get(indicator, {}).get(str(year), "")


def _fail(path: Path, message: str, hint: str) -> DrafterError:
    return DrafterError(Problem(message, path=str(path), hint=hint))


def _read_json(path: Path, schema: str) -> dict:
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise _fail(path, "the official statistics file is missing",
                    "reinstall drafter, or rebuild it: python tools/build_official_data.py") from None
    except (OSError, ValueError) as exc:
        raise _fail(path, f"the official statistics file cannot be read: {exc}",
                    "rebuild it with tools/build_official_data.py, or delete a damaged import") from None
    if not isinstance(data, dict) or data.get("schema") != schema:
        raise _fail(path, f"not a {schema} file", "rebuild it with tools/build_official_data.py")
    return data


def _authorities(records: list[dict]) -> dict[str, Authority]:
    return {r["code"]: Authority(r["code"], r["name"], tuple(r.get("ons", [])), r.get("region", ""),
                                 bool(r.get("current")), tuple(r.get("aliases", [])), r.get("ofsted_name", ""))
            for r in records}


def _merge(data: dict, extra: dict) -> None:
    """Merge an import over the bundled data: an imported indicator-year replaces the bundled one."""
    areas: list[str] = data["areas"]
    position = {a: i for i, a in enumerate(areas)}
    for area in extra["areas"]:
        if area not in position:
            position[area] = len(areas)
            areas.append(area)
    for indicator, years in extra["values"].items():
        target = data["values"].setdefault(indicator, {})
        for year, column in years.items():
            merged: list[Any] = [None] * len(areas)
            for area, value in zip(extra["areas"], column, strict=False):
                merged[position[area]] = value
            target[year] = merged
            data["origin"].setdefault(indicator, {})[year] = extra["origin"].get(indicator, {}).get(year, "imported")
    for years in data["values"].values():  # pad older columns to the new area list
        for year, column in years.items():
            if len(column) < len(areas):
                years[year] = column + [None] * (len(areas) - len(column))
    for pid, pub in extra.get("publications", {}).items():
        if pid in data["publications"]:
            data["publications"][pid]["released"].update(pub.get("released", {}))
    for indicator, measure in extra.get("measures", {}).items():
        data["measures"].setdefault(indicator, measure)
    known = {r["code"] for r in data["authorities"]}
    data["authorities"] += [r for r in extra.get("authorities", []) if r["code"] not in known]
    for code, name in extra.get("regions", {}).items():
        data["regions"].setdefault(code, name)


def _stamp(path: Path | str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def load_dataset() -> Dataset:
    """Return the official dataset with the user's imports merged in (cached until either file changes)."""
    bundled, imported = _paths(*(os.environ.get(name) for name in _SETTINGS))
    return _load(bundled, _stamp(bundled), imported, _stamp(imported))


_SETTINGS = ("DRAFTER_OFFICIAL", "DRAFTER_DATA", "XDG_DATA_HOME", "HOME")


@lru_cache(maxsize=16)
def _paths(*_settings: str | None) -> tuple[str, str]:
    """Return the bundled and imported files for the environment's settings (the cache key): comparators ask
    for the dataset hundreds of times a pack, and building the paths each time cost more than the lookups."""
    return str(bundled_path()), str(user_dir() / IMPORT_FILE)


@lru_cache(maxsize=4)
def _load(bundled: str, _b: object, imported: str, stamp: object) -> Dataset:
    data = _read_json(Path(bundled), SCHEMA)
    files: list[str] = []
    if stamp is not None:
        extra = _read_json(Path(imported), IMPORT_SCHEMA)
        _merge(data, extra)
        files = [f["name"] for f in extra.get("files", [])]
    return Dataset(data["publications"], data["measures"], data["areas"], data["values"], data["origin"],
                   _authorities(data["authorities"]), data["regions"], data["neighbours"], data["ilacs"], files)


def dump_json(data: dict) -> bytes:
    """Return data as deterministic JSON: sorted keys, one line per indicator-year (or record), UTF-8."""

    def compact(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def emit(prefix: str, value: Any, depth: int, last: bool) -> list[str]:
        tail = "" if last else ","
        nested = isinstance(value, dict | list) and depth < 4 and any(isinstance(v, dict | list) for v in
                                                                       (value.values() if isinstance(value, dict)
                                                                        else value))
        if not nested:
            return [f"{prefix}{compact(value)}{tail}"]
        if isinstance(value, dict):
            keys = sorted(value)
            out = [prefix + "{"]
            for i, k in enumerate(keys):
                out += emit(f"{compact(k)}:", value[k], depth + 1, i == len(keys) - 1)
            return out + ["}" + tail]
        out = [prefix + "["]
        for i, v in enumerate(value):
            out.append(compact(v) + ("" if i == len(value) - 1 else ","))
        return out + ["]" + tail]

    return ("\n".join(emit("", data, 0, True)) + "\n").encode("utf-8")
