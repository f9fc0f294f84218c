"""The report's static map as SVG: remaining SHA/CHA and released land in IMAS colours (docs/mine-action.md §9).

Drawn from the data only (no tiles, no network): oblast (and, on a small map, raion) boundaries from the
admin-unit table, their names and the settlements give the reader their bearings; a legend names every symbol.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from app.domain.symbology import CLASS_FILL, RELEASED
from app.i18n import translator
from app.reporting.render import text
from app.reporting.render.svg_charts import FONT

COLOURS: dict[str, str] = {**{str(k): v for k, v in CLASS_FILL.items()}, "released": RELEASED}
SHADES = 4  # grid cells are drawn in four shades of m²
LABELS = {"SHA": "Remaining SHA", "CHA": "Remaining CHA", "released": "Released (cancelled, reduced, cleared)"}
GRID_NOTE = "Each square is the land of its main kind within it; darker squares hold more m²."
BOUNDARY = {1: ("#555", 1.1, ""), 2: ("#999", 0.5, ' stroke-dasharray="3 2"')}  # oblast, raion: colour, width, dash
LEGEND_ROW = 16


def draw(layers: dict[str, Any], title: str = "Released and remaining land", language: str = "en") -> str:
    """The map as SVG, with boundaries, settlements, a scale and a legend; a note when nothing is in scope."""
    _ = translator(language)
    w, h = layers["width"], layers["height"]
    legend = _legend(layers, language)
    legend_h = LEGEND_ROW * len(legend) + (16 if layers["mode"] == "grid" else 0) + 8
    total_h = h + 26 + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{total_h}" viewBox="0 0 {w} {total_h}">',
        f'<text x="0" y="14" font-size="12" font-weight="bold" {FONT}>{escape(_(title))}</text>',
        f'<g transform="translate(0 20)"><rect width="{w}" height="{h}" fill="#f7f7f4" stroke="#999"/>',
    ]
    if layers["metres_per_px"] is None:
        parts.append(
            f'<text x="{w / 2}" y="{h / 2}" text-anchor="middle" {FONT}>{escape(_("No land in scope"))}</text>'
            "</g></svg>"
        )
        return "".join(parts)
    parts.append(f'<clipPath id="frame"><rect width="{w}" height="{h}"/></clipPath><g clip-path="url(#frame)">')
    boundaries = layers.get("boundaries", [])
    for level in (2, 1):
        paths = [b["path"] for b in boundaries if b["level"] == level]
        if paths:
            colour, width, dash = BOUNDARY[level]
            parts.append(f'<path d="{" ".join(paths)}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>')
    for town in layers["settlements"]:
        parts.append(f'<circle cx="{town["x"]:.1f}" cy="{town["y"]:.1f}" r="1.6" fill="#555"/>')
    if layers["mode"] == "polygons":
        for name, opacity in (("SHA", 0.55), ("CHA", 0.55), ("released", 0.8)):
            parts.append(_polygons(layers["polygons"][name], COLOURS[name], opacity))
        for name in ("SHA", "CHA", "released"):
            parts.extend(
                f'<circle cx="{x}" cy="{y}" r="2.8" fill="{COLOURS[name]}" stroke="#fff" stroke-width="0.5"/>'
                for x, y in layers.get("markers", {}).get(name, [])
            )
    else:
        parts.append(_grid(layers["cells"], layers["cell"]))
    for b in boundaries:
        if b["level"] == 1 and 8 < b["x"] < w - 8 and 8 < b["y"] < h - 8:
            parts.append(
                f'<text x="{b["x"]:.1f}" y="{b["y"]:.1f}" font-size="10" fill="#444" text-anchor="middle" '
                f'font-style="italic" {FONT}>{escape(text.boundary_name(b, language))}</text>'
            )
    for town in layers["settlements"][:8]:
        parts.append(
            f'<text x="{town["x"] + 4:.1f}" y="{town["y"] - 3:.1f}" font-size="9" fill="#333" {FONT}>'
            f"{escape(text.settlement(town['name'], language))}</text>"
        )
    parts.append("</g>")
    parts.append(_scale_bar(layers["metres_per_px"], 12, h - 14, _("km"), _("m")))
    parts.append("</g>")
    y = h + 30
    for symbol, label in legend:
        parts.append(
            f'<g transform="translate(0 {y})">{symbol}'
            f'<text x="22" y="9" font-size="10" {FONT}>{escape(label)}</text></g>'
        )
        y += LEGEND_ROW
    if layers["mode"] == "grid":
        parts.append(f'<text x="0" y="{y + 8}" font-size="9" fill="#555" {FONT}>{escape(_(GRID_NOTE))}</text>')
    return "".join(parts) + "</svg>"


def _legend(layers: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """(SVG symbol 18 × 10 px, label) for each thing the map shows."""
    _ = translator(language)
    rows = [
        (f'<rect width="18" height="10" fill="{COLOURS[key]}" fill-opacity="0.8"/>', _(LABELS[key]))
        for key in ("released", "SHA", "CHA")
    ]
    levels = {b["level"] for b in layers.get("boundaries", [])}
    for level, label in ((1, "Oblast boundary"), (2, "Raion boundary")):
        if level in levels:
            colour, width, dash = BOUNDARY[level]
            rows.append((f'<path d="M0 5 H18" stroke="{colour}" stroke-width="{width}"{dash}/>', _(label)))
    if any(layers.get("markers", {}).values()):
        rows.append(('<circle cx="9" cy="5" r="2.8" fill="#777"/>', _("Land too small to see at this scale")))
    if layers["settlements"]:
        rows.append(('<circle cx="9" cy="5" r="2" fill="#555"/>', _("Settlement")))
    return rows


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


def _scale_bar(metres_per_px: float, x: float, y: float, km: str = "km", m: str = "m") -> str:
    """A bar of a round length between 60 and 150 pixels."""
    for metres in (10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000):
        if metres / metres_per_px >= 60:
            break
    px = metres / metres_per_px
    label = f"{metres // 1000:,} {km}" if metres >= 1000 else f"{metres} {m}"
    return (
        f'<rect x="{x}" y="{y}" width="{px:.1f}" height="4" fill="#222"/>'
        f'<text x="{x}" y="{y - 3}" font-size="9" {FONT}>{label}</text>'
    )
