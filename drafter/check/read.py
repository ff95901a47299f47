"""Read a draft (DOCX, Markdown or plain text) into located paragraphs, bounded and without resolving XML entities."""

from __future__ import annotations

import bisect
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from drafter.errors import DrafterError, DraftError, Problem
from drafter.files import read_bytes_bounded

# Bounds for untrusted drafts: the file, the number of zip members, and what they unpack to.
MAX_DRAFT_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Bounds on the text of plain-text and Markdown drafts: a text draft is read at about a megabyte a
# second; Markdown is parsed first (markdown-it-py), which costs seconds a megabyte on dense markup.
MAX_TEXT_CHARS = 2_000_000
MAX_MARKDOWN_CHARS = 200_000
_FIND_REACH = 1_000  # characters after the cursor in which an inline piece is looked for in its source

FORMATS = {".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text"}
_OTHER_FORMATS = {
    ".doc": "save it from Word as 'Word Document (*.docx)'",
    ".odt": "save it as 'Word Document (*.docx)' (LibreOffice: File > Save As)",
    ".rtf": "save it as 'Word Document (*.docx)'",
    ".pdf": "check the document it came from, or copy its text into a .txt file",
    ".html": "save the text as Markdown (.md) or plain text (.txt)",
    ".htm": "save the text as Markdown (.md) or plain text (.txt)",
}

Kind = Literal["paragraph", "heading", "list_item", "table_cell"]

