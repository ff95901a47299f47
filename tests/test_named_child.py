"""PII01 child-identified: names from the notes, dates of birth, case numbers, names with ages; not staff or places."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from drafter.check.checks import check_named_child
from drafter.check.checks.named_child import load_privacy
from drafter.check.read import Paragraph, read_draft
from drafter.check.sentences import split_sentences
from drafter.errors import RulebookError
from drafter.evidence.load import load_pack

ROOT = Path(__file__).resolve().parent.parent
SEED_DOCS = ROOT.parent / "shared" / "seed-docs"  # shared/ sits beside the repository, in CI too
REPORT = SEED_DOCS / "2020-01-ofsted-ilacs-inspection-report.txt"
LETTER = SEED_DOCS / "2022-05-ofsted-monitoring-letter-3rd-visit.txt"

PACK = """\
schema: evidence-pack/1
authority: Middlesbrough
as_of: 2022-03-30
document:
  kind: monitoring_visit
  visit_number: 3
  inspectors: [Louise Hollick, Nick Stacey]
  recipient:
    name: Sue Butcher
    title: Director of Children's Services
    address: [Middlesbrough Council, Civic Centre, Middlesbrough, TS1 9FZ]
indicators:
  - id: caseload.average
    series: {2021-09: 19.2, 2022-03: 17.6}
notes:
"""

NAMED_NOTES = [
    "Jayden, aged 7, has moved placement four times in a year.",
    "Inspectors saw that Amy Clarke's plan had drifted; she is now placed in Hartlepool.",
    "Case 4 (Tyler) waited nine months for a permanence decision.",
    "Liam's social worker changed five times.",
    "Under the Middlesbrough Children Matter banner, the Cafcass team, the MACH and Louise Hollick met Sue Butcher.",
    "Child A and Child B live with the Mockingbird hub carers in Thornaby.",
]
PLAIN_NOTES = [
    "Four children live in unregistered children's homes while awaiting a matched placement.",
    "Corporate and service leaders have kept up a council-wide improvement programme under the "
    "Middlesbrough Children Matter banner.",
]


def pack_with(tmp_path: Path, notes: list[str], name: str = "pack.yaml"):
    """Return the Evidence of a pack for Middlesbrough whose notes are `notes` (loaded as a user's pack is)."""
    lines = "".join(f"  - topic: placements\n    polarity: negative\n    text: {json.dumps(t)}\n" for t in notes)
    path = tmp_path / name
    path.write_text(PACK + lines, encoding="utf-8")
    return load_pack(path)


def sentences_of(text: str):
    """Return the sentences of each line of `text`, located by line."""
    out = []
    for number, line in enumerate(textwrap.dedent(text).strip().splitlines(), 1):
        if line.strip():
            out += split_sentences(Paragraph.from_text(line, line=number))
    return out


def check(text: str, evidence):
    return check_named_child(sentences_of(text), evidence)


@pytest.fixture
def named(tmp_path):
    return pack_with(tmp_path, NAMED_NOTES, "named.yaml")


@pytest.fixture
def plain(tmp_path):
    return pack_with(tmp_path, PLAIN_NOTES, "plain.yaml")


# -- names from the notes ------------------------------------------------------------------------


def test_names_from_the_notes_are_errors(named):
    found = check(
        """
        Jayden has had four placement moves this year.
        The plan for Amy Clarke drifted for months.
        Inspectors read Liam's records.
        Tyler waited too long for a decision.
        """,
        named,
    )
    assert [(d.code, d.effective_level, d.match) for d in found] == [
        ("PII01", "error", "Jayden"),
        ("PII01", "error", "Amy Clarke"),
        ("PII01", "error", "Liam"),
        ("PII01", "error", "Tyler"),
    ]
    first = found[0]
    assert first.name == "child-identified"
    assert first.message == "'Jayden' is a name from the pack's notes; documents must not name a child"
    assert "Child A" in first.suggestion and "a child" in first.suggestion
    assert first.evidence == ("pack note 1 names 'Jayden'",)
    assert first.text == "Jayden has had four placement moves this year."
    assert first.location.line == 1


def test_a_name_from_the_notes_with_an_age_is_one_error(named):
    found = check("Jayden, aged 7, moved again in March.", named)
    assert [(d.effective_level, d.match) for d in found] == [("error", "Jayden")]


def test_staff_authority_inspectors_places_and_services_are_not_names(named):
    found = check(
        """
        Louise Hollick and Nick Stacey, His Majesty's Inspectors, met Sue Butcher.
        Middlesbrough Children Matter is the council's improvement programme.
        Cafcass and the MACH report that referrals are appropriate.
        Children placed in Hartlepool are visited regularly.
        Leaders have opened a Mockingbird hub in Thornaby.
        Child A and Child B now live together.
        Inspectors saw that plans were reviewed.
        """,
        named,
    )
    assert found == []


def test_a_common_word_is_not_a_name_because_a_note_capitalises_it(tmp_path):
    evidence = pack_with(tmp_path, ["Recently Jayden moved.", "Four children moved placement."])
    assert [d.match for d in check("Recently, four children moved. Jayden moved.", evidence)] == ["Jayden"]


def test_no_pack_means_no_names_but_other_checks_still_run():
    found = check_named_child(sentences_of("Jayden moved. Her case number is 445566."), None)
    assert [d.match for d in found] == ["case number is 445566"]


# -- dates of birth ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, match",
    [
        ("One child (date of birth 12/03/2015) waited a year.", "date of birth 12/03/2015"),
        ("The child, DOB: 3 March 2016, moved twice.", "DOB: 3 March 2016"),
        ("A child born on 3 March 2016 waited too long.", "born on 3 March 2016"),
        ("A child born in March 2016 waited too long.", "born in March 2016"),
        ("A baby born 2016-03-03 was placed with carers.", "born 2016-03-03"),
    ],
)
def test_dates_of_birth_are_errors(plain, sentence, match):
    found = check(sentence, plain)
    assert [(d.effective_level, d.match) for d in found] == [("error", match)]
    assert "date of birth" in found[0].message


