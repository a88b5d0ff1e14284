"""A question with a few answers as buttons; Escape cancels (dismisses with None).

Why not yes/no: "Resume, start over or cancel?" needs three answers, and a wrong default (Escape meaning
"start over") would surprise someone who only wanted to close the box.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...i18n import N_
from ..translated import TranslatedBindings


class QuestionDialog(TranslatedBindings, ModalScreen[str | None]):
    """``answers`` is a list of (id, label); the first one is the default and has the focus."""

    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"), show=False)]

    def __init__(self, title: str, message: str, answers: Sequence[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self._title, self._message, self._answers = title, message, list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for i, (answer_id, label) in enumerate(self._answers):
                    yield Button(label, id=f"answer-{answer_id}", variant="primary" if i == 0 else "default")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("answer-"))
