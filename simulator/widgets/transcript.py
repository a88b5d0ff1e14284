"""The conversation as a readable transcript: who said what, your choices, and (in coach mode) coach notes.

Each entry is its own Static so the CSS can set them apart (the worker, you, the coach) and so coach notes
can be hidden or shown at once with one class on the screen, without rebuilding the transcript.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..i18n import _
from .coaching import coach_note


class Transcript(VerticalScroll):
    """A scrolling list of transcript entries that always shows the latest one."""

    can_focus = False

    def add_line(self, speaker: str, text: str) -> Static:
        entry = Text()
        entry.append(_("{speaker}: ").format(speaker=speaker), style="bold")
        entry.append(text)
        return self._add(Static(entry, classes="entry line"))

    def add_choice(self, number: int, text: str) -> Static:
        entry = Text()
        entry.append(_("You: "), style="bold")
        entry.append(text)
        return self._add(Static(entry, classes="entry mine"))

    def add_coach_note(self, turn: Any, rubric: Any) -> Static:
        return self._add(Static(coach_note(turn, rubric), classes="entry coach-note"))

    def add_ending(self, ending: Any) -> Static:
        entry = Text()
        entry.append(_("End of the conversation: {title}").format(title=ending.title) + "\n", style="bold")
        entry.append(ending.summary)
        return self._add(Static(entry, classes=f"entry ending outcome-{ending.outcome}"))

    def add_notice(self, message: str) -> Static:
        return self._add(Static(Text(message, style="italic"), classes="entry notice"))

    def _add(self, widget: Static) -> Static:
        self.mount(widget)
        return widget

    def show_from(self, widget: Static) -> None:
        """Scroll so ``widget`` is the first entry in view, or as near as the end of the transcript allows."""
        self.call_after_refresh(self.scroll_to_widget, widget, top=True, animate=False)

    def show_end(self) -> None:
        self.call_after_refresh(self.scroll_end, animate=False)

    def replay(self, session: Any) -> None:
        """Fill the transcript from a session's whole log (used when resuming or retrying)."""
        turns = session.turns
        if session.scenario.summary:
            self.add_notice(session.scenario.summary)
        for entry in session.transcript():
            if entry.kind == "choice":
                self.add_choice(entry.number or 0, entry.text)
                if entry.turn_index is not None and entry.turn_index < len(turns):
                    self.add_coach_note(turns[entry.turn_index], session.rubric)
            else:
                self.add_line(entry.speaker_name, entry.text)
        if session.finished and session.ending is not None:
            self.add_ending(session.ending)
        self.show_end()
