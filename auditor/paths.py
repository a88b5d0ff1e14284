"""Where the packaged data lives: in an installed wheel, or in the source tree."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def rubrics_dir() -> Path:
    """``auditor/_data/rubrics`` in a wheel (see pyproject force-include), else the repo's ``rubrics/``."""
    packaged = Path(str(resources.files("auditor"))) / "_data" / "rubrics"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[1] / "rubrics"


def default_rubric_path() -> Path:
    return rubrics_dir() / "audit-rules.yaml"
