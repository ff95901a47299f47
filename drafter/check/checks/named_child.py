"""PII01 child-identified: a child's name from the pack's notes, a date of birth, a case number, a name with an age.

*Unsupported*: "Jayden, aged 7, has moved placement four times this year." (when a note names Jayden)
*Supported*: "One child, aged 7, has moved placement four times this year."

Precision over recall: staff, inspectors, the authority, places and the genre's capitalised words
(`rules/privacy.yaml`) are never taken for a child; a name with an age that no note holds is only
a warning, and "born in 2015" alone only an info hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.check.diagnostic import Diagnostic
from drafter.check.sentences import Sentence, split_sentences
from drafter.config import load_config
from drafter.errors import RulebookError
from drafter.evidence.pack import Evidence
from drafter.paths import rules_dir
from drafter.vocab.topics import Vocabulary, load_vocabulary

CODE = "PII01"
NAMES = ("PII01", "child-identified")

# A capitalised word as names are written: "Jayden", "McDonald", "O'Neill", "Smith-Jones".
_CAP = r"(?:[A-Z]['’])?[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)*"
_CAP_WORD = re.compile(rf"(?<![\w'’-]){_CAP}(?![\w-])")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*")
_VOCAB_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_DIGITS = re.compile(r"\d")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class MinDigits(_Strict):
    explicit: int = 3
    nearby: int = 6


class Privacy(_Strict):
    """The words PII01 looks for (`rules/privacy.yaml`)."""

    schema_: Literal["privacy/1"] = Field(alias="schema")
    common_words: list[str]
    months: list[str]
    days: list[str]
    not_name_after: list[str] = Field(default_factory=list)
    birth_date_cues: list[str]
    born_cues: list[str]
    identifier_cues: list[str]
    identifier_nearby: list[str]
    min_digits: MinDigits = Field(default_factory=MinDigits)
    nearby_window: int = 4
    age_cues: list[str]
    age_after: list[str]
    max_age: int = 25
    suggestion: str

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def load_privacy(path: Path | None = None) -> Privacy:
    """Return the validated `rules/privacy.yaml`; raise RulebookError naming file:line on any problem."""
    return _load_cached(str(path or rules_dir() / "privacy.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> Privacy:
    return load_config(Path(path), Privacy, "privacy word list", RulebookError)[0]


def check_named_child(
    sentences: Iterable[Sentence],
    evidence: Evidence | None,
    vocabulary: Vocabulary | None = None,
    privacy: Privacy | None = None,
) -> list[Diagnostic]:
    """Return a PII01 diagnostic for each thing in `sentences` that could identify a child, in sentence order.

    `evidence` None (no pack) skips the names-from-notes part; `vocabulary` None loads `rules/topics.yaml`.
    Sentences under a `drafter: ignore PII01` (or `child-identified`) directive are skipped.
    """
    sentences = list(sentences)
    patterns = _patterns(privacy or load_privacy(), vocabulary or load_vocabulary())
    stop = patterns.stop | _pack_words(evidence)
    names = _names_in_notes(evidence, stop, patterns) if evidence is not None else {}
    draft_lower = {w for s in sentences for w in _lower_words(s.text)}
    not_names = stop | draft_lower
    out: list[Diagnostic] = []
    for sentence in sentences:
        if sentence.ignores(*NAMES):
            continue
        found = _named(sentence, names, draft_lower, patterns)
        found += _birth_dates(sentence, patterns)
        found += _identifiers(sentence, patterns)
        if sentence.kind == "sentence":
            found += _name_with_age(sentence, names, not_names, patterns)
        taken: list[tuple[int, int]] = []
        for start, end, diagnostic in sorted(found, key=lambda f: (f[0], -f[1])):
            if any(start < e and s < end for s, e in taken):
                continue  # one diagnostic per stretch of words
            taken.append((start, end))
            out.append(diagnostic)
    return out


# ---------------------------------------------------------------- word lists and patterns


@dataclass(frozen=True)
class _Patterns:
    privacy: Privacy
    stop: frozenset[str]  # casefolded words never taken for a name
    birth_cue: re.Pattern[str]
    born: re.Pattern[str]
    identifier: re.Pattern[str]
    nearby: re.Pattern[str]
    long_number: re.Pattern[str]
    name_age: re.Pattern[str]
    full_date: re.Pattern[str]
    not_after: frozenset[str] = field(default_factory=frozenset)


def _alternation(phrases: Iterable[str]) -> str:
    """Return a regex alternation of `phrases`, longest first; a phrase with capitals (ID, NHS) keeps its case."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in phrase.split())
        parts.append(body if re.search(r"[A-Z]", phrase) else f"(?i:{body})")
    return "(?:" + "|".join(parts) + ")"


