"""The fixed wording templates use (`templates/phrases.yaml`): areas of concern, progress, connectives."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import TemplateError
from drafter.paths import templates_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Headline(_Strict):
    strength_lead: str
    concern_lead: str
    concern_lead_inspection: str
    no_concern: str
    no_findings: str = "Inspectors will look again at these areas at the next visit."


class AreaSummary(_Strict):
    """How the headline sums up one area, by how it stands (strong, mixed or weak)."""

    strong: str
    mixed: str
    weak: str


class DrafterNotes(_Strict):
    """Notes for the person drafting: in `explain` and a Word comment on the title, never in the body."""

    heading: str
    not_evaluated: str
    not_evaluable: str
    merged: str
    unknown_features: str


class Connectives(_Strict):
    contrast: list[str] = Field(min_length=1)
    addition: list[str] = Field(min_length=1)
    further_concern: list[str] = Field(min_length=1)


class Phrases(_Strict):
    schema_: Literal["phrases/1"] = Field(alias="schema")
    areas_of_concern: dict[str, str]
    progress_sentences: dict[str, str]
    headline: Headline
    connectives: Connectives
    max_sentences_per_paragraph: int = Field(default=5, ge=2)
    progress_classes: dict[str, Literal["strong", "mixed", "weak"]]
    area_summaries: dict[str, AreaSummary]
    drafter_notes: DrafterNotes
    trend_sentence: str = "{measure} has {verb} since {since}."

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def load_phrases(path: Path | None = None) -> Phrases:
    """Return the template phrases; raise TemplateError naming file:line on any problem."""
    return _load_cached(str(path or templates_dir() / "phrases.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Phrases:
    return load_config(Path(path), Phrases, "phrases file", TemplateError)[0]
