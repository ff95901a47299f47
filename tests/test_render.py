"""The document layer end to end: Markdown with attribute spans → model → DOCX/HTML/Markdown, read back."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

from drafter.document import (
    BulletList,
    Comment,
    Document,
    Heading,
    Image,
    Meta,
    Paragraph,
    Span,
    Table,
    parse_markdown,
)
from drafter.errors import DrafterError, TemplateError
from drafter.files import read_bytes_bounded, refuse_overwrite_input, write_atomic
from drafter.render import WRITERS, render
from drafter.render.docx import BUNDLED_REFERENCE, write_docx
from drafter.render.html import write_html
from drafter.render.markdown import write_markdown

ROOT = Path(__file__).resolve().parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WHEN = datetime(2022, 3, 31, 9, 30, tzinfo=UTC)


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """Return a valid red PNG, written by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


FULL = """\
{.date}
31 March 2022

{.address}
Sue Butcher ␤
Director of Children's Services\\
Civic Centre ␤
TS1 9FZ

{.subject}
Monitoring visit to Middlesbrough children's services

{.title}
# Third monitoring visit

Dear Ms Butcher, this letter <script>alert(1)</script> sets out our findings.

# Headline findings

Leaders have acted. [Caseloads are **manageable** for most social workers.]{.finding rule=CL001 comment=c1} \
Managers check work. [Audits rate *more* cases as good.]{.finding rule=QA002 comment=c2}

## Areas covered

- placements and *sufficiency*
- permanence for [children in care]{.finding rule=PM003}

{caption="Table 1: average caseload by team"}
| Team | Cases per worker |
|:-----|-----------------:|
| Assessment | **24.0** |
| Children in care | 16.2 |

![Line chart: average caseload fell from 21.4 to 17.6](chart1 "Figure 1: average caseload"){width="12"}

***

{.signature}
Yours sincerely ␤
Louise Hollick ␤
His Majesty's Inspector
""".replace(" ␤", "  ")  # ␤ marks a two-space hard break (editors strip trailing spaces)

COMMENTS = [
    Comment("c1", "Rule CL001 caseloads.manageable\ncaseload.average = 17.6 (2022-03)\nthreshold: at most 18"),
    Comment("c2", "Rule QA002 audit.improving\naudit.ratings good: 12 → 18", date=datetime(2022, 4, 1, 12, 0)),
]
META = Meta(title="Third monitoring visit", subject="Monitoring visit", keywords="ILACS, monitoring", created=WHEN)
FINDING_1 = "Caseloads are manageable for most social workers."
FINDING_2 = "Audits rate more cases as good."


def full_document():
    """Return the Document for FULL with its comments, properties and chart."""
    return parse_markdown(FULL, comments=COMMENTS, meta=META, images={"chart1": tiny_png()})


@pytest.fixture(scope="module")
def full_docx() -> bytes:
    return write_docx(full_document())


def read_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    """Return every paragraph's and table cell's text."""
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


def anchored_text(document) -> dict[int, str]:
    """Return {comment id: the text between its range start and end} from the body XML."""
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


# -- Markdown → model ----------------------------------------------------------------------------


def test_parse_builds_blocks_in_order():
    doc = full_document()
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == [
        "Paragraph",
        "Paragraph",
        "Paragraph",
        "Heading",
        "Paragraph",
        "Heading",
        "Paragraph",
        "Heading",
        "BulletList",
        "Table",
        "Image",
        "PageBreak",
        "Paragraph",
    ]
    date, address, subject, title = doc.blocks[:4]
    assert (date.style, address.style, subject.style) == ("Date", "Address", "Subject")
    assert address.spans[0].text == "Sue Butcher\nDirector of Children's Services\nCivic Centre\nTS1 9FZ"
    assert title == Heading(0, title.spans) and title.spans[0].text == "Third monitoring visit"
    assert [b.level for b in doc.blocks if isinstance(b, Heading)] == [0, 1, 2]


def test_parse_finding_spans_carry_attributes():
    doc = full_document()
    findings = [s for s in doc.iter_spans() if "finding" in s.classes]
    assert {s.attr("rule") for s in findings} == {"CL001", "QA002", "PM003"}
    first = [s for s in findings if s.attr("rule") == "CL001"]
    assert "".join(s.text for s in first) == FINDING_1
    assert all(s.comment == "c1" for s in first)
    assert [s.text for s in first if s.bold] == ["manageable"]
    assert doc.meta.comments["c1"].text.startswith("Rule CL001")


