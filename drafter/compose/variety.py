"""Variety in a letter's wording: the six-word runs it has said, and paraphrases that avoid repeating them.

A reader notices a frame said twice ("in line with the England average", "a small minority of the
children's cases sampled") long before a repeated word. The realiser keeps every run of six words
the letter has said (paragraph by paragraph, as the letter metrics count them) and, among the
wordings a message may take, prefers the one that repeats fewest. Paraphrases are data
(`rules/planning.yaml` `paraphrases`): groups of wordings that a reader and the checker read alike.
"""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"[a-z0-9']+")
RUN = 6  # words: the letter metrics' measure of a repeated frame


def words_of(text: str) -> list[str]:
    """Return a text's words as the letter metrics count them: lower case, letters, digits, apostrophes."""
    return _WORD.findall(text.lower())


class Runs:
    """The six-word runs said so far; a paragraph break starts afresh (runs do not cross paragraphs)."""

    def __init__(self) -> None:
        self.said: Counter = Counter()
        self.tail: list[str] = []

    def _grams(self, text: str) -> list[tuple[str, ...]]:
        words = self.tail + words_of(text)
        first = max(len(self.tail) - RUN + 1, 0)  # runs that end inside the new text
        return [tuple(words[i:i + RUN]) for i in range(first, len(words) - RUN + 1)]

    def cost(self, text: str) -> int:
        """Return how many runs of `text`, said next, the letter would have said before (or twice in it)."""
        grams = self._grams(text)
        inside = Counter(grams)
        return sum(1 for g in grams if self.said[g]) + sum(n - 1 for n in inside.values() if n > 1)

    def add(self, text: str) -> None:
        """Record `text` as said, after what this paragraph said before it."""
        self.said.update(self._grams(text))
        self.tail = (self.tail + words_of(text))[-(RUN - 1):]

    def paragraph(self) -> None:
        """Start a new paragraph: the next text's runs do not join the last one's."""
        self.tail = []


class Paraphrases:
    """Groups of interchangeable wordings, compiled once: each occurrence may take another member."""

    def __init__(self, groups: list[list[str]]):
        self.groups = [list(g) for g in groups if len(g) > 1]
        members = [(m, gi, mi) for gi, g in enumerate(self.groups) for mi, m in enumerate(g)]
        members.sort(key=lambda x: -len(x[0]))
        self._members = {m.lower(): (gi, mi) for m, gi, mi in members}
        self._pattern = (re.compile(r"(?<![\w'-])(" + "|".join(re.escape(m) for m, _, _ in members) + r")(?![\w-])",
                                    re.IGNORECASE) if members else None)

    def variants(self, text: str, limit: int = 24) -> list[str]:
        """Return `text` first, then the same text with one or every paraphrased phrase in another wording."""
        if self._pattern is None:
            return [text]
        spans = [(m.start(), m.end(), *self._members[m.group(0).lower()]) for m in self._pattern.finditer(text)]
        if not spans:
            return [text]
        out = [text]
        width = max(len(self.groups[gi]) for _, _, gi, _ in spans)
        for step in range(1, width):
            choices = [[(mi + step) % len(self.groups[gi]) if j == k else mi for j, (_, _, gi, mi) in enumerate(spans)]
                       for k in range(len(spans))]
            choices.append([(mi + step) % len(self.groups[gi]) for _, _, gi, mi in spans])
            for choice in choices:
                out.append(self._rebuild(text, spans, choice))
        return list(dict.fromkeys(out))[:limit]

    def _rebuild(self, text: str, spans, choice: list[int]) -> str:
        parts, last = [], 0
        for (start, end, gi, _), mi in zip(spans, choice, strict=True):
            word = self.groups[gi][mi]
            if text[start].isupper():
                word = word[:1].upper() + word[1:]
            parts += [text[last:start], word]
            last = end
        parts.append(text[last:])
        return "".join(parts)
