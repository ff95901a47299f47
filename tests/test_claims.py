"""Claim extraction measured on the labelled corpus (tests/data/claims_corpus.yaml), plus the hard cases one by one."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from drafter.check.claims import Claim, extract_claims
from drafter.check.sentences import split_sentences
from drafter.vocab.cues import load_cues
from drafter.vocab.topics import load_vocabulary

CORPUS = Path(__file__).parent / "data" / "claims_corpus.yaml"
FIELDS = ("topic", "polarity", "quantifier", "trend", "numbers")
TRENDS = ("improving", "worsening", "stable", "continuing_improvement", "continuing_decline")

# Minimum accuracies, fixed before the extractor was tuned, from what phase 2 needs: a checker that
# is "quiet and authoritative" must rarely misread the direction of a sentence (polarity) or the
# proportion word (quantifier: a closed class, so near-perfect), and should find the topic it
# compares against. The held-out quarter was never used for tuning, so its floors are lower: they
# catch a collapse, not noise from 67 sentences (one sentence is 1.5 points).
FLOORS = {
    "tune": {"topic": 0.90, "polarity": 0.90, "quantifier": 0.95, "trend": 0.90, "numbers": 0.90},
    "heldout": {"topic": 0.80, "polarity": 0.80, "quantifier": 0.90, "trend": 0.80, "numbers": 0.80},
}


@dataclass
class Row:
    item: dict
    claim: Claim | None

    @property
    def split(self) -> str:
        return self.item.get("split", "tune")

    def got(self, name: str):
        c = self.claim
        if name == "topics":
            return set(c.topics) if c else set()
        if name == "numbers":
            return sorted((round(f.value, 4), f.denominator) for f in c.numbers) if c else []
        return getattr(c, name) if c else ("neutral" if name == "polarity" else None)

    def want(self, name: str):
        if name == "numbers":
            return sorted((round(float(n["value"]), 4), n.get("denominator")) for n in self.item.get("numbers") or [])
        return self.item.get(name)

    def correct(self, field: str) -> bool:
        if field == "topic":
            return set(self.item["topics"]) <= self.got("topics")
        return self.got(field) == self.want(field)


def load_corpus() -> list[dict]:
    return YAML(typ="safe").load(CORPUS.read_text(encoding="utf-8"))["sentences"]


def evaluate(items: list[dict] | None = None) -> list[Row]:
    vocab = load_vocabulary()
    return [Row(item, extract_claims(item["text"], vocab)) for item in (items or load_corpus())]


def accuracy(rows: list[Row], field: str) -> float:
    return sum(r.correct(field) for r in rows) / len(rows) if rows else 1.0


def table(rows: list[Row]) -> str:
    """Return the accuracy table: per field and split, per topic, per labelled polarity."""
    lines = []
    splits = {"tune": [r for r in rows if r.split != "heldout"], "heldout": [r for r in rows if r.split == "heldout"]}
    lines.append(f"{'field':<12}{'tune':>16}{'heldout':>16}{'all':>16}")
    for field in FIELDS:
        cells = []
        for group in (splits["tune"], splits["heldout"], rows):
            ok = sum(r.correct(field) for r in group)
            cells.append(f"{ok}/{len(group)} {ok / len(group):.2f}")
        lines.append(f"{field:<12}" + "".join(f"{c:>16}" for c in cells))
    extra = sum(len(r.got("topics") - set(r.item["topics"])) for r in rows)
    exact = sum(r.got("topics") == set(r.item["topics"]) for r in rows)
    lines.append(f"topic sets equal to the label: {exact}/{len(rows)}; topics found beyond the label: {extra}")
    lines.append("")
    lines.append(f"{'topic':<22}{'n':>4}{'topic found':>14}{'polarity':>12}   (tune / heldout polarity)")
    by_topic: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        for t in r.item["topics"]:
            by_topic[t].append(r)
    for topic in load_vocabulary().topic_ids():
        group = by_topic.get(topic, [])
        tune = [r for r in group if r.split != "heldout"]
        held = [r for r in group if r.split == "heldout"]
        lines.append(
            f"{topic:<22}{len(group):>4}{accuracy(group, 'topic'):>14.2f}{accuracy(group, 'polarity'):>12.2f}"
            f"   ({accuracy(tune, 'polarity'):.2f} / {accuracy(held, 'polarity'):.2f})"
        )
    lines.append("")
    lines.append(f"{'polarity':<12}{'n':>4}{'recall':>8}   confusions (label -> extracted)")
    for pol in ("positive", "negative", "mixed", "neutral"):
        group = [r for r in rows if r.item["polarity"] == pol]
        confused = Counter(r.got("polarity") for r in group if not r.correct("polarity"))
        shown = ", ".join(f"{k}: {v}" for k, v in confused.most_common())
        lines.append(f"{pol:<12}{len(group):>4}{accuracy(group, 'polarity'):>8.2f}   {shown}")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def rows() -> list[Row]:
    return evaluate()


def test_corpus_is_well_formed():
    items = load_corpus()
    vocab = load_vocabulary()
    assert len(items) >= 200
    held = [i for i in items if i.get("split") == "heldout"]
    assert abs(len(held) / len(items) - 0.25) < 0.02
    counts = Counter(t for i in items for t in i["topics"])
    for topic in vocab.topic_ids():
        assert counts[topic] >= 8, f"corpus has only {counts[topic]} sentences about {topic}"
    cues = load_cues(vocab)
    allowed_q = set(cues.shares) | {q.lower() for q in cues.spec.quantifiers.extra} | set(
        cues.spec.quantifiers.aliases.values()
    )
    for item in items:
        assert set(item) <= {"text", "topics", "polarity", "quantifier", "trend", "numbers", "split"}, item
        assert item["polarity"] in ("positive", "negative", "mixed", "neutral"), item
        assert item["trend"] in (None, *TRENDS)
        assert item["quantifier"] is None or item["quantifier"] in allowed_q, item
        assert set(item["topics"]) <= set(vocab.topic_ids()), item
    assert len({i["text"] for i in items}) == len(items), "duplicate sentences"


@pytest.mark.parametrize("split", ["tune", "heldout"])
def test_corpus_accuracy(rows, split):
    print("\n" + table(rows))
    group = [r for r in rows if (r.split == "heldout") == (split == "heldout")]
    scores = {field: accuracy(group, field) for field in FIELDS}
    low = {f: round(s, 3) for f, s in scores.items() if s < FLOORS[split][f]}
    assert not low, f"{split} accuracy below the floor: {low} (floors {FLOORS[split]})"


# ---------------------------------------------------------------- the hard cases, one by one


def claim(text: str) -> Claim:
    got = extract_claims(text)
    assert got is not None, text
    return got


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("Practice in the assessment service is not good enough.", "negative"),
        ("Supervision is not consistently effective.", "negative"),
        ("Caseloads in the assessment teams are too high.", "negative"),
        ("The response to children who go missing is insufficient.", "negative"),
        ("Some disabled children do not receive an assessment of their needs.", "negative"),
        ("Children no longer experience drift in their plans for permanence.", "positive"),
        ("Although caseloads are reducing, they remain too high for some workers.", "mixed"),
        ("Planning for permanence has improved.", "positive"),
        ("The quality of plans has deteriorated.", "negative"),
        ("There is drift and delay for children waiting for adoption.", "negative"),
        ("Partnership work with schools is strong.", "positive"),
        ("There is less delay in care proceedings than there was a year ago.", "positive"),
        ("Fewer children wait for a permanent home.", "positive"),
        ("Delays in matching children with adopters have reduced.", "positive"),
        ("Turnover has fallen to 12%, below the England average.", "positive"),
        ("The agency rate is above the England average.", "negative"),
        ("Caseloads are manageable, but supervision is irregular and not reflective.", "mixed"),
        ("A copy of this letter goes to the Department for Education.", None),
    ],
)
def test_hard_case_polarity(text, polarity):
    got = extract_claims(text)
    assert (got.polarity if got else None) == polarity


@pytest.mark.parametrize(
    ("text", "trend", "direction", "word"),
    [
        ("Caseloads have continued to reduce.", "continuing_improvement", "down", "continued to reduce"),
        ("Caseloads have increased since the last visit.", "worsening", "up", "increased"),
        ("Placement stability has fallen.", "worsening", "down", "fallen"),
        ("The number of children in care has risen.", None, "up", "risen"),
        ("Practice has improved.", "improving", None, None),
        ("Oversight has deteriorated.", "worsening", None, None),
        ("Management grip has strengthened.", "improving", None, None),
        ("The quality of audits has declined.", "worsening", None, None),
        ("Turnover has not reduced.", "stable", "down", "reduced"),
        ("Vacancy rates remain high.", "stable", None, None),
        ("Caseloads remained stable over the year.", "stable", None, None),
        ("The quality of plans continues to deteriorate.", "continuing_decline", None, None),
    ],
)
def test_hard_case_trend(text, trend, direction, word):
    got = claim(text)
    assert (got.trend, got.direction, got.trend_word) == (trend, direction, word)


def test_raw_direction_keeps_its_subject_for_phase_two():
    got = claim("Caseloads have continued to reduce and are now 17.6 on average.")
    assert got.direction == "down" and got.trend_subject == "Caseloads"
    (move,) = got.movements
    assert move.continuing and move.better == "lower"


@pytest.mark.parametrize(
    ("text", "quantifier", "share"),
    [
        ("Most children are seen regularly.", "most", (0.65, 0.9999)),
        ("The majority of plans are clear.", "the majority", (0.5001, 0.9999)),
        ("A majority of plans are clear.", "the majority", (0.5001, 0.9999)),
        ("Nearly all audits were completed.", "almost all", (0.9, 0.9999)),
        ("No children were seen alone.", "none", (0.0, 0.0)),
        ("A quarter of audits were inadequate.", "a quarter", (0.25, 0.25)),
        ("Two thirds of workers are permanent.", "two thirds", (0.6667, 0.6667)),
        ("Not all children have a plan.", "not all", None),
        ("The most vulnerable children are seen quickly.", None, None),
        ("Some improvement is evident in plans.", None, None),
        ("Some children wait too long.", "some", (0.0001, 0.7499)),
        ("Very few children move placement more than once.", "very few", (0.0001, 0.1499)),
        ("There is no evidence of drift.", None, None),
    ],
)
def test_quantifiers(text, quantifier, share):
    got = claim(text)
    assert (got.quantifier, got.quantifier_share) == (quantifier, share)


@pytest.mark.parametrize(
    ("text", "figures"),
    [
        ("Turnover is 17% this year.", [(17.0, "percent", None)]),
        ("The average caseload is 17.6.", [(17.6, "number", None)]),
        ("In 9 of 12 children's cases, plans were clear.", [(9.0, "count", 12.0)]),
        ("Nine of the 12 social workers said caseloads were manageable.", [(9.0, "count", 12.0)]),
        ("A quarter of audits were graded inadequate.", [(0.25, "fraction", None)]),
        ("Four children live in unregistered homes.", [(4.0, "count", None)]),
        ("Two thirds of care leavers are in education.", [(0.6667, "fraction", None)]),
        ("Proceedings last 38 weeks on average.", [(38.0, "weeks", None)]),
        ("The visit took place on 29 and 30 March 2022.", []),
        ("Section 47 enquiries are timely.", []),
        ("Since 2021, caseloads have fallen.", []),
        ("The MACH gives partners one clear route for concerns.", []),
    ],
)
def test_figures(text, figures):
    got = extract_claims(text)
    found = [(f.value, f.unit, f.denominator) for f in got.numbers] if got else []
    assert found == figures


def test_figure_nouns():
    (fig,) = claim("Only 48% of return home interviews are completed within the timescale.").numbers
    assert fig.noun == "return home interviews"
    (fig,) = claim("Four children live in unregistered homes.").numbers
    assert fig.noun == "children"


def test_hedges_are_recorded():
    got = claim("In some cases, supervision is not consistently reflective.")
    assert got.hedges == ("in some cases", "not consistently") and got.polarity == "negative"


def test_evaluative_versus_descriptive():
    assert claim("Supervision is strong.").evaluative
    assert claim("Children do not receive a timely assessment.").evaluative
    assert not claim("Inspectors reviewed 34 children's records.").evaluative
    assert not claim("The number of children in care has fallen from 720 to 610.").evaluative


def test_topics_longest_match_nesting_and_plurals():
    # longest match first; a term holding another term names both topics
    chairs = claim("Child protection chairs challenge drift.").topics
    assert chairs == ("management_oversight", "child_protection", "permanence")
    assert claim("Child protection plans are effective.").topics == ("child_protection", "plans")
    # singular and plural forms of a term both match, case-insensitively
    assert "plans" in claim("Each care plan is reviewed promptly.").topics
    assert "management_oversight" in claim("The IRO challenges drift.").topics
    assert "workforce" in claim("AGENCY WORKERS are valued.").topics
    # whole words only: "oversights" is a plural, "overseen" is not the term
    assert "management_oversight" not in claim("Plans are overseen promptly.").topics


def test_concession_and_main_clause_parts():
    got = claim("Although caseloads are reducing, they remain too high for some workers.")
    roles = [(p.role, p.polarity) for p in got.parts]
    assert roles == [("concession", "positive"), ("main", "negative")]


def test_semicolon_clauses_are_read_separately():
    (sentence,) = split_sentences("Plans are clear; contingency planning is weak.")
    got = extract_claims(sentence)
    assert got.polarity == "mixed" and [p.polarity for p in got.parts] == ["positive", "negative"]


def test_comparisons_are_recorded():
    (comp,) = claim("The re-referral rate is higher than the England average.").comparisons
    assert (comp.relation, comp.comparator, comp.better) == ("above", "england", "lower")


def test_headings_give_no_claim():
    (heading,) = split_sentences("Headline findings")
    assert extract_claims(heading) is None


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        # reversers turn what follows but say nothing alone
        ("Targeted support is stopping problems from escalating.", "positive"),
        ("Plans are reviewed monthly to prevent escalation.", None),
        ("Management oversight has not prevented delay.", "negative"),
        # "few" negates only as a determiner
        ("Few care leavers have access to apprenticeships.", "negative"),
        ("Very few children return home without a clear plan.", "positive"),
        # "too X to/for Y": Y is what cannot happen
        ("Caseloads are too high to allow purposeful work.", "negative"),
        ("Personal advisers hold caseloads too large for regular contact.", "negative"),
        # a negation inside a condition is no criticism
        ("If siblings are unable to live together, contact between them is planned carefully.", "positive"),
        # a trend verb with its object after it applies to the object
        ("The service is safely reducing the number of children in care.", "positive"),
        ("Leaders have reduced caseloads.", "positive"),
        # an Ofsted grade word is no improvement
        ("Half of the audits were graded as requiring improvement.", "negative"),
    ],
)
def test_more_hard_cases(text, polarity):
    got = extract_claims(text)
    assert (got.polarity if got else None) == polarity


def test_intentions_and_conditions_report_no_trend():
    assert claim("Leaders plan to reduce caseloads quickly.").trend is None
    assert claim("Families are stepped up promptly when risks increase.").trend is None
    assert claim("Caseloads have continued to reduce.").trend == "continuing_improvement"


def test_malformed_cues_are_refused_with_the_field(tmp_path):
    from drafter.errors import RulebookError
    from drafter.vocab.topics import Vocabulary

    data = load_vocabulary().model_dump(by_alias=True)
    data["cues"] = {**data["cues"], "postive": ["good"]}
    with pytest.raises(RulebookError) as info:
        load_cues(Vocabulary.model_validate(data))
    assert "cues.postive" in info.value.render()


def test_without_language_file_quantifiers_have_no_share(tmp_path):
    vocab = load_vocabulary()
    cues = load_cues(vocab, language_path=tmp_path / "missing.yaml")
    assert cues.shares == {} and "almost all" not in cues.quantifiers
    assert "too many" in cues.quantifiers  # words the vocabulary lists itself still match


def test_seed_documents_read_split_and_extract():
    seeds = Path(__file__).resolve().parents[2] / "shared" / "seed-docs"
    files = sorted(seeds.glob("*.txt"))
    if not files:
        pytest.skip("the shared seed documents are not beside the repository")
    from drafter.check import iter_claims, read_draft

    for path in files:
        claims = list(iter_claims(read_draft(path)))
        assert claims, path
        assert all(c.sentence is not None and c.sentence.location.line for c in claims)


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        # a remedy turns only a criticism; before praise it is no negation
        ("Senior leaders had already identified the weaknesses in practice.", "positive"),
        ("Children who are trafficked are not always identified quickly.", "negative"),
        ("Independent reviewing officers do not consistently challenge delays in children's plans.", "negative"),
        ("Managers have failed to identify and escalate concerns about neglect.", "negative"),
        # "not all" and "few" deny what their clause says, to the next comma
        ("Not all care leavers have a pathway plan written in good time.", "negative"),
        ("Few children experience more than one change of social worker in a year.", "positive"),
        # a purpose or a condition states an aim or a circumstance, not what is so
        ("Further work is needed to ensure that information is shared promptly.", "negative"),
        ("When children go missing, return home interviews are completed promptly.", "positive"),
        # the stretch a negation covers, and what obstructs
        ("The local authority cannot show that every care leaver gets an appropriate level of help.", "negative"),
        ("The electronic recording system hinders effective practice.", "negative"),
        ("Children in care receive highly variable responses to their needs.", "negative"),
        # contrasts: an unjudged first side is granted; a minimal one is not
        ("Return interviews take place, but the information is not used to plan.", "mixed"),
        ("Turnover has not reduced despite the new recruitment strategy.", "negative"),
        ("Practice is improving, but it is not yet consistently good.", "mixed"),
        # Ofsted's stock phrasing
        ("There is more to do to make sure that children's plans are reviewed on time.", "negative"),
        ("Decisions to bring children into care are made at the right time.", "positive"),
    ],
)
def test_real_prose_constructions(text, polarity):
    got = extract_claims(text)
    assert (got.polarity if got else None) == polarity


def test_topic_stops_and_related_words():
    assert "children_in_care" not in claim("Practice has improved since the last monitoring visit.").topics
    # related words give a topic only when no term does
    assert claim("Social workers build trusting relationships with families.").topics[:1] == ("workforce",)
    assert "child_protection" in claim("Social workers build trusting relationships with families.").topics
    assert claim("Caseloads are manageable for social workers.").topics == ("caseloads",)


@pytest.mark.parametrize("text", [
    "Widen the choice of suitable local homes for children and act on the causes of placement moves.",
    "Make sure partners take a full part in strategy meetings.",
    "The evidence as at 30 June 2023 gives 0 strengths or improvements and 6 weaknesses.",
    "The evidence is not yet enough to support an overall effectiveness judgement.",
])
def test_instructions_and_sentences_about_the_evidence_claim_nothing(text):
    assert extract_claims(text) is None


def test_a_sentence_that_judges_is_still_read_when_it_starts_like_an_instruction_word():
    claim = extract_claims("Improved supervision has strengthened social workers' practice.")
    assert claim is not None and claim.polarity == "positive"
