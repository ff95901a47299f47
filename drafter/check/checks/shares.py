"""Measured shares a sentence may be talking about: audit grades, case samples, share indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drafter.check.context import CheckContext


@dataclass(frozen=True)
class Share:
    """A measured share (0-1) with the counts or value behind it and where it came from."""

    value: float
    seen: int | None
    of: int | None
    source: str  # a line of evidence for the diagnostic
    alternative: float | None = None  # the other side's share, which a negative sentence may mean

    def describe(self) -> str:
        if self.seen is not None and self.of is not None:
            return f"{self.seen} of {self.of} ({round(self.value * 100)}%)"
        return f"{round(self.value * 100)}%"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


@lru_cache(maxsize=512)
def _feature_names(feature: str) -> tuple[tuple[str, ...], ...]:
    """Return the ways a sample feature is named, as words: its id, and the catalogue's `terms`
    (rules/sample_features.yaml), so a sentence the drafter wrote from the catalogue is tied to its sample."""
    from drafter.rules.features import load_features

    names = [tuple(_words(feature.split(".", 1)[-1]))]
    entry = load_features().get(feature)
    if entry is not None:
        names += [tuple(_words(text)) for text in entry.terms if len(_words(text)) > 1]  # one word is too loose
    return tuple(n for n in names if n)


def audit_grades_named(text: str, ctx: CheckContext) -> list[str] | None:
    """Return the grades a sentence's audit words name ('good or better' → good, outstanding), or None."""
    lowered = text.lower()
    for phrase, pattern in _grade_patterns(tuple(ctx.settings.audit_grades)):
        if phrase in lowered and pattern.search(lowered):
            return ctx.settings.audit_grades[phrase]
    return None


@lru_cache(maxsize=8)
def _grade_patterns(phrases: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Return each audit-grade phrase, longest first, with its whole-word pattern (compiled once)."""
    return [(p, re.compile(rf"(?<![\w-]){re.escape(p)}(?![\w-])")) for p in sorted(phrases, key=len, reverse=True)]


def audit_shares(text: str, ctx: CheckContext) -> list[Share]:
    """Return the share of audits with the grades the sentence names, for every round (latest first),
    from the team's series when the sentence names a team that has one."""
    mention = next((m for m in ctx.mentions(text) if m.spec.id == "audit.ratings"), None)
    grades = audit_grades_named(text, ctx)
    if mention is None or grades is None or mention.series is None:
        return []
    out = []
    for point in reversed(mention.series.points):
        total = sum(point.value.values())
        count = sum(point.value.get(g, 0) for g in grades)
        counts = ", ".join(f"{g.replace('_', ' ')} {n}" for g, n in point.value.items())
        where = f" [{mention.team}]" if mention.team else ""
        out.append(
            Share(
                count / total if total else 0.0, count, total, f"audit.ratings{where} ({point.period.label}): {counts}"
            )
        )
    return out


def audit_share(text: str, ctx: CheckContext) -> Share | None:
    """Return the latest round's share of audits with the grades the sentence names, or None."""
    shares = audit_shares(text, ctx)
    return shares[0] if shares else None


def sample_share(text: str, ctx: CheckContext) -> Share | None:
    """Return the share of the one case sample whose feature the sentence names, or None."""
    ignore = set(ctx.settings.sample_match.ignore_words)
    sentence_words = set(_words(text)) - ignore
    best: list[tuple[int, object]] = []
    for sample in ctx.evidence.samples:
        shared = 0
        for names in _feature_names(sample.feature):  # its id, and how the feature catalogue says it
            feature_words = set(names) - ignore
            fits = len(feature_words & sentence_words)
            if fits >= min(ctx.settings.sample_match.min_shared_words, len(feature_words)) and fits:
                shared = max(shared, fits)
        if shared:
            best.append((shared, sample))
    if not best:
        return None
    best.sort(key=lambda pair: -pair[0])
    if len(best) > 1 and best[0][0] == best[1][0]:
        return None  # two samples fit equally well: too unsure
    sample = best[0][1]
    return Share(
        sample.seen / sample.of, sample.seen, sample.of, f"sample {sample.feature}: {sample.seen} of {sample.of}"
    )


def indicator_share(text: str, ctx: CheckContext) -> Share | None:
    """Return the share from a percentage indicator the sentence names (complemented where the wording
    claims the other side, e.g. 'manageable' for the share above the caseload ceiling)."""
    for mention in ctx.mentions(text):
        spec = mention.spec
        if mention.series is None or spec.unit != "percent":
            continue
        complement = ctx.settings.complement_terms.get(spec.id)
        latest = mention.series.latest
        line = f"{spec.id} ({latest.period.label}): {latest.value:g}%"
        if complement:
            if any(re.search(rf"\b{re.escape(w)}\b", text, re.IGNORECASE) for w in complement):
                return Share(1 - latest.value / 100, None, None, line + " above the ceiling")
            return Share(latest.value / 100, None, None, line)
        if spec.id in ctx.settings.share_indicators:
            return Share(latest.value / 100, None, None, line)
    return None


def measured_share(text: str, ctx: CheckContext, polarity: str = "positive") -> Share | None:
    """Return the one share the sentence is most plausibly about: audits (by the grades it names), then
    samples, then share indicators. Samples and share indicators count good practice: a positive
    sentence's quantifier counts it; a negative one may count it or the rest, so both are offered;
    a mixed or neutral sentence is not judged."""
    audits = audit_share(text, ctx)
    if audits is not None:
        return audits
    share = sample_share(text, ctx) or indicator_share(text, ctx)
    if share is None or polarity not in ("positive", "negative"):
        return None
    if polarity == "negative":
        return Share(share.value, share.seen, share.of, share.source, alternative=1 - share.value)
    return share
