"""TRD01 trend: the movement a sentence states is not what the indicator's series shows.

Unsupported: "Caseloads have continued to reduce." when only the latest period fell.
Supported:   "Caseloads have reduced, from 19.2 to 17.6." after one fall.
"""

from __future__ import annotations

from functools import lru_cache

from drafter.check.claims import Claim, Movement
from drafter.check.context import CheckContext, Mention
from drafter.check.diagnostic import Diagnostic
from drafter.check.sentences import Sentence
from drafter.evidence.pack import run_at_end
from drafter.vocab.language import load_language

CODE = "TRD01"
NOUN_ENDINGS = ("tion", "tions", "ment", "ments")
NEAR = 40  # characters between a movement word and the measure it is read as moving, without a subject
COMPARATIVES = {"more", "less", "fewer", "greater", "lower", "higher", "faster", "slower", "sooner", "later"}


def check_trend(claim: Claim, sentence: Sentence, ctx: CheckContext) -> list[Diagnostic]:
    """Return a diagnostic for each stated movement that the matched series contradicts."""
    out: list[Diagnostic] = []
    for movement in claim.movements:
        if movement.negated or movement.word.lower() in COMPARATIVES:
            continue  # "more quickly", "fewer children": what moved is too unsure to judge
        if movement.word.lower().endswith(NOUN_ENDINGS):
            continue  # "to support reductions in caseloads" names a change; it does not claim one
        mention = _indicator_for(movement, sentence.text, ctx)
        if mention is None or mention.series is None or len(mention.series.points) < 2:
            continue  # nothing to compare with: stay quiet
        if ctx.about_another_time(sentence.text, mention.series):
            continue  # the sentence speaks of an earlier period than the latest movement
        problem = _judge(movement, mention)
        if problem:
            message, suggestion = problem
            out.append(
                Diagnostic(
                    CODE,
                    message,
                    sentence.text,
                    sentence.location,
                    topic=mention.spec.topic,
                    match=movement.word,
                    suggestion=suggestion,
                    evidence=(_series_line(mention),),
                )
            )
    return out


def _indicator_for(movement: Movement, text: str, ctx: CheckContext) -> Mention | None:
    mentions = [m for m in ctx.mentions(text) if m.spec.unit != "grades"]
    if movement.subject:
        named = [m for m in ctx.mentions(movement.subject) if m.spec.unit != "grades"]
        if not named:
            return None  # the sentence says what moved, and it is not a measure the pack holds
        series_for = {m.spec.id: m for m in mentions}
        return series_for.get(named[0].spec.id, Mention(named[0].spec, 0, 0, ctx.evidence.get(named[0].spec.id)))
    with_data = [m for m in mentions if m.series is not None
                 and min(abs(m.start - movement.end), abs(movement.start - m.end)) <= NEAR]
    if len(with_data) == 1:
        return with_data[0]
    return None  # none close by, or several measures: too unsure to judge


def _judge(movement: Movement, mention: Mention) -> tuple[str, str] | None:
    spec = mention.spec
    values = [p.value for p in mention.series.points]
    settings = _trend_settings()
    direction, run = run_at_end(values, settings.stable_within)
    need = settings.continue_min_moves
    last = f"{_fmt(values[-2])} to {_fmt(values[-1])}"
    label = spec.label
    if movement.direction in ("improve", "worsen"):
        if spec.better == "context":
            return None  # neither better nor worse: the claim cannot be judged on this measure
        better_move = "down" if spec.better == "lower" else "up"
        stated = better_move if movement.direction == "improve" else ("up" if better_move == "down" else "down")
        word = "improved" if movement.direction == "improve" else "worsened"
    else:
        stated = movement.direction
        word = "risen" if stated == "up" else "fallen"
    if direction == "stable":
        return (
            f"'{movement.word}' but the {label} was stable in the latest period ({last})",
            "say that it has remained stable",
        )
    if direction != stated:
        way = "rose" if direction == "up" else "fell"
        extra = ""
        if movement.direction in ("improve", "worsen"):
            extra = f"; {spec.better} is better for this measure"
        return (
            f"'{movement.word}' but the {label} {way} in the latest period ({last}){extra}",
            f"the evidence does not show that it has {word}",
        )
    if movement.continuing and run < need:
        return (
            f"'{movement.word}' needs at least {need} consecutive moves, but the {label} moved that way only "
            f"in the latest period ({last})",
            f"say that it has {word}, not that it has continued to",
        )
    return None


@lru_cache(maxsize=1)
def _trend_settings():
    """Return rules/language.yaml's trend conventions (read once: a sentence may hold many movements)."""
    return load_language().trend


def _series_line(mention: Mention) -> str:
    points = ", ".join(f"{p.period.label}: {_fmt(p.value)}" for p in mention.series.points)
    return f"{mention.spec.id} ({mention.spec.better} is better): {points}"


def _fmt(value: float) -> str:
    return f"{value:g}"
