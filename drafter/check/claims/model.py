"""What a sentence claims, as data: the Claim and its parts (figures, movements, comparisons, cues, clauses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from drafter.check.sentences import Sentence
    from drafter.vocab.cues import Match

Polarity = Literal["positive", "negative", "mixed", "neutral"]
Trend = Literal["improving", "worsening", "stable", "continuing_improvement", "continuing_decline"]


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


@dataclass
class Signal:
    """A polarity-bearing match while reading: its base sign and what negation or movements did to it."""

    match: Match
    sign: int
    kind: str
    clause: int
    negated: bool = False
    absorbed: bool = False  # its weight was taken over by an intensifier, a movement or a level
    topic: str | None = None
    obstructs: bool = False  # a criticism that takes the praise after it as its object ("hinders good practice")


@dataclass
class Negator:
    """A negating word while reading, and what it did."""

    start: int
    end: int
    clause: int
    used: bool = False
    doubles: bool = False  # it negates the negator after it ("very few ... without")
    doubled: bool = False  # the negator before it negates it
    weak: bool = False  # a reverser ("prevent"): it turns a cue but says nothing alone
    reverser: bool = False  # it turns only a criticism ("address weaknesses"), never praise
    wide: bool = False  # its scope runs to the next comma ("not all care leavers have a plan written in good time")
    targets: list[Any] = field(default_factory=list)  # the signals it turned


def sign_of(value: float) -> int:
    """Return -1, 0 or 1."""
    return (value > 0) - (value < 0)
