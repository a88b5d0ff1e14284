"""Pilot tests of the app's flows at 80x24: start, choose, coach mode, finish, debrief, retry, resume, errors."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from textual.widgets import DataTable

from simulator.records import TrainingRecords
from simulator.screens.conversation import ConversationScreen
from simulator.screens.debrief import DebriefScreen
from simulator.screens.dialogs import ErrorDialog, QuestionDialog, TraineeDialog
from simulator.screens.history import HistoryScreen
from simulator.screens.home import HomeScreen
from simulator.widgets.choices import ChoiceList
from simulator.widgets.transcript import Transcript
from tests.app.pilot_helpers import plain, sync

SIZE = (80, 24)


REPO = Path(__file__).resolve().parents[2]


def visible_coach_notes(screen) -> int:
    return sum(1 for note in screen.query(".coach-note") if note.display and note.styles.display != "none")


def transcript_text(screen) -> str:
    return "\n".join(plain(entry) for entry in screen.query_one(Transcript).query(".entry"))


@sync
async def test_enter_starts_the_selected_scenario_and_numbers_choose(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.title is not None and app.screen.title.startswith("Decision 1")
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert screen.run.session.node_id == "work"
        text = transcript_text(screen)
        assert "You: Thanks for calling back" in text
        assert "Alex: Tiring, honestly." in text
        assert screen.title is not None and screen.title.startswith("Decision 2")
    with TrainingRecords.open(db_path) as store:
        (attempt,) = store.attempts()
    assert attempt.steps == 1 and not attempt.finished


@sync
async def test_a_number_with_no_choice_does_nothing(make_app, db_path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        await pilot.press("enter", "9")
        assert pilot.app.screen.run.session.turns == []


@sync
async def test_clicking_a_choice_chooses_it(make_app, db_path) -> None:
    async with make_app(db_path).run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        choices = pilot.app.screen.query_one(ChoiceList)
        await pilot.pause()
        # The list's last line belongs to the last option (2).
        assert await pilot.click(ChoiceList, offset=(4, choices.virtual_size.height - 1))
        await pilot.pause()
        assert pilot.app.screen.run.session.chosen_numbers() == [2]


@sync
async def test_coach_mode_shows_codes_and_feedback_and_plain_mode_hides_them(make_app, db_path) -> None:
    app = make_app(db_path, coach=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "2")
        await pilot.pause()
        screen = app.screen
        assert visible_coach_notes(screen) == 1
        note = plain(screen.query_one(".coach-note"))
        assert "Press for return" in note
        assert "absence control" in note
        assert "Source: IRSST guide, step 2" in note
        assert "Better here: 1." in note
        await pilot.press("c")
        await pilot.pause()
        assert app.coach is False
        assert visible_coach_notes(screen) == 0
        assert "plain mode" in screen.title
        await pilot.press("1")
        await pilot.pause()
        assert visible_coach_notes(screen) == 0
    with TrainingRecords.open(db_path) as store:
        assert store.get_setting("coach_mode") == "off"
        rows = store._conn.execute("SELECT step, coached FROM choices ORDER BY step").fetchall()
    assert [tuple(r) for r in rows] == [(1, 1), (2, 0)]


@sync
async def test_finish_then_debrief_shows_scores_chart_and_annotated_turns(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "2", "1")
        await pilot.pause()
        screen = app.screen
        assert screen.run.session.finished
        assert "Finished after 3 choices" in screen.title
        assert "End of the conversation" in transcript_text(screen)
        await pilot.press("enter")  # the "See your debrief" button has the focus
        await pilot.pause()
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        headline = plain(debrief.query_one("#headline"))
        assert "Overall listening score" in headline and "harmful response" in headline
        dims = plain(debrief.query_one("#dimensions"))
        assert "Listen without judging" in dims and "≥70" in dims
        assert "Reflection-to-question ratio" in plain(debrief.query_one("#indicators"))
        chart = plain(debrief.query_one("#trust-chart"))
        assert "Alex's trust" in chart and "40" in chart
        reviews = [plain(w) for w in debrief.query(".turn-review Static")]
        assert len(reviews) == 3
        assert "Minimise" in reviews[1] and "Better here: 1." in reviews[1]
        assert "Source: IRSST guide, part 1" in reviews[1]
        assert "No clearly better option here" in reviews[0]
        assert len(debrief.query(".retry")) == 3
    with TrainingRecords.open(db_path) as store:
        (attempt,) = store.attempts()
    assert attempt.finished and attempt.overall is not None


@sync
async def test_retry_from_a_decision_point_starts_a_linked_attempt(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "2", "1", "d")
        await pilot.pause()
        debrief = app.screen
        button = debrief.query_one("#retry-1")
        button.scroll_visible(animate=False)
        await pilot.pause()
        button.press()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.run.session.chosen_numbers() == [1]
        assert screen.run.session.node_id == "work"
        assert "You: Thanks for calling back" in transcript_text(screen)  # the replayed step is shown
        await pilot.press("1", "1", "d")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    with TrainingRecords.open(db_path) as store:
        first, retry = store.attempts()
        best = store.best_scores("Sam")
    assert retry.retry_of == first.id and retry.retry_from_step == 2 and retry.finished
    assert first.overall is not None and retry.overall is not None
    assert best["practice-call"] == max(first.overall, retry.overall)


@sync
async def test_escape_leaves_and_r_resumes_at_the_same_node(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "2", "escape")
        assert isinstance(app.screen, HomeScreen)
        assert "Unfinished" in plain(app.screen.query_one("#unfinished"))
        await pilot.press("r")
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.run.session.node_id == "close"
        assert app.screen.run.session.chosen_numbers() == [1, 2]


KILL_SCRIPT = textwrap.dedent(
    """
    import asyncio, os, sys
    sys.path.insert(0, {tests!r})
    from conftest import build_app

    async def main():
        app = build_app({db!r})
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press("enter", "2", "1")
            await pilot.pause()
            assert app.screen.run.session.node_id == "close", app.screen.run.session.node_id
            os._exit(0)  # like a closed terminal: no clean shutdown, no close(), no checkpoint

    asyncio.run(main())
    """
)


@sync
async def test_resume_after_the_app_is_killed_mid_session(make_app, db_path, tmp_path) -> None:
    script = KILL_SCRIPT.format(tests=str(Path(__file__).parent), db=str(db_path))
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        assert "2 choices made" in plain(home.query_one("#unfinished"))
        await pilot.press("enter")  # the same scenario: asked whether to resume
        assert isinstance(app.screen, QuestionDialog)
        await pilot.press("enter")  # "Resume" is the default
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ConversationScreen)
        assert screen.run.session.node_id == "close"
        assert screen.run.session.chosen_numbers() == [2, 1]
        await pilot.press("1")
        await pilot.pause()
        assert screen.run.session.finished


@sync
async def test_first_run_asks_who_is_training_and_remembers(make_app, db_path) -> None:
    app = make_app(db_path, trainee=None)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TraineeDialog)
        await pilot.press("escape")  # cannot be skipped the first time
        assert isinstance(app.screen, TraineeDialog)
        await pilot.press("enter")  # empty name: refused with a message
        assert "first name or a pseudonym" in plain(app.screen.query_one("#pseudonym-error"))
        await pilot.press(*"Chris", "backspace", "backspace", "backspace", "backspace", "backspace")
        assert app.coach is True  # typing a "c" in the name does not switch coach mode
        await pilot.press(*"Robin", "enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.trainee == "Robin"
        assert "Robin" in plain(app.screen.query_one("#who"))
    app = make_app(db_path, trainee=None)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert app.trainee == "Robin"
        await pilot.press("n")
        assert isinstance(app.screen, TraineeDialog)
        await pilot.press("escape")  # now it can be cancelled
        assert isinstance(app.screen, HomeScreen) and app.trainee == "Robin"


@sync
async def test_a_broken_scenario_file_is_a_message_not_a_traceback(make_app, db_path, data_dir) -> None:
    app = make_app(db_path, scenarios=data_dir / "broken")
    async with app.run_test(size=SIZE) as pilot:
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        message = plain(dialog.query_one(".dialog-message"))
        assert "broken-call.yaml, line 22" in message and "nowhere" in message
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one("#scenarios", DataTable).row_count == 1


@sync
async def test_an_unwritable_database_is_a_message_and_practice_still_works(make_app, tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = make_app(blocker / "training.sqlite3")
    async with app.run_test(size=SIZE) as pilot:
        dialog = app.screen
        assert isinstance(dialog, ErrorDialog)
        message = plain(dialog.query_one(".dialog-message"))
        assert "nothing will be kept" in message and "--db" in message
        await pilot.press("enter", "enter", "1")
        await pilot.pause()
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.run.session.node_id == "work"
        assert not app.store.persistent


@sync
async def test_history_opens_a_finished_debrief_and_resumes_an_unfinished_one(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "1", "1", "1", "escape")  # a finished attempt (escape from the end screen)
        await pilot.press("enter", "2", "escape")  # an unfinished one
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("h")
        history = app.screen
        assert isinstance(history, HistoryScreen)
        assert history.query_one("#attempts", DataTable).row_count == 2
        await pilot.press("enter")  # newest first: the unfinished one
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen.run.session.chosen_numbers() == [2]
        await pilot.press("escape", "down", "enter")
        assert isinstance(app.screen, DebriefScreen)
        assert app.screen.run.session.finished


@sync
async def test_command_palette_offers_the_screen_actions(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Start: Practice call") for t in titles)
        assert "History" in titles and "Change trainee" in titles
        assert any(t.startswith("Coach mode") for t in titles)
        await pilot.press("enter")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Choose 1: Thanks for calling back") for t in titles)
        choose_two = next(c for c in app.get_system_commands(app.screen) if c.title.startswith("Choose 2"))
        choose_two.callback()
        await pilot.pause()
        assert app.screen.run.session.chosen_numbers() == [2]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "CommandPalette"


@sync
async def test_footer_shows_the_keys_and_q_quits(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        shown = {key: b.binding.action for key, b in app.screen.active_bindings.items() if b.binding.show}
        assert shown == {
            "enter": "start",
            "h": "history",
            "n": "change_trainee",
            "q": "app.quit",
            "c": "toggle_coach",
        }
        await pilot.press("enter")
        choosing = [b for b in app.screen.active_bindings.values() if b.binding.action.startswith("choose")]
        enabled = [b.binding.key for b in choosing if b.enabled]
        assert sorted(enabled) == ["1", "2"]
        await pilot.press("escape", "q")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


def test_run_app_passes_the_command_line_options(monkeypatch, tmp_path) -> None:
    from argparse import Namespace

    from simulator import app as app_module

    seen: dict[str, app_module.TrainApp] = {}
    monkeypatch.setattr(app_module.TrainApp, "run", lambda self: seen.setdefault("app", self))
    args = Namespace(db=str(tmp_path / "x.db"), scenarios=str(tmp_path), rubric=None, trainee="Kim", coach=False)
    assert app_module.run_app(args) == 0
    built = seen["app"]
    assert built.db_path == tmp_path / "x.db" and built.scenarios_dir == tmp_path
    assert built._trainee_arg == "Kim" and built._coach_arg is False


@sync
async def test_page_keys_scroll_the_transcript_while_the_choices_have_focus(make_app, db_path) -> None:
    app = make_app(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter", "2", "2")
        await pilot.pause()
        transcript = app.screen.query_one(Transcript)
        assert transcript.max_scroll_y > 0
        transcript.scroll_end(animate=False)
        await pilot.pause()
        bottom = transcript.scroll_y
        assert app.focused is app.screen.query_one(ChoiceList)
        await pilot.press("pageup")
        await pilot.pause()
        assert transcript.scroll_y < bottom
        await pilot.press("pagedown")
        await pilot.pause()
        assert transcript.scroll_y == bottom
