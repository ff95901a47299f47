"""Build data/official/official.json from DfE's and Ofsted's published files, reproducibly.

    python tools/build_official_data.py [SOURCE] [--out FILE] [--check]

SOURCE defaults to ../shared/open-data (see its README). The mapping from DfE measures to
indicator ids is rules/official_measures.yaml. EES files come first; LAIT's long table fills
the years EES lacks, after checking that the two agree wherever both publish a figure. The
output is deterministic: the same inputs give the same bytes. `--check` builds in memory and
exits 1 if the result differs from the file already there.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.errors import DrafterError  # noqa: E402
from drafter.official.authorities import GRADES, fold, name_forms  # noqa: E402
from drafter.official.dataset import LICENCE, SCHEMA, dump_json  # noqa: E402
from drafter.official.ees import Extract, read_ees  # noqa: E402
from drafter.official.measures import OfficialMeasures, load_measures, released  # noqa: E402
from drafter.rules.catalogue import load_catalogue  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "open-data"
DEFAULT_OUT = ROOT / "data" / "official" / "official.json"
AGREE_WITHIN = 0.051  # EES and LAIT figures are published to one decimal place


def _number(text: str) -> float | int | None:
    raw = text.strip()
    if raw in ("", "-", "x", "c", "z", "u", "k", "low", "."):
        return None
    value = float(f"{float(raw):.10g}")  # LAIT writes 20.4 as 20.399999999999999
    return int(value) if value.is_integer() else value


def _plain(value: float | None) -> float | int | None:
    if value is None:
        return None
    value = float(f"{value:.10g}")
    return int(value) if value.is_integer() else value


def read_lait(path: Path, config: OfficialMeasures) -> tuple[dict, dict[str, set[str]], dict[str, str]]:
    """Return LAIT values {(indicator, year, area): value}, names per LA number and each LA's region name."""
    wanted = {s.lait: m.indicator for m in config.measures for s in m.sources if s.lait}
    values: dict[tuple[str, int, str], float | int | None] = {}
    names: dict[str, set[str]] = defaultdict(set)
    regions: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            number = row["LA Number"].strip()
            if not number or number == "NA":
                continue
            code = str(int(float(number)))
            area = config.lait_areas.get(code, code)
            if area == code:
                names[code].add(row["LA and Regions"].strip())
                regions[code] = row["Region"].strip()
            indicator = wanted.get(row["Short Desc"])
            if indicator is None or not row["Years"].strip().isdigit():
                continue
            values[(indicator, int(row["Years"]), area)] = _number(row["Values"])
    return values, names, regions


def _by_year(values: dict) -> dict[tuple[str, int], dict[str, float | None]]:
    grouped: dict[tuple[str, int], dict[str, float | None]] = defaultdict(dict)
    for (indicator, year, area), value in values.items():
        grouped[(indicator, year)][area] = value
    return grouped


def combine(config: OfficialMeasures, ees: Extract, lait: dict) -> tuple[dict, dict, list[str]]:
    """Return values {indicator: {year: {area: value}}}, origins {indicator: {year: label}} and disagreements."""
    values: dict[str, dict[int, dict[str, float]]] = defaultdict(dict)
    origin: dict[str, dict[int, str]] = defaultdict(dict)
    disagreements: list[str] = []
    ees_by, lait_by = _by_year(ees.values), _by_year(lait)
    for measure in config.measures:
        ind = measure.indicator
        lait_source = next((s for s in measure.sources if s.lait), None)
        ees_years = ees.years.get(ind, set())
        lait_years = {y for (i, y) in lait_by if i == ind} if lait_source else set()
        for year in sorted(ees_years | lait_years):
            from_lait = {a: v for a, v in lait_by.get((ind, year), {}).items() if v is not None}
            if year in ees_years:
                column = dict(ees_by.get((ind, year), {}))
                origin[ind][year] = ees.origin[(ind, year)]
                disagreements += [f"{ind} {year} {a}: EES {column[a]} but LAIT {v}" for a, v in from_lait.items()
                                  if a in column and abs(column[a] - v) > AGREE_WITHIN]
            else:
                column = from_lait
                origin[ind][year] = f"lait:{lait_source.lait} (bds_long_csc.csv)"
            if column:
                values[ind][year] = column
    return values, origin, disagreements


