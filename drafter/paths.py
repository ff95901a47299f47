"""Where drafter finds its rules and templates: the repository folders, or DRAFTER_RULES / DRAFTER_TEMPLATES."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def rules_dir() -> Path:
    """Return the rulebook folder (env DRAFTER_RULES overrides the bundled `rules/`)."""
    return Path(os.environ.get("DRAFTER_RULES", PROJECT_ROOT / "rules"))


def templates_dir() -> Path:
    """Return the template folder (env DRAFTER_TEMPLATES overrides the bundled `templates/`)."""
    return Path(os.environ.get("DRAFTER_TEMPLATES", PROJECT_ROOT / "templates"))


def seeds_dir() -> Path:
    """Return the folder of bundled example packs."""
    return PROJECT_ROOT / "seeds"
