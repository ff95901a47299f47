"""The Word comment on a finding, written for a service manager: what was measured, the figures, why it matters.

One function, `comment_text(findings)`, takes one finding or several (a sentence that merges
findings about one measure carries one comment). The wording (labels, parameter phrases, grade
and unit words) lives in `rules/comments.yaml`; the measures' labels and units in the indicator
catalogue. `explain` keeps the technical `Used.describe()` lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import RulebookError
from drafter.evidence.periods import parse_period
from drafter.paths import rules_dir
from drafter.rules.catalogue import load_catalogue
from drafter.rules.findings import Finding, Used
from drafter.vocab import wording
from drafter.vocab.wording import in_period

ValueForm = Literal["percent", "share", "share_or_percent", "children", "days", "points", "factor", "margin",
                    "times", "count"]
_OF = re.compile(r"^\s*(\d+)\s+of\s+(\d+)\s*$")
_GRADE_COUNT = re.compile(r"([a-z_ ]+?)\s+(\d+)")
_RANGE = re.compile(r"^\s*(-?[\d.]+)\s*-\s*(-?[\d.]+)\s*$")
_YEAR_SPAN = re.compile(r"^(\d{4})\s*(?:-|/|to)\s*(\d{2}|\d{4})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ParamWords(_Strict):
    words: str | None
    as_: ValueForm = Field("count", alias="as")

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class CommentWords(_Strict):
    schema_: Literal["comments/1"] = Field(alias="schema")
    labels: dict[str, str]
    verdicts: dict[str, str]
    grades: dict[str, str]
    comparator_groups: list[str]
    default_comparator_group: str
    units: dict[str, str]
    params: dict[str, ParamWords]

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def load_comment_words(path: Path | None = None) -> CommentWords:
    """Return the validated wording of comments (`rules/comments.yaml`); raise RulebookError naming file:line."""
    return _load_cached(str(path or rules_dir() / "comments.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> CommentWords:
    return load_config(Path(path), CommentWords, "comment wording file", RulebookError)[0]


def comment_text(findings: Finding | Sequence[Finding]) -> str:
    """Return the comment for one finding or several merged into one sentence, one paragraph per line.

    Lines: for each measure, its label and figures in time order, then its comparators and
    thresholds; samples, audits and notes; the thresholds drafter applies; why it matters; and
    last the rule id (and the verdict) for the curious.
    """
    group = [findings] if isinstance(findings, Finding) else list(findings)
    words = load_comment_words()
    used: list[Used] = []
    for u in (u for f in group for u in f.used):  # in order, without repeats (values may be lists: no hashing)
        if u not in used:
            used.append(u)
    lines = _measures(used, words)
    lines += [_sample(u) for u in used if u.kind == "sample"]
    lines += _audits([u for u in used if u.kind == "audit"], words)
    lines += [_note(u, words) for u in used if u.kind == "note"]
    params = _params(used, words)
    if params:
        lines.append(f"{words.labels['thresholds']}: {'; '.join(params)}.")
    for why in dict.fromkeys(f.why for f in group if f.why):
        lines.append(f"{words.labels['why']}: {_sentence(why)}")
    lines.append(_rules_line(group, words))
    return "\n".join(line for line in lines if line)


# -- measures: values, comparators, thresholds -----------------------------------------------------


def _measures(used: list[Used], words: CommentWords) -> list[str]:
    """Return one line of figures per (measure, team), each followed by its comparators and thresholds."""
    catalogue = load_catalogue()
    order: list[tuple[str, str | None]] = []
    for u in used:
        key = (u.name, u.team if u.kind == "value" else None)
        if u.kind in ("value", "comparator", "threshold") and key not in order:
            order.append(key)
    lines: list[str] = []
    for name, team in order:
        spec = catalogue.get(name)
        unit = spec.unit if spec else ""
        label = _capital(spec.label if spec else name.rsplit(".", 1)[-1].replace("_", " "))
        if team:
            label += f", {wording.team_words(team)} team"
        points = sorted((u for u in used if u.kind == "value" and u.name == name and u.team == team),
                        key=lambda u: _period_key(u.period))
        if points:
            figures = [_figure(u.value, unit, words) + (" " + in_period(_period_words(u.period)) if u.period else "")
                       for u in points]
            lines.append(f"{label}: {wording.join_words(figures)}.")
        if team:
            continue  # comparators and thresholds belong to the measure: listed once, with the authority's figures
        prefix = "" if points else f"{label}: "
        for u in used:
            if u.name != name:
                continue
            if u.kind == "comparator":
                lines.append(prefix + _comparator(u, unit, words))
            elif u.kind == "threshold":
                lines.append(prefix + _threshold(u, unit, words))
    return lines


def _comparator(u: Used, unit: str, words: CommentWords) -> str:
    """Return 'England: 15.9% (2023); source: DfE ...' from a comparator's value, period and detail."""
    pieces = [p.strip() for p in (u.detail or "").split(";") if p.strip()]
    group = words.default_comparator_group
    known = {g.casefold(): g for g in words.comparator_groups}
    official = u.published is not None  # official and dated figures name their group first, their period in words
    if pieces and pieces[0].casefold() in known:
        group = known[pieces.pop(0).casefold()]
    elif pieces and official:
        group = pieces.pop(0)
    approximate = words.labels["approximate"] in [p.casefold() for p in pieces]
    sources = [p for p in pieces if p.casefold() != words.labels["approximate"]]
    text = f"{_capital(group)}: {_figure(u.value, unit, words)}"
    when = [_period_words(u.period)] if u.period and not official else []
    if approximate:
        when.append(words.labels["approximate"])
    if when:
        text += f" ({', '.join(when)})"
    if sources:
        text += f"; {words.labels['source']}: {'; '.join(sources)}"
    return text + "."


