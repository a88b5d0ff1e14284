"""The debrief under rubric v2 (issue 11's newcomer notes): harmful steps marked in words, the harmful count
as a sentence, the MITI levels, the global ratings as estimates, and retry from a step with one key."""

from __future__ import annotations

from textual.widgets import OptionList

from simulator.screens.conversation import ConversationScreen
from simulator.screens.debrief import DebriefScreen
from simulator.screens.dialogs.step_picker import StepPicker
from tests.app.pilot_helpers import plain, sync

SIZE = (80, 24)
FINISH = ["enter", "1", "2", "1", "d"]  # the fixture scenario, one harmful choice (step 2), then the debrief


@sync
async def test_harmful_step_and_count_are_said_in_words(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*FINISH)
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        cards = list(debrief.query(".turn-review"))
        assert [c.has_class("harmful") for c in cards] == [False, True, False]
        texts = [plain(c.query_one("Static")) for c in cards]
        assert "harmful response" in texts[1] and not any("harmful response" in t for t in (texts[0], texts[2]))
        indicators = plain(debrief.query_one("#indicators"))
        assert "1 harmful response — target: none" in indicators
        assert "≤0" not in indicators and "below" not in indicators.split("harmful response")[1]
        assert "≥1.0 · ≥2.0" in indicators and "fair · good" in indicators
        ratings = plain(debrief.query_one("#ratings"))
        assert "Empathy" in ratings and "not a MITI coding" in ratings


@sync
async def test_retry_from_a_step_with_one_key_shown_in_the_footer(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*FINISH)
        await pilot.pause()
        debrief = app.screen
        descriptions = {binding.description for _, binding, enabled, *_ in debrief.active_bindings.values() if enabled}
        assert "Retry from step…" in descriptions and "Retry from start" in descriptions
        await pilot.press("s")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, StepPicker)
        options = picker.query_one("#step-list", OptionList)
        assert options.option_count == 3
        assert "✗ harmful" in str(options.get_option_at_index(1).prompt)
        await pilot.press("down", "enter")  # step 2
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.run.session.chosen_numbers() == [1] and screen.run.retry_from_step == 2


@sync
async def test_the_step_picker_cancels_with_escape_and_takes_a_digit(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*FINISH)
        await pilot.pause()
        debrief = app.screen
        await pilot.press("s", "escape")
        await pilot.pause()
        assert app.screen is debrief
        await pilot.press("s", "3")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.run.session.chosen_numbers() == [1, 2]
