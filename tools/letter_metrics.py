"""Measure how a letter reads against the genre: figures, repeats, openings, order and internal wording.

Usage:
    python tools/letter_metrics.py LETTER[=PACK]... [--json]
    python tools/letter_metrics.py --draft PACK... [--figures inline] [--json]

A LETTER is a .md, .docx or .txt file; `=PACK` names the evidence pack it was drafted from, which
adds the pack-aware measures (raw sample feature names, one-move improvements acknowledged).
`--draft` drafts each pack's letter in memory first. Everything is measured on the letter's body:
from its first heading (or the line after "Dear ...") up to the sign-off ("Yours sincerely").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

HEADLINE_HEADINGS = ("headline findings", "overview")
FINDINGS_HEADINGS = ("findings and evaluation of progress", "main findings", "findings")
KNOWN_HEADINGS = (*HEADLINE_HEADINGS, *FINDINGS_HEADINGS, "areas covered by the visit",
                  "what needs to improve in this area of social work practice?", "areas for priority action")
SIGN_OFF = re.compile(r"^(yours sincerely|yours faithfully)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9']+")
NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred".split()
)
INTERNAL = (
    ("not evaluable", re.compile(r"\bnot evaluable\b", re.IGNORECASE)),
    ("evidence available", re.compile(r"\bevidence available\b", re.IGNORECASE)),
    ("not enough to evaluate", re.compile(r"\bnot enough to evaluate\b", re.IGNORECASE)),
    ("chart", re.compile(r"\bcharts?\b", re.IGNORECASE)),
    ("raw id", re.compile(r"\b[a-z]{2,}(?:_[a-z0-9]+)*\.[a-z]{3,}(?:_[a-z0-9]+)*\b|\b[a-z]+_[a-z0-9_]+\b")),
)
_GENERIC_FRAMES = re.compile(r"(?:^|[.:;]\s+)[A-Z][a-z]+(?:\s[a-z]+){0,5} was (?:evident in|not consistent)")


@dataclass
class Metrics:
    """What one letter's body measures."""

    name: str
    words: int = 0
    figures: int = 0
    percentages: int = 0
    figures_per_1000: float = 0.0
    number_words: int = 0
    headline_figures: int = 0
    figures_said_twice: int = 0
    six_word_runs_twice: int = 0
    in_addition: int = 0
    same_openings: int = 0
    findings_open_with_leaders: bool | None = None
    internal_wording: int = 0
    raw_features: int = 0
    one_move_improvements: int | None = None
    improvements_acknowledged: int | None = None
    sentences_said_twice: int = 0
    measures_in_paragraphs: int = 0
    repeated_figures: list[str] = field(default_factory=list)
    repeated_openings: list[str] = field(default_factory=list)
    repeated_runs: list[str] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)
    unacknowledged: list[str] = field(default_factory=list)
    repeated_sentences: list[str] = field(default_factory=list)
    measures_repeated: list[str] = field(default_factory=list)  # "indicator: paragraphs 2, 5"


@dataclass(frozen=True)
class _Block:
    text: str
    heading: bool
    section: str  # "headline", "findings" or "other"


def figures_in(text: str) -> list[str]:
    """Return the figures written in digits in `text` (dates and years left out), as written."""
    from drafter.vocab.wording import figures_in as figures

    return figures(text)


def _body_blocks(paragraphs) -> list[_Block]:
    """Return the body's paragraphs: from the first heading (or after "Dear") to the sign-off."""
    items = [(p.text.strip(), p.kind == "heading") for p in paragraphs if p.text.strip() and p.kind != "table_cell"]
    start = next((i for i, (_, heading) in enumerate(items) if heading), None)
    if start is None:
        start = next((i + 1 for i, (t, _) in enumerate(items) if t.startswith("Dear ")), 0)
    blocks: list[_Block] = []
    section = "other"
    for text, heading in items[start:]:
        if SIGN_OFF.match(text):
            break
        heading = heading or text.lower().rstrip(":") in KNOWN_HEADINGS
        if heading:
            low = text.lower().rstrip(":")
            section = "headline" if low in HEADLINE_HEADINGS else "findings" if low in FINDINGS_HEADINGS else "other"
        blocks.append(_Block(text, heading, section))
    return blocks


def _sentences(text: str) -> list[str]:
    from drafter.check.sentences import split_sentences

    return [s.text for s in split_sentences(text) if s.kind == "sentence"]


