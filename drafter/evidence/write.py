"""Write a validated evidence pack as YAML, JSON, an Excel workbook or a folder of CSV files.

Every format carries every field of the pack model, so converting between any two gives an
equal pack. Files are written atomically (a temporary file in the same folder, then a
rename) and never over the pack they were read from. Workbooks are byte-for-byte
deterministic: the same pack gives the same file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drafter.errors import EvidenceError, Problem
from drafter.evidence.models import DOCUMENT_KINDS, GRADES, POLARITIES, EvidencePack
from drafter.evidence.pack import Evidence
from drafter.evidence.tabular import (
    COLUMNS,
    COMPARATOR_COLUMNS,
    LIST_SEPARATOR,
    PACK_KEYS,
    REQUIRED,
    SHEETS,
)
from drafter.files import write_atomic

FORMATS = {".yaml": "yaml", ".yml": "yaml", ".json": "json", ".xlsx": "xlsx"}
FORMAT_WORDS = ".yaml, .yml, .json, .xlsx, or a folder name without an extension for CSV files"
XLSX_MAX_CELL = 32_767  # Excel's limit on the text in one cell
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_ILLEGAL_XML = re.compile(r"[\000-\010\013\014\016-\037]")


# ---------------------------------------------------------------- entry points


def write_pack(
    pack: Evidence | EvidencePack | dict, out_path: str | Path, *, input_path: str | Path | None = None
) -> Path:
    """Write `pack` to `out_path` in the format its suffix names; return the path written.

    `pack` is loaded Evidence, a pack model or the plain dict of a pack (validated here).
    Raise EvidenceError for an unknown format, for an output that is the input pack, or when
    the pack holds something the format cannot carry.
    """
    model = pack_model(pack)
    out = Path(out_path)
    fmt = output_format(out)
    inputs = [p for p in (input_path, pack.path if isinstance(pack, Evidence) else None) if p]
    for given in inputs:
        if same_path(out, Path(given)):
            raise EvidenceError(
                Problem(
                    "the output is the pack being read; drafter never overwrites its input",
                    path=str(out),
                    found=str(out),
                    expected="a different file or folder name",
                    hint="give another name for the converted pack",
                )
            )
    if fmt == "csv":
        if out.exists() and not out.is_dir():
            raise EvidenceError(
                Problem(
                    "a CSV pack is written to a folder, but this is a file",
                    path=str(out),
                    expected="a folder name (new or existing)",
                    hint="choose a name without an extension, e.g. mypack-csv",
                )
            )
        for name, data in csv_files(model).items():
            atomic_write(out / name, data)
        return out
    writer = {"yaml": yaml_bytes, "json": json_bytes, "xlsx": xlsx_bytes}[fmt]
    atomic_write(out, writer(model))
    return out


def output_format(path: Path) -> str:
    """Return 'yaml', 'json', 'xlsx' or 'csv' (a folder) for an output path; raise EvidenceError otherwise."""
    if path.name in ("", ".", ".."):
        raise EvidenceError(Problem("the output needs a name", path=str(path), found=repr(str(path)),
                                    expected=FORMAT_WORDS, hint="give a file name, or a new folder name for CSV"))
    suffix = path.suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    if not suffix or path.is_dir():
        return "csv"
    hint = "give a folder name without an extension: a CSV pack is four files" if suffix == ".csv" else ""
    if suffix == ".xls":
        hint = "drafter writes the current Excel format: use .xlsx"
    raise EvidenceError(
        Problem(
            f"cannot write an evidence pack as {suffix!r}",
            path=str(path),
            found=suffix,
            expected=FORMAT_WORDS,
            hint=hint or "change the extension of the output name",
        )
    )


def pack_model(pack: Evidence | EvidencePack | dict) -> EvidencePack:
    """Return the pack model for Evidence, a model, or a plain dict (validated here)."""
    if isinstance(pack, Evidence):
        return pack.pack
    if isinstance(pack, EvidencePack):
        return pack
    from drafter.problems import pydantic_problems
    from drafter.yamlsrc import Source

    try:
        return EvidencePack.model_validate(pack)
    except ValidationError as exc:
        source = Source(path="<pack>", data=pack)
        raise EvidenceError(pydantic_problems(exc, source, EvidencePack, "evidence pack")) from None


def same_path(a: Path, b: Path) -> bool:
    """Return True when two paths name the same file or folder (pack.csv names its folder)."""
    if b.name.lower() == "pack.csv" and b.suffix.lower() == ".csv":
        b = b.parent
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename."""
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise _cannot_write(path, exc) from None


