"""The language conventions in `rules/language.yaml`: quantifier bands, trend verbs, comparisons."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import RulebookError
from drafter.paths import rules_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Band(_Strict):
    word: str
    min: float
    max: float


class ShareRange(_Strict):
    min: float
    max: float


class Quantifiers(_Strict):
    origin: str
    tolerance: float = 0.005
    bands: list[Band]
    synonyms: dict[str, ShareRange] = Field(default_factory=dict)
    fractions: dict[str, float] = Field(default_factory=dict)
    fraction_tolerance: float = 0.03


class Verb(_Strict):
    past: str
    continuing: str
    present: str | None = None


class Trend(_Strict):
    continue_min_moves: int = 2
    stable_within: float = 0.02
    verbs: dict[str, Verb]


class Comparison(_Strict):
    above: str
    below: str
    in_line: str
    in_line_within: float
    phrase: str
    words_phrase: str = "{relation} the {group} average"  # the comparison without its figures
    groups: dict[str, str] = Field(default_factory=lambda: {"england": "England"})
    with_neighbours: str = ""  # appended to an England comparison: the neighbours' figure for the same year


class PeriodWords(_Strict):
    noun: str  # '{start} to {end}'
    when: str  # 'for {start} to {end}'


class Numbers(_Strict):
    words_up_to: int = 9


class InspectorTitle(_Strict):
    until: dt.date
    singular: str
    plural: str


class Language(_Strict):
    schema_: Literal["language/1"] = Field(alias="schema")
    quantifiers: Quantifiers
    trend: Trend
    comparison: Comparison
    official_periods: dict[str, PeriodWords] = Field(default_factory=dict)
    numbers: Numbers
    inspector_title: list[InspectorTitle]
    preferred_terms: dict[str, str] = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def band_word(self, share: float) -> str:
        """Return the quantifier word whose band holds `share` (0-1)."""
        for band in self.quantifiers.bands:
            if band.min <= share <= band.max:
                return band.word
        # between two bands' rounded edges: take the nearest band
        return min(self.quantifiers.bands, key=lambda b: min(abs(share - b.min), abs(share - b.max))).word

    def word_range(self, word: str) -> ShareRange | None:
        """Return the share range a quantifier word claims, or None for an unknown word."""
        key = word.lower().strip()
        if key in self.quantifiers.synonyms:
            return self.quantifiers.synonyms[key]
        for band in self.quantifiers.bands:
            if band.word == key:
                return ShareRange(min=band.min, max=band.max)
        return None


def load_language(path: Path | None = None) -> Language:
    """Return the validated language conventions; raise RulebookError naming file:line."""
    return _load_cached(str(path or rules_dir() / "language.yaml"))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Language:
    return load_config(Path(path), Language, "language file", RulebookError)[0]
