"""The reports page in headless Chromium, every request off the test server blocked.

A coordinator opens /reports, picks Nordic Fund and "Q2 2025", and gets the PDF and the XLSX
(with the busy state shown while the server works), at 1366×768, 1024×768 and on a phone
(390×844), each in English and Ukrainian; a donor officer is offered its own donor
only; on a phone (390 × 844) the form fits the screen and still downloads; a refusal shows the
server's reason. The world is tests/report_world.py: in Q2 2025 Nordic Fund's task T1 cleared
340,000 m² (H1 and H3), and Atlantic Trust's T2 reduced 250,000 m².
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, Playwright, sync_playwright

from app.main import app
from tests.accounts import make_account
from tests.browser import ARTIFACTS, SCREENS, OfflinePage, axe, launch, live_server, offline_page
from tests.report_world import ReportWorld

PASSWORD = "correct horse battery"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Records every busy state of the form, so that a test sees the progress indication however fast the server is.
WATCH_BUSY = """() => {
    window.busyStates = [];
    const note = () => window.busyStates.push({
        progress: !document.getElementById('progress').hidden,
        disabled: document.getElementById('download').disabled,
        status: document.getElementById('report-status').textContent});
    new MutationObserver(note).observe(document.getElementById('report-form'),
        {attributes: true, subtree: true, childList: true, characterData: true});
}"""


@pytest.fixture
def world(client: TestClient) -> Iterator[tuple[str, ReportWorld]]:
    world = ReportWorld(client)
    make_account("coordinator", username="coord.reports", password=PASSWORD)
    make_account("donor", username="officer.nordic", donor_id=world.nordic, password=PASSWORD)
    with live_server(app) as url:
        yield url, world


@pytest.fixture
def pw() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


def options(page: Page, select: str) -> list[str]:
    """The labels of the options a user can pick (the hidden ones left out)."""
    return page.locator(f"{select} option").evaluate_all(
        "els => els.filter(e => !e.hidden && !e.disabled).map(e => e.textContent.trim())"
    )


def download(tab: OfflinePage, extension: str, name: str) -> tuple[bytes, str]:
    """Click "Download report" and return the file's bytes and the content type the server gave it."""
    page = tab.page
    page.check(f'input[name="format"][value="{extension}"]')
    page.evaluate(WATCH_BUSY)
    with (
        page.expect_response(lambda r: f"/api/v1/reports/donor.{extension}" in r.url) as answer,
        page.expect_download(timeout=60_000) as started,
    ):
        page.click("#download")
        if extension == "pdf":  # WeasyPrint takes a second or more: the indicator is on screen meanwhile
            page.wait_for_selector("#progress:not([hidden])", timeout=5_000)
            tab.screenshot(f"reports-page-busy-{name}.png")
    path = started.value.path()
    page.wait_for_function("() => !document.getElementById('download').disabled")
    busy = page.evaluate("() => window.busyStates")
    assert any(s["progress"] and s["disabled"] for s in busy), busy  # the busy state was shown
    assert not page.locator("#progress").is_visible() and page.locator("#download").is_enabled()
    assert started.value.suggested_filename.endswith(f".{extension}")
    return Path(path).read_bytes(), answer.value.headers["content-type"]


