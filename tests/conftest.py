"""What every test starts from: an English locale and the English interface.

Why: both commands take their language from ``LC_ALL``/``LC_MESSAGES``/``LANG`` when ``--lang`` is not
given, so a suite run from a French terminal would otherwise compare French output with English
expectations. Tests about the locale set these variables themselves."""

from __future__ import annotations

import pytest

from auditor import i18n


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.set_language("en")
    yield
    i18n.set_language("en")
