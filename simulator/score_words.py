"""The scores in words, shared by ``rtw-train play`` and the app's debrief so both say the same thing.

Why: a number next to a sign ("Harmful responses 1 ≤0 ✗ below") is read wrongly; each indicator is said as
its value, its MITI levels and the level reached ("fair", "good", "below fair"), the harmful count as a
sentence ("1 harmful response — target: none"), and the global ratings always as estimates.

Why the words live here and not in ``scoring``: a score's ``status`` ("meets", "below fair"…) is data (the
JSON output and the records keep it in English); it is said in the active language only when shown, through
:func:`status_word`. The rubric's own texts (labels) come from the ``listening`` catalogue.
"""

from __future__ import annotations

from typing import Any, Optional

from auditor.i18n import format_decimal, format_percent

from .i18n import N_, _, ngettext, rubric_text

__all__ = [
    "ESTIMATE_NOTE",
    "estimate_note",
    "indicator_value",
    "indicator_target",
    "harmful_sentence",
    "dimension_rows",
    "status_word",
    "role_word",
    "outcome_word",
    "dimension_label",
    "indicator_label",
    "rating_label",
    "code_label",
]

ESTIMATE_NOTE = N_("Estimated from the codes of your choices (1-5), not a MITI coding of the conversation.")

_STATUS = {
    "meets": N_("meets"),
    "below": N_("below"),
    "no evidence": N_("no evidence"),
    "not trained here": N_("not trained here"),
    "good": N_("good"),
    "fair": N_("fair"),
    "below fair": N_("below fair"),
}
# Translators: the trainee's role in a scenario, as in "you play: coordinator".
_ROLES = {"supervisor": N_("supervisor"), "union_rep": N_("union rep"), "coordinator": N_("coordinator")}
_OUTCOMES = {"positive": N_("positive"), "mixed": N_("mixed"), "negative": N_("negative")}


def estimate_note() -> str:
    """:data:`ESTIMATE_NOTE` in the active language."""
    return _(ESTIMATE_NOTE)


def status_word(status: str) -> str:
    """A dimension's or an indicator's ``status`` in the active language (an unknown one as it is)."""
    return _(_STATUS[status]) if status in _STATUS else status


def role_word(role: str) -> str:
    """'coordinator', 'union rep'… in the active language."""
    return _(_ROLES[role]) if role in _ROLES else role.replace("_", " ")


def outcome_word(outcome: str) -> str:
    """An ending's outcome ('positive', 'mixed', 'negative') in the active language."""
    return _(_OUTCOMES[outcome]) if outcome in _OUTCOMES else outcome


def dimension_label(dim: Any) -> str:
    """A scored dimension's label from the listening catalogue (its English when the rubric is not the
    packaged one, or has changed since it was translated)."""
    return rubric_text(f"dimensions.{dim.id}.label", dim.label)


def indicator_label(ind: Any) -> str:
    return rubric_text(f"indicators.{ind.id}.label", ind.label)


def code_label(code: Any) -> str:
    """A listening code's label ("Open question", "Judge") in the active language."""
    return rubric_text(f"codes.{code.id}.label", code.label)


def rating_label(rating: Any) -> str:
    return rubric_text(f"global_ratings.{rating.id}.label", rating.label)


def indicator_value(value: Optional[float], kind: str) -> str:
    """Shares as percentages, ratios with one decimal, counts as whole numbers; "-" without evidence.
    In the locale's format: "93%", "1.5" in English; "93 %", "1,5" in French."""
    if value is None:
        return "-"
    if kind == "share":
        return format_percent(value)
    if kind == "ratio":
        return format_decimal(value, 1)
    return str(round(value))


def indicator_target(ind: Any, kind: str, *, compact: bool = False) -> str:
    """"fair ≥1.0 · good ≥2.0" for an indicator with both MITI levels (``compact``: "≥1.0 · ≥2.0", under a
    "fair · good" heading), else "≥0.5" / "≤0"."""
    good = getattr(ind, "good", None)
    if good is not None:
        fair_text, good_text = indicator_value(ind.threshold, kind), indicator_value(good, kind)
        if compact:
            return f"≥{fair_text} · ≥{good_text}"
        return _("fair ≥{fair} · good ≥{good}").format(fair=fair_text, good=good_text)
    sign = "≤" if getattr(ind, "comparison", "at_least") == "at_most" else "≥"
    return sign + indicator_value(ind.threshold, kind)


def harmful_sentence(count: int) -> str:
    """"No harmful response — target: none" / "1 harmful response — target: none"."""
    if count == 0:
        return _("No harmful response — target: none")
    return ngettext("{count} harmful response — target: none", "{count} harmful responses — target: none",
                    count).format(count=count)


def dimension_rows(score: Any) -> list[Any]:
    """The dimensions to show: every judged one (with a verdict or "no evidence"), then the dimensions the
    scenario does not train but that have evidence ("not trained here", no verdict). Dimensions neither
    trained nor evidenced are left out: nothing to say about them."""
    dims = list(score.dimensions.values())
    judged = [d for d in dims if d.trained]
    others = [d for d in dims if not d.trained and d.value is not None]
    return judged + others
