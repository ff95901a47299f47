"""Comparators by period: the England, regional and statistical-neighbour figures a value may be set beside.

For a value describing a period that ends on day E, in a pack dated `as_of`, the comparator is
the figure for the latest year that (1) had been published by `as_of` (counted from the end of
its publication's release month) and (2) describes a period ending no later than E. Never a
later year. A pack's own `comparators:` entry wins; indicators DfE does not publish fall back
to a dated figure in the catalogue under the same rule. When nothing qualifies the caller gets
NotEvaluable with the reason, so a rule says "not evaluable" instead of quoting the wrong year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from drafter.errors import NotEvaluable
from drafter.official import authorities
from drafter.official.dataset import Dataset, load_dataset
from drafter.official.measures import available_from, load_measures, period_end
from drafter.vocab import wording

GROUPS = ("england", "region", "statistical_neighbours")


@dataclass(frozen=True)
class Figure:
    """One comparator figure, with the period it describes, when it was published and where from."""

    group: str  # england | region | statistical_neighbours
    value: float
    name: str  # 'England', 'North East', "statistical neighbours'"
    period: str | None  # YYYY-MM: the end of the period the figure describes (None for a pack's own)
    when: str  # 'for 2023 to 2024', 'at 30 September 2023' ('' for a pack's own)
    published: str | None  # YYYY-MM when from official data or a dated catalogue figure
    detail: str  # the group and the publication, for provenance
    approximate: bool = False


@dataclass(frozen=True)
class _Candidate:
    end: dt.date
    published: str
    when: str
    noun: str
    source: str
    approximate: bool = False


def _month_words(month: str) -> str:
    return wording.month_year(month)


def _group_name(group: str, region: str = "") -> str:
    return region if group == "region" else wording.comparator_group(group)


def official_years(dataset: Dataset, indicator: str) -> list[tuple[int, _Candidate]]:
    """Return (year, candidate) for every published year of an official indicator, newest first."""
    return dataset.memoised(("years", indicator), lambda: _official_years(dataset, indicator))


def _official_years(dataset: Dataset, indicator: str) -> list[tuple[int, _Candidate]]:
    measure = dataset.measures[indicator]
    publication = dataset.publications[measure["publication"]]
    out = []
    for year in reversed(dataset.years(indicator)):
        basis = measure["basis"]
        released = publication["released"].get(str(year))
        if released is None:
            continue
        source = (f"{publication['publisher'].replace('Department for Education', 'DfE')} {publication['name']}, "
                  f"{wording.official_period(basis, year)}, published {_month_words(released)}")
        out.append((year, _Candidate(period_end(basis, year), released, wording.official_when(basis, year),
                                     wording.official_period(basis, year), source)))
    return out


def _choose(candidates, value_end: dt.date, as_of: dt.date, label: str, indicator: str):
    """Return the candidates that qualify, newest first; raise NotEvaluable saying why none does."""
    settings = load_measures().comparators
    published = [(key, c) for key, c in candidates if available_from(c.published) <= as_of]
    usable = [(key, c) for key, c in published if c.end <= value_end]
    if not usable:
        if not published:
            why = f"no {label} figure for {indicator} had been published by {wording.date_words(as_of)}"
        else:
            why = (f"no {label} figure for {indicator} published by {wording.date_words(as_of)} describes a period "
                   f"ending by {wording.date_words(value_end)}: the earliest is {published[-1][1].noun}")
        raise NotEvaluable([f"{indicator}:{_missing_key(label)}"], [why])
    newest = usable[0][1]
    if (value_end - newest.end).days > settings.max_age_years * 365.25:
        raise NotEvaluable([f"{indicator}:{_missing_key(label)}"], [
            f"the latest {label} figure for {indicator} published by {wording.date_words(as_of)} is for "
            f"{newest.noun}, more than {wording.num(settings.max_age_years)} years before the value's period"])
    return usable


def _missing_key(label: str) -> str:
    return {"England": "england", "statistical neighbours'": "statistical_neighbours"}.get(label, "region")


def _authority(authority: str, la_code: str | None, dataset: Dataset) -> authorities.Authority | None:
    return dataset.memoised(("authority", authority, la_code), lambda: authorities.lookup(la_code or authority,
                                                                                         dataset))


def pack_authority(authority: str, la_code: str | None = None) -> authorities.Authority | None:
    """Return the register entry for a pack's authority (its `la_code`, else its name), or None."""
    return _authority(authority, la_code, load_dataset())


def _unknown(indicator: str, group: str, authority: str) -> NotEvaluable:
    return NotEvaluable([f"{indicator}:{group}"], [
        f"{indicator}: the {'region' if group == 'region' else 'statistical neighbours'} of {authority!r} are not "
        "known: the name is not one of the English local authorities (set `la_code` in the pack to its LA number)"])


