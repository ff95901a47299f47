"""Realise a plan's messages as sentences: the register, trends said once, connectives by polarity, variety.

Letter-level rules (not per paragraph): a measure's trend is said once in the whole letter (an
improving finding says it, or the one message on the measure acknowledges it); "However" and its
kin only join a contrast, and never a sentence that carries its own ("A, but B": its first clause
is what follows on from before); each connective appears a limited number of times in the letter
(`rules/planning.yaml`, "In addition" once); no two sentences in a row open with the same two
words; and among the wordings a message may take (its words variants, each with paraphrased frames)
the realiser takes the one that repeats fewest six-word runs the letter has already said.
"""

from __future__ import annotations

import re
from collections import Counter

from drafter.compose.paragraphs import lower_first
from drafter.compose.planning import Message, PlanningRules, Section, sentences_of
from drafter.compose.variety import Paraphrases, Runs

_CONTRAST_START = re.compile(r"^(however|although|but|even so|nevertheless|despite|while|whilst|yet|though)\b",
                             re.IGNORECASE)


def opening(sentence: str, words: int = 2) -> tuple[str, ...]:
    """Return how a sentence opens: its first words, lower-cased, without punctuation."""
    return tuple(re.findall(r"[a-z0-9']+", sentence.lower())[:words])


