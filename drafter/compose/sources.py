"""Where a letter's evidence came from, so a letter that reports no visit can name its sources honestly.

A summary of the evidence (no visit, no inspectors) says what it rests on: the local authority's own
figures, its case sampling, its analysts' notes, and which of the Department for Education's
publications its figures or comparisons come from (with the Open Government Licence attribution).
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.pipeline import Assessment

DFE_NOTE = "DfE "  # how `drafter new-pack --authority` starts the note of each official series


@dataclass(frozen=True)
class Sources:
    """What the evidence in a pack is: which kinds, and which DfE publications it draws on."""

    official_figures: bool  # series the pack took from DfE's statistics (their notes name the publication)
    local_figures: bool  # the authority's own series (audits, Annex A, local performance reports)
    samples: bool
    notes: bool
    publications: tuple[str, ...]  # DfE publications the figures or their England comparisons come from
    licence: str


def evidence_sources(assessment: Assessment) -> Sources:
    """Return the sources of a pack's evidence, DfE publications in the dataset's order."""
    from drafter.official.dataset import LICENCE, load_dataset

    evidence = assessment.evidence
    pack = evidence.pack
    dataset = load_dataset()
    names = [p["name"] for p in dataset.publications.values()]
    official = [e for e in pack.indicators if (e.note or "").startswith(DFE_NOTE)]
    local = [e for e in pack.indicators if not (e.note or "").startswith(DFE_NOTE)]
    details = [u.detail for f in assessment.findings for u in f.used if u.kind == "comparator"]
    notes = [e.note or "" for e in official]
    used = [n for n in names if any(f"DfE {n}" in text for text in (*details, *notes))]
    return Sources(bool(official), bool(local), bool(evidence.samples), bool(evidence.notes), tuple(used), LICENCE)
