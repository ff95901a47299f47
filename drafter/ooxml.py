"""With ooxml_reference, the only module that touches python-docx and lxml: comments, packages, safe open."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml.etree import SubElement

from drafter import ooxml_reference as reference_docx
from drafter.errors import DraftError, Problem, TemplateError

# Zip members get this timestamp (the earliest a zip can hold) so the same parts give the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
ZIP_COMPRESSLEVEL = 6
STORED_SUFFIXES = (".png", ".jpeg", ".jpg", ".gif")  # compressed already: stored, not deflated again
CONTENT_TYPES = "[Content_Types].xml"

# Untrusted DOCX files (drafts given to `check`) are refused beyond these sizes.
MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_MEMBERS = 2000

# Body-level relationships that die with the body content when a reference DOCX is cleared.
_BODY_RELTYPES = {RT.IMAGE, RT.HYPERLINK, RT.CHART, RT.OLE_OBJECT, RT.PACKAGE, RT.DIAGRAM_DATA}

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}

# Characters XML 1.0 cannot hold (lxml refuses them); they reach us from spreadsheets and pasted text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

_BREAKS = re.compile(r"(\t|\r\n|\n|\r)")
_W_P, _W_PPR, _W_PSTYLE = qn("w:p"), qn("w:pPr"), qn("w:pStyle")
_W_R, _W_RPR, _W_RSTYLE = qn("w:r"), qn("w:rPr"), qn("w:rStyle")
_W_B, _W_I, _W_T, _W_TAB, _W_BR = (qn(t) for t in ("w:b", "w:i", "w:t", "w:tab", "w:br"))
_W_VAL, _W_ID, _W_TYPE = qn("w:val"), qn("w:id"), qn("w:type")
_W_COMMENT, _W_AUTHOR, _W_DATE, _W_INITIALS = qn("w:comment"), qn("w:author"), qn("w:date"), qn("w:initials")
_W_ANNOTATION_REF, _W_COMMENT_REF = qn("w:annotationRef"), qn("w:commentReference")
_W_RANGE_START, _W_RANGE_END = qn("w:commentRangeStart"), qn("w:commentRangeEnd")
_W_CANT_SPLIT, _W_TBL_HEADER = qn("w:cantSplit"), qn("w:tblHeader")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_WORD_HOW = "Word: Styles pane → New Style"


def pack_zip(members: Mapping[str, bytes]) -> bytes:
    """Return a zip of `members` whose bytes depend only on the members.

    `[Content_Types].xml` comes first (as Word writes it), the rest in sorted order, every
    member with the same timestamp and permissions. XML parts are deflated; media that are
    compressed already (PNG, JPEG, GIF) are stored as they are: for a five-chart briefing,
    deflating its PNGs again took 7.3 ms against 1.3 ms stored, for a file 16% smaller (issue 14).
    """
    names = sorted(members, key=lambda n: (n != CONTENT_TYPES, n))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            method = zipfile.ZIP_STORED if name.lower().endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zf.writestr(info, members[name], compress_type=method, compresslevel=ZIP_COMPRESSLEVEL)
    return buf.getvalue()


def xml_text(text: str) -> str:
    """Return `text` without the control characters XML cannot hold (tab, newline and CR stay)."""
    return _NOT_XML.sub("", text)


def utc_text(when: datetime) -> str:
    """Return `when` as an xsd:dateTime in UTC (`2022-03-30T00:00:00Z`); a naive value is taken as UTC."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _naive_utc(when: datetime) -> datetime:
    """Return `when` as a naive UTC datetime (python-docx writes naive values with a Z)."""
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def _add_run(parent: Any, text: str, bold: bool = False, italic: bool = False) -> Any:
    """Return a new w:r of `text` at the end of `parent`; a newline becomes a line break, a tab a tab."""
    r = SubElement(parent, _W_R)
    if bold or italic:
        r_pr = SubElement(r, _W_RPR)
        if bold:
            SubElement(r_pr, _W_B)
        if italic:
            SubElement(r_pr, _W_I)
    for piece in _BREAKS.split(xml_text(text)):
        if not piece:
            continue
        if piece == "\t":
            SubElement(r, _W_TAB)
        elif piece in ("\n", "\r", "\r\n"):
            SubElement(r, _W_BR)
        else:
            t = SubElement(r, _W_T)
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set(_XML_SPACE, "preserve")
    return r


