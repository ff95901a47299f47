"""What needs to improve: a few ranked actions, related topics merged, shared by the summary and the briefing."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.rules.findings import Finding
from drafter.rules.judgements import JudgementRules, Judgements
from drafter.vocab.topics import Vocabulary
from drafter.vocab.wording import join_words


@dataclass(frozen=True)
class Action:
    """An action for one topic, or for related topics merged (rules/judgements.yaml `action_groups`):
    its wording for a report and for a board, and the weaknesses behind it, serious first."""

    topics: tuple[str, ...]
    heading: str  # how a briefing labels it: the topic's heading, or the group's
    about: str  # the topics in words, for the comment
    improve: str
    board: str
    findings: tuple[Finding, ...]
    standing: int = 0  # the status severity of the judgement it falls under: 0 is the most serious

    @property
    def topic(self) -> str:
        """Return the first topic the action covers."""
        return self.topics[0]

    @property
    def serious(self) -> int:
        return sum(f.verdict == "serious_weakness" for f in self.findings)

    def provenance(self) -> str:
        """Return the Word comment for an action, for a reader: how many weaknesses it rests on, then
        what each of them measured and why it matters (the same wording as a finding's comment)."""
        from drafter.rules.provenance import comment_text

        other = len(self.findings) - self.serious
        counts = " and ".join(part for part in (
            f"{self.serious} serious weakness{'es' if self.serious != 1 else ''}" if self.serious else "",
            f"{other} weakness{'es' if other != 1 else ''}" if other else "") if part)
        intro = f"This action rests on {counts} found on {self.about}."
        return intro + "\n" + comment_text(list(self.findings))


def rank_actions(findings: list[Finding], rules: JudgementRules, vocab: Vocabulary,
                 judgements: Judgements | None = None, *, spread: bool = False) -> list[Action]:
    """Return the actions, most serious first: one per topic with a weakness, except that related topics
    (`action_groups`) with weaknesses in two or more of them make one action.

    Order: actions resting on serious weaknesses first; then by the standing of the judgement each falls
    under (the grade of the inspection judgement that rolls up its area, else its topics' progress
    statement, ordered by `status.severity`); then by how many serious weaknesses, then weaknesses; then
    by the importance of its area (`importance`); then in topic order. With `spread`, the serious ones
    still come first, but each group is taken area by area in importance order (the first action of each
    area, then the second of each), so that a short list reaches every area that needs action.
    """
    order = list(vocab.topics)
    rank = {area: i for i, area in enumerate(rules.importance)}
    by_topic: dict[str, list[Finding]] = {}
    for f in findings:
        if f.verdict in ("weakness", "serious_weakness") and f.topic in rules.actions:
            by_topic.setdefault(f.topic, []).append(f)
    units: list[tuple[tuple[str, ...], str, str, str]] = []  # (topics, heading, improve, board)
    merged: set[str] = set()
    for group in rules.action_groups:
        weak = [t for t in group.topics if t in by_topic]
        if len(weak) >= 2:
            units.append((tuple(weak), group.heading, group.improve, group.board))
            merged.update(weak)
    for topic in by_topic:
        if topic not in merged:
            units.append(((topic,), vocab.topics[topic].heading, rules.actions[topic].improve,
                          rules.actions[topic].board))
    actions = []
    for topics, heading, improve, board in units:
        found = sorted((f for t in topics for f in by_topic[t]), key=lambda f: f.verdict != "serious_weakness")
        about = join_words([vocab.topics[t].label for t in topics])
        actions.append(Action(topics, heading, about, improve, board, tuple(found),
                              min(standing(t, rules, vocab, judgements) for t in topics)))

    def importance(action: Action) -> int:
        return min(rank.get(home_area(t, vocab), len(rank)) for t in action.topics)

    def key(action: Action) -> tuple:
        return (action.serious == 0, action.standing, -action.serious, -len(action.findings), importance(action),
                min(order.index(t) for t in action.topics))

    ranked = sorted(actions, key=key)
    if not spread:
        return ranked
    spread_out: list[Action] = []
    for serious in (True, False):
        group = [a for a in ranked if (a.serious > 0) == serious]
        turns: dict[int, int] = {}
        place = []
        for action in group:  # the n-th action of an area goes in the n-th round
            n = turns.get(importance(action), 0)
            turns[importance(action)] = n + 1
            place.append((n, importance(action), action))
        spread_out += [a for _, _, a in sorted(place, key=lambda item: (item[0], item[1]))]
    return spread_out


def standing(topic: str, rules: JudgementRules, vocab: Vocabulary, judgements: Judgements | None) -> int:
    """Return how serious the standing of a topic's judgement is (0: the most serious status).

    For an inspection, the judgement that rolls up the topic's home area; otherwise (a visit or a board's
    pack) the topic's own progress statement. Both are mapped to a status by rules/judgements.yaml, so an
    action ranks by the same status the briefing shows.
    """
    severity = rules.status.severity
    if judgements is None:
        return len(severity)
    area = home_area(topic, vocab)
    graded = next((j for j in judgements.areas if area in j.areas), None)
    judged = graded or judgements.topic(topic)
    status = judged.status if judged is not None else None
    return severity.index(status) if status in severity else len(severity)


def home_area(topic: str, vocab: Vocabulary) -> str:
    """Return the area a topic belongs to in a report's sections: the first area rules/topics.yaml lists for it.

    Shared topics inform several areas' grades (caseloads: leaders, help and protection, children in
    care) but are written up once, under their first area.
    """
    areas = vocab.topics[topic].areas
    return areas[0] if areas else ""
