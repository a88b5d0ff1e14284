"""Pick the step to retry from: the debrief's steps as a list, arrows and Enter (or the step's number).

Why a dialog: the debrief has one Retry button per step, far down a long report; reaching the right one
with Tab meant cycling through every button. From the debrief, one key (shown in the footer) opens this
list, where harmful choices are marked in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...i18n import N_, _
from ..translated import TranslatedBindings


class StepPicker(TranslatedBindings, ModalScreen[int | None]):
    """``steps`` is a list of one-line descriptions, in order; dismisses with the 0-based step or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, steps: Sequence[str]) -> None:
        super().__init__(classes="dialog")
        self._steps = list(steps)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Retry from which step?"), classes="dialog-title")
            yield Static(
                _("The earlier choices are replayed; you decide again from the step you pick. "
                  "This attempt stays in the records as it is."),
                classes="dialog-message",
            )
            yield OptionList(
                *(Option(Text(f"{i + 1}. {text}"), id=f"step-{i}") for i, text in enumerate(self._steps)),
                id="step-list",
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def on_key(self, event) -> None:
        """A digit picks that step directly (steps 1-9)."""
        if event.character and event.character.isdigit() and event.character != "0":
            index = int(event.character) - 1
            if index < len(self._steps):
                event.stop()
                self.dismiss(index)
