"""Every bound drafter puts on its inputs and on the work they can cause, in one table with the reason for each."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class Limit:
    """One named bound: its value, the unit it is counted in, and why it is there."""

    name: str
    value: int | float
    unit: str
    why: str


_TABLE = (
    # files read
    Limit("source_bytes", 10 * 1024 * 1024, "bytes", "a pack, rulebook or template is at most a few hundred kB"),
    Limit("workbook_bytes", 20 * 1024 * 1024, "bytes", "a pack workbook is a few hundred kB"),
    Limit("workbook_unzipped_bytes", 200 * 1024 * 1024, "bytes", "a small zip must not inflate to fill memory"),
    Limit("sheet_rows", 100_000, "rows", "a pack has a few hundred rows"),
    Limit("draft_bytes", 20 * 1024 * 1024, "bytes", "a long report is a few MB"),
    Limit("draft_unzipped_bytes", 100 * 1024 * 1024, "bytes", "a DOCX draft must not inflate to fill memory"),
    Limit("docx_entries", 2_000, "zip entries", "Word writes a few dozen parts"),
    Limit("docx_elements", 2_000_000, "XML elements", "a 300-page report has a few hundred thousand"),
    Limit("docx_runs_per_paragraph", 20_000, "runs", "Word splits a paragraph into at most a few hundred runs"),
    Limit("docx_attribute_chars", 100_000, "characters", "Word's longest attributes (rsids, ids) are short"),
    Limit("draft_paragraphs", 20_000, "paragraphs", "a 300-page report has a few thousand"),
    Limit("paragraph_chars", 200_000, "characters", "a paragraph of a report is a few thousand characters"),
    Limit("reference_docx_bytes", 20 * 1024 * 1024, "bytes", "a reference DOCX holds styles and a logo or two"),
    Limit("reference_unzipped_bytes", 100 * 1024 * 1024, "bytes", "the reference is read into memory whole"),
    Limit("reference_part_bytes", 20 * 1024 * 1024, "bytes", "one image or part of a reference DOCX"),
    # YAML and JSON structure
    Limit("nesting_depth", 40, "levels", "a pack nests five levels deep, a rulebook's examples about ten"),
    Limit("yaml_aliases", 200, "aliases", "anchors and aliases are a convenience for a few shared blocks"),
    Limit("yaml_nodes", 500_000, "values after expanding aliases", "stops an alias bomb (billion laughs)"),
    # values in a pack
    Limit("max_number", 1e9, "absolute value", "no figure in children's services comes near it"),
    Limit("max_count", 1_000_000, "cases", "a case sample or an audit round counts at most thousands of cases"),
    Limit("name_chars", 120, "characters", "an authority's, person's or team's name; Word's title property holds 255"),
    Limit("line_chars", 300, "characters", "one line of text such as a job title or an address line"),
    Limit("text_chars", 10_000, "characters", "an analyst's note or a purpose paragraph"),
    Limit("list_items", 50, "items", "inspectors, address lines, visit dates or areas covered"),
    Limit("pack_entries", 2_000, "indicators, samples or notes", "a pack holds dozens"),
    Limit("series_points", 400, "periods", "twenty years of monthly figures"),
    Limit("min_year", 1950, "year", "children's services data of the kind drafter reads starts long after"),
    Limit("max_year", 2100, "year", "a date beyond it is a typing slip"),
    Limit("visit_after_as_of_days", 92, "days", "a visit is before, or soon after, the date the evidence describes"),
    Limit("visit_before_as_of_days", 3 * 366, "days", "a visit years before the evidence is a typing slip"),
    # rules and templates written by users
    Limit("render_seconds", 5.0, "seconds", "a letter's whole template renders in milliseconds"),
    Limit("expression_seconds", 1.0, "seconds", "a rule's condition or phrase runs in microseconds"),
    Limit("evaluation_seconds_total", 20.0, "seconds", "all rules and templates of one command, added up"),
    Limit("render_chars", 5_000_000, "characters of output", "a letter is tens of kB of Markdown"),
    Limit("expression_int_bits", 128, "bits", "no rule needs a number above 10**38; 10**(10**10) must not be computed"),
    Limit("sequence_items", 100_000, "items", "range() and repeated strings or lists in a rule or template"),
    Limit("template_depth", 20, "includes, extends or macro calls", "stops a template that includes itself"),
    # outputs
    Limit("name_bytes", 255, "bytes", "the longest file name most file systems allow"),
)

LIMITS = MappingProxyType({item.name: item for item in _TABLE})


def limit(name: str) -> int | float:
    """Return the value of the named limit (KeyError for a name not in the table)."""
    return LIMITS[name].value


def describe() -> str:
    """Return the table as Markdown rows (for docs and `--help` texts)."""
    rows = ["| limit | value | why |", "|---|---|---|"]
    for item in _TABLE:
        value = f"{item.value:,}" if isinstance(item.value, int) else f"{item.value:g}"
        rows.append(f"| `{item.name}` | {value} {item.unit} | {item.why} |")
    return "\n".join(rows)
