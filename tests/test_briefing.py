"""`drafter briefing`, Excel packs drafting like YAML, and `drafter batch`."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from tests.conftest import ROOT

MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"
STATUS_WORDS = {"Red", "Amber", "Green", "Not rated"}


@pytest.fixture(scope="module")
def briefing_docx(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from drafter.cli import app

    out = tmp_path_factory.mktemp("briefing") / "briefing.docx"
    result = CliRunner().invoke(app, ["briefing", str(MV4), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_briefing_sections_and_status_table(briefing_docx):
    document = docx.Document(str(briefing_docx))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Summary", "Status at a glance", "Key strengths"]
    assert {"Key concerns", "Charts", "Areas needing action", "Appendix: evidence used"} <= set(headings)
    status_table = document.tables[0]
    header = [c.text for c in status_table.rows[0].cells]
    assert header == ["Area", "Status", "Direction of travel", "Latest", "England", "North East",
                      "Statistical neighbours"]
    statuses = {row.cells[1].text for row in status_table.rows[1:]}
    assert statuses <= STATUS_WORDS and statuses & {"Red", "Amber", "Green"}
    rows = {row.cells[0].text: row for row in status_table.rows[1:]}
    front_door = rows["The front door"]
    assert "▲" in front_door.cells[2].text and "Improving" in front_door.cells[2].text
    assert "%" in front_door.cells[3].text
    appendix = document.tables[-1]
    assert [c.text for c in appendix.rows[0].cells] == ["Measure", "Latest", "Previous", "England"]


def test_every_chart_has_alt_text(briefing_docx):
    with zipfile.ZipFile(briefing_docx) as z:
        xml = z.read("word/document.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    descriptions = re.findall(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert len(descriptions) == len(media) >= 3
    for text in descriptions:
        assert len(text) > 40, text


def test_missing_chart_series_left_out_with_a_note_for_the_drafter(briefing_docx):
    document = docx.Document(str(briefing_docx))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "left out" not in text  # the note is for the drafter, not the board
    title = document.paragraphs[0]
    assert title.style.name == "Title"
    ids = [e.get(qn("w:id")) for e in title._p.iter(qn("w:commentRangeStart"))]
    notes = [c.text for c in document.comments if str(c.comment_id) in ids]
    assert len(notes) == 1 and notes[0].startswith("Notes for the drafter")
    assert "Permanence timeliness chart left out" in notes[0]  # the fourth-visit pack has no adoption series


def test_briefing_is_deterministic(run, tmp_path):
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run("briefing", MV3, "-o", a).exit_code == 0
    assert run("briefing", MV3, "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_briefing_converts_to_pdf_with_images(briefing_docx, tmp_path):
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                           str(briefing_docx)], capture_output=True, text=True, timeout=180)
    pdf = (tmp_path / "briefing.pdf")
    assert pdf.exists(), proc.stdout + proc.stderr
    data = pdf.read_bytes()
    assert len(re.findall(rb"/Type\s*/Page[^s]", data)) >= 3
    assert len(re.findall(rb"/Subtype\s*/Image", data)) >= 3


SMALL_PACK = """\
schema: evidence-pack/1
authority: Exampleshire
as_of: 2024-03-31
document:
  kind: monitoring_visit
  visit_number: 2
  visit_dates: [2024-03-26, 2024-03-27]
  inspectors: [Alex Morgan, Sam Patel]
  recipient: {name: Jo Reed, title: Director of Children's Services, address: [Exampleshire Council, County Hall]}
  areas_covered: [caseloads, workforce]
last_judgement: {grade: inadequate, published: 2023-01}
indicators:
  - id: caseload.average
    series: {2023-09: 19.5, 2024-03: 17.5}
  - id: workforce.agency_rate
    series: {2023-09: 24.0, 2024-03: 26.5}
notes:
  - {topic: workforce, polarity: negative, text: Agency staff still cover two of the five teams.}
"""


def test_workbook_filled_in_by_a_user_drafts_the_same_letter(run, write, tmp_path):
    yaml_pack = write("pack.yaml", SMALL_PACK)
    workbook = tmp_path / "pack.xlsx"
    assert run("new-pack", workbook).exit_code == 0
    wb = openpyxl.load_workbook(workbook)
    pack = wb["pack"]
    values = {
        "authority": "Exampleshire", "as_of": "2024-03-31", "document.kind": "monitoring_visit",
        "document.visit_number": 2, "document.visit_dates": "2024-03-26; 2024-03-27",
        "document.inspectors": "Alex Morgan; Sam Patel", "document.recipient.name": "Jo Reed",
        "document.recipient.title": "Director of Children's Services",
        "document.recipient.address": "Exampleshire Council; County Hall",
        "document.areas_covered": "caseloads; workforce", "last_judgement.grade": "inadequate",
        "last_judgement.published": "2023-01",
    }
    seen = set()
    for row in pack.iter_rows(min_row=2):
        key = row[0].value
        if key in values:
            row[1].value = values[key]
            seen.add(key)
        elif key not in (None, "schema"):
            row[1].value = None
    next_row = pack.max_row + 1
    for key in values:
        if key not in seen:
            pack.cell(next_row, 1, key)
            pack.cell(next_row, 2, values[key])
            next_row += 1
    indicators = wb["indicators"]
    indicators.delete_rows(2, indicators.max_row)
    for row in (["caseload.average", None, "2023-09", 19.5], ["caseload.average", None, "2024-03", 17.5],
                ["workforce.agency_rate", None, "2023-09", 24.0], ["workforce.agency_rate", None, "2024-03", 26.5]):
        indicators.append(row)
    wb["samples"].delete_rows(2, wb["samples"].max_row)
    notes = wb["notes"]
    notes.delete_rows(2, notes.max_row)
    notes.append(["workforce", "negative", "Agency staff still cover two of the five teams."])
    wb.save(workbook)
    assert run("validate", workbook).exit_code == 0, run("validate", workbook).output
    from_yaml, from_xlsx = tmp_path / "a.docx", tmp_path / "b.docx"
    assert run("letter", yaml_pack, "-o", from_yaml).exit_code == 0
    result = run("letter", workbook, "-o", from_xlsx)
    assert result.exit_code == 0, result.output
    assert from_yaml.read_bytes() == from_xlsx.read_bytes()


def test_batch_skips_a_broken_pack_and_reports_it(run, write, tmp_path):
    good = write("good.yaml", SMALL_PACK)
    broken = write("broken.yaml", SMALL_PACK.replace("17.5", "'about 17'"))
    out = tmp_path / "out"
    result = run("batch", good, broken, MV3, "--out", out, "--jobs", "2", "--what", "letter,briefing")
    assert result.exit_code == 2
    assert "drafted 2, failed 1" in result.output
    assert "broken.yaml" in result.output and "needs a number" in result.output
    assert (out / "good-letter.docx").exists() and (out / "good-briefing.docx").exists()
    assert (out / "2022-03-third-monitoring-visit-letter.docx").exists()
    assert not (out / "broken-letter.docx").exists()
