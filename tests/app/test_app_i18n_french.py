"""The app in French at 80x24: snapshots of the home, conversation and debrief screens (French is about 20 %
longer: nothing may be cut off or wrap badly), the history's dates in French, and key sentences read as French.

The fixture scenario has a complete French table (tests/app/data/scenarios/translations/fr/), so every text on
screen is French. Update after an intended change with ``--snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import asyncio

from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable

from simulator.screens.history import HistoryScreen

SIZE = (80, 24)
FINISH = ["enter", "1", "2", "1"]  # the fixture played to an ending, one harmful choice (as the English snapshots)


def test_home_in_french(snap_compare, make_app, db_path) -> None:
    assert snap_compare(make_app(db_path, lang="fr"), terminal_size=SIZE)


def test_conversation_in_french_coach_mode(snap_compare, make_app, db_path) -> None:
    assert snap_compare(make_app(db_path, lang="fr", coach=True), terminal_size=SIZE, press=["enter", "2"])


def test_end_of_conversation_in_french(snap_compare, make_app, db_path) -> None:
    assert snap_compare(make_app(db_path, lang="fr"), terminal_size=SIZE, press=FINISH)


def test_debrief_top_in_french(snap_compare, make_app, db_path) -> None:
    assert snap_compare(make_app(db_path, lang="fr"), terminal_size=SIZE, press=[*FINISH, "d"])


def test_debrief_annotated_step_in_french(snap_compare, make_app, db_path) -> None:
    async def run_before(pilot: Pilot) -> None:
        await pilot.press(*FINISH, "d")
        pilot.app.screen.query_one(".turn-review").scroll_visible(top=True, animate=False)
        await pilot.pause()

    assert snap_compare(make_app(db_path, lang="fr"), terminal_size=SIZE, run_before=run_before)


def test_first_run_dialog_in_french(snap_compare, make_app, db_path) -> None:
    async def run_before(pilot: Pilot) -> None:
        from textual.widgets import Input

        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False

    assert snap_compare(make_app(db_path, lang="fr", trainee=None), terminal_size=SIZE, run_before=run_before)


def _screen_text(app) -> str:
    """Every Static and header/footer text of the active screen, as plain text."""
    from textual.widgets import Static

    parts = [str(widget.render()) for widget in app.screen.query(Static)]
    parts += [app.screen.title or "", app.screen.sub_title or "", app.sub_title or ""]
    return "\n".join(parts)


def test_key_sentences_read_as_french_and_dates_are_french(make_app, db_path) -> None:
    async def run() -> None:
        app = make_app(db_path, lang="fr")
        async with app.run_test(size=SIZE) as pilot:
            text = _screen_text(app)
            assert "Choisissez un scénario avec ↑ ↓ et appuyez sur Entrée pour commencer." in text
            assert "vous jouez le supérieur immédiat" in text  # the fixture's role
            assert "Guide de l'IRSST, étape 2" in text
            assert "Sam · mode coach" in app.sub_title
            await pilot.press(*FINISH)
            await pilot.pause()
            assert app.screen.title == "Terminé après 3 choix · mode coach"
            await pilot.press("d")
            await pilot.pause()
            text = _screen_text(app)
            assert "Score global d'écoute\u00a0: " in text
            assert "Vos choix, étape par étape" in text
            assert "Votre choix\u00a0: " in text
            assert "Coach\u00a0: " in text
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("h")
            await pilot.pause()
            assert isinstance(app.screen, HistoryScreen)
            table = app.screen.query_one(DataTable)
            when = str(table.get_cell_at(Coordinate(0, 0)))
            # "3 déc. 14 h 05": Babel's French month abbreviation and the Québec hour
            assert " h " in when and any(month in when for month in ("janv.", "févr.", "mars", "avr.", "mai", "juin",
                                                                     "juil.", "août", "sept.", "oct.", "nov.", "déc."))
            assert [str(c.label) for c in table.columns.values()] == ["Quand", "Scénario", "Résultat", "Score", "Mode"]

    asyncio.run(run())


def test_a_broken_scenario_is_reported_in_french(make_app, db_path, data_dir) -> None:
    async def run() -> None:
        app = make_app(db_path, scenarios=data_dir / "broken", lang="fr")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            text = _screen_text(app)
            assert "Un fichier de scénario a un problème" in text
            assert "broken-call.yaml, ligne " in text
            assert "Ce scénario est mis de côté; les autres peuvent être joués." in text

    asyncio.run(run())
