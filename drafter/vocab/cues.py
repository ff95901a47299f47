"""Cue lists (`rules/topics.yaml` `cues:`) and quantifier shares (`rules/language.yaml`), compiled once for matching."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir
from drafter.vocab.language import Quantifiers, load_language
from drafter.vocab.topics import Vocabulary, load_vocabulary

# Words (with inner apostrophes), figures (with decimal points and thousands commas), "%", or any
# other single non-space character. A hyphen between two word characters is not a token, so
# "well-matched" reads as "well matched" and "re-referral" as "re referral".
_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)*|%|[^\w\s]|_")
_INNER_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")
_GROUP = re.compile(r"\(([^()]*)\)")
_OPTIONAL_CHAR = re.compile(r"(\w)\?")


class Token(NamedTuple):
    """One word, figure or punctuation mark: its normal form (lower case, straight apostrophe) and its span."""

    norm: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Return the tokens of `text` with character spans; hyphens inside words are dropped."""
    out: list[Token] = []
    lowered = text.lower().replace("’", "'")
    whole = len(lowered) == len(text)  # lower() lengthens a few letters ("İ"): then token by token
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if end - start == 1 and text[start] == "-" and _INNER_HYPHEN.match(text, start):
            continue
        norm = lowered[start:end] if whole else m.group().lower().replace("’", "'")
        out.append(Token(norm, start, end))
    return out


def token_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """Return (norms, starts, ends) of the tokens of `text`, as `tokenize` finds them, without Token objects."""
    lowered = text.lower().replace("’", "'")
    if len(lowered) != len(text):
        tokens = tokenize(text)
        return [t.norm for t in tokens], [t.start for t in tokens], [t.end for t in tokens]
    norms: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        if end - start == 1 and text[start] == "-" and _INNER_HYPHEN.match(text, start):
            continue
        norms.append(lowered[start:end])
        starts.append(start)
        ends.append(end)
    return norms, starts, ends


def expand_phrase(phrase: str) -> list[str]:
    """Return every wording a cue phrase stands for.

    `(a|b|)` groups list alternatives (an empty one makes the group optional) and `x?` makes the
    character before it optional: "delay(s|ed|)" gives delays, delayed and delay; "weeks?" gives
    week and weeks.
    """
    phrase = _OPTIONAL_CHAR.sub(r"(\1|)", phrase)
    m = _GROUP.search(phrase)
    if not m:
        return [" ".join(phrase.split())]
    out: list[str] = []
    for alt in m.group(1).split("|"):
        out.extend(expand_phrase(phrase[: m.start()] + alt + phrase[m.end() :]))
    return out


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """Return the token norms of one (already expanded) phrase."""
    return tuple(t.norm for t in tokenize(phrase))


@dataclass(frozen=True, slots=True)
class Match:
    """A phrase found in a token list: its kind, token span [start, end) and the value the phrase carries."""

    kind: str
    start: int
    end: int
    value: Any = None


class PhraseIndex:
    """Phrases by their first token, matched longest first at each position, left to right, without overlaps."""

    def __init__(self) -> None:
        self._by_first: dict[str, dict[tuple[str, ...], tuple[str, Any]]] = {}
        self._lengths: dict[str, list[int]] = {}

    def add(self, phrase: str, kind: str, value: Any = None, *, replace: bool = False) -> None:
        """Add every expansion of `phrase` as `kind`; an earlier entry for the same words wins unless `replace`."""
        for wording in expand_phrase(phrase):
            toks = phrase_tokens(wording)
            if not toks:
                continue
            entries = self._by_first.setdefault(toks[0], {})
            if toks in entries and not replace:
                continue
            entries[toks] = (kind, value)
            lengths = self._lengths.setdefault(toks[0], [])
            if len(toks) not in lengths:
                lengths.append(len(toks))
                lengths.sort(reverse=True)

    def first_words(self) -> Iterable[str]:
        """Return the words that some phrase of the index starts with."""
        return self._by_first.keys()

    def scan_at(self, norms: list[str] | tuple[str, ...], positions: list[int]) -> list[Match]:
        """Return what `scan` returns, trying only `positions` (ascending): where some phrase's first word is."""
        out: list[Match] = []
        n = len(norms)
        by_first, lengths = self._by_first, self._lengths
        after = 0
        for i in positions:
            if i < after:
                continue
            word = norms[i]
            entries = by_first[word]
            for length in lengths[word]:
                if i + length <= n:
                    hit = entries.get(tuple(norms[i : i + length]))
                    if hit is not None:
                        out.append(Match(hit[0], i, i + length, hit[1]))
                        after = i + length
                        break
        return out

    def scan(self, norms: list[str] | tuple[str, ...]) -> list[Match]:
        """Return the non-overlapping matches in `norms`, longest first at each position."""
        out: list[Match] = []
        i, n = 0, len(norms)
        by_first, lengths = self._by_first, self._lengths
        get = by_first.get
        while i < n:
            word = norms[i]
            entries = get(word)
            if entries is None:
                i += 1
                continue
            for length in lengths[word]:
                if i + length <= n:
                    hit = entries.get(tuple(norms[i : i + length]))
                    if hit is not None:
                        out.append(Match(hit[0], i, i + length, hit[1]))
                        i += length
                        break
            else:
                i += 1
        return out

    def __contains__(self, phrase: str) -> bool:
        toks = phrase_tokens(phrase)
        return bool(toks) and toks in self._by_first.get(toks[0], {})


