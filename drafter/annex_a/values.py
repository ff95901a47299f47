"""Read one Annex A cell as a date, a count, an ID, a team or a code, as messy exports write them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from drafter.annex_a.spec import ColumnSpec, header_key

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1 January 1900 (Excel's 1900 date system)
MAX_SERIAL = 2_958_465  # 31 December 9999
EXCEL_ERRORS = {
    "#n/a",
    "#ref!",
    "#value!",
    "#div/0!",
    "#name?",
    "#null!",
    "#num!",
    "#getting_data",
    "#spill!",
    "#calc!",
    "n/a",
}
DATE_FORMS = "a date cell, or text such as 31/03/2024, 31/3/24, 2024-03-31 or 31 March 2024"

_SPACES = re.compile(r"\s+")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-]+([a-z]{3,9})\.?,?[\s\-]+(\d{2}|\d{4})$", re.IGNORECASE)
_MONTH_FIRST = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.IGNORECASE)
_TIME = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_LETTER = re.compile(r"^[a-z]{1,2}\)\s*", re.IGNORECASE)
_MONTHS = {
    name: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


class CellError(ValueError):
    """A cell that cannot be read as its column's type: what was found and what was expected."""

    def __init__(self, found: str, expected: str, hint: str = ""):
        self.found, self.expected, self.hint = found, expected, hint
        super().__init__(found)


def clean_text(value: Any) -> str:
    """Return a cell as text with spaces (including non-breaking ones) collapsed; '' for nothing."""
    if value is None:
        return ""
    return _SPACES.sub(" ", str(value).replace("\xa0", " ")).strip()


def is_blank(value: Any) -> bool:
    """Return whether a cell holds nothing: empty, spaces only, or an Excel error such as #N/A."""
    if value is None:
        return True
    if isinstance(value, str):
        text = clean_text(value)
        return not text or text.casefold() in EXCEL_ERRORS
    return False


def read_date(value: Any) -> dt.date | None:
    """Return a cell as a date (None when blank); raise CellError when it is not one.

    Dates may be date cells, Excel serial numbers (45382 is 31 March 2024), or text written
    day first (31/03/2024, 31-3-24, 31.03.2024), year first (2024-03-31) or in words (31 March
    2024), with or without a time. Two-digit years are 2000 to 2068 for 00 to 68, else 1969 to 1999."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time) and value == dt.time(0, 0):
        return None  # a date cell holding 0 shows as 00:00: nothing was entered
    if isinstance(value, bool):
        raise CellError(repr(value), DATE_FORMS)
    if isinstance(value, int | float):
        return _serial(value, repr(value))
    text = _TIME.sub("", clean_text(value))
    try:
        if m := _DMY.match(text):
            return dt.date(_year(m[3]), int(m[2]), int(m[1]))
        if m := _YMD.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _WORDS.match(text)) and m[2].casefold() in _MONTHS:
            return dt.date(_year(m[3]), _MONTHS[m[2].casefold()], int(m[1]))
        if (m := _MONTH_FIRST.match(text)) and m[1].casefold() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[1].casefold()], int(m[2]))
    except ValueError:
        raise CellError(
            repr(clean_text(value)),
            DATE_FORMS,
            "the day or month is out of range; dates are read day first (31/03/2024 is 31 March)",
        ) from None
    if _NUMBER.match(text):
        return _serial(float(text), repr(clean_text(value)))
    raise CellError(
        repr(clean_text(value)), DATE_FORMS, "write the date as day/month/year, or format the cell as a date"
    )


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= 68 else 1900
    return year


def _serial(number: float, shown: str) -> dt.date:
    if not 1 <= number <= MAX_SERIAL:
        raise CellError(shown, DATE_FORMS, "a number in a date column is read as an Excel date serial (1 to 2958465)")
    return EXCEL_EPOCH + dt.timedelta(days=int(number))


def read_count(value: Any) -> int | None:
    """Return a cell as a whole number of 0 or more (None when blank); raise CellError otherwise."""
    if is_blank(value):
        return None
    expected = "a whole number, 0 or more"
    if isinstance(value, bool) or isinstance(value, dt.date):
        raise CellError(repr(value), expected)
    number: float
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = clean_text(value).replace(",", "")
        if not _NUMBER.match(text):
            raise CellError(repr(clean_text(value)), expected, "write the number alone, without words")
        number = float(text)
    if number < 0 or number != int(number):
        raise CellError(repr(value), expected)
    return int(number)


def read_id(value: Any) -> str | None:
    """Return a child's ID as text (None when blank): 123, 123.0 and '123.0' are all '123'."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = clean_text(value)
    if re.fullmatch(r"\d+\.0+", text):
        return text.split(".")[0]
    return text


def read_team(value: Any) -> str | None:
    """Return a team's name with its spaces tidied (None when blank); a team numbered 12.0 is '12'."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return None if is_blank(value) else clean_text(value)


def code_key(value: Any) -> str:
    """Return a coded value as compared: without a leading 'a) ' letter, lower case, letters and digits."""
    return header_key(_LETTER.sub("", clean_text(value)))


def code_table(column: ColumnSpec) -> dict[str, str]:
    """Return each accepted form of a coded column's values (as compared) and the code it means."""
    table = {}
    for code, forms in column.codes.items():
        for form in [code, *forms]:
            table.setdefault(code_key(form), code)
            table.setdefault(header_key(form), code)
    return table


def read_code(value: Any, column: ColumnSpec, table: dict[str, str]) -> str | None:
    """Return the code a cell means (None when blank); raise CellError for a value the column does not use."""
    if is_blank(value):
        return None
    text = clean_text(value)
    for key in (header_key(text), code_key(text)):
        if key in table:
            return table[key]
    if column.first_word:
        first = re.split(r"[\s:\-)]+", _LETTER.sub("", text), maxsplit=1)[0]
        if header_key(first) in table and header_key(first).upper() in column.codes:
            return table[header_key(first)]
    shown = ", ".join(column.codes[c][0] if column.codes[c] else c for c in column.codes)
    raise CellError(repr(text), f"one of: {shown}", f"the {column.words} must use the Annex A codes")
