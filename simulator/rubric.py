"""Pydantic schema of the listening rubric (``rubrics/listening.yaml``).

Why a schema: scenarios reference code ids and the score depends on weights and thresholds; a typo in the
rubric must fail loudly. The schema also enforces the inequalities that make "a playthrough through a
harmful choice always scores below a harm-free one" and "a neutral move never turns a dimension that meets
its threshold into one below it" true (see ``Scoring``), and bounds the global-rating estimates to 1-5.
"""

from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

__all__ = [
    "Valence",
    "Dimension",
    "Code",
    "Indicator",
    "Scoring",
    "BetterChoice",
    "GlobalRating",
    "GlobalRatings",
    "ListeningRubric",
]

Valence = Literal["constructive", "neutral", "harmful"]
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dimension(_Model):
    """A skill dimension drawn from the IRSST guide, scored 0-100."""

    id: Id
    label: str
    description: str = ""
    source: str = ""
    weight: Annotated[float, Field(gt=0)] = 1.0
    threshold: Annotated[float, Field(ge=0, le=100)] = 70


class Code(_Model):
    """A behaviour code a scenario option can carry."""

    id: Id
    label: str
    valence: Valence
    weight: Annotated[float, Field(gt=0)]
    dimensions: list[Id] = Field(min_length=1)
    definition: str
    examples: list[str] = Field(min_length=1)


class Indicator(_Model):
    """A summary indicator. ``share`` = numerator/denominator codes (no value if denominator is 0);
    ``ratio`` = same, but with no denominator codes the value is the numerator count;
    ``harmful_count`` = number of turns with a harmful code.

    ``threshold`` is the "fair" level and ``good`` the optional "good" level (MITI reports both); an
    indicator with a ``good`` level is reported "good", "fair" or "below fair"."""

    id: Id
    label: str
    kind: Literal["ratio", "share", "harmful_count"]
    numerator: list[Id] = Field(default_factory=list)
    denominator: list[Id] = Field(default_factory=list)
    comparison: Literal["at_least", "at_most"]
    threshold: float
    good: Optional[float] = None
    source: str = ""
    description: str = ""

    @model_validator(mode="after")
    def _needs_codes(self) -> "Indicator":
        if self.kind in ("ratio", "share") and (not self.numerator or not self.denominator):
            raise ValueError(f"indicator {self.id!r} of kind {self.kind!r} needs numerator and denominator codes")
        if self.good is not None:
            if self.comparison != "at_least":
                raise ValueError(f"indicator {self.id!r}: a 'good' level needs comparison 'at_least'")
            if self.good < self.threshold:
                raise ValueError(f"indicator {self.id!r}: 'good' ({self.good:g}) is below the fair threshold "
                                 f"({self.threshold:g})")
        return self


class Scoring(_Model):
    """Parameters of the scoring formula (text in ``formula``)."""

    neutral_credit: Annotated[float, Field(ge=0, le=1)] = 0.7
    harmful_cap: Annotated[float, Field(ge=0, le=100)] = 50
    harmful_penalty: Annotated[float, Field(ge=0)] = 5
    formula: str = ""

    @model_validator(mode="after")
    def _harm_always_loses(self) -> "Scoring":
        floor = 100 * self.neutral_credit
        if not (self.harmful_cap - self.harmful_penalty < floor):
            raise ValueError(
                f"harmful_cap - harmful_penalty ({self.harmful_cap - self.harmful_penalty:g}) must be below "
                f"100 * neutral_credit ({floor:g}) so that any harm-free playthrough outscores any harmful one"
            )
        return self


