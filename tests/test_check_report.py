"""Reporters (text, JSON, SARIF), the annotated DOCX, and the documentation of every diagnostic code."""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path

import docx
import jsonschema
import pytest

from drafter.check.diagnostic import CODES, CheckResult, Diagnostic
from drafter.check.read import Location, read_draft
from drafter.check.report import (
    FINGERPRINT,
    REPORTERS,
    SCHEMA,
    annotate_docx,
    artifact_uri,
    comment_text,
    doc_summary,
    fingerprint,
    report_json,
    report_sarif,
    report_text,
)
from drafter.check.sentences import iter_sentences
from drafter.errors import DrafterError, DraftError

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MOST = "Parallel planning was evident in most cases."
CONTINUE = "Caseloads have continued to reduce."
NAMED = "Jayden has moved placement four times."
UNSUPPORTED = "The front door is effective."
CLAIM = {
    "text": MOST,
    "topics": ["permanence"],
    "polarity": "positive",
    "quantifier": "most",
    "trend": None,
    "location": {"line": 3, "column": 1},
}


def text_result() -> CheckResult:
    """Return a hand-made result for a Markdown draft: an error, a warning and an info."""
    return CheckResult(
        "drafts/letter.md",
        (
            Diagnostic(
                "QNT01",
                "'most' overstates 9 of 15 cases (60%); use 'the majority'",
                MOST,
                Location(line=3, column=1),
                topic="permanence",
                match="most",
                suggestion="'the majority'",
                evidence=("sample permanence.parallel_planning: 9 of 15",),
                claim={k: v for k, v in CLAIM.items() if k != "location"},
            ),
            Diagnostic(
                "EVD01",
                "the pack holds no evidence on the front door",
                UNSUPPORTED,
                Location(line=7, column=5),
                topic="front_door",
            ),
            Diagnostic(
                "PII01",
                "'born in 2015' gives a year of birth",
                "One child was born in 2015.",
                Location(line=9, column=1),
                level="info",
                match="born in 2015",
            ),
        ),
        (CLAIM,),
        "seeds/pack.yaml",
    )


def docx_result(path: str = "letter.docx") -> CheckResult:
    """Return a hand-made result for a DOCX draft: one body paragraph, one table cell."""
    return CheckResult(
        path,
        (
            Diagnostic(
                "TRD01",
                "'continued to reduce' but caseloads rose",
                CONTINUE,
                Location(paragraph=4),
                evidence=("caseload.average: 2021-09: 18.6, 2022-03: 19.2",),
            ),
            Diagnostic(
                "PII01",
                "'Jayden' is a name from the pack's notes; documents must not name a child",
                NAMED,
                Location(paragraph=7, table=1, row=2, cell=1),
                match="Jayden",
            ),
        ),
    )


# -- text ----------------------------------------------------------------------------------------


def test_text_report_lines():
    lines = report_text(text_result()).splitlines()
    assert lines[0] == (
        "drafts/letter.md:3:1: error: 'most' overstates 9 of 15 cases (60%); use 'the majority' [QNT01 quantifier]"
    )
    assert lines[1] == f"    {MOST}"
    assert lines[2] == "    evidence: sample permanence.parallel_planning: 9 of 15"
    assert lines[3] == "    suggestion: 'the majority'"
    assert lines[4] == (
        "drafts/letter.md:7:5: warning: the pack holds no evidence on the front door [EVD01 unsupported]"
    )
    assert "drafts/letter.md:9:1: info: 'born in 2015' gives a year of birth [PII01 child-identified]" in lines
    assert lines[-1] == "1 error, 1 warning, 1 info in drafts/letter.md"


def test_text_report_docx_locations_and_summary():
    lines = report_text(docx_result()).splitlines()
    assert lines[0] == "letter.docx:paragraph 4: error: 'continued to reduce' but caseloads rose [TRD01 trend]"
    assert any(line.startswith("letter.docx:table 1, row 2, cell 1 (paragraph 7): error: ") for line in lines)
    assert lines[-1] == "2 errors, 0 warnings, 0 infos in letter.docx"


