"""Invented Annex A rows for a medium authority, seeded: the clean data behind tools/make_annex_a.py.

Every child, worker and postcode is made up. `generate()` returns real dates, ints and tidy
text per list (header -> value), so tests can work out every measure from them directly.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

D = dt.timedelta
SIZES = {1: 11000, 2: 2000, 3: 3200, 4: 3300, 5: 1200, 6: 2700, 7: 600, 8: 600, 9: 450, 10: 80, 11: 50}

HEADERS = {
    1: ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age", "Date of Contact", "Contact Source"],
    2: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Assessment start date",
        "Assessment completion date",
        "Organisation completing assessment",
    ],
    3: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Date of Referral",
        "Referral Source",
        "Referral NFA?",
        "Number of Referrals in Last 12 Months",
        "Allocated Team",
        "Allocated Worker",
    ],
    4: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Does the Child have a Disability",
        "Continuous Assessment Start Date",
        "Child Seen During Continuous Assessment",
        "Continuous Assessment Date of Authorisation",
        "Was the child assessed as requiring LA children's social care support?",
        "Allocated Team",
        "Allocated Worker",
    ],
    5: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Does the Child have a Disability",
        "Strategy discussion initiating Section 47 Enquiry Start Date",
        "Was an Initial Child Protection Conference deemed unnecessary?",
        "Date of Initial Child Protection Conference",
        "Did the Initial Child Protection Conference Result in a Child Protection Plan",
        "Number of Section 47 Enquiries in the last 12 months",
        "Number of ICPCs in the last 12 months",
        "Allocated Team",
        "Allocated Worker",
    ],
    6: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Does the Child have a Disability",
        "CIN Start Date",
        "Primary Need Code",
        "Date Child Was Last Seen",
        "CIN Closure Date",
        "Reason for Closure",
        "Case Status",
        "Allocated Team",
        "Allocated Worker",
    ],
    7: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Does the Child have a Disability",
        "Child Protection Plan Start Date",
        "Initial Category of Abuse",
        "Latest Category of Abuse",
        "Date of the Last Statutory Visit",
        "Was the Child Seen Alone?",
        "Date of latest review conference",
        "Child Protection Plan End Date",
        "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six Months (Y/N)",
        "Number of Previous Child Protection Plans",
        "Allocated Team",
        "Allocated Worker",
    ],
    8: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
        "Does the Child have a Disability",
        "Date Started to be Looked After",
        "Child's Category of Need",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
        "Start date of current legal status",
        "Child's Legal Status",
        "Date of Latest Statutory Review",
        "Date of Last Social Work Visit",
        "What is the permanence plan for this child?",
        "Date of Last IRO Visit / Contact to the Child",
        "Date of Last Health Assessment",
        "Date of Last Dental Check",
        "Number of Placements in the Last 12 months",
        "Date Ceased to be Looked After",
        "Reason Ceased to be Looked After",
        "Start Date of Most Recent Placement",
        "Placement Type",
        "Placement Provider",
        "Placement postcode",
        "URN of Placement",
        "Placement Location",
        "LA of Placement",
        "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement in the last 12 months",
        "Number of Episodes the Child has been \u2018Absent\u2019 from their Placement in the last 12 months",
        "Was the child offered a Return Interview after their last missing episode (Y/N)?",
        "Did the child accept a Return Interview after their last missing episode (Y/N)?",
        "Allocated Team",
        "Allocated Worker",
    ],
    9: [
        "Child Unique ID",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age",
        "Does the Child have a Disability",
        "Allocated Team",
        "Allocated Worker",
        "Eligibility Category",
        "LA in Touch",
        "Type of Accommodation",
        "Suitability of Accommodation",
        "Activity Status",
    ],
    10: [
        "Child Unique ID",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Date of Birth",
        "Age of Child (Years)",
        "Does the Child have a Disability",
        "Date the Child Entered Care",
        "Date of Decision that Child Should be Placed for Adoption",
        "Date of Placement Order",
        "Date of Matching Child and Prospective Adopters",
        "Date Placed for Adoption",
        "Date of Adoption Order",
        "Date of Decision that Child Should No Longer be Placed for Adoption",
        "Reason Why Child No Longer Placed for Adoption",
        "Date the child was placed for fostering in FFA or concurrent planning placement",
    ],
    11: [
        "Individual adopter identifier",
        "Family identifier",
        "Gender",
        "Ethnicity",
        "Disability",
        "Is the (prospective) adopter fostering for adoption?",
        "Date enquiry received",
        "Date Stage 1 started",
        "Date Stage 1 ended",
        "Date Stage 2 started",
        "Date Stage 2 ended",
        "Date application submitted",
        "Date application approved",
        "Date adopter matched with child(ren)",
        "Date child/children placed with adopter(s)",
        "No. of children placed",
        "Date of Adoption Order",
        "Date of leaving adoption process",
        "Reason for leaving adoption process",
    ],
}
MISSING = HEADERS[8][28]  # the number of missing episodes in the last 12 months
TITLES = {
    1: "Contacts",
    2: "Early help",
    3: "Referrals",
    4: "Assessments",
    5: "Section 47 enquiries and ICPCs",
    6: "Children in need",
    7: "Child protection plans",
    8: "Children in care",
    9: "Care leavers",
    10: "Adoption",
    11: "Adopters",
}
TEAMS = {
    3: ["Multi Agency Safeguarding Hub", "Duty and Assessment North", "Duty and Assessment South"],
    4: ["Duty and Assessment North", "Duty and Assessment South", "Children with Disabilities", "Family Support East"],
    5: ["Duty and Assessment North", "Duty and Assessment South", "Children with Disabilities"],
    6: ["Family Support East", "Family Support West", "Children with Disabilities"],
    7: ["Child Protection North", "Child Protection South", "Children with Disabilities"],
    8: ["Children in Care 1", "Children in Care 2", "Children in Care 3", "Children with Disabilities"],
    9: ["Leaving Care Team", "Leaving Care 18 Plus"],
}
FIRST = (
    "Amara Ben Chloe Dev Ella Farid Grace Hamza Isla Jon Kezia Liam Maya Noor Owen Priya Quinn Rosa Sami Tess Umar "
    "Vera Wes Yara Zac"
).split()
LAST = (
    "Ashdown Brackley Corran Dunmore Elsworth Fenwick Garside Holloway Ingram Jessop Kendrick Lorimer Marchetti "
    "Nuttall Okafor Pennock Quarrie Rudd Sowerby Thackray Udall Varley Whitlock Yeadon"
).split()
GENDERS = ["a) Male", "b) Female", "c) Not stated/recorded"]
ETHNICITIES = ["a) WBRI", "a) WBRI", "a) WBRI", "d) WOTH", "f) MWBC", "j) AIND", "k) APKN", "o) BAFR", "r) OOTH"]
SOURCES = ["q) 6: Police", "e) 2A: Schools", "g) 3A: Health services", "a) 1A: Individual", "s) 8: Other"]
ACTIVITY = [
    "F1: Full time in higher education",
    "P1: Part time in higher education",
    "F2: Full time in education other than higher",
    "P2: Part time in education other than higher",
    "F3: Full time in training or employment",
    "P3: Part time in training or employment",
    "G4: Not in education, employment or training - illness or disability",
    "G5: Not in education, employment or training - other",
    "G6: Not in education, employment or training - pregnancy or parenting",
]
ACTIVITY_WEIGHTS = [8, 2, 16, 3, 18, 8, 10, 28, 7]
IN_TOUCH = (["a) Yes", "b) No", "c) Died", "d) Refu", "e) NREQ", "f) Rhom"], [88, 5, 1, 3, 2, 1])
SUITABLE = (["a) Suitable", "b) Unsuitable"], [88, 12])


@dataclass
class AnnexA:
    """Clean rows per list (header -> value) and what was used to make them."""

    as_of: dt.date
    start: dt.date
    lists: dict[int, list[dict]] = field(default_factory=dict)


@dataclass
class _Child:
    id: int
    dob: dt.date
    gender: str
    ethnicity: str


def generate(seed: int = 1, as_of: dt.date = dt.date(2024, 3, 31), scale: float = 1.0) -> AnnexA:
    """Return six months of invented Annex A rows ending on `as_of` (scale 1: about 25,000 rows)."""
    rng = random.Random(seed)
    start = _months_before(as_of, 6) + D(days=1)
    data = AnnexA(as_of, start)
    ids = rng.sample(range(100_000, 99_999_999), int(16000 * scale) + 100)
    children = [
        _Child(i, as_of - D(days=rng.randint(0, 17 * 365)), rng.choice(GENDERS), rng.choice(ETHNICITIES)) for i in ids
    ]
    workers = [
        f"{rng.choice(FIRST)}\u00a0{rng.choice(LAST)}" if n % 3 == 0 else f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        for n in range(60)
    ]

    def n(number: int) -> int:
        return max(3, round(SIZES[number] * scale))

    def person(c: _Child) -> dict:
        return {
            "Child Unique ID": c.id,
            "Gender": c.gender,
            "Ethnicity": c.ethnicity,
            "Date of Birth": c.dob,
            "Age": round((as_of - c.dob).days / 365.25, 1),
        }

    def in_window() -> dt.date:
        return start + D(days=rng.randint(0, (as_of - start).days))

    def team(number: int) -> str | None:
        return None if rng.random() < 0.02 else rng.choice(TEAMS[number])

    def plus_working_days(day: dt.date, count: int) -> dt.date:
        while count > 0:
            day += D(days=1)
            count -= day.weekday() < 5
        return day

    data.lists[1] = [
        {**person(rng.choice(children)), "Date of Contact": in_window(), "Contact Source": rng.choice(SOURCES)}
        for _ in range(n(1))
    ]
    data.lists[2] = []
    for _ in range(n(2)):
        s = in_window()
        done = s + D(days=rng.randint(5, 60))
        data.lists[2].append(
            {
                **person(rng.choice(children)),
                "Assessment start date": s,
                "Assessment completion date": done if done <= as_of else None,
                "Organisation completing assessment": rng.choice(["Early Help Hub", "Family Hub West"]),
            }
        )
    data.lists[3] = [
        {
            **person(rng.choice(children)),
            "Date of Referral": in_window(),
            "Referral Source": rng.choice(SOURCES),
            "Referral NFA?": rng.choice(["a) Yes", "b) No", "b) No", "b) No"]),
            "Number of Referrals in Last 12 Months": rng.choices([0, 1, 2, 3, 5], [74, 16, 6, 3, 1])[0],
            "Allocated Team": team(3),
            "Allocated Worker": rng.choice(workers),
        }
        for _ in range(n(3))
    ]
    data.lists[4] = []
    for _ in range(n(4)):
        authorised = in_window() if rng.random() > 0.04 else None
        base = authorised or as_of
        taken = rng.choices([rng.randint(5, 45), rng.randint(46, 120)], [82, 18])[0]
        began = base - D(days=round(taken * 7 / 5) + rng.randint(0, 2))
        if rng.random() < 0.004:
            began = base + D(days=rng.randint(1, 5))  # started after it was authorised: a recording error
        data.lists[4].append(
            {
                **person(rng.choice(children)),
                "Does the Child have a Disability": "b) No",
                "Continuous Assessment Start Date": began,
                "Child Seen During Continuous Assessment": "a) Yes",
                "Continuous Assessment Date of Authorisation": authorised,
                "Was the child assessed as requiring LA children's social care support?": "a) Yes",
                "Allocated Team": team(4),
                "Allocated Worker": rng.choice(workers),
            }
        )
    data.lists[5] = []
    for _ in range(n(5)):
        strategy = in_window()
        conference = plus_working_days(strategy, rng.choices([rng.randint(4, 15), rng.randint(16, 30)], [78, 22])[0])
        held = rng.random() < 0.45 and conference <= as_of
        data.lists[5].append(
            {
                **person(rng.choice(children)),
                "Does the Child have a Disability": "b) No",
                "Strategy discussion initiating Section 47 Enquiry Start Date": strategy,
                "Was an Initial Child Protection Conference deemed unnecessary?": "b) No" if held else "a) Yes",
                "Date of Initial Child Protection Conference": conference if held else None,
                "Did the Initial Child Protection Conference Result in a Child Protection Plan": rng.choice(
                    ["a) Yes", "b) No"]
                )
                if held
                else None,
                "Number of Section 47 Enquiries in the last 12 months": rng.randint(0, 3),
                "Number of ICPCs in the last 12 months": rng.randint(0, 2),
                "Allocated Team": team(5),
                "Allocated Worker": rng.choice(workers),
            }
        )
    data.lists[6] = [
        {
            **person(rng.choice(children)),
            "Does the Child have a Disability": "b) No",
            "CIN Start Date": as_of - D(days=rng.randint(10, 900)),
            "Primary Need Code": "N1 - Abuse or neglect",
            "Date Child Was Last Seen": as_of - D(days=rng.randint(0, 60)),
            "CIN Closure Date": None,
            "Reason for Closure": None,
            "Case Status": "c) Child in need plan",
            "Allocated Team": team(6),
            "Allocated Worker": rng.choice(workers),
        }
        for _ in range(n(6))
    ]
    data.lists[7] = []
    for _ in range(n(7)):
        began = as_of - D(days=rng.choices([rng.randint(0, 400), rng.randint(401, 1100)], [80, 20])[0])
        ended = None
        if rng.random() < 0.4:
            ended = in_window()
            if ended < began:
                began, ended = ended - D(days=rng.randint(60, 300)), ended
        data.lists[7].append(
            {
                **person(rng.choice(children)),
                "Does the Child have a Disability": "b) No",
                "Child Protection Plan Start Date": began,
                "Initial Category of Abuse": "a) Neglect",
                "Latest Category of Abuse": "a) Neglect",
                "Date of the Last Statutory Visit": as_of - D(days=rng.randint(0, 20)),
                "Was the Child Seen Alone?": "a) Yes",
                "Date of latest review conference": None,
                "Child Protection Plan End Date": ended,
                HEADERS[7][13]: "b) No",  # subject to an emergency protection order in the last six months
                "Number of Previous Child Protection Plans": rng.choices([0, 1, 2, 3], [76, 18, 5, 1])[0],
                "Allocated Team": team(7),
                "Allocated Worker": rng.choice(workers),
            }
        )
    data.lists[8] = []
    in_care = rng.sample(children, n(8))
    for number, c in enumerate(in_care):
        began = as_of - D(days=rng.randint(20, 3650))
        ceased = in_window() if rng.random() < 0.12 else None
        if ceased is not None and ceased <= began:
            ceased = None
        rows = [(began, ceased)]
        if number % 80 == 0 and ceased is None:  # a second period of care: the first ended months ago
            rows = [(began - D(days=900), began - D(days=300)), (began, None)]
        for b, e in rows:
            data.lists[8].append(_child_in_care(rng, c, person(c), b, e, as_of, team(8), rng.choice(workers)))
    data.lists[9] = [
        {
            **person(c),
            "Does the Child have a Disability": "b) No",
            "Allocated Team": team(9),
            "Allocated Worker": rng.choice(workers),
            "Eligibility Category": "b) Former relevant child",
            "LA in Touch": rng.choices(*IN_TOUCH)[0],
            "Type of Accommodation": "U: Independent living",
            "Suitability of Accommodation": rng.choices(*SUITABLE)[0] if rng.random() > 0.02 else None,
            "Activity Status": rng.choices(ACTIVITY, ACTIVITY_WEIGHTS)[0],
        }
        for c in rng.sample(children, n(9))
    ]
    data.lists[10] = [_adoption(rng, c, person(c), as_of) for c in rng.sample(children, n(10))]
    data.lists[11] = [_adopter(rng, as_of) for _ in range(n(11))]
    return data


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return dt.date(year, month + 1, min(day.day, last[month]))


def _child_in_care(
    rng: random.Random,
    c: _Child,
    base: dict,
    began: dt.date,
    ceased: dt.date | None,
    as_of: dt.date,
    team: str | None,
    worker: str,
) -> dict:
    visit = as_of - D(days=rng.choices([rng.randint(0, 42), rng.randint(43, 90)], [86, 14])[0])
    return {
        **base,
        "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)": "b) No",
        "Does the Child have a Disability": "b) No",
        "Date Started to be Looked After": began,
        "Child's Category of Need": "N1 - Abuse or neglect",
        "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)": "b) No",
        "Start date of current legal status": began,
        "Child's Legal Status": "C2: FCO",
        "Date of Latest Statutory Review": as_of - D(days=rng.randint(0, 180)),
        "Date of Last Social Work Visit": visit if visit >= began else None,
        "What is the permanence plan for this child?": "f) Long-term fostering",
        "Date of Last IRO Visit / Contact to the Child": as_of - D(days=rng.randint(0, 200)),
        "Date of Last Health Assessment": as_of - D(days=rng.randint(0, 365)),
        "Date of Last Dental Check": as_of - D(days=rng.randint(0, 365)),
        "Number of Placements in the Last 12 months": rng.choices([1, 2, 3, 4, 6], [68, 21, 7, 3, 1])[0],
        "Date Ceased to be Looked After": ceased,
        "Reason Ceased to be Looked After": "e) E4A: Returned home to live with parents or relatives - part of planning"
        if ceased
        else None,
        "Start Date of Most Recent Placement": began + D(days=rng.randint(0, 30)),
        "Placement Type": "f) U6: Foster placement - not FFA",
        "Placement Provider": "b) PR1: Own provision",
        "Placement postcode": f"{rng.choice('ABDEHLMNSTW')}{rng.choice('ABCEHKLMPRSTW')}{rng.randint(1, 29)} "
        f"{rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
        "URN of Placement": None,
        "Placement Location": "a) In",
        "LA of Placement": None,
        MISSING: rng.choices([0, 1, 2, 5, 12], [87, 6, 4, 2, 1])[0],
        HEADERS[8][29]: rng.choice([0, 0, 1]),  # absent from the placement
        "Was the child offered a Return Interview after their last missing episode (Y/N)?": None,
        "Did the child accept a Return Interview after their last missing episode (Y/N)?": None,
        "Allocated Team": team,
        "Allocated Worker": worker,
    }


def _adoption(rng: random.Random, c: _Child, base: dict, as_of: dt.date) -> dict:
    placed = as_of - D(days=rng.randint(0, 364))
    matched = placed - D(days=rng.randint(7, 60))
    order = matched - D(days=rng.randint(20, 300))
    decision = order - D(days=rng.randint(20, 150))
    entered = decision - D(days=rng.randint(60, 400))
    adopted = placed + D(days=rng.randint(120, 300))
    if rng.random() < 0.1:
        placed = None  # matched, not yet placed
        adopted = None
    return {
        **base,
        "Family identifier": rng.randint(1_000_000, 9_999_999),
        "Age of Child (Years)": max(0, (as_of - c.dob).days // 365),
        "Does the Child have a Disability": "b) No",
        "Date the Child Entered Care": entered,
        "Date of Decision that Child Should be Placed for Adoption": decision,
        "Date of Placement Order": order,
        "Date of Matching Child and Prospective Adopters": matched,
        "Date Placed for Adoption": placed,
        "Date of Adoption Order": adopted if adopted and adopted <= as_of else None,
        "Date of Decision that Child Should No Longer be Placed for Adoption": None,
        "Reason Why Child No Longer Placed for Adoption": None,
        "Date the child was placed for fostering in FFA or concurrent planning placement": None,
    }


def _adopter(rng: random.Random, as_of: dt.date) -> dict:
    enquiry = as_of - D(days=rng.randint(60, 700))
    steps = [enquiry + D(days=30 * k + rng.randint(0, 20)) for k in range(1, 9)]
    return {
        "Individual adopter identifier": rng.randint(1_000_000, 9_999_999),
        "Family identifier": rng.randint(1_000_000, 9_999_999),
        "Gender": rng.choice(GENDERS[:2]),
        "Ethnicity": rng.choice(ETHNICITIES),
        "Disability": "b) No",
        "Is the (prospective) adopter fostering for adoption?": "b) No",
        "Date enquiry received": enquiry,
        **{h: d if d <= as_of else None for h, d in zip(HEADERS[11][7:15], steps, strict=False)},
        "No. of children placed": rng.choice([1, 1, 2]),
        "Date of Adoption Order": None,
        "Date of leaving adoption process": None,
        "Reason for leaving adoption process": None,
    }
