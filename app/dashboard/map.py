"""The dashboard page: a folium map of vector-tile layers, with the list, filters and figures around it.

The page is server-rendered; app/dashboard/static/dashboard.js (small, local) wires the filters,
the ranked list, the details panel and the headline figures to the JSON API and the tile URLs.
Pages are built once per set of inputs and kept; who is looking (name, role, CSRF token) is added
to the kept page on each request (app/dashboard/user.py), never built into it. The pieces every
map page shares (`new_map`, `tile_layer`, `release_style`, `oblast_labels`, `finish`) serve the
donor's page too (app/dashboard/donor_view.py).
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.plugins import VectorGridProtobuf
from folium.template import Template

from app.dashboard.assets import (
    CSS,
    DASHBOARD_CSS,
    DASHBOARD_JS,
    JS,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_JS,
    VECTORGRID_JS,
)
from app.dashboard.symbology import CONTEXT_POINT, CONTEXT_STYLE, hazard_style_js, legend_html, palette
from app.dashboard.user import HEAD_SLOT, USER_SLOT
from app.i18n import DEFAULT_LANGUAGE, browser_strings
from gis.priorities import CRITERION_NAMES
from gis.reference import load_hromadas

UKRAINE_BOUNDS = (22.1, 44.3, 40.2, 52.4)
TILES = "/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt"
ACTIVE_TASKS = "status=assigned,in_progress,suspended"
# Stacking order of the data panes, bottom to top (Leaflet's overlay pane is 400).
PANES = {"context": 380, "hazards": 410, "released": 420, "tasks": 430}
# Released land, tasks and infrastructure are specks below this zoom: their tiles wait for it.
DETAIL_ZOOM = 9


def build_dashboard(
    *,
    bounds: tuple[float, float, float, float] | None,
    basemap_url: str | None,
    basemap_attribution: str = "",
    choices: dict[str, list[Any]],
    accidents: bool = True,
    figures: bool = True,
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The whole dashboard page as HTML, every asset served by this app.

    `accidents` adds the accidents layer and `figures` the headline figures (for the roles that may
    read them). Folium takes a tenth of a second or more to build it, so pages are kept by their
    inputs: the same extent, settings, filter choices and parts give the same page.
    """
    key = json.dumps([bounds, basemap_url, basemap_attribution, choices, accidents, figures, language], default=str)
    return _page(key)


@lru_cache(maxsize=8)
def _page(key: str) -> str:
    bounds, basemap_url, basemap_attribution, choices, accidents, figures, language = json.loads(key)
    fmap = new_map(bounds, basemap_url, basemap_attribution, panes=PANES)
    return _build(fmap, choices=choices, accidents=accidents, figures=figures, language=language)


def new_map(
    bounds: list[float] | None,
    basemap_url: str | None,
    basemap_attribution: str,
    *,
    panes: dict[str, int],
    fit_max_zoom: int | None = None,
) -> folium.Map:
    """An empty map with this app's assets, the base map if one is set, the view fitted to `bounds` and the panes."""
    # Canvas for the plain vector layers (1,469 settlement dots are slow as SVG); the tile layers draw
    # SVG on their own (see tile_layer), so clicks on areas keep working.
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=True, zoom_snap=0.5)
    fmap.options["max_zoom"] = 18  # folium gives max_zoom to its own base layer only; clustering needs the map's
    fmap.default_js = list(JS + MARKERCLUSTER_JS + VECTORGRID_JS + DASHBOARD_JS)
    fmap.default_css = list(CSS + MARKERCLUSTER_CSS + DASHBOARD_CSS)
    if basemap_url:
        folium.TileLayer(basemap_url, attr=basemap_attribution or "base map", name="Base map").add_to(fmap)
    # Fit first: layers added before the view is set would fetch a round of world-zoom tiles.
    west, south, east, north = bounds or UKRAINE_BOUNDS
    fmap.fit_bounds([[south, west], [north, east]], max_zoom=fit_max_zoom)
    for pane, z_index in panes.items():
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=True).add_to(fmap)
    return fmap


def _build(fmap: folium.Map, *, choices: dict[str, list[Any]], accidents: bool, figures: bool, language: str) -> str:
    # Hazards first: their tile requests then leave before the page builds its other layers.
    layers = {
        "context": tile_layer(
            "context",
            "Infrastructure and land use (from zoom 9)",
            _context_styles(),
            pane="context",
            min_zoom=DETAIL_ZOOM,
        ),
        "hazards": tile_layer(
            "hazardous-areas", "Hazardous areas", {"hazardous_areas": hazard_style_js()}, pane="hazards"
        ),
        "released": tile_layer(
            "releases",
            "Released land (from zoom 9)",
            {"releases": release_style()},
            pane="released",
            min_zoom=DETAIL_ZOOM,
        ),
        "tasks": tile_layer(
            "tasks",
            "Active tasks by operator (from zoom 9)",
            {"tasks": _task_style()},
            pane="tasks",
            query=ACTIVE_TASKS,
            min_zoom=DETAIL_ZOOM,
        ),
    }
    for key in ("hazards", "released", "tasks", "context"):
        layers[key].add_to(fmap)
    oblast_labels().add_to(fmap)
    config = {
        "view": "coordination",
        "palette": palette(),
        "criteria": list(CRITERION_NAMES),
        "tiles": TILES.format(layer="hazardous-areas"),
        "accidents": accidents,
        "figures": figures,
        "language": language,
        "strings": browser_strings(language),  # dashboard.js: dash.t("English text")
    }
    body = [_sidebar(choices, figures=figures), legend_html(choices.get("operators", []))]
    return finish(fmap, layers, title="Mine action dashboard", body=body, config=config, language=language)


