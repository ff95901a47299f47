"""`drafter letter` and `drafter demo`: real DOCX files read back with python-docx."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from drafter.drafting import draft_letter_from_pack
from tests.conftest import ROOT, SEEDS

MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"
LEAKS = ("{{", "}}", "{%", "%}", "]{", "**", "{.", "\\[", "\\]")


def comment_anchors(path: Path) -> dict[str, str]:
    """Return comment id → the text of the runs the comment is anchored on."""
    document = docx.Document(str(path))
    anchors: dict[str, list[str]] = {}
    open_ids: set[str] = set()
    for element in document.element.body.iter():
        if element.tag == qn("w:commentRangeStart"):
            open_ids.add(element.get(qn("w:id")))
            anchors.setdefault(element.get(qn("w:id")), [])
        elif element.tag == qn("w:commentRangeEnd"):
            open_ids.discard(element.get(qn("w:id")))
        elif element.tag == qn("w:t"):
            for cid in open_ids:
                anchors[cid].append(element.text or "")
    return {cid: "".join(parts) for cid, parts in anchors.items()}


@pytest.fixture(scope="module")
def mv3_docx(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from drafter.cli import app

    out = tmp_path_factory.mktemp("letter") / "letter.docx"
    result = CliRunner().invoke(app, ["letter", str(MV3), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_headings_in_order(mv3_docx):
    document = docx.Document(str(mv3_docx))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name in ("Title", "Heading 1")]
    assert headings == [
        ("Title", "Monitoring visit to Middlesbrough children's services"),
        ("Heading 1", "Areas covered by the visit"),
        ("Heading 1", "Headline findings"),
        ("Heading 1", "Findings and evaluation of progress"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "30 March 2022" or texts[0].endswith("2022")
    assert any(t.startswith("Dear Sue") for t in texts)
    assert "Yours sincerely" in texts
    opening = next(t for t in texts if t.startswith("This letter"))
    assert "29 and 30 March 2022" in opening and "third" in opening and "January 2020" in opening
    assert "Her Majesty's Inspectors Louise Hollick and Nick Stacey" in opening
    assert any("Department for Education" in t for t in texts)


def test_every_finding_sentence_has_a_comment_naming_its_rule(mv3_docx):
    document = docx.Document(str(mv3_docx))
    comments = {str(c.comment_id): c for c in document.comments}
    anchors = comment_anchors(mv3_docx)
    assert len(anchors) == len(comments) > 10
    for cid, anchored in anchors.items():
        comment = comments[cid]
        assert comment.author == "drafter"
        if comment.text.startswith("Notes for the drafter"):  # on the title: for the drafter, not a finding
            continue
        last = comment.text.split("\n")[-1]  # the rule id comes last, after the figures and why they matter
        assert re.fullmatch(r"Rules? [A-Z]{2}\d{3} \(.+\)", last), comment.text
        assert anchored.strip(), cid
    texts = "\n".join(c.text for c in comments.values())
    draft = draft_letter_from_pack(MV3)
    for finding in draft.assessment.findings:  # merged or not, every finding's provenance is in a comment
        assert finding.provenance().splitlines()[0] in texts, finding.rule_id


def test_comment_dates_come_from_the_pack(mv3_docx):
    with zipfile.ZipFile(mv3_docx) as z:
        xml = z.read("word/comments.xml").decode()
    assert 'w:date="2022-03-30T12:00:00Z"' in xml


def test_no_template_or_markdown_syntax_left(mv3_docx):
    document = docx.Document(str(mv3_docx))
    text = "\n".join(p.text for p in document.paragraphs)
    for leak in LEAKS:
        assert leak not in text, leak


def test_no_comments_writes_the_clean_copy(run, tmp_path):
    out = tmp_path / "clean.docx"
    assert run("letter", MV3, "-o", out, "--no-comments").exit_code == 0
    assert len(docx.Document(str(out)).comments) == 0


def test_two_runs_give_identical_bytes(run, tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run("letter", MV4, "-o", a).exit_code == 0
    assert run("letter", MV4, "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()
    h1, h2 = tmp_path / "a.html", tmp_path / "b.html"
    run("letter", MV4, "-o", h1)
    run("letter", MV4, "-o", h2)
    assert h1.read_bytes() == h2.read_bytes()


def test_formats_and_default_name(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("letter", MV3, "--format", "md")
    assert result.exit_code == 0, result.output
    md = (tmp_path / "2022-03-third-monitoring-visit-letter.md").read_text()
    assert md.lstrip().startswith("30 March 2022") or "# Monitoring visit to Middlesbrough" in md
    assert "]{" not in md and "{{" not in md
    html = tmp_path / "x.html"
    result = run("letter", MV3, "-o", html)
    assert result.exit_code == 0, result.output
    assert html.read_text().startswith("<!DOCTYPE html>")


def test_never_overwrites_the_input(run, tmp_path):
    pack = tmp_path / "pack.yaml"
    shutil.copy(MV3, pack)
    result = run("letter", pack, "-o", pack)
    assert result.exit_code == 2
    assert pack.read_bytes() == MV3.read_bytes()


def test_focused_visit_template(run, tmp_path):
    out = tmp_path / "fv.docx"
    result = run("letter", MV4, "-o", out, "--template", "focused_visit_letter")
    assert result.exit_code == 0, result.output
    headings = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Headline findings", "What needs to improve in this area of social work practice?",
                        "Main findings"]


def test_unknown_template_is_a_clear_error(run, tmp_path):
    result = run("letter", MV3, "-o", tmp_path / "x.docx", "--template", "nope")
    assert result.exit_code == 2 and "unknown template 'nope'" in result.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_libreoffice_converts_the_letter_to_pdf(mv3_docx, tmp_path):
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(mv3_docx)],
                          capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (mv3_docx.stem + ".pdf")
    assert pdf.exists(), proc.stdout + proc.stderr
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 2


def test_demo_writes_every_seed(run, tmp_path):
    result = run("demo", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    for seed in SEEDS:
        for suffix in ("-letter.docx", "-letter-clean.docx", "-letter.md", "-letter.html", "-explain.txt"):
            path = tmp_path / f"{seed.stem}{suffix}"
            assert path.exists() and path.stat().st_size > 0, path
            assert str(path) in result.output
