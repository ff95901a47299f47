"""Draft many packs in parallel processes; a bad pack is reported and skipped, never fatal."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

WHAT = ("letter", "briefing")


@dataclass(frozen=True)
class OfficialPack:
    """An authority's official pack at a date, built in the worker from the bundled statistics."""

    code: str  # LA number
    name: str
    as_of: str  # ISO date

    def __str__(self) -> str:
        return f"{self.name} (LA {self.code}, official statistics at {self.as_of})"

    @property
    def stem(self) -> str:
        """Return the file-name stem of its documents: '806-middlesbrough'."""
        slug = "".join(c if c.isalnum() else "-" for c in self.name.lower()).strip("-")
        return f"{self.code}-{'-'.join(p for p in slug.split('-') if p)}"


@dataclass(frozen=True)
class PackResult:
    """What happened to one pack: the files written, or the error that stopped it."""

    pack: str
    written: tuple[str, ...] = ()
    error: str = ""
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds the drafting process spent on this pack

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class BatchSummary:
    results: list[PackResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[PackResult]:
        return [r for r in self.results if not r.ok]

    def line(self) -> str:
        """Return 'drafted 149, failed 1, 31.2 s (0.21 s per pack)'."""
        n = len(self.results)
        per = self.seconds / n if n else 0.0
        return (f"drafted {n - len(self.failed)}, failed {len(self.failed)}, {self.seconds:.1f} s "
                f"({per:.2f} s per pack)")


def output_stems(packs: list) -> dict:
    """Return a distinct file-name stem per pack (the parent folder is added when stems collide)."""
    stems: dict = {}
    taken: dict[str, int] = {}
    for pack in packs:
        if isinstance(pack, OfficialPack):
            stems[pack] = pack.stem
            taken[pack.stem] = 0
            continue
        stem = pack.stem if pack.suffix else pack.name
        if stem in taken:
            stem = f"{pack.parent.name}-{stem}"
            while stem in taken:
                taken[stem] = taken.get(stem, 0) + 1
                stem = f"{stem}-{taken[stem]}"
        taken[stem] = 0
        stems[pack] = stem
    return stems


def draft_one(pack: str | OfficialPack, out_dir: str, stem: str, what: tuple[str, ...]) -> PackResult:
    """Return the result of drafting one pack (a file, or an authority's official pack built here);
    errors become a message, never an exception."""
    from drafter.drafting import draft_briefing, draft_letter
    from drafter.errors import DrafterError
    from drafter.files import write_atomic
    from drafter.pipeline import assess, assess_pack
    from drafter.sandbox import reset_total

    reset_total()  # each pack has the whole time budget for rules and templates, as one command would
    started, cpu = time.perf_counter(), time.process_time()
    written: list[str] = []
    error = ""
    try:
        if isinstance(pack, OfficialPack):
            import datetime as dt

            from drafter.official.packs import official_evidence

            assessment = assess(official_evidence(pack.code, dt.date.fromisoformat(pack.as_of)))
        else:
            assessment = assess_pack(pack)
        for kind in what:
            draft = draft_letter(assessment) if kind == "letter" else draft_briefing(assessment)
            target = Path(out_dir) / f"{stem}-{kind}.docx"
            write_atomic(target, draft.to_bytes("docx"))
            written.append(str(target))
    except DrafterError as exc:
        error = exc.render()
    except Exception as exc:  # a bug must not stop the other packs; report it with its type
        error = f"internal error: {type(exc).__name__}: {exc}"
    return PackResult(str(pack), tuple(written), error, time.perf_counter() - started, time.process_time() - cpu)


def _die_with_parent(parent: int) -> None:
    """Make this worker end when the batch process ends, however it ends (kill -9 included).

    On Linux the kernel sends SIGTERM when the parent dies (prctl PR_SET_PDEATHSIG); elsewhere, and
    should the parent have died before that was set, a watchdog thread notices the parent is gone.
    SIGTERM exits through Python, so a file being written has its temporary file removed.
    """
    import signal
    import sys
    import threading

    def stop(*_: object) -> None:
        from drafter.files import remove_temporaries

        remove_temporaries()
        os._exit(143)  # at once and quietly: no traceback from wherever the worker was

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops the workers
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(143)
            time.sleep(0.5)

    threading.Thread(target=watch, daemon=True, name="drafter-parent-watchdog").start()
    if os.getppid() != parent:
        os._exit(143)


def _warm_up(parent: int | None = None) -> None:
    """Tie the worker to its parent, then load rules and chart fonts once per worker process, not once per pack."""
    if parent is not None:
        _die_with_parent(parent)
    from drafter.rules.loader import load_rules

    try:
        load_rules()
        import drafter.charts  # noqa: F401
        from drafter.official.dataset import load_dataset

        load_dataset()
    except Exception:  # noqa: BLE001 - a bad rulebook is reported per pack by draft_one
        pass


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now: cancel what has not started and terminate what is running."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        try:
            process.terminate()
        except (OSError, AttributeError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)


def _remove_partial(out_dir: Path, names: Iterable[str]) -> None:
    """Remove temporary files a stopped worker may have left for `names` in out_dir."""
    for name in names:
        for tmp in out_dir.glob(f".{name[:100]}.*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass


def _task(pack):
    return pack if isinstance(pack, OfficialPack) else str(pack)


def run_batch(packs: Iterable[Path | OfficialPack], out_dir: Path, what: tuple[str, ...], jobs: int | None = None,
              on_result: Callable[[PackResult, int, int], None] | None = None) -> BatchSummary:
    """Draft every pack into out_dir with `jobs` processes; call on_result(result, done, total) as each ends."""
    packs = list(packs)
    stems = output_stems(packs)
    summary = BatchSummary()
    started = time.perf_counter()
    jobs = max(1, jobs or os.cpu_count() or 1)
    if jobs == 1 or len(packs) == 1:
        for i, pack in enumerate(packs, 1):
            result = draft_one(_task(pack), str(out_dir), stems[pack], what)
            summary.results.append(result)
            if on_result:
                on_result(result, i, len(packs))
    else:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_warm_up, initargs=(os.getpid(),))
        try:
            pending = {pool.submit(draft_one, _task(p), str(out_dir), stems[p], what) for p in packs}
            done_count = 0
            while pending:  # short waits, so that Ctrl-C is handled at once rather than when a pack ends
                done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                for future in done:
                    done_count += 1
                    result = future.result()
                    summary.results.append(result)
                    if on_result:
                        on_result(result, done_count, len(packs))
        except BaseException as exc:  # Ctrl-C, or a worker killed from outside: stop at once, leave nothing partial
            _stop_pool(pool)
            _remove_partial(Path(out_dir), [f"{stems[p]}-{kind}.docx" for p in packs for kind in what])
            if isinstance(exc, BrokenProcessPool):
                from drafter.errors import DrafterError, Problem

                raise DrafterError(Problem("a drafting process stopped unexpectedly (killed, or out of memory)",
                                           path=str(out_dir), found=str(exc)[:200],
                                           hint="run again with --jobs 1 to see which pack causes it")) from None
            raise
        pool.shutdown(wait=True)
    summary.results.sort(key=lambda r: r.pack)
    summary.seconds = time.perf_counter() - started
    return summary
