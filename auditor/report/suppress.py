"""Statistical disclosure control: which counts of a committee report may be published.

Why: a committee report goes to management, HR, the union and supervisors. In a small workplace a
count of 1 to 4 ("2 cases in the 3rd quarter had a supervisor call the worker without consent") can
point at a person. Hiding such a count is not enough when the table also shows its total: the hidden
value is then the total minus the cells shown. This module decides, for a set of counts tied together
by sums ("this total is the sum of those cells"), which ones to withhold.

What a reader sees, and so what the checks below assume a reader knows:

* a published count: its value;
* "<5" (``SMALL``): a count from 1 to ``min_count - 1``;
* "×" (``WITHHELD``): nothing at all -- any value, 0 included. Most are complements (large counts
  withheld to protect a small one), but a small count is shown as "×" too where its "<5" would give
  it away ("1 + 1 + 1 + 1 = <5" says every part is 1), so "×" must not be read as "at least 5".

The method (docs/report.md tells it in plain words):

1. **Primary suppression** -- every count from 1 to ``min_count - 1`` is shown as "<5".
2. **Complementary suppression** -- for every sum (an *equation* ``total = part + part + ...``):

   * never exactly one hidden member: a single hidden member is the total minus the others;
   * for every "<5" in it, what the equation's published members and the others' known ranges imply
     must still allow every value from 1 to ``min_count - 1``.

   When an equation fails, another member is withheld: a published count if one repairs it (each
   cell has a *cost* -- how much readers need it: a rule's "not applicable" count matters less than
   its "violated" count, the number of cases most; a count shown in several tables costs the sum --
   and every candidate is tried with the cascade of repairs it sets off; the cheapest cascade wins),
   else a published zero, else a "<5" member is shown as "×".
3. **Audit across equations** -- a hidden value could still follow from several sums together (two
   row totals minus two column totals), or from what the markers say. Two audits run over the whole
   system: exact linear algebra (rational Gauss-Jordan elimination: is the value a combination of
   published figures?) and bounds propagation (each equation narrows each member's range from what
   the reader knows, repeated until nothing moves: is it squeezed to a single value?). A hidden value
   that either pins down gets another complement (or a neighbouring "<5" becomes "×"), and the
   whole process repeats until nothing changes.

Counts that are the same number of the same cases wherever they appear (the cases where RTW601
applied are the cases back at work) are one *variable*: callers pass a ``signature`` (a hash of the
set of cases counted) and cells with the same signature and value are merged, so a value hidden in one
table is never shown in another.

Limits (docs/report.md): bounds propagation is sound but not complete -- a reader solving the whole
system as an integer programme might narrow a "<5" further than this audit sees, though never, in
the property tests' exhaustive search on small tables, to a single value; and a "<5" may be narrowed
(not pinned) where nothing is left to withhold: such sums are listed in ``narrowed``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction

PUBLISHED = "published"
SMALL = "small"  # shown "<5": a count from 1 to min_count - 1
WITHHELD = "withheld"  # shown "×": anything

DEFAULT_MIN_COUNT = 5
INF = float("inf")


@dataclass
class Equation:
    """``total == sum(parts)`` over variables, kept as coefficients (total -1, each part +1).

    ``members`` keeps every printed cell's variable (total first), so that "only one blank in this
    row" is judged on the table as printed even when two cells are the same variable and cancel.
    """

    coeffs: dict[int, int]
    label: str = ""
    members: tuple[int, ...] = ()


@dataclass
class Protection:
    """Register counts and the sums that tie them, then ``solve()`` for what may be published."""

    min_count: int = DEFAULT_MIN_COUNT
    _var_of: dict[Hashable, int] = field(default_factory=dict)
    _values: list[int] = field(default_factory=list)
    _cost: list[int] = field(default_factory=list)
    _by_signature: dict[tuple[int, int], int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    unprotected: list[Hashable] = field(default_factory=list)  # exact recovery left (must stay empty)
    narrowed: list[Hashable] = field(default_factory=list)  # a "<5" narrowed, nothing left to withhold

    # ------------------------------------------------------------------ building the problem
    def cell(self, key: Hashable, value: int, signature: int | None = None, cost: int = 1) -> Hashable:
        """Register a count under ``key``. Cells with equal ``signature`` and value are one variable.

        ``cost``: how much readers lose when the count is withheld; a variable costs the sum of its cells.
        """
        if value < 0:
            raise ValueError(f"a count cannot be negative ({key!r} = {value})")
        if key in self._var_of:
            if self._values[self._var_of[key]] != value:
                raise ValueError(f"cell {key!r} registered twice with different values")
            return key
        # Zeros are never merged: every empty set of cases has the same signature, and tying all the
        # zeros of a report into one number would couple every table for nothing (a 0 is public).
        alias = signature is not None and value > 0
        var = self._by_signature.get((signature, value)) if alias else None
        if var is None:
            var = len(self._values)
            self._values.append(value)
            self._cost.append(0)
            if alias:
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
        coeffs: dict[int, int] = {tv: -1}
        for v in pvs:
            coeffs[v] = coeffs.get(v, 0) + 1
        coeffs = {v: c for v, c in coeffs.items() if c != 0}
        if coeffs:
            self.equations.append(Equation(coeffs, label or str(total), (tv, *pvs)))

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
        """Decide every cell's status: primary, complementary suppression, then the global audits."""
        m = self.min_count
        self.status = [SMALL if 1 <= v < m else PUBLISHED for v in self._values]
        self._by_var: dict[int, list[int]] = {}
        for i, eq in enumerate(self.equations):
            for v in eq.coeffs:
                self._by_var.setdefault(v, []).append(i)
        while True:
            if self._repair_equations():
                continue
            determined = self._determined_by()
            flagged = set(determined) | self._pinned()
            if not flagged:
                break
            if not self._repair_flagged(flagged, determined):
                self.unprotected.extend(k for k, v in self._var_of.items() if v in flagged)
                break
        for eq in self.equations:
            if not self._equation_ok(eq):
                if self._equation_ok(eq, ranges=False):
                    self.narrowed.append(eq.label)
                else:
                    self.unprotected.append(eq.label)
        return self

    def _repair_equations(self) -> bool:
        """One pass of step 2 over every equation; True if anything was withheld."""
        changed = False
        for eq in self.equations:
            while not self._equation_ok(eq):
                pick = self._complement_for(eq, lookahead=True)
                if pick is None:
                    break
                self.status[pick] = WITHHELD
                changed = True
        return changed

    def _repair_flagged(self, flagged: set[int], determined: dict[int, list[int]]) -> bool:
        """Withhold one more member where a value the global audits pinned down is given away."""
        for var in sorted(flagged):
            # the sums that give it away (linear algebra), else the sums it is in (propagation)
            where = determined.get(var) or self._by_var.get(var, ())
            picks = [p for p in (self._next_published(self.equations[i]) for i in where) if p is not None]
            if picks:
                pick = min(picks, key=lambda v: (self._values[v] == 0, self._cost[v], self._values[v], v))
                self.status[pick] = WITHHELD
                return True
        # Nothing published left beside them: a "<5" among them (or next to them) becomes "×".
        for var in sorted(flagged):
            if self.status[var] == SMALL:
                self.status[var] = WITHHELD
                return True
            for i in self._by_var.get(var, ()):
                for v in self.equations[i].coeffs:
                    if self.status[v] == SMALL:
                        self.status[v] = WITHHELD
                        return True
        return False

    # -- one equation
    def _interval(self, var: int) -> tuple[float, float]:
        """What a reader knows of a variable from the report alone."""
        st = self.status[var]
        if st == PUBLISHED:
            v = self._values[var]
            return (v, v)
        if st == SMALL:
            return (1, self.min_count - 1)
        return (0, INF)

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
        ct = eq.coeffs[target]  # ct * target + others == 0
        x1, x2 = -lo / ct, -hi / ct
        return (min(x1, x2), max(x1, x2))

    def _equation_ok(self, eq: Equation, ranges: bool = True) -> bool:
        """No member recoverable from this equation (and, with ``ranges``, no "<5" narrowed by it).

        Recoverable: the only blank of the sum as printed, or the only hidden variable once cells
        that are the same number cancel out -- unless that number is 0, which is public anyway.
        """
        if sum(1 for v in eq.members if self.status[v] != PUBLISHED) == 1:
            return False
        hidden = [v for v in eq.coeffs if self.status[v] != PUBLISHED]
        if not hidden:
            return True
        if len(hidden) == 1:
            return self._values[hidden[0]] == 0
        if ranges:
            m = self.min_count
            for v in hidden:
                if self.status[v] == SMALL:
                    lo, hi = self._implied(eq, v)
                    if lo > 1 or hi < m - 1:
                        return False
        return True

    def _published(self, eq: Equation) -> list[int]:
        """Published members that may be withheld: non-zero ones first (cheapest, then smallest), zeros last."""
        members = [v for v in dict.fromkeys(eq.members) if self.status[v] == PUBLISHED]
        return sorted(members, key=lambda v: (self._values[v] == 0, self._cost[v], self._values[v], v))

    def _next_published(self, eq: Equation) -> int | None:
        members = self._published(eq)
        return members[0] if members else None

    def _complement_for(self, eq: Equation, lookahead: bool = False) -> int | None:
        """The member to withhold next for ``eq`` (its status becomes WITHHELD).

        A published member that repairs ``eq`` alone -- with lookahead, the one whose cascade of
        repairs costs least; else the cheapest published member that helps (non-zero before zero);
        else, for a sum that only narrows a "<5", one of its "<5" members, shown as "×" from now on.
        """
        members = self._published(eq)
        for group in ([v for v in members if self._values[v] > 0], [v for v in members if self._values[v] == 0]):
            if not group:
                continue
            repairing = []
            for v in group:
                self.status[v] = WITHHELD
                ok = self._equation_ok(eq)
                self.status[v] = PUBLISHED
                if ok:
                    repairing.append(v)
                    if not lookahead:
                        return v
            if not repairing:
                low = self._cost[group[0]]
                return max((v for v in group if self._cost[v] == low), key=lambda v: (self._values[v], v))
            if len(repairing) == 1:
                return repairing[0]
            return min(repairing, key=lambda v: (self._cascade_cost(v), self._values[v], v))
        if self._equation_ok(eq, ranges=False):
            small = [v for v in eq.coeffs if self.status[v] == SMALL]
            if len(small) > 1:  # masking the only "<5" would not widen anything it is narrowed by
                return max(small, key=lambda v: (self._values[v], v))
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
        cost = sum(self._cost[v] for v, (old, new) in enumerate(zip(saved, self.status, strict=True)) if old != new)
        self.status = saved
        return cost

    # -- the whole system
    def _determined(self) -> set[int]:
        return set(self._determined_by())

    def _determined_by(self) -> dict[int, list[int]]:
        """Hidden variables whose exact value follows linearly from the published figures, each with
        the equations whose combination gives it away.

        Each equation restricted to the hidden variables is a linear relation with a known constant;
        a variable is determined when its unit vector lies in the row space of those relations, i.e.
        when the reduced row-echelon form has a row holding that variable alone. Each reduced row
        carries the combination of original equations it came from, so a repair knows where to act.
        """
        hidden = {v for v, st in enumerate(self.status) if st != PUBLISHED}
        basis: dict[int, tuple[dict[int, Fraction], dict[int, Fraction]]] = {}

        def axpy(target: dict, coef: Fraction, source: dict) -> None:
            for k, c in source.items():
                nv = target.get(k, Fraction(0)) - coef * c
                if nv:
                    target[k] = nv
                else:
                    target.pop(k, None)

        for i, eq in enumerate(self.equations):
            row = {v: Fraction(c) for v, c in eq.coeffs.items() if v in hidden}
            if not row:
                continue
            combo = {i: Fraction(1)}
            for pv in [v for v in row if v in basis]:
                coef = row.get(pv)
                if coef:
                    brow, bcombo = basis[pv]
                    axpy(row, coef, brow)
                    axpy(combo, coef, bcombo)
            if not row:
                continue
            pivot = min(row)
            inv = 1 / row[pivot]
            row = {v: c * inv for v, c in row.items()}
            combo = {k: c * inv for k, c in combo.items()}
            for brow, bcombo in basis.values():
                coef = brow.get(pivot)
                if coef:
                    axpy(brow, coef, row)
                    axpy(bcombo, coef, combo)
            basis[pivot] = (row, combo)
        # A hidden 0 that the figures determine gives nothing away (zeros are published anyway).
        return {p: sorted(combo) for p, (row, combo) in basis.items() if len(row) == 1 and self._values[p] != 0}

    def _pinned(self, rounds: int = 60) -> set[int]:
        """Hidden variables that bounds propagation squeezes to a single value (sound, not complete)."""
        lo, hi = self._propagate(rounds)
        return {v for v, st in enumerate(self.status) if st != PUBLISHED and lo[v] >= hi[v] and self._values[v] != 0}

    def reader_range(self, key: Hashable) -> tuple[float, float]:
        """What a reader can deduce of a count from the published report: a range that surely holds it.

        Sound (the true value, and every value the reader could consider, lies inside), so a figure
        that is the same for every value in the range tells the reader nothing new.
        """
        if self._ranges is None:
            self._ranges = self._propagate()
        lo, hi = self._ranges
        var = self._var_of[key]
        return lo[var], hi[var]

    _ranges: tuple[dict, dict] | None = None

    def _propagate(self, rounds: int = 60) -> tuple[dict[int, float], dict[int, float]]:
        lo: dict[int, float] = {}
        hi: dict[int, float] = {}
        for v in range(len(self.status)):
            lo[v], hi[v] = self._interval(v)
        relevant = [eq for eq in self.equations if any(self.status[v] != PUBLISHED for v in eq.coeffs)]
        for _ in range(rounds):
            moved = False
            for eq in relevant:
                items = list(eq.coeffs.items())
                for v, c in items:
                    if self.status[v] == PUBLISHED:
                        continue
                    rest_lo = sum(k * (lo[u] if k > 0 else hi[u]) for u, k in items if u != v)
                    rest_hi = sum(k * (hi[u] if k > 0 else lo[u]) for u, k in items if u != v)
                    a, b = -rest_hi / c, -rest_lo / c  # c * v == -rest
                    new_lo, new_hi = min(a, b), max(a, b)
                    if new_lo > lo[v] + 1e-9:
                        lo[v] = _ceil(new_lo)
                        moved = True
                    if new_hi < hi[v] - 1e-9:
                        hi[v] = _floor(new_hi)
                        moved = True
            if not moved:
                break
        return lo, hi

    # ------------------------------------------------------------------ checks (tests, self-audit)
    def exposed(self) -> list[str]:
        """Problems left: a sum with one hidden member, a hidden value determined or pinned."""
        out = [f"equation {eq.label}: a single hidden member" for eq in self.equations
               if sum(1 for v in eq.coeffs if self.status[v] != PUBLISHED) == 1]
        out += [f"variable {v} is determined by the published figures" for v in sorted(self._determined())]
        out += [f"variable {v} is pinned by the published figures and the markers" for v in sorted(self._pinned())]
        return out


def _ceil(x: float) -> float:
    if x in (INF, -INF):
        return x
    r = round(x)
    return float(r if abs(x - r) < 1e-9 else int(x // 1) + 1)


def _floor(x: float) -> float:
    if x in (INF, -INF):
        return x
    r = round(x)
    return float(r if abs(x - r) < 1e-9 else int(x // 1))


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
