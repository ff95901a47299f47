"""Read YAML and JSON with line and column marks, bounded, and turn parse failures into Problems."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.errors import DrafterError, Problem
from drafter.files import read_bytes_bounded, require_regular
from drafter.limits import limit

MAX_SOURCE_BYTES = int(limit("source_bytes"))  # packs and rulebooks are small; anything larger is a mistake


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
    try:
        info = require_regular(path, f"{what} file")
    except DrafterError as exc:
        raise ProblemRaised(exc.problems[0]) from None
    size = info.st_size
    if size > limit:
        raise ProblemRaised(
            Problem(
                f"the file is too large to be {_a(what)} ({size:,} bytes)",
                path=shown,
                expected=f"at most {limit:,} bytes",
                hint="split it or check that this is the right file",
            )
        )
    try:
        raw = read_bytes_bounded(path, limit, f"{what} file")
    except DrafterError as exc:
        raise ProblemRaised(exc.problems[0]) from None
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
    """Return the parse cache folder (see drafter.cache); None disables it."""
    from drafter.cache import cache_dir as folder

    return folder()


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
    from drafter import cache

    payload = cache.load(f"{key}.json")
    if payload is None:
        return None
    try:
        return json.loads(payload.decode("utf-8"), object_hook=_decode)
    except (ValueError, RecursionError):
        return None


def _cache_write(key: str, data: Any) -> None:
    from drafter import cache

    try:
        cache.store(f"{key}.json", json.dumps(data, default=_encode).encode("utf-8"))
    except (TypeError, ValueError, RecursionError):
        pass  # a cache that cannot be written only costs time


class ProblemRaised(Exception):
    """Internal carrier for a single Problem raised while reading."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(problem.render())


def _timestamp_or_text(constructor: Any, node: Any) -> Any:
    """Construct a date, or keep the text when it is not a real date (30 February), so the
    validator can point at it instead of the parser failing without a location."""
    from ruamel.yaml.constructor import RoundTripConstructor

    try:
        return RoundTripConstructor.construct_yaml_timestamp(constructor, node)
    except ValueError:
        return str(node.value)


def _yaml() -> Any:
    from ruamel.yaml import YAML  # the locating parser loads only when a file needs it (about 20 ms)

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
    if isinstance(node, dt.datetime):  # kept with its time and zone, so that a pack's date can refuse them
        return dt.datetime(node.year, node.month, node.day, node.hour, node.minute, node.second, node.microsecond,
                           tzinfo=node.tzinfo)
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


def parse_config(path: Path, what: str, text: str | None = None) -> Source:
    """Return a parsed configuration file (rulebook, catalogue, vocabulary...), from the parse cache when
    the file is unchanged (`text`: the file's text, when the caller has read it already).

    Round-trip parsing keeps line marks but is slow (about 2 s for all of rules/); the marks are only
    needed to report a problem, so a cached parse comes with a locator that re-parses on demand.
    """
    text = read_text_bounded(path, what) if text is None else text
    key = hashlib.sha256(f"{CACHE_VERSION}\0{path.suffix}\0".encode() + text.encode("utf-8")).hexdigest()
    cached = _cache_read(key)
    if cached is not None:
        return Source(str(path), cached, None, marks_on_demand(text, path, what))
    source = _parse_fast(text, path, what) or _parse_text(text, path, what)
    _cache_write(key, source.data)
    return source


def parse_source(path: Path, what: str) -> Source:
    """Return the parsed file at `path` (YAML, or JSON by extension); raise ProblemRaised on syntax errors."""
    text = read_text_bounded(path, what)
    return _parse_fast(text, path, what) or _parse_text(text, path, what)


FAST = True  # read plain files with drafter.fastyaml first; tests switch it off to compare with the locating path


def _parse_fast(text: str, path: Path, what: str) -> Source | None:
    """Return the file read by the fast reader, with a locator that reads it again with marks on demand;
    None when the fast reader cannot vouch for the text (the locating parser then reads and judges it)."""
    if not FAST:
        return None
    from drafter import fastyaml

    try:
        if path.suffix.lower() == ".json":
            _json_depth(text, str(path))
            data = fastyaml.load_json(text)
        else:
            data = fastyaml.load_yaml(text)
    except (fastyaml.Unsure, ProblemRaised):
        return None
    return Source(str(path), data, None, marks_on_demand(text, path, what))


def marks_on_demand(text: str, path: Path, what: str) -> Callable[[tuple, bool], dict]:
    """Return a locator that parses `text` with marks the first time a place is asked for."""
    marked: dict[str, Source] = {}

    def locator(loc: tuple, key: bool) -> dict:
        if "source" not in marked:
            try:
                marked["source"] = _parse_text(text, path, what)
            except ProblemRaised:  # cannot happen for text the fast reader accepted; never hide the problem
                marked["source"] = Source(str(path), None, None)
        return marked["source"].where(loc, key=key)

    return locator


