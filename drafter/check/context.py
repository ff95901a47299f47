"""What the checks compare claims with: the evidence, the findings, and how prose names the measures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import RulebookError
from drafter.evidence.pack import Evidence, Series
from drafter.paths import rules_dir
from drafter.pipeline import Assessment
from drafter.rules.catalogue import Catalogue, IndicatorSpec, load_catalogue
from drafter.rules.findings import POSITIVE_VERDICTS, Finding
from drafter.vocab.topics import Vocabulary, load_vocabulary

TEAM_WINDOW = 40  # characters between a team's name and the measure it qualifies
_MONTHS = ("january february march april may june july august september october november december").split()
_PERIOD = re.compile(r"\b(?:(" + "|".join(_MONTHS) + r")\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class NumberTolerance(_Strict):
    whole: float
    decimal: float


class SampleMatch(_Strict):
    min_shared_words: int
    ignore_words: list[str]


class Contradiction(_Strict):
    min_topic_findings: int


class CheckSettings(_Strict):
    schema_: Literal["checks/1"] = Field(alias="schema")
    quantified_nouns: list[str]
    historical_cues: list[str]
    audit_grades: dict[str, list[str]]
    complement_terms: dict[str, list[str]]
    share_indicators: list[str]
    number_tolerance: NumberTolerance
    sample_match: SampleMatch
    contradiction: Contradiction

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


@lru_cache(maxsize=4)
def load_check_settings(path: str | None = None) -> CheckSettings:
    """Return the checker's settings from rules/checks.yaml; raise RulebookError naming file:line."""
    target = Path(path) if path else rules_dir() / "checks.yaml"
    return load_config(target, CheckSettings, "check settings", RulebookError)[0]


def _phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted({p for p in phrases if p}, key=len, reverse=True)
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=4)
def _indicator_patterns(catalogue_key: int) -> dict[str, tuple[tuple[str, ...], re.Pattern[str]]]:
    """Return {indicator: (the first words of its terms, lower case; its pattern)}: a sentence that holds
    none of the first words cannot match, so the pattern is not tried."""
    catalogue = load_catalogue()
    out = {}
    for spec in catalogue.indicators:
        if spec.terms:
            firsts = [_WORD.findall(t.lower().replace("’", "'"))[:1] for t in spec.terms]
            # A term that does not start with a word is always tried (no first word to look for).
            keys = tuple(f[0] for f in firsts if f) if all(firsts) else ()
            out[spec.id] = (keys, _phrase_pattern(spec.terms))
    return out


_WORD = re.compile(r"[\w'-]+")


@dataclass(frozen=True)
class Mention:
    """An indicator a sentence names, where, and the series the pack has for it (if any)."""

    spec: IndicatorSpec
    start: int
    end: int
    series: Series | None
    team: str | None = None
    term: str = ""


