"""Any DOCX as a reference: python-docx's default, a LibreOffice document and a branded council template.

Each is given to `drafter letter --reference-docx` through the CLI; the output is read back with
python-docx and its XML, and converted by LibreOffice where it is installed.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from tests.conftest import ROOT

MV3 = ROOT / "seeds" / "2022-03-third-monitoring-visit.yaml"
MV4 = ROOT / "seeds" / "2022-fourth-monitoring-visit.yaml"
LIBREOFFICE_FIXTURE = ROOT / "tests" / "data" / "libreoffice-reference.docx"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SOFFICE = shutil.which("soffice")


def branded_tool():
    spec = importlib.util.spec_from_file_location("make_branded_reference",
                                                  ROOT / "tools" / "make_branded_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def python_docx_reference(path: Path) -> Path:
    """Write python-docx's default document with a house font on Normal, and return its path."""
    reference = docx.Document()
    reference.styles["Normal"].font.name = "Georgia"
    reference.styles["Normal"].font.size = Pt(11)
    reference.add_paragraph("Corporate boilerplate that must not survive")
    reference.save(str(path))
    return path


def branded_reference(path: Path) -> Path:
    branded_tool().build().save(str(path))
    return path


def draft(run, reference: Path, out: Path, pack: Path = MV3, command: str = "letter"):
    result = run(command, pack, "-o", out, "--reference-docx", reference)
    assert result.exit_code == 0, result.output
    return result


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def style_element(document, name: str):
    return document.styles[name].element


def based_on(document, name: str) -> str | None:
    elm = style_element(document, name).find(f"{W}basedOn")
    return elm.get(f"{W}val") if elm is not None else None


def footer_texts(path: Path) -> list[str]:
    files = members(path)
    return [files[n].decode() for n in sorted(files) if re.fullmatch(r"word/footer\d*\.xml", n)]


def has_page_field(xml: str) -> bool:
    return bool(re.search(r'w:instr="\s*PAGE\b', xml) or re.search(r"<w:instrText[^>]*>\s*PAGE\b", xml))


# -- python-docx's default document -----------------------------------------------------------------


def test_python_docx_default_drafts_with_derived_styles_and_page_numbers(run, tmp_path):
    reference = python_docx_reference(tmp_path / "plain.docx")
    result = draft(run, reference, tmp_path / "letter.docx")
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert notes == [
        "note: the reference DOCX has no Address, Signature or Date style; drafter derived them from its Normal style",
        "note: the reference DOCX has no page numbers; drafter added a footer with them",
    ]
    document = docx.Document(str(tmp_path / "letter.docx"))
    assert "Corporate boilerplate" not in "\n".join(p.text for p in document.paragraphs)
    assert [p.style.name for p in document.paragraphs if p.text][:2] == ["Date", "Address"]
    for name in ("Date", "Address", "Signature"):
        assert based_on(document, name) == "Normal"
    assert document.styles["Normal"].font.name == "Georgia"  # the council's font reaches every derived style
    assert document.styles["Date"].paragraph_format.alignment == 2  # right
    (footer,) = footer_texts(tmp_path / "letter.docx")
    assert has_page_field(footer)
    assert len(document.comments) > 10


# -- a document saved by LibreOffice ----------------------------------------------------------------


def check_libreoffice_output(path: Path) -> None:
    document = docx.Document(str(path))
    names = [p.style.name for p in document.paragraphs if p.text]
    assert "Title" in names and "Heading 1" in names and "List Bullet" in names
    heading_id = document.styles["Heading 1"].style_id
    assert based_on(document, "Heading 1") == "Heading"  # LibreOffice's own heading style, with its font
    assert based_on(document, "Title") in ("Heading", heading_id)
    assert document.styles["Heading"].font.name == "DejaVu Sans"
    # The bullet style points at a real bullet list definition.
    num_id = style_element(document, "List Bullet").pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    (num,) = [n for n in numbering.num_lst if n.numId == num_id]
    abstract_id = num.abstractNumId.val
    (abstract,) = numbering.xpath(f"./w:abstractNum[@w:abstractNumId='{abstract_id}']")
    assert [f.get(qn("w:val")) for f in abstract.iter(qn("w:numFmt"))] == ["bullet"]
    (footer,) = footer_texts(path)
    assert has_page_field(footer)
    styles = members(path)["word/styles.xml"].decode()
    assert re.search(r'<w:pPrDefault><w:pPr>.*<w:spacing w:after="160"/>', styles)  # paragraphs no longer touch


def test_libreoffice_fixture_drafts_a_letter_and_a_briefing(run, tmp_path):
    result = draft(run, LIBREOFFICE_FIXTURE, tmp_path / "letter.docx")
    notes = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert notes[0] == ("note: the reference DOCX has no Title, Heading 1, List Bullet, Address, Signature or Date "
                        "style; drafter derived them from its Normal and Heading styles")
    assert "no page numbers" in notes[1] and "no space after paragraphs" in notes[2]
    check_libreoffice_output(tmp_path / "letter.docx")
    draft(run, LIBREOFFICE_FIXTURE, tmp_path / "briefing.docx", MV4, "briefing")
    document = docx.Document(str(tmp_path / "briefing.docx"))  # its dense tables: drafter's own compact style
    assert document.tables and all(t.style.name == "Compact Table" for t in document.tables)
    assert 'w:val="single"' in document.styles["Compact Table"].element.xml
    assert 'w:val="18"' in document.styles["Compact Table"].element.xml  # 9 pt


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed here")
def test_a_document_libreoffice_saves_now_drafts(run, tmp_path):
    source = tmp_path / "council.txt"
    source.write_text("Council template\n\nBody text.\n", encoding="utf-8")
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx", "--outdir",
                    str(tmp_path), str(source)], capture_output=True, timeout=180, check=False)
    reference = tmp_path / "council.docx"
    assert reference.is_file()
    draft(run, reference, tmp_path / "letter.docx")
    check_libreoffice_output(tmp_path / "letter.docx")


