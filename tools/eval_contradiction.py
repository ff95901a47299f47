"""Evaluate CON01 on real Ofsted prose the way the judges do: one-sided packs of notes on the sentence's topic.

Run by hand: .venv/bin/python tools/eval_contradiction.py [DEV.jsonl] [--misses] [--alarms]

For every sentence of ../shared/real-prose/dev.jsonl labelled positive or negative on a topic of
rules/topics.yaml, two packs are built whose only evidence is one to three notes on that topic
(the count cycles 1, 2, 3 through the corpus), written here in our own words: one whose notes all
point the other way (the sentence should get CON01: a hit), one whose notes agree (it should not:
a false alarm if it does); an `info` hint does not count. Prints contradiction recall and the
false-alarm rate, overall, by topic and by half of the corpus (split by authority as
tools/measure_claims.py does).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.measure_claims import DEV, halves, load_rows  # noqa: E402

# Our own wording: what an analyst might note about any area of practice.
NOTES = {
    "positive": [
        "Audits found practice in this area to be consistently good.",
        "Managers and partners describe this work as a clear strength.",
        "Case sampling showed children getting the right help at the right time here.",
    ],
    "negative": [
        "Audits found practice in this area to be weak.",
        "Managers acknowledge that this work is not yet good enough.",
        "Case sampling showed children waiting too long for help here.",
    ],
}
OPPOSITE = {"positive": "negative", "negative": "positive"}


@dataclass(frozen=True)
class Outcome:
    """One sentence checked against a contradicting and an agreeing pack."""

    row: dict
    flagged_against: bool  # CON01 against notes pointing the other way
    flagged_with: bool  # CON01 against notes that agree (a false alarm)


def _assessment(topic: str, polarity: str, count: int, cache: dict):
    from drafter.evidence.load import evidence_from_source
    from drafter.pipeline import assess
    from drafter.yamlsrc import Source

    key = (topic, polarity, count)
    if key not in cache:
        data = {
            "schema": "evidence-pack/1",
            "authority": "Evalshire",
            "as_of": "2024-03-31",
            "notes": [{"topic": topic, "polarity": polarity, "text": t} for t in NOTES[polarity][:count]],
        }
        cache[key] = assess(evidence_from_source(Source(path=f"<{polarity} notes on {topic}>", data=data)))
    return cache[key]


def _flags(text: str, assessment) -> bool:
    from drafter.check.compare import check_draft
    from drafter.check.read import Draft, Paragraph

    draft = Draft("<sentence>", "text", (Paragraph.from_text(text),))
    found = check_draft(draft, assessment).diagnostics
    return any(d.code == "CON01" and d.effective_level in ("warning", "error") for d in found)


def evaluate(rows: list[dict]) -> list[Outcome]:
    """Return the outcome for every row labelled positive or negative on a topic of the vocabulary."""
    from drafter.vocab.topics import load_vocabulary

    topics = set(load_vocabulary().topic_ids())
    cache: dict = {}
    out = []
    scored = [r for r in rows if r["polarity"] in OPPOSITE and r["topic"] in topics]
    for i, row in enumerate(scored):
        count = 1 + i % 3
        against = _assessment(row["topic"], OPPOSITE[row["polarity"]], count, cache)
        agreeing = _assessment(row["topic"], row["polarity"], count, cache)
        out.append(Outcome(row, _flags(row["text"], against), _flags(row["text"], agreeing)))
    return out


def rates(outcomes: list[Outcome]) -> tuple[float, float, int]:
    """Return (recall, false-alarm rate, sentences)."""
    n = len(outcomes)
    if not n:
        return 0.0, 0.0, 0
    return sum(o.flagged_against for o in outcomes) / n, sum(o.flagged_with for o in outcomes) / n, n


def report(outcomes: list[Outcome]) -> str:
    """Return the printed report."""
    recall, alarms, n = rates(outcomes)
    lines = [f"sentences: {n} (labelled positive or negative, topic in rules/topics.yaml)",
             f"contradiction recall: {recall:.3f} (target >= 0.85)",
             f"false alarms on agreeing packs: {alarms:.3f} (target <= 0.05)", "",
             f"{'topic':<22}{'n':>4}{'recall':>8}{'alarms':>8}"]
    by_topic: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_topic[o.row["topic"]].append(o)
    for topic, group in sorted(by_topic.items()):
        r, a, k = rates(group)
        lines.append(f"{topic:<22}{k:>4}{r:>8.2f}{a:>8.2f}")
    lines += ["", "halves by authority:"]
    for name, authorities in halves([o.row for o in outcomes]).items():
        r, a, k = rates([o for o in outcomes if o.row["authority"] in authorities])
        lines.append(f"  {name}: {k} sentences, recall {r:.3f}, false alarms {a:.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEV)
    parser.add_argument("--misses", action="store_true", help="list the sentences not flagged against")
    parser.add_argument("--alarms", action="store_true", help="list the false alarms")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    outcomes = evaluate(load_rows(args.corpus))
    print(report(outcomes))
    for o in outcomes:
        if (args.misses and not o.flagged_against) or (args.alarms and o.flagged_with):
            print(f"{o.row['id']} {o.row['topic']} {o.row['polarity']} | {o.row['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