# `<!-- drafter: ignore QNT01, quantifier -->` in Markdown or text; `drafter: ignore ...` in a Word comment.
DIRECTIVE = re.compile(r"drafter:\s*ignore\b([^\n>]*)", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
ALL_CODES = "all"


def directive_codes(text: str) -> frozenset[str] | None:
    """Return the codes a `drafter: ignore CODE[,CODE]` directive names ({'all'} when it names none), or None."""
    m = DIRECTIVE.search(text)
    if not m:
        return None
    rest = m.group(1).replace("-->", "")
    codes = frozenset(c for c in re.split(r"[\s,;]+", rest.strip()) if c)
    return codes or frozenset({ALL_CODES})


@dataclass(frozen=True)
class Location:
    """Where something is in a draft, as precisely as its format allows.

    Markdown and text give a 1-based `line` and `column`. DOCX gives the 1-based `paragraph`
    number (every `w:p` of the body counted in document order, empty ones and those inside table
    cells included) and, inside a table, the 1-based `table`, `row` and `cell` numbers.
    """

    line: int | None = None
    column: int | None = None
    paragraph: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None

    def describe(self) -> str:
        """Return the location for a report line: `12:5`, `paragraph 12` or `table 2, row 3, cell 1 (paragraph 40)`."""
        if self.line is not None:
            return f"{self.line}:{self.column or 1}"
        if self.table is not None:
            return f"table {self.table}, row {self.row}, cell {self.cell} (paragraph {self.paragraph})"
        if self.paragraph is not None:
            return f"paragraph {self.paragraph}"
        return ""


@dataclass(frozen=True)
class AttrSpan:
    """A Markdown attribute span (`[text]{.finding rule=CL001}`): its offsets in the paragraph text, its attributes."""

    start: int
    end: int
    attrs: tuple[tuple[str, str], ...]

    def get(self, name: str, default: str | None = None) -> str | None:
        """Return the value of attribute `name` ("class" holds the classes), or `default`."""
        return next((v for k, v in self.attrs if k == name), default)


@dataclass(frozen=True)
class Paragraph:
    """One block of a draft's text: a paragraph, heading, list item or table-cell paragraph.

    `text` is the plain text (Markdown syntax and attribute spans removed, line breaks joined by
    spaces). `anchors` maps text offsets back to the source for Markdown and text: each entry is
    (offset in `text`, line, column), and text after an anchor follows it on the same line.
    `ignore` holds the codes of `drafter: ignore` directives that apply to the paragraph. `spans`
    are the Markdown attribute spans in it (drafter's own output marks each finding sentence with
    its rule id this way).
    """

    text: str
    kind: Kind = "paragraph"
    location: Location = field(default_factory=Location)
    index: int = 0
    ignore: frozenset[str] = frozenset()
    level: int | None = None
    anchors: tuple[tuple[int, int, int], ...] = ()
    spans: tuple[AttrSpan, ...] = ()

    @classmethod
    def from_text(cls, text: str, *, line: int = 1, column: int = 1, kind: Kind = "paragraph") -> Paragraph:
        """Return a paragraph for a string (lines joined by spaces), located from `line`:`column`."""
        parts = text.split("\n")
        anchors, offset, pieces = [], 0, []
        for i, part in enumerate(parts):
            anchors.append((offset, line + i, (column if i == 0 else 1)))
            pieces.append(part)
            offset += len(part) + 1
        return cls(" ".join(pieces), kind, Location(line=line, column=column), anchors=tuple(anchors))

    def locate(self, offset: int) -> Location:
        """Return the location of character `offset` of `text` (the paragraph's own location for DOCX)."""
        if not self.anchors:
            return self.location
        i = bisect.bisect_right(self._anchor_offsets, offset) - 1
        start, line, column = self.anchors[max(i, 0)]
        return Location(line=line, column=column + max(offset - start, 0))

    @cached_property
    def _anchor_offsets(self) -> list[int]:
        return [a[0] for a in self.anchors]


@dataclass(frozen=True)
class Directive:
    """A `drafter: ignore` directive found in a draft: the codes it names and where it stands."""

    codes: frozenset[str]
    location: Location
    text: str


@dataclass(frozen=True)
class Draft:
    """A draft read for checking: its paragraphs in document order and the directives found."""

    path: str
    format: Literal["docx", "markdown", "text"]
    paragraphs: tuple[Paragraph, ...]
    directives: tuple[Directive, ...] = ()


def read_draft(path: Path | str) -> Draft:
    """Return the draft at `path` (.docx, .md or .txt) as located paragraphs.

    Raises DraftError (with the path, what was found, what was expected and a hint) for a missing
    file, a folder, an unsupported extension, a file over MAX_DRAFT_BYTES, a DOCX that is not a
    valid zip or unpacks beyond the bounds or declares a DOCTYPE/ENTITY, and text that is not UTF-8.
    """
    path = Path(path)
    shown = str(path)
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if not path.exists():
        raise DraftError(Problem(f"no such file: {shown}", path=shown, hint="check the path and the file name"))
    if path.is_dir():
        raise DraftError(
            Problem(
                f"{shown} is a folder, not a draft",
                path=shown,
                expected="a .docx, .md or .txt file",
                hint=f"name a file inside it, e.g. {shown.rstrip('/')}/letter.docx",
            )
        )
    if fmt is None:
        raise DraftError(
            Problem(
                f"cannot read {suffix or 'files without an extension'} drafts",
                path=shown,
                found=suffix or "no extension",
                expected="a .docx, .md (Markdown) or .txt (plain text) file",
                hint=_OTHER_FORMATS.get(suffix, "save the draft as .docx, .md or .txt"),
            )
        )
    size = path.stat().st_size
    if size > MAX_DRAFT_BYTES:
        raise DraftError(
            Problem(
                "the file is too large to be a draft",
                path=shown,
                found=f"{size:,} bytes",
                expected=f"at most {MAX_DRAFT_BYTES:,} bytes",
                hint="check that this is the right file; split very long documents",
            )
        )
    try:
        data = read_bytes_bounded(path, MAX_DRAFT_BYTES)  # bounded again: the file may grow after stat()
    except DrafterError as exc:
        raise DraftError(exc.problems) from None
    if fmt == "docx":
        draft = _read_docx(data, shown)
    else:
        text = _decode(data, shown, fmt)
        draft = _read_markdown(text, shown) if fmt == "markdown" else _read_text(text, shown)
    return _bounded(draft)


def _bounded(draft: Draft) -> Draft:
    """Return the draft, refusing (DraftError) one with more paragraphs than a report has."""
    from drafter.limits import limit

    most = limit("draft_paragraphs")
    if len(draft.paragraphs) > most:
        extra = draft.paragraphs[most]
        raise DraftError(Problem(f"the draft has more than {most:,} paragraphs", path=draft.path,
                                 line=extra.location.line, column=extra.location.column,
                                 where="" if extra.location.line else extra.location.describe(),
                                 found=f"{len(draft.paragraphs):,} paragraphs", expected=f"at most {most:,}",
                                 hint="check that this is the right file; split very long documents"))
    return draft


# ---------------------------------------------------------------- text and Markdown


def _decode(data: bytes, shown: str, fmt: str) -> str:
    what = "Markdown" if fmt == "markdown" else "text"
    if data[:2] == b"PK":
        raise DraftError(
            Problem(
                f"the file is a zip archive (perhaps a Word document), not {what}",
                path=shown,
                found="a zip header",
                expected=f"UTF-8 {what}",
                hint="give Word documents the .docx extension",
            )
        )
    if b"\x00" in data:
        offset = data.index(b"\x00")
        raise DraftError(
            Problem(
                f"the file holds binary data, not {what}",
                path=shown,
                line=data[:offset].count(b"\n") + 1,
                found=f"a NUL byte at byte {offset}",
                expected=f"UTF-8 {what}",
                hint="save the draft as .docx, or as plain text with UTF-8 encoding",
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise DraftError(
            Problem(
                "the file is not UTF-8 text",
                path=shown,
                line=line,
                column=column,
                found=f"byte 0x{data[exc.start]:02x}",
                expected="UTF-8 encoded text",
                hint="re-save the file as UTF-8 (Notepad or Word: Save As, encoding UTF-8)",
            )
        ) from None


# A line that starts a new paragraph inside a run of lines: a bullet, or a numbered paragraph label.
_ITEM_START = re.compile(r"\s*(?:[-*•◼▪●■◦○–](?=\s)|\d{1,3}(?:\.\d{1,3})*[.)](?=\s))")
_BULLET_START = re.compile(r"\s*[-*•◼▪●■◦○–](?=\s)")


def _refuse_long(text: str, shown: str, limit: int, what: str, hint: str) -> None:
    """Raise DraftError when a draft's text is longer than `limit` characters."""
    if len(text) > limit:
        raise DraftError(
            Problem(
                f"the {what} draft is too long to check",
                path=shown,
                found=f"{len(text):,} characters",
                expected=f"at most {limit:,} characters (a 36,000-character inspection report is long)",
                hint=hint,
            )
        )


def _read_text(text: str, shown: str) -> Draft:
    _refuse_long(text, shown, MAX_TEXT_CHARS, "text", "check that this is the right file; split it and check the parts")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs: list[Paragraph] = []
    directives: list[Directive] = []
    pending: frozenset[str] = frozenset()
    block: list[tuple[int, str]] = []  # (1-based line number, line)

    def flush() -> None:
        nonlocal pending
        if block:
            paragraphs.append(_text_paragraph(block, len(paragraphs), pending))
            pending = frozenset()
            block.clear()

    for number, line in enumerate(lines, 1):
        stripped = line.strip()
        comment = _HTML_COMMENT.fullmatch(stripped)
        if comment:
            flush()
            codes = directive_codes(comment.group(1))
            if codes is not None:
                col = line.index("<!--") + 1
                directives.append(Directive(codes, Location(line=number, column=col), stripped))
                pending = pending | codes
            continue
        if not stripped:
            flush()
            continue
        if block and _ITEM_START.match(line):
            flush()
        block.append((number, line))
    flush()
    return Draft(shown, "text", tuple(paragraphs), tuple(directives))


def _text_paragraph(block: list[tuple[int, str]], index: int, ignore: frozenset[str]) -> Paragraph:
    pieces: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    offset = 0
    for number, line in block:
        body = line.rstrip()
        lead = len(body) - len(body.lstrip())
        body = body.lstrip()
        glue = ""
        if pieces:
            # A word broken over two lines ("decision-" / "making") is joined without a space.
            glue = "" if re.search(r"[^\W\d]-$", pieces[-1]) and body[:1].islower() else " "
        offset += len(glue)
        anchors.append((offset, number, lead + 1))
        pieces.append(glue + body if pieces else body)
        offset += len(body)
    text = "".join(pieces)
    kind: Kind = "list_item" if _BULLET_START.match(block[0][1]) else "paragraph"
    first = block[0]
    loc = Location(line=first[0], column=len(first[1]) - len(first[1].lstrip()) + 1)
    return Paragraph(text, kind, loc, index, ignore, None, tuple(anchors))


def _markdown_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin

    return MarkdownIt("commonmark").use(attrs_plugin, spans=True).enable("table")


_MD: Any = None


def _read_markdown(text: str, shown: str) -> Draft:
    global _MD
    _refuse_long(text, shown, MAX_MARKDOWN_CHARS, "Markdown",
                 "the Markdown parser alone would take seconds; save the draft as plain text (.txt) or split it")
    if _MD is None:
        _MD = _markdown_parser()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    tokens = _MD.parse(text)
    paragraphs: list[Paragraph] = []
    directives: list[Directive] = []
    pending: frozenset[str] = frozenset()
    context: list[str] = []  # open block tags: heading, li, td/th, blockquote...
    heading_level: int | None = None
    for tok in tokens:
        if tok.type == "html_block":
            for m in _HTML_COMMENT.finditer(tok.content):
                codes = directive_codes(m.group(1))
                if codes is not None:
                    line = (tok.map[0] + 1) if tok.map else None
                    directives.append(Directive(codes, Location(line=line, column=1), m.group(0)))
                    pending = pending | codes
            continue
        if tok.nesting == 1:
            context.append(tok.tag)
            if tok.type == "heading_open":
                heading_level = int(tok.tag[1:])
            continue
        if tok.nesting == -1:
            if context:
                context.pop()
            continue
        if tok.type != "inline" or tok.map is None:
            continue
        kind: Kind = "paragraph"
        level = None
        if context and context[-1].startswith("h") and context[-1][1:].isdigit():
            kind, level = "heading", heading_level
        elif any(t in ("td", "th") for t in context):
            kind = "table_cell"
        elif "li" in context:
            kind = "list_item"
        plain, anchors, inline_codes, inline_directives, spans = _inline_text(tok, lines)
        directives.extend(inline_directives)
        lead = len(plain) - len(plain.lstrip())
        plain, anchors = _strip(plain, anchors)
        if lead:
            spans = [AttrSpan(max(s.start - lead, 0), max(s.end - lead, 0), s.attrs) for s in spans]
        if not plain.strip():
            pending = pending | inline_codes
            continue
        first_line, first_col = anchors[0][1:] if anchors else (tok.map[0] + 1, 1)
        paragraphs.append(
            Paragraph(
                plain,
                kind,
                Location(line=first_line, column=first_col),
                len(paragraphs),
                pending | inline_codes,
                level,
                tuple(anchors),
                tuple(spans),
            )
        )
        pending = frozenset()
    return Draft(shown, "markdown", tuple(paragraphs), tuple(directives))


def _strip(text: str, anchors: list[tuple[int, int, int]]) -> tuple[str, list[tuple[int, int, int]]]:
    """Return `text` without surrounding space, with its anchors moved to match."""
    lead = len(text) - len(text.lstrip())
    if not lead:
        return text.rstrip(), anchors
    moved = []
    for offset, line, column in anchors:
        if offset >= lead:
            moved.append((offset - lead, line, column))
        elif offset + lead <= len(text):
            moved.append((0, line, column + (lead - offset)))
    return text.strip(), moved


def _inline_text(
    tok: Any, lines: list[str]
) -> tuple[str, list[tuple[int, int, int]], frozenset[str], list[Directive], list[AttrSpan]]:
    """Return an inline token's plain text, its anchors to source lines, its directives and attribute spans."""
    first = tok.map[0]
    source = "\n".join(lines[first : tok.map[1]])
    line_starts = [0]
    for i, ch in enumerate(source):
        if ch == "\n":
            line_starts.append(i + 1)

    def place(pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(line_starts, pos) - 1
        return first + i + 1, pos - line_starts[i] + 1

    out: list[str] = []
    anchors: list[tuple[int, int, int]] = []
    codes: frozenset[str] = frozenset()
    found: list[Directive] = []
    spans: list[AttrSpan] = []
    open_spans: list[tuple[int, tuple[tuple[str, str], ...]]] = []
    offset = 0
    cursor = 0
    for child in tok.children or []:
        kind = child.type
        if kind == "span_open":
            open_spans.append((offset, tuple((str(k), str(v)) for k, v in (child.attrs or {}).items())))
            continue
        if kind == "span_close" and open_spans:
            start, attrs = open_spans.pop()
            spans.append(AttrSpan(start, offset, attrs))
            continue
        if kind in ("text", "code_inline"):
            piece = child.content
        elif kind in ("softbreak", "hardbreak"):
            piece = " "
            nl = source.find("\n", cursor)
            if nl >= 0:
                cursor = nl + 1
        elif kind == "html_inline":
            for m in _HTML_COMMENT.finditer(child.content):
                got = directive_codes(m.group(1))
                if got is not None:
                    at = source.find(child.content, cursor)
                    line, col = place(at if at >= 0 else cursor)
                    found.append(Directive(got, Location(line=line, column=col), m.group(0)))
                    codes = codes | got
            at = source.find(child.content, cursor)
            if at >= 0:
                cursor = at + len(child.content)
            continue
        elif kind == "image":
            continue
        else:
            continue  # markup only: emphasis, links, attribute spans
        if not piece:
            continue
        if kind != "softbreak" and kind != "hardbreak":
            # Look for the piece near the cursor only: a piece the source spells otherwise ("&amp;")
            # must not send every search to the end of the paragraph.
            at = source.find(piece, cursor, cursor + len(piece) + _FIND_REACH)
            if at >= 0:
                cursor = at
            line, col = place(cursor)
            anchors.append((offset, line, col))
            if at >= 0:
                cursor = at + len(piece)
        out.append(piece)
        offset += len(piece)
    return "".join(out), anchors, codes, found, sorted(spans, key=lambda s: s.start)


# ---------------------------------------------------------------- DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT, _SDT_CONTENT = (_W + n for n in ("p", "tbl", "tr", "tc", "sdt", "sdtContent"))
_T, _TAB, _BR, _CR, _NBH = (_W + n for n in ("t", "tab", "br", "cr", "noBreakHyphen"))
_SKIP_TEXT_IN = {_W + n for n in ("del", "moveFrom", "instrText", "delText", "txbxContent", "footnoteReference")}
_RANGE_START, _RANGE_END, _COMMENT_REF = (_W + n for n in ("commentRangeStart", "commentRangeEnd", "commentReference"))
_VAL, _ID = _W + "val", _W + "id"
_COMMENTS_RELTYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _preflight_docx(data: bytes, shown: str) -> None:
    """Refuse a DOCX whose zip is broken, too large unpacked, too many members, or whose XML declares a DOCTYPE."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DraftError(
            Problem(
                "the file is not a valid Word document (it is not a zip archive, or the archive is damaged)",
                path=shown,
                expected="a .docx file saved by Word or LibreOffice",
                hint="open it in Word and save it again as 'Word Document (*.docx)'",
            )
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_ENTRIES:
            raise DraftError(
                Problem(
                    "the Word document holds too many parts to be a draft",
                    path=shown,
                    found=f"{len(infos):,} zip entries",
                    expected=f"at most {MAX_ZIP_ENTRIES:,}",
                    hint="check that this is the right file",
                )
            )
        unzipped = sum(i.file_size for i in infos)
        if unzipped > MAX_UNZIPPED_BYTES:
            raise DraftError(
                Problem(
                    "the Word document unpacks to too much data to be a draft",
                    path=shown,
                    found=f"{unzipped:,} bytes unpacked",
                    expected=f"at most {MAX_UNZIPPED_BYTES:,} bytes",
                    hint="check that this is the right file; remove large embedded images or objects",
                )
            )
        names = {i.filename for i in infos}
        if "word/document.xml" not in names:
            raise DraftError(
                Problem(
                    "the file is a zip archive but not a Word document (no word/document.xml)",
                    path=shown,
                    expected="a .docx file saved by Word or LibreOffice",
                    hint="save the draft from Word as 'Word Document (*.docx)'",
                )
            )
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            try:
                declared = _declares_dtd(zf, info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
                raise DraftError(
                    Problem(
                        "not a readable Word document: a part is damaged or not UTF-8 XML",
                        path=shown,
                        where=info.filename,
                        found=f"{info.filename}: {exc}"[:300],
                        expected="XML parts as Word writes them (UTF-8)",
                        hint="open it in Word and save it again",
                    )
                ) from None
            if declared:
                raise DraftError(
                    Problem(
                        "the Word document declares a DOCTYPE or XML entities, which drafter refuses to read",
                        path=shown,
                        where=info.filename,
                        found="<!DOCTYPE or <!ENTITY",
                        expected="XML as Word writes it (Word never writes a DOCTYPE)",
                        hint="open the file in Word and save it again; do not trust where it came from",
                    )
                )


_XML_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


def _declares_dtd(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Return True when a zip member's XML holds `<!DOCTYPE` or `<!ENTITY` (read in bounded chunks).

    Raise ValueError for XML that is not UTF-8 (a UTF-16 part would hide a DOCTYPE from the byte search,
    and Word writes every part as UTF-8).
    """
    tail = b""
    first = True
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 16):
            if first:
                _require_utf8_xml(chunk)
                first = False
            if _DECLARATION.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _require_utf8_xml(head: bytes) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00", b"\x4c\x6f\xa7\x94")) or b"\x00" in head[:64]:
        raise ValueError("the part is not UTF-8 XML (UTF-16, UTF-32 or EBCDIC)")
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    declared = _XML_ENCODING.match(text)
    if declared and declared.group(1).lower().replace(b"_", b"-") not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        raise ValueError(f"the part declares the encoding {declared.group(1).decode('ascii', 'replace')}")


def _read_docx(data: bytes, shown: str) -> Draft:
    from drafter.ooxml import open_docx  # the one module that opens DOCX with python-docx

    _preflight_docx(data, shown)
    document = open_docx(data, shown)
    styles = _style_names(document)
    comment_codes = _comment_directives(document)
    walker = _DocxWalker(styles, comment_codes)
    walker.walk(document.element.body)
    directives = tuple(
        Directive(codes, Location(paragraph=walker.first_paragraph_of.get(cid)), f"comment {cid}")
        for cid, codes in sorted(comment_codes.items())
    )
    return Draft(shown, "docx", tuple(walker.paragraphs), directives)


def _style_names(document: Any) -> dict[str, str]:
    """Return {style id: style name (lower case)} for the document's paragraph styles."""
    names: dict[str, str] = {}
    for elm in document.styles.element.iterchildren(_W + "style"):
        sid = elm.get(_W + "styleId")
        name = elm.find(_W + "name")
        if sid and name is not None:
            names[sid] = str(name.get(_VAL, "")).lower()
    return names


def _comment_directives(document: Any) -> dict[str, frozenset[str]]:
    """Return {comment id: codes} for Word comments whose text is a `drafter: ignore` directive."""
    part = None
    for rel in document.part.rels.values():
        if rel.reltype == _COMMENTS_RELTYPE and not rel.is_external:
            part = rel.target_part
            break
    if part is None:
        return {}
    element = getattr(part, "element", None)
    if element is None:
        return {}
    out: dict[str, frozenset[str]] = {}
    distinct: set[str] = set()  # at most 200 different codes are kept: there are a dozen codes and names
    for comment in element.iterchildren(_W + "comment"):
        text = "".join(t.text or "" for t in comment.iter(_T))
        codes = directive_codes(text[:2000])
        if codes is not None:
            kept = sorted(c for c in codes if len(c) <= 40 and (c in distinct or len(distinct) < 200))[:20]
            distinct.update(kept)
            out[str(comment.get(_ID))] = frozenset(kept) or frozenset({ALL_CODES})
    return out


class _DocxWalker:
    """Walks the document body in order, numbering every paragraph and collecting the non-empty ones."""

    def __init__(self, styles: dict[str, str], comment_codes: dict[str, frozenset[str]]):
        self.styles = styles
        self.comment_codes = comment_codes
        self.paragraphs: list[Paragraph] = []
        self.count = 0
        self.tables = 0
        self.open_comments: set[str] = set()
        self.first_paragraph_of: dict[str, int] = {}
        self.counted: set[str] = set()  # directive comments whose codes are in open_codes
        self.open_codes: dict[str, int] = {}  # code -> number of open directive comments naming it

    def _count(self, cid: str, step: int) -> None:
        if step > 0:
            self.counted.add(cid)
        else:
            self.counted.discard(cid)
        for code in self.comment_codes[cid]:
            n = self.open_codes.get(code, 0) + step
            if n > 0:
                self.open_codes[code] = n
            else:
                self.open_codes.pop(code, None)

    def walk(self, container: Any, cell: tuple[int, int, int] | None = None) -> None:
        for child in container.iterchildren():
            if child.tag == _P:
                self.paragraph(child, cell)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.walk(content, cell)

    def table(self, tbl: Any) -> None:
        self.tables += 1
        number = self.tables
        for r, tr in enumerate(tbl.iterchildren(_TR), 1):
            for c, tc in enumerate(_cells(tr), 1):
                self.walk(tc, (number, r, c))

    def paragraph(self, p: Any, cell: tuple[int, int, int] | None) -> None:
        self.count += 1
        # Only directive comments matter here; thousands of other (or unclosed) ranges cost nothing per paragraph.
        here: set[str] = set()
        ended: set[str] = set()
        for elm in p.iter(_RANGE_START, _RANGE_END, _COMMENT_REF):
            cid = str(elm.get(_ID))
            if cid not in self.comment_codes:
                continue
            if elm.tag == _RANGE_START:
                here.add(cid)
                self.open_comments.add(cid)
            elif elm.tag == _RANGE_END:
                ended.add(cid)
                here.add(cid)
            else:
                here.add(cid)
        for cid in here:
            self.first_paragraph_of.setdefault(cid, self.count)
        for cid in here - self.counted:
            self._count(cid, 1)
        ignore = frozenset(self.open_codes)
        self.open_comments -= ended
        for cid in (here | ended) - self.open_comments:  # ended here, or only referenced here
            if cid in self.counted:
                self._count(cid, -1)
        text = _paragraph_text(p)
        if not text.strip():
            return
        style = self.styles.get(_style_id(p) or "", "")
        kind: Kind
        level = None
        if cell is not None:
            kind = "table_cell"
        elif style.startswith("heading") or style == "title":
            kind = "heading"
            digits = style.removeprefix("heading").strip()
            level = int(digits) if digits.isdigit() else 1
        elif style.startswith("list") or p.find(f"{_W}pPr/{_W}numPr") is not None:
            kind = "list_item"
        else:
            kind = "paragraph"
        loc = Location(paragraph=self.count)
        if cell is not None:
            loc = Location(paragraph=self.count, table=cell[0], row=cell[1], cell=cell[2])
        self.paragraphs.append(Paragraph(text.strip(), kind, loc, len(self.paragraphs), ignore, level))


def _cells(tr: Any) -> Iterator[Any]:
    for child in tr.iterchildren():
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from (c for c in content.iterchildren(_TC))


def _style_id(p: Any) -> str | None:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    return style.get(_VAL) if style is not None else None


def _paragraph_text(p: Any) -> str:
    """Return a paragraph's visible text: runs, hyperlinks, insertions and fields; never deletions or text boxes."""
    out: list[str] = []

    def visit(elm: Any) -> None:
        for child in elm.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_TEXT_IN or tag == _P:
                continue
            if tag == _T:
                out.append(child.text or "")
            elif tag in (_TAB, _BR, _CR):
                out.append(" ")
            elif tag == _NBH:
                out.append("-")
            else:
                visit(child)

    visit(p)
    return "".join(out)
