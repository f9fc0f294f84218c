"""The dashboard on a phone (390×844, touch) and on tablets and laptops, in headless Chromium, offline.

On a phone the map and the list are two tabs at the bottom: the active one fills the screen, the
zoom buttons are not covered by anything, pinch-zoom is allowed, and whatever a finger presses is
at least 44 px. From 700 px up the map and the panel stand side by side (docs/accessibility.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import text

from app.db.session import new_session
from app.demo.seed import load_demo
from app.main import app
from tests.accounts import make_account
from tests.browser import OfflinePage, launch, live_server, offline_page

PASSWORD = "correct horse battery"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
TOUCH = 44  # px, the smallest target a finger is given


@pytest.fixture
def server(db: None) -> Iterator[str]:
    with new_session() as session:
        load_demo(session, areas=120, seed=7)
    make_account("admin", username="im.phone", password=PASSWORD)
    with live_server(app) as url:
        yield url


@pytest.fixture
def browser_tab(server: str) -> Iterator[Any]:
    with sync_playwright() as pw:
        browser = launch(pw)
        yield lambda **context: offline_page(browser, server, **context)
        browser.close()


def open_map(tab: OfflinePage) -> Page:
    page = tab.page
    tab.log_in("im.phone", PASSWORD)
    page.goto(f"{tab.server}/map")
    page.locator("#priority-list li").first.wait_for(state="attached", timeout=20_000)
    page.wait_for_function("document.getElementById('status').textContent.startsWith('updated')", timeout=20_000)
    return page


def box(page: Page, selector: str) -> dict[str, float]:
    return page.evaluate(
        f"(() => {{ const r = document.querySelector({selector!r}).getBoundingClientRect(); "
        "return {x: r.x, y: r.y, width: r.width, height: r.height, bottom: r.bottom, right: r.right}; })()"
    )


def uncovered(page: Page, selector: str) -> bool:
    """Whether a press at the middle of the element lands on it (nothing lies over it)."""
    return bool(
        page.evaluate(
            f"""(() => {{
                const e = document.querySelector({selector!r}), r = e.getBoundingClientRect();
                const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
                return hit !== null && (hit === e || e.contains(hit));
            }})()"""
        )
    )


def small_targets(page: Page, panel: str) -> list[str]:
    """What a finger may press in `panel` that is under 44 px high (a checkbox or radio counts by its label)."""
    return page.evaluate(
        f"""(() => Array.from(document.querySelector({panel!r}).querySelectorAll(
                'a[href], button, select, summary, input, textarea'))
            .map((e) => (e.type === 'checkbox' || e.type === 'radio') && e.closest('label') ? e.closest('label') : e)
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < {TOUCH})
            .map((e) => e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || e.name || '').trim().slice(0, 30)
                        + ' ' + Math.round(e.getBoundingClientRect().height) + 'px'))()"""
    )


def visible(page: Page, selector: str) -> bool:
    """Laid out and not hidden by visibility (the map under the list keeps its size, hidden)."""
    script = f"document.querySelector({selector!r})"
    return bool(
        page.evaluate(f"{script}.getClientRects().length > 0 && getComputedStyle({script}).visibility === 'visible'")
    )


@pytest.mark.browser
def test_on_a_phone_map_and_list_are_tabs_and_every_control_can_be_pressed(browser_tab: Any) -> None:
    tab = browser_tab(**PHONE)
    page = open_map(tab)
    # Pinch-zoom allowed: one viewport meta, without maximum-scale or user-scalable.
    metas = page.locator("meta[name=viewport]").evaluate_all("els => els.map(e => e.content)")
    assert metas == ["width=device-width, initial-scale=1"]
    assert page.evaluate("window.innerWidth") == 390  # the page is laid out for the phone, not zoomed out

    # The map tab: the map fills the screen above the tabs, the panel is gone.
    assert page.get_attribute("#tab-map", "aria-selected") == "true"
    assert page.get_attribute("#tab-list", "aria-selected") == "false"
    page.wait_for_timeout(300)
    tab.screenshot("phone-map-390x844.png")
    the_map, tabs = box(page, ".folium-map"), box(page, "#view-tabs")
    assert the_map["width"] == 390 and the_map["height"] >= 0.9 * 844 - tabs["height"]
    assert the_map["bottom"] <= tabs["y"] + 1 and tabs["bottom"] == 844
    assert not visible(page, "#sidebar")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Zoom buttons and the layer button: big enough, and nothing lies over them.
    pressable = (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".leaflet-control-layers-toggle")
    for control in (*pressable, "#legend summary", "#tab-map", "#tab-list"):
        size = box(page, control)
        assert size["width"] >= TOUCH and size["height"] >= TOUCH, (control, size)
        assert uncovered(page, control), control
    zoom = page.evaluate("maisMap.getZoom()")
    page.locator(".leaflet-control-zoom-in").tap()
    page.wait_for_function(f"maisMap.getZoom() > {zoom}")

    # The list tab: the panel fills the screen and scrolls as one; the map is hidden under it.
    page.locator("#tab-list").tap()
    assert page.get_attribute("#tab-list", "aria-selected") == "true"
    tab.screenshot("phone-list-390x844.png")
    panel = box(page, "#sidebar")
    assert panel["width"] == 390 and panel["y"] == 0 and panel["bottom"] == pytest.approx(tabs["y"], abs=1)
    assert not visible(page, "main")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert small_targets(page, "#sidebar") == []
    # The arrow keys move between the tabs (the tab pattern).
    page.locator("#tab-list").focus()
    page.keyboard.press("ArrowLeft")
    assert page.get_attribute("#tab-map", "aria-selected") == "true"
    assert page.evaluate("document.activeElement.id") == "tab-map"
    page.locator("#tab-list").tap()

    # A row of the list opens the area on the map, its details as a sheet above the tabs.
    first = page.locator("#priority-list li").first
    area_id = int(first.get_attribute("data-area-id") or 0)
    first.locator("button").scroll_into_view_if_needed()
    assert first.locator("button").bounding_box()["height"] >= TOUCH  # type: ignore[index]
    first.locator("button").tap()
    details = page.locator("#details")
    details.wait_for(state="visible")
    with new_session() as session:
        name = session.execute(text("SELECT name FROM hazardous_area WHERE id = :i"), {"i": area_id}).scalar()
    assert details.locator("h2").inner_text() == name
    assert page.get_attribute("#tab-map", "aria-selected") == "true" and visible(page, ".folium-map")
    page.wait_for_timeout(600)  # the zoom animation
    tab.screenshot("phone-details-390x844.png")
    sheet = box(page, "#details")
    assert sheet["x"] == 0 and sheet["width"] == 390 and sheet["bottom"] == pytest.approx(tabs["y"], abs=1)
    assert sheet["height"] <= 0.61 * 844
    assert small_targets(page, "#details") == []
    close = box(page, "#details-close")
    assert close["width"] >= TOUCH and close["height"] >= TOUCH and uncovered(page, "#details-close")
    assert uncovered(page, ".leaflet-control-zoom-in")  # the sheet leaves the zoom buttons free
    # The area itself is in view above the sheet (dashboard.js fits it with layout.js's cardPadding).
    shape = page.locator(".leaflet-hazards-pane path[stroke='#00B3FF']").first
    shape.wait_for(state="attached", timeout=10_000)
    area = shape.bounding_box()
    assert area is not None
    assert 0 <= area["x"] + area["width"] / 2 <= 390 and 0 <= area["y"] + area["height"] / 2 <= sheet["y"], area
    page.locator("#details-close").tap()
    details.wait_for(state="hidden")
    assert tab.errors == [] and tab.blocked == []


@pytest.mark.browser
@pytest.mark.parametrize("width", [1024, 1366])
def test_tablets_and_laptops_keep_the_map_beside_the_panel(browser_tab: Any, width: int) -> None:
    tab = browser_tab(viewport={"width": width, "height": 768})
    page = open_map(tab)
    tab.screenshot(f"layout-{width}x768.png")
    panel, the_map = box(page, "#sidebar"), box(page, ".folium-map")
    assert panel["x"] == 0 and panel["height"] == 768
    assert the_map["x"] >= panel["right"] - 1 and the_map["right"] == width and the_map["height"] == 768
    assert the_map["width"] >= 0.6 * width
    assert not visible(page, "#view-tabs")
    for control in (".leaflet-control-zoom-in", ".leaflet-control-zoom-out", ".leaflet-control-layers-toggle"):
        assert uncovered(page, control), control
    # With the details card open the zoom and layer buttons are still free.
    page.locator("#priority-list li button").first.click()
    page.locator("#details").wait_for(state="visible")
    for control in (".leaflet-control-zoom-in", ".leaflet-control-layers-toggle"):
        assert uncovered(page, control), control
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert tab.errors == [] and tab.blocked == []
