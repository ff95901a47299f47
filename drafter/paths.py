"""Where drafter finds its rules and templates: the repository folders, or DRAFTER_RULES / DRAFTER_TEMPLATES."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def rules_dir() -> Path:
    """Return the rulebook folder (env DRAFTER_RULES overrides the bundled `rules/`)."""
    return _folder(os.environ.get("DRAFTER_RULES"), "rules")


@lru_cache(maxsize=64)
def _folder(configured: str | None, bundled: str) -> Path:
    """Return the configured folder, else the bundled one (made once: rules_dir() is asked thousands of times)."""
    return Path(configured) if configured is not None else PROJECT_ROOT / bundled


def templates_dir() -> Path:
    """Return the template folder (env DRAFTER_TEMPLATES overrides the bundled `templates/`)."""
    return Path(os.environ.get("DRAFTER_TEMPLATES", PROJECT_ROOT / "templates"))


def seeds_dir() -> Path:
    """Return the folder of bundled example packs."""
    return PROJECT_ROOT / "seeds"
