"""Load a configuration file (rulebook, catalogue, vocabulary, settings) into its pydantic model.

A file validated once is kept, as the validated object, in drafter's verified cache (keyed by the
file's text, the model and drafter's code), so a later process neither parses nor validates it, and
the model classes need not build their validators (config models set `defer_build`).
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from drafter.errors import DrafterError, RulebookError
from drafter.problems import pydantic_problems
from drafter.yamlsrc import ProblemRaised, Source, marks_on_demand, parse_config, read_text_bounded

M = TypeVar("M", bound=BaseModel)
CONFIG_VERSION = "drafter-config-1"


def load_config(path: Path | str, model: type[M], what: str,
                error: type[DrafterError] = RulebookError) -> tuple[M, Source]:
    """Return the validated model and its source; raise `error` naming file:line for any problem."""
    path = Path(path)
    try:
        text = read_text_bounded(path, what)
    except ProblemRaised as exc:
        raise error(exc.problem) from None
    name = _entry(path, model, text)
    kept = _read(name, model)
    if kept is not None:
        return kept, Source(str(path), None, None, marks_on_demand(text, path, what))
    try:
        source = parse_config(path, what, text)
    except ProblemRaised as exc:
        raise error(exc.problem) from None
    try:
        value = model.model_validate(source.data)
    except ValidationError as exc:
        raise error(pydantic_problems(exc, source, model, what)) from None
    _write(name, value)
    return value, source


def _entry(path: Path, model: type, text: str) -> str:
    key = "\0".join((CONFIG_VERSION, _code_stamp(), model.__module__, model.__qualname__, path.suffix, text))
    return f"config-{hashlib.sha256(key.encode('utf-8')).hexdigest()}.pickle"


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """Return a digest of the size and time of every module of drafter and the pydantic and Python versions:
    a kept object is only used by the code that made it."""
    import pydantic

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{sys.version}\0{pydantic.VERSION}".encode())
    for module in sorted(package.rglob("*.py")):
        try:
            info = module.stat()
        except OSError:
            continue
        digest.update(f"{module.relative_to(package)}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _read(name: str, model: type[M]) -> M | None:
    from drafter import cache

    payload = cache.load(name)
    if payload is None:
        return None
    try:
        value = pickle.loads(payload)  # verified: written by _write with the user's secret key
    except Exception:  # noqa: BLE001 - an entry another version of a library wrote: a miss
        return None
    return value if type(value) is model else None


def _write(name: str, value: BaseModel) -> None:
    from drafter import cache

    try:
        cache.store(name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError):
        pass  # a cache that cannot be written only costs time
