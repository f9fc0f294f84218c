"""Accessibility of the pages in headless Chromium (docs/accessibility.md), every request off the test server blocked.

axe-core (vendored from npm) finds no critical or serious violation on any page, as the
coordinator and as the donor officer, in English and in Ukrainian, with the details card open too;
every element lies in a landmark. The keyboard alone opens an area's details from the list, the
focus goes into the card and stays there, Escape closes it and gives the focus back to the row.
State symbols differ by more than hue (line width, dashes, hatching).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import text

from app.dashboard.symbology import CLOSED_LINE, HATCH_ID, OUTLINE
from app.db.session import new_session
from app.demo.seed import load_demo
from app.main import app
from tests.accounts import make_account
from tests.browser import ARTIFACTS, OfflinePage, axe, launch, live_server, offline_page

PASSWORD = "correct horse battery"
DEMO_AREAS = 120
MAP_BACKGROUND = "#F4F3EF"  # .folium-map in dashboard.css
CORNERS = ("XMin", "YMin", "XMax", "YMax")


@pytest.fixture
def server(client: TestClient) -> Iterator[str]:
    """Demo data, a coordinator (information manager) and a donor officer who log in, the app on a loopback port."""
    with new_session() as session:
        load_demo(session, areas=DEMO_AREAS, seed=7)
    donor = client.post("/api/v1/donors", json={"name": "Nordic Fund"})
    assert donor.status_code == 201, donor.text
    make_account("admin", username="im.a11y", password=PASSWORD)
    make_account("donor", username="officer.a11y", donor_id=donor.json()["id"], password=PASSWORD)
    with live_server(app) as url:
        yield url


@pytest.fixture
def browser_tab(server: str) -> Iterator[Any]:
    """A factory of fresh offline pages (one context each) on one Chromium."""
    with sync_playwright() as pw:
        browser = launch(pw)
        yield lambda **context: offline_page(browser, server, **context)
        browser.close()


def scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar()


def open_map(tab: OfflinePage, username: str, language: str) -> Page:
    """/map logged in as `username`, in `language` (the browser's Accept-Language), its data loaded."""
    page = tab.page
    page.set_extra_http_headers({"Accept-Language": language})
    tab.log_in(username, PASSWORD)
    page.goto(f"{tab.server}/map")
    page.locator(".leaflet-container").wait_for()
    page.wait_for_function(
        "() => /\\d/.test(document.getElementById('status').textContent) || "
        "document.getElementById('status').className === 'error'",
        timeout=20_000,
    )
    assert page.locator("#status").get_attribute("class") != "error", page.locator("#status").inner_text()
    return page


def assert_no_violation(page: Page, where: str) -> None:
    found = axe(page)
    assert found == [], f"{where}: " + "; ".join(f"{v['id']} ({v['impact']}): {v['nodes']}" for v in found)


def outside_landmarks(page: Page) -> list[str]:
    """Visible elements of the body that no landmark holds (axe's moderate `region` rule, asserted too)."""
    return page.evaluate(
        """() => {
            const landmarks = 'main, aside, nav, header, footer, [role=dialog], [role=region], form[aria-label]';
            return Array.from(document.body.children)
              .filter((e) => !['SCRIPT', 'STYLE', 'svg'].includes(e.tagName) && !e.matches('.hatch-defs'))
              .filter((e) => e.getClientRects().length && !e.matches(landmarks))
              .map((e) => e.tagName + '#' + e.id);
        }"""
    )


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "uk"])
def test_axe_finds_nothing_critical_or_serious_on_any_page(browser_tab: Any, language: str) -> None:
    # The login page, in the language the browser asks for.
    login = browser_tab()
    login.page.set_extra_http_headers({"Accept-Language": language})
    login.page.goto(f"{login.server}/login")
    assert_no_violation(login.page, "/login")

    # The coordinator's map, then with an area's details open.
    tab = browser_tab()
    page = open_map(tab, "im.a11y", language)
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main").count() == 1 and page.locator("main .folium-map").count() == 1
    assert outside_landmarks(page) == []
    assert page.locator("#tab-map").text_content() == {"en": "Map", "uk": "Карта"}[language]  # the phone's tabs
    tab.screenshot(f"a11y-coordinator-{language}.png")
    assert_no_violation(page, f"/map coordinator {language}")
    page.locator("#priority-list li button").first.click()
    page.locator("#details").wait_for(state="visible")
    assert_no_violation(page, f"/map coordinator {language}, details open")
    moderate = {v["id"] for v in axe(page, impacts=("moderate",))}
    assert not moderate & {"region", "landmark-one-main", "meta-viewport", "meta-viewport-large"}, moderate
    assert tab.errors == [] and tab.blocked == []

    # The donor officer's map.
    donor = browser_tab()
    page = open_map(donor, "officer.a11y", language)
    assert outside_landmarks(page) == []
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("#tab-list").text_content() == {"en": "Figures", "uk": "Показники"}[language]
    donor.screenshot(f"a11y-donor-{language}.png")
    assert_no_violation(page, f"/map donor {language}")
    assert donor.errors == [] and donor.blocked == []

    # The reports page, where the app has one.
    if any(getattr(route, "path", None) == "/reports" for route in app.routes):
        reports = browser_tab()
        reports.page.set_extra_http_headers({"Accept-Language": language})
        reports.log_in("im.a11y", PASSWORD)
        reports.page.goto(f"{reports.server}/reports", wait_until="networkidle")
        assert_no_violation(reports.page, f"/reports {language}")


