"""Time loading the official dataset and resolving comparators, against anchors measured in the same run.

Run by hand: .venv/bin/python benchmarks/bench_official.py [--runs N]
Anchors: `json.loads` of a file of the same size (the floor for any JSON format), and reading the
source CSVs in ../shared/open-data with the csv module (what loading would cost without the build).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OPEN_DATA = ROOT.parent / "shared" / "open-data"


def timed(fn, runs: int) -> float:
    """Return the median seconds of `runs` calls."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    from drafter.official import dataset as ds
    from drafter.official.comparators import resolve
    from drafter.official.packs import official_evidence

    path = ds.bundled_path()
    raw = path.read_bytes()

    def load() -> None:
        ds._load.cache_clear()
        ds.load_dataset()

    load_s = timed(load, args.runs)
    anchor_s = timed(lambda: json.loads(raw), args.runs)
    print(f"dataset: {path.relative_to(ROOT)}, {len(raw):,} bytes on disk")
    print(f"load (read, parse, index): median {load_s * 1000:.2f} ms; json.loads of the same bytes "
          f"{anchor_s * 1000:.2f} ms; ratio {load_s / anchor_s:.2f}")
    if (OPEN_DATA / "ees").is_dir():
        sources = sorted((OPEN_DATA / "ees").glob("*.csv")) + [OPEN_DATA / "lait" / "bds_long_csc.csv"]

        def read_sources() -> None:
            for source in sources:
                with source.open(encoding="utf-8-sig", newline="") as fh:
                    for _row in csv.reader(fh):
                        pass

        csv_s = timed(read_sources, max(3, args.runs // 5))
        size = sum(p.stat().st_size for p in sources)
        print(f"anchor: reading the {len(sources)} source CSVs ({size:,} bytes) with csv: {csv_s * 1000:.0f} ms; "
              f"the dataset loads {csv_s / load_s:.0f} times faster")
    evidence = official_evidence("806", dt.date(2025, 6, 30))
    ids = [i for i in ds.load_dataset().measures if evidence.get(i)]

    def comparators() -> None:
        for indicator in ids:
            for group in ("england", "region", "statistical_neighbours"):
                resolve(evidence, indicator, group)

    per = timed(comparators, args.runs) / (3 * len(ids))
    print(f"one comparator (England, region or the neighbours' mean) for a value: {per * 1e6:.0f} µs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