class GlobalRating(_Model):
    """One of the four MITI 4.2.1 global ratings, *estimated* from the codes (see ``GlobalRatings``).

    ``raise_`` and ``lower`` map code ids to non-negative weights: a code in ``raise`` can only raise the
    estimate and a code in ``lower`` can only lower it, which makes the estimate monotone in the codes."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    id: Id
    label: str
    description: str = ""
    raise_: dict[Id, Annotated[float, Field(gt=0)]] = Field(alias="raise", min_length=1)
    lower: dict[Id, Annotated[float, Field(gt=0)]] = Field(min_length=1)

    @model_validator(mode="after")
    def _apart(self) -> "GlobalRating":
        both = sorted(set(self.raise_) & set(self.lower))
        if both:
            raise ValueError(f"global rating {self.id!r}: code(s) {', '.join(both)} both raise and lower it")
        return self


class GlobalRatings(_Model):
    """Estimates of the MITI global ratings (1-5) from the codes; the formula is in ``formula``.

    Why estimates: MITI global ratings are a coder's judgement of a whole recorded session; a branching
    scenario only knows which coded options were chosen. The estimate starts at ``base`` (MITI coders also
    start at 3 and move up or down), moves by ``scale`` times the weighted codes per turn, and is clamped
    to 1-5: the UI and the docs must call it an estimate."""

    base: Annotated[float, Field(ge=1, le=5)] = 3
    scale: Annotated[float, Field(gt=0)] = 2
    note: str = ""
    formula: str = ""
    ratings: list[GlobalRating] = Field(default_factory=list)


class BetterChoice(_Model):
    """When the coach points to a better option after a choice (the turn's ``better_choice``; rule in ``rule``).

    Why not simply "the option with the highest merit": merits add code weights, so an option carrying two
    codes (open question + explore the work, 2.5) would outrank a lone complex reflection (2.0) and the coach
    would tell a trainee who reflected well to ask a question instead — against the rubric's own
    reflection-to-question ratio. The hint is kept for options that are clearly better (see ``rule``)."""

    margin: Annotated[float, Field(ge=0)] = 0.5
    rule: str = ""


class ListeningRubric(_Model):
    id: Id
    version: str
    title: str
    sources: list[str] = Field(default_factory=list)
    scoring: Scoring = Field(default_factory=Scoring)
    better_choice: BetterChoice = Field(default_factory=BetterChoice)
    dimensions: list[Dimension] = Field(min_length=1)
    codes: list[Code] = Field(min_length=1)
    indicators: list[Indicator] = Field(default_factory=list)
    global_ratings: GlobalRatings = Field(default_factory=GlobalRatings)

    _index: Optional[dict[str, Code]] = PrivateAttr(default=None)
    _path: Optional[str] = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _references(self) -> "ListeningRubric":
        dims = [d.id for d in self.dimensions]
        if len(set(dims)) != len(dims):
            raise ValueError("duplicate dimension id")
        codes = [c.id for c in self.codes]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"duplicate code id(s): {', '.join(dupes)}")
        for code in self.codes:
            for dim in code.dimensions:
                if dim not in dims:
                    raise ValueError(f"code {code.id!r} refers to unknown dimension {dim!r}")
        for ind in self.indicators:
            for cid in ind.numerator + ind.denominator:
                if cid not in codes:
                    raise ValueError(f"indicator {ind.id!r} refers to unknown code {cid!r}")
        for rating in self.global_ratings.ratings:
            for cid in [*rating.raise_, *rating.lower]:
                if cid not in codes:
                    raise ValueError(f"global rating {rating.id!r} refers to unknown code {cid!r}")
        # A neutral move must never turn a dimension that meets its threshold into one below it: its credit,
        # the value it adds to a dimension, must be at least every threshold (see scoring.formula).
        strict = [d for d in self.dimensions if d.threshold > 100 * self.scoring.neutral_credit]
        if strict:
            raise ValueError(
                f"scoring.neutral_credit ({self.scoring.neutral_credit:g}) must be at least every dimension "
                f"threshold / 100 (dimension {strict[0].id!r} has {strict[0].threshold:g}), so that a neutral "
                "move never turns a dimension that meets its threshold into one below it"
            )
        return self

    # -- lookups ------------------------------------------------------------------------------------
    def code(self, code_id: str) -> Optional[Code]:
        return self._code_index().get(code_id)

    def _code_index(self) -> dict[str, Code]:
        if self._index is None:
            self._index = {c.id: c for c in self.codes}
        return self._index

    def code_ids(self) -> set[str]:
        return set(self._code_index())

    def dimension(self, dim_id: str) -> Optional[Dimension]:
        return next((d for d in self.dimensions if d.id == dim_id), None)

    def merit(self, codes: list[str]) -> float:
        """Merit of an option: + weight of constructive codes, - weight of harmful ones, neutral 0."""
        total = 0.0
        for cid in codes:
            code = self.code(cid)
            if code is None:
                continue
            if code.valence == "constructive":
                total += code.weight
            elif code.valence == "harmful":
                total -= code.weight
        return total

    def peak(self, codes: list[str]) -> float:
        """Weight of the strongest constructive code of an option (0 if it has none)."""
        weights = [c.weight for cid in codes if (c := self.code(cid)) is not None and c.valence == "constructive"]
        return max(weights, default=0.0)

    def is_constructive_only(self, codes: list[str]) -> bool:
        """True when every known code of the option is constructive (and there is at least one)."""
        known = [c for cid in codes if (c := self.code(cid)) is not None]
        return bool(known) and all(c.valence == "constructive" for c in known)

    def clearly_better(self, candidate: list[str], chosen: list[str]) -> bool:
        """Is an option with codes ``candidate`` clearly better than the chosen one? (``better_choice.rule``)

        1. the candidate carries no harmful code;
        2. its merit exceeds the chosen option's merit by more than ``better_choice.margin``;
        3. if the chosen option is constructive (a constructive code, no harmful one; neutral codes beside it
           do not matter), the candidate's strongest code must also outweigh the chosen option's strongest
           code by more than the margin: carrying more codes is not enough."""
        if self.is_harmful(candidate):
            return False
        margin = self.better_choice.margin
        if not self.merit(candidate) - self.merit(chosen) > margin:
            return False
        if self.is_constructive_option(chosen) and not self.peak(candidate) - self.peak(chosen) > margin:
            return False
        return True

    def better_option(self, options: list[list[str]], chosen: int) -> Optional[int]:
        """0-based index of the option to suggest instead of ``options[chosen]``, or None.

        Among the options clearly better than the chosen one, the one with the highest merit, then the
        strongest code, then the first in order."""
        picks = [i for i, codes in enumerate(options) if i != chosen and self.clearly_better(codes, options[chosen])]
        if not picks:
            return None
        return max(picks, key=lambda i: (self.merit(options[i]), self.peak(options[i]), -i))

    def is_harmful(self, codes: list[str]) -> bool:
        return any((c := self.code(cid)) is not None and c.valence == "harmful" for cid in codes)

    def is_constructive_option(self, codes: list[str]) -> bool:
        """True when the option has a constructive code and no harmful one."""
        return not self.is_harmful(codes) and any(
            (c := self.code(cid)) is not None and c.valence == "constructive" for cid in codes
        )
