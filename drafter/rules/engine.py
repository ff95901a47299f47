"""The rules engine: evaluate every rule against a pack, giving outcomes and findings with provenance."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from jinja2.exceptions import TemplateError

from drafter.errors import NotEvaluable
from drafter.evidence.pack import Evidence
from drafter.rules.catalogue import load_catalogue
from drafter.rules.expr import save_compiled
from drafter.rules.findings import Finding, Outcome, Recorder, Used
from drafter.rules.helpers import EvidenceView, wording_context
from drafter.rules.loader import LoadedRule, load_rules
from drafter.vocab.wording import day_periods

# What a user's rule can raise while it runs: reported as the rule's `error` outcome, never a traceback.
RULE_FAILURES = (TemplateError, TypeError, ValueError, ArithmeticError, LookupError, AttributeError, RecursionError)


def evaluate(evidence: Evidence, rules: Iterable[LoadedRule] | None = None) -> list[Outcome]:
    """Return one outcome per rule (per team, note or sample where the rule iterates), in rule order."""
    rules = list(rules) if rules is not None else load_rules()
    catalogue = load_catalogue()
    claimed = {f for r in rules if r.rule.kind == "condition" for f in r.features}
    outcomes: list[Outcome] = []
    for item in rules:
        kind = item.rule.kind
        if kind == "note":
            outcomes += _evaluate_notes(item, evidence)
        elif kind == "sample":
            outcomes += _evaluate_samples(item, evidence, catalogue, claimed)
        elif item.rule.per_team:
            teams = evidence.teams(item.rule.per_team)
            if not teams:
                outcomes.append(
                    _outcome(
                        item,
                        "not_evaluable",
                        missing=(item.rule.per_team,),
                        why=(f"{item.rule.per_team}: the pack has no breakdown by team",),
                    )
                )
            for team in teams:
                outcomes.append(_evaluate_condition(item, evidence, catalogue, team=team))
        else:
            outcomes.append(_evaluate_condition(item, evidence, catalogue))
    save_compiled()  # phrases compiled for this pack are kept for the next process
    return outcomes


def findings(outcomes: Iterable[Outcome]) -> list[Finding]:
    """Return the findings of the outcomes that fired."""
    return [o.finding for o in outcomes if o.status == "fires" and o.finding is not None]


def _outcome(
    item: LoadedRule, status: str, *, missing=(), why=(), used=(), team=None, subject=None, finding=None, error=""
) -> Outcome:
    return Outcome(
        item.rule.id,
        item.rule.name,
        item.topic,
        status,
        finding,
        tuple(missing),
        tuple(why),
        tuple(used),
        team,
        subject,
        error,
    )


def _variant(evidence: Evidence, key: str, count: int) -> int:
    """Return a phrase variant chosen by hashing the pack's identity: varied, never random."""
    seed = f"{evidence.pack.authority}|{evidence.pack.as_of.isoformat()}|{key}".encode()
    return int.from_bytes(hashlib.sha256(seed).digest()[:4], "big") % count


def tidy_sentence(text: str) -> str:
    """Return a rendered phrase as one clean sentence: single spaces, capital first, full stop last."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = day_periods(text)
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?":
        text += "."
    return text


def _render(item: LoadedRule, evidence: Evidence, context: dict[str, Any], key: str) -> str:
    index = _variant(evidence, key, len(item.phrases))
    return tidy_sentence(item.phrases[index].render(**context))


def _render_words(item: LoadedRule, evidence: Evidence, context: dict[str, Any], key: str) -> tuple[str, ...]:
    """Return every words-only variant rendered, starting from the one the pack's hash picks."""
    if not item.words:
        return ()
    start = _variant(evidence, key + "/words", len(item.words))
    order = item.words[start:] + item.words[:start]
    return tuple(dict.fromkeys(tidy_sentence(p.render(**context)) for p in order))


def sample_facts(sample, variant: int = 0) -> dict[str, Any]:
    """Return what a sample rule's phrases may use about one case sample (`sample.*`)."""
    from drafter.rules.features import say_sample

    topic, _, _ = sample.feature.partition(".")
    said = say_sample(sample.feature, sample.seen, sample.of, variant=variant)
    return {
        "feature": sample.feature,
        "topic": topic,
        "words": said.what,
        "seen": sample.seen,
        "of": sample.of,
        "share": sample.seen / sample.of,
        "note": sample.note or "",
        "says": said.words,  # band -> the catalogue's sentence in words ("most of the ... cases sampled")
        "figures": said.figures,  # band -> the same sentence with the counts ("nine of the 12 ...")
        "known": said.known,
    }


def _evaluate_condition(item: LoadedRule, evidence: Evidence, catalogue, team: str | None = None) -> Outcome:
    recorder = Recorder()
    view = EvidenceView(evidence, catalogue, recorder, team)
    context = view.context() | {"params": item.rule.params, "team": team}
    for name, value in item.rule.params.items():
        recorder.add(Used("param", f"params.{name}", value))
    try:
        fired = bool(item.condition(**context))
        if not fired:
            return _outcome(item, "quiet", used=recorder.used, team=team)
        sentence = _render(item, evidence, context | wording_context(), item.rule.id + (team or ""))
        words = _render_words(item, evidence, context | wording_context(), item.rule.id + (team or ""))
    except NotEvaluable as exc:
        return _outcome(item, "not_evaluable", missing=exc.missing, why=exc.why, used=recorder.used, team=team)
    except RULE_FAILURES as exc:
        return _outcome(item, "error", used=recorder.used, team=team, error=f"{type(exc).__name__}: {exc}")
    finding = Finding(
        item.rule.id,
        item.rule.name,
        item.topic,
        item.rule.verdict,
        sentence,
        tuple(recorder.used),
        team=team,
        tags=tuple(item.rule.tags),
        why=item.rule.why,
        words=words,
    )
    return _outcome(item, "fires", used=recorder.used, team=team, finding=finding)


