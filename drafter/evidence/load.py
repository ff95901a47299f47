"""Load an evidence pack from YAML or JSON and validate it against the catalogue and vocabulary."""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from drafter.errors import EvidenceError, Problem
from drafter.evidence.models import POLARITIES, EvidencePack
from drafter.evidence.pack import Evidence, Point, Series
from drafter.evidence.periods import PERIOD_FORMS, Period, parse_period
from drafter.limits import limit
from drafter.problems import did_you_mean, dotted, pydantic_problems
from drafter.rules.catalogue import Catalogue, IndicatorSpec, load_catalogue
from drafter.vocab.topics import load_vocabulary
from drafter.yamlsrc import ProblemRaised, Source, parse_source

PACK_SUFFIXES = (".yaml", ".yml", ".json")


def load_pack(path: str | Path) -> Evidence:
    """Return the validated Evidence for a pack file; raise EvidenceError listing every problem."""
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".csv") or (path.is_dir() and (path / "pack.csv").exists()):
        from drafter.evidence import tabular  # optional formats live in their own module

        return tabular.load_tabular_pack(path)
    if path.is_file() and path.suffix.lower() not in PACK_SUFFIXES:
        raise EvidenceError(
            Problem(
                f"unsupported file type {path.suffix or '(none)'!r}",
                path=str(path),
                expected="an evidence pack: .yaml, .yml, .json, .xlsx, or a folder of CSV files",
                hint="rename the file or convert it with `drafter convert`",
            )
        )
    try:
        source = parse_source(path, "evidence pack")
    except ProblemRaised as exc:
        raise EvidenceError(exc.problem) from None
    return evidence_from_source(source)


def evidence_from_source(source: Source) -> Evidence:
    """Return Evidence from already-parsed data (YAML, JSON or tabular), or raise EvidenceError."""
    data = source.data
    if not isinstance(data, dict):
        raise EvidenceError(
            Problem(
                "an evidence pack must be a mapping of keys to values",
                path=source.path,
                line=1,
                column=1,
                found=type(data).__name__,
                expected="`schema: evidence-pack/1`, `authority:`, `as_of:` and the other keys",
                hint="start from one of the packs in seeds/",
            )
        )
    if "schema" in data and data["schema"] != "evidence-pack/1":
        raise EvidenceError(
            Problem(
                "this is not an evidence-pack/1 file",
                path=source.path,
                **source.where(("schema",)),
                field="schema",
                found=repr(data["schema"]),
                expected="'evidence-pack/1'",
                hint="drafter reads version 1 packs; set `schema: evidence-pack/1`",
            )
        )
    problems: list[Problem] = []
    pack = None
    try:
        pack = EvidencePack.model_validate(data)
    except ValidationError as exc:
        problems = pydantic_problems(exc, source, EvidencePack, "evidence pack")
    # Meaning checks run on the raw data too, so one pass reports as much as it can.
    meaning, series, warnings = _check_meaning(data, source)
    problems = _merge(problems, meaning)
    if problems or pack is None:
        raise EvidenceError(problems)
    return Evidence(pack=pack, path=source.path, series=series, warnings=(*warnings, *_warnings(pack, source)))


def _warnings(pack: EvidencePack, source: Source) -> list[Problem]:
    """Return located warnings: case-sample features the feature catalogue does not describe."""
    from drafter.rules.features import load_features

    features = load_features()
    out = []
    for i, sample in enumerate(pack.samples):
        if features.get(sample.feature) is None:
            out.append(Problem(
                f"unknown sample feature {sample.feature!r}: the letter will describe it in general words",
                path=source.path, **source.where(("samples", i, "feature")), field=f"samples[{i}].feature",
                found=repr(sample.feature), expected="a feature from rules/sample_features.yaml",
                hint=did_you_mean(sample.feature, list(features.features)) + " (or describe it in the catalogue)",
            ))
    return out


