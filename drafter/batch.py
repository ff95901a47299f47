"""Draft many packs in parallel processes; a bad pack is reported and skipped, never fatal."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
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

    started = time.perf_counter()
    written: list[str] = []
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
        return PackResult(str(pack), tuple(written), exc.render(), time.perf_counter() - started)
    except Exception as exc:  # a bug must not stop the other packs; report it with its type
        return PackResult(str(pack), tuple(written), f"internal error: {type(exc).__name__}: {exc}",
                          time.perf_counter() - started)
    return PackResult(str(pack), tuple(written), "", time.perf_counter() - started)


def _warm_up() -> None:
    """Load rules and chart fonts once per worker process, not once per pack."""
    from drafter.rules.loader import load_rules

    load_rules()
    import drafter.charts  # noqa: F401
    from drafter.official.dataset import load_dataset

    load_dataset()


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
        with ProcessPoolExecutor(max_workers=jobs, initializer=_warm_up) as pool:
            futures = [pool.submit(draft_one, _task(p), str(out_dir), stems[p], what) for p in packs]
            for i, future in enumerate(as_completed(futures), 1):
                result = future.result()
                summary.results.append(result)
                if on_result:
                    on_result(result, i, len(packs))
    summary.results.sort(key=lambda r: r.pack)
    summary.seconds = time.perf_counter() - started
    return summary
