"""The drafting pipeline's public steps, for the CLI and tests: load → evaluate → judge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drafter.evidence.load import load_pack
from drafter.evidence.pack import Evidence
from drafter.rules.engine import evaluate, findings
from drafter.rules.findings import Finding, Outcome
from drafter.rules.judgements import Judgements, judge


@dataclass(frozen=True)
class Assessment:
    """Everything drafter concluded from one pack: outcomes per rule, findings and judgements."""

    evidence: Evidence
    outcomes: tuple[Outcome, ...]
    findings: tuple[Finding, ...]
    judgements: Judgements


def assess(evidence: Evidence) -> Assessment:
    """Return the outcomes, findings and judgements for loaded evidence."""
    outcomes = evaluate(evidence)
    found = findings(outcomes)
    return Assessment(evidence, tuple(outcomes), tuple(found), judge(found, evidence))


def assess_pack(path: str | Path) -> Assessment:
    """Return the assessment of the pack at `path` (raises EvidenceError for an invalid pack)."""
    return assess(load_pack(path))