def _threshold(u: Used, unit: str, words: CommentWords) -> str:
    """Return a catalogue threshold or expected range in words."""
    detail = [p.strip() for p in (u.detail or "").split(";") if p.strip()]
    match = _RANGE.match(str(u.value)) if isinstance(u.value, str) else None
    if match:
        low, high = (_figure(float(v), unit, words) for v in match.groups())
        return f"{words.labels['expected_range']}: {low} to {high}."
    label = detail[0] if detail else _figure(u.value, unit, words)
    text = f"{words.labels['threshold']}: {label}"
    if len(detail) > 1:
        text += f"; {words.labels['source']}: {'; '.join(detail[1:])}"
    return text + "."


def _figure(value: object, unit: str, words: CommentWords) -> str:
    """Return a value with its unit in words: '17.6 children', '20.4%', '458 days'."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _plain(value)
    if unit == "percent":
        return wording.pct(value)
    word = words.units.get(unit)
    return f"{wording.num(value)} {word}" if word else wording.num(value)


# -- samples, audits, notes -------------------------------------------------------------------------


def _sample(u: Used) -> str:
    """Return '9 of the 12 cases sampled showed parallel planning (March 2022).'"""
    feature = u.name.split(".", 1)[-1].replace("_", " ")
    match = _OF.match(str(u.value))
    counted = f"{match[1]} of the {match[2]} cases sampled" if match else f"{_plain(u.value)} cases sampled"
    when = f" ({_period_words(u.period)})" if u.period else ""
    return f"{counted} showed {feature}{when}."


def _audits(used: list[Used], words: CommentWords) -> list[str]:
    """Return 'Of 50 cases audited in March 2022: 1 outstanding, 18 good, ...' per round, oldest first."""
    lines = []
    for u in sorted(used, key=lambda a: (a.team or "", _period_key(a.period))):
        counts = [(g.strip(), int(n)) for g, n in _GRADE_COUNT.findall(str(u.value))]
        total = sum(n for _, n in counts)
        where = f" in the {wording.team_words(u.team)} team" if u.team else ""
        when = " " + in_period(_period_words(u.period)) if u.period else ""
        graded = [f"{n} {words.grades.get(g, g.replace('_', ' '))}" for g, n in counts]
        lines.append(f"Of {total} cases audited{where}{when}: {wording.join_words(graded)}.")
    return lines


def _note(u: Used, words: CommentWords) -> str:
    """Return 'From the analysts' notes (source): text'."""
    sources = [p.strip().removeprefix("source:").strip() for p in (u.detail or "").split(";")
               if p.strip().startswith("source:")]
    where = f" ({'; '.join(sources)})" if sources else ""
    return f"{words.labels['notes']}{where}: {_sentence(str(u.value))}"


