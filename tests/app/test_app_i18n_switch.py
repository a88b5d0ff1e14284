"""Switching language in the running app: English ⇄ French from the palette or ctrl+l, every open screen
refreshed, the scenarios re-localised, the choice remembered for the next start; ``--lang`` wins over it and
the locale is the default; an open attempt keeps its language."""

from __future__ import annotations

import asyncio

import pytest

from auditor import i18n
from simulator.app import SETTING_LANGUAGE
from simulator.records import TrainingRecords
from simulator.screens.conversation import ConversationScreen
from simulator.screens.history import HistoryScreen
from simulator.screens.home import HomeScreen


@pytest.fixture(autouse=True)
def english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "en_CA.UTF-8")


def hint(app) -> str:
    return str(app.screen.query_one("#home-hint").render())


def palette_titles(app) -> list[str]:
    return [command.title for command in app.get_system_commands(app.screen)]


def test_switching_refreshes_the_screens_and_is_remembered(make_app, db_path) -> None:
    async def run() -> None:
        app = make_app(db_path)
        async with app.run_test(size=(80, 24)) as pilot:
            assert app.lang == "en" and hint(app).startswith("Choose a scenario")
            assert "Language: Français" in palette_titles(app)
            await pilot.press("h")  # switch on the history, then find the home screen under it switched too
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert app.lang == "fr" and i18n.current_language() == "fr"
            assert app.screen.title == "Historique"
            assert app.screen.active_bindings["escape"].binding.description == "Retour"
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            assert hint(app).startswith("Choisissez un scénario")
            assert app.screen.active_bindings["h"].binding.description == "Historique"
            assert app.catalog.get("practice-call").title == "Appel d'exercice"
            assert app.sub_title == "Sam · mode coach"
            assert "Langue\u00a0: English" in palette_titles(app)
            await pilot.press("enter", "1")  # an attempt started in French is recorded as French
            await pilot.pause()
        with TrainingRecords.open(db_path) as store:
            assert store.get_setting(SETTING_LANGUAGE) == "fr"
            assert [a.language for a in store.attempts()] == ["fr"]

        i18n.set_language("en")
        again = make_app(db_path)  # no --lang: the remembered French wins over the English locale
        async with again.run_test(size=(80, 24)):
            assert again.lang == "fr" and hint(again).startswith("Choisissez")
        forced = make_app(db_path, lang="en")  # --lang wins over the remembered setting
        async with forced.run_test(size=(80, 24)):
            assert forced.lang == "en" and hint(forced).startswith("Choose")

    asyncio.run(run())


def test_the_palette_command_switches_back_to_english(make_app, db_path) -> None:
    async def run() -> None:
        app = make_app(db_path, lang="fr")
        async with app.run_test(size=(80, 24)) as pilot:
            (command,) = [c for c in app.get_system_commands(app.screen) if c.title.startswith("Langue")]
            command.callback()
            await pilot.pause()
            assert app.lang == "en" and hint(app).startswith("Choose")
            assert app.catalog.get("practice-call").title == "Practice call"  # reloaded, not the French copy

    asyncio.run(run())


def test_the_locale_is_the_default(make_app, db_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")

    async def run() -> None:
        app = make_app(db_path)
        async with app.run_test(size=(80, 24)):
            assert app.lang == "fr" and hint(app).startswith("Choisissez")

    asyncio.run(run())


def test_an_open_attempt_keeps_its_language(make_app, db_path) -> None:
    async def run() -> None:
        app = make_app(db_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter", "1")
            await pilot.pause()
            assert isinstance(app.screen, ConversationScreen)
            app.action_switch_language()
            await pilot.pause()
            assert app.lang == "en" and i18n.current_language() == "en"
            assert app.screen.run.scenario.title == "Practice call"
        with TrainingRecords.open(db_path) as store:
            assert store.get_setting(SETTING_LANGUAGE) is None

    asyncio.run(run())
