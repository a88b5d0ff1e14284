"""The training room's web page speaks the room's language: its ``lang``, and the words it shows before the
app appears and after a session ends."""

from __future__ import annotations

import re

import pytest

from auditor import i18n
from simulator.room.server import PAGE_WORDS, TEMPLATES, localized_templates


def _page(tmp_path, language: str) -> str:
    i18n.set_language(language)
    folder = localized_templates(tmp_path)
    return (folder / "app_index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "fr", i18n.PSEUDO])
def test_every_marker_is_filled_and_textual_serve_fields_are_left(tmp_path, language):
    page = _page(tmp_path, language)
    assert "[[" not in page and "]]" not in page
    assert "{{ app_websocket_url }}" in page and "{{ config.static.url }}" in page
    assert page.count("{{") == (TEMPLATES / "app_index.html").read_text(encoding="utf-8").count("{{")


def test_the_page_in_french(tmp_path):
    page = _page(tmp_path, "fr")
    assert '<html lang="fr">' in page
    assert "Ouverture de la salle de formation…" in page and "Vos choix sont enregistrés." in page


def test_the_page_in_english_is_as_it_was(tmp_path):
    page = _page(tmp_path, "en")
    assert '<html lang="en">' in page
    assert all(text in page for text in PAGE_WORDS.values())


def test_no_word_of_the_page_escapes_the_catalogue(tmp_path):
    """Under the pseudo-locale, the text between the body's tags is all ⟦…⟧."""
    page = _page(tmp_path, i18n.PSEUDO)
    body = page[page.index("<body>"):]
    shown = re.sub(r"<[^>]+>", " ", body)
    shown = re.sub(r"⟦[^⟦⟧]*⟧", " ", shown)
    assert re.findall(r"[A-Za-z]{3,}", shown) == []
