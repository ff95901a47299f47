"""Read ../shared/open-data independently of drafter (plain csv), to check drafter's figures against the source."""

from __future__ import annotations

import csv
from functools import lru_cache

import pytest

from tests.conftest import ROOT

OPEN_DATA = ROOT.parent / "shared" / "open-data"
needs_open_data = pytest.mark.skipif(not (OPEN_DATA / "ees").is_dir(), reason="../shared/open-data is absent")
SUPPRESSED = {"", "x", "c", "z", "u", "k", "low", "."}


@lru_cache(maxsize=16)
def rows(relative: str) -> tuple[dict, ...]:
    """Return a source CSV's rows as dicts (byte-order mark removed)."""
    with (OPEN_DATA / relative).open(encoding="utf-8-sig", newline="") as fh:
        return tuple(csv.DictReader(fh))


def number(text: str) -> float | None:
    return None if text.strip() in SUPPRESSED else float(text)


def ees(relative: str, column: str, year: int, *, la: str | None = None, region: str | None = None,
        national: bool = False, **where: str) -> float | None:
    """Return one figure from an EES file: an authority's (old_la_code), a region's (region_code) or England's."""
    for row in rows(relative):
        if row["time_period"] != str(year) or any(row[k] != v for k, v in where.items()):
            continue
        level = row["geographic_level"]
        if (national and level == "National") or (region and level == "Regional" and row["region_code"] == region) \
                or (la and level == "Local authority" and row["old_la_code"] == la):
            return number(row[column])
    raise LookupError((relative, column, year, la, region, where))


def lait(short: str, year: int, number_: str) -> float | None:
    """Return one figure from LAIT's long table by LA number (970 England, 980-990 regions)."""
    for row in rows("lait/bds_long_csc.csv"):
        if row["Short Desc"] == short and row["Years"] == str(year) and row["LA Number"] in (number_, number_ + ".0"):
            return None if row["Values"].strip() in ("-", "") else float(row["Values"])
    raise LookupError((short, year, number_))


def neighbours(model_file: str, la: str) -> list[str]:
    """Return an authority's ten statistical neighbours from a DfE model file, in order."""
    with (OPEN_DATA / "neighbours" / model_file).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        slots = [i for i, h in enumerate(header) if h.replace("_", "").upper()[:2] == "SN"
                 and h.replace("_", "").upper()[2:].isdigit()]
        for row in reader:
            if row and row[0].strip() == la:
                return [row[i].strip() for i in slots]
    raise LookupError(la)
