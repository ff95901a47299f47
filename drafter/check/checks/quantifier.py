"""QNT01 quantifier: the proportion word is outside the band for the share the evidence measures.

Unsupported: "Parallel planning was evident in most cases." when 9 of 15 cases showed it (60%).
Supported:   "Parallel planning was evident in the majority of cases (9 of 15)."
"""

from __future__ import annotations

from drafter.check.checks.shares import measured_share
from drafter.check.claims import Claim
from drafter.check.context import CheckContext
from drafter.check.diagnostic import Diagnostic
from drafter.check.sentences import Sentence
from drafter.vocab.language import load_language

CODE = "QNT01"


def check_quantifier(claim: Claim, sentence: Sentence, ctx: CheckContext) -> list[Diagnostic]:
    """Return a diagnostic when the sentence's quantifier does not fit the measured share."""
    if not claim.quantifier or claim.quantifier_share is None:
        return []
    if any(f.unit == "fraction" for f in claim.numbers):
        return []  # "a quarter of audits" is a stated figure: the number check judges it
    noun = (claim.quantified_noun or "").lower()
    if not any(noun == n or noun.endswith(" " + n) or noun.startswith(n + " ") for n in ctx.settings.quantified_nouns):
        return []  # "at every level": not a count of cases a measured share can test
    share = measured_share(sentence.text, ctx, claim.polarity)
    if share is None:
        return []
    low, high = claim.quantifier_share
    tolerance = load_language().quantifiers.tolerance
    if low - tolerance <= share.value <= high + tolerance:
        return []
    if share.alternative is not None and low - tolerance <= share.alternative <= high + tolerance:
        return []  # a negative sentence may count either side ("only a few had a plan")
    fitting = load_language().band_word(share.value)
    verb = "overstates" if share.value < low else "understates"
    return [
        Diagnostic(
            CODE,
            f"'{claim.quantifier}' {verb} {share.describe()}; use '{fitting}'",
            sentence.text,
            sentence.location,
            topic=claim.topics[0] if claim.topics else None,
            match=claim.quantifier,
            suggestion=f"'{fitting}'",
            evidence=(share.source,),
        )
    ]
