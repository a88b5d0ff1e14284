"""The debrief's numbers: each skill dimension against the rubric's threshold, and the summary indicators.

Rendered as Rich tables inside a Static (not a DataTable): the debrief is read, not navigated, and a plain
table scrolls with the rest of the debrief.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text
from textual.widgets import Static


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    if digits == 0 or float(value).is_integer():
        return str(round(value))
    return f"{value:.{digits}f}"


def _status(meets: bool | None) -> Text:
    if meets is None:
        return Text("no evidence", style="dim")
    return Text("✓ met", style="bold green") if meets else Text("✗ below", style="bold red")


def dimensions_table(score: Any) -> Table:
    """One row per skill dimension: score out of 100, the rubric's threshold, met or below."""
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False, title_justify="left")
    table.add_column("Skill", ratio=1)
    table.add_column("Score", justify="right", width=5)
    table.add_column("Target", justify="right", width=6)
    table.add_column("", width=11)
    for dim in score.dimensions.values():
        value = dim.value
        meets = None if value is None else value >= dim.threshold
        table.add_row(Text(dim.label), _num(value), f"≥{_num(dim.threshold)}", _status(meets))
    return table


def _indicator_value(value: float | None, kind: str) -> str:
    """Shares as percentages, ratios with two decimals, counts as whole numbers."""
    if value is None:
        return "-"
    if kind == "share":
        return f"{value * 100:.0f}%"
    if kind == "ratio":
        return f"{value:.1f}"
    return str(round(value))


def indicators_table(score: Any, kinds: dict[str, str] | None = None) -> Table:
    """One row per summary indicator (reflection-to-question ratio, shares, harmful responses)."""
    kinds = kinds or {}
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("Indicator", ratio=1)
    table.add_column("Value", justify="right", width=5)
    table.add_column("Target", justify="right", width=6)
    table.add_column("", width=11)
    for ind in score.indicators:
        comparison = getattr(ind, "comparison", "at_least")
        sign = "≤" if comparison == "at_most" else "≥"
        kind = kinds.get(ind.id, "ratio")
        table.add_row(
            Text(ind.label),
            _indicator_value(ind.value, kind),
            sign + _indicator_value(ind.threshold, kind),
            _status(ind.meets),
        )
    return table


class ScoreTable(Static):
    """The dimension table (``kind="dimensions"``) or the indicator table (``kind="indicators"``)."""

    def __init__(self, score: Any, kind: str = "dimensions", rubric: Any = None, **kwargs: Any) -> None:
        kinds = {i.id: i.kind for i in getattr(rubric, "indicators", [])}
        table = dimensions_table(score) if kind == "dimensions" else indicators_table(score, kinds)
        super().__init__(table, **kwargs)
