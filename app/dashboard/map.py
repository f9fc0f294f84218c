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
import re
from functools import lru_cache
from html import escape
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.plugins import VectorGridProtobuf
from folium.template import Template

from app.dashboard.assets import (
    BASEMAP_CSS,
    BASEMAP_JS,
    CSS,
    DASHBOARD_CSS,
    DASHBOARD_JS,
    GEOMAN_CSS,
    GEOMAN_JS,
    JS,
    LAYOUT_JS,
    MARKERCLUSTER_CSS,
    MARKERCLUSTER_JS,
    TASKING_JS,
    VECTORGRID_JS,
)
from app.dashboard.symbology import CONTEXT_POINT, CONTEXT_STYLE, hazard_style_js, legend_html, palette
from app.dashboard.user import HEAD_SLOT, USER_SLOT
from app.domain.labels import vocabulary_labels
from app.i18n import DEFAULT_LANGUAGE, browser_strings, place_name, translator
from app.services.tasking.rights import tasking_rules
from gis.basemap import ATTRIBUTION as BASEMAP_ATTRIBUTION
from gis.priorities import CRITERION_NAMES
from gis.reference import load_hromadas

UKRAINE_BOUNDS = (22.1, 44.3, 40.2, 52.4)
TILES = "/tiles/{layer}/{{z}}/{{x}}/{{y}}.mvt"
ACTIVE_TASKS = "status=assigned,in_progress,suspended"
# Stacking order of the data panes, bottom to top (Leaflet's overlay pane is 400).
PANES = {"context": 380, "hazards": 410, "released": 420, "tasks": 430}
# Active task outlines from this zoom (an oblast in view): who works where shows before one zooms to 9.
TASK_ZOOM = 7
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
    tasking: bool = False,
) -> str:
    """The whole dashboard page as HTML, every asset served by this app.

    `accidents` adds the accidents layer and `figures` the headline figures (for the roles that may
    read them), `tasking` the tasking forms (tasking.js, docs/tasking.md). Folium takes a tenth of a
    second or more to build it, so pages are kept by their inputs: the same extent, settings, filter
    choices and parts give the same page.
    """
    key = json.dumps(
        [bounds, basemap_url, basemap_attribution, choices, accidents, figures, language, tasking], default=str
    )
    return _page(key)


@lru_cache(maxsize=8)
def _page(key: str) -> str:
    bounds, basemap_url, basemap_attribution, choices, accidents, figures, language, tasking = json.loads(key)
    fmap = new_map(bounds, basemap_url, basemap_attribution, panes=PANES)
    if tasking:
        fmap.default_js += GEOMAN_JS + TASKING_JS
        fmap.default_css += GEOMAN_CSS
    return _build(fmap, choices=choices, accidents=accidents, figures=figures, language=language, tasking=tasking)


def new_map(
    bounds: list[float] | None,
    basemap_url: str | None,
    basemap_attribution: str,
    *,
    panes: dict[str, int],
    fit_max_zoom: int | None = None,
) -> folium.Map:
    """An empty map with this app's assets, the view fitted to `bounds`, the base map and the panes.

    The offline base map (basemap.js, docs/base-map.md) is always drawn; with an external one
    (`basemap_url`) it keeps only its boundaries and names, above the external tiles.
    """
    # Canvas for the plain vector layers (1,469 settlement dots are slow as SVG); the tile layers draw
    # SVG on their own (see tile_layer), so clicks on areas keep working.
    fmap = folium.Map(tiles=None, control_scale=True, prefer_canvas=True, zoom_snap=0.5)
    fmap.options["max_zoom"] = 18  # folium gives max_zoom to its own base layer only; clustering needs the map's
    fmap.default_js = list(JS + MARKERCLUSTER_JS + VECTORGRID_JS + BASEMAP_JS + DASHBOARD_JS + LAYOUT_JS)
    fmap.default_css = list(CSS + MARKERCLUSTER_CSS + BASEMAP_CSS + DASHBOARD_CSS)
    if basemap_url:
        folium.TileLayer(basemap_url, attr=basemap_attribution or "base map", name="Base map").add_to(fmap)
    # Fit first: layers added before the view is set would fetch a round of world-zoom tiles.
    west, south, east, north = bounds or UKRAINE_BOUNDS
    fmap.fit_bounds([[south, west], [north, east]], max_zoom=fit_max_zoom)
    _Basemap(reference=not basemap_url).add_to(fmap)
    for pane, z_index in panes.items():
        folium.map.CustomPane(pane, z_index=z_index, pointer_events=True).add_to(fmap)
    return fmap


