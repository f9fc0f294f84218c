"""The donor officer's map page: the land released by the work its donor funds, and its report's figures beside it.

No hazardous areas, tasks or accidents: a donor reads aggregates and the released land of what it
funds (docs/mine-action.md §7). The tiles are the releases layer, which the server narrows to the
donor's funding; the figures are the donor report (`/api/v1/reports/donor`), likewise narrowed.
The page is in English or Ukrainian (app/i18n/uk/reports.po) and links to the reports page
(`/reports`), where the officer picks the period and the format.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape

from app.dashboard.map import finish, new_map, oblast_labels, release_style, tile_layer
from app.dashboard.symbology import RELEASE_KINDS, palette
from app.dashboard.user import USER_SLOT
from app.i18n import DEFAULT_LANGUAGE, browser_strings, translator

# A donor's land may be a few hectares: fit the view to it without zooming in further than this.
FIT_MAX_ZOOM = 14
# (headline figure of the report, what it counts); dashboard.js writes each value as m² or a count.
FIGURES = (
    ("released_m2", "land released"),
    ("cancelled_m2", "cancelled (non-technical survey)"),
    ("reduced_m2", "reduced (technical survey)"),
    ("cleared_m2", "cleared"),
    ("items_destroyed", "devices destroyed in situ"),
    ("items_found", "explosive items found"),
    ("beneficiaries_direct", "direct beneficiaries"),
    ("beneficiaries_indirect", "indirect beneficiaries"),
)


def build_donor_view(
    *,
    bounds: tuple[float, float, float, float] | None,
    basemap_url: str | None,
    basemap_attribution: str = "",
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The donor's page as HTML, kept by its inputs (the extent of the donor's land, the base map, the language)."""
    return _page(json.dumps([bounds, basemap_url, basemap_attribution, language]))


@lru_cache(maxsize=8)
def _page(key: str) -> str:
    bounds, basemap_url, basemap_attribution, language = json.loads(key)
    _ = translator(language)
    fmap = new_map(bounds, basemap_url, basemap_attribution, panes={"released": 420}, fit_max_zoom=FIT_MAX_ZOOM)
    # From every zoom: small land comes as dots when zoomed out, so the donor sees all of it at once.
    released = tile_layer("releases", _("Released land you fund"), {"releases": release_style()}, pane="released")
    released.add_to(fmap)
    oblast_labels().add_to(fmap)
    config = {"view": "donor", "palette": palette(), "language": language, "strings": browser_strings(language)}
    body = [_sidebar(language), _legend(language)]
    title = _("Released land · donor view")
    return finish(fmap, {"released": released}, title=title, body=body, config=config, language=language)


def _sidebar(language: str) -> str:
    """The report's figures for the donor, its cost per m² and agreements, and the way to the reports page."""
    _ = translator(language)
    figures = "".join(
        f'<div class="figure{" wide" if key == "released_m2" else ""}"><span class="value" data-report="{key}">…</span>'
        f'<span class="label">{escape(_(label))}</span></div>'
        for key, label in FIGURES
    )
    return f"""
<aside id="sidebar" class="donor" aria-label="{_("The work you fund")}">
  <header><h1>{_("Released land you fund")}</h1><span id="status" role="status" class="muted"></span>
    <a id="reports-link" href="/reports">{_("Donor reports")}</a></header>
  {USER_SLOT}
  <p id="donor-name" class="muted"></p>
  <section id="donor-figures" class="figures" aria-label="{_("Figures of the work you fund")}">{figures}</section>
  <section class="donor-table" aria-label="{_("Cost per m²")}"><h2>{_("Cost")}</h2><table id="donor-cost"></table>
  </section>
  <section class="donor-table" aria-label="{_("Agreements")}"><h2>{_("Agreements")}</h2>
    <table id="donor-agreements"></table></section>
  <p class="downloads"><a href="/reports">{_("Reports for a period (PDF, Excel, CSV)…")}</a></p>
</aside>
"""


def _legend(language: str) -> str:
    """The donor map's legend: released land by kind, dots for land too small to see, settlements."""
    _ = translator(language)
    kinds = "".join(
        f'<span class="swatch" style="background:{colour}"></span> {escape(_(kind.capitalize()))}<br>'
        for kind, colour in RELEASE_KINDS.items()
    )
    return f"""
<details id="legend" open>
  <summary><strong>{_("Legend")}</strong></summary>
  <div><strong>{_("Released land you fund")}</strong></div>{kinds}
  <span class="muted">{_("Zoomed out, small land shows as a dot.")}</span><br>
  <span class="swatch dot"></span> {_("hromada centre")}
</details>
"""
