"""The conversation: the transcript above, the numbered choices below, coach notes when coach mode is on.

Every choice goes through ``TrainingRun.choose``, which saves it before the screen shows what comes next;
leaving with Escape loses nothing (the attempt is resumable from home).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from ..errors import SessionError
from ..i18n import N_, _, ngettext
from ..training import TrainingRun
from ..widgets.choices import ChoiceList
from ..widgets.transcript import Transcript
from .translated import TranslatedBindings

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp

_CHOOSE = Binding.Group(N_("Choose"), compact=True)
_SCROLL = Binding.Group(N_("Scroll"))
MAX_NUMBER_KEYS = 9


class ConversationScreen(TranslatedBindings, Screen[None]):
    """One attempt being played. Numbers 1-9 choose; ``c`` toggles coach mode; Escape goes home."""

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        *(
            Binding(str(n), f"choose({n})", N_("Choose"), group=_CHOOSE, id=f"choose-{n}")
            for n in range(1, MAX_NUMBER_KEYS + 1)
        ),
        Binding("pageup", "scroll(-1)", N_("Scroll"), group=_SCROLL, id="scroll-up", priority=True),
        Binding("pagedown", "scroll(1)", N_("Scroll"), group=_SCROLL, id="scroll-down", priority=True),
        Binding("d", "debrief", N_("Debrief"), id="debrief"),
        Binding("escape", "leave", N_("Home"), id="leave"),
    ]

    def __init__(self, run: TrainingRun) -> None:
        super().__init__()
        self.run = run

    def compose(self) -> ComposeResult:
        yield Header()
        yield Transcript(id="transcript")
        with Vertical(id="answer"):
            yield Static("", id="prompt")
            yield ChoiceList(id="choices")
            with Horizontal(id="ended"):
                yield Button(_("See your debrief"), id="see-debrief", variant="primary")
                yield Static("", id="ended-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.run.scenario.title
        self.set_class(self.app.coach, "-coach")
        self.watch(self.app, "coach", self._coach_changed, init=False)
        transcript = self.query_one(Transcript)
        transcript.replay(self.run.session)
        if self.run.retry_from_step:
            transcript.add_notice(
                _("Retry from step {step}: the steps before it are replayed as you played them. "
                  "Choose again from here.").format(step=self.run.retry_from_step)
            )
            transcript.show_end()
        self._show_turn()

    # ------------------------------------------------------------------ display
    def _coach_changed(self, coach: bool) -> None:
        self.set_class(coach, "-coach")
        self.title = self._progress()

    def _show_turn(self) -> None:
        session = self.run.session
        choices = session.choices()
        choice_list = self.query_one(ChoiceList)
        prompt = self.query_one("#prompt", Static)
        ended = self.query_one("#ended")
        answer = self.query_one("#answer")
        if session.finished:
            answer.border_title = _("The end")
            choice_list.display = False
            prompt.display = False
            ended.display = True
            self.query_one("#ended-text", Static).update(
                Text(_("Press Enter. The debrief shows your scores and each choice, and lets you retry any step."))
            )
            self.query_one("#see-debrief", Button).focus()
        else:
            ended.display = False
            choice_list.display = True
            cue = session.prompt()
            prompt.display = bool(cue)
            prompt.update(Text(cue or "", style="bold"))
            last = len(choices)
            answer.border_title = (
                _("Your turn: press 1-{last} or click a choice").format(last=last) if last > 1
                else _("Your turn: press 1 or click the choice")
            )
            choice_list.set_choices(choices)
            choice_list.focus()
        self.title = self._progress()
        self.refresh_bindings()

    def _progress(self) -> str:
        """Where the trainee is and which mode is on: the first thing in the header, never cut off."""
        done = len(self.run.session.turns)
        mode = _("coach mode") if self.app.coach else _("plain mode")
        if self.run.session.finished:
            return ngettext("Finished after {count} choice · {mode}", "Finished after {count} choices · {mode}",
                            done).format(count=done, mode=mode)
        return _("Decision {number} · {mode}").format(number=done + 1, mode=mode)

    # ------------------------------------------------------------------ choosing
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            number = parameters[0] if parameters else 0
            return isinstance(number, int) and number <= len(self.run.session.choices())
        if action == "debrief":
            return self.run.session.finished
        return True

    def action_choose(self, number: int) -> None:
        session = self.run.session
        if session.finished or not 1 <= number <= len(session.choices()):
            return
        try:
            turn = self.run.choose(number, coached=self.app.coach)
        except SessionError as exc:
            self.app.show_error(_("This choice cannot be played"), str(exc))
            return
        if self.run.last_save_error is not None:
            self.notify(self.run.last_save_error.message, title=_("Not saved"), severity="error", timeout=10)
        transcript = self.query_one(Transcript)
        mine = transcript.add_choice(turn.number, turn.choice_text)
        transcript.add_coach_note(turn, self.run.rubric)
        for line in session.current_lines():
            transcript.add_line(line.speaker_name, line.text)
        if session.finished and session.ending is not None:
            transcript.add_ending(session.ending)
        if session.finished:
            transcript.show_end()  # the ending is what matters now
        else:
            transcript.show_from(mine)  # read on from your own words: the coach note and the reply follow
        self._show_turn()

    def action_scroll(self, direction: int) -> None:
        transcript = self.query_one(Transcript)
        if direction < 0:
            transcript.scroll_page_up()
        else:
            transcript.scroll_page_down()

    def on_choice_list_chosen(self, event: ChoiceList.Chosen) -> None:
        event.stop()
        self.action_choose(event.number)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "see-debrief":
            event.stop()
            self.action_debrief()

    def action_debrief(self) -> None:
        if not self.run.session.finished:
            return
        if self.app.debrief_locked():
            self.notify(_("Your trainer opens the debrief for the whole group: wait a moment."),
                        title=_("Debrief not open yet"))
            return
        from .debrief import DebriefScreen

        self.app.switch_screen(DebriefScreen(self.run))

    def action_leave(self) -> None:
        if not self.run.session.finished and self.run.session.turns:
            self.notify(_("Your choices are saved. Press r on the home screen to resume."), title=_("Attempt saved"))
        self.app.pop_screen()

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], Any]]]:
        for choice in self.run.session.choices():
            yield (_("Choose {number}: {text}").format(number=choice.number, text=choice.text), _("Say this"),
                   partial(self.action_choose, choice.number))
        if self.run.session.finished:
            yield (_("See the debrief"), _("Scores, trust chart and your choices step by step"), self.action_debrief)
        yield (_("Back to home"), _("Leave this attempt (it is saved and can be resumed)"), self.action_leave)
