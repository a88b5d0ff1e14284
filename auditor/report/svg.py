"""Inline SVG charts for the HTML report: plain markup, no script, no fonts or images to fetch.

Why hand-written SVG: the report must open offline, print well and pass a strict "no request leaves
the page" check, so no charting library. A withheld value is drawn as a hatched box of fixed size
with its marker ("<5" or "×"): its size never depends on the hidden value, and no ``<title>`` or label
carries it either (the record does not even hold it).
"""

from __future__ import annotations

from html import escape

from .model import Count

INK = "#1f2933"
MUTED = "#616e7c"
GRID = "#d9dee3"
BAD = "#b83227"
GOOD = "#2f7d4f"
WARN = "#c77d00"
NEUTRAL = "#4a6fa5"
HATCH = "#9aa5b1"


def _t(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", fill: str = INK,
       weight: str = "normal", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}"{extra}>{escape(text)}</text>')


def _open(uid: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{uid}-t {uid}-d" class="chart" '
        f'style="max-width:{width}px">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
        f'<defs><pattern id="{uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{HATCH}" stroke-width="2"/></pattern></defs>'
    )


def marker(count: Count, min_count: int | None) -> str:
    if count.shown:
        return str(count.value)
    return f"<{min_count or 5}" if count.flag == "small" else "×"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def rate_bars(uid: str, rows: list[tuple[str, str, float | None]], *, title: str, desc: str,
              label_width: int = 330, width: int = 760) -> str:
    """Horizontal bars of rates (0-1), one per row: (label, sublabel, rate or None when withheld)."""
    row_h, top = 30, 26
    bar_x = label_width + 10
    bar_w = width - bar_x - 60
    height = top + row_h * len(rows) + 10
    # The scale ends at a round percentage just above the highest rate, so small rates stay visible.
    peak = max([r for _, _, r in rows if r is not None] + [0.0])
    scale = next((s for s in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0) if peak <= s), 1.0)
    out = [_open(uid, width, height, title, desc)]
    for k in range(5):
        pct = scale * k / 4
        x = bar_x + bar_w * k / 4
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" stroke="{GRID}" stroke-width="1"/>')
        out.append(_t(x, top - 10, f"{pct * 100:g}%", size=10, anchor="middle", fill=MUTED))
    for i, (label, sub, rate) in enumerate(rows):
        y = top + i * row_h
        out.append(_t(label_width, y + 13, label, size=12, anchor="end", weight="600"))
        if sub:
            out.append(_t(label_width, y + 25, sub, size=9.5, anchor="end", fill=MUTED))
        if rate is None:
            out.append(f'<rect x="{bar_x}" y="{y + 5}" width="46" height="16" fill="url(#{uid}-hatch)" stroke="{HATCH}"/>')
            out.append(_t(bar_x + 52, y + 17, "not shown", size=10, fill=MUTED))
        else:
            w = max(bar_w * rate / scale, 1.5)
            color = BAD if rate >= 0.2 else (WARN if rate >= 0.1 else GOOD)
            out.append(f'<rect x="{bar_x}" y="{y + 5}" width="{w:.1f}" height="16" rx="2" fill="{color}"/>')
            out.append(_t(bar_x + w + 6, y + 17, _pct(rate), size=11, weight="600"))
    out.append("</svg>")
    return "".join(out)


