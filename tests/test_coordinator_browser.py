"""The coordinator's questions walked in headless Chromium through clicks and keys (docs/dashboard.md).

"Which 10 areas in Kharkiv oblast first, and why?", "which areas does another operator already
work?", "accidents in the last 12 months": what the screen shows is checked against SQL and the
API, at 1366×768, 1024×768 and on a phone (390×844, touch: the map and the list are tabs at the
bottom, the details a sheet above them), in English and Ukrainian (switched by the page's own link).
Every request off the test server is blocked; screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import mgrs
import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import text

from app.db.session import new_session
from app.demo.seed import load_demo
from app.main import app
from tests.accounts import make_account
from tests.browser import SCREENS, OfflinePage, launch, live_server
from tests.browser import offline_page as new_offline_page

KHARKIV = "UA63"
PASSWORD = "correct horse battery"
ACTIVE = "('assigned', 'in_progress', 'suspended')"
# What must never be on screen: vocabulary codes and admin codes.
CODES = re.compile(r"\b(ap_mine|at_mine|uxo|axo|ied|worked_on|handed_over|in_progress|UA\d{2,})\b")


@pytest.fixture
def server(db: None) -> Iterator[str]:
    with new_session() as session:
        load_demo(session, areas=300, seed=7)
    make_account("coordinator", username="coord.browser", password=PASSWORD)
    with live_server(app) as url:
        yield url


@pytest.fixture
def chromium(server: str) -> Iterator[Browser]:
    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


def logged_in(browser: Browser, server: str, **context: Any) -> OfflinePage:
    """A fresh page (`context`: Playwright's new_context options, a phone's too) with the coordinator's login."""
    page = new_offline_page(browser, server, **context)
    page.log_in("coord.browser", PASSWORD)
    return page


@pytest.fixture
def browser_page(chromium: Browser, server: str) -> OfflinePage:
    return logged_in(chromium, server)


def sql(query: str, **params: Any) -> list[Any]:
    with new_session() as session:
        return list(session.execute(text(query), params).all())


def scalar(query: str, **params: Any) -> Any:
    return sql(query, **params)[0][0]


def api(page: Page, server: str, path: str, **params: Any) -> Any:
    """The API's answer with the browser's login (the figures the page is built from)."""
    answer = page.request.get(f"{server}{path}", params=params)
    assert answer.ok, answer.text()
    return answer.json()


def number(value: float, language: str) -> str:
    """A whole number as the page writes it: 1,234 in English, 1 234 (no-break space) in Ukrainian."""
    text_ = f"{round(value):,}"
    return text_.replace(",", "\u00a0") if language == "uk" else text_


def phone(page: Page) -> bool:
    """Whether the page has the phone layout (map and list as tabs, layout.js)."""
    return bool(page.locator("#view-tabs").is_visible())


def press(page: Page, selector: str) -> None:
    """A finger's tap on a phone, a click elsewhere."""
    if phone(page):
        page.locator(selector).first.tap()
    else:
        page.locator(selector).first.click()


def to_tab(page: Page, which: str) -> None:
    """On a phone, tap the Map or List tab at the bottom (elsewhere both are on screen)."""
    if phone(page):
        page.locator(f"#tab-{which}").tap()
        assert page.get_attribute(f"#tab-{which}", "aria-selected") == "true"


def open_map(op: OfflinePage, server: str, language: str) -> Page:
    page = op.page
    page.goto(f"{server}/map")
    if language == "uk":  # the page's own switch, as a user would (on a phone it is on the List tab)
        to_tab(page, "list")
        press(page, "#user a[hreflang=uk]")
        page.wait_for_url(re.compile(r"/map$"))
    page.locator("#priority-list li").first.wait_for(state="attached", timeout=20_000)
    page.wait_for_function("document.getElementById('status').textContent.match(/^(updated|оновлено)/)")
    assert page.locator("html").get_attribute("lang") == language
    return page


def wait_ranked(page: Page, total: int, language: str) -> None:
    word = "з" if language == "uk" else "of"
    page.wait_for_function(
        "([w, n]) => document.getElementById('ranking-count').textContent.includes(w + ' ' + n + ' ')",
        arg=[word, number(total, language)],
    )


def assert_fits(page: Page, code: str) -> float:
    """The map shows the whole admin unit `code`, as closely as fits (one zoom step of slack); its zoom."""
    west, south, east, north = sql(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) AS e FROM admin_unit "
        "WHERE code = :c) x",
        c=code,
    )[0]
    page.wait_for_function(
        "([w, s, e, n]) => maisMap.getBounds().contains(L.latLngBounds([[s, w], [n, e]]))",
        arg=[west, south, east, north],
        timeout=10_000,
    )
    fits = page.evaluate(
        "([w, s, e, n]) => maisMap.getBoundsZoom(L.latLngBounds([[s, w], [n, e]]))", [west, south, east, north]
    )
    zoom = page.evaluate("maisMap.getZoom()")
    assert fits - 1 <= zoom <= fits
    return float(zoom)