def _parse_text(text: str, path: Path, what: str) -> Source:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    shown = str(path)
    is_json = path.suffix.lower() == ".json"
    if is_json:
        _json_depth(text, shown)
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
        _prescan(text, shown)
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
    except (ValueError, RecursionError, OverflowError) as exc:  # a 5,000-digit number, say
        if is_json:
            return Source(shown, plain_json, None)
        long_number = re.search(r"\d{1000,}", text)
        at = long_number.start() if long_number else None
        raise ProblemRaised(Problem("the file holds a value drafter cannot read", path=shown,
                                    line=None if at is None else text.count("\n", 0, at) + 1,
                                    column=None if at is None else at - (text.rfind("\n", 0, at) + 1) + 1,
                                    found=str(exc)[:200], expected="valid YAML with numbers of sensible size",
                                    hint="check for a very long number or a value pasted by mistake")) from None
    return Source(shown, to_plain(tree), tree)


def _too_deep(shown: str, line: int, column: int) -> ProblemRaised:
    most = limit("nesting_depth")
    return ProblemRaised(Problem(f"the data is nested more than {most} levels deep", path=shown, line=line,
                                 column=column, expected=f"at most {most} levels of lists and mappings",
                                 hint="check for unclosed or repeated brackets; packs nest about five levels"))


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _json_depth(text: str, shown: str) -> None:
    """Refuse JSON nested deeper than the limit (json.loads would recurse until it fails), naming the place."""
    depth, most = 0, limit("nesting_depth")
    for m in _JSON_TOKENS.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > most:
                line = text.count("\n", 0, m.start()) + 1
                raise _too_deep(shown, line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1)
        elif token in "]}":
            depth -= 1


def _prescan(text: str, shown: str) -> None:
    """Refuse YAML nested too deeply, with too many aliases, or whose aliases expand too far (an alias bomb).

    Reads the parser's events, which come without recursion, and counts the values each anchor stands
    for, so nothing is expanded to find out how big it would be.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent

    depth_most, alias_most, node_most = limit("nesting_depth"), limit("yaml_aliases"), limit("yaml_nodes")
    sizes: dict[str, int] = {}
    stack: list[list] = []  # [count, anchor] per open collection
    total = aliases = 0

    def place(event: Any) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1) if mark else (0, 0)

    for event in YAML(typ="rt").parse(text):
        if isinstance(event, CollectionStartEvent):
            stack.append([0, event.anchor])
            if len(stack) > depth_most:
                raise _too_deep(shown, *place(event))
            continue
        if isinstance(event, CollectionEndEvent):
            count, anchor = stack.pop()
            if anchor:
                sizes[anchor] = count + 1
            size = count + 1
        elif isinstance(event, AliasEvent):
            aliases += 1
            line, column = place(event)
            if event.anchor not in sizes:
                open_here = any(entry[1] == event.anchor for entry in stack)
                if open_here:
                    raise ProblemRaised(Problem("an alias refers to the block that holds it", path=shown, line=line,
                                                column=column, found=f"*{event.anchor}",
                                                expected="an alias to a block defined before it",
                                                hint="remove the alias; it would make the data endless"))
                continue  # an unknown anchor: the loader reports it with its place
            if aliases > alias_most:
                raise ProblemRaised(Problem(f"the file uses more than {alias_most} YAML aliases", path=shown,
                                            line=line, column=column, expected=f"at most {alias_most} aliases",
                                            hint="write the values out, or share fewer blocks"))
            size = sizes[event.anchor]
        elif isinstance(event, NodeEvent):  # a scalar
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        else:
            continue
        if stack:
            stack[-1][0] += size
        total += size
        if total > node_most or (stack and stack[-1][0] > node_most):
            line, column = place(event)
            raise ProblemRaised(Problem(f"the file's aliases expand to more than {node_most:,} values", path=shown,
                                        line=line, column=column, expected=f"at most {node_most:,} values",
                                        hint="this looks like an alias bomb; do not trust where the file came from"))


def locate(tree: Any, loc: tuple, *, key: bool = False) -> tuple[int | None, int | None]:
    """Return 1-based (line, column) of the node at `loc` in a marked tree, or of its nearest parent.

    With `key=True` the last step points at the key rather than its value (for unknown keys).
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

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


def _find_key(mapping: Any, step: Any) -> Any:
    if step in mapping:
        return step
    for k in mapping:
        if _plain_key(k) == step or str(_plain_key(k)) == str(step):
            return k
    return _MISSING
