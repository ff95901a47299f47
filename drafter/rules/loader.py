"""Load every rulebook in rules/, validating shape, ids, topics, evidence names and expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir
from drafter.problems import did_you_mean, pydantic_problems
from drafter.rules.catalogue import load_catalogue
from drafter.rules.expr import ExpressionError, compile_condition, compile_phrase, referenced_ids, save_compiled
from drafter.rules.helpers import INDICATOR_HELPERS, SAMPLE_HELPERS
from drafter.rules.schema import Rule, Rulebook
from drafter.vocab.topics import load_vocabulary
from drafter.yamlsrc import ProblemRaised, Source, parse_config

# Files in rules/ that are not rulebooks.
NOT_RULEBOOKS = {"indicators.yaml", "topics.yaml", "language.yaml", "judgements.yaml", "charts.yaml", "checks.yaml",
                 "privacy.yaml", "comments.yaml", "sample_features.yaml", "planning.yaml", "official_measures.yaml"}


@dataclass(frozen=True)
class LoadedRule:
    """A validated rule with its compiled condition and phrases, and where it came from."""

    rule: Rule
    topic: str
    path: str
    line: int | None
    condition: Any
    phrases: tuple[Any, ...]
    reads: tuple[str, ...]  # indicator ids the condition or phrases read
    features: tuple[str, ...]  # sample features read
    optional: tuple[str, ...] = ()  # ids the rule only reads when present (guarded by has() or count())
    words: tuple[Any, ...] = ()  # compiled words-only variants (`words:`), for the default register

    @property
    def id(self) -> str:
        return self.rule.id


def rulebook_paths(folder: Path | None = None) -> list[Path]:
    """Return the rulebook files in the rules folder, sorted by name."""
    folder = folder or rules_dir()
    return sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_RULEBOOKS)


def load_rules(folder: Path | None = None) -> list[LoadedRule]:
    """Return every rule from every rulebook; raise RulebookError listing every problem found."""
    return list(_load_cached(str(folder or rules_dir())))


EXTRA_NAMES = ("params",)  # names a rule's expressions may use besides the helpers


@lru_cache(maxsize=4)
def _load_cached(folder: str) -> tuple[LoadedRule, ...]:
    from drafter.rules import bundle

    paths = rulebook_paths(Path(folder))
    name = bundle.key(Path(folder), paths)
    kept = bundle.read(name) if name else None
    if kept is not None:
        return kept
    problems: list[Problem] = []
    loaded: list[LoadedRule] = []
    seen_ids: dict[str, str] = {}
    for path in paths:
        try:
            source = parse_config(path, "rulebook")
        except ProblemRaised as exc:
            problems.append(exc.problem)
            continue
        try:
            book = Rulebook.model_validate(source.data)
        except ValidationError as exc:
            problems += pydantic_problems(exc, source, Rulebook, "rulebook")
            continue
        rules, book_problems = _check_book(book, source)
        problems += book_problems
        for item in rules:
            if item.id in seen_ids:
                problems.append(
                    Problem(
                        f"rule id {item.id} is used twice",
                        path=source.path,
                        line=item.line,
                        found=f"also in {seen_ids[item.id]}",
                        expected="a unique id",
                        hint="give the new rule the next free number",
                    )
                )
            seen_ids[item.id] = source.path
            loaded.append(item)
    save_compiled()
    if problems:
        raise RulebookError(problems)
    if name:
        bundle.write(name, tuple(loaded), EXTRA_NAMES)
    return tuple(loaded)


_ID_LINE = re.compile(r"^\s*(?:-\s+)?id:\s*([A-Z]{2,3}[0-9]{3})\b", re.MULTILINE)


def _rule_lines(path: Path) -> dict[str, int]:
    """Return each rule id's line in a rulebook, read from the text (cheaper than a marked parse)."""
    text = path.read_text(encoding="utf-8")
    return {m.group(1): text.count("\n", 0, m.start()) + 1 for m in _ID_LINE.finditer(text)}


