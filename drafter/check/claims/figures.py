"""Figures: numbers as stated ("17%", "9 of 12 children", "a quarter of audits") with their units and nouns."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter.check.claims.model import Figure
from drafter.check.claims.quantifiers import noun_after

if TYPE_CHECKING:
    from drafter.check.claims.reader import Reader


def read_figures(r: Reader) -> list[Figure]:
    """Return the figures the sentence states, in order."""
    cues = r.cues
    norms, starts, ends = r.norms, r.starts, r.ends
    by_first, starters = cues.fraction_starts, cues.figure_starters
    if not any(w[0].isdigit() or w in starters for w in norms):
        return []
    countables = {m.start: m for m in r.countables if m.kind != "follower"}
    out: list[Figure] = []
    used: set[int] = set()
    n = len(norms)

    def value_at(i: int) -> float | None:
        if i >= n:
            return None
        w = norms[i]
        if w[0].isdigit():
            return float(w.replace(",", ""))
        return float(cues.number_words[w]) if w in cues.number_words else None

    for i in [j for j, w in enumerate(norms) if w[0].isdigit() or w in starters]:
        w = norms[i]
        if i in used:
            continue
        fraction = _fraction_at(r, i, by_first)
        if fraction is not None:
            end, share = fraction
            out.append(
                Figure(r.words(i, end), share, "fraction", None, noun_after(r, _skip_the(r, end + 1)),
                       starts[i], ends[end - 1])
            )
            used.update(range(i, end))
            continue
        value = value_at(i)
        if value is None:
            continue
        is_word = not w[0].isdigit()
        prev = norms[i - 1] if i > 0 else ""
        if prev in cues.not_after_number or prev in cues.months:
            continue
        nxt = norms[i + 1] if i + 1 < n else ""
        if nxt in cues.months or (nxt in ("and", "to") and i + 3 < n and norms[i + 3] in cues.months):
            continue
        if not is_word and len(w) == 4 and 1900 <= value <= 2100 and i + 1 not in countables:
            continue
        end = i + 1
        unit, denominator, noun = "number", None, None
        # "9 of 12 children", "nine of the 12", "9 out of 12", "one in four"
        if nxt in ("of", "in", "out"):
            k = i + 2
            if nxt == "out" and k < n and norms[k] == "of":
                k += 1
            if k < n and norms[k] == "the":
                k += 1
            denom = value_at(k)
            if denom is not None and denom >= value:
                denominator, unit, end = denom, "count", k + 1
                used.add(k)
        if denominator is None:
            m = countables.get(end)
            if m is None and end + 1 < n and norms[end] == "or" and norms[end + 1] in ("more", "fewer", "less"):
                m = countables.get(end + 2)
            if m is None and end < n and norms[end][0].isalpha():
                m = countables.get(end + 1)  # one word between: "three consecutive quarters"
            if nxt == "%" or (m is not None and m.kind == "unit" and m.value == "percent" and m.start == end):
                unit = "percent"
                end = end + 1 if nxt == "%" else m.end
                if end < n and norms[end] == "of":
                    noun = noun_after(r, _skip_the(r, end + 1))
            elif m is not None and m.kind == "unit":
                unit, end = m.value, m.end
            elif m is not None and m.kind == "population":
                unit, noun, end = "count", r.words(m.start, m.end), m.end
            elif is_word and not (prev in ("from", "to") or nxt in ("to", "from")):
                continue  # "one clear route": a number word is a figure only with a noun or unit
        else:
            m = countables.get(end)
            if m is not None and m.kind == "population":
                noun, end = r.words(m.start, m.end), m.end
        out.append(Figure(r.words(i, end), value, unit, denominator, noun, starts[i], ends[end - 1]))
    return out

def _fraction_at(r: Reader, i: int, by_first: dict[str, list[tuple[list[str], float]]]) -> tuple[int, float] | None:
    """Return (end, share) for a fraction in words followed by "of" at token i ("a quarter of")."""
    norms = r.norms
    if i > 0 and norms[i - 1] in ("than", "and"):
        return None
    for parts, share in by_first.get(norms[i], ()):
        end = i + len(parts)
        if norms[i:end] == parts and end < len(norms) and norms[end] == "of":
            return end, share
    return None

def _skip_the(r: Reader, at: int) -> int:
    return at + 1 if at < len(r.norms) and r.norms[at] in ("the", "these", "those", "their") else at
