"""Roll findings up into the ILACS judgements of the inspection's date, or into progress statements for a visit."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.evidence.pack import Evidence
from drafter.paths import rules_dir
from drafter.rules.catalogue import load_catalogue
from drafter.rules.expr import ExpressionError, compile_condition
from drafter.rules.findings import Finding
from drafter.rules.framework import (
    ActionGroup,
    FrameworkUsed,
    FrameworkVersion,
    JudgementExample,
    JudgementSpec,
    StatusMap,
    Sufficiency,
    TopicAction,
    evidence_topics,
    framework_for,
    lacking_evidence,
)
from drafter.vocab.topics import Vocabulary, load_vocabulary
from drafter.vocab.wording import join_words

AREAS = ("leadership", "help_and_protection", "children_in_care", "care_leavers")
JUDGEMENT_KEYS = (*AREAS, "children_in_care_and_care_leavers")
GRADE_KEYS = ("outstanding", "good", "requires_improvement", "inadequate")
OVERALL_NAMES = (*JUDGEMENT_KEYS, *(f"{g}_areas" for g in GRADE_KEYS), "graded_areas")
NOT_GRADED = "Not graded"
COUNT_NAMES = ("strengths", "improving", "weaknesses", "serious", "positive", "negative", "deteriorating",
               "findings", "topics_with_findings", "topics_in_area")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class GradeRule(_Strict):
    grade: Literal["outstanding", "good", "requires_improvement", "inadequate", "none"]
    when: str
    why: str


class ProgressRule(_Strict):
    statement: str
    label: str
    when: str


class JudgementRules(_Strict):
    schema_: Literal["judgements/1"] = Field(alias="schema")
    grades: dict[str, str]
    descriptors: dict[str, str]
    area_grades: list[GradeRule]
    overall: list[GradeRule]
    progress: list[ProgressRule]
    frameworks: list[FrameworkVersion] = Field(min_length=1)
    kinds: dict[str, Literal["grades", "progress"]]
    sufficiency: dict[str, Sufficiency]
    status: StatusMap
    importance: list[str]
    actions: dict[str, TopicAction]
    action_groups: list[ActionGroup] = Field(default_factory=list)
    max_improve: int = Field(default=6, ge=1)  # the most items "What needs to improve" lists
    examples: list[JudgementExample] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


@dataclass(frozen=True)
class Counts:
    strengths: int = 0
    improving: int = 0
    weaknesses: int = 0
    serious: int = 0
    deteriorating: int = 0
    topics_with_findings: int = 0
    topics_in_area: int = 0

    @property
    def positive(self) -> int:
        return self.strengths + self.improving

    @property
    def negative(self) -> int:
        return self.weaknesses + self.serious

    def names(self) -> dict[str, int]:
        return {
            "strengths": self.strengths,
            "improving": self.improving,
            "weaknesses": self.weaknesses,
            "serious": self.serious,
            "positive": self.positive,
            "negative": self.negative,
            "deteriorating": self.deteriorating,
            "findings": self.positive + self.negative,
            "topics_with_findings": self.topics_with_findings,
            "topics_in_area": self.topics_in_area,
        }

    def describe(self) -> str:
        return (
            f"{self.strengths} strengths, {self.improving} improving, {self.weaknesses} weaknesses, "
            f"{self.serious} serious weaknesses"
        )


@dataclass(frozen=True)
class AreaJudgement:
    """One judgement of the framework (or overall effectiveness): its grade, or why it is not graded."""

    area: str  # the judgement's key: leadership, help_and_protection, children_in_care_and_care_leavers, ...
    title: str
    grade: str | None  # None: not graded (not enough evidence)
    label: str
    why: str
    counts: Counts
    rules: tuple[str, ...] = field(default=())  # finding keys that informed it
    status: str = NOT_GRADED  # the briefing's word for it, from rules/judgements.yaml `status.grades`
    areas: tuple[str, ...] = ()  # the topic areas it rolls up (rules/topics.yaml)
    lacking: tuple[str, ...] = ()  # what it lacks before a grade, in words (empty when graded)

    def to_record(self) -> dict:
        return {
            "area": self.area,
            "title": self.title,
            "grade": self.grade,
            "label": self.label,
            "status": self.status,
            "why": self.why,
            "areas": list(self.areas),
            "lacking": list(self.lacking),
            "counts": self.counts.names(),
            "findings": list(self.rules),
        }


@dataclass(frozen=True)
class Progress:
    """A topic's judgement: its progress statement and, mapped from it, the briefing's status."""

    topic: str
    statement: str
    label: str
    counts: Counts
    rules: tuple[str, ...] = ()
    status: str = "Not rated"  # from rules/judgements.yaml `status.progress`: the briefing shows exactly this

    def to_record(self) -> dict:
        return {
            "topic": self.topic,
            "statement": self.statement,
            "label": self.label,
            "status": self.status,
            "counts": self.counts.names(),
            "findings": list(self.rules),
        }


@dataclass(frozen=True)
class Judgements:
    """What a pack supports: the framework's judgements (inspections), progress per topic, and the framework used."""

    areas: tuple[AreaJudgement, ...]  # the framework's judgements in table order; empty for a visit
    overall: AreaJudgement | None  # None when the document does not grade or the framework has no overall
    progress: tuple[Progress, ...]  # the topics a visit covered, in the pack's order
    topics: tuple[Progress, ...] = ()  # every topic with evidence or findings (the same objects as `progress`)
    framework: FrameworkUsed | None = None

    def topic(self, topic: str) -> Progress | None:
        """Return the judgement of one topic, or None when the pack holds nothing on it."""
        return next((p for p in self.topics if p.topic == topic), None)

    def to_record(self) -> dict:
        return {
            "framework": self.framework.to_record() if self.framework else None,
            "areas": [a.to_record() for a in self.areas],
            "overall": self.overall.to_record() if self.overall else None,
            "progress": [p.to_record() for p in self.progress],
            "topics": [p.to_record() for p in self.topics],
        }


