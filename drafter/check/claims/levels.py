"""Levels ("turnover remains high") and comparisons with a benchmark ("above the England average")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.check.claims.model import Comparison, Signal
from drafter.vocab.cues import Match

if TYPE_CHECKING:
    from drafter.check.claims.reader import Reader

# How far (in tokens) a movement, level or comparison looks after itself for its subject, and back.
SUBJECT_AFTER = 6
SUBJECT_BEFORE = 40


def subject_near(r: Reader, start: int, end: int) -> Match | None:
    """Return the better-direction subject nearest before `start` in its stretch, else just after `end`."""
    lo = max(r.start_before(start), start - SUBJECT_BEFORE)
    hi = min(r.stop_after(end), end + SUBJECT_AFTER)
    subs = [m for m in r.subjects_between(lo, hi) if m.kind == "subject"]
    before = [m for m in subs if m.end <= start]
    if before:
        return max(before, key=lambda m: m.end)
    after = [m for m in subs if m.start >= end]
    return min(after, key=lambda m: m.start) if after else None


def read_comparisons(r: Reader, signals: list[Signal]) -> list[Comparison]:
    """Return the comparisons the sentence makes; add a signal for each one whose subject's better
    direction says whether it is good."""
    found = r.scans["comparisons"]
    out: list[Comparison] = []
    r.comparison_tokens = set()
    for i, rel in enumerate(found):
        if rel.kind != "relation":
            continue
        comparator = None
        for c in found[i + 1 : i + 5]:  # a comparator within three words of the relation
            if c.start - rel.end > 3:
                break
            if c.kind == "comparator":
                comparator = c
                break
        if comparator is None:
            continue
        r.comparison_tokens.update(range(rel.start, rel.end))
        subject = subject_near(r, rel.start, rel.end)
        better = subject.value if subject else None
        if rel.value != "in_line" and better in ("lower", "higher"):
            good = (rel.value == "below") == (better == "lower")
            signals.append(Signal(rel, 1 if good else -1, "comparison", r.clause_of(rel.start)))
        out.append(
            Comparison(
                relation=rel.value,
                comparator=comparator.value,
                subject=r.words(subject.start, subject.end) if subject else None,
                better=better,
                text=r.words(rel.start, comparator.end),
                start=r.starts[rel.start],
                end=r.ends[comparator.end - 1],
            )
        )
    return out


def read_levels(r: Reader, signals: list[Signal]) -> None:
    """Add a signal for each level word whose subject's better direction judges it ("caseloads are high")."""
    intensified = {s.match.end for s in signals if s.kind in ("critical", "approving")}
    for m in r.subjects:
        if m.kind != "level":
            continue
        if m.start in intensified:
            continue  # "too high" is already a criticism
        if m.start in r.comparison_tokens:
            continue
        subject = subject_near(r, m.start, m.end)
        if subject is None or subject.value not in ("lower", "higher"):
            continue
        good = (m.value == "low") == (subject.value == "lower")
        signals.append(Signal(m, 1 if good else -1, "level", r.clause_of(m.start)))
    signals.sort(key=lambda s: s.match.start)
