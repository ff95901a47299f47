"""`drafter check` end to end: drafter's own documents check clean; wrong wording is found, located and explained."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML

from tests.conftest import ROOT, SEEDS

SMALL_PACK = """\
schema: evidence-pack/1
authority: Testshire
as_of: 2022-03-31
indicators:
  - id: caseload.average
    series: {2021-09: 19.2, 2022-03: 17.6}
  - id: caseload.share_over_threshold
    series: {2022-03: 17.0}
  - id: workforce.agency_rate
    series: {2021-03: 16.0, 2021-09: 19.5, 2022-03: 22.0}
  - id: permanence.adoption_a1_days
    series: {2021-03: 540, 2021-09: 520, 2022-03: 531}
  - id: audit.ratings
    series:
      2022-03: {outstanding: 1, good: 18, requires_improvement: 21, inadequate: 10}
samples:
  - {feature: permanence.parallel_planning, seen: 9, of: 15}
notes:
  - {topic: placements, polarity: negative, text: Kai Thornton waits for a matched foster home.}
"""


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from drafter.cli import app

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
@pytest.mark.parametrize("suffix", ["-letter.docx", "-letter.md", "-letter-clean.docx", "-briefing.docx"])
def test_drafters_own_documents_check_clean(run, demo_out, seed, suffix):
    draft = demo_out / f"{seed.stem}{suffix}"
    result = run("check", draft, "--evidence", seed, "--format", "json")
    record = json.loads(result.output)
    problems = [(d["code"], d["message"], d["text"]) for d in record["diagnostics"]]
    assert problems == [], problems
    assert result.exit_code == 0


def flipped_pack(seed: Path, out: Path) -> Path:
    """Write a copy of a seed whose evidence points the other way: series reversed and mirrored about
    the England figure, audit grades swapped end for end, samples and notes inverted."""
    from drafter.errors import NotEvaluable
    from drafter.evidence.load import load_pack
    from drafter.official.comparators import resolve
    from drafter.rules.catalogue import load_catalogue

    yaml = YAML()
    data = yaml.load(seed.read_text())
    catalogue = load_catalogue()
    evidence = load_pack(seed)

    def england(indicator: str) -> float | None:
        try:
            return resolve(evidence, indicator, "england").value
        except NotEvaluable:
            return None

    for entry in data.get("indicators", []):
        spec = catalogue.get(entry["id"])
        periods = list(entry["series"])
        values = [entry["series"][p] for p in periods]
        if spec.unit == "grades":
            new = [{"outstanding": v["inadequate"], "good": v["requires_improvement"],
                    "requires_improvement": v["good"], "inadequate": v["outstanding"]} for v in values]
        else:
            centre = england(spec.id)
            centre = sum(values) / len(values) if centre is None else centre
            new = [min(spec.range.max, max(spec.range.min, round(2 * centre - v, 1))) for v in reversed(values)]
            if spec.unit == "count":
                new = [int(round(v)) for v in new]
        for period, value in zip(periods, new, strict=True):
            entry["series"][period] = value
    for sample in data.get("samples", []):
        sample["seen"] = sample["of"] - sample["seen"]
    for note in data.get("notes", []):
        note["polarity"] = {"positive": "negative", "negative": "positive"}.get(note["polarity"], "mixed")
    with out.open("w") as fh:
        yaml.dump(data, fh)
    return out


@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_letters_are_flagged_against_evidence_pointing_the_other_way(run, demo_out, tmp_path, seed):
    other = flipped_pack(seed, tmp_path / "flipped.yaml")
    letter = tmp_path / "letter.docx"  # the figures register: the default keeps its figures in the comments
    assert run("letter", seed, "--figures", "inline", "-o", letter).exit_code == 0
    result = run("check", letter, "--evidence", other, "--format", "json")
    assert result.exit_code == 1, result.output
    diagnostics = json.loads(result.output)["diagnostics"]
    topics = {d["topic"] for d in diagnostics if d["level"] == "error"}
    assert len(diagnostics) >= 7, diagnostics  # each figure is said once: the letter plan merges repeats
    assert len(topics - {None}) >= 4, topics


def check_md(run, write, body: str, pack: str = SMALL_PACK, *extra: str):
    draft = write("draft.md", textwrap.dedent(body))
    evidence = write("pack.yaml", pack)
    result = run("check", draft, "--evidence", evidence, "--format", "json", *extra)
    return result, json.loads(result.output)


@pytest.mark.parametrize("sentence, code, fragment", [
    ("Caseloads are manageable for all social workers.", "QNT01", "'all' overstates 83%"),
    ("Parallel planning was evident in most of the cases sampled.", "QNT01", "9 of 15"),
    ("Agency use has continued to reduce.", "TRD01", "rose in the latest period"),
    ("Caseloads have continued to reduce.", "TRD01", "needs at least 2 consecutive moves"),
    ("Adoption timeliness has improved, with children waiting less time.", "TRD01", "lower is better"),
    ("The agency rate was 12% in March 2022.", "NUM01", "'12%' is not a figure"),
    ("A third of audits were rated inadequate.", "NUM01", "10 of 50"),
    ("Parallel planning was evident in 12 of 15 cases sampled.", "NUM01", "9 of 15"),
    ("Reliance on agency staff is low and well controlled, at 22% in March 2022.", "CON01", "only weaknesses"),
    ("Care leavers are well supported into education, employment or training.", "EVD01", "no evidence"),
    ("Kai Thornton has moved placement three times.", "PII01", "Kai Thornton"),
    ("The child, date of birth 12/04/2015, was seen alone.", "PII01", "date of birth"),
])
def test_each_check_finds_its_problem(run, write, sentence, code, fragment):
    result, record = check_md(run, write, f"# Draft\n\n{sentence}\n")
    found = [d for d in record["diagnostics"] if d["code"] == code]
    assert found, record["diagnostics"]
    assert fragment in found[0]["message"] or fragment in found[0]["text"], found[0]
    assert found[0]["location"] == {"line": 3, "column": 1}
    assert found[0]["name"] and found[0]["evidence"] is not None
    assert result.exit_code == (0 if found[0]["level"] != "error" and all(
        d["level"] != "error" for d in record["diagnostics"]) else 1)


@pytest.mark.parametrize("sentence", [
    "Caseloads are manageable for most social workers.",
    "Parallel planning was evident in the majority of the cases sampled (9 of 15).",
    "The agency rate has increased, to 22% in March 2022, which is too high.",
    "Caseloads have reduced, to an average of 17.6 in March 2022.",
    "A fifth of audits were rated inadequate.",
    "Child A waits for a matched foster home.",
])
def test_supported_wording_is_quiet(run, write, sentence):
    result, record = check_md(run, write, f"# Draft\n\n{sentence}\n")
    assert record["diagnostics"] == [], record["diagnostics"]
    assert result.exit_code == 0


def test_ignore_directive_in_markdown(run, write):
    body = "# Draft\n\n<!-- drafter: ignore quantifier -->\nCaseloads are manageable for all social workers.\n"
    result, record = check_md(run, write, body)
    assert [d for d in record["diagnostics"] if d["code"] == "QNT01"] == []


def test_claims_are_listed_on_request(run, write):
    _, record = check_md(run, write, "# Draft\n\nCaseloads have reduced.\n\nAgency use is too high.\n", SMALL_PACK,
                         "--claims")
    assert record["schema"] == "drafter-check/1"
    assert len(record["claims"]) == 2
    assert set(record["claims"][0]) == {"text", "topics", "polarity", "quantifier", "trend", "location", "clauses"}
    assert record["claims"][1]["polarity"] == "negative"
    assert record["claims"][1]["clauses"] == [{"text": "Agency use is too high.", "role": "main",
                                               "topics": ["workforce"], "polarity": "negative"}]


def test_docx_draft_with_ignore_comment_and_annotated_copy(run, write, tmp_path):
    document = docx.Document()
    document.add_paragraph("Caseloads are manageable for all social workers.")
    para = document.add_paragraph("Agency use has continued to reduce.")
    document.add_comment(para.runs, text="drafter: ignore trend", author="Analyst")
    draft = tmp_path / "draft.docx"
    document.save(str(draft))
    evidence = write("pack.yaml", SMALL_PACK)
    annotated = tmp_path / "annotated.docx"
    result = run("check", draft, "--evidence", evidence, "--annotate", annotated, "--format", "json")
    record = json.loads(result.output.split("\nwrote")[0]) if "\nwrote" in result.output else json.loads(
        result.output[: result.output.rindex("}") + 1])
    codes = [d["code"] for d in record["diagnostics"]]
    assert "QNT01" in codes and "TRD01" not in codes
    assert result.exit_code == 1
    comments = docx.Document(str(annotated)).comments
    assert any("QNT01" in c.text or "quantifier" in c.text for c in comments)


def test_sarif_output_is_valid(run, write):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    draft = write("d.md", "# Draft\n\nCaseloads are manageable for all social workers.\n")
    result = run("check", draft, "--evidence", write("p.yaml", SMALL_PACK), "--format", "sarif")
    sarif = json.loads(result.output)
    jsonschema.validate(sarif, schema)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "QNT01"


def test_text_output_and_exit_codes(run, write, tmp_path):
    evidence = write("p.yaml", SMALL_PACK)
    result = run("check", write("d.md", "Caseloads are manageable for all social workers.\n"), "--evidence", evidence)
    assert result.exit_code == 1
    assert "d.md:1:1: error:" in result.output and "[QNT01 quantifier]" in result.output
    assert run("check", tmp_path / "missing.md", "--evidence", evidence).exit_code == 2
    assert run("check", write("d2.md", "Fine.\n"), "--evidence", write("bad.yaml", "nonsense: [")).exit_code == 2
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(b"PK\x03\x04 not really a zip")
    broken = run("check", bomb, "--evidence", evidence)
    assert broken.exit_code == 2 and "Traceback" not in broken.output


def test_rules_lint_passes(run):
    result = run("rules", "lint")
    assert result.exit_code == 0, result.output[-3000:]
    assert result.output.strip().endswith("0 failed")
