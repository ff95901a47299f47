"""Read YAML and JSON with line and column marks, bounded, and turn parse failures into Problems."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from drafter.errors import Problem

MAX_SOURCE_BYTES = 10 * 1024 * 1024  # packs and rulebooks are small; anything larger is a mistake


@dataclass
class Source:
    """A parsed input: plain data for models, and a way to say where a field came from.

    YAML and JSON keep the marked tree (`.lc` line/column marks); tabular inputs (XLSX, CSV)
    give a `locator` that maps a field path to a sheet!cell or CSV line instead.
    """

    path: str
    data: Any
    tree: Any = None  # ruamel round-trip nodes, or None when marks are unavailable
    locator: Callable[[tuple, bool], dict] | None = None

    def where(self, loc: tuple, *, key: bool = False) -> dict:
        """Return {'line', 'column'} or {'where'} for a field path, for a Problem's keywords."""
        if self.locator is not None:
            return self.locator(loc, key)
        if self.tree is None:
            return {"line": None, "column": None}
        line, col = locate(self.tree, loc, key=key)
        return {"line": line, "column": col}


def read_text_bounded(path: Path, what: str, limit: int = MAX_SOURCE_BYTES) -> str:
    """Return a file's text; raise a located Problem for a missing, oversized, binary or non-UTF-8 file."""
    shown = str(path)
    if not path.exists():
        raise ProblemRaised(Problem(f"no such file: {shown}", path=shown, hint=f"check the path to the {what}"))
    if path.is_dir():
        raise ProblemRaised(
            Problem(
                f"{shown} is a directory, not {_a(what)} file",
                path=shown,
                hint=f"name a file inside it, e.g. {shown.rstrip('/')}/*.yaml",
            )
        )
    size = path.stat().st_size
    if size > limit:
        raise ProblemRaised(
            Problem(
                f"the file is too large to be {_a(what)} ({size:,} bytes)",
                path=shown,
                expected=f"at most {limit:,} bytes",
                hint="split it or check that this is the right file",
            )
        )
    raw = path.read_bytes()
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        line = raw[:offset].count(b"\n") + 1
        raise ProblemRaised(
            Problem(
                f"the file holds binary data, not {what} text",
                path=shown,
                line=line,
                found=f"a NUL byte at byte {offset}",
                expected="a UTF-8 text file (YAML or JSON)",
                hint="spreadsheets need the .xlsx extension; otherwise save the file as text",
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemRaised(
            Problem(
                "the file is not UTF-8 text",
                path=shown,
                line=line,
                column=col,
                found=f"byte 0x{raw[exc.start]:02x}",
                expected="UTF-8 encoded text",
                hint="re-save the file as UTF-8 (in Excel or Notepad: 'Save as', encoding UTF-8)",
            )
        ) from None
    if not text.strip():
        raise ProblemRaised(
            Problem(
                "the file is empty",
                path=shown,
                line=1,
                column=1,
                expected=f"{_a(what)} (start from one in seeds/)",
                hint="copy a file from seeds/ and edit it",
            )
        )
    return text


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


CACHE_VERSION = "drafter-parse-1"


def cache_dir() -> Path | None:
    """Return the parse cache folder (DRAFTER_CACHE, else the user's cache folder); None disables it."""
    configured = os.environ.get("DRAFTER_CACHE")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "drafter"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache {type(value).__name__}")


def _decode(obj: dict) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$datetime" in obj:
            return dt.datetime.fromisoformat(obj["$datetime"])
    return obj


def _cache_read(key: str) -> Any:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return json.loads((folder / f"{key}.json").read_text(encoding="utf-8"), object_hook=_decode)
    except (OSError, ValueError):
        return None


def _cache_write(key: str, data: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, default=_encode)
        os.replace(tmp, folder / f"{key}.json")
    except (OSError, TypeError, ValueError):
        pass  # a cache that cannot be written only costs time


class ProblemRaised(Exception):
    """Internal carrier for a single Problem raised while reading."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.render())


def _timestamp_or_text(constructor: RoundTripConstructor, node: Any) -> Any:
    """Construct a date, or keep the text when it is not a real date (30 February), so the
    validator can point at it instead of the parser failing without a location."""
    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return str(node.value)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    y.constructor.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
    return y


def to_plain(node: Any) -> Any:
    """Return ruamel round-trip nodes as plain Python values (dict, list, str, int, float, date)."""
    if isinstance(node, dict):
        return {_plain_key(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, dt.datetime):
        if (node.hour, node.minute, node.second, node.microsecond) == (0, 0, 0, 0):
            return dt.date(node.year, node.month, node.day)
        return dt.datetime(node.year, node.month, node.day, node.hour, node.minute, node.second)
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _plain_key(key: Any) -> Any:
    plain = to_plain(key)
    if isinstance(plain, dt.date):
        return plain.isoformat()
    if isinstance(plain, int | float) and not isinstance(plain, bool):
        return str(plain)
    return plain


def parse_config(path: Path, what: str) -> Source:
    """Return a parsed configuration file (rulebook, catalogue, vocabulary...), from the parse cache when
    the file is unchanged.

    Round-trip parsing keeps line marks but is slow (about 2 s for all of rules/); the marks are only
    needed to report a problem, so a cached parse comes with a locator that re-parses on demand.
    """
    text = read_text_bounded(path, what)
    key = hashlib.sha256(f"{CACHE_VERSION}\0{path.suffix}\0".encode() + text.encode("utf-8")).hexdigest()
    cached = _cache_read(key)
    if cached is not None:
        marked: dict[str, Source] = {}

        def locator(loc: tuple, key_: bool) -> dict:
            if "source" not in marked:
                marked["source"] = _parse_text(text, path, what)
            return marked["source"].where(loc, key=key_)

        return Source(str(path), cached, None, locator)
    source = _parse_text(text, path, what)
    _cache_write(key, source.data)
    return source


def parse_source(path: Path, what: str) -> Source:
    """Return the parsed file at `path` (YAML, or JSON by extension); raise ProblemRaised on syntax errors."""
    return _parse_text(read_text_bounded(path, what), path, what)


def _parse_text(text: str, path: Path, what: str) -> Source:
    shown = str(path)
    is_json = path.suffix.lower() == ".json"
    if is_json:
        try:
            plain_json = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProblemRaised(
                Problem(
                    f"JSON syntax error: {exc.msg}",
                    path=shown,
                    line=exc.lineno,
                    column=exc.colno,
                    expected="valid JSON",
                    hint="check for a missing comma, quote or bracket just before this point",
                )
            ) from None
    try:
        tree = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = (exc.problem or str(exc)).strip()
        duplicate = "duplicate key" in message
        if duplicate:
            key = message.split('"')[1] if message.count('"') >= 2 else ""
            problem = Problem(
                f"the key {key!r} appears twice in one mapping" if key else message,
                path=shown,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                found=f"{key!r} a second time" if key else "",
                expected="each key (each period of a series) once",
                hint="remove or correct one of the two entries",
            )
        elif is_json:  # valid JSON that the YAML reader dislikes: keep the data, lose the marks
            return Source(shown, plain_json, None)
        else:
            problem = Problem(
                f"YAML syntax error: {message}",
                path=shown,
                line=mark.line + 1 if mark else None,
                column=mark.column + 1 if mark else None,
                found=(exc.context or "").strip(),
                expected="valid YAML",
                hint="check indentation (spaces, not tabs), a missing ':' or an unclosed quote or bracket",
            )
        raise ProblemRaised(problem) from None
    except YAMLError as exc:
        if is_json:
            return Source(shown, plain_json, None)
        raise ProblemRaised(Problem(f"YAML error: {exc}", path=shown, expected="valid YAML")) from None
    return Source(shown, to_plain(tree), tree)


def locate(tree: Any, loc: tuple, *, key: bool = False) -> tuple[int | None, int | None]:
    """Return 1-based (line, column) of the node at `loc` in a marked tree, or of its nearest parent.

    With `key=True` the last step points at the key rather than its value (for unknown keys).
    """
    node = tree
    best: tuple[int | None, int | None] = (1, 1) if tree is not None else (None, None)
    if node is not None and hasattr(node, "lc"):
        best = (node.lc.line + 1, node.lc.col + 1)
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, CommentedMap):
            match = _find_key(node, step)
            if match is _MISSING:
                break
            line, col = node.lc.key(match) if (key and last) else node.lc.value(match)
            best = (line + 1, col + 1)
            node = node[match]
        elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
            line, col = node.lc.item(step)
            best = (line + 1, col + 1)
            node = node[step]
        else:
            break
    return best


_MISSING = object()


def _find_key(mapping: CommentedMap, step: Any) -> Any:
    if step in mapping:
        return step
    for k in mapping:
        if _plain_key(k) == step or str(_plain_key(k)) == str(step):
            return k
    return _MISSING
