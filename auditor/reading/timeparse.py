"""``at`` values: from the text the schema let through to (instant, date-only?, day as written).

The schema has already checked the spelling (``schema.AT_PATTERN``); what is left is whether the
date and time exist (``2026-02-30``, ``25:00``), which ``date``/``datetime.fromisoformat`` (C code)
decide. A small cache helps tables, where many rows share a date.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

UTC = timezone.utc

_cache: dict[str, tuple[datetime, bool, date]] = {}
_CACHE_MAX = 65536


def parse_at(text: str) -> tuple[datetime, bool, date]:
    """(instant, date_only, day). A date-only value is naive midnight. Raises ValueError."""
    hit = _cache.get(text)
    if hit is not None:
        return hit
    if len(text) == 10:
        day = date.fromisoformat(text)
        result = (datetime(day.year, day.month, day.day), True, day)
    else:
        instant = datetime.fromisoformat(text)
        result = (instant, False, instant.date())
    if len(_cache) >= _CACHE_MAX:
        _cache.clear()
    _cache[text] = result
    return result
