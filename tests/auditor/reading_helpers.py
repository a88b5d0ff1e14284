"""Shared helpers for the reader tests (not a test module)."""

from __future__ import annotations

import re
from typing import Any

from auditor.case import Case
from auditor.errors import InputErrors


def shape(case: Case) -> tuple[Any, ...]:
    """What must be equal when the same case is read from different formats (not lines, not file)."""
    return (
        case.case,
        case.parties,
        case.context,
        case.as_of,
        [(e.type, e.at, e.date_only, e.day, e.position, e.id, e.by, e.fields) for e in case.events],
        [re.sub(r" \(line \d+\)", "", w) for w in case.warnings],
    )


def only_cases(items: list[Case | InputErrors]) -> list[Case]:
    bad = [str(i) for i in items if isinstance(i, InputErrors)]
    assert not bad, "\n".join(bad)
    return items  # type: ignore[return-value]
