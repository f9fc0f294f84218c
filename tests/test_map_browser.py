"""The dashboard and the API docs in headless Chromium, with every request off 127.0.0.1 blocked and counted.

The browser logs in as the information manager first (the pages are behind the login);
tests/test_login_browser.py covers the login itself and the other roles' views.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Locator, Page
from sqlalchemy import text

from app.dashboard.symbology import RANK_BANDS
from app.db.session import new_session
from app.demo.seed import load_demo
from app.main import app
from tests.accounts import make_account
from tests.browser import OfflinePage, launch, live_server
from tests.browser import offline_page as new_offline_page

DEMO_AREAS = 300
RANK_COLOURS = [colour for _, colour in RANK_BANDS]
HIGHLIGHT = "#00B3FF"  # the selected area's outline (dashboard.js)
PASSWORD = "correct horse battery"


@pytest.fixture
def server(db: None) -> Iterator[str]:
    """The app on a free loopback port, serving the test database with demo data."""
    with new_session() as session:
        load_demo(session, areas=DEMO_AREAS, seed=7)
    with live_server(app) as url:
        yield url


@pytest.fixture
def offline_page(server: str) -> Iterator[OfflinePage]:
    """A page logged in as the information manager, that may reach the test server only."""
    from playwright.sync_api import sync_playwright

    make_account("admin", username="im.browser", password=PASSWORD)
    with sync_playwright() as pw:
        browser = launch(pw)
        result = new_offline_page(browser, server)
        result.log_in("im.browser", PASSWORD)
        yield result
        browser.close()


def scalar(sql: str, **params: Any) -> Any:
    """One value from the test database."""
    with new_session() as session:
        return session.execute(text(sql), params).scalar()


def hazard_paths(page: Page) -> Locator:
    """Shapes VectorGrid drew in the hazards pane (SVG renderer)."""
    return page.locator(".leaflet-hazards-pane path")


def open_dashboard(offline_page: OfflinePage, server: str, tiles: list[str]) -> Page:
    """The dashboard loaded, its first hazards drawn and its list filled; tile URLs recorded in `tiles`."""
    page = offline_page.page
    page.on("request", lambda r: tiles.append(r.url) if "/tiles/hazardous-areas/" in r.url else None)
    page.goto(f"{server}/map")
    hazard_paths(page).first.wait_for(state="attached", timeout=15_000)
    page.locator("#priority-list li").first.wait_for(timeout=15_000)
    page.wait_for_function("document.getElementById('status').textContent.startsWith('updated')", timeout=15_000)
    return page


@pytest.mark.browser
@pytest.mark.parametrize("width", [1366, 1024])
def test_dashboard_renders_offline_at_field_office_sizes(server: str, offline_page: OfflinePage, width: int) -> None:
    page = offline_page.page
    page.set_viewport_size({"width": width, "height": 768})
    tiles: list[str] = []
    open_dashboard(offline_page, server, tiles)
    page.wait_for_load_state("networkidle")
    offline_page.screenshot(f"dashboard-{width}x768.png")
    assert offline_page.blocked == []
    assert offline_page.errors == []
    assert tiles and all(urlparse(url).path.endswith(".mvt") for url in tiles)
    assert hazard_paths(page).count() > 0
    # The list is the ranking the API gives, with a score bar per row.
    ranked = scalar("SELECT count(*) FROM priority_current c JOIN priority_scenario s ON s.id = c.scenario_id "
                    "WHERE s.name = 'humanitarian'")  # fmt: skip
    rows = page.locator("#priority-list li")
    assert rows.count() == min(50, ranked)
    assert f"of {ranked:,} ranked areas" in page.locator("#ranking-count").inner_text()
    assert rows.first.locator(".rank").inner_text() == "1"
    assert rows.first.locator(".bar span").count() >= 1
    # Headline figures from the same data.
    active = scalar("SELECT count(DISTINCT t.id) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
                    "WHERE t.status IN ('assigned', 'in_progress', 'suspended') AND t.deleted_at IS NULL")  # fmt: skip
    assert page.locator("[data-figure=active_tasks]").inner_text() == f"{active:,}"
    destroyed = scalar("SELECT sum(quantity) FROM device_found WHERE fate IN ('destroyed_in_situ', 'removed')")
    assert page.locator("[data-figure=devices_destroyed]").inner_text() == f"{destroyed:,}"
    # Accidents clustered, legend in words.
    assert page.locator(".marker-cluster, .leaflet-marker-pane .leaflet-interactive, path[fill='#2b2b2b']").count() > 0
    legend = page.locator("#legend").text_content() or ""
    assert f"{DEMO_AREAS} selected" in legend and "CHA: confirmed" in legend and "cleared" in legend
    # Layout: the panel and the map side by side, nothing pushed off screen, the list readable.
    box = page.evaluate(
        """() => {
            const r = (s) => document.querySelector(s).getBoundingClientRect();
            return {sidebar: r('#sidebar'), map: r('.folium-map'), list: r('#priority-list'),
                    scroll: document.documentElement.scrollWidth, row: r('#priority-list li')};
        }"""
    )
    assert box["scroll"] <= width
    assert box["sidebar"]["right"] <= box["map"]["left"] + 1
    assert box["map"]["width"] >= 0.6 * width and box["map"]["height"] == 768
    assert box["list"]["bottom"] - box["list"]["top"] >= 3 * box["row"]["height"]  # at least three rows in view
    for select in page.locator("#filters select").all():
        assert select.bounding_box()["x"] + select.bounding_box()["width"] <= box["sidebar"]["right"]


def since_first(tiles: list[str], marker: str) -> list[str]:
    """The tiles requested from the first one carrying `marker` on, which must exist.

    Playwright hands request events to Python late, so requests the previous view issued before
    a change can be recorded after it; they all come before the new view's first request.
    """
    first = next((i for i, url in enumerate(tiles) if marker in url), None)
    assert first is not None, f"no tile requested with {marker}"
    return tiles[first:]


@pytest.mark.browser
def test_filter_changes_list_figures_and_tiles(server: str, offline_page: OfflinePage) -> None:
    tiles: list[str] = []
    page = open_dashboard(offline_page, server, tiles)
    first_before = page.locator("#priority-list li").first.get_attribute("data-area-id")
    # The oblast with the most ranked areas, other than the top area's: the list must change.
    oblast = scalar("SELECT h.oblast_code FROM hazardous_area h JOIN priority_current c ON c.hazardous_area_id = h.id "
                    "WHERE h.oblast_code <> (SELECT oblast_code FROM hazardous_area WHERE id = :first) "
                    "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", first=int(first_before or 0))  # fmt: skip
    ranked = scalar("SELECT count(DISTINCT h.id) FROM hazardous_area h JOIN priority_current c "
                    "ON c.hazardous_area_id = h.id WHERE h.oblast_code = :o", o=oblast)  # fmt: skip
    tiles.clear()
    page.select_option("select[name=oblast_code]", oblast)
    page.wait_for_function(f"document.getElementById('ranking-count').textContent.includes('of {ranked:,} ranked')")
    hazard_paths(page).first.wait_for(state="attached", timeout=15_000)
    assert all(f"oblast_code={oblast}" in url for url in since_first(tiles, f"oblast_code={oblast}"))
    ids = [int(i or 0) for i in page.locator("#priority-list li").evaluate_all("els => els.map(e => e.dataset.areaId)")]
    assert len(ids) == min(50, ranked) and ids[0] != int(first_before or 0)
    assert scalar("SELECT count(*) FROM hazardous_area WHERE id = ANY(:ids) AND oblast_code = :o", ids=ids, o=oblast) \
        == len(ids)  # fmt: skip
    remaining = scalar("SELECT sum(remaining_area_m2) FROM hazardous_area WHERE oblast_code = :o "
                       "AND classification = 'CHA' AND status IN ('open', 'worked_on')", o=oblast)  # fmt: skip
    shown = page.locator("[data-figure=confirmed_remaining_m2]").inner_text()
    expected = (
        f"{remaining / 1e6:,.2f}".rstrip("0").rstrip(".") + " km²" if remaining >= 1e6 else f"{round(remaining):,} m²"
    )
    assert shown == expected
    # Colouring by rank asks for scored tiles and draws the rank bands.
    tiles.clear()
    page.check("input[name=colour_by][value=rank]")
    page.wait_for_function("document.querySelectorAll('.leaflet-hazards-pane path').length > 0")
    page.locator(", ".join(f".leaflet-hazards-pane path[fill='{c}']" for c in RANK_COLOURS)).first.wait_for(
        state="attached", timeout=15_000
    )
    ranked_tiles = since_first(tiles, "scenario=humanitarian")
    assert all("scenario=humanitarian" in url and f"oblast_code={oblast}" in url for url in ranked_tiles)
    assert offline_page.errors == [] and offline_page.blocked == []
    # A date range the wrong way round is refused, and the page says why.
    page.fill("input[name=reported_from]", "2025-02-01")
    page.fill("input[name=reported_to]", "2025-01-01")
    page.wait_for_function("document.getElementById('status').className === 'error'")
    assert page.locator("#status").inner_text() == "reported_from is after reported_to"


@pytest.mark.browser
def test_clicking_the_first_row_zooms_to_the_area_and_shows_its_details(server: str, offline_page: OfflinePage) -> None:
    page = open_dashboard(offline_page, server, [])
    zoom_before = page.evaluate("maisMap.getZoom()")
    first = page.locator("#priority-list li").first
    area_id = int(first.get_attribute("data-area-id") or 0)
    first.locator("button").click()
    details = page.locator("#details")
    details.wait_for(state="visible", timeout=10_000)
    page.wait_for_function(f"maisMap.getZoom() > {zoom_before + 3}")
    page.wait_for_timeout(500)  # the zoom animation
    offline_page.screenshot("dashboard-details-1366x768.png")
    name, original, cleared = (
        scalar(f"SELECT {column} FROM hazardous_area WHERE id = :i", i=area_id)
        for column in ("name", "original_area_m2", "(SELECT coalesce(sum(area_m2), 0) FROM release "
                       "WHERE hazardous_area_id = :i AND kind = 'cleared')")
    )  # fmt: skip
    text_shown = details.inner_text()
    assert details.locator("h2").inner_text() == name
    assert f"original\t{round(original):,}" in text_shown
    assert f"cleared\t{round(cleared):,}" in text_shown
    assert "Priority: rank 1" in text_shown or "PRIORITY: RANK 1" in text_shown
    # The timeline is readable in the card (it linked to raw JSON before): one row per entry of the API's.
    entries = offline_page.page.request.get(f"{server}/api/v1/hazardous-areas/{area_id}/timeline").json()["entries"]
    details.locator(".timeline summary").click()
    assert details.locator(".timeline summary").inner_text() == f"Timeline ({len(entries)} entries)"
    assert details.locator(".timeline tr").count() == len(entries) + 1  # and its header
    # The map now shows that area: its centre lies within the area's bounding box.
    west, south, east, north = (scalar(f"SELECT ST_{f}(geom) FROM hazardous_area WHERE id = :i", i=area_id)
                                for f in ("XMin", "YMin", "XMax", "YMax"))  # fmt: skip
    bounds = page.evaluate("(() => { const b = maisMap.getBounds(); return [b.getWest(), b.getSouth(), "
                           "b.getEast(), b.getNorth()]; })()")  # fmt: skip
    assert bounds[0] <= west and bounds[1] <= south and bounds[2] >= east and bounds[3] >= north
    assert page.locator("#priority-list li.selected").get_attribute("data-area-id") == str(area_id)
    page.locator(f".leaflet-hazards-pane path[stroke='{HIGHLIGHT}']").first.wait_for(state="attached", timeout=10_000)
    # Clicking an area on the map opens that area's details.
    page.locator("#details-close").click()
    assert details.is_hidden()
    page.locator(f".leaflet-hazards-pane path[stroke='{HIGHLIGHT}']").first.click(force=True)
    details.wait_for(state="visible", timeout=10_000)
    assert details.locator("h2").inner_text() == name
    assert offline_page.errors == [] and offline_page.blocked == []


@pytest.mark.browser
def test_api_docs_render_offline(server: str, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{server}/docs", wait_until="networkidle")
    operations = page.locator(".opblock")
    operations.first.wait_for(timeout=30_000)  # Swagger UI parses the whole OpenAPI document first
    offline_page.screenshot("docs-1366x768.png")
    assert offline_page.blocked == []
    assert offline_page.errors == []
    assert operations.count() >= 12
    one_area = re.compile(r"^/api/v1/hazardous-areas/\{area_id\}$")
    assert page.locator(".opblock-summary-path").filter(has_text=one_area).count() == 3  # GET, PATCH, DELETE
