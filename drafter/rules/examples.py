"""Run each rule's own examples (given evidence → fires, quiet or not evaluable), like linter fixtures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from drafter.errors import EvidenceError
from drafter.evidence.load import evidence_from_source
from drafter.evidence.pack import Evidence
from drafter.evidence.periods import parse_period
from drafter.rules.engine import evaluate
from drafter.rules.loader import LoadedRule
from drafter.rules.schema import Example
from drafter.yamlsrc import Source

DEFAULT_AS_OF = dt.date(2022, 3, 31)


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    path: str
    example: str
    ok: bool
    message: str

    def line(self) -> str:
        """Return 'rules/caseloads.yaml:CL001:low_average_fires PASS' (or FAIL (why))."""
        status = "PASS" if self.ok else f"FAIL ({self.message})"
        return f"{self.path}:{self.rule_id}:{self.example} {status}"


def example_evidence(item: LoadedRule, example: Example) -> Evidence:
    """Return the Evidence for an example's `given`, filling schema, authority and as_of when absent."""
    data = {"schema": "evidence-pack/1", "authority": "Exampleshire", **example.given}
    if "as_of" not in data:
        ends = [
            parse_period(k).end
            for ind in data.get("indicators", []) or []
            for k in (ind.get("series") or {})
            if _parses(k)
        ]
        data["as_of"] = max(ends) if ends else DEFAULT_AS_OF
    return evidence_from_source(Source(path=f"{item.path}:{item.id}:{example.name}", data=data))


def _parses(key: object) -> bool:
    try:
        parse_period(key)
    except ValueError:
        return False
    return True


def run_example(item: LoadedRule, example: Example) -> ExampleResult:
    """Return whether the rule does what the example expects, with the reason when it does not."""

    def result(ok: bool, message: str = "") -> ExampleResult:
        return ExampleResult(item.id, _short(item.path), example.name, ok, message)

    try:
        evidence = example_evidence(item, example)
    except EvidenceError as exc:
        return result(False, "the example's evidence is invalid: " + exc.problems[0].message)
    outcomes = evaluate(evidence, [item])
    errors = [o for o in outcomes if o.status == "error"]
    if errors:
        return result(False, f"the rule failed to evaluate: {errors[0].error}")
    statuses = {o.status for o in outcomes}
    got = "fires" if "fires" in statuses else "not_evaluable" if "not_evaluable" in statuses else "quiet"
    if got != example.expect:
        detail = ""
        if got == "not_evaluable":
            detail = ": " + "; ".join(w for o in outcomes for w in o.why_missing)
        return result(False, f"expected {example.expect}, got {got}{detail}")
    if example.expect == "not_evaluable":
        named = {m for o in outcomes for m in o.missing}
        lacking = [m for m in example.missing if m not in named]
        if lacking:
            return result(
                False,
                f"not evaluable, but {', '.join(lacking)} not named as missing (named: {', '.join(sorted(named))})",
            )
    if example.expect == "fires":
        sentence = next(o.finding.sentence for o in outcomes if o.status == "fires" and o.finding)
        if example.sentence is not None and sentence != example.sentence:
            return result(False, f"sentence was {sentence!r}")
        if example.contains is not None and example.contains not in sentence:
            return result(False, f"sentence {sentence!r} lacks {example.contains!r}")
    return result(True)


def run_examples(rules: list[LoadedRule], only: list[str] | None = None) -> list[ExampleResult]:
    """Return the results of every example of every rule (or of the rules named in `only`)."""
    wanted = set(only or [])
    return [
        run_example(item, example)
        for item in rules
        if not wanted or item.id in wanted or item.rule.name in wanted
        for example in item.rule.examples
    ]


def _short(path: str) -> str:
    from drafter.paths import PROJECT_ROOT

    try:
        return str(__import__("pathlib").Path(path).resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return path
