"""Compose an inspection summary in the report's shape: judgements table, what needs to improve, judgement sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from drafter.compose.actions import home_area, rank_actions
from drafter.compose.paragraphs import compose_paragraphs, escape_markdown, lower_first
from drafter.compose.phrases import Phrases
from drafter.document.model import Comment
from drafter.pipeline import Assessment
from drafter.rules.findings import Finding
from drafter.rules.judgements import AreaJudgement, load_judgement_rules
from drafter.vocab.topics import Vocabulary

# Compose one section's paragraphs from its findings: (findings, phrases, span) -> Markdown paragraphs.
# The default writes each topic's findings as paragraphs; a planner can pass its own.
SectionWriter = Callable[[list[Finding], Phrases, Callable[[Finding, str], str]], list[str]]
WEAK_GRADES = (None, "inadequate", "requires_improvement")  # a section that opens with its key concern


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
                       write: SectionWriter = topic_paragraphs, plan=None) -> dict:
    """Return what the inspection summary template adds to a letter's context: the judgement table, the
    "What needs to improve" actions and a section per judgement (values escaped, findings as spans).

    With the letter's plan (`plan`, or recovered from a planned `write`), each judgement's section says
    the plan's messages for its topics, opening with the judgement's key finding (`key_message`), and is
    realised afresh in that order so that its connectives follow what is said before them.
    """
    judgements = assessment.judgements
    rules = load_judgement_rules()[0]
    overall = judgements.overall
    table = [*judgements.areas, *([overall] if overall else [])]
    improve = []
    for action in rank_actions(list(assessment.findings), rules, vocab, judgements)[: rules.max_improve]:
        improve.append(annotated_span(spans, escape_markdown(action.improve), action.provenance()))
    if plan is None and write is not topic_paragraphs:
        from drafter.compose.planning import plan_letter

        plan = plan_letter(assessment, planned_register(write, assessment, phrases))
    realiser = _realiser(plan, phrases, assessment) if plan is not None else None
    sections = []
    for section in judgement_sections(assessment, vocab):
        j = section.judgement
        heading = j.title + (f": {j.label[:1].lower() + j.label[1:]}" if j.grade else "")
        if not section.findings:
            paragraphs = []
        elif realiser is not None:
            paragraphs = judgement_paragraphs(section, plan, realiser, phrases, spans)
        else:
            paragraphs = write(list(section.findings), phrases, spans)
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


def planned_register(write: SectionWriter, assessment: Assessment, phrases: Phrases) -> str:
    """Return the register ("words" or "inline") a planned section writer says its messages in.

    The writer is asked for every topic with a recorder in place of the span maker, so nothing is
    added to the document: a message whose lead finding has words variants is said in the figures
    register when its text holds the finding's own sentence.
    """
    said: list[tuple[list[Finding], str]] = []

    def record(findings, text=None) -> str:
        said.append((list(findings) if isinstance(findings, list | tuple) else [findings], text or ""))
        return ""

    write(list(assessment.findings), phrases, record)
    for findings, text in said:
        lead = findings[0]
        if lead.words and lead.sentence not in lead.words and (lead.sentence in text
                                                              or lower_first(lead.sentence) in text):
            return "inline"
    return "words"


def _realiser(plan, phrases: Phrases, assessment: Assessment):
    from drafter.compose.planning import load_planning
    from drafter.compose.realise import Realiser

    return Realiser(plan.register, phrases, load_planning(), assessment)


def key_message(by_topic: dict[str, list], graded: str | None):
    """Return the message a judgement's section opens with, from its topics' messages (in section order).

    For a judgement that is not good (or not graded): the most serious concern of its most serious topic
    (the most serious weaknesses, then the most weaknesses), as "What needs to improve" ranks them; for a
    good or outstanding one, the best-evidenced strength of its strongest topic. Messages that refer to
    other topics' measures are not chosen; None when nothing fits.
    """
    concern = graded in WEAK_GRADES
    first, both = (("serious_weakness",), ("serious_weakness", "weakness")) if concern else (
        ("strength",), ("strength", "improving"))

    def weight(findings) -> tuple[int, int]:
        return (-sum(f.verdict in first for f in findings), -sum(f.verdict in both for f in findings))

    topics = sorted(by_topic, key=lambda t: weight([f for m in by_topic[t] for f in m.findings]))
    for topic in topics:  # sorted() is stable: the section's order breaks ties
        fitting = [m for m in by_topic[topic] if not m.refer and m.positive != concern]
        if fitting:
            return min(fitting, key=lambda m: weight(m.findings))
    return None


def judgement_paragraphs(section: Section, plan, realiser, phrases: Phrases, spans) -> list[str]:
    """Return a judgement section's paragraphs: the plan's messages for its topics, the key finding's topic
    first, and in it the key message, the rest on its side, then the other side (so that one contrast
    joins them), realised in that order (each message one span with its merged comment)."""
    from drafter.compose.letter import planned_paragraphs
    from drafter.compose.planning import Section as TopicSection

    topics = list(dict.fromkeys(f.topic for f in section.findings))
    by_topic = {s.topic: s for s in plan.sections if s.topic in topics}
    topics = [t for t in topics if t in by_topic]
    key = key_message({t: by_topic[t].messages for t in topics}, section.judgement.grade)
    if key is not None:
        topics.sort(key=lambda t: t != key.topic)
    realiser.reset()
    paragraphs = []
    for topic in topics:
        own = [replace(m) for m in by_topic[topic].messages]  # copies: the plan's messages keep their text
        if key is not None and topic == key.topic:  # the key, the others on its side, then the other side
            index = next(i for i, m in enumerate(by_topic[topic].messages) if m is key)
            lead = own.pop(index)
            own = [lead, *(m for m in own if m.positive == lead.positive),
                   *(m for m in own if m.positive != lead.positive)]
        part = TopicSection(topic, by_topic[topic].covered, own)
        realiser.realise_section(part, phrases.max_sentences_per_paragraph)
        paragraphs += planned_paragraphs(part, spans)
    return paragraphs


def annotated_span(spans, body: str, provenance: str) -> str:
    """Return `body` as a span carrying a provenance comment of its own (not one finding's)."""
    cid = f"c{len(spans.comments) + 1}"
    spans.comments[cid] = Comment(cid, provenance, date=spans.when)
    return f"[{body}]{{.action comment={cid}}}"
