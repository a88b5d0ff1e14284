"""Keyed, deterministic random rounding (after a little noise): the committee report's disclosure control.

Why random rounding (Statistics Canada's method for census tables): every published count is a
multiple of the base (5), and a count is rounded *up* with probability ``(v mod 5) / 5``, down
otherwise -- so the rounding is unbiased and a reader cannot tell a 3 from a 7 or a 0 from a 4. Two
reports that differ by one case then differ by 0 or 5 in any cell, never by the case's own 1.

Why keyed and deterministic: a rounding drawn afresh on every run could be averaged away (run the
report ten times, average each cell). So the coin is a keyed hash (HMAC-SHA-256, with the
committee's secret key) of the cell's *identity* (which table, which rule or step, which period,
which measure) and of the *true values of the whole group it belongs to* -- the cells that split the
same cases (satisfied / violated / pending / not applicable of one rule, the bins of the histogram,
with and without an error-level violation in one period). Consequences:

* the same data gives the same report, byte for byte: re-running averages nothing;
* a group whose cases did not change is rounded the same way in every report, whatever the window,
  threshold or other slices around it;
* no cell is shown above its group's size (rounded down to the base): with 16 cases all in one
  cell, that cell shows at most 15, never 20, so "20 > 16" cannot tell that every case is in it;
* when one case joins a group, *every* cell of that group is rounded afresh -- including the ones the
  case did not go into -- so which cell moved tells nothing certain about where the case went.

Why a little noise before the rounding: rounding alone is bounded -- a published 25 is 21 to 29 --
and a reader who knows the exact caseload can add the bounds of a group up, combine the two roundings
of one group in two reports, and now and then squeeze out where one case went. So each count first
gets a keyed two-sided geometric noise (the geometric mechanism of differential privacy, ``ALPHA`` =
1/2, that is epsilon = ln 2 per count): 0 one time in three, +-1 one time in three, +-2 one time in
six, beyond +-3 one time in twelve. A true 0 is left at 0, so the noise never shows a violation that
did not happen; a positive count pushed to 0 or below is shown as 0. Every published value then has a
positive probability for every positive true count, and no pair of reports can make one case's
outcome certain (tests/report/attack.py grants a reader more than that and still finds none).

Real-valued figures (medians, quartiles, means, delays) are rounded the same way, to a coarser unit
(5 percentage points, 5 days, 1 point for means), keyed by their identity, their exact value and
their group size.
"""

from __future__ import annotations

import hashlib
import hmac
import math


class Rounder:
    """Round counts and measures for one committee report; ``key`` is the committee's secret."""

    def __init__(self, key: bytes, base: int = 5) -> None:
        if base < 1:
            raise ValueError("the rounding base must be at least 1")
        self.key = key
        self.base = base

    def coin(self, *material: object) -> float:
        """A number in [0, 1) fixed by the key and ``material`` (repr'd: ints, strings, tuples)."""
        digest = hmac.new(self.key, repr(material).encode("utf-8"), hashlib.sha256).digest()
        return int.from_bytes(digest[:8], "big") / 2**64

    def group(self, identity: tuple, values: dict[str, int]) -> dict[str, int]:
        """Round every count of one group; each cell's coin depends on the whole group's true values.

        No cell is published above the group's size rounded down to the base: a reader who knows how
        many cases there are (16) and sees a cell of 20 would know that every case is in it.
        """
        whole = tuple(sorted(values.items()))
        size = sum(values.values())
        out = {}
        for name, v in values.items():
            if v == 0:  # a true 0 stays 0 (as with rounding alone): no phantom violation in a committee's table
                out[name] = 0
                continue
            noisy = max(0, v + geometric(self.coin("noise", identity, whole, name), ALPHA))
            shown = round_with(noisy, self.base, self.coin("count", identity, whole, name))
            if len(values) > 1:  # never above the group's size rounded down (a lone count has no group)
                shown = min(shown, size - size % self.base)
            out[name] = shown
        return out

    def count(self, identity: tuple, value: int) -> int:
        """A count that forms a group of its own (the number of cases)."""
        return self.group(identity, {"n": value})["n"]

    def measure(self, identity: tuple, value: float, unit: float, size: int) -> float:
        """A median, quartile or mean, rounded at random to a multiple of ``unit``, unbiased."""
        return round_real(value, unit, self.coin("measure", identity, repr(float(value)), size))


#: The geometric noise's parameter: P(noise = z) is proportional to ALPHA ** |z|.
ALPHA = 0.5


def geometric(u: float, alpha: float) -> int:
    """Two-sided geometric noise from one uniform number in [0, 1): P(z) = (1-a)/(1+a) * a**|z|."""
    zero = (1 - alpha) / (1 + alpha)
    if u < zero:
        return 0
    rest = (u - zero) / (1 - zero)  # uniform again, over the non-zero values
    sign = 1 if rest < 0.5 else -1
    tail = (rest % 0.5) * 2  # uniform in [0, 1): the size, geometric from 1
    return sign * (1 + int(math.log(1 - tail) / math.log(alpha)))


def round_with(value: int, base: int, u: float) -> int:
    """``value`` rounded to a multiple of ``base``: up with probability (value mod base)/base."""
    if value < 0:
        raise ValueError("counts are never negative")
    low = value - value % base
    return low + base if u < (value % base) / base else low


def round_real(value: float, unit: float, u: float) -> float:
    """``value`` rounded to a multiple of ``unit``: up with probability the fraction of the way up."""
    low = math.floor(value / unit + 1e-9) * unit
    frac = (value - low) / unit
    up = u < frac - 1e-9
    out = low + unit if up else low
    return round(out, 9)
