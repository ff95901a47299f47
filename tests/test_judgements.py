"""Judgements an inspector would stand behind: the framework by date, enough evidence before a grade,
and the inspection summary in the report's shape. Real DOCX files, read back with python-docx."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import pytest

from drafter.rules.judgement_examples import judgement_examples, run_judgement_example
from tests.conftest import ROOT

SEED_2019 = ROOT / "seeds" / "2019-ilacs-inspection.yaml"
TITLES_2018 = [
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care and care leavers",
    "Overall effectiveness",
]
TITLES_2023 = [
    "The impact of leaders on practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
    "Overall effectiveness",
]
TITLES_2026 = TITLES_2023[:-1]

THIN_PACK = """\
schema: evidence-pack/1
authority: Thinshire
as_of: 2023-06-30
document:
  kind: inspection
  visit_dates: [2023-06-19, 2023-06-30]
  inspectors: [Alex Morgan]
indicators:
  - id: caseload.average
    series: {2022-09: 22.5, 2023-03: 24.0}
  - id: caseload.average
    team: leaving_care
    series: {2023-03: 31.0}
  - id: workforce.turnover_rate
    series: {2022-09: 19.0, 2023-03: 24.5}
  - id: workforce.agency_rate
    series: {2022-09: 21.0, 2023-03: 27.0}
  - id: workforce.vacancy_rate
    series: {2023-03: 23.0}
