"""Language helpers for phrases: numbers, ordinals, dates, periods, quantifiers, trends, comparisons.

Number words and ordinals come from num2words and plurals from inflection; the conventions
(bands, verbs, cut-offs) come from rules/language.yaml. (inflect 7 was the first choice, but it
takes about 2.5 s to import here because typeguard instruments it at import time; these two
import in about 40 ms.)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from drafter.vocab.language import load_language

if TYPE_CHECKING:
    from drafter.evidence.periods import Period

_QUARTER_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth"}
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_FIGURE = re.compile(r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:%|st|nd|rd|th)?(?!\w)")
_DATE_DAYS = re.compile(rf"\b\d{{1,2}}(?:(?:,\s*|\s+(?:and|to)\s+)\d{{1,2}})*\s+(?:{_MONTHS})\b")
_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def figures_in(text: str) -> list[str]:
    """Return the figures written in digits in `text`, as written; dates and years are not figures."""
    dates = [m.span() for m in _DATE_DAYS.finditer(text)] + [m.span() for m in _ISO_DATE.finditer(text)]
    found = []
    for m in _FIGURE.finditer(text):
        token = m.group(0)
        if _YEAR.match(token) or any(a <= m.start() < b for a, b in dates):
            continue
        found.append(token.replace(",", ""))
    return found


def num(value: float | int, places: int = 1) -> str:
    """Return a figure as prose prints it: 17.6, 16.0 stays '16.0' only for comparators; 4.0 → '4'."""
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{places}f}"


def num1(value: float | int) -> str:
    """Return a figure with exactly one decimal place (16.0), as averages are published."""
    return f"{float(value):,.1f}"


def pct(value: float | int) -> str:
    """Return a percentage figure: 17.6 → '17.6%', 25.0 → '25%'."""
    return f"{num(value)}%"


def share_pct(share: float) -> str:
    """Return a 0-1 share as a whole-number percentage: 0.2493 → '25%'."""
    return f"{round(share * 100):d}%"


def number_words(n: int | float) -> str:
    """Return one to nine as words and larger numbers as figures (house style)."""
    limit = load_language().numbers.words_up_to
    if float(n).is_integer() and 0 < int(n) <= limit:
        return _words(int(n), "cardinal")
    return num(n)


def ordinal(n: int) -> str:
    """Return an ordinal in words: 3 → 'third', 12 → 'twelfth'."""
    return _words(int(n), "ordinal")


@lru_cache(maxsize=1)
def _num2words_version() -> str:
    """Return the size and time of num2words' English module, found without importing it."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("num2words")
    try:
        info = os.stat(os.path.join(os.path.dirname(spec.origin), "lang_EN.py"))
    except (OSError, TypeError, AttributeError):
        return "unknown"
    return f"{info.st_size}-{info.st_mtime_ns}"


def _words(n: int, to: str) -> str:
    """Return num2words' words for n, kept in drafter's cache: importing num2words costs 35-40 ms a process."""
    from drafter.cache import compiled

    key = f"num2words/{_num2words_version()}/{to}/en_GB/{n}"
    kept = compiled().get(key)
    if kept is not None:
        return kept.decode("utf-8")
    from num2words import num2words

    words = num2words(n, to=to, lang="en_GB")
    compiled().put(key, words.encode("utf-8"))
    return words


def plural(noun: str, count: int | float = 2) -> str:
    """Return the noun in the form that agrees with count ('child' → 'children')."""
    import inflection

    return inflection.pluralize(noun) if count != 1 else noun


def count_of(count: int | float, noun: str) -> str:
    """Return 'four children', '12 audits', 'one child'."""
    return f"{number_words(count)} {plural(noun, count)}"


def quantifier(share: float) -> str:
    """Return the quantifier word for a share (0-1) from the bands in rules/language.yaml."""
    return load_language().band_word(share)


def date_words(day: dt.date) -> str:
    """Return '6 May 2022'."""
    return f"{day.day} {day:%B %Y}"


def date_range(days: Sequence[dt.date]) -> str:
    """Return visit dates as letters print them: '29 and 30 March 2022', '30 June to 1 July 2022'."""
    days = sorted(days)
    if not days:
        return ""
    if len(days) == 1:
        return date_words(days[0])
    first, last = days[0], days[-1]
    consecutive = all((b - a).days == 1 for a, b in zip(days, days[1:], strict=False))
    if len(days) == 2 and not consecutive:  # the first and last days of a longer visit
        if first.year == last.year and first.month == last.month:
            return f"{first.day} to {last.day} {last:%B %Y}"
        if first.year == last.year:
            return f"{first.day} {first:%B} to {date_words(last)}"
        return f"{date_words(first)} to {date_words(last)}"
    if first.year == last.year and first.month == last.month:
        if len(days) == 2:
            return f"{first.day} and {last.day} {last:%B %Y}"
        if consecutive:
            return f"{first.day} to {last.day} {last:%B %Y}"
        return ", ".join(str(d.day) for d in days[:-1]) + f" and {last.day} {last:%B %Y}"
    if first.year == last.year:
        joiner = " and " if len(days) == 2 else " to "
        return f"{first.day} {first:%B}{joiner}{date_words(last)}"
    joiner = " and " if len(days) == 2 else " to "
    return f"{date_words(first)}{joiner}{date_words(last)}"


