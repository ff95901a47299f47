"""One error tree: every user-facing error says where, what was found, what was expected, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


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

    def location(self) -> str:
        """Return `path:line:col` (or `path:where`) for the start of a report line."""
        parts = [self.path or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        elif self.where:
            parts.append(self.where)
        return ":".join(parts)

    def render(self, level: str = "error") -> str:
        """Return the problem as a short paragraph for a terminal ('warning' for one that does not stop)."""
        head = f"{self.location()}: {level}: "
        if self.field:
            head += f"{self.field}: "
        lines = [head + self.message]
        if self.found:
            lines.append(f"  found:    {self.found}")
        if self.expected:
            lines.append(f"  expected: {self.expected}")
        if self.hint:
            lines.append(f"  hint:     {self.hint}")
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