def histogram(uid: str, bins: list[tuple[str, Count]], min_count: int | None, *, title: str, desc: str,
              width: int = 760, height: int = 240) -> str:
    """Vertical bars of counts; a withheld bin is a fixed-size hatched stub with its marker."""
    left, right, top, bottom = 46, 10, 18, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [_open(uid, width, height, title, desc)]
    ymax = _count_axis(out, [c.value for _, c in bins if c.shown], left, width - right, top, plot_h)
    slot = plot_w / len(bins)
    for i, (label, count) in enumerate(bins):
        x = left + i * slot + slot * 0.12
        w = slot * 0.76
        base = top + plot_h
        if count.shown:
            h = plot_h * count.value / ymax
            color = GOOD if label == "100%" else NEUTRAL
            if count.value:
                out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" rx="2" fill="{color}"/>')
            out.append(_t(x + w / 2, base - h - 4, str(count.value), size=10, anchor="middle"))
        else:
            out.append(f'<rect x="{x:.1f}" y="{base - 14:.1f}" width="{w:.1f}" height="14" fill="url(#{uid}-hatch)" stroke="{HATCH}"/>')
            out.append(_t(x + w / 2, base - 18, marker(count, min_count), size=10, anchor="middle", fill=MUTED))
        out.append(_t(x + w / 2, base + 15, label, size=10, anchor="middle", fill=MUTED))
    out.append(_t(left + plot_w / 2, height - 6, "fidelity of the case (share of its decided rules that were kept, weighted by severity)",
                  size=10, anchor="middle", fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def _count_axis(out: list[str], shown: list[int], left: float, right_x: float, top: float, plot_h: float) -> int:
    """Grid lines and labels of a count axis from 0 to a round top above the largest shown count."""
    peak = max(shown + [1])
    step = _nice_step(peak)
    ymax = step * -(-peak // step)
    for k in range(0, ymax + 1, step):
        y = top + plot_h - plot_h * k / ymax
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right_x}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_t(left - 6, y + 4, str(k), size=10, anchor="end", fill=MUTED))
    return ymax


def _nice_step(peak: int) -> int:
    # Ticks are multiples of 5 at least: an axis labelled "1, 2, 3" reads like small counts.
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if peak / step <= 6:
            return step
    return 100000


def trend_chart(uid: str, labels: list[str], series: list[tuple[str, str, list[float | None]]], *, title: str,
                desc: str, width: int = 760, height: int = 250) -> str:
    """Lines of percentages (0-1) over periods; a missing point (withheld) breaks the line."""
    left, right, top, bottom = 46, 14, 16, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [_open(uid, width, height, title, desc)]
    for k in range(0, 101, 25):
        y = top + plot_h - plot_h * k / 100
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_t(left - 6, y + 4, f"{k}%", size=10, anchor="end", fill=MUTED))
    n = max(len(labels), 1)
    slot = plot_w / n
    xs = [left + slot * (i + 0.5) for i in range(n)]
    every = max(1, -(-n // 14))
    for i, label in enumerate(labels):
        if i % every == 0:
            out.append(_t(xs[i], top + plot_h + 14, label, size=10, anchor="middle", fill=MUTED))
    for _name, color, values in series:
        run: list[str] = []
        for i, v in enumerate(values + [None]):
            if v is None:
                if len(run) > 1:
                    out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.2" points="{" ".join(run)}"/>')
                run = []
                continue
            y = top + plot_h - plot_h * v
            run.append(f"{xs[i]:.1f},{y:.1f}")
            out.append(f'<circle cx="{xs[i]:.1f}" cy="{y:.1f}" r="3.2" fill="{color}"/>')
    for i in range(len(labels)):
        if any(values[i] is None for _, _, values in series):
            out.append(
                f'<rect x="{xs[i] - 5:.1f}" y="{top + plot_h - 12:.1f}" width="10" height="12" '
                f'fill="url(#{uid}-hatch)" stroke="{HATCH}"/>'
            )
    lx = left
    for name, color, _ in series:
        y = height - 14
        out.append(f'<rect x="{lx}" y="{y - 9}" width="14" height="4" fill="{color}"/>')
        out.append(_t(lx + 20, y - 3, name, size=11))
        lx += 30 + 6.5 * len(name)
    out.append(f'<rect x="{lx}" y="{height - 26}" width="10" height="12" fill="url(#{uid}-hatch)" stroke="{HATCH}"/>')
    out.append(_t(lx + 16, height - 17, "not shown (too few cases)", size=11, fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def count_bars(uid: str, labels: list[str], counts: list[Count], min_count: int | None, *, title: str, desc: str,
               width: int = 760, height: int = 170) -> str:
    """Small vertical bars of case counts per period (withheld: fixed hatched stub with marker)."""
    left, right, top, bottom = 46, 14, 14, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [_open(uid, width, height, title, desc)]
    ymax = _count_axis(out, [c.value for c in counts if c.shown], left, width - right, top, plot_h)
    n = max(len(labels), 1)
    slot = plot_w / n
    every = max(1, -(-n // 14))
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        x = left + slot * i + slot * 0.15
        w = slot * 0.7
        base = top + plot_h
        if count.shown:
            h = plot_h * count.value / ymax
            if count.value:
                out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" rx="2" fill="{NEUTRAL}"/>')
        else:
            out.append(f'<rect x="{x:.1f}" y="{base - 12:.1f}" width="{w:.1f}" height="12" fill="url(#{uid}-hatch)" stroke="{HATCH}"/>')
            out.append(_t(x + w / 2, base - 15, marker(count, min_count), size=9, anchor="middle", fill=MUTED))
        if i % every == 0:
            out.append(_t(x + w / 2, base + 14, label, size=10, anchor="middle", fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def range_chart(uid: str, rows: list[tuple[str, float | None, int | None, int | None, tuple[int, int] | None]], *, title: str,
                desc: str, width: int = 760, label_width: int = 300) -> str:
    """Per timing: a min–max line, a dot at the median, and the guide's target window shaded (days)."""
    label_w, right, top, row_h = label_width, 30, 26, 34
    height = top + row_h * len(rows) + 8
    plot_w = width - label_w - 10 - right
    x0 = label_w + 10
    known = [hi for _, _, _, hi, _ in rows if hi is not None] + [t[1] for *_, t in rows if t is not None]
    lows = [lo for _, _, lo, _, _ in rows if lo is not None]
    dmin = min(lows + [0])
    dmax = max(known + [7])
    step = _nice_step(dmax - dmin)
    dmax = step * -(-dmax // step)
    dmin = step * (dmin // step) if dmin < 0 else 0  # down to a multiple of the step
    span = max(dmax - dmin, 1)

    def px(d: float) -> float:
        return x0 + plot_w * (d - dmin) / span

    out = [_open(uid, width, height, title, desc)]
    for k in range(dmin, dmax + 1, step):
        out.append(f'<line x1="{px(k):.1f}" y1="{top - 6}" x2="{px(k):.1f}" y2="{height - 6}" stroke="{GRID}"/>')
        out.append(_t(px(k), top - 10, f"{k} d", size=10, anchor="middle", fill=MUTED))
    for i, (label, median, lo, hi, target) in enumerate(rows):
        y = top + i * row_h + row_h / 2
        out.append(_t(label_w, y + 4, label, size=11, anchor="end"))
        if target is not None:
            out.append(
                f'<rect x="{px(target[0]):.1f}" y="{y - 11:.1f}" width="{px(target[1]) - px(target[0]):.1f}" '
                'height="22" fill="#e3f1e8"/>'
            )
        if median is None:
            out.append(f'<rect x="{px(0):.1f}" y="{y - 7:.1f}" width="40" height="14" fill="url(#{uid}-hatch)" stroke="{HATCH}"/>')
            out.append(_t(px(0) + 46, y + 4, "not shown (too few cases)", size=10, fill=MUTED))
            continue
        out.append(f'<line x1="{px(lo):.1f}" y1="{y:.1f}" x2="{px(hi):.1f}" y2="{y:.1f}" stroke="{MUTED}" stroke-width="2"/>')
        for end in (lo, hi):
            out.append(f'<line x1="{px(end):.1f}" y1="{y - 6:.1f}" x2="{px(end):.1f}" y2="{y + 6:.1f}" stroke="{MUTED}" stroke-width="2"/>')
        out.append(f'<circle cx="{px(median):.1f}" cy="{y:.1f}" r="6" fill="{NEUTRAL}" stroke="#fff" stroke-width="1.5"/>')
        out.append(_t(px(median), y - 9, f"{median:g} d", size=10, anchor="middle", weight="600"))
    out.append("</svg>")
    return "".join(out)