def _cannot_write(path: Path, exc: OSError) -> EvidenceError:
    return EvidenceError(
        Problem(
            f"cannot write {path}: {exc.strerror or exc}",
            path=str(path),
            hint="check that the folder exists and that you may write to it",
        )
    )


# ---------------------------------------------------------------- plain data, YAML and JSON


def plain_pack(model: EvidencePack) -> dict:
    """Return the pack as plain data in file order, without empty lists or unset fields."""
    return _prune(model.model_dump(by_alias=True, exclude_none=True))


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v != [] and v is not None}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def json_bytes(model: EvidencePack) -> bytes:
    """Return the pack as indented JSON."""

    def default(value: Any) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return (json.dumps(plain_pack(model), indent=2, ensure_ascii=False, default=default) + "\n").encode("utf-8")


def yaml_bytes(model: EvidencePack) -> bytes:
    """Return the pack as readable YAML: series on one line each, notes in blocks."""
    from ruamel.yaml import YAML

    plain = plain_pack(model)
    top = _yaml_map(plain, flow_keys=("last_judgement",))
    top.yaml_set_start_comment(
        f"Evidence pack for {model.authority}, as of {model.as_of.isoformat()} (written by drafter)."
    )
    yaml = YAML(typ="rt")
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    yaml.dump(top, buf)
    return buf.getvalue().encode("utf-8")


def _yaml_map(data: dict, flow_keys: tuple[str, ...] = ()) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    for key, value in data.items():
        if key == "series":
            node[key] = _yaml_series(value)
        elif key in ("indicators", "samples", "notes"):
            node[key] = _yaml_list([_yaml_record(item, key) for item in value])
        elif isinstance(value, dict):
            node[key] = _yaml_map(value)
            if key in flow_keys or key == "comparators":
                node[key].fa.set_flow_style()
        elif isinstance(value, list):
            node[key] = _yaml_list([_yaml_scalar(v) for v in value], flow=True)
        else:
            node[key] = _yaml_scalar(value)
    return node


def _yaml_record(item: dict, kind: str) -> Any:
    node = _yaml_map(item)
    if kind == "samples" and "note" not in node:
        node.fa.set_flow_style()
    return node


def _yaml_series(series: dict) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = CommentedMap()
    for period, value in series.items():
        if isinstance(value, dict):
            node[period] = CommentedMap(value)
            node[period].fa.set_flow_style()
        else:
            node[period] = value
    if not any(isinstance(v, dict) for v in series.values()):
        node.fa.set_flow_style()
    return node


def _yaml_list(items: list, flow: bool = False) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    node = CommentedSeq(items)
    if flow:
        node.fa.set_flow_style()
    return node


def _yaml_scalar(value: Any) -> Any:
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value


# ---------------------------------------------------------------- rows shared by XLSX and CSV


def pack_rows(model: EvidencePack) -> list[list[Any]]:
    """Return the `pack` sheet rows (key, value): every known key, blank where the pack has none."""
    plain = plain_pack(model)
    rows = []
    for key in PACK_KEYS:
        value: Any = plain
        for step in key.split("."):
            value = value.get(step) if isinstance(value, dict) else None
        if isinstance(value, list):
            value = _join(key, [f"{v.get('kind')} {v.get('date')}" if isinstance(v, dict) else v for v in value])
        elif isinstance(value, dt.date):
            value = value.isoformat()
        rows.append([key, value])
    return rows