def _evaluate_notes(item: LoadedRule, evidence: Evidence) -> list[Outcome]:
    out: list[Outcome] = []
    for index, note in enumerate(evidence.notes):
        if item.rule.polarity and note.polarity not in item.rule.polarity:
            continue
        if item.topic != "any" and note.topic != item.topic:
            continue
        used = (
            Used(
                "note",
                note.topic,
                note.text,
                note.period,
                None,
                f"{note.polarity}" + (f"; source: {note.source}" if note.source else ""),
            ),
        )
        context = wording_context() | {
            "note": {"text": note.text.strip(), "topic": note.topic, "polarity": note.polarity, "source": note.source},
            "params": item.rule.params,
            "team": None,
        }
        subject = f"note{index + 1}"
        try:
            sentence = _render(item, evidence, context, f"{item.rule.id}/{subject}")
        except RULE_FAILURES as exc:
            out.append(_outcome(item, "error", used=used, subject=subject, error=str(exc)))
            continue
        finding = Finding(
            item.rule.id,
            item.rule.name,
            note.topic,
            item.rule.verdict,
            sentence,
            used,
            tags=tuple(item.rule.tags),
            why=item.rule.why,
            subject=subject,
        )
        out.append(Outcome(item.rule.id, item.rule.name, note.topic, "fires", finding, (), (), used, None, subject))
    if not out:
        out.append(_outcome(item, "quiet"))
    return out


def _evaluate_samples(item: LoadedRule, evidence: Evidence, catalogue, claimed: set[str]) -> list[Outcome]:
    out: list[Outcome] = []
    for index, sample in enumerate(evidence.samples):
        if sample.feature in claimed:
            continue  # a specific rule already judges this sample
        topic = sample.feature.partition(".")[0]
        if item.topic != "any" and topic != item.topic:
            continue
        recorder = Recorder()
        recorder.add(
            Used("sample", sample.feature, f"{sample.seen} of {sample.of}", sample.period, None, sample.note or "")
        )
        view = EvidenceView(evidence, catalogue, recorder)
        context = view.context() | {"params": item.rule.params, "sample": sample_facts(sample, index), "team": None}
        try:
            if item.condition is not None and not item.condition(**context):
                continue
            sentence = _render(item, evidence, context | wording_context(), f"{item.rule.id}/{sample.feature}")
            words = _render_words(item, evidence, context | wording_context(), f"{item.rule.id}/{sample.feature}")
        except NotEvaluable as exc:
            out.append(_outcome(item, "not_evaluable", missing=exc.missing, why=exc.why, subject=sample.feature))
            continue
        except RULE_FAILURES as exc:
            out.append(_outcome(item, "error", subject=sample.feature, error=str(exc)))
            continue
        finding = Finding(
            item.rule.id,
            item.rule.name,
            topic,
            item.rule.verdict,
            sentence,
            tuple(recorder.used),
            tags=tuple(item.rule.tags),
            why=item.rule.why,
            subject=sample.feature,
            words=words,
        )
        out.append(
            Outcome(
                item.rule.id,
                item.rule.name,
                topic,
                "fires",
                finding,
                (),
                (),
                tuple(recorder.used),
                None,
                sample.feature,
            )
        )
    if not out:
        out.append(_outcome(item, "quiet"))
    return out


def phrase_variants(item: LoadedRule, evidence: Evidence, which: str = "phrases") -> list[str]:
    """Return every phrase variant of a rule rendered for evidence on which it fires (for `rules lint`).

    `which` is "phrases" (the figures register) or "words" (the words-only variants). Condition
    rules render for the first team (per-team rules) or the authority; note and sample rules for
    the first note or sample they fire on. An empty list means the rule does not fire.
    """
    catalogue = load_catalogue()
    rule = item.rule
    templates = item.phrases if which == "phrases" else item.words
    if rule.kind == "note":
        for note in evidence.notes:
            if (not rule.polarity or note.polarity in rule.polarity) and (item.topic in ("any", note.topic)):
                context = wording_context() | {"note": {"text": note.text.strip(), "topic": note.topic,
                                                        "polarity": note.polarity, "source": note.source},
                                               "params": rule.params, "team": None}
                try:
                    return [tidy_sentence(p.render(**context)) for p in templates]
                except RULE_FAILURES:
                    return []
        return []
    teams = evidence.teams(rule.per_team) if rule.per_team else [None]
    samples = list(evidence.samples) if rule.kind == "sample" else [None]
    for team in teams:
        for sample in samples:
            view = EvidenceView(evidence, catalogue, Recorder(), team)
            context = view.context() | {"params": rule.params, "team": team}
            if sample is not None:
                context["sample"] = sample_facts(sample)
            try:
                if item.condition is not None and not item.condition(**context):
                    continue
                return [tidy_sentence(p.render(**(context | wording_context()))) for p in templates]
            except (NotEvaluable, *RULE_FAILURES):
                continue
    return []
