"""Vendored front-end assets (npm, pinned in package.json) and where the pages find them."""

from __future__ import annotations

from pathlib import Path

VENDOR_DIR = Path(__file__).parent / "node_modules"
VENDOR_URL = "/static/vendor"

# folium's asset lists are class attributes shared by every map: pages set these per instance.
JS = [("leaflet", f"{VENDOR_URL}/leaflet/dist/leaflet.js")]
CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet/dist/leaflet.css")]
VECTORGRID_JS = [("vectorgrid", f"{VENDOR_URL}/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js")]
MARKERCLUSTER_JS = [("markercluster", f"{VENDOR_URL}/leaflet.markercluster/dist/leaflet.markercluster.js")]
MARKERCLUSTER_CSS = [
    ("markercluster_css", f"{VENDOR_URL}/leaflet.markercluster/dist/MarkerCluster.css"),
    ("markercluster_default_css", f"{VENDOR_URL}/leaflet.markercluster/dist/MarkerCluster.Default.css"),
]
# The dashboard's own script and style, next to this module.
APP_STATIC_DIR = Path(__file__).parent / "static"
APP_STATIC_URL = "/static/app"
DASHBOARD_JS = [("dashboard", f"{APP_STATIC_URL}/dashboard.js")]
DASHBOARD_CSS = [("dashboard_css", f"{APP_STATIC_URL}/dashboard.css")]
# The offline base map (docs/base-map.md).
BASEMAP_JS = [("basemap", f"{APP_STATIC_URL}/basemap.js")]
BASEMAP_CSS = [("basemap_css", f"{APP_STATIC_URL}/basemap.css")]
# Tasking from the map (roles that task or report progress): Geoman draws the part of an area tasked.
GEOMAN_JS = [("geoman", f"{VENDOR_URL}/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.min.js")]
GEOMAN_CSS = [("geoman_css", f"{VENDOR_URL}/@geoman-io/leaflet-geoman-free/dist/leaflet-geoman.css")]
TASKING_JS = [("tasking", f"{APP_STATIC_URL}/tasking.js")]
# Phones and keyboards: map/list tabs, the details card's focus trap (docs/accessibility.md).
LAYOUT_JS = [("layout", f"{APP_STATIC_URL}/layout.js")]
SWAGGER_JS = f"{VENDOR_URL}/swagger-ui-dist/swagger-ui-bundle.js"
SWAGGER_CSS = f"{VENDOR_URL}/swagger-ui-dist/swagger-ui.css"
SWAGGER_FAVICON = f"{VENDOR_URL}/swagger-ui-dist/favicon-32x32.png"


def require_vendor_assets() -> None:
    """Fail at start-up, with the fix, rather than serve a map page that cannot load."""
    vendored = JS + CSS + VECTORGRID_JS + MARKERCLUSTER_JS + MARKERCLUSTER_CSS + GEOMAN_JS + GEOMAN_CSS
    urls = [url for _, url in vendored] + [SWAGGER_JS, SWAGGER_CSS, SWAGGER_FAVICON]
    missing = [url for url in urls if not (VENDOR_DIR / url.removeprefix(VENDOR_URL + "/")).is_file()]
    if missing:
        raise RuntimeError(
            f"vendored assets missing ({', '.join(missing)}): "
            "run `npm ci --ignore-scripts --prefix app/dashboard` (scripts/setup.sh does)"
        )