def _join(key: str, items: list) -> str:
    texts = [v.isoformat() if isinstance(v, dt.date) else str(v) for v in items]
    for text in texts:
        if LIST_SEPARATOR in text or text != text.strip() or not text:
            raise EvidenceError(
                Problem(
                    f"{key} has an item a spreadsheet cell cannot hold: {text!r}",
                    field=key,
                    found=repr(text),
                    expected=f"items without '{LIST_SEPARATOR}' and without spaces at either end",
                    hint="edit the item in the YAML pack, or keep the pack as YAML or JSON",
                )
            )
    return f"{LIST_SEPARATOR} ".join(texts)


def indicator_rows(model: EvidencePack) -> list[list[Any]]:
    """Return the `indicators` rows: one per indicator per period, in pack order."""
    columns = COLUMNS["indicators"]
    rows = []
    for entry in model.indicators:
        comparators = entry.comparators or {}
        for n, (period, value) in enumerate(entry.series.items()):
            row: dict[str, Any] = {"id": entry.id, "team": entry.team, "period": period}
            if isinstance(value, dict):
                row.update(value)
            else:
                row["value"] = value
            if n == 0:
                for column, name in COMPARATOR_COLUMNS.items():
                    row[column] = comparators.get(name)
                row["note"] = entry.note
            rows.append([row.get(c) for c in columns])
    return rows


def record_rows(model: EvidencePack, kind: str) -> list[list[Any]]:
    """Return the `samples` or `notes` rows."""
    return [[getattr(item, c) for c in COLUMNS[kind]] for item in getattr(model, kind)]


def sheet_rows(model: EvidencePack) -> dict[str, list[list[Any]]]:
    """Return the rows of each pack sheet, header first."""
    bodies = {
        "pack": pack_rows(model),
        "indicators": indicator_rows(model),
        "samples": record_rows(model, "samples"),
        "notes": record_rows(model, "notes"),
    }
    return {name: [list(COLUMNS[name]), *bodies[name]] for name in SHEETS}


# ---------------------------------------------------------------- CSV


def csv_files(model: EvidencePack) -> dict[str, bytes]:
    """Return the four CSV files of a pack, UTF-8 with a byte-order mark so Excel reads them."""
    files = {}
    for name, rows in sheet_rows(model).items():
        buf = io.StringIO(newline="")
        writer = csv.writer(buf)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
        files[f"{name}.csv"] = buf.getvalue().encode("utf-8-sig")
    return files


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


# ---------------------------------------------------------------- XLSX


def xlsx_bytes(model: EvidencePack) -> bytes:
    """Return the pack as a deterministic workbook with instructions, drop-down lists and a hidden `lists` sheet."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    workbook = _build_workbook(model, Workbook())
    stamp = dt.datetime(model.as_of.year, model.as_of.month, model.as_of.day)
    workbook.properties.creator = "drafter"
    workbook.properties.lastModifiedBy = "drafter"
    workbook.properties.title = f"Evidence pack: {model.authority}, as of {model.as_of.isoformat()}"
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(workbook, archive).save()  # openpyxl's save_workbook would stamp the current time
    return _normalise_zip(buf.getvalue(), stamp)


def _normalise_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """Return the zip with members sorted ([Content_Types].xml first), fixed timestamps and the
    document's modified time set to `stamp`, so the same pack gives the same bytes."""
    fixed = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        names = sorted(src.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            content = src.read(name)
            if name == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)",
                    rb"\g<1>" + fixed + rb"\g<2>",
                    content,
                )
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, content)
    return out.getvalue()