def measure_paragraphs(name: str, paragraphs, pack=None) -> Metrics:
    """Return the metrics of a letter given its paragraphs (drafter.check.read paragraphs)."""
    blocks = _body_blocks(paragraphs)
    m = Metrics(name)
    text_blocks = [b for b in blocks if not b.heading]
    body = "\n".join(b.text for b in blocks)
    m.words = len(_WORD.findall(body.lower()))
    figures = [f for b in text_blocks for f in figures_in(b.text)]
    m.figures = len(figures)
    m.percentages = sum(f.endswith("%") for f in figures)
    m.figures_per_1000 = round(1000 * m.figures / m.words, 2) if m.words else 0.0
    m.number_words = sum(w in NUMBER_WORDS for w in _WORD.findall(body.lower()))
    m.headline_figures = sum(len(figures_in(b.text)) for b in text_blocks if b.section == "headline")
    repeated = sorted(f for f, n in Counter(figures).items() if n > 1)
    m.figures_said_twice, m.repeated_figures = len(repeated), repeated
    runs: Counter = Counter()
    for b in text_blocks:
        words = _WORD.findall(b.text.lower())
        runs.update(tuple(words[i:i + 6]) for i in range(len(words) - 5))
    m.repeated_runs = sorted(" ".join(r) for r, n in runs.items() if n > 1)
    m.six_word_runs_twice = len(m.repeated_runs)
    m.in_addition = len(re.findall(r"\bIn addition\b", body))
    previous = None
    first_findings = None
    for b in blocks:
        if b.heading:
            previous = None
            continue
        for sentence in _sentences(b.text):
            opening = tuple(_WORD.findall(sentence.lower())[:2])
            if previous is not None and len(opening) == 2 and opening == previous:
                m.same_openings += 1
                m.repeated_openings.append(" ".join(opening))
            previous = opening
            if b.section == "findings" and first_findings is None:
                first_findings = sentence
    if first_findings is not None:
        m.findings_open_with_leaders = _about_leaders(first_findings)
    for label, pattern in INTERNAL:
        for b in text_blocks:
            for hit in pattern.findall(b.text):
                m.internal.append(f"{label}: {hit}")
    m.internal_wording = len(m.internal)
    m.raw_features = _raw_features(text_blocks, pack)
    said = Counter(" ".join(_WORD.findall(s.lower())) for b in text_blocks for s in _sentences(b.text))
    m.repeated_sentences = sorted(s for s, n in said.items() if n > 1 and s)
    m.sentences_said_twice = len(m.repeated_sentences)
    m.measures_repeated = _measures_repeated(text_blocks, pack)
    m.measures_in_paragraphs = len(m.measures_repeated)
    if pack is not None:
        _improvements(m, text_blocks, pack)
    return m


def _about_leaders(sentence: str) -> bool:
    from drafter.check.claims import extract_claims
    from drafter.vocab.topics import load_vocabulary

    vocab = load_vocabulary()
    claim = extract_claims(sentence, vocab)
    if claim is not None:
        return "leadership" in claim.topics
    low = sentence.lower()  # a descriptive sentence with no claim: is it about leaders at all?
    return any(re.search(rf"\b{re.escape(t.lower())}\b", low) for t in vocab.topics["leadership"].terms)


def _measures_repeated(blocks: list[_Block], pack) -> list[str]:
    """Return the measures (catalogue indicators, named by their terms) said in more than one paragraph
    outside the headline, as "indicator: paragraphs 2, 5"; with a pack, only the measures it holds."""
    from drafter.rules.catalogue import load_catalogue

    catalogue = load_catalogue()
    held = {i for i, _ in pack.evidence.series} if pack is not None else None
    patterns = {}
    for spec in catalogue.indicators:
        if spec.terms and (held is None or spec.id in held):
            ordered = sorted(spec.terms, key=len, reverse=True)
            patterns[spec.id] = re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in ordered) + r")(?![\w-])",
                                           re.IGNORECASE)
    paragraphs = [b.text for b in blocks if b.section != "headline"]
    out = []
    for indicator, pattern in patterns.items():
        where = [i + 1 for i, text in enumerate(paragraphs) if pattern.search(text)]
        if len(where) > 1:
            out.append(f"{indicator}: paragraphs {', '.join(map(str, where))}")
    return out


def _raw_features(blocks: list[_Block], pack) -> int:
    """Return how many sentences put a raw sample feature name (or a bare noun) in a generic frame."""
    hits = 0
    words = []
    if pack is not None:
        words = [s.feature.partition(".")[2].replace("_", " ") for s in pack.evidence.samples]
    for b in blocks:
        for sentence in _sentences(b.text):
            low = sentence.lower()
            raw = any(re.search(rf"(?:^|\bshowed |\bof )({re.escape(w)})(?: was| were|\.|,)", low) or
                      low.startswith(w + " was") for w in words)
            if raw or _GENERIC_FRAMES.search(sentence):
                hits += 1
    return hits


