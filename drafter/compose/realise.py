"""Realise a plan's messages as sentences: the register, connectives by polarity, varied openings.

Letter-level rules (not per paragraph): "However" and its kin only join a contrast (a concern
after a strength or the reverse); each connective appears a limited number of times in the whole
letter (`rules/planning.yaml`, "In addition" once); no two sentences in a row open with the same
two words, which the realiser avoids first by choosing another words variant of the finding and
only then with a connective.
"""

from __future__ import annotations

import re
from collections import Counter

from drafter.compose.paragraphs import lower_first
from drafter.compose.planning import Message, PlanningRules, Section, sentences_of

_CONTRAST_START = re.compile(r"^(however|although|but|even so|nevertheless|despite|while|yet)\b", re.IGNORECASE)


def opening(sentence: str, words: int = 2) -> tuple[str, ...]:
    """Return how a sentence opens: its first words, lower-cased, without punctuation."""
    return tuple(re.findall(r"[a-z0-9']+", sentence.lower())[:words])


class Realiser:
    """Chooses each message's wording in the letter's register, remembering what the letter said last."""

    def __init__(self, register: str, phrases, rules: PlanningRules, assessment=None):
        self.register = register
        self.phrases = phrases
        self.rules = rules
        self.assessment = assessment
        self.previous: tuple[str, ...] = ()
        self.uses: Counter = Counter()

    def reset(self) -> None:
        """Forget the last opening (a heading stands between what came before and what follows)."""
        self.previous = ()

    def candidates(self, message: Message) -> list[str]:
        """Return the wordings a message may take, preferred first."""
        lead = message.lead
        texts = list(lead.words) if (self.register == "words" or message.refer) and lead.words else [lead.sentence]
        improved = self.improvement(message)
        return [self._with(t, improved) for t in texts] if improved else texts

    def _with(self, text: str, improved: str) -> str:
        """Return text followed by the improvement sentence, joined when both open the same way."""
        if opening(sentences_of(text)[-1]) == opening(improved):
            verb = improved.split(" has ", 1)[1] if " has " in improved else improved
            return f"{text.rstrip('.')}, and it has {verb}"
        return f"{text} {improved}"

    def improvement(self, message: Message) -> str:
        """Return a sentence acknowledging a measure that improved, for a strength that does not say so.

        A level (a strength, or an analyst's note) says nothing about the trend; when the measure it
        reads has just moved the better way once, the letter says so (`phrases.yaml` trend_sentence,
        the measure named as `rules/planning.yaml` trend_names says).
        """
        if self.assessment is None or not any(f.verdict in ("strength", "improving") for f in message.findings):
            return ""
        if any(f.verdict == "improving" for f in message.findings):
            return ""
        from drafter.evidence.pack import run_at_end
        from drafter.rules.catalogue import load_catalogue
        from drafter.vocab import wording
        from drafter.vocab.language import load_language

        catalogue = load_catalogue()
        for aspect in sorted(message.aspects):
            indicator, _, team = aspect.partition("|")
            spec = catalogue.get(indicator)
            series = self.assessment.evidence.get(indicator)
            if team or spec is None or series is None or spec.unit == "grades" or len(series.points) < 2:
                continue
            direction, run = run_at_end([p.value for p in series.points], load_language().trend.stable_within)
            name = self.rules.trend_names.get(indicator)
            if run != 1 or direction != {"lower": "down", "higher": "up"}.get(spec.better) or not name:
                continue  # a longer run is the improving rules' to say; a level alone needs no trend
            since = series.points[-2].period.words()
            return self.phrases.trend_sentence.format(measure=name[:1].upper() + name[1:],
                                                      verb=wording.trend_verb("improve", run), since=since)
        return ""

    def _connective(self, pool: list[str]) -> str:
        for word in pool:
            limit = self.rules.connective_uses.get(word, self.rules.connective_default_uses)
            if self.uses[word] < limit:
                self.uses[word] += 1
                return word
        return ""

    def say(self, candidates: list[str], contrast: bool = False, positive: bool = True) -> str:
        """Return the wording to use: a contrast connective when asked, else a varied opening."""
        text = ""
        if contrast:
            plain = [c for c in candidates if not _CONTRAST_START.match(c)]
            if plain:
                connective = self._connective(self.phrases.connectives.contrast)
                if connective:
                    text = f"{connective} {lower_first(plain[0])}"
            else:
                text = candidates[0]
        if not text:
            fresh = [c for c in candidates if opening(sentences_of(c)[0]) != self.previous]
            if fresh:
                text = fresh[0]
            else:
                pool = self.phrases.connectives.addition if positive else self.phrases.connectives.further_concern
                connective = self._connective(pool)
                text = f"{connective} {lower_first(candidates[0])}" if connective else candidates[0]
        self.previous = opening(sentences_of(text)[-1])
        return text

    def realise_section(self, section: Section, limit: int) -> None:
        """Realise a section's messages and break them into paragraphs of at most `limit` sentences."""
        paragraphs: list[list[Message]] = []
        current: list[Message] = []
        count = 0
        previous_positive: bool | None = None
        for message in section.messages:
            candidates = self.candidates(message)
            n = max(len(sentences_of(candidates[0])), 1)
            if current and count + n > limit:
                paragraphs.append(current)
                current, count, previous_positive = [], 0, None
            mixed = "mixed" in message.lead.tags  # a mixed note carries its own contrast
            contrast = previous_positive is not None and previous_positive != message.positive and not mixed
            message.text = self.say(candidates, contrast, message.positive)
            current.append(message)
            count += n
            previous_positive = None if mixed else message.positive
        if current:
            paragraphs.append(current)
        section.paragraphs = paragraphs