def test_text_report_without_problems():
    assert report_text(CheckResult("a.txt", ())) == "no problems found in a.txt\n"


# -- JSON ----------------------------------------------------------------------------------------


def test_json_report_shape():
    doc = json.loads(report_json(text_result()))
    assert list(doc) == ["schema", "file", "diagnostics", "claims", "notes"]
    assert doc["schema"] == SCHEMA == "drafter-check/1"
    assert doc["file"] == "drafts/letter.md"
    first = doc["diagnostics"][0]
    for key in ("code", "name", "level", "message", "text", "topic", "location", "claim", "evidence"):
        assert key in first
    assert (first["code"], first["name"], first["level"]) == ("QNT01", "quantifier", "error")
    assert first["location"] == {"line": 3, "column": 1}
    assert first["evidence"] == ["sample permanence.parallel_planning: 9 of 15"]
    assert first["claim"]["quantifier"] == "most"
    assert [d["level"] for d in doc["diagnostics"]] == ["error", "warning", "info"]
    assert doc["claims"] == [CLAIM]
    assert set(doc["claims"][0]) == {"text", "topics", "polarity", "quantifier", "trend", "location"}


def test_json_report_docx_location():
    doc = json.loads(report_json(docx_result()))
    assert doc["diagnostics"][1]["location"] == {"paragraph": 7, "table": 1, "row": 2, "cell": 1}
    assert doc["claims"] == []


# -- SARIF ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