def test_parse_table_and_image():
    doc = full_document()
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert table.caption == "Table 1: average caseload by team"
    assert table.align == ("left", "right")
    assert [c[0].text for c in table.header] == ["Team", "Cases per worker"]
    assert table.rows[0][1][0].bold and table.rows[0][1][0].text == "24.0"
    image = next(b for b in doc.blocks if isinstance(b, Image))
    assert image.alt.startswith("Line chart") and image.caption == "Figure 1: average caseload"
    assert image.width_cm == 12.0 and image.png == tiny_png()


def test_parse_leaves_html_as_text():
    doc = parse_markdown("a <b>bold?</b> <!-- c -->\n\n<div>x</div>\n")
    assert doc.plain_text() == "a <b>bold?</b> <!-- c -->\n<div>x</div>"


def test_model_accepts_lists_and_freezes_them():
    para = Paragraph([parse_markdown("x").blocks[0].spans[0]])
    assert isinstance(para.spans, tuple)
    assert BulletList([[]]).items == ((),)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[Caseloads]{.finding comment=c9}", "unknown comment 'c9'"),
        ("[Caseloads]{rule=CL 001 x.y}", "would appear in the document text"),
        ("Dear {{ recipient.name }},", "'{{'"),
        ("{% if x %}yes", "'{%'"),
        ("** not bold**", "'**'"),
        ("{style=Sign Off}\nYours", "block attributes could not be read"),
        ("1. first\n2. second", "numbered list"),
        ("> quoted", "block quote"),
        ("```\ncode\n```", "code block"),
        ("- a\n  - nested", "nested lists"),
        ("see ![chart](chart1) here", "paragraph of its own"),
        ("![chart](missing)", "unknown image 'missing'"),
        ("![](chart1)", "needs alt text"),
        ('![chart](chart1){width="wide"}', "number of centimetres"),
    ],
)
def test_parse_refuses_what_would_leak_or_be_lost(source, message):
    with pytest.raises(TemplateError) as err:
        parse_markdown("Intro.\n\n" + source, images={"chart1": tiny_png()}, source="letter.md.j2")
    text = str(err.value)
    assert message in text
    assert re.match(r"letter\.md\.j2:[34]:", text)  # the line of the offending block


# -- DOCX ------------------------------------------------------------------------------------------


def test_docx_paragraph_styles_and_text_in_order(full_docx):
    document = read_docx(full_docx)
    got = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert got == [
        ("Date", "31 March 2022"),
        ("Address", "Sue Butcher\nDirector of Children's Services\nCivic Centre\nTS1 9FZ"),
        ("Subject", "Monitoring visit to Middlesbrough children's services"),
        ("Title", "Third monitoring visit"),
        ("Normal", "Dear Ms Butcher, this letter <script>alert(1)</script> sets out our findings."),
        ("Heading 1", "Headline findings"),
        ("Normal", f"Leaders have acted. {FINDING_1} Managers check work. {FINDING_2}"),
        ("Heading 2", "Areas covered"),
        ("List Bullet", "placements and sufficiency"),
        ("List Bullet", "permanence for children in care"),
        ("Caption", "Table 1: average caseload by team"),
        ("Caption", "Figure 1: average caseload"),
        ("Signature", "Yours sincerely\nLouise Hollick\nHis Majesty's Inspector"),
    ]
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    italic = [r.text for p in document.paragraphs for r in p.runs if r.italic]
    assert bold == ["manageable"] and italic == ["more", "sufficiency"]


def test_docx_comments_anchor_on_their_findings(full_docx):
    document = read_docx(full_docx)
    comments = list(document.comments)
    assert len(comments) == 2
    anchors = anchored_text(document)
    by_text = {anchors[c.comment_id]: c for c in comments}
    assert set(by_text) == {FINDING_1, FINDING_2}
    first, second = by_text[FINDING_1], by_text[FINDING_2]
    assert first.text == COMMENTS[0].text  # one comment paragraph per line
    assert len(first.paragraphs) == 3
    assert {c.author for c in comments} == {"drafter"} and {c.initials for c in comments} == {"DR"}
    assert first.timestamp == WHEN  # no date of its own: the document's date
    assert second.timestamp == datetime(2022, 4, 1, 12, 0, tzinfo=UTC)


