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
from ..score_words import harmful_sentence
from ..training import TrainingRun, trust_series
from ..widgets.coaching import coach_note
from ..widgets.score_table import ScoreTable
from ..widgets.trust_chart import TrustChart

if TYPE_CHECKING:
    from textual import getters

    from ..app import TrainApp

OUTCOME_STYLE = {"positive": "bold green", "mixed": "bold yellow", "negative": "bold red"}


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
        text.append(f"  ({ending.outcome} ending)\n", style="dim")
        text.append(ending.summary + "\n")
    text.append("\nOverall listening score: ", style="bold")
    text.append(f"{result.overall} / 100", style="bold")
    if result.harmful_count:
        text.append(
            f"\n{harmful_sentence(result.harmful_count)}. The score is capped and loses points for each; "
            "the step is marked \"harmful response\" below.",
            style="red",
        )
    return text


def step_summary(index: int, turn: Any, rubric: Any, width: int = 50) -> str:
    """One line per step for the step picker: "harmful — " first when it was, then the words chosen."""
    words = turn.choice_text if len(turn.choice_text) <= width else turn.choice_text[: width - 1] + "…"
    return ("✗ harmful — " if rubric.is_harmful(list(turn.codes)) else "") + f"“{words}”"


class DebriefScreen(Screen[None]):
    """The report of a finished attempt, with retry from any decision point."""

    if TYPE_CHECKING:  # the screens run inside the training app: its attributes, typed
        app = getters.app(TrainApp)

    BINDINGS = [
        Binding("s", "pick_step", "Retry from step…", id="retry-step",
                tooltip="Pick a step: the earlier choices are replayed and you decide again there"),
        Binding("r", "retry(0)", "Retry from start", id="retry", tooltip="Play the scenario again from the start"),
        Binding("escape", "back", "Back", id="back"),
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
            trains = "the skills this scenario trains" if session.scenario.trains else "every skill with evidence"
            yield Static(f"Skills — a verdict for {trains}", classes="section-title")
            yield ScoreTable(self.result, "dimensions", id="dimensions")
            if self.result.indicators:
                yield Static("MITI indicators", classes="section-title")
                yield ScoreTable(self.result, "indicators", self.run.rubric, id="indicators")
            if self.result.ratings:
                yield Static("Global ratings, estimated", classes="section-title")
                yield ScoreTable(self.result, "ratings", id="ratings")
            series = trust_series(session)
            if series is not None:
                label, values, low, high = series
                yield Static("How the conversation moved", classes="section-title")
                yield TrustChart(label, values, low, high, id="trust-chart")
            yield Static("Your choices, step by step", classes="section-title")
            yield Static(
                "To try a step again, press s and pick the step, or click its Retry button.",
                classes="hint",
            )
            contexts = lines_before_each_turn(session)
            for i, turn in enumerate(session.turns):
                harmful = self.run.rubric.is_harmful(list(turn.codes))
                with Vertical(classes="turn-review harmful" if harmful else "turn-review"):
                    yield Static(self._turn_text(i, turn, contexts[i] if i < len(contexts) else []))
                    yield Button(f"Retry from step {i + 1}", id=f"retry-{i}", classes="retry")
            yield Button("Back", id="back-button")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Debrief · {self.run.trainee}"
        self.sub_title = self.run.scenario.title
        self.query_one("#debrief").focus()
        if not self.run.saved and not self.run.save(coached=self.app.coach):
            error = self.run.last_save_error
            self.notify(
                f"{error.message if error else ''} This attempt is not in the records.",
                title="Not saved",
                severity="error",
                timeout=15,
            )

    def _turn_text(self, index: int, turn: Any, said: list[tuple[str, str]]) -> Text:
        text = Text()
        text.append(f"Step {index + 1}", style="bold underline")
        if self.run.rubric.is_harmful(list(turn.codes)):
            text.append("  ✗ harmful response", style="bold red")
        text.append("\n")
        for speaker, line in said:
            text.append(f"{speaker}: ", style="bold")
            text.append(line + "\n")
        text.append("You chose: ", style="bold")
        text.append(f"{turn.number}. {turn.choice_text}\n")
        text.append_text(coach_note(turn, self.run.rubric))
        if turn.better_choice is None:
            text.append("\nNo clearly better option here.", style="green")
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
            app.show_error("Cannot retry from there", str(exc))
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
                f"Retry from step {i + 1}",
                f"Replay the earlier choices and decide again at step {i + 1}",
                partial(self.action_retry, i),
            )
        yield ("Back", "Leave the debrief", self.action_back)
