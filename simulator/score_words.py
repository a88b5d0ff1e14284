"""The scores in words, shared by ``rtw-train play`` and the app's debrief so both say the same thing.

Why: a number next to a sign ("Harmful responses 1 ≤0 ✗ below") is read wrongly; each indicator is said as
its value, its MITI levels and the level reached ("fair", "good", "below fair"), the harmful count as a
sentence ("1 harmful response — target: none"), and the global ratings always as estimates.
"""

from __future__ import annotations

from typing import Any, Optional

__all__ = [
    "ESTIMATE_NOTE",
    "indicator_value",
    "indicator_target",
    "harmful_sentence",
    "dimension_rows",
]

ESTIMATE_NOTE = "Estimated from the codes of your choices (1-5), not a MITI coding of the conversation."


def indicator_value(value: Optional[float], kind: str) -> str:
    """Shares as percentages, ratios with one decimal, counts as whole numbers; "-" without evidence."""
    if value is None:
        return "-"
    if kind == "share":
        return f"{value * 100:.0f}%"
    if kind == "ratio":
        return f"{value:.1f}"
    return str(round(value))


def indicator_target(ind: Any, kind: str, *, compact: bool = False) -> str:
    """"fair ≥1.0 · good ≥2.0" for an indicator with both MITI levels (``compact``: "≥1.0 · ≥2.0", under a
    "fair · good" heading), else "≥0.5" / "≤0"."""
    good = getattr(ind, "good", None)
    if good is not None:
        fair_text, good_text = indicator_value(ind.threshold, kind), indicator_value(good, kind)
        if compact:
            return f"≥{fair_text} · ≥{good_text}"
        return f"fair ≥{fair_text} · good ≥{good_text}"
    sign = "≤" if getattr(ind, "comparison", "at_least") == "at_most" else "≥"
    return sign + indicator_value(ind.threshold, kind)


def harmful_sentence(count: int) -> str:
    """"No harmful response — target: none" / "1 harmful response — target: none"."""
    if count == 0:
        return "No harmful response — target: none"
    plural = "s" if count > 1 else ""
    return f"{count} harmful response{plural} — target: none"


def dimension_rows(score: Any) -> list[Any]:
    """The dimensions to show: every judged one (with a verdict or "no evidence"), then the dimensions the
    scenario does not train but that have evidence ("not trained here", no verdict). Dimensions neither
    trained nor evidenced are left out: nothing to say about them."""
    dims = list(score.dimensions.values())
    judged = [d for d in dims if d.trained]
    others = [d for d in dims if not d.trained and d.value is not None]
    return judged + others
