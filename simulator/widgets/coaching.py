"""Coach notes in words: what a choice's codes mean, why, and where the guides say so.

Shared by the conversation's coach mode and the debrief, so both say exactly the same thing.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ..i18n import _
from ..score_words import code_label

VALENCE_STYLE = {"constructive": "bold green", "neutral": "bold yellow", "harmful": "bold red"}
VALENCE_MARK = {"constructive": "+", "neutral": "·", "harmful": "−"}


def codes_text(codes: list[str], rubric: Any) -> Text:
    """``+ Open question  − Judge``: each code's label, coloured and marked by its valence."""
    text = Text()
    for i, code_id in enumerate(codes):
        code = rubric.code(code_id) if rubric is not None else None
        label = code_label(code) if code else code_id
        valence = code.valence if code else "neutral"
        if i:
            text.append("  ")
        text.append(f"{VALENCE_MARK.get(valence, '·')} {label}", style=VALENCE_STYLE.get(valence, ""))
    if not codes:
        text.append(_("(no code)"), style="dim")
    return text


def coach_note(turn: Any, rubric: Any, *, with_better: bool = True) -> Text:
    """The coach's note after a choice: codes, feedback, source and, if there was one, the better choice."""
    text = Text()
    text.append(_("Coach: "), style="bold")
    text.append_text(codes_text(turn.codes, rubric))
    if turn.feedback:
        text.append("\n" + turn.feedback)
    if turn.source:
        text.append("\n" + _("Source: {source}").format(source=turn.source), style="dim")
    if with_better and turn.better_choice is not None:
        text.append("\n" + _("Better here: "), style="bold")
        text.append(f"{turn.better_choice.number}. {turn.better_choice.text}", style="italic")
    return text
