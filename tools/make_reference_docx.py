"""Build templates/reference.docx: a lean, accessible reference DOCX holding only the styles drafter uses.

Run `python tools/make_reference_docx.py` after changing a style here and commit the output; the
test suite checks that this script reproduces the committed bytes. Corporate users make their own
reference DOCX in Word instead (any document with styles of the same names works).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.files import write_atomic  # noqa: E402
from drafter.ooxml import pack_zip  # noqa: E402

OUT = ROOT / "templates" / "reference.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

FONT = "Arial"  # a plain sans-serif that every Word and LibreOffice install can show
BODY_PT = 12
LINE = 276  # 1.15 line spacing, in 240ths of a line
AFTER = 200  # 10 pt after each paragraph, in twentieths of a point
MARGIN = 1440  # 2.54 cm in twentieths of a point
A4 = (11906, 16838)


def half_points(pt: float) -> int:
    """Return a font size in the half-points WordprocessingML uses."""
    return int(pt * 2)


def paragraph_style(
    style_id: str,
    name: str,
    *,
    based_on: str | None = "Normal",
    next_id: str | None = None,
    ppr: str = "",
    rpr: str = "",
    priority: int | None = None,
    default: bool = False,
    hidden: bool = False,
) -> str:
    """Return a w:style element for a paragraph style (children in schema order)."""
    flag = ' w:default="1"' if default else ""
    parts = [f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}">']
    parts.append(f'<w:name w:val="{name}"/>')
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/>')
    if next_id:
        parts.append(f'<w:next w:val="{next_id}"/>')
    if priority is not None:
        parts.append(f'<w:uiPriority w:val="{priority}"/>')
    if hidden:
        parts.append("<w:semiHidden/><w:unhideWhenUsed/>")
    else:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def heading(level: int, size_pt: float, before: int) -> str:
    """Return the style for 'heading N': bold, kept with the next paragraph, in the outline."""
    return paragraph_style(
        f"Heading{level}",
        f"heading {level}",
        next_id="Normal",
        priority=9,
        ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/>'
        f'<w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'<w:b/><w:bCs/><w:sz w:val="{half_points(size_pt)}"/><w:szCs w:val="{half_points(size_pt)}"/>',
    )


def styles_xml() -> str:
    """Return word/styles.xml: document defaults plus the styles drafter's writers name."""
    size = half_points(BODY_PT)
    defaults = (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
        f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        '<w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        # Spacing lives in the defaults, not in Normal, so a table style can tighten cell paragraphs.
        f'<w:spacing w:after="{AFTER}" w:line="{LINE}" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )
    styles = [
        paragraph_style("Normal", "Normal", based_on=None, default=True, priority=0),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'
        "</w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        paragraph_style(
            "Title",
            "Title",
            next_id="Normal",
            priority=10,
            ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/>',
            rpr='<w:b/><w:bCs/><w:kern w:val="28"/><w:sz w:val="36"/><w:szCs w:val="36"/>',
        ),
        heading(1, 14, 360),
        heading(2, 13, 240),
        heading(3, 12, 240),
        paragraph_style(
            "ListBullet",
            "List Bullet",
            priority=99,
            ppr='<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:after="120"/>'
            '<w:ind w:left="720" w:hanging="360"/>',
        ),
        paragraph_style(
            "Caption",
            "caption",
            next_id="Normal",
            priority=35,
            ppr='<w:spacing w:before="60" w:after="240"/>',
            rpr='<w:sz w:val="22"/><w:szCs w:val="22"/>',
        ),
        paragraph_style("Subject", "Subject", next_id="Normal", ppr="<w:keepNext/>", rpr="<w:b/><w:bCs/>"),
        # No space between the lines of an address, whether written as line breaks in one paragraph
        # or as one paragraph per line (contextual spacing), but the usual space after the block.
        paragraph_style("Address", "Address", ppr="<w:contextualSpacing/>"),
        paragraph_style("Signature", "Signature", ppr='<w:keepLines/><w:spacing w:before="240" w:after="0"/>'),
        paragraph_style("Date", "Date", next_id="Normal", ppr='<w:jc w:val="right"/>'),
        paragraph_style(
            "Footer",
            "footer",
            priority=99,
            hidden=True,
            ppr='<w:tabs><w:tab w:val="center" w:pos="4513"/><w:tab w:val="right" w:pos="9026"/></w:tabs>'
            '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>',
            rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        paragraph_style(
            "CommentText",
            "annotation text",
            priority=99,
            hidden=True,
            ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
            rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
        ),
        '<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
        '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/>'
        '<w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>'  # 10 pt: tables of figures need the room
        "<w:tblPr><w:tblBorders>"
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    ]
    return f'{HEAD}<w:styles xmlns:w="{W}">{defaults}{"".join(styles)}</w:styles>'


def numbering_xml() -> str:
    """Return word/numbering.xml: one bullet list definition used by 'List Bullet'."""
    return (
        f'{HEAD}<w:numbering xmlns:w="{W}">'
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
        '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr>'
        f'<w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:hint="default"/></w:rPr></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )


def document_xml() -> str:
    """Return word/document.xml: one empty paragraph and an A4 section with the page-number footer."""
    width, height = A4
    return (
        f'{HEAD}<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body><w:p/>'
        '<w:sectPr><w:footerReference w:type="default" r:id="rId4"/>'
        f'<w:pgSz w:w="{width}" w:h="{height}"/>'
        f'<w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" '
        'w:header="709" w:footer="709" w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/>'
        "</w:sectPr></w:body></w:document>"
    )


def footer_xml() -> str:
    """Return word/footer1.xml: the page number, centred."""
    return (
        f'{HEAD}<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'
    )


def settings_xml() -> str:
    """Return word/settings.xml: British English defaults, current Word compatibility mode."""
    return (
        f'{HEAD}<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/><w:compat>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        '</w:compat><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def content_types_xml() -> str:
    """Return [Content_Types].xml for the parts above."""
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    overrides = {
        "/word/document.xml": f"{ct}.document.main+xml",
        "/word/styles.xml": f"{ct}.styles+xml",
        "/word/numbering.xml": f"{ct}.numbering+xml",
        "/word/settings.xml": f"{ct}.settings+xml",
        "/word/footer1.xml": f"{ct}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides.items())
        + "</Types>"
    )


def rels_xml(rels: list[tuple[str, str, str]]) -> str:
    """Return a relationships part for (id, type suffix, target) triples."""
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels)
    return f'{HEAD}<Relationships xmlns="{PKG_RELS}">{body}</Relationships>'


def core_xml() -> str:
    """Return docProps/core.xml with fixed values (drafter overwrites them for each document)."""
    return (
        f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>drafter reference</dc:title><dc:creator>drafter</dc:creator>"
        "<cp:lastModifiedBy>drafter</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml() -> str:
    """Return docProps/app.xml naming the producing application."""
    return (
        f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>drafter</Application></Properties>"
    )


def build() -> bytes:
    """Return the bytes of the reference DOCX (the same on every run)."""
    members = {
        "[Content_Types].xml": content_types_xml(),
        "_rels/.rels": rels_xml(
            [
                ("rId1", f"{DOC_RELS}/officeDocument", "word/document.xml"),
                (
                    "rId2",
                    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                    "docProps/core.xml",
                ),
                ("rId3", f"{DOC_RELS}/extended-properties", "docProps/app.xml"),
            ]
        ),
        "docProps/core.xml": core_xml(),
        "docProps/app.xml": app_xml(),
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": rels_xml(
            [
                ("rId1", f"{DOC_RELS}/styles", "styles.xml"),
                ("rId2", f"{DOC_RELS}/numbering", "numbering.xml"),
                ("rId3", f"{DOC_RELS}/settings", "settings.xml"),
                ("rId4", f"{DOC_RELS}/footer", "footer1.xml"),
            ]
        ),
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": settings_xml(),
        "word/footer1.xml": footer_xml(),
    }
    return pack_zip({name: text.encode("utf-8") for name, text in members.items()})


def main() -> None:
    """Write templates/reference.docx and say how big it is."""
    data = build()
    write_atomic(OUT, data)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