def test_docx_has_no_markup_in_its_text(full_docx):
    text = all_text(read_docx(full_docx))
    for mark in ("[", "]{", "{{", "{%", "**", "{.", "\\"):
        assert mark not in text, mark


def test_docx_table_header_bold_and_repeated(full_docx):
    document = read_docx(full_docx)
    (table,) = document.tables
    assert table.style.name == "Table Grid"
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells == [["Team", "Cases per worker"], ["Assessment", "24.0"], ["Children in care", "16.2"]]
    header = table.rows[0]
    assert all(r.bold for c in header.cells for r in c.paragraphs[0].runs)
    assert header._tr.trPr.find(W + "tblHeader") is not None
    assert table.rows[1]._tr.trPr is None
    assert table.rows[2].cells[1].paragraphs[0].alignment == 2  # right-aligned number column


def test_docx_image_has_alt_text_and_caption(full_docx):
    document = read_docx(full_docx)
    (shape,) = document.inline_shapes
    assert abs(shape.width.cm - 12.0) < 0.01
    doc_pr = shape._inline.docPr
    assert doc_pr.get("descr") == "Line chart: average caseload fell from 21.4 to 17.6"
    assert doc_pr.get("title") == "Figure 1: average caseload"
    with zipfile.ZipFile(io.BytesIO(full_docx)) as zf:
        assert zf.read("word/media/image1.png") == tiny_png()
        assert 'descr="Line chart: average caseload' in zf.read("word/document.xml").decode()


def test_docx_page_break_and_properties(full_docx):
    document = read_docx(full_docx)
    assert len(document.element.body.findall(f".//{W}br[@{W}type='page']")) == 1
    props = document.core_properties
    assert props.title == "Third monitoring visit" and props.author == "drafter"
    assert props.subject == "Monitoring visit" and props.keywords == "ILACS, monitoring"
    assert props.created.replace(tzinfo=None) == props.modified.replace(tzinfo=None) == WHEN.replace(tzinfo=None)
    assert props.revision == 1 and props.last_modified_by == "drafter"


def test_docx_clean_copy_has_no_comments():
    data = write_docx(full_document(), comments=False)
    document = read_docx(data)
    assert len(document.comments) == 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert "word/comments.xml" not in zf.namelist()
        assert "commentRange" not in zf.read("word/document.xml").decode()
    assert FINDING_1 in all_text(document)


def test_docx_bytes_are_reproducible(full_docx):
    assert write_docx(full_document()) == full_docx
    with zipfile.ZipFile(io.BytesIO(full_docx)) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert all(b"rsid" not in zf.read(n) for n in names if n.endswith(".xml"))


