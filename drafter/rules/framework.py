"""The ILACS framework by date, how much evidence a grade needs, and grade/progress → status: data models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from drafter.evidence.pack import Evidence
from drafter.rules.catalogue import Catalogue
from drafter.vocab.topics import Vocabulary
from drafter.vocab.wording import join_words, number_words


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class JudgementSpec(_Strict):
    key: str
    title: str
    areas: list[str] = Field(min_length=1)


class FrameworkVersion(_Strict):
    id: str
    name: str
    from_: dt.date = Field(alias="from")
    source: str
    judgements: list[JudgementSpec] = Field(min_length=1)
    sections: list[str]
    overall: str | None
    overall_rests_on: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def judgement(self, key: str) -> JudgementSpec | None:
        """Return the judgement with this key, or None when this version has none."""
        return next((j for j in self.judgements if j.key == key), None)


class Sufficiency(_Strict):
    min_groups: int = Field(ge=0)
    min_findings: int = Field(ge=0)
    groups: list[list[str]]


class StatusMap(_Strict):
    grades: dict[str, str]
    progress: dict[str, str]
    legend: dict[str, str]


class TopicAction(_Strict):
    improve: str  # a "What needs to improve" item: a noun phrase
    board: str  # a board briefing's action: an instruction


class ExampleExpect(_Strict):
    framework: str | None = None
    judgements: list[str] | None = None
    graded: list[str] | None = None
    not_graded: list[str] = Field(default_factory=list)
    overall: str | None = None  # a grade, 'none' (not graded) or 'absent' (no such judgement)
    status: dict[str, str] = Field(default_factory=dict)


class JudgementExample(_Strict):
    name: str
    given: dict[str, Any]
    expect: ExampleExpect


@dataclass(frozen=True)
class FrameworkUsed:
    """The framework version an assessment applied, the date that decided it, and whether it grades."""

    version: FrameworkVersion
    day: dt.date
    basis: str  # "visit_dates" or "as_of"
    kind: str
    grades: bool
    note: str = ""  # e.g. the date is before ILACS began

    def to_record(self) -> dict:
        """Return a JSON-ready dict."""
        return {"id": self.version.id, "name": self.version.name, "from": self.version.from_.isoformat(),
                "date": self.day.isoformat(), "date_from": self.basis, "kind": self.kind,
                "grades": self.grades, "source": self.version.source, "note": self.note or None}

    def describe(self) -> str:
        """Return one line for `explain`: the version, the date that chose it and what the document does."""
        what = "graded judgements" if self.grades else "progress statements, no grades"
        basis = "first visit date" if self.basis == "visit_dates" else "as_of"
        line = f"{self.version.name} [{self.version.id}], chosen by the {basis} {self.day.isoformat()}; {what}"
        return line + (f" ({self.note})" if self.note else "")


def framework_for(evidence: Evidence, frameworks: list[FrameworkVersion], kinds: dict[str, str]) -> FrameworkUsed:
    """Return the framework version for a pack: the latest whose start is on or before the inspection date."""
    doc = evidence.pack.document
    day, basis = (min(doc.visit_dates), "visit_dates") if doc.visit_dates else (evidence.pack.as_of, "as_of")
    ordered = sorted(frameworks, key=lambda f: f.from_)
    applicable = [f for f in ordered if f.from_ <= day]
    note = ""
    if applicable:
        version = applicable[-1]
    else:
        version = ordered[0]
        note = f"the date is before {version.from_.isoformat()}, when the earliest framework drafter knows began"
    return FrameworkUsed(version, day, basis, doc.kind, kinds.get(doc.kind, "progress") == "grades", note)


def evidence_topics(evidence: Evidence, catalogue: Catalogue) -> set[str]:
    """Return the topics the pack holds evidence on: its indicators' catalogue topics, samples and notes."""
    topics: set[str] = set()
    for indicator, _team in evidence.series:
        spec = catalogue.get(indicator)
        if spec is not None:
            topics.add(spec.topic)
    topics.update(s.feature.split(".", 1)[0] for s in evidence.samples)
    topics.update(n.topic for n in evidence.notes)
    return topics


def lacking_evidence(rule: Sufficiency, topics: set[str], findings: int, vocab: Vocabulary) -> list[str]:
    """Return what an area lacks before it can be graded (empty when its evidence is enough), in words."""
    covered = [g for g in rule.groups if topics & set(g)]
    missing = [g for g in rule.groups if not topics & set(g)]
    lacking = []
    if len(covered) < rule.min_groups:
        needed = rule.min_groups - len(covered)
        names = "; ".join(join_words([_label(t, vocab) for t in g], "or") for g in missing)
        if needed >= len(missing):
            lacking.append(f"no evidence on {names}")
        else:
            lacking.append(f"evidence on {number_words(needed)} more of: {names}")
    if findings < rule.min_findings:
        lacking.append(f"{findings} finding{'s' * (findings != 1)} where at least {rule.min_findings} are needed")
    return lacking


def _label(topic: str, vocab: Vocabulary) -> str:
    spec = vocab.topics.get(topic)
    return spec.label if spec else topic.replace("_", " ")
