"""Join a topic's findings into flowing paragraphs: strengths first, then concerns, with connectives.

Markdown attribute spans carry each finding's rule and comment id, so the writer can attach the
provenance comment to exactly that sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from drafter.compose.phrases import Phrases
from drafter.rules.findings import POSITIVE_VERDICTS, Finding

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>#|])")
VERDICT_ORDER = {"strength": 0, "improving": 1, "weakness": 2, "serious_weakness": 3}


def escape_markdown(text: str) -> str:
    """Return text with Markdown's special characters escaped, so a sentence stays literal."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def lower_first(sentence: str) -> str:
    """Return the sentence with its first letter lower-cased, unless it starts an acronym or a name."""
    first = sentence.split(" ", 1)[0]
    if len(first) > 1 and (first[1].isupper() or first[1].isdigit()):
        return sentence  # IROs, MACH, 2022
    return sentence[:1].lower() + sentence[1:]


def opening(sentence: str, words: int = 2) -> str:
    """Return how a sentence opens (its first words, lower-cased) to avoid repeated openings."""
    return " ".join(re.findall(r"[a-z']+", sentence.lower())[:words])


def order_findings(findings: list[Finding]) -> list[Finding]:
    """Return findings strengths first, then improving, weaknesses, serious weaknesses (stable within)."""
    return sorted(findings, key=lambda f: VERDICT_ORDER[f.verdict])


def compose_paragraphs(findings: list[Finding], phrases: Phrases, span: Callable[[Finding, str], str]) -> list[str]:
    """Return Markdown paragraphs for one topic's findings, each sentence a finding span.

    `span(finding, text)` returns the Markdown for one sentence with its provenance attributes.
    """
    ordered = order_findings(findings)
    limit = phrases.max_sentences_per_paragraph
    chunks = [ordered[i:i + limit] for i in range(0, len(ordered), limit)]
    return [_paragraph(chunk, phrases, span) for chunk in chunks]


def _paragraph(findings: list[Finding], phrases: Phrases, span: Callable[[Finding, str], str]) -> str:
    sentences: list[str] = []
    openings: set[str] = set()
    used_connectives: set[str] = set()
    previous_positive: bool | None = None
    for finding in findings:
        positive = finding.verdict in POSITIVE_VERDICTS
        text = finding.sentence
        connective = ""
        if previous_positive is True and not positive:
            connective = _pick(phrases.connectives.contrast, used_connectives)
        elif opening(text) in openings or opening(text, 1) in {o.split(" ")[0] for o in openings}:
            pool = phrases.connectives.addition if positive else phrases.connectives.further_concern
            connective = _pick(pool, used_connectives)
        if connective:
            text = f"{connective} {lower_first(text)}"
        openings.add(opening(text))
        sentences.append(span(finding, text))
        previous_positive = positive
    return " ".join(sentences)


def _pick(pool: list[str], used: set[str]) -> str:
    for word in pool:
        if word not in used:
            used.add(word)
            return word
    return ""
