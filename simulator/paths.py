"""Where the packaged scenarios and the listening rubric live.

Why: in the repository they are top-level ``scenarios/`` and ``rubrics/``; an installed wheel carries
them as ``simulator/_data/scenarios`` and ``auditor/_data/rubrics`` (pyproject force-include). We look in
the installed package first (importlib.resources) and fall back to the repository root, so the same
code works from a checkout, an editable install and a wheel.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["scenarios_dir", "listening_rubric_path", "repo_root"]


def repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def _package_path(package: str, *parts: str) -> Path | None:
    try:
        base = resources.files(package)
    except (ModuleNotFoundError, TypeError):
        return None
    target = base.joinpath(*parts)
    try:
        if target.is_dir() or target.is_file():
            return Path(str(target))
    except OSError:
        return None
    return None


def scenarios_dir() -> Path:
    """The packaged scenarios directory (``simulator/_data/scenarios``) or the repo's ``scenarios/``."""
    packaged = _package_path("simulator", "_data", "scenarios")
    return packaged if packaged is not None else repo_root() / "scenarios"


def listening_rubric_path() -> Path:
    """The packaged ``auditor/_data/rubrics/listening.yaml`` or the repo's ``rubrics/listening.yaml``."""
    packaged = _package_path("auditor", "_data", "rubrics", "listening.yaml")
    return packaged if packaged is not None else repo_root() / "rubrics" / "listening.yaml"
