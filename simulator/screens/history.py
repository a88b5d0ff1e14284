"""History: the trainee's attempts, newest first; Enter opens a finished one's debrief or resumes an
unfinished one. (The trainer's view of the whole group is ``rtw-train history`` / ``export --csv``.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..errors import SessionDataError
from ..records import Attempt, RecordsError
from ..training import TrainingRun, local_time

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp

MODE_WIDTH = len("retry, step 12")
RESULT_WIDTH = 17
MIN_SCENARIO_WIDTH = 12  # narrower, the table scrolls sideways rather than cut the Mode column


class HistoryScreen(Screen[None]):
    """A table of attempts; Enter opens the highlighted one."""

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        Binding("enter", "open", "Open", id="open", priority=True),
        Binding("escape", "back", "Back", id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-hint")
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "History"
        table = self.query_one(DataTable)
        self._fill()
        table.focus()

    def on_screen_resume(self) -> None:
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        self._attempts: dict[str, Attempt] = {}
        trainee = self.app.trainee
        try:
            attempts = self.app.store.attempts(trainee=trainee) if trainee else []
        except RecordsError as exc:
            self.app.show_error(exc.title, exc.message)
            attempts = []
        catalog = self.app.catalog
        self._add_columns(table, [local_time(a.started_at) for a in attempts])
        for attempt in reversed(attempts):
            scenario = catalog.get(attempt.scenario_id)
            ending = None
            if attempt.finished and scenario is not None and attempt.ending in scenario.nodes:
                node_ending = scenario.nodes[attempt.ending].ending
                ending = node_ending.title if node_ending else attempt.ending
            result = ending or attempt.ending or f"unfinished, {attempt.steps} choice{'s' if attempt.steps != 1 else ''}"
            mode = "coach" if attempt.coached else "plain"
            if attempt.retry_of is not None:
                mode += f"\nretry, step {attempt.retry_from_step}"
            table.add_row(
                local_time(attempt.started_at),
                Text(scenario.title if scenario else attempt.scenario_id, overflow="fold"),
                Text(result, overflow="fold"),
                "-" if attempt.overall is None else f"{attempt.overall:.0f}",
                Text(mode, overflow="fold"),
                key=str(attempt.id),
                height=None,
            )
            self._attempts[str(attempt.id)] = attempt
        hint = (
            "Enter opens the debrief of a finished attempt, or resumes an unfinished one."
            if attempts
            else "No attempts yet. Go back and start a scenario."
        )
        self.query_one("#history-hint", Static).update(hint)

    def _add_columns(self, table: DataTable, whens: list[str]) -> None:
        """Mode and Score never cut ("retry, step 12"); the scenario's title takes what is left."""
        when = max([len("When"), *map(len, whens)])
        fixed = [when, RESULT_WIDTH, len("Score"), MODE_WIDTH]
        # 2 cells of padding per column, 2 for the scrollbar
        room = (self.size.width or 80) - sum(w + 2 for w in fixed) - 2 - 2
        table.add_column("When", key="when", width=when)
        table.add_column("Scenario", key="scenario", width=max(MIN_SCENARIO_WIDTH, room))
        table.add_column("Result", key="result", width=RESULT_WIDTH)
        table.add_column("Score", key="score", width=len("Score"))
        table.add_column("Mode", key="mode", width=MODE_WIDTH)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        attempt = self._attempts.get(key or "")
        if attempt is None:
            return
        app = self.app
        try:
            if attempt.finished and app.debrief_locked():
                app.notify("Your trainer opens the debrief for the whole group: wait a moment.",
                           title="Debrief not open yet")
            elif attempt.finished:
                from .debrief import DebriefScreen

                app.push_screen(DebriefScreen(TrainingRun.review(app.store, attempt, app.catalog)))
            else:
                from .conversation import ConversationScreen

                app.push_screen(ConversationScreen(TrainingRun.resume(app.store, attempt, app.catalog)))
        except SessionDataError as exc:
            message = str(exc)
            app.show_error("This attempt cannot be opened", message[:1].upper() + message[1:] + ".")

    def action_back(self) -> None:
        self.app.pop_screen()
