"""Numbers on the app's screens follow the language: a decimal comma in French, English digits unchanged."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor import i18n
from auditor.i18n import format_decimal
from simulator.widgets.score_table import _num
from simulator.widgets.trust_chart import summary_sentence


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False).map(lambda v: round(v, 3)), st.sampled_from([0, 1, 2]))
def test_french_numbers_are_the_english_ones_with_a_decimal_comma(value: float, digits: int) -> None:
    try:
        i18n.set_language("en")
        english = (_num(value, digits), format_decimal(value, None))
        i18n.set_language("fr")
        french = (_num(value, digits), format_decimal(value, None))
    finally:
        i18n.set_language("en")
    assert all("," not in text for text in english)
    assert all("." not in text for text in french)
    assert tuple(text.replace(".", ",") for text in english) == french


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Trust rose from 50 to 62.5. Biggest fall: step 1 (-2.5)."),
        ("fr", "Trust\u00a0: hausse de 50 à 62,5. Plus forte baisse\u00a0: étape 1 (-2,5)."),
    ],
)
def test_the_trust_chart_sentence(language: str, expected: str) -> None:
    i18n.set_language(language)
    try:
        assert summary_sentence("Trust", [50, 47.5, 62.5]) == expected
    finally:
        i18n.set_language("en")
