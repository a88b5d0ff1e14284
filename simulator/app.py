"""The rtw-train Textual app: a thin shell that owns the records, the scenarios and the coach-mode switch.

Why small: each screen does its own job (home, conversation, debrief, history) and the rules about saving and
resuming live in ``simulator.training``; the app only opens things, reports problems as dialogs (never a
traceback) and offers app-wide commands in the command palette.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from .localize import default_language, localize_catalog
from .paths import listening_rubric_path, scenarios_dir
from .records import RecordsError, TrainingRecords, clean_pseudonym, resolve_db_path
from .screens.dialogs import ErrorDialog, TraineeDialog
from .screens.home import HomeScreen
from .training import Catalog, load_catalog

SETTING_TRAINEE = "last_trainee"
SETTING_COACH = "coach_mode"


class TrainApp(App[None]):
    """Home → conversation → debrief, with history; every choice saved as it is made."""

    CSS_PATH: ClassVar[str | Path] = "app.tcss"
    TITLE = "rtw-train"
    BINDINGS = [
        Binding("c", "toggle_coach", "Coach", id="coach", tooltip="Show or hide the coach's notes after each choice"),
    ]

    coach: reactive[bool] = reactive(True, init=False)
    trainee: reactive[str | None] = reactive(None, init=False)

    def __init__(
        self,
        *,
        db_path: str | Path | None = None,
        scenarios: str | Path | None = None,
        rubric: str | Path | None = None,
        trainee: str | None = None,
        coach: bool | None = None,
        lang: str = "en",
    ) -> None:
        super().__init__()
        self.lang = lang  # language of the scenarios' texts ('en' or 'fr'); the interface stays English
        self.db_path = resolve_db_path(db_path)
        self.scenarios_dir = Path(scenarios) if scenarios else scenarios_dir()
        self.rubric_path = Path(rubric) if rubric else listening_rubric_path()
        self._trainee_arg = trainee
        self._coach_arg = coach
        self.store: TrainingRecords = TrainingRecords.in_memory()
        self.catalog: Catalog = Catalog()

    # ------------------------------------------------------------------ start-up
    def on_mount(self) -> None:
        self.begin()

    def load_scenarios(self) -> None:
        """The scenarios and the rubric, in the app's language (problems are kept in the catalog)."""
        self.catalog = load_catalog(self.scenarios_dir, self.rubric_path)
        localize_catalog(self.catalog, self.lang)

    def begin(self) -> None:
        """Open the records and the scenarios, then ask who is training (a training room's app overrides it:
        its way in is the room code)."""
        problems = []
        try:
            self.store = TrainingRecords.open(self.db_path)
        except RecordsError as exc:
            problems.append(
                ErrorDialog(
                    "Your attempts will not be saved",
                    f"{exc.message}\n\nYou can still practise, but nothing will be kept when you quit. "
                    "Quit (ctrl+q) and start rtw-train with --db and a file you can write to.",
                )
            )
        self.load_scenarios()
        for problem in self.catalog.problems:
            problems.append(ErrorDialog(problem.title, problem.message))

        coach_setting = self._setting(SETTING_COACH)
        self.set_reactive(
            TrainApp.coach, self._coach_arg if self._coach_arg is not None else coach_setting != "off"
        )
        self._update_subtitle()
        self.push_screen(HomeScreen())
        name = self._trainee_arg or self._setting(SETTING_TRAINEE)
        if name:
            self.set_trainee(name)
        if not self.trainee:
            self.push_screen(TraineeDialog(), self._trainee_chosen)
        for dialog in reversed(problems):  # on top: read the problems first, then say who is training
            self.push_screen(dialog)

    def _setting(self, key: str) -> str | None:
        """A remembered preference, or None if the records cannot be read (reported when saving matters)."""
        try:
            return self.store.get_setting(key)
        except RecordsError:
            return None

    def _trainee_chosen(self, name: str | None) -> None:
        if name:
            self.set_trainee(name)

    def set_trainee(self, name: str) -> None:
        try:
            name = clean_pseudonym(name)
        except RecordsError as exc:
            self.show_error(exc.title, exc.message)
            return
        try:
            self.store.set_setting(SETTING_TRAINEE, name)
        except RecordsError as exc:
            self.show_error(exc.title, exc.message)
        self.trainee = name

    def watch_trainee(self) -> None:
        self._update_subtitle()

    def watch_coach(self) -> None:
        self._update_subtitle()

    def _update_subtitle(self) -> None:
        who = self.trainee or "no trainee yet"
        mode = "coach mode" if self.coach else "plain mode"
        self.sub_title = f"{who} · {mode}"

    # ------------------------------------------------------------------ actions
    def action_toggle_coach(self) -> None:
        self.coach = not self.coach
        try:
            self.store.set_setting(SETTING_COACH, "on" if self.coach else "off")
        except RecordsError:
            pass  # a preference; the records error is reported when an attempt is saved
        if self.coach:
            self.notify("The codes and feedback are shown after each choice.", title="Coach mode on")
        else:
            self.notify("No feedback until the debrief: use it for assessment.", title="Plain mode on")

    def action_change_trainee(self) -> None:
        self.push_screen(TraineeDialog(self.trainee), self._trainee_chosen)

    def debrief_locked(self) -> bool:
        """Whether the debrief is held back (a training room's trainer may hold it for the group debrief)."""
        return False

    def show_error(self, title: str, message: str) -> None:
        """An error the user must read: a dialog, never a traceback."""
        self.push_screen(ErrorDialog(title, message))

    # ------------------------------------------------------------------ command palette
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's own commands, then the app's, then those of the screen the palette was opened from."""
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Coach mode: " + ("turn off (plain mode for assessment)" if self.coach else "turn on"),
            "Show or hide the codes and feedback after each choice",
            self.action_toggle_coach,
        )
        yield SystemCommand("Change trainee", "Type another name or pseudonym", self.action_change_trainee)
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)

    def on_unmount(self) -> None:
        self.store.close()


def run_app(args: Any) -> int:
    """Entry point for ``rtw-train`` with no subcommand (called by ``simulator.cli``)."""
    trainee = getattr(args, "trainee", None)
    if trainee is not None:  # checked before the screen opens: a refused name must not vanish silently
        try:
            clean_pseudonym(trainee)
        except RecordsError as exc:
            print(f"rtw-train: error: --trainee: {exc.message}", file=sys.stderr)
            return 2
    app = TrainApp(
        db_path=getattr(args, "db", None),
        scenarios=getattr(args, "scenarios", None),
        rubric=getattr(args, "rubric", None),
        trainee=getattr(args, "trainee", None),
        coach=getattr(args, "coach", None),
        lang=getattr(args, "lang", None) or default_language(),
    )
    app.run()
    return 0