def _improvements(m: Metrics, blocks: list[_Block], pack) -> None:
    """Count series that ended with one move the better way, and those the letter acknowledges."""
    from drafter.check.claims import extract_claims
    from drafter.evidence.pack import run_at_end
    from drafter.rules.catalogue import load_catalogue
    from drafter.vocab.language import load_language
    from drafter.vocab.topics import load_vocabulary

    catalogue, vocab = load_catalogue(), load_vocabulary()
    stable = load_language().trend.stable_within
    claims = [c for b in blocks for s in _sentences(b.text) if (c := extract_claims(s, vocab))]
    total = acknowledged = 0
    for series in pack.evidence.series.values():
        spec = catalogue.get(series.indicator)
        if series.team or spec is None or spec.unit == "grades" or spec.better not in ("lower", "higher"):
            continue
        if len(series.points) < 2:
            continue
        direction, run = run_at_end([p.value for p in series.points], stable)
        if run != 1 or direction != ("down" if spec.better == "lower" else "up"):
            continue
        total += 1
        terms = [t.lower() for t in spec.terms]
        if any(c.trend in ("improving", "continuing_improvement") and any(t in c.text.lower() for t in terms)
               for c in claims):
            acknowledged += 1
        else:
            m.unacknowledged.append(series.indicator)
    m.one_move_improvements, m.improvements_acknowledged = total, acknowledged


def measure_file(path: str | Path, pack_path: str | Path | None = None) -> Metrics:
    """Return the metrics of the letter at `path` (.md, .docx or .txt), pack-aware when a pack is given."""
    from drafter.check.read import read_draft

    pack = None
    if pack_path is not None:
        from drafter.pipeline import assess_pack

        pack = assess_pack(pack_path)
    return measure_paragraphs(Path(path).name, read_draft(path).paragraphs, pack)


def measure_draft(pack_path: str | Path, figures: str = "words") -> Metrics:
    """Return the metrics of the letter drafter writes for the pack (Markdown, in memory)."""
    from drafter.check.read import read_draft
    from drafter.drafting import draft_letter_from_pack

    try:
        draft = draft_letter_from_pack(pack_path, figures=figures)
    except TypeError:  # a drafter without the register switch
        draft = draft_letter_from_pack(pack_path)
    with tempfile.TemporaryDirectory() as folder:
        md = Path(folder) / "letter.md"
        md.write_bytes(draft.to_bytes("md"))
        paragraphs = read_draft(md).paragraphs
    return measure_paragraphs(Path(pack_path).name, paragraphs, draft.assessment)


COLUMNS = (("words", "words"), ("fig", "figures"), ("pct", "percentages"), ("f/1k", "figures_per_1000"),
           ("numw", "number_words"), ("head", "headline_figures"), ("fig2", "figures_said_twice"),
           ("run2", "six_word_runs_twice"), ("inadd", "in_addition"), ("open", "same_openings"),
           ("lead", "findings_open_with_leaders"), ("intern", "internal_wording"), ("rawf", "raw_features"),
           ("impr", "one_move_improvements"), ("ackn", "improvements_acknowledged"), ("sent2", "sentences_said_twice"),
           ("meas2", "measures_in_paragraphs"))


def table(rows: list[Metrics]) -> str:
    """Return the metrics as a plain-text table, one letter a row."""
    width = max([len(r.name) for r in rows] + [6])
    lines = [f"{'letter':<{width}} " + " ".join(f"{h:>6}" for h, _ in COLUMNS)]
    for r in rows:
        cells = []
        for _, key in COLUMNS:
            value = getattr(r, key)
            shown = "-" if value is None else "yes" if value is True else "no" if value is False else value
            cells.append(f"{shown:>6}")
        lines.append(f"{r.name:<{width}} " + " ".join(cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("letters", nargs="*", help="LETTER or LETTER=PACK")
    parser.add_argument("--draft", nargs="*", default=[], help="draft these packs' letters and measure them")
    parser.add_argument("--figures", default="words", choices=("words", "inline"), help="register for --draft")
    parser.add_argument("--json", action="store_true", help="print JSON records")
    parser.add_argument("--details", action="store_true", help="print what was repeated or internal")
    args = parser.parse_args(argv)
    rows = []
    for item in args.letters:
        path, _, pack = item.partition("=")
        rows.append(measure_file(path, pack or None))
    rows += [measure_draft(p, args.figures) for p in args.draft]
    if args.json:
        print(json.dumps([asdict(r) for r in rows], indent=2))
        return 0
    print(table(rows))
    if args.details:
        for r in rows:
            print(f"\n{r.name}: repeated figures {r.repeated_figures}; openings {r.repeated_openings}; "
                  f"internal {r.internal}; unacknowledged {r.unacknowledged}; runs {r.repeated_runs}; "
                  f"sentences {r.repeated_sentences}; measures {r.measures_repeated}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
