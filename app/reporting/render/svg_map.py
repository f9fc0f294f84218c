"""The report's static map as SVG: remaining SHA/CHA and released land in IMAS colours (docs/mine-action.md §9).

Drawn from the data only (no tiles, no network): settlements give the reader their bearings.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from app.domain.symbology import CLASS_FILL, RELEASED
from app.reporting.render.svg_charts import FONT

COLOURS: dict[str, str] = {**{str(k): v for k, v in CLASS_FILL.items()}, "released": RELEASED}
SHADES = 4  # grid cells are drawn in four shades of m²
LABELS = {"SHA": "Remaining SHA", "CHA": "Remaining CHA", "released": "Released (cancelled, reduced, cleared)"}
GRID_NOTE = "Each square is the land of its main kind within it; darker squares hold more m²."


def draw(layers: dict[str, Any], title: str = "Released and remaining land") -> str:
    """The map as an SVG document; a note instead of a map when nothing is in scope."""
    w, h = layers["width"], layers["height"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 56}" viewBox="0 0 {w} {h + 56}">',
        f'<text x="0" y="14" font-size="12" font-weight="bold" {FONT}>{escape(title)}</text>',
        f'<g transform="translate(0 20)"><rect width="{w}" height="{h}" fill="#f7f7f4" stroke="#999"/>',
    ]
    if layers["metres_per_px"] is None:
        parts.append(f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle" {FONT}>No land in scope</text></g></svg>')
        return "".join(parts)
    for town in layers["settlements"]:
        parts.append(f'<circle cx="{town["x"]:.1f}" cy="{town["y"]:.1f}" r="1.6" fill="#555"/>')
    if layers["mode"] == "polygons":
        for name, opacity in (("SHA", 0.55), ("CHA", 0.55), ("released", 0.8)):
            parts.append(_polygons(layers["polygons"][name], COLOURS[name], opacity))
    else:
        parts.append(_grid(layers["cells"], layers["cell"]))
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
    if layers["mode"] == "grid":
        parts.append(f'<text x="0" y="{h + 52}" font-size="9" fill="#555" {FONT}>{GRID_NOTE}</text>')
    return "".join(parts) + "</svg>"


def _polygons(paths: list[str], colour: str, opacity: float) -> str:
    """A layer as one SVG path: WeasyPrint's time grows with elements, not vertices."""
    # Even-odd keeps holes open whatever the ring orientation PostGIS wrote.
    return (
        f'<path d="{" ".join(paths)}" fill="{colour}" fill-rule="evenodd" fill-opacity="{opacity}" '
        f'stroke="{colour}" stroke-width="0.6"/>'
    )


def _grid(cells: list[tuple[float, float, str, float]], size: int) -> str:
    """Cells in the colour of their main layer, darker with more m²; one path per colour and shade."""
    heaviest = max((m2 for *_, m2 in cells), default=1) or 1
    paths: dict[tuple[str, int], list[str]] = {}
    for x, y, layer, m2 in cells:
        shade = min(int((m2 / heaviest) ** 0.5 * SHADES), SHADES - 1)
        paths.setdefault((layer, shade), []).append(f"M{x:.0f} {y:.0f}h{size}v{size}h-{size}z")
    return "".join(
        f'<path d="{"".join(d)}" fill="{COLOURS[layer]}" fill-opacity="{0.35 + 0.65 * (shade + 1) / SHADES:.2f}"/>'
        for (layer, shade), d in sorted(paths.items())
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
