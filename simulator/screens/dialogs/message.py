"""A dialog that shows a title and one plain sentence; the error dialog is the same with error colours.

Why a dialog and not only a toast: a broken scenario file or an unwritable database needs the user to read
what happened before going on; a notification may vanish while they are looking elsewhere.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from ...i18n import N_, _
from ..translated import TranslatedBindings


class MessageDialog(TranslatedBindings, ModalScreen[None]):
    """Title, message, OK. Enter or Escape closes it."""

    BINDINGS = [Binding("escape", "dismiss", N_("Close"), show=False)]
    button_variant: ButtonVariant = "primary"

    def __init__(self, title: str, message: str) -> None:
        super().__init__(classes="dialog")
        self._title = title
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self._title, classes="dialog-title", markup=False)
            yield Static(self._message, classes="dialog-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("OK"), variant=self.button_variant, id="ok")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class ErrorDialog(MessageDialog):
    """The same dialog in error colours, for things that went wrong."""

    button_variant = "error"

    def __init__(self, title: str, message: str) -> None:
        super().__init__(title, message)
        self.add_class("error")