def load_judgement_rules(path: Path | None = None) -> tuple[JudgementRules, dict[str, Any]]:
    """Return the judgement rules and their compiled conditions; raise RulebookError naming file:line."""
    return _load_cached(str(path or rules_dir() / "judgements.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> tuple[JudgementRules, dict[str, Any]]:
    rules, source = load_config(Path(path), JudgementRules, "judgement rules", RulebookError)
    compiled: dict[str, Any] = {}
    problems = []
    for section, items, names in (
        ("area_grades", rules.area_grades, COUNT_NAMES),
        ("overall", rules.overall, OVERALL_NAMES),
        ("progress", rules.progress, COUNT_NAMES),
    ):
        for i, item in enumerate(items):
            try:
                compiled[item.when] = compile_condition(item.when, names)
            except ExpressionError as exc:
                problems.append(Problem(str(exc), path=path, **source.where((section, i, "when")), found=item.when))
    problems += _check_names(rules, load_vocabulary(), path, source)
    if problems:
        raise RulebookError(problems)
    return rules, compiled


def _check_names(rules: JudgementRules, vocab: Vocabulary, path: str, source) -> list[Problem]:
    """Return a problem for every area, topic, judgement key or statement the file names but nobody defines."""
    problems = []

    def bad(loc: tuple, found: str, expected) -> None:
        problems.append(Problem(f"unknown name {found!r}", path=path, **source.where(loc), found=found,
                                expected="one of " + ", ".join(expected)))

    for f, version in enumerate(rules.frameworks):
        keys = [j.key for j in version.judgements]
        for j, spec in enumerate(version.judgements):
            if spec.key not in JUDGEMENT_KEYS:
                bad(("frameworks", f, "judgements", j, "key"), spec.key, JUDGEMENT_KEYS)
            for a, area in enumerate(spec.areas):
                if area not in vocab.areas:
                    bad(("frameworks", f, "judgements", j, "areas", a), area, vocab.areas)
        for field_name in ("sections", "overall_rests_on"):
            for i, key in enumerate(getattr(version, field_name)):
                if key not in keys:
                    bad(("frameworks", f, field_name, i), key, keys)
    for area, rule in rules.sufficiency.items():
        if area not in vocab.areas:
            bad(("sufficiency", area), area, vocab.areas)
        for g, group in enumerate(rule.groups):
            for i, topic in enumerate(group.topics):
                if topic not in vocab.topics:
                    bad(("sufficiency", area, "groups", g, "topics", i), topic, vocab.topics)
    for topic in rules.actions:
        if topic not in vocab.topics:
            bad(("actions", topic), topic, vocab.topics)
    for topic in vocab.topics:
        if topic not in rules.actions:
            problems.append(Problem(f"topic {topic!r} has no action", path=path, **source.where(("actions",)),
                                    hint=f"add `{topic}: {{improve: ..., board: ...}}` under actions"))
    grouped: set[str] = set()
    for g, group in enumerate(rules.action_groups):
        for i, topic in enumerate(group.topics):
            if topic not in vocab.topics:
                bad(("action_groups", g, "topics", i), topic, vocab.topics)
            elif topic in grouped:
                problems.append(Problem(f"topic {topic!r} is in two action groups", path=path,
                                        **source.where(("action_groups", g, "topics", i)),
                                        hint="a topic's action merges into one group at most"))
            grouped.add(topic)
    statuses = {*rules.status.grades.values(), *rules.status.progress.values()}
    for i, status in enumerate(rules.status.severity):
        if status not in statuses:
            bad(("status", "severity", i), status, sorted(statuses))
    for i, area in enumerate(rules.importance):
        if area not in vocab.areas:
            bad(("importance", i), area, vocab.areas)
    for item in rules.progress:
        if item.statement not in rules.status.progress:
            problems.append(Problem(f"progress statement {item.statement!r} has no status", path=path,
                                    **source.where(("status", "progress")), expected="a status for every statement",
                                    hint=f"add `{item.statement}: Amber` (or Red, Green) under status.progress"))
    for grade in (*GRADE_KEYS, "none"):
        if grade not in rules.status.grades:
            problems.append(Problem(f"grade {grade!r} has no status", path=path, **source.where(("status", "grades")),
                                    expected="a status for every grade and for none"))
    return problems


def count(findings: list[Finding], topics: set[str]) -> Counts:
    """Return the verdict counts of findings on the given topics."""
    relevant = [f for f in findings if f.topic in topics]
    return Counts(
        strengths=sum(f.verdict == "strength" for f in relevant),
        improving=sum(f.verdict == "improving" for f in relevant),
        weaknesses=sum(f.verdict == "weakness" for f in relevant),
        serious=sum(f.verdict == "serious_weakness" for f in relevant),
        deteriorating=sum("deterioration" in f.tags for f in relevant),
        topics_with_findings=len({f.topic for f in relevant}),
        topics_in_area=len(topics),
    )


def area_topics(vocab: Vocabulary, areas: tuple[str, ...] | list[str]) -> set[str]:
    """Return the topics that inform any of the given areas (rules/topics.yaml `areas`)."""
    return {t for t, spec in vocab.topics.items() if set(spec.areas) & set(areas)}


def judge(findings: list[Finding], evidence: Evidence) -> Judgements:
    """Return the judgements a pack supports: graded judgements of the framework in force on the
    inspection's date (only where the evidence is enough), or progress statements for a visit; and a
    judgement (with its status) for every topic the pack holds evidence on."""
    rules, compiled = load_judgement_rules()
    vocab = load_vocabulary()
    used = framework_for(evidence, rules.frameworks, rules.kinds)
    have = evidence_topics(evidence, load_catalogue())
    findings = [f for f in findings if f.topic in vocab.topics]
    topics = []
    for topic in vocab.topics:
        if topic in have or any(f.topic == topic for f in findings):
            topics.append(_progress(topic, findings, rules, compiled))
    by_topic = {p.topic: p for p in topics}
    covered = [t for t in evidence.pack.document.areas_covered if t in vocab.topics]
    progress = tuple(by_topic.get(t) or _progress(t, findings, rules, compiled) for t in covered)
    if not used.grades:
        return Judgements((), None, progress, tuple(topics), used)
    areas = tuple(_grade(spec, findings, have, rules, compiled, vocab) for spec in used.version.judgements)
    return Judgements(areas, _overall(used.version, areas, findings, rules, compiled, vocab), progress,
                      tuple(topics), used)


def _progress(topic: str, findings: list[Finding], rules: JudgementRules, compiled: dict[str, Any]) -> Progress:
    counts = count(findings, {topic})
    statement, label = _first_progress(rules.progress, compiled, counts.names())
    keys = tuple(f.key for f in findings if f.topic == topic)
    return Progress(topic, statement, label, counts, keys, rules.status.progress[statement])


def _grade(spec: JudgementSpec, findings: list[Finding], have: set[str], rules: JudgementRules,
           compiled: dict[str, Any], vocab: Vocabulary) -> AreaJudgement:
    topics = area_topics(vocab, spec.areas)
    counts = count(findings, topics)
    keys = tuple(f.key for f in findings if f.topic in topics)
    lacking: list[str] = []
    for area in spec.areas:
        rule = rules.sufficiency.get(area)
        if rule is not None:
            found = count(findings, area_topics(vocab, [area])).names()["findings"]
            prefix = f"{vocab.areas[area].short}: " if len(spec.areas) > 1 else ""
            lacking += [prefix + item for item in lacking_evidence(rule, have, found)]
    if lacking:
        why = "not graded: to be graded it needs " + "; and ".join(lacking)
        return AreaJudgement(spec.key, spec.title, None, NOT_GRADED, why, counts, keys,
                             rules.status.grades["none"], tuple(spec.areas), tuple(lacking))
    grade, why = _first(rules.area_grades, compiled, counts.names())
    grade = None if grade == "none" else grade
    label = rules.grades.get(grade, NOT_GRADED) if grade else NOT_GRADED
    return AreaJudgement(spec.key, spec.title, grade, label, why, counts, keys,
                         rules.status.grades[grade or "none"], tuple(spec.areas), ())


def _overall(version: FrameworkVersion, areas: tuple[AreaJudgement, ...], findings: list[Finding],
             rules: JudgementRules, compiled: dict[str, Any], vocab: Vocabulary) -> AreaJudgement | None:
    if version.overall is None:
        return None
    counts = count(findings, set(vocab.topics))
    rests = [a for a in areas if a.area in version.overall_rests_on]
    ungraded = [a for a in rests if a.grade is None]
    if ungraded:
        names = [join_words([vocab.areas[area].short for area in a.areas]) for a in ungraded]
        lacking = (f"grades for {join_words(names)}",)
        why = "not graded: it rests on every judgement, and to be graded it needs " + lacking[0]
        return AreaJudgement("overall", version.overall, None, NOT_GRADED, why, counts, (),
                             rules.status.grades["none"], (), lacking)
    names: dict[str, Any] = dict.fromkeys(JUDGEMENT_KEYS)
    names.update({a.area: a.grade for a in areas})
    for key in GRADE_KEYS:
        names[f"{key}_areas"] = sum(a.grade == key for a in areas)
    names["graded_areas"] = sum(a.grade is not None for a in areas)
    grade, why = _first(rules.overall, compiled, names)
    return AreaJudgement("overall", version.overall, grade, rules.grades[grade], why, counts, (),
                         rules.status.grades[grade], ())


ARITHMETIC = {"min": min, "max": max, "abs": abs, "round": round}


def _holds(when: str, compiled: dict[str, Any], names: dict[str, Any]) -> bool:
    """Return whether a judgement condition holds; a condition that fails to evaluate is a rulebook error."""
    try:
        return bool(compiled[when](**ARITHMETIC, **names))
    except Exception as exc:  # the condition comes from a user-editable file
        raise RulebookError(Problem(f"a judgement condition failed to evaluate: {exc}",
                                    path=str(rules_dir() / "judgements.yaml"), found=when,
                                    hint="use only the names listed at the top of judgements.yaml")) from None


def _first(items: list[GradeRule], compiled: dict[str, Any], names: dict[str, Any]) -> tuple[str, str]:
    for item in items:
        if _holds(item.when, compiled, names):
            return item.grade, item.why
    return "requires_improvement", "no judgement rule matched"


def _first_progress(items: list[ProgressRule], compiled: dict[str, Any], names: dict[str, Any]) -> tuple[str, str]:
    for item in items:
        if _holds(item.when, compiled, names):
            return item.statement, item.label
    return "insufficient_progress", "insufficient progress"
