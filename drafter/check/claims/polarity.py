"""Polarity: clauses, the judging words, negation and its scope, and the verdict of each clause and sentence."""

from __future__ import annotations

from bisect import bisect_left
from typing import TYPE_CHECKING

from drafter.check.claims.model import Negator, Part, Polarity, Signal, sign_of

if TYPE_CHECKING:
    from drafter.check.claims.reader import Reader

# Signals that judge by their own words; a level ("high") or comparison alone describes.
EVALUATIVE = ("positive", "negative", "critical", "approving", "improve", "worsen")
MOVES = ("improve", "worsen", "up", "down", "more", "fewer", "progress_subjects")
_NEGATING = ("negators", "negating_hedges", "clause_negators", "determiner_negators", "reversers", "remedies")
# Contrast words that concede only a noun phrase ("despite the new strategy"): no claim of their own.
_MINIMAL = frozenset(("despite", "in", "notwithstanding"))
# Words that may stand between signals joined under one negation ("not clear, or in good time").
_JOINERS = frozenset(("and", "or", "nor", ",", "of", "in", "a", "an", "the"))
_OPENS = frozenset((",", ";", "(", "—", "–", "and", "but"))
_SEPARATE = frozenset(("and", "or", "but", ",", ";"))  # words between two negations that keep them apart
_PREPOSITIONS = frozenset(("in", "on", "of", "for", "towards", "at"))
# How far (in tokens) a negation, an intensifier or a stretch reaches at most: far beyond any real
# sentence's need, and what keeps a pathological one linear.
REACH = 40


# ---------------------------------------------------------------- clauses


def segment(r: Reader) -> list[tuple[int, int, str]]:
    """Return (start, end, role) token spans: "Although A, B" and "A, but B" make A a concession."""
    norms = r.norms
    n = len(norms)
    markers = []
    for m in r.polar:
        if m.kind == "concessive":
            opens = m.start == 0 or norms[m.start - 1] in _OPENS
            if norms[m.start] in ("while", "whilst") and not opens:
                continue
            # ", and while B, C": a concession opened after a comma or "and" is closed by its comma.
            inner = opens and m.start > 0 and norms[m.start - 1] in ("and", "but")
            markers.append((m.start, "inner" if inner else "concessive"))
        elif m.kind == "adversative":
            markers.append((m.start, "adversative"))
    pieces: list[list] = []
    seg_start, k = 0, 0
    cuts = [i for i, w in enumerate(norms) if w == ";"] + [n]
    for cut in cuts:
        a, b = seg_start, cut
        cur = a
        while k < len(markers) and markers[k][0] < a:
            k += 1
        while k < len(markers) and markers[k][0] < b:
            at, kind = markers[k]
            k += 1
            if at < cur:
                continue  # inside the concession just read
            if kind == "adversative":
                if at > cur:
                    pieces.append([cur, at, "concession"])
                elif pieces and pieces[-1][2] == "main":
                    pieces[-1][2] = "concession"  # "A; however, B"
                cur = at
            elif kind == "inner" and at > cur:
                stop = next((j for j in range(at + 1, b) if norms[j] == ","
                             and (j + 1 >= b or norms[j + 1] not in ("and", "or"))), b)
                pieces.append([cur, at, "main"])
                pieces.append([at, stop, "concession"])
                cur = stop
            elif at == cur:
                # "Although A, and B, C": the concession runs to a comma that does not go on with and/or.
                stop = next((j for j in range(at + 1, b) if norms[j] == ","
                             and (j + 1 >= b or norms[j + 1] not in ("and", "or"))), b)
                pieces.append([cur, stop, "concession"])
                cur = stop
            else:
                pieces.append([cur, at, "main"])
                pieces.append([at, b, "concession"])
                cur = b
                break
        if cur < b:
            pieces.append([cur, b, "main"])
        seg_start = cut + 1
    out = [(a, b, role) for a, b, role in pieces if a < b]
    return out or [(0, n, "main")]


# ---------------------------------------------------------------- signals


