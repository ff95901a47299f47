"""The loaded rules of a rules folder as ONE verified cache entry, keyed by the folder's files and drafter's code.

Loading rules/ checks every rulebook (shape, ids, topics, indicators, every expression); done once,
the result is kept, so a later process reads one entry instead of parsing, validating and checking 17
rulebooks. The key covers every file the checks read (the rulebooks, the topic vocabulary and the
indicator catalogue) and the code that does them, so any change to either is a miss. Only rules
that loaded without a problem are kept: a rulebook with a mistake is checked, and reported, each time.
"""

from __future__ import annotations

import hashlib
import marshal
import pickle
import sys
from pathlib import Path
from typing import Any

import pydantic

from drafter.errors import DrafterError
from drafter.files import read_bytes_bounded
from drafter.limits import limit
from drafter.paths import rules_dir

BUNDLE_VERSION = "drafter-rules-bundle-1"
_CODE = Path(__file__).resolve().parent.parent  # the drafter package
# The code whose behaviour a loaded rule depends on: the rules package, the sandbox, the readers, the vocabulary.
_CODE_FILES = ("sandbox.py", "yamlsrc.py", "fastyaml.py", "problems.py", "vocab/topics.py")


def key(folder: Path, rulebooks: list[Path]) -> str | None:
    """Return the entry name for loading `rulebooks` of `folder`; None when a file cannot be read (the
    full load then reports it)."""
    digest = hashlib.sha256(f"{BUNDLE_VERSION}\0{sys.version}\0{pydantic.VERSION}\0{folder}\0".encode())
    code = sorted((_CODE / "rules").glob("*.py")) + [_CODE / name for name in _CODE_FILES]
    inputs = [*rulebooks, rules_dir() / "topics.yaml", rules_dir() / "indicators.yaml"]
    try:
        for path in code:
            digest.update(_part(path, path.read_bytes()))
        for path in inputs:
            digest.update(_part(path, read_bytes_bounded(path, int(limit("source_bytes")), "rulebook")))
    except (OSError, DrafterError):
        return None
    return f"rules-{digest.hexdigest()}.pickle"


def _part(path: Path, data: bytes) -> bytes:
    return f"{path}\0{len(data)}\0".encode() + data


def read(name: str) -> tuple[Any, ...] | None:
    """Return the rules kept under `name`, rebuilt (conditions from the compiled-code store); None on a miss."""
    from drafter import cache
    from drafter.rules.expr import Phrase, condition_from_code
    from drafter.rules.loader import LoadedRule

    payload = cache.load(name)
    if payload is None:
        return None
    try:
        records = pickle.loads(payload)  # verified: written by `write` below with the user's secret key
        return tuple(LoadedRule(rule, topic, path, line, condition_from_code(marshal.loads(code)) if code else None,
                                tuple(Phrase(p) for p in rule.phrases), reads, features, optional,
                                tuple(Phrase(p) for p in rule.words))
                     for rule, topic, path, line, code, reads, features, optional in records)
    except Exception:  # noqa: BLE001 - an entry from another version of a library: a miss, loaded afresh
        return None


def write(name: str, loaded: tuple[Any, ...], extra: tuple[str, ...]) -> None:
    """Keep the loaded rules under `name`, each with its condition's compiled code."""
    from drafter import cache
    from drafter.rules.expr import condition_code

    try:
        records = [(item.rule, item.topic, item.path, item.line,
                    marshal.dumps(condition_code(item.rule.when, extra)) if item.rule.when else None,
                    item.reads, item.features, item.optional) for item in loaded]
        cache.store(name, pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, TypeError, AttributeError, ValueError):
        return  # a cache that cannot be written only costs time
    _prune(name)


KEEP = 8  # rules folders (or versions of one) kept: a test suite's copies, DRAFTER_RULES, rules being edited


def _prune(name: str) -> None:
    """Remove all but the KEEP most recent rule entries, so editing rules does not fill the cache."""
    from drafter.cache import cache_dir

    folder = cache_dir()
    try:
        entries = sorted(folder.glob("rules-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            if old.name != name:
                old.unlink()
    except (OSError, AttributeError):
        pass
