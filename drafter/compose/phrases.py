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


class Stances(_Strict):
    strong: str
    mixed: str
    weak: str


class AreaSummary(_Strict):
    """How the headline sums up one area, by how it stands (strong, mixed or weak).

    The plain sentences speak for evidence of practice (notes or case samples); `by_evidence` holds
    sentences for an area that only figures inform (`figures`, or a group named in
    `summary_evidence`), worded so that whatever figures put the area in that stance support them."""

    strong: str
    mixed: str
    weak: str
    by_evidence: dict[str, Stances] = Field(default_factory=dict)


class EvidenceGroup(_Strict):
    """Figures an area's findings read, by the topics that own them: which summary the area takes."""

    name: str
    topics: list[str] = Field(min_length=1)
    covers: list[str] = Field(default_factory=list)  # topics whose own summary would say the same again


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


class LetterTemplates(_Strict):
    """Which template a letter takes: by the pack's document kind, and for a visit kind without visit dates."""

    by_kind: dict[str, str]
    without_visit: str  # a monitoring or focused visit with no visit dates has no visit to report
    visit_kinds: list[str] = Field(default_factory=lambda: ["monitoring_visit", "focused_visit"])
    titles: dict[str, str]  # template name -> the title, with {authority}; `default` for any other template

    def template_for(self, kind: str, visited: bool) -> str:
        """Return the template name for a document kind (`visited`: the pack gives visit dates)."""
        if kind in self.visit_kinds and not visited:
            return self.without_visit
        return self.by_kind.get(kind, self.by_kind.get("monitoring_visit", "monitoring_letter"))

    def title_for(self, template: str, kind: str, authority: str) -> str:
        """Return the document's title for a template (a user's own template takes its kind's)."""
        text = self.titles.get(template) or self.titles.get(self.by_kind.get(kind, "")) or self.titles["default"]
        return text.format(authority=authority)


class EvidenceWords(_Strict):
    """How a letter that reports no visit names its evidence: the authority's own kinds, then DfE's."""

    own: dict[Literal["local_figures", "samples", "notes"], str]  # nouns after "the local authority's" / "its"
    official: str
    nothing: str = "the evidence in the pack"


class TrendWording(_Strict):
    """How a letter says a measure's trend after a finding about its level ({measure}, {Measure}, {verb}, {since})."""

    sentence: list[str] = Field(min_length=1)  # its own sentence, after a strength: variants, least repetitive used
    join: str  # a clause joined to a short strength: ", and {measure} has {verb} since {since}"
    join_under_words: int = Field(default=18, ge=0)  # join only to a sentence shorter than this
    concession: str  # a clause after a concern (or a worsening after a strength): ", although ..."
    contrast_sentence: list[str] = Field(min_length=1)  # after a sentence that already holds a concession
    pronoun: str = "this"  # how a clause refers back to the one measure the sentence is about


class Phrases(_Strict):
    schema_: Literal["phrases/1"] = Field(alias="schema")
    areas_of_concern: dict[str, str]
    progress_sentences: dict[str, str]
    headline: Headline
    connectives: Connectives
    max_sentences_per_paragraph: int = Field(default=5, ge=2)
    progress_classes: dict[str, Literal["strong", "mixed", "weak"]]
    area_summaries: dict[str, AreaSummary]
    summary_evidence: dict[str, list[EvidenceGroup]] = Field(default_factory=dict)
    drafter_notes: DrafterNotes
    trend_wording: TrendWording
    letter_templates: LetterTemplates
    evidence_words: EvidenceWords

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def load_phrases(path: Path | None = None) -> Phrases:
    """Return the template phrases; raise TemplateError naming file:line on any problem."""
    return _load_cached(str(path or templates_dir() / "phrases.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Phrases:
    return load_config(Path(path), Phrases, "phrases file", TemplateError)[0]
