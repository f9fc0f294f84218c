"""The dashboard behind the login, in headless Chromium with every request off the test server blocked.

An anonymous visitor gets the login form; a wrong password is refused with a message; a donor
officer sees the figures and the released land of what its donor funds and no accident; the
information manager sees the accidents; logging out ends the session, even for a copied cookie.
The world is tests/report_world.py (Nordic Fund: 400,000 m² cancelled and 340,000 m² cleared;
Atlantic Trust: 250,000 m² reduced, 10 km away, in view of Nordic's map but not its to see).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Playwright, sync_playwright

from app.dashboard.symbology import RELEASE_KINDS
from app.db.session import new_session
from app.main import app
from tests.accounts import make_account
from tests.browser import OfflinePage, launch, live_server, offline_page
from tests.report_world import ReportWorld

SCREENSHOTS = Path("/tmp")
PASSWORD = "correct horse battery"
COOKIE = "mais_session"
# What Chromium writes to the console for an answer it was meant to get (the login form's 401).
REFUSED_LOAD = "Failed to load resource: the server responded with a status of 401"
CLUSTERED = """() => {
    let n = 0;
    maisMap.eachLayer((l) => { if (l instanceof L.MarkerClusterGroup) { n += l.getLayers().length; } });
    return n;
}"""


@pytest.fixture
def server(client: TestClient) -> Iterator[str]:
    """The app on a loopback port, serving the report world, with a donor officer and an admin who log in."""
    world = ReportWorld(client)
    make_account("donor", username="officer.nordic", donor_id=world.nordic, password=PASSWORD)
    make_account("admin", username="im.browser", password=PASSWORD)
    with live_server(app) as url:
        yield url


@pytest.fixture
def pw() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


def log_in_with_the_form(page: Page, username: str, password: str) -> None:
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")


def released_fills(page: Page) -> set[str]:
    """Fill colours of the released land VectorGrid drew (SVG renderer)."""
    fills = page.locator(".leaflet-released-pane path").evaluate_all("els => els.map(e => e.getAttribute('fill'))")
    return {str(f).upper() for f in fills}


def live_session_count() -> int:
    from sqlalchemy import text

    with new_session() as session:
        return int(session.execute(text("SELECT count(*) FROM login_session WHERE ended_at IS NULL")).scalar_one())


@pytest.mark.browser
def test_an_anonymous_visitor_gets_the_login_form_and_a_wrong_password_is_refused(server: str, pw: Playwright) -> None:
    browser = launch(pw)
    tab = offline_page(browser, server)
    page = tab.page
    page.goto(f"{server}/map")
    url = urlparse(page.url)
    assert url.path == "/login" and parse_qs(url.query) == {"next": ["/map"]}
    page.locator("#username").wait_for()
    assert page.locator("#password").get_attribute("type") == "password"
    assert page.locator("form[action='/login'] input[name=next]").get_attribute("value") == "/map"
    assert page.locator("#sidebar").count() == 0 and page.locator(".folium-map").count() == 0
    print(tab.screenshot("login-page.png", SCREENSHOTS))
    log_in_with_the_form(page, "officer.nordic", "not the password")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert alert.inner_text() == "Wrong username or password."
    assert urlparse(page.url).path == "/login" and COOKIE not in {c["name"] for c in page.context.cookies()}
    assert tab.blocked == []
    assert [e for e in tab.errors if REFUSED_LOAD not in e] == []
    browser.close()


@pytest.mark.browser
def test_a_donor_sees_the_figures_and_land_it_funds_no_accident_and_logging_out_ends_the_session(
    server: str, pw: Playwright
) -> None:
    browser = launch(pw)
    tab = offline_page(browser, server)
    page = tab.page
    page.goto(f"{server}/map")
    log_in_with_the_form(page, "officer.nordic", PASSWORD)
    page.wait_for_url(f"{server}/map")
    page.wait_for_function("document.getElementById('status').textContent.startsWith('as of')", timeout=20_000)
    page.locator(".leaflet-released-pane path").first.wait_for(state="attached", timeout=15_000)
    page.wait_for_load_state("networkidle")
    print(tab.screenshot("donor-view.png", SCREENSHOTS))
    # Its report's figures: Nordic Fund's work only (the programme released 990,000 m²).
    shown = {
        key: page.locator(f"[data-report={key}]").inner_text()
        for key in ("released_m2", "cancelled_m2", "reduced_m2", "cleared_m2", "items_destroyed", "items_found",
                    "beneficiaries_direct", "beneficiaries_indirect")
    }  # fmt: skip
    assert shown == {
        "released_m2": "740,000 m²", "cancelled_m2": "400,000 m²", "reduced_m2": "0 m²", "cleared_m2": "340,000 m²",
        "items_destroyed": "3", "items_found": "4", "beneficiaries_direct": "305", "beneficiaries_indirect": "1,360",
    }  # fmt: skip
    assert page.locator("#donor-name").inner_text() == "Nordic Fund"
    assert "NF-1" in page.locator("#donor-agreements").inner_text()
    assert "AT-1" not in page.locator("#sidebar").inner_text()
    assert "EUR" in page.locator("#donor-cost").inner_text()
    assert page.locator("#user .who").inner_text() == "officer.nordic"
    assert page.locator("#user .role").inner_text() == "donor"
    # Its land drawn (cancelled and cleared), not Atlantic Trust's reduced land in the same view.
    fills = released_fills(page)
    assert {RELEASE_KINDS["cancelled"], RELEASE_KINDS["cleared"]} <= fills
    assert RELEASE_KINDS["reduced"] not in fills
    # Zoomed out to a national view, the land is still drawn (as dots), not only from zoom 9.
    page.evaluate("maisMap.setZoom(6, {animate: false})")
    page.wait_for_function("maisMap.getZoom() === 6")
    page.wait_for_load_state("networkidle")
    page.locator(".leaflet-released-pane path").first.wait_for(state="attached", timeout=15_000)
    assert RELEASE_KINDS["reduced"] not in released_fills(page)
    print(tab.screenshot("donor-view-zoom6.png", SCREENSHOTS))
    # No accident, hazardous area or task asked for or drawn.
    asked = [urlparse(u).path for u in tab.requests]
    assert any(p.startswith("/tiles/releases/") for p in asked)
    assert not [p for p in asked if "accident" in p or p.startswith(("/tiles/hazardous-areas/", "/tiles/tasks/"))]
    assert page.locator(".marker-cluster, .leaflet-hazards-pane, .leaflet-tasks-pane").count() == 0
    assert page.evaluate(CLUSTERED) == 0
    assert tab.blocked == [] and tab.errors == []

    # Logging out ends the session: the page, the API and a copied cookie open nothing any more.
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    sessions = live_session_count()
    page.click("#user button[type=submit]")
    page.wait_for_url(f"{server}/login")
    page.locator("#username").wait_for()
    assert live_session_count() == sessions - 1
    assert COOKIE not in {c["name"] for c in page.context.cookies()}
    page.goto(f"{server}/map")
    assert urlparse(page.url).path == "/login"
    page.context.add_cookies([cookie])  # replayed in the browser
    page.goto(f"{server}/map")
    assert urlparse(page.url).path == "/login"
    replay = pw.request.new_context(extra_http_headers={"Cookie": f"{COOKIE}={cookie['value']}"})
    as_page = replay.get(f"{server}/map", headers={"Accept": "text/html"}, max_redirects=0)
    assert as_page.status == 303 and as_page.headers["location"] == "/login?next=%2Fmap"
    as_api = replay.get(f"{server}/api/v1/reports/donor", max_redirects=0)
    assert as_api.status == 401
    replay.dispose()
    assert tab.blocked == []
    browser.close()


@pytest.mark.browser
def test_the_information_manager_sees_the_accidents_and_the_page_sends_its_csrf_token(
    server: str, pw: Playwright
) -> None:
    browser = launch(pw)
    tab: OfflinePage = offline_page(browser, server)
    tab.log_in("im.browser", PASSWORD)
    page = tab.page
    page.goto(f"{server}/map")
    page.wait_for_function(f"() => ({CLUSTERED})() === 3", timeout=15_000)  # the world's three live accidents
    assert any(urlparse(u).path == "/api/v1/dashboard/accidents.geojson" for u in tab.requests)
    assert page.locator("#user .who").inner_text() == "im.browser"
    assert page.locator("#user .role").inner_text() == "admin"
    assert page.locator("#headline").count() == 1
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    assert token and len(token) >= 20
    # A change from the page goes through with the token (dashboard.js's helper), and is refused without it.
    issued = page.evaluate("maisDashboard.send('POST', '/api/v1/tokens', {name: 'from the map'})")
    assert issued["name"] == "from the map"
    bare = page.evaluate(
        """fetch('/api/v1/tokens', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                    body: JSON.stringify({name: 'forged'})}).then((r) => r.status)"""
    )
    assert bare == 403
    assert tab.blocked == []
    browser.close()