def read_signals(r: Reader):
    """Return (signals, negators, hedges, movers, stable_at) of the sentence."""
    signals: list[Signal] = []
    negators: list[Negator] = []
    hedges: list[str] = []
    movers: list[Signal] = []
    stable_at: list[int] = []
    continuing_ends = {m.end for m in r.polar if m.kind == "continuing"}
    in_condition = _conditional_table(r)
    populations = {m.start for m in r.countables if m.kind == "population"}
    judged = {m.start for m in r.polar if m.kind in ("positive", "negative", "critical", "approving")}
    judged |= {m.start for m in r.subjects if m.kind == "level"}
    moves_at = {m.start for m in r.polar if m.kind in MOVES}

    def judged_soon(after: int, within: int) -> bool:
        return any(j in judged for j in range(after, after + within))

    for m in r.polar:
        clause = r.clause_of(m.start)
        kind = m.kind
        if kind == "determiner_negators" and not ({m.end, m.end + 1} & populations):
            continue  # "vacancies are comparatively few" negates nothing
        if kind in _NEGATING:
            # Inside a condition ("if they are unable to ...,") a negation is no criticism.
            weak = kind in ("reversers", "remedies") or in_condition[m.start]
            # "Not all" and "few" quantify the subject: what the clause says of it, they deny.
            negators.append(Negator(m.start, m.end, clause, weak=weak, reverser=kind == "remedies",
                                    wide=kind in ("clause_negators", "determiner_negators")))
            if kind in ("negating_hedges", "clause_negators"):
                hedges.append(r.words(m.start, m.end).lower())
        elif kind == "hedges":
            hedges.append(r.words(m.start, m.end).lower())
        elif kind == "stable":
            stable_at.append(m.start)
        elif kind == "persist":
            if judged_soon(m.end, 3):
                stable_at.append(m.start)
        elif kind == "continuing" and m.end not in moves_at and judged_soon(m.end, 4):
            stable_at.append(m.start)  # "continue to give strong support": a state that persists
        elif kind in ("positive", "negative", "critical", "approving", "obstructive"):
            sign = 1 if kind in ("positive", "approving") else -1
            topic = m.value if kind in ("positive", "negative") else None
            signals.append(Signal(m, sign, "negative" if kind == "obstructive" else kind, clause, topic=topic,
                                  obstructs=kind == "obstructive"))
        elif kind in MOVES:
            if not _reports_change(r, m, continuing_ends, in_condition):
                continue
            sig = Signal(m, {"improve": 1, "worsen": -1}.get(kind, 0), kind, clause)
            signals.append(sig)
            movers.append(sig)
    _intensify(r, signals)
    return signals, negators, hedges, movers, stable_at


def _conditional_table(r: Reader) -> list[bool]:
    """Return, per token, whether it lies in a conditional stretch: after "when"/"if" ... up to a comma."""
    n = len(r.norms)
    out = [False] * (n + 1)
    upto = 0
    for m in r.bounds:
        if m.kind != "conditional":
            continue
        end = r.clause_end(m.start)
        j = max(m.start + 1, upto)
        while j < end:
            out[j] = True
            if r.norms[j] == ",":
                break
            j += 1
        upto = max(upto, j + 1)
    return out


def _reports_change(r: Reader, m, continuing_ends: set[int], in_condition: list[bool]) -> bool:
    """Return False for a trend word that reports no change: an intention ("plans to reduce"), a
    condition ("when risks increase") or a standing effect ("which weakens")."""
    prev = r.norms[m.start - 1] if m.start > 0 else ""
    if prev == "to" and m.start not in continuing_ends:
        return False
    if prev in _PREPOSITIONS and r.norms[m.end - 1].endswith("ing"):
        return False  # "progress in improving timeliness" names the work, it reports no change
    if prev in ("which", "that", "this", "it") and r.norms[m.end - 1].endswith("s"):
        return False
    return not in_condition[m.start]


def _intensify(r: Reader, signals: list[Signal]) -> None:
    """Let an intensifier take the word after it ("too high"), and "too X to/for Y" drop Y's judgement."""
    by_start: dict[int, list[Signal]] = {}
    for s in signals:
        by_start.setdefault(s.match.start, []).append(s)
    starts = [s.match.start for s in signals]
    for i, s in enumerate(signals):
        if s.obstructs:  # "hinders effective practice": the praise is what is harmed
            nxt = signals[i + 1] if i + 1 < len(signals) else None
            if nxt is not None and nxt.sign > 0 and nxt.match.start - s.match.end <= 4:
                nxt.absorbed = True
        if s.kind not in ("critical", "approving") or s.absorbed:
            continue
        end = s.match.end
        for t in by_start.get(end, ()):
            if t is not s:
                t.absorbed = True
                if s.kind == "approving" and t.sign < 0 and r.norms[s.match.start] != "well":
                    s.sign = -1  # "highly variable" is a stronger criticism, not praise
        if s.kind == "critical":
            near = range(end, min(end + 3, len(r.norms)))
            to = next((j for j in near if r.norms[j] in ("to", "for")), None)
            if to is not None:
                stop = min(r.stop_after(to + 1), to + REACH)
                for i in range(bisect_left(starts, to + 1), bisect_left(starts, stop)):
                    signals[i].absorbed = True


