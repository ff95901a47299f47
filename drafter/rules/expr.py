"""A small, safe expression language for rules: Jinja2 expressions in an immutable sandbox.

Conditions and phrases may only name the helpers the engine hands in; anything else (an
attribute such as `__class__`, an unknown function, a filter outside the list) is refused when
the rulebook loads, and the sandbox refuses it again at run time.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression

from drafter.limits import limit
from drafter.sandbox import INTERNAL_FILTERS, BoundedEnvironment, BudgetExceeded, budget

# Names a condition may use: the evidence helpers (see helpers.py) and rule-level values.
EVIDENCE_HELPERS = (
    "latest",
    "previous",
    "values",
    "change",
    "rises",
    "falls",
    "improving",
    "worsening",
    "moves",
    "england",
    "region",
    "neighbours",
    "has_comparator",
    "threshold",
    "has",
    "count",
    "period",
    "first",
    "label",
    "sample_share",
    "sample_seen",
    "sample_of",
    "has_sample",
    "audit_total",
    "audit_count",
    "audit_share",
    "audit_periods",
    "has_audits",
    "notes_count",
    "teams",
    "pct_of",
    "min",
    "max",
    "abs",
    "round",
    "len",
    "sum",
)
# Extra names a phrase may use: the wording helpers.
WORDING_HELPERS = (
    "num",
    "num1",
    "pct",
    "share_pct",
    "number_words",
    "ordinal",
    "plural",
    "count_of",
    "quantifier",
    "date_words",
    "date_range",
    "month_year",
    "period_words",
    "join_words",
    "trend_verb",
    "compare_england",
    "compare_region",
    "compare_neighbours",
    "trend_words",
    "england_words",
    "trend_since",
    "team_words",
)
CONTEXT_NAMES = ("params", "team", "note", "sample", "true", "false", "none", "True", "False", "None")
FILTERS = (
    "num",
    "num1",
    "pct",
    "share_pct",
    "number_words",
    "ordinal",
    "quantifier",
    "round",
    "abs",
    "lower",
    "upper",
    "capitalize",
    "int",
    "float",
    "length",
    "join",
    "trim",
)
TESTS = (
    "defined",
    "none",
    "number",
    "string",
    "sameas",
    "divisibleby",
    "odd",
    "even",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
)


class ExpressionError(ValueError):
    """A condition or phrase that is not allowed or does not parse."""


@lru_cache(maxsize=1)
def environment() -> BoundedEnvironment:
    """Return the shared sandbox: strict undefined, no autoescape (the output is prose, not HTML), bounded."""
    env = BoundedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    from drafter.vocab import wording

    env.filters = {name: env.filters[name] for name in (*FILTERS, *INTERNAL_FILTERS) if name in env.filters}
    env.bound_filters(
        {
            "num": wording.num,
            "num1": wording.num1,
            "pct": wording.pct,
            "share_pct": wording.share_pct,
            "number_words": wording.number_words,
            "ordinal": wording.ordinal,
            "quantifier": wording.quantifier,
        }
    )
    env.tests = {name: env.tests[name] for name in TESTS if name in env.tests}
    env.globals = {}
    return env


def _check_tree(tree: nodes.Node, allowed_names: Iterable[str], what: str) -> None:
    allowed = set(allowed_names)
    assigned: set[str] = set()
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Name):
            if node.ctx in ("store", "param"):
                assigned.add(node.name)
            elif node.name not in allowed and node.name not in assigned:
                raise ExpressionError(f"{what} uses {node.name!r}, which is not a helper drafter provides")
        elif isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                raise ExpressionError(f"{what} reaches for the attribute {node.attr!r}, which is not allowed")
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value.startswith("_"):
                raise ExpressionError(f"{what} reaches for the item {arg.value!r}, which is not allowed")
        elif isinstance(node, nodes.Call):
            if not isinstance(node.node, nodes.Name):
                raise ExpressionError(f"{what} calls something that is not one of drafter's helpers")
            if node.node.name not in allowed:
                raise ExpressionError(f"{what} calls {node.node.name!r}, which is not a helper drafter provides")
        elif isinstance(node, nodes.Filter):
            if node.name not in environment().filters:
                raise ExpressionError(f"{what} uses the filter {node.name!r}, which is not available")
        elif isinstance(node, nodes.Test):
            if node.name not in environment().tests:
                raise ExpressionError(f"{what} uses the test {node.name!r}, which is not available")
        elif isinstance(
            node,
            (
                nodes.Import,
                nodes.FromImport,
                nodes.Include,
                nodes.Extends,
                nodes.Macro,
                nodes.CallBlock,
                nodes.FilterBlock,
                nodes.Block,
            ),
        ):
            raise ExpressionError(f"{what} uses a template statement that rules may not use")


@lru_cache(maxsize=4096)
def _parse(source: str) -> nodes.Template:
    """Return the parsed template for a source (parsed once: loading checks and compiles the same tree)."""
    return environment().parse(source)


def _as_template(source: str) -> str:
    return "{{ (" + source + ") }}" if "{{" not in source and "{%" not in source else source


def _sandbox_version() -> str:
    """Return a digest of the sandbox's and this module's code: compiled code depends on both."""
    from drafter import sandbox

    digest = hashlib.sha256()
    for module_file in (sandbox.__file__, __file__):
        try:
            digest.update(Path(module_file).read_bytes())
        except OSError:
            digest.update(module_file.encode())
    return digest.hexdigest()[:16]


CODE_VERSION = (f"drafter-expr-3/jinja{jinja2.__version__}/py{sys.version_info[0]}.{sys.version_info[1]}/"
                 f"{_sandbox_version()}")


def _code_path(kind: str, source: str, names: Iterable[str]) -> str:
    from drafter.cache import entry_name

    return entry_name(CODE_VERSION, kind, source, *sorted(names))


def _codes():
    """Return the store of compiled conditions, phrase templates and checks: one verified cache entry."""
    from drafter.cache import compiled

    return compiled()


def _cached_code(name: str):
    """Return a cached value (compiled code, True, a list), only if drafter wrote it with this user's key."""
    payload = _codes().get(name)
    if payload is None:
        return None
    try:
        return marshal.loads(payload)  # verified: the store was written with the user's secret key
    except (ValueError, EOFError, TypeError):
        return None


