"""The hazard map page, built with folium and only locally served assets."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import folium
from branca.element import Figure, MacroElement
from folium.plugins import VectorGridProtobuf
from folium.template import Template

from app.dashboard.assets import CSS, JS, VECTORGRID_JS
from app.dashboard.symbology import LEGEND_HTML, hazard_style_js
from gis.demo import load_hromadas

UKRAINE_BOUNDS = (22.1, 44.3, 40.2, 52.4)
TILE_URL = "/tiles/hazardous-areas/{z}/{x}/{y}.mvt"


def build_hazard_map(
    *,
    total: int,
    bounds: tuple[float, float, float, float] | None,
    basemap_url: str | None,
    basemap_attribution: str = "",
) -> folium.Map:
    """Hazardous areas as vector tiles coloured per IMAS symbology, with settlements for context."""
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=False, zoom_snap=0.5)
    fmap.default_js = list(JS)
    fmap.default_css = list(CSS)
    if basemap_url:
        folium.TileLayer(basemap_url, attr=basemap_attribution or "base map", name="Base map").add_to(fmap)
    _settlements().add_to(fmap)
    # Its own pane, so hazards stack predictably and the page (and bench/dashboard) can find them.
    folium.map.CustomPane("hazards", z_index=410).add_to(fmap)
    # SVG tiles: VectorGrid's canvas renderer loses clicks with Leaflet >= 1.8 (VectorGrid issue #274).
    options = f"""{{
        rendererFactory: L.svg.tile, interactive: true, maxNativeZoom: 16, pane: 'hazards',
        getFeatureId: function (f) {{ return f.properties.id; }},
        vectorTileLayerStyles: {{hazardous_areas: {hazard_style_js()}}}
    }}"""
    hazards = VectorGridProtobuf(TILE_URL, "Hazardous areas", options)
    hazards.default_js = list(VECTORGRID_JS)
    hazards.add_to(fmap)
    _TilePopup(hazards.get_name(), fmap.get_name()).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.html.add_child(folium.Element(LEGEND_HTML.format(total=total)))
    west, south, east, north = bounds or UKRAINE_BOUNDS
    fmap.fit_bounds([[south, west], [north, east]])
    return fmap


class _TilePopup(MacroElement):
    """Clicking an area in the tiles opens its key attributes and a link to its timeline."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.layer }}.on('click', function (e) {
            var p = e.layer.properties;
            var text = '<strong>' + (p.name || ('Area ' + p.id)) + '</strong><br>' + p.classification + ', ' +
                p.status.replace('_', ' ') + '<br>' + Number(p.remaining_area_m2).toLocaleString() +
                ' m² remaining<br>' + (p.contamination || '') +
                '<br><a href="/api/v1/hazardous-areas/' + p.id + '/timeline">timeline</a>';
            L.popup().setLatLng(e.latlng).setContent(text).openOn({{ this.map }});
        });
        {% endmacro %}"""
    )

    def __init__(self, layer: str, map_name: str) -> None:
        super().__init__()
        self.layer = layer
        self.map = map_name


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
