"""Merge a pack built from Annex A with an authority's official pack: Annex A wins where periods overlap."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from drafter.evidence.periods import parse_period


def merge_packs(annex_pack: dict, official_pack: Any, covers: tuple[dt.date, dt.date] | None = None) -> dict:
    """Return one pack holding the official series and the Annex A series.

    For an indicator (and team) in both, every Annex A point is kept, and an official point is
    kept only when its period does not overlap any Annex A period (official years end long
    before this month's Annex A, so the trend runs on). Indicators in only one pack are kept as
    they are. Everything else (authority, document, judgement, samples, notes, comparators)
    comes from the official pack; as_of is the later of the two. `official_pack` is a pack dict
    or a validated pack model. `covers` is the window the Annex A figures describe ([from,
    as_of]): with `--by window` a value is labelled with as_of alone, so an official period
    overlapping the window is dropped too."""
    official = _plain(official_pack)
    merged = copy.deepcopy(official)
    annex = {(e["id"], e.get("team")): e for e in annex_pack.get("indicators", [])}
    indicators = []
    for entry in official.get("indicators", []):
        key = (entry["id"], entry.get("team"))
        ours = annex.pop(key, None)
        if ours is None:
            indicators.append(copy.deepcopy(entry))
            continue
        spans = [_span(p) for p in ours["series"]] + ([covers] if covers else [])
        kept = {p: v for p, v in entry["series"].items() if not any(_overlaps(_span(p), span) for span in spans)}
        combined = {**kept, **ours["series"]}
        joined = {**copy.deepcopy(entry), "series": dict(sorted(combined.items(), key=lambda kv: _order(kv[0])))}
        if ours.get("note"):
            joined["note"] = "; ".join(n for n in (entry.get("note"), ours["note"]) if n)
        indicators.append(joined)
    indicators += [copy.deepcopy(e) for e in annex.values()]
    merged["indicators"] = indicators
    merged["as_of"] = max(_date(official.get("as_of")), _date(annex_pack["as_of"]))
    merged.setdefault("schema", "evidence-pack/1")
    return merged


def _plain(pack: Any) -> dict:
    if isinstance(pack, dict):
        return copy.deepcopy(pack)
    from drafter.evidence.write import pack_model, plain_pack  # a model or loaded Evidence

    return plain_pack(pack_model(pack))


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _span(label: Any) -> tuple[dt.date, dt.date]:
    period = parse_period(label)
    return period.start, period.end


def _overlaps(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _order(label: Any) -> tuple[dt.date, dt.date]:
    period = parse_period(label)
    return period.end, period.start
