"""Compose a letter: turn an assessment into Markdown with finding spans, comments and properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from drafter.compose.paragraphs import compose_paragraphs, escape_markdown, lower_first
from drafter.compose.phrases import Phrases, load_phrases
from drafter.document.model import Comment, Meta
from drafter.errors import Problem, TemplateError
from drafter.paths import templates_dir
from drafter.pipeline import Assessment
from drafter.rules.findings import POSITIVE_VERDICTS, Finding
from drafter.sandbox import BoundedEnvironment, BudgetExceeded, FolderLoader, TemplateEncodingError, budget
from drafter.vocab import wording
from drafter.vocab.topics import load_vocabulary

TEMPLATE_FOR_KIND = {
    "monitoring_visit": "monitoring_letter",
    "focused_visit": "focused_visit_letter",
    "inspection": "inspection_summary",
    "board_briefing": "monitoring_letter",
}


@dataclass(frozen=True)
class Composed:
    """A composed document: its Markdown, the comments its spans refer to, and its properties."""

    markdown: str
    comments: dict[str, Comment]
    meta: Meta
    template: str


class _Spans:
    """Turns findings into Markdown attribute spans and collects one provenance comment each."""

    def __init__(self, when: dt.datetime):
        self.when = when
        self.comments: dict[str, Comment] = {}

    def __call__(self, finding: Finding, text: str | None = None) -> str:
        cid = f"c{len(self.comments) + 1}"
        self.comments[cid] = Comment(cid, finding.provenance(), date=self.when)
        body = escape_markdown(text if text is not None else finding.sentence)
        return f"[{body}]{{.finding rule={finding.rule_id} comment={cid}}}"


def resolve_template(name: str | Path | None, kind: str) -> Path:
    """Return the template file for a name (templates/NAME.md.j2), a path, or the pack's document kind."""
    if name is None:
        name = TEMPLATE_FOR_KIND.get(kind, "monitoring_letter")
    candidate = Path(name)
    if candidate.suffix or "/" in str(name):
        if not candidate.is_file():
            raise TemplateError(Problem(f"no such template: {name}", path=str(name),
                                        hint="give a template name from templates/ or a path to a .md.j2 file"))
        return candidate
    path = templates_dir() / f"{name}.md.j2"
    if not path.is_file():
        known = sorted(p.name.removesuffix(".md.j2") for p in templates_dir().glob("*.md.j2"))
        raise TemplateError(Problem(f"unknown template {name!r}", path=str(path), expected=", ".join(known),
                                    hint="use --template NAME with one of these, or a path to your own .md.j2"))
    return path


