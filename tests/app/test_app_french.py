"""The app plays a scenario in French when started with lang="fr" and a French string table exists, and
falls back to English for a text with no entry (the interface itself is not translated yet)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

from simulator.loader import load_scenario
from simulator.screens.conversation import ConversationScreen
from simulator.screens.home import HomeScreen
from simulator.translation import source_strings
from simulator.translation_file import fingerprint, render_translation, translation_path
from simulator.widgets.transcript import Transcript

DATA = Path(__file__).parent / "data" / "scenarios"
FRENCH = {
    "title": "Appel d'exercice",
    "nodes.open.lines.1.text": "Bonjour. J'ai eu votre message.",
    "nodes.open.choices.open#1.text": "Merci de me rappeler. Comment ont été les dernières semaines pour vous ?",
    "nodes.open.choices.open#1.reply.1.text": "Fatigantes, honnêtement.",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(DATA / "practice-call.yaml", folder / "practice-call.yaml")
    scenario = load_scenario(folder / "practice-call.yaml")
    entries = [(s.id, fingerprint(s.text), FRENCH[s.id]) for s in source_strings(scenario) if s.id in FRENCH]
    path = translation_path(folder, "fr", scenario.id)
    path.parent.mkdir(parents=True)
    path.write_text(render_translation(scenario.id, "fr", entries), encoding="utf-8")
    return folder


def test_the_app_plays_in_french_with_english_fallback(make_app, db_path, tmp_path) -> None:
    async def run() -> None:
        app = make_app(db_path, scenarios=_folder(tmp_path), lang="fr")
        async with app.run_test(size=(80, 24)) as pilot:
            assert isinstance(app.screen, HomeScreen)
            assert app.catalog.get("practice-call").title == "Appel d'exercice"
            await pilot.press("enter")
            assert isinstance(app.screen, ConversationScreen)
            await pilot.press("1")
            await pilot.pause()
            text = "\n".join(str(entry.render()) for entry in app.screen.query_one(Transcript).query(".entry"))
            assert "Merci de me rappeler" in text
            assert "Fatigantes, honnêtement." in text
            assert "The files kept piling up before I stopped." in text  # no entry: English

    asyncio.run(run())


def test_the_app_defaults_to_english(make_app, db_path, tmp_path) -> None:
    async def run() -> None:
        app = make_app(db_path, scenarios=_folder(tmp_path))
        async with app.run_test(size=(80, 24)):
            assert app.catalog.get("practice-call").title == "Practice call"

    asyncio.run(run())