# ---------------------------------------------------------------- negation


def negate(r: Reader, signals: list[Signal], negators: list[Negator]) -> None:
    """Let each negator turn the nearest signal after it (and signals joined to it by and/or/commas).

    A negator whose nearest neighbour is another negator cancels it ("very few children return home
    without a plan" is favourable). Signals are sorted by position (levels and comparisons included).
    """
    window = r.cues.negation_window
    starts = [s.match.start for s in signals]

    def following(neg: Negator, limit: int):
        for i in range(bisect_left(starts, neg.end), len(signals)):
            s = signals[i]
            if s.match.start >= limit or s.clause != neg.clause:
                return
            if not s.absorbed:
                yield s

    def first_after(neg: Negator, limit: int | None = None) -> Signal | None:
        return next(following(neg, limit if limit is not None else neg.end + REACH), None)

    # A remedy turns only a criticism: before praise ("identified quickly") it is no negation at all.
    manner = r.cues.manner
    negators[:] = [n for n in negators if not n.reverser or (
        (f := first_after(n)) is not None and f.sign < 0 and r.norms[f.match.start] not in manner)]
    for i, neg in enumerate(negators):
        nxt = negators[i + 1] if i + 1 < len(negators) else None
        first_signal = first_after(neg)
        if (
            nxt is not None
            and nxt.clause == neg.clause
            and nxt.start - neg.end < window
            and (first_signal is None or nxt.start <= first_signal.match.start)
            and not _SEPARATE.intersection(r.norms[neg.end : nxt.start])  # "lack detail and do not show"
        ):
            neg.used = neg.doubles = True
            nxt.doubled = True
        elif (nxt is not None and neg.doubled and neg.reverser and nxt.reverser and nxt.clause == neg.clause
              and set(r.norms[neg.end : nxt.start]) <= {"and", "or", ","}):
            nxt.doubled = True  # "failed to identify and escalate concerns": both under the one negation
    for neg in negators:
        if neg.doubles:
            continue
        comma = r.comma_after(neg.end)
        reach = min(comma - neg.end, REACH) if neg.wide else window
        scope = following(neg, neg.end + REACH)
        first = next(scope, None)
        if first is None or first.match.start - neg.end >= max(reach, window):
            continue
        if first.match.start > comma:
            continue  # "lack timescales, limiting ...": a negation does not reach past its comma
        neg.used = True
        neg.targets.append(first)
        if neg.doubled:
            continue  # two negations: the signal keeps its sign
        first.negated = not first.negated
        last = first
        for nxt_sig in scope:
            between = r.norms[last.match.end : nxt_sig.match.start]
            new_clause = "," in between and "and" in between and any(w in ("a", "an", "the") for w in between)
            # Coordination joins like with like ("not clear, specific or timely"); ", leaving them at
            # risk" after praise is a new judgement, and ", and a backlog ..." starts anew.
            alike = sign_of(nxt_sig.sign) == sign_of(first.sign)
            if all(w in _JOINERS for w in between) and not new_clause and alike:
                nxt_sig.negated = not nxt_sig.negated
                neg.targets.append(nxt_sig)
                last = nxt_sig
            else:
                break
    _negated_stretches(r, signals, starts, negators)


def _negated_stretches(r: Reader, signals: list[Signal], starts: list[int], negators: list[Negator]) -> None:
    """Let a criticism by negation cover its stretch: praise later in it, up to the next comma, is
    what is denied ("cannot show that every care leaver gets the help they are entitled to")."""
    for neg in negators:
        if neg.weak or neg.doubles or neg.doubled:
            continue
        if neg.targets and not any(t.sign > 0 for t in neg.targets):
            continue  # it turned a criticism into praise ("no longer experience drift")
        stop = min(r.comma_after(neg.end), neg.end + REACH)
        last = max((t.match.end for t in neg.targets), default=neg.end)
        for i in range(bisect_left(starts, last), bisect_left(starts, stop)):
            s = signals[i]
            if s.sign > 0 and not s.negated and not s.absorbed and s.kind in ("positive", "approving"):
                s.absorbed = True


