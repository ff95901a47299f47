"""The `cues:` mapping of rules/topics.yaml, validated: which lists of words the checker reads, and what each is for."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class TrendCues(_Strict):
    improve: list[str] = Field(default_factory=list)
    worsen: list[str] = Field(default_factory=list)
    up: list[str] = Field(default_factory=list)
    down: list[str] = Field(default_factory=list)
    more: list[str] = Field(default_factory=list)
    fewer: list[str] = Field(default_factory=list)
    progress_subjects: list[str] = Field(default_factory=list)
    stable: list[str] = Field(default_factory=list)
    persist: list[str] = Field(default_factory=list)
    continuing: list[str] = Field(default_factory=list)
    conditional: list[str] = Field(default_factory=list)
    conditional_openers: list[str] = Field(default_factory=list)
    relatives: list[str] = Field(default_factory=list)
    condition_reach: int = Field(default=8, ge=1, le=40)
    purpose: list[str] = Field(default_factory=list)
    bounds: list[str] = Field(default_factory=list)


class ContrastCues(_Strict):
    concessive: list[str] = Field(default_factory=list)
    adversative: list[str] = Field(default_factory=list)


class SubjectCues(_Strict):
    lower_is_better: list[str] = Field(default_factory=list)
    higher_is_better: list[str] = Field(default_factory=list)
    high: list[str] = Field(default_factory=list)
    low: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)


class ComparisonCues(_Strict):
    above: list[str] = Field(default_factory=list)
    below: list[str] = Field(default_factory=list)
    in_line: list[str] = Field(default_factory=list)
    comparators: dict[str, list[str]] = Field(default_factory=dict)


class QuantifierCues(_Strict):
    aliases: dict[str, str] = Field(default_factory=dict)
    extra: list[str] = Field(default_factory=list)
    need_population: list[str] = Field(default_factory=list)
    not_quantifiers: list[str] = Field(default_factory=list)
    population: list[str] = Field(default_factory=list)
    followers: list[str] = Field(default_factory=list)
    # Only used when rules/language.yaml has no `quantifiers`: the words, without shares.
    words: list[str] = Field(default_factory=list)


class NumberCues(_Strict):
    words: dict[str, int] = Field(default_factory=dict)
    units: dict[str, list[str]] = Field(default_factory=dict)
    not_after: list[str] = Field(default_factory=list)
    months: list[str] = Field(default_factory=list)
    noun_stops: list[str] = Field(default_factory=list)


class SentenceCues(_Strict):
    abbreviations: list[str] = Field(default_factory=list)
    final_abbreviations: list[str] = Field(default_factory=list)
    heading_max_words: int = Field(default=12, ge=1)
    max_chars: int = Field(default=1000, ge=200, le=20_000)


class CueSpec(_Strict):
    """The `cues:` mapping of rules/topics.yaml (see the comments there for what each list means)."""

    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)
    obstructive: list[str] = Field(default_factory=list)
    neutral: list[str] = Field(default_factory=list)
    topic_stops: list[str] = Field(default_factory=list)
    not_claims: list[str] = Field(default_factory=list)
    manner: list[str] = Field(default_factory=list)
    negators: list[str] = Field(default_factory=list)
    determiner_negators: list[str] = Field(default_factory=list)
    reversers: list[str] = Field(default_factory=list)
    remedies: list[str] = Field(default_factory=list)
    negation_window: int = Field(default=4, ge=1, le=12)
    hedges: list[str] = Field(default_factory=list)
    negating_hedges: list[str] = Field(default_factory=list)
    clause_negators: list[str] = Field(default_factory=list)
    critical_intensifiers: list[str] = Field(default_factory=list)
    approving_intensifiers: list[str] = Field(default_factory=list)
    trend: TrendCues = Field(default_factory=TrendCues)
    contrast: ContrastCues = Field(default_factory=ContrastCues)
    subjects: SubjectCues = Field(default_factory=SubjectCues)
    comparison: ComparisonCues = Field(default_factory=ComparisonCues)
    quantifiers: QuantifierCues = Field(default_factory=QuantifierCues)
    numbers: NumberCues = Field(default_factory=NumberCues)
    sentences: SentenceCues = Field(default_factory=SentenceCues)
