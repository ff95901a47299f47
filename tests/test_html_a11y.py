"""Accessible HTML: provenance reachable by keyboard and screen reader, headings in order, and axe-core in Chromium.

The automated check drives Debian's Chromium with playwright-core and runs every axe-core rule on
the drafted letter and briefing; it skips (saying why) when the browser, node or the npm packages
are absent. `.ci/run` installs them (`npm install --no-save axe-core@4 playwright-core@1` into
.cache/a11y).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import ROOT

MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"
ILACS = ROOT / "seeds" / "2019-ilacs-inspection.yaml"
AXE_SCRIPT = ROOT / "tools" / "a11y" / "axe_check.cjs"
NODE_MODULES = Path(os.environ.get("DRAFTER_A11Y_MODULES", ROOT / ".cache" / "a11y" / "node_modules"))
CHROMIUM = os.environ.get("DRAFTER_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class Page(HTMLParser):
    """Collect what the checks need: headings, ids, links, finding spans and what follows them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.headings: list[int] = []
        self.ids: list[str] = []
        self.links: list[dict[str, str]] = []
        self.after_finding: list[str | None] = []  # the tag that follows each finding span's end
        self.text_by_id: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, id of an element whose text is gathered)
        self._finding_depth: list[int] = []
        self._just_closed_finding = False
        self.lang = None
        self.title = ""
        self._in_title = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self._just_closed_finding:
            self.after_finding[-1] = f"{tag}.{a.get('class', '')}"
            self._just_closed_finding = False
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "title":
            self._in_title = True
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a":
            self.links.append(a)
        noted = {"finding", "action", "summary"}  # the spans that carry an evidence note
        if tag == "span" and noted & set((a.get("class") or "").split()):
            self._finding_depth.append(len(self._open))
        if tag not in ("br", "img", "meta", "hr"):
            self._open.append((tag, a.get("id")))
            if a.get("id"):
                self.text_by_id[a["id"]] = []

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._open and self._open[-1][0] == tag:
            self._open.pop()
        if tag == "span" and self._finding_depth and self._finding_depth[-1] == len(self._open):
            self._finding_depth.pop()
            self.after_finding.append(None)
            self._just_closed_finding = True

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._just_closed_finding and data.strip():
            self._just_closed_finding = False
        for _, elm_id in self._open:
            if elm_id:
                self.text_by_id[elm_id].append(data)


def html_of(run, pack: Path, tmp_path: Path, command: str = "letter", *extra: str) -> Path:
    out = tmp_path / f"{pack.stem}-{command}.html"
    result = run(command, pack, "-o", out, *extra)
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("pack,command", [(MV3, "letter"), (ILACS, "letter"), (MV4, "briefing")],
                         ids=["mv3-letter", "ilacs-letter", "mv4-briefing"])
def test_every_finding_links_to_its_evidence_and_back(run, tmp_path, pack, command):
    page = Page(html_of(run, pack, tmp_path, command).read_text(encoding="utf-8"))
    assert page.lang == "en-GB" and page.title.strip()
    assert len(page.ids) == len(set(page.ids)), "ids must be unique"
    assert page.after_finding and all(t == "a.note-ref" for t in page.after_finding), page.after_finding[:5]
    refs = [a for a in page.links if a.get("class") == "note-ref"]
    assert len(refs) == len(page.after_finding)
    for ref in refs:
        note_id = ref["href"].removeprefix("#")
        note = "".join(page.text_by_id[note_id])
        summary = note.startswith(("Notes for the drafter", "This action")) or re.search(r", from \d+ strengths", note)
        if not summary:
            assert "Why it matters" in note, note  # a finding's note says why it matters
        assert note.startswith("Notes for the drafter") or "Rule " in note or "Rules " in note, note
        assert any(a.get("href") == f"#{ref['id']}" for a in page.links) or "-" in ref["id"][4:], ref
        assert ref["aria-label"].startswith("Evidence note ")
    assert "title" not in {k for a in refs for k in a}


@pytest.mark.parametrize("pack,command", [(MV3, "letter"), (MV4, "briefing")], ids=["letter", "briefing"])
def test_headings_never_skip_a_level(run, tmp_path, pack, command):
    page = Page(html_of(run, pack, tmp_path, command).read_text(encoding="utf-8"))
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, page.headings


def test_the_clean_copy_has_no_evidence_notes(run, tmp_path):
    text = html_of(run, MV3, tmp_path, "letter", "--no-comments").read_text(encoding="utf-8")
    assert 'class="note-ref"' not in text and "Evidence behind each finding" not in text and "Rule CL0" not in text


def axe(pages: list[Path]) -> dict:
    proc = subprocess.run(["node", str(AXE_SCRIPT), str(NODE_MODULES), CHROMIUM, *map(str, pages)],
                          capture_output=True, text=True, timeout=240, check=False)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


needs_browser = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("node") is None
    or not (NODE_MODULES / "axe-core").is_dir() or not (NODE_MODULES / "playwright-core").is_dir(),
    reason="needs chromium, node and axe-core + playwright-core in .cache/a11y (see .ci/run)")


@needs_browser
def test_axe_finds_no_violations_in_letters_and_briefing(run, tmp_path):
    bad = tmp_path / "bad.html"  # a control: axe must see what is wrong with this page
    bad.write_text('<!DOCTYPE html><html><head></head><body><h1>A</h1><h3>B</h3>'
                   '<img src="data:image/png;base64,iVBORw0KGgo="><a href="#x"></a></body></html>', encoding="utf-8")
    pages = [html_of(run, MV3, tmp_path), html_of(run, ILACS, tmp_path), html_of(run, MV4, tmp_path, "briefing"), bad]
    report = axe(pages)
    assert report["axe"].startswith("4.")
    by_file = {Path(p["file"]).name: p for p in report["pages"]}
    control = {v["id"] for v in by_file.pop("bad.html")["violations"]}
    assert {"html-has-lang", "image-alt", "document-title", "link-name"} <= control, control
    for name, result in by_file.items():
        assert result["violations"] == [], (name, result["violations"])
        assert result["passes"] > 20, name