def _store_code(name: str, code) -> None:
    try:
        _codes().put(name, marshal.dumps(code))
    except ValueError:
        pass  # a cache that cannot be written only costs time


def save_compiled() -> None:
    """Write the conditions and templates compiled since the last save to the cache (one entry)."""
    _codes().flush()


def compile_condition(source: str, extra_names: Iterable[str] = ()) -> Callable[..., Any]:
    """Return a callable evaluating a condition; raise ExpressionError if it is unsafe or malformed.

    The checked and compiled code is cached (keyed by the source, the names allowed and the Jinja2
    and Python versions), so an unchanged rulebook loads without parsing its conditions again.
    """
    return condition_from_code(condition_code(source, extra_names))


def condition_code(source: str, extra_names: Iterable[str] = ()) -> Any:
    """Return the checked condition's compiled code (from the cache when it was compiled before)."""
    env = environment()
    allowed = (*EVIDENCE_HELPERS, *CONTEXT_NAMES, *extra_names)
    path = _code_path("condition", source, allowed)
    code = _cached_code(path)
    if code is not None:
        return code
    try:
        tree = _parse("{{ (" + source + ") }}")
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"the condition does not parse: {exc.message}") from None
    _check_tree(tree, allowed, "the condition")
    output = tree.body[0]
    if not isinstance(output, nodes.Output) or len(output.nodes) != 1:
        raise ExpressionError("the condition must be a single expression")
    # As Environment.compile_expression does, but from the tree already parsed and checked.
    body = [nodes.Assign(nodes.Name("result", "store"), output.nodes[0], lineno=1)]
    code = env.compile(nodes.Template(body, lineno=1))
    _store_code(path, code)
    return code


def condition_from_code(code: Any) -> Callable[..., Any]:
    """Return the bounded callable for a condition's compiled code (code drafter compiled and checked)."""
    env = environment()
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return _Bounded(TemplateExpression(template, False))


class _Bounded:
    """A compiled condition that runs within the expression time budget (see drafter.sandbox)."""

    def __init__(self, expression: Callable[..., Any]):
        self.expression = expression

    def __call__(self, **context: Any) -> Any:
        with budget(limit("expression_seconds")):
            return self.expression(**context)


class Phrase:
    """A checked phrase template, compiled the first time it is rendered (most rules never fire)."""

    def __init__(self, source: str):
        self.source = source
        self._template = None

    def render(self, **context: Any) -> str:
        if self._template is None:
            env = environment()
            path = _code_path("phrase-code", self.source, ())
            code = _cached_code(path)
            if code is None:
                code = env.compile(_parse(self.source))
                _store_code(path, code)
            self._template = env.template_class.from_code(env, code, env.make_globals(None))
        with budget(limit("expression_seconds")):
            text = self._template.render(**context)
        if len(text) > limit("line_chars") * 10:
            raise BudgetExceeded(f"the sentence is {len(text):,} characters long")
        return text


def compile_phrase(source: str, extra_names: Iterable[str] = ()) -> Phrase:
    """Return a phrase template; raise ExpressionError if it is unsafe or malformed.

    A phrase that passed the safety check before (same source, same allowed names) is not parsed
    again until it is rendered.
    """
    allowed = (*EVIDENCE_HELPERS, *WORDING_HELPERS, *CONTEXT_NAMES, *extra_names)
    path = _code_path("phrase", source, allowed)
    if _cached_code(path) is True:
        return Phrase(source)
    try:
        tree = _parse(source)
    except TemplateSyntaxError as exc:
        raise ExpressionError(f"the phrase does not parse (line {exc.lineno}): {exc.message}") from None
    _check_tree(tree, allowed, "the phrase")
    _store_code(path, True)
    return Phrase(source)


def referenced_ids(source: str, helpers: Iterable[str]) -> list[str]:
    """Return the string constants passed first to the given helpers: the evidence a rule reads."""
    path = _code_path("ids", source, helpers)
    cached = _cached_code(path)
    if isinstance(cached, list):
        return cached
    found = _referenced_ids(source, helpers)
    _store_code(path, found)
    return found


def _referenced_ids(source: str, helpers: Iterable[str]) -> list[str]:
    try:
        tree = _parse(_as_template(source))
    except TemplateSyntaxError:  # a plain phrase ("Caseloads are manageable.") is text, not an expression
        try:
            tree = _parse(source)
        except TemplateSyntaxError:
            return []
    wanted = set(helpers)
    found: list[str] = []
    for call in tree.find_all(nodes.Call):
        if isinstance(call.node, nodes.Name) and call.node.name in wanted and call.args:
            first = call.args[0]
            if isinstance(first, nodes.Const) and isinstance(first.value, str) and first.value not in found:
                found.append(first.value)
    return found
