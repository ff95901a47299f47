"""CON01 with thin evidence: one note the other way is enough for a warning; mixed evidence or a mixed
sentence says nothing; clauses and several topics are read one by one; a measure stays an error."""

from __future__ import annotations

import json
import textwrap

import pytest

from tests.test_check import SMALL_PACK


def pack(*notes: tuple[str, str]) -> str:
    body = "".join(f"  - {{topic: {t}, polarity: {p}, text: An analyst's note on this area.}}\n" for t, p in notes)
    return "schema: evidence-pack/1\nauthority: Testshire\nas_of: 2022-03-31\nnotes:\n" + body


def con01(run, write, sentence: str, evidence: str) -> tuple[list[dict], int]:
    draft = write("draft.md", f"# Draft\n\n{sentence}\n")
    result = run("check", draft, "--evidence", write("pack.yaml", evidence), "--format", "json")
    found = [d for d in json.loads(result.output)["diagnostics"] if d["code"] == "CON01"]
    return found, result.exit_code


@pytest.mark.parametrize("sentence, topic, against", [
    ("Supervision is regular and reflective, and managers give clear direction.", "management_oversight", "negative"),
    ("Care leavers are well supported by personal advisers who know them well.", "care_leavers", "negative"),
    ("Too many children wait too long for a permanent home.", "permanence", "positive"),
    ("Strategy meetings are too often late, and police attendance at them is patchy.", "child_protection",
     "positive"),
])
def test_a_single_note_the_other_way_is_a_warning(run, write, sentence, topic, against):
    found, code = con01(run, write, sentence, pack((topic, against)))
    assert len(found) == 1 and found[0]["level"] == "warning", found
    assert found[0]["topic"] == topic and "1 finding" in found[0]["message"]
    assert code == 0  # a warning does not fail the check
    agreeing = "positive" if against == "negative" else "negative"
    assert con01(run, write, sentence, pack((topic, agreeing)))[0] == []


def test_mixed_evidence_says_nothing(run, write):
    sentence = "Supervision is regular and reflective."
    both = pack(("management_oversight", "negative"), ("management_oversight", "positive"))
    assert con01(run, write, sentence, both)[0] == []
    assert con01(run, write, sentence, pack(("management_oversight", "mixed")))[0] == []


def test_a_mixed_sentence_on_one_topic_says_nothing(run, write):
    sentence = "Although caseloads are reducing, they remain too high for some workers."
    assert con01(run, write, sentence, pack(("caseloads", "positive")))[0] == []
    assert con01(run, write, sentence, pack(("caseloads", "negative")))[0] == []


def test_each_clause_is_compared_on_its_own_topic(run, write):
    sentence = "Caseloads are manageable, but supervision is irregular and not reflective."
    found, _ = con01(run, write, sentence, pack(("management_oversight", "positive"), ("caseloads", "positive")))
    assert [(d["topic"], "negative" in d["message"]) for d in found] == [("management_oversight", True)]
    found, _ = con01(run, write, sentence, pack(("caseloads", "negative"), ("management_oversight", "negative")))
    assert [d["topic"] for d in found] == ["caseloads"]


def test_a_sentence_on_several_topics_is_compared_on_each(run, write):
    sentence = "Plans are clear and the workforce is stable."
    found, _ = con01(run, write, sentence, pack(("workforce", "negative")))
    assert [d["topic"] for d in found] == ["workforce"]
    found, _ = con01(run, write, sentence, pack(("plans", "negative")))
    assert [d["topic"] for d in found] == ["plans"]


def test_a_measure_contradicted_by_its_figure_stays_an_error(run, write):
    found, code = con01(run, write, "Reliance on agency staff is low and well controlled, at 22% in March 2022.",
                        SMALL_PACK)
    assert found and found[0]["level"] == "error" and code == 1


def test_clauses_are_listed_with_their_own_topics_and_polarity(run, write):
    draft = write("d.md", textwrap.dedent("""\
        # Draft

        Caseloads are manageable, but supervision is irregular and not reflective.
        """))
    result = run("check", draft, "--evidence", write("p.yaml", pack(("caseloads", "positive"))), "--format", "json",
                 "--claims")
    (claim,) = json.loads(result.output)["claims"]
    assert claim["polarity"] == "mixed"
    assert [(c["role"], c["topics"], c["polarity"]) for c in claim["clauses"]] == [
        ("concession", ["caseloads"], "positive"), ("main", ["management_oversight"], "negative")]
