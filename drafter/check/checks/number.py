"""NUM01 number: a stated figure or fraction that differs from the evidence.

Unsupported: "The agency rate was 12% in March 2022." when the pack holds 21.5.
Supported:   "The agency rate was 21.5% in March 2022."
"""

from __future__ import annotations

from drafter.check.checks.shares import audit_share, audit_shares, sample_share
from drafter.check.claims import Claim, Figure
from drafter.check.context import CheckContext, Mention, figure_matches
from drafter.check.diagnostic import Diagnostic
from drafter.check.sentences import Sentence
from drafter.vocab.language import load_language

CODE = "NUM01"
UNITS = {
    "percent": ("percent",),
    "days": ("days",),
    "weeks": ("weeks",),
    "number": ("cases", "per_10000"),
    "count": ("count",),
}


def check_number(claim: Claim, sentence: Sentence, ctx: CheckContext) -> list[Diagnostic]:
    """Return a diagnostic for each stated figure that no matching evidence supports."""
    out: list[Diagnostic] = []
    periods = ctx.periods_named(sentence.text)
    for figure in claim.numbers:
        problem = None
        if figure.unit == "fraction":
            problem = _fraction(figure, sentence, ctx)
        elif figure.unit == "count" and figure.denominator:
            problem = _x_of_n(figure, sentence, ctx)
        else:
            problem = _value(figure, sentence, ctx, periods)
        if problem:
            message, evidence, topic = problem
            out.append(
                Diagnostic(
                    CODE,
                    message,
                    sentence.text,
                    sentence.location,
                    topic=topic,
                    match=figure.text,
                    suggestion="use the figure in the evidence",
                    evidence=evidence,
                )
            )
    return out


def _fraction(figure: Figure, sentence: Sentence, ctx: CheckContext):
    share = audit_share(sentence.text, ctx) or sample_share(sentence.text, ctx)
    if share is None:
        return None
    if abs(share.value - figure.value) <= load_language().quantifiers.fraction_tolerance:
        return None
    return (
        f"'{figure.text}' is {round(figure.value * 100)}%, but the evidence shows {share.describe()}",
        (share.source,),
        None,
    )


def _x_of_n(figure: Figure, sentence: Sentence, ctx: CheckContext):
    seen, of = int(figure.value), int(figure.denominator)
    share = audit_share(sentence.text, ctx)
    if share is not None and share.of == of:
        if seen not in (share.seen, share.of - share.seen):
            return (f"'{figure.text}' but the evidence shows {share.describe()}", (share.source,), "quality_assurance")
        return None
    same_size = [s for s in ctx.evidence.samples if s.of == of]
    if same_size and not any(seen in (s.seen, s.of - s.seen) for s in same_size):
        sample = sample_share(sentence.text, ctx)
        if sample is not None and sample.of == of:
            return (f"'{figure.text}' but the evidence shows {sample.describe()}", (sample.source,), None)
    return None


def _value(figure: Figure, sentence: Sentence, ctx: CheckContext, periods):
    units = UNITS.get(figure.unit or "", ())
    mentions = [m for m in ctx.mentions(sentence.text) if m.series is not None and m.spec.unit in units]
    if not mentions:
        return None
    if figure.unit == "percent":
        for share in audit_shares(sentence.text, ctx):
            if figure_matches(figure.value, share.value * 100, figure.text, ctx.settings.number_tolerance):
                return None
    bound = _period_after(figure, sentence.text, ctx)
    candidates: list[tuple[float, str]] = []
    for mention in mentions:
        candidates += _candidates(mention, [bound] if bound else [], ctx)
    candidates += _provenance_values(sentence.text, ctx)
    if not candidates:
        return None
    if any(figure_matches(figure.value, value, figure.text, ctx.settings.number_tolerance) for value, _ in candidates):
        return None
    spec = mentions[0].spec
    shown = "; ".join(line for _, line in candidates[:8])
    labels = " or the ".join(dict.fromkeys(m.spec.label for m in mentions[:2]))
    return (f"'{figure.text}' is not a figure the evidence gives for the {labels}", (shown,), spec.topic)


def _provenance_values(text: str, ctx: CheckContext) -> list[tuple[float, str]]:
    """Return the numbers the finding behind this sentence read (its values, comparators, thresholds and
    the rule's own parameters): a drafted sentence may quote any of them."""
    own = ctx.supporting_finding(text)
    if own is None:
        return []
    return [
        (float(u.value), u.describe())
        for u in own.used
        if isinstance(u.value, int | float) and not isinstance(u.value, bool)
    ]


def _period_after(figure: Figure, text: str, ctx: CheckContext):
    """Return the (month, year) named just after a figure ('17.2 in March 2022'), or None."""
    following = text[figure.end : figure.end + 24]
    named = ctx.periods_named(following)
    if named and following.lstrip(" ,").lower().startswith(("in ", "at ", "by ", "for ", "(")):
        return named[0]
    return None


def _candidates(mention: Mention, periods, ctx: CheckContext) -> list[tuple[float, str]]:
    points = list(mention.series.points)
    named = [
        p
        for p in points
        for month, year in periods
        if p.period.start.year == year
        and (month is None or p.period.start.month == month)
        and (month is not None or p.period.granularity == "year")
    ]
    chosen = named or points
    out = [(p.value, f"{mention.spec.id} {p.period.label}: {p.value:g}") for p in chosen]
    out += _comparators(mention, ctx)
    for threshold in mention.spec.thresholds:
        out.append((threshold.value, f"{threshold.label}: {threshold.value:g}"))
    if mention.spec.expected_range is not None:
        low, high = mention.spec.expected_range.min, mention.spec.expected_range.max
        out += [(low, f"expected range from {low:g}"), (high, f"expected range to {high:g}")]
    return out


def _comparators(mention: Mention, ctx: CheckContext) -> list[tuple[float, str]]:
    """Return the England, regional and neighbours' figures that fit the mention's latest value."""
    from drafter.errors import NotEvaluable
    from drafter.official.comparators import GROUPS, resolve

    out = []
    for group in GROUPS:
        try:
            figure = resolve(ctx.evidence, mention.spec.id, group, mention.team)
        except NotEvaluable:
            continue
        out.append((figure.value, f"{figure.name}: {figure.value:g}"))
    return out
