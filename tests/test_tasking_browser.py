"""Tasking from the map in headless Chromium, every request off the test server blocked.

A coordinator opens an area from the list, creates a task on the whole area where another
operator's active task overlaps: the check names that task, its operator and the overlap in m²
that the API and PostGIS give, before Save is offered; saves; then draws a part with Geoman (mouse
clicks on the map) and checks and saves it. The operator of the task records progress and the API
shows it. A viewer gets no tasking controls and the API refuses it. The open-check-save walk is made again
at 1024×768 and on a phone (390×844, where the list is a tab at the bottom and the details a sheet),
each in English and Ukrainian; the drawing stays at 1366×768. Screenshots in tests/artifacts/tasking-*.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Playwright, sync_playwright
from pyproj import Transformer
from sqlalchemy import text

from app.db.session import new_session
from app.main import app
from tests.accounts import bearer, make_account
from tests.browser import SCREENS, OfflinePage, launch, live_server, offline_page
from tests.factories import LAEA_X0, LAEA_Y0, laea_feature, laea_rectangle

PASSWORD = "correct horse battery"
TASKS = "/api/v1/tasks"
IN_LAEA = {"crs": {"type": "name", "properties": {"name": "EPSG:3035"}}}
TO_LONLAT = Transformer.from_crs(3035, 4326, always_xy=True)


@pytest.fixture
def world(client: TestClient) -> dict[str, int]:
    """Two operators, two 1 km² CHAs side by side near Kharkiv; Steppe Demining's T-1 on the west one's east 40%."""
    ids: dict[str, int] = {}
    weights = {"population": 30, "services": 20, "device_severity": 10, "evidence": 10}
    assert client.post("/api/v1/priority-scenarios", json={"name": "test", "weights": weights}).status_code == 201
    for name in ("Steppe Demining", "Dnipro Clearance"):
        ids[name] = client.post("/api/v1/organisations", json={"name": name, "kind": "ngo"}).json()["id"]
    for key, name, rect in (("west", "West field", (0, 0, 1000, 1000)), ("east", "East field", (1000, 0, 2000, 1000))):
        body = laea_feature(laea_rectangle(*rect), name=name, classification="CHA", evidence=["item_seen"])
        ids[key] = client.post("/api/v1/hazardous-areas", json=body).json()["id"]
    first = {"reference": "T-1", "organisation_id": ids["Steppe Demining"], "hazardous_area_ids": [ids["west"]]}
    first.update(status="assigned", geometry=laea_rectangle(600, 0, 1000, 1000), **IN_LAEA)
    response = client.post(TASKS, json=first)
    assert response.status_code == 201, response.text
    ids["T-1"] = response.json()["id"]
    make_account("coordinator", username="coord.browser", password=PASSWORD)
    make_account("viewer", username="viewer.browser", password=PASSWORD)
    make_account("operator", username="dnipro.browser", organisation_id=ids["Dnipro Clearance"], password=PASSWORD)
    return ids


@pytest.fixture
def server(world: dict[str, int]) -> Iterator[str]:
    with live_server(app) as url:
        yield url


@pytest.fixture
def pw() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


def scalar(sql: str, **params: Any) -> Any:
    with new_session() as session:
        return session.execute(text(sql), params).scalar_one()


def log_in_with_the_form(tab: OfflinePage, username: str, language: str = "en") -> Page:
    page = tab.page
    page.goto(f"{tab.server}/login?next=/map")
    if language != "en":  # the login page's own switch, as a user changes language
        page.locator(f'header a[hreflang="{language}"]').click()
        page.wait_for_function(f"document.documentElement.lang === {language!r}")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{tab.server}/map")
    return page


def open_area(page: Page, name: str) -> None:
    """Click the area's row in the ranked list and wait for its details (and the tasking controls, if any)."""
    page.locator("#priority-list li button", has_text=name).first.click()
    page.wait_for_function(f"document.querySelector('#details-body h2')?.textContent === {name!r}")
    page.wait_for_load_state("networkidle")


def fill_task(page: Page, reference: str, operator: str, *, status: str, priority: int = 2) -> None:
    form = page.locator("#tasking-create")
    form.locator("select[name=organisation_id]").select_option(label=operator)
    form.locator("input[name=reference]").fill(reference)
    form.locator("input[name=priority]").fill(str(priority))
    form.locator("select[name=status]").select_option(status)
    form.locator("input[name=planned_start]").fill("2026-12-01")
    form.locator("input[name=planned_end]").fill("2027-03-31")


def check(page: Page) -> str:
    """Click Check and wait for the answer's outcome."""
    page.locator("#tasking-create .tasking-check").click()
    outcome = page.locator("#tasking-create .tasking-outcome")
    outcome.wait_for(timeout=10_000)
    return str(outcome.get_attribute("data-outcome"))


