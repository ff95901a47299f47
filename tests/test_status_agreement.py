"""One source of status: for every area a visit covered, the briefing's Red/Amber/Green is the mapping
(rules/judgements.yaml `status.progress`) of the progress statement the letter makes for it.

Both documents are drafted through the CLI and read back from DOCX with python-docx; the letter's
statements are also read from its document model, where each progress sentence carries its
statement and topics."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from drafter.drafting import draft_letter_from_pack
from drafter.evidence.load import load_pack
from drafter.rules.judgements import load_judgement_rules
from drafter.vocab.topics import load_vocabulary
from tests.conftest import ROOT, SEEDS

HEAD = """\
schema: evidence-pack/1
authority: Exampleshire
as_of: 2024-03-31
document:
  kind: {kind}
  visit_number: 2
  visit_dates: [2024-03-26, 2024-03-27]
  inspectors: [Alex Morgan, Sam Patel]
  areas_covered: [{covered}]
last_judgement: {{grade: inadequate, published: 2023-01}}
"""

SYNTHETIC = {
    # Caseloads falling but still above a manageable level: the letter cannot call that progress
    # while the briefing shows it Green.
    "caseloads_still_high": ("monitoring_visit", "caseloads, workforce", """\
indicators:
  - {id: caseload.average, series: {2023-03: 24.5, 2023-09: 22.8, 2024-03: 21.0}}
  - {id: caseload.share_over_threshold, series: {2023-09: 41.0, 2024-03: 36.0}}
  - {id: workforce.agency_rate, series: {2023-09: 24.0, 2024-03: 26.5}}
notes:
  - {topic: workforce, polarity: negative, text: Agency staff still cover two of the five teams.}
"""),
    "permanence_substantial": ("monitoring_visit", "permanence, placements", """\
indicators:
  - {id: permanence.adoption_a1_days, series: {2023-03: 641.0, 2023-09: 540.0, 2024-03: 458.0}}
  - {id: permanence.plan_by_second_review, series: {2024-03: 86.0}}
  - {id: proceedings.duration_weeks, series: {2023-03: 45.0, 2023-09: 39.0, 2024-03: 34.0}}
  - {id: placements.unregistered_count, series: {2024-03: 3}}
samples:
  - {feature: permanence.parallel_planning, seen: 10, of: 12}
"""),
    "covered_without_evidence": ("monitoring_visit", "care_leavers, front_door", """\
indicators:
  - {id: referrals.rereferral_rate, series: {2023-03: 27.0, 2023-09: 28.5, 2024-03: 30.1}}
  - {id: referrals.contacts_decided_within_1_day, series: {2023-09: 79.0, 2024-03: 74.0}}
"""),
    "focused_visit": ("focused_visit", "front_door, assessments, child_protection", """\
indicators:
  - {id: assessments.within_45_days, series: {2023-03: 84.0, 2023-09: 79.0, 2024-03: 71.0}}
  - {id: cp.icpc_within_15_days, series: {2023-09: 81.0, 2024-03: 88.0}}
  - {id: referrals.contacts_decided_within_1_day, series: {2024-03: 92.0}}
notes:
  - {topic: child_protection, polarity: positive, text: Strategy meetings are prompt and partners attend.}
  - {topic: assessments, polarity: negative, text: Assessments rely too heavily on what parents say.}
"""),
}


def monitoring_packs(tmp_path: Path) -> list[Path]:
    """Return every seed monitoring pack and the synthetic visit packs, written to tmp_path."""
    packs = [s for s in SEEDS if load_pack(s).pack.document.kind != "inspection"]
    for name, (kind, covered, body) in SYNTHETIC.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(HEAD.format(kind=kind, covered=covered) + body, encoding="utf-8")
        packs.append(path)
    return packs


def letter_statements(pack: Path) -> dict[str, tuple[str, str]]:
    """Return topic → (statement, sentence) for every progress sentence in the letter's document."""
    found: dict[str, tuple[str, str]] = {}
    for span in draft_letter_from_pack(pack).document.iter_spans():
        if "progress" in span.classes:
            for topic in (span.attr("topics") or "").split():
                found[topic] = (span.attr("statement"), span.text)
    return found


