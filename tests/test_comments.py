"""Word comments written for a service manager: figures in time order, units and periods in words, why, rule last."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from drafter.pipeline import assess_pack
from drafter.rules.catalogue import load_catalogue
from drafter.rules.findings import Finding, Used
from drafter.rules.loader import load_rules
from drafter.rules.provenance import comment_text, load_comment_words
from tests.conftest import ROOT

MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
ILACS = ROOT / "seeds" / "2019-ilacs-inspection.yaml"
MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"

CASELOADS = """\
schema: evidence-pack/1
authority: Testshire
as_of: 2022-03-30
indicators:
  - id: caseload.average
    series: {2022-03: 17.6, 2021-03: 21.4, 2021-09: 19.2}
  - id: caseload.share_over_threshold
    series: {2022-03: 17.0}
"""


def finding(pack: Path, rule_id: str, team: str | None = None) -> Finding:
    found = [f for f in assess_pack(pack).findings if f.rule_id == rule_id and (team is None or f.team == team)]
    assert found, f"{rule_id} does not fire on {pack.name}"
    return found[0]


def letter_comments(run, pack: Path, tmp_path: Path) -> list[str]:
    out = tmp_path / f"{pack.stem}.docx"
    result = run("letter", pack, "-o", out)
    assert result.exit_code == 0, result.output
    return [c.text for c in docx.Document(str(out)).comments if not c.text.startswith("Notes for the drafter")]


def test_a_caseload_comment_reads_as_a_manager_would_write_it(run, write, tmp_path):
    pack = write("caseloads.yaml", CASELOADS)
    (text,) = {t for t in letter_comments(run, pack, tmp_path)
               if t.endswith("Rule CL001 (a strength)") and "Why it matters" in t}  # not the headline's
    assert text.split("\n") == [
        "Average caseload of case-holding social workers: 21.4 children in March 2021, 19.2 children in September "
        "2021 and 17.6 children in March 2022.",  # what the rule read, in time order
        "Share of case-holding social workers above the authority's caseload ceiling: 17% in March 2022.",
        "Thresholds drafter applies: an average caseload of 18 children or fewer counts as manageable; 25% or more "
        "of workers above the authority's ceiling is a concern.",
        "Why it matters: Manageable caseloads let social workers know their children well and act on time.",
        "Rule CL001 (a strength)",
    ]


def programmer_marks(text: str) -> list[str]:
    """Return what in `text` a programmer wrote rather than a reader: ids, parameter names, Python values."""
    ids = set(load_catalogue().ids()) | {r.rule.name for r in load_rules()}
    marks = [i for i in ids if i in text]
    marks += re.findall(r"params\.\w+|\b(?:True|False|None)\b|\d\.0\b|[{}\[\]]|\b[a-z]+_[a-z_]+\b|'\w+': ", text)
    return marks


@pytest.mark.parametrize("pack", [MV3, ILACS, MV4], ids=lambda p: p.stem)
def test_no_comment_holds_ids_parameter_names_or_python_values(run, tmp_path, pack):
    texts = letter_comments(run, pack, tmp_path)
    findings = [t for t in texts if "Why it matters: " in t]  # the headline's summaries say no single finding
    assert len(findings) > 10
    for text in texts:
        assert not programmer_marks(text), text
        verdict = r"[A-Z]{2}\d{3} \((?:a strength|improving|a weakness|a serious weakness)\)"
        assert re.search(rf"\nRules? {verdict}(?:(?:, | and ){verdict})*$", text), text


def test_figures_come_in_time_order_whatever_order_the_rule_read_them():
    pm002 = finding(MV3, "PM002")
    assert [u.period for u in pm002.used if u.kind == "value"][:2] == ["2022-03", "2020-03"]  # read newest first
    lines = comment_text(pm002).split("\n")
    assert lines[0] == ("Average days from entering care to moving in with an adoptive family (A1): 641 days in "
                        "March 2020, 548 days in March 2021, 497 days in September 2021 and 458 days in March 2022.")
    assert "Threshold: the scorecard threshold of 426 days (14 months); source: DfE adoption scorecards." in lines
    assert ("England: 486 days; source: DfE adoption scorecards, England average for the three years to 31 March "
            "2018, published March 2019.") in lines


def test_comparators_name_their_group_and_year_in_words():
    base = comment_text(finding(MV3, "WF003"))  # official figures: the period is in the publication's words
    assert ("England: 15.4%; source: DfE Children's social work workforce, 30 September 2021, published February "
            "2022.") in base
    assert "Statistical neighbours: 17.2%; source: the mean of the 10 of 10 neighbours with a figure" in base
    # The comparator items issue 9 adds: a group and publication in the detail, a financial-year period.
    grouped = Finding("WF003", "workforce.turnover_high", "workforce", "weakness", "s", (
        Used("value", "workforce.turnover_rate", 20.4, "2022-03", None, "percent"),
        Used("comparator", "workforce.turnover_rate", 15.9, "2022-23", None, "England; DfE workforce statistics"),
        Used("comparator", "workforce.turnover_rate", 17.3, "2022-23", None, "statistical neighbours; DfE LAIT"),
        Used("comparator", "workforce.turnover_rate", 16.0, None, None, "comparator given in the pack"),
    ), why="Turnover matters.")
    lines = comment_text(grouped).split("\n")
    assert lines[1:4] == ["England: 15.9% (2022 to 2023); source: DfE workforce statistics.",
                          "Statistical neighbours: 17.3% (2022 to 2023); source: DfE LAIT.",
                          "England: 16%; source: comparator given in the pack."]


def test_samples_audits_notes_and_teams_in_words():
    sample = comment_text(next(f for f in assess_pack(MV3).findings
                               if any(u.kind == "sample" and u.name == "permanence.parallel_planning" for u in f.used)))
    assert "9 of the 12 cases sampled showed parallel planning (March 2022)." in sample
    audits = comment_text(finding(MV3, "QA002")).split("\n")
    assert audits[:2] == [
        "Of 50 cases audited in September 2021: 0 outstanding, 12 good, 24 requiring improvement and 14 inadequate.",
        "Of 50 cases audited in March 2022: 1 outstanding, 18 good, 21 requiring improvement and 10 inadequate.",
    ]
    note = comment_text(finding(MV3, "NT001"))
    assert note.startswith("From the analysts' notes (monitoring visit letter, 6 May 2022): A small number of")
    team = [f for f in assess_pack(ILACS).findings if f.team == "leaving_care" or any(
        u.team == "leaving_care" for u in f.used)]
    assert team and not any("leaving_care" in comment_text(f) for f in team)
    assert any("Average caseload of case-holding social workers, leaving care team: 25 children in September 2018"
               in comment_text(f) for f in team)


def test_one_comment_for_several_findings_about_one_measure():
    cl001 = finding(MV3, "CL001")
    other = Finding("CL005", "caseloads.many_over_ceiling", "caseloads", "weakness", "s",
                    (Used("value", "caseload.share_over_threshold", 17.0, "2022-03", None, "percent"),
                     Used("param", "params.share_concern", 25)), why="Too many workers carry too many children.")
    text = comment_text([cl001, other])
    lines = text.split("\n")
    assert sum(line.startswith("Share of case-holding social workers") for line in lines) == 1  # figures once
    assert sum("25% or more of workers" in line for line in lines) == 1  # thresholds once
    assert "Why it matters: Manageable caseloads" in text and "Why it matters: Too many workers" in text
    assert lines[-1] == "Rules CL001 (a strength) and CL005 (a weakness)"
    assert comment_text(cl001) == comment_text([cl001]) == cl001.provenance()  # the old method delegates


def test_every_rule_parameter_has_wording():
    words = load_comment_words().params
    missing = sorted({f"{r.id}: {name}" for r in load_rules() for name in r.rule.params if name not in words})
    assert not missing, "add these to rules/comments.yaml: " + ", ".join(missing)
    for name, entry in words.items():
        assert entry.words is None or "{value}" in entry.words, name


def test_values_python_would_print_are_written_as_words():
    odd = Finding("XX001", "x.y", "caseloads", "strength", "s", (
        Used("value", "caseload.average", 16.0, "2022-03", None, "cases"),
        Used("param", "params.good", 95.0),
        Used("param", "params.audit_team", "early_help"),
        Used("param", "params.unknown_flag", True),
    ), why="")
    text = comment_text(odd)
    assert "16 children in March 2022" in text and "95% or more counts as good" in text
    assert not programmer_marks(text) and "early" not in text and "Why it matters" not in text
