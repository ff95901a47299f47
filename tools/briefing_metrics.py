"""Measure how long a board briefing takes to read and whether it repeats itself.

Usage:
    python tools/briefing_metrics.py BRIEFING.docx... [--pdf] [--json]
    python tools/briefing_metrics.py --draft PACK... [--pdf] [--json]

For each briefing: its pages (with `--pdf`, converted by LibreOffice when `soffice` is installed),
its words (all, and the prose outside tables), its key findings, the measures said in more than one
key finding (read from each finding's Word comment: a measure's own figures line, or a case sample),
its areas needing action, and the status rows that show "No data" or no latest figure beside a
Red, Amber or Green status. `--draft` drafts each pack's briefing first, in a temporary folder.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

STATUSES = ("Red", "Amber", "Green")


@dataclass
class Metrics:
    """What one briefing measures."""

    name: str
    pages: int | None = None
    words: int = 0
    prose_words: int = 0
    key_findings: int = 0
    repeated_measures: list[str] = field(default_factory=list)
    actions: int = 0
    no_data_rows: int = 0
    rows_without_latest: int = 0


def _items(document, title: str) -> list:
    paragraphs = document.paragraphs
    start = next((i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1" and p.text == title), None)
    out = []
    for p in paragraphs[start + 1:] if start is not None else []:
        if p.style.name == "Heading 1":
            break
        if p.style.name == "List Bullet":
            out.append(p)
    return out


def _measures(comment: str, labels: set[str]) -> set[str]:
    """Return the measures a comment gives figures for: indicator lines and case samples."""
    found = set()
    for line in comment.splitlines():
        head, _, rest = line.partition(": ")
        if head.split(", ")[0] in labels and not re.match(r"[A-Z][\w' ]*: ", rest):
            found.add(head)
        sample = re.match(r"\d+ of the \d+ cases sampled showed (.+?) \(", line)
        if sample:
            found.add("sample: " + sample.group(1))
    return found


def measure(path: Path) -> Metrics:
    """Return the metrics of one briefing DOCX."""
    import docx
    from docx.oxml.ns import qn

    from drafter.rules.catalogue import load_catalogue

    labels = {s.label[:1].upper() + s.label[1:] for s in load_catalogue().indicators}
    document = docx.Document(str(path))
    comments = {str(c.comment_id): c.text for c in document.comments}
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    m = Metrics(path.name)
    m.prose_words = sum(len(p.text.split()) for p in document.paragraphs)
    m.words = m.prose_words + sum(len(c.split()) for c in cells)
    keys = _items(document, "Key strengths") + _items(document, "Key concerns")
    m.key_findings = len(keys)
    seen: dict[str, int] = {}
    for item in keys:
        said = set()
        for start in item._p.iter(qn("w:commentRangeStart")):
            said |= _measures(comments.get(start.get(qn("w:id")), ""), labels)
        for name in said:
            seen[name] = seen.get(name, 0) + 1
    m.repeated_measures = sorted(n for n, count in seen.items() if count > 1)
    m.actions = len(_items(document, "Areas needing action"))
    table = next((t for t in document.tables if t.rows[0].cells[0].text == "Area"), None)
    for row in table.rows[1:] if table is not None else []:
        texts = [c.text for c in row.cells]
        m.no_data_rows += any(t == "No data" for t in texts)
        m.rows_without_latest += texts[1] in STATUSES and texts[3] in ("–", "")
    return m


def count_pages(paths: list[Path], out: Path) -> dict[Path, int]:
    """Return each DOCX's page count after LibreOffice converts it to PDF (empty without soffice)."""
    if shutil.which("soffice") is None:
        return {}
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out), *map(str, paths)],
                   capture_output=True, timeout=900, check=False)
    pages = {}
    for path in paths:
        pdf = out / (path.stem + ".pdf")
        if pdf.exists():
            pages[path] = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    return pages


def draft_all(packs: list[Path], out: Path) -> list[Path]:
    """Return the briefings drafted for the packs, written to `out`."""
    from drafter.drafting import draft_briefing
    from drafter.pipeline import assess_pack

    written = []
    for pack in packs:
        target = out / f"{pack.stem}-briefing.docx"
        target.write_bytes(draft_briefing(assess_pack(pack)).to_bytes("docx"))
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="briefing DOCX files, or packs with --draft")
    parser.add_argument("--draft", action="store_true", help="draft each pack's briefing first")
    parser.add_argument("--pdf", action="store_true", help="count pages with LibreOffice")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        docs = draft_all(args.files, Path(tmp)) if args.draft else list(args.files)
        pages = count_pages(docs, Path(tmp)) if args.pdf else {}
        results = [measure(d) for d in docs]
        for d, m in zip(docs, results, strict=True):
            m.pages = pages.get(d)
    if args.json:
        print(json.dumps([asdict(m) for m in results], indent=2))
        return 0
    print(f"{'briefing':44} pages words prose keys repeats actions no-data no-latest")
    for m in results:
        pages_text = "-" if m.pages is None else str(m.pages)
        print(f"{m.name:44} {pages_text:>5} {m.words:5} {m.prose_words:5} {m.key_findings:4} "
              f"{len(m.repeated_measures):7} {m.actions:7} {m.no_data_rows:7} {m.rows_without_latest:9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
