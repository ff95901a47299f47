"""Run the examples in rules/judgements.yaml: a partial pack in, the framework, grades and statuses out."""

from __future__ import annotations

from drafter.errors import EvidenceError
from drafter.evidence.load import evidence_from_source
from drafter.paths import rules_dir
from drafter.rules.engine import evaluate, findings
from drafter.rules.examples import DEFAULT_AS_OF, ExampleResult, _short
from drafter.rules.framework import JudgementExample
from drafter.rules.judgements import Judgements, judge, load_judgement_rules
from drafter.yamlsrc import Source

EXAMPLES_ID = "judgements"  # the name `drafter rules test` takes for these examples


def judgement_examples() -> list[JudgementExample]:
    """Return the examples in rules/judgements.yaml, in file order."""
    return list(load_judgement_rules()[0].examples)


def judge_example(example: JudgementExample) -> Judgements:
    """Return the judgements of an example's partial pack (schema, authority and as_of filled in when absent)."""
    data = {"schema": "evidence-pack/1", "authority": "Exampleshire", "as_of": DEFAULT_AS_OF, **example.given}
    path = str(rules_dir() / "judgements.yaml")
    evidence = evidence_from_source(Source(path=f"{path}:{EXAMPLES_ID}:{example.name}", data=data))
    return judge(findings(evaluate(evidence)), evidence)


def run_judgement_example(example: JudgementExample) -> ExampleResult:
    """Return whether the judgements are what the example expects, with the first difference when not."""
    path = _short(str(rules_dir() / "judgements.yaml"))

    def result(problem: str = "") -> ExampleResult:
        return ExampleResult(EXAMPLES_ID, path, example.name, not problem, problem)

    try:
        judged = judge_example(example)
    except EvidenceError as exc:
        return result("the example's evidence is invalid: " + exc.problems[0].message)
    expect = example.expect
    grades = {a.area: a.grade for a in judged.areas}
    if expect.framework is not None and (judged.framework is None or judged.framework.version.id != expect.framework):
        return result(f"framework was {judged.framework.version.id if judged.framework else None}")
    if expect.judgements is not None and list(grades) != expect.judgements:
        return result(f"judgements were {list(grades)}")
    if expect.graded is not None and sorted(k for k, g in grades.items() if g) != sorted(expect.graded):
        return result(f"graded were {sorted(k for k, g in grades.items() if g)}")
    wrongly = [k for k in expect.not_graded if grades.get(k, "absent") is not None]
    if wrongly:
        return result(f"{', '.join(wrongly)} graded or absent: {grades}")
    if expect.overall is not None:
        got = "absent" if judged.overall is None else judged.overall.grade or "none"
        if got != expect.overall:
            return result(f"overall was {got}")
    for topic, status in expect.status.items():
        found = judged.topic(topic)
        if found is None or found.status != status:
            return result(f"status of {topic} was " + (f"{found.status} ({found.label})" if found else "absent"))
    return result()


def run_judgement_examples() -> list[ExampleResult]:
    """Return the result of every example in rules/judgements.yaml."""
    return [run_judgement_example(e) for e in judgement_examples()]
