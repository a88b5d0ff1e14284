"""Statistical disclosure control: which counts of a committee report may be published.

Why: a committee report goes to management, HR, the union and supervisors. In a small workplace a
count of 1 to 4 ("2 cases in the 3rd quarter had a supervisor call the worker without consent") can
point at a person. Hiding such a count is not enough when the table also shows its total: the hidden
value is then the total minus the cells shown. This module decides, for a set of counts tied together
by sums ("this total is the sum of those cells"), which ones to withhold.

The method (docs/report.md tells it in plain words):

1. **Primary suppression** — every count from 1 to ``min_count - 1`` is withheld (shown as "<5").
2. **Complementary suppression** — for every sum (an *equation* ``total = part + part + ...``):

   * never exactly one withheld member: a single hidden member is the total minus the others;
   * for every small count in it, what the equation's published members and the other members'
     known ranges imply about the small count must still allow every value from 1 to
     ``min_count - 1`` (a reader knows a "<5" is 1 to 4 and a withheld complement is at least
     ``min_count``; without this rule, "total 6, one cell <5, one cell withheld" gives away a 1).

   When an equation fails, a published member that repairs it is withheld too. Each cell has a
   *cost* (callers say how much a reader needs it: a rule's "not applicable" count matters less than
   its "violated" count, the number of cases matters most; a cell shown in several tables costs the
   sum). Each candidate is tried with the cascade it sets off (a withheld total must be protected in
   the sums it belongs to, in every table that shows it), and the cheapest cascade wins, the smaller
   value among equals; zeros are withheld only as a last resort.
3. **Audit across equations** — a withheld value could still be pinned down by combining several
   sums (two row totals minus two column totals), or by chaining what the markers tell ("×" is at
   least ``min_count``: a "×" that two sums squeeze to exactly 5 gives away its neighbours). Two
   audits run over all equations: exact linear algebra (rational Gaussian elimination: is the value
   a combination of published figures?) and bounds propagation (every equation narrows every
   member's range, repeated until nothing moves, starting from what the markers say). A withheld
   value that either pins gets another complement, and the whole process repeats.

Counts that are the same number of the same cases wherever they appear (the cases where RTW601
applied are the cases back at work) are one *variable*: callers pass a ``signature`` (a hash of the
set of cases counted) and cells with the same signature and value are merged, so a value hidden in one
table is never shown in another.

What it does not promise: bounds from several equations combined (a linear-programming "interval"
audit) are not computed, and when every non-zero member of a sum is small there is nothing left to
withhold: "1 + 1 = <5" lets a reader know each part is at most 3 (never which); see docs/report.md.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

PUBLISHED = "published"
SMALL = "small"  # primary: 1 .. min_count-1
WITHHELD = "withheld"  # complementary

DEFAULT_MIN_COUNT = 5
INF = float("inf")


@dataclass
class Equation:
    """``total == sum(parts)`` over variables, kept as coefficients (total -1, each part +1)."""

    coeffs: dict[int, int]
    label: str = ""
    total: int | None = None  # the total's variable, or None when it cancelled out
    parts: tuple[int, ...] = ()


@dataclass
class Protection:
    """Register counts and the sums that tie them, then ``solve()`` for what may be published."""

    min_count: int = DEFAULT_MIN_COUNT
    _var_of: dict[Hashable, int] = field(default_factory=dict)
    _values: list[int] = field(default_factory=list)
    _by_signature: dict[tuple[int, int], int] = field(default_factory=dict)
    _cost: list[int] = field(default_factory=list)
    equations: list[Equation] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    unprotected: list[Hashable] = field(default_factory=list)  # exact recovery left (must stay empty)
    narrowed: list[Hashable] = field(default_factory=list)  # range narrowed, nothing left to withhold

    # ------------------------------------------------------------------ building the problem
    def cell(self, key: Hashable, value: int, signature: int | None = None, cost: int = 1) -> Hashable:
        """Register a count under ``key``. Cells with equal ``signature`` and value are one variable.

        ``cost``: how much readers lose when the count is withheld; a variable costs the sum of its cells.
        """
        if value < 0:
            raise ValueError(f"a count cannot be negative ({key!r} = {value})")
        if key in self._var_of:
            var = self._var_of[key]
            if self._values[var] != value:
                raise ValueError(f"cell {key!r} registered twice with different values")
            return key
        var = None
        if signature is not None:
            var = self._by_signature.get((signature, value))
        if var is None:
            var = len(self._values)
            self._values.append(value)
            self._cost.append(0)
            if signature is not None:
                self._by_signature[(signature, value)] = var
        self._cost[var] += cost
        self._var_of[key] = var
        return key

    def equation(self, total: Hashable, parts: Iterable[Hashable], label: str = "") -> None:
        """Declare that the count ``total`` is the sum of the counts ``parts`` (all registered)."""
        parts = list(parts)
        tv = self._var_of[total]
        pvs = [self._var_of[p] for p in parts]
        if self._values[tv] != sum(self._values[v] for v in pvs):
            raise ValueError(f"equation {label or total!r}: the parts do not add up to the total")
        coeffs: dict[int, int] = {}
        coeffs[tv] = coeffs.get(tv, 0) - 1
        for v in pvs:
            coeffs[v] = coeffs.get(v, 0) + 1
        coeffs = {v: c for v, c in coeffs.items() if c != 0}
        if not coeffs:
            return
        self.equations.append(Equation(coeffs, label, tv if tv in coeffs else None, tuple(dict.fromkeys(v for v in pvs if v in coeffs))))

    # ------------------------------------------------------------------ reading the answer
    def value(self, key: Hashable) -> int:
        return self._values[self._var_of[key]]

    def status_of(self, key: Hashable) -> str:
        return self.status[self._var_of[key]]

    def shown(self, key: Hashable) -> int | None:
        """The value if it may be published, else None."""
        return self.value(key) if self.status_of(key) == PUBLISHED else None

    def keys(self) -> list[Hashable]:
        return list(self._var_of)

    # ------------------------------------------------------------------ solving
    def solve(self) -> "Protection":
        """Decide the status of every cell (primary, then complementary suppression, then audit)."""
        m = self.min_count
        self.status = [SMALL if 1 <= v < m else PUBLISHED for v in self._values]
        by_var: dict[int, list[int]] = {}
        for i, eq in enumerate(self.equations):
            for v in eq.coeffs:
                by_var.setdefault(v, []).append(i)
        self._by_var = by_var
        stuck: set[int] = set()
        while True:
            changed = False
            for i, eq in enumerate(self.equations):
                # Repair this equation until it holds (each pass withholds one more member).
                while not self._equation_ok(eq):
                    pick = self._complement_for(eq, lookahead=True)
                    if pick is None:
                        stuck.add(i)
                        break
                    self.status[pick] = WITHHELD
                    changed = True
            if changed:
                continue
            determined = self._determined() | self._pinned()
            if not determined:
                break
            progressed = False
            for var in sorted(determined):
                for i in by_var.get(var, ()):
                    pick = self._any_candidate(self.equations[i])
                    if pick is not None:
                        self.status[pick] = WITHHELD
                        progressed = True
                        break
                if progressed:
                    break
            if not progressed:
                # Nothing left to withhold beside it: record it (tests assert this never happens).
                for var in determined:
                    self.unprotected.extend(k for k, v in self._var_of.items() if v == var)
                break
        for i in stuck:
            eq = self.equations[i]
            if self._equation_ok(eq):
                continue
            if self._equation_ok(eq, ranges=False):
                self.narrowed.append(eq.label or i)
            else:
                self.unprotected.append(eq.label or i)
        return self

    # -- one equation
    def _interval(self, var: int) -> tuple[float, float]:
        st = self.status[var]
        v = self._values[var]
        if st == PUBLISHED:
            return (v, v)
        if st == SMALL:
            return (1, self.min_count - 1)
        return (0, INF) if v == 0 else (self.min_count, INF)

    def _implied(self, eq: Equation, target: int) -> tuple[float, float]:
        """What the equation says about ``target`` given every other member's known range."""
        lo = hi = 0.0
        for var, c in eq.coeffs.items():
            if var == target:
                continue
            a, b = self._interval(var)
            if c > 0:
                lo += c * a
                hi += c * b
            else:
                lo += c * b
                hi += c * a
        # coeffs[target] * target + others == 0  ->  target == -(others) / coeffs[target]
        ct = eq.coeffs[target]
        x1, x2 = -lo / ct, -hi / ct
        return (min(x1, x2), max(x1, x2))

    def _equation_ok(self, eq: Equation, ranges: bool = True) -> bool:
        """No member recoverable from this equation (and, with ``ranges``, no small count narrowed)."""
        hidden = [v for v in eq.coeffs if self.status[v] != PUBLISHED]
        if not hidden:
            return True
        if len(hidden) == 1:
            return False
        if not ranges:
            return True
        m = self.min_count
        for v in hidden:
            if self.status[v] == SMALL:
                lo, hi = self._implied(eq, v)
                if lo > 1 or hi < m - 1:
                    return False
        return True

    def _candidates(self, eq: Equation, allow_zero: bool) -> list[int]:
        """Published members that may be withheld, least needed first (cost, then value)."""
        members = [v for v in eq.coeffs if self.status[v] == PUBLISHED]
        if allow_zero:
            members = [v for v in members if self._values[v] == 0]
        else:
            members = [v for v in members if self._values[v] >= self.min_count]
        return sorted(members, key=lambda v: (self._cost[v], self._values[v], v))

    def _complement_for(self, eq: Equation, lookahead: bool = False) -> int | None:
        """The published member to withhold next for ``eq``.

        Without lookahead: the cheapest member that repairs ``eq`` alone, else the largest of the
        cheapest. With lookahead: every candidate is tried together with the cascade of repairs it
        sets off (greedy, without lookahead), and the cheapest total wins.
        """
        for allow_zero in (False, True):
            cands = self._candidates(eq, allow_zero)
            if not cands:
                continue
            repairing = []
            for v in cands:
                self.status[v] = WITHHELD
                ok = self._equation_ok(eq)
                self.status[v] = PUBLISHED
                if ok:
                    repairing.append(v)
                    if not lookahead:
                        return v
            if not repairing:
                low = self._cost[cands[0]]
                return max((v for v in cands if self._cost[v] == low), key=lambda v: (self._values[v], v))
            if len(repairing) == 1:
                return repairing[0]
            return min(repairing, key=lambda v: (self._cascade_cost(v), self._values[v], v))
        return None

    def _cascade_cost(self, var: int, limit: int = 10_000) -> int:
        """The cost of withholding ``var`` and everything the greedy repair then withholds."""
        saved = list(self.status)
        self.status[var] = WITHHELD
        todo = [var]
        queued = {var}
        steps = 0
        while todo and steps < limit:
            v = todo.pop()
            queued.discard(v)
            for i in self._by_var.get(v, ()):
                eq = self.equations[i]
                while not self._equation_ok(eq) and steps < limit:
                    steps += 1
                    pick = self._complement_for(eq)
                    if pick is None:
                        break
                    self.status[pick] = WITHHELD
                    if pick not in queued:
                        todo.append(pick)
                        queued.add(pick)
        cost = sum(self._cost[v] for v, (old, new) in enumerate(zip(saved, self.status)) if old != new)
        self.status = saved
        return cost

    def _any_candidate(self, eq: Equation) -> int | None:
        for allow_zero in (False, True):
            cands = self._candidates(eq, allow_zero)
            if cands:
                return cands[0]
        return None

    # -- the whole system
    def _determined(self) -> set[int]:
        """Withheld variables whose exact value follows from the published figures.

        Each equation restricted to the withheld variables is a linear relation with a known
        constant; a variable is determined exactly when its unit vector lies in the row space of
        those relations, i.e. when the reduced row-echelon form has a row with that variable alone.
        """
        hidden = {v for v, st in enumerate(self.status) if st != PUBLISHED}
        basis: dict[int, dict[int, Fraction]] = {}
        for eq in self.equations:
            row = {v: Fraction(c) for v, c in eq.coeffs.items() if v in hidden}
            if not row:
                continue
            for pv in [v for v in row if v in basis]:
                coef = row.get(pv)
                if not coef:
                    continue
                for v, c in basis[pv].items():
                    nv = row.get(v, Fraction(0)) - coef * c
                    if nv:
                        row[v] = nv
                    else:
                        row.pop(v, None)
            if not row:
                continue
            pivot = min(row)
            inv = 1 / row[pivot]
            row = {v: c * inv for v, c in row.items()}
            for other in basis.values():
                coef = other.get(pivot)
                if coef:
                    for v, c in row.items():
                        nv = other.get(v, Fraction(0)) - coef * c
                        if nv:
                            other[v] = nv
                        else:
                            other.pop(v, None)
            basis[pivot] = row
        return {p for p, r in basis.items() if len(r) == 1}

    def _pinned(self, rounds: int = 60) -> set[int]:
        """Withheld variables whose range, propagated through every equation, is a single value.

        Starts from what a reader knows: a published value exactly, a small one in 1..min_count-1,
        a complement at least min_count. Sound but incomplete (it narrows one equation at a time).
        """
        lo: dict[int, float] = {}
        hi: dict[int, float] = {}
        for v, st in enumerate(self.status):
            lo[v], hi[v] = self._interval(v)
        relevant = [eq for eq in self.equations if any(self.status[v] != PUBLISHED for v in eq.coeffs)]
        for _ in range(rounds):
            moved = False
            for eq in relevant:
                items = list(eq.coeffs.items())
                # sum over members of c*x == 0: bound each member by the others
                total_lo = sum(c * (lo[v] if c > 0 else hi[v]) for v, c in items)
                total_hi = sum(c * (hi[v] if c > 0 else lo[v]) for v, c in items)
                for v, c in items:
                    if self.status[v] == PUBLISHED:
                        continue
                    own_lo = c * (lo[v] if c > 0 else hi[v])
                    own_hi = c * (hi[v] if c > 0 else lo[v])
                    rest_lo = total_lo - own_lo if own_lo not in (INF, -INF) else _sum_without(items, v, lo, hi, low=True)
                    rest_hi = total_hi - own_hi if own_hi not in (INF, -INF) else _sum_without(items, v, lo, hi, low=False)
                    # c*x = -rest  ->  x in [-rest_hi / c, -rest_lo / c] (swapped when c < 0)
                    a, b = -rest_hi / c, -rest_lo / c
                    new_lo, new_hi = min(a, b), max(a, b)
                    if new_lo > lo[v] + 1e-9:
                        lo[v] = float(_ceil(new_lo))
                        moved = True
                    if new_hi < hi[v] - 1e-9:
                        hi[v] = float(_floor(new_hi))
                        moved = True
            if not moved:
                break
        return {v for v, st in enumerate(self.status) if st != PUBLISHED and lo[v] >= hi[v]}

    # ------------------------------------------------------------------ checks (for tests and self-audit)
    def exposed(self) -> list[str]:
        """Problems left: equations with exactly one withheld member, determined withheld values."""
        out = []
        for eq in self.equations:
            hidden = [v for v in eq.coeffs if self.status[v] != PUBLISHED]
            if len(hidden) == 1:
                out.append(f"equation {eq.label}: a single withheld member")
        for v in self._determined():
            out.append(f"variable {v} is determined by the published figures")
        for v in self._pinned():
            out.append(f"variable {v} is pinned by the published figures and the markers")
        return out


def _sum_without(items, skip: int, lo: dict, hi: dict, *, low: bool) -> float:
    total = 0.0
    for v, c in items:
        if v == skip:
            continue
        total += c * (lo[v] if (c > 0) == low else hi[v])
    return total


def _ceil(x: float) -> float:
    if x in (INF, -INF):
        return x
    r = round(x)
    return r if abs(x - r) < 1e-9 else int(x // 1) + 1


def _floor(x: float) -> float:
    if x in (INF, -INF):
        return x
    r = round(x)
    return r if abs(x - r) < 1e-9 else int(x // 1)


def suppress_table(
    cells: dict[Hashable, int],
    equations: Iterable[tuple[Hashable, Iterable[Hashable]]],
    min_count: int = DEFAULT_MIN_COUNT,
) -> Protection:
    """Convenience for plain tables: ``cells`` by key, ``equations`` as (total key, part keys)."""
    p = Protection(min_count=min_count)
    for key, value in cells.items():
        p.cell(key, value)
    for total, parts in equations:
        p.equation(total, parts, label=str(total))
    return p.solve()
