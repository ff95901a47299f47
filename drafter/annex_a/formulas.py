"""Formulas saved without a result (as scripts write them): find them in the sheet XML and work out simple ones.

Excel and LibreOffice store each formula's last result beside it, and the readers use that. A
workbook written by a program often stores the formula alone (`=H2+5`), which reads as blank.
Those cells are found here, and a formula made only of cell references on the same sheet,
numbers, + - * /, DATE(year, month, day) and DATEVALUE("31/03/2024") is worked out as Excel would; any other formula
without a saved result is refused with its cell named, never read as blank.
"""

from __future__ import annotations

import ast
import datetime as dt
import html
import re
import zipfile
from collections.abc import Callable
from typing import Any

_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_FORMULA = re.compile(rb"<f\b([^>]*?)(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v\b[^>]*>([^<]+)</v>")
_SHEET = re.compile(rb"<sheet\b[^>]*>")
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_RELATION = re.compile(rb"<Relationship\b[^>]*>")
_DATEVALUE = re.compile(r'DATEVALUE\(\s*"([^"]*)"\s*\)', re.IGNORECASE)
EPOCH = dt.date(1899, 12, 30)


class FormulaError(ValueError):
    """A formula without a saved result that cannot be worked out here."""


def column_index(letters: str) -> int:
    """Return the 0-based index of a column's letters (A is 0, AA is 26)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return each sheet's name and the archive member that holds its XML."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {}
    for tag in _RELATION.findall(rels):
        attrs = dict(_ATTR.findall(tag))
        target = attrs.get(b"Target", b"").decode("utf-8", "replace")
        targets[attrs.get(b"Id", b"").decode()] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    parts = {}
    for tag in _SHEET.findall(book):
        attrs = {k.split(b":")[-1]: v for k, v in _ATTR.findall(tag)}
        name = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        part = targets.get(attrs.get(b"id", b"").decode())
        if part:
            parts[name] = part
    return parts


def unsaved_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """Return the formulas stored without a result, by (0-based row, column), from a sheet's XML."""
    found: dict[tuple[int, int], str] = {}
    start = xml.find(b"<sheetData")
    if start == -1 or xml.find(b"<f", start) == -1:
        return found
    pos = xml.find(b"<f", start)
    while pos != -1:
        cell_start = xml.rfind(b"<c ", 0, pos)
        cell_end = xml.find(b"</c>", pos)
        if cell_start == -1 or cell_end == -1:
            break
        cell = xml[cell_start:cell_end]
        ref = _CELL_REF.search(cell[: cell.find(b">") + 1])
        formula = _FORMULA.search(cell)
        if ref and formula and not _VALUE.search(cell):
            text = html.unescape((formula.group(2) or b"").decode("utf-8", "replace"))
            if b'si="' in formula.group(1) and not text:
                text = "(shared formula)"
            found[(int(ref.group(2)) - 1, column_index(ref.group(1).decode()))] = text
        pos = xml.find(b"<f", cell_end)
    return found


def _as_number(value: Any) -> float:
    if value is None or value == "":
        return 0.0  # Excel counts an empty cell as 0 in arithmetic
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return float((value - EPOCH).days)
    if isinstance(value, int | float):
        return float(value)
    from drafter.annex_a.values import CellError, read_date  # Excel reads a date typed as text, too

    try:
        day = read_date(value)
    except CellError:
        raise FormulaError(f"it refers to a cell holding text ({str(value)[:40]!r})") from None
    return 0.0 if day is None else float((day - EPOCH).days)


def evaluate(text: str, cell_value: Callable[[int, int], Any]) -> float:
    """Return the value of a simple formula; `cell_value(row, col)` gives a referenced cell's value."""
    body = _DATEVALUE.sub(_datevalue, text.strip().lstrip("="))
    if not body or any(ch in body for ch in "!\":&%^<>;'"):
        raise FormulaError("only + - * /, numbers, DATE() and references to cells on the same sheet can be worked out")
    refs: dict[str, tuple[int, int]] = {}

    def name(m: re.Match) -> str:
        key = f"ref_{m[1]}_{m[2]}"
        refs[key] = (int(m[2]) - 1, column_index(m[1]))
        return key

    try:
        tree = ast.parse(_REF.sub(name, body.upper()), mode="eval")
    except SyntaxError:
        raise FormulaError("the formula cannot be parsed") from None
    return _walk(tree.body, refs, cell_value)


def _datevalue(match: re.Match) -> str:
    """Return DATEVALUE("31/03/2024") as its serial number, read day first as a UK Excel would."""
    from drafter.annex_a.values import CellError, read_date

    try:
        day = read_date(match[1])
    except CellError:
        raise FormulaError(f"DATEVALUE() is given text that is not a date ({match[1]!r})") from None
    if day is None:
        raise FormulaError("DATEVALUE() is given no date")
    return str((day - EPOCH).days)


def _walk(node: ast.AST, refs: dict[str, tuple[int, int]], cell_value: Callable[[int, int], Any]) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in refs:
        return _as_number(cell_value(*refs[node.id]))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        value = _walk(node.operand, refs, cell_value)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
        left, right = _walk(node.left, refs, cell_value), _walk(node.right, refs, cell_value)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if right == 0:
            raise FormulaError("it divides by zero")
        return left / right
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "DATE"
        and len(node.args) == 3
        and not node.keywords
    ):
        y, m, d = (int(_walk(a, refs, cell_value)) for a in node.args)
        try:
            return float((dt.date(y, 1, 1) - EPOCH).days + _month_offset(y, m) + d - 1)
        except (ValueError, OverflowError):
            raise FormulaError("DATE() is given an impossible date") from None
    raise FormulaError("only + - * /, numbers, DATE() and references to cells on the same sheet can be worked out")


def _month_offset(year: int, month: int) -> int:
    """Return the days from 1 January of `year` to the first of `month` (months past 12 roll on, as in Excel)."""
    y, m = year + (month - 1) // 12, (month - 1) % 12 + 1
    return (dt.date(y, m, 1) - dt.date(year, 1, 1)).days
