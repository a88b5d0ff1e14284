"""The numbered choices: pick one with its number key, the arrows and Enter, or a mouse click.

An OptionList because it already does keyboard highlight, mouse hover and click; the number keys are bound
on the conversation screen so they work wherever the focus is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


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
            prompt = Text()
            prompt.append(f"{choice.number}. ", style="bold")
            prompt.append(choice.text)
            options.append(Option(prompt, id=str(choice.number)))
        self.set_options(options)
        if options:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(int(event.option.id)))
