"""Time `drafter batch` over many packs (150 by default, one of them broken): wall time, and CPU time per pack.

Run by hand: .venv/bin/python benchmarks/bench_batch.py [N] [--jobs J] [--what letter,briefing] [--official DATE]
(--official: the national batch, `drafter batch --authorities all --as-of DATE`; the target is 15 s on 2 cores.)
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent


def make_packs(folder: Path, count: int) -> list[Path]:
    """Write `count` packs varied from the seeds (values nudged, authority renamed), one broken."""
    yaml = YAML()
    seeds = sorted((ROOT / "seeds").glob("*.yaml"))
    rng = random.Random(20221122)
    paths = []
    for i in range(count):
        data = yaml.load(seeds[i % len(seeds)].read_text())
        data["authority"] = f"Authority {i + 1:03d}"
        for entry in data.get("indicators", []):
            for period, value in list(entry["series"].items()):
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    nudged = value * rng.uniform(0.85, 1.15)
                    if "rate" in entry["id"] or entry["id"].endswith(("_days", "_1_day", "attendance", "timescale",
                                                                      "on_time", "review", "threshold", "changes",
                                                                      "stability", "moves", "plans", "years")):
                        nudged = min(nudged, 100.0)
                    entry["series"][period] = round(nudged, 1) if not isinstance(value, int) else int(round(nudged))
        path = folder / f"pack-{i + 1:03d}.yaml"
        with path.open("w") as fh:
            yaml.dump(data, fh)
        paths.append(path)
    broken = paths[count // 2]
    broken.write_text(broken.read_text().replace("as_of:", "as_of: not-a-date\nauthorty:", 1))
    return paths


_LINE = re.compile(r"^\[\d+/\d+\] (ok|FAILED) (.+) \(([\d.]+) s, ([\d.]+) s CPU\)$")


def report(proc: subprocess.CompletedProcess, elapsed: float, cpu: float, count: int, what: str) -> None:
    """Print the summary line, wall time, and CPU time per pack (from each pack's progress line)."""
    summary = [line for line in proc.stdout.splitlines() if line.startswith("drafted ")]
    print(summary[-1] if summary else proc.stderr[-2000:])
    per_pack = [float(m.group(4)) for m in map(_LINE.match, proc.stderr.splitlines()) if m and m.group(1) == "ok"]
    print(f"packs: {count}, what: {what}, exit status: {proc.returncode}")
    print(f"wall time: {elapsed:.1f} s, {elapsed / count * 1000:.0f} ms per pack; "
          f"CPU (all processes): {cpu:.1f} s, {cpu / count * 1000:.0f} ms per pack")
    if per_pack:
        per_pack.sort()
        print(f"CPU per pack drafted (in its worker): median {statistics.median(per_pack) * 1000:.0f} ms, "
              f"mean {statistics.mean(per_pack) * 1000:.0f} ms, "
              f"90th percentile {per_pack[int(len(per_pack) * 0.9)] * 1000:.0f} ms, "
              f"most {per_pack[-1] * 1000:.0f} ms; sum {sum(per_pack):.1f} s")


def run(command: list[str]) -> tuple[subprocess.CompletedProcess, float, float]:
    """Return the finished process, its wall time and the CPU time of it and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return proc, elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", nargs="?", type=int, default=150)
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--what", default="letter")
    parser.add_argument("--official", metavar="DATE", help="draft the 153 authorities' official packs at DATE "
                        "(`drafter batch --authorities all --as-of DATE`) instead of packs varied from the seeds")
    args = parser.parse_args()
    compileall.compile_dir(str(ROOT / "drafter"), quiet=1)  # bytecode, as an installed drafter has
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.official:
            sources = ["--authorities", "all", "--as-of", args.official]
        else:
            sources = [str(p) for p in make_packs(folder, args.count)]
        command = [str(ROOT / ".venv" / "bin" / "drafter"), "batch", *sources, "--out", str(folder / "out"),
                   "--what", args.what] + (["--jobs", str(args.jobs)] if args.jobs else [])
        proc, elapsed, cpu = run(command)
    count = len([line for line in proc.stderr.splitlines() if _LINE.match(line)]) or args.count
    report(proc, elapsed, cpu, count, args.what)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
