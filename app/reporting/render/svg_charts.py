"""Charts as inline SVG, drawn from the report's numbers: the PDF needs no JavaScript or network."""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

FONT = 'font-family="DejaVu Sans, sans-serif"'


def nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 2.5 or 5 times a power of ten).

    >>> nice_max(740_000), nice_max(3), nice_max(0)
    (1000000.0, 5.0, 1.0)
    """
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return float(next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value))


def short(value: float) -> str:
    """An axis label: 1.5M, 250k, 40.

    >>> short(1_500_000), short(250_000), short(40)
    ('1.5M', '250k', '40')
    """
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{suffix}"
    return f"{value:.3g}"


def stacked_columns(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], str]],
    *,
    title: str,
    y_title: str = "",
    width: int = 680,
    height: int = 260,
) -> str:
    """Columns per category with the series (name, values, colour) stacked, a titled y axis and a legend."""
    left, right, top, bottom = 60, 10, 30, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for _, values, _ in series) for i in range(len(categories))]
    top_value = nice_max(max(totals, default=0))
    parts = [_frame(width, height, title)]
    parts += _y_axis(left, top, plot_w, plot_h, top_value)
    if y_title:
        parts.append(
            f'<text transform="translate(12 {top + plot_h / 2:.1f}) rotate(-90)" font-size="9" text-anchor="middle" '
            f"{FONT}>{escape(y_title)}</text>"
        )
    slot = plot_w / max(len(categories), 1)
    bar = min(slot * 0.7, 48)
    every = math.ceil(len(categories) / 12)  # at most a dozen labels, so that they never overlap
    for i, category in enumerate(categories):
        x = left + i * slot + (slot - bar) / 2
        base = float(top + plot_h)
        for _, values, colour in series:
            h = plot_h * values[i] / top_value
            if h > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" fill="{colour}"/>'
                )
            base -= h
        if i % every:
            continue
        label_x = left + i * slot + slot / 2
        parts.append(
            f'<text x="{label_x:.1f}" y="{top + plot_h + 14}" font-size="9" text-anchor="middle" {FONT}>'
            f"{escape(category)}</text>"
        )
    parts += _legend([(name, colour) for name, _, colour in series], left, height - 12)
    return "".join(parts) + "</svg>"


def horizontal_bars(
    labels: Sequence[str], values: Sequence[float], *, title: str, colour: str = "#6a51a3", width: int = 680
) -> str:
    """One bar per label, longest first as given, with its value at the end."""
    left, right, top, row = 230, 60, 30, 22
    height = top + row * max(len(labels), 1) + 10
    plot_w = width - left - right
    top_value = max(values, default=0) or 1
    parts = [_frame(width, height, title)]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        w = plot_w * value / top_value
        parts.append(
            f'<text x="{left - 6}" y="{y + 14}" font-size="10" text-anchor="end" {FONT}>{escape(_clip(label))}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{row - 7}" fill="{colour}"/>'
            f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="10" {FONT}>{value:,.0f}</text>'
        )
    return "".join(parts) + "</svg>"


def _clip(label: str, size: int = 38) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def _frame(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<text x="0" y="16" font-size="12" font-weight="bold" {FONT}>{escape(title)}</text>'
    )


def _y_axis(left: int, top: int, plot_w: int, plot_h: int, top_value: float) -> list[str]:
    parts = []
    for k in range(5):
        value = top_value * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" {FONT}>{short(value)}</text>'
        )
    return parts


def _legend(items: list[tuple[str, str]], x: int, y: int) -> list[str]:
    parts = []
    for name, colour in items:
        parts.append(
            f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{y + 1}" font-size="10" {FONT}>{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return parts
