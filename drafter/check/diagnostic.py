"""One diagnostic shape for every check, and the registry of codes with their documentation pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from drafter.check.read import Location

Level = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    """A diagnostic code: its name (as users write it in `drafter: ignore`), level and doc page."""

    code: str
    name: str
    level: Level
    summary: str
    doc: str  # path of its documentation page, relative to the project root


CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("CON01", "contradiction", "error",
             "The sentence's polarity is opposite to every finding on its measure or topic.", "docs/checks/CON01.md"),
        Code("QNT01", "quantifier", "error",
             "The quantifier is outside the band for the measured share.", "docs/checks/QNT01.md"),
        Code("TRD01", "trend", "error",
             "The stated trend is not what the series shows.", "docs/checks/TRD01.md"),
        Code("NUM01", "number", "error",
             "A stated figure or fraction differs from the evidence.", "docs/checks/NUM01.md"),
        Code("EVD01", "unsupported", "warning",
             "An evaluative claim on a topic the pack has no evidence for.", "docs/checks/EVD01.md"),
        Code("PII01", "child-identified", "error",
             "A name, date of birth or case number that could identify a child.", "docs/checks/PII01.md"),
    )
}
BY_NAME = {c.name: c for c in CODES.values()}


@dataclass(frozen=True)
class Diagnostic:
    """Something a draft says that its evidence does not support, located in the draft."""

    code: str
    message: str
    text: str  # the sentence
    location: Location
    level: Level | None = None  # None: the code's own level
    topic: str | None = None
    match: str = ""  # the words the diagnostic is about ("most", "continued to reduce", "17%")
    suggestion: str = ""
    evidence: tuple[str, ...] = ()  # the evidence lines that decided (provenance of findings/values)
    claim: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return CODES[self.code].name

    @property
    def effective_level(self) -> Level:
        return self.level or CODES[self.code].level

    def to_record(self) -> dict:
        """Return the drafter-check/1 record of this diagnostic."""
        return {
            "code": self.code,
            "name": self.name,
            "level": self.effective_level,
            "message": self.message,
            "text": self.text,
            "topic": self.topic,
            "location": location_record(self.location),
            "match": self.match or None,
            "suggestion": self.suggestion or None,
            "claim": self.claim,
            "evidence": list(self.evidence),
        }


def location_record(location: Location) -> dict:
    """Return a location as a JSON-ready dict, leaving out what the format lacks."""
    keys = ("line", "column", "paragraph", "table", "row", "cell")
    return {k: getattr(location, k) for k in keys if getattr(location, k, None) is not None}


@dataclass(frozen=True)
class CheckResult:
    """What `check` found in one draft: the diagnostics, and every claim read (fine or not)."""

    path: str
    diagnostics: tuple[Diagnostic, ...]
    claims: tuple[dict, ...] = ()
    evidence_path: str = ""
    notes: tuple[str, ...] = ()  # how the draft was read, where that matters ("a sentence ... read in pieces")

    @property
    def errors(self) -> int:
        return sum(d.effective_level == "error" for d in self.diagnostics)