def _merge(first: list[Problem], second: list[Problem]) -> list[Problem]:
    """Return both lists without repeats of the same field, sorted by position in the file."""
    seen = {p.field for p in first}
    merged = first + [p for p in second if p.field not in seen]
    return sorted(merged, key=lambda p: (p.line or 0, p.column or 0))


class _Checker:
    """Collects meaning problems (catalogue, vocabulary, periods) with their locations."""

    def __init__(self, source: Source, catalogue: Catalogue):
        self.source = source
        self.catalogue = catalogue
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def add(
        self, loc: tuple, message: str, *, found: Any = "", expected: str = "", hint: str = "", key: bool = False
    ) -> None:
        self.problems.append(
            Problem(
                message,
                path=self.source.path,
                **self.source.where(loc, key=key),
                field=dotted(loc),
                found=found if isinstance(found, str) else repr(found),
                expected=expected,
                hint=hint,
            )
        )

    def check_indicator(self, i: int, indicator_id: Any, series: dict) -> list[Point] | None:
        spec = self.catalogue.get(str(indicator_id))
        if spec is None:
            self.add(
                ("indicators", i, "id"),
                f"unknown indicator id {indicator_id!r}",
                found=repr(indicator_id),
                expected="an id from rules/indicators.yaml",
                hint=did_you_mean(str(indicator_id), self.catalogue.ids()),
            )
            return None
        points: list[Point] = []
        by_period: dict[Period, str] = {}
        for raw_key, value in series.items():
            loc = ("indicators", i, "series", raw_key)
            try:
                period = parse_period(raw_key)
            except ValueError as exc:
                self.add(loc, "unparseable period", found=repr(raw_key), expected=PERIOD_FORMS, hint=str(exc), key=True)
                continue
            if period in by_period:
                self.add(
                    loc,
                    f"the period {period.label} appears twice in this series",
                    found=f"{raw_key!r} and {by_period[period]!r}",
                    expected="each period once",
                    hint="remove or correct one of them",
                    key=True,
                )
                continue
            by_period[period] = str(raw_key)
            checked = self.check_value(loc, spec, value)
            if checked is not None:
                points.append(Point(period, checked))
        points.sort(key=lambda p: p.period)
        if spec.unit == "percent" and points and all(0 <= p.value <= 1 for p in points) and any(p.value
                                                                                                for p in points):
            places = [self.source.where(("indicators", i, "series", by_period[p.period])) for p in points]
            cells = ", ".join(str(w.get("where") or f"line {w.get('line')}") for w in places)
            self.warnings.append(Problem(
                f"every value of {spec.id} is between 0 and 1: these look like fractions, not percentages",
                path=self.source.path, **places[0], field=dotted(("indicators", i, "series")),
                found=f"{', '.join(_num(p.value) for p in points)} at {cells}",
                expected="percentages from 0 to 100",
                hint=f"write {_num(round(points[-1].value * 100, 6))} for {_num(points[-1].value)} "
                     "(or format the cells as percentages)", level="warning"))
        return points

    def check_comparators(self, i: int, spec: IndicatorSpec, comparators: dict) -> dict[str, float]:
        """Return the comparators that are finite numbers in the indicator's range; report the others."""
        good: dict[str, float] = {}
        for name, value in comparators.items():
            loc = ("indicators", i, "comparators", name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                continue  # the shape check reports it
            if not spec.range.min <= value <= spec.range.max:
                self.add(loc, f"the {name.replace('_', ' ')} comparator is outside the plausible range for {spec.id}",
                         found=_show_number(value),
                         expected=f"{_num(spec.range.min)} to {_num(spec.range.max)} {_unit_words(spec)}",
                         hint="check for a typing slip or a figure pasted from the wrong column")
                continue
            good[str(name)] = float(value)
        return good

    def check_value(self, loc: tuple, spec: IndicatorSpec, value: Any) -> Any:
        if spec.unit == "grades":
            return self.check_grades(loc, spec, value)
        if isinstance(value, float) and not math.isfinite(value):
            self.add(loc, f"{spec.id} needs a finite number here", found=repr(value),
                     expected=f"a number ({_unit_words(spec)})", hint="leave the period out when there is no figure")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(
                loc,
                f"{spec.id} needs a number here",
                found=repr(value),
                expected=f"a number ({_unit_words(spec)})",
                hint="write the number alone, without units, % signs or commas" if isinstance(value, str) else "",
            )
            return None
        if spec.unit == "percent" and not 0 <= value <= 100:
            self.add(
                loc,
                "a percentage must be between 0 and 100",
                found=repr(value),
                expected="0 to 100",
                hint="write 17.5 for 17.5%, not 0.175 or 1750" if value > 100 else "a percentage cannot be negative",
            )
            return None
        if value < 0:
            self.add(
                loc,
                f"{spec.id} cannot be negative",
                found=repr(value),
                expected=f"0 or more ({_unit_words(spec)})",
                hint="check the sign of the figure",
            )
            return None
        if spec.unit == "count" and not float(value).is_integer():
            self.add(
                loc,
                f"{spec.id} is a count and must be a whole number",
                found=repr(value),
                expected="a whole number such as 4",
            )
            return None
        if not spec.range.min <= value <= spec.range.max:
            self.add(
                loc,
                f"{_show_number(value)} is outside the plausible range for {spec.id}",
                found=_show_number(value),
                expected=f"{_num(spec.range.min)} to {_num(spec.range.max)} {_unit_words(spec)}",
                hint="check for a typing slip or a figure pasted from the wrong column",
            )
            return None
        return float(value)

    def check_grades(self, loc: tuple, spec: IndicatorSpec, value: Any) -> dict[str, int] | None:
        grades = spec.grades or []
        if not isinstance(value, dict):
            self.add(
                loc,
                "audit ratings need counts by grade",
                found=repr(value),
                expected="{" + ", ".join(f"{g}: N" for g in grades) + "}",
            )
            return None
        counts: dict[str, int] = {}
        ok = True
        for grade, count in value.items():
            if grade not in grades:
                self.add(
                    loc + (grade,),
                    f"unknown audit grade {grade!r}",
                    found=repr(grade),
                    expected="one of " + ", ".join(grades),
                    hint=did_you_mean(grade, grades),
                    key=True,
                )
                ok = False
                continue
            if (isinstance(count, bool) or not isinstance(count, int | float)
                    or (isinstance(count, float) and not count.is_integer())):
                self.add(
                    loc + (grade,),
                    "audit counts must be whole numbers",
                    found=repr(count),
                    expected="a whole number of audited cases, such as 12",
                    hint="give counts, not percentages or averages",
                )
                ok = False
                continue
            if count < 0:
                self.add(loc + (grade,), "audit counts cannot be negative", found=repr(count), expected="0 or more")
                ok = False
                continue
            if count > limit("max_count"):
                self.add(loc + (grade,), "the audit count is implausibly large", found=_show_number(count),
                         expected=f"at most {limit('max_count'):,} audited cases", hint="check for a typing slip")
                ok = False
                continue
            counts[grade] = int(count)
        if ok and sum(counts.values()) == 0:
            self.add(
                loc,
                "no audits are counted in this period",
                found=repr(value),
                expected="at least one audited case",
                hint="remove the period if no audits took place",
            )
            return None
        if not ok:
            return None
        return {g: counts.get(g, 0) for g in grades}


def _unit_words(spec: IndicatorSpec) -> str:
    return {
        "percent": "per cent",
        "count": "children",
        "cases": "cases per worker",
        "days": "days",
        "weeks": "weeks",
        "per_10000": "per 10,000 children",
        "grades": "counts by grade",
    }[spec.unit]


def _num(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


def _items(data: dict, key: str) -> list[tuple[int, dict]]:
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


def _check_meaning(data: dict, source: Source) -> tuple[list[Problem], dict, list[Problem]]:
    """Return meaning problems (catalogue, vocabulary, periods, dates) and the series built."""
    catalogue = load_catalogue()
    topics = load_vocabulary().topic_ids()
    checker = _Checker(source, catalogue)
    series: dict[tuple[str, str | None], Series] = {}
    latest: tuple[Period, tuple] | None = None
    first_seen: dict[tuple[str, str | None], int] = {}
    for i, entry in _items(data, "indicators"):
        if not isinstance(entry.get("series"), dict) or "id" not in entry:
            continue
        points = checker.check_indicator(i, entry["id"], entry["series"])
        team = entry.get("team")
        key = (str(entry["id"]), team if isinstance(team, str) else None)
        if key in first_seen:
            checker.add(
                ("indicators", i, "id"),
                f"{key[0]}{' for team ' + key[1] if key[1] else ''} is given twice",
                found=f"entries {first_seen[key]} and {i}",
                expected="one entry per indicator and team",
                hint="merge the two series into one entry",
            )
            continue
        first_seen[key] = i
        if not points:
            continue
        for p in points:
            if latest is None or p.period.start > latest[0].start:
                latest = (p.period, ("indicators", i, "series", p.period.label))
        comparators = entry.get("comparators") if isinstance(entry.get("comparators"), dict) else {}
        spec = catalogue.get(key[0])
        series[key] = Series(key[0], key[1], tuple(points),
                             checker.check_comparators(i, spec, comparators) if spec else {})
    for i, sample in _items(data, "samples"):
        feature = sample.get("feature")
        if isinstance(feature, str):
            topic = feature.split(".", 1)[0]
            if "." not in feature or topic not in topics:
                checker.add(
                    ("samples", i, "feature"),
                    f"unknown topic {topic!r} in sample feature",
                    found=repr(feature),
                    expected="<topic>.<feature>, e.g. permanence.parallel_planning",
                    hint=did_you_mean(topic, topics),
                )
        seen, of = _count(sample.get("seen")), _count(sample.get("of"))
        if _whole(of) and of < 1:
            checker.add(
                ("samples", i, "of"),
                "a sample needs at least one case",
                found=repr(of),
                expected="`of` of 1 or more",
                hint="give the number of cases looked at",
            )
        elif _whole(of) and _whole(seen) and seen > of:
            checker.add(
                ("samples", i, "seen"),
                "`seen` is greater than `of`",
                found=f"seen {seen} of {of}",
                expected=f"seen between 0 and {of}",
                hint="`seen` counts the cases showing the feature, out of `of` cases looked at",
            )
        if isinstance(sample.get("period"), str):
            _check_period(checker, ("samples", i, "period"), sample["period"])
    for i, note in _items(data, "notes"):
        topic, polarity = note.get("topic"), note.get("polarity")
        if isinstance(topic, str) and topic not in topics:
            checker.add(
                ("notes", i, "topic"),
                f"unknown topic {topic!r}",
                found=repr(topic),
                expected="a topic from rules/topics.yaml",
                hint=did_you_mean(topic, topics),
            )
        if isinstance(polarity, str) and polarity not in POLARITIES:
            checker.add(
                ("notes", i, "polarity"),
                f"unknown polarity {polarity!r}",
                found=repr(polarity),
                expected="positive, negative or mixed",
                hint=did_you_mean(polarity, POLARITIES),
            )
    document = data.get("document") if isinstance(data.get("document"), dict) else {}
    areas = document.get("areas_covered") if isinstance(document.get("areas_covered"), list) else []
    for i, area in enumerate(areas):
        if isinstance(area, str) and area not in topics:
            checker.add(
                ("document", "areas_covered", i),
                f"unknown topic {area!r}",
                found=repr(area),
                expected="a topic from rules/topics.yaml",
                hint=did_you_mean(area, topics),
            )
    judgement = data.get("last_judgement")
    if isinstance(judgement, dict) and isinstance(judgement.get("published"), str):
        _check_period(checker, ("last_judgement", "published"), judgement["published"])
    visits = document.get("earlier_visits") if isinstance(document.get("earlier_visits"), list) else []
    for i, visit in enumerate(visits):
        if isinstance(visit, dict) and isinstance(visit.get("date"), str):
            _check_period(checker, ("document", "earlier_visits", i, "date"), visit["date"])
    la_code = data.get("la_code")
    if isinstance(la_code, str | int) and not isinstance(la_code, bool) and str(la_code).strip():
        from drafter.official.authorities import lookup  # the register loads only for packs that name a code

        if lookup(str(la_code)[:20]) is None:
            checker.add(("la_code",), f"unknown la_code {str(la_code)[:20]!r}", found=repr(str(la_code)[:20]),
                        expected="an English local authority's LA number (806) or ONS code (E06000002)",
                        hint="leave la_code out to match the authority by name")
    _check_dates(checker, data, document)
    as_of = _day(data.get("as_of"))
    if latest is not None and as_of is not None and latest[0].start > as_of:
        checker.add(
            ("as_of",),
            f"as_of {as_of.isoformat()} is earlier than the latest period {latest[0].label}",
            found=as_of.isoformat(),
            expected=f"a date on or after {latest[0].start.isoformat()}",
            hint=f"set as_of to the date the evidence describes, or check the period at {dotted(latest[1])}",
        )
    return checker.problems, series, checker.warnings


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: Any) -> Any:
    """Return a whole float (12.0, as spreadsheets export counts) as an int; anything else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _show_number(value: float | int) -> str:
    if isinstance(value, int) and value.bit_length() > 64:
        return f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    return repr(value)


def _day(value: Any) -> date | None:
    """Return a plain date (not a datetime, which the shape check refuses), or None."""
    return value if isinstance(value, date) and not isinstance(value, datetime) else None


def _check_dates(checker: _Checker, data: dict, document: dict) -> None:
    """Report visit and document dates far from as_of, and a last judgement published after it."""
    as_of = _day(data.get("as_of"))
    if as_of is None:
        return
    after, before = limit("visit_after_as_of_days"), limit("visit_before_as_of_days")
    visits = document.get("visit_dates") if isinstance(document.get("visit_dates"), list) else []
    for i, raw in enumerate(visits):
        day = _day(raw)
        if day is None:
            continue
        if (day - as_of).days > after or (as_of - day).days > before:
            checker.add(("document", "visit_dates", i), f"the visit date {day.isoformat()} is far from as_of "
                        f"{as_of.isoformat()}", found=day.isoformat(),
                        expected=f"a date from {before} days before to {after} days after as_of",
                        hint="check the year of the visit date, or set as_of to the date the evidence describes")
    letter_day = _day(document.get("date"))
    if letter_day is not None and ((letter_day - as_of).days > 366 or (as_of - letter_day).days > before):
        checker.add(("document", "date",), f"the document date {letter_day.isoformat()} is far from as_of "
                    f"{as_of.isoformat()}", found=letter_day.isoformat(),
                    expected="a date within a year after as_of", hint="check the year")
    judgement = data.get("last_judgement")
    published = judgement.get("published") if isinstance(judgement, dict) else None
    if isinstance(published, int | str | date) and not isinstance(published, bool | datetime):
        try:
            period = parse_period(published if isinstance(published, date) else str(published))
        except ValueError:
            return  # the shape check reports it
        if period.start > as_of:
            checker.add(("last_judgement", "published"), f"the last judgement is dated after as_of {as_of.isoformat()}",
                        found=str(published), expected=f"a month on or before {as_of.isoformat()[:7]}",
                        hint="check the year; the last judgement comes before the evidence")


def _check_period(checker: _Checker, loc: tuple, raw: str) -> None:
    try:
        parse_period(raw)
    except ValueError as exc:
        checker.add(loc, "unparseable period", found=repr(raw), expected=PERIOD_FORMS, hint=str(exc))