# What the page and the reports say, in each language, that the walk asserts.
WORDS = {
    "en": {"all_donors": "All donors", "all_agreements": "All agreements", "period": "Q2 2025",
           "title": "Land release report", "downloaded": "Downloaded"},
    "uk": {"all_donors": "Усі донори", "all_agreements": "Усі угоди", "period": "2-й квартал 2025",
           "title": "Звіт про звільнення земель", "downloaded": "Завантажено"},
}  # fmt: skip


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_coordinator_gets_nordic_funds_q2_2025_report_as_pdf_and_xlsx(
    world: tuple[str, ReportWorld], pw: Playwright, screen: str, language: str
) -> None:
    server, _ = world
    words = WORDS[language]
    name = f"{screen}-{language}"
    browser = launch(pw)
    tab = offline_page(browser, server, **SCREENS[screen])
    tab.log_in("coord.reports", PASSWORD)
    page = tab.page
    page.goto(f"{server}/reports")
    if language != "en":  # the page's own switch, as a user changes language
        page.locator(f'#user a[hreflang="{language}"]').click()
        page.wait_for_function(f"document.documentElement.lang === {language!r}")
    page.wait_for_url(f"{server}/reports")
    assert page.locator("html").get_attribute("lang") == language
    width = SCREENS[screen]["viewport"]["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scrolling
    assert options(page, "#donor_id") == [words["all_donors"], "Atlantic Trust", "Nordic Fund"]
    every_agreement = [words["all_agreements"], "AT-1 · Delta Clearance", "NF-1 · Steppe Demining"]
    assert options(page, "#agreement_id") == every_agreement
    page.select_option("#donor_id", label="Nordic Fund")
    assert options(page, "#agreement_id") == [words["all_agreements"], "NF-1 · Steppe Demining"]  # the donor's only
    page.select_option("#period", label=words["period"])
    tab.screenshot(f"reports-page-coordinator-{name}.png")
    assert axe(page) == []  # no critical or serious accessibility violation

    title = f"{words['title']} — Nordic Fund — {words['period']} ("
    pdf, content_type = download(tab, "pdf", name)
    assert content_type == "application/pdf"
    document = pypdfium2.PdfDocument(pdf)
    text_of_page_1 = " ".join(document[0].get_textpage().get_text_range().split())
    document[0].render(scale=1.2).to_pil().save(ARTIFACTS / f"reports-page-download-p1-{name}.png")
    document.close()
    assert text_of_page_1.startswith(title), text_of_page_1[:200]
    if language == "en":
        assert text_of_page_1.startswith(f"{title}1 Apr – 30 Jun 2025)")
    assert re.search(
        r"\b340\D?000\b", text_of_page_1
    )  # cleared in June by Nordic Fund's task, grouped as in the language
    status = page.locator("#report-status").inner_text()
    assert status.startswith(f"{words['downloaded']} land-release-report-nordic-fund-2025-04-01-2025-06-30.pdf (")

    workbook, content_type = download(tab, "xlsx", f"{name}-xlsx")
    assert content_type == XLSX
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    assert str(book["report"]["A1"].value).startswith(title)
    heading = " ".join(str(book["report"]["A1"].value).split())
    assert text_of_page_1.startswith(heading)  # the PDF's title, period and dates alike
    monthly = {r[0].strftime("%Y-%m"): r[3] for r in book["released_monthly"].iter_rows(min_row=2, values_only=True)
               if r[0] is not None and hasattr(r[0], "strftime")}  # fmt: skip
    assert monthly == {"2025-04": 0, "2025-05": 0, "2025-06": pytest.approx(340_000, abs=1)}
    tab.screenshot(f"reports-page-done-{name}.png")
    assert tab.blocked == [] and tab.errors == []
    browser.close()


@pytest.mark.browser
def test_a_donor_officer_is_offered_its_own_donor_only(world: tuple[str, ReportWorld], pw: Playwright) -> None:
    server, _ = world
    browser = launch(pw)
    tab = offline_page(browser, server, locale="uk-UA", extra_http_headers={"Accept-Language": "uk-UA,uk;q=0.9"})
    tab.log_in("officer.nordic", PASSWORD)
    page = tab.page
    page.goto(f"{server}/reports")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert options(page, "#donor_id") == ["Nordic Fund"]
    assert options(page, "#agreement_id") == ["Усі угоди", "NF-1 · Steppe Demining"]
    assert "Nordic Fund" in page.locator(".hint").first.inner_text()
    page.select_option("#period", label="2-й квартал 2025")
    tab.screenshot("reports-page-donor-uk.png")
    assert axe(page) == []
    body, content_type = download(tab, "xlsx", "donor")
    assert content_type == XLSX
    title = openpyxl.load_workbook(io.BytesIO(body))["report"]["A1"].value
    assert title.startswith("Звіт про звільнення земель — Nordic Fund — 2-й квартал 2025")
    assert tab.blocked == [] and tab.errors == []
    browser.close()


@pytest.mark.browser
def test_on_a_phone_the_form_fits_and_downloads_and_a_refusal_shows_the_servers_reason(
    world: tuple[str, ReportWorld], pw: Playwright
) -> None:
    server, _ = world
    browser = launch(pw)
    tab = offline_page(browser, server, **SCREENS["390x844"])
    tab.log_in("coord.reports", PASSWORD)
    page = tab.page
    page.goto(f"{server}/reports")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    for target in ("#donor_id", "#period", "#download", 'label.choice:has(input[value="zip"])'):
        box = page.locator(target).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44, target
    page.select_option("#donor_id", label="Nordic Fund")
    page.select_option("#period", label="Q2 2025")
    tab.screenshot("reports-page-phone.png")
    assert axe(page) == []
    archive, content_type = download(tab, "zip", "phone")
    assert content_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        assert "released.csv" in z.namelist() and "Nordic Fund" in z.read("agreements.csv").decode()

    # A donor removed after the page was loaded: the server refuses, and the page says why.
    page.evaluate("() => { document.querySelector('#donor_id option:checked').value = '999999'; }")
    page.check('input[name="format"][value="xlsx"]')
    page.click("#download")
    error = page.locator("#report-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "The report could not be made: donor_id 999999: no such donor"
    assert page.locator("#download").is_enabled() and not page.locator("#progress").is_visible()
    tab.screenshot("reports-page-phone-error.png")
    assert tab.blocked == []
    # The refused request is the only console error (Chromium logs every 4xx answer it loads).
    assert all("422" in e for e in tab.errors), tab.errors
    browser.close()
