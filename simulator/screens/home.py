"""Home: who is training, the scenarios to choose from, and the way back into an unfinished attempt.

Written for someone who has never used a terminal app: one table, the selected scenario explained under it,
a line that says what Enter does, and every other key in the footer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable

from rich.markup import escape
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..errors import SessionDataError, SessionError
from ..i18n import N_, _, ngettext
from ..records import Attempt, RecordsError
from ..scenario import Scenario
from ..training import TrainingRun, describe_attempt

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp
from .dialogs import QuestionDialog
from .translated import TranslatedBindings

# Translators: column headings of the scenario table; "Min" is the length in minutes, "Best" the best score.
COLUMNS = (N_("Scenario"), N_("Role"), N_("Steps"), N_("Level"), N_("Min"), N_("Best"))
MIN_TITLE_WIDTH = 20  # below this the title wraps too much to read; the table then scrolls sideways
ROLE_LABELS = {"supervisor": N_("Supervisor"), "union_rep": N_("Union rep"), "coordinator": N_("Coordinator")}
ROLE_PLAYED = {
    "supervisor": N_("you play the supervisor"),
    "union_rep": N_("you play the union rep"),
    "coordinator": N_("you play the coordinator"),
}
DIFFICULTY_LABELS = {
    "introductory": N_("Introductory"),
    "intermediate": N_("Intermediate"),
    "advanced": N_("Advanced"),
}


HINT = N_("Choose a scenario with ↑ ↓ and press Enter to start.")


def role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def scenario_detail(scenario: Scenario) -> Text:
    """The selected scenario in a few lines: situation, what you practise, who you talk to."""
    text = Text()
    text.append(scenario.title, style="bold")
    played = _(ROLE_PLAYED[scenario.role]) if scenario.role in ROLE_PLAYED else _("you play the {role}").format(
        role=scenario.role)
    text.append("  ·  " + played)
    steps = ", ".join(str(s) for s in scenario.guide_steps)
    text.append("  ·  " + ngettext("IRSST guide step {steps}", "IRSST guide steps {steps}",
                                   len(scenario.guide_steps)).format(steps=steps))
    if scenario.summary:
        text.append("\n" + scenario.summary)
    for objective in scenario.objectives:
        text.append("\n• " + objective, style="italic")
    return text


class HomeScreen(TranslatedBindings, Screen[None]):
    """The scenario table; Enter starts (or resumes) the highlighted scenario."""

    LANGUAGE_SWITCH = True  # no attempt is open here: the app may change language

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        Binding("enter", "start", N_("Start"), id="start", priority=True),
        Binding("r", "resume", N_("Resume"), id="resume"),
        Binding("h", "history", N_("History"), id="history"),
        Binding("n", "change_trainee", N_("Trainee"), id="trainee"),
        Binding("q", "app.quit", N_("Quit"), id="quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static("", id="who")
            yield Static(_(HINT), id="home-hint")
            yield DataTable(id="scenarios", cursor_type="row", zebra_stripes=True)
            yield Static("", id="unfinished")
            with VerticalScroll(id="detail-scroll"):
                yield Static("", id="scenario-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "trainee", self._refresh, init=False)
        self._refresh()
        self.query_one("#scenarios", DataTable).focus()

    def on_resize(self) -> None:
        self._refresh()

    def relocalize(self) -> None:
        """The app's language changed: every text of this screen again, in it."""
        self.query_one("#home-hint", Static).update(_(HINT))
        self._refresh()

    def on_screen_resume(self) -> None:
        self._refresh()

    # ------------------------------------------------------------------ display
    def _refresh(self, *_ignored: Any) -> None:
        app = self.app
        trainee = app.trainee
        # Translators: keep the markup tags; {name} is the trainee's pseudonym.
        who = Text.from_markup(_("[dim]Training as [/dim][bold]{name}[/bold][dim]   press n to change[/dim]").format(
            name=escape(trainee or _("(nobody yet)"))))
        self.query_one("#who", Static).update(who)

        table = self.query_one("#scenarios", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        best = self._safe(lambda: app.store.best_scores(trainee), {}) if trainee else {}
        rows = [
            (
                scenario.id,
                scenario.title,
                role_label(scenario.role),
                ", ".join(str(s) for s in scenario.guide_steps),
                _(DIFFICULTY_LABELS[scenario.difficulty]) if scenario.difficulty in DIFFICULTY_LABELS
                else scenario.difficulty.capitalize(),
                str(scenario.duration_minutes),
                "-" if best.get(scenario.id) is None else f"{best[scenario.id]:.0f}",
            )
            for scenario in app.catalog.scenarios.values()
        ]
        headers = [_(h) for h in COLUMNS]
        widths = [max([len(h), *(len(r[i + 2]) for r in rows)]) for i, h in enumerate(headers[1:])]
        # The title takes what the other columns leave (2 cells of padding each, 2 for a scrollbar).
        room = (self.size.width or 80) - 2 - sum(w + 2 for w in widths) - 2 - 2
        table.add_column(headers[0], key="title", width=max(MIN_TITLE_WIDTH, room))
        for header, width in zip(headers[1:], widths, strict=True):
            table.add_column(header, width=width)
        # One line per scenario, the title cut with an ellipsis: eleven scenarios fit at 80x24 and
        # the full title is the first line of the detail under the table.
        for scenario_id, title, *cells in rows:
            table.add_row(Text(title, overflow="ellipsis", no_wrap=True), *cells, key=scenario_id, height=1)
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        elif app.catalog.rubric is None:
            self.query_one("#home-hint", Static).update(
                _("The scoring rubric could not be read, so no scenario can be played. Ask your trainer.")
            )
        else:
            self.query_one("#home-hint", Static).update(
                _("No scenario could be loaded from {folder}. Ask your trainer for the scenario files.").format(
                    folder=app.catalog.directory)
            )
        self._show_detail()
        self._show_unfinished()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        scenario = self.selected()
        self.query_one("#scenario-detail", Static).update(scenario_detail(scenario) if scenario else "")

    def _show_unfinished(self) -> None:
        attempt = self._unfinished()
        box = self.query_one("#unfinished", Static)
        if attempt is None:
            box.update("")
            box.display = False
            return
        box.display = True
        box.update(Text(_("Unfinished: {attempt}. Press r to resume.").format(
            attempt=describe_attempt(attempt, self.app.catalog))))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_start()

    # ------------------------------------------------------------------ helpers
    def selected(self) -> Scenario | None:
        table = self.query_one("#scenarios", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return self.app.catalog.get(key) if key else None

    def _unfinished(self, scenario_id: str | None = None) -> Attempt | None:
        trainee = self.app.trainee
        if not trainee:
            return None
        attempt = self._safe(lambda: self.app.store.latest_unfinished(trainee, scenario_id), None)
        if attempt is not None and attempt.scenario_id not in self.app.catalog.scenarios:
            return None
        return attempt

    def _safe(self, read: Callable[[], Any], default: Any) -> Any:
        try:
            return read()
        except RecordsError as exc:
            self.app.show_error(exc.title, exc.message)
            return default

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resume":
            return self._unfinished() is not None
        if action == "start":
            return self.selected() is not None
        return True

    # ------------------------------------------------------------------ actions
    def action_start(self) -> None:
        scenario = self.selected()
        if scenario is None:
            return
        if not self.app.trainee:
            self.app.action_change_trainee()
            return
        attempt = self._unfinished(scenario.id)
        if attempt is None:
            self._start_new(scenario)
            return

        def answered(answer: str | None) -> None:
            if answer == "resume":
                self._resume(attempt)
            elif answer == "new":
                self._start_new(scenario)

        self.app.push_screen(
            QuestionDialog(
                _("You have an unfinished attempt"),
                _("{attempt}.\nResume it where you left off, or start the scenario again from the beginning?").format(
                    attempt=describe_attempt(attempt, self.app.catalog)),
                [("resume", _("Resume")), ("new", _("Start again")), ("cancel", _("Cancel"))],
            ),
            answered,
        )

    def action_resume(self) -> None:
        attempt = self._unfinished()
        if attempt is None:
            self.notify(_("You have no unfinished attempt."), title=_("Nothing to resume"))
            return
        self._resume(attempt)

    def action_history(self) -> None:
        from .history import HistoryScreen

        self.app.push_screen(HistoryScreen())

    def action_change_trainee(self) -> None:
        self.app.action_change_trainee()

    def open_scenario(self, scenario: Scenario) -> None:
        """Go straight into a scenario (a training room's trainer chose it): resume this trainee's unfinished
        attempt at it if there is one, so a reopened browser tab lands on the same decision."""
        attempt = self._unfinished(scenario.id)
        if attempt is not None:
            self._resume(attempt)
        else:
            self._start_new(scenario)

    def _start_new(self, scenario: Scenario) -> None:
        app = self.app
        # callers check the trainee first; scenarios are loaded only once the rubric is
        assert app.trainee and app.catalog.rubric is not None
        try:
            run = TrainingRun.start(app.store, app.trainee, scenario, app.catalog.rubric, coached=app.coach)
        except SessionError as exc:
            app.show_error(_("This scenario cannot be played"), str(exc))
            return
        self._open(run)

    def _resume(self, attempt: Attempt) -> None:
        try:
            run = TrainingRun.resume(self.app.store, attempt, self.app.catalog)
        except SessionDataError as exc:
            self.app.show_error(
                _("This attempt cannot be resumed"),
                _("{reason}. Start the scenario again instead.").format(reason=f"{str(exc)[:1].upper()}{str(exc)[1:]}"),
            )
            return
        self._open(run)

    def _open(self, run: TrainingRun) -> None:
        from .conversation import ConversationScreen

        self.app.push_screen(ConversationScreen(run))

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], Any]]]:
        scenario = self.selected()
        if scenario is not None:
            yield (_("Start: {title}").format(title=scenario.title), _("Start the highlighted scenario"),
                   self.action_start)
        if self._unfinished() is not None:
            yield (_("Resume unfinished attempt"), _("Continue where you left off"), self.action_resume)
        yield (_("History"), _("Your attempts and their scores"), self.action_history)
