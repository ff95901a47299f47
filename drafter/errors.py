"""One error tree: every user-facing error says where, what was found, what was expected, and how to fix it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Characters a terminal may act on (escape sequences, bells, carriage returns, bidi overrides): shown escaped.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_SHOWN = 300  # characters of a found/expected/hint value shown in a message


def safe_text(text: str, limit: int | None = None) -> str:
    """Return `text` with terminal control characters escaped (\\x1b) and, given `limit`, shortened."""
    text = _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))
    if limit is not None and len(text) > limit:
        text = text[: limit - 20] + f"... ({len(text):,} characters)"
    return text


@dataclass
class Problem:
    """One thing wrong with an input, located as precisely as the input allows."""

    message: str
    path: str = ""
    line: int | None = None
    column: int | None = None
    where: str = ""  # a sheet!cell, a CSV line, or a dotted field path
    field: str = ""
    found: str = ""
    expected: str = ""
    hint: str = ""
    level: str = "error"  # or "warning": reported, but the input is still used

    def location(self) -> str:
        """Return `path:line:col` (or `path:where`) for the start of a report line."""
        parts = [safe_text(self.path, MAX_SHOWN) if self.path else "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        elif self.where:
            parts.append(safe_text(self.where, MAX_SHOWN))
        return ":".join(parts)

    def render(self, level: str | None = None) -> str:
        """Return the problem as a short paragraph for a terminal (at its own level unless one is given)."""
        head = f"{self.location()}: {level or self.level}: "
        if self.field:
            head += f"{safe_text(self.field, MAX_SHOWN)}: "
        lines = [head + safe_text(self.message, 2 * MAX_SHOWN)]
        if self.found:
            lines.append(f"  found:    {safe_text(self.found, MAX_SHOWN)}")
        if self.expected:
            lines.append(f"  expected: {safe_text(self.expected, MAX_SHOWN)}")
        if self.hint:
            lines.append(f"  hint:     {safe_text(self.hint, MAX_SHOWN)}")
        return "\n".join(lines)

    def to_record(self) -> dict:
        """Return the problem as a JSON-ready dict."""
        return {
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "where": self.where,
            "field": self.field,
            "found": self.found,
            "expected": self.expected,
            "hint": self.hint,
            "level": self.level,
        }


class DrafterError(Exception):
    """Base of every error a user can cause; the CLI prints it and exits 2, never a traceback."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__("\n".join(p.render() for p in problems))

    def render(self) -> str:
        """Return every problem, one paragraph each."""
        return "\n".join(p.render() for p in self.problems)


class EvidenceError(DrafterError):
    """An evidence pack cannot be read or is invalid."""


class RulebookError(DrafterError):
    """A rulebook or the indicator catalogue is invalid."""


class TemplateError(DrafterError):
    """A document template cannot be compiled or rendered."""


class DraftError(DrafterError):
    """A draft given to `check` cannot be read."""


@dataclass
class NotEvaluable(Exception):
    """Raised inside rule evaluation when evidence a rule needs is missing."""

    missing: list[str] = field(default_factory=list)  # indicator ids or sample features
    why: list[str] = field(default_factory=list)  # one readable reason per missing item
