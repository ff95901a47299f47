"""Time chart drawing over the seed packs: ms per chart (by chart id) and per pack.

Run by hand (`make bench` or `.venv/bin/python benchmarks/bench_charts.py [ROUNDS]`); not run by the tests.
Reports wall-clock and CPU time (CPU time is steadier on a shared machine). The first pack drawn in a
process also pays for loading fonts, so it is timed separately as a cold run.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.charts import draw_charts, load_chartbook  # noqa: E402
from drafter.evidence.load import load_pack  # noqa: E402


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def _line(label: str, walls: list[float], cpus: list[float], suffix: str = "") -> str:
    return (
        f"  {label:40s} wall {statistics.median(walls):6.1f} ms (min {min(walls):6.1f})"
        f"   cpu {statistics.median(cpus):6.1f} ms (min {min(cpus):6.1f}){suffix}"
    )


def main(rounds: int = 5) -> None:
    seeds = sorted((ROOT / "seeds").glob("*.yaml"))
    packs = [(path.name, load_pack(path)) for path in seeds]
    book = load_chartbook()

    cold, wall, cpu = _timed(lambda: draw_charts(packs[0][1], book=book))
    print(f"cold first pack ({packs[0][0]}, fonts loading): wall {wall:.0f} ms, cpu {cpu:.0f} ms, {len(cold)} charts")

    # Per chart: each chart drawn alone, by giving draw_charts a one-chart rulebook.
    per_chart: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    singles = {spec.id: book.model_copy(update={"charts": [spec]}) for spec in book.charts}
    for _ in range(rounds):
        for _, evidence in packs:
            for chart_id, one in singles.items():
                drawn, wall, cpu = _timed(lambda e=evidence, b=one: draw_charts(e, book=b))
                if len(drawn):
                    per_chart[chart_id][0].append(wall)
                    per_chart[chart_id][1].append(cpu)

    per_pack: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    counts: dict[str, int] = {}
    for _ in range(rounds):
        for name, evidence in packs:
            drawn, wall, cpu = _timed(lambda e=evidence: draw_charts(e, book=book))
            per_pack[name][0].append(wall)
            per_pack[name][1].append(cpu)
            counts[name] = len(drawn)

    print(f"\nper chart (median and min over {rounds} rounds x the packs that have it):")
    walls: list[float] = []
    cpus: list[float] = []
    for chart_id, (w, c) in per_chart.items():
        walls += w
        cpus += c
        print(_line(chart_id, w, c))
    print(_line("all charts", walls, cpus))
    print("\nper pack (median and min):")
    for name, (w, c) in per_pack.items():
        each = statistics.median(c) / max(counts[name], 1)
        print(_line(name, w, c, f"  {counts[name]} charts, {each:.0f} ms cpu/chart"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