@dataclass
class CheckContext:
    """The evidence side of a check, built once per draft."""

    evidence: Evidence
    assessment: Assessment
    catalogue: Catalogue = field(default_factory=load_catalogue)
    vocabulary: Vocabulary = field(default_factory=load_vocabulary)
    settings: CheckSettings = field(default_factory=load_check_settings)
    _own: dict = field(default_factory=dict, repr=False)
    _mentions: dict = field(default_factory=dict, repr=False)
    _periods: dict = field(default_factory=dict, repr=False)

    @cached_property
    def findings_by_topic(self) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for finding in self.assessment.findings:
            out.setdefault(finding.topic, []).append(finding)
        return out

    @cached_property
    def topics_with_evidence(self) -> set[str]:
        """Return the topics the pack holds any evidence on (a series, a sample, a note or a finding)."""
        topics = set(self.findings_by_topic)
        for indicator, _team in self.evidence.series:
            spec = self.catalogue.get(indicator)
            if spec:
                topics.add(spec.topic)
        topics |= {s.feature.split(".", 1)[0] for s in self.evidence.samples}
        topics |= {n.topic for n in self.evidence.notes}
        return topics

    def mentions(self, text: str) -> list[Mention]:
        """Return the indicators a sentence names, longest match first, each once. A team's own series
        is used when the sentence names a team that has one ('in the assessment team')."""
        if text not in self._mentions:
            self._mentions[text] = self._find_mentions(text)
        return list(self._mentions[text])

    def _find_mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        lowered = text.lower()
        words = set(_WORD.findall(lowered.replace("’", "'")))
        words |= {w.split("'", 1)[0] for w in words if "'" in w}  # "england's" holds "england"
        for indicator, (first_words, pattern) in _indicator_patterns(id(self.catalogue)).items():
            if first_words and words.isdisjoint(first_words):
                continue
            match = pattern.search(text)
            if match:
                spec = self.catalogue.get(indicator)
                team = self.team_named(indicator, lowered, text, match.start())
                found.append(
                    Mention(
                        spec,
                        match.start(),
                        match.end(),
                        self.evidence.get(indicator, team),
                        team,
                        match.group(0).lower(),
                    )
                )
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        return found

    def team_named(self, indicator: str, lowered: str, text: str = "", near: int = 0) -> str | None:
        """Return the team whose own series the sentence is about: the one team it names close to the
        measure (within TEAM_WINDOW characters of position `near`), or else the team whose series the
        finding behind this sentence read. Naming several teams means none."""
        named = []
        for team in self.evidence.teams(indicator):
            words = re.escape(team.replace("_", " ").replace("-", " ").lower())
            if any(abs(m.start() - near) <= TEAM_WINDOW for m in re.finditer(rf"\b{words}\b", lowered)):
                named.append(team)
        if len(named) == 1:
            return named[0]
        if not named and text:
            own = self.supporting_finding(text)
            teams = {u.team for u in own.used if u.name == indicator and u.team} if own else set()
            if len(teams) == 1:
                return teams.pop()
        return None

    @cached_property
    def generic_terms(self) -> set[str]:
        """Return every topic term: words too broad to tie a sentence to one indicator on their own."""
        return {t.lower() for topic in self.vocabulary.topics.values() for t in topic.terms}

    def is_historical(self, text: str) -> bool:
        """Return whether a sentence is about the past inspection or the visit itself."""
        lowered = text.lower()
        return any(cue in lowered for cue in self.settings.historical_cues)

    def supporting_finding(self, text: str) -> Finding | None:
        """Return the finding whose own sentence this is (drafted from it, perhaps with a connective)."""
        if text not in self._own:
            self._own[text] = self._find_own(text)
        return self._own[text]

    @cached_property
    def _finding_texts(self) -> tuple[list[tuple[Finding, str]], dict[str, set[int]]]:
        texts = [(f, _normalise(f.sentence)) for f in self.assessment.findings]
        index: dict[str, set[int]] = {}
        for i, (_, hay) in enumerate(texts):
            for shingle in _shingles(hay):
                index.setdefault(shingle, set()).add(i)
        return texts, index

    def _find_own(self, text: str) -> Finding | None:
        words = _normalise(text).split()
        texts, index = self._finding_texts
        candidates = set().union(*(index.get(s, set()) for s in _shingles(" ".join(words))))
        for i in sorted(candidates):
            finding, hay = texts[i]
            if len(hay) >= 25 and hay in " ".join(words):
                return finding
            for drop in range(0, min(7, len(words))):  # a connective or a lead-in may precede it
                needle = " ".join(words[drop:])
                if len(needle) >= 25 and needle in hay:
                    return finding
        return None

    def findings_reading(self, indicator: str) -> list[Finding]:
        """Return the findings whose provenance includes a value of this indicator."""
        return [
            f
            for f in self.assessment.findings
            if any(u.name == indicator and u.kind in ("value", "audit") for u in f.used)
        ]

    def about_another_time(self, text: str, series: Series | None) -> bool:
        """Return True when a sentence names periods and none is the series' latest ('In April 2019
        caseloads fell' says nothing about the latest movement)."""
        if series is None:
            return False
        if text not in self._periods:
            self._periods[text] = self.periods_named(text)
        named = self._periods[text]
        if not named:
            return False
        latest = series.latest.period
        return not any(year == latest.start.year and (month is None or month == latest.start.month)
                       for month, year in named)

    @staticmethod
    def periods_named(text: str) -> list[tuple[int | None, int]]:
        """Return the (month or None, year) pairs a sentence names: 'March 2022' → (3, 2022)."""
        out = []
        for match in _PERIOD.finditer(text):
            month = _MONTHS.index(match.group(1).lower()) + 1 if match.group(1) else None
            out.append((month, int(match.group(2))))
        return out


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9%]+", text.lower()))


def _shingles(text: str, size: int = 4) -> set[str]:
    words = text.split()
    return {" ".join(words[i:i + size]) for i in range(max(1, len(words) - size + 1))}


def polarity_of(finding: Finding) -> str:
    """Return 'positive' or 'negative' for a finding's verdict."""
    return "positive" if finding.verdict in POSITIVE_VERDICTS else "negative"


def figure_matches(stated: float, actual: float, text: str, tolerance: NumberTolerance) -> bool:
    """Return True when a stated figure agrees with an actual value, allowing for rounding."""
    margin = tolerance.decimal if "." in text else tolerance.whole
    return abs(stated - actual) <= margin + 1e-9
