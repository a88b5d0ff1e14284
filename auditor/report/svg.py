"""Inline SVG charts for the HTML report: plain markup, no script, no fonts or images to fetch.

Why hand-written SVG: the report must open offline, print well (in grayscale too) and pass a strict
"no request leaves the page" check, so no charting library. Rules every chart keeps:

* every value drawn is a published one (rounded counts, rates computed from them): a figure that is
  not shown is written in words ("not rated: …"), never drawn as a small bar or a placeholder;
* colours are paired with a pattern or a shape and explained in a legend, so the chart survives a
  grayscale print; text is at least 12 px and at least 4.5:1 against its background (WCAG AA);
* labels are wrapped, never cut; axes have titles; every bar says its n.
"""

from __future__ import annotations

from html import escape

from ..i18n import format_percent
from ..i18n_domains import _


def _tick(fraction: float) -> str:
    """An axis tick as ``{:g}`` percent: "12.5%" in English, "12,5 %" in French."""
    text = format_percent(fraction, 1)
    return text.replace(".0%", "%").replace(",0\u00a0%", "\u00a0%")

INK = "#1f2933"
MUTED = "#52606d"  # 6.4:1 on white
GRID = "#d9dee3"
BAR = "#3e5c8a"  # a rate below the "weak" line
WEAK = "#a3271d"  # a weak step or rule (20 % or more): drawn with white stripes as well
WITHIN = "#2f6f4f"
LATE = "#a3271d"
EARLY = "#7b8794"
FONT_MIN = 12


def _t(x: float, y: float, text: str, *, size: int = 13, anchor: str = "start", fill: str = INK,
       weight: str = "normal", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{max(size, FONT_MIN)}" text-anchor="{anchor}" fill="{fill}" '
            f'font-weight="{weight}"{extra}>{escape(text)}</text>')


def _open(uid: str, width: int, height: int, title: str, desc: str) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{uid}-t {uid}-d" class="chart" '
        f'style="max-width:{width}px">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
        f'<defs><pattern id="{uid}-weak" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{WEAK}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#fff" stroke-width="3"/></pattern>'
        f'<pattern id="{uid}-late" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="8" height="8" fill="{LATE}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#fff" stroke-width="3"/></pattern>'
        f'<pattern id="{uid}-early" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#e4e7eb"/><circle cx="3" cy="3" r="1.6" fill="{EARLY}"/></pattern></defs>'
    )