@pytest.mark.browser
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("language", ["en", "uk"])
def test_which_ten_areas_in_kharkiv_first_and_why(server: str, chromium: Browser, screen: str, language: str) -> None:
    browser_page = logged_in(chromium, server, **SCREENS[screen])
    page = open_map(browser_page, server, language)
    on_phone = phone(page)
    assert on_phone == (screen == "390x844")
    # Choose the oblast (on a phone the filters are on the List tab): the map fits its boundary.
    to_tab(page, "list")
    page.select_option("select[name=oblast_code]", KHARKIV)
    ranked = scalar(
        "SELECT count(*) FROM priority_current c JOIN priority_scenario s ON s.id = c.scenario_id "
        "AND s.name = 'humanitarian' JOIN hazardous_area h ON h.id = c.hazardous_area_id WHERE h.oblast_code = :o",
        o=KHARKIV,
    )
    wait_ranked(page, ranked, language)
    zoom = assert_fits(page, KHARKIV)
    # Another filter leaves the view alone (it threw the map to zoom 9 before).
    centre = page.evaluate("[maisMap.getCenter().lat, maisMap.getCenter().lng]")
    page.select_option("select[name=classification]", "")  # a no-op change: same list, same view
    press(page, "input[name=colour_by][value=rank]")
    assert page.locator("input[name=colour_by][value=rank]").is_checked()
    page.wait_for_timeout(1500)
    assert page.evaluate("maisMap.getZoom()") == zoom
    assert page.evaluate("[maisMap.getCenter().lat, maisMap.getCenter().lng]") == pytest.approx(centre)
    # The list's top 10 are the API's, with rank, operator / active-task state and reasons in units.
    top = api(page, server, "/api/v1/priorities", oblast_code=KHARKIV, limit=10, lang=language)["items"]
    rows = page.locator("#priority-list li")
    for i, expected in enumerate(top):
        row = rows.nth(i)
        assert row.get_attribute("data-area-id") == str(expected["hazardous_area_id"])
        assert row.locator(".rank").inner_text() == str(i + 1)
        state = row.locator(".task-state").inner_text()
        area = expected["hazardous_area_id"]
        operators = sql(
            "SELECT DISTINCT coalesce(o.acronym, o.name) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
            f"JOIN organisation o ON o.id = t.organisation_id WHERE ta.hazardous_area_id = :a AND t.status IN {ACTIVE} "
            "AND t.deleted_at IS NULL",
            a=area,
        )
        if operators:
            assert all(name in state for (name,) in operators)
            assert row.locator(".task-state.other").count() == 1  # a coordinator: any operator's task is another's
        else:
            assert state == ("немає активного завдання" if language == "uk" else "no active task")
        reasons = row.locator(".reasons").inner_text()
        cost = number(expected["facts"]["cost_usd"], language)
        assert (f"{cost} дол. США" if language == "uk" else f"estimated cost {cost} USD") in reasons
        people = scalar(
            "SELECT coalesce(sum(s.population), 0) FROM settlement s, hazardous_area h WHERE h.id = :a AND "
            "ST_DWithin(s.geom::geography, h.remaining_geom::geography, 10000)",
            a=area,
        )
        assert expected["facts"]["people"] == people
        contributions = expected["contributions"]
        top3 = sorted((c for c in contributions if contributions[c] > 0), key=lambda c: -contributions[c])[:3]
        if "population" in top3:
            assert number(people, language) in reasons
        assert re.search(r"\d+[.,]?\d* (pts|б\.)", reasons)
    listed = page.locator("#ranking").inner_text()
    assert not CODES.search(listed), CODES.search(listed)
    assert ("Харківська" if language == "uk" else "Kharkivska") in listed
    contamination = scalar("SELECT translations->>'uk' FROM contamination_type WHERE code = 'ap_mine'")
    if language == "uk":
        assert "ПНТ" in listed or "ПдНТ" in listed
        assert any(contamination in r["contamination"] for r in top) == (contamination in listed)
    if on_phone:
        # The list fits the phone's width: nothing to scroll sideways, every row as wide as the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        rows.first.scroll_into_view_if_needed()
        browser_page.screenshot(f"coordinator-kharkiv-list-{screen}-{language}.png")
        # The Map tab shows the oblast as the filter left it.
        to_tab(page, "map")
        assert page.evaluate("maisMap.getZoom()") == zoom
        assert_fits(page, KHARKIV)
        page.wait_for_timeout(400)
    browser_page.screenshot(f"coordinator-kharkiv-{screen}-{language}.png")
    # The first row: its details with coordinates in decimal degrees and MGRS. By keyboard on a computer, by a
    # tap on a phone (from the List tab; the card opens as a sheet over the map).
    if on_phone:
        to_tab(page, "list")
        page.locator("#priority-list li button").first.tap()
    else:
        page.locator("#priority-list li button").first.focus()
        page.keyboard.press("Enter")
    details = page.locator("#details")
    details.wait_for(state="visible")
    page.locator("#details [data-coordinate=mgrs] code").wait_for()
    first = top[0]["hazardous_area_id"]
    point = "SELECT ST_Y(p), ST_X(p) FROM (SELECT ST_PointOnSurface(geom) p FROM hazardous_area WHERE id = :a) q"
    lat, lon = sql(point, a=first)[0]
    assert page.locator("#details [data-coordinate=decimal] code").inner_text() == f"{lat:.6f}, {lon:.6f}"
    shown_mgrs = page.locator("#details [data-coordinate=mgrs] code").inner_text()
    assert shown_mgrs.replace(" ", "") == mgrs.MGRS().toMGRS(lat, lon, MGRSPrecision=5)
    heading = page.locator("#details .priority-title").inner_text().lower()
    assert ("пріоритет: ранг 1," if language == "uk" else "priority: rank 1,") in heading
    card = details.inner_text()
    assert not CODES.search(card), CODES.search(card)
    if on_phone:
        # A sheet above the tabs, the map on screen behind it; rank and coordinates can be scrolled to and read.
        assert page.get_attribute("#tab-map", "aria-selected") == "true"
        sheet, tabs = details.bounding_box(), page.locator("#view-tabs").bounding_box()
        assert sheet is not None and tabs is not None
        assert sheet["width"] == 390 and sheet["y"] + sheet["height"] <= tabs["y"] + 1
        for part in ("#details .priority-title", "#details [data-coordinate=decimal] code",
                     "#details [data-coordinate=mgrs] code"):  # fmt: skip
            page.locator(part).scroll_into_view_if_needed()
            shown = page.locator(part).bounding_box()
            assert shown is not None and sheet["y"] - 1 <= shown["y"] and shown["y"] + shown["height"] <= tabs["y"] + 1
        page.locator("#details .priority-title").scroll_into_view_if_needed()
    page.wait_for_timeout(400)
    browser_page.screenshot(f"coordinator-details-{screen}-{language}.png")
    assert browser_page.errors == [] and browser_page.blocked == []


