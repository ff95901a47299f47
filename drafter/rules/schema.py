"""The rulebook format (`rulebook/1`): rules with conditions, verdicts, phrases and their own examples."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.rules.findings import Verdict

RULEBOOK_SCHEMA = "rulebook/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Example(_Strict):
    """Given evidence (a partial pack), what the rule must do: `fires`, `quiet` or `not_evaluable`."""

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    given: dict[str, Any] = Field(default_factory=dict)
    expect: Literal["fires", "quiet", "not_evaluable"]
    missing: list[str] = Field(default_factory=list)  # with not_evaluable: the ids that must be named
    sentence: str | None = None  # with fires: the exact sentence (first phrase variant chosen)
    contains: str | None = None  # with fires: a fragment the sentence must contain


class WordingCase(_Strict):
    text: str
    expect: list[str] = Field(default_factory=list)  # diagnostic codes the checker must give


class Wording(_Strict):
    """Sentences a person might write about this rule's evidence, for `drafter rules lint`."""

    supported: list[str] = Field(default_factory=list)
    unsupported: list[WordingCase] = Field(default_factory=list)


class Rule(_Strict):
    id: str = Field(pattern=r"^[A-Z]{2,3}[0-9]{3}$")
    name: str = Field(pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$")
    kind: Literal["condition", "note", "sample"] = "condition"
    topic: str | None = None  # defaults to the rulebook's topic; note and sample rules take the evidence's
    description: str
    why: str
    source: str
    verdict: Verdict
    when: str | None = None
    params: dict[str, float | int | str | list[str]] = Field(default_factory=dict)
    per_team: str | None = None  # evaluate once per team that has this indicator
    polarity: list[Literal["positive", "negative", "mixed"]] = Field(default_factory=list)  # note rules
    phrases: list[str] = Field(min_length=1)
    # The same finding in words only (no figures: quantifiers and trend words instead), for the
    # default register of letters; the figures go in the provenance comment. See docs/rules.md.
    words: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    examples: list[Example] = Field(min_length=1)
    wording: Wording | None = None


class Rulebook(_Strict):
    schema_: Literal["rulebook/1"] = Field(alias="schema")
    topic: str  # a topic id, or `any` for rules over notes and samples of every topic
    prefix: str = Field(pattern=r"^[A-Z]{2,3}$")
    description: str
    rules: list[Rule] = Field(min_length=1)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)
