"""The shared vocabulary (`rules/topics.yaml`): topics, the ILACS areas they inform, their terms and cues."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from drafter.config import load_config
from drafter.errors import Problem, RulebookError
from drafter.paths import rules_dir


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Area(_Strict):
    title: str
    short: str


class Topic(_Strict):
    label: str
    heading: str
    areas: list[str]
    terms: list[str] = Field(default_factory=list)
    # Words that suggest the topic only when a sentence names no topic by any term.
    related: list[str] = Field(default_factory=list)
    # Topic-specific polarity phrases ("drift and delay" is negative whatever else is said).
    positive: list[str] = Field(default_factory=list)
    negative: list[str] = Field(default_factory=list)


class Vocabulary(_Strict):
    schema_: Literal["topics/1"] = Field(alias="schema")
    areas: dict[str, Area]
    topics: dict[str, Topic]
    cues: dict[str, Any] = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    def topic_ids(self) -> list[str]:
        """Return every topic id, in file order."""
        return list(self.topics)


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """Return the validated vocabulary; raise RulebookError naming file:line on any problem."""
    return _load_cached(str(path or rules_dir() / "topics.yaml"))


@lru_cache(maxsize=8)
def _load_cached(path: str) -> Vocabulary:
    vocab, source = load_config(Path(path), Vocabulary, "topic vocabulary", RulebookError)
    for topic_id, topic in vocab.topics.items():
        for area in topic.areas:
            if area not in vocab.areas:
                raise RulebookError(
                    Problem(
                        f"topic {topic_id!r} names unknown area {area!r}",
                        path=path,
                        expected="one of " + ", ".join(vocab.areas),
                    )
                )
    return vocab
