"""Find what a sentence claims: topics, polarity, quantifier, trend, figures, hedges and comparisons."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from drafter.check.read import Draft, Location
from drafter.check.sentences import Sentence, _clauses, iter_sentences
from drafter.vocab.cues import Cues, Match, Token, load_cues, tokenize
from drafter.vocab.topics import Vocabulary

Polarity = Literal["positive", "negative", "mixed", "neutral"]
Trend = Literal["improving", "worsening", "stable", "continuing_improvement", "continuing_decline"]

# How far (in tokens) a movement, level or comparison looks after itself for its subject.
_SUBJECT_AFTER = 6


@dataclass(frozen=True)
class Figure:
    """A figure stated in a sentence: "17%", "9 of 12 children", "a quarter of audits", "four children".

    `value` is the number as written (fractions as shares: "a quarter" is 0.25); `unit` is percent,
    count, fraction, days, weeks, months, years, hours or number (a bare figure); `denominator` is
    set for "9 of 12"; `noun` is what the figure counts or measures when the sentence says so.
    `start`/`end` are character offsets in the sentence text.
    """

    text: str
    value: float
    unit: str
    denominator: float | None = None
    noun: str | None = None
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Movement:
    """A word saying something changed: "continued to reduce", "improved", "has risen".

    `direction` is up | down (the raw direction of a measure, to be judged with the indicator's
    better direction) or improve | worsen (the words judge it themselves). `subject` is the words
    it applies to when found ("caseloads") and `better` that subject's better direction (lower |
    higher | context | None); `trend` is the judged trend or None when it cannot be judged.
    """

    word: str
    direction: Literal["up", "down", "improve", "worsen"]
    continuing: bool
    negated: bool
    subject: str | None
    better: str | None
    trend: Trend | None
    start: int
    end: int


@dataclass(frozen=True)
class Comparison:
    """A comparison with a benchmark: relation above | below | in_line, the comparator (england,
    statistical_neighbours, region) and the subject compared, when found."""

    relation: Literal["above", "below", "in_line"]
    comparator: str
    subject: str | None
    better: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Cue:
    """A word that moved the polarity: its text, kind (positive, negative, critical, movement...) and signed weight."""

    text: str
    kind: str
    sign: int
    negated: bool
    start: int
    end: int


@dataclass(frozen=True)
class Part:
    """A clause of the sentence: role main | concession, its topics and its own polarity."""

    text: str
    start: int
    end: int
    role: Literal["main", "concession"]
    topics: tuple[str, ...]
    polarity: Polarity


@dataclass(frozen=True)
class Claim:
    """What one sentence claims, for comparison with the evidence.

    `topics` are topic ids from rules/topics.yaml in order of first mention. `polarity` is the
    sentence's verdict; a concession against the main clause makes it mixed. `quantifier` is the
    first proportion word in its normal form ("the majority") and `quantifier_share` the (min, max)
    share it claims per rules/language.yaml (None when the word has no band); `quantified_noun` is
    what it counts. `trend` is the judged trend of the first movement that can be judged (or stable
    for "remains high", "has not reduced"); `direction`, `trend_word` and `trend_subject` give the
    raw up/down movement for phase-2 checks against an indicator's better direction. `evaluative`
    is True when the sentence judges quality or progress rather than only describing.
    """

    text: str
    topics: tuple[str, ...]
    polarity: Polarity
    quantifier: str | None = None
    quantifier_share: tuple[float, float] | None = None
    quantified_noun: str | None = None
    trend: Trend | None = None
    direction: Literal["up", "down"] | None = None
    trend_word: str | None = None
    trend_subject: str | None = None
    numbers: tuple[Figure, ...] = ()
    hedges: tuple[str, ...] = ()
    evaluative: bool = False
    comparisons: tuple[Comparison, ...] = ()
    movements: tuple[Movement, ...] = ()
    cues: tuple[Cue, ...] = ()
    parts: tuple[Part, ...] = ()
    sentence: Sentence | None = field(default=None, compare=False, repr=False)


def extract_claims(sentence: Sentence | str, vocabulary: Vocabulary | None = None) -> Claim | None:
    """Return what `sentence` claims, or None for a heading or a sentence with nothing to check.

    "Nothing to check" means no judgement (neutral polarity), no quantifier, no figure, no trend
    and no comparison, whatever topic it mentions (e.g. "A copy of this letter goes to the
    Department for Education."). A plain string is read as one sentence. `vocabulary` defaults to
    the bundled rules/topics.yaml.
    """
    if isinstance(sentence, str):
        text = sentence.strip()
        sentence = Sentence(text, 0, len(text), Location(line=1, column=1), clauses=_clauses(text))
    if sentence.kind == "heading" or not sentence.text.strip():
        return None
    cues = load_cues(vocabulary)
    return _Reader(sentence, cues).claim()


def iter_claims(draft: Draft, vocabulary: Vocabulary | None = None) -> Iterator[Claim]:
    """Yield the claim of every sentence in `draft` that has one, in document order."""
    cues = load_cues(vocabulary)
    for sentence in iter_sentences(draft, cues):
        claim = extract_claims(sentence, vocabulary)
        if claim is not None:
            yield claim


@dataclass
class _Signal:
    """A polarity-bearing match while reading: its base sign and what negation or movements did to it."""

    match: Match
    sign: int
    kind: str
    clause: int
    negated: bool = False
    absorbed: bool = False  # its weight was taken over by an intensifier, a movement or a level
    topic: str | None = None


@dataclass
class _Negator:
    start: int
    end: int
    clause: int
    used: bool = False
    doubles: bool = False  # it negates the negator after it ("very few ... without")
    doubled: bool = False  # the negator before it negates it
    weak: bool = False  # a reverser ("prevent"): it turns a cue but says nothing alone
    reverser: bool = False  # it turns only a criticism ("address weaknesses"), never praise
    wide: bool = False  # its scope runs to the next comma ("not all children have ... in a timely way")
    targets: list = field(default_factory=list)  # the signals it turned


def _sign(value: float) -> int:
    return (value > 0) - (value < 0)


# Signals that judge by their own words; a level ("high") or comparison alone describes.
_EVALUATIVE = ("positive", "negative", "critical", "approving", "improve", "worsen")
_DETERMINERS = ("the", "a", "an", "its", "their", "his", "her", "our", "these", "those", "this")
_MOVES = ("improve", "worsen", "up", "down", "more", "fewer", "progress_subjects")
_NEGATING = ("negators", "negating_hedges", "clause_negators", "determiner_negators", "reversers", "remedies")
# Contrast words that concede only a noun phrase ("despite the new strategy"): no claim of their own.
_MINIMAL = frozenset(("despite", "in", "notwithstanding"))
# Words that may stand between signals joined under one negation ("not fully, or in a timely way").
_JOINERS = frozenset(("and", "or", "nor", ",", "of", "in", "a", "an", "the"))


class _Reader:
    """Reads one sentence against the compiled cues; `claim()` returns the result."""

    def __init__(self, sentence: Sentence, cues: Cues):
        self.sentence = sentence
        self.text = sentence.text
        self.cues = cues
        self.tokens: list[Token] = tokenize(self.text)
        self.norms = [t.norm for t in self.tokens]
        self.polar = cues.polar.scan(self.norms)
        self.subjects = cues.subjects.scan(self.norms)
        self.bounds = [self._opener(m) for m in cues.bounds.scan(self.norms)]
        self.bound_starts = {m.start for m in self.bounds}  # "relative" where counts as a bound too
        self.clauses = self._segment()

    def _opener(self, m: Match) -> Match:
        """Return a clause-opening condition word as a condition, else as a plain bound word."""
        if m.kind != "conditional_opener":
            return m
        opens = m.start == 0 or self.norms[m.start - 1] in (",", ";", "(", "—", "–", "and", "but")
        return Match("conditional" if opens else "relative", m.start, m.end, m.value)

    # -- helpers over token spans
    def words(self, start: int, end: int) -> str:
        if start >= end:
            return ""
        return self.text[self.tokens[start].start : self.tokens[end - 1].end]

    def clause_of(self, tok: int) -> int:
        for i, (a, b, _) in enumerate(self.clauses):
            if a <= tok < b:
                return i
        return len(self.clauses) - 1

    def stop_after(self, at: int) -> int:
        """Return the token index where a phrase starting at `at` ends: a comma, a bound word or the clause end."""
        b = self.clauses[self.clause_of(at)][1] if self.norms else 0
        for j in range(at, b):
            if self.norms[j] in (",", ";", ":", "—", "–") or j in self.bound_starts:
                return j
        return b

    def comma_after(self, at: int) -> int:
        """Return the token index of the next comma, semicolon or dash after `at`, or the clause end."""
        b = self.clauses[self.clause_of(at)][1] if self.norms else 0
        return next((j for j in range(at, b) if self.norms[j] in (",", ";", "—", "–")), b)

    def start_before(self, at: int) -> int:
        """Return the first token index of the stretch before `at` that a subject may come from."""
        a = self.clauses[self.clause_of(at)][0] if self.norms else 0
        for m in self.bounds:
            if a <= m.start and m.end <= at:
                a = m.end
        for j in range(at - 1, a - 1, -1):
            if self.norms[j] == ":":  # "... care leavers: the figure has reduced" moves the figure
                return j + 1
        return a

    def claim(self) -> Claim | None:
        topics, clause_topics = self._topics()
        signals, negators, hedges, movers, stable_at = self._signals()
        comparisons = self._comparisons(signals)
        self._levels(signals)
        self._negate(signals, negators)
        movements = self._movements(signals, movers)
        polarity, parts = self._polarity(signals, negators, clause_topics)
        quantifier, share, noun = self._quantifier()
        figures = self._figures()
        trend, direction, trend_word, trend_subject = self._trend(movements, stable_at)
        evaluative = any(s.kind in _EVALUATIVE for s in signals if s.sign)
        evaluative = evaluative or any(not n.used and not n.weak for n in negators)
        if not (polarity != "neutral" or quantifier or figures or trend or movements or comparisons):
            return None
        cue_list = tuple(
            Cue(
                self.words(s.match.start, s.match.end),
                s.kind,
                (-s.sign if s.negated else s.sign),
                s.negated,
                self.tokens[s.match.start].start,
                self.tokens[s.match.end - 1].end,
            )
            for s in signals
            if not s.absorbed and s.sign
        )
        return Claim(
            text=self.text,
            topics=topics,
            polarity=polarity,
            quantifier=quantifier,
            quantifier_share=share,
            quantified_noun=noun,
            trend=trend,
            direction=direction,
            trend_word=trend_word,
            trend_subject=trend_subject,
            numbers=tuple(figures),
            hedges=tuple(dict.fromkeys(hedges)),
            evaluative=evaluative,
            comparisons=tuple(comparisons),
            movements=tuple(movements),
            cues=cue_list,
            parts=tuple(parts),
            sentence=self.sentence,
        )

    # -- clauses: semicolons and contrast words
    def _segment(self) -> list[tuple[int, int, str]]:
        """Return (start, end, role) token spans: "Although A, B" and "A, but B" make A a concession."""
        n = len(self.norms)
        markers = []
        for m in self.polar:
            if m.kind == "concessive":
                opens = m.start == 0 or self.norms[m.start - 1] in (",", ";", "(", "—", "–", "and", "but")
                if self.norms[m.start] in ("while", "whilst") and not opens:
                    continue
                markers.append((m.start, "concessive"))
            elif m.kind == "adversative":
                markers.append((m.start, "adversative"))
        pieces: list[list] = []
        seg_start = 0
        cuts = [i for i, w in enumerate(self.norms) if w == ";"] + [n]
        for cut in cuts:
            a, b = seg_start, cut
            cur = a
            for at, kind in sorted(mk for mk in markers if a <= mk[0] < b):
                if kind == "adversative":
                    if at > cur:
                        pieces.append([cur, at, "concession"])
                    elif pieces and pieces[-1][2] == "main":
                        pieces[-1][2] = "concession"  # "A; however, B"
                    cur = at
                elif at == cur:
                    # "Although A, and B, C": the concession runs to a comma that does not go on with and/or.
                    stop = next((j for j in range(at + 1, b) if self.norms[j] == ","
                                 and (j + 1 >= b or self.norms[j + 1] not in ("and", "or"))), b)
                    pieces.append([cur, stop, "concession"])
                    cur = stop
                else:
                    pieces.append([cur, at, "main"])
                    pieces.append([at, b, "concession"])
                    cur = b
                    break
            if cur < b:
                pieces.append([cur, b, "main"])
            seg_start = cut + 1
        out = [(a, b, role) for a, b, role in pieces if a < b]
        return out or [(0, n, "main")]

    # -- topics
    def _topics(self) -> tuple[tuple[str, ...], list[list[str]]]:
        found: list[tuple[int, str]] = []
        for m in self.cues.topics.scan(self.norms):
            for topic in m.value:
                found.append((m.start, topic))
        for m in self.polar:
            if m.kind in ("positive", "negative") and m.value:
                found.append((m.start, m.value))
        if not found:  # no topic named by a term: words that only suggest one
            for m in self.cues.related.scan(self.norms):
                for topic in m.value:
                    found.append((m.start, topic))
        found.sort(key=lambda x: x[0])
        per_clause: list[list[str]] = [[] for _ in self.clauses]
        for tok, topic in found:
            ids = per_clause[self.clause_of(tok)]
            if topic not in ids:
                ids.append(topic)
        return tuple(dict.fromkeys(t for _, t in found)), per_clause

    # -- polarity signals
    def _signals(self):
        signals: list[_Signal] = []
        negators: list[_Negator] = []
        hedges: list[str] = []
        movers: list[_Signal] = []
        stable_at: list[int] = []
        continuing_ends = {m.end for m in self.polar if m.kind == "continuing"}
        conditionals = [m.start for m in self.bounds if m.kind == "conditional"]
        populations = {m.start for m in self.cues.countables.scan(self.norms) if m.kind == "population"}
        for m in self.polar:
            clause = self.clause_of(m.start)
            kind = m.kind
            if kind == "determiner_negators" and not ({m.end, m.end + 1} & populations):
                continue  # "vacancies are comparatively few" negates nothing
            if kind in _NEGATING:
                # Inside a condition ("if they are unable to ...,") a negation is no criticism.
                weak = kind in ("reversers", "remedies") or self._conditional(m.start, conditionals)
                negators.append(_Negator(m.start, m.end, clause, weak=weak, reverser=kind == "remedies",
                                         wide=kind == "clause_negators"))
                if kind in ("negating_hedges", "clause_negators"):
                    hedges.append(self.words(m.start, m.end).lower())
            elif kind == "hedges":
                hedges.append(self.words(m.start, m.end).lower())
            elif kind == "stable":
                stable_at.append(m.start)
            elif kind == "persist":
                if self._judged_soon(m.end, 3):
                    stable_at.append(m.start)
            elif kind == "continuing" and not self._movement_at(m.end) and self._judged_soon(m.end, 4):
                stable_at.append(m.start)  # "continue to give strong support": a state that persists
            elif kind in ("positive", "negative", "critical", "approving"):
                sign = 1 if kind in ("positive", "approving") else -1
                topic = m.value if kind in ("positive", "negative") else None
                signals.append(_Signal(m, sign, kind, clause, topic=topic))
            elif kind in _MOVES:
                if not self._reports_change(m, continuing_ends, conditionals):
                    continue
                sign = {"improve": 1, "worsen": -1}.get(kind, 0)
                sig = _Signal(m, sign, kind, clause)
                signals.append(sig)
                movers.append(sig)
        self._intensify(signals)
        return signals, negators, hedges, movers, stable_at

    def _reports_change(self, m: Match, continuing_ends: set[int], conditionals: list[int]) -> bool:
        """Return False for a trend word that reports no change: an intention ("plans to reduce"), a
        condition ("when risks increase") or a standing effect ("which weakens")."""
        prev = self.norms[m.start - 1] if m.start > 0 else ""
        if prev == "to" and m.start not in continuing_ends:
            return False
        if prev in ("which", "that", "this", "it") and self.norms[m.end - 1].endswith("s"):
            return False
        return not self._conditional(m.start, conditionals)

    def _conditional(self, at: int, conditionals: list[int]) -> bool:
        """Return True when token `at` lies in a conditional stretch ("when risks increase", "if ... ,")."""
        return any(
            c < at and self.clause_of(c) == self.clause_of(at) and "," not in self.norms[c:at] for c in conditionals
        )

    def _intensify(self, signals: list[_Signal]) -> None:
        """Let an intensifier take the word after it ("too high"), and "too X to/for Y" drop Y's judgement."""
        for s in signals:
            if s.kind not in ("critical", "approving") or s.absorbed:
                continue
            end = s.match.end
            for t in signals:
                if t is not s and t.match.start == end:
                    t.absorbed = True
                    if s.kind == "approving" and t.sign < 0 and self.norms[s.match.start] != "well":
                        s.sign = -1  # "highly variable" is a stronger criticism, not praise
            if s.kind == "critical":
                near = range(end, min(end + 3, len(self.norms)))
                to = next((j for j in near if self.norms[j] in ("to", "for")), None)
                if to is not None:
                    stop = self.stop_after(to + 1)
                    for t in signals:
                        if to < t.match.start < stop:
                            t.absorbed = True

    def _judged_soon(self, after: int, within: int) -> bool:
        """Return True when a judgement, intensifier or level starts within `within` tokens ("remains too high")."""
        last = after + within - 1
        for m in self.polar:
            if after <= m.start <= last and m.kind in ("positive", "negative", "critical", "approving"):
                return True
        return any(m.kind == "level" and after <= m.start <= last for m in self.subjects)

    def _movement_at(self, at: int) -> bool:
        return any(m.start == at and m.kind in _MOVES for m in self.polar)

    def _negate(self, signals: list[_Signal], negators: list[_Negator]) -> None:
        """Let each negator turn the nearest signal after it (and signals joined to it by and/or/commas).

        A negator whose nearest neighbour is another negator cancels it ("very few children
        return home without a plan" is favourable).
        """
        window = self.cues.negation_window

        def first_after(neg: _Negator) -> _Signal | None:
            return next((s for s in signals if s.clause == neg.clause and s.match.start >= neg.end and not s.absorbed),
                        None)

        # A reverser turns only a criticism: before praise ("identified quickly") it is no negation at all.
        negators[:] = [n for n in negators if not n.reverser or ((f := first_after(n)) is not None and f.sign < 0)]
        for i, neg in enumerate(negators):
            nxt = negators[i + 1] if i + 1 < len(negators) else None
            first_signal = first_after(neg)
            if (
                nxt is not None
                and nxt.clause == neg.clause
                and nxt.start - neg.end < window
                and (first_signal is None or nxt.start <= first_signal.match.start)
            ):
                neg.used = neg.doubles = True
                nxt.doubled = True
        for neg in negators:
            if neg.doubles:
                continue
            scope = [s for s in signals if s.clause == neg.clause and s.match.start >= neg.end and not s.absorbed]
            reach = self.comma_after(neg.end) - neg.end if neg.wide else window
            if not scope or scope[0].match.start - neg.end >= max(reach, window):
                continue
            neg.used = True
            neg.targets.append(scope[0])
            if neg.doubled:
                continue  # two negations: the signal keeps its sign
            last = scope[0]
            last.negated = not last.negated
            for nxt_sig in scope[1:]:
                between = self.norms[last.match.end : nxt_sig.match.start]
                new_clause = "," in between and "and" in between and any(w in ("a", "an", "the") for w in between)
                if all(w in _JOINERS for w in between) and not new_clause:  # ", and a backlog ..." starts anew
                    nxt_sig.negated = not nxt_sig.negated
                    neg.targets.append(nxt_sig)
                    last = nxt_sig
                else:
                    break
        self._negated_stretches(signals, negators)

    def _negated_stretches(self, signals: list[_Signal], negators: list[_Negator]) -> None:
        """Let a criticism by negation cover its stretch: praise later in it, up to the next comma, is
        what is denied ("cannot be assured that all young people receive an appropriate level of support")."""
        for neg in negators:
            if neg.weak or neg.doubles or neg.doubled:
                continue
            if neg.targets and not any(t.sign > 0 for t in neg.targets):
                continue  # it turned a criticism into praise ("no longer experience drift")
            stop = self.comma_after(neg.end)
            last = max((t.match.end for t in neg.targets), default=neg.end)
            for s in signals:
                if last <= s.match.start < stop and s.sign > 0 and not s.negated and not s.absorbed \
                        and s.kind in ("positive", "approving"):
                    s.absorbed = True

    # -- movements (trend words) and what they apply to
    def _movements(self, signals: list[_Signal], movers: list[_Signal]) -> list[Movement]:
        out: list[Movement] = []
        for mv in movers:
            if mv.absorbed:
                continue
            m = mv.match
            continuing = self._continuing(m.start, mv.clause)
            subject, better = None, None
            trend: str | None = None
            direction = {"more": "up", "fewer": "down", "progress_subjects": "improve"}.get(mv.kind, mv.kind)
            if direction in ("improve", "worsen"):
                trend = "improving" if direction == "improve" else "worsening"
            else:
                judged, subject, better = self._applies_to(signals, mv)
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
            elif continuing and trend == "improving":
                trend = "continuing_improvement"
            elif continuing and trend == "worsening":
                trend = "continuing_decline"
            start = m.start
            for c in self.polar:
                if c.kind == "continuing" and c.end == m.start:
                    start = c.start
            out.append(
                Movement(
                    word=self.words(start, m.end),
                    direction=direction,  # type: ignore[arg-type]
                    continuing=continuing,
                    negated=mv.negated,
                    subject=subject,
                    better=better,
                    trend=trend,  # type: ignore[arg-type]
                    start=self.tokens[start].start,
                    end=self.tokens[m.end - 1].end,
                )
            )
        return out

    def _continuing(self, at: int, clause: int) -> bool:
        a, b, _ = self.clauses[clause]
        for c in self.polar:
            if c.kind != "continuing" or not (a <= c.start < b):
                continue
            if c.end <= at and at - c.end <= 2:
                return True
            if self.norms[c.start] in ("consecutive", "successive"):
                return True
        return False

    def _applies_to(self, signals: list[_Signal], mv: _Signal) -> tuple[int, str | None, str | None]:
        """Return (judgement moved, subject words, better direction) for a movement.

        "fewer"/"more" apply to what follows up to a comma or bound word ("fewer children experience
        drift"); verbs apply to the nearest judgement or better-direction subject before them in
        their stretch of the clause ("delays have reduced"), else just after ("reduced caseloads").
        A judgement they apply to is absorbed: its weight moves to the movement.
        """
        m = mv.match
        judged_kinds = ("positive", "negative", "level", "critical")
        if mv.kind in ("more", "fewer"):
            stop = min(self.stop_after(m.end), m.end + _SUBJECT_AFTER)
            inside = [s for s in signals if m.end <= s.match.start < stop and not s.absorbed and s.kind in judged_kinds]
            if inside:
                total = sum(-s.sign if s.negated else s.sign for s in inside)
                for s in inside:
                    s.absorbed = True
                first = inside[0].match
                return _sign(total), self.words(first.start, first.end), None
            sub = next((x for x in self.subjects if x.kind == "subject" and m.end <= x.start < stop), None)
            if sub is not None:
                return 0, self.words(sub.start, sub.end), sub.value
            return 0, None, None
        lo = self.start_before(m.start)
        hi = min(self.stop_after(m.end), m.end + _SUBJECT_AFTER)
        cands: list[tuple[int, int, object]] = []
        for s in signals:
            if s is not mv and not s.absorbed and s.kind in ("positive", "negative") and lo <= s.match.start < hi:
                cands.append((s.match.start, s.match.end, s))
        for x in self.subjects:
            if x.kind == "subject" and lo <= x.start < hi:
                cands.append((x.start, x.end, x))
        before = [c for c in cands if c[1] <= m.start]
        pronoun_object = m.end < len(self.norms) and self.norms[m.end] in ("them", "it", "this", "these", "those")
        after = [] if pronoun_object else [c for c in cands if c[0] >= m.end]
        # A verb with its object right after it ("reducing the numbers of ...", "reduced caseloads")
        # applies to the object; otherwise to its subject ("delays have reduced").
        obj = [c for c in after if c[0] - m.end <= 1 or (c[0] - m.end == 2 and self.norms[m.end] in _DETERMINERS)]
        if obj:
            pick = min(obj, key=lambda c: c[0])
        elif before:
            pick = max(before, key=lambda c: c[1])
        else:
            pick = min(after, key=lambda c: c[0]) if after else None
        if pick is None:
            return 0, None, None
        target = pick[2]
        if isinstance(target, _Signal):
            target.absorbed = True
            value = -target.sign if target.negated else target.sign
            return value, self.words(target.match.start, target.match.end), ("lower" if value < 0 else "higher")
        return 0, self.words(target.start, target.end), target.value  # type: ignore[union-attr]

    def _subject_near(self, start: int, end: int) -> Match | None:
        lo, hi = self.start_before(start), min(self.stop_after(end), end + _SUBJECT_AFTER)
        subs = [m for m in self.subjects if m.kind == "subject" and lo <= m.start < hi]
        before = [m for m in subs if m.end <= start]
        if before:
            return max(before, key=lambda m: m.end)
        after = [m for m in subs if m.start >= end]
        return min(after, key=lambda m: m.start) if after else None

    # -- levels ("turnover remains high") and comparisons ("above the England average")
    def _levels(self, signals: list[_Signal]) -> None:
        for m in self.subjects:
            if m.kind != "level":
                continue
            if any(s.kind in ("critical", "approving") and s.match.end == m.start for s in signals):
                continue  # "too high" is already a criticism
            if any(c.start <= m.start < c.end for c in self._comparison_spans):
                continue
            subject = self._subject_near(m.start, m.end)
            if subject is None or subject.value not in ("lower", "higher"):
                continue
            good = (m.value == "low") == (subject.value == "lower")
            signals.append(_Signal(m, 1 if good else -1, "level", self.clause_of(m.start)))
        signals.sort(key=lambda s: s.match.start)

    def _comparisons(self, signals: list[_Signal]) -> list[Comparison]:
        found = self.cues.comparisons.scan(self.norms)
        out: list[Comparison] = []
        self._comparison_spans: list[Match] = []
        for i, rel in enumerate(found):
            if rel.kind != "relation":
                continue
            comparator = next((c for c in found[i + 1 :] if c.kind == "comparator" and c.start - rel.end <= 3), None)
            if comparator is None:
                continue
            self._comparison_spans.append(rel)
            subject = self._subject_near(rel.start, rel.end)
            better = subject.value if subject else None
            if rel.value != "in_line" and better in ("lower", "higher"):
                good = (rel.value == "below") == (better == "lower")
                signals.append(_Signal(rel, 1 if good else -1, "comparison", self.clause_of(rel.start)))
            out.append(
                Comparison(
                    relation=rel.value,
                    comparator=comparator.value,
                    subject=self.words(subject.start, subject.end) if subject else None,
                    better=better,
                    text=self.words(rel.start, comparator.end),
                    start=self.tokens[rel.start].start,
                    end=self.tokens[comparator.end - 1].end,
                )
            )
        return out

    # -- polarity
    def _polarity(self, signals: list[_Signal], negators: list[_Negator], clause_topics: list[list[str]]):
        k = len(self.clauses)
        scores, pos, neg = [0] * k, [False] * k, [False] * k
        # (clause, token, value) of every judgement; those inside a condition or a purpose ("when plans
        # drift", "to ensure that plans are timely") count only when their clause has no other.
        votes = [(s.clause, s.match.start, -s.sign if s.negated else s.sign)
                 for s in signals if not s.absorbed and s.sign]
        votes += [(n.clause, n.start, 1 if n.doubled else -1) for n in negators if not n.weak and (
            not n.used or (n.targets and not n.doubles and n.targets[0].match.start > n.end
                           and all(not t.sign or t.absorbed for t in n.targets)))]
        background = self._background()
        main_votes = {c for c, tok, _ in votes if not background.get(tok)}
        for clause, tok, value in votes:
            if background.get(tok) and clause in main_votes:
                continue
            scores[clause] += value
            pos[clause] |= value > 0
            neg[clause] |= value < 0
        parts = [
            Part(
                self.words(a, b),
                self.tokens[a].start if a < len(self.tokens) else 0,
                self.tokens[b - 1].end if 0 < b <= len(self.tokens) else 0,
                role,  # type: ignore[arg-type]
                tuple(clause_topics[i]),
                _verdict(scores[i], pos[i], neg[i]),
            )
            for i, (a, b, role) in enumerate(self.clauses)
        ]
        main = sum(scores[i] for i, c in enumerate(self.clauses) if c[2] == "main")
        conceded = sum(scores[i] for i, c in enumerate(self.clauses) if c[2] == "concession")
        if main and conceded and _sign(main) != _sign(conceded):
            return "mixed", parts
        if conceded and not main and any(c[2] == "main" for c in self.clauses):
            return "mixed", parts  # "A, although B" with A judged only by what it concedes
        granted = [c for c in self.clauses if c[2] == "concession" and self.norms[c[0]] not in _MINIMAL]
        if main and not conceded and granted:
            return "mixed", parts  # "A, but B": the contrast says A is granted even when no cue judges it
        if len({_sign(sc) for sc in scores if sc}) > 1:
            return "mixed", parts
        if main:
            return ("positive" if main > 0 else "negative"), parts
        return _verdict(sum(scores), any(pos), any(neg)), parts

    def _background(self) -> dict[int, bool]:
        """Return {token: True} for tokens in a condition ("when plans drift,") or a purpose ("to ensure
        that ..."): a condition runs to the next comma, at most `condition_reach` tokens; a purpose to
        the next comma or the clause end."""
        out: dict[int, bool] = {}
        reach = self.cues.condition_reach
        for m in self.bounds:
            if m.kind not in ("conditional", "relative", "purpose"):
                continue
            stop = self.comma_after(m.end) if m.kind == "purpose" else min(self.comma_after(m.end), m.end + reach)
            for tok in range(m.start, stop):
                out[tok] = True
        return out

    # -- quantifier
    def _quantifier(self) -> tuple[str | None, tuple[float, float] | None, str | None]:
        countables = self.cues.countables.scan(self.norms)
        starts = {m.start: m for m in countables}
        for m in self.cues.quantifiers.scan(self.norms):
            if m.kind != "quantifier":
                continue
            wording = " ".join(self.norms[m.start : m.end])
            noun_match = starts.get(m.end) or starts.get(m.end + 1)
            if wording in self.cues.need_population and noun_match is None:
                continue
            normal = m.value
            share = self.cues.shares.get(normal) or self.cues.shares.get(wording)
            noun = None
            if noun_match is not None and noun_match.kind == "population":
                noun = self.words(noun_match.start, noun_match.end)
            elif noun_match is not None and noun_match.kind == "follower" and self.norms[noun_match.start] == "of":
                noun = self._noun_after(noun_match.end)
            return normal, share, noun
        return None, None, None

    def _noun_after(self, at: int) -> str | None:
        stops = self.cues.noun_stops
        end = at
        while end < len(self.norms) and end - at < 5:
            w = self.norms[end]
            if w in stops or not w[0].isalpha():
                break
            end += 1
        return self.words(at, end) or None

    # -- figures
    def _figures(self) -> list[Figure]:
        cues = self.cues
        norms, tokens = self.norms, self.tokens
        countables = {m.start: m for m in cues.countables.scan(norms) if m.kind != "follower"}
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

        for i, w in enumerate(norms):
            if i in used:
                continue
            fraction = self._fraction_at(i)
            if fraction is not None:
                end, share = fraction
                out.append(
                    Figure(self.words(i, end), share, "fraction", None, self._noun_after(self._skip_the(end + 1)),
                           tokens[i].start, tokens[end - 1].end)
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
                        noun = self._noun_after(self._skip_the(end + 1))
                elif m is not None and m.kind == "unit":
                    unit, end = m.value, m.end
                elif m is not None and m.kind == "population":
                    unit, noun, end = "count", self.words(m.start, m.end), m.end
                elif is_word and not (prev in ("from", "to") or nxt in ("to", "from")):
                    continue  # "one clear route": a number word is a figure only with a noun or unit
            else:
                m = countables.get(end)
                if m is not None and m.kind == "population":
                    noun, end = self.words(m.start, m.end), m.end
            out.append(Figure(self.words(i, end), value, unit, denominator, noun, tokens[i].start, tokens[end - 1].end))
        return out

    def _fraction_at(self, i: int) -> tuple[int, float] | None:
        """Return (end, share) for a fraction in words followed by "of" at token i ("a quarter of")."""
        norms = self.norms
        if i > 0 and norms[i - 1] in ("than", "and"):
            return None
        for words, share in self.cues.fractions.items():
            parts = words.split()
            end = i + len(parts)
            if norms[i:end] == parts and end < len(norms) and norms[end] == "of":
                return end, share
        return None

    def _skip_the(self, at: int) -> int:
        return at + 1 if at < len(self.norms) and self.norms[at] in ("the", "these", "those", "their") else at

    # -- trend
    def _trend(self, movements: list[Movement], stable_at: list[int]):
        trend = next((mv.trend for mv in movements if mv.trend is not None), None)
        if trend is None and stable_at:
            trend = "stable"
        raw = next((mv for mv in movements if mv.direction in ("up", "down")), None)
        if raw is None:
            return trend, None, None, None
        return trend, raw.direction, raw.word, raw.subject


def _verdict(score: int, pos: bool, neg: bool) -> Polarity:
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "mixed" if (pos and neg) else "neutral"
