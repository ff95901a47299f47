"""The briefing's tables: each area's status with the measure behind it and its comparators, and the evidence used."""

from __future__ import annotations

import re

from drafter.compose.paragraphs import escape_markdown
from drafter.evidence.pack import Series
from drafter.pipeline import Assessment
from drafter.rules.catalogue import Catalogue, IndicatorSpec
from drafter.vocab import wording
from drafter.vocab.language import load_language
from drafter.vocab.topics import Vocabulary


def format_value(value: float, spec: IndicatorSpec) -> str:
    """Return a value with its unit as a board paper prints it: '21.5%', '458 days', '17.2'."""
    shown = wording.num(value)
    return {"percent": f"{shown}%", "days": f"{shown} days", "weeks": f"{shown} weeks",
            "per_10000": f"{shown} per 10,000"}.get(spec.unit, shown)


def short_months(text: str, abbreviations: dict[str, str]) -> str:
    """Return text with month names abbreviated as a table prints them ('Sept 2019')."""
    if not abbreviations:
        return text
    return re.sub(r"\b(" + "|".join(abbreviations) + r")\b", lambda m: abbreviations[m.group(1)], text)


def audit_share(counts: dict[str, int], grades: list[str]) -> float:
    """Return the share of audits with one of the grades (0 when there are none)."""
    total = sum(counts.values())
    return sum(counts.get(g, 0) for g in grades) / total if total else 0.0


def _series_values(series: Series, spec: IndicatorSpec, grades: list[str]) -> list[float]:
    if spec.unit == "grades":
        return [100 * audit_share(p.value, grades or ["inadequate"]) for p in series.points]
    return [p.value for p in series.points]


def direction(series: Series, spec: IndicatorSpec, words: dict[str, str], grades: list[str]) -> str:
    """Return the direction of travel since the previous period, in words with an arrow."""
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


def comparator_cell(evidence, spec: IndicatorSpec, group: str, team: str | None = None,
                    months: dict[str, str] | None = None) -> str:
    """Return a comparator as a table shows it, with its year: '22.4% (2023 to 2024)', or '–'."""
    from drafter.errors import NotEvaluable
    from drafter.official.comparators import resolve

    try:
        figure = resolve(evidence, spec.id, group, team)
    except NotEvaluable:
        return "–"
    shown = format_value(figure.value, spec)
    if figure.period is None:
        return f"{shown} (given in the pack)"
    return f"{shown} ({short_months(figure.when.removeprefix('for ').removeprefix('at '), months or {})})"


def measure_for(topic: str, assessment: Assessment, config, catalogue: Catalogue) -> tuple[str, str, list[str]] | None:
    """Return the measure a topic's row shows: (indicator, name, grades), or None.

    The first of the topic's `measures` (templates/briefing.yaml) that the pack holds; else the first
    whole-authority indicator a finding on the topic read, named by its catalogue label.
    """
    evidence = assessment.evidence
    for measure in config.measures.get(topic, []):
        if evidence.get(measure.indicator) is not None:
            return measure.indicator, measure.name, list(measure.share)
    read = {u.name for f in assessment.findings if f.topic == topic for u in f.used
            if u.kind == "value" and u.team is None}
    for spec in catalogue.indicators:
        if spec.id in read and evidence.get(spec.id) is not None:
            return spec.id, spec.label[:1].upper() + spec.label[1:], ["inadequate"] if spec.unit == "grades" else []
    return None


def status_row(name: str, status: str, topic: str, assessment: Assessment, config, catalogue: Catalogue) -> dict:
    """Return one status table row for a topic: its status, direction, latest figure and comparators."""
    evidence = assessment.evidence
    months = config.month_abbreviations
    row = {"topic": topic, "name": escape_markdown(name), "status": status,
           "direction": config.direction_words["missing"], "latest": "–", "england": "–", "region": "–",
           "neighbours": "–"}
    measure = measure_for(topic, assessment, config, catalogue)
    if measure is None:
        if assessment.judgements.topic(topic) is not None:  # samples or notes: evidence without a figure
            row["direction"] = config.direction_words["no_figures"]
        return row
    indicator, label, grades = measure
    spec = catalogue.get(indicator)
    series = evidence.get(indicator)
    if spec.unit == "grades":
        value = f"{wording.share_pct(audit_share(series.latest.value, grades))}"
    else:
        value = format_value(series.latest.value, spec)
    period = short_months(series.latest.period.words(), months)
    row.update({
        "direction": direction(series, spec, config.direction_words, grades),
        "latest": escape_markdown(f"{label}: {value} ({period})"),
        "england": escape_markdown(comparator_cell(evidence, spec, "england", months=months)),
        "region": escape_markdown(comparator_cell(evidence, spec, "region", months=months)),
        "neighbours": escape_markdown(comparator_cell(evidence, spec, "statistical_neighbours", months=months)),
    })
    return row


def status_rows(assessment: Assessment, config, catalogue: Catalogue,
                vocab: Vocabulary) -> tuple[list[dict], list[str]]:
    """Return the status table's rows (the areas a visit covered, then the main topics with evidence) and
    the labels of the main topics the pack holds nothing on.

    One source of status: every row's status is the `status` of a judgement object (a topic's progress
    statement mapped by rules/judgements.yaml), the same object the letter states.
    """
    judgements = assessment.judgements
    covered = {p.topic: p for p in judgements.progress}
    rows, no_evidence = [], []
    for topic in [*covered, *(t for t in config.main_topics if t not in covered)]:
        judged = covered.get(topic) or judgements.topic(topic)
        if judged is None:  # the pack holds nothing on it: named on one line below the table
            no_evidence.append(vocab.topics[topic].label)
            continue
        rows.append(status_row(vocab.topics[topic].heading, judged.status, topic, assessment, config, catalogue))
    return rows, no_evidence


def evidence_rows(assessment: Assessment, catalogue: Catalogue, months: dict[str, str]) -> list[dict]:
    """Return the appendix rows: every catalogue series in the pack, its latest and previous values with
    their periods in words (months as a table abbreviates them), and the England figure with its year."""
    evidence = assessment.evidence
    rows = []
    for (indicator, team), series in evidence.series.items():
        spec = catalogue.get(indicator)
        if spec is None:
            continue
        label = spec.label[:1].upper() + spec.label[1:]
        if team:
            label += f" ({wording.team_words(team)} team)"  # words, never the raw id
        points = series.points
        if spec.unit == "grades":
            cells = [_audit_words(p.value) for p in points[-2:]]
            england = "no national benchmark"
        else:
            cells = [format_value(p.value, spec) for p in points[-2:]]
            england = comparator_cell(evidence, spec, "england", team, months)
        shown = [f"{value} ({short_months(p.period.words(), months)})" for value, p in zip(cells, points[-2:],
                                                                                         strict=True)]
        rows.append({"label": escape_markdown(label), "latest": escape_markdown(shown[-1]),
                     "previous": escape_markdown(shown[0]) if len(shown) > 1 else "–",
                     "england": escape_markdown(england)})
    return rows


def _audit_words(counts: dict[str, int]) -> str:
    """Return an audit round in a few words: '18 of 42 inadequate' (the chart shows every grade)."""
    return f"{counts.get('inadequate', 0)} of {sum(counts.values())} inadequate"
