"""The offline base map in headless Chromium: drawn and labelled at national zoom and at zoom 11, nothing off-host."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from app.db.session import new_session
from app.demo.seed import load_demo
from app.main import app
from tests.accounts import make_account
from tests.browser import OfflinePage, launch, live_server
from tests.browser import offline_page as new_offline_page

PASSWORD = "correct horse battery"
# Names shown (not hidden by a more important neighbour) in the base map's label pane.
VISIBLE_LABELS = """() => Array.from(document.querySelectorAll('.leaflet-basemap-labels-pane .basemap-label'))
    .filter((node) => node.style.visibility !== 'hidden').map((node) => node.textContent)"""


@pytest.fixture
def server(db: None) -> Iterator[str]:
    """The app serving demo data (which loads Ukraine's boundaries) on a loopback port."""
    with new_session() as session:
        load_demo(session, areas=60, seed=7)
    with live_server(app) as url:
        yield url


@pytest.fixture
def offline_page(server: str) -> Iterator[OfflinePage]:
    from playwright.sync_api import sync_playwright

    make_account("coordinator", username="coordinator.basemap", password=PASSWORD)
    with sync_playwright() as pw:
        browser = launch(pw)
        result = new_offline_page(browser, server)
        result.log_in("coordinator.basemap", PASSWORD)
        yield result
        browser.close()


def settle(page: Page) -> None:
    """Base-map tiles loaded and labels decluttered."""
    page.wait_for_function(
        "window.maisBasemapLayer && window.maisMap.hasLayer(window.maisBasemapLayer)"
        " && !window.maisBasemapLayer.isLoading()",
        timeout=20_000,
    )
    page.wait_for_timeout(400)


def visible_labels(page: Page) -> list[str]:
    return list(page.evaluate(VISIBLE_LABELS))


@pytest.mark.browser
def test_the_base_map_reads_at_national_zoom_and_at_zoom_11_offline(server: str, offline_page: OfflinePage) -> None:
    page = offline_page.page
    page.goto(f"{server}/map?lang=en")
    settle(page)
    assert page.evaluate("window.maisMap.getZoom()") <= 6.5
    national = visible_labels(page)
    assert {"Kyiv", "Kharkiv", "Odesa"} <= set(national), national
    assert "Kharkivska" in national  # an oblast's name from the admin units
    assert page.locator(".leaflet-basemap-pane canvas").count() > 4
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "OPORA (CC BY 4.0)" in attribution and "© OpenStreetMap contributors (ODbL)" in attribution
    offline_page.screenshot("basemap_national.png")

    page.evaluate("() => { window.maisMap.setView([49.99, 36.25], 11, {animate: false}); }")
    settle(page)
    city = visible_labels(page)
    assert "Kharkiv" in city, city
    assert len(city) >= 4  # the city and the hromadas around it
    offline_page.screenshot("basemap_zoom11.png")

    page.goto(f"{server}/map?lang=uk")
    settle(page)
    ukrainian = visible_labels(page)
    assert {"Київ", "Харків", "Харківська"} <= set(ukrainian), ukrainian
    assert "учасники OpenStreetMap" in page.locator(".leaflet-control-attribution").inner_text()
    offline_page.screenshot("basemap_national_uk.png")
    assert offline_page.blocked == []
    assert offline_page.errors == []
