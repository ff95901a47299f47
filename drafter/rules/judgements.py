"""Roll findings up into ILACS area grades, an overall grade, and monitoring-visit progress statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir
from drafter.rules.expr import ExpressionError, compile_condition
from drafter.rules.findings import Finding
from drafter.vocab.topics import load_vocabulary

AREAS = ("leadership", "help_and_protection", "children_in_care", "care_leavers")
GRADE_KEYS = ("outstanding", "good", "requires_improvement", "inadequate")
OVERALL_NAMES = (*AREAS, *(f"{g}_areas" for g in GRADE_KEYS), "graded_areas")
COUNT_NAMES = ("strengths", "improving", "weaknesses", "serious", "positive", "negative", "deteriorating",
               "findings", "topics_with_findings", "topics_in_area")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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
    area: str
    title: str
    grade: str | None  # None: not graded (no findings)
    label: str
    why: str
    counts: Counts
    rules: tuple[str, ...] = field(default=())  # finding keys that informed it

    def to_record(self) -> dict:
        return {
            "area": self.area,
            "title": self.title,
            "grade": self.grade,
            "label": self.label,
            "why": self.why,
            "counts": self.counts.names(),
            "findings": list(self.rules),
        }


@dataclass(frozen=True)
class Progress:
    topic: str
    statement: str
    label: str
    counts: Counts
    rules: tuple[str, ...] = ()

    def to_record(self) -> dict:
        return {
            "topic": self.topic,
            "statement": self.statement,
            "label": self.label,
            "counts": self.counts.names(),
            "findings": list(self.rules),
        }


@dataclass(frozen=True)
class Judgements:
    areas: tuple[AreaJudgement, ...]
    overall: AreaJudgement
    progress: tuple[Progress, ...]

    def to_record(self) -> dict:
        return {
            "areas": [a.to_record() for a in self.areas],
            "overall": self.overall.to_record(),
            "progress": [p.to_record() for p in self.progress],
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
    if problems:
        raise RulebookError(problems)
    return rules, compiled


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


def judge(findings: list[Finding], areas_covered: list[str] | None = None) -> Judgements:
    """Return area grades, the overall grade and progress statements for the topics covered."""
    rules, compiled = load_judgement_rules()
    vocab = load_vocabulary()
    area_results = []
    for area in AREAS:
        topics = {t for t, spec in vocab.topics.items() if area in spec.areas}
        counts = count(findings, topics)
        keys = tuple(f.key for f in findings if f.topic in topics)
        grade, why = _first(rules.area_grades, compiled, counts.names())
        grade = None if grade == "none" else grade
        label = rules.grades.get(grade, "Not graded") if grade else "Not graded"
        area_results.append(AreaJudgement(area, vocab.areas[area].title, grade, label, why, counts, keys))
    grades: dict[str, Any] = {a.area: a.grade for a in area_results}
    for key in GRADE_KEYS:
        grades[f"{key}_areas"] = sum(a.grade == key for a in area_results)
    grades["graded_areas"] = sum(a.grade is not None for a in area_results)
    overall_grade, overall_why = _first(rules.overall, compiled, grades)
    overall = AreaJudgement(
        "overall",
        "Overall effectiveness",
        overall_grade,
        rules.grades[overall_grade],
        overall_why,
        count(findings, set(vocab.topics)),
        (),
    )
    progress = []
    for topic in areas_covered or []:
        counts = count(findings, {topic})
        statement, label = _first_progress(rules.progress, compiled, counts.names())
        progress.append(Progress(topic, statement, label, counts, tuple(f.key for f in findings if f.topic == topic)))
    return Judgements(tuple(area_results), overall, tuple(progress))


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