_COMPILED: dict[tuple[int, int], tuple[Privacy, Vocabulary, _Patterns]] = {}


def _patterns(privacy: Privacy, vocabulary: Vocabulary) -> _Patterns:
    """Return the compiled patterns for a word list and vocabulary (compiled once per pair)."""
    key = (id(privacy), id(vocabulary))
    hit = _COMPILED.get(key)
    if hit is None or hit[0] is not privacy or hit[1] is not vocabulary:
        hit = _COMPILED[key] = (privacy, vocabulary, _compile(privacy, vocabulary))
    return hit[2]


def _compile(privacy: Privacy, vocabulary: Vocabulary) -> _Patterns:
    stop = {w.casefold() for w in (*privacy.common_words, *privacy.months, *privacy.days)}
    stop |= {w.casefold() for w in _vocabulary_words(vocabulary)}
    months = "(?:" + "|".join(re.escape(m) for m in sorted(privacy.months, key=len, reverse=True)) + r")\.?"
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    full = (
        rf"(?:{day}\s+{months},?\s+\d{{4}}|{months}\s+{day},?\s+\d{{4}}"
        r"|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|\d{4}-\d{2}-\d{2})"
    )
    any_date = rf"(?:{full}|{months}\s+\d{{4}}|(?:19|20)\d{{2}})"
    filler = r"(?:\s*(?:[:,–-]|is|was|of|on|in|the)\s*){0,3}\s*"
    ident = r"(?P<id>\d{3}\s\d{3}\s\d{4}(?!\d)|[A-Za-z]{0,4}[-/]?\d(?:[\d/-]*\d)?)"
    ages = [str(k) for k in _number_words(vocabulary)]
    age = r"(?P<age{n}>\d{{1,2}}|" + "|".join(re.escape(a) for a in sorted(ages, key=len, reverse=True)) + ")"
    cues, after = _alternation(privacy.age_cues), _alternation(privacy.age_after)
    return _Patterns(
        privacy=privacy,
        stop=frozenset(stop),
        birth_cue=re.compile(rf"(?<![\w.]){_alternation(privacy.birth_date_cues)}(?!\w){filler}(?P<date>{any_date})"),
        born=re.compile(rf"(?<![\w.]){_alternation(privacy.born_cues)}(?!\w){filler}(?P<date>{any_date})"),
        identifier=re.compile(
            rf"(?<![\w.]){_alternation(privacy.identifier_cues)}(?!\w)(?:\s*(?:[:#]|(?i:is|was|no\.?|number)))*\s*{ident}(?![\w])"
        ),
        nearby=re.compile(rf"(?<![\w.]){_alternation(privacy.identifier_nearby)}(?!\w)"),
        long_number=re.compile(rf"(?<![\w.])[A-Za-z]{{0,4}}-?\d{{{privacy.min_digits.nearby},}}(?![\w])"),
        name_age=re.compile(
            rf"(?<![\w'’-])(?P<name>{_CAP}(?:\s+{_CAP})?)"
            rf"(?:,\s*{cues}\s+{age.format(n=1)}\b|\s*\(\s*(?:{cues}\s+)?{age.format(n=2)}\s*(?:{after})?\s*\)"
            rf"|,\s*{age.format(n=3)}\s+{after}\b)"
        ),
        full_date=re.compile(full),
        not_after=frozenset(p.casefold() for p in privacy.not_name_after),
    )


def _vocabulary_words(vocabulary: Vocabulary) -> set[str]:
    """Return every word of the topic vocabulary: its areas, topics, terms and cues."""
    texts: list[str] = [*vocabulary.topics, *vocabulary.areas]
    for area in vocabulary.areas.values():
        texts += [area.title, area.short]
    for topic in vocabulary.topics.values():
        texts += [topic.label, topic.heading, *topic.terms, *topic.positive, *topic.negative]

    def walk(node: Any) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(key)
                walk(value)
        elif isinstance(node, list | tuple):
            for value in node:
                walk(value)

    walk(vocabulary.cues)
    return {w for t in texts for w in _VOCAB_WORD.findall(t.lower().replace("’", "'"))}


