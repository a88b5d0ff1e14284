"""The debrief: the trained skills against the rubric's thresholds, the MITI indicators (fair / good), the
global-rating estimates, the trust chart, and every choice annotated with its codes, feedback, source and the
better choice — a harmful one marked in words — each with a button to retry from that point.

Read from top to bottom like a report; ``s`` (in the footer) picks a step to retry from, ``r`` retries from
the start, Tab still moves between the retry buttons, Escape goes back.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static

from ..engine import Session
from ..errors import SessionError
from ..i18n import N_, _
from ..score_words import harmful_sentence
from ..training import TrainingRun, trust_series
from ..widgets.coaching import coach_note
from ..widgets.score_table import ScoreTable
from ..widgets.trust_chart import TrustChart
from .translated import TranslatedBindings

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp

OUTCOME_STYLE = {"positive": "bold green", "mixed": "bold yellow", "negative": "bold red"}
OUTCOME_WORDS = {"positive": N_("(positive ending)"), "mixed": N_("(mixed ending)"), "negative": N_("(negative ending)")}


def lines_before_each_turn(session: Session) -> list[list[tuple[str, str]]]:
    """For turn i, what the other characters said since the previous choice: [(speaker, text), ...]."""
    out: list[list[tuple[str, str]]] = []
    pending: list[tuple[str, str]] = []
    for entry in session.transcript():
        if entry.kind == "choice":
            out.append(pending)
            pending = []
        else:
            pending.append((entry.speaker_name, entry.text))
    return out


def headline(run: TrainingRun, result: Any) -> Text:
    """Ending, outcome and overall score, in words first."""
    session = run.session
    text = Text()
    ending = session.ending
    if ending is not None:
        text.append(f"{ending.title}", style=OUTCOME_STYLE.get(ending.outcome, "bold"))
        words = _(OUTCOME_WORDS[ending.outcome]) if ending.outcome in OUTCOME_WORDS else f"({ending.outcome})"
        text.append(f"  {words}\n", style="dim")
        text.append(ending.summary + "\n")
    # One sentence for the translator, drawn as two spans (label, then the score) as it always was.
    label, _sep, rest = _("Overall listening score: {score} / 100").partition("{score}")
    text.append("\n" + label, style="bold")
    text.append(_sep.format(score=result.overall) + rest, style="bold")
    if result.harmful_count:
        text.append(
            "\n" + _("{harmful}. The score is capped and loses points for each; "
                     "the step is marked \"harmful response\" below.").format(
                harmful=harmful_sentence(result.harmful_count)),
            style="red",
        )
    return text


def step_summary(index: int, turn: Any, rubric: Any, width: int = 50) -> str:
    """One line per step for the step picker: "harmful — " first when it was, then the words chosen."""
    words = turn.choice_text if len(turn.choice_text) <= width else turn.choice_text[: width - 1] + "…"
    quoted = _("“{words}”").format(words=words)
    return _("✗ harmful — {choice}").format(choice=quoted) if rubric.is_harmful(list(turn.codes)) else quoted


class DebriefScreen(TranslatedBindings, Screen[None]):
    """The report of a finished attempt, with retry from any decision point."""

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        Binding("s", "pick_step", N_("Retry from step…"), id="retry-step",
                tooltip=N_("Pick a step: the earlier choices are replayed and you decide again there")),
        Binding("r", "retry(0)", N_("Retry from start"), id="retry", tooltip=N_("Play the scenario again from the start")),
        Binding("escape", "back", N_("Back"), id="back"),
    ]

    def __init__(self, run: TrainingRun) -> None:
        super().__init__()
        self.run = run
        self.result = run.score()

    def compose(self) -> ComposeResult:
        session = self.run.session
        yield Header()
        with VerticalScroll(id="debrief"):
            yield Static(headline(self.run, self.result), id="headline")
            yield Static(
                _("Skills — a verdict for the skills this scenario trains") if session.scenario.trains
                else _("Skills — a verdict for every skill with evidence"),
                classes="section-title",
            )
            yield ScoreTable(self.result, "dimensions", id="dimensions")
            if self.result.indicators:
                yield Static(_("MITI indicators"), classes="section-title")
                yield ScoreTable(self.result, "indicators", self.run.rubric, id="indicators")
            if self.result.ratings:
                yield Static(_("Global ratings, estimated"), classes="section-title")
                yield ScoreTable(self.result, "ratings", id="ratings")
            series = trust_series(session)
            if series is not None:
                label, values, low, high = series
                yield Static(_("How the conversation moved"), classes="section-title")
                yield TrustChart(label, values, low, high, id="trust-chart")
            yield Static(_("Your choices, step by step"), classes="section-title")
            yield Static(
                _("To try a step again, press s and pick the step, or click its Retry button."),
                classes="hint",
            )
            contexts = lines_before_each_turn(session)
            for i, turn in enumerate(session.turns):
                harmful = self.run.rubric.is_harmful(list(turn.codes))
                with Vertical(classes="turn-review harmful" if harmful else "turn-review"):
                    yield Static(self._turn_text(i, turn, contexts[i] if i < len(contexts) else []))
                    yield Button(_("Retry from step {number}").format(number=i + 1), id=f"retry-{i}", classes="retry")
            yield Button(_("Back"), id="back-button")
        yield Footer()

    def on_mount(self) -> None:
        self.title = _("Debrief · {trainee}").format(trainee=self.run.trainee)
        self.sub_title = self.run.scenario.title
        self.query_one("#debrief").focus()
        if not self.run.saved and not self.run.save(coached=self.app.coach):
            error = self.run.last_save_error
            self.notify(
                _("{problem} This attempt is not in the records.").format(problem=error.message if error else "").strip(),
                title=_("Not saved"),
                severity="error",
                timeout=15,
            )

    def _turn_text(self, index: int, turn: Any, said: list[tuple[str, str]]) -> Text:
        text = Text()
        text.append(_("Step {number}").format(number=index + 1), style="bold underline")
        if self.run.rubric.is_harmful(list(turn.codes)):
            text.append("  " + _("✗ harmful response"), style="bold red")
        text.append("\n")
        for speaker, line in said:
            # Translators: a speaker's name before what they said ("Mme Tremblay : …" in French).
            text.append(_("{speaker}: ").format(speaker=speaker), style="bold")
            text.append(line + "\n")
        text.append(_("You chose: "), style="bold")
        text.append(f"{turn.number}. {turn.choice_text}\n")
        text.append_text(coach_note(turn, self.run.rubric))
        if turn.better_choice is None:
            text.append("\n" + _("No clearly better option here."), style="green")
        return text

    # ------------------------------------------------------------------ actions
    def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        if button_id.startswith("retry-"):
            event.stop()
            self.action_retry(int(button_id.removeprefix("retry-")))
        elif button_id == "back-button":
            event.stop()
            self.action_back()

    def action_retry(self, turn_index: int) -> None:
        """A new attempt with the choices before ``turn_index`` replayed; this attempt stays as it was."""
        app = self.app
        try:
            run = self.run.retry_from(turn_index)
        except SessionError as exc:
            app.show_error(_("Cannot retry from there"), str(exc))
            return
        from .conversation import ConversationScreen

        app.switch_screen(ConversationScreen(run))

    def action_pick_step(self) -> None:
        """The steps as a list (harmful ones marked); the one picked is retried, Escape keeps the debrief."""
        from .dialogs.step_picker import StepPicker

        turns = self.run.session.turns
        if not turns:
            return
        steps = [step_summary(i, t, self.run.rubric) for i, t in enumerate(turns)]

        def picked(index: int | None) -> None:
            if index is not None:
                self.action_retry(index)

        self.app.push_screen(StepPicker(steps), picked)

    def action_back(self) -> None:
        self.app.pop_screen()

    def palette_commands(self) -> Iterable[tuple[str, str, Callable[[], Any]]]:
        for i, _turn in enumerate(self.run.session.turns):
            yield (
                _("Retry from step {number}").format(number=i + 1),
                _("Replay the earlier choices and decide again at step {number}").format(number=i + 1),
                partial(self.action_retry, i),
            )
        yield (_("Back"), _("Leave the debrief"), self.action_back)
