"""Topics: what a sentence and each of its clauses is about, by the vocabulary's terms (and related words)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drafter.check.claims.reader import Reader


def read_topics(r: Reader) -> tuple[tuple[str, ...], list[list[str]]]:
    """Return the sentence's topics in order of first mention, and each clause's own topics."""
    found: list[tuple[int, str]] = []
    for m in r.scans["topics"]:
        for topic in m.value:
            found.append((m.start, topic))
    for m in r.polar:
        if m.kind in ("positive", "negative") and m.value:
            found.append((m.start, m.value))
    if not found:  # no topic named by a term: words that only suggest one
        for m in r.scans["related"]:
            for topic in m.value:
                found.append((m.start, topic))
    found.sort(key=lambda x: x[0])
    per_clause: list[list[str]] = [[] for _ in r.clauses]
    for tok, topic in found:
        ids = per_clause[r.clause_of(tok)]
        if topic not in ids:
            ids.append(topic)
    return tuple(dict.fromkeys(t for _, t in found)), per_clause
