"""Split paragraphs into located sentences that survive inspection prose: abbreviations, labels, quotes, decimals."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from drafter.check.read import ALL_CODES, Draft, Location, Paragraph
from drafter.errors import DraftError, Problem
from drafter.vocab.cues import Cues, load_cues

# A draft with more sentences than this is refused rather than read for minutes.
MAX_SENTENCES = 20_000

# A label at the start of a paragraph: a bullet ("- ", "• ", "◼ "), a numbered paragraph ("12. ",
# "3.2 ", "(b) ", "iv. ") — not part of any sentence.
_LABEL = re.compile(
    r"\s*(?:"
    r"[-*•◼▪●■◦○–](?=\s)"
    r"|\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivx]{1,5})[.)](?=\s)"
    r"|\d{1,3}(?:\.\d{1,3})+(?=\s+[A-Z])"
    r")\s*"
)
# Candidate ends: terminal punctuation, closing quotes or brackets, then space or the end of the text.
_END = re.compile(r"(?:[.!?]+|…)(?P<close>['\"”’)\]]*)(?=\s|$)")
_WORD_BEFORE = re.compile(r"([^\W_]+(?:\.[^\W_]+)*)$")
_WORD_REACH = 64  # characters looked at before a full stop for the word it ends (an abbreviation is short)
_NEXT_CHAR = re.compile(r"\S")
_OPENERS = "\"'“‘([•◼-"
_TERMINAL = tuple(".!?…:;") + tuple("\"'”’)")


@dataclass(frozen=True)
class Sentence:
    """One sentence (or heading) of a paragraph, with where it is.

    `start`/`end` are character offsets in the paragraph's text; `location` is where the sentence
    starts (line and column for Markdown and text, the paragraph and table cell for DOCX).
    `kind` is "heading" for a heading or a short line without a full stop (a title, a label, a
    table cell such as "Inadequate"): the checker reads no claim from it. `label` is the bullet or
    paragraph number removed from the paragraph start, if any. `clauses` are the spans (offsets in
    `text`) of the parts separated by semicolons; a sentence without one has a single clause.
    `ignore` holds the codes of `drafter: ignore` directives on the paragraph. A "sentence" longer
    than the vocabulary's `sentences.max_chars` (one line of a thousand words, say) is read in
    pieces of at most that length, cut at a semicolon, comma or space: `cut_from` is then its length.
    """

    text: str
    start: int
    end: int
    location: Location
    kind: Literal["sentence", "heading"] = "sentence"
    label: str | None = None
    clauses: tuple[tuple[int, int], ...] = ()
    paragraph_index: int = 0
    ignore: frozenset[str] = frozenset()
    cut_from: int = 0  # the length of the over-long sentence this piece was cut from (0: not cut)

    @property
    def clause_texts(self) -> list[str]:
        """Return the text of each clause."""
        return [self.text[a:b] for a, b in self.clauses] if self.clauses else [self.text]

    def ignores(self, *codes: str) -> bool:
        """Return True when a `drafter: ignore` directive on the paragraph names any of `codes` or names none.

        Codes compare without regard to case, so a check can pass its code and its name
        (`sentence.ignores("QNT01", "quantifier")`).
        """
        if not self.ignore:
            return False
        named = {c.casefold() for c in self.ignore}
        return ALL_CODES in named or any(c.casefold() in named for c in codes)


def split_sentences(paragraph: Paragraph | str, cues: Cues | None = None) -> list[Sentence]:
    """Return the sentences of a paragraph (a plain string is read as a paragraph starting at line 1).

    A paragraph label (bullet or number) is dropped and kept on the sentences as `label`. A
    paragraph that is a heading, or a single short unterminated line, gives one heading sentence.
    Returns an empty list for a paragraph with no text.
    """
    if isinstance(paragraph, str):
        paragraph = Paragraph.from_text(paragraph)
    cues = cues or load_cues()
    text = paragraph.text
    label = None
    body = 0
    m = _LABEL.match(text)
    if m and m.end() < len(text):
        label = m.group().strip()
        body = m.end()
    spans = list(_spans(text, body, cues))
    if not spans:
        return []
    out: list[Sentence] = []
    limit = cues.sentence_max_chars
    spans = [cut for span in spans for cut in _cut(text, span, limit)]
    for start, end, cut_from in spans:
        piece = text[start:end]
        kind: Literal["sentence", "heading"] = "sentence"
        if paragraph.kind == "heading" or (len(spans) == 1 and _looks_like_heading(piece, cues)):
            kind = "heading"
        out.append(
            Sentence(
                text=piece,
                start=start,
                end=end,
                location=paragraph.locate(start),
                kind=kind,
                label=label,
                clauses=_clauses(piece),
                paragraph_index=paragraph.index,
                ignore=paragraph.ignore,
                cut_from=cut_from,
            )
        )
    return out


def _cut(text: str, span: tuple[int, int], limit: int) -> Iterator[tuple[int, int, int]]:
    """Yield (start, end, cut_from) pieces of a sentence span, each at most `limit` characters."""
    start, end = span
    if end - start <= limit:
        yield start, end, 0
        return
    length = end - start
    while end - start > limit:
        window = text[start + limit // 2 : start + limit]
        at = max(window.rfind("; "), window.rfind(", "))
        if at < 0:
            at = window.rfind(" ")
        stop = start + limit // 2 + at + 1 if at >= 0 else start + limit
        s, e = _trim(text, start, stop)
        if s < e:
            yield s, e, length
        start = stop
    s, e = _trim(text, start, end)
    if s < e:
        yield s, e, length


def iter_sentences(draft: Draft, cues: Cues | None = None) -> Iterator[Sentence]:
    """Yield every sentence of a draft, paragraph by paragraph.

    Raises DraftError past MAX_SENTENCES: no draft a person writes has that many, and reading one that
    does would take minutes.
    """
    cues = cues or load_cues()
    count = 0
    for paragraph in draft.paragraphs:
        for sentence in split_sentences(paragraph, cues):
            count += 1
            if count > MAX_SENTENCES:
                raise DraftError(
                    Problem(
                        "the draft holds too many sentences to check",
                        path=draft.path,
                        line=sentence.location.line,
                        found=f"more than {MAX_SENTENCES:,} sentences",
                        expected=f"at most {MAX_SENTENCES:,} (a 36,000-character inspection report holds about 300)",
                        hint="check that this is the right file; split a very long document and check the parts",
                    )
                )
            yield sentence


def _spans(text: str, body: int, cues: Cues) -> Iterator[tuple[int, int]]:
    """Yield (start, end) offsets of each sentence in text[body:], trimmed of surrounding space."""
    start = body
    for m in _END.finditer(text, body):
        end = m.end()
        if not _is_boundary(text, m, start, cues):
            continue
        s, e = _trim(text, start, end)
        if s < e:
            yield s, e
        start = end
    s, e = _trim(text, start, len(text))
    if s < e:
        yield s, e


def _is_boundary(text: str, m: re.Match[str], start: int, cues: Cues) -> bool:
    after = _NEXT_CHAR.search(text, m.end())  # never a copy of the rest: linear in the paragraph
    if after is None:
        return True
    nxt = after.group()
    # What follows must open a sentence: a capital, a figure, or an opening quote/bracket/bullet.
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    punct = m.group()[: len(m.group()) - len(m.group("close"))]
    if punct != "." or m.group("close"):
        return True
    w = _WORD_BEFORE.search(text, max(start, m.start() - _WORD_REACH), m.start())
    if not w:
        return True
    word = w.group(1)
    low = word.lower()
    if low in cues.abbreviations:
        return False
    if low in cues.final_abbreviations:
        return nxt.isupper()
    # An initial ("J. Smith"): one capital letter before the full stop, a capitalised word after it.
    if len(word) == 1 and word.isupper() and nxt.isupper():
        return False
    # Dotted abbreviations not in the list ("a.m.", "U.K.") end a sentence only before a capital.
    if "." in word and len(word) <= 6:
        return nxt.isupper() and not word[0].isupper()
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _looks_like_heading(piece: str, cues: Cues) -> bool:
    stripped = piece.rstrip()
    return not stripped.endswith(_TERMINAL) and len(stripped.split()) <= cues.heading_max_words


def _clauses(piece: str) -> tuple[tuple[int, int], ...]:
    if ";" not in piece:
        s, e = _trim(piece, 0, len(piece))
        return ((s, e),) if s < e else ()
    spans: list[tuple[int, int]] = []
    start = 0
    depth = 0
    for i, ch in enumerate(piece):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif ch == ";" and depth == 0:
            s, e = _trim(piece, start, i)
            if s < e:
                spans.append((s, e))
            start = i + 1
    s, e = _trim(piece, start, len(piece))
    if s < e:
        spans.append((s, e))
    return tuple(spans)
