"""The climograph: monthly rainfall as bars, mean Tmax and Tmin as lines.

Pages draw it with Chart.js from `climograph_data()` (json_script); the PDF data sheet has no
JavaScript, so `climograph_svg()` draws the same chart as inline SVG on the server.
"""
import math

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from apps.baselines.models import month_names

RAIN, TMAX, TMIN = "#4a90c2", "#c8432b", "#2b6cb0"


def climograph_data(normals, lang=None):
    """The series by month (None where a month has no normal) and the labels, for Chart.js."""
    by_month = {n.month: n for n in normals}

    def series(name):
        return [float(getattr(by_month[m], name)) if m in by_month else None
                for m in range(1, 13)]

    return {
        "months": month_names(lang),
        "rain": series("rainfall"), "tmax": series("tmax"), "tmin": series("tmin"),
        "labels": {"rain": _("Rainfall (mm)"), "tmax": _("Mean Tmax (°C)"),
                   "tmin": _("Mean Tmin (°C)")},
    }


def _nice_top(value, step):
    return max(step, math.ceil(value / step) * step)


def climograph_svg(normals, width=640, height=260, lang=None):
    """Inline SVG of the climograph, or "" without normals. Left axis: rainfall (mm);
    right axis: temperature (°C)."""
    data = climograph_data(normals, lang)
    if all(v is None for v in data["rain"]):
        return ""
    left, right, top, bottom = 48, 44, 14, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    rain_top = _nice_top(max(v for v in data["rain"] if v is not None), 50)
    temps = [v for v in data["tmax"] + data["tmin"] if v is not None]
    t_low = math.floor(min(min(temps), 0) / 5) * 5
    t_high = _nice_top(max(temps), 5)
    slot = plot_w / 12

    def y_rain(value):
        return top + plot_h * (1 - value / rain_top)

    def y_temp(value):
        return top + plot_h * (1 - (value - t_low) / (t_high - t_low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" class="climograph" role="img" '
             f'aria-label="{escape(_("Climograph"))}" font-family="sans-serif" font-size="10">']
    for i in range(6):  # grid and both axes' ticks
        fraction = i / 5
        y = top + plot_h * (1 - fraction)
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd" stroke-width="0.6"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end" fill="#333">'
                     f'{round(rain_top * fraction)}</text>')
        temp = t_low + (t_high - t_low) * fraction
        parts.append(f'<text x="{left + plot_w + 4}" y="{y + 3:.1f}" fill="#333">'
                     f'{temp:g}</text>')
    for month, (label, rain) in enumerate(zip(data["months"], data["rain"])):
        x = left + slot * month
        if rain is not None:
            y = y_rain(rain)
            parts.append(f'<rect x="{x + slot * 0.15:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                         f'height="{top + plot_h - y:.1f}" fill="{RAIN}"/>')
        parts.append(f'<text x="{x + slot / 2:.1f}" y="{top + plot_h + 13}" text-anchor="middle" '
                     f'fill="#333">{escape(label)}</text>')
    for name, colour in (("tmax", TMAX), ("tmin", TMIN)):
        points = [(left + slot * (m + 0.5), y_temp(v)) for m, v in enumerate(data[name])
                  if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{colour}"/>'
                     for x, y in points)
    parts.append(f'<text x="12" y="{top + plot_h / 2:.1f}" transform="rotate(-90 12 '
                 f'{top + plot_h / 2:.1f})" text-anchor="middle" fill="#333">mm</text>')
    parts.append(f'<text x="{width - 6}" y="{top + plot_h / 2:.1f}" transform="rotate(90 '
                 f'{width - 6} {top + plot_h / 2:.1f})" text-anchor="middle" fill="#333">°C</text>')
    legend_y = height - 10
    x = left
    for key, colour in (("rain", RAIN), ("tmax", TMAX), ("tmin", TMIN)):
        label = escape(data["labels"][key])
        parts.append(f'<rect x="{x}" y="{legend_y - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="{legend_y + 1}" fill="#333">{label}</text>')
        x += 14 + 7 * len(data["labels"][key]) + 18
    parts.append("</svg>")
    # Labels went through escape(); the rest is numbers and our own colours.
    return mark_safe("".join(parts))  # nosec B308, B703
