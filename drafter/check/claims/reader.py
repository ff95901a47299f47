"""Read one sentence: tokens, clauses and position indexes built once, so every later step is linear."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from drafter.check.claims import figures, levels, polarity, quantifiers, topics, trends
from drafter.check.claims.model import Claim, Cue
from drafter.check.sentences import Sentence
from drafter.vocab.cues import Cues, Match, token_spans

_STOPS = frozenset((",", ";", ":", "—", "–"))
_COMMAS = frozenset((",", ";", "—", "–"))
_OPENS = frozenset((",", ";", "(", "—", "–", "and", "but"))


class Reader:
    """One sentence read against the compiled cues; `claim()` returns the result.

    The matches of every phrase index are found once, and the answers to "where does this stretch
    end", "which clause is this token in" and "what starts here" are tables, so that reading is
    linear in the length of the sentence.
    """

    def __init__(self, sentence: Sentence, cues: Cues):
        self.sentence = sentence
        self.text = sentence.text
        self.cues = cues
        self.norms, self.starts, self.ends = token_spans(self.text)
        self.scans = cues.scan_all(self.norms)
        self.polar = self.scans["polar"]
        self.subjects = self.scans["subjects"]
        self.countables = self.scans["countables"]
        self.bounds = [self._opener(m) for m in self.scans["bounds"]]
        self.bound_starts = {m.start for m in self.bounds}
        self._bound_ends = [m.end for m in self.bounds]
        self._subject_starts = [m.start for m in self.subjects]
        self.clauses = polarity.segment(self)
        self._index()

    def _opener(self, m: Match) -> Match:
        """Return a clause-opening condition word as a condition, else as a relative ("areas where ...")."""
        if m.kind != "conditional_opener":
            return m
        opens = m.start == 0 or self.norms[m.start - 1] in _OPENS
        return Match("conditional" if opens else "relative", m.start, m.end, m.value)

    def _index(self) -> None:
        """Build the position lists the helpers bisect: where clauses start, and where the stops are."""
        norms = self.norms
        self._clause_starts = [a for a, _, _ in self.clauses]
        bounds = self.bound_starts
        self._stops = [j for j, w in enumerate(norms) if w in _STOPS or j in bounds]
        self._commas = [j for j, w in enumerate(norms) if w in _COMMAS]
        self._colons = [j for j, w in enumerate(norms) if w == ":"]
        self._plain_commas = [j for j, w in enumerate(norms) if w == ","]

    # -- helpers over token spans
    def words(self, start: int, end: int) -> str:
        """Return the sentence's text from token `start` to token `end` (exclusive)."""
        if start >= end:
            return ""
        return self.text[self.starts[start] : self.ends[end - 1]]

    def clause_of(self, tok: int) -> int:
        """Return the index of the clause token `tok` is in (the last clause for a semicolon between them)."""
        i = bisect_right(self._clause_starts, tok) - 1
        if 0 <= i and tok < self.clauses[i][1]:
            return i
        return max(len(self.clauses) - 1, 0)

    def clause_end(self, tok: int) -> int:
        return self.clauses[self.clause_of(tok)][1] if self.norms else 0

    def stop_after(self, at: int) -> int:
        """Return the token index where a phrase starting at `at` ends: a comma, a bound word or the clause end."""
        return self._next(self._stops, at)

    def comma_after(self, at: int) -> int:
        """Return the token index of the next comma, semicolon or dash after `at`, or the clause end."""
        return self._next(self._commas, at)

    def _next(self, positions: list[int], at: int) -> int:
        end = self.clause_end(at)
        k = bisect_left(positions, at)
        return min(positions[k], end) if k < len(positions) else end

    @staticmethod
    def _last_before(positions: list[int], at: int) -> int:
        k = bisect_left(positions, at) - 1
        return positions[k] if k >= 0 else -1

    def start_before(self, at: int) -> int:
        """Return the first token index of the stretch before `at` that a subject may come from."""
        a = self.clauses[self.clause_of(at)][0] if self.norms else 0
        k = bisect_right(self._bound_ends, at) - 1
        if k >= 0 and self.bounds[k].start >= a:
            a = self._bound_ends[k]
            comma = self._last_before(self._plain_commas, at)
            if self.bounds[k].kind in ("conditional", "relative") and comma >= a:
                a = comma + 1  # "when risks rise, plans ...": not the condition's words
        colon = self._last_before(self._colons, at)
        if colon >= a:  # "... care leavers: the figure has reduced" moves the figure
            return colon + 1
        return a

    def subjects_between(self, lo: int, hi: int) -> list[Match]:
        """Return the subject and level matches starting in [lo, hi)."""
        i, j = bisect_left(self._subject_starts, lo), bisect_left(self._subject_starts, hi)
        return self.subjects[i:j]

    def claim(self) -> Claim | None:
        """Return the claim the sentence makes, or None when it makes none."""
        topic_ids, clause_topics = topics.read_topics(self)
        signals, negators, hedges, movers, stable_at = polarity.read_signals(self)
        comparisons = levels.read_comparisons(self, signals)
        levels.read_levels(self, signals)
        polarity.negate(self, signals, negators)
        movements = trends.read_movements(self, signals, movers)
        verdict, parts = polarity.verdict(self, signals, negators, clause_topics)
        quantifier, share, noun = quantifiers.read_quantifier(self)
        found = figures.read_figures(self)
        trend, direction, trend_word, trend_subject = trends.overall(movements, stable_at)
        evaluative = any(s.kind in polarity.EVALUATIVE for s in signals if s.sign)
        evaluative = evaluative or any(not n.used and not n.weak for n in negators)
        if not (verdict != "neutral" or quantifier or found or trend or movements or comparisons):
            return None
        cue_list = tuple(
            Cue(
                self.words(s.match.start, s.match.end),
                s.kind,
                (-s.sign if s.negated else s.sign),
                s.negated,
                self.starts[s.match.start],
                self.ends[s.match.end - 1],
            )
            for s in signals
            if not s.absorbed and s.sign
        )
        return Claim(
            text=self.text,
            topics=topic_ids,
            polarity=verdict,
            quantifier=quantifier,
            quantifier_share=share,
            quantified_noun=noun,
            trend=trend,
            direction=direction,
            trend_word=trend_word,
            trend_subject=trend_subject,
            numbers=tuple(found),
            hedges=tuple(dict.fromkeys(hedges)),
            evaluative=evaluative,
            comparisons=tuple(comparisons),
            movements=tuple(movements),
            cues=cue_list,
            parts=tuple(parts),
            sentence=self.sentence,
        )
