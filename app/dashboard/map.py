"""The hazard map page, built with folium and only locally served assets."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import folium
from branca.element import Figure

from app.dashboard.assets import CSS, JS
from app.dashboard.symbology import LEGEND_HTML, hazard_style
from gis.demo import load_hromadas

UKRAINE_BOUNDS = (22.1, 44.3, 40.2, 52.4)


def build_hazard_map(
    hazards: dict[str, Any],
    *,
    total: int,
    bounds: tuple[float, float, float, float] | None,
    basemap_url: str | None,
    basemap_attribution: str = "",
) -> folium.Map:
    """A map of hazardous areas coloured per IMAS symbology, with settlements for context."""
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.5)
    fmap.default_js = list(JS)
    fmap.default_css = list(CSS)
    if basemap_url:
        folium.TileLayer(basemap_url, attr=basemap_attribution or "base map", name="Base map").add_to(fmap)
    _settlements().add_to(fmap)
    folium.GeoJson(
        hazards,
        name="Hazardous areas",
        style_function=hazard_style,
        highlight_function=lambda _: {"weight": 3, "fillOpacity": 0.6},
        tooltip=folium.GeoJsonTooltip(
            fields=["national_id", "name", "classification", "status", "contamination", "remaining_area_m2"],
            aliases=["National id", "Name", "Classification", "Status", "Contamination", "Remaining m²"],
            localize=True,
        ),
    ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    shown = len(hazards["features"])
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.html.add_child(folium.Element(LEGEND_HTML.format(shown=shown, total=total)))
    west, south, east, north = bounds or UKRAINE_BOUNDS
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


@lru_cache(maxsize=1)
def _settlement_features() -> dict[str, Any]:
    """Hromada centres as GeoJSON, read once per process."""
    hromadas = load_hromadas()
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(h.lon, 5), round(h.lat, 5)]},
            "properties": {"hromada": h.hromada, "population": int(h.population)},
        }
        for h in hromadas.itertuples()
    ]
    return {"type": "FeatureCollection", "features": features}


def _settlements() -> folium.GeoJson:
    """Hromada centres: with them the map reads without a base map."""
    return folium.GeoJson(
        _settlement_features(),
        name="Settlements (hromada centres)",
        marker=folium.CircleMarker(
            radius=2.5, color="#777777", weight=1, fill=True, fill_color="#ffffff", fill_opacity=1
        ),
        tooltip=folium.GeoJsonTooltip(fields=["hromada", "population"], aliases=["Hromada", "Population 2022"]),
    )
