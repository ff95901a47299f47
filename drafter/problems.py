"""Turn pydantic validation errors into located Problems with a hint, at the input boundary."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from drafter.errors import Problem
from drafter.evidence.bounded import EXPECTED as BOUNDED_EXPECTED
from drafter.evidence.bounded import HINTS as BOUNDED_HINTS
from drafter.yamlsrc import Source


def dotted(loc: tuple) -> str:
    """Return a pydantic loc as a readable field path: `indicators[2].series`."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


def nearest(word: str, choices: list[str] | tuple[str, ...], n: int = 3) -> list[str]:
    """Return up to n choices close to `word` (for 'did you mean' hints)."""
    return difflib.get_close_matches(str(word), list(choices), n=n, cutoff=0.5)


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return a 'did you mean' hint, or a list of valid values when nothing is close."""
    close = nearest(word, choices)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    shown = ", ".join(sorted(choices)[:12])
    more = " …" if len(choices) > 12 else ""
    return f"valid values: {shown}{more}"


def _fields_of(model: type[BaseModel], loc: tuple) -> list[str]:
    """Return the allowed keys of the model that owns `loc`'s last step (for unknown-key hints)."""
    current: Any = model
    for step in loc[:-1]:
        if isinstance(step, int) or current is None:
            continue
        field = current.model_fields.get(step) if hasattr(current, "model_fields") else None
        if field is None:
            for f in getattr(current, "model_fields", {}).values():
                if f.alias == step:
                    field = f
        current = _model_in(field.annotation) if field is not None else None
    if current is None or not hasattr(current, "model_fields"):
        return []
    return [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _model_in(arg)
        if found is not None:
            return found
    return None


_EXAMPLE_OF = {
    "evidence pack": "the packs in seeds/ are complete examples",
    "rulebook": "docs/rules.md describes every key",
}

_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "string_type": "text",
    "date_parsing": "an ISO date such as 2022-03-30",
    "date_from_datetime_parsing": "an ISO date such as 2022-03-30",
    "date_type": "an ISO date such as 2022-03-30",
    "list_type": "a list ([a, b] or lines starting with '- ')",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "too_short": "at least one entry",
    "bool_type": "true or false",
}


def pydantic_problems(exc: ValidationError, source: Source, model: type[BaseModel], what: str) -> list[Problem]:
    """Return one Problem per pydantic error, located in the source file."""
    problems = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        found = err.get("input")
        field = dotted(loc)
        if kind == "extra_forbidden":
            place = source.where(loc, key=True)
            allowed = _fields_of(model, loc)
            problems.append(
                Problem(
                    f"unknown key {loc[-1]!r}",
                    path=source.path,
                    **place,
                    field=field,
                    found=repr(loc[-1]),
                    expected=("one of: " + ", ".join(allowed)) if allowed else "a known key",
                    hint=(did_you_mean(str(loc[-1]), allowed) if allowed else "remove this key"),
                )
            )
            continue
        place = source.where(loc)
        if kind == "missing":
            problems.append(
                Problem(
                    f"required key {loc[-1]!r} is missing",
                    path=source.path,
                    **place,
                    field=field,
                    expected=f"a {loc[-1]!r} entry",
                    hint=f"add `{loc[-1]}:` ({_EXAMPLE_OF.get(what, 'see the README')})",
                )
            )
            continue
        expected = _EXPECTED.get(kind, "") or BOUNDED_EXPECTED.get(kind, "")
        ctx = err.get("ctx") or {}
        if kind == "literal_error":
            expected = "one of " + str(ctx.get("expected", ""))
        elif kind in ("greater_than_equal", "greater_than"):
            expected = f"a value {'>=' if kind.endswith('equal') else '>'} {ctx.get('ge', ctx.get('gt'))}"
        elif kind in ("less_than_equal", "less_than"):
            expected = f"a value {'<=' if kind.endswith('equal') else '<'} {ctx.get('le', ctx.get('lt'))}"
        hint = ""
        if kind == "literal_error" and isinstance(found, str):
            choices = [c.strip().strip("'") for c in str(ctx.get("expected", "")).replace(" or ", ",").split(",")]
            hint = did_you_mean(found, [c for c in choices if c])
        elif kind.startswith("date") and kind not in BOUNDED_HINTS:
            hint = "write dates as YYYY-MM-DD, e.g. 2022-03-30"
        elif kind in ("int_parsing", "float_parsing", "int_from_float"):
            hint = "write the number alone, without units, % signs or commas"
        elif kind in BOUNDED_HINTS:
            hint = BOUNDED_HINTS[kind]
        elif kind in ("too_long", "string_too_long"):
            hint = "shorten it, or split it over several entries"
        problems.append(
            Problem(
                err["msg"][0].lower() + err["msg"][1:] if err.get("msg") else kind,
                path=source.path,
                **place,
                field=field,
                found=_show(found),
                expected=expected,
                hint=hint,
            )
        )
    return problems


def _show(value: Any) -> str:
    if isinstance(value, str) and len(value) > 80:
        return repr(value[:60]) + f"... ({len(value):,} characters)"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."