def finish(
    fmap: folium.Map,
    layers: dict[str, Any],
    *,
    title: str,
    body: list[str],
    config: dict[str, Any],
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The page: a layer control, the map and its layers handed to dashboard.js, the panels and the config."""
    control = folium.LayerControl(collapsed=True, position="topright")
    control.add_to(fmap)
    _Bindings(fmap.get_name(), control.get_name(), {k: v.get_name() for k, v in layers.items()}).add_to(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(Element('<meta name="viewport" content="width=device-width, initial-scale=1">'))
    figure.header.add_child(Element(HEAD_SLOT))  # the session's CSRF token goes here (app/dashboard/user.py)
    figure.title = title
    for html in body:
        figure.html.add_child(Element(html))
    figure.html.add_child(
        Element(f'<script id="mais-config" type="application/json">{_json_for_script(config)}</script>')
    )
    # The page declares its language (screen readers, hyphenation, the browser's translate offer).
    return figure.render().replace("<html>", f'<html lang="{escape(language)}">', 1)


def tile_layer(
    layer: str, name: str, styles: dict[str, str], *, pane: str, show: bool = True, query: str = "", min_zoom: int = 0
) -> VectorGridProtobuf:
    """A vector-tile layer drawn as SVG: VectorGrid's canvas renderer loses clicks with Leaflet ≥ 1.8 (issue #274)."""
    style = ", ".join(f"{json.dumps(k)}: {v}" for k, v in styles.items())
    options = f"""{{
        rendererFactory: L.svg.tile, interactive: true, maxNativeZoom: 16, minZoom: {min_zoom},
        pane: {json.dumps(pane)},
        getFeatureId: function (f) {{ return f.properties.id; }},
        vectorTileLayerStyles: {{{style}}}
    }}"""
    url = TILES.format(layer=layer) + (f"?{query}" if query else "")
    tiles = VectorGridProtobuf(url, name, options, show=show)
    tiles.default_js = []  # the page loads VectorGrid once, from this app
    return tiles


def release_style() -> str:
    """Released land by kind; land too small to see at the tile's zoom comes as a dot (see the releases tiles)."""
    return """function (p) {
        var colour = window.maisDashboard.palette.releaseKinds[p.kind];
        return {fill: true, fillColor: colour, fillOpacity: p.dot ? 0.9 : 0.75, color: p.dot ? '#1f1f1f' : colour,
                weight: 1, radius: 4};
    }"""


def _task_style() -> str:
    return """function (p) {
        var colours = window.maisDashboard.palette.organisations;
        return {fill: false, color: colours[p.organisation_id % colours.length], weight: 2.5, dashArray: '5 3'};
    }"""


def _context_styles() -> dict[str, str]:
    """Lines and polygons by layer (roads, line of contact, farmland); every point layer as a small dot."""
    return {
        "context": f"""function (p, z) {{
            var styles = {json.dumps(CONTEXT_STYLE)};
            return styles[p.layer] || {json.dumps(CONTEXT_POINT)};
        }}"""
    }


class _Bindings(MacroElement):
    """Hands the map, its layer control and its tile layers to dashboard.js."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.maisMap = {{ this.map }};
        window.maisControl = {{ this.control }};
        window.maisLayers = { {% for key, name in this.layers.items() %}{{ key }}: {{ name }},{% endfor %} };
        {% endmacro %}"""
    )

    def __init__(self, map_name: str, control: str, layers: dict[str, str]) -> None:
        super().__init__()
        self.map = map_name
        self.control = control
        self.layers = layers


def _json_for_script(value: Any) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, str]]:
    """Oblast and hromada names by KATOTTG code, from the reference data (codes are the keys, names change)."""
    hromadas = load_hromadas()
    return {
        "oblasts": dict(zip(hromadas["oblast_code"], hromadas["oblast_name"], strict=True)),
        "hromadas": dict(zip(hromadas["hromada_code"], hromadas["hromada"], strict=True)),
    }