# -- thresholds drafter applies, the rule -----------------------------------------------------------


def _params(used: list[Used], words: CommentWords) -> list[str]:
    """Return each rule parameter that is a threshold, in words ('90% or more counts as good')."""
    out = []
    for u in used:
        if u.kind != "param":
            continue
        name = u.name.removeprefix("params.")
        entry = words.params.get(name)
        if entry is None or entry.words is None or u.value is None:
            continue
        out.append(entry.words.format(value=_param_value(u.value, entry.as_)))
    return list(dict.fromkeys(out))


def _param_value(value: object, form: str) -> str:
    """Return a parameter's value written as its form says (see rules/comments.yaml)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _plain(value)
    if form == "share_or_percent":
        form = "share" if value <= 1 else "percent"
    if form == "percent":
        return wording.pct(value)
    if form in ("share", "margin"):
        return wording.pct(round(value * 100, 1))
    if form == "children":
        return f"{wording.num(value)} children"
    if form == "days":
        return f"{wording.num(value)} days"
    if form == "points":
        return f"{wording.num(value)} percentage points"
    if form == "factor":
        difference = round(abs(value - 1) * 100, 1)
        return f"{wording.pct(difference)} {'above' if value > 1 else 'below'}"
    if form == "times":
        return {2: "twice", 0.5: "half", 3: "three times"}.get(value, f"{wording.num(value)} times")
    return wording.num(value)


def rules_line(findings: Sequence[Finding]) -> str:
    """Return the last line of a comment: the rules behind it and their verdicts, for the curious."""
    return _rules_line(list(findings), load_comment_words())


def _rules_line(group: list[Finding], words: CommentWords) -> str:
    """Return 'Rule CL001 (a strength)' or 'Rules CL001 (a strength) and CL005 (a weakness)'."""
    named = list(dict.fromkeys(f"{f.rule_id} ({words.verdicts.get(f.verdict, f.verdict.replace('_', ' '))})"
                               for f in group))
    label = words.labels["rule"] if len(named) == 1 else words.labels["rules"]
    return f"{label} {wording.join_words(named)}"


# -- small wording helpers --------------------------------------------------------------------------


def _period_key(period: str | None) -> tuple:
    """Return a sort key putting periods in time order (unparseable ones last, by their text)."""
    if not period:
        return (1, "")
    try:
        parsed = parse_period(period)
    except ValueError:
        return (1, str(period))
    return (0, parsed.end.isoformat(), parsed.start.isoformat())


def _period_words(period: str | None) -> str:
    """Return a period in words: 'March 2022', '2023', '2022 to 2023' for '2022-23'."""
    if not period:
        return ""
    text = str(period).strip()
    try:
        return parse_period(text).words()
    except ValueError:
        pass
    span = _YEAR_SPAN.match(text)  # a financial or academic year: '2022-23' (never a month: that parsed above)
    if span:
        first, last = span.groups()
        return f"{first} to {first[:2] + last if len(last) == 2 else last}"
    return text


def _plain(value: object) -> str:
    """Return a value as a reader writes it: no Python reprs (True, None, 95.0, lists)."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return wording.num(value)
    if isinstance(value, list | tuple | set):
        return wording.join_words([_plain(v) for v in value])
    if isinstance(value, dict):
        return ", ".join(f"{_plain(v)} {str(k).replace('_', ' ')}" for k, v in value.items())
    return str(value).replace("_", " ") if re.fullmatch(r"[a-z_]+", str(value)) else str(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    """Return `text` stripped, capitalised and ending with a full stop."""
    text = " ".join(text.split())
    return _capital(text) + ("" if text.endswith((".", "!", "?")) else ".")
