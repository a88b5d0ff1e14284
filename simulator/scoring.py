"""Score a playthrough against the listening rubric.

Why a module of its own: the formula is the pedagogical heart of the simulator and has to match, word for
word, what ``rubrics/listening.yaml`` (``scoring.formula``) and docs/scenario-format.md say. Keep the three
in sync. The score depends only on the codes of the chosen options, so a list of turns is enough.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping, Optional

from .rubric import ListeningRubric

__all__ = ["DimensionScore", "Indicator", "Score", "score", "codes_of"]


@dataclass(frozen=True)
class DimensionScore:
    id: str
    label: str
    value: Optional[int]  # 0-100, None when no code of this dimension was used
    threshold: float
    meets: Optional[bool]  # None when there is no evidence

    @property
    def status(self) -> str:
        return "no evidence" if self.meets is None else ("meets" if self.meets else "below")


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    value: Optional[float]
    threshold: float
    comparison: str  # "at_least" | "at_most"
    meets: Optional[bool]

    @property
    def status(self) -> str:
        return "no evidence" if self.meets is None else ("meets" if self.meets else "below")


@dataclass(frozen=True)
class Score:
    dimensions: dict[str, DimensionScore]
    indicators: list[Indicator]
    harmful_count: int
    overall: int
    raw: int  # before the harmful cap/penalty
    turns: int
    code_counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; ``scores`` is the flat dimension -> value map the CLI prints."""
        return {
            "overall": self.overall,
            "raw": self.raw,
            "harmful_count": self.harmful_count,
            "turns": self.turns,
            "scores": {k: d.value for k, d in self.dimensions.items()},
            "dimensions": {k: {**asdict(d), "status": d.status} for k, d in self.dimensions.items()},
            "indicators": [{**asdict(i), "status": i.status} for i in self.indicators],
            "code_counts": dict(self.code_counts),
        }


def codes_of(item: Any) -> list[str]:
    """The codes of a turn-like item: an object with ``.codes``, a mapping with ``'codes'``, or a list."""
    if isinstance(item, Mapping):
        return list(item.get("codes", []))
    if hasattr(item, "codes"):
        return list(item.codes)
    if isinstance(item, (list, tuple)):
        return [str(c) for c in item]
    raise TypeError(f"cannot read codes from {type(item).__name__}")


def _turn_codes(session_or_turns: Any) -> list[list[str]]:
    turns = getattr(session_or_turns, "turns", session_or_turns)
    return [codes_of(t) for t in turns]


def score(session_or_turns: Any, rubric: ListeningRubric) -> Score:
    """Score a session (or its turns). See ``rubrics/listening.yaml`` -> ``scoring.formula``."""
    per_turn = _turn_codes(session_or_turns)
    sc = rubric.scoring
    sums = {d.id: {"constructive": 0.0, "neutral": 0.0, "harmful": 0.0} for d in rubric.dimensions}
    counts: dict[str, int] = {}
    harmful_turns = 0
    for codes in per_turn:
        turn_harmful = False
        for cid in codes:
            code = rubric.code(cid)
            if code is None:
                continue  # unknown codes are ignored (lint reports them: SC206)
            counts[cid] = counts.get(cid, 0) + 1
            if code.valence == "harmful":
                turn_harmful = True
            for dim in code.dimensions:
                sums[dim][code.valence] += code.weight
        harmful_turns += turn_harmful

    dimensions: dict[str, DimensionScore] = {}
    weighted, total_weight = 0.0, 0.0
    for dim in rubric.dimensions:
        c, n, h = sums[dim.id]["constructive"], sums[dim.id]["neutral"], sums[dim.id]["harmful"]
        if c + n + h <= 0:
            value = None
        else:
            value = int(round(100 * (c + sc.neutral_credit * n) / (c + n + h)))
            weighted += dim.weight * value
            total_weight += dim.weight
        dimensions[dim.id] = DimensionScore(
            dim.id, dim.label, value, dim.threshold, None if value is None else value >= dim.threshold
        )
    raw = int(round(weighted / total_weight)) if total_weight else 0
    if harmful_turns:
        overall = int(round(max(0.0, min(raw, sc.harmful_cap) - sc.harmful_penalty * harmful_turns)))
    else:
        overall = raw

    indicators = [_indicator(ind, counts, harmful_turns) for ind in rubric.indicators]
    return Score(dimensions, indicators, harmful_turns, overall, raw, len(per_turn), counts)


def _indicator(ind: Any, counts: dict[str, int], harmful_turns: int) -> Indicator:
    if ind.kind == "harmful_count":
        value: Optional[float] = float(harmful_turns)
    else:
        num = sum(counts.get(c, 0) for c in ind.numerator)
        den = sum(counts.get(c, 0) for c in ind.denominator)
        if den:
            value = round(num / den, 2)
        elif ind.kind == "ratio" and num:
            value = float(num)
        else:
            value = None
    if value is None:
        meets = None
    elif ind.comparison == "at_least":
        meets = value >= ind.threshold
    else:
        meets = value <= ind.threshold
    if ind.kind == "harmful_count" and value is not None:
        value = int(value)
    return Indicator(ind.id, ind.label, value, ind.threshold, ind.comparison, meets)