_WIDTHS = {
    "pack": {"key": 30, "value": 70},
    "indicators": {
        "id": 44,
        "team": 18,
        "period": 11,
        "value": 10,
        **{g: 13 for g in GRADES},
        **{c: 18 for c in COMPARATOR_COLUMNS},
        "note": 40,
    },
    "samples": {"feature": 48, "seen": 8, "of": 8, "period": 11, "note": 50},
    "notes": {"topic": 24, "polarity": 11, "text": 90, "source": 36, "period": 11},
}
_TEXT_COLUMNS = {"pack": ("value",), "indicators": ("period",), "samples": ("period",), "notes": ("period",)}
_WRAP_COLUMNS = {"notes": ("text", "source"), "samples": ("note",), "indicators": ("note",), "pack": ("value",)}
_SPARE_ROWS = 1000  # rows below the data that still get drop-downs and text formats


def _build_workbook(model: EvidencePack, workbook: Any) -> Any:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from drafter.rules.catalogue import load_catalogue
    from drafter.vocab.topics import load_vocabulary

    catalogue = load_catalogue()
    vocabulary = load_vocabulary()
    ids = catalogue.ids()
    topics = vocabulary.topic_ids()
    bold = Font(bold=True)

    instructions = workbook.active
    instructions.title = "instructions"
    _write_instructions(instructions, catalogue, vocabulary)

    sheets = {}
    for name, rows in sheet_rows(model).items():
        ws = workbook.create_sheet(name)
        sheets[name] = ws
        columns = rows[0]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _put(ws, r, c, value, columns[c - 1] if r > 1 else "header", name)
        for c, column in enumerate(columns, start=1):
            letter = get_column_letter(c)
            ws.cell(1, c).font = bold
            ws.column_dimensions[letter].width = _WIDTHS[name].get(column, 14)
            if column in _TEXT_COLUMNS.get(name, ()):
                ws.column_dimensions[letter].number_format = "@"  # Excel keeps 2022-03 as typed, not Mar-22
            if column in _WRAP_COLUMNS.get(name, ()):
                for r in range(2, len(rows) + 1):
                    ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"

    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    lists.cell(1, 1, "indicator ids").font = bold
    lists.cell(1, 2, "topics").font = bold
    lists.cell(1, 3, "polarities").font = bold
    for r, value in enumerate(ids, start=2):
        lists.cell(r, 1, value)
    for r, value in enumerate(topics, start=2):
        lists.cell(r, 2, value)
    for r, value in enumerate(POLARITIES, start=2):
        lists.cell(r, 3, value)
    id_range = f"lists!$A$2:$A${len(ids) + 1}"
    topic_range = f"lists!$B$2:$B${len(topics) + 1}"
    _add_validations(sheets, model, id_range, topic_range)
    workbook.active = 0
    return workbook


def _put(ws: Any, row: int, column: int, value: Any, name: str, sheet: str) -> None:
    """Write one value; text is always stored as text (never as a formula), within Excel's limits."""
    if value is None:
        return
    if isinstance(value, str):
        where = f"{sheet}!{ws.cell(row, column).coordinate}"
        if len(value) > XLSX_MAX_CELL or _ILLEGAL_XML.search(value):
            raise EvidenceError(
                Problem(
                    f"{name} holds text a spreadsheet cell cannot hold",
                    where=where,
                    field=name,
                    found=f"{len(value):,} characters" if len(value) > XLSX_MAX_CELL else "a control character",
                    expected=f"at most {XLSX_MAX_CELL:,} characters of printable text",
                    hint="shorten or clean the text in the pack, or keep the pack as YAML or JSON",
                )
            )
    cell = ws.cell(row, column)
    cell.value = value
    if isinstance(value, float) and value.is_integer():
        cell.number_format = "0.0"  # 24.0 stays 24.0 when read back, not 24
    if isinstance(value, str):
        cell.data_type = "s"  # '=SUM(...)' in a note is text, not a formula
        if name == "period" or (sheet == "pack" and name == "value"):
            cell.number_format = "@"  # text stays text when the user edits it