def test_a_year_of_birth_alone_is_only_a_hint(plain):
    found = check("Some of the children were born in 2015.", plain)
    assert [(d.effective_level, d.match) for d in found] == [("info", "born in 2015")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Social workers check each child's date of birth before a review.",
        "Pre-birth assessments for unborn babies are timely.",
        "Children born into families facing neglect are identified early.",
    ],
)
def test_birth_without_a_date_is_fine(plain, sentence):
    assert check(sentence, plain) == []


# -- case numbers and identifiers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, match",
    [
        ("The child's case number 123456 was recorded.", "case number 123456"),
        ("See case ref: 88123 for the chronology.", "case ref: 88123"),
        ("His NHS number is 943 476 5919.", "NHS number is 943 476 5919"),
        ("The record (Mosaic ID: 7788990) was updated.", "Mosaic ID: 7788990"),
        ("Her LCS 1234567 record shows three moves.", "LCS 1234567"),
        ("The record for ID: 445566 was closed.", "ID: 445566"),
        ("The child's file 20457731 was closed.", "20457731"),
    ],
)
def test_case_numbers_are_errors(plain, sentence, match):
    found = check(sentence, plain)
    assert [(d.effective_level, d.match) for d in found] == [("error", match)]
    assert "case or record number" in found[0].message


@pytest.mark.parametrize(
    "sentence",
    [
        "Section 47 enquiries were completed for 1,234 children in 2021.",
        "Please telephone 0300 123 1231 or 01206 878178.",
        "The number of cases per worker fell to 17.6 in March 2022.",
        "In 2021, the service received 123456 contacts.",
        "A small number of children, aged 16 to 17, live in unregulated accommodation.",
    ],
)
def test_figures_that_are_not_identifiers_are_fine(plain, sentence):
    assert check(sentence, plain) == []


# -- a first name with an age --------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, match",
    [
        ("Kayden, aged 9, moved placement three times.", "Kayden, aged 9"),
        ("Recently Kayden, aged nine, moved again.", "Kayden, aged nine"),
        ("Maisie (6) has waited a year for adoption.", "Maisie (6)"),
        ("Maisie, 6 years old, waited a year.", "Maisie, 6 years old"),
    ],
)
def test_a_first_name_with_an_age_is_a_warning(plain, sentence, match):
    found = check(sentence, plain)
    assert [(d.effective_level, d.match) for d in found] == [("warning", match)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Child A, aged 7, moved placement three times.",
        "Children aged 16 to 17 who present as homeless are assessed.",
        "Teenagers, aged 16 and 17, are supported by personal advisers.",
        "Young people (aged 16 to 17) live in supported accommodation.",
        "Care leavers, aged 18 to 21, have pathway plans.",
    ],
)
def test_ages_without_a_name_are_fine(plain, sentence):
    assert check(sentence, plain) == []


# -- directives and the word list -----------------------------------------------------------------


def test_ignore_directive_silences_it(named):
    paragraph = Paragraph("Jayden moved again.", ignore=frozenset({"child-identified"}))
    assert check_named_child(split_sentences(paragraph), named) == []
    paragraph = Paragraph("Jayden moved again.", ignore=frozenset({"QNT01"}))
    assert len(check_named_child(split_sentences(paragraph), named)) == 1


def test_the_word_list_is_data(tmp_path):
    privacy = load_privacy()
    assert "Ofsted" in privacy.common_words and "DOB" in privacy.birth_date_cues
    bad = tmp_path / "privacy.yaml"
    bad.write_text("schema: privacy/1\ncommon_words: [Ofsted]\n", encoding="utf-8")
    with pytest.raises(RulebookError) as err:
        load_privacy(bad)
    assert "months" in str(err.value)


# -- real Ofsted documents: only staff and the authority are named ---------------------------------


@pytest.mark.skipif(not REPORT.is_file(), reason="seed documents not found")
@pytest.mark.parametrize("document", [REPORT, LETTER], ids=["inspection-report", "monitoring-letter"])
def test_real_reports_name_no_child(plain, named, document):
    draft = read_draft(document)
    sentences = [s for p in draft.paragraphs for s in split_sentences(p)]
    assert len(sentences) > 80
    for evidence in (plain, named):
        found = check_named_child(sentences, evidence)
        assert [d for d in found if d.effective_level == "error"] == []
        assert found == [], [(d.match, d.message) for d in found]


@pytest.mark.skipif(not REPORT.is_file(), reason="seed documents not found")
def test_the_inspection_report_is_long(plain):
    assert len(REPORT.read_text(encoding="utf-8")) > 36_000
