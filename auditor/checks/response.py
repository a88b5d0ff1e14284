"""``response``: after a trigger, target events follow within a window of days.

Covers the guides' deadlines: forward the file within a week, call within the delay the letter
announced, call back around the agreed date, follow up one to three weeks after the return.
While the window is still open at ``as_of`` and the case is not closed, the rule is ``pending``.
"""

from __future__ import annotations

from typing import Any

from ..conditions import RubricError, compile_selector, resolve
from ..i18n import N_
from ..i18n_domains import _
from ..index import CaseIndex
from ..outcomes import NA, OK, VIOLATED, WAIT, Verdict, worst
from . import require, template


def _days(value: Any, params: dict, path: str):
    """A day count: an int, ``$param``, ``-$param``, or ``{field: NAME, default: ...}`` read off the trigger."""
    if isinstance(value, dict):
        if set(value) - {"field", "default"} or "field" not in value:
            raise RubricError(_("a day count mapping is `{field: NAME, default: DAYS}`"), path)
        field = value["field"]
        default = _days(value.get("default"), params, path) if value.get("default") is not None else None
        return lambda ix, t: ix.events[t].fields.get(field, default(ix, t) if default else None)
    negate = isinstance(value, str) and value.startswith("-$")
    resolved = resolve(value[1:] if negate else value, params, path)
    if isinstance(resolved, bool) or not isinstance(resolved, int):
        raise RubricError(_("a day count must be a whole number, not {value}").format(value=repr(resolved)), path)
    n = -resolved if negate else resolved
    return lambda ix, t: n


@template(
    "response",
    {"trigger", "targets", "window", "earlier_counts", "judge", "open_until"},
    N_("after each `trigger`, every one of `targets` follows within `window` days; pending while the window is open"),
)
def compile_response(config, params, path):
    trigger = compile_selector(require(config, "trigger", path), params, f"{path}.trigger")
    raw_targets = require(config, "targets", path)
    if not isinstance(raw_targets, list):
        raw_targets = [raw_targets]
    targets = [compile_selector(t, params, f"{path}.targets[{n}]") for n, t in enumerate(raw_targets)]
    window = config.get("window")
    anchor_field = None
    min_days = max_days = None
    if window is not None:
        if not isinstance(window, dict) or set(window) - {"anchor", "min_days", "max_days"}:
            raise RubricError(_("`window` is `{anchor: trigger|FIELD, min_days: N, max_days: N}`"), f"{path}.window")
        anchor = window.get("anchor", "trigger")
        anchor_field = None if anchor == "trigger" else anchor
        min_days = _days(window["min_days"], params, f"{path}.window.min_days") if "min_days" in window else None
        max_days = _days(window["max_days"], params, f"{path}.window.max_days") if "max_days" in window else None
    earlier_counts = bool(config.get("earlier_counts", False))
    judge = config.get("judge", "any")
    if judge not in ("any", "first"):
        raise RubricError(_("`judge` is `any` (any target in the window counts) or `first` (the first target is judged)"), f"{path}.judge")
    open_until = config.get("open_until", "as_of")
    if open_until not in ("as_of", "return"):
        raise RubricError(_("`open_until` is `as_of` or `return`"), f"{path}.open_until")

    def anchor_day(ix: CaseIndex, t: int):
        if anchor_field is None:
            return ix.events[t].day
        return ix.events[t].fields.get(anchor_field)

    def in_window(ix: CaseIndex, t: int, i: int, base) -> bool:
        delta = (ix.events[i].day - base).days
        if min_days is not None:
            lo = min_days(ix, t)
            if lo is not None and delta < lo:
                return False
        if max_days is not None:
            hi = max_days(ix, t)
            if hi is not None and delta > hi:
                return False
        return True

    def judge_one(ix: CaseIndex, t: int) -> Verdict:
        base = anchor_day(ix, t)
        if base is None:
            return OK
        missing = False
        for select in targets:
            found = select(ix)
            if earlier_counts and found and found[0] < t:
                continue
            after = [i for i in found if i > t]
            if judge == "first":
                if after:
                    if in_window(ix, t, after[0], base):
                        continue
                    return Verdict(VIOLATED, [after[0]])
                missing = True
            elif not any(in_window(ix, t, i, base) for i in after):
                missing = True
        if not missing:
            return OK
        if max_days is None or ix.closed:
            return Verdict(VIOLATED, [t])
        now = ix.case.as_of
        if open_until == "return" and ix.return_index is not None:
            now = min(now, ix.events[ix.return_index].day)
        limit = max_days(ix, t)
        if limit is not None and (now - base).days <= limit:
            return WAIT
        return Verdict(VIOLATED, [t])

    def check(ix: CaseIndex) -> Verdict:
        triggers = trigger(ix)
        if not triggers:
            return NA
        if len(triggers) == 1:
            return judge_one(ix, triggers[0])
        verdicts = [judge_one(ix, t) for t in triggers]
        outcome = worst(v.outcome for v in verdicts)
        events = sorted({e for v in verdicts if v.outcome == VIOLATED for e in v.events})
        return Verdict(outcome, events if outcome == VIOLATED else [])

    return check
