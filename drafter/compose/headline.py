"""The headline: the pace of progress and each area summarised in its own words, never a findings sentence.

Each area's summary comes from `templates/phrases.yaml` (`area_summaries`), chosen by how the area
stands (its progress statement, `rules/judgements.yaml`). An area whose progress could not be
evaluated is left out and named in a note for the drafter instead.
"""

from __future__ import annotations

from drafter.pipeline import Assessment
from drafter.rules.judgements import Progress
from drafter.vocab import wording

MAX_UNCOVERED_AREAS = 3  # without areas covered, the headline summarises the topics with most findings


def _summarised_topics(assessment: Assessment, vocab) -> tuple[list[str], dict[str, Progress]]:
    """Return the topics the headline summarises and their progress statements (from the judgements)."""
    doc = assessment.evidence.pack.document
    covered = [t for t in doc.areas_covered if t in vocab.topics]
    findings = list(assessment.findings)
    by_topic = {p.topic: p for p in assessment.judgements.topics}
    if covered:
        progress = {p.topic: p for p in assessment.judgements.progress}
        topics = covered
    else:
        counts: dict[str, int] = {}
        for f in findings:
            if f.topic in vocab.topics and f.topic != "leadership":
                counts[f.topic] = counts.get(f.topic, 0) + 1
        ranked = sorted(counts, key=lambda t: (-counts[t], vocab.topic_ids().index(t)))
        topics = [t for t in ranked if t in by_topic][:MAX_UNCOVERED_AREAS]
        progress = {t: by_topic[t] for t in topics}
    if "leadership" in by_topic and "leadership" not in progress and any(f.topic == "leadership" for f in findings):
        progress["leadership"] = by_topic["leadership"]
    return topics, progress


def _comment(progress: Progress, vocab, findings: dict) -> str:
    """Return the Word comment for a headline sentence, for a reader: the area's progress statement,
    the findings it rests on in words, and the rules behind them last."""
    from drafter.rules.provenance import rules_line

    label = vocab.topics[progress.topic].label
    text = f"{label[:1].upper()}{label[1:]}: {progress.label}, from {progress.counts.describe()}."
    behind = [findings[key] for key in progress.rules if key in findings]
    return text + ("\n" + rules_line(behind) if behind else "")


def stance(kind: str, findings) -> str:
    """Return how an area is summed up, never more severe than its findings: an area whose only
    concerns are mixed (a finding that itself weighs both sides) is mixed, not weak."""
    concerns = [f for f in findings if f.verdict in ("weakness", "serious_weakness")]
    if kind == "weak" and concerns and all("mixed" in f.tags for f in concerns):
        return "mixed"
    return kind


def evidence_basis(topic: str, findings, phrases) -> str:
    """Return what informs an area's summary: 'practice' (an analyst's note or a case sample), else the
    first `summary_evidence` group whose topics own a figure the findings read, else 'figures'."""
    from drafter.compose.planning import is_note, owner, rule_aspects

    if any(is_note(f) or any(u.kind == "sample" for u in f.used) for f in findings):
        return "practice"
    owners = {owner(a) for f in findings for a in rule_aspects(f)}
    for group in phrases.summary_evidence.get(topic, []):
        if owners & set(group.topics):
            return group.name
    return "figures"


def plan_headline(assessment: Assessment, phrases, vocab, realiser) -> tuple[list[tuple[str, ...]], list[str]]:
    """Return the headline sentences (each with its comment text) and notes for the drafter."""
    pack = assessment.evidence.pack
    # Progress since the last inspection is a visit's to state: an inspection grades instead, and a
    # letter that reports no visit (a board briefing pack, or no visit dates) sums up each area only.
    visit = pack.document.kind in phrases.letter_templates.visit_kinds and bool(pack.document.visit_dates)
    topics, progress = _summarised_topics(assessment, vocab)
    by_key = {f.key: f for f in assessment.findings}
    notes: list[str] = []
    planned: list[tuple[str, ...]] = []  # (sentence, comment[, span attributes])

    def summary(topic: str) -> tuple[str, str] | None:
        p = progress[topic]
        kind = phrases.progress_classes.get(p.statement)
        texts = phrases.area_summaries.get(topic)
        if kind is None or texts is None:
            return None
        behind = [by_key[k] for k in p.rules if k in by_key]
        kind = stance(kind, behind)
        chosen = texts.by_evidence.get(evidence_basis(topic, behind, phrases), texts)
        return getattr(chosen, kind), _comment(p, vocab, by_key)

    said_by_leaders: set[str] = set()  # topics the leaders' summary already speaks for
    if "leadership" in progress and progress["leadership"].statement in phrases.progress_classes:
        item = summary("leadership")
        if item:
            planned.append(item)
            behind = [by_key[k] for k in progress["leadership"].rules if k in by_key]
            basis = evidence_basis("leadership", behind, phrases)
            for group in phrases.summary_evidence.get("leadership", []):
                if group.name == basis:
                    said_by_leaders = set(group.covers)
    groups: dict[str, list[str]] = {}
    for topic in topics:
        if topic == "leadership" or topic not in progress:
            continue
        statement = progress[topic].statement
        if statement not in phrases.progress_classes:
            notes.append(phrases.drafter_notes.not_evaluated.format(topic=vocab.topics[topic].label))
            continue
        groups.setdefault(statement, []).append(topic)
    for statement, group in groups.items():
        sentence = phrases.progress_sentences.get(statement)
        if sentence and visit:
            labels = wording.join_words([vocab.topics[t].label for t in group])
            # The statement and its topics travel with the sentence, so a reader (or a test) can tie it
            # to the briefing's status for the same topics: both come from one judgement.
            attrs = f'.progress statement={statement} topics="{" ".join(group)}"'
            comment = "\n".join(_comment(progress[t], vocab, by_key) for t in group)
            planned.append((sentence.format(topic=labels), comment, attrs))
        for topic in group:
            item = None if topic in said_by_leaders else summary(topic)
            if item:
                planned.append(item)
    if not planned:
        planned.append((phrases.headline.no_findings, ""))
    realiser.reset()
    headline = [(realiser.say([item[0]]), *item[1:]) for item in planned]
    realiser.reset()
    return headline, notes
