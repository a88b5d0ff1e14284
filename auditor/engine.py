"""Run a rubric over cases: the auditor's core, with no printing and no argument parsing.

``audit_case`` judges one validated case; ``audit_inputs`` streams cases from files through it,
so a committee's export of tens of thousands of cases never has to sit in memory at once.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .case import Case
from .errors import InputError, InputErrors
from .index import CaseIndex
from .outcomes import SEVERITY_RANK, VIOLATED, RuleResult, fidelity
from .rubric import Rubric

if TYPE_CHECKING:
    from .waivers import Waivers


@dataclass(slots=True)
class CaseAudit:
    """Every rule's outcome on one case, with the case's fidelity score."""

    case: Case
    results: list[RuleResult]
    fidelity: float | None
    warnings: list[str] = field(default_factory=list)
    #: The index the rules read, kept for whatever reads the audit next (the report's counts), which
    #: would otherwise build it a second time.
    index: CaseIndex | None = None

    def violated_at_or_above(self, severity: str) -> bool:
        """Whether ``--fail-on severity`` fails on this case (a waived finding never does)."""
        floor = SEVERITY_RANK[severity]
        return any(
            r.outcome == VIOLATED and r.waiver is None and SEVERITY_RANK[r.severity] >= floor for r in self.results
        )


def audit_case(case: Case, rubric: Rubric, waivers: Waivers | None = None) -> CaseAudit:
    """Every rule of ``rubric`` on ``case``; with ``waivers``, the findings they cover are marked
    waived (and left out of the fidelity score)."""
    ix = CaseIndex(case)
    assert rubric.plan is not None, "a rubric builds its plan when it is made"
    results, score = rubric.plan(ix)
    if waivers is not None:
        waivers.apply(case, results)
        score = fidelity(results)
    return CaseAudit(case, results, score, list(case.warnings), ix)


def apply_as_of(case: Case, as_of: date) -> Case:
    """Audit the case as it stood on ``as_of`` (``--as-of``); a date before an event is an input error."""
    if case.events and case.events[-1].day > as_of:
        late = max(case.events, key=lambda e: e.day)
        raise InputErrors(
            [
                InputError(
                    f"--as-of {as_of.isoformat()} is earlier than this event ({late.day.isoformat()})",
                    file=case.source,
                    line=late.line,
                    case=case.case,
                    event=late.label,
                )
            ]
        )
    case.as_of = as_of
    return case


def audit_inputs(
    paths: Sequence[str | Path],
    rubric: Rubric,
    *,
    mapping: Path | None = None,
    as_of: date | None = None,
    waivers: Waivers | None = None,
) -> Iterator[CaseAudit | InputErrors]:
    """Yield each case's audit as soon as the case is read; input problems are yielded, not raised."""
    from .reading import iter_cases

    return audit_items(iter_cases(paths, mapping=mapping), rubric, as_of=as_of, waivers=waivers)


#: Cyclic-collector thresholds while cases stream through the audit (``gc.set_threshold``).
BATCH_GC_THRESHOLDS = (100_000, 50, 100)


@contextmanager
def batch_collection() -> Iterator[None]:
    """Run the cyclic garbage collector less often while cases stream past, then as before.

    Why: reading and judging a case allocates some hundred small containers that its reference
    counts free as soon as the case is done (they form no cycles), yet every 700 allocations the
    collector walks the young ones, and now and then everything alive: about a tenth of the reading's
    time on a big table, more on an interleaved one, whose open cases stay alive. Rarer collections
    cost memory only for cyclic garbage, which the audit hardly makes."""
    old = gc.get_threshold()
    gc.set_threshold(*(max(a, b) for a, b in zip(old, BATCH_GC_THRESHOLDS, strict=True)))
    try:
        yield
    finally:
        gc.set_threshold(*old)


def audit_items(
    items: Iterable[Case | InputErrors], rubric: Rubric, *, as_of: date | None = None,
    waivers: Waivers | None = None,
) -> Iterator[CaseAudit | InputErrors]:
    """Audit what a reader yields, in order: cases are judged (as of ``as_of`` if given), input
    problems pass through."""
    with batch_collection():
        for item in items:
            if isinstance(item, InputErrors):
                yield item
                continue
            if as_of is not None:
                try:
                    apply_as_of(item, as_of)
                except InputErrors as exc:
                    yield exc
                    continue
            yield audit_case(item, rubric, waivers)
