"""Findings and their provenance: what a rule concluded and the evidence that decided it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["strength", "improving", "weakness", "serious_weakness"]
VERDICTS: tuple[str, ...] = ("strength", "improving", "weakness", "serious_weakness")
POSITIVE_VERDICTS = ("strength", "improving")
Status = Literal["fires", "quiet", "not_evaluable", "error"]


@dataclass(frozen=True)
class Used:
    """One piece of evidence or configuration a rule read while deciding."""

    kind: Literal["value", "comparator", "threshold", "sample", "audit", "note", "param"]
    name: str  # indicator id, sample feature, param name, note topic
    value: object
    period: str | None = None
    team: str | None = None
    detail: str = ""  # unit, label, source: whatever a reader needs to check it
    published: str | None = None  # YYYY-MM: when an official or dated comparator was published

    def describe(self) -> str:
        """Return one line a reader can check against the pack: 'caseload.average = 17.6 (2022-03)'."""
        where = f" [{self.team}]" if self.team else ""
        when = f" ({self.period})" if self.period else ""
        extra = f"; {self.detail}" if self.detail else ""
        if self.kind == "value":
            return f"{self.name}{where} = {self.value}{when}{extra}"
        if self.kind == "comparator":
            return f"comparator for {self.name} = {self.value}{when}{extra}"
        if self.kind == "threshold":
            return f"threshold {self.name} = {self.value}{extra}"
        if self.kind == "sample":
            return f"sample {self.name}: {self.value}{extra}"
        if self.kind == "audit":
            return f"audit.ratings{where}{when}: {self.value}{extra}"
        if self.kind == "note":
            return f"note on {self.name}: {self.value}{extra}"
        return f"{self.name} = {self.value}{extra}"

    def to_record(self) -> dict:
        """Return a JSON-ready dict."""
        value = self.value
        if not isinstance(value, int | float | str | bool | dict | list | type(None)):
            value = str(value)
        return {
            "kind": self.kind,
            "name": self.name,
            "value": value,
            "period": self.period,
            "team": self.team,
            "detail": self.detail,
            "published": self.published,
        }


@dataclass(frozen=True)
class Finding:
    """A rule's conclusion about a topic: verdict, the sentence that says it, and why."""

    rule_id: str
    rule_name: str
    topic: str
    verdict: Verdict
    sentence: str
    used: tuple[Used, ...]
    team: str | None = None
    tags: tuple[str, ...] = ()
    subject: str | None = None  # what the finding is about within the topic (a note, a sample)
    why: str = ""  # the rule's plain-English reason the finding matters (rulebook `why`)
    words: tuple[str, ...] = ()  # the words-only variants, rendered (the rule's `words:`), first choice first

    @property
    def key(self) -> str:
        """Return a stable id for this finding within one pack (rule plus team or subject)."""
        return self.rule_id + (f"/{self.team}" if self.team else "") + (f"/{self.subject}" if self.subject else "")

    def provenance(self) -> str:
        """Return the text of the Word comment, written for a reader (see `drafter.rules.provenance`)."""
        from drafter.rules.provenance import comment_text  # it loads the catalogue and comment wording

        return comment_text(self)

    def to_record(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "rule": self.rule_id,
            "name": self.rule_name,
            "topic": self.topic,
            "verdict": self.verdict,
            "sentence": self.sentence,
            "team": self.team,
            "subject": self.subject,
            "tags": list(self.tags),
            "evidence": [u.to_record() for u in self.used],
        }


@dataclass(frozen=True)
class Outcome:
    """What happened when one rule met one pack (or one team or note within it)."""

    rule_id: str
    rule_name: str
    topic: str
    status: Status
    finding: Finding | None = None
    missing: tuple[str, ...] = ()
    why_missing: tuple[str, ...] = ()
    used: tuple[Used, ...] = ()
    team: str | None = None
    subject: str | None = None
    error: str = ""
    verdict: str | None = None

    def to_record(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "rule": self.rule_id,
            "name": self.rule_name,
            "topic": self.topic,
            "status": self.status,
            "verdict": self.finding.verdict if self.finding else None,
            "sentence": self.finding.sentence if self.finding else None,
            "team": self.team,
            "subject": self.subject,
            "missing": list(self.missing),
            "why_missing": list(self.why_missing),
            "evidence": [u.to_record() for u in self.used],
            "error": self.error or None,
        }


@dataclass
class Recorder:
    """Collects what helpers read during one evaluation, in order, without repeats."""

    used: list[Used] = field(default_factory=list)

    def add(self, item: Used) -> None:
        if item not in self.used:
            self.used.append(item)