def _add_validations(sheets: dict, model: EvidencePack, id_range: str, topic_range: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    def add(sheet: str, column: str, dv: DataValidation, rows: Iterable[int] | None = None) -> None:
        ws = sheets[sheet]
        letter = chr(ord("A") + COLUMNS[sheet].index(column))
        dv.showErrorMessage = True
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        if rows is None:
            dv.add(f"{letter}2:{letter}{ws.max_row + _SPARE_ROWS}")
        else:
            for r in rows:
                dv.add(f"{letter}{r}")

    def listed(formula: str, title: str, prompt: str, *, stop: bool = True) -> DataValidation:
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            errorStyle="stop" if stop else "warning",
            errorTitle=title,
            error=prompt,
            promptTitle=title,
            prompt=prompt,
        )

    def whole(title: str, prompt: str) -> DataValidation:
        return DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorStyle="stop",
            errorTitle=title,
            error=prompt,
            promptTitle=title,
            prompt=prompt,
        )

    add(
        "indicators",
        "id",
        listed(id_range, "Indicator", "Choose an indicator id; the instructions sheet lists what each one means."),
    )
    for grade in GRADES:
        add("indicators", grade, whole("Audit count", "For audit.ratings only: the number of audits with this grade."))
    add(
        "indicators",
        "value",
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorStyle="stop",
            errorTitle="Value",
            error="Write the figure alone: no % sign, units or commas (17.5 for 17.5%).",
            promptTitle="Value",
            prompt="The figure alone: no % sign, units or commas (17.5 for 17.5%). Blank for audit.ratings.",
        ),
    )
    feature = DataValidation(
        type="custom",
        formula1=f'ISNUMBER(MATCH(LEFT(A2,FIND(".",A2&".")-1),{topic_range},0))',
        allow_blank=True,
        errorStyle="warning",
        errorTitle="Sample feature",
        error="Start with a topic from the instructions sheet, a full stop and a short name.",
        promptTitle="Sample feature",
        prompt="A topic, a full stop and a short name, e.g. permanence.parallel_planning.",
    )
    add("samples", "feature", feature)
    add("samples", "seen", whole("Seen", "How many of the sampled cases showed the feature."))
    add("samples", "of", whole("Of", "How many cases were looked at (at least 1)."))
    add("notes", "topic", listed(topic_range, "Topic", "Choose the topic the observation is about."))
    add(
        "notes",
        "polarity",
        listed('"' + ",".join(POLARITIES) + '"', "Polarity", "positive (a strength), negative (a weakness) or mixed."),
    )
    keys = list(PACK_KEYS)
    add(
        "pack",
        "value",
        listed('"' + ",".join(DOCUMENT_KINDS) + '"', "Document kind", "What is being drafted."),
        rows=[keys.index("document.kind") + 2],
    )
    add(
        "pack",
        "value",
        listed('"' + ",".join(GRADES) + '"', "Last judgement", "The overall grade of the last full inspection."),
        rows=[keys.index("last_judgement.grade") + 2],
    )


_UNIT_WORDS = {
    "percent": "per cent (0 to 100)",
    "count": "number of children (whole number)",
    "cases": "cases per social worker",
    "days": "days",
    "weeks": "weeks",
    "per_10000": "per 10,000 children",
    "grades": "counts by grade: use the four grade columns",
}
_BETTER_WORDS = {"lower": "lower is better", "higher": "higher is better", "context": "neither is simply better"}

