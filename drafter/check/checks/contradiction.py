"""CON01 contradiction: the sentence's polarity is opposite to the evidence's verdict on what it is about.

Unsupported: "Care leavers are well supported into education, employment or training." when the
             only finding on care leavers' EET is a serious weakness.
Supported:   "Too few care leavers are in education, employment or training."

Precision first: the check speaks only when the evidence is one-sided. It is an error when the
sentence makes a quantitative claim about a measure (a figure in its unit, a movement of it, or a
comparison with England) and every finding on that measure points the other way. It is a warning
when the sentence names the measure without a figure, or when every finding on one of its topics
points the other way, even a single note. A sentence about several topics is read topic by topic,
clause by clause ("Although A, B"; "A, but B"): a topic on which the sentence is itself mixed, or
on which the evidence is mixed, gets nothing.
"""

from __future__ import annotations

from drafter.check.checks.shares import audit_share, sample_share
from drafter.check.claims import Claim
from drafter.check.context import CheckContext, polarity_of
from drafter.check.diagnostic import Diagnostic
from drafter.check.sentences import Sentence
from drafter.rules.findings import Finding

CODE = "CON01"


def check_contradiction(claim: Claim, sentence: Sentence, ctx: CheckContext) -> list[Diagnostic]:
    """Return a diagnostic when every relevant finding points the other way from the sentence."""
    # A level or a comparison judged by its subject's better direction ("high workloads", "turnover
    # above the England average") takes a side too, though it does not judge by its own words.
    judged = claim.evaluative or any(c.kind in ("level", "comparison") for c in claim.cues)
    if claim.polarity not in ("positive", "negative", "mixed") or not judged:
        return []
    if ctx.is_historical(sentence.text):
        return []
    found = _contradictions(claim, sentence, ctx)
    if found:
        own = ctx.supporting_finding(sentence.text)
        if own is not None and (polarity_of(own) == claim.polarity or "mixed" in own.tags or own.subject):
            return []  # the sentence is a finding's own wording (or part of a note or sample finding)
    return found


def _contradictions(claim: Claim, sentence: Sentence, ctx: CheckContext) -> list[Diagnostic]:
    text = sentence.text.lower()
    relevant, tied = _aspect_findings(claim, sentence.text, ctx, text) if claim.polarity != "mixed" else ([], False)
    if relevant:
        if any(polarity_of(f) == claim.polarity or "mixed" in f.tags for f in relevant):
            return []
        return [_diagnostic(claim.polarity, "on this measure", relevant, sentence, None if tied else "warning")]
    out = []
    supported: set[str] = set()  # the sides some topic's evidence bears out
    for topic, polarity in topic_claims(claim):
        findings = [f for f in ctx.findings_by_topic.get(topic, []) if _applies(f, text)]
        if len(findings) < ctx.settings.contradiction.min_topic_findings:
            continue
        if any(polarity_of(f) == polarity or "mixed" in f.tags for f in findings):
            supported.add(polarity)  # the evidence agrees, or is itself mixed
            continue
        label = ctx.vocabulary.topics[topic].label if topic in ctx.vocabulary.topics else topic
        out.append((polarity, _diagnostic(polarity, f"on {label}", findings, sentence, "warning")))
    # What the sentence says is borne out on one of the topics it is filed under ("early help" is
    # early help and the front door): the others' evidence is about something else.
    out = [d for side, d in out if side not in supported]
    if out and _names_unjudged_measure(sentence.text, ctx):
        return []  # the sample or measure it is about is evidence too, and it has no verdict to oppose
    return out


def topic_claims(claim: Claim) -> list[tuple[str, str]]:
    """Return (topic, polarity) for each topic on which the sentence takes one side.

    A sentence that is positive or negative as a whole takes that side on every topic it names. A
    mixed sentence is read clause by clause: a topic takes the side of the clauses that name it,
    and a clause that names no topic ("they remain too high") speaks of every topic in the sentence;
    a topic whose clauses disagree, or are mixed, takes no side.
    """
    if claim.polarity in ("positive", "negative"):
        return [(t, claim.polarity) for t in claim.topics]
    if claim.polarity != "mixed" or not claim.parts:
        return []
    out = []
    for topic in claim.topics:
        sides = {p.polarity for p in claim.parts if topic in p.topics or not p.topics} - {"neutral"}
        if len(sides) == 1 and sides <= {"positive", "negative"}:
            out.append((topic, sides.pop()))
    return out


def _diagnostic(polarity: str, scope: str, relevant: list[Finding], sentence: Sentence, level) -> Diagnostic:
    first = relevant[0]
    verdict = "strengths" if polarity == "negative" else "weaknesses"
    return Diagnostic(
        CODE,
        f"the sentence reads as {polarity}, but the evidence {scope} shows only {verdict} "
        f"({len(relevant)} finding{'s' * (len(relevant) != 1)}, e.g. {first.rule_id}: {first.sentence})",
        sentence.text,
        sentence.location,
        level=level,
        topic=first.topic,
        suggestion="reword to match the evidence, or add the evidence that supports it",
        evidence=tuple(f"{f.rule_id} {f.verdict}: {f.sentence}" for f in relevant[:5]),
    )


def _names_unjudged_measure(text: str, ctx: CheckContext) -> bool:
    """Return True when the sentence is about a case sample or audit round in the pack, or names an
    indicator the pack has a series for that no finding judged."""
    if sample_share(text, ctx) is not None or audit_share(text, ctx) is not None:
        return True
    return any(m.series is not None and m.term not in ctx.generic_terms and not ctx.findings_reading(m.spec.id)
               for m in ctx.mentions(text))


def _applies(finding: Finding, text: str) -> bool:
    """Return whether a finding speaks to the sentence: whole-authority findings do; a team's only
    when the sentence names the team."""
    return finding.team is None or finding.team.replace("_", " ").lower() in text


def _aspect_findings(claim: Claim, original: str, ctx: CheckContext, text: str) -> tuple[list[Finding], bool]:
    """Return the findings on the measures the sentence is specifically about (named by a term more
    specific than a topic's, or tied to it by a stated figure in its unit, a movement of it or a
    comparison), and whether every one of those measures is tied to the sentence quantitatively."""
    out: list[Finding] = []
    all_tied = True
    units = {f.unit for f in claim.numbers if not f.denominator}
    unit_of = {"percent": "percent", "days": "days", "weeks": "weeks", "number": "cases"}
    for mention in ctx.mentions(original):
        specific = mention.term not in ctx.generic_terms
        figures = any(unit_of.get(u) == mention.spec.unit for u in units)
        moved = any(
            m.subject and any(x.spec.id == mention.spec.id for x in ctx.mentions(m.subject)) for m in claim.movements
        )
        compared = any(c.subject and any(x.spec.id == mention.spec.id for x in ctx.mentions(c.subject))
                       for c in claim.comparisons)
        if not (specific or figures or moved or compared):
            continue
        if ctx.about_another_time(original, mention.series):
            continue
        found_here = False
        for finding in ctx.findings_reading(mention.spec.id):
            teams = {u.team for u in finding.used if u.name == mention.spec.id}
            if mention.team not in teams:
                continue  # a team's finding says nothing of the authority's figure, and the reverse
            found_here = True
            if finding not in out:
                out.append(finding)
        if found_here and not (figures or moved or compared):
            all_tied = False
    return out, all_tied and bool(out)