# ---------------------------------------------------------------- the `cues:` mapping, validated


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrendCues(_Strict):
    improve: list[str] = Field(default_factory=list)
    worsen: list[str] = Field(default_factory=list)
    up: list[str] = Field(default_factory=list)
    down: list[str] = Field(default_factory=list)
    more: list[str] = Field(default_factory=list)
    fewer: list[str] = Field(default_factory=list)
    progress_subjects: list[str] = Field(default_factory=list)
    stable: list[str] = Field(default_factory=list)
    persist: list[str] = Field(default_factory=list)
    continuing: list[str] = Field(default_factory=list)
    conditional: list[str] = Field(default_factory=list)
    conditional_openers: list[str] = Field(default_factory=list)
    relatives: list[str] = Field(default_factory=list)
    condition_reach: int = Field(default=8, ge=1, le=40)
    purpose: list[str] = Field(default_factory=list)
    bounds: list[str] = Field(default_factory=list)


class ContrastCues(_Strict):
    concessive: list[str] = Field(default_factory=list)
    adversative: list[str] = Field(default_factory=list)


class SubjectCues(_Strict):
    lower_is_better: list[str] = Field(default_factory=list)
    higher_is_better: list[str] = Field(default_factory=list)
    high: list[str] = Field(default_factory=list)
    low: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)


class ComparisonCues(_Strict):
    above: list[str] = Field(default_factory=list)
    below: list[str] = Field(default_factory=list)
    in_line: list[str] = Field(default_factory=list)
    comparators: dict[str, list[str]] = Field(default_factory=dict)


class QuantifierCues(_Strict):
    aliases: dict[str, str] = Field(default_factory=dict)
    extra: list[str] = Field(default_factory=list)
    need_population: list[str] = Field(default_factory=list)
    not_quantifiers: list[str] = Field(default_factory=list)
    population: list[str] = Field(default_factory=list)
    followers: list[str] = Field(default_factory=list)
    # Only used when rules/language.yaml has no `quantifiers`: the words, without shares.
    words: list[str] = Field(default_factory=list)


class NumberCues(_Strict):
    words: dict[str, int] = Field(default_factory=dict)
    units: dict[str, list[str]] = Field(default_factory=dict)
    not_after: list[str] = Field(default_factory=list)
    months: list[str] = Field(default_factory=list)
    noun_stops: list[str] = Field(default_factory=list)


class SentenceCues(_Strict):
    abbreviations: list[str] = Field(default_factory=list)
    final_abbreviations: list[str] = Field(default_factory=list)
    heading_max_words: int = Field(default=12, ge=1)
    max_chars: int = Field(default=1000, ge=200, le=20_000)


class CueSpec(_Strict):
    """The `cues:` mapping of rules/topics.yaml (see the comments there for what each list means)."""

    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)
    obstructive: list[str] = Field(default_factory=list)
    neutral: list[str] = Field(default_factory=list)
    topic_stops: list[str] = Field(default_factory=list)
    manner: list[str] = Field(default_factory=list)
    negators: list[str] = Field(default_factory=list)
    determiner_negators: list[str] = Field(default_factory=list)
    reversers: list[str] = Field(default_factory=list)
    remedies: list[str] = Field(default_factory=list)
    negation_window: int = Field(default=4, ge=1, le=12)
    hedges: list[str] = Field(default_factory=list)
    negating_hedges: list[str] = Field(default_factory=list)
    clause_negators: list[str] = Field(default_factory=list)
    critical_intensifiers: list[str] = Field(default_factory=list)
    approving_intensifiers: list[str] = Field(default_factory=list)
    trend: TrendCues = Field(default_factory=TrendCues)
    contrast: ContrastCues = Field(default_factory=ContrastCues)
    subjects: SubjectCues = Field(default_factory=SubjectCues)
    comparison: ComparisonCues = Field(default_factory=ComparisonCues)
    quantifiers: QuantifierCues = Field(default_factory=QuantifierCues)
    numbers: NumberCues = Field(default_factory=NumberCues)
    sentences: SentenceCues = Field(default_factory=SentenceCues)


