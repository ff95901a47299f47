"""An authority's official pack at a date: its published DfE series (only what was out by then) and last ILACS.

`official_pack(authority, as_of)` returns a plain `evidence-pack/1` dict that `drafter new-pack
--authority` writes and `drafter batch --authorities` drafts from in memory. The document kind
follows the last ILACS judgement published by `as_of`: a monitoring visit when it was
inadequate, a board briefing otherwise.
"""

from __future__ import annotations

import datetime as dt

from drafter.official.authorities import Authority, find_authority, last_inspection, region_name
from drafter.official.dataset import LICENCE, load_dataset
from drafter.official.measures import available_from
from drafter.vocab import wording


def period_label(basis: str, year: int) -> str:
    """Return the pack period for an official year: '2024-03' (31 March), '2024-09' (the census)."""
    return f"{year}-09" if basis == "at_30_september" else f"{year}-03"


def official_series(authority: Authority, indicator: str, as_of: dt.date) -> tuple[dict[str, float], set[str]]:
    """Return an authority's published figures for an indicator as a pack series (only those released by
    `as_of`), and the joint areas (such as '940 / 941') any of them belong to."""
    dataset = load_dataset()
    measure = dataset.measures[indicator]
    publication = dataset.publications[measure["publication"]]
    series: dict[str, float] = {}
    joint: set[str] = set()
    for year in dataset.years(indicator):
        released = publication["released"].get(str(year))
        if released is None or available_from(released) > as_of:
            continue
        value, area = dataset.area_value(indicator, year, authority.code)
        if value is None:
            continue
        if area != authority.code:
            joint.add(area)
        series[period_label(measure["basis"], year)] = float(value)
    return series, joint


def _joint_words(areas: set[str]) -> str:
    dataset = load_dataset()
    names = [wording.join_words([dataset.authorities[c.strip()].display for c in a.split("/")
                                 if c.strip() in dataset.authorities]) for a in sorted(areas)]
    return "; ".join(names)


def official_pack(authority: str, as_of: dt.date) -> dict:
    """Return the evidence pack (a plain dict) of an authority's official statistics as known at `as_of`.

    The authority is a name in any case, an LA number or an ONS code; an unknown one raises
    DrafterError with the nearest names.
    """
    from drafter.rules.catalogue import load_catalogue  # catalogue order keeps packs readable

    found = find_authority(authority)
    dataset = load_dataset()
    indicators = []
    for spec in load_catalogue().indicators:
        if spec.id not in dataset.measures:
            continue
        series, joint = official_series(found, spec.id, as_of)
        if not series:
            continue
        measure = dataset.measures[spec.id]
        publication = dataset.publications[measure["publication"]]
        latest = max(series)
        note = (f"DfE {publication['name']}: {measure['measure']}. Published figures to "
                f"{wording.official_period(measure['basis'], int(latest[:4]))}, as released by "
                f"{wording.date_words(as_of)}.")
        if joint:
            note += f" DfE publishes these figures jointly for {_joint_words(joint)}."
        indicators.append({"id": spec.id, "series": series, "note": note})
    inspection = last_inspection(found.code, as_of)
    pack: dict = {"schema": "evidence-pack/1", "authority": found.display, "la_code": found.code, "as_of": as_of}
    if inspection is not None and inspection.overall:
        pack["last_judgement"] = {"grade": inspection.overall, "published": inspection.published.strftime("%Y-%m")}
    inadequate = inspection is not None and inspection.overall == "inadequate"
    region = region_name(found.region) if found.region else "its region"
    pack["document"] = {"kind": "monitoring_visit" if inadequate else "board_briefing"}
    if not inadequate:
        pack["document"]["purpose"] = (f"To set {found.display}'s published children's social care statistics "
                                       f"beside England, {region} and its statistical neighbours, as known at "
                                       f"{wording.date_words(as_of)}.")
    pack["indicators"] = indicators
    return pack


def official_evidence(authority: str, as_of: dt.date):
    """Return the validated Evidence of an authority's official pack (for drafting in memory)."""
    from drafter.evidence.load import evidence_from_source
    from drafter.yamlsrc import Source

    pack = official_pack(authority, as_of)
    return evidence_from_source(Source(path=f"<official pack: {pack['authority']}, {as_of.isoformat()}>", data=pack))


def write_official_pack(pack: dict, out) -> None:
    """Write an official pack in the format OUT's extension names; YAML gets a header citing the sources."""
    from pathlib import Path

    from drafter.evidence.write import atomic_write, output_format, pack_model, write_pack, yaml_bytes

    out = Path(out)
    if output_format(out) != "yaml":
        write_pack(pack, out)
        return
    header = [f"# Official statistics for {pack['authority']} (LA {pack.get('la_code', '')}) as published by "
              f"{wording.date_words(pack['as_of'])}: written by `drafter new-pack --authority`.",
              "# Every figure is DfE's, from the publication each indicator's note names; figures released",
              f"# after as_of are left out. {LICENCE}",
              "# Add your own local figures, samples and notes; mark invented ones `# illustrative`."]
    text = "\n".join(line for line in header if line) + "\n"
    atomic_write(out, text.encode("utf-8") + yaml_bytes(pack_model(pack)))
