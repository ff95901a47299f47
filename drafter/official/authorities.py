"""The register of local authorities: find one by name (any case), LA number or ONS code; its neighbours and ILACS.

Names are matched after folding case, '&' and punctuation and dropping council words
("Middlesbrough Council", "London Borough of Barnet"), so the names DfE, Ofsted and users
write all find the same authority. An unknown name gets the nearest names as "did you mean".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from drafter.errors import DrafterError, Problem
from drafter.official.dataset import Authority, Dataset, load_dataset
from drafter.problems import nearest

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_PREFIXES = ("london borough of ", "royal borough of ", "the royal borough of ", "borough of ", "the ")
_SUFFIXES = (" metropolitan borough council", " metropolitan district council", " county council",
             " borough council", " city council", " district council", " council", " children's services",
             " childrens services")
GRADES = {"outstanding": "outstanding", "good": "good", "requires improvement to be good": "requires_improvement",
          "requires improvement": "requires_improvement", "inadequate": "inadequate"}


def fold(name: str) -> str:
    """Return a name folded for matching: lower case, '&' as 'and', no punctuation, single spaces."""
    text = name.lower().replace("&", " and ").replace("’", "'")
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix):]
    text = _PUNCT.sub(" ", text.replace("'", ""))
    return " ".join(text.split())


def name_forms(name: str) -> set[str]:
    """Return the folded forms a name may take: 'Bristol, City of' is also 'City of Bristol' and 'Bristol'."""
    forms = {fold(name)}
    if ", " in name:
        head, _, tail = name.partition(", ")
        forms |= {fold(f"{tail} {head}"), fold(head)}
    return {f for f in forms if f}


def _index(dataset: Dataset) -> dict[str, str]:
    return dataset.memoised(("name index",), lambda: _build_index(dataset))


def _build_index(dataset: Dataset) -> dict[str, str]:
    index: dict[str, str] = {}
    # former authorities first, so a current one wins a shared name (Dorset 835 and 838)
    for auth in sorted(dataset.authorities.values(), key=lambda a: (a.current, a.code)):
        for name in (auth.name, *auth.aliases):
            for form in name_forms(name):
                index[form] = auth.code
        for ons in auth.ons:
            index[ons.lower()] = auth.code
        index[auth.code] = auth.code
    return index


def lookup(query: str, dataset: Dataset | None = None) -> Authority | None:
    """Return the authority a name, LA number or ONS code names, or None when none matches."""
    dataset = dataset or load_dataset()
    text = str(query).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    index = _index(dataset)
    code = index.get(text.lower()) or index.get(fold(text))
    return dataset.authorities.get(code) if code else None


def find_authority(query: str) -> Authority:
    """Return the authority named; raise DrafterError with the nearest names when none matches."""
    found = lookup(query)
    if found is not None:
        return found
    dataset = load_dataset()
    names = sorted({a.name for a in dataset.authorities.values() if a.current})
    close = nearest(query, names, n=3) or nearest(fold(query), [fold(n) for n in names], n=3)
    by_fold = {fold(n): n for n in names}
    close = [by_fold.get(c, c) for c in close]
    hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?") if close else \
        "give the name as DfE writes it (e.g. 'Middlesbrough'), the LA number (806) or the ONS code (E06000002)"
    raise DrafterError(Problem(f"no local authority called {query!r}", path="--authority", found=repr(query),
                               expected="one of the 153 English local authorities: a name, LA number or ONS code",
                               hint=hint))


def current_authorities() -> list[Authority]:
    """Return the current authorities (those in DfE's latest statistical neighbour model), by LA number."""
    return sorted((a for a in load_dataset().authorities.values() if a.current), key=lambda a: a.code)


def region_name(code: str) -> str:
    """Return a region's name ('North East'), or the code when the register does not know it."""
    return load_dataset().regions.get(code, code)


@dataclass(frozen=True)
class Neighbours:
    """An authority's statistical neighbours in one DfE model: codes in order, with closeness."""

    model: str
    model_name: str
    codes: tuple[str, ...]
    closeness: tuple[str, ...]


def neighbours_at(code: str, when: dt.date, dataset: Dataset | None = None) -> Neighbours | None:
    """Return the neighbours in the latest model in force at `when` that lists the authority, else the
    nearest later model that lists it; None when no model does."""
    models = sorted((dataset or load_dataset()).neighbours.values(), key=lambda m: m["from"])
    listing = [m for m in models if code in m["groups"]]
    if not listing:
        return None
    in_force = [m for m in listing if dt.date.fromisoformat(m["from"]) <= when]
    model = in_force[-1] if in_force else listing[0]
    group = model["groups"][code]
    return Neighbours(model["id"], model["name"], tuple(g[0] for g in group), tuple(g[1] for g in group))


@dataclass(frozen=True)
class Inspection:
    """One ILACS inspection: dates, type and the grades, as Ofsted published them."""

    inspected: dt.date
    published: dt.date
    type: str
    overall: str | None
    grades: dict[str, str | None]


def inspections_known(code: str, as_of: dt.date) -> list[Inspection]:
    """Return the authority's ILACS inspections published on or before `as_of`, oldest first."""
    out = []
    for r in load_dataset().ilacs.get(code, []):
        published = dt.date.fromisoformat(r["published"])
        if published <= as_of:
            out.append(Inspection(dt.date.fromisoformat(r["inspected"]), published, r["type"], r.get("overall"),
                                  dict(r.get("grades", {}))))
    return sorted(out, key=lambda i: i.published)


def last_inspection(code: str, as_of: dt.date) -> Inspection | None:
    """Return the latest ILACS inspection whose report was published by `as_of`, or None."""
    known = inspections_known(code, as_of)
    return known[-1] if known else None
