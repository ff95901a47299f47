"""Letter conventions from published letters: the letter's own date, and earlier visits named.

An Ofsted letter bears the date it is sent, some weeks after the visit (the third monitoring
visit in the seed documents was on 29 and 30 March 2022; its letter is dated 6 May 2022), and its
opening names any focused or assurance visits since the last inspection.
"""

from __future__ import annotations

import datetime as dt

from drafter.evidence.models import DocumentInfo
from drafter.vocab import wording

# By default a letter is dated this many working days (Monday to Friday) after the last day of
# the visit: about three weeks, the time a draft letter takes to be written, checked for factual
# accuracy and sent. Bank holidays are not counted out; set `document.date` for the real date.
WORKING_DAYS_AFTER_VISIT = 15

VISIT_WORDS = {
    "focused_visit": "a focused visit",
    "assurance_visit": "an assurance visit",
    "monitoring_visit": "a monitoring visit",
    "inspection": "an inspection",
    "joint_targeted_area_inspection": "a joint targeted area inspection",
}


def add_working_days(day: dt.date, days: int) -> dt.date:
    """Return the date `days` working days (Monday to Friday) after `day`."""
    while days > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def letter_date(doc: DocumentInfo, as_of: dt.date) -> dt.date:
    """Return the date the letter bears: `document.date`, else working days after the visit, else as_of."""
    if doc.date is not None:
        return doc.date
    if doc.visit_dates and doc.kind in ("monitoring_visit", "focused_visit"):
        return add_working_days(max(doc.visit_dates), WORKING_DAYS_AFTER_VISIT)
    return as_of


def earlier_visits(doc: DocumentInfo) -> list[str]:
    """Return the earlier visits in words, oldest first: ['a focused visit in July 2021']."""
    visits = sorted(doc.earlier_visits, key=lambda v: str(v.date))
    return [f"{VISIT_WORDS[v.kind]} in {wording.month_year(v.date)}" for v in visits]
