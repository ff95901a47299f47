"""The briefing's key findings and summary: the letter planner's merged messages, each fact said once."""

from __future__ import annotations

from drafter.compose.actions import home_area, rank_actions
from drafter.compose.paragraphs import lower_first
from drafter.compose.planning import Message, Plan, sentences_of
from drafter.pipeline import Assessment
from drafter.rules.judgements import JudgementRules
from drafter.vocab import wording
from drafter.vocab.topics import Vocabulary


def key_findings(plan: Plan, assessment: Assessment, config, rules: JudgementRules,
                 vocab: Vocabulary) -> tuple[list[Message], list[Message]]:
    """Return the key strengths and key concerns: the plan's messages (one per measure or aspect, with
    its merged findings), ranked, spread before they repeat (two at most per action or topic), and never
    two on the same measure (concerns are chosen first; a strength on a measure a concern states is left
    out).

    Concerns follow "Areas needing action": the topics of the most serious action first (as
    `rank_actions` ranks them), one concern per action until each has had a turn; within an action, the
    message merging the most serious weaknesses, then the most findings, then one that states figures (a
    rule's) before an analyst's note. Strengths rank by how many strengths they merge, then by the
    importance of the topic's area, one per topic first. A message that refers to other topics' measures
    (a leadership finding re-reading workforce figures) is never one.
    """
    messages = [m for m in plan.messages() if not m.refer]
    order = {id(m): i for i, m in enumerate(messages)}
    importance = {area: i for i, area in enumerate(rules.importance)}
    unit: dict[str, int] = {}
    for i, action in enumerate(rank_actions(list(assessment.findings), rules, vocab, assessment.judgements)):
        unit.update(dict.fromkeys(action.topics, i))

    def concern_key(m: Message) -> tuple:
        serious = sum(f.verdict == "serious_weakness" for f in m.findings)
        return (unit.get(m.topic, len(unit)), -serious, -len(m.findings), m.is_note, order[id(m)])

    def strength_key(m: Message) -> tuple:
        area = importance.get(home_area(m.topic, vocab), len(importance))
        return (-sum(f.verdict == "strength" for f in m.findings), -len(m.findings), area, order[id(m)])

    taken: set[str] = set()
    negative = sorted((m for m in messages if not m.positive), key=concern_key)
    concerns = _pick(negative, config.key_concerns, taken, lambda m: unit.get(m.topic, m.topic))
    positive = sorted((m for m in messages if m.positive), key=strength_key)
    strengths = _pick(positive, config.key_strengths, taken, lambda m: m.topic)
    return strengths, concerns


def _pick(ranked: list[Message], limit: int, taken: set[str], group) -> list[Message]:
    """Return up to `limit` messages in rank order: one per `group` first, then a second per group; none
    on a measure already taken (`taken` gathers the measures chosen)."""
    chosen: list[Message] = []
    for per_group in (1, 2):
        for m in ranked:
            if len(chosen) >= limit:
                return chosen
            if any(c is m for c in chosen) or m.aspects & taken:
                continue
            if sum(group(c) == group(m) for c in chosen) >= per_group:
                continue
            chosen.append(m)
            taken |= m.aspects
    return chosen


def bullet(message: Message, realiser, sentences: int = 2) -> str:
    """Return how a key finding says its message: the plan's wording in the figures register, without a
    connective (a list item stands alone); an analyst's note by its first `sentences` sentences (the whole
    note is in the comment)."""
    text = realiser.candidates(message)[0]
    return " ".join(sentences_of(text)[:sentences]) if message.is_note else text


def in_words(message: Message, realiser) -> str:
    """Return a message's main point in one sentence without figures: the lead finding's first words
    variant, or the first sentence of its own wording (an analyst's note)."""
    lead = message.lead
    if lead.words:
        return lead.words[0]
    return sentences_of(lead.sentence)[0]


def improvement(messages: list[Message], realiser) -> tuple[Message, str, bool] | None:
    """Return what is improving, in words: the first message (in the order given) with an improving
    finding, else one whose measure just moved the better way, else None. The flag says whether it is an
    improvement (True) or only a strength."""
    for m in messages:
        for f in m.findings:
            if f.verdict == "improving":
                return m, (f.words[0] if f.words else sentences_of(f.sentence)[0]), True
    for m in messages:
        moved = realiser.improvement(m)
        if moved:
            return m, moved, True
    return None


