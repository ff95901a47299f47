"""Find what a sentence claims: topics, polarity, quantifier, trend, figures, hedges and comparisons.

One module per thing read (issue 17): `topics`, `polarity` (clauses, negation, verdict), `levels`
(levels and comparisons), `trends`, `quantifiers`, `figures`; `reader` holds the sentence and its
position tables; `model` the claim as data.
"""

from __future__ import annotations

from collections.abc import Iterator

from drafter.check.claims.model import Claim, Comparison, Cue, Figure, Movement, Part, Polarity, Trend
from drafter.check.claims.reader import Reader
from drafter.check.read import Draft, Location
from drafter.check.sentences import Sentence, _clauses, iter_sentences
from drafter.vocab.cues import load_cues
from drafter.vocab.topics import Vocabulary

__all__ = ["Claim", "Comparison", "Cue", "Figure", "Movement", "Part", "Polarity", "Trend", "extract_claims",
           "iter_claims"]


def extract_claims(sentence: Sentence | str, vocabulary: Vocabulary | None = None) -> Claim | None:
    """Return what `sentence` claims, or None for a heading or a sentence with nothing to check.

    "Nothing to check" means no judgement (neutral polarity), no quantifier, no figure, no trend
    and no comparison, whatever topic it mentions (e.g. "A copy of this letter goes to the
    Department for Education."). A plain string is read as one sentence. `vocabulary` defaults to
    the bundled rules/topics.yaml.
    """
    if isinstance(sentence, str):
        text = sentence.strip()
        sentence = Sentence(text, 0, len(text), Location(line=1, column=1), clauses=_clauses(text))
    if sentence.kind == "heading" or not sentence.text.strip():
        return None
    cues = load_cues(vocabulary)
    if cues.opens_without_claim(sentence.text):
        return None
    return Reader(sentence, cues).claim()


def iter_claims(draft: Draft, vocabulary: Vocabulary | None = None) -> Iterator[Claim]:
    """Yield the claim of every sentence in `draft` that has one, in document order."""
    cues = load_cues(vocabulary)
    for sentence in iter_sentences(draft, cues):
        claim = extract_claims(sentence, vocabulary)
        if claim is not None:
            yield claim
