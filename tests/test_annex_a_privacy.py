"""Child-level data stays in the workbook: the pack and the documents drafted from it hold aggregates only."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest

from tools.annex_a_fake import FIRST, LAST
from tools.make_annex_a import MESS, generate, write_workbook

AS_OF = dt.date(2024, 3, 31)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATES = re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b|\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d{1,2}[A-Z]? \d[A-Z]{2}\b")


def docx_text(path: Path) -> str:
    """Return every piece of text in a DOCX's body and comments."""
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n in ("word/document.xml", "word/comments.xml")]
        xml = "".join(archive.read(n).decode("utf-8") for n in parts)
    paragraphs = xml.split("</w:p>")
    return "\n".join("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)


def as_dates(text: str) -> set[dt.date]:
    found = set()
    for match in DATES.findall(text):
        for form in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y"):
            try:
                found.add(dt.datetime.strptime(match, form).date())
                break
            except ValueError:
                continue
    return found


@pytest.fixture(scope="module")
def outputs(
    tmp_path_factory,
) -> tuple[object, dict[str, str], set[dt.date]]:
    from typer.testing import CliRunner

    from drafter.cli import app

    folder = tmp_path_factory.mktemp("privacy")
    data = generate(seed=21, as_of=AS_OF, scale=0.1)
    workbook = write_workbook(data, folder / "annex.xlsx", set(MESS), seed=21)
    runner = CliRunner()
    texts: dict[str, str] = {}
    for by in ("window", "month"):
        pack = folder / f"pack-{by}.yaml"
        result = runner.invoke(
            app,
            ["new-pack", str(pack), "--annex-a", str(workbook), "--as-of", "2024-03-31", "--by", by],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        texts[pack.name] = pack.read_text(encoding="utf-8")
        texts[f"report-{by}"] = result.output
        for command, suffix in (("letter", "docx"), ("letter", "md"), ("briefing", "docx"), ("briefing", "md")):
            out = folder / f"{command}-{by}.{suffix}"
            result = runner.invoke(app, [command, str(pack), "-o", str(out)], catch_exceptions=False)
            assert result.exit_code == 0, result.output
            text = docx_text(out) if suffix == "docx" else out.read_text(encoding="utf-8")
            texts[out.name] = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "(chart)", text)  # charts
    return data, texts, {data.start, AS_OF}


def test_the_documents_say_something(outputs):
    _, texts, _ = outputs
    # Annex A measures reach the letter (assessments, 81.8%, are in line with England's 82.5% for 2022 to
    # 2023, the figure published by 31 March 2024, so no assessment rule speaks)
    assert "re-referral" in texts["letter-window.md"].lower() and "care leavers" in texts["letter-window.md"].lower()
    assert "%" in texts["letter-month.docx"]


def test_no_child_id_reaches_any_output(outputs):
    data, texts, _ = outputs
    ids = {
        str(row[key])
        for rows in data.lists.values()
        for row in rows
        for key in ("Child Unique ID", "Family identifier", "Individual adopter identifier")
        if key in row
    }
    assert min(len(i) for i in ids) >= 6
    for name, text in texts.items():
        assert not re.search(r"\d{6,}", text), name  # no ID-like number at all, so no child's ID


def test_no_date_of_birth_or_other_child_date_reaches_any_output(outputs):
    data, texts, allowed = outputs
    births = {row["Date of Birth"] for rows in data.lists.values() for row in rows if "Date of Birth" in row}
    for name, text in texts.items():
        found = as_dates(text)
        assert found <= allowed, (name, sorted(found - allowed)[:5])  # only the window's own dates
        assert not (found & births) - allowed, name


def test_no_worker_name_or_postcode_reaches_any_output(outputs):
    data, texts, _ = outputs
    workers = {
        row["Allocated Worker"].replace("\u00a0", " ")
        for rows in data.lists.values()
        for row in rows
        if row.get("Allocated Worker")
    }
    postcodes = {row["Placement postcode"] for row in data.lists[8]}
    assert workers and postcodes
    for name, text in texts.items():
        flat = text.replace("\u00a0", " ")
        assert not [w for w in workers if w in flat], name
        assert not [s for s in LAST if re.search(rf"\b{s}\b", flat)], name
        assert not [f for f in FIRST if re.search(rf"\b{f}\b", flat)], name
        assert not POSTCODE.search(flat), name


def test_small_teams_are_still_counted_not_named(outputs):
    _, texts, _ = outputs
    pack = texts["pack-window.yaml"]
    assert re.search(r"note: .*: \d of \d ", pack)  # a count of one or a few is shown as a count
    assert "Allocated Worker" not in pack and "worker" not in pack.lower()
