"""The shape of a dialog that asks for one line of text (a pseudonym, a room code).

Why a base class: each such dialog differs only in its words and in what it does with the text; focusing
the field, Enter, and the buttons behave the same in all of them.
"""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen
from textual.widgets import Button, Input

ResultType = TypeVar("ResultType")


class EntryDialog(ModalScreen[ResultType]):
    """Focus the text field; Enter or the ``ok`` button submits, any other button cancels."""

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "ok":
            self.submit()
        else:
            self.action_cancel()

    def submit(self) -> None:
        """Check the text and dismiss with a result, or say what is wrong."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        """Leave without a result, where the dialog allows it (by default it does not)."""
