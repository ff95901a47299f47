"""Run each Annex A measure's own examples (rules/annex_a/measures.yaml): tiny lists, expected values."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.annex_a.measures import Window, apply_measure
from drafter.annex_a.records import example_rows
from drafter.annex_a.spec import AnnexASpec, Example, MeasureSpec
from drafter.errors import DrafterError


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of one example: PASS, or FAIL with what differed."""

    indicator: str
    name: str
    ok: bool
    message: str = ""

    def line(self) -> str:
        """Return 'rules/annex_a/measures.yaml:ID:NAME PASS' (or FAIL with the reason)."""
        status = "PASS" if self.ok else f"FAIL ({self.message})"
        return f"rules/annex_a/measures.yaml:{self.indicator}:{self.name} {status}"


def run_examples(spec: AnnexASpec, indicators: list[str] | None = None) -> list[ExampleResult]:
    """Return one result per example of each measure (or of the indicators named)."""
    results = []
    for measure in spec.measures:
        if indicators and measure.indicator not in indicators:
            continue
        for example in measure.examples:
            results.append(run_example(spec, measure, example))
    return results


def run_example(spec: AnnexASpec, measure: MeasureSpec, example: Example) -> ExampleResult:
    """Return the result of one example, computed for the whole window [from, as_of]."""
    try:
        rows = example_rows(spec.lists[measure.list_number], example.rows)
    except DrafterError as exc:
        return ExampleResult(measure.indicator, example.name, False, exc.problems[0].message)
    dates = [r.values.get(measure.scope.date) for r in rows.records] if measure.scope.date else []
    start = example.from_ or min([d for d in dates if d is not None], default=example.as_of)
    result = apply_measure(measure, rows, Window(start, example.as_of, "window"))
    point = result.overall.get(example.as_of.isoformat())
    got = point.value(measure.unit) if point else None
    problems = []
    if got != example.value:
        problems.append(f"value {got}, expected {example.value}")
    if example.of is not None and (point.of if point else 0) != example.of:
        problems.append(f"of {point.of if point else 0}, expected {example.of}")
    if example.counted is not None and (point.counted if point else 0) != example.counted:
        problems.append(f"counted {point.counted if point else 0}, expected {example.counted}")
    teams = {team: p[example.as_of.isoformat()].value(measure.unit) for team, p in result.teams.items()}
    if example.teams and teams != example.teams:
        problems.append(f"teams {teams}, expected {example.teams}")
    if example.skipped and dict(result.tally.skipped) != example.skipped:
        problems.append(f"skipped {dict(result.tally.skipped)}, expected {example.skipped}")
    return ExampleResult(measure.indicator, example.name, not problems, "; ".join(problems))