def _build(
    fmap: folium.Map, *, choices: dict[str, list[Any]], accidents: bool, figures: bool, language: str, tasking: bool
) -> str:
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
            "Active tasks by operator (from zoom 7)",
            {"tasks": _task_style()},
            pane="tasks",
            query=ACTIVE_TASKS,
            min_zoom=TASK_ZOOM,
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
        "tasking": tasking_rules() if tasking else None,  # tasking.js
        "strings": browser_strings(language),  # dashboard.js: dash.t("English text")
        "labels": vocabulary_labels(language),  # codes' labels: config.labels.area_status.worked_on
        "lookups": choices.get("lookups", {}),  # lookup lists' labels: config.lookups.contamination_type.ap_mine
    }
    sidebar = _sidebar(choices, figures=figures, accidents=accidents, language=language)
    body = [sidebar, legend_html(choices.get("operators", []), language=language)]
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
    figure.header.add_child(Element(f'<meta name="viewport" content="{VIEWPORT}">'))
    figure.header.add_child(Element(HEAD_SLOT))  # the session's CSRF token goes here (app/dashboard/user.py)
    figure.title = title
    figure.html.add_child(
        Element(f'<script id="mais-config" type="application/json">{_json_for_script(config)}</script>')
    )
    page = _zoomable(figure.render())
    # The page declares its language (screen readers, hyphenation, the browser's translate offer).
    page = page.replace("<html>", f'<html lang="{escape(language)}">', 1)
    return _in_landmarks(page, f'<div class="folium-map" id="{fmap.get_name()}" ></div>', body)


# Pinch-zoom stays allowed (WCAG 1.4.4): folium's own viewport meta forbids it, so only this one is kept.
VIEWPORT = "width=device-width, initial-scale=1"
_FOLIUM_VIEWPORT = re.compile(r"<meta name=\"viewport\"[^>]*user-scalable=no[^>]*>\s*")


def _zoomable(page: str) -> str:
    return _FOLIUM_VIEWPORT.sub("", page, count=1)


def _in_landmarks(page: str, map_div: str, body: list[str]) -> str:
    """Every panel inside a landmark (docs/accessibility.md): the <aside> beside <main>, the rest over the map in it.

    A complementary landmark may not sit inside main, so each panel's <aside> goes before <main>;
    what follows it (the details card) and the other panels (the legend) lie over the map and go
    into <main> with it, after the map in reading order.
    """
    beside, over = [], []
    for html in body:
        end = html.rfind("</aside>") + len("</aside>") if "</aside>" in html else 0
        beside.append(html[:end])
        over.append(html[end:])
    assert map_div in page, "folium's map element changed: see _in_landmarks"
    landmarks = f'{"".join(beside)}\n<main id="main">{map_div}{"".join(over)}</main>'
    return page.replace(map_div, landmarks, 1)


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


def _labelled(choices: dict[str, list[Any]], language: str) -> dict[str, list[Any]]:
    """Admin codes with their names in `language` (`admin_names`, else the shipped list): no code is shown."""
    names = _names()
    loaded = {code: name for code, name in choices.get("admin_names", [])}

    def named(code: str, shipped: dict[str, str]) -> str:
        return loaded.get(code) or place_name(shipped.get(code), None, language) or code

    labelled = dict(choices)
    labelled["oblasts"] = [[c, named(c, names["oblasts"])] for c in choices.get("oblasts", [])]
    labelled["raions"] = [[c, named(c, {})] for c in choices.get("raions", [])]
    labelled["hromadas"] = [[c, named(c, names["hromadas"])] for c in choices.get("hromadas", [])]
    return labelled


def _options(pairs: list[Any], *, any_label: str) -> str:
    items = [f'<option value="">{escape(any_label)}</option>']
    items += [f'<option value="{escape(str(value))}">{escape(str(label))}</option>' for value, label in pairs]
    return "".join(items)


def _headline(_: Any) -> str:
    """The headline figures (read.figures): dashboard.js fills them from /api/v1/dashboard/headline."""
    return f"""<section id="headline" aria-label="{_("Headline figures")}">
    <div class="figure"><span class="value" data-figure="suspected_remaining_m2">…</span>
      <span class="label">{_("SHA remaining")}</span></div>
    <div class="figure"><span class="value" data-figure="confirmed_remaining_m2">…</span>
      <span class="label">{_("CHA remaining")}</span></div>
    <div class="figure wide"><span class="value" data-figure="released_this_year_m2">…</span>
      <span class="label">{_("released in")} <span data-figure="year"></span>:
        {_("cancelled / reduced / cleared")}</span></div>
    <div class="figure"><span class="value" data-figure="active_tasks">…</span>
      <span class="label">{_("active tasks")}</span></div>
    <div class="figure"><span class="value" data-figure="devices_destroyed">…</span>
      <span class="label">{_("devices destroyed")}</span></div>
  </section>
"""