_PACK_HELP = {
    "schema": "Always evidence-pack/1. Leave it as it is.",
    "authority": "The council's name as Ofsted writes it, e.g. Middlesbrough.",
    "la_code": "Optional: the LA number (806) or ONS code (E06000002), when the name alone is ambiguous.",
    "as_of": "The date the evidence describes, as YYYY-MM-DD. No period in the indicators may be later.",
    "document.kind": "What is being drafted: inspection, monitoring_visit, focused_visit or board_briefing.",
    "document.visit_number": "For a monitoring visit: which visit since the last judgement (1, 2, 3 ...).",
    "document.visit_dates": "The days of the visit, as YYYY-MM-DD, separated by semicolons.",
    "document.inspectors": "The inspectors' names separated by semicolons; the lead inspector first.",
    "document.recipient.name": "Who the letter goes to, usually the Director of Children's Services.",
    "document.recipient.title": "Their job title.",
    "document.recipient.address": "The address, one line after another, separated by semicolons.",
    "document.areas_covered": "The topics the visit looked at (see the topic list below), separated by semicolons.",
    "document.date": "The date the document will bear, as YYYY-MM-DD. Leave blank to use as_of.",
    "document.purpose": "For a board briefing: what the briefing is for. Otherwise leave blank.",
    "document.earlier_visits": "Optional: visits since the last inspection the opening names, as kind and month "
    "(focused_visit, assurance_visit, monitoring_visit, inspection or joint_targeted_area_inspection), separated "
    "by semicolons: assurance_visit 2021-07; focused_visit 2023-07.",
    "document.author.name": "Optional: who signs a letter summarising the evidence (no visit, so no inspector).",
    "document.author.title": "Optional: their job title.",
    "last_judgement.grade": "The last full inspection's overall grade: outstanding, good, "
    "requires_improvement or inadequate.",
    "last_judgement.published": "The month that judgement was published, as YYYY-MM.",
}

_COLUMN_HELP = {
    "indicators": {
        "id": "The indicator, chosen from the drop-down list. Every indicator is listed below with its unit.",
        "team": "Leave blank for the whole council. For a breakdown, the team or service name (e.g. assessment).",
        "period": "What the figure is for: a year (2024), a month (2024-03), a quarter (2024-Q1) or a date "
        "(2024-03-31). One row per period; the latest is the current figure.",
        "value": "The figure alone, without % signs, units or commas: 17.5 for 17.5%. Leave blank for audit.ratings.",
        "outstanding": "For audit.ratings only: how many audited cases were graded outstanding.",
        "good": "For audit.ratings only: how many were graded good.",
        "requires_improvement": "For audit.ratings only: how many were graded requires improvement.",
        "inadequate": "For audit.ratings only: how many were graded inadequate.",
        "comparator_england": "Optional: an England figure to compare with, when you want one other than the "
        "catalogue's. Give it on one row per indicator and team.",
        "comparator_statistical_neighbours": "Optional: the statistical neighbours' figure, on one row per "
        "indicator and team.",
        "comparator_region": "Optional: the regional figure, on one row per indicator and team.",
        "note": "Optional: a note about the indicator (how it is counted), on one row per indicator and team.",
    },
    "samples": {
        "feature": "What was looked for in the sampled cases: a topic, a full stop and a short name, e.g. "
        "permanence.parallel_planning. The topic must be one listed below.",
        "seen": "How many of the sampled cases showed it (a whole number).",
        "of": "How many cases were looked at (a whole number, at least 1, and not less than seen).",
        "period": "Optional: when the sample was taken, e.g. 2024-03.",
        "note": "Optional: anything a reader should know about the sample.",
    },
    "notes": {
        "topic": "The topic the observation is about, chosen from the drop-down list.",
        "polarity": "positive (a strength), negative (a weakness) or mixed.",
        "text": "The observation in a sentence or two. Notes are the only place a child's personal details may "
        "appear; drafted documents never name a child.",
        "source": "Optional: where it comes from (an audit, a visit letter, a performance report).",
        "period": "Optional: when it applies, e.g. 2024-03.",
    },
}


