"""The sample feature catalogue (`rules/sample_features.yaml`): how to say what a case sample showed.

A case sample counts the cases that showed a feature of practice (`permanence.parallel_planning`:
9 of 12). Each known feature has its own sentence for when most, some or few cases showed it,
so a letter never puts a raw feature name into a generic frame; a feature the catalogue does not
know gets the generic sentences (and `drafter validate` warns about it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from drafter.config import load_config
from drafter.paths import rules_dir

Band = Literal["most", "some", "few"]
BANDS: tuple[str, ...] = ("most", "some", "few")
_PLACEHOLDERS = re.compile(r"\{(\w+)\}")
ALLOWED = {"cases", "Cases", "what"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _checked(text: str) -> str:
    unknown = set(_PLACEHOLDERS.findall(text)) - ALLOWED
    if unknown:
        raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}; use {{cases}}, {{Cases}} or {{what}}")
    return text


class Sentences(_Strict):
    most: str
    some: str
    few: str

    _check = field_validator("most", "some", "few")(_checked)


class Feature(_Strict):
    what: str  # the feature as a noun phrase: "parallel planning"
    unit: str = "children's cases"  # what was sampled, plural: "assessments", "care leavers' cases"
    terms: list[str] = Field(default_factory=list)  # how prose (a note) names it
    most: str
    some: str
    few: str

    _check = field_validator("most", "some", "few")(_checked)


class FeatureExample(_Strict):
    feature: str
    seen: int = Field(ge=0)
    of: int = Field(ge=1)
    figures: Literal["words", "inline"] = "words"
    says: str


class FeatureCatalogue(_Strict):
    schema_: Literal["sample-features/1"] = Field(alias="schema")
    bands: dict[Band, float]  # the least share each band needs: most 0.75, some 0.5, few 0
    generic: list[Sentences] = Field(min_length=1)  # variants, taken in turn so that samples read differently
    sampled: list[str] = Field(default_factory=lambda: ["sampled"], min_length=1)  # "... cases {sampled}"
    features: dict[str, Feature]
    examples: list[FeatureExample] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def get(self, feature_id: str) -> Feature | None:
        """Return the catalogue entry for a feature id, or None when it is not known."""
        return self.features.get(feature_id)

    def band(self, share: float) -> str:
        """Return the band a share falls in: 'most', 'some' or 'few'."""
        for name in BANDS:
            if share >= self.bands[name]:
                return name
        return "few"


@dataclass(frozen=True)
class Said:
    """A sample said in both registers: in words (quantifiers) and with its counts."""

    words: dict[str, str]  # band -> sentence, e.g. "most" -> "In most of the children's cases sampled, ..."
    figures: dict[str, str]
    what: str
    known: bool


def load_features(path: Path | None = None) -> FeatureCatalogue:
    """Return the sample feature catalogue; raise RulebookError naming file:line on any problem."""
    return _load_cached(str(path or rules_dir() / "sample_features.yaml"))


@lru_cache(maxsize=4)
def _load_cached(path: str) -> FeatureCatalogue:
    return load_config(Path(path), FeatureCatalogue, "sample feature catalogue")[0]


def feature_words(feature_id: str) -> str:
    """Return a feature id's own name in words, for a feature the catalogue does not know."""
    return feature_id.partition(".")[2].replace("_", " ").replace("-", " ").strip() or feature_id


def say_sample(feature_id: str, seen: int, of: int, catalogue: FeatureCatalogue | None = None,
               variant: int = 0) -> Said:
    """Return how a letter says `seen` of `of` cases showed the feature, in every band and both registers.

    `variant` (the sample's place in the pack) picks among the generic sentences and the ways of
    saying "sampled", so that a letter with many samples does not repeat one frame.
    """
    from drafter.vocab import wording

    catalogue = catalogue or load_features()
    entry = catalogue.get(feature_id)
    sentences = entry if entry is not None else catalogue.generic[variant % len(catalogue.generic)]
    what = entry.what if entry is not None else feature_words(feature_id)
    unit = entry.unit if entry is not None else "children's cases"
    sampled = catalogue.sampled[variant % len(catalogue.sampled)]
    share = seen / of if of else 0.0
    in_words = f"{wording.quantifier(share)} of the {unit} {sampled}"
    counted = f"{wording.number_words(seen)} of the {wording.number_words(of)} {unit} {sampled}"
    words, figures = {}, {}
    for band in BANDS:
        template = getattr(sentences, band)
        words[band] = _fill(template, in_words, what)
        figures[band] = _fill(template, counted, what)
    return Said(words, figures, what, entry is not None)


def _fill(template: str, cases: str, what: str) -> str:
    values = {"cases": cases, "Cases": cases[:1].upper() + cases[1:], "what": what}
    return _PLACEHOLDERS.sub(lambda m: values[m.group(1)], template)


def unknown_features(features: list[str], catalogue: FeatureCatalogue | None = None) -> list[str]:
    """Return the features (in order, without repeats) that the catalogue does not know."""
    catalogue = catalogue or load_features()
    return list(dict.fromkeys(f for f in features if catalogue.get(f) is None))


def mentions(feature_id: str, text: str, catalogue: FeatureCatalogue | None = None) -> bool:
    """Return whether prose (a note) names the feature by one of its terms or its own name."""
    catalogue = catalogue or load_features()
    entry = catalogue.get(feature_id)
    terms = list(entry.terms) if entry is not None else []
    terms.append(entry.what if entry is not None else feature_words(feature_id))
    low = text.lower()
    return any(re.search(rf"\b{re.escape(t.lower())}", low) for t in terms if t)
