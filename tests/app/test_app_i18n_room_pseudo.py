"""The training room's screens under the pseudo-locale: the room-code dialog and the trainer's view show no
English outside the catalogue's brackets (scenario text shown through a pseudo translation, as in the app's walk)."""

from __future__ import annotations

from pathlib import Path

import simulator.app
from auditor import i18n
from auditor.i18n import pseudo_text
from simulator.engine import load_rubric
from simulator.paths import listening_rubric_path
from simulator.room.client import RoomApp
from simulator.room.codes import spaced
from simulator.room.state import RoomStore
from simulator.room.summary import SMALL_GROUP
from simulator.screens.trainer import TrainerScreen
from simulator.translation import source_strings, translated_copy
from tests.app.pilot_helpers import sync
from tests.app.test_app_i18n_pseudo import escaped_words, screen_text
from tests.app.test_app_room import _join, _play, room_db  # noqa: F401 (a fixture)

RUBRIC = load_rubric(listening_rubric_path())


class PseudoRoomApp(RoomApp):
    CSS_PATH = Path(simulator.app.__file__).parent / "app.tcss"

    def load_scenarios(self) -> None:
        super().load_scenarios()
        for scenario_id, scenario in list(self.catalog.scenarios.items()):
            texts = {item.id: pseudo_text(item.text) for item in source_strings(scenario)}
            self.catalog.scenarios[scenario_id] = translated_copy(scenario, texts)


CODE_IDS = sorted((code.id for code in RUBRIC.codes), key=len, reverse=True)  # data: the coach's codes by id


@sync
async def test_the_room_code_dialog_and_the_trainers_view_are_all_catalogue(room_db):  # noqa: F811
    path, settings = room_db
    with RoomStore.open(path) as store:
        store.set_scenario("first-call")
        for i in range(SMALL_GROUP):
            store.join(f"t{i}")
            _play(store, f"t{i}", [1, 2, 1, 1, 1, 1, 1, 1])
    app = PseudoRoomApp(db_path=path, lang=i18n.PSEUDO)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        dialog = screen_text(app)
        assert pseudo_text("Join the training room") in dialog
        await _join(pilot, settings.trainer_code)
        assert isinstance(app.screen, TrainerScreen)
        view = screen_text(app)
        assert pseudo_text("Trainees") in view
        assert pseudo_text("Lock/open debrief") in view
    for name, text in {"room code dialog": dialog, "trainer's view": view}.items():
        for code in (spaced(settings.code), spaced(settings.trainer_code)):  # data: random letters
            text = text.replace(code, " ")
        for code_id in CODE_IDS:
            text = text.replace(code_id, " ")
        assert escaped_words(text) == [], (name, text)
