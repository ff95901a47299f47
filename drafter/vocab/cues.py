"""Cue lists (`rules/topics.yaml` `cues:`) and quantifier shares (`rules/language.yaml`), compiled once for matching."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir
from drafter.vocab.cuespec import CueSpec
from drafter.vocab.language import Quantifiers, load_language
from drafter.vocab.phrases import (  # noqa: F401  (re-exported: the checker's readers import them from here)
    Match,
    PhraseIndex,
    Token,
    _inner_spans,
    expand_phrase,
    iter_phrases,
    phrase_tokens,
    term_variants,
    token_spans,
    tokenize,
)
from drafter.vocab.topics import Vocabulary, load_vocabulary

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
    fraction_starts: dict[str, list[tuple[list[str], float]]] = field(default_factory=dict, repr=False)
    figure_starters: frozenset[str] = frozenset()
    not_claim_openings: frozenset[tuple[str, ...]] = frozenset()  # `not_claims`, as token tuples
    not_claim_reach: int = 0  # the longest of them, in tokens

    SCANNED = ("polar", "topics", "related", "subjects", "comparisons", "bounds", "quantifiers", "countables")

    def opens_without_claim(self, text: str) -> bool:
        """Return whether `text` opens as a sentence that claims nothing about services (`not_claims`):
        an instruction ("Widen the choice of homes...") or a sentence about the evidence itself."""
        if not self.not_claim_openings:
            return False
        norms = phrase_tokens(text[: 40 * self.not_claim_reach])
        return any(norms[:n] in self.not_claim_openings for n in range(1, self.not_claim_reach + 1))

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
    fractions = {k.lower(): v for k, v in section.fractions.items()} if section else {}
    fraction_starts: dict[str, list[tuple[list[str], float]]] = {}
    for words, share in fractions.items():
        parts = words.split()
        fraction_starts.setdefault(parts[0], []).append((parts, share))
    number_words = {k.lower(): int(v) for k, v in spec.numbers.words.items()}
    openings = frozenset(phrase_tokens(w) for phrase in spec.not_claims for w in expand_phrase(phrase))
    return Cues(
        not_claim_openings=openings,
        not_claim_reach=max((len(o) for o in openings), default=0),
        starters=starters,
        fraction_starts=fraction_starts,
        figure_starters=frozenset(number_words) | frozenset(fraction_starts),
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
        fractions=fractions,
        share_origin=section.origin if section else "",
        need_population=frozenset(w.lower() for w in q.need_population),
        number_words=number_words,
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
