"""What a rule's parameter may be: checked when the rubric is read, with the file and line.

Why: the checks use parameters in arithmetic (``every * (1 + tolerance)``, day windows), so a
workplace rubric with ``tolerance: abc`` or ``default_every_days: [1, 2]`` used to stop the audit
with a TypeError half-way through the first case. Each parameter is now checked against its kind:

- a name ending in ``_days``: a whole number of days from 0 to ``MAX_DAYS`` (ten years);
- ``tolerance`` (a fraction of a period: 0.5 is 50%): a number from 0 to ``MAX_TOLERANCE``;
- otherwise, when the rule overrides a rule of the rubric it extends, the kind of the default value
  (a whole number, a number, true/false, a text, a list of texts).

A message never quotes a text value (it could be anything); numbers are shown.
"""

from __future__ import annotations

import math
from typing import Any

from .i18n_domains import _
from .safe_text import describe_text

MAX_DAYS = 3650
MAX_TOLERANCE = 10.0

_MISSING = object()


def _show(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    return describe_text(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def problem(name: str, value: Any, default: Any = _MISSING) -> str | None:
    """Why ``value`` cannot be parameter ``name`` (whose default is ``default`` when the rule
    overrides a base rule), or None when it can."""
    if name.endswith("_days"):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_DAYS:
            return _("parameter `{name}` must be a whole number of days from 0 to {most}, not {value}").format(
                name=name, most=MAX_DAYS, value=_show(value))
        return None
    if name == "tolerance":
        if not _is_number(value) or not math.isfinite(value) or not 0 <= value <= MAX_TOLERANCE:
            return _("parameter `{name}` must be a number from 0 to {most} (0.5 is 50%), not {value}").format(
                name=name, most=f"{MAX_TOLERANCE:g}", value=_show(value))
        return None
    if _is_number(value) and isinstance(value, float) and not math.isfinite(value):
        return _("parameter `{name}` must be a finite number").format(name=name)
    if default is _MISSING:
        return None
    if isinstance(default, bool):
        ok, what = isinstance(value, bool), _("true or false")
    elif isinstance(default, int):
        ok, what = isinstance(value, int) and not isinstance(value, bool), _("a whole number")
    elif isinstance(default, float):
        ok, what = _is_number(value), _("a number")
    elif isinstance(default, str):
        ok, what = isinstance(value, str), _("a text")
    elif isinstance(default, list):
        ok, what = isinstance(value, list) and all(isinstance(v, str) for v in value), _("a list of texts (in YAML: [a, b])")
    else:
        return None
    return None if ok else _("parameter `{name}` must be {kind}, as its default is, not {value}").format(
        name=name, kind=what, value=_show(value))


__all__ = ["problem", "MAX_DAYS", "MAX_TOLERANCE"]
