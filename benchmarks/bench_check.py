"""Time `drafter check` on the 36,000-character inspection report in ../shared/seed-docs and print it.

Run by hand: .venv/bin/python benchmarks/bench_check.py [REPORT] [--runs N]
Measures the whole command in a fresh process (imports included), and the check itself in-process
against an anchor measured in the same run: 200 compiled regular expressions of the kind the checker
would otherwise use (the topic terms of rules/topics.yaml, each a case-insensitive whole-word
pattern), each `finditer` over the whole text. The check should take at most half the anchor's time
(ratio <= 0.5). Runs alternate (anchor, check, anchor, ...) so that a busy machine slows both alike.
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
    parser.add_argument("--runs", type=int, default=9)
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
    text = args.report.read_text(encoding="utf-8")
    patterns = anchor_patterns()
    check_draft(read_draft(args.report), assessment)  # warm: vocabulary, catalogue and parse caches
    inner, anchor, inner_cpu, anchor_cpu = [], [], [], []
    for _ in range(args.runs):
        started, cpu = time.perf_counter(), time.process_time()
        hits = sum(1 for p in patterns for _m in p.finditer(text))
        anchor.append(time.perf_counter() - started)
        anchor_cpu.append(time.process_time() - cpu)
        started, cpu = time.perf_counter(), time.process_time()
        result = check_draft(read_draft(args.report), assessment)
        inner.append(time.perf_counter() - started)
        inner_cpu.append(time.process_time() - cpu)
    print(f"report: {args.report.name} ({len(args.report.read_text()):,} characters)")
    print(f"claims read: {len(result.claims)}; diagnostics: {len(result.diagnostics)}; exit status {proc.returncode}")
    print(f"whole command (fresh process, imports and pack included): median {statistics.median(walls):.2f} s, "
          f"best {min(walls):.2f} s over {args.runs} runs")
    print(f"check alone (read, split, claims, compare): median {statistics.median(inner):.3f} s, "
          f"best {min(inner):.3f} s")
    print(f"anchor ({len(patterns)} compiled regexes, each finditer over the text, {hits} hits): "
          f"median {statistics.median(anchor):.3f} s, best {min(anchor):.3f} s")
    ratio = statistics.median(inner) / statistics.median(anchor)
    print(f"ratio check / anchor: {ratio:.2f} of medians, {min(inner) / min(anchor):.2f} of bests (target <= 0.50); "
          f"in CPU time {statistics.median(inner_cpu) / statistics.median(anchor_cpu):.2f} of medians")
    return 0


def anchor_patterns() -> list:
    """Return 200 compiled patterns: the topic terms as case-insensitive whole-word regexes (repeated
    in order when there are fewer than 200 terms)."""
    import re

    from drafter.vocab.topics import load_vocabulary

    terms = [t for topic in load_vocabulary().topics.values() for t in topic.terms]
    chosen = (terms * (200 // max(len(terms), 1) + 1))[:200]
    return [re.compile(r"(?<![\w-])" + re.escape(t) + r"(?![\w-])", re.IGNORECASE) for t in chosen]


if __name__ == "__main__":
    sys.exit(main())