def wrap(text: str, limit: int) -> list[str]:
    """Words into lines of at most ``limit`` characters (a word longer than that gets a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def rate_bars(uid: str, rows: list[tuple[str, str, float | None, str, str]], *, title: str, desc: str, weak: float,
              axis: str, width: int = 900, label_width: int = 360) -> str:
    """Horizontal bars of rates, one per row: (label, sublabel, rate or None, n text, rate as words)."""
    wrap_at = label_width // 7
    heights = [max(2, 1 + len(wrap(sub, wrap_at))) * 16 + 12 for _, sub, _, _, _ in rows]
    top, bottom = 40, 56
    bar_x = label_width + 16
    bar_w = width - bar_x - 240  # room for the longest value label after a full bar
    height = top + sum(heights) + bottom
    peak = max([r for _, _, r, _, _ in rows if r is not None] + [0.0])
    scale = next((s for s in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0) if peak <= s), 1.0)
    out = [_open(uid, width, height, title, desc)]
    plot_bottom = top + sum(heights)
    for k in range(5):
        x = bar_x + bar_w * k / 4
        out.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{GRID}" stroke-width="1"/>')
        out.append(_t(x, top - 14, _tick(scale * k / 4), size=12, anchor="middle", fill=MUTED))
    if weak <= scale:
        x = bar_x + bar_w * weak / scale
        out.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{plot_bottom}" stroke="{WEAK}" '
                   f'stroke-width="1.5" stroke-dasharray="5 3"/>')
    y = top
    for (label, sub, rate, n_text, words), h in zip(rows, heights, strict=False):
        out.append(_t(label_width, y + 16, label, anchor="end", weight="600"))
        for i, line in enumerate(wrap(sub, wrap_at)):
            out.append(_t(label_width, y + 32 + 16 * i, line, size=12, anchor="end", fill=MUTED))
        if rate is None:
            out.append(_t(bar_x, y + 20, _("not rated: {count}").format(count=n_text), size=12, fill=MUTED,
                          extra=' font-style="italic"'))
        else:
            w = max(bar_w * rate / scale, 2 if rate > 0 else 0)
            fill = f"url(#{uid}-weak)" if rate >= weak else BAR
            if w:
                out.append(f'<rect x="{bar_x}" y="{y + 6}" width="{w:.1f}" height="20" fill="{fill}" stroke="{INK}" '
                           'stroke-width="0.5"/>')
            out.append(_t(bar_x + w + 8, y + 21, f"{words}  ({n_text})", size=12, weight="600"))
        y += h
    out.append(_t(bar_x + bar_w / 2, plot_bottom + 22, axis, size=12, anchor="middle", fill=MUTED))
    lx = bar_x
    ly = plot_bottom + 36
    out.append(f'<rect x="{lx}" y="{ly}" width="22" height="14" fill="{BAR}"/>')
    out.append(_t(lx + 28, ly + 12, _("below {percent}").format(percent=_tick(weak)), size=12))
    lx += 130
    out.append(f'<rect x="{lx}" y="{ly}" width="22" height="14" fill="url(#{uid}-weak)" stroke="{INK}" stroke-width="0.5"/>')
    out.append(_t(lx + 28, ly + 12, _("{percent} or more: weak, see Recommendations (dashed line)").format(
        percent=_tick(weak)), size=12))
    out.append("</svg>")
    return "".join(out)


def _nice_step(peak: float) -> int:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000):
        if peak / step <= 6:
            return step
    return 100000


def _count_axis(out: list[str], peak: int, left: float, right_x: float, top: float, plot_h: float) -> int:
    """Grid lines and labels of a count axis from 0 to a round top above the largest count."""
    step = _nice_step(max(peak, 1))
    ymax = step * -(-max(peak, 1) // step)
    for k in range(0, ymax + 1, step):
        y = top + plot_h - plot_h * k / ymax
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right_x}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_t(left - 8, y + 4, str(k), size=12, anchor="end", fill=MUTED))
    return ymax


def count_columns(uid: str, labels: list[str], counts: list[int], *, title: str, desc: str, x_axis: str,
                  y_axis: str, width: int = 900, height: int = 280) -> str:
    """Vertical bars of (published) counts, to scale, each with its value above it."""
    left, right, top, bottom = 70, 12, 24, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    out = [_open(uid, width, height, title, desc)]
    ymax = _count_axis(out, max(counts + [1]), left, width - right, top, plot_h)
    n = max(len(labels), 1)
    slot = plot_w / n
    every = max(1, -(-n // 12))
    base = top + plot_h
    for i, (label, value) in enumerate(zip(labels, counts, strict=False)):
        x = left + i * slot + slot * 0.14
        w = slot * 0.72
        h = plot_h * value / ymax
        if value:
            out.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{BAR}"/>')
        out.append(_t(x + w / 2, base - h - 5, str(value), size=12, anchor="middle"))
        if i % every == 0:
            out.append(_t(x + w / 2, base + 18, label, size=12, anchor="middle", fill=MUTED))
    out.append(_t(left + plot_w / 2, height - 12, x_axis, size=12, anchor="middle", fill=MUTED))
    out.append(_t(16, top + plot_h / 2, y_axis, size=12, anchor="middle", fill=MUTED,
                  extra=f' transform="rotate(-90 16 {top + plot_h / 2:.1f})"'))
    out.append("</svg>")
    return "".join(out)


def line_chart(uid: str, labels: list[str], series: list[tuple[str, list[float | None]]], *, title: str, desc: str,
               y_axis: str, x_axis: str, width: int = 900, height: int = 300) -> str:
    """Lines of percentages over periods; each series has its own dash and marker shape (grayscale-safe).

    A period whose value is not shown has no point (the line breaks there); the legend says so.
    """
    styles = [(INK, "", "circle"), (WEAK, "7 4", "square"), (BAR, "2 3", "triangle")]
    left, right, top, bottom = 70, 20, 20, 90
    plot_w, plot_h = width - left - right, height - top - bottom
    values_all = [v for _, vals in series for v in vals if v is not None]
    peak = max(values_all + [0.0])
    scale = next((s for s in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0) if peak <= s), 1.0)
    out = [_open(uid, width, height, title, desc)]
    for k in range(5):
        y = top + plot_h - plot_h * k / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(_t(left - 8, y + 4, _tick(scale * k / 4), size=12, anchor="end", fill=MUTED))
    n = max(len(labels), 1)
    slot = plot_w / n
    xs = [left + slot * (i + 0.5) for i in range(n)]
    every = max(1, -(-n // 12))
    for i, label in enumerate(labels):
        if i % every == 0:
            out.append(_t(xs[i], top + plot_h + 18, label, size=12, anchor="middle", fill=MUTED))
    out.append(_t(left + plot_w / 2, top + plot_h + 40, x_axis, size=12, anchor="middle", fill=MUTED))
    out.append(_t(18, top + plot_h / 2, y_axis, size=12, anchor="middle", fill=MUTED,
                  extra=f' transform="rotate(-90 18 {top + plot_h / 2:.1f})"'))
    missing = False
    for (_name, values), (color, dash, shape) in zip(series, styles, strict=False):
        run: list[str] = []
        for i, v in enumerate(values + [None]):
            if v is None:
                if i < len(values):
                    missing = True
                if len(run) > 1:
                    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                    out.append(f'<polyline fill="none" stroke="{color}" stroke-width="2.5"{dash_attr} points="{" ".join(run)}"/>')
                run = []
                continue
            y = top + plot_h - plot_h * v / scale
            run.append(f"{xs[i]:.1f},{y:.1f}")
            out.append(_marker(shape, xs[i], y, color))
    lx, ly = left, height - 26
    for (name, _values), (color, dash, shape) in zip(series, styles, strict=False):
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 34}" y2="{ly}" stroke="{color}" stroke-width="2.5"{dash_attr}/>')
        out.append(_marker(shape, lx + 17, ly, color))
        out.append(_t(lx + 42, ly + 4, name, size=12))
        lx += 60 + 7 * len(name)
    if missing:
        out.append(_t(left, height - 6, _("A gap: too few cases in that period for a rate."), size=12, fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def _marker(shape: str, x: float, y: float, color: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{color}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}" fill="{color}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{color}"/>'


def band_bars(uid: str, rows: list[tuple[str, dict[str, int], str]], *, title: str, desc: str, width: int = 900,
              label_width: int = 250) -> str:
    """Per timing, one 100 % bar split into earlier than / within / later than the guide's target."""
    top, row_h, bottom = 16, 44, 46
    bar_x = label_width + 14
    bar_w = width - bar_x - 20
    height = top + row_h * len(rows) + bottom
    fills = {"early": f"url(#{uid}-early)", "within": WITHIN, "late": f"url(#{uid}-late)"}
    out = [_open(uid, width, height, title, desc)]
    for i, (label, bands, n_text) in enumerate(rows):
        y = top + i * row_h
        out.append(_t(label_width, y + 15, label, anchor="end", weight="600"))
        out.append(_t(label_width, y + 31, n_text, size=12, anchor="end", fill=MUTED))
        total = sum(bands.values())
        if not total:
            out.append(_t(bar_x, y + 20, _("no case with both events"), size=12, fill=MUTED))
            continue
        x: float = bar_x
        for band in ("early", "within", "late"):
            w = bar_w * bands.get(band, 0) / total
            if w <= 0:
                continue
            out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="24" fill="{fills[band]}" stroke="#fff"/>')
            if w > 44:
                share = format_percent(bands[band] / total)
                color = "#fff" if band == "within" else INK
                if band == "late":  # white stripes: the share goes on a solid label box
                    out.append(f'<rect x="{x + w / 2 - 22:.1f}" y="{y + 8}" width="44" height="16" fill="#fff"/>')
                out.append(_t(x + w / 2, y + 21, share, size=12, anchor="middle", fill=color, weight="600"))
            x += w
    ly = height - 30
    lx = bar_x
    for band, words in (("early", _("earlier than the target")), ("within", _("within the target")),
                        ("late", _("later than the target"))):
        out.append(f'<rect x="{lx}" y="{ly}" width="22" height="14" fill="{fills[band]}" stroke="{INK}" stroke-width="0.5"/>')
        out.append(_t(lx + 28, ly + 12, words, size=12))
        lx += 60 + 7 * len(words)
    out.append("</svg>")
    return "".join(out)
