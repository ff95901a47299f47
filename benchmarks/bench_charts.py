"""Time chart drawing per chart and per briefing, against anchors measured in the same run.

Run by hand (`make bench` or `.venv/bin/python benchmarks/bench_charts.py [ROUNDS] [PACK...]`); not run by
the tests. Three ways of drawing the same series, interleaved round by round so that they see the same
machine load, each timed in CPU time (steadier on a shared machine) and wall-clock time:

- drafter: `drafter.charts.draw_charts`, as the briefing calls it;
- earlier: the charts module as it was before issue 14 (`git show EARLIER:drafter/charts.py`, run
  against today's rulebook and loaders), when git and that commit are at hand;
- naive: the series drawn the plain matplotlib way, `plt.subplots(); ax.plot(...);
  fig.savefig(buf, format="png")` (stacked `ax.bar` for audit grades), at the rulebook's size and dpi.

Per chart, each chart is drawn alone (a one-chart rulebook); per briefing, all of a pack's charts. The
ratios are of medians: drafter against earlier (how much cheaper it got) and against naive. The first
pack drawn in a process also pays for loading fonts: that is timed once, separately, as a cold start.
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import time
import types
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EARLIER = "e3430d1"  # the last commit before the chart work of issue 14

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from drafter.charts import draw_charts, load_chartbook  # noqa: E402
from drafter.evidence.load import load_pack  # noqa: E402


def _timed(fn) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, 1000 * (time.perf_counter() - wall), 1000 * (time.process_time() - cpu)


def earlier_module(rev: str = EARLIER):
    """Return drafter/charts.py as it was at `rev`, loaded as a module, or None (with the reason printed)."""
    try:
        source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:drafter/charts.py"], capture_output=True,
                                text=True, check=True, timeout=30).stdout
        module = types.ModuleType("drafter_charts_earlier")
        module.__file__ = f"{rev}:drafter/charts.py"
        sys.modules[module.__name__] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)
        module.load_chartbook()
        return module
    except Exception as exc:  # a benchmark anchor, not a product path: say why it is missing and go on
        print(f"earlier code path ({rev}) unavailable: {type(exc).__name__}: {str(exc).strip()[:200]}")
        return None


def naive_chart(spec, evidence, book) -> bytes:
    """Return the chart's series drawn the plain pyplot way, at the rulebook's size and resolution."""
    import matplotlib.pyplot as plt

    size = book.figure
    fig, ax = plt.subplots(figsize=(size.width_cm / 2.54, size.height_cm / 2.54), dpi=size.dpi)
    for entry in spec.series:
        series = evidence.get(entry.indicator)
        if series is None or not series.points:
            continue
        xs = [p.period.end.toordinal() for p in series.points]
        if spec.kind == "stacked_grades":
            bottom = [0.0] * len(xs)
            for grade in reversed(book.grades):
                counts = [float(p.value.get(grade.id, 0)) for p in series.points]
                ax.bar(range(len(xs)), counts, bottom=bottom, label=grade.label)
                bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
        else:
            ax.plot(xs, [float(p.value) for p in series.points], marker="o", label=entry.name)
    ax.set_title(spec.title)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def _line(label: str, times: dict[str, list[float]], anchors: list[str]) -> str:
    mine = statistics.median(times["drafter"])
    parts = [f"  {label:28s} drafter {mine:6.1f} ms"]
    for name in anchors:
        if times.get(name):
            other = statistics.median(times[name])
            parts.append(f"{name} {other:6.1f} ms ({other / mine:4.2f}x drafter)")
    return "   ".join(parts)


def main(rounds: int = 5, pack_paths: list[str] | None = None) -> None:
    paths = [Path(p) for p in pack_paths] if pack_paths else sorted((ROOT / "seeds").glob("*.yaml"))
    packs = [(path.name, load_pack(path)) for path in paths]
    book = load_chartbook()

    cold, wall, cpu = _timed(lambda: draw_charts(packs[0][1], book=book))
    print(f"cold first pack ({packs[0][0]}, fonts loading): wall {wall:.0f} ms, cpu {cpu:.0f} ms, {len(cold)} charts")

    earlier = earlier_module()
    earlier_book = earlier.load_chartbook() if earlier else None
    ways = {"drafter": lambda e, specs: draw_charts(e, book=book.model_copy(update={"charts": specs}))}
    if earlier:
        ways["earlier"] = lambda e, specs: earlier.draw_charts(
            e, book=earlier_book.model_copy(update={"charts": [earlier_book.get(s.id) for s in specs]}))
    ways["naive"] = lambda e, specs: [naive_chart(s, e, book) for s in specs if _has_data(s, e)]
    for way in ways.values():  # warm each way once before timing
        way(packs[0][1], book.charts)

    per_chart_cpu: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    per_chart_wall: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    per_pack_cpu: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[str, int] = {}
    names = list(ways)
    for r in range(rounds):
        for name, evidence in packs:
            for spec in book.charts:
                if not _has_data(spec, evidence):
                    continue
                for way in names[r % len(names):] + names[: r % len(names)]:
                    _, wall, cpu = _timed(lambda w=way, e=evidence, s=spec: ways[w](e, [s]))
                    per_chart_cpu[spec.id][way].append(cpu)
                    per_chart_wall[spec.id][way].append(wall)
            for way in names[r % len(names):] + names[: r % len(names)]:
                _, _, cpu = _timed(lambda w=way, e=evidence: ways[w](e, book.charts))
                per_pack_cpu[name][way].append(cpu)
            counts[name] = sum(_has_data(s, evidence) for s in book.charts)

    load = os.getloadavg()
    anchors = [n for n in names if n != "drafter"]
    print(f"\n{rounds} interleaved rounds over {len(packs)} packs; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print("per chart, CPU time (median over rounds x the packs that have it):")
    every: dict[str, list[float]] = defaultdict(list)
    for chart_id, times in per_chart_cpu.items():
        for way, values in times.items():
            every[way] += values
        print(_line(chart_id, times, anchors))
    print(_line("all charts", every, anchors))
    walls: dict[str, list[float]] = defaultdict(list)
    for times in per_chart_wall.values():
        for way, values in times.items():
            walls[way] += values
    print(_line("all charts, wall-clock", walls, anchors))
    print("per briefing (all of a pack's charts), CPU time:")
    for name, times in per_pack_cpu.items():
        print(_line(f"{name[:22]} ({counts[name]})", times, anchors))
    if "earlier" in every:
        ratio = statistics.median(every["earlier"]) / statistics.median(every["drafter"])
        print(f"drafter per chart is {ratio:.2f}x cheaper than the earlier code path (target: at least 2x)")


def _has_data(spec, evidence) -> bool:
    return any((s := evidence.get(e.indicator)) is not None and s.points for e in spec.series)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2:])
