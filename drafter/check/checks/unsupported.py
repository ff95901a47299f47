"""EVD01 unsupported (warning): an evaluative claim on a topic the pack holds no evidence for.

Unsupported: "Care leavers are well supported." with no care-leaver indicator, sample or note.
Supported:   the same sentence with `care_leavers.eet_rate` or a note on care leavers in the pack.
"""

from __future__ import annotations

from drafter.check.claims import Claim
from drafter.check.context import CheckContext
from drafter.check.diagnostic import Diagnostic
from drafter.check.sentences import Sentence

CODE = "EVD01"


def check_unsupported(claim: Claim, sentence: Sentence, ctx: CheckContext) -> list[Diagnostic]:
    """Return a warning when none of the sentence's topics has any evidence in the pack."""
    if claim.polarity not in ("positive", "negative", "mixed") or not claim.evaluative or not claim.topics:
        return []
    if any(topic in ctx.topics_with_evidence for topic in claim.topics):
        return []
    if ctx.is_historical(sentence.text) or ctx.supporting_finding(sentence.text) is not None:
        return []
    labels = ", ".join(ctx.vocabulary.topics[t].label for t in claim.topics if t in ctx.vocabulary.topics)
    return [
        Diagnostic(
            CODE,
            f"the pack holds no evidence on {labels}",
            sentence.text,
            sentence.location,
            topic=claim.topics[0],
            suggestion="add indicators, a case sample or a note on this topic, or remove the judgement",
        )
    ]
