"""Time `drafter check` on the 36,000-character inspection report in ../shared/seed-docs and print it.

Run by hand: .venv/bin/python benchmarks/bench_check.py [REPORT] [--runs N]
Measures the whole command in a fresh process (imports included), and the check itself in-process.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT.parent / "shared" / "seed-docs" / "2020-01-ofsted-ilacs-inspection-report.txt"
PACK = ROOT / "seeds" / "2019-ilacs-inspection.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", nargs="?", type=Path, default=REPORT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not args.report.exists():
        print(f"no report at {args.report}", file=sys.stderr)
        return 2
    command = [str(ROOT / ".venv" / "bin" / "drafter"), "check", str(args.report), "--evidence", str(PACK)]
    walls = []
    for _ in range(args.runs):
        started = time.perf_counter()
        proc = subprocess.run(command, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
    from drafter.check.compare import check_draft
    from drafter.check.read import read_draft
    from drafter.pipeline import assess_pack

    assessment = assess_pack(PACK)
    inner = []
    for _ in range(args.runs):
        started = time.perf_counter()
        result = check_draft(read_draft(args.report), assessment)
        inner.append(time.perf_counter() - started)
    print(f"report: {args.report.name} ({len(args.report.read_text()):,} characters)")
    print(f"claims read: {len(result.claims)}; diagnostics: {len(result.diagnostics)}; exit status {proc.returncode}")
    print(f"whole command (fresh process, imports and pack included): median {statistics.median(walls):.2f} s, "
          f"best {min(walls):.2f} s over {args.runs} runs")
    print(f"check alone (read, split, claims, compare): median {statistics.median(inner):.3f} s, "
          f"best {min(inner):.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
