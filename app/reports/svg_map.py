"""The report's static map as SVG: remaining SHA/CHA and released land in IMAS colours (domain.md §9).

Drawn from the data only (no tiles, no network): settlements give the reader their bearings.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from app.reports.svg_charts import FONT

COLOURS = {"SHA": "#F4A718", "CHA": "#FF0000", "released": "#2e7d32"}
SHADES = 4  # grid cells are drawn in four shades of m²
LABELS = {"SHA": "Remaining SHA", "CHA": "Remaining CHA", "released": "Released (cancelled, reduced, cleared)"}


def draw(layers: dict[str, Any], title: str = "Released and remaining land") -> str:
    """The map as an SVG document; a note instead of a map when nothing is in scope."""
    w, h = layers["width"], layers["height"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 40}" viewBox="0 0 {w} {h + 40}">',
        f'<text x="0" y="14" font-size="12" font-weight="bold" {FONT}>{escape(title)}</text>',
        f'<g transform="translate(0 20)"><rect width="{w}" height="{h}" fill="#f7f7f4" stroke="#999"/>',
    ]
    if layers["metres_per_px"] is None:
        parts.append(f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle" {FONT}>No land in scope</text></g></svg>')
        return "".join(parts)
    for town in layers["settlements"]:
        parts.append(f'<circle cx="{town["x"]:.1f}" cy="{town["y"]:.1f}" r="1.6" fill="#555"/>')
    for cls in ("SHA", "CHA"):
        parts.append(_layer(layers["remaining"][cls], COLOURS[cls], 0.55))
    parts.append(_layer(layers["released"], COLOURS["released"], 0.8))
    for town in layers["settlements"][:8]:
        parts.append(
            f'<text x="{town["x"] + 4:.1f}" y="{town["y"] - 3:.1f}" font-size="9" fill="#333" {FONT}>'
            f"{escape(town['name'])}</text>"
        )
    parts.append(_scale_bar(layers["metres_per_px"], 12, h - 14))
    parts.append("</g>")
    x = 0
    for key in ("released", "SHA", "CHA"):
        parts.append(
            f'<rect x="{x}" y="{h + 28}" width="10" height="10" fill="{COLOURS[key]}"/>'
            f'<text x="{x + 14}" y="{h + 37}" font-size="10" {FONT}>{LABELS[key]}</text>'
        )
        x += 30 + 6 * len(LABELS[key])
    return "".join(parts) + "</svg>"


def _layer(layer: dict[str, Any], colour: str, opacity: float) -> str:
    """One SVG path per layer (or per shade of a grid): WeasyPrint's time grows with elements, not vertices."""
    if layer["mode"] == "polygons":
        # Even-odd keeps holes open whatever the ring orientation PostGIS wrote.
        d = " ".join(layer["paths"])
        return (
            f'<path d="{d}" fill="{colour}" fill-rule="evenodd" fill-opacity="{opacity}" '
            f'stroke="{colour}" stroke-width="0.6"/>'
        )
    cells = layer["cells"]
    heaviest = max((m2 for _, _, m2 in cells), default=1) or 1
    size = layer["cell"]
    bands: dict[int, list[str]] = {}
    for x, y, m2 in cells:
        band = min(int((m2 / heaviest) ** 0.5 * SHADES), SHADES - 1)
        bands.setdefault(band, []).append(f"M{x:.0f} {y:.0f}h{size}v{size}h-{size}z")
    return "".join(
        f'<path d="{"".join(d)}" fill="{colour}" fill-opacity="{0.3 + 0.7 * (band + 1) / SHADES:.2f}"/>'
        for band, d in sorted(bands.items())
    )


def _scale_bar(metres_per_px: float, x: float, y: float) -> str:
    """A bar of a round length between 60 and 150 pixels."""
    for metres in (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000):
        if metres / metres_per_px >= 60:
            break
    px = metres / metres_per_px
    label = f"{metres // 1000:,} km" if metres >= 1000 else f"{metres} m"
    return (
        f'<rect x="{x}" y="{y}" width="{px:.1f}" height="4" fill="#222"/>'
        f'<text x="{x}" y="{y - 3}" font-size="9" {FONT}>{label}</text>'
    )
