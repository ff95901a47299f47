"""A board briefing read in ten minutes: few ranked actions, each fact once in the key findings, nothing
internal in the body, a figure beside every status that rests on one, a summary in words that checks
clean, a few pages in LibreOffice. Drafted through the CLI for the seeds, the test packs and official
packs built from the bundled dataset, and read back from DOCX with python-docx."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from drafter.cli import app
from drafter.pipeline import assess_pack
from drafter.rules.catalogue import load_catalogue
from drafter.rules.judgements import load_judgement_rules
from drafter.vocab.topics import load_vocabulary
from tests.conftest import ROOT, SEEDS

TEST_PACKS = sorted((ROOT / "tests" / "data" / "packs").glob("*.yaml"))
OFFICIAL = ("Middlesbrough", "Kent", "Barnet", "Cornwall")
SEED_2019 = ROOT / "seeds" / "2019-ilacs-inspection.yaml"
MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"
RAW_ID = re.compile(r"\b[a-z]+_[a-z0-9_]+\b|\b[a-z_]+\.[a-z0-9]+_[a-z0-9_]+\b")
INTERNAL = ("left out", "has no figures for", "not evaluable", "could not be evaluated", "drafter", "explain",
            "rules/", "templates/")


@pytest.fixture(scope="module")
def drafted(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Return name -> (pack, briefing DOCX) for every seed, test pack and official pack."""
    out = tmp_path_factory.mktemp("board")
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DRAFTER_DATA", str(tmp_path_factory.mktemp("no-imports")))  # the bundled dataset only
        packs = {p.stem: p for p in (*SEEDS, *TEST_PACKS)}
        for name in OFFICIAL:
            pack = out / f"{name}.yaml"
            result = runner.invoke(app, ["new-pack", str(pack), "--authority", name, "--as-of", "2025-06-30"])
            assert result.exit_code == 0, result.output
            packs[name] = pack
        drafted = {}
        for name, pack in packs.items():
            target = out / f"{name}-briefing.docx"
            result = runner.invoke(app, ["briefing", str(pack), "-o", str(target)])
            assert result.exit_code == 0, (name, result.output)
            drafted[name] = (pack, target)
    return drafted


def section(document, title: str) -> list:
    """Return the list items under a Heading 1."""
    paragraphs = document.paragraphs
    start = next((i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == title), None)
    if start is None:
        return []
    items = []
    for p in paragraphs[start + 1:]:
        if p.style.name == "Heading 1":
            break
        if p.style.name == "List Bullet":
            items.append(p)
    return items


def comments_on(paragraph, document) -> list[str]:
    """Return the texts of the Word comments anchored in a paragraph."""
    ids = {e.get(qn("w:id")) for e in paragraph._p.iter(qn("w:commentRangeStart"))}
    return [c.text for c in document.comments if str(c.comment_id) in ids]


def status_table(document):
    """Return the status table (header starting 'Area'), or None when the briefing has no rows."""
    return next((t for t in document.tables if t.rows[0].cells[0].text == "Area"), None)


def body_text(document) -> str:
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_areas_needing_action_are_few_ranked_and_from_rules_data(drafted):
    rules = load_judgement_rules()[0]
    boards = {a.board for a in rules.actions.values()} | {g.board for g in rules.action_groups}
    serious = {t for t in load_vocabulary().topics}
    for name, (pack, path) in drafted.items():
        actions = [p.text for p in section(docx.Document(str(path)), "Areas needing action")]
        assert len(actions) <= 8, (name, actions)
        headings = [a.split(": ", 1)[0] for a in actions]
        assert len(set(headings)) == len(headings), (name, actions)  # one action per topic or group
        assert all(a.split(": ", 1)[1] in boards for a in actions), (name, actions)
        findings = assess_pack(pack).findings
        weak = {f.topic for f in findings if f.verdict in ("weakness", "serious_weakness")}
        assert bool(actions) == bool(weak & serious), name


