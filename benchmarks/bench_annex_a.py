"""Time an Annex A workbook becoming an evidence pack, against simply reading every cell with openpyxl.

Run by hand: .venv/bin/python benchmarks/bench_annex_a.py [--scale 1.0] [--repeat 3] [--clean]

Makes a seeded six-month Annex A for a medium authority (about 25,000 rows; every kind of
messiness on unless --clean), then times, best of --repeat:
  anchor     openpyxl read-only, every cell of every sheet (values only)
  calamine   python-calamine, every cell of every sheet
  pack       workbook -> pack in process (build_pack, --by window), calamine reader
  pack/opx   the same with the openpyxl reader
  cli        `drafter new-pack OUT --annex-a FILE --as-of DATE --by window` as a user runs it
and prints each time with its ratio to the anchor.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.make_annex_a import MESS, generate, write_workbook  # noqa: E402

AS_OF = dt.date(2024, 3, 31)


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(1 for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for _ in row)
    book.close()
    return cells


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    cells = sum(len(row) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python())
    book.close()
    return cells


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--clean", action="store_true", help="no messiness")
    args = parser.parse_args()
    from drafter.annex_a.build import build_pack

    with tempfile.TemporaryDirectory() as tmp:
        data = generate(seed=1, as_of=AS_OF, scale=args.scale)
        path = write_workbook(data, Path(tmp) / "annex-a.xlsx", set() if args.clean else set(MESS), seed=1)
        rows = sum(len(r) for r in data.lists.values())
        cells = read_openpyxl(path)
        print(f"workbook: {rows:,} rows, {cells:,} cells, {path.stat().st_size / 1e6:.1f} MB, "
              f"{'clean' if args.clean else 'messy'}")
        out = Path(tmp) / "pack.yaml"
        command = [str(ROOT / ".venv" / "bin" / "drafter"), "new-pack", str(out), "--annex-a", str(path), "--as-of",
                   AS_OF.isoformat(), "--by", "window", "--force"]
        timings = {
            "anchor": best(lambda: read_openpyxl(path), args.repeat),
            "calamine": best(lambda: read_calamine(path), args.repeat),
            "pack": best(lambda: build_pack(path, AS_OF, by="window", reader="calamine"), args.repeat),
            "pack/opx": best(lambda: build_pack(path, AS_OF, by="window", reader="openpyxl"), args.repeat),
            "cli": best(lambda: subprocess.run(command, check=True, capture_output=True), args.repeat),
        }
    anchor = timings["anchor"]
    labels = {
        "anchor": "openpyxl read-only, every cell (the anchor)",
        "calamine": "python-calamine, every cell",
        "pack": "workbook -> pack, calamine reader",
        "pack/opx": "workbook -> pack, openpyxl reader",
        "cli": "drafter new-pack --annex-a, whole command",
    }
    for key, seconds in timings.items():
        print(f"{labels[key]:<45} {seconds:6.2f} s  {seconds / anchor:5.2f} x anchor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