"""


def dated(tmp_path: Path, first: str, last: str) -> Path:
    """Return a copy of the 2019 seed (broad evidence on every area) inspected on other dates."""
    text = SEED_2019.read_text(encoding="utf-8")
    text = text.replace("visit_dates: [2019-11-25, 2019-12-06]", f"visit_dates: [{first}, {last}]")
    text = re.sub(r"(?m)^as_of: 2019-12-06", f"as_of: {last}", text)
    path = tmp_path / f"inspection-{first}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def summary_docx(run, pack: Path, tmp_path: Path) -> docx.document.Document:
    out = tmp_path / f"{pack.stem}-summary.docx"
    result = run("letter", pack, "-o", out)
    assert result.exit_code == 0, result.output
    return docx.Document(str(out))


def judgement_table(document) -> list[tuple[str, str]]:
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Judgement", "Grade"]
    return [(row.cells[0].text, row.cells[1].text) for row in table.rows[1:]]


def body_text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("example", judgement_examples(), ids=lambda e: e.name)
def test_judgement_examples(example):
    result = run_judgement_example(example)
    assert result.ok, result.line()


def test_2019_summary_judges_children_in_care_and_care_leavers_together(run, tmp_path):
    document = summary_docx(run, SEED_2019, tmp_path)
    assert judgement_table(document) == [(t, "Inadequate") for t in TITLES_2018]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "What needs to improve",
        "The experiences and progress of children who need help and protection: inadequate",
        "The experiences and progress of children in care and care leavers: inadequate",
        "The impact of leaders on social work practice with children and families: inadequate",
    ]
    assert "The experiences and progress of care leavers" not in body_text(document)


def test_mid_2023_inspection_judges_care_leavers_separately(run, tmp_path):
    document = summary_docx(run, dated(tmp_path, "2023-06-19", "2023-06-30"), tmp_path)
    assert [title for title, _ in judgement_table(document)] == TITLES_2023


def test_mid_2026_inspection_has_no_overall_effectiveness(run, tmp_path):
    pack = dated(tmp_path, "2026-06-15", "2026-06-26")
    document = summary_docx(run, pack, tmp_path)
    assert [title for title, _ in judgement_table(document)] == TITLES_2026
    assert "judgement of inadequate for overall effectiveness" not in body_text(document)
    record = json.loads(run("explain", pack, "--json").output)["judgements"]
    assert record["overall"] is None
    assert record["framework"]["id"] == "ilacs-2026" and record["framework"]["date"] == "2026-06-15"
    assert [a["area"] for a in record["areas"]] == ["leadership", "help_and_protection", "children_in_care",
                                                    "care_leavers"]


def test_first_visit_date_decides_across_a_framework_change(run, tmp_path):
    pack = dated(tmp_path, "2022-12-12", "2023-01-06")
    record = json.loads(run("explain", pack, "--json").output)["judgements"]
    assert record["framework"]["id"] == "ilacs-2018"
    assert record["framework"]["date_from"] == "visit_dates"


def test_caseload_and_workforce_alone_grade_nothing(run, write, tmp_path):
    pack = write("thin.yaml", THIN_PACK)
    record = json.loads(run("explain", pack, "--json").output)["judgements"]
    assert [(a["area"], a["grade"]) for a in record["areas"]] == [
        ("leadership", None), ("help_and_protection", None), ("children_in_care", None), ("care_leavers", None)]
    assert record["overall"]["grade"] is None
    leadership = record["areas"][0]
    assert any("audit and management oversight" in item for item in leadership["lacking"]), leadership
    assert {a["status"] for a in record["areas"]} == {"Not graded"}

    text = run("explain", pack).output
    assert "Not graded" in text and "to be graded it needs evidence on care leavers" in text

    document = summary_docx(run, pack, tmp_path)
    assert judgement_table(document) == [(t, "Not graded") for t in TITLES_2023]
    summary = body_text(document)
    assert "evidence on" not in summary and "to be graded" not in summary  # why lives in explain and the briefing

    out = tmp_path / "thin-briefing.docx"
    assert run("briefing", pack, "-o", out).exit_code == 0
    briefing = docx.Document(str(out))
    rows = {row.cells[0].text: row.cells[1].text for row in briefing.tables[0].rows[1:]}
    assert rows["The impact of leaders on practice with children and families"] == "Not graded"
    assert rows["Overall effectiveness"] == "Not graded"
    lines = [p.text for p in briefing.paragraphs]
    named = [line for line in lines if line.startswith("The experiences and progress of care leavers: to be graded")]
    assert named and "evidence on care leavers" in named[0] and "at least two findings" in named[0], lines
    check = run("check", out, "--evidence", pack)  # the reasons read as requirements, not claims
    assert check.exit_code == 0 and "no problems found" in check.output, check.output


def test_one_caseload_finding_grades_nothing(run, write):
    pack = write("one.yaml", """\
        schema: evidence-pack/1
        authority: Oneshire
        as_of: 2023-06-30
        document: {kind: inspection}
        indicators:
          - {id: caseload.average, series: {2023-03: 29.0}}
        """)
    record = json.loads(run("explain", pack, "--json").output)
    assert any(o["status"] == "fires" and o["topic"] == "caseloads" for o in record["outcomes"])
    assert all(a["grade"] is None for a in record["judgements"]["areas"])
    assert record["judgements"]["overall"]["grade"] is None


def test_summary_lists_a_few_priorities_most_serious_first(run, tmp_path):
    """The 2019 summary's "What needs to improve": a handful of actions (the cap in rules data), related
    topics merged into one where rules data groups them, those resting on serious weaknesses first."""
    document = summary_docx(run, SEED_2019, tmp_path)
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "What needs to improve")
    items = []
    for p in paragraphs[start + 1:]:
        if p.style.name != "List Bullet":
            break
        items.append(p.text)
    from drafter.pipeline import assess_pack
    from drafter.rules.judgements import load_judgement_rules

    rules = load_judgement_rules()[0]
    findings = assess_pack(SEED_2019).findings
    weak = {f.topic for f in findings if f.verdict in ("weakness", "serious_weakness")}
    serious = {f.topic for f in findings if f.verdict == "serious_weakness"}
    assert len(weak) >= 14 and len(items) == rules.max_improve <= 8  # 14 topics need action; six are listed
    topics_of = {a.improve: {t} for t, a in rules.actions.items()}
    topics_of.update({g.improve: set(g.topics) for g in rules.action_groups})
    assert all(item in topics_of for item in items), items  # each is an action from rules data
    said = [topics_of[item] & weak for item in items]
    assert all(said), items  # every action rests on weaknesses found
    for group in rules.action_groups:  # a group with two topics needing action is one item, never its parts
        if len(set(group.topics) & weak) >= 2:
            assert not any(rules.actions[t].improve in items for t in group.topics), group.heading
    assert any(len(topics) >= 2 for topics in said)  # related topics merged
    ranks = [bool(topics & serious) for topics in said]
    assert ranks == sorted(ranks, reverse=True), items  # actions resting on serious weaknesses come first
    assert "The timeliness of permanence" in items[0]  # five serious weaknesses: the first priority


def test_every_action_reads_as_no_claim_the_checker_could_dispute():
    """An action asks for something: it must not read as praise or as a claim that a measure moved."""
    from drafter.check.claims import extract_claims
    from drafter.rules.judgements import load_judgement_rules
    from drafter.vocab.topics import load_vocabulary

    rules, topics = load_judgement_rules()[0], load_vocabulary().topics
    # As a summary lists them, and as a briefing does, after the topic's or group's heading.
    wordings = [(t, a.improve, a.board, f"{topics[t].heading}: {a.board}") for t, a in rules.actions.items()]
    wordings += [(g.heading, g.improve, g.board, f"{g.heading}: {g.board}") for g in rules.action_groups]
    for topic, *texts in wordings:
        for text in texts:
            claim = extract_claims(text)
            if claim is None:
                continue
            assert claim.polarity != "positive", (topic, text)
            assert claim.trend is None and not claim.movements, (topic, text, claim.trend)


def test_actions_that_can_be_listed_together_open_differently():
    """"What needs to improve" is a list a reader takes in at a glance: no two items that can appear
    together open with the same two words (a group and its own topics never appear together)."""
    from drafter.rules.judgements import load_judgement_rules

    rules = load_judgement_rules()[0]
    items = [({t}, a.improve) for t, a in rules.actions.items()] + [(set(g.topics), g.improve)
                                                                   for g in rules.action_groups]
    for i, (topics, text) in enumerate(items):
        for other_topics, other in items[i + 1:]:
            together = not (topics <= other_topics or other_topics <= topics)
            if together:
                assert text.split()[:2] != other.split()[:2], (text, other)


def test_a_judgements_file_naming_an_unknown_area_fails_to_load(tmp_path, monkeypatch, run):
    rules_copy = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_copy)
    path = rules_copy / "judgements.yaml"
    path.write_text(path.read_text().replace("  care_leavers:\n    min_groups: 1", "  care_leaver:\n    min_groups: 1"))
    monkeypatch.setenv("DRAFTER_RULES", str(rules_copy))
    from drafter.rules import judgements

    judgements._load_cached.cache_clear()
    try:
        result = run("explain", SEED_2019)
    finally:
        judgements._load_cached.cache_clear()
    assert result.exit_code == 2
    assert "unknown name 'care_leaver'" in result.output and "judgements.yaml:" in result.output
