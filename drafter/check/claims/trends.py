"""Trends: the movements a sentence reports ("continued to reduce"), what each applies to, and its judged trend."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from drafter.check.claims.levels import SUBJECT_AFTER, SUBJECT_BEFORE
from drafter.check.claims.model import Movement, Signal, Trend, sign_of

if TYPE_CHECKING:
    from drafter.check.claims.reader import Reader

_DETERMINERS = ("the", "a", "an", "its", "their", "his", "her", "our", "these", "those", "this")


def read_movements(r: Reader, signals: list[Signal], movers: list[Signal]) -> list[Movement]:
    """Return the movements (trend words) of the sentence, each judged where its subject allows."""
    starts = [s.match.start for s in signals]
    continuing = [m for m in r.polar if m.kind == "continuing"]
    continuing_before = {m.end: m.start for m in continuing}
    is_ongoing = _ongoing(r, continuing)
    out: list[Movement] = []
    for mv in movers:
        if mv.absorbed:
            continue
        m = mv.match
        ongoing = is_ongoing(m.start, mv.clause)
        subject, better = None, None
        trend: str | None = None
        direction = {"more": "up", "fewer": "down", "progress_subjects": "improve"}.get(mv.kind, mv.kind)
        if direction in ("improve", "worsen"):
            trend = "improving" if direction == "improve" else "worsening"
        else:
            judged, subject, better = _applies_to(r, signals, starts, mv)
            if judged:
                good = (direction == "down") == (judged < 0)
                mv.sign = 1 if good else -1
                trend = "improving" if good else "worsening"
            elif better in ("lower", "higher"):
                good = (direction == "down") == (better == "lower")
                mv.sign = 1 if good else -1
                trend = "improving" if good else "worsening"
        if mv.negated and trend is not None:
            trend = "stable"
        elif ongoing and trend == "improving":
            trend = "continuing_improvement"
        elif ongoing and trend == "worsening":
            trend = "continuing_decline"
        start = continuing_before.get(m.start, m.start)
        out.append(
            Movement(
                word=r.words(start, m.end),
                direction=direction,  # type: ignore[arg-type]
                continuing=ongoing,
                negated=mv.negated,
                subject=subject,
                better=better,
                trend=trend,  # type: ignore[arg-type]
                start=r.starts[start],
                end=r.ends[m.end - 1],
            )
        )
    return out


def _ongoing(r: Reader, continuing: list):
    """Return a test (token, clause) -> whether a continuing word ends just before the token ("continued
    to reduce") or the clause says "consecutive"/"successive"."""
    ends = {c.end: c.start for c in continuing}
    whole = {r.clause_of(c.start) for c in continuing if r.norms[c.start] in ("consecutive", "successive")}

    def test(at: int, clause: int) -> bool:
        if clause in whole:
            return True
        a, b, _ = r.clauses[clause]
        return any(e in ends and a <= ends[e] < b for e in range(at - 2, at + 1))

    return test


def _applies_to(r: Reader, signals: list[Signal], starts: list[int], mv: Signal) -> tuple[int, str | None, str | None]:
    """Return (judgement moved, subject words, better direction) for a movement.

    "fewer"/"more" apply to what follows up to a comma or bound word ("fewer children experience
    drift"); verbs apply to the nearest judgement or better-direction subject before them in their
    stretch of the clause ("delays have reduced"), else just after ("reduced caseloads"). A judgement
    they apply to is absorbed: its weight moves to the movement.
    """
    m = mv.match
    judged_kinds = ("positive", "negative", "level", "critical")
    if mv.kind in ("more", "fewer"):
        stop = min(r.stop_after(m.end), m.end + SUBJECT_AFTER)
        inside = [s for s in signals[bisect_left(starts, m.end) : bisect_left(starts, stop)]
                  if not s.absorbed and s.kind in judged_kinds]
        if inside:
            total = sum(-s.sign if s.negated else s.sign for s in inside)
            for s in inside:
                s.absorbed = True
            first = inside[0].match
            return sign_of(total), r.words(first.start, first.end), None
        sub = next((x for x in r.subjects_between(m.end, stop) if x.kind == "subject"), None)
        if sub is not None:
            return 0, r.words(sub.start, sub.end), sub.value
        return 0, None, None
    lo = max(r.start_before(m.start), m.start - SUBJECT_BEFORE)
    hi = min(r.stop_after(m.end), m.end + SUBJECT_AFTER)
    cands: list[tuple[int, int, object]] = []
    for s in signals[bisect_left(starts, lo) : bisect_left(starts, hi)]:
        if s is not mv and not s.absorbed and s.kind in ("positive", "negative"):
            cands.append((s.match.start, s.match.end, s))
    for x in r.subjects_between(lo, hi):
        if x.kind == "subject":
            cands.append((x.start, x.end, x))
    before = [c for c in cands if c[1] <= m.start]
    pronoun_object = m.end < len(r.norms) and r.norms[m.end] in ("them", "it", "this", "these", "those")
    after = [] if pronoun_object else [c for c in cands if c[0] >= m.end]
    # A verb with its object right after it ("reducing the numbers of ...", "reduced caseloads")
    # applies to the object; otherwise to its subject ("delays have reduced").
    obj = [c for c in after if c[0] - m.end <= 1 or (c[0] - m.end == 2 and r.norms[m.end] in _DETERMINERS)]
    if obj:
        pick = min(obj, key=lambda c: c[0])
        if isinstance(pick[2], Signal):  # "reduced and manageable workloads": the noun, not its adjective
            noun = [c for c in after if not isinstance(c[2], Signal) and 0 <= c[0] - pick[1] <= 1]
            if noun:
                pick = noun[0]
    elif before:
        pick = max(before, key=lambda c: c[1])
    else:
        pick = min(after, key=lambda c: c[0]) if after else None
    if pick is None:
        return 0, None, None
    target = pick[2]
    if isinstance(target, Signal):
        target.absorbed = True
        value = -target.sign if target.negated else target.sign
        return value, r.words(target.match.start, target.match.end), ("lower" if value < 0 else "higher")
    return 0, r.words(target.start, target.end), target.value  # type: ignore[union-attr]


def overall(movements: list[Movement], stable_at: list[int]) -> tuple[Trend | None, str | None, str | None, str | None]:
    """Return (trend, raw direction, trend word, its subject) for the sentence."""
    trend = next((mv.trend for mv in movements if mv.trend is not None), None)
    if trend is None and stable_at:
        trend = "stable"
    raw = next((mv for mv in movements if mv.direction in ("up", "down")), None)
    if raw is None:
        return trend, None, None, None
    return trend, raw.direction, raw.word, raw.subject