@pytest.mark.browser
def test_list_grows_past_fifty_and_details_follow_the_scenario(server: str, browser_page: OfflinePage) -> None:
    page = open_map(browser_page, server, "en")
    total = api(page, server, "/api/v1/priorities", limit=1)["total"]
    assert total > 60
    more = page.locator("#list-more")
    assert more.inner_text() == "Show 50 more"
    more.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#priority-list li').length > 50")
    second = api(page, server, "/api/v1/priorities", limit=50, offset=50)["items"]
    rows = page.locator("#priority-list li")
    assert rows.count() == min(100, total)
    assert rows.nth(50).get_attribute("data-area-id") == str(second[0]["hazardous_area_id"])
    assert rows.nth(59).locator(".rank").inner_text() == "60"
    # The focus moved to the first new row: a keyboard user reads on from there.
    assert page.evaluate("document.activeElement.closest('li').dataset.rank") == "51"
    assert f"Showing 100 of {total:,} ranked areas" in page.locator("#ranking-count").inner_text()
    # Area 60 has its rank in the details too; a scenario switch refreshes the open card.
    rows.nth(59).locator("button").click()
    page.locator("#details .priority-title").wait_for()
    assert page.locator("#details .priority-title").inner_text().lower().startswith("priority: rank 60,")
    area = int(rows.nth(59).get_attribute("data-area-id") or 0)
    page.select_option("#scenario", "agricultural recovery")
    expected = api(page, server, f"/api/v1/dashboard/areas/{area}", scenario="agricultural recovery")["priority"]
    page.wait_for_function(
        "v => document.querySelector('#details .priority-title').textContent.toLowerCase().includes(v)",
        arg=f"rank {expected['rank']},",
    )
    assert "agricultural recovery" in page.locator("#details").inner_text()
    assert browser_page.errors == [] and browser_page.blocked == []


