"""SVG snapshots of the main screens at 80x24, from the fixture scenario (tests/app/data/scenarios).

Update after an intended visual change with ``pytest tests/app/test_app_snapshots.py --snapshot-update``,
then look at the SVGs under ``__snapshots__/`` before committing them.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

SIZE = (80, 24)
FINISH = ["enter", "1", "2", "1"]  # start the fixture scenario and play it to an ending (one harmful choice)


def no_cursor_blink(pilot: Pilot) -> None:
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


class TestHome:
    def test_home(self, snap_compare, make_app, db_path) -> None:
        """The scenario table, the selected scenario explained, the keys in the footer."""
        assert snap_compare(make_app(db_path), terminal_size=SIZE)

    def test_first_run_asks_who_is_training(self, snap_compare, make_app, db_path) -> None:
        async def run_before(pilot: Pilot) -> None:
            no_cursor_blink(pilot)

        assert snap_compare(make_app(db_path, trainee=None), terminal_size=SIZE, run_before=run_before)

    def test_broken_scenario_message(self, snap_compare, make_app, db_path, data_dir) -> None:
        """A broken file is a dialog naming file and line; the good scenarios stay playable behind it."""
        app = make_app(db_path, scenarios=data_dir / "broken")
        assert snap_compare(app, terminal_size=SIZE)


class TestConversation:
    def test_coach_mode_after_a_choice(self, snap_compare, make_app, db_path) -> None:
        """Coach mode: the codes, feedback, source and better choice under the trainee's words."""
        assert snap_compare(make_app(db_path, coach=True), terminal_size=SIZE, press=["enter", "2"])

    def test_plain_mode_after_a_choice(self, snap_compare, make_app, db_path) -> None:
        assert snap_compare(make_app(db_path, coach=False), terminal_size=SIZE, press=["enter", "2"])

    def test_end_of_conversation(self, snap_compare, make_app, db_path) -> None:
        assert snap_compare(make_app(db_path), terminal_size=SIZE, press=FINISH)


class TestDebrief:
    def test_debrief_top(self, snap_compare, make_app, db_path) -> None:
        """Ending, overall score, and the skills against their thresholds."""
        assert snap_compare(make_app(db_path), terminal_size=SIZE, press=[*FINISH, "d"])

    def test_debrief_trust_chart(self, snap_compare, make_app, db_path) -> None:
        async def run_before(pilot: Pilot) -> None:
            await pilot.press(*FINISH, "d")
            pilot.app.screen.query_one("#trust-chart").scroll_visible(top=True, animate=False)
            await pilot.pause()

        assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=run_before)

    def test_debrief_annotated_step(self, snap_compare, make_app, db_path) -> None:
        """A harmful step, marked in words, with its codes, feedback, source, the better choice and its retry."""

        async def run_before(pilot: Pilot) -> None:
            await pilot.press(*FINISH, "d")
            pilot.app.screen.query(".turn-review")[1].scroll_visible(top=True, animate=False)
            await pilot.pause()

        assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=run_before)

    def test_debrief_indicators_and_ratings(self, snap_compare, make_app, db_path) -> None:
        """The MITI indicators with both levels, the harmful count in words, the global-rating estimates."""

        async def run_before(pilot: Pilot) -> None:
            await pilot.press(*FINISH, "d")
            pilot.app.screen.query_one("#indicators").scroll_visible(top=True, animate=False)
            await pilot.pause()

        assert snap_compare(make_app(db_path), terminal_size=SIZE, run_before=run_before)

    def test_debrief_step_picker(self, snap_compare, make_app, db_path) -> None:
        """Retry from a step: one key from the debrief (shown in its footer), harmful steps marked."""
        assert snap_compare(make_app(db_path), terminal_size=SIZE, press=[*FINISH, "d", "s"])
