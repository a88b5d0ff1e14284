"""Shared fixtures for the simulator tests: repository paths, the packaged rubric, small scenarios."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.loader import load_rubric, load_scenario

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parents[1]
SCENARIOS = REPO / "scenarios"


def scenario_paths() -> list[Path]:
    """Every scenario in the repo's scenarios/ — new files are covered automatically."""
    return sorted(p for p in SCENARIOS.glob("*.y*ml") if not p.name.startswith("."))


@pytest.fixture(scope="session")
def rubric():
    return load_rubric()


@pytest.fixture(scope="session")
def mini():
    return load_scenario(DATA / "mini.yaml")


def pytest_generate_tests(metafunc):
    """Any test taking ``scenario_path`` runs once per scenario file in scenarios/."""
    if "scenario_path" in metafunc.fixturenames:
        paths = scenario_paths()
        metafunc.parametrize("scenario_path", paths, ids=[p.stem for p in paths])
