"""Document planning: decide what a letter says once, and where, before any sentence is realised.

Findings that are about the same measure or aspect (the same indicator and team, the same case
sample, an analyst's note that names them) become one message: said once, in the paragraph of
the topic it belongs to, with every merged finding's provenance in its one Word comment. The
findings are ordered as Ofsted orders a letter: leaders first, then the areas the visit covered
in the pack's order, then the rest (`rules/planning.yaml`). Realising the messages as sentences
is `realise.py`'s job; the headline is `headline.py`'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.paths import rules_dir
from drafter.pipeline import Assessment
from drafter.rules.findings import POSITIVE_VERDICTS, Finding

Register = Literal["words", "inline"]
REGISTERS: tuple[str, ...] = ("words", "inline")
VERDICT_RANK = {"strength": 0, "improving": 1, "weakness": 2, "serious_weakness": 3}
TEAM_REACH = 60  # characters: a team named this close to a measure's mention is what the note is about
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PlanningRules(_Strict):
    schema_: Literal["planning/1"] = Field(alias="schema")
    note_terms: dict[str, list[str]]
    trend_names: dict[str, str | list[str]] = Field(default_factory=dict)
    topic_order: list[str]
    connective_uses: dict[str, int] = Field(default_factory=dict)
    connective_default_uses: int = Field(default=1, ge=0)
    paragraph_families: list[list[str]] = Field(default_factory=list)
    short_section: int = Field(default=2, ge=0)
    paraphrases: list[list[str]] = Field(default_factory=list)
    inner_contrast: list[str] = Field(default_factory=lambda: ["but", "yet", "however"])
    movement_words: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


    def names_for(self, indicator: str) -> list[str]:
        """Return the ways of naming a measure when its trend is said, preferred first (empty: none)."""
        names = self.trend_names.get(indicator, [])
        return [names] if isinstance(names, str) else list(names)


def load_planning(path: Path | None = None) -> PlanningRules:
    """Return the planning rules (`rules/planning.yaml`); raise RulebookError naming file:line."""
    return _load_cached(str(path or rules_dir() / "planning.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> PlanningRules:
    return load_config(Path(path), PlanningRules, "planning rules")[0]


@dataclass
class Message:
    """One thing the letter says: the lead finding is said, the others are merged into its comment.

    `refer` marks a leadership message about measures other paragraphs state: it is said in words
    even in the figures register, so the figures appear once, where the measure belongs.
    """

    findings: list[Finding]
    topic: str
    aspects: set[str] = field(default_factory=set)
    refer: bool = False
    text: str = ""  # the realised sentence(s), connective included (realise.py fills it)

    @property
    def lead(self) -> Finding:
        return self.findings[0]

    @property
    def positive(self) -> bool:
        return self.lead.verdict in POSITIVE_VERDICTS

    @property
    def is_note(self) -> bool:
        return is_note(self.lead)


@dataclass
class Section:
    """The messages about one topic, in the order they are said, split into paragraphs."""

    topic: str
    covered: bool
    messages: list[Message]
    paragraphs: list[list[Message]] = field(default_factory=list)
    joins_previous: bool = False  # a short section said in the last paragraph of a related one before it


@dataclass
class Plan:
    """A letter's document plan: headline sentences, ordered sections and notes for the drafter."""

    register: str
    sections: list[Section]
    headline: list[tuple[str, ...]] = field(default_factory=list)  # (sentence, comment text or ""[, attributes])
    notes: list[str] = field(default_factory=list)  # for the drafter: never in the letter's body

    def messages(self) -> list[Message]:
        """Return every message in the order the letter says them."""
        return [m for s in self.sections for p in s.paragraphs for m in p]


def is_note(finding: Finding) -> bool:
    """Return whether a finding is an analyst's note (its wording is the note's own prose)."""
    return any(u.kind == "note" for u in finding.used)