# ---------------------------------------------------------------- compiled cues


@dataclass(frozen=True)
class Cues:
    """Everything the splitter and the claim extractor match against, compiled from the vocabulary.

    Each PhraseIndex holds phrases as (kind, value):
      `polar`        polarity, negation, hedge, intensifier, trend and contrast phrases (kinds named
                     as in `CueSpec`); topic polarity phrases are `positive`/`negative` with the
                     topic id as value.
      `topics`       topic terms with their plural or singular forms (value: tuple of topic ids,
                     including the topics of terms nested inside the term).
      `related`      topics' `related` words, read only when a sentence names no topic by a term.
      `subjects`     better-direction subjects (kind `subject`, value lower | higher | context) and
                     level words (kind `level`, value high | low).
      `comparisons`  relations (value above | below | in_line) and comparators (value: name).
      `bounds`       words that end the search for a trend's subject (kind `bound`), and
                     `conditional` words ("when", "if").
      `quantifiers`  quantifier wordings (value: normal form) and `not_quantifier` exclusions.
      `countables`   population nouns (`population`), words showing a quantifier used as a pronoun
                     (`follower`) and units (`unit`, value: unit name).
    `shares` maps a quantifier's normal form to the (min, max) share it claims; `fractions` maps
    fraction wordings to their value (both from rules/language.yaml).
    """

    spec: CueSpec
    polar: PhraseIndex
    topics: PhraseIndex
    related: PhraseIndex
    subjects: PhraseIndex
    comparisons: PhraseIndex
    bounds: PhraseIndex
    quantifiers: PhraseIndex
    countables: PhraseIndex
    shares: dict[str, tuple[float, float]]
    fractions: dict[str, float]
    share_origin: str
    need_population: frozenset[str]
    number_words: dict[str, int]
    not_after_number: frozenset[str]
    months: frozenset[str]
    noun_stops: frozenset[str]
    abbreviations: frozenset[str]
    final_abbreviations: frozenset[str]
    heading_max_words: int
    sentence_max_chars: int
    manner: frozenset[str]
    negation_window: int
    condition_reach: int
    topic_ids: tuple[str, ...] = field(default=())
    starters: dict[str, int] = field(default_factory=dict, repr=False)

    SCANNED = ("polar", "topics", "related", "subjects", "comparisons", "bounds", "quantifiers", "countables")

    def scan_all(self, norms: list[str]) -> dict[str, list[Match]]:
        """Return every index's matches in `norms`, looking up each word once (see `PhraseIndex.scan_at`)."""
        positions: list[list[int]] = [[] for _ in self.SCANNED]
        starters = self.starters
        for i, word in enumerate(norms):
            mask = starters.get(word)
            while mask:
                low = mask & -mask
                positions[low.bit_length() - 1].append(i)
                mask ^= low
        return {name: getattr(self, name).scan_at(norms, positions[k]) if positions[k] else []
                for k, name in enumerate(self.SCANNED)}


_CACHE: dict[int, tuple[Vocabulary, Cues]] = {}


def load_cues(vocabulary: Vocabulary | None = None, language_path: Path | None = None) -> Cues:
    """Return the compiled cues of `vocabulary` (the bundled one when None), compiling once per vocabulary.

    Quantifier shares come from `language_path` (default `rules/language.yaml`); when that file or
    its `quantifiers` section is missing, the quantifier words come from `cues.quantifiers.words`
    and claims carry no share. Raises RulebookError naming the field for a malformed `cues:` mapping.
    """
    vocab = vocabulary if vocabulary is not None else load_vocabulary()
    key = id(vocab)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is vocab and language_path is None:
        return hit[1]
    cues = _compile(vocab, language_path or rules_dir() / "language.yaml")
    if language_path is None:
        if len(_CACHE) >= 8:
            _CACHE.clear()
        _CACHE[key] = (vocab, cues)
    return cues


def _spec(vocab: Vocabulary) -> CueSpec:
    try:
        return CueSpec.model_validate(vocab.cues)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = "cues." + ".".join(str(p) for p in err["loc"])
            problems.append(
                Problem(
                    f"{where}: {err['msg']}",
                    path=str(rules_dir() / "topics.yaml"),
                    field=where,
                    found=repr(err.get("input"))[:80],
                    expected="the lists described in the comments above `cues:`",
                )
            )
        raise RulebookError(problems) from None