def _labelled(choices: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Admin codes with their names where the reference data knows them."""
    names = _names()
    # Names of the loaded admin units (any country) win over the shipped Ukrainian lists.
    loaded = {code: name for code, name in choices.get("admin_names", [])}
    labelled = dict(choices)
    labelled["oblasts"] = [
        [c, f"{loaded.get(c) or names['oblasts'].get(c, c)} ({c})"] for c in choices.get("oblasts", [])
    ]
    labelled["raions"] = [[c, loaded.get(c, c)] for c in choices.get("raions", [])]
    labelled["hromadas"] = [[c, loaded.get(c) or names["hromadas"].get(c, c)] for c in choices.get("hromadas", [])]
    return labelled


def _options(pairs: list[Any], *, any_label: str) -> str:
    items = [f'<option value="">{escape(any_label)}</option>']
    items += [f'<option value="{escape(str(value))}">{escape(str(label))}</option>' for value, label in pairs]
    return "".join(items)


# The headline figures (read.figures): dashboard.js fills them from /api/v1/dashboard/headline.
_HEADLINE = """<section id="headline" aria-label="Headline figures">
    <div class="figure"><span class="value" data-figure="suspected_remaining_m2">…</span>
      <span class="label">SHA remaining</span></div>
    <div class="figure"><span class="value" data-figure="confirmed_remaining_m2">…</span>
      <span class="label">CHA remaining</span></div>
    <div class="figure wide"><span class="value" data-figure="released_this_year_m2">…</span>
      <span class="label">released in <span data-figure="year"></span>: cancelled / reduced / cleared</span></div>
    <div class="figure"><span class="value" data-figure="active_tasks">…</span>
      <span class="label">active tasks</span></div>
    <div class="figure"><span class="value" data-figure="devices_destroyed">…</span>
      <span class="label">devices destroyed</span></div>
  </section>
"""


def _sidebar(choices: dict[str, list[Any]], *, figures: bool) -> str:
    """The panel beside the map: who is logged in, headline figures, filters, the ranked list; and the details card."""
    labelled = _labelled(choices)
    scenarios = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in choices.get("scenarios", []))
    contamination = _options(choices.get("contamination_types", []), any_label="any contamination")
    operators = _options(choices.get("operators", []), any_label="any operator")
    return f"""
<aside id="sidebar" aria-label="Dashboard">
  <header><h1>Mine action dashboard</h1><span id="status" role="status" class="muted"></span></header>
  {USER_SLOT}
  {_HEADLINE if figures else ""}
  <form id="filters" aria-label="Filters">
    <select name="oblast_code" aria-label="Oblast">{_options(labelled["oblasts"], any_label="all oblasts")}</select>
    <select name="raion_code" aria-label="Raion">{_options(labelled["raions"], any_label="all raions")}</select>
    <select name="hromada_code" aria-label="Hromada">{_options(labelled["hromadas"], any_label="all hromadas")}</select>
    <select name="classification" aria-label="Classification">
      <option value="">SHA and CHA</option><option value="SHA">SHA: suspected</option>
      <option value="CHA">CHA: confirmed</option></select>
    <select name="status" aria-label="Status">
      <option value="">any status</option><option value="open">open</option>
      <option value="worked_on">worked on</option><option value="closed">closed</option>
      <option value="handed_over">handed over</option></select>
    <select name="contamination_type" aria-label="Contamination type">{contamination}</select>
    <select name="organisation_id" aria-label="Operator">{operators}</select>
    <button type="reset">Clear filters</button>
    <label class="date">reported from <input type="date" name="reported_from"></label>
    <label class="date">to <input type="date" name="reported_to"></label>
  </form>
  <section id="ranking" aria-label="Priority list">
    <div class="ranking-head">
      <label>Scenario <select id="scenario" name="scenario">{scenarios}</select></label>
      <fieldset id="colour-by"><legend>Map colour</legend>
        <label><input type="radio" name="colour_by" value="imas" checked> IMAS</label>
        <label><input type="radio" name="colour_by" value="rank"> rank</label></fieldset>
    </div>
    <p id="ranking-count" class="muted"></p>
    <ol id="priority-list"></ol>
  </section>
</aside>
<section id="details" hidden aria-live="polite">
  <button type="button" id="details-close" aria-label="Close details">×</button>
  <div id="details-body"></div>
</section>
"""


@lru_cache(maxsize=1)
def _oblast_centres() -> list[tuple[str, float, float]]:
    """Each oblast's name at the mean of its hromada centres: a label anchor, not a boundary."""
    hromadas = load_hromadas()
    centres = hromadas.groupby("oblast_name")[["lat", "lon"]].mean()
    return [(name, row.lat, row.lon) for name, row in centres.iterrows()]


def oblast_labels() -> folium.FeatureGroup:
    """Oblast names as text on the map: orientation without a base map."""
    group = folium.FeatureGroup(name="Oblast names", control=True)
    for name, lat, lon in _oblast_centres():
        icon = folium.DivIcon(html=f'<span class="oblast-label">{escape(name)}</span>', icon_size=(0, 0))
        folium.Marker([lat, lon], icon=icon, interactive=False).add_to(group)
    return group