def test_docx_bytes_do_not_depend_on_the_time_zone(full_docx):
    script = (
        "import sys; sys.path.insert(0, 'tests'); import test_render as t; "
        "sys.stdout.buffer.write(t.write_docx(t.full_document()))"
    )
    for tz in ("America/New_York", "Asia/Kolkata"):
        env = {**os.environ, "TZ": tz}
        out = subprocess.run([os.sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True)
        assert out.stdout == full_docx, tz


def test_docx_comments_in_cells_tabs_and_control_characters():
    cell = "[Manageable]{.finding comment=c1}"
    source = f"| Area | Finding |\n|---|---|\n| Caseloads | {cell} |\n\nA\ttab and \x0bbad\x1f text"
    doc = parse_markdown(source, comments=[Comment("c1", "Rule CL001\x01")], meta=META)
    document = read_docx(write_docx(doc))
    (comment,) = document.comments
    assert anchored_text(document)[comment.comment_id] == "Manageable" and comment.text == "Rule CL001"
    assert document.paragraphs[-1].text == "A\ttab and bad text"


def test_docx_missing_style_names_it_and_the_reference(tmp_path):
    doc = parse_markdown('{style="Letterhead"}\nCouncil\n\n{.sign-off}\nBye')
    with pytest.raises(TemplateError) as err:
        write_docx(doc)
    text = str(err.value)
    assert str(BUNDLED_REFERENCE) in text
    assert "no paragraph style named 'Letterhead'" in text and "'Sign Off'" in text
    assert "add a paragraph style named 'Letterhead' to your reference DOCX (Word: Styles pane → New Style)" in text


def test_docx_missing_table_style():
    doc = parse_markdown('{style="Corporate Table"}\n| a |\n|---|\n| 1 |')
    with pytest.raises(TemplateError, match="no table style named 'Corporate Table'"):
        write_docx(doc)


def test_docx_reference_not_found(tmp_path):
    with pytest.raises(TemplateError, match="reference DOCX not found"):
        write_docx(full_document(), tmp_path / "nope.docx")
    bogus = tmp_path / "bogus.docx"
    bogus.write_text("not a zip")
    with pytest.raises(TemplateError, match="not a Word document"):
        write_docx(full_document(), bogus)


def test_docx_uses_a_users_reference(tmp_path):
    reference = docx.Document()  # python-docx's own template: many styles, Calibri
    reference.styles["Normal"].font.name = "Georgia"
    reference.styles["Normal"].font.size = Pt(11)
    for name in ("Subject", "Address", "Signature", "Date"):
        reference.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    reference.add_paragraph("Corporate boilerplate that must not survive")
    path = tmp_path / "corporate.docx"
    reference.save(path)

    document = read_docx(write_docx(full_document(), path))
    assert document.styles["Normal"].font.name == "Georgia"
    text = all_text(document)
    assert "Corporate boilerplate" not in text and FINDING_1 in text
    assert len(document.comments) == 2
    assert [p.style.name for p in document.paragraphs if p.text][:4] == ["Date", "Address", "Subject", "Title"]


# -- the bundled reference DOCX -------------------------------------------------------------------


def load_tool():
    spec = importlib.util.spec_from_file_location("make_reference_docx", ROOT / "tools" / "make_reference_docx.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_docx_is_reproduced_by_its_script():
    assert load_tool().build() == BUNDLED_REFERENCE.read_bytes()


def test_reference_docx_is_lean_and_complete():
    assert BUNDLED_REFERENCE.stat().st_size < 10_000
    reference = docx.Document(str(BUNDLED_REFERENCE))
    section = reference.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert {round(m.cm, 2) for m in margins} == {2.54}
    names = {s.name for s in reference.styles}
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Caption", "Table Grid"):
        assert name in names
    for name in ("Subject", "Address", "Signature", "Date"):
        assert name in names
    assert reference.styles["Date"].paragraph_format.alignment == 2
    assert reference.styles["Subject"].font.bold
    with zipfile.ZipFile(BUNDLED_REFERENCE) as zf:
        styles = zf.read("word/styles.xml").decode()
        assert 'w:ascii="Arial"' in styles and '<w:sz w:val="24"/>' in styles and 'w:line="276"' in styles
        assert '<w:numFmt w:val="bullet"/>' in zf.read("word/numbering.xml").decode()
        assert "PAGE" in zf.read("word/footer1.xml").decode()
    bullet = reference.styles["List Bullet"].element
    assert bullet.pPr.numPr.numId.val == 1


# -- LibreOffice ----------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH")
def test_libreoffice_converts_the_docx_to_pdf(tmp_path, full_docx):
    source = tmp_path / "letter.docx"
    source.write_bytes(full_docx)
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: other soffice runs cannot interfere
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(source)],
        capture_output=True,
        timeout=180,
        check=False,
    )
    pdf = tmp_path / "letter.pdf"
    assert pdf.is_file(), result.stderr.decode(errors="replace")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) >= 1


# -- HTML and Markdown ----------------------------------------------------------------------------


def test_html_is_escaped_and_accessible():
    page = write_html(full_document()).decode()
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in page
    assert "<title>Third monitoring visit</title>" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'alt="Line chart: average caseload fell from 21.4 to 17.6"' in page
    assert 'src="data:image/png;base64,' in page
    assert '<th scope="col"' in page and "<caption>Table 1: average caseload by team</caption>" in page
    assert '<h1 class="title">Third monitoring visit</h1>' in page and "<h2>Headline findings</h2>" in page
    # Each finding is followed by a link to its evidence note, which links back (keyboard and screen readers).
    assert re.search(r'<span class="finding" data-comment="c1" data-rule="CL001">.*?</span>'
                     r'<a class="note-ref" id="ref-1" href="#note-1" aria-label="Evidence note 1">\[1\]</a>', page)
    note = re.search(r'<li id="note-1">(.*?)</li>', page)
    assert note and "<p>Rule CL001 caseloads.manageable" in note.group(1) and 'href="#ref-1"' in note.group(1)
    assert "title=" not in page
    assert '<p class="address">Sue Butcher<br>' in page
    for mark in ("]{", "{{", "{%", "**"):
        assert mark not in page