def briefing_statuses(run, pack: Path, out: Path) -> dict[str, str]:
    """Return row name → status from the status table of the briefing DOCX."""
    assert run("briefing", pack, "-o", out).exit_code == 0
    table = docx.Document(str(out)).tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Area", "Status"]
    return {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}


def test_every_area_covered_has_the_status_of_the_letters_statement(run, tmp_path):
    mapping = load_judgement_rules()[0].status.progress
    vocab = load_vocabulary()
    checked = 0
    statuses_seen = set()
    for pack in monitoring_packs(tmp_path):
        covered = list(load_pack(pack).pack.document.areas_covered)
        letter_path = tmp_path / f"{pack.stem}-letter.docx"
        assert run("letter", pack, "-o", letter_path).exit_code == 0
        letter_text = "\n".join(p.text for p in docx.Document(str(letter_path)).paragraphs)
        statements = letter_statements(pack)
        rows = briefing_statuses(run, pack, tmp_path / f"{pack.stem}-briefing.docx")
        judged = {p.topic: p.statement for p in draft_letter_from_pack(pack).assessment.judgements.progress}
        for topic in covered:
            heading = vocab.topics[topic].heading
            if judged[topic] == "not_evaluated":  # nothing to say: the letter is silent, the briefing not rated
                assert topic not in statements, (pack.name, topic, statements)
                assert rows.get(heading, mapping["not_evaluated"]) == mapping["not_evaluated"], (pack.name, rows)
                statuses_seen.add(mapping["not_evaluated"])
                checked += 1
                continue
            assert topic in statements, (pack.name, topic, statements)
            statement, sentence = statements[topic]
            assert sentence in letter_text, (pack.name, sentence)  # the reader of the letter sees it
            assert heading in rows, (pack.name, heading, rows)
            assert rows[heading] == mapping[statement], (pack.name, topic, statement, rows[heading])
            statuses_seen.add(rows[heading])
            checked += 1
    assert checked >= 14
    assert {"Red", "Amber", "Green", "Not rated"} <= statuses_seen  # the packs exercise every status


def test_status_rows_only_where_there_is_evidence(run, tmp_path):
    mv3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
    out = tmp_path / "mv3.docx"
    rows = briefing_statuses(run, mv3, out)
    assert "The front door" not in rows and "Care leavers" not in rows
    assert list(rows)[:3] == ["Placements and matching", "Permanence", "Children in care"]  # covered first
    assert not any(name.startswith("The experiences and progress") for name in rows)  # a visit grades nothing
    lines = [p.text for p in docx.Document(str(out)).paragraphs]
    assert any(line.startswith("The pack holds no evidence on the front door") for line in lines), lines


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_briefing_for_a_board(run, tmp_path, seed):
    out = tmp_path / "briefing.docx"
    assert run("briefing", seed, "-o", out).exit_code == 0
    document = docx.Document(str(out))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Areas needing action")
    actions = []
    for p in paragraphs[start + 1:]:
        if p.style.name != "List Bullet":
            break
        actions.append(p.text)
    assert 1 <= len(actions) <= 8
    assert len({a.split(":")[0] for a in actions}) == len(actions)  # one action per topic: no restated concerns
    rules = load_judgement_rules()[0]
    boards = {a.board for a in rules.actions.values()} | {g.board for g in rules.action_groups}
    assert all(a.split(": ", 1)[1] in boards for a in actions), actions
    text = "\n".join([p.text for p in paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells])
    import re

    raw = re.findall(r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z_]+\.[a-z0-9]+_[a-z0-9_]+\b", text)
    assert raw == [], raw  # no raw ids such as leaving_care or permanence.adoption_a1_days
    from docx.oxml.ns import qn

    for table in document.tables:  # no row splits across a page; the header repeats
        trs = table._tbl.tr_lst
        assert trs[0].trPr is not None and trs[0].trPr.find(qn("w:tblHeader")) is not None
        assert all(tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None for tr in trs)
