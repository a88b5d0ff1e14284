"""The debrief's numbers: the skill dimensions against the rubric's thresholds, the MITI indicators with both
levels, and the global-rating estimates.

Rendered as Rich tables inside a Static (not a DataTable): the debrief is read, not navigated, and a plain
table scrolls with the rest of the debrief. Every verdict is a word with a mark, never a colour alone.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from auditor.i18n import format_decimal

from ..i18n import N_, _
from ..score_words import (
    dimension_label,
    dimension_rows,
    estimate_note,
    harmful_sentence,
    indicator_label,
    indicator_target,
    indicator_value,
    rating_label,
)


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    if digits == 0 or float(value).is_integer():
        return str(round(value))
    return format_decimal(value, digits)  # "2,5" in French, "2.5" in English


_STATUS = {
    "meets": (N_("✓ meets"), "bold green"),
    "below": (N_("✗ below"), "bold red"),
    "good": (N_("✓✓ good"), "bold green"),
    "fair": (N_("✓ fair"), "green"),
    "below fair": (N_("✗ below fair"), "bold red"),
    "no evidence": (N_("no evidence"), "dim"),
    "not trained here": (N_("not trained here"), "dim italic"),
}


def _status(status: str) -> Text:
    if status not in _STATUS:
        return Text(status)
    words, style = _STATUS[status]
    return Text(_(words), style=style)


def dimensions_table(score: Any) -> Table:
    """One row per dimension the scenario trains (score out of 100, threshold, verdict), then the dimensions
    with evidence it does not train (score, "not trained here", no verdict)."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, title_justify="left")
    table.add_column(_("Skill"), ratio=1)
    table.add_column(_("Score"), justify="right", width=5)
    table.add_column(_("Target"), justify="right", width=6)
    table.add_column("", width=16)
    for dim in dimension_rows(score):
        target = f"≥{_num(dim.threshold)}" if dim.trained else ""
        table.add_row(Text(dimension_label(dim)), _num(dim.value), target, _status(dim.status))
    return table


def indicators_table(score: Any, kinds: dict[str, str] | None = None) -> Table:
    """One row per MITI indicator (value, fair and good levels, level reached); the harmful responses as a
    sentence ("1 harmful response — target: none")."""
    kinds = kinds or {}
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, caption_justify="left")
    table.add_column(_("Indicator"), ratio=1)
    table.add_column(_("Value"), justify="right", width=5)
    table.add_column(_("fair · good"), justify="right", width=11)
    table.add_column("", width=12)
    for ind in score.indicators:
        kind = kinds.get(ind.id, "ratio")
        if kind == "harmful_count":
            # Said as a sentence under the table, not as "1 ≤0 ✗ below" (which reads as a verdict on "≤0").
            count = int(ind.value or 0)
            mark, style = ("✓ ", "green") if count == 0 else ("✗ ", "bold red")
            table.caption = Text(mark + harmful_sentence(count), style=style)
            continue
        table.add_row(Text(indicator_label(ind)), indicator_value(ind.value, kind),
                      indicator_target(ind, kind, compact=True), _status(ind.status))
    return table


def ratings_table(score: Any) -> Table:
    """The four MITI global ratings, estimated from the codes (1-5), with the note that they are estimates."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, caption=estimate_note(), caption_justify="left")
    table.add_column(_("Global rating (estimate)"), ratio=1)
    table.add_column("1-5", justify="right", width=5)
    for rating in score.ratings:
        table.add_row(Text(rating_label(rating)), "-" if rating.value is None else f"{rating.value}")
    return table


class ScoreTable(Static):
    """The dimension table (``kind="dimensions"``), the indicator table (``kind="indicators"``) or the global
    ratings (``kind="ratings"``)."""

    def __init__(self, score: Any, kind: str = "dimensions", rubric: Any = None, **kwargs: Any) -> None:
        kinds = {i.id: i.kind for i in getattr(rubric, "indicators", [])}
        if kind == "dimensions":
            table = dimensions_table(score)
        elif kind == "ratings":
            table = ratings_table(score)
        else:
            table = indicators_table(score, kinds)
        super().__init__(table, **kwargs)
