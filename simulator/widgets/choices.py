"""The numbered choices: pick one with its number key, the arrows and Enter, or a mouse click.

An OptionList because it already does keyboard highlight, mouse hover and click; the number keys are bound
on the conversation screen so they work wherever the focus is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def choice_prompt(number: int, text: str) -> Table:
    """``1.`` in its own column so a long choice wraps under its text, not under its number."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    grid.add_row(f"{number}.", Text(text))
    return grid


class ChoiceList(OptionList):
    """Shows ``1. text`` per option; posts :class:`ChoiceList.Chosen` with the option's number."""

    class Chosen(Message):
        """The trainee picked option ``number``."""

        def __init__(self, number: int) -> None:
            super().__init__()
            self.number = number

    def set_choices(self, choices: Sequence[Any]) -> None:
        options = []
        for choice in choices:
            options.append(Option(choice_prompt(choice.number, choice.text), id=str(choice.number)))
        self.set_options(options)
        if options:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(int(event.option.id)))
