"""Score a playthrough against the listening rubric.

Why a module of its own: the formula is the pedagogical heart of the simulator and has to match, word for
word, what ``rubrics/listening.yaml`` (``scoring.formula``, ``global_ratings.formula``) and
docs/scenario-format.md say. Keep the three in sync. The score depends only on the codes of the chosen
options (and on which dimensions the scenario trains), so a list of turns is enough.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Mapping, Optional

from .rubric import ListeningRubric

__all__ = ["DimensionScore", "Indicator", "RatingEstimate", "Score", "score", "codes_of", "tier_of"]

# Words for an indicator with fair and good levels (MITI reports both).
GOOD, FAIR, BELOW_FAIR = "good", "fair", "below fair"


@dataclass(frozen=True)
class DimensionScore:
    id: str
    label: str
    value: Optional[int]  # 0-100, None when no constructive or harmful code of this dimension was used
    threshold: float
    meets: Optional[bool]  # None when there is no evidence, or the scenario does not train this dimension
    trained: bool = True  # judged in this scenario (listed in its ``trains``, or ``trains`` is empty)

    @property
    def status(self) -> str:
        if self.value is None:
            return "no evidence"
        if not self.trained:
            return "not trained here"
        return "meets" if self.meets else "below"


@dataclass(frozen=True)
class Indicator:
    id: str
    label: str
    value: Optional[float]
    threshold: float  # the "fair" level (or the only target)
    comparison: str  # "at_least" | "at_most"
    meets: Optional[bool]  # the fair level (or the only target) is reached
    good: Optional[float] = None
    tier: Optional[str] = None  # "good" / "fair" / "below fair" when the indicator has a good level

    @property
    def status(self) -> str:
        if self.meets is None:
            return "no evidence"
        if self.tier is not None:
            return self.tier
        return "meets" if self.meets else "below"


@dataclass(frozen=True)
class RatingEstimate:
    """A MITI global rating estimated from the codes (1-5), not a MITI coding."""

    id: str
    label: str
    value: Optional[int]  # None when there was no turn


@dataclass(frozen=True)
class Score:
    dimensions: dict[str, DimensionScore]
    indicators: list[Indicator]
    harmful_count: int
    overall: int
    raw: int  # before the harmful cap/penalty
    turns: int
    code_counts: dict[str, int] = field(default_factory=dict)
    ratings: list[RatingEstimate] = field(default_factory=list)
    rubric_version: str = ""

    def judged(self) -> list[DimensionScore]:
        """The dimensions with a verdict: trained here and with evidence."""
        return [d for d in self.dimensions.values() if d.trained and d.value is not None]

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form; ``scores`` is the flat dimension -> value map the CLI prints."""
        return {
            "overall": self.overall,
            "raw": self.raw,
            "harmful_count": self.harmful_count,
            "turns": self.turns,
            "rubric_version": self.rubric_version,
            "scores": {k: d.value for k, d in self.dimensions.items()},
            "dimensions": {k: {**asdict(d), "status": d.status} for k, d in self.dimensions.items()},
            "indicators": [{**asdict(i), "status": i.status} for i in self.indicators],
            "global_ratings": {
                "estimated_from_codes": True,
                "ratings": {r.id: r.value for r in self.ratings},
            },
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


def _trained(session_or_turns: Any, trains: Optional[Iterable[str]]) -> set[str]:
    """The dimensions judged: ``trains`` if given, else the session's scenario's ``trains`` (empty: all)."""
    if trains is None:
        scenario = getattr(session_or_turns, "scenario", None)
        trains = getattr(scenario, "trains", None) or []
    return set(trains)


def score(session_or_turns: Any, rubric: ListeningRubric, trains: Optional[Iterable[str]] = None) -> Score:
    """Score a session (or its turns). See ``rubrics/listening.yaml`` -> ``scoring.formula``.

    ``trains``: the dimensions the scenario trains (judged meets/below); by default the session's scenario's
    ``trains``; empty or absent: every dimension with evidence is judged."""
    per_turn = _turn_codes(session_or_turns)
    trained = _trained(session_or_turns, trains)
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
            for dim_id in code.dimensions:
                sums[dim_id][code.valence] += code.weight
        harmful_turns += turn_harmful

    dimensions: dict[str, DimensionScore] = {}
    weighted, total_weight = 0.0, 0.0
    for dim in rubric.dimensions:
        c, n, h = sums[dim.id]["constructive"], sums[dim.id]["neutral"], sums[dim.id]["harmful"]
        if c + h <= 0:
            value = None  # neutral codes alone are not evidence of a skill
        else:
            value = int(round(100 * (c + sc.neutral_credit * n) / (c + n + h)))
            weighted += dim.weight * value
            total_weight += dim.weight
        judged = not trained or dim.id in trained
        meets = None if value is None or not judged else value >= dim.threshold
        dimensions[dim.id] = DimensionScore(dim.id, dim.label, value, dim.threshold, meets, judged)
    if total_weight:
        raw = int(round(weighted / total_weight))
    else:
        raw = int(round(100 * sc.neutral_credit)) if counts else 0
    if harmful_turns:
        overall = int(round(max(0.0, min(raw, sc.harmful_cap) - sc.harmful_penalty * harmful_turns)))
    else:
        overall = raw

    indicators = [_indicator(ind, counts, harmful_turns) for ind in rubric.indicators]
    ratings = estimate_ratings(per_turn, rubric)
    return Score(
        dimensions, indicators, harmful_turns, overall, raw, len(per_turn), counts, ratings, str(rubric.version)
    )


def estimate_ratings(per_turn: list[list[str]], rubric: ListeningRubric) -> list[RatingEstimate]:
    """The MITI global ratings estimated from the codes (``global_ratings.formula`` in the rubric)."""
    spec = rubric.global_ratings
    turns = len(per_turn)
    out = []
    for rating in spec.ratings:
        if not turns:
            out.append(RatingEstimate(rating.id, rating.label, None))
            continue
        up = sum(rating.raise_.get(c, 0.0) for codes in per_turn for c in codes)
        down = sum(rating.lower.get(c, 0.0) for codes in per_turn for c in codes)
        value = math.floor(spec.base + spec.scale * (up - down) / turns + 0.5)
        out.append(RatingEstimate(rating.id, rating.label, min(5, max(1, value))))
    return out


def tier_of(value: float, fair: float, good: Optional[float]) -> Optional[str]:
    """"good", "fair" or "below fair" for an at-least indicator with both levels (None without a good level)."""
    if good is None:
        return None
    if value >= good:
        return GOOD
    return FAIR if value >= fair else BELOW_FAIR


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
    tier = None
    if value is None:
        meets = None
    elif ind.comparison == "at_least":
        meets = value >= ind.threshold
        tier = tier_of(value, ind.threshold, ind.good)
    else:
        meets = value <= ind.threshold
    if ind.kind == "harmful_count" and value is not None:
        value = int(value)
    return Indicator(ind.id, ind.label, value, ind.threshold, ind.comparison, meets, ind.good, tier)
