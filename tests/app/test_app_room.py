"""The training room, through the app as a browser runs it (Pilot), and its store and live picture."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from textual.widgets import DataTable

from simulator.engine import load_rubric, load_scenario
from simulator.paths import listening_rubric_path, scenarios_dir
from simulator.room.client import EXIT_REFUSED, RoomApp
from simulator.room.codes import ALPHABET, ROOM_CODE_LENGTH, matches, normalise, spaced
from simulator.room.state import RoomStore
from simulator.room.summary import SMALL_GROUP, picture
from simulator.screens.conversation import ConversationScreen
from simulator.screens.home import HomeScreen
from simulator.screens.trainer import TrainerScreen
from simulator.training import TrainingRun
from tests.app.pilot_helpers import sync

RUBRIC = load_rubric(listening_rubric_path())
FIRST_CALL = load_scenario(scenarios_dir() / "first-call.yaml")


@pytest.fixture
def room_db(tmp_path):
    path = tmp_path / "room.db"
    with RoomStore.open(path) as store:
        settings = store.open_room(hours=2)
    return path, settings


def test_codes_read_aloud_and_typed_loosely():
    settings_code = "ABC346"
    assert matches("abc 346", settings_code) and matches("ab-c3-46", settings_code)
    assert not matches("ABC347", settings_code)
    assert spaced("ABC346") == "ABC 346" and normalise(" a b ") == "AB"
    assert set("O0I1L5S2Z") & set(ALPHABET) == set()


def test_room_keeps_its_codes_across_a_restart_and_renews_on_request(room_db):
    path, settings = room_db
    assert len(settings.code) == ROOM_CODE_LENGTH and settings.code != settings.trainer_code
    with RoomStore.open(path) as store:
        again = store.open_room(hours=2)
        assert (again.code, again.trainer_code) == (settings.code, settings.trainer_code)
        renewed = store.open_room(hours=2, renew=True)
        assert renewed.code != settings.code or renewed.trainer_code != settings.trainer_code


def test_wrong_and_expired_codes_are_refused(tmp_path):
    clock = ["2026-12-01T09:00:00+00:00"]
    with RoomStore.open(tmp_path / "r.db", now=lambda: clock[0]) as store:
        settings = store.open_room(hours=1)
        assert store.check_code(settings.code.lower()) == "trainee"
        assert store.check_code(settings.trainer_code) == "trainer"
        assert store.check_code("ZZZZZZ") == "wrong"
        assert store.check_code("") == "wrong"
    # expiry is judged against the real clock: codes valid for one hour from a past date are expired
    with RoomStore.open(tmp_path / "r.db") as store:
        assert store.check_code(settings.code) == "expired"


def test_presence_is_recent_sessions_only(tmp_path):
    clock = [datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)]
    now = lambda: clock[0].isoformat(timespec="seconds")  # noqa: E731
    with RoomStore.open(tmp_path / "r.db", now=now) as store:
        store.open_room(hours=8)
        a = store.join("falcon")
        store.join("heron")
        clock[0] += timedelta(seconds=15)
        store.heartbeat(a)
        clock[0] += timedelta(seconds=10)
        assert [p.pseudonym for p in store.present()] == ["falcon"]
        store.leave(a)
        assert store.present() == []


def _play(store, trainee, numbers):
    run = TrainingRun.start(store.records, trainee, FIRST_CALL, RUBRIC, coached=True)
    for n in numbers:
        run.choose(n, coached=True)
    return run


def test_small_groups_show_no_counts_unless_asked(room_db):
    path, _ = room_db
    with RoomStore.open(path) as store:
        for i in range(SMALL_GROUP - 1):
            _play(store, f"t{i}", [1, 2])
        hidden = picture(store, FIRST_CALL, RUBRIC)
        assert hidden.counts_hidden and hidden.players == SMALL_GROUP - 1
        assert all(o.count is None and o.taken is None for d in hidden.spread for o in d.options)
        shown = picture(store, FIRST_CALL, RUBRIC, show_small_counts=True)
        first = shown.spread[0]
        assert [o.count for o in first.options][0] == SMALL_GROUP - 1
        _play(store, "t-last", [2, 1])
        group = picture(store, FIRST_CALL, RUBRIC)
        assert not group.counts_hidden
        counts = {o.number: o.count for o in group.spread[0].options}
        assert counts[1] == SMALL_GROUP - 1 and counts[2] == 1
        assert sum(c or 0 for c in counts.values()) == SMALL_GROUP


def test_spread_counts_every_choice_once(room_db):
    path, _ = room_db
    with RoomStore.open(path) as store:
        runs = [_play(store, f"t{i}", [1 + i % 3, 1, 1]) for i in range(7)]
        group = picture(store, FIRST_CALL, RUBRIC)
        total = sum(o.count or 0 for d in group.spread for o in d.options)
        assert total == sum(len(r.session.turns) for r in runs)


# ------------------------------------------------------------------ the app, as a browser runs it


async def _type(pilot, text):
    for ch in text:
        await pilot.press(ch if ch != " " else "space")


async def _join(pilot, code: str, name: str | None = None) -> None:
    """What a browser in the room does first: the room code, then (a trainee) a pseudonym."""
    await pilot.pause()
    await _type(pilot, code)
    await pilot.press("enter")
    await pilot.pause()
    if name is not None:
        await _type(pilot, name)
        await pilot.press("enter")
        await pilot.pause()


@sync
async def test_trainee_joins_with_the_code_and_lands_in_the_trainers_scenario(room_db):
    path, settings = room_db
    with RoomStore.open(path) as store:
        store.set_scenario("first-call")
        store.set_mode("plain")
    app = RoomApp(db_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _type(pilot, "ZZZ ZZZ")
        await pilot.press("enter")
        await pilot.pause()
        assert "not this room's code" in str(app.screen.query_one("#room-code-error").render())
        await _type(pilot, settings.code.lower())
        await pilot.press("enter")
        await pilot.pause()
        await _type(pilot, "falcon")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.coach is False  # the trainer's plain mode
        await pilot.press("1")
        await pilot.pause()
    with RoomStore.open(path) as store:
        attempts = store.records.attempts(trainee="falcon")
        assert len(attempts) == 1 and attempts[0].scenario_id == "first-call" and attempts[0].steps == 1
        assert store.records.get_setting("last_trainee") is None  # nothing personal in the shared settings


@sync
async def test_a_reopened_tab_resumes_at_the_same_decision(room_db):
    path, settings = room_db
    with RoomStore.open(path) as store:
        store.set_scenario("first-call")
        _play(store, "heron", [1, 2, 1])
    app = RoomApp(db_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _join(pilot, settings.code, "heron")
        assert isinstance(app.screen, ConversationScreen)
        assert len(app.screen.run.session.turns) == 3


@sync
async def test_five_wrong_codes_close_the_session(room_db):
    path, _ = room_db
    app = RoomApp(db_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(5):
            await _type(pilot, "QQQQQQ")
            await pilot.press("enter")
            await pilot.pause()
    assert app.return_code == EXIT_REFUSED


@sync
async def test_trainer_sees_the_group_and_sets_the_room(room_db):
    path, settings = room_db
    with RoomStore.open(path) as store:
        store.set_scenario("first-call")
        for i in range(SMALL_GROUP):
            store.join(f"t{i}")
            _play(store, f"t{i}", [1, 2])
    app = RoomApp(db_path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _join(pilot, settings.trainer_code)
        assert isinstance(app.screen, TrainerScreen)
        trainees = app.screen.query_one("#room-trainees", DataTable)
        assert trainees.row_count == SMALL_GROUP
        spread = app.screen.query_one("#room-spread", DataTable)
        assert spread.row_count >= 3
        assert spread.get_row_at(0)[3] == str(SMALL_GROUP)  # everyone took option 1 at the first decision
        await pilot.press("l")
        await pilot.pause()
    with RoomStore.open(path) as store:
        locked = store.settings()
        assert locked is not None and locked.debrief_locked is True


@sync
async def test_a_locked_debrief_waits_for_the_trainer(room_db):
    path, settings = room_db
    with RoomStore.open(path) as store:
        store.set_scenario("first-call")
        store.set_debrief_locked(True)
    app = RoomApp(db_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _join(pilot, settings.code, "kestrel")
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        while not screen.run.session.finished:
            screen.action_choose(1)
            await pilot.pause()
        screen.action_debrief()
        await pilot.pause()
        assert app.screen is screen  # still the conversation: the debrief is held
        assert not isinstance(app.screen, HomeScreen)


def test_without_a_set_scenario_the_spread_follows_the_most_played_one(room_db):
    path, _ = room_db
    with RoomStore.open(path) as store:
        assert picture(store, None, RUBRIC, otherwise={"first-call": FIRST_CALL}.get).scenario_id is None
        _play(store, "t1", [1])
        _play(store, "t2", [2])
        group = picture(store, None, RUBRIC, otherwise={"first-call": FIRST_CALL}.get)
        assert group.scenario_id == "first-call" and group.players == 2 and group.spread
        assert picture(store, None, RUBRIC).spread == []  # no lookup: trainees only


def test_choices_read_together_are_each_attempts_own(room_db):
    path, _ = room_db
    with RoomStore.open(path) as store:
        ids = [_play(store, f"t{i}", [1 + i % 2, 1, 2][: 1 + i % 3]).attempt_id for i in range(4)]
        together = store.records.choices_of_many(ids)
        assert {i: store.records.choices_of(i) for i in ids} == together
        assert [len(together[i]) for i in ids] == [1, 2, 3, 1]
        assert store.records.choices_of_many([]) == {}


def test_attempts_from_before_the_room_opened_are_not_the_groups(tmp_path):
    later = "2099-01-01T00:00:00+00:00"  # a room opened after every attempt below was started
    with RoomStore.open(tmp_path / "r.db", now=lambda: later) as store:
        store.open_room(hours=1)
        _play(store, "earlier-class", [1, 2])
        assert store.records.attempts() and picture(store, FIRST_CALL, RUBRIC).trainees == []


@sync
async def test_a_french_room_plays_the_french_scenario(room_db):
    path, settings = room_db
    with RoomStore.open(path) as store:
        store.set_scenario("first-call")
    app = RoomApp(db_path=path, lang="fr")
    async with app.run_test(size=(100, 30)) as pilot:
        await _join(pilot, settings.code, "merle")
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.run.scenario.title != FIRST_CALL.title
        assert app.screen.run.scenario.title.startswith("Le premier appel")