def sentences_of(text: str) -> list[str]:
    """Return the sentences of a realised message (a note may hold several)."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def rule_aspects(finding: Finding) -> set[str]:
    """Return the measures a rule finding read: indicators (with team), audit rounds, case samples."""
    out: set[str] = set()
    for used in finding.used:
        if used.kind == "value":
            out.add(f"{used.name}|{used.team or ''}")
        elif used.kind == "audit":
            out.add(f"audit.ratings|{used.team or ''}")
        elif used.kind == "sample":
            out.add(f"sample:{used.name}")
    return out


def note_aspects(finding: Finding, assessment: Assessment, rules: PlanningRules) -> set[str]:
    """Return the measures an analyst's note names, among those the pack holds on the note's topic."""
    from drafter.rules.catalogue import load_catalogue
    from drafter.rules.features import mentions

    text = " ".join(str(u.value) for u in finding.used if u.kind == "note")
    low = text.lower()
    catalogue = load_catalogue()
    evidence = assessment.evidence
    out: set[str] = set()
    for indicator, team in evidence.series:
        spec = catalogue.get(indicator)
        if spec is None or spec.topic != finding.topic:
            continue
        terms = rules.note_terms.get(indicator, [])
        hits = [m.start() for t in terms for m in re.finditer(rf"\b{re.escape(t.lower())}", low)]
        if not hits:
            continue
        named = {t: _team_positions(t, low) for t in evidence.teams(indicator)}
        teams = [t for t, where in named.items() if where]
        near = [p for where in named.values() for p in where]
        # the authority's figure, unless every mention of the measure stands beside a team the note names
        whole = not near or any(all(abs(h - p) > TEAM_REACH for p in near) for h in hits)
        if team is None and whole:
            out.add(f"{indicator}|")
        elif team is not None and team in teams:
            out.add(f"{indicator}|{team}")
    for sample in evidence.samples:
        if sample.feature.partition(".")[0] == finding.topic and mentions(sample.feature, text):
            out.add(f"sample:{sample.feature}")
    return out


def _team_positions(team: str, low_text: str) -> list[int]:
    words = team.replace("_", " ").replace("-", " ").lower()
    return [m.start() for m in re.finditer(rf"\b{re.escape(words)}", low_text)]


def owner(aspect: str) -> str | None:
    """Return the topic that owns a measure: the catalogue's topic, or a sample feature's own."""
    if aspect.startswith("sample:"):
        return aspect[len("sample:"):].partition(".")[0]
    from drafter.rules.catalogue import load_catalogue

    spec = load_catalogue().get(aspect.partition("|")[0])
    return spec.topic if spec else None


def group_findings(assessment: Assessment, topics: list[str], rules: PlanningRules) -> list[Message]:
    """Return one message per aspect: notes lead their own; rule findings on the same measure merge."""
    findings = [f for f in assessment.findings if f.topic in topics]
    notes = [Message([f], f.topic, note_aspects(f, assessment, rules)) for f in findings if is_note(f)]
    messages = list(notes)
    for finding in findings:
        if is_note(finding):
            continue
        aspects = rule_aspects(finding)
        positive = finding.verdict in POSITIVE_VERDICTS
        owners = {owner(a) for a in aspects}
        if finding.topic == "leadership" and aspects and "leadership" not in owners:
            messages.append(Message([finding], finding.topic, aspects, refer=True))
            continue
        home = _note_for(notes, finding, aspects, positive)
        if home is None:
            home = _rule_group_for(messages, aspects, positive)
        if home is None:
            messages.append(Message([finding], finding.topic, set(aspects)))
        else:
            home.findings.append(finding)
            home.aspects |= aspects
    for message in messages:
        if not message.is_note and len(message.findings) > 1:
            _choose_lead(message, assessment)
    return _merge_opposites(messages, assessment)


def _single_measure(message: Message) -> str | None:
    """Return the one indicator (authority-wide or a team's) a rule message reads, or None."""
    measures = {a for a in message.aspects if not a.startswith("sample:")}
    return next(iter(measures)) if len(measures) == 1 and len(message.aspects) == 1 else None


def _merge_opposites(messages: list[Message], assessment: Assessment) -> list[Message]:
    """Return the messages with a strength and a concern on the same single measure made one message:
    the letter says the measure once, its level with its trend or its other side joined to it."""
    out: list[Message] = []
    by_measure: dict[str, Message] = {}
    for message in messages:
        measure = None if message.is_note or message.refer else _single_measure(message)
        home = by_measure.get(measure) if measure else None
        if home is not None and home.positive != message.positive:
            home.findings += message.findings
            _mixed_lead(home)
            continue
        if measure and measure not in by_measure:
            by_measure[measure] = message
        out.append(message)
    return out


def _mixed_lead(message: Message) -> None:
    """Put first, of findings on both sides of one measure, one that says both sides itself (a trend
    with its concession); else the level (a strength or a concern), whose trend is said as a clause."""
    concede = ("although", "though", " but ", " yet ", "however")

    def key(f: Finding):
        text = (f.words[0] if f.words else f.sentence).lower()
        trend = f.verdict == "improving" or "deterioration" in f.tags
        return (not any(c in text for c in concede) or not trend, trend, VERDICT_RANK[f.verdict])

    message.findings.sort(key=key)
    message.topic = message.lead.topic


def _note_for(notes: list[Message], finding: Finding, aspects: set[str], positive: bool) -> Message | None:
    """Return the analyst's note that names the measure a rule finding is about, to say it once: a note
    of either polarity takes a finding on the measure's level (the note names the measure, so what it
    says of it is the letter's one word on it); a trend the note cannot carry joins a note of its own
    polarity only (the realiser adds the trend to it when the note does not say how the measure moved)."""
    news = finding.verdict == "improving" or "deterioration" in finding.tags  # a trend the note cannot carry
    for note in notes:
        if (note.positive != positive and news) or not (note.aspects & aspects):
            continue
        if note.topic == finding.topic or note.topic in {owner(a) for a in note.aspects & aspects}:
            return note
    return None


def _rule_group_for(messages: list[Message], aspects: set[str], positive: bool) -> Message | None:
    if not aspects:
        return None
    for message in messages:
        if message.is_note or message.refer or message.positive != positive:
            continue
        if aspects <= message.aspects or message.aspects <= aspects:
            return message
    return None


def _choose_lead(message: Message, assessment: Assessment) -> None:
    """Put first the finding said for a merged message: one in a covered area, then the measure's
    owner topic, then the most severe (or, for strengths, the plain strength), then the richest."""
    covered = set(assessment.evidence.pack.document.areas_covered)
    owners = {owner(a) for a in message.aspects}
    order = {id(f): i for i, f in enumerate(message.findings)}

    def key(f: Finding):
        severity = -VERDICT_RANK[f.verdict] if f.verdict not in POSITIVE_VERDICTS else VERDICT_RANK[f.verdict]
        return (f.topic not in covered, f.topic not in owners, severity, -len(rule_aspects(f)), order[id(f)])

    message.findings.sort(key=key)
    message.topic = message.lead.topic


def topic_order(assessment: Assessment, topics: list[str], rules: PlanningRules) -> list[str]:
    """Return the topics in letter order: leaders, the areas covered (pack order), then the rest."""
    covered = [t for t in assessment.evidence.pack.document.areas_covered if t in topics]
    ordered = ["leadership"] if "leadership" in topics else []
    ordered += [t for t in covered if t not in ordered]
    rest = [t for t in rules.topic_order if t in topics] + [t for t in topics if t not in rules.topic_order]
    return ordered + [t for t in rest if t not in ordered]


def order_messages(messages: list[Message]) -> list[Message]:
    """Return a topic's messages: strengths before concerns, notes first within a verdict, stable."""
    index = {id(m): i for i, m in enumerate(messages)}
    return sorted(messages, key=lambda m: (not m.positive, VERDICT_RANK[m.lead.verdict], not m.is_note, index[id(m)]))


def split_paragraphs(messages: list[Message], limit: int) -> list[list[Message]]:
    """Return the messages in paragraphs of at most `limit` sentences (a long note still fits whole)."""
    paragraphs: list[list[Message]] = []
    current: list[Message] = []
    count = 0
    for message in messages:
        n = max(len(sentences_of(message.text or message.lead.sentence)), 1)
        if current and count + n > limit:
            paragraphs.append(current)
            current, count = [], 0
        current.append(message)
        count += n
    if current:
        paragraphs.append(current)
    return paragraphs


def plan_letter(assessment: Assessment, register: str = "words", topics: list[str] | None = None) -> Plan:
    """Return the document plan for a letter: merged messages in order, realised, and the headline."""
    from drafter.compose.headline import plan_headline
    from drafter.compose.phrases import load_phrases
    from drafter.compose.realise import Realiser
    from drafter.vocab.topics import load_vocabulary

    if register not in REGISTERS:
        raise ValueError(f"unknown register {register!r}")
    rules = load_planning()
    phrases = load_phrases()
    vocab = load_vocabulary()
    topics = [t for t in (topics or vocab.topic_ids()) if t in vocab.topics]
    messages = group_findings(assessment, topics, rules)
    covered = set(assessment.evidence.pack.document.areas_covered)
    by_topic: dict[str, list[Message]] = {}
    for message in messages:
        by_topic.setdefault(message.topic, []).append(message)
    sections = [Section(t, t in covered, order_messages(by_topic[t]))
                for t in topic_order(assessment, list(by_topic), rules)]
    trend_said = {a.partition("|")[0] for m in messages if m.lead.verdict == "improving" and not m.refer
                  for a in m.aspects}
    said_elsewhere = {a.partition("|")[0] for m in messages if not m.refer for a in m.aspects}
    realiser = Realiser(register, phrases, rules, assessment, trend_said, said_elsewhere)
    headline, notes = plan_headline(assessment, phrases, vocab, realiser)
    limit = phrases.max_sentences_per_paragraph
    previous: Section | None = None
    for section in sections:
        section.joins_previous = previous is not None and _joins(previous, section, realiser, rules, limit)
        realiser.realise_section(section, limit, previous.paragraphs[-1] if section.joins_previous else None)
        previous = section
    notes += drafter_notes(assessment, messages, phrases)
    return Plan(register, sections, headline, notes)


def _joins(before: Section, section: Section, realiser, rules: PlanningRules, limit: int) -> bool:
    """Return whether a short section is said in the last paragraph of the related section before it
    (`rules/planning.yaml` paragraph_families), so the letter has no run of one-sentence paragraphs."""
    if before.topic == "leadership" or not before.paragraphs:
        return False
    family = next((f for f in rules.paragraph_families if before.topic in f), [])
    if section.topic not in family:
        return False
    size = sum(realiser.size(m) for m in section.messages)
    room = limit - sum(max(len(sentences_of(m.text)), 1) for m in before.paragraphs[-1])
    return size <= rules.short_section and size <= room


def drafter_notes(assessment: Assessment, messages: list[Message] | None = None, phrases=None) -> list[str]:
    """Return what the drafter should know but the letter must not say (evidence gaps, merges)."""
    from drafter.compose.phrases import load_phrases

    phrases = phrases or load_phrases()
    notes = []
    missing = [o for o in assessment.outcomes if o.status == "not_evaluable"]
    if missing:
        notes.append(phrases.drafter_notes.not_evaluable.format(count=len(missing)))
    if messages is not None:
        merged = sum(len(m.findings) - 1 for m in messages)
        if merged:
            notes.append(phrases.drafter_notes.merged.format(count=merged))
    return notes
