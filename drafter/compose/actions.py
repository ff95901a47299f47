"""What needs to improve: one action per topic with weaknesses, ranked, shared by the summary and the briefing."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.rules.findings import Finding
from drafter.rules.judgements import JudgementRules
from drafter.vocab.topics import Vocabulary


@dataclass(frozen=True)
class Action:
    """An action for one topic: its wording for a report and for a board, and the weaknesses behind it."""

    topic: str
    improve: str
    board: str
    findings: tuple[Finding, ...]  # the topic's weaknesses, serious first

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
        intro = f"This action rests on {counts} found on {self.topic.replace('_', ' ')}."
        return intro + "\n" + comment_text(list(self.findings))


def rank_actions(findings: list[Finding], rules: JudgementRules, vocab: Vocabulary, *,
                 spread: bool = False) -> list[Action]:
    """Return one action per topic with a weakness, most serious first: topics with serious weaknesses
    (most first), then by how many weaknesses, then by the importance of the topic's home area
    (rules/judgements.yaml `importance`), then in topic order.

    With `spread`, topics with serious weaknesses still come first, but each group is taken area by
    area in importance order (the most serious topic of each area, then the next of each), so that a
    short list reaches every area that needs action.
    """
    order = list(vocab.topics)
    rank = {area: i for i, area in enumerate(rules.importance)}
    by_topic: dict[str, list[Finding]] = {}
    for f in findings:
        if f.verdict in ("weakness", "serious_weakness") and f.topic in rules.actions:
            by_topic.setdefault(f.topic, []).append(f)
    actions = []
    for topic, found in by_topic.items():
        found.sort(key=lambda f: f.verdict != "serious_weakness")
        wording = rules.actions[topic]
        actions.append(Action(topic, wording.improve, wording.board, tuple(found)))

    def importance(action: Action) -> int:
        return rank.get(home_area(action.topic, vocab), len(rank))

    def key(action: Action) -> tuple:
        return (action.serious == 0, -action.serious, -len(action.findings), importance(action),
                order.index(action.topic))

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


def home_area(topic: str, vocab: Vocabulary) -> str:
    """Return the area a topic belongs to in a report's sections: the first area rules/topics.yaml lists for it.

    Shared topics inform several areas' grades (caseloads: leaders, help and protection, children in
    care) but are written up once, under their first area.
    """
    areas = vocab.topics[topic].areas
    return areas[0] if areas else ""
