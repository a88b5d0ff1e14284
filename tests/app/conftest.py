"""Fixtures for the app tests: an app built from the small fixture scenario under tests/app/data/, with its
records in a temporary folder, so tests and snapshots do not depend on the real scenarios or the user's data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.app import TrainApp

DATA = Path(__file__).parent / "data"
SCENARIOS = DATA / "scenarios"
BROKEN = DATA / "broken"


def build_app(db: Path, scenarios: Path = SCENARIOS, **kwargs) -> TrainApp:
    """The fixture app; ``trainee`` defaults to "Sam" so the who-is-training dialog does not open."""
    kwargs.setdefault("trainee", "Sam")
    kwargs.setdefault("coach", True)
    return TrainApp(db_path=db, scenarios=scenarios, **kwargs)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "records" / "training.sqlite3"


@pytest.fixture
def make_app():
    """``make_app(db, scenarios=..., trainee=..., coach=...)`` -> a TrainApp on fixture data."""
    return build_app


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def _no_user_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the real user data directory, whatever a test forgets to pass."""
    monkeypatch.setenv("RTW_TRAIN_DB", str(tmp_path / "env-default.sqlite3"))


@pytest.fixture(autouse=True)
def _english_afterwards():
    """The active language is process-wide and an app started with ``lang`` sets it: each test ends in English."""
    yield
    from auditor import i18n

    i18n.set_language("en")
