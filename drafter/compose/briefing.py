"""Compose a board briefing: summary, status table, key findings, actions, charts and the evidence appendix."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.compose.actions import rank_actions
from drafter.compose.briefing_findings import bullet, key_findings, summary_sentences
from drafter.compose.briefing_table import evidence_rows, status_rows
from drafter.compose.inspection import annotated_span
from drafter.compose.letter import Composed, _Spans, render_template
from drafter.compose.paragraphs import escape_markdown
from drafter.config import load_config
from drafter.document.model import Meta
from drafter.errors import Problem, TemplateError
from drafter.paths import templates_dir
from drafter.pipeline import Assessment
from drafter.rules.catalogue import load_catalogue
from drafter.rules.judgements import load_judgement_rules
from drafter.vocab import wording
from drafter.vocab.topics import load_vocabulary


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Measure(_Strict):
    indicator: str
    name: str
    share: list[str] = Field(default_factory=list)


class Summary(_Strict):
    all_graded: str
    none_graded: str
    graded: str
    not_graded: str
    overall: str
    overall_not_graded: str
    no_overall: str
    status: dict[str, str]
    top_concern: str
    improving: str
    strength: str


class BriefingConfig(_Strict):
    schema_: Literal["briefing/1"] = Field(alias="schema")
    purpose: str
    main_topics: list[str]
    measures: dict[str, list[Measure]]
    month_abbreviations: dict[str, str] = Field(default_factory=dict)
    direction_words: dict[str, str]
    key_strengths: int = Field(default=4, ge=0)
    key_concerns: int = Field(default=5, ge=0)
    note_sentences: int = Field(default=2, ge=1)
    max_actions: int = Field(default=6, ge=1, le=8)
    notes_heading: str
    no_evidence: str
    not_graded: str
    summary: Summary

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


@lru_cache(maxsize=4)
def load_briefing_config(path: str | None = None) -> BriefingConfig:
    """Return the briefing configuration from templates/briefing.yaml; raise TemplateError when invalid."""
    target = Path(path) if path else templates_dir() / "briefing.yaml"
    config, source = load_config(target, BriefingConfig, "briefing configuration", TemplateError)
    topics, catalogue = load_vocabulary().topics, load_catalogue()
    problems = []
    for i, topic in enumerate(config.main_topics):
        if topic not in topics:
            problems.append(Problem(f"unknown topic {topic!r}", path=str(target), **source.where(("main_topics", i)),
                                    expected="a topic from rules/topics.yaml"))
    for topic, measures in config.measures.items():
        if topic not in topics:
            problems.append(Problem(f"unknown topic {topic!r}", path=str(target), **source.where(("measures", topic)),
                                    expected="a topic from rules/topics.yaml"))
        for i, measure in enumerate(measures):
            if catalogue.get(measure.indicator) is None:
                problems.append(Problem(f"unknown indicator {measure.indicator!r}", path=str(target),
                                        **source.where(("measures", topic, i, "indicator")),
                                        expected="an indicator id from rules/indicators.yaml"))
    if problems:
        raise TemplateError(problems)
    return config


def compose_briefing(assessment: Assessment) -> tuple[Composed, dict[str, bytes]]:
    """Return the composed briefing and the chart images it names."""
    from drafter.charts import draw_charts
    from drafter.compose.phrases import load_phrases
    from drafter.compose.planning import load_planning, plan_letter
    from drafter.compose.realise import Realiser

    config = load_briefing_config()
    catalogue = load_catalogue()
    vocab = load_vocabulary()
    rules = load_judgement_rules()[0]
    evidence = assessment.evidence
    pack = evidence.pack
    judgements = assessment.judgements
    created = dt.datetime.combine(pack.as_of, dt.time(12, 0), tzinfo=dt.UTC)
    spans = _Spans(created)
    title = f"{pack.authority} children's services: improvement board briefing"

    # The letter's plan in the figures register: one message per measure or aspect, with its merged
    # findings, so that each fact is said once, with its figures, period and comparator's year.
    plan = plan_letter(assessment, "inline")
    realiser = Realiser("inline", load_phrases(), load_planning(), assessment)
    strengths, concerns = key_findings(plan, assessment, config, rules, vocab)
    rows, no_evidence = status_rows(assessment, config, catalogue, vocab)
    graded = [*judgements.areas, *([judgements.overall] if judgements.overall else [])]
    judgement_rows = [{"title": escape_markdown(a.title), "status": a.status, "label": a.label} for a in graded]
    not_graded = [config.not_graded.format(title=a.title, lacking="; and ".join(a.lacking))
                  for a in graded if a.grade is None and a.lacking and a.area != "overall"]
    statuses = {r["status"] for r in (*rows, *judgement_rows)}
    legend = [f"{s}: {meaning}" for s, meaning in rules.status.legend.items() if s in statuses]  # words, no colour
    summary = summary_sentences(assessment, plan, config, vocab, rows, strengths, concerns, realiser, spans)

    actions = []
    for action in rank_actions(list(assessment.findings), rules, vocab, judgements, spread=True)[: config.max_actions]:
        label = escape_markdown(action.heading)
        actions.append(f"**{label}:** " + annotated_span(spans, escape_markdown(action.board), action.provenance()))

    chart_set = draw_charts(evidence)
    images = {f"chart-{c.id}.png": c.png for c in chart_set}
    charts = [{"name": f"chart-{c.id}.png", "alt": escape_markdown(c.alt),
               "caption": c.caption.replace('"', "'").replace("\\", "")} for c in chart_set]
    notes = briefing_notes(assessment, chart_set.skipped)
    title_md = spans.note(title, "\n".join([config.notes_heading, *notes])) if notes else escape_markdown(title)

    context = {
        "title": title_md,
        "authority": escape_markdown(pack.authority),
        "date": wording.date_words(pack.document.date or pack.as_of),
        "purpose": escape_markdown(pack.document.purpose
                                   or config.purpose.format(as_of=wording.date_words(pack.as_of))),
        "summary": " ".join(summary),
        "judgement_rows": judgement_rows,
        "status_rows": rows,
        "region_heading": escape_markdown(_region_heading(pack)),
        "status_legend": [escape_markdown(line) for line in legend],
        "no_evidence": escape_markdown(config.no_evidence.format(topics=wording.join_words(no_evidence)))
        if no_evidence else "",
        "not_graded": [escape_markdown(line) for line in not_graded],
        "strengths": [spans(m.findings, bullet(m, realiser, config.note_sentences)) for m in strengths],
        "concerns": [spans(m.findings, bullet(m, realiser, config.note_sentences)) for m in concerns],
        "charts": charts,
        "actions": actions,
        "evidence_rows": evidence_rows(assessment, catalogue, config.month_abbreviations),
    }
    path = templates_dir() / "board_briefing.md.j2"
    markdown = render_template(path, context)
    meta = Meta(title=title, author="drafter", subject=f"{pack.authority} children's services",
                keywords="drafter; board briefing", created=created, comments=dict(spans.comments))
    return Composed(markdown, dict(spans.comments), meta, path.name), images


def briefing_notes(assessment: Assessment, chart_notes: list[str] | None = None) -> list[str]:
    """Return what the drafter of a briefing should know but the board need not read: the charts (or
    series) left out for want of figures, and how many rules the evidence could not evaluate."""
    from drafter.compose.planning import drafter_notes

    if chart_notes is None:
        from drafter.charts import chart_gaps  # the chart book only: nothing is drawn

        chart_notes = chart_gaps(assessment.evidence)
    return [*chart_notes, *drafter_notes(assessment)]


def _region_heading(pack) -> str:
    """Return the region column's heading: the authority's region by name, or 'Region'."""
    from drafter.official.authorities import region_name
    from drafter.official.comparators import pack_authority

    authority = pack_authority(pack.authority, pack.la_code)
    return region_name(authority.region) if authority and authority.region else "Region"
