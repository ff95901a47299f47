"""Phrases as the checker matches them: tokens, phrase patterns ("delay(s|ed|)"), and an index matched longest first."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

# Words (with inner apostrophes), figures (with decimal points and thousands commas), "%", or any
# other single non-space character. A hyphen between two word characters is not a token, so
# "well-matched" reads as "well matched" and "re-referral" as "re referral".
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)*|%|[^\w\s]|_")
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_GROUP = re.compile(r"\(([^()]*)\)")
_OPTIONAL_CHAR = re.compile(r"(\w)\?")


class Token(NamedTuple):
    """One word, figure or punctuation mark: its normal form (lower case, straight apostrophe) and its span."""

    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Return the tokens of `text` with character spans; hyphens inside words are dropped."""
    out: list[Token] = []
    lowered = text.lower().replace("’", "'")
    whole = len(lowered) == len(text)  # lower() lengthens a few letters ("İ"): then token by token
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if end - start == 1 and text[start] == "-" and _INNER_HYPHEN.match(text, start):
            continue
        norm = lowered[start:end] if whole else m.group().lower().replace("’", "'")
        out.append(Token(norm, start, end))
    return out


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """Return (norms, starts, ends) of the tokens of `text`, as `tokenize` finds them, without Token objects."""
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):
        tokens = tokenize(text)
        return [t.norm for t in tokens], [t.start for t in tokens], [t.end for t in tokens]
    norms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if end - start == 1 and text[start] == "-" and _INNER_HYPHEN.match(text, start):
            continue
        norms.append(lowered[start:end])
        starts.append(start)
        ends.append(end)
    return norms, starts, ends


def expand_phrase(phrase: str) -> list[str]:
    """Return every wording a cue phrase stands for.

    `(a|b|)` groups list alternatives (an empty one makes the group optional) and `x?` makes the
    character before it optional: "delay(s|ed|)" gives delays, delayed and delay; "weeks?" gives
    week and weeks.
    """
    phrase = _OPTIONAL_CHAR.sub(r"(\1|)", phrase)
    m = _GROUP.search(phrase)
    if not m:
        return [" ".join(phrase.split())]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(expand_phrase(phrase[: m.start()] + alt + phrase[m.end() :]))
    return out


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Return the token norms of one (already expanded) phrase."""
    return tuple(t.norm for t in tokenize(phrase))


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in a token list: its kind, token span [start, end) and the value the phrase carries."""

    kind: str
    start: int
    end: int
    value: Any = None


class PhraseIndex:
    """Phrases by their first token, matched longest first at each position, left to right, without overlaps."""

    def __init__(self) -> None:
        self._by_first: dict[str, dict[tuple[str, ...], tuple[str, Any]]] = {}
        self._lengths: dict[str, list[int]] = {}

    def add(self, phrase: str, kind: str, value: Any = None, *, replace: bool = False) -> None:
        """Add every expansion of `phrase` as `kind`; an earlier entry for the same words wins unless `replace`."""
        for wording in expand_phrase(phrase):
            toks = phrase_tokens(wording)
            if not toks:
                continue
            entries = self._by_first.setdefault(toks[0], {})
            if toks in entries and not replace:
                continue
            entries[toks] = (kind, value)
            lengths = self._lengths.setdefault(toks[0], [])
            if len(toks) not in lengths:
                lengths.append(len(toks))
                lengths.sort(reverse=True)

    def first_words(self) -> Iterable[str]:
        """Return the words that some phrase of the index starts with."""
        return self._by_first.keys()

    def scan_at(self, norms: list[str] | tuple[str, ...], positions: list[int]) -> list[Match]:
        """Return what `scan` returns, trying only `positions` (ascending): where some phrase's first word is."""
        out: list[Match] = []
        n = len(norms)
        by_first, lengths = self._by_first, self._lengths
        after = 0
        for i in positions:
            if i < after:
                continue
            word = norms[i]
            entries = by_first[word]
            for length in lengths[word]:
                if i + length <= n:
                    hit = entries.get(tuple(norms[i : i + length]))
                    if hit is not None:
                        out.append(Match(hit[0], i, i + length, hit[1]))
                        after = i + length
                        break
        return out

    def scan(self, norms: list[str] | tuple[str, ...]) -> list[Match]:
        """Return the non-overlapping matches in `norms`, longest first at each position."""
        out: list[Match] = []
        i, n = 0, len(norms)
        by_first, lengths = self._by_first, self._lengths
        get = by_first.get
        while i < n:
            word = norms[i]
            entries = get(word)
            if entries is None:
                i += 1
                continue
            for length in lengths[word]:
                if i + length <= n:
                    hit = entries.get(tuple(norms[i : i + length]))
                    if hit is not None:
                        out.append(Match(hit[0], i, i + length, hit[1]))
                        i += length
                        break
            else:
                i += 1
        return out

    def __contains__(self, phrase: str) -> bool:
        toks = phrase_tokens(phrase)
        return bool(toks) and toks in self._by_first.get(toks[0], {})


def _plural_forms(word: str) -> Iterator[str]:
    """Yield the regular plural and singular of an English noun (no dictionary: terms are mostly regular)."""
    if len(word) <= 3 or not word.isalpha():
        return
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        yield word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        yield word[:-1]
    elif word.endswith("y") and word[-2] not in "aeiou":
        yield word[:-1] + "ies"
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        yield word + "es"
    else:
        yield word + "s"


def term_variants(term: str) -> list[str]:
    """Return a topic term with its last word also in plural or singular form ("care plan" -> "care plans")."""
    words = term.split()
    out = [term]
    if words:
        for form in _plural_forms(words[-1].lower()):
            out.append(" ".join([*words[:-1], form]))
    return out


def _inner_spans(seq: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Yield every shorter contiguous run of `seq` ("child protection plans" -> "plans", ...)."""
    n = len(seq)
    for length in range(1, n):
        for i in range(n - length + 1):
            yield seq[i : i + length]


def iter_phrases(index: PhraseIndex) -> Iterable[tuple[tuple[str, ...], str, Any]]:
    """Yield (tokens, kind, value) for every wording in `index` (for lint and tests)."""
    for entries in index._by_first.values():
        for toks, (kind, value) in entries.items():
            yield toks, kind, value
