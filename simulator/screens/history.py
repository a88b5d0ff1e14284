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
from ..i18n import N_, _, ngettext
from ..records import Attempt, RecordsError
from ..training import TrainingRun, local_time
from .translated import TranslatedBindings

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp

MODE_WIDTH = len("retry, step 12")  # in English; the shown language's own length is measured (mode_width)
RESULT_WIDTH = 17
MIN_SCENARIO_WIDTH = 12  # narrower, the table scrolls sideways rather than cut the Mode column


class HistoryScreen(TranslatedBindings, Screen[None]):
    """A table of attempts; Enter opens the highlighted one."""

    LANGUAGE_SWITCH = True  # a list of attempts, none open: the app may change language

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        Binding("enter", "open", N_("Open"), id="open", priority=True),
        Binding("escape", "back", N_("Back"), id="back"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="history-hint")
        yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("History")
        table = self.query_one(DataTable)
        self._fill()
        table.focus()

    def relocalize(self) -> None:
        """The app's language changed: title, headings and rows again, in it."""
        self.title = _("History")
        self._fill()

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
            result = ending or attempt.ending or ngettext(
                "unfinished, {count} choice", "unfinished, {count} choices", attempt.steps).format(count=attempt.steps)
            mode = _("coach") if attempt.coached else _("plain")
            if attempt.retry_of is not None:
                mode += "\n" + _("retry, step {step}").format(step=attempt.retry_from_step)
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
            _("Enter opens the debrief of a finished attempt, or resumes an unfinished one.")
            if attempts
            else _("No attempts yet. Go back and start a scenario.")
        )
        self.query_one("#history-hint", Static).update(hint)

    def _add_columns(self, table: DataTable, whens: list[str]) -> None:
        """Mode and Score never cut ("retry, step 12"); the scenario's title takes what is left."""
        heading_when, heading_score = _("When"), _("Score")
        when = max([len(heading_when), *map(len, whens)])
        mode_width = max(MODE_WIDTH, len(_("retry, step {step}").format(step=12)), len(_("Mode")))
        fixed = [when, RESULT_WIDTH, len(heading_score), mode_width]
        # 2 cells of padding per column, 2 for the scrollbar
        room = (self.size.width or 80) - sum(w + 2 for w in fixed) - 2 - 2
        table.add_column(heading_when, key="when", width=when)
        table.add_column(_("Scenario"), key="scenario", width=max(MIN_SCENARIO_WIDTH, room))
        table.add_column(_("Result"), key="result", width=RESULT_WIDTH)
        table.add_column(heading_score, key="score", width=len(heading_score))
        table.add_column(_("Mode"), key="mode", width=mode_width)

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
                app.notify(_("Your trainer opens the debrief for the whole group: wait a moment."),
                           title=_("Debrief not open yet"))
            elif attempt.finished:
                from .debrief import DebriefScreen

                app.push_screen(DebriefScreen(TrainingRun.review(app.store, attempt, app.catalog)))
            else:
                from .conversation import ConversationScreen

                app.push_screen(ConversationScreen(TrainingRun.resume(app.store, attempt, app.catalog)))
        except SessionDataError as exc:
            message = str(exc)
            app.show_error(_("This attempt cannot be opened"), message[:1].upper() + message[1:] + ".")

    def action_back(self) -> None:
        self.app.pop_screen()
