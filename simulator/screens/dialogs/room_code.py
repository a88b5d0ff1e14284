"""Ask for the room code (or the trainer's code) when the app is opened from a training room.

Why a dialog of its own: a browser that reaches the room's address is not yet in the room; the code the
trainer reads aloud is what lets it in, and the trainer's longer code opens the group's view instead.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ...i18n import _
from .entry import EntryDialog

MAX_TRIES = 5


class RoomCodeDialog(EntryDialog[str]):
    """Dismisses with ``trainee`` or ``trainer`` once ``check(code)`` accepts a code; after ``MAX_TRIES``
    wrong codes it dismisses with ``refused``."""

    def __init__(self, check: Callable[[str], str]) -> None:
        super().__init__(classes="dialog")
        self._check = check
        self._tries = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Join the training room"), classes="dialog-title")
            yield Static(
                _("Type the room code your trainer gave you (letters and digits; spaces do not matter)."),
                classes="dialog-message",
            )
            yield Input(placeholder=_("e.g. ABC 123"), max_length=24, id="room-code")
            yield Static("", id="room-code-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Join"), variant="primary", id="ok")

    def submit(self) -> None:
        field = self.query_one(Input)
        verdict = self._check(field.value)
        if verdict in ("trainee", "trainer"):
            self.dismiss(verdict)
            return
        self._tries += 1
        if self._tries >= MAX_TRIES:
            self.dismiss("refused")
            return
        message = (
            _("This room's codes have expired: ask your trainer for the new code.")
            if verdict == "expired"
            else _("That is not this room's code. Check it with your trainer and type it again.")
        )
        field.value = ""
        self.query_one("#room-code-error", Static).update(message)
