"""Time a letter end to end against anchors measured in the same run, and print each as a ratio.

Run by hand: .venv/bin/python benchmarks/bench_letter.py [PACK] [--runs N] [--process-runs N] [--base DIR]

1. In one process, pack file to DOCX file (parse, rules, compose, Markdown, DOCX, atomic write), against
   the zip floor: the same letter's finished parts zipped with zipfile and written the way drafter writes
   (a temporary file, fsync, rename). The earlier code path (the locating YAML parser for the pack) is a
   second anchor. Medians of interleaved runs, wall and CPU.
2. Whole `drafter letter`, `briefing` and `check` processes, warm (a filled cache) and cold (an empty cache
   folder, a first run), against `python -c "import typer"`; bytecode is compiled first, as an install has.
   With --base DIR (a checkout of earlier code), the same processes run from it too, for before/after.
"""

from __future__ import annotations

import argparse
import compileall
import io
import itertools
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
REPORT = ROOT.parent / "shared" / "seed-docs" / "2020-01-ofsted-ilacs-inspection-report.txt"
CHECK_PACK = ROOT / "seeds" / "2019-ilacs-inspection.yaml"


def _write_like_drafter(path: Path, data: bytes) -> None:
    """Write as drafter.files.write_atomic does: a temporary file in the folder, fsync, rename."""
    tmp = path.with_name(f".{path.name}.bench.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def in_process(pack: Path, runs: int, folder: Path) -> dict[str, tuple[float, float]]:
    """Return median (wall, cpu) seconds for the zip floor, the letter, and the letter by the locating parser."""
    from drafter import yamlsrc
    from drafter.drafting import draft_letter_from_pack
    from drafter.files import write_atomic
    from drafter.rules.loader import load_rules

    load_rules()  # in one process: the rules load once, as in a batch worker
    out = folder / "letter.docx"
    docx = draft_letter_from_pack(pack).to_bytes("docx")
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]

    def zip_floor() -> None:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in parts:
                z.writestr(info, data)
        _write_like_drafter(folder / "floor.docx", buf.getvalue())

    def letter() -> None:
        write_atomic(out, draft_letter_from_pack(pack).to_bytes("docx"))

    def locating() -> None:
        yamlsrc.FAST = False
        try:
            write_atomic(out, draft_letter_from_pack(pack).to_bytes("docx"))
        finally:
            yamlsrc.FAST = True

    samples: dict[str, list[tuple[float, float]]] = {"zip floor": [], "letter": [], "locating parser": []}
    for _ in range(runs):  # interleaved, so the machine's load falls on all three alike
        for name, fn in (("zip floor", zip_floor), ("letter", letter), ("locating parser", locating)):
            samples[name].append(_timed(fn))
    assert out.read_bytes() == docx, "the letter must be byte-identical run after run"
    return {name: (statistics.median(s[0] for s in values), statistics.median(s[1] for s in values))
            for name, values in samples.items()}


def _run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Return (wall, cpu) seconds of one process (CPU: user + system of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr.decode()[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def whole_process(pack: Path, runs: int, folder: Path, base: Path | None) -> dict[str, tuple[float, float]]:
    """Return median (wall, cpu) seconds per process kind, runs interleaved."""
    python = sys.executable
    trees = {"": ROOT} | ({"earlier ": base} if base else {})
    for tree in trees.values():
        compileall.compile_dir(str(tree / "drafter"), quiet=1)
    draft = REPORT if REPORT.exists() else None
    kinds: dict[str, tuple[list[str], str, Path]] = {"import typer": ([python, "-c", "import typer"], "", ROOT)}
    for label, tree in trees.items():
        cli = [python, "-m", "drafter.cli"]
        commands = {"letter": [*cli, "letter", str(pack), "-o", str(folder / "l.docx")],
                    "briefing": [*cli, "briefing", str(pack), "-o", str(folder / "b.docx")]}
        if draft is not None:
            commands["check"] = [*cli, "check", str(draft), "--evidence", str(CHECK_PACK)]
        for name, command in commands.items():
            for state in ("warm", "cold"):
                kinds[f"{label}{name} {state}"] = (command, state, tree)
    caches = {label: folder / f"cache-{i}" for i, label in enumerate(trees)}
    samples: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
    for kind, (command, state, tree) in kinds.items():  # fill the warm caches first
        if state == "warm":
            label = "earlier " if kind.startswith("earlier ") else ""
            _run(command, {**os.environ, "PYTHONPATH": str(tree), "DRAFTER_CACHE": str(caches[label])}, folder)
    fresh = itertools.count()
    for _ in range(runs):
        for kind, (command, state, tree) in kinds.items():
            label = "earlier " if kind.startswith("earlier ") else ""
            cache = caches[label] if state == "warm" else folder / f"empty-{next(fresh)}"
            env = {**os.environ, "PYTHONPATH": str(tree), "DRAFTER_CACHE": str(cache)}
            samples[kind].append(_run(command, env, folder))
    return {k: (statistics.median(s[0] for s in v), statistics.median(s[1] for s in v)) for k, v in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pack", nargs="?", type=Path, default=PACK)
    parser.add_argument("--runs", type=int, default=30, help="in-process runs of each (default 30)")
    parser.add_argument("--process-runs", type=int, default=7, help="runs of each process kind (default 7)")
    parser.add_argument("--base", type=Path, help="a checkout of earlier code, timed alongside")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inner = in_process(args.pack, args.runs, folder)
        floor = inner["zip floor"]
        print(f"\nIn one process, {args.pack.name} to DOCX file (median of {args.runs} interleaved runs):")
        for name, (wall, cpu) in inner.items():
            print(f"  {name:16s} {wall * 1000:7.1f} ms wall {cpu * 1000:7.1f} ms CPU   "
                  f"{wall / floor[0]:5.1f}x the zip floor (CPU {cpu / max(floor[1], 1e-9):5.1f}x)")
        print(f"  letter vs the locating parser: {inner['letter'][0] / inner['locating parser'][0]:.2f}x")
        outer = whole_process(args.pack, args.process_runs, folder, args.base)
        typer_wall, typer_cpu = outer["import typer"]
        print(f"\nWhole processes (median of {args.process_runs} interleaved runs; cold = an empty cache folder):")
        for name, (wall, cpu) in outer.items():
            print(f"  {name:24s} {wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms CPU   "
                  f"{wall / typer_wall:5.2f}x import typer (CPU {cpu / typer_cpu:5.2f}x)")
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
