"""Time `drafter --help` and every subcommand's `--help` as whole processes, against anchors run alongside.

Run by hand (`make bench` or `.venv/bin/python benchmarks/bench_help.py [ROUNDS]`); not run by the tests.
Bytecode is compiled first (`compileall` over the project and its virtual environment), as a normal
install has it. Each round runs every command once, in a rotating order, so that the anchors
(`python -c pass` and `python -c "import typer"`) see the same machine load as drafter; the report
gives medians of wall-clock and CPU time (children's user + system) and the ratio of each median to
`import typer`'s. The targets (issue 14): under 100 ms wall, and within 1.3x of `import typer`.
The subcommands are discovered from the app, so new commands are timed without editing this file.
"""

from __future__ import annotations

import compileall
import os
import resource
import site
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 100.0
TARGET_RATIO = 1.3


def compile_bytecode() -> None:
    """Compile the project's and the environment's modules, as `pip install` does for a normal install."""
    places = {Path(p) for p in site.getsitepackages()} | {Path(sysconfig.get_paths()["purelib"]), ROOT / "drafter"}
    for place in sorted(places):
        if place.is_dir():
            compileall.compile_dir(str(place), quiet=2, workers=1)


def drafter_argv() -> list[str]:
    """Return how a user starts drafter: the installed console script beside this Python, else the module."""
    script = Path(sys.executable).parent / "drafter"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from drafter.cli import main; main()"]


def help_commands() -> list[tuple[str, ...]]:
    """Return the help invocations: the top level, then every command and group, found by walking the app."""
    import typer.main

    from drafter.cli import app

    found: list[tuple[str, ...]] = [()]

    def walk(group, prefix: tuple[str, ...]) -> None:
        for name in sorted(getattr(group, "commands", {})):
            sub = group.commands[name]
            if getattr(sub, "hidden", False):
                continue
            found.append((*prefix, name))
            walk(sub, (*prefix, name))

    walk(typer.main.get_command(app), ())
    return found


def _run(argv: list[str]) -> tuple[float, float]:
    """Run a process to completion; return (wall ms, CPU ms) for it alone."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_ENV, check=False)
    wall = 1000 * (time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.decode()[-400:]}")
    cpu = 1000 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return wall, cpu


_ENV = {**os.environ, "COLUMNS": "100"}
_ENV.pop("PYTHONDONTWRITEBYTECODE", None)


def main(rounds: int = 21) -> None:
    compile_bytecode()
    drafter = drafter_argv()
    runs: dict[str, list[str]] = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
    }
    for words in help_commands():
        runs[" ".join(("drafter", *words, "--help"))] = [*drafter, *words, "--help"]
    names = list(runs)
    for name in names:  # warm the page cache before anything is timed
        _run(runs[name])
    walls: dict[str, list[float]] = {n: [] for n in names}
    cpus: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[: r % len(names)]
        for name in order:
            wall, cpu = _run(runs[name])
            walls[name].append(wall)
            cpus[name].append(cpu)
    load = os.getloadavg()
    anchor_wall = statistics.median(walls["python -c 'import typer'"])
    anchor_cpu = statistics.median(cpus["python -c 'import typer'"])
    print(f"{rounds} interleaved rounds; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
          f"targets: wall < {TARGET_MS:.0f} ms and < {TARGET_RATIO}x import typer")
    print(f"  {'command':38s} {'wall ms':>8s} {'min':>6s} {'x typer':>8s} {'cpu ms':>8s} {'x typer':>8s}")
    worst = 0.0
    for name in names:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        ratio = wall / anchor_wall
        flag = ""
        if name.startswith("drafter"):
            worst = max(worst, ratio)
            flag = "" if wall < TARGET_MS and ratio <= TARGET_RATIO else "  <- over target"
        print(f"  {name:38s} {wall:8.1f} {min(walls[name]):6.1f} {ratio:8.2f} {cpu:8.1f} {cpu / anchor_cpu:8.2f}{flag}")
    print(f"worst drafter help: {worst:.2f}x import typer (wall medians)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 21)