def _accident_filters(_: Any) -> str:
    """Accidents by date (the area filters apply to them too), each one a button (keyboard, screen readers)."""
    return f"""<details id="accidents-panel">
    <summary>{_("Accidents")} <span id="accident-count" class="muted"></span></summary>
    <form id="accident-dates" aria-label="{_("Accidents by date")}">
      <label class="date">{_("occurred from")} <input type="date" name="occurred_from"></label>
      <label class="date">{_("to")} <input type="date" name="occurred_to"></label>
      <button type="button" id="accidents-12-months">{_("last 12 months")}</button>
      <button type="button" id="accidents-any-date">{_("any date")}</button>
    </form>
    <ul id="accident-list" aria-label="{_("Accidents on the map")}"></ul>
  </details>"""


def _sidebar(choices: dict[str, list[Any]], *, figures: bool, accidents: bool = True, language: str = "en") -> str:
    """The panel beside the map: who is logged in, headline figures, filters, the ranked list; and the details card."""
    _ = translator(language)
    labelled = _labelled(choices, language)
    any_unit = {"oblasts": _("all oblasts"), "raions": _("all raions"), "hromadas": _("all hromadas")}
    admin = {key: _options(labelled[key], any_label=label) for key, label in any_unit.items()}
    scenarios = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in choices.get("scenarios", []))
    contamination = _options(choices.get("contamination_types", []), any_label=_("any contamination"))
    operators = _options(choices.get("operators", []), any_label=_("any operator"))
    statuses = [("open", _("open")), ("worked_on", _("worked on")), ("closed", _("closed"))]
    statuses.append(("handed_over", _("handed over")))
    status_options = "".join(f'<option value="{v}">{escape(t)}</option>' for v, t in statuses)
    return f"""
<aside id="sidebar" aria-label="{_("Dashboard")}">
  <header><h1>{_("Mine action dashboard")}</h1><span id="status" role="status" class="muted"></span>
    <a id="reports-link" href="/reports">{_("Donor reports")}</a></header>
  {USER_SLOT}
  {_headline(_) if figures else ""}
  <form id="filters" aria-label="{_("Filters")}">
    <select name="oblast_code" aria-label="{_("Oblast")}">{admin["oblasts"]}</select>
    <select name="raion_code" aria-label="{_("Raion")}">{admin["raions"]}</select>
    <select name="hromada_code" aria-label="{_("Hromada")}">{admin["hromadas"]}</select>
    <select name="classification" aria-label="{_("Classification")}">
      <option value="">{_("SHA and CHA")}</option><option value="SHA">{_("SHA: suspected")}</option>
      <option value="CHA">{_("CHA: confirmed")}</option></select>
    <select name="status" aria-label="{_("Status")}">
      <option value="">{_("any status")}</option>{status_options}</select>
    <select name="contamination_type" aria-label="{_("Contamination type")}">{contamination}</select>
    <select name="organisation_id" aria-label="{_("Operator")}">{operators}</select>
    <label class="other-task-filter"><input type="checkbox" name="active_task_not_of" value="0">
      {_("has an active task of another operator")}</label>
    <button type="reset">{_("Clear filters")}</button>
    <label class="date">{_("reported from")} <input type="date" name="reported_from"></label>
    <label class="date">{_("to")} <input type="date" name="reported_to"></label>
  </form>
  {_accident_filters(_) if accidents else ""}
  <section id="ranking" aria-label="{_("Priority list")}">
    <div class="ranking-head">
      <label>{_("Scenario")} <select id="scenario" name="scenario">{scenarios}</select></label>
      <fieldset id="colour-by"><legend>{_("Map colour")}</legend>
        <label><input type="radio" name="colour_by" value="imas" checked> IMAS</label>
        <label><input type="radio" name="colour_by" value="rank"> {_("rank")}</label></fieldset>
    </div>
    <p id="ranking-count" class="muted" aria-live="polite"></p>
    <ol id="priority-list"></ol>
    <button type="button" id="list-more" hidden>{_("Show more")}</button>
  </section>
</aside>
<section id="details" hidden>
  <button type="button" id="details-close" aria-label="{_("Close details")}">×</button>
  <div id="details-body"></div>
</section>
"""


def oblast_labels() -> folium.FeatureGroup:
    """Kept for the pages that add it: oblast names now come with the base map's labels (basemap.js), so it is empty."""
    return folium.FeatureGroup(name="Oblast names", control=False)


class _Basemap(MacroElement):
    """The offline base map, added by basemap.js once the map's view is set (its tiles are then of the right zoom)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.maisBasemap({{ this._parent.get_name() }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, *, reference: bool) -> None:
        super().__init__()
        # With an external base map (`reference` false) it draws only its boundaries and names.
        self.options: dict[str, Any] = {"url": TILES.format(layer="basemap"), "attribution": BASEMAP_ATTRIBUTION}
        self.options["reference"] = reference
