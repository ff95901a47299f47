"""Let any Word document be a reference: derive missing styles from its own, keep its page set-up, add page numbers.

A council's template seldom has styles named Date, Address, Signature or Subject, and a document
saved by LibreOffice lacks even Title and Heading 1. Rather than refuse it, drafter derives each
missing style from the reference's own Normal and heading styles (so its fonts and colours carry
through) and says so once. Headers, footers (with their images), margins, page size and first-page
settings stay as the reference has them; where no header or footer numbers the pages, a footer
with a PAGE field is added. Used only by `drafter.ooxml`, the sole python-docx user.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.parts.numbering import NumberingPart
from docx.shared import Twips
from lxml import etree
from lxml.etree import SubElement

_W_STYLE, _W_NAME, _W_BASED_ON = qn("w:style"), qn("w:name"), qn("w:basedOn")
_W_VAL, _W_TYPE, _W_STYLE_ID, _W_DEFAULT = qn("w:val"), qn("w:type"), qn("w:styleId"), qn("w:default")
_W_SZ, _W_RPR, _W_PPR, _W_SPACING, _W_AFTER = qn("w:sz"), qn("w:rPr"), qn("w:pPr"), qn("w:spacing"), qn("w:after")
_W_SECT_PR, _W_ID = qn("w:sectPr"), qn("r:id")
_HDR_FTR_REFS = (qn("w:headerReference"), qn("w:footerReference"))
_PAGE_FIELD = re.compile(r"(^|\s)PAGE(\s|\\|$)")
_PAGE_SIZE_A4 = (11906, 16838)  # twentieths of a point
_MARGIN = 1440
_MAX_BASED_ON = 20  # basedOn chains longer than this are treated as broken (Word allows no cycles)
_SPACE_AFTER = 160  # 8 pt, Word's own default, for a reference whose Normal leaves paragraphs touching

_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                   for side in ("top", "left", "bottom", "right", "insideH", "insideV"))


@dataclass(frozen=True)
class Recipe:
    """How to make one style drafter needs: Word's name for it, its id, what to base it on, its look."""

    name: str  # as Word writes it in w:name ("heading 1", "caption")
    style_id: str
    kind: str  # paragraph | character | table
    bases: tuple[str, ...]  # casefolded style names to base it on, first found wins; () = none
    ppr: str = ""
    rpr: str = ""
    size: int = 0  # half-points added to the size of the base style when that is Normal (may be negative)
    size_on_heading: int | None = None  # ... when the base is a heading style (None: as `size`)
    custom: bool = False  # not one of Word's built-in styles
    listed: bool = True  # named in the note (internal styles such as comment text are not)
    extra: str = ""  # table properties


def _heading(level: int, size: int, before: int) -> Recipe:
    """Return the recipe for 'heading N': based on the heading above it (or LibreOffice's 'Heading'), else Normal."""
    above = tuple(f"heading {n}" for n in range(level - 1, 0, -1))
    return Recipe(f"heading {level}", f"Heading{level}", "paragraph", (*above, "heading", "normal"),
                  ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/>'
                  f'<w:outlineLvl w:val="{level - 1}"/>', rpr="<w:b/><w:bCs/>", size=size,
                  size_on_heading=0 if level == 1 else -2)