def _environment(folder: Path) -> BoundedEnvironment:
    env = BoundedEnvironment(loader=FolderLoader(folder), undefined=StrictUndefined,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.bound_filters({"md": escape_markdown, "lower_first": lower_first})
    return env


def render_template(path: Path, context: dict) -> str:
    """Return the rendered template; raise TemplateError with the template's name, line and context.

    Templates are untrusted: they render in drafter's bounded sandbox (time, size, recursion, and
    includes only from the template's own folder), and anything that goes wrong is a located error.
    """
    env = _environment(path.parent)
    try:
        with budget():
            return env.get_template(path.name).render(**context)
    except TemplateSyntaxError as exc:
        where = exc.filename or str(path)
        raise TemplateError(Problem(f"template syntax error: {exc.message}", path=where, line=exc.lineno,
                                    found=_line(Path(where), exc.lineno))) from None
    except (UndefinedError, SecurityError) as exc:
        raise TemplateError(Problem(f"template error: {exc}", path=str(path), line=_failing_line(exc, path),
                                    hint="templates may use only the values drafter passes in (see README)")) from None
    except TemplateNotFound as exc:
        raise TemplateError(Problem(f"template not found: {exc}", path=str(path), line=_failing_line(exc, path),
                                    hint="include or extend only templates in the same folder")) from None
    except TemplateEncodingError as exc:
        raise TemplateError(Problem("the template is not UTF-8 text", path=exc.path, line=exc.line,
                                    hint="save the template as UTF-8")) from None
    except RecursionError:
        raise TemplateError(Problem("the template calls, includes or extends itself without end", path=str(path),
                                    hint="remove the recursive macro call, include or extends")) from None
    except (BudgetExceeded, MemoryError) as exc:
        raise TemplateError(Problem(f"the template went past a limit: {exc}", path=str(path),
                                    line=_failing_line(exc, path),
                                    hint="a template must render quickly and briefly (limits: README)")) from None
    except Exception as exc:  # noqa: BLE001 - an untrusted template can raise anything (1/0, int('x')...)
        raise TemplateError(Problem(f"the template failed: {type(exc).__name__}: {exc}", path=str(path),
                                    line=_failing_line(exc, path), hint="fix the expression on that line")) from None


def _failing_line(exc: BaseException, path: Path) -> int | None:
    """Return the template line an exception came from (Jinja maps its frames back to template lines)."""
    line = None
    tb = exc.__traceback__
    target = str(path.resolve()) if path.exists() else str(path)
    while tb is not None:
        if tb.tb_frame.f_code.co_filename in (target, str(path)):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _line(path: Path, lineno: int | None) -> str:
    if not lineno:
        return ""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[lineno - 1].strip() if 0 < lineno <= len(lines) else ""


def compose_letter(assessment: Assessment, template: str | Path | None = None) -> Composed:
    """Return the composed letter for an assessment, using the template for its document kind."""
    pack = assessment.evidence.pack
    path = resolve_template(template, pack.document.kind)
    phrases = load_phrases()
    vocab = load_vocabulary()
    created = dt.datetime.combine(pack.as_of, dt.time(12, 0), tzinfo=dt.UTC)
    spans = _Spans(created)
    context = letter_context(assessment, phrases, vocab, spans)
    markdown = render_template(path, context)
    title = context["title"]
    meta = Meta(title=title, author="drafter", subject=f"{pack.authority} children's services",
                keywords="drafter; Ofsted; children's social care", created=created, comments=dict(spans.comments))
    return Composed(markdown, dict(spans.comments), meta, path.name)


def letter_context(assessment: Assessment, phrases: Phrases, vocab, spans: _Spans) -> dict:
    """Return everything a letter template may use, with Markdown already escaped."""
    pack = assessment.evidence.pack
    doc = pack.document
    findings = [f for f in assessment.findings if f.topic in vocab.topics]
    covered = [t for t in doc.areas_covered if t in vocab.topics]
    by_topic: dict[str, list[Finding]] = {}
    for finding in findings:
        by_topic.setdefault(finding.topic, []).append(finding)
    order = covered + [t for t in vocab.topics if t not in covered]
    sections = []
    for topic in order:
        if topic not in by_topic:
            continue
        sections.append({
            "topic": topic,
            "heading": escape_markdown(vocab.topics[topic].heading),
            "covered": topic in covered,
            "paragraphs": compose_paragraphs(by_topic[topic], phrases, spans),
        })
    progress = {p.topic: p for p in assessment.judgements.progress}
    visit_day = min(doc.visit_dates) if doc.visit_dates else pack.as_of
    inspectors = list(doc.inspectors)
    recipient = doc.recipient
    letter_date = doc.date or pack.as_of
    authority = escape_markdown(pack.authority)
    title_kind = {"focused_visit": "Focused visit", "inspection": "Inspection"}.get(doc.kind, "Monitoring visit")
    preposition = "of" if doc.kind == "inspection" else "to"
    title = f"{title_kind} {preposition} {pack.authority} children's services"
    return {
        "authority": authority,
        "title": escape_markdown(title),
        "date": wording.date_words(letter_date),
        "visit_dates": wording.date_range(doc.visit_dates) if doc.visit_dates else wording.date_words(pack.as_of),
        "visit_number": doc.visit_number,
        "visit_ordinal": wording.ordinal(doc.visit_number) if doc.visit_number else "",
        "judged_inadequate": wording.month_year(pack.last_judgement.published) if pack.last_judgement else "",
        "last_grade": (pack.last_judgement.grade.replace("_", " ") if pack.last_judgement else ""),
        "inspectors": escape_markdown(wording.join_words(inspectors)),
        "inspector_count": len(inspectors),
        "inspector_title": wording.inspector_title(visit_day, max(len(inspectors), 1)),
        "signatory": escape_markdown(inspectors[0]) if inspectors else "",
        "signatory_title": wording.inspector_title(visit_day, 1),
        "recipient": {
            "name": escape_markdown(recipient.name) if recipient else "",
            "title": escape_markdown(recipient.title) if recipient else "",
            "address": [escape_markdown(line) for line in (recipient.address if recipient else [])],
        },
        "salutation": escape_markdown(recipient.name.split()[0]) if recipient and recipient.name else "Colleague",
        "areas_covered": [escape_markdown(phrases.areas_of_concern.get(t, vocab.topics[t].heading)) for t in covered],
        "headline": headline(assessment, phrases, vocab, covered, progress, spans),
        "sections": sections,
        "weaknesses": [spans(f) for f in findings if f.verdict not in POSITIVE_VERDICTS and f.topic in covered],
        "overall": assessment.judgements.overall.label.lower(),
        "judgements": [
            {"title": escape_markdown(a.title), "label": a.label} for a in (*assessment.judgements.areas,
                                                                           assessment.judgements.overall)
        ],
    }


def headline(assessment: Assessment, phrases: Phrases, vocab, covered: list[str], progress: dict,
             spans: _Spans) -> str:
    """Return the headline paragraph: the pace of progress, the main strength, the main concern."""
    sentences = []
    by_statement: dict[str, list[str]] = {}
    for topic in covered:
        if topic in progress:
            by_statement.setdefault(progress[topic].statement, []).append(vocab.topics[topic].label)
    for statement, labels in by_statement.items():  # one sentence per statement: openings never repeat
        template = phrases.progress_sentences.get(statement)
        if template:
            sentences.append(escape_markdown(template.format(topic=wording.join_words(labels))))
    scope = [f for f in assessment.findings if f.topic in covered] or list(assessment.findings)
    strengths = [f for f in scope if f.verdict == "strength"] or [f for f in scope if f.verdict == "improving"]
    concerns = ([f for f in scope if f.verdict == "serious_weakness"]
                or [f for f in scope if f.verdict == "weakness"])
    if strengths:
        lead = f"{phrases.headline.strength_lead} {lower_first(strengths[0].sentence)}" if sentences else None
        sentences.append(spans(strengths[0], lead))
    if concerns:
        inspection = assessment.evidence.pack.document.kind == "inspection"
        lead = phrases.headline.concern_lead_inspection if inspection else phrases.headline.concern_lead
        sentences.append(spans(concerns[0], f"{lead} {lower_first(concerns[0].sentence)}"))
    elif covered:
        sentences.append(escape_markdown(phrases.headline.no_concern))
    return " ".join(sentences)
