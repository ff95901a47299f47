"""Quantifiers: the first proportion word of a sentence ("most", "a small number of"), its share and what it counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drafter.check.claims.reader import Reader


def read_quantifier(r: Reader) -> tuple[str | None, tuple[float, float] | None, str | None]:
    """Return (normal form, (min, max) share or None, noun counted or None) for the first quantifier."""
    cues = r.cues
    starts = {m.start: m for m in r.countables}
    for m in r.scans["quantifiers"]:
        if m.kind != "quantifier":
            continue
        wording = " ".join(r.norms[m.start : m.end])
        noun_match = starts.get(m.end) or starts.get(m.end + 1)
        if wording in cues.need_population and noun_match is None:
            continue
        normal = m.value
        share = cues.shares.get(normal) or cues.shares.get(wording)
        noun = None
        if noun_match is not None and noun_match.kind == "population":
            noun = r.words(noun_match.start, noun_match.end)
        elif noun_match is not None and noun_match.kind == "follower" and r.norms[noun_match.start] == "of":
            noun = noun_after(r, noun_match.end)
        return normal, share, noun
    return None, None, None


def noun_after(r: Reader, at: int) -> str | None:
    """Return the words from token `at` up to a noun stop (at most five), or None."""
    stops = r.cues.noun_stops
    end = at
    while end < len(r.norms) and end - at < 5:
        w = r.norms[end]
        if w in stops or not w[0].isalpha():
            break
        end += 1
    return r.words(at, end) or None