def _neighbour_mean(dataset: Dataset, indicator: str, year: int, code: str, when: dt.date):
    group = authorities.neighbours_at(code, when, dataset)
    if group is None:
        return None, 0, None
    seen: dict[str, float] = {}
    for neighbour in group.codes:
        value, area = dataset.area_value(indicator, year, neighbour)
        if value is not None:
            seen[area] = value  # a pair reported jointly counts once
    return (sum(seen.values()) / len(seen) if seen else None), len(seen), group


def official_figure(indicator: str, group: str, value_end: dt.date, as_of: dt.date,
                    authority: authorities.Authority | None, authority_name: str = "",
                    dataset: Dataset | None = None) -> Figure:
    """Return the official comparator for a value whose period ends on `value_end`; raise NotEvaluable."""
    dataset = dataset or load_dataset()
    if group != "england" and authority is None:
        raise _unknown(indicator, group, authority_name)
    region = authority.region if authority else ""
    name = _group_name(group, dataset.regions.get(region, region) if region else "")
    usable = _choose(official_years(dataset, indicator), value_end, as_of, name, indicator)
    settings = load_measures().comparators
    last_reason = ""
    for year, cand in usable:
        if (value_end - cand.end).days > settings.max_age_years * 365.25:
            break
        if group == "england":
            value = dataset.value(indicator, year, "england")
            detail = f"England; {cand.source}"
        elif group == "region":
            value = dataset.value(indicator, year, region)
            detail = f"{name}; {cand.source}"
        else:
            value, count, model = _neighbour_mean(dataset, indicator, year, authority.code, as_of)
            if model is None:
                raise NotEvaluable([f"{indicator}:{group}"], [
                    f"{indicator}: no DfE statistical neighbour model lists {authority.name}"])
            if count < settings.min_neighbours:
                last_reason = (f"only {count} of {authority.name}'s statistical neighbours have a published figure "
                               f"for {cand.noun}; at least {settings.min_neighbours} are needed")
                continue
            value = round(value, 1)
            detail = (f"statistical neighbours; the mean of the {count} of {len(model.codes)} neighbours with a figure "
                      f"in DfE's {model.model_name}; {cand.source}")
        if value is None:
            last_reason = f"no {name} figure for {indicator} was published for {cand.noun}"
            continue
        return Figure(group, float(value), name, cand.end.strftime("%Y-%m"), cand.when, cand.published, detail)
    raise NotEvaluable([f"{indicator}:{group}"], [last_reason or f"no {name} figure for {indicator} is usable"])


def static_figure(indicator: str, entries, value_end: dt.date, as_of: dt.date) -> Figure:
    """Return the catalogue's dated England figure that qualifies (same rule as official data)."""
    candidates = []
    for entry in entries:
        ends = entry.ends
        candidates.append((entry, _Candidate(ends, entry.published, f"for {entry.period}", entry.period,
                                             f"{entry.source}, published {_month_words(entry.published)}",
                                             entry.approximate)))
    candidates.sort(key=lambda kc: kc[1].end, reverse=True)
    entry, cand = _choose(candidates, value_end, as_of, "England", indicator)[0]
    detail = f"{entry.area}; {cand.source}" + ("; approximate" if cand.approximate else "")
    return Figure("england", float(entry.value), entry.area, cand.end.strftime("%Y-%m"), cand.when, cand.published,
                  detail, cand.approximate)


def has_official(indicator: str, dataset: Dataset | None = None) -> bool:
    """Return whether the bundled (or imported) official data holds figures for an indicator."""
    dataset = dataset or load_dataset()
    return indicator in dataset.measures and bool(dataset.values.get(indicator))


def resolve(evidence, indicator: str, group: str, team: str | None = None) -> Figure:
    """Return the comparator for an indicator's latest value in a pack: the pack's own, else official data,
    else the catalogue's dated England figure; raise NotEvaluable naming why there is none."""
    pack = evidence.pack
    dataset = load_dataset()
    authority = _authority(pack.authority, pack.la_code, dataset)
    region = dataset.regions.get(authority.region, authority.region) if authority and authority.region else ""
    name = _group_name(group, region or "regional")
    series = evidence.get(indicator, team) or evidence.get(indicator)
    if series is not None and group in series.comparators:
        return Figure(group, float(series.comparators[group]), name, None, "", None, f"{name}: comparator given in "
                      "the pack")
    value_end = series.latest.period.end if series is not None else pack.as_of
    if has_official(indicator, dataset):
        return official_figure(indicator, group, value_end, pack.as_of, authority, pack.authority, dataset)
    if group == "england":
        from drafter.rules.catalogue import load_catalogue  # the catalogue's dated figures, for what DfE lacks

        spec = load_catalogue().get(indicator)
        if spec is not None and spec.england:
            return static_figure(indicator, spec.england, value_end, pack.as_of)
    label = {"england": "England", "region": "regional", "statistical_neighbours": "statistical neighbours'"}[group]
    raise NotEvaluable([f"{indicator}:{group}"], [f"{indicator}: no {label} comparator is known (DfE publishes no "
                                                  "figure for it; a pack may give one under `comparators:`)"])