RECIPES: dict[str, Recipe] = {r.name.casefold(): r for r in (
    # The title is the document's name, not a heading level: outline level 9 is body text.
    Recipe("Title", "Title", "paragraph", ("heading 1", "heading", "normal"),
           ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/><w:outlineLvl w:val="9"/>',
           rpr="<w:b/><w:bCs/>", size=12, size_on_heading=8),
    _heading(1, 4, 360),
    _heading(2, 2, 240),
    _heading(3, 0, 240),
    Recipe("List Bullet", "ListBullet", "paragraph", ("normal",),
           ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr><w:spacing w:after="120"/>'
           '<w:ind w:left="720" w:hanging="360"/>'),
    Recipe("caption", "Caption", "paragraph", ("normal",), ppr='<w:spacing w:before="60" w:after="240"/>', size=-2),
    Recipe("Subject", "Subject", "paragraph", ("normal",), ppr="<w:keepNext/>", rpr="<w:b/><w:bCs/>", custom=True),
    Recipe("Address", "Address", "paragraph", ("normal",), ppr="<w:contextualSpacing/>", custom=True),
    Recipe("Signature", "Signature", "paragraph", ("normal",),
           ppr='<w:keepLines/><w:spacing w:before="240" w:after="0"/>'),
    Recipe("Date", "Date", "paragraph", ("normal",), ppr='<w:jc w:val="right"/>'),
    Recipe("Table Grid", "TableGrid", "table", ("normal table",),
           ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>', rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
           extra=f'<w:tblPr><w:tblBorders>{_BORDERS}</w:tblBorders><w:tblCellMar><w:top w:w="57" w:type="dxa"/>'
           '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
           "</w:tblCellMar></w:tblPr>"),
    # Dense tables (a board briefing's status table and appendix): 9 pt, narrower cell margins.
    Recipe("Compact Table", "CompactTable", "table", ("table grid", "normal table"), custom=True, listed=False,
           ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>', rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
           extra=f'<w:tblPr><w:tblBorders>{_BORDERS}</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
           '<w:left w:w="80" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
           "</w:tblCellMar></w:tblPr>"),
    Recipe("footer", "Footer", "paragraph", ("normal",), listed=False,
           ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>', size=-4),
    Recipe("annotation text", "CommentText", "paragraph", ("normal",), listed=False,
           ppr='<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>', rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>'),
    Recipe("annotation reference", "CommentReference", "character", (), listed=False,
           rpr='<w:sz w:val="16"/><w:szCs w:val="16"/>'),
)}


class Styles:
    """The reference's styles by (kind, casefolded name), and the styles derived into it."""

    def __init__(self, doc: Any):
        self.doc = doc
        self.root = doc.styles.element
        self.index: dict[tuple[str, str], str] = {}
        self.ids: set[str] = set()
        for elm in self.root.findall(_W_STYLE):
            style_id = elm.get(_W_STYLE_ID)
            name_elm = elm.find(_W_NAME)
            if not style_id:
                continue
            self.ids.add(style_id)
            kind = elm.get(_W_TYPE) or "paragraph"
            if name_elm is not None:
                self.index.setdefault((kind, str(name_elm.get(_W_VAL, "")).casefold()), style_id)
        self.derived: list[tuple[str, str]] = []  # (style name, name of the reference style it is based on)
        self.derived_ids: set[str] = set()
        normal = self._element(self.get("normal") or "")
        if normal is not None and self._default_id("paragraph") is None:
            normal.set(_W_DEFAULT, "1")  # LibreOffice leaves it unmarked; Word and python-docx look for the mark

    def get(self, name: str, kind: str = "paragraph") -> str | None:
        """Return the id of style `name` of `kind`, or None."""
        return self.index.get((kind, name.casefold()))

    def ensure(self, name: str, kind: str = "paragraph") -> str | None:
        """Return the id of style `name`, deriving it when drafter knows how; None when it can do neither."""
        found = self.get(name, kind)
        if found is not None:
            return found
        recipe = RECIPES.get(name.casefold())
        if recipe is None or recipe.kind != kind:
            return None
        return self._derive(recipe, name)

    def _derive(self, recipe: Recipe, asked: str) -> str:
        # A document without any of the bases (not even Normal) has the style stand on its defaults.
        base_name = next((b for b in recipe.bases if self.get(b, recipe.kind) is not None), None)
        base_id = self.get(base_name, recipe.kind) if base_name else None
        if recipe.kind == "table" and base_id is None:
            base_id = self._default_id("table")
        style_id = self._free_id(recipe.style_id)
        ppr = recipe.ppr.replace("{num_id}", str(self._bullet_numbering())) if "{num_id}" in recipe.ppr else recipe.ppr
        rpr = recipe.rpr
        on_heading = base_name is not None and base_name.startswith("heading")
        step = recipe.size_on_heading if on_heading and recipe.size_on_heading is not None else recipe.size
        if step:
            size = max(16, self.size_of(base_id) + step)
            rpr += f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
        custom = ' w:customStyle="1"' if recipe.custom else ""
        parts = [f'<w:style {nsdecls("w")} w:type="{recipe.kind}"{custom} w:styleId="{style_id}">',
                 f'<w:name w:val="{recipe.name}"/>']
        if base_id:
            parts.append(f'<w:basedOn w:val="{_attr(base_id)}"/>')
        if recipe.kind == "paragraph" and self.get("normal"):
            parts.append(f'<w:next w:val="{_attr(self.get("normal") or "")}"/>')
        parts.append("<w:qFormat/>" if recipe.listed else "<w:semiHidden/><w:unhideWhenUsed/>")
        if ppr:
            parts.append(f"<w:pPr>{ppr}</w:pPr>")
        if rpr:
            parts.append(f"<w:rPr>{rpr}</w:rPr>")
        parts.append(recipe.extra + "</w:style>")
        self.root.append(parse_xml("".join(parts)))
        self.ids.add(style_id)
        self.derived_ids.add(style_id)
        self.index[(recipe.kind, recipe.name.casefold())] = style_id
        self.index.setdefault((recipe.kind, asked.casefold()), style_id)
        if recipe.listed:
            self.derived.append((asked, self._root_name(base_id) if base_id else "Normal"))
        return style_id

    def size_of(self, style_id: str | None) -> int:
        """Return the font size in half-points that style `style_id` has, following basedOn, then the defaults."""
        seen = 0
        while style_id and seen < _MAX_BASED_ON:
            elm = self._element(style_id)
            if elm is None:
                break
            sz = elm.find(f"{_W_RPR}/{_W_SZ}")
            if sz is not None and str(sz.get(_W_VAL, "")).isdigit():
                return int(sz.get(_W_VAL))
            based = elm.find(_W_BASED_ON)
            style_id = based.get(_W_VAL) if based is not None else None
            seen += 1
        sz = self.root.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{_W_RPR}/{_W_SZ}")
        if sz is not None and str(sz.get(_W_VAL, "")).isdigit():
            return int(sz.get(_W_VAL))
        return 20  # WordprocessingML's own default: 10 pt

    def _element(self, style_id: str) -> Any:
        return next((e for e in self.root.findall(_W_STYLE) if e.get(_W_STYLE_ID) == style_id), None)

    def _root_name(self, style_id: str) -> str:
        """Return the reference's own style a derived style ultimately stands on (its name as Word shows it)."""
        for _ in range(_MAX_BASED_ON):
            elm = self._element(style_id)
            if elm is None:
                break
            if style_id not in self.derived_ids:
                name_elm = elm.find(_W_NAME)
                name = str(name_elm.get(_W_VAL, "")) if name_elm is not None else style_id
                return name[:1].upper() + name[1:]
            based = elm.find(_W_BASED_ON)
            if based is None:
                break
            style_id = based.get(_W_VAL)
        return "Normal"

    def _default_id(self, kind: str) -> str | None:
        for elm in self.root.findall(_W_STYLE):
            if elm.get(_W_TYPE) == kind and elm.get(_W_DEFAULT) in ("1", "true", "on"):
                return elm.get(_W_STYLE_ID)
        return None

    def _free_id(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{wanted}Drafter{n if n > 2 else ''}"
        return candidate

    def _bullet_numbering(self) -> int:
        """Return the numId of a new one-level bullet list added to the reference's numbering part."""
        numbering = _numbering_part(self.doc).element
        abstract_ids = [int(i) for i in numbering.xpath("./w:abstractNum/@w:abstractNumId") if str(i).isdigit()]
        abstract_id = max(abstract_ids, default=-1) + 1
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\u2022"/>'
            '<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'
        )
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        num = numbering.add_num(abstract_id)
        cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(num)
        return int(num.numId)

    def ensure_paragraph_spacing(self) -> bool:
        """Give paragraphs space after them when neither the defaults nor Normal say any; True when it did."""
        normal = self._element(self.get("normal") or "")
        for where in (normal, self.root.find(f"{qn('w:docDefaults')}/{qn('w:pPrDefault')}")):
            if where is not None and where.find(f"{_W_PPR}/{_W_SPACING}[@{_W_AFTER}]") is not None:
                return False
        defaults = self.root.find(qn("w:docDefaults"))
        if defaults is None:
            defaults = parse_xml(f"<w:docDefaults {nsdecls('w')}/>")
            self.root.insert(0, defaults)
        ppr_default = defaults.find(qn("w:pPrDefault"))
        if ppr_default is None:
            ppr_default = SubElement(defaults, qn("w:pPrDefault"))
        ppr = ppr_default.find(_W_PPR)
        if ppr is None:
            ppr = SubElement(ppr_default, _W_PPR)
        spacing = ppr.find(_W_SPACING)
        if spacing is None:
            spacing = SubElement(ppr, _W_SPACING)
        spacing.set(_W_AFTER, str(_SPACE_AFTER))
        return True

    def note(self) -> str | None:
        """Return the one-line note naming the styles derived and what from, or None when none were."""
        if not self.derived:
            return None
        order = list(RECIPES)
        derived = sorted(self.derived, key=lambda d: order.index(d[0].casefold()) if d[0].casefold() in order else 99)
        names = [n for n, _ in derived]
        bases = sorted(dict.fromkeys(_family(b) for _, b in derived), key=lambda b: (b != "Normal", b))
        return (f"the reference DOCX has no {_join(names, 'or')} style; drafter derived "
                f"{'it' if len(names) == 1 else 'them'} from its {_join(bases, 'and')} "
                f"style{'s' if len(bases) > 1 else ''}")


def _numbering_part(doc: Any) -> Any:
    """Return the document's numbering part, adding an empty one when it has none (python-docx cannot)."""
    part = doc.part
    for rel in part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return rel.target_part
    partname = PackURI("/word/numbering.xml")
    if any(p.partname == partname for p in part.package.iter_parts()):
        partname = part.package.next_partname("/word/numbering%d.xml")
    numbering = NumberingPart(partname, CT.WML_NUMBERING, parse_xml(f"<w:numbering {nsdecls('w')}/>"), part.package)
    part.relate_to(numbering, RT.NUMBERING)
    return numbering


def _family(name: str) -> str:
    """Return 'Heading' for 'Heading 1', the name otherwise (for the note)."""
    return "Heading" if re.fullmatch(r"(?i)heading( \d)?", name) else name


def _join(items: list[str], conjunction: str) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# -- opening ----------------------------------------------------------------------------------------

_TEMPLATE_MAIN = b"wordprocessingml.template.main+xml"
_DOCUMENT_MAIN = b"wordprocessingml.document.main+xml"


def as_document(path: Path) -> str | io.BytesIO:
    """Return what python-docx should open for `path`: the path itself, or for a Word template (.dotx)
    the same package with its main part typed as a document (python-docx opens only documents)."""
    try:
        with zipfile.ZipFile(path) as zf:
            types = zf.read("[Content_Types].xml")
            if _TEMPLATE_MAIN not in types:
                return str(path)
            members = {info: zf.read(info) for info in zf.infolist()}
    except (zipfile.BadZipFile, KeyError, OSError):
        return str(path)  # python-docx says what is wrong with it
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members.items():
            out.writestr(info, data.replace(_TEMPLATE_MAIN, _DOCUMENT_MAIN) if info.filename == "[Content_Types].xml"
                         else data)
    buf.seek(0)
    return buf


# -- page set-up ----------------------------------------------------------------------------------


def keep_sections(body: Any) -> Any:
    """Return the body's final w:sectPr once the earlier sections' headers and footers it inherits are copied in.

    A section without a header or footer of some type shows the previous section's; when the body
    (and the earlier sections with it) is cleared, the final section must hold those itself.
    """
    final = body.find(_W_SECT_PR)
    if final is None:
        final = body.get_or_add_sectPr()
    have = {(e.tag, e.get(_W_TYPE) or "default") for e in final if e.tag in _HDR_FTR_REFS}
    for sect in reversed(body.xpath("./w:p/w:pPr/w:sectPr")):
        for ref in sect:
            key = (ref.tag, ref.get(_W_TYPE) or "default")
            if ref.tag in _HDR_FTR_REFS and key not in have:
                final.insert(0, deepcopy(ref))  # references come first in w:sectPr, in any order
                have.add(key)
    if final.find(qn("w:pgSz")) is None or final.pgSz.w is None:  # Word would assume US Letter
        pg_sz = final.get_or_add_pgSz()
        pg_sz.w, pg_sz.h = Twips(_PAGE_SIZE_A4[0]), Twips(_PAGE_SIZE_A4[1])
    if final.find(qn("w:pgMar")) is None:
        pg_mar = final.get_or_add_pgMar()
        for side in ("top", "right", "bottom", "left"):
            setattr(pg_mar, side, Twips(_MARGIN))
        pg_mar.header, pg_mar.footer, pg_mar.gutter = Twips(709), Twips(709), Twips(0)
    return final


def has_page_numbers(doc: Any, sect_pr: Any) -> bool:
    """Return whether the header or footer of the section's ordinary pages holds a PAGE field.

    A number on the first page alone does not count: the pages after it would have none.
    """
    for part in _story_parts(doc, sect_pr, _HDR_FTR_REFS, types=("default", "even")):
        instructions = [*part.element.xpath(".//w:fldSimple/@w:instr"), *part.element.xpath(".//w:instrText/text()")]
        if any(_PAGE_FIELD.search(str(i)) for i in instructions):
            return True
    return False


def add_page_numbers(doc: Any, sect_pr: Any, styles: Styles) -> None:
    """Add a centred PAGE field to the section's default and even-page footers, making a footer when it has none."""
    style_id = styles.ensure("footer") or ""
    footers = list(_story_parts(doc, sect_pr, (qn("w:footerReference"),), types=("default", "even")))
    if not footers:
        footer = doc.sections[-1].footer
        footer.is_linked_to_previous = False
        footers = [footer.part]
        for p in list(footers[0].element):
            footers[0].element.remove(p)
    for part in footers:
        part.element.append(parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{_attr(style_id)}"/><w:jc w:val="center"/></w:pPr>'
            '<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>'))


def _story_parts(doc: Any, sect_pr: Any, tags: tuple[str, ...], types: Iterable[str] | None = None) -> Iterable[Any]:
    """Return the header/footer parts section `sect_pr` refers to (of `types` when given), each once."""
    seen: set[int] = set()
    rels = doc.part.rels
    for ref in sect_pr:
        if ref.tag not in tags or (types is not None and (ref.get(_W_TYPE) or "default") not in types):
            continue
        rel = rels.get(ref.get(_W_ID) or "")
        if rel is None or rel.is_external or rel.reltype not in (RT.HEADER, RT.FOOTER):
            continue
        part = rel.target_part
        if id(part) not in seen:
            seen.add(id(part))
            yield part


def clear_notes(doc: Any) -> None:
    """Remove the reference's footnotes and endnotes (body content), keeping the separators Word needs."""
    for reltype, tag in ((RT.FOOTNOTES, "w:footnote"), (RT.ENDNOTES, "w:endnote")):
        for rel in doc.part.rels.values():
            if rel.reltype != reltype or rel.is_external:
                continue
            part = rel.target_part  # python-docx reads these parts as plain bytes
            try:
                root = etree.fromstring(part.blob, etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError:
                continue  # unreadable notes stay as they are: nothing in the body refers to them any more
            notes = [n for n in root.findall(qn(tag)) if n.get(_W_TYPE) in (None, "normal")]
            if notes:
                for note in notes:
                    root.remove(note)
                part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
