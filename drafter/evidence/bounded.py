"""Field types for packs that refuse what drafting cannot use: true as 1, NaN, 10**400, blank names, timed dates."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from drafter.limits import limit

# Control characters: none in a one-line field; tab and newline are allowed in longer text.
_CONTROL_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _not_bool(value: Any, what: str) -> None:
    if isinstance(value, bool):
        raise PydanticCustomError("number_bool", "{what} must be a number, not true or false", {"what": what})


def _finite(value: Any, what: str) -> None:
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("number_not_finite", "{what} must be a finite number, not {value}",
                                  {"what": what, "value": str(value)})


def _count(value: Any) -> Any:
    """Return a whole count (a whole float such as 12.0 becomes 12); refuse booleans, NaN, inf and huge numbers."""
    _not_bool(value, "a count")
    _finite(value, "a count")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and abs(value) > limit("max_count"):
        raise PydanticCustomError("count_too_large", "a count must be at most {most:,}",
                                  {"most": limit("max_count")})
    return value


def _number(value: Any) -> Any:
    """Return a finite number of plausible size; refuse booleans, NaN, inf and huge numbers."""
    _not_bool(value, "a figure")
    _finite(value, "a figure")
    if isinstance(value, int | float) and abs(value) > limit("max_number"):
        raise PydanticCustomError("number_too_large", "a figure must be at most {most:g} in size",
                                  {"most": limit("max_number")})
    return value


def day_only(value: Any) -> Any:
    """Refuse a date with a time of day or a time zone: a pack's dates are days."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_with_time", "a date with a time of day ({value}) where a day is expected",
                                  {"value": value.isoformat()})
    if isinstance(value, dt.date) and not limit("min_year") <= value.year <= limit("max_year"):
        raise PydanticCustomError("date_out_of_range", "the year {year} is implausible", {"year": value.year})
    return value


def _checker(max_chars: int, one_line: bool, blank_ok: bool = False):
    pattern = _CONTROL_LINE if one_line else _CONTROL_TEXT

    def check(value: str) -> str:
        if not blank_ok and not value.strip():
            raise PydanticCustomError("string_blank", "the text is blank", {})
        if len(value) > max_chars:
            raise PydanticCustomError("string_too_long_text", "the text is {n:,} characters long, more than {most:,}",
                                      {"n": len(value), "most": max_chars})
        bad = pattern.search(value)
        if bad:
            what = "a line break" if bad.group() in "\n\r\u2028\u2029" else f"the control character {bad.group()!r}"
            raise PydanticCustomError("string_control", "the text holds {what} at character {at}",
                                      {"what": what, "at": bad.start() + 1})
        return value

    return AfterValidator(check)


Count = Annotated[int, BeforeValidator(_count)]
Number = Annotated[float, BeforeValidator(_number)]
Day = Annotated[dt.date, BeforeValidator(day_only)]
Name = Annotated[str, _checker(int(limit("name_chars")), one_line=True)]
Line = Annotated[str, _checker(int(limit("line_chars")), one_line=True)]
Text = Annotated[str, _checker(int(limit("text_chars")), one_line=False)]

# What to tell a user for each of the errors above (read by drafter.problems).
EXPECTED = {
    "number_bool": "a number such as 12",
    "number_not_finite": "a finite number such as 12",
    "count_too_large": f"a count of at most {limit('max_count'):,}",
    "number_too_large": f"a figure between -{limit('max_number'):g} and {limit('max_number'):g}",
    "date_with_time": "a date alone, such as 2022-03-30",
    "date_out_of_range": f"a year between {limit('min_year')} and {limit('max_year')}",
    "string_blank": "some text, not only spaces",
    "string_too_long_text": "shorter text",
    "string_control": "plain text on one line",
    "period_parsing": "a period: YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD",
}
HINTS = {
    "number_bool": "write the number itself; true and false are not counts",
    "number_not_finite": "write the figure itself; leave the period out if there is none",
    "date_with_time": "leave out the time of day and any time zone: write YYYY-MM-DD",
    "string_blank": "fill it in, or leave the key out",
    "string_control": "remove the line break or control character (often pasted from another program)",
    "string_too_long_text": "shorten it; check that the right cell or field was pasted",
    "period_parsing": "write a month as 2023-05, a year as 2023",
}
