"""The checker on real inspectors' prose (../shared/real-prose/dev.jsonl): topic, polarity and CON01 against
one-sided packs, overall and on each half of the authorities. Skips when the shared folder is absent."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT

DEV = ROOT.parent / "shared" / "real-prose" / "dev.jsonl"
pytestmark = pytest.mark.skipif(not DEV.is_file(), reason="the shared real-prose corpus is not beside the repository")

# The targets on the whole corpus; each half (split by authority, no authority in both) must
# stay close to them, so that a change tuned to some authorities' sentences shows.
TARGETS = {"topic_found": 0.92, "polarity": 0.88}
HALF_FLOORS = {"topic_found": 0.90, "polarity": 0.85}
RECALL, ALARMS = 0.85, 0.05
HALF_RECALL = 0.80


@pytest.fixture(scope="module")
def measured() -> dict:
    from tools.measure_claims import load_rows, read_all, summary

    return summary(read_all(load_rows(DEV)))


@pytest.fixture(scope="module")
def outcomes() -> list:
    from tools.eval_contradiction import evaluate
    from tools.measure_claims import load_rows

    return evaluate(load_rows(DEV))


def test_topic_and_polarity_reach_the_targets(measured):
    from tools.measure_claims import report

    print("\n" + report(measured))
    for name, floor in TARGETS.items():
        assert measured[name] >= floor, f"{name} {measured[name]:.3f} < {floor}"
    for half, figures in measured["halves"].items():
        for name, floor in HALF_FLOORS.items():
            assert figures[name] >= floor, f"half {half}: {name} {figures[name]:.3f} < {floor}"


def test_few_sentences_get_no_topic(measured):
    assert measured["no_topic"] <= 0.03 * measured["sentences"], measured["no_topic"]


def test_contradiction_against_one_sided_notes(outcomes):
    from tools.eval_contradiction import halves, rates, report

    print("\n" + report(outcomes))
    recall, alarms, n = rates(outcomes)
    assert n >= 300
    assert recall >= RECALL and alarms <= ALARMS, (recall, alarms)
    for half, authorities in halves([o.row for o in outcomes]).items():
        r, a, _ = rates([o for o in outcomes if o.row["authority"] in authorities])
        assert r >= HALF_RECALL and a <= ALARMS, (half, r, a)


def test_the_measure_reads_what_it_says():
    """The figures are computed from the readings, not asserted: a reader that finds nothing scores nothing."""
    from tools.measure_claims import Reading, summary

    rows = [{"id": "x1", "authority": "A", "text": "Plans are clear.", "topic": "plans", "polarity": "positive"},
            {"id": "x2", "authority": "B", "text": "Plans are weak.", "topic": "plans", "polarity": "negative"}]
    right = summary([Reading(rows[0], ("plans",), "positive"), Reading(rows[1], ("plans",), "negative")])
    wrong = summary([Reading(rows[0], (), "neutral"), Reading(rows[1], ("caseloads",), "positive")])
    assert (right["topic_found"], right["polarity"]) == (1.0, 1.0)
    assert (wrong["topic_found"], wrong["polarity"], wrong["no_topic"]) == (0.0, 0.0, 1)