def test_no_measure_in_two_key_findings(drafted):
    """Each key finding is one of the planner's merged messages: a measure (an indicator, a team's
    series, a case sample) is in the comment of one key finding only: an analyst's note and a rule on the
    same measure (the third visit's unregistered homes), or a leadership rule re-reading turnover beside
    the workforce's own (LD005), are one key finding, not two."""
    catalogue = load_catalogue()
    labels = {s.label[:1].upper() + s.label[1:] for s in catalogue.indicators}
    for name, (_, path) in drafted.items():
        document = docx.Document(str(path))
        items = section(document, "Key strengths") + section(document, "Key concerns")
        assert items, name
        seen: dict[str, int] = {}
        for item in items:
            comments = comments_on(item, document)
            assert len(comments) == 1, (name, item.text)
            measures = set()
            for line in comments[0].splitlines():
                head, _, rest = line.partition(": ")
                if head.split(", ")[0] in labels and not re.match(r"[A-Z][\w' ]*: ", rest):
                    measures.add(head)  # the measure's own figures (not a comparator or threshold line)
                sample = re.match(r"\d+ of the \d+ cases sampled showed (.+?) \(", line)
                if sample:
                    measures.add("sample: " + sample.group(1))
            for measure in measures:
                seen[measure] = seen.get(measure, 0) + 1
        assert all(n == 1 for n in seen.values()), (name, {m: n for m, n in seen.items() if n > 1})
        assert sum("unregistered" in i.text.lower() for i in items) <= 1, name


def test_key_findings_are_planned_messages_on_different_measures(drafted):
    """The same, from the plan: a note names the measures it is about (rules/planning.yaml), so a note and
    a rule on one measure are one message; no two key findings share a measure."""
    from drafter.compose.briefing import load_briefing_config
    from drafter.compose.briefing_findings import key_findings
    from drafter.compose.planning import plan_letter

    for name, (pack, _) in drafted.items():
        assessment = assess_pack(pack)
        plan = plan_letter(assessment, "inline")
        strengths, concerns = key_findings(plan, assessment, load_briefing_config(), load_judgement_rules()[0],
                                           load_vocabulary())
        chosen = [*strengths, *concerns]
        measures = [a for m in chosen for a in m.aspects]
        assert len(measures) == len(set(measures)), name
        assert not any(m.refer for m in chosen), name  # a leadership rule re-reading another topic's figures
        planned = {id(m) for m in plan.messages()}
        assert all(id(m) in planned for m in chosen), name


def test_body_has_no_internal_wording_or_raw_ids(drafted):
    for name, (_, path) in drafted.items():
        document = docx.Document(str(path))
        text = body_text(document)
        assert not [w for w in INTERNAL if w in text.lower()], (name, [w for w in INTERNAL if w in text.lower()])
        assert RAW_ID.findall(text) == [], (name, RAW_ID.findall(text))
    document = docx.Document(str(drafted[MV4.stem][1]))  # charts left out: told to the drafter, on the title
    notes = comments_on(document.paragraphs[0], document)
    assert notes and notes[0].startswith("Notes for the drafter") and "chart left out" in notes[0]


def test_status_rows_show_the_measure_their_status_rests_on(drafted):
    vocab = load_vocabulary()
    by_heading = {spec.heading: topic for topic, spec in vocab.topics.items()}
    checked = 0
    for name, (pack, path) in drafted.items():
        table = status_table(docx.Document(str(path)))
        if table is None:
            continue
        assessment = assess_pack(pack)
        findings = {f.key: f for f in assessment.findings}
        judged = {p.topic: p for p in (*assessment.judgements.topics, *assessment.judgements.progress)}
        for row in table.rows[1:]:
            area, status, direction, latest = (c.text for c in row.cells[:4])
            topic = by_heading[area]
            rests = any(u.kind == "value" for key in judged[topic].rules for u in findings[key].used)
            if rests:
                assert latest != "–" and re.search(r"\d", latest) and ": " in latest, (name, area, latest)
                assert direction != "No data", (name, area)
                checked += 1
            if status != "Not rated":  # a status with evidence never sits beside "No data"
                assert "No data" not in (direction, latest), (name, area)
    assert checked >= 30
    table = status_table(docx.Document(str(drafted["Middlesbrough"][1])))  # DfE publishes no contacts measure
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in table.rows[1:]}
    assert rows["The front door"][3].startswith("Re-referrals within a year: ")
    assert rows["Exploitation and missing children"][3].startswith("Children in care who went missing: ")


