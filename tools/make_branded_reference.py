"""Write an example council template to try `--reference-docx` with: a logo and text in the headers, page numbers.

It is made the way a council's Word template is: python-docx's default document (Word's own styles)
given a house font, a heading colour, A4 pages with 2 cm margins, a different first page (logo and
council name in its header, the address in its footer), a running header and a "Page X of Y"
footer; the Title style is removed, as many templates lack it. The tests build it too, to check
that drafter keeps all of this.

    python tools/make_branded_reference.py council.docx
    drafter letter seeds/2022-03-third-monitoring-visit.yaml --reference-docx council.docx -o letter.docx
"""

from __future__ import annotations

import io
import struct
import sys
import zlib
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml.etree import SubElement

HOUSE_FONT = "Georgia"
HEADING_FONT = "Trebuchet MS"
HEADING_COLOUR = "7A1F5C"  # the council's plum
COUNCIL = "Exampleshire Council"
RUNNING_HEADER = "Exampleshire Council: Children's Services"
FIRST_FOOTER = "Civic Centre, Exampleshire EX1 1AA"


def logo_png(width: int = 120, height: int = 40) -> bytes:
    """Return a plum PNG with a white band, written by hand (no image library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    plum, white = bytes.fromhex(HEADING_COLOUR), b"\xff\xff\xff"
    rows = [b"\x00" + (white if height // 3 <= y < 2 * height // 3 else plum) * width for y in range(height)]
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + \
        chunk(b"IEND", b"")


def _field(paragraph, instruction: str) -> None:
    """Append a complex field (begin, instruction, separate, result, end), as Word writes page numbers."""
    p = paragraph._p
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        r = SubElement(p, qn("w:r"))
        if kind:
            SubElement(r, qn("w:fldChar"), {qn("w:fldCharType"): kind})
        elif text == instruction:
            t = SubElement(r, qn("w:instrText"), {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
            t.text = f" {instruction} "
        else:
            SubElement(r, qn("w:t")).text = text


def build() -> docx.document.Document:
    """Return the branded template as a python-docx Document."""
    doc = docx.Document()
    styles = doc.styles
    styles["Normal"].font.name = HOUSE_FONT
    styles["Normal"].font.size = Pt(11)
    for name in ("Heading 1", "Heading 2"):
        styles[name].font.name = HEADING_FONT
        styles[name].font.color.rgb = RGBColor.from_string(HEADING_COLOUR)
    styles["Heading 1"].font.size = Pt(16)
    title = styles["Title"].element
    title.getparent().remove(title)

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.different_first_page_header_footer = True
    first = section.first_page_header.paragraphs[0]
    first.add_run().add_picture(io.BytesIO(logo_png()), width=Cm(4.0))
    first.add_run("\t" + COUNCIL).bold = True
    section.first_page_footer.paragraphs[0].text = FIRST_FOOTER
    section.header.paragraphs[0].text = RUNNING_HEADER
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    doc.add_paragraph("Template body text that drafter must drop.")
    doc.add_heading("A template heading", level=1)
    return doc


def main(argv: list[str]) -> int:
    """Write the template to the path given."""
    if len(argv) != 1:
        print("usage: python tools/make_branded_reference.py OUT.docx", file=sys.stderr)
        return 2
    out = Path(argv[0])
    build().save(str(out))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
