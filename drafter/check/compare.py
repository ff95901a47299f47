"""Compare a draft's claims with the evidence: run every check on every sentence, honour ignores."""

from __future__ import annotations

from collections.abc import Callable

from drafter.check.checks.contradiction import check_contradiction
from drafter.check.checks.number import check_number
from drafter.check.checks.quantifier import check_quantifier
from drafter.check.checks.trend import check_trend
from drafter.check.checks.unsupported import check_unsupported
from drafter.check.claims import Claim, extract_claims
from drafter.check.context import CheckContext
from drafter.check.diagnostic import CODES, CheckResult, Diagnostic, location_record
from drafter.check.read import Draft
from drafter.check.sentences import Sentence, iter_sentences
from drafter.pipeline import Assessment
from drafter.vocab.cues import load_cues

Check = Callable[[Claim, Sentence, CheckContext], list[Diagnostic]]

# Per-sentence checks, in report order for a sentence. The named-child check reads whole sentences
# whether or not they make a claim, so it runs separately.
CHECKS: tuple[Check, ...] = (check_contradiction, check_quantifier, check_trend, check_number, check_unsupported)


def claim_record(claim: Claim, sentence: Sentence) -> dict:
    """Return the drafter-check/1 record of one claim."""
    return {
        "text": claim.text,
        "topics": list(claim.topics),
        "polarity": claim.polarity,
        "quantifier": claim.quantifier,
        "trend": claim.trend,
        "location": location_record(sentence.location),
        "clauses": [{"text": p.text, "role": p.role, "topics": list(p.topics), "polarity": p.polarity}
                    for p in claim.parts],
    }


def check_draft(draft: Draft, assessment: Assessment) -> CheckResult:
    """Return the diagnostics (sorted by position) and every claim read from the draft."""
    ctx = CheckContext(assessment.evidence, assessment)
    diagnostics: list[Diagnostic] = []
    claims: list[dict] = []
    sentences = [s for s in iter_sentences(draft) if s.kind == "sentence"]
    notes = _cut_notes(sentences, load_cues(ctx.vocabulary).sentence_max_chars)
    for sentence in sentences:
        paragraph = (
            draft.paragraphs[sentence.paragraph_index] if sentence.paragraph_index < len(draft.paragraphs) else None
        )
        if (
            paragraph is not None
            and paragraph.kind == "table_cell"
            and not sentence.text.rstrip().endswith((".", "!", "?"))
        ):
            continue  # a table label or value, not a sentence that claims anything
        claim = extract_claims(sentence, ctx.vocabulary)
        if claim is None:
            continue
        record = claim_record(claim, sentence)
        claims.append(record)
        for check in CHECKS:
            for diagnostic in check(claim, sentence, ctx):
                if not sentence.ignores(diagnostic.code, CODES[diagnostic.code].name):
                    diagnostics.append(_with_claim(diagnostic, record))
    diagnostics += _named_child(sentences, ctx)
    unique = {(d.code, d.location, d.message, d.text): d for d in diagnostics}  # one report per problem
    diagnostics = sorted(unique.values(), key=_position)
    return CheckResult(draft.path, tuple(diagnostics), tuple(claims), assessment.evidence.path, tuple(notes))


MAX_NOTES = 20


def _cut_notes(sentences: list[Sentence], limit: int) -> list[str]:
    """Return a note for each over-long sentence read in pieces (at most MAX_NOTES, then a count)."""
    seen: set[tuple[int, int]] = set()
    notes: list[str] = []
    for s in sentences:
        key = (s.paragraph_index, s.cut_from)
        if s.cut_from and key not in seen:
            seen.add(key)
            notes.append(f"{s.location.describe() or 'paragraph ' + str(s.paragraph_index + 1)}: a sentence of "
                         f"{s.cut_from:,} characters was read in pieces of at most {limit:,} characters")
    if len(notes) > MAX_NOTES:
        notes = [*notes[:MAX_NOTES], f"... and {len(notes) - MAX_NOTES:,} more sentences read in pieces"]
    return notes


def _with_claim(diagnostic: Diagnostic, record: dict) -> Diagnostic:
    from dataclasses import replace

    return replace(diagnostic, claim={k: v for k, v in record.items() if k not in ("location", "clauses")})


def _named_child(sentences: list[Sentence], ctx: CheckContext) -> list[Diagnostic]:
    try:
        from drafter.check.checks.named_child import check_named_child
    except ImportError:  # pragma: no cover - the module ships with drafter
        return []
    found = check_named_child(sentences, ctx.evidence, ctx.vocabulary)
    by_text = {s.text: s for s in sentences}
    return [d for d in found if not (d.text in by_text and by_text[d.text].ignores(d.code, CODES[d.code].name))]


def _position(d: Diagnostic) -> tuple:
    loc = d.location
    return (loc.paragraph or 0, loc.line or 0, loc.column or 0, d.code)