def _add_comment(
    comments: Any, cid: str, first: Any, last: Any, text: str, author: str, initials: str, date: datetime | None,
    styles: tuple[str, str] = ("CommentText", "CommentReference"),
) -> None:
    """Add comment `cid` to w:comments and anchor it from run `first` to run `last`; no `date` leaves it undated.

    `styles` are the ids of the comment text (paragraph) and comment mark (character) styles.
    """
    text_style, ref_style = styles
    attrs = {_W_ID: cid, _W_AUTHOR: xml_text(author)}
    if date is not None:
        attrs[_W_DATE] = utc_text(date)
    attrs[_W_INITIALS] = xml_text(initials)
    elm = SubElement(comments, _W_COMMENT, attrs)
    for index, line in enumerate(text.split("\n")):
        p = SubElement(elm, _W_P)
        SubElement(SubElement(p, _W_PPR), _W_PSTYLE, {_W_VAL: text_style})
        if index == 0:  # Word's mark for the comment, as Word itself writes it
            ref = SubElement(p, _W_R)
            SubElement(SubElement(ref, _W_RPR), _W_RSTYLE, {_W_VAL: ref_style})
            SubElement(ref, _W_ANNOTATION_REF)
        if line:
            _add_run(p, line)
    first.addprevious(first.makeelement(_W_RANGE_START, {_W_ID: cid}))
    ref = last.makeelement(_W_R, {})
    SubElement(SubElement(ref, _W_RPR), _W_RSTYLE, {_W_VAL: ref_style})
    SubElement(ref, _W_COMMENT_REF, {_W_ID: cid})
    last.addnext(ref)
    last.addnext(last.makeelement(_W_RANGE_END, {_W_ID: cid}))


def _package_bytes(doc: Any, prepare: Callable[[], None] | None = None) -> bytes:
    """Return the bytes of python-docx document `doc` (see `pack_zip`); `prepare` runs before the parts are read."""
    package = doc.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    if prepare is not None:
        prepare()
    members: dict[str, bytes] = {
        CONTENT_TYPES: _ContentTypesItem.from_parts(parts).blob,
        PACKAGE_URI.rels_uri.membername: package.rels.xml,
    }
    for part in parts:
        members[part.partname.membername] = part.blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    return pack_zip(members)