class Realiser:
    """Chooses each message's wording in the letter's register, remembering what the letter has said."""

    def __init__(self, register: str, phrases, rules: PlanningRules, assessment=None,
                 trend_said: set[str] | None = None, said_elsewhere: set[str] | None = None):
        self.register = register
        self.phrases = phrases
        self.rules = rules
        self.assessment = assessment
        self.previous: tuple[str, ...] = ()
        self.uses: Counter = Counter()
        self.runs = Runs()
        self.paraphrases = Paraphrases(rules.paraphrases)
        self.acknowledged: set[str] = set(trend_said or ())  # indicators whose trend the letter states
        self.said_elsewhere: set[str] = set(said_elsewhere or ())  # measures the topic paragraphs state
        self._movement = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in rules.movement_words) + r")\b",
                                    re.IGNORECASE)
        self._inner = re.compile(r"(?:,|;|:)\s*(?:" + "|".join(re.escape(w) for w in rules.inner_contrast) + r")\b"
                                 r"|\b(?:although|though|whereas)\b", re.IGNORECASE)

    def reset(self) -> None:
        """Forget the last opening and start a new paragraph (a heading or a break stands between)."""
        self.previous = ()
        self.runs.paragraph()

    # -- wordings ---------------------------------------------------------------------------------

    def base_texts(self, message: Message) -> list[str]:
        """Return the lead finding's wordings in the register; a leadership message about measures the
        letter states where they belong prefers wordings that do not restate them."""
        lead = message.lead
        words = (self.register == "words" or message.refer) and lead.words
        texts = list(lead.words) if words else [lead.sentence]
        if message.refer:
            measures = {a.partition("|")[0] for a in message.aspects} & self.said_elsewhere
            plain = [t for t in texts if not self._names_measure(t, measures)]
            texts = plain or texts
        return texts

    def _names_measure(self, text: str, indicators: set[str]) -> bool:
        from drafter.rules.catalogue import load_catalogue

        catalogue = load_catalogue()
        low = text.lower()
        for indicator in indicators:
            spec = catalogue.get(indicator)
            if spec and any(re.search(rf"(?<![\w-]){re.escape(t.lower())}(?![\w-])", low) for t in spec.terms):
                return True
        return False

    def candidates(self, message: Message, partner: str | None = None) -> list[str]:
        """Return the wordings a message may take, preferred first: its own, its trend, its contrast,
        and each of those with paraphrased frames (an analyst's note is said in its own words).

        `partner` is the contrasting sentence already joined (None: the partner's plain text)."""
        out: list[str] = []
        trend = self.trend(message)
        if partner is None:
            partner = self.partner(message)[0]
        for text in self.base_texts(message):
            for extended in self._with_trend(text, trend, message):
                full = f"{extended} {partner}" if partner else extended
                out += [full] if message.is_note else self.paraphrases.variants(full)
        return list(dict.fromkeys(out))

    def partner(self, message: Message) -> tuple[str, bool]:
        """Return the sentence for a finding of the other polarity on the same measure (a level, not a
        trend, which `trend` says as a clause), and whether it wants a contrast connective before it."""
        lead = message.lead
        others = [f for f in message.findings[1:]
                  if (f.verdict in ("strength", "improving")) != message.positive and not _is_trend(f)]
        if not others or message.is_note:  # an analyst's note speaks for every measure it names
            return "", False
        if _is_trend(lead):  # a trend that concedes the level ("..., although it remains high") says both
            return "", False
        other = others[0]
        text = other.words[0] if (self.register == "words" and other.words) else other.sentence
        own = self._inner.search(lead.words[0] if lead.words else lead.sentence)
        return text, not (_CONTRAST_START.match(text) or own)

    def joined_partner(self, message: Message) -> str:
        """Return the partner sentence with its contrast connective (spending one from the letter's budget)."""
        text, wants = self.partner(message)
        if not text or not wants:
            return text
        connective = self._connective(self.phrases.connectives.contrast)
        return f"{connective} {lower_first(text)}" if connective else text

    def trend(self, message: Message) -> tuple[str, str, list[str], str, str] | None:
        """Return (indicator, kind, names, verb, since) for a trend the message should say and does not yet.

        An improvement is said once in the letter: after a level (a strength or a concern, or an
        analyst's note) whose measure has just moved the better way once, or when an improving finding
        was merged into a message whose lead does not say it. A worsening is said after a strength when
        a finding on the measure's deterioration was merged into it. Longer runs are the improving
        rules' own to say; a measure is named as `rules/planning.yaml` trend_names says.
        """
        if self.assessment is None or message.refer:
            return None

        from drafter.evidence.pack import run_at_end
        from drafter.rules.catalogue import load_catalogue
        from drafter.vocab import wording
        from drafter.vocab.language import load_language

        catalogue = load_catalogue()
        lead_improving = message.lead.verdict == "improving"
        for aspect in sorted(message.aspects):
            indicator, _, team = aspect.partition("|")
            spec = catalogue.get(indicator)
            series = self.assessment.evidence.get(indicator)
            name = self.rules.names_for(indicator)
            if team or spec is None or series is None or spec.unit == "grades" or len(series.points) < 2 or not name:
                continue
            if indicator in self.acknowledged or spec.better not in ("lower", "higher"):
                continue
            if message.is_note and self._note_moves(message.lead.sentence, indicator, spec):
                continue  # the analyst's note says how the measure moved, in its own words
            direction, run = run_at_end([p.value for p in series.points], load_language().trend.stable_within)
            better = "down" if spec.better == "lower" else "up"
            merged = [f for f in message.findings[1:] if _reads(f, indicator)]
            since = series.points[-1 - run].period.words() if run else ""
            if direction == better and not lead_improving:
                if run == 1 or any(f.verdict == "improving" for f in merged):
                    return (indicator, "improved", name, wording.trend_verb("improve", run), since)
            elif direction not in ("", "stable", better) and message.positive:
                if any("deterioration" in f.tags for f in merged):
                    return (indicator, "worsened", name, wording.trend_verb(direction, run), since)
        return None

    def improvement(self, message: Message) -> str:
        """Return a sentence of its own saying that the message's measure has just improved, or "" (for a
        summary elsewhere, such as the briefing's "what is improving"); the letter says it through `trend`."""
        trend = self.trend(message)
        if trend is None or trend[1] != "improved":
            return ""
        _, _, names, verb, since = trend
        return self.phrases.trend_wording.sentence[0].format(**_values(names[0], verb, since))

    def _note_moves(self, text: str, indicator: str, spec) -> bool:
        """Return whether a note says how a measure moved: a sentence naming it holds a movement word."""
        terms = [*self.rules.note_terms.get(indicator, []), *spec.terms]
        for sentence in sentences_of(text):
            low = sentence.lower()
            if self._movement.search(sentence) and any(re.search(rf"\b{re.escape(t.lower())}", low) for t in terms):
                return True
        return False

    def _with_trend(self, text: str, trend, message: Message) -> list[str]:
        """Return the text with its trend said: a clause or a sentence of its own (`phrases.yaml` trend_wording).

        A message about one measure may refer to it as "this"; otherwise the measure is named, each
        way `trend_names` gives. A sentence of its own never opens as the sentence before it does."""
        if trend is None:
            return [text]
        _, kind, names, verb, since = trend
        forms = self.phrases.trend_wording
        last = sentences_of(text)[-1] if sentences_of(text) else text
        conceded = bool(self._inner.search(last))
        stem = text.rstrip().rstrip(".")
        # "this" stands for the measure only in a short sentence about it alone, and never for a worsening
        single = (len({a for a in message.aspects if not a.startswith("sample:")}) == 1 and not message.is_note
                  and kind == "improved" and len(last.split()) < forms.join_under_words and last.count(",") <= 1)
        low = text.lower()
        names = sorted(names, key=lambda n: _overlap(n, low))  # the name the sentence has not used yet first
        clause_names = ([forms.pronoun] if single else []) + names
        out: list[str] = []
        if message.is_note:  # the note's own sentences stay whole: the trend is a sentence after them
            pool = forms.sentence if kind == "improved" and message.positive else forms.contrast_sentence
            out = [f"{text} {s.format(**_values(n, verb, since))}" for n in names for s in pool
                   if opening(s.format(**_values(n, verb, since))) != opening(last)]
        elif kind == "improved" and message.positive:
            sentences = [f"{text} {s.format(**_values(n, verb, since))}" for n in names for s in forms.sentence
                         if opening(s.format(**_values(n, verb, since))) != opening(last)]
            joined = [f"{stem}{forms.join.format(**_values(n, verb, since))}." for n in clause_names]
            short = len(last.split()) < forms.join_under_words and not conceded
            out = [*joined, *sentences] if short or not sentences else [*sentences, *joined]
        elif conceded:
            out = [f"{text} {s.format(**_values(n, verb, since))}"
                   for n in clause_names for s in forms.contrast_sentence]
        else:
            out = [f"{stem}{forms.concession.format(**_values(n, verb, since))}." for n in clause_names]
        return out or [text]

    # -- choosing ---------------------------------------------------------------------------------

    def _available(self, pool: list[str]) -> list[str]:
        """Return the connectives of a pool the letter may still use, in order."""
        return [w for w in pool if self.uses[w] < self.rules.connective_uses.get(w, self.rules.connective_default_uses)]

    def _connective(self, pool: list[str]) -> str:
        for word in pool:
            limit = self.rules.connective_uses.get(word, self.rules.connective_default_uses)
            if self.uses[word] < limit:
                self.uses[word] += 1
                return word
        return ""

    def _best(self, texts: list[str]) -> str:
        return min(texts, key=lambda t: (self.runs.cost(t), texts.index(t)))

    def say(self, candidates: list[str], contrast: bool = False, positive: bool = True) -> str:
        """Return the wording to use: the least repetitive candidate, with a contrast connective when
        the message turns against the one before (and does not carry its own contrast), else one that
        opens differently from the sentence before, else one joined by a connective."""
        text = ""
        if contrast:
            plain = [c for c in candidates if not _CONTRAST_START.match(c)]
            own = [c for c in plain if not self._inner.search(sentences_of(c)[0] if sentences_of(c) else c)]
            if own:
                pool = self._available(self.phrases.connectives.contrast)
                if pool:
                    options = [(self.runs.cost(f"{w} {lower_first(c)}"), i, own.index(c), w, c)
                               for i, w in enumerate(pool) for c in own]
                    _, _, _, connective, best = min(options)
                    self.uses[connective] += 1
                    text = f"{connective} {lower_first(best)}"
            elif not plain:
                text = self._best(candidates)
        if not text:
            fresh = [c for c in candidates if opening(sentences_of(c)[0] if sentences_of(c) else c) != self.previous]
            if fresh:
                text = self._best(fresh)
            else:
                pool = self.phrases.connectives.addition if positive else self.phrases.connectives.further_concern
                connective = self._connective(pool)
                best = self._best(candidates)
                text = f"{connective} {lower_first(best)}" if connective else best
        self.runs.add(text)
        self.previous = opening(sentences_of(text)[-1] if sentences_of(text) else text)
        return text

    def realise_message(self, message: Message, contrast: bool) -> str:
        """Return a message's text, said in turn (the letter remembers its trend and its runs)."""
        trend = self.trend(message)
        text = self.say(self.candidates(message, self.joined_partner(message)), contrast, message.positive)
        if trend is not None:
            self.acknowledged.add(trend[0])
        return text

    def size(self, message: Message) -> int:
        """Return how many sentences a message will take (its preferred wording)."""
        return max(len(sentences_of(self.candidates(message)[0])), 1)

    def realise_section(self, section: Section, limit: int, after: list[Message] | None = None) -> None:
        """Realise a section's messages in paragraphs of at most `limit` sentences, balanced (seven
        sentences make four and three, not five and two). `after` is the paragraph before, when the
        section's first paragraph continues it (a short section joined to a related one)."""
        sizes = [self.size(m) for m in section.messages]
        breaks = balanced_breaks(sizes, limit) if after is None else set()
        paragraphs: list[list[Message]] = []
        current: list[Message] = []
        count = sum(max(len(sentences_of(m.text)), 1) for m in after) if after else 0
        previous_positive: bool | None = None  # a new topic does not turn against the last one's verdict
        if after is None:
            self.runs.paragraph()
        for i, (message, n) in enumerate(zip(section.messages, sizes, strict=True)):
            if i in breaks or (after is not None and count + n > limit):
                if current:
                    paragraphs.append(current)
                current, count, previous_positive, after = [], 0, None, None
                self.runs.paragraph()
                if i not in breaks:  # the joined paragraph is full: split what remains evenly
                    breaks = {i + b for b in balanced_breaks(sizes[i:], limit)}
            mixed = "mixed" in message.lead.tags  # a mixed note carries its own contrast
            contrast = previous_positive is not None and previous_positive != message.positive and not mixed
            message.text = self.realise_message(message, contrast)
            current.append(message)
            count += n
            previous_positive = None if mixed else message.positive
        if current:
            paragraphs.append(current)
        section.paragraphs = paragraphs