def _check_book(book: Rulebook, source: Source) -> tuple[list[LoadedRule], list[Problem]]:
    vocab = load_vocabulary()
    catalogue = load_catalogue()
    topics = vocab.topic_ids()
    problems: list[Problem] = []
    out: list[LoadedRule] = []

    def add(loc: tuple, message: str, **kw: str) -> None:
        problems.append(Problem(message, path=source.path, **source.where(loc), field=".".join(map(str, loc)), **kw))

    lines = _rule_lines(Path(source.path))
    if book.topic != "any" and book.topic not in topics:
        add(
            ("topic",),
            f"unknown topic {book.topic!r}",
            expected="a topic from rules/topics.yaml or 'any'",
            hint=did_you_mean(book.topic, topics),
        )
    for i, rule in enumerate(book.rules):
        loc = ("rules", i)
        if not rule.id.startswith(book.prefix):
            add(
                loc + ("id",),
                f"rule id {rule.id} does not start with the rulebook prefix {book.prefix}",
                expected=f"{book.prefix}NNN",
                hint="ids are prefixed by their topic's code",
            )
        topic = rule.topic or book.topic
        if topic != "any" and topic not in topics:
            add(loc + ("topic",), f"unknown topic {topic!r}", hint=did_you_mean(topic, topics))
        if rule.kind == "condition" and not rule.when:
            add(
                loc,
                f"rule {rule.id} has no `when:` condition",
                expected="a condition such as \"latest('caseload.average') <= params.ceiling\"",
                hint="add `when:` or set `kind: note`",
            )
            continue
        extra = EXTRA_NAMES
        condition = None
        try:
            if rule.when:
                condition = compile_condition(rule.when, extra)
        except ExpressionError as exc:
            add(
                loc + ("when",),
                f"{rule.id}: {exc}",
                found=rule.when,
                expected="a condition using only drafter's helpers (docs/rules.md)",
                hint="remove the offending part; the helpers are listed in docs/rules.md",
            )
            continue
        phrases = []
        bad = False
        for j, phrase in enumerate(rule.phrases):
            try:
                phrases.append(compile_phrase(phrase, extra))
            except ExpressionError as exc:
                add(loc + ("phrases", j), f"{rule.id}: {exc}", found=phrase)
                bad = True
        words = []
        for j, phrase in enumerate(rule.words):
            try:
                words.append(compile_phrase(phrase, extra))
            except ExpressionError as exc:
                add(loc + ("words", j), f"{rule.id}: {exc}", found=phrase)
                bad = True
        if bad:
            continue
        # A phrase without template syntax reads nothing (and must not be parsed as an expression).
        texts = [rule.when or "", *(p for p in (*rule.phrases, *rule.words) if "{{" in p or "{%" in p)]
        reads: list[str] = []
        features: list[str] = []
        for text in texts:
            if not text:
                continue
            for ident in referenced_ids(text, INDICATOR_HELPERS):
                if ident not in reads:
                    reads.append(ident)
            for ident in referenced_ids(text, SAMPLE_HELPERS):
                if ident not in features:
                    features.append(ident)
            if "audit_" in text and "audit.ratings" not in reads:
                reads.append("audit.ratings")
        if rule.per_team and rule.per_team not in reads:
            reads.append(rule.per_team)
        optional = [i for text in texts if text for i in referenced_ids(text, ("has", "count"))]
        for ident in reads:
            if catalogue.get(ident) is None:
                add(
                    loc + ("when",),
                    f"{rule.id} reads unknown indicator {ident!r}",
                    expected="an id from rules/indicators.yaml",
                    hint=did_you_mean(ident, catalogue.ids()),
                )
        for feature in features:
            if feature.split(".", 1)[0] not in topics:
                add(
                    loc + ("when",),
                    f"{rule.id} reads a sample feature with unknown topic {feature!r}",
                    hint=did_you_mean(feature.split(".", 1)[0], topics),
                )
        line = lines.get(rule.id)
        out.append(LoadedRule(rule, topic, source.path, line, condition, tuple(phrases), tuple(reads), tuple(features),
                              tuple(dict.fromkeys(optional)), tuple(words)))
    return out, problems