# ---------------------------------------------------------------- verdict


def background(r: Reader) -> list[bool]:
    """Return, per token, whether it is in a condition ("when plans drift,"), a relative "where" or a
    purpose ("to ensure that ..."): a condition runs to the next comma, at most `condition_reach`
    tokens; a purpose to the next comma or the clause end."""
    out = [False] * (len(r.norms) + 1)
    if not any(m.kind in ("conditional", "relative", "purpose") for m in r.bounds):
        return out
    reach = r.cues.condition_reach
    upto = 0
    for m in r.bounds:
        if m.kind not in ("conditional", "relative", "purpose"):
            continue
        comma = r.comma_after(m.end)
        # A condition closed by its comma runs to it ("when neglect is recognised late in a family's life,");
        # an open one ("... plans when children are on plans is not applied") only `reach` words.
        closed = comma < r.clause_end(m.start) and comma - m.end <= 2 * reach
        stop = comma if m.kind == "purpose" or closed else min(comma, m.end + reach)
        for tok in range(max(m.start, upto), stop):
            out[tok] = True
        upto = max(upto, stop)
    return out


def verdict(r: Reader, signals: list[Signal], negators: list[Negator], clause_topics: list[list[str]]):
    """Return (sentence polarity, parts): each clause's own verdict, and how they combine."""
    k = len(r.clauses)
    scores, pos, neg = [0] * k, [False] * k, [False] * k
    # (clause, token, value) of every judgement; those inside a condition or a purpose ("when plans
    # drift", "to ensure that plans are timely") count only when their clause has no other.
    votes = [(s.clause, s.match.start, -s.sign if s.negated else s.sign)
             for s in signals if not s.absorbed and s.sign]
    votes += [(n.clause, n.start, 1 if n.doubled else -1) for n in negators if not n.weak and (
        not n.used or (n.targets and not n.doubles and not (n.targets[0].kind in ("more", "fewer")
                                                             and n.targets[0].match.start == n.end)
                       and all(not t.sign or t.absorbed for t in n.targets)))]
    aside = background(r)
    main_votes = {c for c, tok, _ in votes if not aside[tok]}
    for clause, tok, value in votes:
        if aside[tok] and clause in main_votes:
            continue
        scores[clause] += value
        pos[clause] |= value > 0
        neg[clause] |= value < 0
    parts = [
        Part(
            r.words(a, b),
            r.starts[a] if a < len(r.starts) else 0,
            r.ends[b - 1] if 0 < b <= len(r.ends) else 0,
            role,  # type: ignore[arg-type]
            tuple(clause_topics[i]),
            _verdict(scores[i], pos[i], neg[i]),
        )
        for i, (a, b, role) in enumerate(r.clauses)
    ]
    main = sum(scores[i] for i, c in enumerate(r.clauses) if c[2] == "main")
    conceded = sum(scores[i] for i, c in enumerate(r.clauses) if c[2] == "concession")
    if main and conceded and sign_of(main) != sign_of(conceded):
        return "mixed", parts
    if conceded and not main and any(c[2] == "main" for c in r.clauses):
        return "mixed", parts  # "A, although B" with A judged only by what it concedes
    # Only a concession that comes first ("Although A, B"; "A, but B") grants an unjudged A.
    granted = [c for c in r.clauses[:1] if c[2] == "concession" and r.norms[c[0]] not in _MINIMAL]
    if main and not conceded and granted:
        return "mixed", parts  # "A, but B": the contrast says A is granted even when no cue judges it
    if len({sign_of(sc) for sc in scores if sc}) > 1:
        return "mixed", parts
    if main:
        return ("positive" if main > 0 else "negative"), parts
    return _verdict(sum(scores), any(pos), any(neg)), parts


def _verdict(score: int, pos: bool, neg: bool) -> Polarity:
    if score > 0:
        return "positive"
    if score < 0:
        return "negative"
    return "mixed" if (pos and neg) else "neutral"