def summary_of(document) -> str:
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Summary")
    return paragraphs[start + 1].text


def test_summary_says_how_each_area_stands_and_checks_clean(drafted, run):
    rules = load_judgement_rules()[0]
    for name, (pack, path) in drafted.items():
        document = docx.Document(str(path))
        summary = summary_of(document)
        sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", summary)
        assert 2 <= len(sentences) <= 6, (name, summary)
        assert not re.search(r"\d+ (strengths|weaknesses)", summary), (name, summary)  # words, not a count
        assessment = assess_pack(pack)
        if assessment.judgements.areas:  # an inspection: the grades the judgement table shows
            for area in assessment.judgements.areas:
                assert (area.label.lower() if area.grade else "not yet enough evidence") in summary.lower(), name
        else:  # each status in the table, in words, with its topics
            table = status_table(document)
            statuses = {row.cells[1].text for row in table.rows[1:]} if table else set()
            for status in statuses & set(rules.status.legend) - {"Not rated", "Not graded"}:
                assert f"({status})" in summary, (name, status, summary)
        result = run("check", path, "--evidence", pack)
        assert result.exit_code == 0 and "no problems found" in result.output, (name, result.output)


def test_explain_tells_the_drafter_what_the_briefing_leaves_out(run):
    text = run("explain", MV4).output
    assert "Notes for the drafter (not part of the briefing):" in text
    assert "Care proceedings duration chart left out" in text


def test_judgement_sections_open_with_their_key_finding():
    """The 2019 summary: each inadequate judgement's section opens with a concern, in words."""
    from drafter.document.model import Heading, Paragraph
    from drafter.drafting import draft_letter_from_pack

    draft = draft_letter_from_pack(SEED_2019)
    verdicts = {f.rule_id: f.verdict for f in draft.assessment.findings}
    blocks = list(draft.document.blocks)
    opened = 0
    for i, block in enumerate(blocks):
        heading = "".join(s.text for s in block.spans) if isinstance(block, Heading) else ""
        if heading.endswith(": inadequate"):
            first = next(b for b in blocks[i + 1:] if isinstance(b, Paragraph))
            rule = next(s.attr("rule") for s in first.spans if s.attr("rule"))
            assert verdicts[rule] in ("weakness", "serious_weakness"), (heading, first.spans[0].text)
            assert not re.search(r"\d", first.spans[0].text)  # in words: the figures are in its comment
            opened += 1
    assert opened == 3


def test_a_measure_naming_an_unknown_indicator_is_a_located_error(tmp_path):
    from drafter.compose.briefing import load_briefing_config
    from drafter.errors import TemplateError
    from drafter.paths import templates_dir

    text = (templates_dir() / "briefing.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "briefing.yaml"
    bad.write_text(text.replace("indicator: referrals.rereferral_rate,", "indicator: referrals.rereferal_rate,"),
                   encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_briefing_config(str(bad))
    assert "unknown indicator 'referrals.rereferal_rate'" in str(caught.value) and "briefing.yaml:" in str(caught.value)


def test_briefing_is_deterministic_for_an_inspection_and_an_official_pack(drafted, run, tmp_path):
    for name in (SEED_2019.stem, "Kent"):
        pack, first = drafted[name]
        again = tmp_path / f"{name}.docx"
        assert run("briefing", pack, "-o", again).exit_code == 0
        assert again.read_bytes() == first.read_bytes(), name


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed here")
def test_briefings_convert_and_fit_ten_minutes(drafted, tmp_path):
    """Every seed's and official pack's briefing converts with LibreOffice and fits six pages, charts and
    appendix included; its prose stays under 800 words."""
    names = [s.stem for s in SEEDS] + list(OFFICIAL)
    docs = [str(drafted[n][1]) for n in names]
    proc = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), *docs],
                          capture_output=True, text=True, timeout=600)
    for name in names:
        pdf = tmp_path / f"{name}-briefing.pdf"
        assert pdf.exists(), (name, proc.stdout + proc.stderr)
        data = pdf.read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
        assert 2 <= pages <= 6, (name, pages)
        prose = sum(len(p.text.split()) for p in docx.Document(drafted[name][1]).paragraphs)
        assert prose <= 800, (name, prose)
