"""A real training room on localhost with simulated browsers: twenty trainees at once, a closed tab, a killed
room. Each client speaks to the room's server as the browser page does (``benchmarks/room_clients.py``)."""

from __future__ import annotations

import asyncio
import signal

import pytest

from benchmarks.room_clients import Trainee, free_port, play_all, running_room, saved_steps
from simulator.room.state import RoomStore

pytestmark = pytest.mark.slow


def _open(db, scenario="first-call"):
    with RoomStore.open(db) as store:
        settings = store.open_room(hours=2)
        store.set_scenario(scenario)
    return settings


def test_twenty_trainees_choosing_at_the_same_moment_lose_nothing(tmp_path):
    db = tmp_path / "room.db"
    settings = _open(db)
    port = free_port()
    with running_room(db, port):
        url = f"http://127.0.0.1:{port}"
        trainees = [Trainee(url, db, settings.code, f"trainee-{i:02d}") for i in range(20)]
        steps = asyncio.run(play_all(trainees, timeout=120))
    for trainee, made in zip(trainees, steps, strict=True):
        saved, finished, attempts = saved_steps(db, trainee.pseudonym)
        assert finished and attempts == 1, trainee.pseudonym
        assert saved == made == len(trainee.latencies)
    with RoomStore.open(db) as store:
        assert len({a.trainee for a in store.records.attempts(unfinished=False)}) == 20


def test_a_closed_tab_reopens_at_the_same_decision_and_a_killed_room_keeps_every_choice(tmp_path):
    db = tmp_path / "room.db"
    settings = _open(db)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running_room(db, port) as room:
        first = asyncio.run(Trainee(url, db, settings.code, "heron").play(stop_after=3))
        assert first == 3
        again = asyncio.run(Trainee(url, db, settings.code, "heron").play(stop_after=2))
        assert again == 5  # the same attempt, two decisions further
        assert saved_steps(db, "heron")[2] == 1
        room.send_signal(signal.SIGKILL)
        room.wait(10)
    assert saved_steps(db, "heron")[:1] == (5,)
    with running_room(db, port):
        with RoomStore.open(db) as store:
            restarted = store.settings()
            assert restarted is not None and restarted.code == settings.code  # the restarted room keeps its code
        done = asyncio.run(Trainee(url, db, settings.code, "heron").play())
    saved, finished, attempts = saved_steps(db, "heron")
    assert finished and attempts == 1 and saved == done and done > 5


def test_a_wrong_code_never_reaches_the_app(tmp_path):
    db = tmp_path / "room.db"
    _open(db)
    port = free_port()
    with running_room(db, port):
        trainee = Trainee(f"http://127.0.0.1:{port}", db, "QQQQQQ", "intruder")
        with pytest.raises(TimeoutError):
            asyncio.run(trainee.play(timeout=8))
    assert saved_steps(db, "intruder") == (0, False, 0)
