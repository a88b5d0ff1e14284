"""Ask who is training: a first name or a pseudonym, remembered between runs.

Why a pseudonym: the records only need to tell one trainee's attempts from another's; a trainer can keep
the link to real people on paper if they need it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ...i18n import N_, _
from ...records import MAX_PSEUDONYM, RecordsError, clean_pseudonym
from ..translated import TranslatedBindings
from .entry import EntryDialog


class TraineeDialog(TranslatedBindings, EntryDialog[str | None]):
    """Dismisses with the cleaned name, or None if cancelled (only allowed when a name is already set)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), show=False)]

    def __init__(self, current: str | None = None) -> None:
        super().__init__(classes="dialog")
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(_("Who is training?"), classes="dialog-title")
            yield Static(
                _("Type your first name or a pseudonym. It labels your attempts so you and your trainer "
                  "can find them later. Do not type anything else about yourself."),
                classes="dialog-message",
            )
            yield Input(
                value=self._current or "",
                placeholder=_("e.g. Sam or Trainee 4"),
                max_length=MAX_PSEUDONYM,
                id="pseudonym",
            )
            yield Static("", id="pseudonym-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(_("Continue"), variant="primary", id="ok")
                if self._current:
                    yield Button(_("Cancel"), id="cancel")

    def action_cancel(self) -> None:
        if self._current:
            self.dismiss(None)
        else:
            self._show_error(_("A name or pseudonym is needed to keep your attempts apart."))

    def submit(self) -> None:
        try:
            name = clean_pseudonym(self.query_one(Input).value)
        except RecordsError as exc:
            self._show_error(exc.message)
            return
        self.dismiss(name)

    def _show_error(self, message: str) -> None:
        self.query_one("#pseudonym-error", Static).update(message)
