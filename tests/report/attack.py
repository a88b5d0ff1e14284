"""What a reader holding two committee reports can work out about the one case between them.

Used by test_report_attacks. The reader is strong: they know the method (unbiased random rounding
to ``base``), the settings, the exact number of cases in both reports (they may know how many files
there are), and which case was added -- but not the committee's key.

**What "pins" means here.** For a group of counts that splits the same cases (a rule's satisfied /
violated / pending / not applicable; the rows of the overview; the fidelity bands; a period's cases
with and without a "must" violation; a timing's earlier / within / later), the added case went into
exactly one cell. The case's value in that group is *pinned* when only one cell is consistent with
both reports: for every other cell, no true counts exist that round to what report 1 shows and,
with the case added to that cell, to what report 2 shows. Because a published count ``p`` is a
possible rounding of exactly the true counts ``p - base + 1 .. p + base - 1`` (0 and up), each
hypothesis reduces to interval arithmetic, and the exact case count (when the group covers every
case) is a constraint on their sum.
"""

from __future__ import annotations

OUTCOMES = ("satisfied", "violated", "pending", "not_applicable")


#: The noise a reader is granted to rule out: beyond it, probability under 1.1 % (ALPHA = 1/2).
NOISE = 6


def possible(published: int, base: int) -> tuple[int, int]:
    """The true counts a published count may come from, noise within +-NOISE and the rounding (base - 1)."""
    spread = base - 1 + (NOISE if base > 1 else 0)
    return max(0 if published == 0 else 1, published - spread), published + spread  # a true 0 is always shown 0


BIG = 10**9


def candidates(before: dict[str, int] | None, after: dict[str, int], base: int, *,
               total: tuple[int, int] | None = None, hidden: tuple[str, ...] = ()) -> set[str]:
    """The cells the added case may have joined, given a group's published counts in both reports.

    ``before``: the group's counts in the first report (None: only its total was published there).
    ``total``: the range of the true number of cases the group splits in the first report, as far as
    the reader knows it. ``hidden``: cells of the group whose count is not published on its own (not
    shown, or shown only as the published total minus the others, which tells nothing more): the
    case may have gone there.
    """
    out = set()
    for joined in list(after) + list(hidden):
        lows = highs = 0
        ok = True
        for cell in after:
            lo1, hi1 = possible(before[cell], base) if before is not None else (0, BIG)
            lo2, hi2 = possible(after[cell], base)
            shift = 1 if cell == joined else 0
            lo, hi = max(lo1, lo2 - shift), min(hi1, hi2 - shift)
            if lo > hi:
                ok = False
                break
            lows, highs = lows + lo, highs + hi
        if hidden:
            highs = BIG
        if ok and (total is None or (lows <= total[1] and highs >= total[0])):
            out.add(joined)
    return out


def groups(data: dict) -> dict[tuple, dict[str, int]]:
    """Every group of counts of a JSON committee report, by a name that is the same in both reports."""
    out: dict[tuple, dict[str, int]] = {}
    ov = data["overview"]["rows"]
    out[("overview",)] = {f"{row}|{col}": v[col] for row, v in ov.items() for col in ("open", "closed")
                          if (row, col) != ("returned", "closed")}
    for row in data["rules"]:
        out[("rule", row["code"])] = {o: row[o] for o in OUTCOMES[:3]}
    for row in data["steps"]:
        out[("step", row["step"])] = {o: row[o] for o in OUTCOMES[:3]}
    f = data["fidelity"]
    out[("fidelity",)] = {b["band"]: b["cases"] for b in f["bins"]}
    if f["no_score"] is not None:
        out[("fidelity",)]["none"] = f["no_score"]
    for p in data["trend"]["periods"]:
        if p["with_error_violation"] is None:  # a thin period: its cases only
            out[("trend", p["period"])] = {"cases": p["cases"]}
        else:
            out[("trend", p["period"])] = {"error": p["with_error_violation"], "clean": p["without_error_violation"]}
    for t in data["timings"]:
        out[("timing", t["timing"])] = {b: t[b] for b in ("early", "within", "late")}
    periods = [p["period"] for p in data["trend"]["periods"]]
    for s in data["trend"]["step_violation_rates"]:
        for p, d, v in zip(periods, s["decided"], s["violated"], strict=True):
            out[("pstep", p, s["key"])] = {"decided": d} if v is None else {"satisfied": d - v, "violated": v}
    return out


#: Groups that split every case of the report (their sum is the case count), with the cell that is
#: shown only as the whole minus the others (or not at all): it carries no count of its own.
WHOLE = {"overview": ("returned|closed",), "rule": ("not_applicable",), "step": ("not_applicable",),
         "fidelity": ("none",)}
#: Groups with cells that are not published (a step's pending and not applicable cases in a period),
#: or that the case may not be in at all (a timing it does not have).
PARTIAL = {"pstep": ("(unpublished)",), "timing": ("(not in it)",)}


def pinned(before: dict, after: dict, n_before: int) -> list[tuple]:
    """The groups of two JSON committee reports where the added case's cell is pinned (should be none)."""
    base = after["protection"]["rounding_base"]
    g1, g2 = groups(before), groups(after)
    found = []
    for name, cells in g2.items():
        if len(cells) < 2:
            continue  # a lone total: it tells that a case is there, which the reader knows already
        old = g1.get(name)
        total = (n_before, n_before) if name[0] in WHOLE else None
        if old is None:  # a period new in the second report: it held no case before
            old, total = {cell: 0 for cell in cells}, (0, 0)
        elif set(old) != set(cells):  # only its total was shown before (too few cases for the split)
            total = possible(next(iter(old.values())), base)
            old = None
        hidden = WHOLE.get(name[0]) or PARTIAL.get(name[0]) or ()
        if name[0] == "fidelity" and "none" in cells:
            hidden = ()
        c = candidates(old, cells, base, total=total, hidden=hidden)
        if len(c) < 2:
            found.append((name, c))
    return found


def moves(before: dict[str, int], after: dict[str, int], base: int, *, total: tuple[int, int] | None = None,
          hidden: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    """Where one case may have moved from and to (a -> b, a == b: it stayed), given a group in two reports.

    For reports of the same cases judged a day apart (``--as-of``): one case's outcome changes.
    """
    out = set()
    names = list(after) + list(hidden)
    for a in names:
        for b in names:
            lows = 0
            ok = True
            for cell in after:
                lo1, hi1 = possible(before[cell], base)
                lo2, hi2 = possible(after[cell], base)
                shift = (cell == b) - (cell == a)
                lo, hi = max(lo1, lo2 - shift), min(hi1, hi2 - shift)
                if lo > hi:
                    ok = False
                    break
                lows += lo
            if ok and (total is None or lows <= total[1]):
                out.add((a, b))
    return out