def _write_instructions(ws: Any, catalogue: Any, vocabulary: Any) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    title = Font(bold=True, size=14)
    rows: list[tuple[Any, ...]] = [
        ("How to fill in this evidence pack",),
        (),
        (
            "This workbook holds the evidence drafter uses to draft a monitoring letter, an inspection-style "
            "report or a board briefing. Fill in the sheets pack, indicators, samples and notes. Keep the sheet "
            "names, and the column names in the first row of each sheet, as they are.",
        ),
        (
            "The example rows show the layout: replace them with your own figures. Add as many rows as you "
            "need; blank rows are ignored. This sheet and the hidden sheet 'lists' are not read.",
        ),
        (
            "When you have finished, check the pack with:  drafter validate THIS-FILE.xlsx  Every mistake is "
            "reported with its sheet and cell (for example indicators!D3), what was found and how to put it right.",
        ),
        (),
        ("sheet", "column or key", "what to write"),
    ]
    header_rows = [len(rows)]
    for key in PACK_KEYS:
        rows.append(("pack", key, _PACK_HELP[key]))
    for sheet in ("indicators", "samples", "notes"):
        for column in COLUMNS[sheet]:
            required = " (required)" if column in REQUIRED[sheet] else ""
            rows.append((sheet, column + required, _COLUMN_HELP[sheet][column]))
    rows += [(), ("Indicators", "", "Every indicator id you may use, with what it measures and its unit.")]
    rows.append(("indicator id", "unit", "what it measures"))
    header_rows.append(len(rows))
    for spec in catalogue.indicators:
        words = f"{spec.label[:1].upper()}{spec.label[1:]}; {_BETTER_WORDS[spec.better]}; "
        words += f"valid values {_number(spec.range.min)} to {_number(spec.range.max)}."
        words += _comparator_words(spec)
        rows.append((spec.id, _UNIT_WORDS[spec.unit], words))
    rows += [(), ("Topics", "", "Topics for notes, for the first part of a sample feature, and for areas covered.")]
    rows.append(("topic", "", "what it covers"))
    header_rows.append(len(rows))
    for topic_id, topic in vocabulary.topics.items():
        rows.append((topic_id, "", topic.label[:1].upper() + topic.label[1:]))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value != "":
                cell = ws.cell(r, c, value)
                cell.data_type = "s"
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        if len(row) == 1 and r > 1:  # a paragraph across the three columns
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
            ws.row_dimensions[r].height = 32
    ws.cell(1, 1).font = title
    for r in header_rows:
        for c in (1, 2, 3):
            ws.cell(r, c).font = bold
    for r, row in enumerate(rows, start=1):
        if len(row) == 3 and row[0] in ("Indicators", "Topics"):
            ws.cell(r, 1).font = title
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 100


def _comparator_words(spec: Any) -> str:
    """Return where the indicator's England comparator comes from, for the instructions sheet."""
    from drafter.official.measures import load_measures

    measures = load_measures()
    measure = measures.measure(spec.id)
    if measure is not None:
        name = measures.publications[measure.publication].name
        return f" Comparators: DfE {name}, for the year that fits each value."
    if spec.england:
        latest = max(spec.england, key=lambda c: c.ends)
        about = "about " if latest.approximate else ""
        return f" England {latest.period}: {about}{_number(latest.value)}."
    return ""


def _number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# ---------------------------------------------------------------- starter packs (new-pack)


STARTER: dict[str, Any] = {
    "schema": "evidence-pack/1",
    "authority": "Exampleshire",
    "as_of": dt.date(2024, 3, 31),
    "document": {
        "kind": "monitoring_visit",
        "visit_number": 1,
        "visit_dates": [dt.date(2024, 3, 26), dt.date(2024, 3, 27)],
        "inspectors": ["Alex Example", "Sam Example"],
        "recipient": {
            "name": "Jo Example",
            "title": "Director of Children's Services",
            "address": ["Exampleshire Council", "County Hall", "Example Street", "Exampletown", "EX1 1AA"],
        },
        "areas_covered": ["caseloads", "workforce"],
        "date": dt.date(2024, 4, 30),
    },
    "last_judgement": {"grade": "requires_improvement", "published": "2022-06"},
    "indicators": [{"id": "caseload.average", "series": {"2023-09": 19.5, "2024-03": 18.0}}],
    "samples": [{"feature": "plans.measurable_actions_with_timescales", "seen": 8, "of": 12, "period": "2024-03"}],
    "notes": [
        {
            "topic": "workforce",
            "polarity": "mixed",
            "text": "Recruitment has filled most vacant posts, but agency staff still cover two teams.",
            "source": "Workforce report, March 2024",
            "period": "2024-03",
        }
    ],
}

