"""Read YAML (libyaml) and JSON at C speed when the text is plain, else defer to the locating parser in yamlsrc.

The locating parser (ruamel's round-trip reader) keeps line and column marks but costs about 40 ms for
a pack; the marks matter only when there is a problem to report, and `yamlsrc` re-reads the text with
it then. This reader gives exactly the values the locating parser would give (its YAML 1.2 types,
keys made strings the same way) or raises `Unsure` for anything it cannot vouch for: anchors,
aliases, tags, directives, duplicate keys, unusual numbers or dates, tabs and rare line breaks, any
parse error, nesting beyond the limit. The locating parser then reads the text and reports or
accepts it, with the messages and bounds it has always applied.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from drafter.limits import limit


class Unsure(Exception):
    """The fast reader cannot vouch for this text: the locating parser must read it."""


try:  # PyYAML built with libyaml; without it every YAML file takes the locating path
    from yaml import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )
    from yaml import YAMLError as _LibyamlError
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML is a dependency; its C part may be missing on odd platforms
    CParser = None

# Text the two readers could read differently, or that ruamel refuses (outside its printable set, tabs, the
# line breaks of YAML 1.1 only, a byte-order mark): leave it to ruamel. JSON strings only need the breaks.
_AWKWARD_ASCII = re.compile("[^\x0a\x0d\x20-\x7e]")
_AWKWARD_TEXT = "[^\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
_AWKWARD_JSON = re.compile("[\x85\u2028\u2029\ufeff]|\\\\u[dD][89a-fA-F]")
LONG_LINE = 1000  # characters: near YAML's 1,024-character limit on a key, where readers may differ

# ruamel's YAML 1.2 implicit types (ruamel.yaml.resolver), tried in its order for a scalar's first character.
_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_FLOAT = re.compile(r"""(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
                     |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
                     |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
                     |[-+]?\.(?:inf|Inf|INF)
                     |\.(?:nan|NaN|NAN))\Z""", re.X)
_INT = re.compile(r"(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)\Z")
_MERGE = re.compile(r"<<\Z")
_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_TIMESTAMP = re.compile(r"""(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                         |[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?
                         (?:[Tt]|[\ \t]+)[0-9][0-9]?
                         :[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?
                         (?:[\ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)\Z""", re.X)
_VALUE = re.compile(r"=\Z")
_BY_FIRST: dict[str, tuple[tuple[str, re.Pattern], ...]] = {}
for _tag, _pattern, _firsts in (("bool", _BOOL, "tTfF"), ("float", _FLOAT, "-+0123456789."),
                                ("int", _INT, "-+0123456789"), ("merge", _MERGE, "<"), ("null", _NULL, "~nN"),
                                ("timestamp", _TIMESTAMP, "0123456789"), ("value", _VALUE, "=")):
    for _first in _firsts:
        _BY_FIRST[_first] = (*_BY_FIRST.get(_first, ()), (_tag, _pattern))
_BY_FIRST[""] = (("null", _NULL),)

# The forms this reader builds itself; other ints, floats and timestamps (0x1F, 1_000, .inf, times) go to ruamel.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,80})\Z")
_PLAIN_FLOAT = re.compile(r"[-+]?[0-9]{1,80}(?:\.[0-9]{0,80})?(?:[eE][-+]?[0-9]{1,4})?\Z")
_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")


def implicit_tag(value: str) -> str:
    """Return the short YAML 1.2 tag ruamel gives a plain scalar: str, bool, int, float, null, timestamp..."""
    for tag, pattern in _BY_FIRST.get(value[:1], ()):
        if pattern.match(value):
            return tag
    return "str"


def _plain(value: str) -> Any:
    """Return a plain (unquoted, untagged) scalar as the locating parser would, or raise Unsure."""
    tag = implicit_tag(value)
    if tag == "str":
        return value
    if tag == "null":
        return None
    if tag == "bool":
        return value in ("true", "True", "TRUE")
    if tag == "int" and _PLAIN_INT.match(value):
        return int(value)
    if tag == "float" and _PLAIN_FLOAT.match(value):
        return float(value)
    if tag == "timestamp":
        day = _DAY.match(value)
        if day:
            try:
                return dt.date(int(day[1]), int(day[2]), int(day[3]))
            except ValueError:
                return value  # not a real date: kept as text for the validator to name (as yamlsrc does)
    raise Unsure(f"a {tag} written as {value[:40]!r}")


def _key(raw: Any) -> Any:
    """Return a mapping key as yamlsrc's to_plain makes it (dates as ISO text, numbers as text)."""
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return str(raw)
    return raw


def load_yaml(text: str) -> Any:
    """Return the plain data of a YAML text, as yamlsrc's locating parser would give it; raise Unsure."""
    if CParser is None:
        raise Unsure("libyaml is not available")
    if _awkward(text) or max(map(len, text.split("\n"))) >= LONG_LINE:
        raise Unsure("tabs, control characters, rare line breaks or a very long line")
    try:
        return _build(CParser(text), text, limit("nesting_depth"), limit("yaml_nodes"))
    except Unsure:
        raise
    except (_LibyamlError, ValueError, TypeError, RecursionError, OverflowError, MemoryError) as exc:
        raise Unsure(f"libyaml: {type(exc).__name__}") from None


def _awkward(text: str) -> bool:
    """Return whether the text holds a character the two readers could read differently."""
    if text.isascii():
        return _AWKWARD_ASCII.search(text) is not None
    return re.search(_AWKWARD_TEXT, text) is not None  # compiled the first time a text is not ASCII (4 ms)


_NO_KEY = object()
# A block scalar's header as ruamel reads it: indicators, then spaces and a comment, or the end of the line.
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?(?:[ ]+#[^\n]*|[ ]*)(?:\r?\n|\Z)")


def _build(parser: Any, text: str, depth_most: int, node_most: int) -> Any:
    """Return the one document's data from libyaml's events, or raise Unsure.

    No recursion, so depth is checked as each collection opens. Values are counted as yamlsrc's
    prescan counts them (each value adds its size at every level that holds it), so nothing it would
    refuse gets through here.
    """
    stack: list[list] = []  # per open collection: [container, key or _NO_KEY, keys as read, values counted]
    root: Any = _NO_KEY
    documents = total = 0
    while True:
        event = parser.get_event()
        if event is None or isinstance(event, StreamEndEvent):
            break
        if isinstance(event, ScalarEvent):
            if event.anchor is not None or event.tag is not None:
                raise Unsure("an anchor or a tag")
            if event.style in ("|", ">") and not _BLOCK_HEADER.match(text, event.start_mark.index):
                raise Unsure("a block scalar header libyaml reads more loosely")
            value: Any = _plain(event.value) if event.implicit[0] and not event.style else event.value
            size = 1
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            if event.anchor is not None or event.tag is not None:
                raise Unsure("an anchor or a tag")
            if stack and stack[-1][1] is _NO_KEY and isinstance(stack[-1][0], dict):
                raise Unsure("a collection as a mapping key")
            stack.append([{} if isinstance(event, MappingStartEvent) else [], _NO_KEY, {}, 0])
            if len(stack) > depth_most:
                raise Unsure("nested beyond the limit")
            continue
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            value, _, _, count = stack.pop()
            size = count + 1
        elif isinstance(event, DocumentStartEvent):
            documents += 1
            if documents > 1 or event.version or event.tags:
                raise Unsure("several documents, or directives")
            continue
        elif isinstance(event, AliasEvent):
            raise Unsure("an alias")
        else:
            continue  # stream start, document end
        total += size
        if not stack:
            root = value
            if total > node_most:
                raise Unsure("more values than the limit")
            continue
        frame = stack[-1]
        frame[3] += size
        if total > node_most or frame[3] > node_most:
            raise Unsure("more values than the limit")
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        elif frame[1] is _NO_KEY:
            if value in frame[2] or _key(value) in container:
                raise Unsure("a key given twice")
            frame[2][value] = True
            frame[1] = value
        else:
            container[_key(frame[1])] = value
            frame[1] = _NO_KEY
    if root is _NO_KEY or documents != 1:
        raise Unsure("no document")
    return root


def _no_constants(name: str) -> Any:
    raise Unsure(f"JSON {name}")  # NaN and Infinity are text to a YAML reader


def _pairs(pairs: list[tuple[str, Any]]) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise Unsure("a key given twice")
    return out


def load_json(text: str) -> Any:
    """Return the data of a JSON text as yamlsrc's locating parser would give it; raise Unsure.

    The caller has checked the nesting depth (yamlsrc's JSON depth scan), as the locating path does.
    """
    if _AWKWARD_JSON.search(text):
        raise Unsure("rare line breaks, a byte-order mark or escaped surrogates")
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constants)
    except Unsure:
        raise
    except (ValueError, RecursionError, MemoryError) as exc:
        raise Unsure(f"json: {type(exc).__name__}") from None