def conflict_rows(page: Page) -> list[dict[str, str]]:
    return page.locator("#tasking-create .tasking-conflicts tr[data-task-id]").evaluate_all(
        """rows => rows.map(r => ({task_id: r.dataset.taskId, reference: r.querySelector('.reference').textContent,
            operator: r.querySelector('.operator').textContent, shown: r.querySelector('.overlap').textContent,
            overlap_m2: r.querySelector('.overlap').dataset.overlapM2}))"""
    )


def shown_m2(page: Page, value: float) -> str:
    """`value` as the page writes m² in its language."""
    return str(page.evaluate("v => Math.round(v).toLocaleString(maisDashboard.locale()) + ' m²'", value))


def click_at(page: Page, x: float, y: float) -> None:
    """A mouse click on the map at EPSG:3035 metres from the test origin."""
    lon, lat = TO_LONLAT.transform(LAEA_X0 + x, LAEA_Y0 + y)
    point = page.evaluate("ll => maisMap.latLngToContainerPoint(L.latLng(ll[1], ll[0]))", [lon, lat])
    box = page.locator(".folium-map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    page.wait_for_timeout(150)


# What the page says, in each language, that the walk asserts.
WORDS = {
    "en": {"list": "List", "create": "Create task", "saved": "Task saved", "check": "Check",
           "refused": "Overlaps active tasks: saving is refused", "headers": ["Task", "Operator", "Overlap"]},
    "uk": {"list": "Список", "create": "Створити завдання", "saved": "Завдання збережено", "check": "Перевірити",
           "refused": "Перекриває активні завдання: збереження відхилено",
           "headers": ["Завдання", "Оператор", "Перекриття"]},
}  # fmt: skip


def open_the_list(tab: OfflinePage, view: str, language: str) -> Page:
    """Log in as the coordinator and bring the ranked list on screen (on a phone: its tab at the bottom)."""
    page = log_in_with_the_form(tab, "coord.browser", language=language)
    assert page.locator("html").get_attribute("lang") == language
    if SCREENS[view].get("is_mobile"):
        tab_list = page.locator("#tab-list")
        assert tab_list.inner_text() == WORDS[language]["list"]
        tab_list.click()
    page.locator("#priority-list li").first.wait_for(timeout=15_000)
    return page


def task_the_whole_area(tab: OfflinePage, client: TestClient, world: dict[str, int], view: str, language: str) -> int:
    """Open West field from the list, check T-2 for Dnipro Clearance on the whole area, save it with a reason.

    Asserts the refusal names T-1, its operator and the overlap PostGIS gives, then that the saved
    task is in the database. Returns T-2's id.
    """
    words = WORDS[language]
    page = open_the_list(tab, view, language)
    open_area(page, "West field")
    create = page.locator("#details-actions .tasking-create")
    assert create.inner_text() == words["create"]
    assert page.locator("#details-actions .tasking-progress").count() == 0  # a coordinator does not report work
    create.click()
    fill_task(page, "T-2", "Dnipro Clearance", status="assigned")
    form = page.locator("#tasking-create")
    assert form.locator(".tasking-check").inner_text() == words["check"]
    assert form.locator(".tasking-save").is_disabled()  # nothing to save before a check

    # The whole area, assigned: refused while T-1 of Steppe Demining holds 40% of it.
    assert check(page) == "refused"
    assert form.locator(".tasking-outcome").inner_text().startswith(words["refused"])
    body = {"reference": "T-2", "organisation_id": world["Dnipro Clearance"], "hazardous_area_ids": [world["west"]],
            "status": "assigned", "priority": 2, "planned_start": "2026-12-01",
            "planned_end": "2027-03-31"}  # fmt: skip
    api = client.post(f"{TASKS}/check", json=body).json()
    sql = scalar(
        "SELECT ST_Area(ST_Intersection(t.geom, a.remaining_geom)::geography) FROM task t, hazardous_area a "
        "WHERE t.id = :task AND a.id = :area",
        task=world["T-1"],
        area=world["west"],
    )
    [row] = conflict_rows(page)
    assert (row["reference"], row["operator"], row["task_id"]) == ("T-1", "Steppe Demining", str(world["T-1"]))
    assert float(row["overlap_m2"]) == api["conflicts"][0]["overlap_m2"] == sql
    assert row["shown"] == shown_m2(page, sql)
    assert re.sub(r"\D", "", row["shown"]) == "400000"
    assert (row["shown"] == "400,000 m²") == (language == "en")  # grouped the Ukrainian way in Ukrainian
    assert form.locator(".tasking-conflicts th").all_inner_texts() == words["headers"]
    assert form.locator(".tasking-save").is_disabled()
    width = SCREENS[view]["viewport"]["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
    tab.screenshot(f"tasking-check-refused-{view}-{language}.png")

    # With the coordinator's reason the overlap is recorded: warned, and Save is offered.
    form.locator("textarea[name=override]").fill("joint team, agreed at the tasking meeting")
    assert check(page) == "warned"
    assert form.locator(".tasking-save").is_enabled()
    tab.screenshot(f"tasking-check-warned-{view}-{language}.png")
    form.locator(".tasking-save").click()
    saved = page.locator("#details-actions .tasking-saved")
    saved.wait_for(timeout=10_000)
    t2 = int(str(saved.get_attribute("data-task-id")))
    assert saved.inner_text().startswith(f"{words['saved']}: T-2 · Dnipro Clearance · ")
    stored = client.get(f"{TASKS}/{t2}").json()["properties"]
    assert (stored["reference"], stored["status"], stored["hazardous_area_ids"]) == ("T-2", "assigned", [world["west"]])
    assert (stored["organisation_id"], stored["priority"]) == (world["Dnipro Clearance"], 2)
    assert stored["area_m2"] == api["area_m2"]
    assert stored["area_m2"] == pytest.approx(
        scalar("SELECT remaining_area_m2 FROM hazardous_area WHERE id = :id", id=world["west"]), rel=1e-12
    )
    assert scalar("SELECT overlap_m2 FROM task_deconfliction WHERE task_id = :id", id=t2) == sql
    # The details card lists it, and the tasks layer was fetched afresh (past the browser's minute of cache).
    assert "T-2" in page.locator("#details-body").inner_text()
    assert any("/tiles/tasks/" in url and "v=" in url for url in tab.requests)
    tab.screenshot(f"tasking-saved-{view}-{language}.png")
    return t2


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("view", list(SCREENS))
def test_a_coordinator_checks_and_saves_a_task_on_a_whole_area(
    server: str, pw: Playwright, client: TestClient, world: dict[str, int], view: str, language: str
) -> None:
    if (view, language) == ("1366x768", "en"):
        pytest.skip("walked, and then drawn on, by test_a_coordinator_tasks_a_whole_area_and_a_drawn_part_…")
    browser = launch(pw)
    tab = offline_page(browser, server, **SCREENS[view])
    task_the_whole_area(tab, client, world, view, language)
    assert scalar("SELECT count(*) FROM task") == 2
    assert tab.blocked == [] and tab.errors == []
    browser.close()


@pytest.mark.browser
def test_a_coordinator_tasks_a_whole_area_and_a_drawn_part_and_the_operator_reports_progress(
    server: str, pw: Playwright, client: TestClient, world: dict[str, int]
) -> None:
    browser = launch(pw)
    tab = offline_page(browser, server)
    t2 = task_the_whole_area(tab, client, world, "1366x768", "en")
    page = tab.page

    # A part drawn with Geoman, reaching 200 m beyond the area's west edge: clipped to the area.
    page.locator("#details-actions .tasking-create").click()
    fill_task(page, "T-3", "Steppe Demining", status="draft", priority=1)
    page.locator("#tasking-create input[name=ground][value=part]").check()
    page.locator("#tasking-create .tasking-hint").wait_for()
    corners = [(-200, 200), (400, 200), (400, 700), (-200, 700)]
    for x, y in corners:
        click_at(page, x, y)
    click_at(page, *corners[0])  # the first corner again closes the polygon
    assert check(page) == "warned"  # a draft: checked again when assigned
    drawn = page.locator("#tasking-create .tasking-area")
    area_m2 = float(str(drawn.get_attribute("data-area-m2")))
    assert area_m2 == pytest.approx(400 * 500, rel=0.03)  # pixels at this zoom are a few metres
    [row] = conflict_rows(page)
    assert (row["reference"], row["operator"]) == ("T-2", "Dnipro Clearance")
    overlap_shown = float(row["overlap_m2"])
    tab.screenshot("tasking-drawn-part.png")
    assert page.locator("#details-actions .tasking-saved").count() == 0  # T-2's notice went with the new form
    page.locator("#tasking-create .tasking-save").click()
    page.locator("#details-actions .tasking-saved").wait_for(timeout=10_000)
    t3 = int(str(page.locator("#details-actions .tasking-saved").get_attribute("data-task-id")))
    assert t3 != t2
    assert scalar("SELECT area_m2 FROM task WHERE id = :id", id=t3) == area_m2
    assert scalar("SELECT reference || ' ' || status FROM task WHERE id = :id", id=t3) == "T-3 draft"
    between = scalar(
        "SELECT ST_Area(ST_Intersection(a.geom, b.geom)::geography) FROM task a, task b WHERE a.id = :a AND b.id = :b",
        a=t3,
        b=t2,
    )
    assert between == overlap_shown
    # Nothing of the part lies outside the west area (but rounding along the cut edge).
    outside = scalar(
        "SELECT ST_Area(ST_Difference(t.geom, a.geom)::geography) FROM task t, hazardous_area a "
        "WHERE t.id = :t AND a.id = :a",
        t=t3,
        a=world["west"],
    )
    assert outside < 0.01
    assert tab.blocked == [] and tab.errors == []
    browser.close()

    # The operator of T-2 reports its work once it started; it may not report on T-1 (another operator's).
    for task_id in (world["T-1"], t2):
        assert client.post(f"{TASKS}/{task_id}/status", json={"status": "in_progress"}).status_code == 200
    browser = launch(pw)
    tab = offline_page(browser, server)
    page = log_in_with_the_form(tab, "dnipro.browser")
    page.locator("#priority-list li").first.wait_for(timeout=15_000)
    open_area(page, "West field")
    record = page.locator("#details-actions .tasking-progress")
    record.first.wait_for(timeout=10_000)
    assert record.evaluate_all("bs => bs.map(b => b.dataset.taskId)") == [str(t2)]
    assert page.locator("#details-actions .tasking-create").count() == 0
    record.click()
    form = page.locator("#tasking-progress")
    start, end = date.today() - timedelta(days=20), date.today() - timedelta(days=7)  # work already done
    for name, value in (("period_start", start.isoformat()), ("period_end", end.isoformat()), ("cleared_m2", "12500"),
                        ("reduced_m2", "30000"), ("items_found", "3"), ("team_days", "20")):  # fmt: skip
        form.locator(f"[name={name}]").fill(value)
    form.locator("textarea[name=notes]").fill("Manual clearance, north lane")
    form.locator(".tasking-record").click()
    outcome = form.locator(".tasking-outcome")
    outcome.wait_for(timeout=10_000)
    assert outcome.get_attribute("data-reports") == "1"
    tab.screenshot("tasking-progress.png")
    [report] = client.get(f"{TASKS}/{t2}/progress-reports").json()
    assert (report["period_start"], report["period_end"], report["cleared_m2"], report["reduced_m2"]) == (
        start.isoformat(), end.isoformat(), 12_500, 30_000
    )  # fmt: skip
    assert (report["items_found"], report["team_days"], report["created_by"]) == (3, 20, "dnipro.browser")
    summary = client.get(f"{TASKS}/{t2}").json()["properties"]["progress"]
    assert (summary["reports"], summary["cleared_m2"]) == (1, 12_500)
    period = f"{start:%d/%m/%y} – {end:%d/%m/%y}"  # en-GB, as the page writes dates
    assert form.locator(".tasking-reports tr[data-report-id] td").first.inner_text() == period
    totals = form.locator(".tasking-reports tr.total td").all_inner_texts()
    assert totals == ["Total", "0", "30,000", "12,500", "3"]
    assert tab.blocked == [] and tab.errors == []
    browser.close()


@pytest.mark.browser
def test_a_viewer_gets_no_tasking_and_the_api_refuses_it(
    server: str, pw: Playwright, client: TestClient, world: dict[str, int]
) -> None:
    browser = launch(pw)
    tab = offline_page(browser, server)
    page = log_in_with_the_form(tab, "viewer.browser")
    page.locator("#priority-list li").first.wait_for(timeout=15_000)
    open_area(page, "West field")
    assert page.locator("#details-actions").count() == 1
    assert page.locator("#details-actions button").count() == 0
    assert not any("tasking.js" in url or "leaflet-geoman" in url for url in tab.requests)
    tab.screenshot("tasking-viewer.png")
    body = {"reference": "T-9", "organisation_id": world["Dnipro Clearance"], "hazardous_area_ids": [world["west"]]}
    # From the page, with its CSRF token, as tasking.js would send it.
    refusal = page.evaluate(
        "b => maisDashboard.send('POST', '/api/v1/tasks/check', b).then(() => 'saved', e => e.message)", body
    )
    assert refusal == "the role viewer may not use POST /api/v1/tasks/check"
    viewer = bearer("viewer.browser")
    assert client.post(TASKS, json=body, headers=viewer).status_code == 403
    assert client.post(f"{TASKS}/check", json=body, headers=viewer).status_code == 403
    assert scalar("SELECT count(*) FROM task") == 1
    assert tab.blocked == []
    browser.close()