STARTER_YAML = """\
# Evidence pack (evidence-pack/1): the evidence drafter uses to draft a document.
# Replace the example values with your own, then check the pack with
#   drafter validate THIS-FILE.yaml
# Indicator ids and their units are listed in rules/indicators.yaml; topics in rules/topics.yaml.
schema: evidence-pack/1
authority: Exampleshire              # the council's name as Ofsted writes it
as_of: 2024-03-31                    # the date the evidence describes; no period may be later

document:                            # what is being drafted
  kind: monitoring_visit             # inspection | monitoring_visit | focused_visit | board_briefing
  visit_number: 1                    # which monitoring visit since the last judgement
  visit_dates: [2024-03-26, 2024-03-27]
  inspectors: [Alex Example, Sam Example]    # lead inspector first
  recipient:
    name: Jo Example
    title: Director of Children's Services
    address: [Exampleshire Council, County Hall, Example Street, Exampletown, EX1 1AA]
  areas_covered: [caseloads, workforce]      # topics the visit looked at
  date: 2024-04-30                   # the date the document bears; remove to use as_of
  # purpose: ...                     # for a board briefing: what it is for
  # author: {name: ..., title: ...}  # who signs a letter summarising the evidence (no visit)

last_judgement: {grade: requires_improvement, published: 2022-06}   # the last full inspection

indicators:                          # figures over time; one entry per indicator (and team)
  - id: caseload.average             # cases per social worker
    series: {2023-09: 19.5, 2024-03: 18.0}   # period: value; periods YYYY, YYYY-MM, YYYY-Qn or a date
  # - id: caseload.average
  #   team: assessment               # a breakdown for one team
  #   series: {2024-03: 22.0}
  # - id: workforce.agency_rate      # percentages as 17.5, not 0.175 or '17.5%'
  #   series: {2023-09: 19.5, 2024-03: 17.0}
  # - id: audit.ratings              # case audits: whole-number counts by grade
  #   series:
  #     2024-03: {outstanding: 1, good: 18, requires_improvement: 21, inadequate: 10}

samples:                             # x of n sampled cases showed a feature (<topic>.<feature>)
  - {feature: plans.measurable_actions_with_timescales, seen: 8, of: 12, period: 2024-03}

notes:                               # observations: positive | negative | mixed
  - topic: workforce
    polarity: mixed
    text: Recruitment has filled most vacant posts, but agency staff still cover two teams.
    source: Workforce report, March 2024
    period: 2024-03
"""


def starter_bytes(out: Path) -> dict[Path, bytes]:
    """Return the files of a starter pack for `out` (a commented YAML file, or any pack format)."""
    fmt = output_format(out)
    if fmt == "yaml":
        return {out: STARTER_YAML.encode("utf-8")}
    model = pack_model(STARTER)
    if fmt == "csv":
        return {out / name: data for name, data in csv_files(model).items()}
    return {out: {"json": json_bytes, "xlsx": xlsx_bytes}[fmt](model)}


def write_starter(out: str | Path) -> Path:
    """Write a starter pack (valid as it stands) to `out`; the caller decides about overwriting."""
    out = Path(out)
    if output_format(out) == "csv" and out.exists() and not out.is_dir():
        raise EvidenceError(
            Problem(
                "a CSV pack is written to a folder, but this is a file",
                path=str(out),
                hint="choose a name without an extension, e.g. mypack-csv",
            )
        )
    for path, data in starter_bytes(out).items():
        atomic_write(path, data)
    return out
