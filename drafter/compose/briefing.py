"""Compose a board briefing: status table, key findings, charts, actions and the evidence appendix."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.charts import draw_charts
from drafter.compose.letter import Composed, _Spans, render_template
from drafter.compose.paragraphs import escape_markdown, lower_first
from drafter.config import load_config
from drafter.document.model import Meta
from drafter.errors import TemplateError
from drafter.evidence.pack import Series
from drafter.paths import templates_dir
from drafter.pipeline import Assessment
from drafter.rules.catalogue import IndicatorSpec, load_catalogue
from drafter.rules.expr import compile_condition
from drafter.rules.judgements import COUNT_NAMES, count
from drafter.vocab import wording
from drafter.vocab.language import load_language
from drafter.vocab.topics import load_vocabulary


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MainTopic(_Strict):
    topic: str
    indicator: str
    share: list[str] = Field(default_factory=list)


class StatusRule(_Strict):
    status: str
    when: str


class Summary(_Strict):
    counts: str
    overall: str
    progress: str
    top_concern: str


class BriefingConfig(_Strict):
    schema_: Literal["briefing/1"] = Field(alias="schema")
    purpose: str
    main_topics: list[MainTopic]
    topic_status: list[StatusRule]
    grade_status: dict[str, str]
    direction_words: dict[str, str]
    key_strengths: int = 5
    key_concerns: int = 6
    summary: Summary

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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
    status_compiled = [(r.status, compile_condition(r.when, COUNT_NAMES)) for r in config.topic_status]
    findings = list(assessment.findings)

    rows = []
    for area in assessment.judgements.areas:
        rows.append({"name": escape_markdown(area.title), "status": config.grade_status[area.grade or "none"],
                     "direction": "–", "latest": "–", "england": "–", "region": "–", "neighbours": "–"})
    for main in config.main_topics:
        spec = catalogue.get(main.indicator)
        counts = count(findings, {main.topic}).names()
        status = next(s for s, cond in status_compiled if cond(**counts))
        series = evidence.get(main.indicator)
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
        rows.append({"name": escape_markdown(vocab.topics[main.topic].heading), "status": status,
                     "direction": direction(series, spec, config, main.share) if spec else "–",
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
    for f in concerns:
        label = vocab.topics[f.topic].heading if f.topic in vocab.topics else f.topic
        actions.append(f"**{escape_markdown(label)}:** " + spans(f))

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
        evidence_rows.append({"label": escape_markdown(spec.label[:1].upper() + spec.label[1:]),
                              "team": escape_markdown(team or "All"), "period": series.latest.period.words(),
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
    if assessment.evidence.pack.document.kind == "monitoring_visit" and assessment.judgements.progress:
        for p in assessment.judgements.progress:
            parts.append(config.summary.progress.format(topic=vocab.topics[p.topic].label, label=p.label))
    else:
        parts.append(config.summary.overall.format(grade=assessment.judgements.overall.label.lower()))
    if concerns:
        parts.append(config.summary.top_concern.format(concern=lower_first(concerns[0].sentence)))
    return escape_markdown(" ".join(parts))
