"""Reading drafts (DOCX, Markdown, text) into located paragraphs, and splitting them into sentences."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest

from drafter.check import read as read_mod
from drafter.check.read import Location, Paragraph, read_draft
from drafter.check.sentences import iter_sentences, split_sentences
from drafter.errors import DraftError

DRAFTS = Path(__file__).parent / "data" / "drafts"


# ---------------------------------------------------------------- sentence splitting

# (paragraph, expected sentences). Written for these tests; each exercises one hazard of inspection prose.
SPLIT_CASES = [
    ("Caseloads have reduced. Most workers now hold fewer than 20 cases.",
     ["Caseloads have reduced.", "Most workers now hold fewer than 20 cases."]),
    ("Leaders, e.g. the director and her deputy, meet weekly. They track progress closely.",
     ["Leaders, e.g. the director and her deputy, meet weekly.", "They track progress closely."]),
    ("Children are seen often, i.e. at least every four weeks. This meets their needs.",
     ["Children are seen often, i.e. at least every four weeks.", "This meets their needs."]),
    ("The average caseload fell to 17.6 in March. It was 19.2 a year earlier.",
     ["The average caseload fell to 17.6 in March.", "It was 19.2 a year earlier."]),
    ("12. Children in care are visited regularly. Most have trusting relationships.",
     ["Children in care are visited regularly.", "Most have trusting relationships."]),
    ("3.2 Placement sufficiency is weak. Too many children live far from home.",
     ["Placement sufficiency is weak.", "Too many children live far from home."]),
    ("- Caseloads remain high for some workers.", ["Caseloads remain high for some workers."]),
    ("• Plans are reviewed on time.", ["Plans are reviewed on time."]),
    ("◼ How the service responds when children go missing from care.",
     ["How the service responds when children go missing from care."]),
    ('Social workers told inspectors, "We feel listened to." Leaders act on what they hear.',
     ['Social workers told inspectors, "We feel listened to."', "Leaders act on what they hear."]),
    ("The panel wrote: “Practice is improving.” Leaders welcomed the finding.",
     ["The panel wrote: “Practice is improving.”", "Leaders welcomed the finding."]),
    ("Dr. Patel chairs the permanence panel. Cllr. Jones attends each meeting.",
     ["Dr. Patel chairs the permanence panel.", "Cllr. Jones attends each meeting."]),
    ("Mrs. Ahmed, the DCS, and Mr. Lee, the lead member, met inspectors.",
     ["Mrs. Ahmed, the DCS, and Mr. Lee, the lead member, met inspectors."]),
    ("The audit (see para. 14) was thorough. Its findings were shared.",
     ["The audit (see para. 14) was thorough.", "Its findings were shared."]),
    ("Approx. 40 children were discussed. The No. 3 team was the focus.",
     ["Approx. 40 children were discussed.", "The No. 3 team was the focus."]),
    ("J. Smith, the principal social worker, leads training. It is well received.",
     ["J. Smith, the principal social worker, leads training.", "It is well received."]),
    ("Inspectors met staff at St. Anne's school. They were positive about the service.",
     ["Inspectors met staff at St. Anne's school.", "They were positive about the service."]),
    ("Caseloads are manageable; however, some workers in the assessment team hold more than 25 cases.",
     ["Caseloads are manageable; however, some workers in the assessment team hold more than 25 cases."]),
    ("Is practice good enough? Not yet. Leaders know this!",
     ["Is practice good enough?", "Not yet.", "Leaders know this!"]),
    ("Training covers neglect, exploitation, etc. Attendance is high.",
     ["Training covers neglect, exploitation, etc.", "Attendance is high."]),
    ("Referrals rose by 12.5% in 2021. Most were appropriate.",
     ["Referrals rose by 12.5% in 2021.", "Most were appropriate."]),
    ("The rate is 16.0 in England. Here it is 24.", ["The rate is 16.0 in England.", "Here it is 24."]),
    ("Decisions are recorded (most include a rationale.) Managers sign them off.",
     ["Decisions are recorded (most include a rationale.)", "Managers sign them off."]),
    ("Headline findings", ["Headline findings"]),
    ("Areas covered by the visit", ["Areas covered by the visit"]),
    ("Yours sincerely", ["Yours sincerely"]),
    ("The visit took place on 29 and 30 March 2022. Two inspectors attended.",
     ["The visit took place on 29 and 30 March 2022.", "Two inspectors attended."]),
    ("Plans are clear... Reviews are timely.", ["Plans are clear...", "Reviews are timely."]),
    ("A number of children, e.g. those in unregistered homes, are at risk. Leaders know them all.",
     ["A number of children, e.g. those in unregistered homes, are at risk.", "Leaders know them all."]),
    ("(b) Audits are thorough. They lead to action.", ["Audits are thorough.", "They lead to action."]),
]


@pytest.mark.parametrize(("paragraph", "expected"), SPLIT_CASES, ids=[c[0][:40] for c in SPLIT_CASES])
def test_split_sentences(paragraph, expected):
    assert [s.text for s in split_sentences(paragraph)] == expected


def test_sentence_spans_point_into_the_paragraph():
    para = Paragraph.from_text("12. Caseloads have reduced. Most workers\nnow hold fewer cases.", line=7, column=3)
    first, second = split_sentences(para)
    assert para.text[first.start : first.end] == first.text
    assert first.label == "12."
    assert first.location == Location(line=7, column=7)
    assert second.location == Location(line=7, column=31)
    assert second.text == "Most workers now hold fewer cases."


def test_headings_and_short_unterminated_lines_are_not_sentences():
    assert split_sentences("Headline findings")[0].kind == "heading"
    long_item = (
        "The quality and timeliness of permanence planning for children in care, including the use of early permanence"
    )
    assert split_sentences(long_item)[0].kind == "sentence"
    assert split_sentences(Paragraph("Caseloads.", kind="heading"))[0].kind == "heading"


def test_semicolons_keep_one_sentence_with_clauses():
    (s,) = split_sentences("Plans are clear; reviews are timely; contingency planning (where needed; rarely) is weak.")
    assert s.clause_texts == [
        "Plans are clear",
        "reviews are timely",
        "contingency planning (where needed; rarely) is weak.",
    ]


def test_empty_paragraph_has_no_sentences():
    assert split_sentences("   ") == []


# ---------------------------------------------------------------- Markdown


def test_markdown_reader_strips_syntax_and_keeps_locations():
    draft = read_draft(DRAFTS / "letter.md")
    assert draft.format == "markdown"
    texts = [p.text for p in draft.paragraphs]
    assert texts[0] == "Monitoring visit to Testshire children's services"
    assert draft.paragraphs[0].kind == "heading" and draft.paragraphs[0].level == 1
    assert texts[3] == (
        "Leaders know their services well. Management oversight is evident on most case files. "
        "Supervision is regular and reflective."
    )
    assert not any("{" in t or "*" in t or "[" in t or "<!--" in t for t in texts)
    kinds = {p.text: p.kind for p in draft.paragraphs}
    assert kinds["Early help is well established."] == "list_item"
    assert kinds["Leaders have strengthened oversight."] == "table_cell"
    assert draft.paragraphs[-1].text == (
        "Children in care are visited regularly, and most have trusting relationships with their social workers."
    )


def test_markdown_sentence_line_and_column():
    draft = read_draft(DRAFTS / "letter.md")
    sentences = list(iter_sentences(draft))
    where = {s.text: (s.location.line, s.location.column) for s in sentences}
    assert where["Leaders know their services well."] == (8, 1)
    # inside an attribute span: the text starts after the opening bracket
    assert where["Management oversight is evident on most case files."] == (8, 36)
    assert where["Supervision is regular and reflective."] == (8, 110)
    assert where["Some children wait too long for a permanent home."] == (11, 3)


def test_markdown_directives():
    draft = read_draft(DRAFTS / "letter.md")
    by_text = {p.text: p.ignore for p in draft.paragraphs}
    assert by_text["Caseloads have continued to reduce and most social workers hold a manageable number of cases."] == {
        "QNT01"
    }
    assert by_text["Some children wait too long for a permanent home."] == {"quantifier"}
    assert by_text["Early help is well established."] == frozenset()
    assert {d.location.line for d in draft.directives} == {3, 11}
    sentence = next(s for s in iter_sentences(draft) if s.text.startswith("Some children"))
    assert sentence.ignores("quantifier") and not sentence.ignores("trend")


# ---------------------------------------------------------------- text


def test_text_reader_paragraphs_labels_and_lines():
    draft = read_draft(DRAFTS / "letter.txt")
    texts = [p.text for p in draft.paragraphs]
    assert texts[2] == (
        "1. Caseloads have reduced since the last visit. Most social workers, e.g. those in the "
        "assessment team, now hold fewer than 20 cases."
    )
    assert "◼ The quality of decision-making at the front door." in texts
    assert [p.kind for p in draft.paragraphs if p.text.startswith("◼")] == ["list_item", "list_item"]
    sentences = list(iter_sentences(draft))
    first = next(s for s in sentences if s.text.startswith("Caseloads have reduced"))
    assert first.label == "1." and first.location == Location(line=5, column=4)
    second = next(s for s in sentences if s.text.startswith("Most social workers"))
    assert second.location == Location(line=5, column=49)
    assert [s.kind for s in sentences if s.text in ("Testshire Council", "Yours sincerely")] == ["heading", "heading"]
    turnover = next(s for s in sentences if s.text.startswith("Turnover"))
    assert turnover.ignore == {"trend"} and turnover.location.line == 15


# ---------------------------------------------------------------- DOCX


def _make_docx(path: Path) -> Path:
    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].text = "HEADER TEXT must not be read"
    doc.sections[0].footer.paragraphs[0].text = "FOOTER TEXT must not be read"
    doc.add_heading("Headline findings", level=1)
    first = doc.add_paragraph("Leaders know their services well. Caseloads have continued to reduce.")
    doc.add_comment(first.runs, text="Please check the caseload figure.", author="Reviewer")
    doc.add_paragraph("Early help is well established.", style="List Bullet")
    doc.add_paragraph("Some plans lack timescales.", style="List Bullet")
    ignored = doc.add_paragraph("Most children are seen regularly.")
    doc.add_comment(ignored.runs, text="drafter: ignore quantifier", author="Analyst")
    doc.add_paragraph("")
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Area"
    table.cell(0, 1).text = "Progress"
    table.cell(1, 0).text = "Permanence"
    table.cell(1, 1).text = "Planning has improved. Drift remains for a few children."
    doc.add_paragraph("Yours sincerely")
    doc.save(path)
    return path


def test_docx_reader_reads_body_lists_and_tables_in_order(tmp_path):
    draft = read_draft(_make_docx(tmp_path / "letter.docx"))
    assert draft.format == "docx"
    texts = [p.text for p in draft.paragraphs]
    assert texts == [
        "Headline findings",
        "Leaders know their services well. Caseloads have continued to reduce.",
        "Early help is well established.",
        "Some plans lack timescales.",
        "Most children are seen regularly.",
        "Area",
        "Progress",
        "Permanence",
        "Planning has improved. Drift remains for a few children.",
        "Yours sincerely",
    ]
    kinds = [p.kind for p in draft.paragraphs]
    assert kinds[:5] == ["heading", "paragraph", "list_item", "list_item", "paragraph"]
    assert kinds[5:9] == ["table_cell"] * 4
    joined = " ".join(texts)
    assert "HEADER" not in joined and "FOOTER" not in joined and "Please check" not in joined
    cell = draft.paragraphs[8].location
    assert (cell.table, cell.row, cell.cell) == (1, 2, 2)
    # The empty paragraph is counted (paragraph numbers follow the document) but not returned.
    assert draft.paragraphs[4].location.paragraph == 5 and draft.paragraphs[5].location.paragraph == 7
    assert draft.paragraphs[8].location.describe() == "table 1, row 2, cell 2 (paragraph 10)"


def test_docx_comment_directive_marks_only_its_paragraph(tmp_path):
    draft = read_draft(_make_docx(tmp_path / "letter.docx"))
    ignores = {p.text: p.ignore for p in draft.paragraphs}
    assert ignores["Most children are seen regularly."] == {"quantifier"}
    assert all(not codes for text, codes in ignores.items() if text != "Most children are seen regularly.")
    assert [d.codes for d in draft.directives] == [frozenset({"quantifier"})]
    sentences = list(iter_sentences(draft))
    assert [s.text for s in sentences if s.ignores("quantifier")] == ["Most children are seen regularly."]
    assert sentences[0].kind == "heading"


def test_docx_comment_spanning_paragraphs(tmp_path):
    doc = docx.Document()
    a = doc.add_paragraph("Plans are clear.")
    doc.add_paragraph("Reviews are timely.")
    c = doc.add_paragraph("Audits are thorough.")
    doc.add_paragraph("Supervision is regular.")
    doc.add_comment([a.runs[0], c.runs[0]], text="drafter: ignore TRD01, QNT01", author="Analyst")
    path = tmp_path / "span.docx"
    doc.save(path)
    draft = read_draft(path)
    assert [bool(p.ignore) for p in draft.paragraphs] == [True, True, True, False]
    assert draft.paragraphs[0].ignore == {"TRD01", "QNT01"}


def test_docx_tracked_insertions_are_read_and_deletions_are_not(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("placeholder")
    path = tmp_path / "tracked.docx"
    doc.save(path)
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = (
        f'<w:p {w}><w:r><w:t xml:space="preserve">Caseloads have </w:t></w:r>'
        f'<w:del w:id="1" w:author="A"><w:r><w:delText>increased</w:delText></w:r></w:del>'
        f'<w:ins w:id="2" w:author="A"><w:r><w:t>reduced</w:t></w:r></w:ins><w:r><w:t>.</w:t></w:r></w:p>'
    )
    _rewrite_part(path, "word/document.xml", lambda xml: xml.replace(_first_paragraph(xml), body))
    assert [p.text for p in read_draft(path).paragraphs] == ["Caseloads have reduced."]


def _first_paragraph(xml: str) -> str:
    start = xml.index("<w:p>") if "<w:p>" in xml else xml.index("<w:p ")
    return xml[start : xml.index("</w:p>", start) + len("</w:p>")]


def _rewrite_part(path: Path, name: str, change) -> None:
    with zipfile.ZipFile(path) as zf:
        parts = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    parts[name] = change(parts[name].decode("utf-8")).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------- refusing bad input


def _problem(path) -> str:
    with pytest.raises(DraftError) as info:
        read_draft(path)
    problem = info.value.problems[0]
    assert problem.path == str(path)
    return problem.render()


def test_missing_file(tmp_path):
    assert "no such file" in _problem(tmp_path / "nope.docx")


def test_directory(tmp_path):
    folder = tmp_path / "drafts.docx"
    folder.mkdir()
    assert "is a folder" in _problem(folder)


def test_unsupported_extension(tmp_path):
    old = tmp_path / "letter.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    text = _problem(old)
    assert "cannot read .doc drafts" in text and "Word Document (*.docx)" in text


def test_corrupt_zip(tmp_path):
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "not a valid Word document" in _problem(bad)


def test_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "no word/document.xml" in _problem(path)


def test_non_utf8_text(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_bytes("Caseloads are lower.\nThe caf\xe9 is open.\n".encode("latin-1"))
    text = _problem(path)
    assert "not UTF-8" in text and ":2:8" in text and "0xe9" in text


def test_word_document_saved_as_text(tmp_path):
    path = tmp_path / "letter.md"
    path.write_bytes(b"PK\x03\x04rest")
    assert "zip archive" in _problem(path)


def test_docx_with_doctype_is_refused(tmp_path):
    path = _make_docx(tmp_path / "evil.docx")
    _rewrite_part(
        path,
        "word/document.xml",
        lambda xml: xml.replace("?>", '?><!DOCTYPE w:document [<!ENTITY lol "lol">]>', 1),
    )
    text = _problem(path)
    assert "DOCTYPE" in text and "word/document.xml" in text


def test_docx_with_too_many_entries_is_refused(tmp_path, monkeypatch):
    path = _make_docx(tmp_path / "many.docx")
    monkeypatch.setattr(read_mod, "MAX_ZIP_ENTRIES", 5)
    assert "too many parts" in _problem(path)


def test_docx_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    path = _make_docx(tmp_path / "big.docx")
    monkeypatch.setattr(read_mod, "MAX_UNZIPPED_BYTES", 10_000)
    assert "unpacks to too much data" in _problem(path)


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "long.txt"
    path.write_text("Caseloads are manageable. " * 100)
    monkeypatch.setattr(read_mod, "MAX_DRAFT_BYTES", 1_000)
    assert "too large to be a draft" in _problem(path)


def test_markdown_attribute_spans_keep_their_attributes():
    draft = read_draft(DRAFTS / "letter.md")
    para = next(p for p in draft.paragraphs if p.spans)
    (span,) = para.spans
    assert para.text[span.start : span.end] == "Management oversight is evident on most case files."
    assert span.get("rule") == "MO001" and span.get("class") == "finding"


def test_ignores_matches_code_or_name_in_any_case():
    (s,) = split_sentences(Paragraph("Most plans are clear.", ignore=frozenset({"qnt01"})))
    assert s.ignores("QNT01") and s.ignores("TRD01", "qnt01") and not s.ignores("TRD01")
    (every,) = split_sentences(Paragraph("Most plans are clear.", ignore=frozenset({"all"})))
    assert every.ignores("anything")
