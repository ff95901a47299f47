"""Time reading, splitting and claim extraction on the 36,000-character seed inspection report."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT.parent / "shared" / "seed-docs" / "2020-01-ofsted-ilacs-inspection-report.txt"


def main() -> int:
    if not REPORT.is_file():
        print(f"skipped: {REPORT} not found (the shared folder sits beside the repository)")
        return 0
    t0 = time.perf_counter()
    from drafter.check.claims import extract_claims
    from drafter.check.read import read_draft
    from drafter.check.sentences import split_sentences
    from drafter.vocab.cues import load_cues
    from drafter.vocab.topics import load_vocabulary

    t1 = time.perf_counter()
    vocab = load_vocabulary()
    cues = load_cues(vocab)
    t2 = time.perf_counter()
    draft = read_draft(REPORT)
    t3 = time.perf_counter()
    sentences = [s for p in draft.paragraphs for s in split_sentences(p, cues)]
    t4 = time.perf_counter()
    claims = [c for c in (extract_claims(s, vocab) for s in sentences) if c is not None]
    t5 = time.perf_counter()

    chars = sum(len(p.text) for p in draft.paragraphs)
    print(f"{REPORT.name}: {chars:,} characters, {len(draft.paragraphs)} paragraphs, "
          f"{len(sentences)} sentences, {len(claims)} claims")
    print(f"  import modules     {1000 * (t1 - t0):7.1f} ms")
    print(f"  load vocabulary    {1000 * (t2 - t1):7.1f} ms  (topics.yaml + language.yaml, compiled once)")
    print(f"  read draft         {1000 * (t3 - t2):7.1f} ms")
    print(f"  split sentences    {1000 * (t4 - t3):7.1f} ms")
    each = 1e6 * (t5 - t4) / max(len(sentences), 1)
    print(f"  extract claims     {1000 * (t5 - t4):7.1f} ms  ({each:.0f} µs a sentence)")
    print(f"  total              {1000 * (t5 - t0):7.1f} ms")
    polarities = {p: sum(c.polarity == p for c in claims) for p in ("positive", "negative", "mixed", "neutral")}
    print(f"  polarity of claims: {polarities}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
