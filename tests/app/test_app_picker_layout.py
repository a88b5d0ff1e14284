"""The home picker with a full catalog: eleven scenarios with long titles all fit at 80x24, one line
each (the full title is under the table), and the History screen's Mode column is not cut."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import DataTable

from simulator.records import ScoreRecord, TrainingRecords

SIZE = (80, 24)
FIXTURE = Path(__file__).parent / "data" / "scenarios" / "practice-call.yaml"
#: Titles as long as the real ones (the longest real title is about 75 characters).
TITLES = [
    "The first call: inviting a worker on leave into the process",
    "When the conflict is with you",
    "When a measure of the plan can no longer be kept",
    "The return-to-work planning meeting",
    "Just give me the list: a supervisor presses before the planning meeting",
    "Beside the worker, not in his place",
    "Telling the team without telling the diagnosis",
    "A colleague asks why she is back part-time",
    "The physician's note says light duties",
    "Follow-up three weeks after the return",
    "The worker wants to stop the process",
]


@pytest.fixture
def catalog11(tmp_path: Path) -> Path:
    """Eleven copies of the fixture scenario, each with its own id and a long title."""
    folder = tmp_path / "catalog11"
    folder.mkdir()
    source = FIXTURE.read_text(encoding="utf-8")
    for n, title in enumerate(TITLES, 1):
        text = source.replace("id: practice-call", f"id: scenario-{n:02}").replace("title: Practice call", f'title: "{title}"')
        (folder / f"s{n:02}.yaml").write_text(text, encoding="utf-8")
    return folder


def test_eleven_scenarios_fit_one_line_each_at_80x24(make_app, db_path, catalog11) -> None:
    async def check() -> None:
        app = make_app(db_path, scenarios=catalog11)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#scenarios", DataTable)
            assert table.row_count == len(TITLES)
            assert all(row.height == 1 for row in table.ordered_rows)
            # every row is visible without scrolling: the table is as tall as its header and rows
            assert table.region.height >= len(TITLES) + 1
            assert table.region.bottom <= SIZE[1] - 1  # above the footer

    asyncio.run(check())


def test_picker_with_eleven_scenarios(snap_compare, make_app, db_path, catalog11) -> None:
    assert snap_compare(make_app(db_path, scenarios=catalog11), terminal_size=SIZE)


def test_history_mode_column_is_not_cut(snap_compare, make_app, db_path) -> None:
    with TrainingRecords.open(db_path, now=lambda: "2025-03-01T09:30:00+00:00") as store:  # a stable snapshot
        state = {"format": 1, "scenario_id": "practice-call", "node_id": "open", "turns": []}
        first = store.start_attempt("Sam", "practice-call", "1.0", state, coached=True)
        store.finish_attempt(first, {**state, "finished": True}, "good_end", ScoreRecord(72.0, 0, {}, {}, {}))
        store.start_attempt("Sam", "practice-call", "1.0", state, coached=False, retry_of=first, retry_from_step=2)
    assert snap_compare(make_app(db_path), terminal_size=SIZE, press=["h"])


def test_history_columns_fit_80_columns_with_mode_whole(make_app, db_path) -> None:
    from simulator.screens.history import MODE_WIDTH

    with TrainingRecords.open(db_path, now=lambda: "2025-03-01T09:30:00+00:00") as store:
        state = {"format": 1, "scenario_id": "practice-call", "node_id": "open", "turns": []}
        first = store.start_attempt("Sam", "practice-call", "1.0", state, coached=True)
        store.start_attempt("Sam", "practice-call", "1.0", state, coached=False, retry_of=first, retry_from_step=12)

    async def check() -> None:
        app = make_app(db_path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("h")
            await pilot.pause()
            table = app.screen.query_one("#attempts", DataTable)
            widths = {str(c.key.value): c.width for c in table.columns.values()}
            assert widths["mode"] >= MODE_WIDTH >= len("retry, step 12")
            assert sum(w + 2 for w in widths.values()) <= SIZE[0] - 2

    asyncio.run(check())