@pytest.mark.parametrize("result", [text_result(), docx_result(), CheckResult("empty.md", ())])
def test_sarif_is_valid_against_the_schema(sarif_validator, result):
    log = json.loads(report_sarif(result))
    errors = sorted(sarif_validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_sarif_schema_rejects_a_broken_log(sarif_validator):
    # The schema really constrains: a result without a message is invalid.
    log = json.loads(report_sarif(text_result()))
    del log["runs"][0]["results"][0]["message"]
    assert list(sarif_validator.iter_errors(log))


def test_sarif_rules_and_results():
    log = json.loads(report_sarif(text_result()))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "drafter"
    assert [r["id"] for r in driver["rules"]] == list(CODES)
    evd = next(r for r in driver["rules"] if r["id"] == "EVD01")
    assert evd["name"] == "unsupported"
    assert evd["defaultConfiguration"] == {"level": "warning"}
    assert evd["help"]["text"] == doc_summary("EVD01") and "evaluative" in evd["help"]["text"]
    levels = [(r["ruleId"], r["level"]) for r in run["results"]]
    assert levels == [("QNT01", "error"), ("EVD01", "warning"), ("PII01", "note")]
    first = run["results"][0]
    assert driver["rules"][first["ruleIndex"]]["id"] == "QNT01"
    assert first["message"]["text"].startswith("'most' overstates")
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "drafts/letter.md"
    assert location["region"]["startLine"] == 3 and location["region"]["startColumn"] == 1
    assert location["region"]["snippet"]["text"] == MOST


def test_sarif_docx_regions_name_paragraphs_and_cells():
    log = json.loads(report_sarif(docx_result("out dir/letter.docx")))
    body, cell = log["runs"][0]["results"]
    assert body["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "out%20dir/letter.docx"
    region = body["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 4 and region["properties"] == {"paragraph": 4}
    assert "startColumn" not in region
    assert body["locations"][0]["logicalLocations"] == [{"name": "paragraph 4", "kind": "element"}]
    assert cell["locations"][0]["logicalLocations"][0]["name"] == "table 1 row 2 cell 1"
    assert cell["locations"][0]["physicalLocation"]["region"]["properties"]["cell"] == 1


def test_sarif_fingerprints_follow_the_sentence_and_code():
    a = Diagnostic("QNT01", "m", MOST, Location(line=3, column=1), match="most")
    moved = Diagnostic("QNT01", "other words", "  Parallel planning was evident in  most cases.", Location(line=40))
    moved = Diagnostic(moved.code, moved.message, moved.text, moved.location, match="most")
    other_code = Diagnostic("NUM01", "m", MOST, Location(line=3, column=1), match="most")
    assert fingerprint(a) == fingerprint(moved)
    assert fingerprint(a) != fingerprint(other_code)
    log = json.loads(report_sarif(CheckResult("a.md", (a, moved))))
    prints = [r["partialFingerprints"][FINGERPRINT] for r in log["runs"][0]["results"]]
    assert prints[0] == prints[1] and re.fullmatch(r"[0-9a-f]{32}", prints[0])


def test_reports_are_deterministic():
    for name, reporter in REPORTERS.items():
        assert reporter(text_result()) == reporter(text_result()), name
        assert reporter(docx_result()) == reporter(docx_result()), name


def test_reporters_registry():
    assert set(REPORTERS) == {"text", "json", "sarif"}
    assert REPORTERS["text"] is report_text


def test_artifact_uri():
    assert artifact_uri("drafts/letter.md") == "drafts/letter.md"
    assert artifact_uri("my letter#2.docx") == "my%20letter%232.docx"
    assert artifact_uri("/tmp/a b.md") == "file:///tmp/a%20b.md"


# -- annotated DOCX ------------------------------------------------------------------------------


def make_draft(path: Path) -> Path:
    """Write a small Word draft: a heading, body paragraphs (one split over runs), a table, an existing comment."""
    document = docx.Document()
    document.add_heading("Monitoring visit", level=1)  # paragraph 1
    document.add_paragraph("")  # paragraph 2: empty, still counted
    intro = document.add_paragraph("Leaders know their services well. ")  # paragraph 3
    document.add_comment(intro.runs, text="Check this wording", author="Reviewer", initials="RV")
    para = document.add_paragraph()  # paragraph 4: the diagnosed sentence spans three runs
    para.add_run("Social workers are supported. Case")
    para.add_run("loads have continued ").bold = True
    para.add_run("to reduce. Audits are thorough.")
    table = document.add_table(rows=2, cols=2)  # paragraphs 5-8, one per cell
    table.cell(0, 0).text = "Area"
    table.cell(0, 1).text = "Finding"
    table.cell(1, 0).text = NAMED
    table.cell(1, 1).text = "Placements"
    document.add_paragraph("Yours sincerely")  # paragraph 9
    document.save(path)
    return path


def anchored_text(document) -> dict[int, str]:
    """Return {comment id: the text between its range start and end}."""
    open_ids: set[int] = set()
    out: dict[int, str] = defaultdict(str)
    for elm in document.element.body.iter():
        if elm.tag == W + "commentRangeStart":
            open_ids.add(int(elm.get(W + "id")))
        elif elm.tag == W + "commentRangeEnd":
            open_ids.discard(int(elm.get(W + "id")))
        elif elm.tag == W + "t":
            for cid in open_ids:
                out[cid] += elm.text or ""
    return dict(out)


def test_annotated_docx_has_comments_on_the_diagnosed_sentences(tmp_path):
    draft = make_draft(tmp_path / "letter.docx")
    # The locations the checker itself gives these sentences.
    where = {s.text: s.location for s in iter_sentences(read_draft(draft))}
    assert where[CONTINUE] == Location(paragraph=4)
    assert where[NAMED] == Location(paragraph=7, table=1, row=2, cell=1)
    before = hashlib.sha256(draft.read_bytes()).hexdigest()
    out = tmp_path / "annotated.docx"
    assert annotate_docx(draft, docx_result(str(draft)), out) == 2
    assert hashlib.sha256(draft.read_bytes()).hexdigest() == before  # the input is untouched

    document = docx.Document(str(out))
    comments = {c.comment_id: c for c in document.comments}
    assert len(comments) == 3  # the reviewer's and drafter's two
    ours = {cid: c for cid, c in comments.items() if c.author == "drafter"}
    assert len(ours) == 2
    anchors = anchored_text(document)
    by_anchor = {anchors[cid]: c for cid, c in ours.items()}
    assert set(by_anchor) == {CONTINUE, NAMED}  # exactly the sentence, not the whole paragraph
    trend = by_anchor[CONTINUE]
    assert trend.text.startswith("TRD01 trend (error): 'continued to reduce' but caseloads rose")
    assert "Evidence: caseload.average: 2021-09: 18.6, 2022-03: 19.2" in trend.text
    assert by_anchor[NAMED].text.startswith("PII01 child-identified (error):")
    reviewer = next(c for c in comments.values() if c.author == "Reviewer")
    assert anchors[reviewer.comment_id] == "Leaders know their services well. "

    # The copy reads as the same draft: same text, same numbering, and drafter's comments are not directives.
    again = read_draft(out)
    assert [p.text for p in again.paragraphs] == [p.text for p in read_draft(draft).paragraphs]
    assert [p.location for p in again.paragraphs] == [p.location for p in read_draft(draft).paragraphs]
    assert again.directives == ()
    bold = [r.text for r in document.paragraphs[3].runs if r.bold]
    assert "".join(bold) == "loads have continued "  # split runs keep their formatting


def test_annotation_is_deterministic(tmp_path):
    draft = make_draft(tmp_path / "letter.docx")
    annotate_docx(draft, docx_result(), tmp_path / "a.docx")
    annotate_docx(draft, docx_result(), tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_annotation_groups_diagnostics_of_one_sentence(tmp_path):
    draft = make_draft(tmp_path / "letter.docx")
    result = CheckResult(
        str(draft),
        (
            Diagnostic("TRD01", "first", CONTINUE, Location(paragraph=4)),
            Diagnostic("NUM01", "second", CONTINUE, Location(paragraph=4)),
            Diagnostic("EVD01", "whole paragraph", "not in the paragraph", Location(paragraph=9)),
            Diagnostic("EVD01", "no such paragraph", "x", Location(paragraph=99)),
        ),
    )
    out = tmp_path / "out.docx"
    assert annotate_docx(draft, result, out) == 2
    document = docx.Document(str(out))
    ours = [c for c in document.comments if c.author == "drafter"]
    anchors = anchored_text(document)
    texts = {anchors[c.comment_id]: c.text for c in ours}
    assert texts[CONTINUE].splitlines() == ["TRD01 trend (error): first", "", "NUM01 number (error): second"]
    assert texts["Yours sincerely"].startswith("EVD01 unsupported (warning): whole paragraph")


def test_comment_text_never_reads_as_a_directive():
    d = Diagnostic("QNT01", "write drafter: ignore QNT01 to keep it", MOST, Location(paragraph=1))
    assert "drafter: ignore" not in comment_text([d]).lower()


def test_annotation_refuses_to_overwrite_its_input(tmp_path):
    draft = make_draft(tmp_path / "letter.docx")
    before = draft.read_bytes()
    with pytest.raises(DrafterError, match="overwrite an input"):
        annotate_docx(draft, docx_result(), draft)
    assert draft.read_bytes() == before


def test_annotation_needs_a_docx(tmp_path):
    md = tmp_path / "letter.md"
    md.write_text(f"{MOST}\n", encoding="utf-8")
    with pytest.raises(DraftError, match="only Word drafts"):
        annotate_docx(md, text_result(), tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


# -- every code documented -----------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_has_a_documentation_page(code):
    spec = CODES[code]
    page = ROOT / spec.doc
    assert page.is_file(), f"{code} has no documentation page at {spec.doc}"
    text = page.read_text(encoding="utf-8")
    title = text.splitlines()[0]
    assert title.startswith("# ") and code in title and spec.name in title
    headings = re.findall(r"^##\s+(.+?)\s*$", text, re.MULTILINE)
    assert "Wrong" in headings and "Right" in headings, f"{spec.doc} needs a 'Wrong' and a 'Right' example"
    wrong = text.split("## Wrong", 1)[1].split("\n## ", 1)[0]
    right = text.split("## Right", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"^> \S", wrong, re.MULTILINE) and re.search(r"^> \S", right, re.MULTILINE)
    assert f"[{code} {spec.name}]" in wrong, "the Wrong example shows the message drafter gives"
    assert f"**Level:** {spec.level}" in text
    assert f"drafter: ignore {code}" in text and f"<!-- drafter: ignore {code} -->" in text
    assert doc_summary(code) != spec.summary  # the page opens with its own paragraph