def _area_order(keys: set[str]) -> list[str]:
    def sort_key(key: str) -> tuple:
        if key == "england":
            return (0, key)
        if key.startswith("E1"):
            return (1, key)
        head = key.split("/")[0].strip()
        return (2 if "/" not in key else 3, int(head) if head.isdigit() else 0, key)

    return sorted(keys, key=sort_key)


def read_neighbours(path: Path) -> tuple[dict[str, list[list[str]]], dict[str, str]]:
    """Return each LA's ten neighbours [[code, closeness], ...] and the names the file gives."""
    groups: dict[str, list[list[str]]] = {}
    names: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader)]
        slots = [i for i, h in enumerate(header) if h.replace("_", "").upper().startswith("SN")
                 and h.replace("_", "").upper()[2:].isdigit()]
        for row in reader:
            if not row or not row[0].strip():
                continue
            code = row[0].strip()
            names[code] = row[1].strip()
            group = []
            for i in slots:
                neighbour = row[i].strip()
                if neighbour:
                    closeness = row[i + 1].strip() if i + 1 < len(row) else ""
                    group.append([neighbour, closeness[:1].upper() + closeness[1:].lower()])
            groups[code] = group
    return groups, names


def read_ilacs(path: Path, by_ons: dict[str, str], by_name: dict[str, str]) -> tuple[dict, list[str]]:
    """Return ILACS inspections per LA number, and the rows no authority in the register matched."""
    out: dict[str, list[dict]] = defaultdict(list)
    unmatched: list[str] = []
    columns = {
        "leaders": "The impact of leaders on social work practice with children and families",
        "help_and_protection": "The experiences and progress of children who need help and protection",
        "children_in_care": "The experiences and progress of children in care",
        "care_leavers": "The experiences and progress of care leavers",
    }
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            name = row["Local authority name"].strip()
            code = by_ons.get(row["Local authority area code"].strip().lower())
            if code is None:
                code = next((by_name[f] for f in name_forms(name) if f in by_name), None)
            if code is None:
                unmatched.append(name)
                continue

            def grade(text: str) -> str | None:
                return GRADES.get(text.strip().lower()) if text.strip() else None

            out[code].append({
                "inspected": row["Inspection date"].strip(),
                "published": row["Publication date"].strip(),
                "type": row["Inspection type"].strip().removeprefix("ILACS ").removesuffix(" Inspection").lower(),
                "overall": grade(row["Overall effectiveness"]),
                "grades": {k: grade(row[v]) for k, v in columns.items()},
                "name": name,
            })
    return {k: sorted(v, key=lambda r: r["published"]) for k, v in out.items()}, unmatched


