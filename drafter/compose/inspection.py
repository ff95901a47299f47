"""Compose an inspection summary in the report's shape: judgements table, what needs to improve, judgement sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drafter.compose.actions import home_area, rank_actions
from drafter.compose.paragraphs import compose_paragraphs, escape_markdown
from drafter.compose.phrases import Phrases
from drafter.document.model import Comment
from drafter.pipeline import Assessment
from drafter.rules.findings import Finding
from drafter.rules.judgements import AreaJudgement, load_judgement_rules
from drafter.vocab.topics import Vocabulary

# Compose one section's paragraphs from its findings: (findings, phrases, span) -> Markdown paragraphs.
# The default writes each topic's findings as paragraphs; a planner can pass its own.
SectionWriter = Callable[[list[Finding], Phrases, Callable[[Finding, str], str]], list[str]]


@dataclass(frozen=True)
class Section:
    """One judgement's section of the summary and the findings written under it, in reading order."""

    judgement: AreaJudgement
    findings: tuple[Finding, ...]


def judgement_sections(assessment: Assessment, vocab: Vocabulary) -> list[Section]:
    """Return a section per judgement of the framework, in the report's section order, each with the
    findings of the topics whose home area the judgement rolls up (a topic is written up once)."""
    judgements = assessment.judgements
    if judgements.framework is None or not judgements.areas:
        return []
    by_key = {a.area: a for a in judgements.areas}
    sections = []
    for key in judgements.framework.version.sections:
        judgement = by_key[key]
        topics = []
        for area in judgement.areas:  # area by area; the area's own topic (leadership, care leavers) opens it
            own = [t for t in vocab.topics if home_area(t, vocab) == area]
            topics += sorted(own, key=lambda t: t != area)
        found = [f for t in topics for f in assessment.findings if f.topic == t]
        sections.append(Section(judgement, tuple(found)))
    return sections


def topic_paragraphs(findings: list[Finding], phrases: Phrases, span: Callable[[Finding, str], str]) -> list[str]:
    """Return paragraphs for a section's findings: each topic's findings together, topics in the order given."""
    topics = list(dict.fromkeys(f.topic for f in findings))
    return [p for t in topics for p in compose_paragraphs([f for f in findings if f.topic == t], phrases, span)]


def inspection_context(assessment: Assessment, phrases: Phrases, vocab: Vocabulary, spans,
                       write: SectionWriter = topic_paragraphs) -> dict:
    """Return what the inspection summary template adds to a letter's context: the judgement table, the
    "What needs to improve" actions and a section per judgement (values escaped, findings as spans)."""
    judgements = assessment.judgements
    rules = load_judgement_rules()[0]
    overall = judgements.overall
    table = [*judgements.areas, *([overall] if overall else [])]
    improve = []
    for action in rank_actions(list(assessment.findings), rules, vocab):
        improve.append(annotated_span(spans, escape_markdown(action.improve), action.provenance()))
    sections = []
    for section in judgement_sections(assessment, vocab):
        j = section.judgement
        heading = j.title + (f": {j.label[:1].lower() + j.label[1:]}" if j.grade else "")
        paragraphs = write(list(section.findings), phrases, spans) if section.findings else []
        sections.append({"key": j.area, "heading": escape_markdown(heading), "title": escape_markdown(j.title),
                         "label": j.label, "graded": j.grade is not None, "paragraphs": paragraphs})
    framework = judgements.framework
    return {
        "framework": escape_markdown(framework.version.name) if framework else "",
        "judgement_table": [{"title": escape_markdown(j.title), "label": j.label} for j in table],
        "has_overall": overall is not None,
        "overall_graded": bool(overall and overall.grade),
        "overall": overall.label.lower() if overall and overall.grade else "",
        "improve": improve,
        "judgement_sections": sections,
    }


def annotated_span(spans, body: str, provenance: str) -> str:
    """Return `body` as a span carrying a provenance comment of its own (not one finding's)."""
    cid = f"c{len(spans.comments) + 1}"
    spans.comments[cid] = Comment(cid, provenance, date=spans.when)
    return f"[{body}]{{.action comment={cid}}}"