def _number_words(vocabulary: Vocabulary) -> dict[str, int]:
    """Return the number words of the vocabulary's cues (`one`: 1 ...) up to ninety."""
    words = (vocabulary.cues.get("numbers") or {}).get("words") or {}
    return {str(k): int(v) for k, v in words.items() if isinstance(v, int)}


def _pack_words(evidence: Evidence | None) -> frozenset[str]:
    """Return the casefolded words of the pack that name adults, teams and places: never a child."""
    if evidence is None:
        return frozenset()
    pack = evidence.pack
    texts = [pack.authority, *pack.document.inspectors, *(i.team or "" for i in pack.indicators)]
    if pack.document.recipient is not None:
        recipient = pack.document.recipient
        texts += [recipient.name, recipient.title, *recipient.address]
    return frozenset(w.casefold() for t in texts for w in re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", t))


def _lower_words(text: str) -> set[str]:
    return {m.group().casefold().rstrip("'’") for m in _LOWER_WORD.finditer(text)}


# ---------------------------------------------------------------- (a) names from the notes


@dataclass
class _Seen:
    note: int  # 0-based index of the first note it appears in
    named: bool = False  # seen where only a name fits: mid-sentence, before "'s" or an age, beside another name
    free: bool = False  # seen somewhere other than after "in", "the", "of" ... (places and organisations)


def _names_in_notes(evidence: Evidence, stop: frozenset[str], patterns: _Patterns) -> dict[str, int]:
    """Return {name: index of the first note naming it} for the personal names in the pack's notes.

    A candidate is a capitalised word, not in `stop` and never written in lower case in the notes,
    that stands where only a name fits at least once: not at a sentence start, or before "'s" or an
    age, or beside another such word (then the pair is a candidate too). Words that only ever
    follow a word of `not_name_after` ("placed in Hartlepool", "the Mockingbird hub") or a
    capitalised common word ("Councillor Smith", "The Tees Valley") name places, services or
    adults, not children.
    """
    notes = evidence.notes
    lower = {w for n in notes for w in _lower_words(n.text)}
    seen: dict[str, _Seen] = {}

    def common(word: str) -> bool:
        key = re.sub(r"['’]s$", "", word).casefold()
        return key in stop or key in lower

    for index, note in enumerate(notes):
        for sentence in split_sentences(note.text):
            for run, previous, at_start in _capitalised_runs(sentence.text):
                if common(run[0].group()):
                    if not at_start:
                        continue  # a title or an organisation's name: "Councillor Smith", "Redcar College"
                    previous, run, at_start = run[0].group(), run[1:], False  # "Recently Jayden moved"
                    if not run or common(run[0].group()):
                        continue
                free = previous.casefold() not in patterns.not_after
                names = []
                for m in run:
                    if common(m.group()):
                        break  # "Jayden Smith Foundation": the name stops before the common word
                    names.append(m)
                for i, m in enumerate(names):
                    word, first = m.group(), at_start and i == 0
                    after = sentence.text[m.end() :]
                    named = not first or len(names) > 1 or bool(re.match(r"['’]s\b", after))
                    named = named or bool(patterns.name_age.match(sentence.text, m.start()))
                    entry = seen.setdefault(word, _Seen(index))
                    entry.named, entry.free = entry.named or named, entry.free or free
                    if i + 1 < len(names):
                        pair = seen.setdefault(f"{word} {names[i + 1].group()}", _Seen(index, named=True))
                        pair.free = pair.free or free
    return {w: s.note for w, s in seen.items() if s.named and s.free}


def _capitalised_runs(text: str) -> list[tuple[list[re.Match[str]], str, bool]]:
    """Return each run of capitalised words joined by spaces, the word before it, and whether it opens the text."""
    runs: list[tuple[list[re.Match[str]], str, bool]] = []
    for m in _CAP_WORD.finditer(text):
        if runs and re.fullmatch(r"[ \t]+", text[runs[-1][0][-1].end() : m.start()]):
            runs[-1][0].append(m)
            continue
        before = text[: m.start()]
        previous = (re.findall(r"[\w'’]+", before)[-1:] or [""])[0]
        runs.append(([m], previous, not re.search(r"\w", before)))
    return runs


def _named(
    sentence: Sentence, names: dict[str, int], draft_lower: set[str], patterns: _Patterns
) -> list[tuple[int, int, Diagnostic]]:
    out: list[tuple[int, int, Diagnostic]] = []
    text = sentence.text
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w-])", text):
            at_start = not re.search(r"\w", text[: m.start()])
            if " " not in name and at_start and name.casefold() in draft_lower:
                continue  # an ordinary word the draft capitalises only to open a sentence
            note = names[name]
            out.append(
                (
                    m.start(),
                    m.end(),
                    _diagnostic(
                        sentence,
                        patterns,
                        f"'{name}' is a name from the pack's notes; documents must not name a child",
                        name,
                        evidence=(f"pack note {note + 1} names '{name}'",),
                    ),
                )
            )
            break
    return out


