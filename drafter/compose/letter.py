"""Compose a letter: turn an assessment into Markdown with finding spans, comments and properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jinja2 import StrictUndefined, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from drafter.compose.conventions import earlier_visits, letter_date
from drafter.compose.paragraphs import escape_markdown, lower_first
from drafter.compose.phrases import Phrases, load_phrases
from drafter.compose.planning import plan_letter
from drafter.document.model import Comment, Meta
from drafter.errors import Problem, TemplateError
from drafter.paths import templates_dir
from drafter.pipeline import Assessment
from drafter.rules.expr import save_compiled
from drafter.rules.findings import Finding
from drafter.rules.provenance import comment_text
from drafter.sandbox import (
    BoundedEnvironment,
    BudgetExceeded,
    FolderLoader,
    StoredBytecode,
    TemplateEncodingError,
    budget,
)
from drafter.vocab import wording
from drafter.vocab.topics import load_vocabulary


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

    def __call__(self, finding: Finding | list[Finding], text: str | None = None) -> str:
        findings = finding if isinstance(finding, list | tuple) else [finding]
        body = escape_markdown(text if text is not None else findings[0].sentence)
        return f"[{body}]{{.finding rule={findings[0].rule_id} comment={self.add(comment_text(findings))}}}"

    def add(self, text: str) -> str:
        """Return the id of a new comment holding `text`."""
        cid = f"c{len(self.comments) + 1}"
        self.comments[cid] = Comment(cid, text, date=self.when)
        return cid

    def note(self, text: str, comment: str, attrs: str = "") -> str:
        """Return a span for text that carries a comment but says no finding (a headline summary).

        `attrs` adds Markdown attributes (a progress sentence carries its statement and topics, so a
        reader or a test can tie it to the briefing's status: both come from one judgement)."""
        if not comment and not attrs:
            return escape_markdown(text)
        cid = f" comment={self.add(comment)}" if comment else ""
        return f"[{escape_markdown(text)}]{{.summary{(' ' + attrs) if attrs else ''}{cid}}}"


def template_for_kind(kind: str, visited: bool = True) -> str:
    """Return the template name a document kind takes (`templates/phrases.yaml` letter_templates); a
    visit kind without visit dates (`visited` False) takes the letter that summarises the evidence."""
    return load_phrases().letter_templates.template_for(kind, visited)


def resolve_template(name: str | Path | None, kind: str, visited: bool = True) -> Path:
    """Return the template file for a name (templates/NAME.md.j2), a path, or the pack's document kind."""
    if name is None:
        name = template_for_kind(kind, visited)
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
    from drafter.rules.expr import CODE_VERSION

    env = BoundedEnvironment(loader=FolderLoader(folder), undefined=StrictUndefined,
                             autoescape=False, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, bytecode_cache=StoredBytecode(f"{CODE_VERSION}/letter"))
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
            text = env.get_template(path.name).render(**context)
        save_compiled()  # a template compiled here is kept for the next process
        return text
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


def compose_letter(assessment: Assessment, template: str | Path | None = None, figures: str = "words") -> Composed:
    """Return the composed letter for an assessment, using the template for its document kind.

    `figures` is the register: "words" (judgement in words, figures in the comments) or "inline".
    """
    pack = assessment.evidence.pack
    path = resolve_template(template, pack.document.kind, bool(pack.document.visit_dates))
    phrases = load_phrases()
    vocab = load_vocabulary()
    created = dt.datetime.combine(pack.as_of, dt.time(12, 0), tzinfo=dt.UTC)
    spans = _Spans(created)
    plan = plan_letter(assessment, figures)
    context = letter_context(assessment, phrases, vocab, spans, figures, plan, path.name.removesuffix(".md.j2"))
    if pack.document.kind == "inspection" or path.name == "inspection_summary.md.j2":
        from drafter.compose.inspection import inspection_context  # the report's shape: table, improve, sections

        context.update(inspection_context(assessment, phrases, vocab, spans, write=planned_writer(plan), plan=plan))
    markdown = render_template(path, context)
    meta = Meta(title=context["title_plain"], author="drafter", subject=f"{pack.authority} children's services",
                keywords="drafter; Ofsted; children's social care", created=created, comments=dict(spans.comments))
    return Composed(markdown, dict(spans.comments), meta, path.name)


def letter_context(assessment: Assessment, phrases: Phrases, vocab, spans: _Spans, figures: str = "words",
                   plan=None, template: str = "") -> dict:
    """Return everything a letter template may use, with Markdown already escaped."""
    pack = assessment.evidence.pack
    doc = pack.document
    plan = plan or plan_letter(assessment, figures)
    covered = [t for t in doc.areas_covered if t in vocab.topics]
    sections = []
    for section, paragraphs in zip(plan.sections, joined_paragraphs(plan.sections, spans), strict=True):
        sections.append({
            "topic": section.topic,
            "heading": escape_markdown(vocab.topics[section.topic].heading),
            "covered": section.covered,
            "paragraphs": paragraphs,
        })
    overall = assessment.judgements.overall
    visit_day = min(doc.visit_dates) if doc.visit_dates else pack.as_of
    inspectors = list(doc.inspectors)
    recipient = doc.recipient
    authority = escape_markdown(pack.authority)
    title = phrases.letter_templates.title_for(template, doc.kind, pack.authority)
    notes = plan.notes + feature_notes(assessment, phrases)
    title_md = escape_markdown(title)
    if notes:
        title_md = spans.note(title, "\n".join([phrases.drafter_notes.heading, *notes]))
    return {
        "authority": authority,
        "title": title_md,
        "title_text": escape_markdown(title),
        "title_plain": title,  # for the document's properties: not Markdown
        "date": wording.date_words(letter_date(doc, pack.as_of)),
        "visit_dates": wording.date_range(doc.visit_dates) if doc.visit_dates else wording.date_words(pack.as_of),
        "has_visit_dates": bool(doc.visit_dates),  # without them, a template must not name a visit date
        "as_of": wording.date_words(pack.as_of),
        "visit_number": doc.visit_number,
        "visit_ordinal": wording.ordinal(doc.visit_number) if doc.visit_number else "",
        "judged_inadequate": wording.month_year(pack.last_judgement.published) if pack.last_judgement else "",
        "last_grade": (pack.last_judgement.grade.replace("_", " ") if pack.last_judgement else ""),
        "earlier_visits": [escape_markdown(v) for v in earlier_visits(doc)],
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
        "has_recipient": bool(recipient and recipient.name),
        "author": {"name": escape_markdown(doc.author.name) if doc.author else "",
                   "title": escape_markdown(doc.author.title or "") if doc.author else ""},
        "sources": _sources(assessment),
        "sources_words": escape_markdown(sources_words(assessment, phrases)),
        "sources_verb": "show" if _plural(sources_words(assessment, phrases)) else "shows",
        "last_grade_words": wording.grade_words(pack.last_judgement.grade) if pack.last_judgement else "",
        "last_judged": wording.month_year(pack.last_judgement.published) if pack.last_judgement else "",
        "areas_covered": [escape_markdown(phrases.areas_of_concern.get(t, vocab.topics[t].heading)) for t in covered],
        "headline": " ".join(spans.note(*item) for item in plan.headline),
        "sections": sections,
        "weaknesses": improvements(plan, phrases, vocab, covered, spans),
        "overall": overall.label.lower() if overall else "",
        "judgements": [
            {"title": escape_markdown(a.title), "label": a.label} for a in (*assessment.judgements.areas,
                                                                           *([overall] if overall else []))
        ],
        "notes_for_drafter": [escape_markdown(n) for n in notes],
    }


def _sources(assessment: Assessment) -> dict:
    """Return the evidence's sources for a template: kinds of evidence and DfE publications, escaped."""
    from drafter.compose.sources import evidence_sources

    found = evidence_sources(assessment)
    return {"official_figures": found.official_figures, "local_figures": found.local_figures,
            "samples": found.samples, "notes": found.notes,
            "publications": escape_markdown(wording.join_words(list(found.publications))),
            "licence": escape_markdown(found.licence)}


def sources_words(assessment: Assessment, phrases: Phrases) -> str:
    """Return what the evidence is, in words: "the local authority's performance information, its case
    sampling and the Department for Education's published statistics"."""
    from drafter.compose.sources import evidence_sources

    found = evidence_sources(assessment)
    words = phrases.evidence_words
    own = [words.own[k] for k in ("local_figures", "samples", "notes") if getattr(found, k)]
    parts = [("the local authority's " if i == 0 else "its ") + noun for i, noun in enumerate(own)]
    if found.official_figures:
        parts.append(words.official)
    return wording.join_words(parts) or words.nothing


def _plural(words: str) -> bool:
    """Return whether the sources named take a plural verb: several, or one plural noun ('statistics')."""
    return " and " in words or "," in words or words.rstrip().endswith("s")


def planned_paragraphs(section, spans: _Spans) -> list[str]:
    """Return a planned section's paragraphs as Markdown: each message one span with its merged comment."""
    return [" ".join(spans(m.findings, m.text) for m in paragraph) for paragraph in section.paragraphs]


def joined_paragraphs(sections, spans: _Spans) -> list[list[str]]:
    """Return each section's paragraphs as Markdown; a section that joins the one before it (a short
    section on a related topic) has its first paragraph said at the end of that section's last one."""
    out: list[list[str]] = []
    for section in sections:
        paragraphs = planned_paragraphs(section, spans)
        if section.joins_previous and paragraphs and out and out[-1]:
            out[-1][-1] = f"{out[-1][-1]} {paragraphs.pop(0)}"
        out.append(paragraphs)
    return out


def planned_writer(plan):
    """Return a section writer for the inspection summary that says the plan's messages for the topics of
    the findings it is given (in their order), so a summary says each fact once, in words, as a letter does."""
    by_topic = {section.topic: section for section in plan.sections}

    def write(findings, phrases, spans) -> list[str]:
        topics = [t for t in dict.fromkeys(f.topic for f in findings) if t in by_topic]
        sections = [by_topic[t] for t in topics]
        # a section joins the one before it only when that one is said just before it here too
        shown = [s if not s.joins_previous or i and sections[i - 1] is _before(plan, s) else _unjoined(s)
                 for i, s in enumerate(sections)]
        return [p for paragraphs in joined_paragraphs(shown, spans) for p in paragraphs]

    return write


def _before(plan, section):
    index = plan.sections.index(section)
    return plan.sections[index - 1] if index else None


def _unjoined(section):
    from dataclasses import replace

    return replace(section, joins_previous=False)


def improvements(plan, phrases: Phrases, vocab, covered: list[str], spans: _Spans) -> list[str]:
    """Return the focused-visit bullets of what needs to improve: one per area with concerns, in words.

    Each is the area's action from `rules/judgements.yaml` (`actions.improve`), so the list does not
    repeat the bullets of the areas the visit looked at; an area with no action takes its area of concern."""
    from drafter.rules.judgements import load_judgement_rules

    actions = load_judgement_rules()[0].actions
    out = []
    for section in plan.sections:
        if covered and section.topic not in covered:
            continue
        concerns = [f for m in section.messages if not m.positive for f in m.findings]
        if concerns:
            action = actions.get(section.topic)
            text = action.improve if action else phrases.areas_of_concern.get(section.topic,
                                                                              vocab.topics[section.topic].heading)
            out.append(spans(concerns, text))
    return out


def feature_notes(assessment: Assessment, phrases: Phrases) -> list[str]:
    """Return a note for the drafter naming case-sample features the catalogue does not describe."""
    from drafter.rules.features import unknown_features

    unknown = unknown_features([s.feature for s in assessment.evidence.samples])
    return [phrases.drafter_notes.unknown_features.format(features=", ".join(unknown))] if unknown else []