def _language_quantifiers(path: Path) -> Quantifiers | None:
    """Return the quantifier conventions of rules/language.yaml, or None when that file is missing."""
    return load_language(path).quantifiers if path.is_file() else None


def _shares(quantifiers: Quantifiers | None) -> dict[str, tuple[float, float]]:
    """Return {word: (min, max)}: the reading of a word (synonyms), then its band, then a fraction's value."""
    if quantifiers is None:
        return {}
    shares: dict[str, tuple[float, float]] = {}
    for word, band in quantifiers.synonyms.items():
        shares.setdefault(word.lower(), (band.min, band.max))
    for band in quantifiers.bands:
        shares.setdefault(band.word.lower(), (band.min, band.max))
    for word, value in quantifiers.fractions.items():
        shares.setdefault(word.lower(), (value, value))
    return shares


def _plural_forms(word: str) -> Iterator[str]:
    """Yield the regular plural and singular of an English noun (no dictionary: terms are mostly regular)."""
    if len(word) <= 3 or not word.isalpha():
        return
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        yield word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        yield word[:-1]
    elif word.endswith("y") and word[-2] not in "aeiou":
        yield word[:-1] + "ies"
    elif word.endswith(("s", "x", "z", "ch", "sh")):
        yield word + "es"
    else:
        yield word + "s"


def term_variants(term: str) -> list[str]:
    """Return a topic term with its last word also in plural or singular form ("care plan" -> "care plans")."""
    words = term.split()
    out = [term]
    if words:
        for form in _plural_forms(words[-1].lower()):
            out.append(" ".join([*words[:-1], form]))
    return out


