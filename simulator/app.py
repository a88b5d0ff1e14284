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

from auditor.i18n import LANGUAGES, language_from_environment, set_language

from .i18n import N_, _
from .localize import localize_catalog
from .paths import listening_rubric_path, scenarios_dir
from .records import RecordsError, TrainingRecords, clean_pseudonym, resolve_db_path
from .screens.dialogs import ErrorDialog, TraineeDialog
from .screens.home import HomeScreen
from .screens.translated import translated_command
from .training import Catalog, load_catalog

SETTING_TRAINEE = "last_trainee"
SETTING_COACH = "coach_mode"
SETTING_LANGUAGE = "language"
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
"""Each language by its own name (an autonym, never translated): the way back must be readable by its reader."""


class TrainApp(App[None]):
    """Home → conversation → debrief, with history; every choice saved as it is made."""

    CSS_PATH: ClassVar[str | Path] = "app.tcss"
    TITLE = "rtw-train"
    BINDINGS = [
        Binding("c", "toggle_coach", N_("Coach"), id="coach", tooltip=N_("Show or hide the coach's notes after each choice")),
        # Not in the footer (it is full at 80 columns); offered in the command palette and the keys panel.
        Binding("ctrl+l", "switch_language", N_("Language"), id="language", show=False),
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
        lang: str | None = None,
    ) -> None:
        super().__init__()
        # The language of the interface and of the scenarios' texts: ``lang`` (``--lang``) when given, else
        # the one remembered in the records, else the locale's (decided in ``begin``, once the records are open).
        self._lang_arg = lang
        self.lang = lang or "en"
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

    def choose_language(self) -> None:
        """``--lang`` first, then the language chosen last time in the app, then the locale; made active."""
        remembered = self._setting(SETTING_LANGUAGE)
        if self._lang_arg:
            self.lang = self._lang_arg
        elif remembered in LANGUAGES:
            self.lang = remembered
        else:
            self.lang = language_from_environment()
        set_language(self.lang)

    def load_scenarios(self) -> None:
        """The scenarios and the rubric, in the app's language (problems are kept in the catalog)."""
        self.catalog = load_catalog(self.scenarios_dir, self.rubric_path)
        localize_catalog(self.catalog, self.lang)

    def begin(self) -> None:
        """Open the records and the scenarios, then ask who is training (a training room's app overrides it:
        its way in is the room code)."""
        unwritable: list[RecordsError] = []
        try:
            self.store = TrainingRecords.open(self.db_path)
        except RecordsError as exc:
            unwritable.append(exc)
        self.choose_language()
        problems = [
            ErrorDialog(
                _("Your attempts will not be saved"),
                _("{problem}\n\nYou can still practise, but nothing will be kept when you quit. "
                  "Quit (ctrl+q) and start rtw-train with --db and a file you can write to.").format(problem=exc.message),
            )
            for exc in unwritable
        ]
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

    def _remember(self, key: str, value: str) -> None:
        """Keep a preference for the next start; a records error is not shown here (it is reported when an
        attempt is saved, where it matters)."""
        try:
            self.store.set_setting(key, value)
        except RecordsError:
            pass

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
        who = self.trainee or _("no trainee yet")
        mode = _("coach mode") if self.coach else _("plain mode")
        self.sub_title = f"{who} · {mode}"

    # ------------------------------------------------------------------ actions
    def action_toggle_coach(self) -> None:
        self.coach = not self.coach
        self._remember(SETTING_COACH, "on" if self.coach else "off")
        if self.coach:
            self.notify(_("The codes and feedback are shown after each choice."), title=_("Coach mode on"))
        else:
            self.notify(_("No feedback until the debrief: use it for assessment."), title=_("Plain mode on"))

    def other_language(self) -> str:
        """The language the switch goes to: French from English, English from anything else."""
        return "fr" if self.lang == "en" else "en"

    def action_switch_language(self) -> None:
        """English ⇄ French, from a screen where no attempt is open (an attempt keeps the language it was
        started in: its records say one language, and its transcript would otherwise mix two)."""
        if not getattr(self.screen, "LANGUAGE_SWITCH", False):
            self.notify(
                _("Change the language from the home screen: an attempt stays in the language it was started in."),
                title=_("Language not changed"),
            )
            return
        self.switch_language(self.other_language())

    def switch_language(self, language: str, *, remember: bool = True) -> None:
        """Speak ``language`` from now on: interface, scenarios (re-localised from their files), open screens;
        remembered in the records for the next start unless ``remember`` is false."""
        set_language(language)  # refuses a language it does not know, before anything changes
        self.lang = language
        if remember and language in LANGUAGES:
            self.remember_language(language)
        self.load_scenarios()
        self._update_subtitle()
        for screen in self.screen_stack:
            relocalize = getattr(screen, "relocalize", None)
            if callable(relocalize):
                relocalize()
            screen.refresh_bindings()
        self.notify(_("Interface and scenarios: {language}.").format(language=LANGUAGE_NAMES.get(language, language)),
                    title=_("Language changed"))

    def remember_language(self, language: str) -> None:
        self._remember(SETTING_LANGUAGE, language)

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
        for command in super().get_system_commands(screen):
            yield translated_command(command)
        yield SystemCommand(
            _("Coach mode: turn off (plain mode for assessment)") if self.coach else _("Coach mode: turn on"),
            _("Show or hide the codes and feedback after each choice"),
            self.action_toggle_coach,
        )
        other = self.other_language()
        yield SystemCommand(
            _("Language: {language}").format(language=LANGUAGE_NAMES[other]),
            _("Show the app and the scenarios in {language}; remembered for the next start").format(
                language=LANGUAGE_NAMES[other]),
            self.action_switch_language,
        )
        yield SystemCommand(_("Change trainee"), _("Type another name or pseudonym"), self.action_change_trainee)
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)

    def action_command_palette(self) -> None:
        """Textual's palette, with its search prompt in the active language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(placeholder=_("Search for commands…"), id="--command-palette"))

    def action_help_quit(self) -> None:
        """Textual's answer to ctrl+c (which no longer quits), in the active language."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(_("Press [b]{key}[/b] to quit the app").format(key=key), title=_("Do you want to quit?"))
                return

    def on_unmount(self) -> None:
        self.store.close()


def run_app(args: Any) -> int:
    """Entry point for ``rtw-train`` with no subcommand (called by ``simulator.cli``)."""
    trainee = getattr(args, "trainee", None)
    if trainee is not None:  # checked before the screen opens: a refused name must not vanish silently
        try:
            clean_pseudonym(trainee)
        except RecordsError as exc:
            print(_("rtw-train: error: --trainee: {message}").format(message=exc.message), file=sys.stderr)
            return 2
    app = TrainApp(
        db_path=getattr(args, "db", None),
        scenarios=getattr(args, "scenarios", None),
        rubric=getattr(args, "rubric", None),
        trainee=getattr(args, "trainee", None),
        coach=getattr(args, "coach", None),
        lang=getattr(args, "lang", None),
    )
    app.run()
    return 0
