"""The rules engine through its public interfaces: rule examples, coverage, safety, explain on the seeds."""

from __future__ import annotations

import json
import textwrap

import pytest

from drafter.errors import RulebookError
from drafter.pipeline import assess_pack
from drafter.rules.catalogue import load_catalogue
from drafter.rules.examples import run_example
from drafter.rules.loader import load_rules
from drafter.vocab.topics import load_vocabulary
from tests.conftest import ROOT

SEED_2019 = ROOT / "seeds" / "2019-ilacs-inspection.yaml"
SEED_MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
SEED_MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"


def pytest_generate_tests(metafunc):
    if "rule_case" in metafunc.fixturenames:
        cases = [(item, example) for item in load_rules() for example in item.rule.examples]
        metafunc.parametrize("rule_case", cases, ids=[f"{i.id}::{e.name}" for i, e in cases])


def test_rule_example(rule_case):
    item, example = rule_case
    result = run_example(item, example)
    assert result.ok, result.line()


def test_every_rule_has_firing_and_quiet_examples():
    lacking = []
    for item in load_rules():
        expects = {e.expect for e in item.rule.examples}
        if not {"fires", "quiet"} <= expects:
            lacking.append(f"{item.id} has {sorted(expects)}")
    assert not lacking, lacking


def _given_ids(example) -> set[str]:
    return {entry.get("id") for entry in example.given.get("indicators", []) or []}


def test_every_indicator_a_rule_reads_has_a_not_evaluable_example():
    """Each indicator a rule needs has a not-evaluable example; one it reads only when present
    (guarded by has() or count()) instead needs an example without it, showing the rule still decides."""
    lacking = []
    for item in load_rules():
        named = {m for e in item.rule.examples if e.expect == "not_evaluable" for m in e.missing}
        for indicator in item.reads:
            if indicator in named:
                continue
            if indicator in item.optional:
                if not any(indicator not in _given_ids(e) and e.expect != "not_evaluable" for e in item.rule.examples):
                    lacking.append(f"{item.id} reads {indicator} optionally but no example goes without it")
            else:
                lacking.append(f"{item.id} reads {indicator}")
        for feature in item.features:
            if feature not in named:
                lacking.append(f"{item.id} reads sample {feature}")
    assert not lacking, lacking


def test_coverage_of_rules_topics_and_indicators():
    rules = load_rules()
    assert len(rules) >= 60, len(rules)
    topics = {r.topic for r in rules if r.topic != "any"}
    assert len(topics) >= 12, sorted(topics)
    read = {i for r in rules for i in r.reads}
    unread = [i for i in load_catalogue().ids() if i not in read]
    assert not unread, f"catalogue indicators no rule reads: {unread}"
    verdicts = {r.rule.verdict for r in rules}
    assert verdicts == {"strength", "improving", "weakness", "serious_weakness"}


def test_topics_cover_the_contract_and_map_to_areas():
    contract = [
        "caseloads",
        "workforce",
        "permanence",
        "placements",
        "quality_assurance",
        "management_oversight",
        "front_door",
        "assessments",
        "plans",
        "child_protection",
        "exploitation_missing",
        "children_in_care",
        "care_leavers",
        "leadership",
    ]
    vocab = load_vocabulary()
    for topic in contract:
        assert topic in vocab.topics
        assert vocab.topics[topic].areas and vocab.topics[topic].terms


def _book(rule_body: str) -> str:
    return textwrap.dedent("""\
        schema: rulebook/1
        topic: caseloads
        prefix: CL
        description: test
        rules:
          - id: CL901
            name: caseloads.test
            description: d
            why: w
            source: s
            verdict: strength
            examples:
              - {name: a, given: {}, expect: quiet}
        """) + textwrap.indent(textwrap.dedent(rule_body), "    ")