@pytest.mark.browser
def test_areas_with_another_operators_active_task(server: str, browser_page: OfflinePage) -> None:
    page = open_map(browser_page, server, "en")
    busy = scalar(
        "SELECT count(DISTINCT ta.hazardous_area_id) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
        "JOIN priority_current c ON c.hazardous_area_id = ta.hazardous_area_id JOIN priority_scenario s "
        f"ON s.id = c.scenario_id AND s.name = 'humanitarian' WHERE t.deleted_at IS NULL AND t.status IN {ACTIVE}"
    )
    assert busy > 0
    page.locator("input[name=active_task_not_of]").check()
    wait_ranked(page, busy, "en")
    rows = page.locator("#priority-list li")
    assert rows.count() == min(busy, 50)
    assert page.locator("#priority-list li .task-state.other").count() == rows.count()
    ids = [int(i) for i in rows.evaluate_all("els => els.map(e => e.dataset.areaId)")]
    assert scalar(
        "SELECT count(DISTINCT ta.hazardous_area_id) FROM task t JOIN task_hazardous_area ta ON ta.task_id = t.id "
        f"WHERE ta.hazardous_area_id = ANY(:ids) AND t.status IN {ACTIVE} AND t.deleted_at IS NULL",
        ids=ids,
    ) == len(ids)
    rows.first.locator("button").click()
    page.locator("#details .task-state.other").wait_for()
    assert "Another operator has an active task here" in page.locator("#details").inner_text()
    browser_page.screenshot("coordinator-other-operator-1366x768.png")
    assert browser_page.errors == [] and browser_page.blocked == []


@pytest.mark.browser
def test_accidents_of_the_last_12_months_by_date_and_keyboard(server: str, browser_page: OfflinePage) -> None:
    page = open_map(browser_page, server, "en")
    everything = scalar("SELECT count(*) FROM accident WHERE deleted_at IS NULL")
    page.locator("#accidents-panel summary").click()
    page.wait_for_function(f"document.querySelectorAll('#accident-list li').length === {min(everything, 200)}")
    page.locator("#accidents-12-months").click()
    since = page.locator("input[name=occurred_from]").input_value()
    assert abs(date.fromisoformat(since) - (date.today() - timedelta(days=365))) <= timedelta(days=2)
    recent = scalar("SELECT count(*) FROM accident WHERE deleted_at IS NULL AND occurred_on >= :d",
                    d=date.fromisoformat(since))  # fmt: skip
    assert 0 < recent < everything
    page.wait_for_function(f"document.querySelectorAll('#accident-list li').length === {recent}")
    assert page.locator("#accident-count").inner_text() == f"{recent} accident(s)"
    # The same filters as the areas: Kharkiv oblast keeps the accidents inside its boundary.
    page.select_option("select[name=oblast_code]", KHARKIV)
    inside = scalar(
        "SELECT count(*) FROM accident a JOIN admin_unit u ON u.code = :c AND ST_Intersects(u.geom, a.geom) "
        "WHERE a.deleted_at IS NULL AND a.occurred_on >= :d",
        c=KHARKIV,
        d=date.fromisoformat(since),
    )
    page.wait_for_function(f"document.querySelectorAll('#accident-list li').length === {inside}")
    page.select_option("select[name=oblast_code]", "")
    page.wait_for_function(f"document.querySelectorAll('#accident-list li').length === {recent}")
    # Keyboard: Tab from the date buttons reaches the list; Enter opens the accident on the map.
    page.locator("#accidents-any-date").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#accident-list li') !== null")
    assert focused
    newest = sql("SELECT id FROM accident WHERE deleted_at IS NULL ORDER BY occurred_on DESC NULLS LAST, id LIMIT 1")
    accident_id = page.evaluate("document.activeElement.closest('li').dataset.accidentId")
    assert accident_id == str(newest[0][0])
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert "Accident" in popup.inner_text() and "victim" in popup.inner_text()
    # Drawn above the areas: the marker is what a click at its place hits, and it takes the keyboard focus.
    # (Markers are redrawn while the map pans to the accident: wait until one stands still on screen.)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.leaflet-marker-pane .accident-marker')).some(m => {
            const r = m.getBoundingClientRect();
            const x = r.left + r.width / 2, y = r.top + r.height / 2;
            if (!r.width || x < 0 || y < 0 || x > innerWidth || y > innerHeight) { return false; }
            const hit = document.elementFromPoint(x, y);
            return hit !== null && hit.closest('.accident-marker') === m;
        })""",
        timeout=10_000,
    )
    marker = page.locator(".leaflet-marker-pane .accident-marker").first
    assert marker.get_attribute("tabindex") == "0"
    browser_page.screenshot("coordinator-accidents-1366x768.png")
    assert browser_page.errors == [] and browser_page.blocked == []