def build(source: Path) -> tuple[dict, list[str]]:
    """Return the dataset built from the open-data folder, and notes on what was checked."""
    config = load_measures()
    catalogue = load_catalogue()
    notes: list[str] = []
    ees = Extract()
    ees_files = sorted((source / "ees").glob("*.csv"))
    for path in ees_files:
        read_ees(path, config, ees, require_match=False)
    lait_path = source / "lait" / "bds_long_csc.csv"
    lait, lait_names, lait_regions = read_lait(lait_path, config)
    values, origin, disagreements = combine(config, ees, lait)
    if disagreements:
        raise SystemExit("EES and LAIT disagree:\n  " + "\n  ".join(disagreements[:20]))
    notes.append("EES and LAIT agree on every figure both publish")

    for ind, years in values.items():  # units and ranges must match the catalogue
        spec = catalogue.get(ind)
        if spec is None:
            raise SystemExit(f"{ind} is not in rules/indicators.yaml")
        for year, column in years.items():
            for area, value in column.items():
                if not spec.range.min <= value <= spec.range.max or (spec.unit == "percent" and value > 100):
                    raise SystemExit(f"{ind} {year} {area}: {value} is outside the catalogue range ({spec.unit})")

    models = {}
    sn_names: dict[str, set[str]] = defaultdict(set)
    for model in config.neighbour_models:
        groups, names = read_neighbours(source / "neighbours" / model.file)
        for code, name in names.items():
            sn_names[code].add(name)
        models[model.id] = {"id": model.id, "name": model.name, "from": model.from_.isoformat(), "groups": groups}
    current = set(models[config.neighbour_models[-1].id]["groups"])

    regions = {a.key: a.name for a in ees.areas.values() if a.level == "regional"}
    region_by_name = {fold(n): c for c, n in regions.items()} | {"london inner": "E13000001",
                                                                 "london outer": "E13000002"}
    la_keys = {a.key for a in ees.areas.values() if a.level == "la" and "/" not in a.key}
    la_keys |= {k for k in lait_names if k.isdigit()}
    authorities = []
    for code in sorted(la_keys, key=int):
        area = ees.areas.get(code)
        names = set(ees.names.get(code, set())) | lait_names.get(code, set()) | sn_names.get(code, set())
        ons = sorted(ees.ons.get(code, {}).items(), key=lambda kv: (-kv[1], kv[0]))
        name = area.name if area else sorted(lait_names[code])[0]
        region = area.region if area else region_by_name.get(fold(lait_regions.get(code, "")), "")
        authorities.append({"code": code, "name": name, "ons": [o for o, _ in ons], "region": region,
                            "current": code in current, "aliases": sorted(names - {name})})
    notes.append(f"{sum(a['current'] for a in authorities)} current authorities, "
                 f"{sum(not a['current'] for a in authorities)} former")

    by_ons = {o.lower(): a["code"] for a in authorities for o in a["ons"]}
    by_name: dict[str, str] = {}
    for a in sorted(authorities, key=lambda a: a["current"]):
        for n in (a["name"], *a["aliases"]):
            for form in name_forms(n):
                by_name[form] = a["code"]
    ilacs, unmatched = read_ilacs(source / "ofsted" / "la_ilacs_history_2018-2025.csv", by_ons, by_name)
    if unmatched:
        raise SystemExit("ILACS rows for unknown authorities: " + ", ".join(sorted(set(unmatched))))
    for code, rows in ilacs.items():
        record = next(a for a in authorities if a["code"] == code)
        names = [r.pop("name") for r in rows]
        record["ofsted_name"] = names[-1]  # as Ofsted wrote it in the latest report
        record["aliases"] = sorted((set(record["aliases"]) | set(names)) - {record["name"]})

    areas = _area_order({a for years in values.values() for column in years.values() for a in column})
    publications = {}
    for pid, pub in config.publications.items():
        years = sorted({y for m in config.measures if m.publication == pid for y in values.get(m.indicator, {})})
        publications[pid] = {"name": pub.name, "publisher": pub.publisher, "url": pub.url, "basis": pub.basis,
                             "release_month": pub.release_month,
                             "released": {str(y): released(pub, y) for y in years}}
    measures = {m.indicator: {"publication": m.publication, "basis": config.basis(m.indicator),
                              "measure": m.measure, "unit": catalogue.get(m.indicator).unit}
                for m in config.measures}
    inputs = [*ees_files, lait_path, *(source / "neighbours" / m.file for m in config.neighbour_models),
              source / "ofsted" / "la_ilacs_history_2018-2025.csv"]
    data = {
        "schema": SCHEMA,
        "licence": LICENCE,
        "built_by": "tools/build_official_data.py from rules/official_measures.yaml",
        "inputs": {str(p.relative_to(source)): hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs},
        "publications": publications,
        "measures": measures,
        "areas": areas,
        "values": {ind: {str(y): [_plain(column.get(a)) for a in areas] for y, column in sorted(years.items())}
                   for ind, years in values.items()},
        "origin": {ind: {str(y): label for y, label in sorted(years.items())} for ind, years in origin.items()},
        "authorities": authorities,
        "regions": regions,
        "neighbours": models,
        "ilacs": ilacs,
    }
    return data, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="the open-data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the dataset")
    parser.add_argument("--check", action="store_true", help="exit 1 if the built dataset differs from --out")
    args = parser.parse_args(argv)
    if not (args.source / "ees").is_dir():
        print(f"error: {args.source} has no ees/ folder; give the open-data folder", file=sys.stderr)
        return 2
    try:
        data, notes = build(args.source)
    except DrafterError as exc:
        print(exc.render(), file=sys.stderr)
        return 2
    payload = dump_json(data)
    for note in notes:
        print(note)
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == payload
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from a fresh build'}")
        return 0 if same else 1
    from drafter.files import write_atomic

    write_atomic(args.out, payload)
    print(f"wrote {args.out} ({len(payload):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