class DocxBuilder:
    """A DOCX under construction on top of a reference DOCX whose styles it uses by name.

    The builder hands back python-docx objects as opaque handles: callers pass them back in and
    never call their methods, so that python-docx stays behind this module.
    """

    def __init__(self, reference: Path):
        self.reference = Path(reference)
        self._doc = _open_reference(self.reference)
        self._body = self._doc.element.body
        self._sect_pr = reference_docx.keep_sections(self._body)
        self._clear_body()
        self._styles = reference_docx.Styles(self._doc)
        self._notes: list[str] = []
        if not reference_docx.has_page_numbers(self._doc, self._sect_pr):
            reference_docx.add_page_numbers(self._doc, self._sect_pr, self._styles)
            self._notes.append("the reference DOCX has no page numbers; drafter added a footer with them")
        if self._styles.ensure_paragraph_spacing():
            self._notes.append("the reference DOCX's Normal style sets no space after paragraphs; drafter used 8 pt")
        self._comments_elm: Any = None
        self._next_comment_id = 0

    @property
    def notes(self) -> list[str]:
        """Return what drafter had to add to the reference DOCX (derived styles, page numbers), one line each."""
        derived = self._styles.note()
        return ([derived] if derived else []) + self._notes

    # -- styles --------------------------------------------------------------------------------

    def style_id(self, name: str, kind: str = "paragraph") -> str:
        """Return the style id for style `name` of `kind` ('paragraph', 'table' or 'character').

        A style drafter needs that the reference lacks (Date, Title, Table Grid...) is derived from
        the reference's own Normal and heading styles. Raises TemplateError naming the style and the
        reference file when it is missing and not one drafter can derive.
        """
        found = self._styles.ensure(name, kind)
        if found is not None:
            return found
        raise self._missing([(name, kind)])

    def require_styles(self, needed: Iterable[tuple[str, str]]) -> None:
        """Derive the (name, kind) styles drafter knows; raise one TemplateError listing any other missing."""
        missing = [(n, k) for n, k in dict.fromkeys(needed) if self._styles.ensure(n, k) is None]
        if missing:
            raise self._missing(missing)

    def _missing(self, missing: list[tuple[str, str]]) -> TemplateError:
        """Return the TemplateError for styles missing from the reference DOCX."""
        problems = []
        index = self._styles.index
        for name, kind in missing:
            have = sorted(n for (k, n), _ in index.items() if k == kind)
            other = [k for (k, n) in index if n == name.casefold() and k != kind]
            found = f"a {other[0]} style named {name!r}" if other else f"{kind} styles: {', '.join(have) or 'none'}"
            problems.append(
                Problem(
                    f"the reference DOCX has no {kind} style named {name!r}",
                    path=str(self.reference),
                    found=found,
                    expected=f"a {kind} style named {name!r}",
                    hint=f"add a {kind} style named {name!r} to your reference DOCX ({_WORD_HOW})",
                )
            )
        return TemplateError(problems)

    # -- content -------------------------------------------------------------------------------
    #
    # Paragraphs, runs and comments are built as elements directly: python-docx's proxies insert
    # children in schema order and write text one character at a time, which made them most of
    # the cost of a letter. Tables and pictures, which are few, go through python-docx.

    def paragraph(self, style_id: str | None = None, align: str = "") -> Any:
        """Return a new paragraph at the end of the body with style `style_id` (None: Normal)."""
        p = self._body.makeelement(_W_P, {})
        if self._sect_pr is not None:
            self._sect_pr.addprevious(p)
        else:
            self._body.append(p)
        if style_id:
            p_pr = SubElement(p, _W_PPR)
            SubElement(p_pr, _W_PSTYLE, {_W_VAL: style_id})
        if align:
            self.align(p, align)
        return p

    def align(self, para: Any, align: str) -> None:
        """Align `para` 'left', 'right' or 'center' (anything else leaves the style's alignment)."""
        if align in _ALIGN:
            para.get_or_add_pPr().jc_val = _ALIGN[align]

    def run(self, para: Any, text: str, bold: bool = False, italic: bool = False) -> Any:
        """Return a new run of `text` at the end of `para`; a newline becomes a line break, a tab a tab."""
        return _add_run(para, text, bold, italic)

    def comment(self, runs: Sequence[Any], text: str, author: str, initials: str, date: datetime) -> None:
        """Anchor a Word comment on `runs` (first to last); each line of `text` is one comment paragraph.

        The comment is dated `date` (python-docx would stamp the current time) so bytes are reproducible.
        """
        comments = self._comments()
        cid = str(self._next_comment_id)
        self._next_comment_id += 1
        styles = (self._styles.ensure("annotation text") or "", self._styles.ensure("annotation reference", "character")
                  or "")
        _add_comment(comments, cid, runs[0], runs[-1], text, author, initials, date, styles)

    def _comments(self) -> Any:
        """Return the w:comments element, creating the comments part on first use."""
        if self._comments_elm is None:
            self._comments_elm = self._doc.part._comments_part.element
            ids = [int(i) for i in self._comments_elm.xpath("./w:comment/@w:id") if i.isdigit()]
            self._next_comment_id = max(ids, default=-1) + 1
        return self._comments_elm

    def table(self, n_rows: int, n_cols: int, style_id: str | None, header_rows: int = 1,
              widths: list[float] | None = None, keep_rows: bool = False) -> list[list[Any]]:
        """Return the first paragraph of every cell of a new table, row by row.

        The first `header_rows` rows repeat at the top of each page and never split; with
        `keep_rows` no other row splits across a page either. `widths` gives each column's share of
        the text width (None: equal columns).
        """
        table = self._doc.add_table(rows=n_rows, cols=n_cols)
        if style_id:
            table._tbl.tblPr.style = style_id
        if widths:
            section = self._doc.sections[-1]
            text_width = section.page_width - section.left_margin - section.right_margin
            table.autofit = False
            sizes = [int(text_width * share) for share in widths]
            for column, width in zip(table.columns, sizes, strict=False):
                column.width = width
            for tr in table._tbl.tr_lst:  # each cell as python-docx's cell.width does, without its grid walk
                for tc, width in zip(tr.tc_lst, sizes, strict=False):
                    tc.width = width
        grid = []
        for index, tr in enumerate(table._tbl.tr_lst):
            if index < header_rows or keep_rows:
                tr_pr = tr.get_or_add_trPr()
                SubElement(tr_pr, _W_CANT_SPLIT)
                if index < header_rows:
                    SubElement(tr_pr, _W_TBL_HEADER)
            grid.append([tc.p_lst[0] for tc in tr.tc_lst])
        return grid

    def picture(self, png: bytes, width_cm: float, alt: str, title: str = "") -> Any:
        """Return a new paragraph holding a PNG `width_cm` wide, with `alt` as its alternative text."""
        para = self._doc.add_paragraph()
        shape = para.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", xml_text(alt))
        doc_pr.set("title", xml_text(title or alt))
        # Keep a figure on the same page as its caption.
        para.paragraph_format.keep_with_next = True
        return para._p

    def page_break(self) -> None:
        """Add a paragraph holding only a page break."""
        r = SubElement(self.paragraph(), _W_R)
        SubElement(r, _W_BR, {_W_TYPE: "page"})

    def set_properties(self, title: str, author: str, subject: str, keywords: str, created: datetime) -> None:
        """Set the core properties; created and modified both become `created` so bytes are reproducible."""
        props = self._doc.core_properties
        props.title = xml_text(title)
        props.author = xml_text(author)
        props.subject = xml_text(subject)
        props.keywords = xml_text(keywords)
        props.created = _naive_utc(created)
        props.modified = _naive_utc(created)
        props.last_modified_by = "drafter"
        props.revision = 1

    # -- output --------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """Return the finished DOCX as bytes that depend only on what was added."""
        return _package_bytes(self._doc, self._strip_rsids)

    # -- internals -----------------------------------------------------------------------------

    def _clear_body(self) -> None:
        """Remove the reference's body content (keeping its section settings), notes, comments and body media."""
        body = self._doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
        part = self._doc.part
        for r_id, rel in list(part.rels.items()):
            if rel.reltype in _BODY_RELTYPES:
                part.drop_rel(r_id)
            elif rel.reltype == RT.COMMENTS:
                comments = rel.target_part.element
                for elm in list(comments):
                    comments.remove(elm)
        reference_docx.clear_notes(self._doc)
        package_rels = self._doc.part.package.rels
        for r_id, rel in list(package_rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # a picture of the reference's own first page
                package_rels.pop(r_id)

    def _strip_rsids(self) -> None:
        """Remove revision-session ids, which carry no content and differ between Word sessions."""
        for elm in self._doc.element.xpath(".//*[@*[starts-with(local-name(), 'rsid')]]"):
            for key in [k for k in elm.attrib if k.split("}")[-1].startswith("rsid")]:
                del elm.attrib[key]
        settings = self._doc.settings.element
        for rsids in settings.findall(qn("w:rsids")):
            settings.remove(rsids)


def _check_reference(path: Path) -> None:
    """Raise TemplateError for a reference DOCX beyond the bounds: file size, entries, unzipped size, part size."""
    from drafter.errors import DrafterError
    from drafter.files import note_input, require_regular
    from drafter.limits import limit

    try:
        size = require_regular(path, "reference DOCX").st_size
    except DrafterError as exc:
        raise TemplateError(exc.problems) from None
    note_input(path)
    problem = None
    if size > limit("reference_docx_bytes"):
        problem = f"the file is {size:,} bytes, more than {limit('reference_docx_bytes'):,}"
    else:
        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return  # python-docx reports what it cannot open
        biggest = max(infos, key=lambda i: i.file_size, default=None)
        if len(infos) > limit("docx_entries"):
            problem = f"{len(infos):,} zip entries, more than {limit('docx_entries'):,}"
        elif sum(i.file_size for i in infos) > limit("reference_unzipped_bytes"):
            problem = f"it unpacks to more than {limit('reference_unzipped_bytes'):,} bytes"
        elif biggest is not None and biggest.file_size > limit("reference_part_bytes"):
            problem = f"the part {biggest.filename} is {biggest.file_size:,} bytes unpacked"
    if problem:
        raise TemplateError(Problem("the reference DOCX is too large", path=str(path), found=problem,
                                    expected="a DOCX holding styles and a logo or two",
                                    hint="remove large images or embedded objects from the reference document"))


def _open_reference(path: Path) -> Any:
    """Return the python-docx Document for reference DOCX `path`, or raise TemplateError."""
    if path.exists() and not path.is_dir():
        _check_reference(path)
    if not path.is_file():
        raise TemplateError(
            Problem(
                "reference DOCX not found",
                path=str(path),
                hint="give the path of a .docx whose styles the output should use",
            )
        )
    try:
        doc = docx.Document(reference_docx.as_document(path))
        check_document_shape(doc, str(path))
        return doc
    except DraftError as exc:
        raise TemplateError(exc.problems) from None
    except Exception as exc:  # python-docx raises several types for a file that is not a DOCX
        raise TemplateError(
            Problem(
                "reference file is not a Word document",
                path=str(path),
                found=f"{type(exc).__name__}: {exc}",
                expected="a .docx or .dotx file saved by Word or LibreOffice",
                hint="save the reference document as Word Document (*.docx)",
            )
        ) from None


def open_docx(data: bytes, source: str = "<docx>") -> Any:
    """Return a python-docx Document for untrusted DOCX `data`, after bounding its size.

    Refuses (DraftError) files over MAX_DOCX_BYTES, zips that unpack beyond MAX_UNZIPPED_BYTES or
    hold more than MAX_MEMBERS members, and anything that is not a DOCX. python-docx parses with
    `resolve_entities=False`, so XML entities are never expanded.
    """
    if len(data) > MAX_DOCX_BYTES:
        raise DraftError(Problem("file is too large", path=source, found=f"{len(data)} bytes"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise DraftError(Problem("not a DOCX file (not a zip archive)", path=source)) from None
    unzipped = sum(i.file_size for i in infos)
    if len(infos) > MAX_MEMBERS or unzipped > MAX_UNZIPPED_BYTES:
        raise DraftError(
            Problem("DOCX unpacks to too much data", path=source, found=f"{len(infos)} members, {unzipped} bytes")
        )
    try:
        doc = docx.Document(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - python-docx and lxml raise many types for a broken file
        raise DraftError(
            Problem("not a readable Word document (DOCX)", path=source, found=f"{type(exc).__name__}: {exc}"[:300],
                    expected="a .docx file saved by Word or LibreOffice",
                    hint="open it in Word and save it again as 'Word Document (*.docx)'")
        ) from None
    check_document_shape(doc, source)
    return doc


def check_document_shape(doc: Any, source: str) -> None:
    """Raise DraftError unless the main part is a w:document with a w:body and a bounded number of elements."""
    from drafter.limits import limit

    root = doc.element
    tag = root.tag if isinstance(root.tag, str) else ""
    body = root.find(qn("w:body")) if tag == qn("w:document") else None
    if body is None:
        found = "a document part without a body" if tag == qn("w:document") else f"a main part whose root is {tag!r}"
        raise DraftError(Problem("not a readable Word document: its main part is not a Word document body",
                                 path=source, where="word/document.xml", found=found[:200],
                                 expected="<w:document> holding a <w:body>",
                                 hint="open it in Word and save it again as 'Word Document (*.docx)'"))
    most, runs_most = limit("docx_elements"), limit("docx_runs_per_paragraph")
    count = 0
    paragraph = 0
    for elm in body.iter():
        count += 1
        if count > most:
            raise DraftError(Problem("the Word document has too many elements to be a draft", path=source,
                                     where="word/document.xml", found=f"more than {most:,} XML elements",
                                     expected=f"at most {most:,}", hint="check that this is the right file"))
        if elm.tag == _W_P:
            paragraph += 1
            runs = sum(1 for _ in elm.iter(_W_R))
            if runs > runs_most:
                raise DraftError(Problem(f"paragraph {paragraph} of the Word document has {runs:,} runs",
                                         path=source, where=f"paragraph {paragraph}",
                                         expected=f"at most {runs_most:,} runs in a paragraph",
                                         hint="a paragraph Word writes has at most a few hundred runs; "
                                              "copy its text into a new document"))


# ---------------------------------------------------------------- annotating a draft with comments

# What a paragraph's text is made of, as the checker reads it (drafter.check.read): run text, tabs
# and breaks as spaces, non-breaking hyphens as hyphens; never deleted text, field codes or text boxes.
_W_TBL, _W_TR, _W_TC = qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_SDT, _W_SDT_CONTENT = qn("w:sdt"), qn("w:sdtContent")
_W_CR, _W_NBH = qn("w:cr"), qn("w:noBreakHyphen")
_NOT_TEXT = {qn(f"w:{n}") for n in ("del", "moveFrom", "instrText", "delText", "txbxContent", "footnoteReference")}
_AS_SPACE = {_W_TAB, _W_BR, _W_CR}


@dataclass(frozen=True)
class Annotation:
    """A comment for `annotate_docx`: its text, and where it goes.

    `paragraph` is the 1-based number of a body paragraph, counted as the checker counts them
    (every w:p in document order, empty ones and those in table cells included). The comment is
    anchored on the first stretch of that paragraph's text equal to `span` (a sentence), or on
    the whole paragraph when `span` is empty or not found.
    """

    paragraph: int
    span: str
    text: str


def annotate_docx(
    data: bytes,
    annotations: Sequence[Annotation],
    source: str = "<docx>",
    author: str = "drafter",
    initials: str = "DR",
    date: datetime | None = None,
) -> tuple[bytes, int]:
    """Return a copy of DOCX `data` with each annotation as a Word comment, and the number anchored.

    The document is otherwise as it was: runs are split only where a sentence starts or ends
    inside one, and existing comments keep their ids. Comments carry no date unless `date` is
    given, so the same input gives the same bytes. An annotation whose paragraph does not exist
    or holds no text is left out of the count. Raises DraftError for data that is not a DOCX.
    """
    doc = open_docx(data, source)
    paragraphs = body_paragraphs(doc.element.body)
    by_paragraph: dict[int, list[Annotation]] = {}
    for note in annotations:
        if 1 <= note.paragraph <= len(paragraphs):
            by_paragraph.setdefault(note.paragraph, []).append(note)
    comments: Any = None
    next_id = 0
    anchored = 0
    for number in sorted(by_paragraph):
        p = paragraphs[number - 1]
        notes = by_paragraph[number]
        spans = [_locate(paragraph_text(p), note.span) for note in notes]
        for boundary in sorted({b for span in spans if span for b in span}):
            _split_at(p, boundary)
        runs = _text_runs(p)
        for note, span in zip(notes, spans, strict=True):
            if span is None:
                continue
            covered = [r for r, start, end in runs if start < span[1] and end > span[0]]
            if not covered:
                continue
            if comments is None:
                comments = doc.part._comments_part.element
                used = [*comments.xpath("./w:comment/@w:id"), *doc.element.body.xpath(".//w:commentRangeStart/@w:id")]
                next_id = max((int(i) for i in used if str(i).isdigit()), default=-1) + 1
            _add_comment(comments, str(next_id), covered[0], covered[-1], note.text, author, initials, date)
            next_id += 1
            anchored += 1
    return _package_bytes(doc), anchored


def body_paragraphs(body: Any) -> list[Any]:
    """Return the w:p elements of a document body, in the order the checker numbers them (table cells included)."""
    out: list[Any] = []

    def walk(container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == _W_P:
                out.append(child)
            elif child.tag == _W_TBL:
                for tr in child.iterchildren(_W_TR):
                    for tc in _row_cells(tr):
                        walk(tc)
            elif child.tag == _W_SDT:
                content = child.find(_W_SDT_CONTENT)
                if content is not None:
                    walk(content)

    walk(body)
    return out


def _row_cells(tr: Any) -> list[Any]:
    cells = []
    for child in tr.iterchildren():
        if child.tag == _W_TC:
            cells.append(child)
        elif child.tag == _W_SDT:
            content = child.find(_W_SDT_CONTENT)
            if content is not None:
                cells.extend(content.iterchildren(_W_TC))
    return cells


def _text_pieces(p: Any) -> list[tuple[Any, str]]:
    """Return (run, text) for each piece of a paragraph's visible text, in order."""
    pieces: list[tuple[Any, str]] = []

    def visit(elm: Any, run: Any) -> None:
        for child in elm.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_TEXT or tag == _W_P:
                continue
            if tag == _W_R:
                visit(child, child)
            elif tag == _W_T:
                pieces.append((run, child.text or ""))
            elif tag in _AS_SPACE:
                pieces.append((run, " "))
            elif tag == _W_NBH:
                pieces.append((run, "-"))
            else:
                visit(child, run)

    visit(p, None)
    return pieces


def paragraph_text(p: Any) -> str:
    """Return the visible text of w:p element `p`, as the checker reads it (before stripping)."""
    return "".join(text for _, text in _text_pieces(p))


def _text_runs(p: Any) -> list[tuple[Any, int, int]]:
    """Return (run, start, end) for each run holding text, with its character offsets in the paragraph text."""
    runs: list[tuple[Any, int, int]] = []
    offset = 0
    for run, text in _text_pieces(p):
        if run is not None and text:
            if runs and runs[-1][0] is run:
                runs[-1] = (run, runs[-1][1], offset + len(text))
            else:
                runs.append((run, offset, offset + len(text)))
        offset += len(text)
    return runs


def _locate(raw: str, span: str) -> tuple[int, int] | None:
    """Return the offsets in `raw` of the first occurrence of `span` (of the stripped text when no span fits)."""
    lead = len(raw) - len(raw.lstrip())
    stripped = raw.strip()
    if not stripped:
        return None
    at = stripped.find(span) if span else -1
    if at < 0:
        return lead, lead + len(stripped)
    return lead + at, lead + at + len(span)


def _split_at(p: Any, offset: int) -> None:
    """Split the run that holds character `offset` of the paragraph's text in two there (no-op at a run edge)."""
    for run, start, end in _text_runs(p):
        if start < offset < end:
            _split_run(run, offset - start)
            return


def _split_run(run: Any, k: int) -> bool:
    """Split w:r `run` after its first `k` characters into two runs with the same properties; False when it cannot."""
    children = [c for c in run if c.tag != _W_RPR]
    lengths = []
    for child in children:
        if child.tag == _W_T:
            lengths.append(len(child.text or ""))
        elif child.tag in _AS_SPACE or child.tag == _W_NBH:
            lengths.append(1)
        elif child.tag in _NOT_TEXT or not any(True for _ in child.iter(_W_T, _W_TAB, _W_BR, _W_CR, _W_NBH)):
            lengths.append(0)
        else:
            return False  # text nested inside something else: leave the run whole
    right = deepcopy(run)
    right_children = [c for c in right if c.tag != _W_RPR]
    pos = 0
    for left_child, right_child, length in zip(children, right_children, lengths, strict=True):
        end = pos + length
        if end <= k and not (length == 0 and pos >= k):
            right.remove(right_child)
        elif pos >= k:
            run.remove(left_child)
        else:  # a w:t straddling the split
            text = left_child.text or ""
            left_child.text, right_child.text = text[: k - pos], text[k - pos :]
            for elm in (left_child, right_child):
                if elm.text and (elm.text[0].isspace() or elm.text[-1].isspace()):
                    elm.set(_XML_SPACE, "preserve")
        pos = end
    run.addnext(right)
    return True