def test_html_escapes_attribute_values():
    doc = parse_markdown(
        '[x]{.finding rule="a\\"><script>" comment=c1}',
        comments=[Comment("c1", 'say "<b>hi</b>" & bye')],
    )
    page = write_html(doc).decode()
    assert "<script>" not in page and "<b>" not in page
    assert "<p>say &quot;&lt;b&gt;hi&lt;/b&gt;&quot; &amp; bye</p>" in page


def test_markdown_clean_copy_has_no_attribute_syntax():
    text = write_markdown(full_document()).decode()
    assert "{." not in text and "]{" not in text and "comment=" not in text and "Rule CL001" not in text
    assert text.startswith("31 March 2022\n\nSue Butcher\\\nDirector")
    assert "# Third monitoring visit\n" in text and "\n## Headline findings\n" in text
    assert "Caseloads are **manageable** for most social workers." in text
    assert "\\<script>" in text  # shown as text by any Markdown renderer
    assert "| Assessment | **24.0** |" in text and "Table 1: average caseload by team\n\n| Team" in text
    assert "![Line chart: average caseload fell from 21.4 to 17.6](data:image/png;base64," in text


def test_markdown_source_form_reads_back_to_the_same_blocks():
    doc = full_document()
    again = parse_markdown(write_markdown(doc, attrs=True).decode(), comments=COMMENTS, meta=META)
    assert again.blocks == doc.blocks


TRICKY = [
    (Span("# not a heading *x* [y]{.z} {{ a }} 1. <b> a_b | & &amp; `c` ~d~ \\ end"),),
    (Span("line one\n- not a list\n# not a heading\n1. not numbered\n---\n> not quoted\n+ plus"),),
    (Span("bold ", bold=True), Span("then italic", italic=True), Span(" and "), Span("both", bold=True, italic=True)),
    (Span("24.0 cases, 3) items, -5% and 100%"), Span(" trailing space bold ", bold=True), Span("x")),
]


@pytest.mark.parametrize("spans", TRICKY, ids=range(len(TRICKY)))
def test_markdown_escapes_text_that_looks_like_syntax(spans):
    doc = Document(blocks=(Paragraph(spans),))
    (again,) = parse_markdown(write_markdown(doc).decode()).blocks

    def styled(spans):  # spaces at the edge of bold text move outside the ** marks
        return [(ch, s.bold and not ch.isspace(), s.italic and not ch.isspace()) for s in spans for ch in s.text]

    assert styled(again.spans) == styled(spans)


def test_render_registry():
    doc = full_document()
    assert set(WRITERS) == {"docx", "md", "html"}
    assert render(doc, "html") == write_html(doc)
    assert render(doc, "docx", comments=False) == write_docx(doc, comments=False)
    with pytest.raises(DrafterError, match="unknown output format 'pdf'"):
        render(doc, "pdf")


# -- files ----------------------------------------------------------------------------------------


def test_write_atomic_creates_folders_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "out" / "deep" / "letter.docx"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(target.parent) == ["letter.docx"]


def test_write_atomic_failure_keeps_the_original(tmp_path, monkeypatch):
    target = tmp_path / "letter.docx"
    target.write_bytes(b"original")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(DrafterError, match="cannot write the output"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"original"
    assert os.listdir(tmp_path) == ["letter.docx"]


def test_refuse_overwrite_input(tmp_path):
    pack = tmp_path / "pack.yaml"
    pack.write_text("x")
    link = tmp_path / "link.yaml"
    link.symlink_to(pack)
    for out in (pack, link, tmp_path / "." / "pack.yaml"):
        with pytest.raises(DrafterError, match="overwrite an input"):
            refuse_overwrite_input(out, [tmp_path / "other.yaml", pack])
    refuse_overwrite_input(tmp_path / "letter.docx", [pack])


def test_read_bytes_bounded(tmp_path):
    path = tmp_path / "draft.md"
    path.write_bytes(b"x" * 10)
    assert read_bytes_bounded(path, 10) == b"x" * 10
    with pytest.raises(DrafterError, match="too large"):
        read_bytes_bounded(path, 9)
    with pytest.raises(DrafterError, match="not found"):
        read_bytes_bounded(tmp_path / "missing.md", 9)
