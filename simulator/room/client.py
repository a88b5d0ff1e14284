"""The app as a browser connection of a training room runs it: a code, a pseudonym, then the usual app.

Why a subclass and not a second app: trainees must play exactly the app of the terminal. The room only adds
the way in (the room code), presence for the trainer's view, and what the trainer decides for everyone: the
scenario, coach or plain mode, and whether the debrief is open. Nothing personal is remembered in the shared
file's settings (no "last trainee", no coach preference): each browser says who it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..app import TrainApp
from ..i18n import _
from ..records import RecordsError, clean_pseudonym
from ..screens.dialogs import ErrorDialog, TraineeDialog
from ..screens.dialogs.room_code import RoomCodeDialog
from ..screens.home import HomeScreen
from .state import RoomSettings, RoomStore

HEARTBEAT_SECONDS = 3.0
EXIT_REFUSED = 3
"""Exit status of a room session closed after too many wrong codes."""


class RoomApp(TrainApp):
    """The training app inside a room: joins with a code, follows the room's settings."""

    CSS_PATH = Path(__file__).resolve().parents[1] / "app.tcss"  # the app's own styles, not a copy

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("coach", None)
        super().__init__(**kwargs)
        self.room: RoomStore | None = None
        self.room_session: str | None = None
        self.room_settings: RoomSettings | None = None
        self._open_pending = False

    def begin(self) -> None:
        self.choose_language()
        try:
            self.room = RoomStore.open(self.db_path)
        except RecordsError as exc:
            self.push_screen(ErrorDialog(_("The training room cannot be opened"), exc.message))
            return
        self.store = self.room.records
        self.load_scenarios()
        self.room_settings = self.room.settings()
        self.push_screen(HomeScreen())
        self.push_screen(RoomCodeDialog(self.room.check_code), self._code_accepted)

    # ------------------------------------------------------------------ joining
    def _code_accepted(self, verdict: str | None) -> None:
        if verdict == "trainer":
            from ..screens.trainer import TrainerScreen

            self.switch_screen(TrainerScreen())
            return
        if verdict != "trainee":
            self.exit(return_code=EXIT_REFUSED,
                      message=_("Too many wrong codes: ask your trainer for the room code and join again."))
            return
        self.push_screen(TraineeDialog(), self._name_given)

    def _name_given(self, name: str | None) -> None:
        if not name or self.room is None:
            return
        self.set_trainee(name)
        try:
            self.room_session = self.room.join(self.trainee or name)
        except RecordsError as exc:
            self.show_error(exc.title, exc.message)
        self._open_pending = True
        self.set_interval(HEARTBEAT_SECONDS, self._heartbeat)
        self.set_interval(0.2, self._open_assigned_when_home, repeat=25)
        self._apply_settings()

    def set_trainee(self, name: str) -> None:
        """In a room the pseudonym is this browser's, never remembered in the shared file."""
        try:
            self.trainee = clean_pseudonym(name)
        except RecordsError as exc:
            self.show_error(exc.title, exc.message)

    # ------------------------------------------------------------------ following the room
    def _heartbeat(self) -> None:
        if self.room is None:
            return
        try:
            if self.room_session:
                self.room.heartbeat(self.room_session)
            self._apply_settings()
        except RecordsError:
            pass  # the next beat tries again; choices are saved (and reported) by the training run

    def _apply_settings(self) -> None:
        assert self.room is not None
        before = self.room_settings
        settings = self.room_settings = self.room.settings()
        if settings is None:
            return
        if settings.mode in ("coach", "plain"):
            self.set_reactive(TrainApp.coach, settings.mode == "coach")
            self._update_subtitle()
        if before is not None and before.debrief_locked and not settings.debrief_locked:
            self.notify(_("Your trainer has opened the debrief."), title=_("Debrief open"))
        if before is not None and before.scenario_id != settings.scenario_id:
            self._open_pending = True
        self._open_assigned_when_home()

    def _open_assigned_when_home(self) -> None:
        """Open the trainer's scenario once this trainee is on the home screen (not over a dialog that is
        still closing, and never in the middle of another conversation)."""
        settings = self.room_settings
        if not self._open_pending or settings is None or not settings.scenario_id or not self.trainee:
            return
        if not isinstance(self.screen, HomeScreen):
            return
        scenario = self.catalog.get(settings.scenario_id)
        self._open_pending = False
        if scenario is not None:
            self.screen.open_scenario(scenario)

    def action_toggle_coach(self) -> None:
        if self.room_settings is not None and self.room_settings.mode in ("coach", "plain"):
            self.notify(_("Your trainer has set the mode for this session."), title=_("Mode set by the trainer"))
            return
        self.coach = not self.coach

    def remember_language(self, language: str) -> None:
        """In a room the language is this browser's (its ``--lang`` or the room's), never remembered in the
        shared file: the next trainee at that file may read the other language."""

    def debrief_locked(self) -> bool:
        return bool(self.room_settings and self.room_settings.debrief_locked)

    def on_unmount(self) -> None:
        if self.room is not None:
            try:
                if self.room_session:
                    self.room.leave(self.room_session)
            except RecordsError:
                pass
            self.room.close()


def run_room_client(args: Any) -> int:
    from auditor.i18n import language_from_environment

    app = RoomApp(
        db_path=getattr(args, "db", None),
        scenarios=getattr(args, "scenarios", None),
        rubric=getattr(args, "rubric", None),
        lang=getattr(args, "lang", None) or language_from_environment(),
    )
    app.run()
    if app.return_code:
        return app.return_code
    return 0