def summary_sentences(assessment: Assessment, plan: Plan, config, vocab: Vocabulary, rows: list[dict],
                      strengths: list[Message], concerns: list[Message], realiser, spans) -> list[str]:
    """Return the summary paragraph's sentences as Markdown: how each area stands (the same judgements as
    the status table), the most pressing concern, and what is improving; each with a comment saying why."""
    text = config.summary
    judgements = assessment.judgements
    by_key = {f.key: f for f in assessment.findings}
    out: list[str] = []
    if judgements.areas:  # an inspection: the judgements it would make
        by_grade: dict[str, list] = {}
        for area in judgements.areas:
            by_grade.setdefault(area.label if area.grade else "", []).append(area)
        count = wording.number_words(len(judgements.areas))
        for label, areas in by_grade.items():
            names = _names([_judgement_name(a, vocab) for a in areas])
            if len(by_grade) == 1:
                sentence = (text.all_graded.format(grade=label.lower(), count=count) if label
                            else text.none_graded.format(count=count))
            else:
                sentence = (text.graded.format(grade=label.lower(), judgements=names) if label
                            else text.not_graded.format(judgements=names))
            lines = [f"{a.title}: {a.label} ({a.why})." for a in areas]
            out.append(spans.note(sentence, _with_rules(lines, [k for a in areas for k in a.rules], by_key)))
        overall = judgements.overall
        every = [k for a in judgements.areas for k in a.rules]
        if overall is None:
            if judgements.framework and judgements.framework.version.overall is None:
                out.append(spans.note(text.no_overall, ""))
        elif overall.grade is None:
            out.append(spans.note(text.overall_not_graded, _with_rules([f"{overall.why}."], every, by_key)))
        else:
            out.append(spans.note(text.overall.format(grade=overall.label.lower()),
                                  _with_rules([f"{overall.why[:1].upper()}{overall.why[1:]}."], every, by_key)))
    else:  # a visit or the board's own pack: each row's status, worst first
        by_status: dict[str, list[str]] = {}
        for row in rows:
            by_status.setdefault(row["status"], []).append(row["topic"])
        for status, sentence in text.status.items():
            topics = by_status.get(status, [])
            if topics:
                lines = [_progress_line(judgements, t, vocab) for t in topics]
                keys = [k for t in topics for k in (judgements.topic(t).rules if judgements.topic(t) else ())]
                comment = _with_rules(lines, keys, by_key)
                names = wording.join_words([vocab.topics[t].label for t in topics])
                out.append(spans.note(sentence.format(topics=names), comment))
    if concerns:
        top = concerns[0]
        out.append(spans(top.findings, text.top_concern.format(concern=lower_first(in_words(top, realiser)))))
    positive = [m for m in plan.messages() if m.positive and not m.refer]
    better = improvement(strengths + [m for m in positive if m not in strengths], realiser)
    if better is not None:
        m, sentence, _ = better
        out.append(spans(m.findings, text.improving.format(improvement=lower_first(sentence))))
    elif strengths:
        out.append(spans(strengths[0].findings,
                         text.strength.format(strength=lower_first(in_words(strengths[0], realiser)))))
    return out


def _with_rules(lines: list[str], keys: list[str], by_key: dict) -> str:
    """Return a summary sentence's comment: why, line by line, then the rules behind it (for the curious)."""
    from drafter.rules.provenance import rules_line

    behind = [by_key[k] for k in dict.fromkeys(keys) if k in by_key]
    return "\n".join([*lines, rules_line(behind)] if behind else lines)


def _names(items: list[str]) -> str:
    """Return names joined in words; with semicolons when a name holds its own 'and'."""
    if len(items) > 1 and any(" and " in i for i in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return wording.join_words(items)


def _judgement_name(area, vocab: Vocabulary) -> str:
    """Return a judgement as the summary names it: its areas' short names ('children in care and care leavers')."""
    return wording.join_words([vocab.areas[a].short for a in area.areas])


def _progress_line(judgements, topic: str, vocab: Vocabulary) -> str:
    p = judgements.topic(topic) or next((x for x in judgements.progress if x.topic == topic), None)
    label = vocab.topics[topic].label
    if p is None:
        return f"{label[:1].upper()}{label[1:]}: no evidence."
    return f"{label[:1].upper()}{label[1:]}: {p.label}, from {p.counts.describe()}."
