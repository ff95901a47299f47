"""`drafter rules lint`: read every phrase back with the checker, against its rule's firing example.

This joins the two paths (drafting and checking), so it sits above both.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.check.claims import extract_claims
from drafter.check.compare import check_draft
from drafter.check.read import Draft, Paragraph
from drafter.errors import EvidenceError
from drafter.pipeline import assess
from drafter.rules.engine import phrase_variants
from drafter.rules.examples import _short, example_evidence
from drafter.rules.loader import LoadedRule
from drafter.vocab.topics import load_vocabulary
from drafter.vocab.wording import figures_in

AGREES = {
    "strength": ("positive",),
    "improving": ("positive", "mixed"),
    "weakness": ("negative", "mixed"),
    "serious_weakness": ("negative", "mixed"),
}


@dataclass(frozen=True)
class LintResult:
    rule_id: str
    path: str
    what: str  # "phrase 1", "supported 2", "unsupported 1"
    ok: bool
    message: str
    text: str

    def line(self) -> str:
        status = "ok" if self.ok else f"FAIL ({self.message})"
        return f"{self.path}:{self.rule_id}:{self.what} {status}"


def _draft_of(text: str) -> Draft:
    return Draft("<phrase>", "text", (Paragraph.from_text(text, line=1, column=1),))


def lint_rule(item: LoadedRule) -> list[LintResult]:
    """Return one result per phrase variant and wording case of a rule."""
    vocab = load_vocabulary()
    firing = [e for e in item.rule.examples if e.expect == "fires"]
    path = _short(item.path)
    if not firing:
        return [LintResult(item.id, path, "examples", False, "no firing example to lint against", "")]
    try:
        evidence = example_evidence(item, firing[0])
    except EvidenceError as exc:
        return [LintResult(item.id, path, "examples", False, exc.problems[0].message, "")]
    assessment = assess(evidence)
    results = []
    sentences = phrase_variants(item, evidence)
    if not sentences:
        results.append(
            LintResult(item.id, path, "phrases", False, f"the rule does not fire on its example {firing[0].name!r}", "")
        )
    labelled = [(f"phrase {i}", s) for i, s in enumerate(sentences, 1)]
    labelled += [(f"words {i}", s) for i, s in enumerate(phrase_variants(item, evidence, "words"), 1)]
    for what, sentence in labelled:
        problems = []
        claim = extract_claims(sentence, vocab)
        if claim is None:
            problems.append("the checker reads no claim from it")
        else:
            if item.topic != "any" and claim.topics and item.topic not in claim.topics:
                problems.append(f"read as about {', '.join(claim.topics)}, not {item.topic}")
            agrees = AGREES[item.rule.verdict]
            if claim.polarity in ("positive", "negative", "mixed") and claim.polarity not in agrees:
                problems.append(f"reads as {claim.polarity}, but the verdict is {item.rule.verdict}")
        diagnostics = [
            d for d in check_draft(_draft_of(sentence), assessment).diagnostics if d.effective_level == "error"
        ]
        problems += [f"{d.code} {d.name}: {d.message}" for d in diagnostics]
        if what.startswith("words") and figures_in(sentence):
            problems.append(f"a words-only variant states figures: {', '.join(figures_in(sentence))}")
        results.append(LintResult(item.id, path, what, not problems, "; ".join(problems), sentence))
    wording = item.rule.wording
    if wording is not None:
        for index, text in enumerate(wording.supported, 1):
            found = [d for d in check_draft(_draft_of(text), assessment).diagnostics if d.effective_level == "error"]
            results.append(
                LintResult(
                    item.id,
                    path,
                    f"supported {index}",
                    not found,
                    "; ".join(f"{d.code}: {d.message}" for d in found),
                    text,
                )
            )
        for index, case in enumerate(wording.unsupported, 1):
            codes = sorted({d.code for d in check_draft(_draft_of(case.text), assessment).diagnostics})
            ok = codes == sorted(set(case.expect))
            results.append(
                LintResult(
                    item.id,
                    path,
                    f"unsupported {index}",
                    ok,
                    "" if ok else f"expected {sorted(case.expect)}, got {codes}",
                    case.text,
                )
            )
    return results
