"""Measure claim extraction on real Ofsted prose (../shared/real-prose/dev.jsonl): topic, polarity, by topic and half.

Run by hand: .venv/bin/python tools/measure_claims.py [DEV.jsonl] [--errors topic|polarity] [--json]

Prints: the labelled main topic found among the topics the extractor returns (sentences labelled
`other` are left out: no topic in rules/topics.yaml stands for "the whole service"); polarity
accuracy over sentences labelled positive, negative or mixed; a per-topic breakdown; how many
sentences get no topic at all; the polarity confusion matrix; and the same two figures on two
halves of the corpus split by authority (no authority in both), so that a
change that helps only one half shows. The real sentences are for measuring only: never copy them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEV = ROOT.parent / "shared" / "real-prose" / "dev.jsonl"
POLARITIES = ("positive", "negative", "mixed")
ALL_POLARITIES = (*POLARITIES, "neutral")


@dataclass(frozen=True)
class Reading:
    """One labelled sentence and what the extractor read from it."""

    row: dict
    topics: tuple[str, ...]
    polarity: str

    @property
    def topic_found(self) -> bool:
        return self.row["topic"] in self.topics

    @property
    def polarity_right(self) -> bool:
        return self.polarity == self.row["polarity"]


def load_rows(path: Path = DEV) -> list[dict]:
    """Return the labelled sentences of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def read_all(rows: list[dict]) -> list[Reading]:
    """Return the extractor's reading of every row."""
    from drafter.check.claims import extract_claims
    from drafter.vocab.topics import load_vocabulary

    vocab = load_vocabulary()
    out = []
    for row in rows:
        claim = extract_claims(row["text"], vocab)
        out.append(Reading(row, claim.topics if claim else (), claim.polarity if claim else "neutral"))
    return out


def halves(rows: list[dict]) -> dict[str, set[str]]:
    """Return two halves of the authorities with about as many sentences each: largest first (then by
    name), each to the half that has fewer sentences so far."""
    counts = Counter(r["authority"] for r in rows)
    out: dict[str, set[str]] = {"A": set(), "B": set()}
    size = {"A": 0, "B": 0}
    for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        half = "A" if size["A"] <= size["B"] else "B"
        out[half].add(name)
        size[half] += n
    return out


def topic_accuracy(readings: list[Reading]) -> tuple[int, int]:
    """Return (found, of) for the labelled main topic, leaving out sentences labelled `other`."""
    scored = [r for r in readings if r.row["topic"] != "other"]
    return sum(r.topic_found for r in scored), len(scored)


def polarity_accuracy(readings: list[Reading]) -> tuple[int, int]:
    """Return (right, of) over sentences labelled positive, negative or mixed."""
    scored = [r for r in readings if r.row["polarity"] in POLARITIES]
    return sum(r.polarity_right for r in scored), len(scored)


def summary(readings: list[Reading]) -> dict:
    """Return every figure the report prints, as plain data."""
    found, of = topic_accuracy(readings)
    right, pol_of = polarity_accuracy(readings)
    by_topic: dict[str, list[Reading]] = defaultdict(list)
    for r in readings:
        by_topic[r.row["topic"]].append(r)
    topics = {}
    for topic, group in sorted(by_topic.items()):
        f, n = sum(r.topic_found for r in group), len(group)
        p, pn = polarity_accuracy(group)
        topics[topic] = {"n": n, "topic_found": f / n if topic != "other" else None,
                         "polarity": p / pn if pn else None}
    confusion = Counter((r.row["polarity"], r.polarity) for r in readings)
    split = halves([r.row for r in readings])
    by_half = {}
    for name, authorities in split.items():
        group = [r for r in readings if r.row["authority"] in authorities]
        hf, hn = topic_accuracy(group)
        hp, hpn = polarity_accuracy(group)
        by_half[name] = {"sentences": len(group), "topic_found": hf / hn, "polarity": hp / hpn}
    return {
        "sentences": len(readings),
        "topic_found": found / of,
        "topic_scored": of,
        "topic_found_with_other": sum(r.topic_found for r in readings) / len(readings),
        "polarity": right / pol_of,
        "polarity_scored": pol_of,
        "no_topic": sum(not r.topics for r in readings),
        "by_topic": topics,
        "confusion": {f"{a}->{b}": n for (a, b), n in sorted(confusion.items())},
        "halves": by_half,
    }


def report(data: dict) -> str:
    """Return the printed report."""
    lines = [
        f"sentences: {data['sentences']}",
        f"main topic found: {data['topic_found']:.3f} of {data['topic_scored']} (target >= 0.92; "
        f"'other' left out; {data['topic_found_with_other']:.3f} with 'other' counted as missed)",
        f"polarity right:   {data['polarity']:.3f} of {data['polarity_scored']} positive/negative/mixed "
        "(target >= 0.88)",
        f"no topic at all:  {data['no_topic']}",
        "",
        f"{'topic':<22}{'n':>4}{'found':>8}{'polarity':>10}",
    ]
    for topic, row in data["by_topic"].items():
        found = "-" if row["topic_found"] is None else f"{row['topic_found']:.2f}"
        pol = "-" if row["polarity"] is None else f"{row['polarity']:.2f}"
        lines.append(f"{topic:<22}{row['n']:>4}{found:>8}{pol:>10}")
    lines += ["", "polarity confusion (rows: label, columns: read)",
              f"{'':<10}" + "".join(f"{p:>10}" for p in ALL_POLARITIES)]
    for label in ALL_POLARITIES:
        cells = [data["confusion"].get(f"{label}->{got}", 0) for got in ALL_POLARITIES]
        lines.append(f"{label:<10}" + "".join(f"{c:>10}" for c in cells))
    lines += ["", "halves by authority:"]
    for name, half in data["halves"].items():
        lines.append(f"  {name}: {half['sentences']} sentences, topic found {half['topic_found']:.3f}, "
                     f"polarity {half['polarity']:.3f}")
    return "\n".join(lines)


def errors(readings: list[Reading], what: str) -> str:
    """Return one line per sentence the extractor got wrong (for error analysis, never for copying)."""
    lines = []
    for r in readings:
        row = r.row
        if what == "topic" and row["topic"] != "other" and not r.topic_found:
            lines.append(f"{row['id']} {row['topic']} {row['topics']} -> {list(r.topics)} | {row['text']}")
        if what == "polarity" and row["polarity"] in POLARITIES and not r.polarity_right:
            lines.append(f"{row['id']} {row['polarity']} -> {r.polarity} | {row['text']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEV)
    parser.add_argument("--errors", choices=("topic", "polarity"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    readings = read_all(load_rows(args.corpus))
    if args.errors:
        print(errors(readings, args.errors))
        return 0
    data = summary(readings)
    print(json.dumps(data, indent=2) if args.json else report(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