# -- a branded council template ---------------------------------------------------------------------


def test_branded_template_keeps_logo_headers_page_numbers_margins_and_colours(run, tmp_path):
    tool = branded_tool()
    reference = branded_reference(tmp_path / "council.docx")
    result = draft(run, reference, tmp_path / "letter.docx")
    assert "page numbers" not in result.stderr  # it has its own
    assert "no Title, Address, Signature or Date style; drafter derived them from its Normal and Heading" in \
        result.stderr
    out = tmp_path / "letter.docx"
    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Template body text" not in text and "A template heading" not in text
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert round(section.left_margin.cm, 1) == round(section.top_margin.cm, 1) == 2.0
    assert round(section.page_width.cm, 1) == 21.0
    assert section.header.paragraphs[0].text == tool.RUNNING_HEADER
    assert section.first_page_footer.paragraphs[0].text == tool.FIRST_FOOTER
    assert tool.COUNCIL in section.first_page_header.paragraphs[0].text
    # The logo: a picture in the first-page header whose relationship and media part came along.
    header_part = section.first_page_header.part
    (blip,) = header_part.element.xpath(".//a:blip/@r:embed")
    image = header_part.related_parts[blip]
    assert image.blob == tool.logo_png() and image.partname.startswith("/word/media/")
    assert image.partname.lstrip("/") in members(out)
    # Page X of Y is the template's own footer, untouched.
    footer_xml = section.footer.part.element.xml
    assert "PAGE" in footer_xml and "NUMPAGES" in footer_xml and "Page " in section.footer.paragraphs[0].text
    # The heading colour and font carry into the derived Title.
    heading = document.styles["Heading 1"]
    assert str(heading.font.color.rgb) == tool.HEADING_COLOUR and heading.font.name == tool.HEADING_FONT
    assert based_on(document, "Title") == heading.style_id
    assert document.styles["Title"].font.size > heading.font.size
    assert "docProps/thumbnail.jpeg" not in members(out)  # python-docx's picture of its own template


def test_headers_of_an_earlier_section_carry_into_the_letter(run, tmp_path):
    reference = docx.Document()
    reference.sections[0].header.paragraphs[0].text = "Cover header"
    reference.add_paragraph("Cover page")
    reference.add_section()  # a second section that inherits the header
    reference.add_paragraph("Body")
    path = tmp_path / "two-sections.docx"
    reference.save(str(path))
    draft(run, path, tmp_path / "letter.docx")
    document = docx.Document(str(tmp_path / "letter.docx"))
    assert len(document.sections) == 1
    assert document.sections[0].header.paragraphs[0].text == "Cover header"


def test_a_word_template_dotx_is_a_reference_too(run, tmp_path):
    source = branded_reference(tmp_path / "council.docx")
    template = tmp_path / "council.dotx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(template, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(info, data)
    with pytest.raises(ValueError, match="not a Word file"):
        docx.Document(str(template))  # python-docx alone refuses a template
    draft(run, template, tmp_path / "letter.docx")
    document = docx.Document(str(tmp_path / "letter.docx"))
    assert document.sections[0].header.paragraphs[0].text == branded_tool().RUNNING_HEADER
    assert "document.main+xml" in members(tmp_path / "letter.docx")["[Content_Types].xml"].decode()


def test_a_derived_reference_gives_the_same_bytes_twice(run, tmp_path):
    reference = branded_reference(tmp_path / "council.docx")
    draft(run, reference, tmp_path / "a.docx")
    draft(run, reference, tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_a_style_drafter_cannot_derive_is_still_named(tmp_path):
    from drafter.document.markdown import parse_markdown
    from drafter.errors import TemplateError
    from drafter.render.docx import write_docx

    reference = python_docx_reference(tmp_path / "plain.docx")
    with pytest.raises(TemplateError, match="no paragraph style named 'Letterhead'"):
        write_docx(parse_markdown('{style="Letterhead"}\nCouncil'), reference)


def test_the_bundled_reference_needs_nothing_derived():
    from drafter.drafting import draft_letter_from_pack

    notes: list[str] = []
    draft_letter_from_pack(MV3).to_bytes("docx", notes=notes)
    assert notes == []


# -- LibreOffice opens all three --------------------------------------------------------------------


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or pdftotext is not installed here")
def test_libreoffice_converts_each_to_pdf_with_branding_and_page_numbers(run, tmp_path):
    letters = {}
    for name, reference in (("plain", python_docx_reference(tmp_path / "plain-ref.docx")),
                            ("libreoffice", LIBREOFFICE_FIXTURE),
                            ("branded", branded_reference(tmp_path / "branded-ref.docx"))):
        letters[name] = tmp_path / f"{name}.docx"
        draft(run, reference, letters[name])
    profile = (tmp_path / "lo-profile").as_uri()
    proc = subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                           "--outdir", str(tmp_path), *map(str, letters.values())],
                          capture_output=True, timeout=300, check=False)
    for name in letters:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.is_file(), proc.stderr.decode(errors="replace")
        pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                               timeout=60, check=True).stdout.split("\f")
        pages = [p for p in pages if p.strip()]
        assert len(pages) >= 2, name
        last_lines = [p.strip().splitlines()[-1].strip() for p in pages]
        if name == "branded":
            assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages[1:], start=2)), name
            assert "Exampleshire Council" in pages[0]
            assert all("Exampleshire Council: Children's Services" in page for page in pages[1:])
        else:
            assert last_lines == [str(n) for n in range(1, len(pages) + 1)], (name, last_lines)