def balanced_breaks(sizes: list[int], limit: int) -> set[int]:
    """Return where new paragraphs start (message indexes) so that no paragraph passes `limit`
    sentences, in as few paragraphs as that allows, as evenly as possible (a message longer than
    the limit is a paragraph of its own)."""
    from itertools import combinations

    n, total = len(sizes), sum(sizes)
    if total <= limit or n < 2:
        return set()
    for k in range(-(-total // limit) - 1, n):  # k cuts make k + 1 paragraphs
        best: tuple[int, tuple[int, ...]] | None = None
        for cuts in combinations(range(1, n), k) if n <= 14 else [tuple(range(4, n, 4))]:
            groups = [sum(sizes[a:b]) for a, b in zip((0, *cuts), (*cuts, n), strict=True)]
            if any(g > limit for g, (a, b) in zip(groups, zip((0, *cuts), (*cuts, n), strict=True), strict=True)
                   if b - a > 1):
                continue
            spread = max(groups) - min(groups)
            if best is None or spread < best[0]:
                best = (spread, cuts)
        if best is not None:
            return set(best[1])
    return set(range(1, n))


def _overlap(name: str, low_text: str) -> float:
    """Return the share of a name's longer words that the text already uses."""
    words = [w for w in re.findall(r"[a-z']+", name.lower()) if len(w) > 3]
    have = set(re.findall(r"[a-z']+", low_text))
    return sum(w in have for w in words) / len(words) if words else 0.0


def _values(name: str, verb: str, since: str) -> dict[str, str]:
    return {"measure": name, "Measure": name[:1].upper() + name[1:], "verb": verb, "since": since}


def _is_trend(finding) -> bool:
    """Return whether a finding is about a movement (an improvement or a deterioration), not a level."""
    return finding.verdict == "improving" or "deterioration" in finding.tags


def _reads(finding, indicator: str) -> bool:
    return any(u.kind == "value" and u.name == indicator for u in finding.used)
