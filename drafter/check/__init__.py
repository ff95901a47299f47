"""Read drafts, split them into sentences and find what each sentence claims (compared with evidence later)."""

from drafter.check.claims import Claim, Comparison, Cue, Figure, Movement, Part, extract_claims, iter_claims
from drafter.check.read import AttrSpan, Directive, Draft, Location, Paragraph, read_draft
from drafter.check.sentences import Sentence, iter_sentences, split_sentences

__all__ = [
    "AttrSpan",
    "Claim",
    "Comparison",
    "Cue",
    "Directive",
    "Draft",
    "Figure",
    "Location",
    "Movement",
    "Paragraph",
    "Part",
    "Sentence",
    "extract_claims",
    "iter_claims",
    "iter_sentences",
    "read_draft",
    "split_sentences",
]
