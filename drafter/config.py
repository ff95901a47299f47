"""Load a configuration file (rulebook, catalogue, vocabulary, settings) into its pydantic model."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from drafter.errors import DrafterError, RulebookError
from drafter.problems import pydantic_problems
from drafter.yamlsrc import ProblemRaised, Source, parse_config

M = TypeVar("M", bound=BaseModel)


def load_config(path: Path | str, model: type[M], what: str,
                error: type[DrafterError] = RulebookError) -> tuple[M, Source]:
    """Return the validated model and its source; raise `error` naming file:line for any problem."""
    try:
        source = parse_config(Path(path), what)
    except ProblemRaised as exc:
        raise error(exc.problem) from None
    try:
        return model.model_validate(source.data), source
    except ValidationError as exc:
        raise error(pydantic_problems(exc, source, model, what)) from None