@pytest.mark.browser
def test_the_keyboard_alone_opens_an_areas_details_and_escape_gives_the_focus_back(browser_tab: Any) -> None:
    tab = browser_tab()
    page = open_map(tab, "im.a11y", "en")
    page.locator("#priority-list li").first.wait_for()
    # Tab from the top of the page to the list's first row.
    page.evaluate("document.activeElement && document.activeElement.blur()")
    first_row = "document.activeElement === document.querySelector('#priority-list li button')"
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(first_row):
            break
    assert page.evaluate(first_row), "Tab never reached the list"
    # The focus shows: a 3 px outline on the focused row.
    outline = page.evaluate(
        "[getComputedStyle(document.activeElement).outlineStyle, getComputedStyle(document.activeElement).outlineWidth]"
    )
    assert outline == ["solid", "3px"]
    area_id = int(page.evaluate("document.activeElement.parentElement.dataset.areaId"))
    name = scalar("SELECT name FROM hazardous_area WHERE id = :i", i=area_id)

    page.keyboard.press("Enter")
    details = page.locator("#details")
    details.wait_for(state="visible")
    page.wait_for_function("document.getElementById('details').contains(document.activeElement)")
    assert details.get_attribute("role") == "dialog"
    title = "document.getElementById(document.getElementById('details').getAttribute('aria-labelledby'))"
    assert page.evaluate(f"{title}.textContent") == name
    tab.screenshot("a11y-details-focus-1366x768.png")
    # Tab and Shift+Tab go round the card's controls and never leave it.
    seen = set()
    for key in ["Tab"] * 8 + ["Shift+Tab"] * 8:
        page.keyboard.press(key)
        inside, label = page.evaluate(
            "[document.getElementById('details').contains(document.activeElement), "
            "document.activeElement.id || document.activeElement.textContent]"
        )
        assert inside, f"{key} left the card for {label!r}"
        seen.add(label)
    assert "details-close" in seen and len(seen) >= 2
    # Escape closes it and the focus is back on the row that opened it.
    page.keyboard.press("Escape")
    details.wait_for(state="hidden")
    assert page.evaluate(first_row)
    # The close button does the same.
    page.keyboard.press("Enter")
    details.wait_for(state="visible")
    page.wait_for_function("document.getElementById('details').contains(document.activeElement)")
    page.locator("#details-close").focus()
    page.keyboard.press("Enter")
    details.wait_for(state="hidden")
    assert page.evaluate(first_row)
    assert tab.errors == [] and tab.blocked == []


@pytest.mark.browser
def test_state_symbols_differ_by_more_than_hue(browser_tab: Any) -> None:
    tab = browser_tab()
    page = open_map(tab, "im.a11y", "en")
    style = page.evaluate(
        """() => {
            const f = maisLayers.hazards.options.vectorTileLayerStyles.hazardous_areas;
            return {cha: f({classification: 'CHA', status: 'open'}), sha: f({classification: 'SHA', status: 'open'}),
                    worked: f({classification: 'CHA', status: 'worked_on'}),
                    closed: f({classification: 'CHA', status: 'closed'})};
        }"""
    )
    assert style["cha"]["weight"] >= 2 * style["sha"]["weight"] and style["cha"]["dashArray"] is None
    assert style["worked"]["dashArray"] and style["closed"]["dashArray"]
    assert style["worked"]["dashArray"] != style["closed"]["dashArray"]
    assert style["closed"]["fillColor"] == f"url(#{HATCH_ID})"
    assert page.locator(f"pattern#{HATCH_ID}").count() == 1
    # Outlines hold at least 3:1 against the map (WCAG 1.4.11, non-text contrast).
    for colour in [*OUTLINE.values(), CLOSED_LINE]:
        assert contrast(colour, MAP_BACKGROUND) >= 3, colour
    # The legend shows the same cues.
    assert page.locator("#legend .swatch.hatched").count() == 1
    cha_border = page.locator("#legend [data-legend=imas] .swatch").first.evaluate(
        "e => getComputedStyle(e).borderTopWidth"
    )
    assert cha_border == "3px"
    # On the map: a closed area is drawn hatched inside a dotted outline.
    closed = scalar(
        "SELECT id FROM hazardous_area WHERE status IN ('closed', 'handed_over') AND deleted_at IS NULL "
        "ORDER BY original_area_m2 DESC LIMIT 1"
    )
    assert closed is not None
    corners = [scalar(f"SELECT ST_{f}(geom) FROM hazardous_area WHERE id = :i", i=closed) for f in CORNERS]
    west, south, east, north = corners
    page.evaluate(f"maisMap.fitBounds([[{south}, {west}], [{north}, {east}]], {{maxZoom: 15, animate: false}}) && null")
    hatched = page.locator(f".leaflet-hazards-pane path[fill='url(#{HATCH_ID})']").first
    hatched.wait_for(state="attached", timeout=15_000)
    assert hatched.get_attribute("stroke-dasharray") == style["closed"]["dashArray"]
    page.wait_for_timeout(500)
    tab.screenshot("a11y-closed-area-hatched.png")
    page.locator("#legend summary").click()
    page.locator("#legend").screenshot(path=str(ARTIFACTS / "a11y-legend.png"))


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)