def _inner_spans(seq: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """Yield every shorter contiguous run of `seq` ("child protection plans" -> "plans", ...)."""
    n = len(seq)
    for length in range(1, n):
        for i in range(n - length + 1):
            yield seq[i : i + length]


def _compile(vocab: Vocabulary, language_path: Path) -> Cues:
    spec = _spec(vocab)

    polar = PhraseIndex()
    # Neutral phrases go in first so that their words are consumed before any cue can claim them.
    for phrase in spec.neutral:
        polar.add(phrase, "neutral")
    for topic_id, topic in vocab.topics.items():
        for phrase in topic.positive:
            polar.add(phrase, "positive", topic_id)
        for phrase in topic.negative:
            polar.add(phrase, "negative", topic_id)
    for kind in ("clause_negators", "negating_hedges", "hedges", "negators", "determiner_negators", "reversers",
                 "remedies"):
        for phrase in getattr(spec, kind):
            polar.add(phrase, kind)
    trend_kinds = ("progress_subjects", "improve", "worsen", "stable", "continuing")
    for kind in (*trend_kinds, "up", "down", "more", "fewer", "persist"):
        for phrase in getattr(spec.trend, kind):
            polar.add(phrase, kind)
    for kind in ("concessive", "adversative"):
        for phrase in getattr(spec.contrast, kind):
            polar.add(phrase, kind)
    for phrase in spec.critical_intensifiers:
        polar.add(phrase, "critical")
    for phrase in spec.approving_intensifiers:
        polar.add(phrase, "approving")
    for phrase in spec.obstructive:
        polar.add(phrase, "obstructive")
    for phrase in spec.positive:
        polar.add(phrase, "positive")
    for phrase in spec.negative:
        polar.add(phrase, "negative")

    topics = PhraseIndex()
    owners: dict[tuple[str, ...], list[str]] = {}
    for topic_id, topic in vocab.topics.items():
        for term in topic.terms:
            for variant in term_variants(term):
                for wording in expand_phrase(variant):
                    owners.setdefault(phrase_tokens(wording), []).append(topic_id)
    stops = {phrase_tokens(w) for phrase in spec.topic_stops for w in expand_phrase(phrase)} - set(owners)
    for toks in stops:
        owners[toks] = []
    for toks, ids in owners.items():
        # A term holding another term names both topics: "child protection plans" is about plans too.
        # A list term ("education, employment or training") names one thing, not each of its items, and
        # a topic stop ("this visit") names none.
        listed = "," in toks or "or" in toks or toks in stops
        nested = [] if listed else [t for sub in _inner_spans(toks) for t in owners.get(sub, ())]
        topics.add(" ".join(toks), "topic", tuple(dict.fromkeys([*ids, *nested])), replace=True)

    related = PhraseIndex()
    weak: dict[tuple[str, ...], list[str]] = {}
    for topic_id, topic in vocab.topics.items():
        for term in topic.related:
            for variant in term_variants(term):
                for wording in expand_phrase(variant):
                    weak.setdefault(phrase_tokens(wording), []).append(topic_id)
    for toks, ids in weak.items():
        related.add(" ".join(toks), "topic", tuple(dict.fromkeys(ids)), replace=True)

    bounds = PhraseIndex()
    for phrase in spec.trend.conditional:
        bounds.add(phrase, "conditional")
    for phrase in spec.trend.conditional_openers:
        bounds.add(phrase, "conditional_opener")
    for phrase in spec.trend.relatives:
        bounds.add(phrase, "relative")
    for phrase in spec.trend.purpose:
        bounds.add(phrase, "purpose")
    for phrase in spec.trend.bounds:
        bounds.add(phrase, "bound")

    subjects = PhraseIndex()
    for kind, better in (("context", "context"), ("lower_is_better", "lower"), ("higher_is_better", "higher")):
        for phrase in getattr(spec.subjects, kind):
            subjects.add(phrase, "subject", better)
    for level in ("high", "low"):
        for phrase in getattr(spec.subjects, level):
            subjects.add(phrase, "level", level)

    comparisons = PhraseIndex()
    for name, phrases in spec.comparison.comparators.items():
        for phrase in phrases:
            comparisons.add(phrase, "comparator", name)
    for relation in ("in_line", "above", "below"):
        for phrase in getattr(spec.comparison, relation):
            comparisons.add(phrase, "relation", relation)

    section = _language_quantifiers(language_path)
    shares = _shares(section)
    quantifiers = PhraseIndex()
    q = spec.quantifiers
    for phrase in q.not_quantifiers:
        quantifiers.add(phrase, "not_quantifier")
    words = set(shares) | {w.lower() for w in q.extra} | {w.lower() for w in q.aliases} | {w.lower() for w in q.words}
    for word in sorted(words):
        normal = q.aliases.get(word, word)
        quantifiers.add(word, "quantifier", normal)
    # A normal form takes its share from its own entry, else from the word it was reached from.
    for word, normal in q.aliases.items():
        if normal not in shares and word in shares:
            shares[normal] = shares[word]

    countables = PhraseIndex()
    for unit, phrases in spec.numbers.units.items():
        for phrase in phrases:
            countables.add(phrase, "unit", unit)
    for phrase in q.population:
        countables.add(phrase, "population")
    for phrase in q.followers:
        countables.add(phrase, "follower")

    abbreviations = frozenset(a.lower().rstrip(".") for a in spec.sentences.abbreviations)
    indexes = {"polar": polar, "topics": topics, "related": related, "subjects": subjects,
               "comparisons": comparisons, "bounds": bounds, "quantifiers": quantifiers, "countables": countables}
    starters: dict[str, int] = {}
    for k, name in enumerate(Cues.SCANNED):
        for word in indexes[name].first_words():
            starters[word] = starters.get(word, 0) | (1 << k)
    return Cues(
        starters=starters,
        spec=spec,
        polar=polar,
        topics=topics,
        related=related,
        subjects=subjects,
        comparisons=comparisons,
        bounds=bounds,
        quantifiers=quantifiers,
        countables=countables,
        shares=shares,
        fractions={k.lower(): v for k, v in section.fractions.items()} if section else {},
        share_origin=section.origin if section else "",
        need_population=frozenset(w.lower() for w in q.need_population),
        number_words={k.lower(): int(v) for k, v in spec.numbers.words.items()},
        not_after_number=frozenset(w.lower() for w in spec.numbers.not_after),
        months=frozenset(w.lower() for w in spec.numbers.months),
        noun_stops=frozenset(w.lower() for w in spec.numbers.noun_stops),
        abbreviations=abbreviations,
        final_abbreviations=frozenset(a.lower().rstrip(".") for a in spec.sentences.final_abbreviations),
        heading_max_words=spec.sentences.heading_max_words,
        sentence_max_chars=spec.sentences.max_chars,
        manner=frozenset(w.lower() for w in spec.manner),
        negation_window=spec.negation_window,
        condition_reach=spec.trend.condition_reach,
        topic_ids=tuple(vocab.topics),
    )


def iter_phrases(index: PhraseIndex) -> Iterable[tuple[tuple[str, ...], str, Any]]:
    """Yield (tokens, kind, value) for every wording in `index` (for lint and tests)."""
    for entries in index._by_first.values():
        for toks, (kind, value) in entries.items():
            yield toks, kind, value