# ---------------------------------------------------------------- (b) dates of birth, (c) identifiers


def _birth_dates(sentence: Sentence, patterns: _Patterns) -> list[tuple[int, int, Diagnostic]]:
    out: list[tuple[int, int, Diagnostic]] = []
    for m in patterns.birth_cue.finditer(sentence.text):
        message = f"'{m.group()}' gives a date of birth, which could identify a child"
        out.append((m.start(), m.end(), _diagnostic(sentence, patterns, message, m.group())))
    for m in patterns.born.finditer(sentence.text):
        if patterns.full_date.fullmatch(m.group("date")) or not m.group("date").isdigit():
            message = f"'{m.group()}' gives a child's date of birth, which could identify them"
            out.append((m.start(), m.end(), _diagnostic(sentence, patterns, message, m.group())))
        else:
            message = f"'{m.group()}' gives a year of birth; with other details it could identify a child"
            out.append((m.start(), m.end(), _diagnostic(sentence, patterns, message, m.group(), level="info")))
    return out


def _identifiers(sentence: Sentence, patterns: _Patterns) -> list[tuple[int, int, Diagnostic]]:
    out: list[tuple[int, int, Diagnostic]] = []
    text = sentence.text
    least = patterns.privacy.min_digits.explicit
    for m in patterns.identifier.finditer(text):
        if len(_DIGITS.findall(m.group("id"))) >= least and not patterns.full_date.fullmatch(m.group("id")):
            message = f"'{m.group()}' is a case or record number, which could identify a child"
            out.append((m.start(), m.end(), _diagnostic(sentence, patterns, message, m.group())))
    for m in patterns.long_number.finditer(text):
        words_before = re.findall(r"\S+", text[: m.start()])[-patterns.privacy.nearby_window :]
        window = " ".join(words_before)
        if words_before and patterns.nearby.search(window):
            message = f"'{m.group()}' looks like a case or record number, which could identify a child"
            out.append((m.start(), m.end(), _diagnostic(sentence, patterns, message, m.group())))
    return out


# ---------------------------------------------------------------- (d) a first name and an age


def _name_with_age(
    sentence: Sentence, names: dict[str, int], common: set[str] | frozenset[str], patterns: _Patterns
) -> list[tuple[int, int, Diagnostic]]:
    out: list[tuple[int, int, Diagnostic]] = []
    for m in patterns.name_age.finditer(sentence.text):
        words = m.group("name").split()
        while words and re.sub(r"['’]s$", "", words[0]).casefold() in common:
            words.pop(0)  # "Recently Jayden, aged 7": the name is what follows the common word
        name = " ".join(words)
        if not words or name in names or any(w in names for w in words):
            continue  # reported as a name from the notes
        if any(re.sub(r"['’]s$", "", w).casefold() in common for w in words):
            continue
        start = m.start() + m.group().index(name)
        age = m.group("age1") or m.group("age2") or m.group("age3")
        if age.isdigit() and int(age) > patterns.privacy.max_age:
            continue
        shown = sentence.text[start : m.end()]
        message = f"'{shown}' gives a first name and an age, which could identify a child"
        out.append((start, m.end(), _diagnostic(sentence, patterns, message, shown, level="warning")))
    return out


def _diagnostic(
    sentence: Sentence,
    patterns: _Patterns,
    message: str,
    match: str,
    *,
    level: str | None = None,
    evidence: tuple[str, ...] = (),
) -> Diagnostic:
    return Diagnostic(
        code=CODE,
        message=message,
        text=sentence.text,
        location=sentence.location,
        level=level,  # type: ignore[arg-type]
        match=match,
        suggestion=patterns.privacy.suggestion,
        evidence=evidence,
    )
