"""Compose a board briefing: status table, key findings, charts, actions and the evidence appendix."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.charts import draw_charts
from drafter.compose.actions import rank_actions
from drafter.compose.inspection import annotated_span
from drafter.compose.letter import Composed, _Spans, render_template
from drafter.compose.paragraphs import escape_markdown, lower_first
from drafter.config import load_config
from drafter.document.model import Meta
from drafter.errors import TemplateError
from drafter.evidence.pack import Series
from drafter.paths import templates_dir
from drafter.pipeline import Assessment
from drafter.rules.catalogue import IndicatorSpec, load_catalogue
from drafter.rules.judgements import count, load_judgement_rules
from drafter.vocab import wording
from drafter.vocab.language import load_language
from drafter.vocab.topics import load_vocabulary


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class MainTopic(_Strict):
    topic: str
    indicator: str
    share: list[str] = Field(default_factory=list)


class Summary(_Strict):
    counts: str
    overall: str
    overall_not_graded: str
    no_overall: str
    progress: str
    top_concern: str


class BriefingConfig(_Strict):
    schema_: Literal["briefing/1"] = Field(alias="schema")
    purpose: str
    main_topics: list[MainTopic]
    direction_words: dict[str, str]
    key_strengths: int = 5
    key_concerns: int = 6
    max_actions: int = Field(default=8, ge=1)
    no_evidence: str
    not_graded: str
    summary: Summary

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


@lru_cache(maxsize=4)
def load_briefing_config(path: str | None = None) -> BriefingConfig:
    """Return the briefing configuration from templates/briefing.yaml; raise TemplateError when invalid."""
    target = Path(path) if path else templates_dir() / "briefing.yaml"
    return load_config(target, BriefingConfig, "briefing configuration", TemplateError)[0]


def format_value(value: float, spec: IndicatorSpec) -> str:
    """Return a value with its unit as a board paper prints it: '21.5%', '458 days', '17.2'."""
    shown = wording.num(value)
    return {"percent": f"{shown}%", "days": f"{shown} days", "weeks": f"{shown} weeks",
            "per_10000": f"{shown} per 10,000"}.get(spec.unit, shown)


def _audit_share(counts: dict[str, int], grades: list[str]) -> float:
    total = sum(counts.values())
    return sum(counts.get(g, 0) for g in grades) / total if total else 0.0


def _series_values(series: Series, spec: IndicatorSpec, grades: list[str]) -> list[float]:
    if spec.unit == "grades":
        return [100 * _audit_share(p.value, grades or ["inadequate"]) for p in series.points]
    return [p.value for p in series.points]


def direction(series: Series | None, spec: IndicatorSpec, config: BriefingConfig, grades: list[str]) -> str:
    """Return the direction of travel since the previous period, in words with an arrow."""
    words = config.direction_words
    if series is None:
        return words["missing"]
    values = _series_values(series, spec, grades)
    if len(values) < 2:
        return words["single"]
    before, after = values[-2], values[-1]
    if abs(after - before) <= load_language().trend.stable_within * (abs(before) or 1.0):
        return words["same"]
    if spec.better == "context":
        return words["context"]
    lower_is_better = spec.better == "lower" or (spec.unit == "grades")  # tracked grades are the bad ones
    improved = (after < before) if lower_is_better else (after > before)
    return words["better" if improved else "worse"]


def comparator_cell(evidence, spec: IndicatorSpec, group: str, team: str | None = None) -> str:
    """Return a comparator as the status table shows it, with its year: '22.4% (2023 to 2024)', or '–'."""
    from drafter.errors import NotEvaluable
    from drafter.official.comparators import resolve

    try:
        figure = resolve(evidence, spec.id, group, team)
    except NotEvaluable:
        return "–"
    shown = format_value(figure.value, spec)
    if figure.period is None:
        return f"{shown} (given in the pack)"
    return f"{shown} ({figure.when.removeprefix('for ').removeprefix('at ')})"


def _region_heading(pack) -> str:
    """Return the region column's heading: the authority's region by name, or 'Region'."""
    from drafter.official.authorities import region_name
    from drafter.official.comparators import pack_authority

    authority = pack_authority(pack.authority, pack.la_code)
    return region_name(authority.region) if authority and authority.region else "Region"


def compose_briefing(assessment: Assessment) -> tuple[Composed, dict[str, bytes]]:
    """Return the composed briefing and the chart images it names."""
    config = load_briefing_config()
    catalogue = load_catalogue()
    vocab = load_vocabulary()
    evidence = assessment.evidence
    pack = evidence.pack
    created = dt.datetime.combine(pack.as_of, dt.time(12, 0), tzinfo=dt.UTC)
    spans = _Spans(created)
    findings = list(assessment.findings)
    judgements = assessment.judgements
    rules = load_judgement_rules()[0]

    # One source of status: every row's status is the `status` of a judgement object (a grade or a
    # topic's progress statement mapped by rules/judgements.yaml), the same object the letter states.
    rows = []
    graded = [*judgements.areas, *([judgements.overall] if judgements.overall else [])]
    for area in graded:
        rows.append({"name": escape_markdown(area.title), "status": area.status,
                     "direction": "–", "latest": "–", "england": "–", "region": "–", "neighbours": "–"})
    covered = {p.topic: p for p in judgements.progress}
    mains = {m.topic: m for m in config.main_topics}
    no_evidence = []
    for topic in [*covered, *(m.topic for m in config.main_topics if m.topic not in covered)]:
        judged = covered.get(topic) or judgements.topic(topic)
        if judged is None:  # the pack holds nothing on it: named on one line below the table
            no_evidence.append(vocab.topics[topic].label)
            continue
        main = mains.get(topic)
        spec = catalogue.get(main.indicator) if main else None
        status = judged.status
        series = evidence.get(main.indicator) if main else None
        latest = england = "–"
        benchmarks = {"region": "–", "neighbours": "–"}
        if series is not None and spec is not None:
            if spec.unit == "grades":
                share = _audit_share(series.latest.value, main.share)
                latest = f"{wording.share_pct(share)} {' or '.join(g.replace('_', ' ') for g in main.share)}"
            else:
                latest = format_value(series.latest.value, spec)
            latest += f" ({series.latest.period.words()})"
            england = comparator_cell(evidence, spec, "england")
            benchmarks = {"region": comparator_cell(evidence, spec, "region"),
                          "neighbours": comparator_cell(evidence, spec, "statistical_neighbours")}
        rows.append({"name": escape_markdown(vocab.topics[topic].heading), "status": status,
                     "direction": direction(series, spec, config, main.share) if spec and main else "–",
                     "latest": escape_markdown(latest), "england": escape_markdown(england),
                     "region": escape_markdown(benchmarks["region"]),
                     "neighbours": escape_markdown(benchmarks["neighbours"])})

    strengths = [f for f in findings if f.verdict in ("strength", "improving")][: config.key_strengths]
    concerns = sorted((f for f in findings if f.verdict in ("serious_weakness", "weakness")),
                      key=lambda f: f.verdict != "serious_weakness")
    chart_set = draw_charts(evidence)
    images = {f"chart-{c.id}.png": c.png for c in chart_set}
    charts = [{"name": f"chart-{c.id}.png", "alt": escape_markdown(c.alt),
               "caption": c.caption.replace('"', "'").replace("\\", "")} for c in chart_set]
    actions = []
    for action in rank_actions(findings, rules, vocab, spread=True)[: config.max_actions]:
        label = escape_markdown(vocab.topics[action.topic].heading)
        actions.append(f"**{label}:** " + annotated_span(spans, escape_markdown(action.board), action.provenance()))
    not_graded = [config.not_graded.format(title=a.title, lacking="; and ".join(a.lacking))
                  for a in graded if a.grade is None and a.lacking and a.area != "overall"]
    statuses = {r["status"] for r in rows}
    legend = [f"{s}: {meaning}" for s, meaning in rules.status.legend.items() if s in statuses]

    summary = _summary(assessment, config, vocab, concerns)
    evidence_rows = []
    for (indicator, team), series in evidence.series.items():
        spec = catalogue.get(indicator)
        if spec is None:
            continue
        if spec.unit == "grades":
            value = ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in series.latest.value.items())
            previous = ("–" if len(series.points) < 2 else
                        ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in series.points[-2].value.items()))
            england_text = "no national benchmark"
        else:
            value = format_value(series.latest.value, spec)
            previous = format_value(series.points[-2].value, spec) if len(series.points) > 1 else "–"
            england_text = comparator_cell(evidence, spec, "england", team)
        team_name = wording.team_words(team).capitalize() if team else "All"  # words, never the raw id
        evidence_rows.append({"label": escape_markdown(spec.label[:1].upper() + spec.label[1:]),
                              "team": escape_markdown(team_name), "period": series.latest.period.words(),
                              "value": escape_markdown(value), "previous": escape_markdown(previous),
                              "england": escape_markdown(england_text)})

    context = {
        "authority": escape_markdown(pack.authority),
        "date": wording.date_words(pack.document.date or pack.as_of),
        "purpose": escape_markdown(pack.document.purpose
                                   or config.purpose.format(as_of=wording.date_words(pack.as_of))),
        "summary": summary,
        "status_rows": rows,
        "region_heading": escape_markdown(_region_heading(pack)),
        "status_legend": [escape_markdown(line) for line in legend],
        "no_evidence": escape_markdown(config.no_evidence.format(topics=wording.join_words(no_evidence)))
        if no_evidence else "",
        "not_graded": [escape_markdown(line) for line in not_graded],
        "strengths": [spans(f) for f in strengths],
        "concerns": [spans(f) for f in concerns[: config.key_concerns]],
        "charts": charts,
        "chart_notes": [escape_markdown(n) for n in chart_set.skipped],
        "actions": actions,
        "evidence_rows": evidence_rows,
    }
    path = templates_dir() / "board_briefing.md.j2"
    markdown = render_template(path, context)
    meta = Meta(title=f"{pack.authority} children's services: improvement board briefing", author="drafter",
                subject=f"{pack.authority} children's services", keywords="drafter; board briefing",
                created=created, comments=dict(spans.comments))
    return Composed(markdown, dict(spans.comments), meta, path.name), images


def _summary(assessment: Assessment, config: BriefingConfig, vocab, concerns) -> str:
    counts = count(list(assessment.findings), set(vocab.topics))
    parts = [config.summary.counts.format(
        as_of=wording.date_words(assessment.evidence.pack.as_of), positive=counts.positive,
        negative=counts.negative, strength_word=wording.plural("strength", counts.positive),
        weakness_word=wording.plural("weakness", counts.negative))]
    judgements = assessment.judgements
    if not judgements.areas:  # a visit: progress statements, no grades
        for p in judgements.progress:
            parts.append(config.summary.progress.format(topic=vocab.topics[p.topic].label, label=p.label))
    elif judgements.overall is None:
        parts.append(config.summary.no_overall)
    elif judgements.overall.grade is None:
        parts.append(config.summary.overall_not_graded)
    else:
        parts.append(config.summary.overall.format(grade=judgements.overall.label.lower()))
    if concerns:
        parts.append(config.summary.top_concern.format(concern=lower_first(concerns[0].sentence)))
    return escape_markdown(" ".join(parts))
