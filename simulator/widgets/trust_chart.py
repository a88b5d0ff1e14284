"""A small bar chart of how the worker's trust moved through the conversation.

Why not Textual's Sparkline: it scales bars between the lowest and highest value shown, so a drop from 52 to
50 would look like a collapse. A trainee needs the variable's own scale (e.g. 0-100), the numbers under the
bars and one sentence that says the same thing in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from auditor.i18n import format_decimal

from ..i18n import _

_BLOCKS = " ▁▂▃▄▅▆▇█"


def chart_text(
    label: str, values: Sequence[float], low: float, high: float, *, height: int = 4, col_width: int = 4
) -> Text:
    """Render ``values`` (start, then after each step) as bars on the fixed scale [low, high]."""
    text = Text()
    text.append(f"{label} ({_num(low)}-{_num(high)})\n", style="bold")
    if not values:
        text.append(_("No choices yet."), style="dim")
        return text
    span = (high - low) or 1
    levels = height * 8
    filled = [max(0, min(levels, round((v - low) / span * levels))) for v in values]
    styles = ["" if i == 0 else _trend_style(values[i - 1], v) for i, v in enumerate(values)]
    for row in range(height, 0, -1):
        text.append("    ")
        for amount, style in zip(filled, styles, strict=True):
            part = amount - (row - 1) * 8
            char = _BLOCKS[max(0, min(8, part))]
            text.append((char * (col_width - 1)).ljust(col_width), style=style or "cyan")
        text.append("\n")
    text.append("    " + "".join(_num(v).ljust(col_width) for v in values) + "\n", style="bold")
    text.append("    " + "".join(str(i).ljust(col_width) for i in range(len(values))), style="dim")
    text.append(_("step (0 = start)") + "\n", style="dim")
    text.append(summary_sentence(label, values), style="italic")
    return text


def summary_sentence(label: str, values: Sequence[float]) -> str:
    """The chart in words: start, end, and the step with the largest fall, if any."""
    if len(values) < 2:
        return _("{label} starts at {value}.").format(label=label, value=_num(values[0])) if values else ""
    start, end = values[0], values[-1]
    if end > start:
        sentence = _("{label} rose from {start} to {end}.").format(label=label, start=_num(start), end=_num(end))
    elif end < start:
        sentence = _("{label} fell from {start} to {end}.").format(label=label, start=_num(start), end=_num(end))
    else:
        sentence = _("{label} ended where it started, at {value}.").format(label=label, value=_num(end))
    drops = [(values[i] - values[i + 1], i + 1) for i in range(len(values) - 1)]
    biggest, step = max(drops)
    if biggest > 0:
        sentence += " " + _("Biggest fall: step {step} (-{amount}).").format(step=step, amount=_num(biggest))
    return sentence


def _trend_style(before: float, after: float) -> str:
    if after > before:
        return "green"
    if after < before:
        return "red"
    return "cyan"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else format_decimal(value, 1)


class TrustChart(Static):
    """Bars of one state variable after each step; green when it rose, red when it fell."""

    def __init__(self, label: str, values: Sequence[float], low: float, high: float, **kwargs) -> None:
        super().__init__(chart_text(label, values, low, high), **kwargs)
        self.label, self.values, self.low, self.high = label, list(values), low, high