def month_year(text: str | dt.date) -> str:
    """Return 'January 2020' for '2020-01' or a date."""
    if isinstance(text, dt.date):
        return f"{text:%B %Y}"
    from drafter.evidence.periods import parse_period

    period = parse_period(text)
    if period.granularity == "year":
        return period.label
    return f"{period.start:%B %Y}"


def describe_period(period: Period) -> str:
    """Return the period in words: 'March 2022', '2021', 'the second quarter of 2022', '30 March 2022'."""
    kind = period.granularity
    if kind == "year":
        return period.label
    if kind == "quarter":
        return f"the {_QUARTER_WORDS[(period.start.month - 1) // 3 + 1]} quarter of {period.start.year}"
    if kind == "month":
        return f"{period.start:%B %Y}"
    return date_words(period.start)


def join_words(items: Sequence[str], conjunction: str = "and") -> str:
    """Return 'a, b and c' (no Oxford comma, as Ofsted writes)."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def inspector_title(visit_day: dt.date, count: int = 2) -> str:
    """Return "His/Her Majesty's Inspector(s)" as the visit date requires."""
    for title in load_language().inspector_title:
        if visit_day <= title.until:
            return title.plural if count != 1 else title.singular
    last = load_language().inspector_title[-1]
    return last.plural if count != 1 else last.singular


def trend_verb(direction: str, moves: int) -> str:
    """Return 'reduced' or 'continued to reduce' (the latter needs the configured run of moves)."""
    language = load_language()
    verb = language.trend.verbs[direction]
    return verb.continuing if moves >= language.trend.continue_min_moves else verb.past


def with_unit(value: float, unit: str) -> str:
    """Return a figure with its unit as prose writes it: '17.8%', '486 days', '43 weeks', '16.0'."""
    if unit == "percent":
        return pct(value)
    if unit in ("days", "weeks"):
        return f"{num(value)} {unit}"
    if unit == "per_10000":
        return f"{num(value)} per 10,000 children"
    if unit == "cases":
        return num1(value)
    return num(value)


def comparison(value: float, comparator: float, when: str = "", unit: str = "cases", group: str = "England") -> str:
    """Return 'above the England average of 16.0 at 30 September 2023' (or below / in line with)."""
    settings = load_language().comparison
    if comparator and abs(value - comparator) <= settings.in_line_within * abs(comparator):
        relation = settings.in_line
    elif value > comparator:
        relation = settings.above
    else:
        relation = settings.below
    text = settings.phrase.format(relation=relation, group=group, value=with_unit(comparator, unit), when=when)
    return " ".join(text.split())


def comparator_group(group: str) -> str:
    """Return how prose names a comparator group: 'England', "statistical neighbours'"."""
    return load_language().comparison.groups.get(group, group.replace("_", " "))


def neighbours_aside(value: float, unit: str) -> str:
    """Return ' (statistical neighbours 24.1%)' for an England comparison, or '' when switched off."""
    template = load_language().comparison.with_neighbours
    return template.format(value=with_unit(value, unit)) if template else ""


def official_period(basis: str, year: int) -> str:
    """Return an official figure's period as DfE names it: '2023 to 2024', '30 September 2023'."""
    words = load_language().official_periods.get(basis)
    return words.noun.format(start=year - 1, end=year) if words else str(year)


def official_when(basis: str, year: int) -> str:
    """Return the period as a comparison gives it: 'for 2023 to 2024', 'at 30 September 2023'."""
    words = load_language().official_periods.get(basis)
    return words.when.format(start=year - 1, end=year) if words else f"in {year}"


def comparison_words(value: float, comparator: float, group: str = "England") -> str:
    """Return 'above the England average' (or below / in line with), without the figures."""
    settings = load_language().comparison
    if comparator and abs(value - comparator) <= settings.in_line_within * abs(comparator):
        relation = settings.in_line
    elif value > comparator:
        relation = settings.above
    else:
        relation = settings.below
    return settings.words_phrase.format(relation=relation, group=group)


def team_words(team: str | None) -> str:
    """Return a team id in words: 'care_planning' → 'care planning'."""
    return (team or "").replace("_", " ").replace("-", " ")


def grade_words(grade: str) -> str:
    """Return an ILACS grade as a sentence says it: 'requires_improvement' → 'requires improvement to be good'."""
    return {"requires_improvement": "requires improvement to be good"}.get(grade, grade.replace("_", " "))


_IN_DAY = re.compile(rf"\b([Ii]n) (\d{{1,2}} (?:{_MONTHS}) (?:19|20)\d\d)\b")
_DAY_WORDS = re.compile(rf"^\d{{1,2}} (?:{_MONTHS}) (?:19|20)\d\d$")


def day_periods(text: str) -> str:
    """Return text with a period that ends on a day said as one: 'in 31 March 2024' becomes 'in the
    period to 31 March 2024' (a figure for a window labelled with its last day, as Annex A packs have)."""
    return _IN_DAY.sub(r"\1 the period to \2", text)


def in_period(words: str) -> str:
    """Return 'in March 2022' for a period in words, or 'in the period to 31 March 2024' for a day."""
    return f"in the period to {words}" if _DAY_WORDS.match(words) else f"in {words}"