@pytest.mark.parametrize(
    "body, fragment",
    [
        ("when: \"latest('caseload.average').__class__\"\nphrases: [x]\n", "__class__"),
        ('when: "cycler.__init__.__globals__"\nphrases: [x]\n', "not allowed"),
        ('when: "cycler"\nphrases: [x]\n', "not a helper"),
        ("when: \"open('/etc/passwd')\"\nphrases: [x]\n", "'open'"),
        ("when: \"latest('caseload.average') > 1\"\nphrases: [\"{{ ''.__class__.__mro__ }}\"]\n", "__class__"),
        ("when: \"latest('caseload.average') > 1\"\nphrases: [\"{% import 'x' as y %}\"]\n", "statement"),
        ("when: \"latest('caseload.averag') > 1\"\nphrases: [x]\n", "did you mean 'caseload.average'"),
        ("when: \"latest('caseload.average') >\"\nphrases: [x]\n", "does not parse"),
        ("when: \"latest('caseload.average') > 1\"\nphrases: [\"{{ x | attr('y') }}\"]\n", "filter 'attr'"),
    ],
)
def test_unsafe_or_wrong_rulebook_fails_to_load_with_location(tmp_path, body, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(_book(body))
    with pytest.raises(RulebookError) as info:
        load_rules(tmp_path)
    message = info.value.render()
    assert fragment in message, message
    assert f"{path}:" in message


def test_rulebook_shape_errors_name_file_and_line(tmp_path):
    (tmp_path / "bad.yaml").write_text(_book('when: "true"\nphrases: [x]\nverdit: strength\n'))
    with pytest.raises(RulebookError) as info:
        load_rules(tmp_path)
    assert "bad.yaml:16:5:" in info.value.render() and "unknown key 'verdit'" in info.value.render()


def test_missing_evidence_is_not_evaluable_never_quiet(run, write):
    pack = write("p.yaml", "schema: evidence-pack/1\nauthority: Emptyshire\nas_of: 2022-03-30\n")
    result = run("explain", pack, "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    by_rule = {o["rule"]: o for o in record["outcomes"]}
    for item in load_rules():
        if item.reads and item.rule.kind == "condition":
            outcome = by_rule[item.id]
            assert outcome["status"] == "not_evaluable", outcome
            assert outcome["missing"], outcome


def test_explain_2019_inspection_grades_everything_inadequate():
    judgements = assess_pack(SEED_2019).judgements
    grades = {a.area: a.grade for a in judgements.areas}
    assert grades == {a: "inadequate" for a in grades}, grades
    assert judgements.overall.grade == "inadequate"


def test_explain_third_visit_permanence_and_placements():
    assessment = assess_pack(SEED_MV3)
    progress = {p.topic: p for p in assessment.judgements.progress}
    assert progress["permanence"].statement == "substantial_progress", progress["permanence"]
    assert progress["placements"].statement == "mixed_progress", progress["placements"]
    placement_weaknesses = [
        f
        for f in assessment.findings
        if f.topic == "placements" and f.verdict != "strength" and f.verdict != "improving"
    ]
    assert any("unregistered" in f.sentence for f in placement_weaknesses), placement_weaknesses


def test_explain_fourth_visit_front_door_and_assessments():
    assessment = assess_pack(SEED_MV4)
    progress = {p.topic: p for p in assessment.judgements.progress}
    assert progress["front_door"].statement in ("progress", "substantial_progress"), progress["front_door"]
    assessment_weak = [
        f for f in assessment.findings if f.topic == "assessments" and f.verdict in ("weakness", "serious_weakness")
    ]
    assert assessment_weak, [f.sentence for f in assessment.findings if f.topic == "assessments"]


def test_every_finding_traces_to_values():
    for seed in (SEED_2019, SEED_MV3, SEED_MV4):
        for finding in assess_pack(seed).findings:
            assert finding.used, finding.rule_id
            assert finding.provenance().split("\n")[-1].startswith(f"Rule {finding.rule_id} (")


def test_explain_text_and_json(run):
    result = run("explain", SEED_MV3)
    assert result.exit_code == 0, result.output
    assert "FIRES" in result.output and "used:" in result.output and "ILACS judgements" in result.output
    record = json.loads(run("explain", SEED_MV3, "--json").output)
    assert record["schema"] == "drafter-explain/1"
    assert {"rule", "name", "topic", "status", "verdict", "sentence", "missing", "evidence"} <= set(
        record["outcomes"][0]
    )
    assert {"areas", "overall", "progress"} <= set(record["judgements"])


def test_explain_is_deterministic(run):
    assert run("explain", SEED_MV4, "--json").output == run("explain", SEED_MV4, "--json").output


def test_rules_list_and_test_commands(run):
    listed = run("rules", "list")
    assert listed.exit_code == 0 and "CL001" in listed.output
    record = json.loads(run("rules", "list", "--json").output)
    assert record["schema"] == "drafter-rules/1" and len(record["rules"]) >= 60
    tested = run("rules", "test", "CL001")
    assert tested.exit_code == 0 and "CL001:low_average_fires PASS" in tested.output
    assert run("rules", "test", "ZZ999").exit_code == 2


def test_rules_test_fails_on_a_wrong_example(tmp_path, monkeypatch, run):
    rules_copy = tmp_path / "rules"
    rules_copy.mkdir()
    for name in ("indicators.yaml", "topics.yaml", "language.yaml", "judgements.yaml", "sample_features.yaml"):
        (rules_copy / name).write_text((ROOT / "rules" / name).read_text())
    (rules_copy / "caseloads.yaml").write_text(
        (ROOT / "rules" / "caseloads.yaml").read_text().replace("expect: quiet", "expect: fires", 1)
    )
    monkeypatch.setenv("DRAFTER_RULES", str(rules_copy))
    result = run("rules", "test")
    assert result.exit_code == 1
    assert "FAIL (expected fires, got quiet)" in result.output


def test_every_allowed_helper_exists_at_run_time():
    """A helper the expression language allows but the engine lacks would load and then fail."""
    from drafter.rules.expr import EVIDENCE_HELPERS
    from drafter.rules.helpers import EvidenceView

    builtins = {"min", "max", "abs", "round", "len", "sum"}
    assert [n for n in EVIDENCE_HELPERS if n not in builtins and not hasattr(EvidenceView, n)] == []


def test_cli_formats_match_the_writers():
    from drafter.commands._common import FORMATS
    from drafter.render import WRITERS

    assert set(FORMATS) == set(WRITERS)
