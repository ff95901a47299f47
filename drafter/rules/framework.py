"""The ILACS framework by date, how much evidence a grade needs, and grade/progress → status: data models."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from drafter.evidence.pack import Evidence
from drafter.rules.catalogue import Catalogue
from drafter.vocab.wording import join_words, number_words


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def judgement(self, key: str) -> JudgementSpec | None:
        """Return the judgement with this key, or None when this version has none."""
        return next((j for j in self.judgements if j.key == key), None)


class TopicGroup(_Strict):
    name: str  # how `explain` and the briefing name it when it lacks evidence
    topics: list[str] = Field(min_length=1)


class Sufficiency(_Strict):
    min_groups: int = Field(ge=0)
    min_findings: int = Field(ge=0)
    groups: list[TopicGroup]


class StatusMap(_Strict):
    grades: dict[str, str]
    progress: dict[str, str]
    legend: dict[str, str]
    severity: list[str] = Field(default_factory=list)  # the statuses, most serious first (ranks actions)


class TopicAction(_Strict):
    improve: str  # a "What needs to improve" item: a noun phrase
    board: str  # a board briefing's action: an instruction


class ActionGroup(_Strict):
    """Related topics that make one action when two or more of them need one."""

    heading: str  # how a briefing labels the merged action
    topics: list[str] = Field(min_length=2)
    improve: str
    board: str


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


def lacking_evidence(rule: Sufficiency, topics: set[str], findings: int) -> list[str]:
    """Return what an area needs before it can be graded (empty when its evidence is enough), in words.

    The words state the requirement rather than a judgement ("evidence on at least two of ..."), so
    that the checker reads them as no claim about practice.
    """
    covered = [g.name for g in rule.groups if topics & set(g.topics)]
    needs = []
    if len(covered) < rule.min_groups:
        names = [g.name for g in rule.groups]
        if rule.min_groups >= len(names):
            needs.append(f"evidence on {join_words(names)}")
        else:
            has = f" (it has evidence on {join_words(covered)})" if covered else ""
            needs.append(f"evidence on at least {number_words(rule.min_groups)} of {join_words(names, 'or')}{has}")
    if findings < rule.min_findings:
        needs.append(f"at least {number_words(rule.min_findings)} findings (it has {number_words(findings)})")
    return needs
