"""Whatever validates, drafts: packs mutated around the seeds either fail validation with a located message, or
draft a letter, a briefing and an explanation without an exception (hypothesis, derandomised)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from drafter.errors import DrafterError
from drafter.evidence.load import load_pack
from drafter.yamlsrc import parse_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [parse_source(p, "evidence pack").data for p in sorted((ROOT / "seeds").glob("*.yaml"))]
EXAMPLES = int(os.environ.get("DRAFTER_FUZZ_EXAMPLES", "100"))

VALUES = st.one_of(
    st.integers(min_value=-5, max_value=5),
    st.sampled_from([0, 1, 12, 10**6, 10**7, 10**400, -(10**30)]),
    st.sampled_from([0.0, 0.5, 0.88, 12.0, 99.9, 100.0, 1e9, 1.7e308, -1e-9, float("nan"), float("inf"),
                     float("-inf")]),
    st.booleans(),
    st.none(),
    st.sampled_from(["", " ", "  \t", "x" * 5000, "line\nbreak", "\x1b[31mred", "202305", "2022-13", "2022-Q5",
                     "2020-01", "Sue Butcher", "caseloads", "negative", "care_leavers.x", "17%"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from([dt.datetime(2022, 3, 30, 10, 30), dt.datetime(2022, 3, 30, tzinfo=dt.UTC),
                     dt.datetime(2022, 3, 30, 0, 0)]),
    st.lists(st.sampled_from(["a", " ", 3, dt.date(2030, 1, 1)]), max_size=3),
    st.dictionaries(st.sampled_from(["good", "inadequate", "x"]), st.sampled_from([0, 1, 2.5, -1]), max_size=2),
)


def _paths(node, prefix=()):
    """Return every path to a value in a pack's plain data."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, prefix + (i,))
    return out


NUMBERS = st.one_of(st.integers(min_value=0, max_value=60), st.floats(min_value=0, max_value=100, allow_nan=False),
                    st.sampled_from([0.0, 0.5, 0.88, 12.0, 1e9, 1.7e308, 10**400, float("nan"), float("inf"), True]))
TEXTS = st.one_of(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30),
                  st.sampled_from([" ", "x" * 3000, "a\nb", "\x1b[2J"]))
DATES = st.one_of(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
                  st.sampled_from([dt.datetime(2022, 3, 30, 10, 30), dt.datetime(2022, 3, 30, tzinfo=dt.UTC)]))


def _like(value):
    """Return a strategy of values of the same kind as `value` (most mutations keep the type)."""
    if isinstance(value, bool) or value is None:
        return VALUES
    if isinstance(value, int | float):
        return NUMBERS
    if isinstance(value, str):
        return TEXTS
    if isinstance(value, dt.date):
        return DATES
    return VALUES


def _get(data, path):
    node = data
    for step in path:
        node = node[step]
    return node


def _set(data, path, value, delete=False):
    node = data
    for step in path[:-1]:
        node = node[step]
    if delete and isinstance(node, dict):
        del node[path[-1]]
    elif delete and isinstance(node, list):
        node.pop(path[-1])
    else:
        node[path[-1]] = value


@st.composite
def mutated_packs(draw):
    data = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=2))):
        paths = _paths(data)
        leaves = [p for p in paths if not isinstance(_get(data, p), dict | list)]
        path = draw(st.sampled_from(leaves if leaves and draw(st.integers(0, 9)) < 8 else paths))
        action = draw(st.sampled_from(["value"] * 8 + ["delete", "key"]))
        if action == "key" and isinstance(data, dict):
            node = data
            for step in path[:-1]:
                node = node[step]
            if isinstance(node, dict):
                node[draw(st.sampled_from(["extra", "2031-01", "2022-03", "team", "comparators"]))] = draw(VALUES)
                continue
        keep_kind = draw(st.integers(min_value=0, max_value=9)) < 8
        value = draw(_like(_get(data, path)) if keep_kind else VALUES)
        _set(data, path, value, delete=action == "delete")
    return data


def _dump(data, path: Path) -> None:
    yaml = YAML(typ="safe", pure=True)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)


def _located(exc: DrafterError) -> None:
    for problem in exc.problems:
        assert problem.path, problem.render()
        assert problem.line is not None or problem.where, problem.render()
        assert "Traceback" not in problem.render()


def _check(data, tmp: Path, briefing: bool) -> None:
    from drafter.commands.rules import render_explanation
    from drafter.drafting import draft_briefing, draft_letter
    from drafter.pipeline import assess

    path = tmp / "pack.yaml"
    try:
        _dump(data, path)
    except Exception:  # noqa: BLE001 - a value the YAML writer cannot represent is not a pack
        return
    try:
        evidence = load_pack(path)
    except DrafterError as exc:
        _located(exc)
        return
    assessment = assess(evidence)
    draft_letter(assessment).to_bytes("docx")
    render_explanation(assessment)
    if briefing:
        draft_briefing(assessment).to_bytes("docx")


FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@FUZZ
@given(mutated_packs())
def test_mutated_pack_validates_or_drafts_a_letter_and_explanation(tmp_path_factory, data):
    _check(data, tmp_path_factory.mktemp("fuzz"), briefing=False)


@settings(FUZZ, max_examples=max(EXAMPLES // 4, 10))
@given(mutated_packs())
def test_mutated_pack_validates_or_drafts_a_briefing(tmp_path_factory, data):
    _check(data, tmp_path_factory.mktemp("fuzzb"), briefing=True)


@pytest.mark.parametrize("value", [0, 0.0, False, True, 10**400, float("nan"), 12.0])
def test_sample_of_edge_values_never_crash_drafting(tmp_path, value):
    data = copy.deepcopy(SEEDS[1])
    data["samples"][0]["of"] = value
    _check(data, tmp_path, briefing=False)
