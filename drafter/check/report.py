"""Report a check's result: text, JSON (drafter-check/1), SARIF 2.1.0, or an annotated copy of a DOCX draft."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path, PurePath
from urllib.parse import quote

from drafter import __version__
from drafter.check.diagnostic import CODES, CheckResult, Diagnostic, Level, location_record
from drafter.check.read import MAX_DRAFT_BYTES, read_draft
from drafter.errors import DraftError, Problem, safe_text
from drafter.files import read_bytes_bounded, refuse_overwrite_input, write_atomic
from drafter.ooxml import Annotation
from drafter.ooxml import annotate_docx as annotate_docx_bytes
from drafter.paths import PROJECT_ROOT

SCHEMA = "drafter-check/1"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVELS: dict[str, str] = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT = "drafterSentence/v1"  # partialFingerprints key: the code, the sentence and the words at issue

Reporter = Callable[[CheckResult], str]


# ---------------------------------------------------------------- text


def report_text(result: CheckResult) -> str:
    """Return one block per diagnostic, then a summary line.

    A block is `path:LOCATION: level: message [CODE name]`, the sentence indented, then its
    `evidence:` lines and its `suggestion:`.
    """
    lines: list[str] = []
    for d in result.diagnostics:
        where = d.location.describe()
        head = f"{result.path}:{where}:" if where else f"{result.path}:"
        lines.append(f"{head} {d.effective_level}: {d.message} [{d.code} {d.name}]")
        lines.append(f"    {d.text}")
        lines.extend(f"    evidence: {line}" for line in d.evidence)
        if d.suggestion:
            lines.append(f"    suggestion: {d.suggestion}")
    lines.extend(f"{result.path}:{note.split(': ', 1)[0]}: note: {note.split(': ', 1)[-1]}" for note in result.notes)
    lines.append(summary_line(result))
    return safe_text("\n".join(lines)) + "\n"  # a draft is untrusted: its escape sequences never reach a terminal


def summary_line(result: CheckResult) -> str:
    """Return `N errors, M warnings, K infos in FILE`, or `no problems found in FILE`."""
    if not result.diagnostics:
        return f"no problems found in {result.path}"
    counts = level_counts(result)
    parts = [f"{counts[level]} {level}{'' if counts[level] == 1 else 's'}" for level in ("error", "warning", "info")]
    return f"{', '.join(parts)} in {result.path}"


def level_counts(result: CheckResult) -> dict[Level, int]:
    """Return the number of diagnostics at each level."""
    counts: dict[Level, int] = {"error": 0, "warning": 0, "info": 0}
    for d in result.diagnostics:
        counts[d.effective_level] += 1
    return counts


# ---------------------------------------------------------------- JSON


def report_json(result: CheckResult) -> str:
    """Return the drafter-check/1 JSON document: the file, its diagnostics and every claim read."""
    doc = {
        "schema": SCHEMA,
        "file": result.path,
        "diagnostics": [d.to_record() for d in result.diagnostics],
        "claims": list(result.claims),
        "notes": list(result.notes),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- SARIF


def report_sarif(result: CheckResult) -> str:
    """Return a SARIF 2.1.0 log with one run: drafter's rules (every code) and one result per diagnostic."""
    codes = list(CODES)
    rules = [
        {
            "id": c.code,
            "name": c.name,
            "shortDescription": {"text": c.summary},
            "help": {"text": doc_summary(c.code)},
            "defaultConfiguration": {"level": SARIF_LEVELS[c.level]},
        }
        for c in CODES.values()
    ]
    uri = artifact_uri(result.path)
    results = [_sarif_result(d, codes.index(d.code), uri) for d in result.diagnostics]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {"driver": {"name": "drafter", "version": __version__, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _sarif_result(d: Diagnostic, rule_index: int, uri: str) -> dict:
    loc = d.location
    region: dict = {}
    logical: list[dict] = []
    if loc.line is not None:
        region = {"startLine": loc.line, "startColumn": loc.column or 1}
    elif loc.paragraph is not None:
        # A DOCX has no lines: the paragraph number stands in for one, and says so in its properties.
        record = location_record(loc)
        region = {"startLine": loc.paragraph, "properties": record}
        if loc.table is not None:
            name = f"table {loc.table} row {loc.row} cell {loc.cell}"
        else:
            name = f"paragraph {loc.paragraph}"
        logical = [{"name": name, "kind": "element"}]
    if region:
        region["snippet"] = {"text": d.text}
    physical: dict = {"artifactLocation": {"uri": uri}}
    if region:
        physical["region"] = region
    location: dict = {"physicalLocation": physical}
    if logical:
        location["logicalLocations"] = logical
    out: dict = {
        "ruleId": d.code,
        "ruleIndex": rule_index,
        "level": SARIF_LEVELS[d.effective_level],
        "message": {"text": d.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(d)},
    }
    properties: dict = {}
    if d.topic:
        properties["topic"] = d.topic
    if d.evidence:
        properties["evidence"] = list(d.evidence)
    if d.suggestion:
        properties["suggestion"] = d.suggestion
    if properties:
        out["properties"] = properties
    return out


def fingerprint(d: Diagnostic) -> str:
    """Return a hash of the code, the sentence and the words at issue (spacing and case ignored).

    It stays the same when the sentence moves, so SARIF viewers can track a diagnostic across edits.
    """
    sentence = " ".join(d.text.split()).casefold()
    match = " ".join(d.match.split()).casefold()
    return hashlib.sha256(f"{d.code}\x00{sentence}\x00{match}".encode()).hexdigest()[:32]


def artifact_uri(path: str) -> str:
    """Return the draft path as a SARIF artifact URI: relative paths stay relative (forward slashes, escaped)."""
    pure = PurePath(path)
    if pure.is_absolute():
        return Path(path).as_uri()
    return quote(pure.as_posix(), safe="/-._~!$&'()*+,;=:@")


@lru_cache(maxsize=16)
def doc_summary(code: str) -> str:
    """Return the first paragraph of a code's documentation page (its summary when the page is missing)."""
    page = PROJECT_ROOT / CODES[code].doc
    try:
        text = page.read_text(encoding="utf-8")
    except OSError:
        return CODES[code].summary
    paragraph: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            if paragraph:
                break
            continue
        if stripped.startswith(("#", "<!--")) and not paragraph:
            continue
        paragraph.append(stripped)
    plain = " ".join(paragraph)
    plain = re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*|`(.+?)`", lambda m: next(g for g in m.groups() if g), plain)
    return plain or CODES[code].summary


REPORTERS: dict[str, Reporter] = {"text": report_text, "json": report_json, "sarif": report_sarif}


# ---------------------------------------------------------------- annotated DOCX

_DIRECTIVE_WORDS = re.compile(r"(drafter)(:)(\s*ignore)", re.IGNORECASE)


def annotate_docx(draft_path: Path | str, result: CheckResult, out_path: Path | str) -> int:
    """Write a copy of DOCX draft `draft_path` to `out_path` with a Word comment on each diagnosed sentence.

    Diagnostics of one sentence share one comment (author "drafter"), a paragraph per diagnostic.
    Returns the number of comments written. Raises DrafterError when `out_path` is the draft
    itself, and DraftError when the draft is not a readable DOCX. The output is written
    atomically; the same draft and result give the same bytes.
    """
    refuse_overwrite_input(out_path, [draft_path])
    draft = read_draft(draft_path)  # the same bounds and refusals as the check itself
    if draft.format != "docx":
        raise DraftError(
            Problem(
                "only Word drafts can be annotated",
                path=str(draft_path),
                found=f"a {draft.format} draft",
                expected="a .docx file",
                hint="use --format text, json or sarif for Markdown and text drafts",
            )
        )
    data = read_bytes_bounded(draft_path, MAX_DRAFT_BYTES)
    annotated, written = annotate_docx_bytes(data, comment_annotations(result), source=str(draft_path))
    write_atomic(out_path, annotated)
    return written


def comment_annotations(result: CheckResult) -> list[Annotation]:
    """Return one Annotation per diagnosed sentence of a DOCX result, in the order the diagnostics come."""
    groups: dict[tuple[int, str], list[Diagnostic]] = {}
    for d in result.diagnostics:
        if d.location.paragraph is not None:
            groups.setdefault((d.location.paragraph, d.text), []).append(d)
    return [Annotation(paragraph, text, comment_text(ds)) for (paragraph, text), ds in groups.items()]


def comment_text(diagnostics: list[Diagnostic]) -> str:
    """Return a Word comment's text for the diagnostics of one sentence: one paragraph per line."""
    lines: list[str] = []
    for d in diagnostics:
        if lines:
            lines.append("")
        lines.append(f"{d.code} {d.name} ({d.effective_level}): {d.message}")
        lines.extend(f"Evidence: {line}" for line in d.evidence)
        if d.suggestion:
            lines.append(f"Suggestion: {d.suggestion}")
    # A comment reading "drafter: ignore" would silence the checker when the annotated copy is checked again.
    return _DIRECTIVE_WORDS.sub(r"\1 \3", "\n".join(lines))
