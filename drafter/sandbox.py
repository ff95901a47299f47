"""A Jinja2 sandbox with bounds: rules and templates written by users cannot run for long, build huge values or escape.

On top of Jinja's immutable sandbox (no attribute access beyond what is safe): no constant folding at
compile time (`10**(10**10)` would be computed while compiling); `**`, `*`, `+`, `%` and `~` refuse
results beyond the limits (integer size, sequence length, output size); calls and filters refuse size
arguments beyond the limits (`'x'.ljust(10**9)`); every `for` loop and every call counts against a
wall-clock budget per render; `range` is bounded and `lipsum`, `cycler`, `joiner` and `namespace` are
gone. Templates are loaded only from their own folder (links resolved), only as regular UTF-8 files.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, TemplateNotFound, nodes
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from drafter.limits import limit


class BudgetExceeded(ArithmeticError):
    """A rule or template went past a limit (time, size, integer bits); the message says which."""


_state = threading.local()
_FORMAT_WIDTH = re.compile(r"\d{6,}")  # a width or precision of a million or more in a format string


def _deadline() -> float | None:
    return getattr(_state, "deadline", None)


def check_time() -> None:
    """Raise BudgetExceeded when the current render has run out of time."""
    deadline = _deadline()
    if deadline is not None and time.monotonic() > deadline:
        if getattr(_state, "spent", 0.0) + _state.seconds >= limit("evaluation_seconds_total"):
            raise BudgetExceeded(f"rules and templates took longer than {limit('evaluation_seconds_total'):g} "
                                 "seconds in all")
        raise BudgetExceeded(f"took longer than {_state.seconds:g} seconds")


def reset_total() -> None:
    """Start counting the time all renders take afresh (once per command)."""
    _state.spent = 0.0


@contextmanager
def budget(seconds: float | None = None) -> Iterator[None]:
    """Run the body with a wall-clock budget (default: the `render_seconds` limit); nested budgets keep the outer.

    Time spent in budgets adds up: once `evaluation_seconds_total` has gone, every further render stops
    at its first check, so many slow rules cannot add up to a hang either.
    """
    if _deadline() is not None:
        yield
        return
    spent = getattr(_state, "spent", 0.0)
    wanted = seconds if seconds is not None else limit("render_seconds")
    left = max(limit("evaluation_seconds_total") - spent, 0.0)
    _state.seconds = min(wanted, left)
    started = time.monotonic()
    _state.deadline = started + _state.seconds
    try:
        yield
    finally:
        _state.deadline = None
        _state.spent = spent + (time.monotonic() - started)


def _size(value: Any) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple) else 0


def _check_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > limit("expression_int_bits"):
        raise BudgetExceeded(f"a number larger than 2**{limit('expression_int_bits')}")
    return value


def _check_size(value: Any) -> Any:
    if _size(value) > limit("render_chars"):
        raise BudgetExceeded(f"a value of more than {limit('render_chars'):,} characters or items")
    return _check_int(value)


def _check_args(args: Iterable[Any]) -> None:
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > limit("sequence_items"):
            raise BudgetExceeded(f"a size argument above {limit('sequence_items'):,}")
        if isinstance(arg, str) and _FORMAT_WIDTH.search(arg) and ("%" in arg or "{" in arg):
            raise BudgetExceeded("a format width of a million or more")


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
        if right * left.bit_length() > limit("expression_int_bits") + 1:
            raise BudgetExceeded(f"a power larger than 2**{limit('expression_int_bits')}")
    return _check_int(left**right)


def _times(left: Any, right: Any) -> Any:
    for seq, n in ((left, right), (right, left)):
        if _size(seq) and isinstance(n, int) and _size(seq) * max(n, 0) > limit("sequence_items"):
            raise BudgetExceeded(f"a repeated string or list of more than {limit('sequence_items'):,} items")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > 2 * limit(
            "expression_int_bits"):
        raise BudgetExceeded(f"a product larger than 2**{limit('expression_int_bits')}")
    return _check_int(left * right)


def _plus(left: Any, right: Any) -> Any:
    if _size(left) + _size(right) > limit("render_chars"):
        raise BudgetExceeded(f"a value of more than {limit('render_chars'):,} characters or items")
    return _check_int(left + right)


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _check_args([left])
    return _check_size(left % right)


def bounded_range(*args: int) -> Iterator[int]:
    """Return range(*args) if it has at most `sequence_items` numbers, counting against the time budget."""
    numbers = range(*args)
    if len(numbers) > limit("sequence_items"):
        raise BudgetExceeded(f"a range of more than {limit('sequence_items'):,} numbers")
    return _timed(numbers)


def _timed(items: Iterable[Any]) -> Iterator[Any]:
    for n, item in enumerate(items):
        if n % 256 == 0:
            check_time()
        yield item


def _concat(values: Iterable[Any]) -> str:
    parts = [str(v) for v in values]
    if sum(len(p) for p in parts) > limit("render_chars"):
        raise BudgetExceeded(f"a string of more than {limit('render_chars'):,} characters")
    return "".join(parts)


class _Bounding(NodeTransformer):
    """Rewrites a parsed template so loops count against the budget and `~` joins are bounded."""

    def visit_For(self, node: nodes.For) -> nodes.Node:  # noqa: N802 - the visitor's naming
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, "_drafter_timed", [], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:  # noqa: N802
        self.generic_visit(node)
        return nodes.Filter(nodes.List(node.nodes, lineno=node.lineno), "_drafter_concat", [], [], None, None,
                            lineno=node.lineno)


def _bounded_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check_time()
        _check_args(args[1:])
        _check_args(kwargs.values())
        if fn is _JINJA_REPLACE and len(args) >= 3:
            value, old, new = (str(a) for a in args[:3])
            if (value.count(old) if old else len(value) + 1) * len(new) > limit("render_chars"):
                raise BudgetExceeded(f"a replacement of more than {limit('render_chars'):,} characters")
        return _check_size(fn(*args, **kwargs))

    for attr in ("jinja_pass_arg",):  # keep Jinja's pass_context / pass_environment markers
        if hasattr(fn, attr):
            setattr(wrapper, attr, getattr(fn, attr))
    return wrapper


_JINJA_REPLACE: Any = None
INTERNAL_FILTERS = ("_drafter_timed", "_drafter_concat")  # added by _Bounding; a sandbox must keep them
# Filters a template may use: Jinja's, less those that build unbounded text or reach out (format, urlize...).
TEMPLATE_FILTERS = ("abs", "attr", "batch", "capitalize", "center", "count", "default", "d", "dictsort", "e",
                    "escape", "first", "float", "groupby", "indent", "int", "items", "join", "last", "length", "list",
                    "lower", "map", "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "select",
                    "selectattr", "slice", "sort", "string", "striptags", "sum", "title", "trim", "truncate",
                    "unique", "upper", "wordcount")


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with drafter's bounds (see the module docstring)."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("optimized", False)  # no constant folding: it would compute 10**(10**10) at compile
        super().__init__(*args, **kwargs)
        global _JINJA_REPLACE
        _JINJA_REPLACE = self.filters.get("replace")
        self.binop_table.update({"**": _power, "*": _times, "+": _plus, "%": _modulo})
        for name in ("lipsum", "cycler", "joiner", "namespace", "dict"):
            self.globals.pop(name, None)
        self.globals["range"] = bounded_range
        self.filters = {name: _bounded_filter(self.filters[name]) for name in TEMPLATE_FILTERS
                        if name in self.filters}
        self.filters["_drafter_timed"] = _timed
        self.filters["_drafter_concat"] = _concat

    def bound_filters(self, filters: dict[str, Callable[..., Any]]) -> None:
        """Add `filters`, wrapped so their size arguments and results are bounded too."""
        self.filters.update({name: _bounded_filter(fn) for name, fn in filters.items()})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Bounding().visit(super()._parse(source, name, filename))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805,B902
        check_time()
        if isinstance(getattr(__obj, "__self__", None), str | bytes | list | tuple | dict):
            _check_args(args)  # 'x'.ljust(10**9), '{:>9999999}'.format(1)
            _check_args(kwargs.values())
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator_: str, left: Any, right: Any) -> Any:
        check_time()
        return self.binop_table[operator_](left, right)


class FolderLoader(BaseLoader):
    """Loads templates from one folder only: names that resolve (links included) outside it are not found.

    Only regular UTF-8 files of at most `source_bytes` are read; each is noted as an input of the run.
    """

    def __init__(self, folder: Path):
        self.folder = Path(folder).resolve()

    def get_source(self, environment: Any, template: str) -> tuple[str, str, Callable[[], bool]]:
        from drafter.errors import DrafterError
        from drafter.files import read_bytes_bounded

        candidate = (self.folder / template).resolve()
        if self.folder not in candidate.parents:
            raise TemplateNotFound(f"{template} (outside the template folder {self.folder})")
        try:
            data = read_bytes_bounded(candidate, int(limit("source_bytes")), "template")
        except DrafterError:
            raise TemplateNotFound(template) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise TemplateEncodingError(str(candidate), data[: exc.start].count(b"\n") + 1) from None
        mtime = candidate.stat().st_mtime
        return text, str(candidate), lambda: candidate.stat().st_mtime == mtime


class StoredBytecode(BytecodeCache):
    """Compiled templates kept in drafter's verified cache (one entry for all), so a process that renders
    a letter does not parse and compile its template again. A template whose text changed is a miss
    (Jinja checks the source's checksum); `version` names the code that compiles them."""

    def __init__(self, version: str):
        self.version = version

    def load_bytecode(self, bucket: Bucket) -> None:
        from drafter.cache import compiled

        data = compiled().get(f"jinja/{self.version}/{bucket.key}")
        if data is not None:
            bucket.bytecode_from_string(data)  # verified: written with the user's secret key

    def dump_bytecode(self, bucket: Bucket) -> None:
        from drafter.cache import compiled

        compiled().put(f"jinja/{self.version}/{bucket.key}", bucket.bytecode_to_string())


class TemplateEncodingError(ValueError):
    """A template file that is not UTF-8 text, with its path and the line of the first bad byte."""

    def __init__(self, path: str, line: int):
        self.path, self.line = path, line
        super().__init__(f"{path}:{line}: the template is not UTF-8 text")

